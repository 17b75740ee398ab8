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

on_every_backend!(search_counts_exactly_up_to_its_bound_and_says_when_it_stopped);

/// Index rows of one made-up word for `records` new record IDs, written straight into the word index: the
/// count reads the index alone, so no record behind them is needed for `first: 0`.
async fn index_word(db: &sea_orm::DatabaseConnection, word: &str, records: usize) {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Query};
    let ids: Vec<uuid::Uuid> = (0..records).map(|_| uuid::Uuid::new_v4()).collect();
    for chunk in ids.chunks(500) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("search_term"))
            .columns(["word", "lang", "weight", "kind", "record_id", "stem", "part"].map(Alias::new));
        for id in chunk {
            insert.values_panic([
                word.into(),
                "sv".into(),
                1i16.into(),
                1i16.into(),
                (*id).into(),
                word.into(),
                0i16.into(),
            ]);
        }
        db.execute(&insert).await.expect("index rows");
    }
}

async fn search_counts_exactly_up_to_its_bound_and_says_when_it_stopped(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let db = test_db.connect().await;
    let count = |word: &'static str| {
        let app = &app;
        async move {
            let data = app
                .query(&format!(
                    r#"{{ search(query: "{word}", first: 0) {{ totalCount totalCountIsLowerBound nodes {{ __typename }} }} }}"#
                ))
                .await;
            (
                data["search"]["totalCount"].clone(),
                data["search"]["totalCountIsLowerBound"].clone(),
            )
        }
    };

    index_word(&db, "tiotusen", 10_000).await;
    assert_eq!(
        count("tiotusen").await,
        (Value::from(10_000), Value::from(false)),
        "10,000 matches are the bound itself: counted exactly"
    );

    index_word(&db, "tiotusenett", 10_001).await;
    assert_eq!(
        count("tiotusenett").await,
        (Value::from(10_000), Value::from(true)),
        "one past the bound: the count stops at 10,000 and says so"
    );
    // "tiotusen" is a prefix of "tiotusenett": both words' records, 20,001, counted to the bound.
    assert_eq!(count("tiotusen").await, (Value::from(10_000), Value::from(true)));
}
