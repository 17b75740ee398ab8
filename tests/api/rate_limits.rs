//! Rate limits: anonymous requests per client address and requests per token, each its own bucket; over
//! the limit a request gets 429 with `Retry-After` and runs nothing.

use std::num::NonZeroU32;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use kartla::http::rate_limit::RateLimits;
use serde_json::json;
use tower::ServiceExt;

use crate::helpers::{Backend, TestApp, TestDb};
use crate::mutations::token;

fn request(token: Option<&str>, forwarded_for: Option<&str>) -> Request<Body> {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request
        .body(Body::from(json!({ "query": "{ viewer { role } }" }).to_string()))
        .expect("a request")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_over_the_limit_get_429_with_retry_after() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::None);
    config.rate_limits = RateLimits {
        anonymous_per_minute: NonZeroU32::new(3),
        token_per_minute: NonZeroU32::new(5),
        failed_sign_ins_per_minute: None,
        client_ip_header: Some("x-forwarded-for".parse().expect("a header name")),
    };
    let app = TestApp::spawn_with(config).await;
    let reader = token(&app, "reader", AccessRole::Reader, None).await;

    // Three anonymous requests from one address pass, the fourth is refused.
    for _ in 0..3 {
        let (status, body) = app.send(request(None, Some("10.0.0.1, 192.0.2.7"))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let response = app
        .router
        .clone()
        .oneshot_status_headers(request(None, Some("10.0.0.1, 192.0.2.7")))
        .await;
    assert_eq!(response.0, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.1[header::RETRY_AFTER]
        .to_str()
        .ok()
        .and_then(|s| s.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=20).contains(&retry), "a third of a minute at most: {retry}");
    let (_, body) = app.send(request(None, Some("192.0.2.7"))).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{body}");

    // Another address (the proxy's last entry counts) and a token have buckets of their own.
    let (status, _) = app.send(request(None, Some("192.0.2.7, 198.51.100.9"))).await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..5 {
        let (status, body) = app.send(request(Some(&reader), None)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["data"]["viewer"]["role"], "READER");
    }
    let (status, _) = app.send(request(Some(&reader), None)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    // An overview page over the limit is told so as a page in the reader's language, with Retry-After.
    let overview = Request::get("/overview")
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_LANGUAGE, "sv")
        .header("x-forwarded-for", "192.0.2.7")
        .body(Body::empty())
        .expect("a request");
    let response = app.router.clone().oneshot(overview).await.expect("the router answers");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let body = response.into_body().collect().await.expect("a body").to_bytes();
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("För många förfrågningar"), "{html}");

    // Health is never limited.
    let health = Request::get("/healthz").body(Body::empty()).expect("a request");
    assert_eq!(app.send(health).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_tokens_count_against_the_address_and_never_lock_out_a_valid_one() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::None);
    config.rate_limits = RateLimits {
        anonymous_per_minute: None,
        token_per_minute: NonZeroU32::new(1_000),
        failed_sign_ins_per_minute: NonZeroU32::new(5),
        client_ip_header: Some("x-forwarded-for".parse().expect("a header name")),
    };
    let app = TestApp::spawn_with(config).await;
    let reader = token(&app, "reader", AccessRole::Reader, None).await;
    // Five random tokens are refused as unknown; the sixth, another random one, gets 429 for the minute.
    for i in 0..5 {
        let (status, body) = app
            .send(request(Some(&format!("kartla_random{i}")), Some("203.0.113.5")))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let (status, body) = app.send(request(Some("kartla_random5"), Some("203.0.113.5"))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{body}");
    // A valid token from the same address is never held up by them, however many more come; the unknown
    // ones stay refused around it.
    for i in 6..70 {
        let (status, body) = app
            .send(request(Some(&format!("kartla_random{i}")), Some("203.0.113.5")))
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        let (status, body) = app.send(request(Some(&reader), Some("203.0.113.5"))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["data"]["viewer"]["role"], "READER", "{body}");
    }
    // A token refused once is refused again with 429, and other addresses are not held up.
    let (status, _) = app.send(request(Some("kartla_random0"), Some("203.0.113.5"))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, body) = app.send(request(Some("kartla_random0"), Some("198.51.100.20"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, body) = app.send(request(Some(&reader), Some("198.51.100.20"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Anonymous requests from the address are not sign-ins and pass.
    let (status, _) = app.send(request(None, Some("203.0.113.5"))).await;
    assert_eq!(status, StatusCode::OK);
}

trait StatusHeaders {
    async fn oneshot_status_headers(self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap);
}

impl StatusHeaders for axum::Router {
    async fn oneshot_status_headers(self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap) {
        let response = self.oneshot(request).await.expect("the router answers");
        (response.status(), response.headers().clone())
    }
}

/// Sends `body` as a POST on the open connection and reads the answer: its status and headers' text.
async fn exchange(stream: &mut tokio::net::TcpStream, body: &str) -> std::io::Result<(u16, String)> {
    use tokio::io::AsyncWriteExt;
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: kartla\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    exchange_reply(stream).await
}

/// Reads one answer from the connection: its status and headers' text.
async fn exchange_reply(stream: &mut tokio::net::TcpStream) -> std::io::Result<(u16, String)> {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::ConnectionAborted.into());
        }
        received.extend_from_slice(&buffer[..n]);
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&received[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    while received.len() < head_end + length {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::ConnectionAborted.into());
        }
        received.extend_from_slice(&buffer[..n]);
    }
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, head))
}

/// A refused request leaves its keep-alive connection usable: its body is read before the 429, so the
/// client's next request on the same connection is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_connection_stays_usable() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::None);
    config.rate_limits.anonymous_per_minute = NonZeroU32::new(2);
    let app = TestApp::spawn_with(config).await;
    let address = app.serve().await;
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("a connection");
    let body = json!({ "query": "{ viewer { role } }", "variables": { "padding": "x".repeat(200_000) } }).to_string();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let (status, head) = exchange(&mut stream, &body)
            .await
            .expect("answered on the same connection");
        assert!(!head.contains("connection: close"), "{head}");
        statuses.push(status);
    }
    assert_eq!(statuses, [200, 200, 429]);
    // The body arrives after the headers, as from a slow client: the refusal waits for it, and the
    // connection carries the next request.
    use tokio::io::AsyncWriteExt;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: kartla\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("the head is sent");
    stream.flush().await.expect("sent");
    tokio::task::yield_now().await;
    let (first, rest) = body.split_at(body.len() / 2);
    stream.write_all(first.as_bytes()).await.expect("half the body is sent");
    stream.flush().await.expect("sent");
    stream.write_all(rest.as_bytes()).await.expect("the rest is sent");
    let (status, _) = exchange_reply(&mut stream).await.expect("the refusal");
    assert_eq!(status, 429);
    let (status, head) = exchange(&mut stream, &body)
        .await
        .expect("the next request on the same connection");
    assert_eq!(status, 429, "{head}");
}
