//! The GraphiQL explorer works without internet: every asset comes from the binary, under a strict
//! Content-Security-Policy, and a query run from the page in headless Chromium returns data.

use std::path::Path;
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kartla::config::InitialSeed;
use serde_json::Value;

use crate::helpers::{Backend, TestApp, TestDb};

#[tokio::test]
async fn page_and_assets_come_from_the_binary() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let get = |uri: &str| Request::get(uri).body(Body::empty()).expect("a request");

    let response = app.router.clone().oneshot_response(get("/")).await;
    assert_eq!(response.0, StatusCode::OK);
    let csp = response
        .1
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let page = String::from_utf8_lossy(&response.2).into_owned();
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page loads nothing from elsewhere"
    );
    assert!(!page.contains("<script>"), "no inline scripts");
    assert!(
        page.contains("href=\"/overview\""),
        "the explorer links to the overview"
    );

    let assets: Vec<&str> = page.split('"').filter(|part| part.starts_with("/graphiql/")).collect();
    assert_eq!(assets.len(), 6, "{assets:?}");
    for asset in assets {
        let (status, headers, body) = app.router.clone().oneshot_response(get(asset)).await;
        assert_eq!(status, StatusCode::OK, "{asset}");
        let media_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(media_type.starts_with("text/"), "{asset}: {media_type}");
        assert!(!body.is_empty(), "{asset}");
    }
    let (status, _, _) = app
        .router
        .clone()
        .oneshot_response(get("/graphiql/../Cargo.toml"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_run_in_chromium_returns_data() {
    let browser_tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let ready = Path::new("/usr/bin/chromium").exists() && browser_tests.join("node_modules/playwright-core").exists();
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Chromium and tests/browser (see .ci/run)"
        );
        eprintln!("skipped: needs /usr/bin/chromium and `npm ci --prefix tests/browser`");
        return;
    }
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = kartla::Application::build(&test_db.config(InitialSeed::Demo))
        .await
        .expect("the application builds");
    let url = format!("http://{}/", app.address());
    let server = tokio::spawn(app.run_until_stopped());

    let script = browser_tests.join("graphiql.mjs");
    let output = tokio::task::spawn_blocking(move || Command::new("node").arg(script).arg(url).output())
        .await
        .expect("the browser task finished")
        .expect("node runs");
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_str(stdout.trim()).expect("one JSON line from the browser script");
    let response = result["response"].as_str().unwrap_or_default();
    assert!(response.contains(r#""totalCount": 290"#), "{response}");
    // The default query also shows skolDigiplan's initiatives. (Only what is near the top: the response
    // pane renders the lines in view, so text further down may be missing from the page.)
    assert!(response.contains(r#""title": "skolDigiplan""#), "{response}");
    assert_eq!(
        result["errors"],
        serde_json::json!([]),
        "no console errors, CSP violations or failed requests"
    );
}

/// Sends a request through the router and returns status, headers and body bytes.
trait OneshotResponse {
    async fn oneshot_response(self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>);
}

impl OneshotResponse for axum::Router {
    async fn oneshot_response(self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let response = self.oneshot(request).await.expect("the router answers");
        let (parts, body) = response.into_parts();
        (
            parts.status,
            parts.headers,
            body.collect().await.expect("a body").to_bytes().to_vec(),
        )
    }
}

/// GraphiQL's opening query fits its editor pane: each line at most 60 characters (the pane is about 75
/// wide on a 1400-pixel screen), so no comment is cut off.
#[test]
fn the_default_query_fits_the_editor() {
    let script = include_str!("../../assets/graphiql/kartla.js");
    let start = script.find("var example = [").expect("the default query");
    let end = script[start..].find("].join").expect("its end") + start;
    let lines: Vec<&str> = script[start..end]
        .lines()
        .skip(1)
        .filter_map(|line| line.trim().strip_prefix('"')?.rsplit_once('"').map(|(text, _)| text))
        .collect();
    assert!(lines.len() > 10, "{lines:?}");
    for line in lines {
        let shown = line.replace("\\\"", "\"");
        assert!(
            shown.chars().count() <= 60,
            "{} characters: {shown}",
            shown.chars().count()
        );
    }
}
