//! The answers stay byte for byte what they were: the benchmark's standard page, a page with cursors and
//! translations, and the getting-started examples, on the same synthetic registry, compared with the
//! answers recorded in `tests/api/answers/` (timestamps aside: the demo data takes them from the clock).
//! A change that means to change an answer records it anew with `KARTLA_RECORD_ANSWERS=1 cargo test
//! answers` and shows the difference in its commit.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kartla::config::InitialSeed;
use kartla::service::seed::synthetic::{self, Synthetic};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::examples::example;
use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(answers_are_byte_for_byte_as_recorded);
on_every_backend!(records_answered_from_their_rows_answer_as_async_graphql_does);

/// The benchmark's standard nested page (benches/api/mix.rs), of 50.
const STANDARD_PAGE: &str =
    "query StandardPage { initiatives(first: 50) { totalCount pageInfo { endCursor hasNextPage } nodes {
           id title status goals { code title }  themes { code label }
           responsibilities { role decision organisation { id name } }
           activities(first: 10) { totalCount nodes { id title status participants { totalCount } } } } } }";

/// Edges with cursors, translations, fragments and aliases, in an order of the query's own.
const EDGES_PAGE: &str = "query EdgesPage { second: activities(first: 5, orderBy: {field: TITLE, direction: DESC}) {
           edges { node { ...Parts status } cursor } pageInfo { startCursor endCursor hasPreviousPage hasNextPage } totalCount }
         first: organisations(first: 3, filter: {kinds: [COUNTY]}) { nodes { nameTranslations { text lang } name(lang: \"en\")
           identifiers { value scheme } } } }
         fragment Parts on Activity { titleTranslations { lang text } id initiative { status title } }";

/// The whole body of the answer to `query`, as the server sent it.
async fn answer(app: &TestApp, query: &str, variables: Value, language: Option<&str>) -> String {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(language) = language {
        request = request.header(header::ACCEPT_LANGUAGE, language);
    }
    let body = json!({ "query": query, "variables": variables }).to_string();
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::from(body)).expect("a request"))
        .await
        .expect("the router answers");
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.expect("a body").to_bytes();
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// `answer` with the value of every timestamp field (`createdAt`, `updatedAt`, ...) replaced by `…`: the
/// demo data is stamped when it is loaded, so these are the only bytes that differ between two loads.
fn without_timestamps(answer: &str) -> String {
    let mut out = String::with_capacity(answer.len());
    let mut rest = answer;
    while let Some(at) = rest.find("At\":\"") {
        let value = at + "At\":\"".len();
        out.push_str(&rest[..value]);
        out.push('…');
        rest = &rest[value..];
        rest = &rest[rest.find('"').unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// Compares `got` with the recorded answer `name`, or records it when asked to.
fn compare(name: &str, got: &str) {
    let got = without_timestamps(got);
    let got = got.as_str();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/answers")
        .join(format!("{name}.json"));
    if std::env::var_os("KARTLA_RECORD_ANSWERS").is_some() {
        std::fs::write(&path, got).expect("the answer is recorded");
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no recorded answer {}", path.display()));
    if recorded != got {
        let at = recorded
            .bytes()
            .zip(got.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(recorded.len().min(got.len()));
        let from = at.saturating_sub(120);
        panic!(
            "the answer {name} differs from byte {at}:\nrecorded: …{}\n     got: …{}",
            &recorded[from..(at + 120).min(recorded.len())],
            &got[from..(at + 120).min(got.len())]
        );
    }
}

async fn answers_are_byte_for_byte_as_recorded(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    synthetic::load(&app.db, Synthetic { scale: 0.002, seed: 7 }, &|_| {})
        .await
        .expect("the synthetic registry loads");

    compare("standard-page", &answer(&app, STANDARD_PAGE, json!({}), None).await);
    compare(
        "edges-page",
        &answer(&app, EDGES_PAGE, json!({}), Some("nb, en;q=0.5")).await,
    );

    let id = |data: Value, pointer: &str| data.pointer(pointer).and_then(Value::as_str).map(str::to_owned);
    let strategy = id(
        app.query(r#"{ strategies(filter: {country: ["SE"]}) { nodes { id } } }"#)
            .await,
        "/strategies/nodes/0/id",
    );
    let udir = id(
        app.query(r#"{ organisations(filter: {query: "Udir"}) { nodes { id } } }"#)
            .await,
        "/organisations/nodes/0/id",
    );
    let county = id(
        app.query(r#"{ organisations(filter: {identifier: "4602"}) { nodes { parent { id } } } }"#)
            .await,
        "/organisations/nodes/0/parent/id",
    );
    let examples = [
        ("ministry", json!({ "strategy": strategy }), None),
        ("agency", json!({ "agency": udir }), None),
        ("municipality", json!({ "county": county }), Some("nb")),
        ("vendor", json!({}), None),
    ];
    for (name, variables, language) in examples {
        compare(
            &format!("example-{name}"),
            &answer(&app, &example(name), variables, language).await,
        );
    }
}

/// Every field of an activity and an initiative that `Plain` answers from the row, beside fields it hands
/// to the resolvers, with an alias.
const ROW_FIELDS: &str = "id status plannedStart plannedEnd actualStart actualEnd archivedAt createdAt
    updatedAt version __typename title named: title(lang: \"en\")";

/// The nodes of the hot lists come from their rows (`shared::plain`) when the selection is plain fields,
/// and from async-graphql's own resolution when it has a fragment: both answers are the same.
async fn records_answered_from_their_rows_answer_as_async_graphql_does(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    synthetic::load(&app.db, Synthetic { scale: 0.002, seed: 7 }, &|_| {})
        .await
        .expect("the synthetic registry loads");
    // Each record's selection, with `{` and `}` where it goes in a fragment of its type or in none.
    let selection = |fragments: bool| {
        let open = |on: &str| match fragments {
            true => format!("{{ ... on {on} {{"),
            false => "{".to_owned(),
        };
        let close = if fragments { "} }" } else { "}" };
        let organisation = format!(
            "organisation {} id kind country website name description createdAt version {close}",
            open("Organisation")
        );
        let responsibilities = format!(
            "responsibilities {} id version role decision decidedOn {organisation} {close}",
            open("Responsibility")
        );
        format!(
            "{{ initiatives(first: 30) {{ nodes {} {ROW_FIELDS} number country iatiStatusCode
               goals {} id code position title note createdAt version {close}
               themes {} id code label version {close} {responsibilities}
               activities(first: 5) {{ nodes {} {ROW_FIELDS} position {responsibilities} {close} }} {close} }} }}",
            open("Initiative"),
            open("Goal"),
            open("Theme"),
            open("Activity"),
        )
    };
    let (plain, fragments) = (selection(false), selection(true));
    let (plain, fragments) = (app.query(&plain).await, app.query(&fragments).await);
    let started = plain
        .pointer("/initiatives/nodes")
        .and_then(Value::as_array)
        .map(|nodes| nodes.iter().filter(|node| !node["actualStart"].is_null()).count());
    assert!(started.is_some_and(|n| n > 0), "some initiatives have started: {plain}");
    for list in ["goals", "themes", "responsibilities"] {
        let some = plain
            .pointer("/initiatives/nodes")
            .and_then(Value::as_array)
            .is_some_and(|nodes| {
                nodes
                    .iter()
                    .any(|node| node[list].as_array().is_some_and(|items| !items.is_empty()))
            });
        assert!(some, "some initiatives have {list}: {plain}");
    }
    assert_eq!(plain, fragments);
}
