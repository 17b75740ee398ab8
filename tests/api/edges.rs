//! The edges of the HTTP surface: a body over the limit is refused in GraphQL's shape and says the
//! connection closes; a client's request ID is echoed only when it is short and plain; every answer, the
//! refusals before GraphQL included, is counted in `/metrics`.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use kartla::config::InitialSeed;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::{Backend, TestApp, TestDb};

async fn send(app: &TestApp, request: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let response = app.router.clone().oneshot(request).await.expect("the router answers");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.expect("a body").to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    (status, headers, body)
}

fn post(body: String, request_id: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json");
    if let Some(id) = request_id {
        request = request.header("x-request-id", id);
    }
    request.body(Body::from(body)).expect("a request")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_is_a_coded_error_that_closes_the_connection() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let body = json!({ "query": "{ __typename }", "variables": { "x": "y".repeat(3 << 20) } }).to_string();
    let (status, headers, answer) = send(&app, post(body, None)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert_eq!(
        headers[header::CONNECTION],
        "close",
        "the client learns that the connection ends"
    );
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/graphql-response+json")),
        "{headers:?}"
    );
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE",
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_short_plain_request_id_is_kept() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let query = json!({ "query": "{ __typename }" }).to_string();
    let (_, headers, _) = send(&app, post(query.clone(), Some("client-42.retry_1"))).await;
    assert_eq!(headers["x-request-id"], "client-42.retry_1");
    let forged = "x method=DELETE path=/admin}: answered status=200 FORGED";
    let long = "a".repeat(9_000);
    for id in [forged, long.as_str(), ""] {
        let (_, headers, _) = send(&app, post(query.clone(), Some(id))).await;
        let echoed = headers["x-request-id"].to_str().expect("ASCII");
        assert!(
            uuid::Uuid::parse_str(echoed).is_ok(),
            "a new ID instead of {id:?}: {echoed}"
        );
    }
}

/// The value of the sample `name{labels}` in `/metrics`, 0 when it is not there yet.
async fn sample(app: &TestApp, name_and_labels: &str) -> f64 {
    let request = Request::get("/metrics").body(Body::empty()).expect("a request");
    let (_, _, text) = send(app, request).await;
    let text = text.as_str().unwrap_or_default().to_owned();
    text.lines()
        .find_map(|line| line.strip_prefix(name_and_labels)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_the_answers_refused_before_graphql() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let unsupported = r#"kartla_http_responses_total{status="415"}"#;
    let too_large = r#"kartla_http_responses_total{status="413"}"#;
    let (before_415, before_413) = (sample(&app, unsupported).await, sample(&app, too_large).await);
    let plain = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{ __typename }"))
        .expect("a request");
    assert_eq!(send(&app, plain).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = json!({ "query": "{ __typename }", "variables": { "x": "y".repeat(3 << 20) } }).to_string();
    assert_eq!(send(&app, post(big, None)).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    // Other tests in this process may count too: at least ours are there.
    assert!(sample(&app, unsupported).await > before_415);
    assert!(sample(&app, too_large).await > before_413);
}

/// Answers are compressed when the client accepts it, GraphiQL's script too, and read back the same.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_are_compressed_when_the_client_accepts_it() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::Reference).await;
    let query = json!({ "query": "{ organisations(first: 100) { nodes { id name } } }" }).to_string();
    let plain = send(&app, post(query.clone(), None)).await;
    assert!(plain.1.get(header::CONTENT_ENCODING).is_none());
    for (encoding, decode) in [("gzip", gunzip as fn(&[u8]) -> Vec<u8>), ("br", unbrotli)] {
        let mut request = post(query.clone(), None);
        request
            .headers_mut()
            .insert(header::ACCEPT_ENCODING, encoding.parse().expect("a header value"));
        let response = app.router.clone().oneshot(request).await.expect("the router answers");
        assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding);
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        let answer: Value = serde_json::from_slice(&decode(&bytes)).expect("JSON once decoded");
        assert_eq!(answer, plain.2, "{encoding}");
        assert!(
            bytes.len() * 2 < plain.2.to_string().len(),
            "{encoding}: {} bytes",
            bytes.len()
        );
    }
    let script = Request::get("/graphiql/graphiql.min.js")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(Body::empty())
        .expect("a request");
    let response = app.router.clone().oneshot(script).await.expect("the router answers");
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip");
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut std::io::Cursor::new(bytes), &mut out).expect("brotli");
    out
}
