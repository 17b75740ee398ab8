//! Health for operators and orchestrators: `GET /healthz` says the process lives (it answers whenever the
//! server can answer at all); `GET /readyz` says whether this instance can serve: the database answers
//! within [`READY_TIMEOUT`] and every migration is applied. A load balancer sends traffic only to ready
//! instances; a restart is for instances that stop answering `/healthz`.

use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use migration::{Migrator, MigratorTrait};
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::AppState;

/// How long `/readyz` waits for the database.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /healthz`: 200 while the process serves requests.
pub async fn live() -> Response {
    (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "ok\n").into_response()
}

/// `GET /readyz`: 200 with `{"status": "ready", ...}`, or 503 with what is wrong.
pub async fn ready(State(state): State<AppState>) -> Response {
    let check = async {
        state
            .db
            .execute_unprepared("SELECT 1")
            .await
            .map_err(|e| format!("the database does not answer: {e}"))?;
        let pending = Migrator::get_pending_migrations(&state.db)
            .await
            .map_err(|e| format!("cannot read the applied migrations: {e}"))?;
        match pending.len() {
            0 => Ok(()),
            n => Err(format!(
                "{n} migrations are not applied; restart Kartla or run `kartla migrate up`"
            )),
        }
    };
    let outcome = tokio::time::timeout(READY_TIMEOUT, check)
        .await
        .unwrap_or_else(|_| Err(format!("the database did not answer within {READY_TIMEOUT:?}")));
    let (status, body) = match outcome {
        Ok(()) => (StatusCode::OK, json!({ "status": "ready" })),
        Err(problem) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "problem": problem }),
        ),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}
