//! `orderBy` on the root lists: sorted by a timestamp with the ID as tiebreak, paged by keyset in both
//! directions.

use kartla::config::InitialSeed;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::Value;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(initiatives_page_in_updated_order);

/// Every node ID of the list, following `endCursor` forward or `startCursor` backward, two at a time.
async fn walk(app: &TestApp, order: &str, backward: bool) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let paging = match (&cursor, backward) {
            (None, false) => "first: 2".to_owned(),
            (None, true) => "last: 2".to_owned(),
            (Some(c), false) => format!(r#"first: 2, after: "{c}""#),
            (Some(c), true) => format!(r#"last: 2, before: "{c}""#),
        };
        let data = app
            .query(&format!(
                "{{ initiatives({paging}, orderBy: {order}) {{ nodes {{ id }}
                   pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}"
            ))
            .await;
        let page = &data["initiatives"];
        let mut got: Vec<String> = page["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["id"].as_str().map(str::to_owned))
            .collect();
        let (more, next) = if backward {
            ("hasPreviousPage", "startCursor")
        } else {
            ("hasNextPage", "endCursor")
        };
        if backward {
            got.extend(ids);
            ids = got;
        } else {
            ids.extend(got);
        }
        if page["pageInfo"][more] != true {
            return ids;
        }
        cursor = page["pageInfo"][next].as_str().map(str::to_owned);
    }
}

async fn initiatives_page_in_updated_order(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    // Give the initiatives known times, two of them equal, so the ID decides between those.
    let rows = kartla::entity::initiative::Entity::find()
        .all(&app.db)
        .await
        .expect("initiatives");
    assert_eq!(rows.len(), 5);
    let day = |d: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 1, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc())
    };
    let mut expected: Vec<(chrono::DateTime<chrono::Utc>, uuid::Uuid)> = Vec::new();
    for (k, row) in rows.into_iter().enumerate() {
        let at = day([3, 1, 3, 2, 5][k]).expect("a day");
        expected.push((at, row.id));
        let mut model: kartla::entity::initiative::ActiveModel = row.into();
        model.updated_at = Set(at);
        model.update(&app.db).await.expect("an update");
    }
    expected.sort();
    let encode = |id: uuid::Uuid| kartla::service::id::encode(kartla::service::id::NodeType::Initiative, id);
    let ascending: Vec<String> = expected.iter().map(|(_, id)| encode(*id)).collect();
    let descending: Vec<String> = ascending.iter().rev().cloned().collect();

    assert_eq!(walk(&app, "{field: UPDATED_AT}", false).await, ascending);
    assert_eq!(walk(&app, "{field: UPDATED_AT}", true).await, ascending);
    assert_eq!(
        walk(&app, "{field: UPDATED_AT, direction: DESC}", false).await,
        descending
    );
    assert_eq!(
        walk(&app, "{field: UPDATED_AT, direction: DESC}", true).await,
        descending
    );

    // A cursor of the list in ID order is not a cursor of the sorted list.
    let by_id = app.query("{ initiatives(first: 1) { pageInfo { endCursor } } }").await;
    let cursor = by_id["initiatives"]["pageInfo"]["endCursor"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_default();
    let query = format!(r#"{{ initiatives(after: "{cursor}", orderBy: {{field: CREATED_AT}}) {{ totalCount }} }}"#);
    assert_eq!(app.error_code(&query).await, "BAD_CURSOR");
    let _: Value = app
        .query("{ organisations(first: 1, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount } }")
        .await;
}
