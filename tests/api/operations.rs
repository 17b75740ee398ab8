//! What operators rely on: `/healthz` while the process lives, `/readyz` only while the database answers
//! and its migrations are current, and back to ready without a restart.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kartla::config::InitialSeed;
use migration::{Migrator, MigratorTrait};
use serde_json::json;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    readiness_follows_the_database_and_its_migrations,
    metrics_count_requests_errors_and_the_pool
);

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

/// The value of the metric line that starts with `series` (name and labels), if there is one.
fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series))
        .and_then(|rest| rest.trim().parse().ok())
}

async fn metrics_count_requests_errors_and_the_pool(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    // An operation name of this test's own, since the recorder is shared by the whole test process.
    let name = format!("Probe{}", uuid::Uuid::new_v4().simple());
    for _ in 0..2 {
        app.graphql_with(&format!("query {name} {{ viewer {{ role }} }}"), json!({}), None)
            .await;
    }
    app.graphql_with(
        &format!("query {name} {{ node(id: \"nonsense\") {{ id }} }}"),
        json!({}),
        None,
    )
    .await;
    let (status, text) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    let text = text.as_str().unwrap_or_default().to_owned();
    let requests = |outcome: &str| {
        metric(
            &text,
            &format!("kartla_graphql_requests_total{{operation=\"{name}\",outcome=\"{outcome}\"}}"),
        )
    };
    assert_eq!(requests("ok"), Some(2.0), "{text}");
    assert_eq!(requests("error"), Some(1.0), "{text}");
    assert!(
        metric(&text, "kartla_graphql_errors_total{code=\"BAD_ID\"}").is_some_and(|n| n >= 1.0),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "kartla_graphql_request_duration_seconds_count{{operation=\"{name}\"}} 3"
        )),
        "{text}"
    );
    assert!(
        metric(&text, "kartla_db_pool_connections{state=\"idle\"}").is_some(),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_on_allowed_origins_only_may_call_the_api() {
    let test_db = TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::None);
    config.cors_origins = vec!["https://dashboard.example.se".parse().expect("a header value")];
    let app = TestApp::spawn_with(config).await;
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/graphql")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,authorization")
            .body(Body::empty())
            .expect("a request")
    };
    use tower::ServiceExt;
    let allowed = app
        .router
        .clone()
        .oneshot(preflight("https://dashboard.example.se"))
        .await
        .expect("an answer");
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://dashboard.example.se"
    );
    let methods = allowed.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(methods.contains("POST"), "{methods}");
    let other = app
        .router
        .clone()
        .oneshot(preflight("https://elsewhere.example"))
        .await
        .expect("an answer");
    assert!(
        other.headers().get("access-control-allow-origin").is_none(),
        "no other origin is allowed"
    );
}
