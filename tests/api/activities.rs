//! Activities and their participants on the demo data: the root list and its filters, the nested
//! connections (paged per parent), and multilingual titles.

use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    activity_filters_select_the_right_set,
    nested_activities_page_per_initiative
);

async fn id_of(app: &TestApp, query: &str, pointer: &str) -> String {
    app.query(query)
        .await
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("an id at {pointer} for {query}"))
        .to_owned()
}

async fn titles(app: &TestApp, filter: &str) -> Vec<String> {
    let data = app
        .query(&format!(
            r#"{{ activities(filter: {filter}) {{ totalCount nodes {{ title(lang: "en") }} }} }}"#
        ))
        .await;
    let nodes = data["activities"]["nodes"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        data["activities"]["totalCount"],
        nodes.len(),
        "totalCount matches the list"
    );
    let mut titles: Vec<String> = nodes
        .iter()
        .filter_map(|n| n["title"].as_str().map(str::to_owned))
        .collect();
    titles.sort();
    titles
}

async fn activity_filters_select_the_right_set(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let vestland = id_of(
        &app,
        r#"{ organisations(filter: {identifier: "46", country: ["NO"]}) { nodes { id } } }"#,
        "/organisations/nodes/0/id",
    )
    .await;
    let oslo = id_of(
        &app,
        r#"{ organisations(filter: {identifier: "0301", kinds: [MUNICIPALITY]}) { nodes { id } } }"#,
        "/organisations/nodes/0/id",
    )
    .await;
    let ks = id_of(
        &app,
        r#"{ organisations(filter: {query: "KS", country: ["NO"], kinds: [MUNICIPAL_ASSOCIATION]}) { nodes { id } } }"#,
        "/organisations/nodes/0/id",
    )
    .await;
    let network = "Network meetings on ordering competence in Vestland";
    let pilot = "Pilot: shared sign-in to digital learning resources";
    let guide = "Guide to introducing IT services in Rogaland";

    assert_eq!(titles(&app, "{}").await, [guide, network, pilot]);
    assert_eq!(
        titles(&app, &format!(r#"{{region: "{vestland}"}}"#)).await,
        [network, pilot]
    );
    assert_eq!(
        titles(&app, &format!(r#"{{region: "{vestland}", status: [ONGOING]}}"#)).await,
        [pilot]
    );
    assert_eq!(titles(&app, &format!(r#"{{participant: "{oslo}"}}"#)).await, [pilot]);
    assert_eq!(
        titles(&app, &format!(r#"{{organisation: "{ks}", roles: [RESPONSIBLE]}}"#)).await,
        [network]
    );
    assert_eq!(titles(&app, r#"{query: "PÅLOGGING"}"#).await, [pilot]);
    assert_eq!(titles(&app, r#"{country: ["SE"]}"#).await, [] as [&str; 0]);
    assert_eq!(titles(&app, r#"{activeFrom: "2026-01-01"}"#).await, [network, pilot]);
    assert_eq!(titles(&app, r#"{activeTo: "2025-12-31"}"#).await, [guide]);
    let wrong_type = format!(
        r#"{{ activities(filter: {{region: "{}"}}) {{ totalCount }} }}"#,
        "bm9wZQ"
    );
    assert_eq!(app.error_code(&wrong_type).await, "BAD_ID");
}

async fn nested_activities_page_per_initiative(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let page = |after: &str| {
        format!(
            r#"{{ initiatives(filter: {{country: ["NO"]}}) {{ nodes {{
                 activities(first: 2{after}) {{ totalCount pageInfo {{ hasNextPage hasPreviousPage endCursor }}
                   nodes {{ id title status participants {{ totalCount nodes {{ status organisation {{ name }} }} }}
                            responsibilities {{ role organisation {{ name }} }} initiative {{ number }} }} }} }} }} }}"#
        )
    };
    let first = app.query(&page("")).await;
    let activities = &first["initiatives"]["nodes"][0]["activities"];
    assert_eq!(activities["totalCount"], 3);
    assert_eq!(activities["nodes"].as_array().map(Vec::len), Some(2));
    assert_eq!(activities["pageInfo"]["hasNextPage"], true);
    assert_eq!(activities["pageInfo"]["hasPreviousPage"], false);
    let cursor = activities["pageInfo"]["endCursor"].as_str().expect("a cursor");
    let second = app.query(&page(&format!(r#", after: "{cursor}""#))).await;
    let rest = &second["initiatives"]["nodes"][0]["activities"];
    assert_eq!(rest["nodes"].as_array().map(Vec::len), Some(1));
    assert_eq!(rest["pageInfo"]["hasNextPage"], false);
    assert_eq!(rest["pageInfo"]["hasPreviousPage"], true);

    let all: Vec<&Value> = activities["nodes"]
        .as_array()
        .into_iter()
        .chain(rest["nodes"].as_array())
        .flatten()
        .collect();
    let network = all
        .iter()
        .find(|a| a["title"] == "Network meetings on ordering competence in Vestland")
        .expect("the Vestland network in the default language (en)");
    assert_eq!(network["status"], "DECIDED");
    assert_eq!(network["initiative"]["number"], 1);
    assert_eq!(network["participants"]["totalCount"], 2);
    let mut names: Vec<&str> = network["participants"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["organisation"]["name"].as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["Bergen", "Kinn"]);
    assert_eq!(
        network["responsibilities"],
        json!([{ "role": "RESPONSIBLE", "organisation": { "name": "KS – Norwegian Association of Local and Regional Authorities" } }])
    );

    // The same activity through node(id), in Norwegian by Accept-Language.
    let id = network["id"].as_str().expect("an id");
    let body = app
        .graphql_with(
            &format!(r#"{{ node(id: "{id}") {{ ... on Activity {{ title titleTranslations {{ lang }} }} }} }}"#),
            json!({}),
            Some("nb-NO, en;q=0.5"),
        )
        .await;
    assert_eq!(
        body["data"]["node"]["title"],
        "Nettverkssamlinger om bestillerkompetanse i Vestland"
    );
    assert_eq!(
        app.error_code(r#"{ initiatives { nodes { activities(first: 101) { totalCount } } } }"#)
            .await,
        "PAGE_SIZE"
    );
}
