//! Persisted documents: Apollo's automatic persisted queries (register once, then send the hash, by POST
//! or GET), and the trusted-documents mode in which only a manifest's documents run, over HTTP and
//! WebSocket alike; and queries over WebSocket stopped by the request timeout.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kartla::config::InitialSeed;
use kartla::http::persisted::TrustedDocuments;
use kartla::service::token::hash as sha256;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestDb};
use crate::ws_client::Socket;

const QUERY: &str = "query Page($first: Int) { organisations(first: $first) { nodes { name } } }";

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &TestApp, body: Value) -> (StatusCode, Value) {
    app.send(
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::from(body.to_string()))
            .expect("a request"),
    )
    .await
}

async fn get(app: &TestApp, params: &[(&str, String)]) -> (StatusCode, Value) {
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    app.send(
        Request::get(format!("/graphql?{query}"))
            .header(header::ACCEPT, "application/graphql-response+json")
            .body(Body::empty())
            .expect("a request"),
    )
    .await
}

/// The next message of operation `id` other than its `complete`.
async fn next_of(socket: &mut Socket, id: &str) -> Value {
    loop {
        let message = socket.receive().await;
        if message["id"] == id && message["type"] != "complete" {
            return message;
        }
    }
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn automatic_persisted_queries_register_once_then_run_by_hash() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::Reference).await;
    let hash = sha256(QUERY);
    let variables = json!({ "first": 2 });

    let (status, body) = post(&app, json!({ "variables": variables, "extensions": persisted(&hash) })).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "PERSISTED_QUERY_NOT_FOUND"),
        "{body}"
    );
    assert_eq!(body["errors"][0]["message"], "PersistedQueryNotFound");

    let (status, registered) = post(
        &app,
        json!({ "query": QUERY, "variables": variables, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{registered}");
    assert_eq!(
        registered["data"]["organisations"]["nodes"].as_array().map(Vec::len),
        Some(2)
    );

    let (status, by_post) = post(
        &app,
        json!({ "query": null, "variables": variables, "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!((status, &by_post), (StatusCode::OK, &registered));
    let (status, by_get) = get(
        &app,
        &[
            ("extensions", persisted(&hash).to_string()),
            ("variables", variables.to_string()),
        ],
    )
    .await;
    assert_eq!(
        (status, &by_get),
        (StatusCode::OK, &registered),
        "a CDN can cache the GET"
    );

    let (status, body) = post(
        &app,
        json!({ "query": "{ __typename }", "extensions": persisted(&hash) }),
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "PERSISTED_QUERY_HASH_MISMATCH")
    );
    let (_, body) = post(
        &app,
        json!({ "extensions": { "persistedQuery": { "version": 3, "sha256Hash": hash } } }),
    )
    .await;
    assert_eq!(code(&body), "PERSISTED_QUERY_INVALID", "{body}");

    // A persisted mutation is still a mutation: GET refuses it.
    let mutation = "mutation { createTheme(input: { code: \"x\", label: [] }) { theme { id } } }";
    let (_, _) = post(
        &app,
        json!({ "query": mutation, "extensions": persisted(&sha256(mutation)) }),
    )
    .await;
    let (status, body) = get(&app, &[("extensions", persisted(&sha256(mutation)).to_string())]).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
}

#[tokio::test]
async fn trusted_documents_mode_runs_only_the_manifest() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::Reference);
    let subscription = "subscription { registryChanged { position } }";
    let manifest = json!({ format!("sha256:{}", sha256(QUERY)): QUERY, sha256(subscription): subscription });
    config.trusted_documents = Some(TrustedDocuments::parse(&manifest.to_string()).expect("a manifest"));
    let app = TestApp::spawn_with(config).await;

    let (status, by_hash) = post(
        &app,
        json!({ "variables": { "first": 1 }, "extensions": persisted(&sha256(QUERY)) }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{by_hash}");
    assert_eq!(
        by_hash["data"]["organisations"]["nodes"].as_array().map(Vec::len),
        Some(1)
    );
    let (status, by_text) = post(&app, json!({ "query": QUERY, "variables": { "first": 1 } })).await;
    assert_eq!((status, &by_text), (StatusCode::OK, &by_hash));

    let other = "{ organisations { totalCount } }";
    let (status, body) = post(&app, json!({ "query": other })).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "UNTRUSTED_DOCUMENT"),
        "{body}"
    );
    let (_, body) = post(&app, json!({ "query": other, "extensions": persisted(&sha256(other)) })).await;
    assert_eq!(code(&body), "UNTRUSTED_DOCUMENT", "registering is off in this mode");
    let (_, body) = post(&app, json!({ "extensions": persisted(&sha256(other)) })).await;
    assert_eq!(code(&body), "PERSISTED_QUERY_NOT_FOUND");

    // WebSocket is no way around it.
    let address = app.serve().await;
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    socket.subscribe("1", other, json!({})).await;
    let answer = next_of(&mut socket, "1").await;
    assert_eq!(
        answer["payload"]["errors"][0]["extensions"]["code"], "UNTRUSTED_DOCUMENT",
        "{answer}"
    );
    socket
        .send(json!({ "type": "subscribe", "id": "2", "payload": { "query": QUERY, "variables": { "first": 1 } } }))
        .await;
    let ran = next_of(&mut socket, "2").await;
    assert_eq!(ran["payload"]["data"], by_hash["data"], "{ran}");
}

#[tokio::test]
async fn queries_over_websocket_stop_at_the_request_timeout() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::Reference);
    config.request_timeout = std::time::Duration::from_nanos(1);
    let app = TestApp::spawn_with(config).await;
    let address = app.serve().await;
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    socket.subscribe("1", crate::limits::SLOW, json!({})).await;
    let answer = next_of(&mut socket, "1").await;
    assert_eq!(
        answer["payload"]["errors"][0]["extensions"]["code"], "TIMEOUT",
        "{answer}"
    );
    // A subscription is not cut off: it lives as long as its socket.
    socket
        .subscribe(
            "2",
            "subscription { registryChanged(after: \"0\") { position } }",
            json!({}),
        )
        .await;
    let event = next_of(&mut socket, "2").await;
    assert_eq!(event["payload"]["data"]["registryChanged"]["position"], "1", "{event}");
}
