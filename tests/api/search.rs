//! Search on the demo data: ranked, in every language, paged by keyset, with clear errors.

use std::collections::HashSet;

use kartla::config::InitialSeed;
use serde_json::Value;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(search_ranks_records_of_every_kind);

const FIELDS: &str = "__typename ... on Initiative { id number } ... on Activity { id title(lang: \"nb\") }
    ... on Organisation { id name kind } ... on Goal { id code } ... on Consultation { id }";

async fn search(app: &TestApp, query: &str, paging: &str) -> Value {
    let data = app
        .query(&format!(
            r#"{{ search(query: "{query}"{paging}) {{ totalCount totalCountIsLowerBound pageInfo {{ hasNextPage endCursor }}
                 edges {{ cursor node {{ {FIELDS} }} }} }} }}"#
        ))
        .await;
    data["search"].clone()
}

fn nodes(result: &Value) -> Vec<Value> {
    result["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["node"].clone())
        .collect()
}

async fn search_ranks_records_of_every_kind(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;

    let oslo = nodes(&search(&app, "OSLO", "").await);
    assert!(oslo.len() >= 2, "the municipality and the county: {oslo:?}");
    for node in &oslo[..2] {
        assert_eq!(node["__typename"], "Organisation");
        assert_eq!(node["name"], "Oslo", "exact names rank first");
    }

    let procurement = nodes(&search(&app, "procurement", "").await);
    assert_eq!(procurement[0]["__typename"], "Initiative");
    assert_eq!(procurement[0]["number"], 13);

    // Norwegian words find the Norwegian text; every word must match.
    let pilot = nodes(&search(&app, "felles pålogging", "").await);
    assert_eq!(pilot.len(), 1);
    assert_eq!(pilot[0]["title"], "Pilot: felles pålogging til digitale læremidler");
    assert!(nodes(&search(&app, "pålogging nowhere", "").await).is_empty());

    // Keyset pages: no overlap, no gap.
    let all = search(&app, "skol", ", first: 100").await;
    let total = all["totalCount"].as_i64().expect("a count");
    assert!(total >= 4, "Skolverket, skolDigiplan initiatives...: {total}");
    let mut seen = HashSet::new();
    let mut after = String::new();
    loop {
        let page = search(&app, "skol", &format!(", first: 3{after}")).await;
        for node in nodes(&page) {
            assert!(seen.insert(node["id"].to_string()), "{node} twice");
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        let cursor = page["pageInfo"]["endCursor"].as_str().expect("a cursor");
        after = format!(r#", after: "{cursor}""#);
    }
    assert_eq!(seen.len() as i64, total);
    assert_eq!(
        all["totalCountIsLowerBound"], false,
        "far fewer than 10,000 hits are counted exactly"
    );

    assert_eq!(
        app.error_code(r#"{ search(query: "  ") { totalCount } }"#).await,
        "BAD_USER_INPUT"
    );
    assert_eq!(
        app.error_code(r#"{ search(query: "oslo", after: "bm9wZQ") { totalCount } }"#)
            .await,
        "BAD_CURSOR"
    );
    assert_eq!(
        app.error_code(r#"{ search(query: "oslo", first: 101) { totalCount } }"#)
            .await,
        "PAGE_SIZE"
    );
}
