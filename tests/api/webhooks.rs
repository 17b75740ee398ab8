//! Webhooks: endpoints managed through the API, deliveries signed as the Standard Webhooks specification
//! says, in feed order, through a receiver's failures and downtime, none lost; who may manage which
//! endpoint; refused addresses; secret rotation; redelivery.

use std::time::{Duration, Instant};

use kartla::config::{Config, InitialSeed};
use kartla::entity::enums::AccessRole;
use kartla::service::webhook::secret::WebhookKey;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestDb};
use crate::mutations::{as_token, organisation, token};
use crate::on_every_backend;
use crate::webhook_receiver::Receiver;

on_every_backend!(
    deliveries_arrive_signed_and_in_order_through_failures_and_downtime,
    an_endpoint_failing_past_its_retries_is_disabled_and_says_why
);

/// A configuration whose endpoints may be local, with quick retries.
pub(crate) fn webhook_config(test_db: &TestDb, seed: InitialSeed, retries: Vec<Duration>) -> Config {
    let mut config = test_db.config(seed);
    config.webhooks.key = Some(WebhookKey::generate());
    config.webhooks.allow_insecure_targets = true;
    config.webhooks.retry_schedule = retries;
    config.webhooks.timeout = Duration::from_secs(5);
    config.rate_limits.anonymous_per_minute = None;
    config.rate_limits.token_per_minute = None;
    config
}

const CREATE: &str = "mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
    secret webhookEndpoint { id version url enabled position filter { types } } userErrors { field code message } } }";

const ENDPOINT: &str = "query E($id: ID!) { node(id: $id) { ... on WebhookEndpoint { id version enabled
    disabledReason position failingSince nextAttemptAt
    deliveries(last: 100) { totalCount nodes { position webhookId attempts delivered statusCode error
      responseTimeMs nextAttemptAt } } } } }";

/// Creates an endpoint posting to `url`; its ID and secret.
pub(crate) async fn create_endpoint(app: &TestApp, token: &str, url: &str, filter: Value) -> (String, String) {
    let answer = as_token(
        app,
        Some(token),
        CREATE,
        json!({ "input": { "url": url, "filter": filter } }),
    )
    .await;
    let created = &answer["data"]["createWebhookEndpoint"];
    assert_eq!(created["userErrors"], json!([]), "{answer}");
    (
        created["webhookEndpoint"]["id"].as_str().expect("an ID").to_owned(),
        created["secret"].as_str().expect("a secret").to_owned(),
    )
}

/// The endpoint as `token` sees it.
async fn endpoint(app: &TestApp, token: &str, id: &str) -> Value {
    let answer = as_token(app, Some(token), ENDPOINT, json!({ "id": id })).await;
    assert!(answer.get("errors").is_none(), "{answer}");
    answer["data"]["node"].clone()
}

/// Waits until `done` holds, checking every 20 ms, failing after `seconds`.
pub(crate) async fn poll<F, Fut>(seconds: u64, what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done().await {
        assert!(Instant::now() < deadline, "waited {seconds} s for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Creates `n` vendors; the feed's position before them.
async fn create_vendors(app: &TestApp, admin: &str, n: usize, tag: &str) {
    let create =
        "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) { userErrors { code } } }";
    for i in 0..n {
        let input = json!({ "input": { "kind": "VENDOR", "country": "SE",
            "name": [{ "lang": "sv", "text": format!("Leverantör {tag} {i}") }] } });
        let answer = as_token(app, Some(admin), create, input).await;
        assert_eq!(
            answer["data"]["createOrganisation"]["userErrors"],
            json!([]),
            "{answer}"
        );
    }
}

/// The feed's Organisation events after `after`, as `changes` gives them.
async fn organisation_events(app: &TestApp, after: &str) -> Vec<Value> {
    let (events, _) = crate::change_feed::read_feed(app, Some(after), 100, json!({ "types": ["ORGANISATION"] })).await;
    events
}

async fn head(app: &TestApp) -> String {
    let (_, cursor) = crate::change_feed::read_feed(app, None, 100, json!(null)).await;
    cursor.unwrap_or_else(|| "0".into())
}

async fn deliveries_arrive_signed_and_in_order_through_failures_and_downtime(test_db: TestDb) {
    let config = webhook_config(&test_db, InitialSeed::Reference, vec![Duration::from_millis(50); 400]);
    let app = TestApp::spawn_with(config).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let receiver = Receiver::default();
    let (address, server) = receiver.serve("127.0.0.1:0".parse().expect("an address")).await;
    let start = head(&app).await;
    let url = format!("http://{address}/hook");
    let (id, secret) = create_endpoint(&app, &admin, &url, json!({ "types": ["ORGANISATION"] })).await;
    receiver.trust(&secret);

    // The receiver fails: 500 for every attempt, until three have come; then it is gone.
    receiver.answer(500, 100_000);
    create_vendors(&app, &admin, 3, "a").await;
    poll(30, "three failed attempts", || async { receiver.received().len() >= 3 }).await;
    server.abort();
    let _ = server.await;
    receiver.clear_answers();
    create_vendors(&app, &admin, 3, "b").await;
    poll(30, "an attempt that found nobody", || async {
        let node = endpoint(&app, &admin, &id).await;
        node["deliveries"]["nodes"][0]["error"]
            .as_str()
            .is_some_and(|e| !e.contains("answered"))
    })
    .await;
    let failing = endpoint(&app, &admin, &id).await;
    assert!(failing["failingSince"].is_string(), "{failing}");
    assert!(failing["nextAttemptAt"].is_string(), "{failing}");

    // Back on the same address: everything arrives.
    let (_, _server) = receiver.serve(address).await;
    let expected = organisation_events(&app, &start).await;
    assert_eq!(expected.len(), 6);
    poll(60, "every event acknowledged", || async {
        receiver.acknowledged().len() >= 6
    })
    .await;

    let received = receiver.received();
    assert!(
        received.iter().all(|r| !r.verified_by.is_empty()),
        "every signature verifies"
    );
    let acknowledged = receiver.acknowledged();
    assert_eq!(acknowledged.len(), 6, "each event acknowledged once");
    for (delivery, event) in acknowledged.iter().zip(&expected) {
        let data = &delivery.body["data"];
        assert_eq!(data["position"], event["position"], "in feed order, none missing");
        assert_eq!(data["recordId"], event["recordId"]);
        assert_eq!(data["operation"], "CREATE");
        assert_eq!(data["record"]["__typename"], "Organisation");
        assert_eq!(data["record"]["id"], event["recordId"]);
        assert_eq!(delivery.body["type"], "organisation.created");
        assert_eq!(delivery.body["timestamp"], data["at"]);
    }
    // A retried event keeps its webhook-id: the failed attempts carry the first event's.
    let first_id = &acknowledged[0].id;
    assert!(received.iter().take(3).all(|r| &r.id == first_id));
    let mut ids: Vec<&str> = acknowledged.iter().map(|r| r.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 6, "distinct events have distinct webhook-ids");

    // The receiver has answered; the endpoint moves past the event when the answer is written.
    poll(30, "the endpoint past the last event", || async {
        endpoint(&app, &admin, &id).await["position"] == expected[5]["position"]
    })
    .await;
    let node = endpoint(&app, &admin, &id).await;
    assert!(node["failingSince"].is_null(), "{node}");
    let log = node["deliveries"]["nodes"].as_array().expect("a log").clone();
    assert_eq!(log.len(), 6, "{node}");
    assert!(log[0]["attempts"].as_i64().expect("attempts") >= 5, "{node}");
    assert!(
        log.iter().all(|d| d["delivered"] == true && d["statusCode"] == 204),
        "{node}"
    );
    assert_eq!(log[0]["webhookId"].as_str(), Some(first_id.as_str()));
}

async fn an_endpoint_failing_past_its_retries_is_disabled_and_says_why(test_db: TestDb) {
    let config = webhook_config(&test_db, InitialSeed::Reference, vec![Duration::from_millis(10); 2]);
    let app = TestApp::spawn_with(config).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let receiver = Receiver::default();
    let (address, _server) = receiver.serve("127.0.0.1:0".parse().expect("an address")).await;
    let (id, secret) = create_endpoint(&app, &admin, &format!("http://{address}/hook"), json!(null)).await;
    receiver.trust(&secret);
    receiver.answer(503, 3);
    create_vendors(&app, &admin, 1, "x").await;
    poll(30, "the endpoint disabled", || async {
        endpoint(&app, &admin, &id).await["enabled"] == false
    })
    .await;
    let node = endpoint(&app, &admin, &id).await;
    let reason = node["disabledReason"].as_str().expect("a reason");
    assert!(reason.contains("failed 3 times") && reason.contains("503"), "{reason}");
    assert_eq!(node["deliveries"]["nodes"][0]["attempts"], 3, "{node}");
    assert_eq!(receiver.received().len(), 3);

    // Enabled again, the event that failed gets a new round of retries: one more failure does not
    // disable it again, and it is delivered.
    receiver.answer(503, 1);
    let enable = "mutation E($input: WebhookEndpointInput!) { enableWebhookEndpoint(input: $input) {
        webhookEndpoint { enabled disabledReason } userErrors { code } } }";
    let answer = as_token(&app, Some(&admin), enable, json!({ "input": { "endpointId": id } })).await;
    assert_eq!(
        answer["data"]["enableWebhookEndpoint"]["webhookEndpoint"],
        json!({ "enabled": true, "disabledReason": null }),
        "{answer}"
    );
    poll(30, "the event delivered", || async {
        receiver.acknowledged().len() == 1
    })
    .await;
    assert_eq!(receiver.acknowledged()[0].body["data"]["operation"], "CREATE");
    assert_eq!(receiver.received().len(), 5, "three, then one failure and the delivery");
    poll(30, "the delivery written to the log", || async {
        endpoint(&app, &admin, &id).await["deliveries"]["nodes"][0]["delivered"] == true
    })
    .await;
    let node = endpoint(&app, &admin, &id).await;
    assert_eq!(node["enabled"], true, "{node}");
    assert_eq!(node["deliveries"]["nodes"][0]["attempts"], 2, "a new round: {node}");
    assert_eq!(node["deliveries"]["nodes"][0]["delivered"], true, "{node}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_manage_only_their_organisation_s_endpoints() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite");
    let app = TestApp::spawn_with(webhook_config(&test_db, InitialSeed::Demo, vec![])).await;
    let skolverket = organisation(&app, r#"{query: "Skolverket"}"#).await;
    let ks = organisation(
        &app,
        r#"{query: "KS", kinds: [MUNICIPAL_ASSOCIATION], country: ["NO"]}"#,
    )
    .await;
    let editor = token(&app, "skolverket-editor", AccessRole::Editor, Some(&skolverket)).await;
    let other = token(&app, "ks-editor", AccessRole::Editor, Some(&ks)).await;
    let reader = token(&app, "reader", AccessRole::Reader, None).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let (id, secret) = create_endpoint(&app, &editor, "http://127.0.0.1:9/hook", json!(null)).await;
    assert!(secret.starts_with("whsec_") && secret.len() > 40, "{secret}");

    let list = "{ webhookEndpoints { totalCount nodes { id organisation { id } createdBy viewerCanUpdate } } }";
    let mine = as_token(&app, Some(&editor), list, json!({})).await;
    assert_eq!(mine["data"]["webhookEndpoints"]["totalCount"], 1, "{mine}");
    assert_eq!(
        mine["data"]["webhookEndpoints"]["nodes"][0]["organisation"]["id"],
        skolverket.as_str()
    );
    assert_eq!(mine["data"]["webhookEndpoints"]["nodes"][0]["viewerCanUpdate"], true);
    assert_eq!(
        as_token(&app, Some(&admin), list, json!({})).await["data"]["webhookEndpoints"]["totalCount"],
        1
    );
    for (who, token) in [
        ("another editor", Some(&other)),
        ("a reader", Some(&reader)),
        ("anonymous", None),
    ] {
        let theirs = as_token(&app, token.map(String::as_str), list, json!({})).await;
        assert_eq!(theirs["data"]["webhookEndpoints"]["totalCount"], 0, "{who}: {theirs}");
        let node = as_token(&app, token.map(String::as_str), ENDPOINT, json!({ "id": id })).await;
        assert_eq!(node["data"]["node"], Value::Null, "{who}: {node}");
    }
    let delete = "mutation D($input: WebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) {
        deletedEndpointId userErrors { code field } } }";
    let refused = as_token(&app, Some(&other), delete, json!({ "input": { "endpointId": id } })).await;
    assert_eq!(
        refused["data"]["deleteWebhookEndpoint"]["userErrors"],
        json!([{ "code": "NOT_FOUND", "field": ["input", "endpointId"] }]),
        "{refused}"
    );
    let by_reader = as_token(
        &app,
        Some(&reader),
        CREATE,
        json!({ "input": { "url": "https://example.se/" } }),
    )
    .await;
    assert_eq!(by_reader["errors"][0]["extensions"]["code"], "FORBIDDEN", "{by_reader}");
    let anonymous = as_token(&app, None, CREATE, json!({ "input": { "url": "https://example.se/" } })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous}"
    );
    let deleted = as_token(&app, Some(&editor), delete, json!({ "input": { "endpointId": id } })).await;
    assert_eq!(
        deleted["data"]["deleteWebhookEndpoint"]["deletedEndpointId"],
        id.as_str(),
        "{deleted}"
    );
    let bad = as_token(
        &app,
        Some(&editor),
        delete,
        json!({ "input": { "endpointId": "nope" } }),
    )
    .await;
    assert_eq!(
        bad["data"]["deleteWebhookEndpoint"]["userErrors"][0]["code"], "BAD_ID",
        "{bad}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_and_plain_http_targets_are_refused_unless_allowed() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite");
    let mut config = webhook_config(&test_db, InitialSeed::Reference, vec![]);
    config.webhooks.allow_insecure_targets = false;
    let app = TestApp::spawn_with(config).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    for url in [
        "http://hooks.example.se/kartla",
        "https://127.0.0.1/hook",
        "https://10.0.0.7/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest",
        "https://localhost/hook",
    ] {
        let answer = as_token(&app, Some(&admin), CREATE, json!({ "input": { "url": url } })).await;
        let errors = &answer["data"]["createWebhookEndpoint"]["userErrors"];
        assert_eq!(errors[0]["code"], "URL_NOT_ALLOWED", "{url}: {answer}");
        assert_eq!(errors[0]["field"], json!(["input", "url"]));
    }
    let answer = as_token(&app, Some(&admin), CREATE, json!({ "input": { "url": "no url" } })).await;
    assert_eq!(
        answer["data"]["createWebhookEndpoint"]["userErrors"][0]["code"], "INVALID",
        "{answer}"
    );
    let (_, secret) = create_endpoint(&app, &admin, "https://hooks.example.se/kartla", json!(null)).await;
    assert!(secret.starts_with("whsec_"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_secret_signs_beside_the_old_one_and_redelivery_keeps_the_ids() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite");
    let app = TestApp::spawn_with(webhook_config(
        &test_db,
        InitialSeed::Reference,
        vec![Duration::from_millis(50); 20],
    ))
    .await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let receiver = Receiver::default();
    let (address, _server) = receiver.serve("127.0.0.1:0".parse().expect("an address")).await;
    let start = head(&app).await;
    let (id, old) = create_endpoint(&app, &admin, &format!("http://{address}/hook"), json!(null)).await;
    receiver.trust(&old);
    create_vendors(&app, &admin, 1, "before").await;
    poll(30, "the first delivery", || async {
        receiver.acknowledged().len() == 1
    })
    .await;
    assert_eq!(receiver.acknowledged()[0].verified_by, vec![0]);

    let rotate = "mutation R($input: WebhookEndpointInput!) { rotateWebhookSecret(input: $input) {
        secret webhookEndpoint { previousSecretValidUntil } userErrors { code } } }";
    let answer = as_token(&app, Some(&admin), rotate, json!({ "input": { "endpointId": id } })).await;
    let new = answer["data"]["rotateWebhookSecret"]["secret"]
        .as_str()
        .expect("a new secret")
        .to_owned();
    assert_ne!(new, old);
    assert!(answer["data"]["rotateWebhookSecret"]["webhookEndpoint"]["previousSecretValidUntil"].is_string());
    receiver.trust(&new);
    create_vendors(&app, &admin, 1, "after").await;
    poll(30, "the second delivery", || async {
        receiver.acknowledged().len() == 2
    })
    .await;
    assert_eq!(
        receiver.acknowledged()[1].verified_by,
        vec![0, 1],
        "old and new secret both sign"
    );

    // Replaying from the start delivers both again, in order, with the same webhook-ids.
    let redeliver = "mutation R($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) {
        webhookEndpoint { position } userErrors { code } } }";
    let answer = as_token(
        &app,
        Some(&admin),
        redeliver,
        json!({ "input": { "endpointId": id, "after": start } }),
    )
    .await;
    assert_eq!(
        answer["data"]["redeliverWebhook"]["webhookEndpoint"]["position"],
        start.as_str(),
        "{answer}"
    );
    poll(30, "the replay", || async { receiver.acknowledged().len() == 4 }).await;
    let ids: Vec<String> = receiver.acknowledged().iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids[0], ids[2]);
    assert_eq!(ids[1], ids[3]);
    let beyond = as_token(
        &app,
        Some(&admin),
        redeliver,
        json!({ "input": { "endpointId": id, "after": "99999999" } }),
    )
    .await;
    assert_eq!(
        beyond["data"]["redeliverWebhook"]["userErrors"][0]["code"], "INVALID",
        "{beyond}"
    );
}
