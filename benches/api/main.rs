//! Kartla's benchmark: `cargo bench --bench api -- [options]` (see `--help` and docs/performance.md).
//!
//! For each backend it makes a database, loads the synthetic registry at `--scale` with `kartla seed
//! synthetic`, starts `kartla serve` (release build) and measures over HTTP:
//! - each request alone, one client: latency, SQL statements per request (from `/metrics`), and the CPU
//!   per request of the server and, on PostgreSQL, of PostgreSQL's backends (from /proc);
//! - the overview's pages, each alone on the heaviest records: latency, the server's time from
//!   `Server-Timing`, statements and CPU per page;
//! - the SQL floor of the standard page, straight through sqlx in this process, alone and under the same
//!   concurrency as the load phases, and Kartla's time per request as a ratio of it;
//! - the standard page alone, then the mix of six, with `--clients` clients for `--duration` seconds:
//!   requests per second, p50, p95, p99 per request, and CPU per request;
//! - the server's start on the migrated database and its peak memory.
//!
//! The results are printed and written as Markdown to `--out`.

mod client;
mod cpu;
mod floor;
mod mix;
mod overview;
mod server;
mod stats;

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use hyper::body::Bytes;

use crate::client::Client;
use crate::mix::{Fixtures, Request};
use crate::server::{Database, Server};
use crate::stats::Latencies;

/// Benchmarks Kartla over HTTP on a synthetic national-scale registry.
#[derive(Debug, Parser)]
struct Args {
    /// Databases to run on, comma-separated: sqlite, postgres.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    backends: Vec<String>,
    /// Units of the synthetic registry (1: 5,000 initiatives, 50,000 activities, 500,000 participations).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Concurrent clients in the load phases.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds each load phase runs.
    #[arg(long, default_value_t = 20)]
    duration: u64,
    /// Requests per request type in the one-client phase.
    #[arg(long, default_value_t = 30)]
    samples: usize,
    /// The PostgreSQL server to make the benchmark's database on.
    #[arg(
        long,
        env = "KARTLA_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    postgres_url: String,
    /// Where to write the results (Markdown).
    #[arg(long, default_value = "target/bench/RESULTS.md")]
    out: std::path::PathBuf,
    /// Also time `kartla import` of the registry exported from the first backend, into a new SQLite file.
    #[arg(long)]
    import: bool,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let mut report = String::new();
    writeln!(report, "# Kartla benchmark results\n")?;
    writeln!(report, "{}\n", machine())?;
    writeln!(
        report,
        "Scale {} ({} initiatives), {} clients, {} s per load phase, {} samples per request alone; \
         release build unless noted. Produced by `cargo bench --bench api -- --scale {} --clients {} --duration {}`.\n",
        args.scale,
        (args.scale * 5000.0).round(),
        args.clients,
        args.duration,
        args.samples,
        args.scale,
        args.clients,
        args.duration
    )?;
    let mut exported = None;
    for backend in &args.backends {
        let section = bench_backend(&args, backend, args.import && exported.is_none()).await?;
        report.push_str(&section.0);
        if section.1.is_some() {
            exported = section.1;
        }
    }
    if let Some((file, activities)) = exported {
        report.push_str(&time_import(&file, activities).await?);
    }
    print!("{report}");
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&args.out, &report).with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("written to {}", args.out.display());
    Ok(())
}

/// The CPU and memory of this machine, for the results.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split(':').nth(1)))
        .unwrap_or("unknown CPU")
        .trim()
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:").map(|r| r.trim().to_owned()))
        .unwrap_or_default();
    format!("Machine: {model}, {cores} cores available, {memory} memory; Linux.")
}

/// The whole benchmark on one backend; its Markdown section, and the exported registry when asked.
async fn bench_backend(
    args: &Args,
    backend: &str,
    export: bool,
) -> anyhow::Result<(String, Option<(std::path::PathBuf, u64)>)> {
    let mut out = String::new();
    eprintln!("== {backend}: loading the synthetic registry at scale {}", args.scale);
    let database = Database::create(backend, &args.postgres_url).await?;
    let url = database.url.clone();
    let loaded = Instant::now();
    let summary = server::kartla(&[
        "seed",
        "--database-url",
        &url,
        "synthetic",
        "--scale",
        &args.scale.to_string(),
    ])
    .await?;
    let load_time = loaded.elapsed();
    let token = server::kartla(&[
        "token",
        "--database-url",
        &url,
        "create",
        "--name",
        "bench",
        "--role",
        "admin",
    ])
    .await?;
    let db = kartla::db::connect(&url).await?;
    let fixtures = Arc::new(Fixtures::load(&db, args.clients).await?);

    let server = Server::start(&url).await?;
    let client = Client::new(&server.base);
    let meter = cpu::Meter::new(server.pid().unwrap_or(0), database.postgres_name());
    writeln!(out, "## {backend}\n")?;
    writeln!(
        out,
        "- Load: `kartla seed synthetic --scale {}`: {summary} ({:.1} s with the process start and migrations).",
        args.scale,
        load_time.as_secs_f64()
    )?;
    writeln!(
        out,
        "- Start of `kartla serve` on the migrated database until `/readyz` answers: {:.0} ms.",
        server.start.as_secs_f64() * 1000.0
    )?;

    // Each request alone, one client: latency and statements.
    eprintln!("== {backend}: each request alone");
    let mut versions = mix::versions(&db, &fixtures).await?;
    let mut alone = Vec::new();
    for request in Request::ALL {
        for _ in 0..3 {
            send(&client, &fixtures, request, 0, &token, &mut versions).await?;
        }
        let before = client.counter("kartla_db_statements_total").await?;
        let cpu_before = meter.read();
        let mut latencies = Latencies::default();
        for _ in 0..args.samples {
            latencies.add(send(&client, &fixtures, request, 0, &token, &mut versions).await?);
        }
        // Each request alone is its own phase: the /metrics reads around it are not charged to it.
        let cpu = meter.since(cpu_before, args.samples);
        let after = client.counter("kartla_db_statements_total").await?;
        alone.push((request, latencies, (after - before) / args.samples as f64, cpu));
    }

    eprintln!("== {backend}: the overview's pages");
    let pages = overview::measure(&client, &meter, &db, args.samples).await?;

    // The floor, in this process.
    eprintln!("== {backend}: the SQL floor");
    let mut floor = Latencies::default();
    for k in 0..args.samples + 3 {
        let started = Instant::now();
        let read = match backend {
            "postgres" => floor::postgres(db.get_postgres_connection_pool()).await?,
            _ => floor::sqlite(db.get_sqlite_connection_pool()).await?,
        };
        anyhow::ensure!(read.rows > 50, "the floor read only {} rows", read.rows);
        if k >= 3 {
            floor.add(started.elapsed());
        }
    }
    eprintln!(
        "== {backend}: the SQL floor, {} clients for {} s",
        args.clients, args.duration
    );
    let floor_loaded = floor_under_load(args, backend, &db).await?;

    writeln!(
        out,
        "\n### Each request alone (one client, {} requests each)\n",
        args.samples
    )?;
    writeln!(
        out,
        "| request | p50 ms | mean ms | SQL statements per request | server CPU ms per request | PostgreSQL CPU ms per request |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    )?;
    for (request, latencies, statements, cpu) in &alone {
        writeln!(
            out,
            "| {} | {:.2} | {:.2} | {:.1} | {} |",
            request.name(),
            latencies.percentile(50.0),
            latencies.mean(),
            statements,
            cpu.cells()
        )?;
    }
    writeln!(
        out,
        "| SQL floor of 1 (sqlx, 5 statements) | {:.2} | {:.2} | 5 | - | - |",
        floor.percentile(50.0),
        floor.mean()
    )?;
    let standard = &alone[0].1;
    writeln!(
        out,
        "\nQuery 1 per request as a ratio of the SQL floor: **{:.2}x** (mean {:.2} ms vs {:.2} ms). The deep page \
         (after row {}) vs the first page: {:.2} ms vs {:.2} ms (p50).",
        standard.mean() / floor.mean(),
        standard.mean(),
        floor.mean(),
        fixtures.deep_row,
        alone
            .iter()
            .find(|a| a.0 == Request::DeepPage)
            .map_or(0.0, |a| a.1.percentile(50.0)),
        alone
            .iter()
            .find(|a| a.0 == Request::FirstPage)
            .map_or(0.0, |a| a.1.percentile(50.0)),
    )?;

    out.push_str(&pages);

    eprintln!(
        "== {backend}: the standard page, {} clients for {} s",
        args.clients, args.duration
    );
    let cpu_before = meter.read();
    let only = load(args, &client, &fixtures, &[Request::StandardPage], &token, &db).await?;
    let only_cpu = meter.since(cpu_before, served(&only));
    eprintln!(
        "== {backend}: the mix, {} clients for {} s",
        args.clients, args.duration
    );
    let cpu_before = meter.read();
    let mixed = load(args, &client, &fixtures, &Request::MIX, &token, &db).await?;
    let mixed_cpu = meter.since(cpu_before, served(&mixed));
    writeln!(
        out,
        "\n### Under load ({} clients, {} s each)\n",
        args.clients, args.duration
    )?;
    writeln!(
        out,
        "| phase | request | requests/s | p50 ms | p95 ms | p99 ms | errors |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    )?;
    for (phase, results) in [("standard page alone", &only), ("the mix", &mixed)] {
        for (request, latencies, errors) in results {
            writeln!(
                out,
                "| {phase} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {errors} |",
                request.name(),
                latencies.count() as f64 / args.duration as f64,
                latencies.percentile(50.0),
                latencies.percentile(95.0),
                latencies.percentile(99.0)
            )?;
        }
    }
    writeln!(
        out,
        "| SQL floor of query 1 | (sqlx, {} clients) | {:.0} | {:.2} | {:.2} | {:.2} | 0 |",
        args.clients,
        floor_loaded.count() as f64 / args.duration as f64,
        floor_loaded.percentile(50.0),
        floor_loaded.percentile(95.0),
        floor_loaded.percentile(99.0)
    )?;
    writeln!(
        out,
        "\nUnder load, query 1 per request as a ratio of the SQL floor under the same load: **{:.2}x** (mean \
         {:.2} ms vs {:.2} ms).\n",
        only[0].1.mean() / floor_loaded.mean(),
        only[0].1.mean(),
        floor_loaded.mean()
    )?;
    writeln!(
        out,
        "| phase | server CPU ms per request | PostgreSQL CPU ms per request |\n| --- | ---: | ---: |\n\
         | standard page alone | {} |\n| the mix (all six requests) | {} |",
        only_cpu.cells(),
        mixed_cpu.cells()
    )?;
    let memory = server
        .peak_memory_mib()
        .map_or("unknown".to_owned(), |m| format!("{m:.0} MiB"));
    writeln!(
        out,
        "\nPeak memory of the server (VmHWM) after both load phases: {memory}.\n"
    )?;

    let exported = if export {
        let file = std::env::temp_dir().join(format!("kartla-bench-{}.json", std::process::id()));
        let path = file.display().to_string();
        server::kartla(&["export", "--database-url", &url, "--output", &path]).await?;
        use sea_orm::{EntityTrait, PaginatorTrait};
        let activities = kartla::entity::activity::Entity::find().count(&db).await?;
        Some((file, activities))
    } else {
        None
    };
    server.stop().await;
    db.close().await?;
    database.drop_database().await?;
    Ok((out, exported))
}

/// The requests a load phase served.
fn served(results: &[(Request, Latencies, usize)]) -> usize {
    results.iter().map(|(_, latencies, _)| latencies.count()).sum()
}

/// The SQL floor of query 1 from `--clients` tasks at once for `--duration`: its latencies.
async fn floor_under_load(args: &Args, backend: &str, db: &sea_orm::DatabaseConnection) -> anyhow::Result<Latencies> {
    let deadline = Instant::now() + Duration::from_secs(args.duration);
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (db, postgres) = (db.clone(), backend == "postgres");
        tasks.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            while Instant::now() < deadline {
                let started = Instant::now();
                let read = if postgres {
                    floor::postgres(db.get_postgres_connection_pool()).await?
                } else {
                    floor::sqlite(db.get_sqlite_connection_pool()).await?
                };
                anyhow::ensure!(read.rows > 50, "the floor read only {} rows", read.rows);
                latencies.add(started.elapsed());
            }
            Ok::<_, anyhow::Error>(latencies)
        }));
    }
    let mut merged = Latencies::default();
    for task in tasks {
        merged.merge(task.await??);
    }
    Ok(merged)
}

/// Sends one request; client `client`'s activity version is kept in `versions`.
async fn send(
    client: &Client,
    fixtures: &Fixtures,
    request: Request,
    who: usize,
    token: &str,
    versions: &mut [i64],
) -> anyhow::Result<Duration> {
    let body: Bytes = fixtures.body(request, who, versions[who]);
    let token = (request == Request::Update).then_some(token);
    let (elapsed, answer) = client.graphql(&body, token).await.with_context(|| request.name())?;
    if request == Request::Update {
        versions[who] = mix::updated_version(&answer)?;
    }
    Ok(elapsed)
}

/// `requests` round-robin from `--clients` clients for `--duration`; each request's latencies and errors.
async fn load(
    args: &Args,
    client: &Client,
    fixtures: &Arc<Fixtures>,
    requests: &[Request],
    token: &str,
    db: &sea_orm::DatabaseConnection,
) -> anyhow::Result<Vec<(Request, Latencies, usize)>> {
    let versions = mix::versions(db, fixtures).await?;
    let deadline = Instant::now() + Duration::from_secs(args.duration);
    let mut tasks = Vec::new();
    for who in 0..args.clients {
        let (client, fixtures, token) = (client.clone(), Arc::clone(fixtures), token.to_owned());
        let requests = requests.to_vec();
        let mut versions = versions.clone();
        // Bodies made once; an update's body depends on the version, so it is made each time.
        let bodies: Vec<Bytes> = requests.iter().map(|r| fixtures.body(*r, who, 0)).collect();
        tasks.push(tokio::spawn(async move {
            let mut results: Vec<(Latencies, usize)> = requests.iter().map(|_| (Latencies::default(), 0)).collect();
            let mut k = who;
            while Instant::now() < deadline {
                let slot = k % requests.len();
                k += 1;
                let outcome = if requests[slot] == Request::Update {
                    send(&client, &fixtures, Request::Update, who, &token, &mut versions).await
                } else {
                    client.graphql(&bodies[slot], None).await.map(|(elapsed, _)| elapsed)
                };
                match outcome {
                    Ok(elapsed) => results[slot].0.add(elapsed),
                    Err(_) => results[slot].1 += 1,
                }
            }
            results
        }));
    }
    let mut merged: Vec<(Request, Latencies, usize)> = requests.iter().map(|r| (*r, Latencies::default(), 0)).collect();
    for task in tasks {
        for (slot, (latencies, errors)) in task.await?.into_iter().enumerate() {
            merged[slot].1.merge(latencies);
            merged[slot].2 += errors;
        }
    }
    Ok(merged)
}

/// Times `kartla import` of `file` into a new SQLite database.
async fn time_import(file: &std::path::Path, activities: u64) -> anyhow::Result<String> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}/import.db?mode=rwc", dir.path().display());
    server::kartla(&["migrate", "--database-url", &url, "up"]).await?;
    let started = Instant::now();
    let summary = server::kartla(&["import", "--database-url", &url, &file.display().to_string()]).await?;
    let elapsed = started.elapsed();
    let _ = std::fs::remove_file(file);
    Ok(format!(
        "## Import\n\n`kartla import` of the registry exported above ({activities} activities) into a new SQLite \
         database: {:.1} s{}.\n",
        elapsed.as_secs_f64(),
        if summary.is_empty() {
            String::new()
        } else {
            format!(" ({summary})")
        }
    ))
}
