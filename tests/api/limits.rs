//! Hostile and oversized requests are refused before they run, each with its own code and a message that
//! names the limit, while normal queries (the standard nested page, GraphiQL's introspection) pass and the
//! server keeps answering them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestDb};

/// The first error's code and message for `query`.
async fn refused(app: &TestApp, query: &str) -> (String, String) {
    let body = app.graphql_with(query, json!({}), None).await;
    assert!(body["data"].is_null(), "nothing runs: {body}");
    let error = &body["errors"][0];
    (
        error["extensions"]["code"].as_str().unwrap_or_default().to_owned(),
        error["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A query in the shape of GraphiQL's introspection, with its seven levels of `ofType`.
const INTROSPECTION: &str = "query IntrospectionQuery { __schema { queryType { name } mutationType { name }
  subscriptionType { name } types { ...FullType } directives { name description locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description
  args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue }
  interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_documents_are_refused_and_normal_ones_run() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;

    let aliases: String = (0..31).map(|i| format!("a{i}: role ")).collect();
    let roots: String = (0..21).map(|i| format!("r{i}: viewer {{ role }} ")).collect();
    let deep = format!(
        "{{ organisations(first: 1) {{ nodes {{ {} id {} }} }} }}",
        "parent { ".repeat(16),
        "} ".repeat(16)
    );
    let fan_out = "{ organisations(first: 100) { nodes { children(first: 100) { nodes { children(first: 100) {
        nodes { id } } } } } } }";
    let cycle = "query { organisations { nodes { ...A } } }
        fragment A on Organisation { parent { ...B } } fragment B on Organisation { parent { ...A } }";
    let directives = format!("{{ viewer {} {{ role }} }}", "@include(if: true) ".repeat(6));
    let large = format!("# {}\n{{ __typename }}", "x".repeat(40 * 1024));
    // Two megabytes of fields: refused on its size before it is parsed.
    let huge = format!("{{viewer{{{}}}}}", " name".repeat(396_000));
    let defaults = "query($n: Int = 100) { organisations(first: $n, filter: {kinds: [COUNTY]}) { nodes {
        children(first: $n) { nodes { parent { children(first: $n) { nodes { name } } } } } } } }";
    let cases = [
        (fragment_bomb(28), "QUERY_TOO_COMPLEX", "expands to 268435457 fields"),
        (
            wide_fragment_bomb(8, 10),
            "QUERY_TOO_COMPLEX",
            "expands to 1073741825 fields",
        ),
        (fragment_bomb(30), "QUERY_TOO_DEEP", "nests more than 32 selection sets"),
        (
            format!("{{{}{}", "viewer{".repeat(3_000), "}".repeat(3_001)),
            "QUERY_TOO_DEEP",
            "too deeply to be read",
        ),
        (huge, "DOCUMENT_TOO_LARGE", "at most 32768"),
        (defaults.to_owned(), "QUERY_TOO_COMPLEX", "at most 25000"),
        (
            format!("{{ viewer {{ {aliases} }} }}"),
            "TOO_MANY_ALIASES",
            "more than 30 aliases",
        ),
        (
            format!("{{ {roots} }}"),
            "TOO_MANY_ROOT_FIELDS",
            "21 root fields; at most 20",
        ),
        (deep, "QUERY_TOO_DEEP", "at most 16"),
        (fan_out.to_owned(), "QUERY_TOO_COMPLEX", "at most 25000"),
        (cycle.to_owned(), "FRAGMENT_CYCLE", "spreads itself"),
        (directives, "TOO_MANY_DIRECTIVES", "6 directives; at most 5"),
        (large, "DOCUMENT_TOO_LARGE", "at most 32768"),
    ];
    let normal = "{ organisations(filter: {country: [\"SE\"], kinds: [MUNICIPALITY]}) { totalCount } }";
    // Every hostile document and a normal query at once: the normal one is answered all the same.
    let hostile = futures_util::future::join_all(cases.iter().map(|(query, _, _)| refused(&app, query)));
    let (answers, count) = tokio::join!(hostile, app.query(normal));
    assert_eq!(count["organisations"]["totalCount"], 290);
    for ((code, message), (query, expected_code, expected_message)) in answers.into_iter().zip(&cases) {
        assert_eq!(code, *expected_code, "{message}\n{}", &query[..query.len().min(200)]);
        assert!(message.contains(expected_message), "{message}");
    }

    // The standard nested page of 50, and GraphiQL's introspection, are well within the limits.
    let standard = "{ initiatives(first: 50) { totalCount nodes { title goals { code } themes { code label }
        responsibilities { role decision organisation { name } }
        activities(first: 10) { totalCount nodes { title status participants { totalCount } } } } } }";
    app.query(standard).await;
    let schema = app.query(INTROSPECTION).await;
    assert_eq!(schema["__schema"]["subscriptionType"]["name"], "Subscription");
}

/// `depth` fragments, each spreading the next twice: about 40 bytes each, expanding to 2^depth fields.
fn fragment_bomb(depth: usize) -> String {
    wide_fragment_bomb(2, depth)
}

/// `depth` fragments, each spreading the next `width` times: width^depth fields.
fn wide_fragment_bomb(width: usize, depth: usize) -> String {
    let fragments: String = (0..depth)
        .map(|i| {
            format!(
                "fragment F{i} on Viewer {{ {} }} ",
                format!("...F{} ", i + 1).repeat(width)
            )
        })
        .collect();
    format!("{{ viewer {{ ...F0 }} }} {fragments} fragment F{depth} on Viewer {{ signedIn }}")
}

/// The work of measuring a document grows with the document, not with what its fragments expand to: a
/// bomb is refused in about two visits per fragment, and one of 2^16 fields that the limits let through
/// is measured as cheaply.
#[test]
fn measuring_a_fragment_bomb_visits_each_fragment_once() {
    use async_graphql::parser::types::DocumentOperations;
    use kartla::graphql::limits::{Limits, check};
    let generous = Limits {
        complexity: u64::MAX,
        ..Limits::default()
    };
    for (depth, limits) in [(16, generous), (26, Limits::default())] {
        let document = async_graphql::parser::parse_query(fragment_bomb(depth)).expect("the bomb parses");
        let DocumentOperations::Single(operation) = &document.operations else {
            panic!("one operation")
        };
        let variables = async_graphql::Variables::default();
        let measured = check(&document, &operation.node, &variables, &limits);
        match (depth, measured) {
            (16, Ok(work)) => assert!(work.visits <= 4 * (depth + 2), "{} visits for 2^{depth}", work.visits),
            (26, Err(refused)) => assert!(refused.message.contains("67108865 fields"), "{}", refused.message),
            (_, other) => panic!("2^{depth}: {:?}", other.map_err(|e| e.message)),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_filter_query_is_refused_on_every_list() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let words = "digital ".repeat(6_251);
    for list in ["organisations", "initiatives", "activities", "consultations"] {
        let query = format!("query($q: String) {{ {list}(filter: {{query: $q}}) {{ totalCount }} }}");
        let body = app.graphql_with(&query, json!({ "q": words }), None).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{list}: {body}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("at most 200"), "{list}: {message}");
    }
    let query = "query($q: String) { statistics(filter: {query: $q}) { totalCount } }";
    let body = app.graphql_with(query, json!({ "q": words }), None).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    // 200 characters are still a filter.
    let query = "query($q: String) { initiatives(filter: {query: $q}) { totalCount } }";
    let body = app.graphql_with(query, json!({ "q": "x".repeat(200) }), None).await;
    assert_eq!(body["data"]["initiatives"]["totalCount"], 0, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_and_batches_are_refused() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let post = |body: String| {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("a request")
    };
    let ten_megabytes = json!({ "query": "{ __typename }", "variables": { "x": "y".repeat(10 << 20) } }).to_string();
    let (status, body) = app.send(post(ten_megabytes)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

    let batch = Value::Array(vec![json!({ "query": "{ __typename }" }); 1000]).to_string();
    let (status, body) = app.send(post(batch)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("batches are not accepted"), "{body}");
}

/// A query that reads the database in several rounds: many milliseconds even in a release build.
pub const SLOW: &str = "{ organisations(first: 100) { totalCount nodes { name nameTranslations { text }
    identifiers { value } parent { name identifiers { value } } children(first: 50) { totalCount nodes { name } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_runs_too_long_is_stopped() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::Reference);
    // The timer fires at the runtime's next millisecond tick; the query reads the database in several
    // rounds (pages, texts, identifiers, parents, children) and takes far longer than that.
    config.request_timeout = std::time::Duration::from_nanos(1);
    let app = TestApp::spawn_with(config).await;
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "query": SLOW }).to_string()))
        .expect("a request");
    let (status, body) = app.send(request).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "TIMEOUT", "{body}");
}

/// With one place for large requests, many large requests at once all get their answer, each in turn,
/// and the small ones among them too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_requests_queue_for_their_place_and_all_are_answered() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::Reference);
    config.max_concurrent_large_requests = 1;
    config.large_request_cost = 50;
    let app = TestApp::spawn_with(config).await;
    // 100 organisations with a name each cost 201; the count costs 2.
    let large = "{ organisations(first: 100, filter: {country: [\"SE\"], kinds: [MUNICIPALITY]}) { nodes { name } } }";
    let small = "{ organisations(filter: {country: [\"SE\"], kinds: [MUNICIPALITY]}) { totalCount } }";
    let answers = futures_util::future::join_all((0..12).map(|i| {
        let query = if i % 3 == 0 { small } else { large };
        app.graphql_with(query, json!({}), None)
    }))
    .await;
    for (i, answer) in answers.iter().enumerate() {
        if i % 3 == 0 {
            assert_eq!(answer["data"]["organisations"]["totalCount"], 290, "{answer}");
        } else {
            let nodes = answer["data"]["organisations"]["nodes"].as_array().map(Vec::len);
            assert_eq!(nodes, Some(100), "{answer}");
        }
    }
}

/// With one place for executions, many requests at once all get their answer: each waits its turn and
/// gives its place back, also when it fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_queue_for_a_place_and_all_are_answered() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::Reference);
    config.max_concurrent_requests = 1;
    let app = TestApp::spawn_with(config).await;
    let count = "{ organisations(filter: {country: [\"SE\"], kinds: [MUNICIPALITY]}) { totalCount } }";
    let failing = "{ node(id: \"nonsense\") { id } }";
    let answers = futures_util::future::join_all((0..12).map(|i| {
        let query = if i % 3 == 0 { failing } else { count };
        app.graphql_with(query, json!({}), None)
    }))
    .await;
    for (i, answer) in answers.iter().enumerate() {
        if i % 3 == 0 {
            assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_ID", "{answer}");
        } else {
            assert_eq!(answer["data"]["organisations"]["totalCount"], 290, "{answer}");
        }
    }
}
