//! Consultations on the demo data (the 2022 Norwegian dialogue meeting), and contact persons, whose email
//! and phone an anonymous reader never sees.

use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb, insert_contact};
use crate::on_every_backend;

on_every_backend!(
    consultations_show_events_and_filters,
    contacts_hide_personal_data_from_anonymous_readers
);

async fn count(app: &TestApp, filter: &str) -> i64 {
    let data = app
        .query(&format!("{{ consultations(filter: {filter}) {{ totalCount }} }}"))
        .await;
    data["consultations"]["totalCount"].as_i64().expect("a count")
}

async fn consultations_show_events_and_filters(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    assert_eq!(count(&app, "{}").await, 1);
    assert_eq!(
        count(&app, r#"{openOn: "2022-08-10"}"#).await,
        1,
        "the last day is open"
    );
    assert_eq!(count(&app, r#"{openOn: "2022-08-11"}"#).await, 0);
    assert_eq!(count(&app, r#"{query: "DIALOGUE MEETING"}"#).await, 1);
    assert_eq!(count(&app, r#"{query: "no such words"}"#).await, 0);

    let data = app
        .query(
            "{ consultations { nodes { id closesOn strategy { endYear } events { kind online startsAt endsAt
                 registrationDeadline title targetGroups { label } } questions { position } submissions { url } } } }",
        )
        .await;
    let consultation = &data["consultations"]["nodes"][0];
    assert_eq!(consultation["closesOn"], "2022-08-10");
    assert_eq!(consultation["strategy"]["endYear"], 2030);
    let event = &consultation["events"][0];
    assert_eq!(event["kind"], "MEETING");
    assert_eq!(event["online"], true);
    assert_eq!(event["startsAt"], "2022-06-22T09:00:00+00:00");
    assert_eq!(event["endsAt"], "2022-06-22T11:30:00+00:00");
    assert_eq!(event["registrationDeadline"], "2022-06-17T10:00:00+00:00");
    assert_eq!(event["targetGroups"].as_array().map(Vec::len), Some(4));
    assert_eq!(event["targetGroups"][1], json!({ "label": "Service managers" }));

    let id = consultation["id"].as_str().expect("an id");
    let node = app
        .query(&format!(
            r#"{{ node(id: "{id}") {{ id ... on Consultation {{ title }} }} }}"#
        ))
        .await;
    assert_eq!(node["node"]["id"], id);
    assert!(
        node["node"]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("Input to the strategy"))
    );
}

async fn contacts_hide_personal_data_from_anonymous_readers(test_db: TestDb) {
    use kartla::service::text::{TextOwner, Texts};

    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let data = app
        .query(r#"{ initiatives(filter: {country: ["NO"]}) { nodes { id } } }"#)
        .await;
    let initiative = data["initiatives"]["nodes"][0]["id"]
        .as_str()
        .expect("an initiative")
        .to_owned();
    let (_, uuid) = kartla::service::id::decode(&async_graphql::ID(initiative.clone())).expect("an ID");
    let contact = insert_contact(&app.db, uuid).await;
    let mut texts = Texts::default();
    texts.add("role", "nb", "Prosjektleder");
    kartla::service::text::insert(&app.db, TextOwner::Contact, &[(contact, &texts)])
        .await
        .expect("a role");

    let data = app
        .query(&format!(
            r#"{{ node(id: "{initiative}") {{ ... on Initiative {{ contacts {{ name role email phone }} }} }} }}"#
        ))
        .await;
    assert_eq!(
        data["node"]["contacts"],
        json!([{ "name": "Kari Nordmann", "role": "Prosjektleder", "email": Value::Null, "phone": Value::Null }])
    );
}
