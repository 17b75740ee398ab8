//! Webhook deliveries across processes: a `kartla serve` killed (SIGKILL) in the middle of its deliveries
//! and started again loses nothing; two instances on one PostgreSQL database share one endpoint's stream,
//! each event delivered once, in order.

use std::collections::HashSet;

use kartla::entity::enums::AccessRole;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestDb};
use crate::instances::Instance;
use crate::webhook_receiver::Receiver;
use crate::webhooks::poll;

/// The webhook key both instances of a test share.
const KEY: &str = "a2FydGxhLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmchISE=";

fn flags() -> Vec<&'static str> {
    vec![
        "--webhook-secret-key",
        KEY,
        "--webhook-allow-insecure-targets",
        "--webhook-timeout",
        "1",
        "--webhook-retry-schedule",
        "100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms,100ms",
        "--rate-limit-anonymous",
        "0",
        "--rate-limit-token",
        "0",
        "--initial-seed",
        "reference",
    ]
}

async fn admin_token(url: &str) -> String {
    let db = kartla::db::connect(url).await.expect("the database");
    kartla::service::token::create(&db, "admin", AccessRole::Admin, None)
        .await
        .expect("a token")
        .1
}

async fn post(instance: &Instance, token: &str, query: &str, variables: Value) -> Value {
    let answer = instance
        .post(json!({ "query": query, "variables": variables }), Some(token))
        .await
        .expect("an answer");
    assert!(answer.get("errors").is_none(), "{answer}");
    answer["data"].clone()
}

async fn create_endpoint(instance: &Instance, token: &str, url: &str) -> String {
    let create = "mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
        secret userErrors { code } } }";
    let input = json!({ "input": { "url": url, "filter": { "types": ["ORGANISATION"] } } });
    let created = post(instance, token, create, input).await;
    assert_eq!(created["createWebhookEndpoint"]["userErrors"], json!([]), "{created}");
    created["createWebhookEndpoint"]["secret"]
        .as_str()
        .expect("a secret")
        .to_owned()
}

/// Creates `n` vendors through `instance`, `streams` at a time.
async fn create_vendors(instance: &Instance, token: &str, n: usize, streams: usize) {
    let create =
        "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) { userErrors { code } } }";
    let stream = |s: usize| async move {
        for i in (s..n).step_by(streams) {
            let input = json!({ "input": { "kind": "VENDOR", "country": "SE",
                "name": [{ "lang": "sv", "text": format!("Leverantör {i}") }] } });
            let answer = post(instance, token, create, input).await;
            assert_eq!(answer["createOrganisation"]["userErrors"], json!([]), "{answer}");
        }
    };
    futures_util::future::join_all((0..streams).map(stream)).await;
}

/// The positions of the Organisation events after `after`.
async fn organisation_positions(instance: &Instance, after: &str) -> Vec<String> {
    let mut positions = Vec::new();
    let mut cursor = after.to_owned();
    loop {
        let page = instance
            .query(&format!(
                "{{ changes(after: \"{cursor}\", first: 100, filter: {{types: [ORGANISATION]}}) {{
                    nodes {{ position }} pageInfo {{ hasNextPage endCursor }} }} }}"
            ))
            .await;
        for node in page["changes"]["nodes"].as_array().expect("nodes") {
            positions.push(node["position"].as_str().expect("a position").to_owned());
        }
        if page["changes"]["pageInfo"]["hasNextPage"] != true {
            return positions;
        }
        cursor = page["changes"]["pageInfo"]["endCursor"]
            .as_str()
            .expect("a cursor")
            .to_owned();
    }
}

async fn head(instance: &Instance) -> String {
    let last = instance.query("{ changes(last: 1) { nodes { position } } }").await;
    last["changes"]["nodes"][0]["position"]
        .as_str()
        .unwrap_or("0")
        .to_owned()
}

/// The acknowledged deliveries' positions, first acknowledgement of each, in arrival order; and whether
/// every repeat carried the webhook-id of the first.
fn first_acknowledgements(receiver: &Receiver) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut positions = Vec::new();
    for delivery in receiver.acknowledged() {
        let position = delivery.body["data"]["position"]
            .as_str()
            .expect("a position")
            .to_owned();
        assert!(
            delivery.id.ends_with(&format!("_{position}")),
            "the webhook-id names the event"
        );
        if seen.insert(position.clone()) {
            positions.push(position);
        }
    }
    positions
}

async fn a_killed_instance_loses_no_delivery(backend: Backend) {
    let Some(test_db) = TestDb::create(backend).await else {
        return;
    };
    let receiver = Receiver::default();
    let (address, _server) = receiver.serve("127.0.0.1:0".parse().expect("an address")).await;
    let mut instance = Instance::start_with(&test_db.url, &flags());
    instance.ready().await;
    let admin = admin_token(&test_db.url).await;
    let start = head(&instance).await;
    let secret = create_endpoint(&instance, &admin, &format!("http://{address}/hook")).await;
    receiver.trust(&secret);
    create_vendors(&instance, &admin, 40, 2).await;
    poll(60, "some deliveries", || async { receiver.acknowledged().len() >= 5 }).await;
    instance.process.start_kill().expect("SIGKILL");
    let _ = instance.process.wait().await;
    let at_kill = first_acknowledgements(&receiver).len();

    let mut again = Instance::start_with(&test_db.url, &flags());
    again.ready().await;
    let expected = organisation_positions(&again, &start).await;
    assert_eq!(expected.len(), 40);
    poll(120, "every event after the restart", || async {
        first_acknowledgements(&receiver).len() >= 40
    })
    .await;
    assert_eq!(
        first_acknowledgements(&receiver),
        expected,
        "all, in order, after a kill at {at_kill}"
    );
    assert!(receiver.received().iter().all(|r| !r.verified_by.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_instance_loses_no_delivery_on_sqlite() {
    a_killed_instance_loses_no_delivery(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_instance_loses_no_delivery_on_postgres() {
    a_killed_instance_loses_no_delivery(Backend::Postgres).await;
}

/// The deliveries an instance reports as made, from its metrics.
async fn delivered_by(instance: &Instance) -> u64 {
    let metrics = instance.get("/metrics").await.expect("metrics");
    metrics
        .lines()
        .find(|line| line.starts_with("kartla_webhook_deliveries_total{outcome=\"delivered\"}"))
        .and_then(|line| line.split_whitespace().last())
        .and_then(|n| n.parse::<f64>().ok())
        .map_or(0, |n| n as u64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_endpoint_s_stream_on_postgres() {
    let Some(test_db) = TestDb::create(Backend::Postgres).await else {
        return;
    };
    let receiver = Receiver::default();
    let (address, _server) = receiver.serve("127.0.0.1:0".parse().expect("an address")).await;
    let (mut first, mut second) = (
        Instance::start_with(&test_db.url, &flags()),
        Instance::start_with(&test_db.url, &flags()),
    );
    tokio::join!(first.ready(), second.ready());
    let admin = admin_token(&test_db.url).await;
    let start = head(&first).await;
    let secret = create_endpoint(&first, &admin, &format!("http://{address}/hook")).await;
    receiver.trust(&secret);
    tokio::join!(
        create_vendors(&first, &admin, 500, 2),
        create_vendors(&second, &admin, 500, 2)
    );
    let expected = organisation_positions(&first, &start).await;
    assert_eq!(expected.len(), 1000);
    poll(300, "1,000 deliveries", || async {
        receiver.acknowledged().len() >= 1000
    })
    .await;
    assert_eq!(receiver.acknowledged().len(), 1000, "each event once");
    assert_eq!(first_acknowledgements(&receiver), expected, "in feed order");
    let (a, b) = (delivered_by(&first).await, delivered_by(&second).await);
    assert_eq!(a + b, 1000, "{a} + {b}");
    assert!(a > 0 && b > 0, "both instances delivered: {a} and {b}");
    eprintln!("the first instance delivered {a}, the second {b}");
}
