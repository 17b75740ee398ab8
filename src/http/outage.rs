//! A database outage answered at once. When a request finds the database unreachable, the instance
//! notes it down and probes it in the background every [`PROBE_EVERY`]; until a probe succeeds, GraphQL
//! and the export answer 503 `SERVICE_UNAVAILABLE` with `Retry-After` at once instead of each waiting for
//! the pool's acquire timeout, so clients do not pile up. It comes back by itself, without a restart.
//!
//! The first request to meet a stopped database server is answered at once too. The pool retries a
//! refused connection until its acquire timeout (5 s), taking it for a server that is starting, so a
//! request that has run for [`CHECK_AFTER`] has the instance check the server itself: one TCP connection
//! to PostgreSQL's port (which it closes before the start-up message, so the server only accepts and
//! forgets it), a complete sign-in to MariaDB (whose host cache counts connections left before their
//! sign-in and blocks the host after a hundred). A refused connection makes the database known to be
//! down, and every request then waiting is answered 503 at once: none of them can be holding a
//! transaction the database could still commit, since a server that refuses connections has ended every
//! session. One check runs at a time, at most one per [`CHECK_AFTER`], and only while some request is that
//! slow. SQLite runs in the process and is never checked.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::sync::watch;

/// How often a database known to be down is probed.
pub const PROBE_EVERY: Duration = Duration::from_millis(500);

/// How long one probe may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// How long a request runs before the database server is checked for refusing connections.
pub const CHECK_AFTER: Duration = Duration::from_millis(40);

/// How long a check may take to connect: a server that does not answer in that time is not refusing.
const CHECK_TIMEOUT: Duration = Duration::from_millis(500);

/// Whether the database is known to be down. Cheap to clone.
#[derive(Clone)]
pub struct Outage(Arc<Inner>);

struct Inner {
    down: watch::Sender<bool>,
    db: DatabaseConnection,
    server: Option<Server>,
    /// A check is running, or ran less than [`CHECK_AFTER`] ago.
    checking: AtomicBool,
}

/// The database server a check connects to.
enum Server {
    /// PostgreSQL's host and port: a bare TCP connection.
    Postgres(String, u16),
    /// MariaDB's URL: a connection that signs in.
    MySql(String),
}

impl Server {
    fn of(url: &str) -> Option<Server> {
        let parsed = url::Url::parse(url).ok()?;
        match parsed.scheme() {
            "postgres" | "postgresql" => {
                let host = parsed.host_str().filter(|h| !h.is_empty())?;
                let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
                Some(Server::Postgres(host, parsed.port().unwrap_or(5432)))
            }
            "mysql" | "mariadb" => Some(Server::MySql(url.replacen("mariadb://", "mysql://", 1))),
            _ => None,
        }
    }

    /// Whether the server refuses connections now.
    async fn refuses(&self) -> bool {
        let refused = |error: &std::io::Error| error.kind() == std::io::ErrorKind::ConnectionRefused;
        let attempt = async {
            match self {
                Server::Postgres(host, port) => match tokio::net::TcpStream::connect((host.as_str(), *port)).await {
                    Ok(_) => false,
                    Err(error) => refused(&error),
                },
                Server::MySql(url) => match crate::db::probe(url).await {
                    Err(sea_orm::sqlx::Error::Io(error)) => refused(&error),
                    _ => false,
                },
            }
        };
        tokio::time::timeout(CHECK_TIMEOUT, attempt).await.unwrap_or(false)
    }
}

impl Outage {
    /// Watches `db` (at `url`), up until a request reports otherwise.
    pub fn new(db: DatabaseConnection, url: &str) -> Self {
        Outage(Arc::new(Inner {
            down: watch::Sender::new(false),
            db,
            server: Server::of(url),
            checking: AtomicBool::new(false),
        }))
    }

    /// Whether the database is known to be down now.
    pub fn is_down(&self) -> bool {
        *self.0.down.borrow()
    }

    /// Resolves when the database is known to be down, checking the server from [`CHECK_AFTER`] on;
    /// never, while it is up.
    async fn gone_down(&self) {
        let mut down = self.0.down.subscribe();
        let Some(server) = &self.0.server else {
            return std::future::pending().await;
        };
        let checks = async {
            loop {
                tokio::time::sleep(CHECK_AFTER).await;
                if self.0.checking.swap(true, Ordering::AcqRel) {
                    continue; // another request's check
                }
                let refused = server.refuses().await;
                if refused {
                    self.report();
                }
                // The next check waits its turn, so checks stay one per CHECK_AFTER.
                let inner = self.0.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(CHECK_AFTER).await;
                    inner.checking.store(false, Ordering::Release);
                });
                if refused {
                    return;
                }
            }
        };
        tokio::select! {
            _ = down.wait_for(|down| *down) => {}
            () = checks => {}
        }
    }

    /// A request found the database unreachable: it is down until a probe reaches it.
    pub fn report(&self) {
        if self.0.down.send_replace(true) {
            return; // already probing
        }
        tracing::warn!("the database cannot be reached; answering at once until it can");
        let inner = self.0.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(PROBE_EVERY).await;
                let probe = tokio::time::timeout(PROBE_TIMEOUT, inner.db.execute_unprepared("SELECT 1")).await;
                if matches!(probe, Ok(Ok(_))) {
                    inner.down.send_replace(false);
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

/// The 503 answer while the database is down.
fn unavailable() -> Response {
    let seconds = PROBE_EVERY.as_secs().max(1);
    let message = "the database cannot be reached now; nothing was changed, please try again shortly";
    super::retry_later(StatusCode::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", message, seconds)
}

/// The middleware: while the database is known to be down, answer 503 without running the request; a
/// request under way when it becomes known is answered 503 then, rather than after the pool's timeout.
pub async fn refuse_while_down(State(outage): State<Outage>, request: Request, next: Next) -> Response {
    if needs_no_database(&request) {
        return next.run(request).await;
    }
    if outage.is_down() {
        return super::refuse(request, unavailable()).await;
    }
    // An overview page is refused as a page: keep what its refusal needs (no body) before the request
    // goes on.
    let page = request.uri().path().starts_with("/overview").then(|| {
        let mut bare = Request::new(axum::body::Body::empty());
        *bare.uri_mut() = request.uri().clone();
        *bare.headers_mut() = request.headers().clone();
        bare
    });
    tokio::select! {
        response = next.run(request) => response,
        () = outage.gone_down() => {
            let mut response = unavailable();
            if let Some(page) = page {
                response = crate::overview::refusal_page(&page, response);
            }
            // The request's body may be unread: this connection carries nothing more.
            response
                .headers_mut()
                .insert(header::CONNECTION, axum::http::HeaderValue::from_static("close"));
            response
        }
    }
}
