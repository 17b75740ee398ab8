//! Relations both ways on the demo data: an organisation's children, roles and participations, the
//! decision filter, and participation per region.

use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    organisations_show_what_they_hold_and_join,
    participation_is_counted_per_region
);

async fn id_of(app: &TestApp, filter: &str) -> String {
    let data = app
        .query(&format!("{{ organisations(filter: {filter}) {{ nodes {{ id }} }} }}"))
        .await;
    data.pointer("/organisations/nodes/0/id")
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("an organisation for {filter}"))
        .to_owned()
}

async fn organisations_show_what_they_hold_and_join(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let vestland = id_of(&app, r#"{identifier: "46", country: ["NO"]}"#).await;
    let bergen = id_of(&app, r#"{identifier: "4601"}"#).await;
    let udir = id_of(&app, r#"{query: "Utdanningsdirektoratet"}"#).await;
    let ks = id_of(
        &app,
        r#"{query: "KS", kinds: [MUNICIPAL_ASSOCIATION], country: ["NO"]}"#,
    )
    .await;

    let data = app
        .query(&format!(
            r#"{{ vestland: node(id: "{vestland}") {{ ... on Organisation {{ children(first: 5) {{ totalCount
                   nodes {{ kind parent {{ id }} }} pageInfo {{ hasNextPage }} }} }} }}
               bergen: node(id: "{bergen}") {{ ... on Organisation {{ participations {{ totalCount
                   nodes {{ status activity {{ title(lang: "en") }} }} }} }} }}
               ks: node(id: "{ks}") {{ ... on Organisation {{ responsibilities {{ role decision
                   initiative {{ number }} activity {{ status }} }} }} }} }}"#
        ))
        .await;
    let children = &data["vestland"]["children"];
    assert_eq!(children["totalCount"], 43, "Vestland has 43 municipalities");
    assert_eq!(children["nodes"].as_array().map(Vec::len), Some(5));
    assert_eq!(children["pageInfo"]["hasNextPage"], true);
    assert!(
        children["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|n| n["kind"] == "MUNICIPALITY" && n["parent"]["id"] == vestland.as_str())
    );
    assert_eq!(data["bergen"]["participations"]["totalCount"], 2);
    let roles = data["ks"]["responsibilities"].as_array().cloned().unwrap_or_default();
    assert!(
        roles.contains(&json!({"role": "LEAD", "decision": "ACCEPTED", "initiative": {"number": 1}, "activity": null}))
    );
    assert!(roles.contains(
        &json!({"role": "RESPONSIBLE", "decision": "ACCEPTED", "initiative": null, "activity": {"status": "DECIDED"}})
    ));

    // The agency's question: where has it been proposed for a role it has not accepted yet?
    let data = app
        .query(&format!(
            r#"{{ initiatives(filter: {{organisation: "{udir}", decisions: [PROPOSED]}}) {{ totalCount
                   nodes {{ number responsibilities(roles: [PROPOSED_RESPONSIBLE]) {{ decision organisation {{ id }} }} }} }}
               udir: node(id: "{udir}") {{ ... on Organisation {{ responsibilities(decisions: [PROPOSED]) {{ role }} }} }} }}"#
        ))
        .await;
    assert_eq!(data["initiatives"]["totalCount"], 1);
    assert_eq!(
        data["initiatives"]["nodes"][0]["responsibilities"],
        json!([{ "decision": "PROPOSED", "organisation": { "id": udir } }])
    );
    assert_eq!(
        data["udir"]["responsibilities"],
        json!([{ "role": "PROPOSED_RESPONSIBLE" }])
    );
    let accepted =
        format!(r#"{{ initiatives(filter: {{organisation: "{udir}", decisions: [ACCEPTED]}}) {{ totalCount }} }}"#);
    assert_eq!(
        app.query(&accepted).await["initiatives"]["totalCount"],
        1,
        "a partner on an activity"
    );
}

async fn participation_is_counted_per_region(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let data = app
        .query(
            r#"{ initiatives(filter: {country: ["NO"]}) { nodes {
                   participationByRegion { region { name } participating authorities share }
                   activities { nodes { title(lang: "en") participationByRegion { region { name } participating authorities } } } } } }"#,
        )
        .await;
    let initiative = &data["initiatives"]["nodes"][0];
    // Most participants first; Oslo and Rogaland tie, so compare them as a set.
    let mut regions = initiative["participationByRegion"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let name = |v: &Value| v["region"]["name"].as_str().unwrap_or_default().to_owned();
    regions[1..].sort_by_key(name);
    assert_eq!(
        Value::Array(regions),
        json!([
            { "region": { "name": "Vestland" }, "participating": 2, "authorities": 43, "share": 2.0 / 43.0 },
            { "region": { "name": "Oslo" }, "participating": 1, "authorities": 1, "share": 1.0 },
            { "region": { "name": "Rogaland" }, "participating": 1, "authorities": 23, "share": 1.0 / 23.0 },
        ])
    );
    let every = app
        .query(
            r#"{ initiatives(filter: {country: ["NO"]}) { nodes {
               participationByRegion(everyCounty: true) { region { kind country } participating authorities } } } }"#,
        )
        .await;
    let counties = every["initiatives"]["nodes"][0]["participationByRegion"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(counties.len(), 15, "every Norwegian county");
    assert!(
        counties
            .iter()
            .all(|c| c["region"] == json!({ "kind": "COUNTY", "country": "NO" }))
    );
    assert_eq!(counties.iter().filter(|c| c["participating"] == 0).count(), 12);
    let authorities: i64 = counties.iter().filter_map(|c| c["authorities"].as_i64()).sum();
    assert_eq!(authorities, 357, "every Norwegian municipality is in one county");
    let network = initiative["activities"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["title"] == "Network meetings on ordering competence in Vestland")
        .expect("the network");
    assert_eq!(
        network["participationByRegion"],
        json!([{ "region": { "name": "Vestland" }, "participating": 2, "authorities": 43 }])
    );
}
