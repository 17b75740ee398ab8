//! The HTTP surface: `/graphql` runs GraphQL (POST, GET for queries, WebSocket for subscriptions), `GET /`
//! serves the GraphiQL explorer, `/healthz` and `/readyz` tell operators how the instance is.

mod auth;
mod export;
mod field_order;
mod graphiql;
mod graphql;
mod health;
mod log;
pub mod metrics;
pub mod rate_limit;
mod subscription;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;

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
    /// How long one GraphQL request over HTTP may run.
    pub request_timeout: std::time::Duration,
}

/// The application's routes, sharing one state; GraphQL and the export count against the rate limits.
pub fn router(state: AppState, limits: &rate_limit::RateLimits) -> Router {
    let limited = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/export/registry.json", get(export::registry))
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
    log::wrap(routes).with_state(state)
}

async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        "Not found: Kartla answers GraphQL at POST /graphql and serves GraphiQL at /\n",
    )
}
