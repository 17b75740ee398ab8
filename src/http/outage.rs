//! A database outage answered at once. When a request finds the database unreachable, the instance
//! notes it down and probes it in the background every [`PROBE_EVERY`]; until a probe succeeds, GraphQL
//! and the export answer 503 `SERVICE_UNAVAILABLE` with `Retry-After` at once instead of each waiting for
//! the pool's acquire timeout, so clients do not pile up. It comes back by itself, without a restart.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// How often a database known to be down is probed.
pub const PROBE_EVERY: Duration = Duration::from_millis(500);

/// How long one probe may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// Whether the database is known to be down. Cheap to clone.
#[derive(Clone)]
pub struct Outage(Arc<Inner>);

struct Inner {
    down: AtomicBool,
    db: DatabaseConnection,
}

impl Outage {
    /// Watches `db`, up until a request reports otherwise.
    pub fn new(db: DatabaseConnection) -> Self {
        Outage(Arc::new(Inner {
            down: AtomicBool::new(false),
            db,
        }))
    }

    /// Whether the database is known to be down now.
    pub fn is_down(&self) -> bool {
        self.0.down.load(Ordering::Acquire)
    }

    /// A request found the database unreachable: it is down until a probe reaches it.
    pub fn report(&self) {
        if self.0.down.swap(true, Ordering::AcqRel) {
            return; // already probing
        }
        tracing::warn!("the database cannot be reached; answering at once until it can");
        let inner = self.0.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(PROBE_EVERY).await;
                let probe = tokio::time::timeout(PROBE_TIMEOUT, inner.db.execute_unprepared("SELECT 1")).await;
                if matches!(probe, Ok(Ok(_))) {
                    inner.down.store(false, Ordering::Release);
                    tracing::info!("the database answers again");
                    return;
                }
            }
        });
    }
}

/// Whether `request` asks for something that needs no database: GraphiQL's page (a browser's GET of
/// `/graphql`) or the overview's stylesheet and script (which the overview's 503 page uses).
fn needs_no_database(request: &Request) -> bool {
    let path = request.uri().path();
    if path.starts_with("/overview/assets/") {
        return true;
    }
    path == "/graphql"
        && request.method() == axum::http::Method::GET
        && request.uri().query().is_none()
        && !request.headers().contains_key(header::UPGRADE)
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

/// The middleware: while the database is known to be down, answer 503 without running the request.
pub async fn refuse_while_down(State(outage): State<Outage>, request: Request, next: Next) -> Response {
    if !outage.is_down() || needs_no_database(&request) {
        return next.run(request).await;
    }
    let seconds = PROBE_EVERY.as_secs().max(1);
    let message = "the database cannot be reached now; nothing was changed, please try again shortly";
    let response = super::retry_later(StatusCode::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", message, seconds);
    super::refuse(request, response).await
}
