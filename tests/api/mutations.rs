//! `setInitiativeStatus`: who may call it (anonymous, reader, editor of another organisation, editor of the
//! lead organisation, admin), stale versions, lifecycle steps, invalid input, concurrent conflicting
//! updates, and the audit entry each change writes.

use axum::body::Body;
use axum::http::{Request, header};
use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    initiative_status_changes_follow_roles_versions_and_the_lifecycle,
    proposed_roles_are_decided_by_their_organisation
);

const SET: &str = "mutation Set($input: SetInitiativeStatusInput!) { setInitiativeStatus(input: $input) {
    initiative { status version viewerCanUpdate } statusUpdate { status decision(lang: \"en\") }
    userErrors { field code message currentVersion } } }";

pub(crate) async fn as_token(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = Body::from(json!({ "query": query, "variables": variables }).to_string());
    app.send(request.body(body).expect("a request")).await.1
}

pub(crate) async fn token(app: &TestApp, name: &str, role: AccessRole, organisation: Option<&str>) -> String {
    let organisation = organisation.map(|id| {
        kartla::service::id::decode_as(
            &async_graphql::ID(id.to_owned()),
            kartla::service::id::NodeType::Organisation,
        )
        .expect("an organisation ID")
    });
    kartla::service::token::create(&app.db, name, role, organisation)
        .await
        .expect("a token")
        .1
}

pub(crate) async fn organisation(app: &TestApp, filter: &str) -> String {
    app.query(&format!("{{ organisations(filter: {filter}) {{ nodes {{ id }} }} }}"))
        .await["organisations"]["nodes"][0]["id"]
        .as_str()
        .expect("an organisation")
        .to_owned()
}

fn input(initiative: &str, version: i64, status: &str) -> Value {
    json!({ "input": { "initiativeId": initiative, "expectedVersion": version, "status": status,
                       "decision": [{ "lang": "en", "text": "Continues as planned." }] } })
}

async fn audit_entries(app: &TestApp, initiative: uuid::Uuid) -> u64 {
    kartla::entity::audit_entry::Entity::find()
        .filter(kartla::entity::audit_entry::Column::RecordId.eq(initiative))
        .count(&app.db)
        .await
        .expect("a count")
}

async fn initiative_status_changes_follow_roles_versions_and_the_lifecycle(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let ks = organisation(
        &app,
        r#"{query: "KS", kinds: [MUNICIPAL_ASSOCIATION], country: ["NO"]}"#,
    )
    .await;
    let skr = organisation(&app, r#"{query: "Sveriges Kommuner"}"#).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let reader = token(&app, "reader", AccessRole::Reader, None).await;
    let lead = token(&app, "ks", AccessRole::Editor, Some(&ks)).await;
    let other = token(&app, "skr", AccessRole::Editor, Some(&skr)).await;
    let data = app
        .query(r#"{ initiatives(filter: {country: ["NO"]}) { nodes { id version status } } }"#)
        .await;
    let initiative = data["initiatives"]["nodes"][0]["id"]
        .as_str()
        .expect("an initiative")
        .to_owned();
    let (_, uuid) = kartla::service::id::decode(&async_graphql::ID(initiative.clone())).expect("an ID");
    assert_eq!(data["initiatives"]["nodes"][0]["status"], "ONGOING");
    let mut version = data["initiatives"]["nodes"][0]["version"].as_i64().expect("a version");

    // The matrix: who may, who may not, and what viewerCanUpdate says.
    let can = format!(r#"{{ node(id: "{initiative}") {{ ... on Initiative {{ viewerCanUpdate }} }} }}"#);
    for (who, token, code, may) in [
        ("anonymous", None, Some("UNAUTHENTICATED"), false),
        ("reader", Some(&reader), Some("FORBIDDEN"), false),
        ("editor of another organisation", Some(&other), Some("FORBIDDEN"), false),
        ("editor of the lead organisation", Some(&lead), None, true),
        ("admin", Some(&admin), None, true),
    ] {
        let token = token.map(String::as_str);
        let answer = as_token(&app, token, &can, json!({})).await;
        assert_eq!(answer["data"]["node"]["viewerCanUpdate"], may, "{who}");
        let answer = as_token(&app, token, SET, input(&initiative, version, "ONGOING")).await;
        match code {
            Some(code) => {
                assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{who}: {answer}");
                assert_eq!(answer["data"], Value::Null, "{who}");
            }
            None => {
                let payload = &answer["data"]["setInitiativeStatus"];
                assert_eq!(payload["userErrors"], json!([]), "{who}: {answer}");
                assert_eq!(payload["initiative"]["version"], version + 1, "{who}");
                assert_eq!(payload["initiative"]["viewerCanUpdate"], true, "{who}");
                assert_eq!(payload["statusUpdate"]["decision"], "Continues as planned.", "{who}");
                version += 1;
            }
        }
    }
    assert_eq!(audit_entries(&app, uuid).await, 2, "one audit entry per change");

    // A stale version, a step the lifecycle does not allow, and invalid input change nothing.
    let answer = as_token(&app, Some(&lead), SET, input(&initiative, version - 1, "COMPLETED")).await;
    assert_eq!(
        answer["data"]["setInitiativeStatus"]["userErrors"],
        json!([{ "field": ["input", "expectedVersion"], "code": "CONFLICT", "currentVersion": version,
                 "message": format!("the initiative changed since you read it: it is at version {version}") }])
    );
    let answer = as_token(&app, Some(&lead), SET, input(&initiative, version, "PROPOSED")).await;
    assert_eq!(
        answer["data"]["setInitiativeStatus"]["userErrors"][0]["code"],
        "INVALID_TRANSITION"
    );
    let mut bad = input(&initiative, version, "COMPLETED");
    bad["input"]["decision"] = json!([{ "lang": "not a tag", "text": " " }]);
    let answer = as_token(&app, Some(&lead), SET, bad).await;
    let errors = &answer["data"]["setInitiativeStatus"]["userErrors"];
    assert_eq!(errors[0]["field"], json!(["input", "decision", "0", "lang"]));
    assert_eq!(errors[1]["field"], json!(["input", "decision", "0", "text"]));
    let mut bad = input(&initiative, version, "COMPLETED");
    bad["input"]["initiativeId"] = json!("bm9wZQ");
    let answer = as_token(&app, Some(&admin), SET, bad).await;
    assert_eq!(answer["data"]["setInitiativeStatus"]["userErrors"][0]["code"], "BAD_ID");
    assert_eq!(audit_entries(&app, uuid).await, 2, "nothing was written");

    // Concurrent updates from the same version: exactly one wins, every other is told CONFLICT.
    let attempts = (0..8).map(|_| as_token(&app, Some(&admin), SET, input(&initiative, version, "ONGOING")));
    let answers = futures_util::future::join_all(attempts).await;
    let won = answers
        .iter()
        .filter(|a| a["data"]["setInitiativeStatus"]["userErrors"] == json!([]))
        .count();
    let conflicts = answers
        .iter()
        .filter(|a| a["data"]["setInitiativeStatus"]["userErrors"][0]["code"] == "CONFLICT")
        .count();
    assert_eq!((won, conflicts), (1, 7), "{answers:?}");
    assert_eq!(audit_entries(&app, uuid).await, 3);
    let now = app
        .query(&format!(
            r#"{{ node(id: "{initiative}") {{ ... on Initiative {{ version statusUpdates {{ status }} }} }} }}"#
        ))
        .await;
    assert_eq!(now["node"]["version"], version + 1);
    check_history(&app, &initiative, &admin, &reader, &ks).await;
}

/// The history of the initiative after the changes above: oldest first, with who and what.
async fn check_history(app: &TestApp, initiative: &str, admin: &str, reader: &str, ks: &str) {
    let query = format!(
        r#"{{ node(id: "{initiative}") {{ ... on Initiative {{ history {{ totalCount
               nodes {{ operation tokenName recordId organisation {{ id }} changes }} }} }} }} }}"#
    );
    let data = app.query(&query).await;
    let history = &data["node"]["history"];
    assert_eq!(history["totalCount"], 3);
    assert_eq!(
        history["nodes"][0]["tokenName"], "ks",
        "the lead editor changed it first"
    );
    assert_eq!(history["nodes"][0]["organisation"]["id"], ks);
    assert_eq!(history["nodes"][0]["recordId"], initiative);
    assert_eq!(history["nodes"][0]["operation"], "SET_INITIATIVE_STATUS");
    assert_eq!(
        history["nodes"][0]["changes"]["status"],
        json!({ "before": "ONGOING", "after": "ONGOING" })
    );
    assert_eq!(history["nodes"][1]["tokenName"], "admin");
    assert_eq!(history["nodes"][2]["tokenName"], "admin");

    let log = format!(r#"{{ auditLog(filter: {{organisation: "{ks}"}}) {{ totalCount }} }}"#);
    for (token, code) in [(None, "UNAUTHENTICATED"), (Some(reader), "FORBIDDEN")] {
        let answer = as_token(app, token, &log, json!({})).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], code);
    }
    let answer = as_token(app, Some(admin), &log, json!({})).await;
    assert_eq!(answer["data"]["auditLog"]["totalCount"], 1);
    let answer = as_token(app, Some(admin), "{ auditLog { totalCount } }", json!({})).await;
    assert_eq!(answer["data"]["auditLog"]["totalCount"], 3);
}

const DECIDE: &str = "mutation Decide($input: DecideResponsibilityInput!) { decideResponsibility(input: $input) {
    responsibility { id decision decidedOn version organisation { id } } userErrors { field code currentVersion } } }";

async fn proposed_roles_are_decided_by_their_organisation(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let udir = organisation(&app, r#"{query: "Utdanningsdirektoratet"}"#).await;
    let ks = organisation(
        &app,
        r#"{query: "KS", kinds: [MUNICIPAL_ASSOCIATION], country: ["NO"]}"#,
    )
    .await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let reader = token(&app, "reader", AccessRole::Reader, None).await;
    let udir_editor = token(&app, "udir", AccessRole::Editor, Some(&udir)).await;
    let ks_editor = token(&app, "ks", AccessRole::Editor, Some(&ks)).await;
    let data = app
        .query(
            r#"{ initiatives(filter: {country: ["NO"]}) { nodes {
               responsibilities(roles: [PROPOSED_RESPONSIBLE]) { id version decision } } } }"#,
        )
        .await;
    let role = &data["initiatives"]["nodes"][0]["responsibilities"][0];
    assert_eq!(role["decision"], "PROPOSED");
    let id = role["id"].as_str().expect("an id").to_owned();
    let version = role["version"].as_i64().expect("a version");
    let input = |version: i64, decision: &str| {
        json!({ "input": { "responsibilityId": id, "expectedVersion": version, "decision": decision,
                           "decidedOn": "2026-11-23" } })
    };

    for (who, token, code) in [
        ("anonymous", None, "UNAUTHENTICATED"),
        ("reader", Some(&reader), "FORBIDDEN"),
        ("editor of another organisation", Some(&ks_editor), "FORBIDDEN"),
    ] {
        let answer = as_token(&app, token.map(String::as_str), DECIDE, input(version, "ACCEPTED")).await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{who}: {answer}");
    }
    let answer = as_token(&app, Some(&udir_editor), DECIDE, input(version + 5, "ACCEPTED")).await;
    assert_eq!(
        answer["data"]["decideResponsibility"]["userErrors"],
        json!([{ "field": ["input", "expectedVersion"], "code": "CONFLICT", "currentVersion": version }])
    );
    let answer = as_token(&app, Some(&udir_editor), DECIDE, input(version, "PROPOSED")).await;
    assert_eq!(
        answer["data"]["decideResponsibility"]["userErrors"][0]["code"],
        "INVALID"
    );

    let answer = as_token(&app, Some(&udir_editor), DECIDE, input(version, "ACCEPTED")).await;
    assert_eq!(
        answer["data"]["decideResponsibility"],
        json!({ "responsibility": { "id": id, "decision": "ACCEPTED", "decidedOn": "2026-11-23",
                                    "version": version + 1, "organisation": { "id": udir } },
                "userErrors": [] })
    );
    let answer = as_token(&app, Some(&admin), DECIDE, input(version + 1, "DECLINED")).await;
    assert_eq!(
        answer["data"]["decideResponsibility"]["userErrors"][0]["code"], "INVALID_TRANSITION",
        "a decision is final"
    );
    let log = format!(r#"{{ auditLog(filter: {{record: "{id}"}}) {{ nodes {{ operation tokenName recordId }} }} }}"#);
    let answer = as_token(&app, Some(&admin), &log, json!({})).await;
    assert_eq!(
        answer["data"]["auditLog"]["nodes"],
        json!([{ "operation": "DECIDE_RESPONSIBILITY", "tokenName": "udir", "recordId": id }])
    );
    let node = app
        .query(&format!(
            r#"{{ node(id: "{id}") {{ ... on Responsibility {{ decision }} }} }}"#
        ))
        .await;
    assert_eq!(node["node"]["decision"], "ACCEPTED");
}
