//! Swedish and Norwegian compounds are found by their parts, on every database: "kompetens" finds
//! "digitalkompetens", "skole" finds "grunnskolen", and a whole word ranks above a part.

use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::mutations::{as_token, token};
use crate::on_every_backend;

on_every_backend!(compounds_are_found_by_their_parts);

const CREATE: &str = "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
    organisation { id } userErrors { code message } } }";

async fn create(app: &TestApp, admin: &str, country: &str, lang: &str, name: &str) {
    let input = json!({ "input": { "kind": "VENDOR", "country": country, "name": [{ "lang": lang, "text": name }] } });
    let answer = as_token(app, Some(admin), CREATE, input).await;
    assert!(
        answer["data"]["createOrganisation"]["organisation"]["id"].is_string(),
        "{answer}"
    );
}

/// The names `search` finds for `query`, best first, and its total.
async fn search(app: &TestApp, query: &str, lang: &str) -> (Vec<String>, i64) {
    let data = app
        .graphql_with(
            "query S($q: String!) { search(query: $q, first: 20) { totalCount nodes { ... on Organisation { name } } } }",
            json!({ "q": query }),
            Some(lang),
        )
        .await;
    assert!(data.get("errors").is_none(), "{query}: {data}");
    let found = &data["data"]["search"];
    let names = found["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|node| node["name"].as_str().map(str::to_owned))
        .collect();
    (names, found["totalCount"].as_i64().unwrap_or(-1))
}

async fn compounds_are_found_by_their_parts(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    for (country, lang, name) in [
        ("SE", "sv", "Centrum för digitalkompetens"),
        ("SE", "sv", "Kompetens i skolan"),
        ("SE", "sv", "Stadens grundskolor"),
        ("SE", "sv", "Råd om informationssäkerhet och upphandlingskompetens"),
        ("SE", "sv", "Kompetensutvecklingsrådet"),
        ("NO", "nb", "Senter for informasjonssikkerhet"),
        ("NO", "nb", "Sikkerhet i skolen"),
        ("NO", "nb", "Grunnskolen i byen"),
        ("NO", "nb", "Nettverk for skoleeiere"),
        ("NO", "nn", "Kompetanseutviklinga i fylket"),
    ] {
        create(&app, &admin, country, lang, name).await;
    }

    // A part is found, the whole word ranks first, and the count agrees with the list.
    let (names, total) = search(&app, "kompetens", "sv").await;
    assert_eq!(names[0], "Kompetens i skolan", "the whole word first: {names:?}");
    for name in [
        "Centrum för digitalkompetens",
        "Råd om informationssäkerhet och upphandlingskompetens",
        "Kompetensutvecklingsrådet",
    ] {
        assert!(names.contains(&name.to_owned()), "{name} in {names:?}");
    }
    assert_eq!(total, names.len() as i64, "{names:?}");

    // Inflected parts: "skola" finds "grundskolor" and "skolan"; "skole" finds "grunnskolen".
    let (names, _) = search(&app, "skola", "sv").await;
    assert!(names.contains(&"Stadens grundskolor".to_owned()), "{names:?}");
    assert!(names.contains(&"Kompetens i skolan".to_owned()), "{names:?}");
    let (names, _) = search(&app, "skole", "nb").await;
    assert!(names.contains(&"Grunnskolen i byen".to_owned()), "{names:?}");

    // Norwegian: the whole word above the compound; a part in the middle of a word is found as the start
    // of what follows it ("utvikling" in "kompetanseutviklinga", "eier" in "skoleeiere").
    let (names, _) = search(&app, "sikkerhet", "nb").await;
    assert_eq!(
        names,
        ["Sikkerhet i skolen", "Senter for informasjonssikkerhet"],
        "{names:?}"
    );
    let (names, _) = search(&app, "utvikling", "nb").await;
    assert_eq!(names, ["Kompetanseutviklinga i fylket"], "{names:?}");
    let (names, _) = search(&app, "eier", "nb").await;
    assert_eq!(names, ["Nettverk for skoleeiere"], "{names:?}");
    let (names, _) = search(&app, "säkerhet", "sv").await;
    assert_eq!(
        names,
        ["Råd om informationssäkerhet och upphandlingskompetens"],
        "{names:?}"
    );
    // "utveckling" ends no word of these but is the start of a part of one.
    let (names, _) = search(&app, "utveckling", "sv").await;
    assert_eq!(names, ["Kompetensutvecklingsrådet"], "{names:?}");

    // A list's filter finds parts too (and "grundskolor", whose Swedish stem "skol" is that of "skole").
    let data: Value = app
        .query(r#"{ organisations(filter: {query: "skole"}) { totalCount nodes { name } } }"#)
        .await;
    assert_eq!(data["organisations"]["totalCount"], 4, "{data}");
}
