//! Errors a client can branch on: every request error (parse, validation, variables, the operation to run)
//! has a stable `extensions.code`, answers 400 in `application/graphql-response+json`, and has no `data`
//! entry at all; a parse error is one sentence with its place in `locations`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestDb};

/// POSTs `body` asking for `application/graphql-response+json`.
async fn post(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json")
        .body(Body::from(body.to_string()))
        .expect("a request");
    app.send(request).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_error_is_coded_and_has_no_data() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let cases = [
        (
            json!({ "query": "{ viewer { nope } }" }),
            "GRAPHQL_VALIDATION_FAILED",
            "Unknown field",
        ),
        (
            json!({ "query": "{ viewer { " }),
            "GRAPHQL_PARSE_FAILED",
            "Syntax error at line 1, column 12",
        ),
        (
            json!({ "query": "query A { viewer { role } } query B { viewer { role } }" }),
            "OPERATION_NAME_REQUIRED",
            "name the one to run",
        ),
        (
            json!({ "query": "query A { viewer { role } }", "operationName": "B" }),
            "OPERATION_NOT_FOUND",
            "no operation named \"B\"",
        ),
        (
            json!({ "query": "query($id: ID!) { node(id: $id) { id } }" }),
            "BAD_USER_INPUT",
            "$id of type ID! is required",
        ),
        (
            json!({ "query": "query($id: ID!) { node(id: $id) { id } }", "variables": { "id": null } }),
            "BAD_USER_INPUT",
            "$id of type ID! is required",
        ),
        (
            json!({ "query": "query($n: Int) { organisations(first: $n) { totalCount } }", "variables": { "n": "ten" } }),
            "BAD_USER_INPUT",
            "Invalid value for argument",
        ),
        (
            json!({ "query": "{ organisations(first: -195366464172858) { totalCount } }" }),
            "GRAPHQL_VALIDATION_FAILED",
            "Int cannot represent -195366464172858",
        ),
        (
            // In a fragment that does not apply to the node asked for, too.
            json!({ "query": "{ node(id: \"x\") { id ... on Initiative { activities(first: 3000000000) { totalCount } } } }" }),
            "GRAPHQL_VALIDATION_FAILED",
            "Int cannot represent 3000000000",
        ),
        (
            json!({ "query": "subscription { registryChanged { position } }" }),
            "BAD_REQUEST",
            "Subscriptions need a WebSocket",
        ),
    ];
    for (body, code, message) in cases {
        let (status, answer) = post(&app, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(answer.get("data").is_none(), "no data entry for {body}: {answer}");
        let error = &answer["errors"][0];
        assert_eq!(error["extensions"]["code"], code, "{body}: {answer}");
        let text = error["message"].as_str().unwrap_or_default();
        assert!(text.contains(message), "{body}: {text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }
    // The parse error's place is in `locations`, not drawn in the message.
    let (_, answer) = post(&app, json!({ "query": "{\n  viewer {\n    role\n" })).await;
    assert_eq!(
        answer["errors"][0]["locations"],
        json!([{ "line": 4, "column": 1 }]),
        "{answer}"
    );

    // A field error is not a request error: 200, a `data` entry, and the error's path.
    let (status, answer) = post(&app, json!({ "query": "{ node(id: \"nonsense\") { id } }" })).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer.get("data").is_some(), "{answer}");
    assert_eq!(answer["errors"][0]["path"], json!(["node"]), "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_ID", "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_with_a_subscription_says_to_use_a_websocket() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let request = Request::get("/graphql?query=subscription%7BregistryChanged%7Bposition%7D%7D")
        .header(header::ACCEPT, "application/graphql-response+json")
        .body(Body::empty())
        .expect("a request");
    let (status, answer) = app.send(request).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{answer}");
    let text = answer["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(text.contains("Subscriptions need a WebSocket"), "{text}");
}
