//! The getting-started examples, one per kind of user, run against the demo data: the queries are read
//! from docs/getting-started, so the documentation and what Kartla answers cannot drift apart.

use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(getting_started_examples_answer_as_documented);

/// The GraphQL block of `docs/getting-started/{name}.md` whose first line is `# Example: {name}`.
pub(crate) fn example(name: &str) -> String {
    let page = match name {
        "ministry" => include_str!("../../docs/getting-started/ministry.md"),
        "agency" => include_str!("../../docs/getting-started/agency.md"),
        "municipality" => include_str!("../../docs/getting-started/municipality.md"),
        "vendor" => include_str!("../../docs/getting-started/vendor.md"),
        _ => panic!("no getting-started page for {name:?}"),
    };
    let marker = format!("```graphql\n# Example: {name}\n");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("docs/getting-started/{name}.md has no example {name:?}"))
        + "```graphql\n".len();
    let length = page[start..].find("```").expect("the example's block ends");
    page[start..start + length].to_owned()
}

async fn run(app: &TestApp, name: &str, variables: Value, language: Option<&str>) -> Value {
    let body = app.graphql_with(&example(name), variables, language).await;
    assert!(body.get("errors").is_none(), "example {name}: {body}");
    body["data"].clone()
}

async fn lookup(app: &TestApp, query: &str, pointer: &str) -> String {
    app.query(query)
        .await
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{pointer} in the answer to {query}"))
        .to_owned()
}

async fn getting_started_examples_answer_as_documented(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;

    // A ministry: every goal of the Swedish strategy is a gap in the demo data.
    let strategy = lookup(
        &app,
        r#"{ strategies(filter: {country: ["SE"]}) { nodes { id } } }"#,
        "/strategies/nodes/0/id",
    )
    .await;
    let data = run(&app, "ministry", json!({ "strategy": strategy }), None).await;
    let areas = data["coverage"]["focusAreas"].as_array().cloned().unwrap_or_default();
    assert_eq!(areas.len(), 3);
    assert_eq!(
        areas[0]["focusArea"]["name"],
        "Digital kompetens för alla i skolväsendet"
    );
    let goals: Vec<&Value> = areas
        .iter()
        .flat_map(|a| a["goals"].as_array().into_iter().flatten())
        .collect();
    assert!(goals.len() >= 9, "{} goals", goals.len());
    assert!(goals.iter().all(|g| g["gap"] == true), "every goal is a gap");
    let counts = goals
        .iter()
        .flat_map(|g| g["initiativesByStatus"].as_array().into_iter().flatten());
    assert!(
        counts.into_iter().all(|c| c["count"] == 0),
        "no initiative serves a goal"
    );

    // An agency: Udir's proposed role on the Norwegian initiative.
    let udir = lookup(
        &app,
        r#"{ organisations(filter: {query: "Udir"}) { nodes { id } } }"#,
        "/organisations/nodes/0/id",
    )
    .await;
    let data = run(&app, "agency", json!({ "agency": udir }), None).await;
    assert_eq!(data["initiatives"]["totalCount"], 1);
    let initiative = &data["initiatives"]["nodes"][0];
    assert_eq!(
        initiative["title"],
        "Felles standarder og delingsløsninger for digitale læremidler"
    );
    assert_eq!(
        initiative["responsibilities"],
        json!([{ "organisation": { "name": "Norwegian Directorate for Education and Training (Udir)" }, "decision": "PROPOSED" }])
    );

    // A municipality, in Norwegian: what it can join in Vestland.
    let county = lookup(
        &app,
        r#"{ organisations(filter: {identifier: "4602"}) { nodes { parent { id } } } }"#,
        "/organisations/nodes/0/parent/id",
    )
    .await;
    let data = run(&app, "municipality", json!({ "county": county }), Some("nb")).await;
    let mut titles: Vec<&str> = data["activities"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Nettverkssamlinger om bestillerkompetanse i Vestland",
            "Pilot: felles pålogging til digitale læremidler"
        ]
    );
    assert_eq!(
        data["activities"]["nodes"][0]["initiative"]["title"],
        "Felles standarder og delingsløsninger for digitale læremidler"
    );

    // A vendor: ongoing work on standards, changed this year.
    let data = run(&app, "vendor", json!({}), None).await;
    let nodes = data["initiatives"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(nodes.len(), 1);
    assert_eq!(
        nodes[0]["title"],
        "Shared standards and sharing solutions for digital learning resources"
    );
    assert_eq!(nodes[0]["country"], "NO");
}
