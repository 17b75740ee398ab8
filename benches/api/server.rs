//! The Kartla under test: a database made for the run, the synthetic data loaded by `kartla seed
//! synthetic`, an admin token, and `kartla serve` as a child process whose memory is read from /proc.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::process::{Child, Command};

use crate::client::Client;

const KARTLA: &str = env!("CARGO_BIN_EXE_kartla");

/// A database for one run, dropped (or deleted) at the end.
pub struct Database {
    /// Its URL.
    pub url: String,
    server_url: Option<String>,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

impl Database {
    /// A fresh database on `backend`: a SQLite file in a temporary directory, or a new PostgreSQL
    /// database on the server at `postgres_url`.
    pub async fn create(backend: &str, postgres_url: &str) -> anyhow::Result<Database> {
        let name = format!("kartla_bench_{}", std::process::id());
        match backend {
            "sqlite" => {
                let dir = tempfile::tempdir()?;
                let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
                Ok(Database {
                    url,
                    server_url: None,
                    name,
                    _dir: Some(dir),
                })
            }
            "postgres" => {
                let server = kartla::db::connect(postgres_url).await?;
                use sea_orm::ConnectionTrait;
                server
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                    .await?;
                server.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
                server.close().await?;
                let base = postgres_url.rsplit_once('/').map_or(postgres_url, |(base, _)| base);
                Ok(Database {
                    url: format!("{base}/{name}"),
                    server_url: Some(postgres_url.to_owned()),
                    name,
                    _dir: None,
                })
            }
            other => bail!("unknown backend {other:?}: sqlite or postgres"),
        }
    }

    /// The PostgreSQL database's name (none for SQLite), whose backends' CPU is measured.
    pub fn postgres_name(&self) -> Option<&str> {
        self.server_url.as_ref().map(|_| self.name.as_str())
    }

    /// Drops a PostgreSQL database (a SQLite directory goes with `self`).
    pub async fn drop_database(self) -> anyhow::Result<()> {
        if let Some(server_url) = &self.server_url {
            use sea_orm::ConnectionTrait;
            let server = kartla::db::connect(server_url).await?;
            server
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
                .await?;
        }
        Ok(())
    }
}

/// Runs `kartla` with `args` to the end; its standard output, or an error with its standard error.
pub async fn kartla(args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new(KARTLA)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .await
        .with_context(|| format!("cannot run {KARTLA}"))?;
    if !output.status.success() {
        bail!(
            "kartla {} failed: {}",
            args.first().unwrap_or(&""),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// A running `kartla serve`.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// From spawning the process to its first ready answer.
    pub start: Duration,
}

impl Server {
    /// Starts `kartla serve` on `url` without rate limits, and waits (up to 60 s) until `/readyz` answers.
    pub async fn start(url: &str) -> anyhow::Result<Server> {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            listener.local_addr()?.port()
        };
        let listen = format!("127.0.0.1:{port}");
        let started = Instant::now();
        let child = Command::new(KARTLA)
            .args([
                "serve",
                "--database-url",
                url,
                "--listen",
                &listen,
                "--initial-seed",
                "none",
            ])
            .args(["--rate-limit-anonymous", "0", "--rate-limit-token", "0"])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start kartla serve")?;
        let base = format!("http://{listen}");
        let client = Client::new(&base);
        let deadline = started + Duration::from_secs(60);
        loop {
            if client.get_status("/readyz").await == Some(200) {
                break;
            }
            if Instant::now() > deadline {
                bail!("kartla serve did not become ready within 60 s");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(Server {
            child,
            base,
            start: started.elapsed(),
        })
    }

    /// The server's process ID, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// The server's peak resident memory (VmHWM), in MiB.
    pub fn peak_memory_mib(&self) -> Option<f64> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    /// Stops the server.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
