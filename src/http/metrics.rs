//! `GET /metrics` in the Prometheus text format, through the `metrics` facade and its Prometheus exporter:
//! every HTTP answer by status, GraphQL requests by operation name and outcome, their latency, errors by code, rate-limited requests,
//! live subscribers, the database pool's connections, and SQL statements.
//!
//! Operation names come from clients, so at most [`MAX_OPERATION_NAMES`] distinct ones become labels; the
//! rest count as `other`.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;

use super::AppState;

/// Distinct operation names kept as labels.
pub const MAX_OPERATION_NAMES: usize = 200;

/// Latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process's recorder: installed once, shared by every application in the process.
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .map_err(|error| tracing::warn!(%error, "metrics buckets"))
                .ok()?;
            builder
                .install_recorder()
                .map_err(|error| tracing::warn!(%error, "cannot install the metrics recorder"))
                .ok()
        })
        .as_ref()
}

/// Installs the recorder (at startup, so counts start with the first request).
pub fn install() {
    let _ = handle();
}

/// The label for a client's operation name.
fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name.filter(|n| !n.is_empty() && n.len() <= 64) else {
        return if name.is_some() {
            "other".into()
        } else {
            "anonymous".into()
        };
    };
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if seen.contains(name) {
        return name.to_owned();
    }
    if seen.len() < MAX_OPERATION_NAMES {
        seen.insert(name.to_owned());
        return name.to_owned();
    }
    "other".into()
}

/// Counts one GraphQL request: its outcome (`ok`, `error`, `refused` before running, `timeout`), its
/// latency, and each error's code.
pub fn request(operation: Option<&str>, outcome: &'static str, elapsed: Duration, codes: &[&str]) {
    let operation = operation_label(operation);
    metrics::counter!("kartla_graphql_requests_total", "operation" => operation.clone(), "outcome" => outcome)
        .increment(1);
    metrics::histogram!("kartla_graphql_request_duration_seconds", "operation" => operation)
        .record(elapsed.as_secs_f64());
    for code in codes {
        metrics::counter!("kartla_graphql_errors_total", "code" => (*code).to_owned()).increment(1);
    }
}

/// Counts every SQL statement `db` runs as `kartla_db_statements_total` (by kind: `select`, `insert`,
/// `update`, `delete`, `other`), and those that fail as well, so an operator (and the benchmark) can
/// see the statements per request.
pub fn count_statements(db: &mut DatabaseConnection) {
    db.set_metric_callback(|info| {
        let sql = info.statement.sql.trim_start();
        let kind = ["select", "insert", "update", "delete"]
            .into_iter()
            .find(|kind| {
                sql.get(..kind.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(kind))
            })
            .unwrap_or("other");
        let outcome = if info.failed { "error" } else { "ok" };
        metrics::counter!("kartla_db_statements_total", "kind" => kind, "outcome" => outcome).increment(1);
    });
}

/// Counts every HTTP answer by status, those refused before GraphQL ran (400, 413, 415, 429) included.
pub fn answer(status: StatusCode) {
    metrics::counter!("kartla_http_responses_total", "status" => status.as_str().to_owned()).increment(1);
}

/// Counts a request refused by a rate limit.
pub fn rate_limited(kind: &'static str) {
    metrics::counter!("kartla_rate_limited_total", "kind" => kind).increment(1);
}

/// Sets the pool gauges from the pool as it is now.
fn pool(db: &DatabaseConnection) {
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        sea_orm::DbBackend::MySql => {
            let pool = db.get_mysql_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    metrics::gauge!("kartla_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("kartla_db_pool_connections", "state" => "in_use").set(f64::from(size.saturating_sub(idle)));
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>) -> Response {
    pool(&state.db);
    match handle() {
        Some(handle) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            handle.render(),
        )
            .into_response(),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics are not available in this process\n",
        )
            .into_response(),
    }
}
