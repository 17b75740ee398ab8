//! The word index finds the same records in the same order on SQLite, PostgreSQL and MariaDB: the same
//! searches and list filters run on the demo data of each database configured, and every answer is compared
//! with SQLite's. Each search also says what it must find, so the test fails on SQLite alone too.

use kartla::config::InitialSeed;
use serde_json::Value;

use crate::helpers::{Backend, TestApp, TestDb};

/// Searches, each with a text that must be in the titles or names of what it finds first.
const SEARCHES: [(&str, &str); 7] = [
    // Diacritics folded: "goteborg" finds Göteborg, "tromso" Tromsø.
    ("goteborg", "Göteborg"),
    ("tromso", "Tromsø"),
    // A Swedish stem: "digitalisering" finds "digitaliseringen".
    ("digitalisering", "igitalisering"),
    // A prefix.
    ("digi", "igital"),
    // Every word must match, in any language and field.
    ("digitala verktyg", "igitala verktyg"),
    ("vestland nettverk", "Vestland"),
    ("SKOLVERKET", "Skolverket"),
];

/// One search as a list of `(typename, id)` and its total, paged by two through the first four hits.
async fn search(app: &TestApp, query: &str) -> Value {
    let mut pages = Vec::new();
    let mut after = Value::Null;
    for _ in 0..2 {
        let data = app
            .graphql_with(
                "query Search($q: String!, $after: String) { search(query: $q, first: 2, after: $after) {
                   totalCount pageInfo { endCursor hasNextPage }
                   nodes { __typename ... on Initiative { id title } ... on Activity { id title }
                     ... on Goal { id title } ... on Consultation { id title } ... on Organisation { id name } } } }",
                serde_json::json!({ "q": query, "after": after }),
                Some("sv"),
            )
            .await;
        let found = &data["data"]["search"];
        assert!(data.get("errors").is_none(), "{query}: {data}");
        after = found["pageInfo"]["endCursor"].clone();
        pages.push(found.clone());
        if found["pageInfo"]["hasNextPage"] != true {
            break;
        }
    }
    Value::Array(pages)
}

/// What every database must answer alike.
async fn answers(app: &TestApp) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for (query, expected) in SEARCHES {
        let found = search(app, query).await;
        let first = &found[0]["nodes"][0];
        let text = first["title"].as_str().or(first["name"].as_str()).unwrap_or_default();
        assert!(
            text.contains(expected),
            "{query:?} finds {expected:?} first, not {first}"
        );
        all.push((format!("search {query:?}"), found));
    }
    for (list, filter) in [
        ("initiatives", "digitala"),
        ("activities", "fortbildning"),
        ("organisations", "kommun"),
        ("consultations", "remiss"),
    ] {
        let field = if list == "organisations" { "name" } else { "title" };
        let data = app
            .query(&format!(
                "{{ {list}(first: 100, filter: {{query: \"{filter}\"}}) {{ totalCount nodes {{ id {field} }} }} }}"
            ))
            .await;
        all.push((format!("{list} with {filter:?}"), data[list].clone()));
    }
    let organisations = &all[all.len() - 2].1;
    assert_eq!(
        organisations["totalCount"], 2,
        "\"kommun\" begins a word of SKR's and of KS's names: {organisations}"
    );
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_find_the_same_on_every_database() {
    let mut seen: Vec<(Backend, Vec<(String, Value)>)> = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::MySql] {
        let Some(db) = TestDb::create(backend).await else {
            continue;
        };
        let app = TestApp::spawn(&db, InitialSeed::Demo).await;
        seen.push((backend, answers(&app).await));
    }
    let (first, expected) = &seen[0];
    for (backend, got) in &seen[1..] {
        for ((what, want), (_, have)) in expected.iter().zip(got) {
            assert_eq!(have, want, "{what}: {backend:?} answers otherwise than {first:?}");
        }
    }
}
