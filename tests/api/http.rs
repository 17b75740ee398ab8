//! GraphQL over HTTP: content negotiation, status codes, GET for queries only, and a clear error for every
//! malformed request.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kartla::config::InitialSeed;
use serde_json::Value;

use crate::helpers::{Backend, TestApp, TestDb};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn app() -> (TestDb, TestApp) {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::Reference).await;
    (test_db, app)
}

fn post(content_type: Option<&str>, accept: Option<&str>, body: &str) -> Request<Body> {
    let mut request = Request::post("/graphql");
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request.body(Body::from(body.to_owned())).expect("a request")
}

fn get(query_string: &str, accept: Option<&str>) -> Request<Body> {
    let mut request = Request::get(format!("/graphql?{query_string}"));
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    request.body(Body::empty()).expect("a request")
}

fn message(body: &Value) -> String {
    body["errors"][0]["message"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn malformed_posts_are_client_errors_with_a_reason() {
    let (_db, app) = app().await;
    let cases = [
        (None, "{}", StatusCode::UNSUPPORTED_MEDIA_TYPE, "Missing Content-Type"),
        (
            Some("text/plain"),
            r#"{"query": "{ __typename }"}"#,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "text/plain",
        ),
        (
            Some("application/json"),
            "{not json",
            StatusCode::BAD_REQUEST,
            "not JSON",
        ),
        (
            Some("application/json"),
            "[]",
            StatusCode::BAD_REQUEST,
            "batches are not accepted",
        ),
        (
            Some("application/json"),
            r#"{"variables": {}}"#,
            StatusCode::BAD_REQUEST,
            "no \"query\"",
        ),
        (
            Some("application/json"),
            r#"{"query": 7}"#,
            StatusCode::BAD_REQUEST,
            "no \"query\"",
        ),
        (
            Some("application/json"),
            r#"{"query": "{ __typename }", "variables": 3}"#,
            StatusCode::BAD_REQUEST,
            "Malformed",
        ),
    ];
    for (content_type, body, status, reason) in cases {
        let (got, answer) = app.send(post(content_type, None, body)).await;
        assert_eq!(got, status, "{body}: {answer}");
        assert!(message(&answer).contains(reason), "{body}: {answer}");
    }
}

#[tokio::test]
async fn request_errors_follow_the_negotiated_media_type() {
    let (_db, app) = app().await;
    let bodies = [
        r#"{"query": "{ organisations { "}"#,
        r#"{"query": "{ nothingHere }"}"#,
        r#"{"query": "query($n: Int) { organisations(first: $n) { totalCount } }", "variables": {"n": "many"}}"#,
    ];
    for body in bodies {
        let (status, answer) = app
            .send(post(Some("application/json"), Some(GRAPHQL_RESPONSE), body))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(!message(&answer).is_empty(), "{answer}");
        let (status, answer) = app
            .send(post(Some("application/json"), Some("application/json"), body))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}: {answer}");
        assert!(!message(&answer).is_empty(), "{answer}");
    }
    // A field error is not a request error: the response has data (here null), so it is 200.
    let body = r#"{"query": "{ organisations(first: 500) { totalCount } }"}"#;
    let (status, answer) = app
        .send(post(Some("application/json"), Some(GRAPHQL_RESPONSE), body))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "PAGE_SIZE");
}

#[tokio::test]
async fn content_negotiation_picks_the_media_type() {
    let (_db, app) = app().await;
    let body = r#"{"query": "{ organisations { totalCount } }"}"#;
    let cases = [
        (None, "application/json"),
        (Some("*/*"), "application/json"),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
        (
            Some("application/json;q=0.5, application/graphql-response+json"),
            GRAPHQL_RESPONSE,
        ),
        (
            Some("application/graphql-response+json;q=0.1, application/json"),
            "application/json",
        ),
    ];
    for (accept, expected) in cases {
        let response = tower::ServiceExt::oneshot(app.router.clone(), post(Some("application/json"), accept, body))
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK);
        let media = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        assert!(media.starts_with(expected), "{accept:?}: {media}");
    }
    let (status, _) = app.send(post(Some("application/json"), Some("text/csv"), body)).await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn get_runs_queries_and_refuses_mutations() {
    let (_db, app) = app().await;
    let (status, answer) = app
        .send(get("query=%7B%20organisations%20%7B%20totalCount%20%7D%20%7D", None))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["data"]["organisations"]["totalCount"], 683);

    let variables = "query=query(%24n%3A%20Int)%20%7B%20organisations(first%3A%20%24n)%20%7B%20nodes%20%7B%20id%20%7D%20%7D%20%7D&variables=%7B%22n%22%3A2%7D";
    let (status, answer) = app.send(get(variables, None)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["data"]["organisations"]["nodes"].as_array().map(Vec::len),
        Some(2)
    );

    let response = tower::ServiceExt::oneshot(app.router.clone(), get("query=mutation%20%7B%20x%20%7D", None))
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "POST");

    let (status, answer) = app.send(get("query=%7B__typename%7D&variables=nope", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&answer).contains("variables"), "{answer}");
    let (status, answer) = app.send(get("", Some("application/json"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&answer).contains("query"), "{answer}");

    let (status, page) = app.send(get("", Some("text/html,application/xhtml+xml"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.as_str().unwrap_or_default().contains("/graphiql/kartla.js"),
        "a browser gets GraphiQL"
    );
}

#[tokio::test]
async fn response_fields_follow_the_query_order() {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let test_db = crate::helpers::TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let app = crate::helpers::TestApp::spawn(&test_db, kartla::config::InitialSeed::Demo).await;
    // The slow field first: the answer must still list `z` before `a`, as the query does.
    // Within an object too: `label` waits for a DataLoader, `code` does not, and `...` spreads a fragment.
    let query = r#"{ z: organisations(first: 100) { totalCount nodes { name parent { name } } }
                     a: themes { ...Label code } }
                   fragment Label on Theme { label }"#;
    let request = axum::http::Request::post("/graphql")
        .header("content-type", "application/json")
        .body(Body::from(serde_json::json!({ "query": query }).to_string()))
        .expect("a request");
    let response = app.router.clone().oneshot(request).await.expect("an answer");
    let body = response.into_body().collect().await.expect("a body").to_bytes();
    let text = String::from_utf8_lossy(&body);
    let (z, a) = (text.find("\"z\""), text.find("\"a\""));
    assert!(
        z.is_some() && a.is_some() && z < a,
        "fields out of order: {}",
        &text[..text.len().min(200)]
    );
    let themes = &text[a.unwrap_or_default()..];
    let (label, code) = (themes.find("\"label\""), themes.find("\"code\""));
    assert!(
        label.is_some() && code.is_some() && label < code,
        "nested fields out of order: {themes:.200}"
    );
}
