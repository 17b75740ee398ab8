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
