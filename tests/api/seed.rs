//! Seeding: exact reference counts, idempotence, and all-or-nothing on malformed rows and failed writes.

use chrono::Utc;
use kartla::config::InitialSeed;
use kartla::entity::{organisation, theme};
use kartla::service::seed::{self, DemoFiles, ReferenceFiles, SeedError};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    reference_counts_are_exact,
    seeding_twice_changes_nothing,
    malformed_row_writes_nothing
);
on_every_backend!(failed_write_rolls_back, demo_data_is_there);

async fn reference_counts_are_exact(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Reference).await;
    assert_eq!(
        app.organisation_count(r#"{country: ["SE"], kinds: [MUNICIPALITY]}"#)
            .await,
        290
    );
    assert_eq!(
        app.organisation_count(r#"{country: ["SE"], kinds: [COUNTY]}"#).await,
        21
    );
    assert_eq!(
        app.organisation_count(r#"{country: ["NO"], kinds: [MUNICIPALITY]}"#)
            .await,
        357
    );
    assert_eq!(
        app.organisation_count(r#"{country: ["NO"], kinds: [COUNTY]}"#).await,
        15
    );
    assert_eq!(app.organisation_count("{}").await, 290 + 21 + 357 + 15);
}

async fn seeding_twice_changes_nothing(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let (reference, demo) = (ReferenceFiles::bundled(), DemoFiles::bundled());
    let first = seed::demo(&app.db, &reference, &demo).await.expect("first run");
    assert!(first.inserted > 1400, "{first}");
    assert_eq!(first.unchanged, 0);
    let before = app
        .query("{ organisations(first: 100) { totalCount nodes { id name version updatedAt } } }")
        .await;

    let second = seed::demo(&app.db, &reference, &demo).await.expect("second run");
    assert_eq!(second.inserted, 0);
    assert_eq!(second.unchanged, first.inserted);
    let again = seed::reference(&app.db, &reference)
        .await
        .expect("reference after demo");
    assert_eq!(again.inserted, 0);
    let after = app
        .query("{ organisations(first: 100) { totalCount nodes { id name version updatedAt } } }")
        .await;
    assert_eq!(before, after);
}

async fn malformed_row_writes_nothing(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let mut files = ReferenceFiles::bundled();
    // Line 101 of the municipality file names a county that does not exist; line 50 lacks a name.
    let mut lines: Vec<String> = files.se_municipalities.content.lines().map(String::from).collect();
    lines[100] = "2999,Nowhere,99,Nolän".into();
    files.se_municipalities.content = lines.join("\n");
    match seed::reference(&app.db, &files).await {
        Err(SeedError::Row { file, line, reason }) => {
            assert_eq!(file, "data/reference/se_kommuner.csv");
            assert_eq!(line, 101);
            assert!(reason.contains("county code 99"), "{reason}");
        }
        other => panic!("expected a row error, got {other:?}"),
    }
    lines[49] = "0999,,09,Gotlands län".into();
    files.se_municipalities.content = lines.join("\n");
    let error = seed::reference(&app.db, &files)
        .await
        .expect_err("a missing name is refused");
    assert_eq!(error.to_string(), "data/reference/se_kommuner.csv:50: missing name");

    let mut demo = DemoFiles::bundled();
    demo.demo.content = demo
        .demo
        .content
        .replace(r#""role": "IMPLEMENTER""#, r#""role": "BOSS""#);
    let error = seed::demo(&app.db, &ReferenceFiles::bundled(), &demo)
        .await
        .expect_err("an unknown role is refused");
    assert!(error.to_string().contains("unknown value \"BOSS\""), "{error}");

    assert_eq!(organisation::Entity::find().count(&app.db).await.expect("count"), 0);
}

async fn failed_write_rolls_back(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    // A theme with the demo's code but another ID: the demo's insert of that theme violates the unique
    // code after the organisations were written, and the whole run must roll back.
    let now = Utc::now();
    let squatter = theme::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        code: Set("privacy".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    };
    squatter.insert(&app.db).await.expect("the conflicting theme");
    let result = seed::demo(&app.db, &ReferenceFiles::bundled(), &DemoFiles::bundled()).await;
    assert!(matches!(result, Err(SeedError::Database(_))), "{result:?}");
    assert_eq!(organisation::Entity::find().count(&app.db).await.expect("count"), 0);
    assert_eq!(theme::Entity::find().count(&app.db).await.expect("count"), 1);
}

async fn demo_data_is_there(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let data = app
        .query(
            r#"{ strategies(filter: {country: ["SE"]}) { totalCount nodes {
                   name(lang: "sv") adoptedOn startYear endYear owners { name(lang: "sv") }
                   focusAreas { code goals { code title note } } } } }"#,
        )
        .await;
    let strategy = &data["strategies"]["nodes"][0];
    assert_eq!(data["strategies"]["totalCount"], 1);
    assert_eq!(strategy["name"], "Nationell digitaliseringsstrategi för skolväsendet");
    assert_eq!(strategy["adoptedOn"], "2017-10-19");
    assert_eq!(strategy["owners"][0]["name"], "Utbildningsdepartementet");
    let areas = strategy["focusAreas"].as_array().expect("focus areas");
    assert_eq!(
        areas
            .iter()
            .map(|a| a["code"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
    let goals: Vec<&serde_json::Value> = areas
        .iter()
        .flat_map(|a| a["goals"].as_array().into_iter().flatten())
        .collect();
    assert_eq!(goals.len(), 9);
    let goal_2_3 = goals.iter().find(|g| g["code"] == "2.3").expect("goal 2.3");
    assert!(goal_2_3["title"].is_null(), "no invented wording for 2.3");
    assert!(goal_2_3["note"].as_str().unwrap_or_default().contains("not verified"));
    assert_eq!(
        app.query(r#"{ strategies(filter: {country: ["NO"]}) { totalCount } }"#)
            .await["strategies"]["totalCount"],
        2
    );
}
