//! What operators rely on: `/healthz` while the process lives, `/readyz` only while the database answers
//! and its migrations are current, and back to ready without a restart.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kartla::config::InitialSeed;
use migration::{Migrator, MigratorTrait};
use serde_json::json;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(readiness_follows_the_database_and_its_migrations);

async fn get(app: &TestApp, path: &str) -> (StatusCode, serde_json::Value) {
    app.send(Request::get(path).body(Body::empty()).expect("a request"))
        .await
}

async fn readiness_follows_the_database_and_its_migrations(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    assert_eq!(get(&app, "/healthz").await, (StatusCode::OK, json!("ok\n")));
    assert_eq!(
        get(&app, "/readyz").await,
        (StatusCode::OK, json!({ "status": "ready" }))
    );

    // A database behind the code (here: the last migration rolled back) is not ready.
    Migrator::down(&app.db, Some(1)).await.expect("one migration down");
    let (status, body) = get(&app, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "unavailable");
    assert!(
        body["problem"]
            .as_str()
            .is_some_and(|p| p.starts_with("1 migrations are not applied")),
        "{body}"
    );
    assert_eq!(get(&app, "/healthz").await.0, StatusCode::OK, "alive all the same");

    Migrator::up(&app.db, None).await.expect("migrations up");
    assert_eq!(
        get(&app, "/readyz").await,
        (StatusCode::OK, json!({ "status": "ready" }))
    );
}
