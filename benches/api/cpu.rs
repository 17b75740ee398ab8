//! CPU time from /proc: the server's (`utime + stime` of `kartla serve`) and, on PostgreSQL, that of the
//! backends serving the benchmark's database, read before and after a phase and divided by the requests
//! it served. CPU per request is steadier than requests per second on a shared machine.

use std::sync::OnceLock;

/// The processes whose CPU a phase is charged with.
pub struct Meter {
    server: u32,
    /// The PostgreSQL database whose backends count, when the backend is PostgreSQL.
    database: Option<String>,
}

/// CPU seconds used so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reading {
    server: f64,
    database: Option<f64>,
}

/// CPU milliseconds per request over a phase.
#[derive(Clone, Copy, Debug, Default)]
pub struct PerRequest {
    /// The server's.
    pub server: f64,
    /// PostgreSQL's, when measured.
    pub database: Option<f64>,
}

impl PerRequest {
    /// The server's figure, and PostgreSQL's or "-", as table cells.
    pub fn cells(&self) -> String {
        let database = self.database.map_or("-".to_owned(), |ms| format!("{ms:.2}"));
        format!("{:.2} | {database}", self.server)
    }
}

/// Clock ticks per second, as `utime` and `stime` count them.
fn ticks_per_second() -> f64 {
    static TICKS: OnceLock<f64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// `utime + stime` of process `pid`, in seconds (0 once it is gone).
fn process_cpu(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // The command name (field 2) is in parentheses and may hold spaces; count fields after it.
    let Some(after_name) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the line are the 12th and 13th after the name.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&k| fields.get(k).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks / ticks_per_second()
}

impl Meter {
    /// A meter for the server `server` and, on PostgreSQL, the backends of `database`.
    pub fn new(server: u32, database: Option<&str>) -> Meter {
        Meter {
            server,
            database: database.map(str::to_owned),
        }
    }

    /// The CPU used so far.
    pub fn read(&self) -> Reading {
        Reading {
            server: process_cpu(&self.server.to_string()),
            database: self.database.as_deref().map(backends_cpu),
        }
    }

    /// CPU per request since `before`, over `requests` requests.
    pub fn since(&self, before: Reading, requests: usize) -> PerRequest {
        let after = self.read();
        let n = requests.max(1) as f64;
        PerRequest {
            server: (after.server - before.server) * 1000.0 / n,
            database: after
                .database
                .zip(before.database)
                .map(|(after, before)| (after - before) * 1000.0 / n),
        }
    }
}

/// The CPU of the PostgreSQL backends connected to `database` (their command line names it:
/// `postgres: USER DATABASE HOST(PORT) STATE`).
fn backends_cpu(database: &str) -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    let needle = format!(" {database} ");
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|line| {
                let line = String::from_utf8_lossy(&line);
                line.starts_with("postgres: ") && line.contains(&needle)
            })
        })
        .map(|pid| process_cpu(&pid))
        .sum()
}
