//! Logs: with `--log-format json` every line is a JSON object; a request's lines carry its request ID
//! (the client's `X-Request-Id`, echoed back) and operation name; no line has a token or a variable's value.

use std::process::Stdio;
use std::time::{Duration, Instant};

use kartla::entity::enums::AccessRole;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;

/// POSTs `body` to `/graphql` at `address` with extra header lines; the raw response.
async fn post(address: std::net::SocketAddr, body: &Value, headers: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address).await?;
    let body = body.to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_the_request_id_and_no_secrets() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("kartla.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let address: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let mut server = Command::new(env!("CARGO_BIN_EXE_kartla"))
        .args(["--log-format", "json", "serve", "--initial-seed", "none"])
        .args(["--database-url", &url, "--listen", &address.to_string()])
        .env("RUST_LOG", "info,sqlx=warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("kartla starts");
    let mut lines = BufReader::new(server.stderr.take().expect("stderr")).lines();

    // Wait until it answers, then sign in with a token and send a secret in a variable.
    let started = Instant::now();
    while post(address, &json!({ "query": "{ __typename }" }), "").await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "kartla did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let db = kartla::db::connect(&url).await.expect("the database");
    let (_, secret) = kartla::service::token::create(&db, "logger", AccessRole::Reader, None)
        .await
        .expect("a token");
    let body = json!({ "query": "query Lookup($q: String!) { search(query: $q) { totalCount } }",
                       "variables": { "q": "hemlig-fras-4711" } });
    let response = post(
        address,
        &body,
        &format!("Authorization: Bearer {secret}\r\nX-Request-Id: req-42\r\n"),
    )
    .await
    .expect("an answer");
    assert!(
        response.to_ascii_lowercase().contains("x-request-id: req-42"),
        "{response}"
    );
    let response = post(address, &json!({ "query": "{ __typename }" }), "")
        .await
        .expect("an answer");
    assert!(
        response.to_ascii_lowercase().contains("x-request-id: "),
        "a made ID: {response}"
    );

    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let answered = loop {
        let line = tokio::time::timeout_at(deadline.into(), lines.next_line())
            .await
            .expect("the request's line before the deadline")
            .expect("stderr reads")
            .expect("a line");
        let value: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("a JSON line: {line}"));
        seen.push(line);
        if value["span"]["request_id"] == "req-42" && value["fields"]["message"] == "answered" {
            break value;
        }
    };
    assert_eq!(answered["span"]["operation"], "Lookup", "{answered}");
    assert_eq!(answered["fields"]["status"], 200, "{answered}");
    for line in &seen {
        assert!(
            !line.contains(&secret) && !line.contains("hemlig-fras-4711"),
            "a secret in the log: {line}"
        );
    }
}
