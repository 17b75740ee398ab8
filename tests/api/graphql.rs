//! The minimal read API: filters, keyset pages, global IDs, languages and errors.

use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    fresh_serve_answers_the_done_when_query,
    pages_are_keyset_and_complete,
    filters_find_organisations
);
on_every_backend!(
    ids_resolve_and_bad_ids_are_errors,
    languages_follow_argument_then_header,
    a_record_asked_nothing_of_its_type_is_an_empty_object
);

/// A record whose type no fragment of the query applies to is `{}`, not `null` (which means no such ID),
/// for `node`, `nodes` and a change's `record`.
async fn a_record_asked_nothing_of_its_type_is_an_empty_object(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let data = app.query("{ organisations(first: 1) { nodes { id } } }").await;
    let id = data["organisations"]["nodes"][0]["id"]
        .as_str()
        .expect("an organisation")
        .to_owned();
    let missing = "T3JnYW5pc2F0aW9uOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA";
    let data = app
        .query(&format!(
            r#"{{ node(id: "{id}") {{ ... on Initiative {{ number }} }}
                 nodes(ids: ["{id}", "{missing}"]) {{ ...I }}
                 named: node(id: "{id}") {{ ... on Organisation {{ id }} }} }}
               fragment I on Initiative {{ number }}"#
        ))
        .await;
    assert_eq!(data["node"], json!({}), "{data}");
    assert_eq!(data["nodes"], json!([{}, null]), "{data}");
    assert_eq!(data["named"], json!({ "id": id }), "{data}");
    let data = app
        .query("{ changes(first: 2) { nodes { record { ... on Consultation { opensOn } } } } }")
        .await;
    assert_eq!(data["changes"]["nodes"][0]["record"], json!({}), "{data}");
}

async fn fresh_serve_answers_the_done_when_query(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let data = app
        .query(r#"{ organisations(filter: {country: ["SE"], kinds: [MUNICIPALITY]}) { totalCount } }"#)
        .await;
    assert_eq!(data["organisations"]["totalCount"], 290);
    let data = app
        .query(r#"{ organisations(filter: {country: ["NO"], kinds: [MUNICIPALITY]}) { totalCount } }"#)
        .await;
    assert_eq!(data["organisations"]["totalCount"], 357);
}

async fn pages_are_keyset_and_complete(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Reference).await;
    let page = |args: String| {
        let app = &app;
        async move {
            let query = format!(
                r#"{{ organisations({args} filter: {{kinds: [COUNTY]}}) {{ totalCount edges {{ cursor node {{ id }} }}
                     pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"#
            );
            app.query(&query).await["organisations"].clone()
        }
    };
    let ids = |connection: &Value| -> Vec<String> {
        connection["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["node"]["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let all = page("first: 100".into()).await;
    assert_eq!(all["totalCount"], 36);
    assert_eq!(ids(&all).len(), 36);
    assert_eq!(all["pageInfo"]["hasNextPage"], false);

    let mut walked = Vec::new();
    let mut after = String::new();
    loop {
        let connection = page(format!("first: 10 {after}")).await;
        walked.extend(ids(&connection));
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = format!("after: {}", connection["pageInfo"]["endCursor"]);
    }
    assert_eq!(walked, ids(&all), "forward pages cover the list once, in order");

    let last = page("last: 6".into()).await;
    assert_eq!(ids(&last), ids(&all)[30..].to_vec());
    assert_eq!(last["pageInfo"]["hasPreviousPage"], true);
    let before = page(format!("last: 6 before: {}", last["pageInfo"]["startCursor"])).await;
    assert_eq!(ids(&before), ids(&all)[24..30].to_vec());

    let default = page(String::new()).await;
    assert_eq!(ids(&default).len(), 20, "the default page size is 20");
    assert_eq!(
        app.error_code("{ organisations(first: 101) { totalCount } }").await,
        "PAGE_SIZE"
    );
    assert_eq!(
        app.error_code("{ organisations(last: -1) { totalCount } }").await,
        "PAGE_SIZE"
    );
    assert_eq!(
        app.error_code(r#"{ organisations(after: "nonsense") { totalCount } }"#)
            .await,
        "BAD_CURSOR"
    );
}

async fn filters_find_organisations(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Reference).await;
    let find = |filter: &'static str| {
        let app = &app;
        async move {
            let query = format!(
                "{{ organisations(filter: {filter}) {{ nodes {{ id name kind country identifiers {{ scheme value }} parent {{ id name }} }} }} }}"
            );
            app.query(&query).await["organisations"]["nodes"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        }
    };
    let stockholm = find(r#"{identifier: "0180"}"#).await;
    assert_eq!(stockholm.len(), 1);
    assert_eq!(stockholm[0]["name"], "Stockholm");
    assert_eq!(stockholm[0]["parent"]["name"], "Stockholms län");
    assert_eq!(
        stockholm[0]["identifiers"],
        json!([{ "scheme": "SE_KOMMUNKOD", "value": "0180" }])
    );
    let oslo = find(r#"{identifier: "0301", kinds: [MUNICIPALITY]}"#).await;
    assert_eq!(oslo.len(), 1);
    assert_eq!(
        (oslo[0]["name"].as_str(), oslo[0]["country"].as_str()),
        (Some("Oslo"), Some("NO"))
    );

    let county_id = stockholm[0]["parent"]["id"].as_str().expect("a county id");
    let in_county = app.organisation_count(&format!(r#"{{parent: "{county_id}"}}"#)).await;
    assert_eq!(in_county, 26, "Stockholms län has 26 municipalities");
    assert_eq!(
        app.organisation_count(r#"{query: "GÖTEBORG"}"#).await,
        1,
        "search ignores case, also beyond ASCII"
    );
    assert_eq!(
        app.organisation_count(r#"{query: "%"}"#).await,
        0,
        "LIKE wildcards are literal"
    );
    assert_eq!(
        app.organisation_count(r#"{country: ["SE", "NO"], kinds: [COUNTY]}"#)
            .await,
        36
    );
    let sami = find(r#"{identifier: "18", kinds: [COUNTY], country: ["NO"]}"#).await;
    assert_eq!(sami[0]["name"], "Nordland - Nordlánnda");
    let bad = app
        .error_code(r#"{ organisations(filter: {parent: "bm9wZQ"}) { totalCount } }"#)
        .await;
    assert_eq!(bad, "BAD_ID");
}

async fn ids_resolve_and_bad_ids_are_errors(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let data = app
        .query("{ strategies(first: 1) { nodes { id focusAreas { id goals { id } } } } }")
        .await;
    let strategy_id = data["strategies"]["nodes"][0]["id"].as_str().expect("an id").to_owned();
    let query = format!(r#"{{ node(id: "{strategy_id}") {{ __typename id ... on Strategy {{ country }} }} }}"#);
    assert_eq!(app.query(&query).await["node"]["id"], strategy_id.as_str());

    let goal_id = data["strategies"]["nodes"][0]["focusAreas"][0]["goals"][0]["id"]
        .as_str()
        .map(String::from);
    let ids: Vec<String> = [Some(strategy_id.clone()), goal_id].into_iter().flatten().collect();
    let body = app
        .graphql_with(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": ids }),
            None,
        )
        .await;
    let typenames: Vec<&str> = body["data"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["__typename"].as_str())
        .collect();
    assert_eq!(typenames.len(), ids.len());
    assert_eq!(typenames[0], "Strategy");

    let unknown = kartla::service::id::encode(kartla::service::id::NodeType::Organisation, uuid::Uuid::new_v4());
    assert_eq!(
        app.query(&format!(r#"{{ node(id: "{unknown}") {{ id }} }}"#)).await["node"],
        Value::Null
    );
    assert_eq!(app.error_code(r#"{ node(id: "not-an-id") { id } }"#).await, "BAD_ID");

    // A country code written without quotes says so.
    let body = app
        .graphql_with(
            "{ statistics(filter: {country: [SE]}) { totalCount } }",
            json!({}),
            None,
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("a country code is a string: write \"SE\" in quotes"),
        "{body}"
    );
}

async fn languages_follow_argument_then_header(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let query = r#"{ organisations(filter: {query: "skolverket"}) { nodes { name en: name(lang: "en") nameTranslations { lang text } } } }"#;
    let swedish = app.graphql_with(query, json!({}), Some("sv-SE, en;q=0.5")).await;
    let node = &swedish["data"]["organisations"]["nodes"][0];
    assert_eq!(node["name"], "Skolverket");
    assert_eq!(node["en"], "Swedish National Agency for Education");
    assert_eq!(
        node["nameTranslations"],
        json!([{ "lang": "en", "text": "Swedish National Agency for Education" }, { "lang": "sv", "text": "Skolverket" }])
    );
    let fallback = app.graphql_with(query, json!({}), Some("fi")).await;
    assert_eq!(
        fallback["data"]["organisations"]["nodes"][0]["name"], "Swedish National Agency for Education",
        "en is first in the fallback order"
    );
    let oslo = app
        .graphql_with(
            r#"{ organisations(filter: {identifier: "0301"}) { nodes { name } } }"#,
            json!({}),
            Some("nb"),
        )
        .await;
    assert_eq!(oslo["data"]["organisations"]["nodes"][0]["name"], "Oslo");
    let bad = app
        .graphql_with(r#"{ strategies { nodes { name(lang: "!!") } } }"#, json!({}), None)
        .await;
    assert!(
        bad["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("BCP 47"),
        "{bad}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_built_application_serves_over_tcp() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let test_db = TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let app = kartla::Application::build(&test_db.config(InitialSeed::Reference))
        .await
        .expect("the application builds");
    let address = app.address();
    assert_ne!(address.port(), 0, "port 0 was replaced by a real port");
    let server = tokio::spawn(app.run_until_stopped());

    let body =
        json!({ "query": r#"{ organisations(filter: {country: ["SE"], kinds: [MUNICIPALITY]}) { totalCount } }"# })
            .to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("the server accepts connections");
    stream.write_all(request.as_bytes()).await.expect("the request is sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("a response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.ends_with(r#"{"data":{"organisations":{"totalCount":290}}}"#),
        "{response}"
    );
    server.abort();
}
