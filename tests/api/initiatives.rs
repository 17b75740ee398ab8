//! Initiatives, action plans and themes on the demo data: filters, relations and IDs.

use kartla::config::InitialSeed;
use serde_json::Value;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    initiative_filters_select_the_right_set,
    initiatives_show_their_relations
);

async fn count(app: &TestApp, filter: &str) -> i64 {
    let data = app
        .query(&format!(
            "{{ initiatives(filter: {filter}) {{ totalCount nodes {{ id }} }} }}"
        ))
        .await;
    let total = data["initiatives"]["totalCount"].as_i64().expect("a count");
    assert_eq!(
        data["initiatives"]["nodes"].as_array().map(|n| n.len() as i64),
        Some(total)
    );
    total
}

async fn id_of(app: &TestApp, query: &str, pointer: &str) -> String {
    app.query(query)
        .await
        .pointer(pointer)
        .and_then(Value::as_str)
        .expect("an id")
        .to_owned()
}

async fn initiative_filters_select_the_right_set(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let skr = id_of(
        &app,
        r#"{ organisations(filter: {query: "Sveriges Kommuner"}) { nodes { id } } }"#,
        "/organisations/nodes/0/id",
    )
    .await;
    let se_strategy = id_of(
        &app,
        r#"{ strategies(filter: {country: ["SE"]}) { nodes { id } } }"#,
        "/strategies/nodes/0/id",
    )
    .await;
    let plan = id_of(
        &app,
        r#"{ actionPlans(filter: {country: ["SE"]}) { nodes { id } } }"#,
        "/actionPlans/nodes/0/id",
    )
    .await;

    assert_eq!(count(&app, "{}").await, 5);
    assert_eq!(count(&app, r#"{country: ["NO"]}"#).await, 1);
    assert_eq!(count(&app, "{status: [COMPLETED]}").await, 3);
    assert_eq!(count(&app, "{status: [DECIDED, ONGOING]}").await, 2);
    assert_eq!(count(&app, r#"{themes: ["procurement-competence"]}"#).await, 2);
    assert_eq!(
        count(
            &app,
            r#"{themes: ["procurement-competence", "competence-development"]}"#
        )
        .await,
        3
    );
    assert_eq!(
        count(&app, &format!(r#"{{organisation: "{skr}", roles: [IMPLEMENTER]}}"#)).await,
        3
    );
    assert_eq!(
        count(&app, &format!(r#"{{organisation: "{skr}", roles: [RESPONSIBLE]}}"#)).await,
        0
    );
    assert_eq!(count(&app, "{roles: [PROPOSED_RESPONSIBLE]}").await, 1);
    assert_eq!(count(&app, &format!(r#"{{strategy: "{se_strategy}"}}"#)).await, 4);
    assert_eq!(
        count(&app, &format!(r#"{{actionPlan: "{plan}", status: [DECIDED]}}"#)).await,
        1
    );
    assert_eq!(count(&app, r#"{query: "PROCUREMENT"}"#).await, 1);
    assert_eq!(
        count(&app, r#"{activeFrom: "2030-01-01"}"#).await,
        5,
        "no end date counts as running"
    );
    assert_eq!(count(&app, r#"{updatedSince: "2999-01-01T00:00:00Z"}"#).await, 0);
    assert_eq!(count(&app, "{schoolLevels: [ADULT]}").await, 0);
    let wrong_type = format!(r#"{{ initiatives(filter: {{strategy: "{plan}"}}) {{ totalCount }} }}"#);
    assert_eq!(app.error_code(&wrong_type).await, "BAD_ID");
}

async fn initiatives_show_their_relations(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let data = app
        .query(
            r#"{ initiatives(filter: {status: [DECIDED]}) { nodes {
                 id number status iatiStatusCode title
                 actionPlan { title publishedOn owners { name(lang: "sv") } strategy { adoptedOn } }
                 responsibilities { role decision organisation { name(lang: "sv") } }
                 statusUpdates { status decision actor { name(lang: "sv") } }
                 themes { code } goals { code } schoolLevels } } }"#,
        )
        .await;
    let one = &data["initiatives"]["nodes"][0];
    assert_eq!(one["number"], 1);
    assert_eq!(one["iatiStatusCode"], 1);
    assert!(
        one["title"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Skolverket given main responsibility")
    );
    assert_eq!(one["actionPlan"]["title"], "skolDigiplan");
    assert_eq!(one["actionPlan"]["publishedOn"], "2019-03-18");
    assert_eq!(one["actionPlan"]["strategy"]["adoptedOn"], "2017-10-19");
    assert_eq!(one["actionPlan"]["owners"].as_array().map(Vec::len), Some(2));
    assert_eq!(one["responsibilities"][0]["role"], "RESPONSIBLE");
    assert_eq!(one["responsibilities"][0]["decision"], "ACCEPTED");
    assert_eq!(one["responsibilities"][0]["organisation"]["name"], "Skolverket");
    assert_eq!(one["statusUpdates"][0]["decision"], "Decided by the government.");
    assert_eq!(one["statusUpdates"][0]["actor"]["name"], "Skolverket");

    let id = one["id"].as_str().expect("an id");
    let node = app
        .query(&format!(
            r#"{{ node(id: "{id}") {{ ... on Initiative {{ number }} }} }}"#
        ))
        .await;
    assert_eq!(node["node"]["number"], 1);
    let themes = app.query("{ themes { code label(lang: \"sv\") } }").await;
    assert_eq!(themes["themes"].as_array().map(Vec::len), Some(10));
    assert_eq!(themes["themes"][0]["code"], "competence-development");
    assert_eq!(themes["themes"][0]["label"], "Kompetensutveckling");
}
