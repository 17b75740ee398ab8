//! The HTTP surface: `/graphql` runs GraphQL (POST, GET for queries, WebSocket for subscriptions), `GET /`
//! serves the GraphiQL explorer, `/healthz` and `/readyz` tell operators how the instance is.

mod auth;
mod export;
mod graphiql;
mod graphql;
mod health;
mod log;
pub mod metrics;
pub mod oidc;
pub mod outage;
pub mod persisted;
pub mod rate_limit;
mod socket_limits;
mod subscription;

pub use socket_limits::SocketLimits;

use axum::Router;
use axum::http::{HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use auth::Tokens;

use crate::graphql::KartlaSchema;

/// What every handler shares: the schema, and the database each request's DataLoader reads.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema.
    pub schema: KartlaSchema,
    /// The connection pool.
    pub db: sea_orm::DatabaseConnection,
    /// The change feed's head, poked after each mutation so subscribers hear of it at once.
    pub feed: crate::service::change_feed::FeedHead,
    /// How long one GraphQL query or mutation may run, over HTTP or WebSocket.
    pub request_timeout: std::time::Duration,
    /// Whether the database is known to be down (then requests are answered at once).
    pub outage: outage::Outage,
    /// What WebSocket clients may hold open.
    pub socket_limits: SocketLimits,
    /// The WebSocket connections open per client address.
    pub open_sockets: socket_limits::OpenSockets,
    /// The header a proxy puts the client's address in, if one is configured.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Places for GraphQL requests executing at once; a further request waits for one (within its
    /// timeout), so memory under load is bounded by the permits, not by the number of clients.
    pub executions: std::sync::Arc<tokio::sync::Semaphore>,
    /// Places for large requests executing at once, taken besides a place in `executions`.
    pub large_executions: std::sync::Arc<tokio::sync::Semaphore>,
    /// The cost from which a request is large.
    pub large_request_cost: u64,
    /// The API tokens, for signing requests in.
    pub tokens: auth::Tokens,
    /// What one document may ask.
    pub limits: crate::graphql::limits::Limits,
    /// Documents named by hash: automatic persisted queries, or the trusted documents only.
    pub persisted: std::sync::Arc<persisted::PersistedDocuments>,
    /// Turns true when the server is stopping: WebSocket connections close.
    pub stop: tokio::sync::watch::Receiver<bool>,
    /// Held by every clone of the state, so by every open WebSocket connection: the server waits until
    /// all are dropped before the process ends, so each close frame is sent. Nothing is sent on it.
    pub sockets: tokio::sync::mpsc::Sender<()>,
}

/// The application's routes, sharing one state; GraphQL and the export count against the rate limits.
pub fn router(state: AppState, limits: &rate_limit::RateLimits, cors_origins: &[HeaderValue]) -> Router {
    let limited = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .layer(axum::extract::DefaultBodyLimit::max(graphql::MAX_BODY_BYTES))
        .route("/export/registry.json", get(export::registry))
        .merge(crate::overview::routes())
        .route_layer(axum::middleware::from_fn_with_state(
            state.outage.clone(),
            outage::refuse_while_down,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            rate_limit::Limiter::new(limits),
            rate_limit::limit,
        ));
    let routes = Router::new()
        .merge(limited)
        .route("/", get(graphiql::page))
        .route("/graphiql/{file}", get(graphiql::asset))
        .route("/healthz", get(health::live))
        .route("/metrics", get(metrics::scrape))
        .route("/readyz", get(health::ready))
        .fallback(not_found);
    // Answers are compressed (brotli or gzip) when the client accepts it: the standard page is 130 KB of
    // JSON and GraphiQL's script 1 MB, a tenth of that compressed.
    let compression = tower_http::compression::CompressionLayer::new().br(true).gzip(true);
    log::wrap(routes.layer(cors(cors_origins)).layer(compression)).with_state(state)
}

/// Cross-origin requests from the configured origins only (none by default: same-origin pages such as
/// GraphiQL need none). Tokens travel in the Authorization header, never in cookies, so no credentials.
fn cors(origins: &[HeaderValue]) -> CorsLayer {
    use axum::http::{Method, header};
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([header::RETRY_AFTER, header::HeaderName::from_static("x-request-id")])
        .max_age(std::time::Duration::from_secs(3600))
}

/// One coded error in GraphQL's JSON shape, sent as `media_type`: every refusal of the HTTP layer.
pub(crate) fn coded_error(
    status: StatusCode,
    media_type: &'static str,
    code: &str,
    message: &str,
) -> axum::response::Response {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(axum::http::header::CONTENT_TYPE, media_type)],
        body.to_string(),
    )
        .into_response()
}

/// A coded error that says when to try again: `Retry-After` and `extensions.retryAfterSeconds`.
pub(crate) fn retry_later(status: StatusCode, code: &str, message: &str, seconds: u64) -> axum::response::Response {
    let body = serde_json::json!({ "errors": [{ "message": message,
        "extensions": { "code": code, "retryAfterSeconds": seconds } }] });
    let mut response = (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    response
        .headers_mut()
        .insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// Answers `request` with `refusal` without running it (an overview page gets it as HTML), keeping the
/// connection usable: the body is read (up to the size `/graphql` accepts) and dropped, since a
/// connection whose request body was left unread cannot carry the next request. A body past that size
/// gets `Connection: close` instead.
pub(crate) async fn refuse(
    request: axum::extract::Request,
    refusal: axum::response::Response,
) -> axum::response::Response {
    let mut refusal = crate::overview::refusal_page(&request, refusal);
    if axum::body::to_bytes(request.into_body(), graphql::MAX_BODY_BYTES)
        .await
        .is_err()
    {
        refusal
            .headers_mut()
            .insert(axum::http::header::CONNECTION, HeaderValue::from_static("close"));
    }
    refusal
}

async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        "Not found: Kartla answers GraphQL at POST /graphql and serves GraphiQL at /\n",
    )
}
