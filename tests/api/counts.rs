//! `totalCount` is the size of the whole list on every page: the first page (counted by the statement that
//! reads it), a page after a cursor, a page past the end with no rows, and a page from the end, for a root
//! list in ID order and sorted by a timestamp, and for a list inside a record.

use kartla::config::InitialSeed;
use serde_json::Value;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(total_counts_are_the_whole_lists_on_every_page);

/// `totalCount`, the number of nodes and the end cursor of the connection at `pointer` in the answer.
async fn page(app: &TestApp, query: &str, pointer: &str) -> (i64, usize, Option<String>) {
    let data = app.query(query).await;
    let connection = data.pointer(pointer).unwrap_or_else(|| panic!("{pointer} in {data}"));
    (
        connection["totalCount"]
            .as_i64()
            .unwrap_or_else(|| panic!("a count in {connection}")),
        connection["nodes"].as_array().map_or(0, Vec::len),
        connection["pageInfo"]["endCursor"].as_str().map(str::to_owned),
    )
}

async fn total_counts_are_the_whole_lists_on_every_page(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let filter = r#"filter: {country: ["SE"], kinds: [MUNICIPALITY]}"#;
    let root = |window: &str| {
        format!("{{ organisations({window} {filter}) {{ totalCount nodes {{ id }} pageInfo {{ endCursor }} }} }}")
    };
    let (total, nodes, cursor) = page(&app, &root("first: 5"), "/organisations").await;
    assert_eq!((total, nodes), (290, 5), "the first page");
    let after = format!("first: 5, after: \"{}\",", cursor.expect("a cursor"));
    assert_eq!(
        page(&app, &root(&after), "/organisations").await.0,
        290,
        "after a cursor"
    );
    let (total, nodes, _) = page(&app, &root("last: 3"), "/organisations").await;
    assert_eq!((total, nodes), (290, 3), "from the end");
    let (_, _, last) = page(&app, &root("last: 1"), "/organisations").await;
    let past = format!("first: 5, after: \"{}\",", last.expect("a cursor"));
    let (total, nodes, _) = page(&app, &root(&past), "/organisations").await;
    assert_eq!((total, nodes), (290, 0), "past the end: no row carries the count");

    // The same list sorted by a timestamp pages by another key, and counts alike.
    let sorted = |window: &str| {
        format!(
            "{{ organisations({window} orderBy: {{field: CREATED_AT, direction: DESC}}, {filter}) {{ totalCount
                 nodes {{ id }} pageInfo {{ endCursor }} }} }}"
        )
    };
    let (total, nodes, cursor) = page(&app, &sorted("first: 5,"), "/organisations").await;
    assert_eq!((total, nodes), (290, 5), "the first sorted page");
    let after = format!("first: 5, after: \"{}\",", cursor.expect("a cursor"));
    assert_eq!(
        page(&app, &sorted(&after), "/organisations").await.0,
        290,
        "a sorted page after a cursor"
    );
    let (_, _, last) = page(&app, &sorted("last: 1,"), "/organisations").await;
    let past = format!("first: 5, after: \"{}\",", last.expect("a cursor"));
    let (total, nodes, _) = page(&app, &sorted(&past), "/organisations").await;
    assert_eq!((total, nodes), (290, 0), "a sorted page past the end");

    // Vestland's 43 municipalities, as a list inside the county.
    let vestland = app
        .query(r#"{ organisations(filter: {identifier: "46", country: ["NO"]}) { nodes { id } } }"#)
        .await
        .pointer("/organisations/nodes/0/id")
        .and_then(Value::as_str)
        .expect("Vestland")
        .to_owned();
    let nested = |window: &str| {
        format!(
            r#"{{ node(id: "{vestland}") {{ ... on Organisation {{ children({window}) {{ totalCount nodes {{ id }}
                 pageInfo {{ endCursor }} }} }} }} }}"#
        )
    };
    let (total, nodes, cursor) = page(&app, &nested("first: 5"), "/node/children").await;
    assert_eq!((total, nodes), (43, 5), "the first nested page");
    let after = format!("first: 5, after: \"{}\"", cursor.expect("a cursor"));
    let (total, nodes, _) = page(&app, &nested(&after), "/node/children").await;
    assert_eq!((total, nodes), (43, 5), "a nested page after a cursor");
    let (total, nodes, _) = page(&app, &nested("last: 2"), "/node/children").await;
    assert_eq!((total, nodes), (43, 2), "a nested page from the end");
    let (_, _, last) = page(&app, &nested("last: 1"), "/node/children").await;
    let past = format!("first: 5, after: \"{}\"", last.expect("a cursor"));
    let (total, nodes, _) = page(&app, &nested(&past), "/node/children").await;
    assert_eq!((total, nodes), (43, 0), "a nested page past the end");
}
