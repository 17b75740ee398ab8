//! Subscriptions over WebSocket: `registryChanged` streams the feed's events as they are committed, over
//! graphql-transport-ws and the older graphql-ws; personal data reaches only signed-in subscribers; a
//! dropped subscriber resumes from its last position with nothing lost and nothing twice; a slow one holds
//! up nobody, and one too far behind is told to catch up.

use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use serde_json::{Value, json};

use crate::change_feed::{edit_a_little, read_feed};
use crate::helpers::{TestApp, TestDb};
use crate::mutations::{as_token, token};
use crate::on_every_backend;
use crate::ws_client::Socket;

on_every_backend!(
    a_subscriber_receives_each_change_once_in_order,
    the_older_graphql_ws_protocol_works_too,
    personal_data_reaches_only_signed_in_subscribers,
    a_dropped_subscriber_resumes_without_gaps_or_repeats,
    a_slow_subscriber_holds_up_nobody,
    a_subscriber_too_far_behind_is_told_to_catch_up
);

const SUBSCRIPTION: &str = "subscription S($after: String, $filter: ChangeFilter) {
    registryChanged(after: $after, filter: $filter) {
      position operation recordType recordId record { id ... on Initiative { title(lang: \"nb\") } } } }";

/// The feed's head now, to subscribe from: what is committed after it reaches the subscriber for sure.
async fn head(app: &TestApp) -> Value {
    let data = app.query("{ changes(last: 1) { nodes { position } } }").await;
    data["changes"]["nodes"][0]["position"].clone()
}

fn positions(events: &[Value]) -> Vec<i64> {
    events
        .iter()
        .map(|e| e["position"].as_str().and_then(|p| p.parse().ok()).expect("a position"))
        .collect()
}

async fn a_subscriber_receives_each_change_once_in_order(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let address = app.serve().await;
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    let filter = json!({ "types": ["INITIATIVE", "ACTIVITY"] });
    socket
        .subscribe(
            "1",
            SUBSCRIPTION,
            json!({ "after": head(&app).await, "filter": filter }),
        )
        .await;
    edit_a_little(&app).await;
    let events = socket.changes(5).await;
    let seen: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["operation"].as_str().unwrap_or_default(),
                e["recordType"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("CREATE", "INITIATIVE"),
            ("UPDATE", "INITIATIVE"),
            ("ARCHIVE", "INITIATIVE"),
            ("UPDATE", "INITIATIVE"),
            ("CREATE", "ACTIVITY"),
        ]
    );
    // `record` is the record as it is when the event is sent, which may already be after later changes.
    assert!(events.iter().all(|e| e["record"]["id"] == e["recordId"]), "{events:?}");
    // The same events, in the same order, as the feed has them.
    let (feed, _) = read_feed(&app, None, 100, filter).await;
    assert_eq!(positions(&events), positions(&feed[feed.len() - 5..]));

    // Stopping the subscription completes it; a query runs on the same socket.
    socket.send(json!({ "type": "complete", "id": "1" })).await;
    assert_eq!(socket.receive().await, json!({ "type": "complete", "id": "1" }));
    socket.subscribe("2", "{ viewer { role } }", json!({})).await;
    let answer = socket.receive().await;
    assert_eq!(answer["type"], "next", "{answer}");
    assert_eq!(answer["id"], "2");
    assert_eq!(
        answer["payload"]["data"]["viewer"]["role"],
        Value::Null,
        "anonymous: {answer}"
    );
}

async fn the_older_graphql_ws_protocol_works_too(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let address = app.serve().await;
    let mut socket = Socket::signed_in(address, "graphql-ws", json!({})).await;
    socket
        .subscribe(
            "a",
            SUBSCRIPTION,
            json!({ "after": head(&app).await, "filter": { "types": ["PARTICIPATION"] } }),
        )
        .await;
    let edits = edit_a_little(&app).await;
    let message = socket.receive().await;
    assert_eq!(message["type"], "data", "graphql-ws calls events data: {message}");
    assert_eq!(message["id"], "a");
    let event = &message["payload"]["data"]["registryChanged"];
    assert_eq!(event["operation"], "CREATE");
    assert_eq!(event["recordType"], "PARTICIPATION");
    let participant = app
        .query(&format!(
            r#"{{ node(id: "{}") {{ ... on Activity {{ participants {{ nodes {{ id }} }} }} }} }}"#,
            edits.activity
        ))
        .await;
    assert_eq!(event["recordId"], participant["node"]["participants"]["nodes"][0]["id"]);
}

async fn personal_data_reaches_only_signed_in_subscribers(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let address = app.serve().await;
    let reader = token(&app, "reader", AccessRole::Reader, None).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let query = "subscription S($after: String) { registryChanged(after: $after, filter: {types: [INITIATIVE]}) {
        record { ... on Initiative { contacts { name email phone } } } } }";
    let after = head(&app).await;
    let mut anonymous = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    anonymous.subscribe("1", query, json!({ "after": after })).await;
    let mut signed_in = Socket::signed_in(
        address,
        "graphql-transport-ws",
        json!({ "Authorization": format!("Bearer {reader}") }),
    )
    .await;
    signed_in.subscribe("1", query, json!({ "after": after })).await;

    let initiative =
        app.query("{ initiatives(first: 1) { nodes { id } } }").await["initiatives"]["nodes"][0]["id"].clone();
    let answer = as_token(
        &app,
        Some(&admin),
        "mutation C($input: AddContactInput!) { addContact(input: $input) { userErrors { code } } }",
        json!({ "input": { "targetId": initiative, "name": "Kari Nordmann", "email": "kari@example.no", "phone": "+47 22 00 00 00" } }),
    )
    .await;
    assert_eq!(answer["data"]["addContact"]["userErrors"], json!([]), "{answer}");
    let contact = |events: Vec<Value>| events[0]["record"]["contacts"][0].clone();
    assert_eq!(
        contact(anonymous.changes(1).await),
        json!({ "name": "Kari Nordmann", "email": null, "phone": null })
    );
    assert_eq!(
        contact(signed_in.changes(1).await),
        json!({ "name": "Kari Nordmann", "email": "kari@example.no", "phone": "+47 22 00 00 00" })
    );

    // A token that is not valid closes the connection instead of quietly making it anonymous.
    let (_, refused) = Socket::open(address, "graphql-transport-ws", json!({ "token": "not-a-token" })).await;
    assert_eq!(refused["type"], "close", "{refused}");
    assert!(
        refused["reason"].as_str().is_some_and(|r| r.contains("not valid")),
        "{refused}"
    );
}

async fn a_dropped_subscriber_resumes_without_gaps_or_repeats(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let address = app.serve().await;
    let start = head(&app).await;
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    socket.subscribe("1", SUBSCRIPTION, json!({ "after": start })).await;
    edit_a_little(&app).await;
    let first = socket.changes(3).await;
    socket.drop_connection().await;

    // Changes go on while the subscriber is away.
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    for name in ["Leverandør A", "Leverandør B"] {
        let answer = as_token(
            &app,
            Some(&admin),
            "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) { userErrors { code message } } }",
            json!({ "input": { "kind": "VENDOR", "country": "NO", "name": [{ "lang": "nb", "text": name }] } }),
        )
        .await;
        assert_eq!(
            answer["data"]["createOrganisation"]["userErrors"],
            json!([]),
            "{answer}"
        );
    }

    let last_seen = first[2]["position"].clone();
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    socket.subscribe("1", SUBSCRIPTION, json!({ "after": last_seen })).await;
    let rest = socket.changes(5 + 2).await;
    let received: Vec<i64> = positions(&first).into_iter().chain(positions(&rest)).collect();
    let (feed, _) = read_feed(&app, start.as_str(), 100, json!(null)).await;
    assert_eq!(received, positions(&feed), "every change once, in order");
    assert_eq!(rest[6]["recordType"], "ORGANISATION");
}

async fn a_slow_subscriber_holds_up_nobody(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let address = app.serve().await;
    // A subscriber that asks for the whole seeded feed with every name, and does not read.
    let heavy = "subscription { registryChanged(after: \"0\") { position record { id
        ... on Organisation { nameTranslations { lang text } identifiers { scheme value } } } } }";
    let mut slow = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    slow.subscribe("slow", heavy, json!({})).await;
    let start = head(&app).await;
    let mut quick = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    quick.subscribe("1", SUBSCRIPTION, json!({ "after": start })).await;

    edit_a_little(&app).await;
    let events = quick.changes(8).await;
    assert_eq!(events[7]["recordType"], "PARTICIPATION");

    // The slow one then gets everything, in order, nothing left out.
    let (feed, _) = read_feed(&app, None, 100, json!(null)).await;
    let mut received = Vec::new();
    while received.len() < feed.len() {
        let payload = slow.event().await;
        assert!(payload.get("errors").is_none(), "{payload}");
        received.push(payload["data"]["registryChanged"].clone());
    }
    assert_eq!(positions(&received), positions(&feed));
}

async fn a_subscriber_too_far_behind_is_told_to_catch_up(test_db: TestDb) {
    let mut config = test_db.config(InitialSeed::Demo);
    config.subscription_max_lag = 50;
    let app = TestApp::spawn_with(config).await;
    let address = app.serve().await;
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    socket.subscribe("1", SUBSCRIPTION, json!({ "after": "0" })).await;
    let payload = socket.event().await;
    let error = &payload["errors"][0];
    assert_eq!(error["extensions"]["code"], "SUBSCRIBER_BEHIND", "{payload}");
    assert_eq!(error["extensions"]["position"], "0");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("changes(after: \"0\")")),
        "{payload}"
    );
    assert_eq!(socket.receive().await["type"], "complete");

    // A bad position, or one beyond the feed's end, is refused at once.
    for (id, after) in [("2", "yesterday"), ("3", "99999999")] {
        socket.subscribe(id, SUBSCRIPTION, json!({ "after": after })).await;
        let payload = socket.event().await;
        assert_eq!(payload["errors"][0]["extensions"]["code"], "BAD_CURSOR", "{payload}");
        assert_eq!(socket.receive().await["type"], "complete");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_message_closes_the_socket() {
    let test_db = TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let address = app.serve().await;
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    let huge = "x".repeat(2 << 20);
    let message = json!({ "type": "subscribe", "id": "1",
        "payload": { "query": "{ __typename }", "variables": { "padding": huge } } });
    // The server may close the socket while the message is still being sent.
    if socket.try_send(message).await.is_err() {
        return;
    }
    let answer = socket.receive().await;
    assert!(
        matches!(answer["type"].as_str(), Some("close" | "closed" | "error")),
        "a 2 MB message is not read: {answer}"
    );
    assert_ne!(answer["type"], "next");
}
