//! The HTTP surface: `POST /graphql` runs GraphQL, `GET /` serves the GraphiQL explorer.

mod graphiql;

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::trace::TraceLayer;

use crate::graphql::KartlaSchema;
use crate::service::language::LanguagePreferences;

/// The application's routes, sharing one schema.
pub fn router(schema: KartlaSchema) -> Router {
    Router::new()
        .route("/", get(graphiql::page))
        .route("/graphql", get(graphiql::page).post(graphql))
        .route("/graphiql/{file}", get(graphiql::asset))
        .fallback(not_found)
        .layer(TraceLayer::new_for_http())
        .with_state(schema)
}

/// Runs one GraphQL request; the reader's `Accept-Language` goes along for multilingual fields.
async fn graphql(State(schema): State<KartlaSchema>, headers: HeaderMap, request: GraphQLRequest) -> GraphQLResponse {
    let mut request = request.into_inner();
    if let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
        request = request.data(LanguagePreferences::from_accept_language(value));
    }
    schema.execute(request).await.into()
}

async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        "Not found: Kartla answers GraphQL at POST /graphql and serves GraphiQL at /\n",
    )
}
