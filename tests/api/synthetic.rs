//! The synthetic registry for benchmarks: the counts its scale promises, the same records for the same
//! seed, a CREATE event per record with no holes in the feed, the API answering over it, and a second
//! load of the same seed refused with nothing written.

use kartla::config::InitialSeed;
use kartla::service::seed::synthetic::{self, Synthetic};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(a_synthetic_registry_has_its_counts_and_its_events);

const SPEC: Synthetic = Synthetic { scale: 0.002, seed: 7 };

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .expect("the count runs")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a number")
}

async fn a_synthetic_registry_has_its_counts_and_its_events(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let before = count(&app.db, "SELECT COUNT(*) FROM change_event").await;
    let initiatives_before = count(&app.db, "SELECT COUNT(*) FROM initiative").await;
    let report = synthetic::load(&app.db, SPEC, &|_| {}).await.expect("the load");
    assert_eq!(
        (
            report.initiatives,
            report.activities,
            report.participations,
            report.responsibilities
        ),
        (10, 100, 1000, 20)
    );
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM initiative").await,
        initiatives_before + 10
    );
    let events = count(&app.db, "SELECT COUNT(*) FROM change_event").await;
    assert_eq!(
        events - before,
        10 + 10 + 100 + 1000 + 20,
        "themes, initiatives, activities, participations, roles"
    );
    let (head, distinct) = (
        count(&app.db, "SELECT position FROM change_head").await,
        count(&app.db, "SELECT COUNT(DISTINCT position) FROM change_event").await,
    );
    assert_eq!((head, distinct), (events, events), "positions 1..head, each once");
    let scoped = count(
        &app.db,
        &format!(
            "SELECT COUNT(*) FROM change_event WHERE position > {before} AND record_type = 'Participation' \
             AND initiative_id IS NOT NULL AND organisation_id IS NOT NULL"
        ),
    )
    .await;
    assert_eq!(
        scoped, 1000,
        "every participation's event knows its initiative and organisation"
    );

    // The same seed gives the same records: the first activity's ID is fixed.
    let first = kartla::service::seed::seed_id(&["synthetic", "7", "activity", "0/0"]);
    let data = app
        .query(&format!(
            "{{ node(id: \"{}\") {{ ... on Activity {{ title(lang: \"en\") initiative {{ title(lang: \"sv\") }} participants {{ totalCount }} }} }} }}",
            kartla::service::id::encode(kartla::service::id::NodeType::Activity, first)
        ))
        .await;
    let activity = &data["node"];
    assert!(
        activity["title"]
            .as_str()
            .is_some_and(|t| t.contains(" 1: ") && t.ends_with(" 1")),
        "{data}"
    );
    assert_eq!(activity["participants"]["totalCount"], 10, "{data}");

    let again = synthetic::load(&app.db, SPEC, &|_| {}).await;
    assert!(again.is_err_and(|e| e.to_string().contains("holds the synthetic data of seed 7 already")));
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM change_event").await,
        events,
        "nothing written"
    );
}
