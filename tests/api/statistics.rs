//! `statistics(filter:)` counts exactly what `initiatives(filter:)` lists.

use chrono::Utc;
use kartla::config::InitialSeed;
use kartla::entity::enums::{ParticipationStatus, Status};
use kartla::entity::participation;
use kartla::service::seed::seed_id;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(statistics_match_the_filtered_list);

async fn statistics_match_the_filtered_list(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    // Stockholm (in Stockholms län) takes part in an activity of initiative 11.
    let now = Utc::now();
    let activity_id = crate::helpers::insert_activity(
        &app.db,
        seed_id(&["demo", "initiative", "skoldigiplan", "11"]),
        Status::Ongoing,
    )
    .await;
    participation::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        activity_id: Set(activity_id),
        organisation_id: Set(seed_id(&["organisation", "SE_KOMMUNKOD", "0180"])),
        status: Set(ParticipationStatus::Participating),
        started_on: Set(None),
        ended_on: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&app.db)
    .await
    .expect("a participation");
    // Written beside the service, so counted again as a bulk load counts.
    kartla::service::region_count::rebuild(&app.db)
        .await
        .expect("the counts");
    kartla::service::facet_count::rebuild(&app.db)
        .await
        .expect("the statistics counted ahead");

    let data = app
        .query(
            r#"{ statistics(filter: {country: ["SE"]}) { totalCount byStatus { status count } byCountry { country count }
               byTheme { theme { code } count } byResponsibleOrganisationKind { kind count }
               byRegion { region { name } count } byFocusArea { count } bySchoolLevel { count } } }"#,
        )
        .await;
    let stats = &data["statistics"];
    assert_eq!(stats["totalCount"], 4);
    assert_eq!(
        stats["byStatus"],
        json!([{ "status": "COMPLETED", "count": 3 }, { "status": "DECIDED", "count": 1 }])
    );
    assert_eq!(stats["byCountry"], json!([{ "country": "SE", "count": 4 }]));
    assert_eq!(
        stats["byTheme"][0],
        json!({ "theme": { "code": "infrastructure" }, "count": 2 })
    );
    assert_eq!(stats["byTheme"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        stats["byResponsibleOrganisationKind"],
        json!([{ "kind": "GOVERNMENT_AGENCY", "count": 1 }])
    );
    assert_eq!(
        stats["byRegion"],
        json!([{ "region": { "name": "Stockholms län" }, "count": 1 }])
    );
    assert_eq!(stats["byFocusArea"], json!([]));
    // Only the facets asked for are counted, and they are the same.
    let only = app
        .query(r#"{ statistics(filter: {country: ["SE"]}) { totalCount byRegion { count } } }"#)
        .await;
    assert_eq!(only["statistics"]["totalCount"], 4);
    assert_eq!(only["statistics"]["byRegion"], json!([{ "count": 1 }]));

    for filter in [
        "{status: [COMPLETED]}",
        r#"{themes: ["infrastructure"]}"#,
        r#"{country: ["NO"]}"#,
        "{}",
    ] {
        let query = format!(
            "{{ statistics(filter: {filter}) {{ totalCount }} initiatives(filter: {filter}) {{ totalCount }} }}"
        );
        let both = app.query(&query).await;
        assert_eq!(
            both["statistics"]["totalCount"], both["initiatives"]["totalCount"],
            "{filter}"
        );
    }
    let stockholm_county = kartla::service::id::encode(
        kartla::service::id::NodeType::Organisation,
        seed_id(&["organisation", "SE_LANSKOD", "01"]),
    );
    let in_region = app
        .query(&format!(
            r#"{{ initiatives(filter: {{region: "{stockholm_county}"}}) {{ nodes {{ number }} }} }}"#
        ))
        .await;
    assert_eq!(in_region["initiatives"]["nodes"], json!([{ "number": 11 }]));
}

on_every_backend!(statistics_follow_every_write);

/// `statistics` answers from a cache while nothing changes; a write moves the feed's head, and the next
/// answer counts again.
async fn statistics_follow_every_write(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let query = r#"{ statistics(filter: {country: ["SE"]}) { byRegion { region { name } count } } }"#;
    let stockholm = |data: &serde_json::Value| {
        data["statistics"]["byRegion"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["region"]["name"] == "Stockholms län")
            .and_then(|r| r["count"].as_i64())
            .unwrap_or(0)
    };
    let before = app.query(query).await;
    assert_eq!(app.query(query).await, before, "nothing changed: the same answer");
    let activity = crate::helpers::insert_activity(
        &app.db,
        seed_id(&["demo", "initiative", "skoldigiplan", "12"]),
        Status::Ongoing,
    )
    .await;
    let admin = kartla::service::permission::Actor {
        token_name: "statistics test".into(),
        role: kartla::entity::enums::AccessRole::Admin,
        organisation: None,
        issued_by: None,
    };
    let change = kartla::service::activity_edit::ParticipationChange {
        activity,
        organisation: Some(seed_id(&["organisation", "SE_KOMMUNKOD", "0180"])),
        status: ParticipationStatus::Participating,
        expected_version: None,
        started_on: None,
        ended_on: None,
    };
    let written = kartla::service::activity_edit::set_participation(&app.db, &admin, change)
        .await
        .expect("no error");
    assert!(written.is_ok(), "{written:?}");
    let after = app.query(query).await;
    assert_eq!(
        stockholm(&after),
        stockholm(&before) + 1,
        "Stockholm now takes part in one more initiative: {after}"
    );
}
