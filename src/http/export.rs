//! `GET /export/registry.json`: the whole registry as open data, in the format `kartla import` reads.
//! Public data for everyone; contacts' email and phone only for a READER token or better.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::graphql::{Answer, refused};
use crate::service::permission::Viewer;
use crate::service::registry_file::{self, Personal};

/// Answers the export, or why not.
pub async fn registry(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let viewer = match super::auth::viewer(&state.tokens, &headers).await {
        Ok(viewer) => viewer,
        Err(refusal) => {
            if matches!(refusal, super::auth::Refusal::Unavailable) {
                state.outage.report();
            }
            return refused(Answer::Json, refusal);
        }
    };
    // Every role a token can have reads personal data.
    let personal = match viewer {
        Viewer::Signed(_) => Personal::Included,
        Viewer::Anonymous => Personal::Withheld,
    };
    match registry_file::export(&state.db, personal).await {
        Ok(file) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            file.to_string(),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot export the registry");
            let body = json!({ "errors": [{ "message": "The registry cannot be read right now; try again later",
                                             "extensions": { "code": "SERVICE_UNAVAILABLE" } }] });
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response()
        }
    }
}
