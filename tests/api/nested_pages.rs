//! Nested lists paged per owner: every list of a batch is read with its own `LIMIT`, so these tests walk
//! lists of different lengths (long, short, empty) forward and backward, first pages of many owners at
//! once, and check that each comes out whole, in ID order, without archived records, with the right
//! `totalCount` and page info on every page.

use kartla::config::InitialSeed;
use kartla::entity::enums::Status;
use kartla::entity::{activity, initiative, initiative_goal};
use kartla::service::id::{NodeType, encode};
use kartla::service::seed::seed_id;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{TestApp, TestDb, insert_activity, insert_initiative};
use crate::on_every_backend;

on_every_backend!(nested_lists_are_paged_per_owner);

/// Which nested list of which record a walk pages through.
struct List<'a> {
    /// The record's ID.
    node: String,
    /// Its GraphQL type.
    on: &'a str,
    /// The connection field.
    field: &'a str,
}

/// One page of `list` with `arguments`, as `(totalCount, pageInfo, IDs of the nodes)`.
async fn page_of(app: &TestApp, list: &List<'_>, arguments: &str) -> (i64, Value, Vec<String>) {
    let data = app
        .query(&format!(
            r#"{{ node(id: "{}") {{ ... on {} {{ {}({arguments}) {{ totalCount
                 pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} nodes {{ id }} }} }} }} }}"#,
            list.node, list.on, list.field
        ))
        .await;
    let connection = &data["node"][list.field];
    let ids = connection["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("an id").to_owned())
        .collect();
    let total = connection["totalCount"].as_i64().expect("a count");
    (total, connection["pageInfo"].clone(), ids)
}

/// Walks `list` in pages of `size`, forward from the start and backward from the end, and checks every
/// page against `expected` (the list's IDs in order).
async fn walk(app: &TestApp, list: &List<'_>, size: usize, expected: &[String]) {
    let what = format!("{}.{} in pages of {size}", list.on, list.field);
    let mut forward: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..=expected.len() {
        let cursor = after.as_ref().map_or(String::new(), |c| format!(r#", after: "{c}""#));
        let (total, info, ids) = page_of(app, list, &format!("first: {size}{cursor}")).await;
        assert_eq!(total, expected.len() as i64, "{what}: totalCount after {after:?}");
        assert_eq!(
            info["hasPreviousPage"],
            after.is_some(),
            "{what}: hasPreviousPage after {after:?}"
        );
        let more = info["hasNextPage"].as_bool().expect("hasNextPage");
        assert!(ids.len() == size || !more, "{what}: a short page with more after it");
        forward.extend(ids);
        if !more {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(forward, expected, "{what}, forward");

    let mut backward: Vec<String> = Vec::new();
    let mut before: Option<String> = None;
    for _ in 0..=expected.len() {
        let cursor = before.as_ref().map_or(String::new(), |c| format!(r#", before: "{c}""#));
        let (total, info, ids) = page_of(app, list, &format!("last: {size}{cursor}")).await;
        assert_eq!(total, expected.len() as i64, "{what}: totalCount before {before:?}");
        assert_eq!(
            info["hasNextPage"],
            before.is_some(),
            "{what}: hasNextPage before {before:?}"
        );
        let more = info["hasPreviousPage"].as_bool().expect("hasPreviousPage");
        assert!(ids.len() == size || !more, "{what}: a short page with more before it");
        backward.splice(0..0, ids);
        if !more {
            break;
        }
        before = info["startCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(backward, expected, "{what}, backward");
}

/// The IDs of the initiatives serving `goal` that are not archived, in ID order, as node IDs.
async fn goal_initiatives(app: &TestApp, goal: Uuid) -> Vec<String> {
    let linked: Vec<Uuid> = initiative_goal::Entity::find()
        .select_only()
        .column(initiative_goal::Column::InitiativeId)
        .filter(initiative_goal::Column::GoalId.eq(goal))
        .into_tuple()
        .all(&app.db)
        .await
        .expect("links");
    let mut current: Vec<Uuid> = initiative::Entity::find()
        .select_only()
        .column(initiative::Column::Id)
        .filter(initiative::Column::Id.is_in(linked))
        .filter(initiative::Column::ArchivedAt.is_null())
        .into_tuple()
        .all(&app.db)
        .await
        .expect("initiatives");
    current.sort();
    current.into_iter().map(|id| encode(NodeType::Initiative, id)).collect()
}

/// Archives an initiative or an activity the way the API does: by setting `archived_at`.
async fn archive(app: &TestApp, initiative_id: Option<Uuid>, activity_id: Option<Uuid>) {
    let now = chrono::Utc::now();
    if let Some(id) = initiative_id {
        initiative::ActiveModel {
            id: Set(id),
            archived_at: Set(Some(now)),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .expect("an archived initiative");
    }
    if let Some(id) = activity_id {
        activity::ActiveModel {
            id: Set(id),
            archived_at: Set(Some(now)),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .expect("an archived activity");
    }
}

async fn nested_lists_are_paged_per_owner(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let strategy = seed_id(&["demo", "strategy", "se-2017"]);
    let goal = |code: &str| seed_id(&["demo", "goal", &strategy.to_string(), code]);
    // A long list (23 links, two of them archived), a short one (3) and the demo's own.
    let (long, short) = (goal("1.1"), goal("2.2"));
    let mut archived = Vec::new();
    for (goal_id, n) in [(long, 23), (short, 3)] {
        for k in 0..n {
            let id = insert_initiative(&app.db, Status::Ongoing).await;
            initiative_goal::ActiveModel {
                initiative_id: Set(id),
                goal_id: Set(goal_id),
            }
            .insert(&app.db)
            .await
            .expect("a link");
            if goal_id == long && k % 10 == 4 {
                archived.push(id);
            }
        }
    }
    for id in &archived {
        archive(&app, Some(*id), None).await;
    }

    // The first page of every goal of the strategy at once: one batch, each list cut at its own five.
    let data = app
        .query(&format!(
            r#"{{ node(id: "{}") {{ ... on Strategy {{ focusAreas {{ goals {{ id
                 initiatives(first: 5) {{ totalCount pageInfo {{ hasNextPage hasPreviousPage }} nodes {{ id }} }} }} }} }} }} }}"#,
            encode(NodeType::Strategy, strategy)
        ))
        .await;
    let goals: Vec<&Value> = data["node"]["focusAreas"]
        .as_array()
        .expect("focus areas")
        .iter()
        .flat_map(|area| area["goals"].as_array().expect("goals"))
        .collect();
    assert!(goals.len() >= 9, "{} goals", goals.len());
    let mut lengths = Vec::new();
    for listed in goals {
        let id = listed["id"].as_str().expect("a goal ID");
        let raw = kartla::service::id::decode_as(id, NodeType::Goal).expect("a goal ID");
        let expected = goal_initiatives(&app, raw).await;
        let page = &listed["initiatives"];
        let ids: Vec<&str> = page["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["id"].as_str().expect("an id"))
            .collect();
        let want: Vec<&str> = expected.iter().take(5).map(String::as_str).collect();
        assert_eq!(ids, want, "the first five of goal {id}");
        assert_eq!(page["totalCount"], expected.len(), "goal {id}");
        assert_eq!(page["pageInfo"]["hasNextPage"], expected.len() > 5, "goal {id}");
        assert_eq!(page["pageInfo"]["hasPreviousPage"], false, "goal {id}");
        lengths.push(expected.len());
    }
    assert!(lengths.contains(&0), "an empty list among them: {lengths:?}");
    assert!(
        lengths.iter().any(|n| *n >= 21),
        "the long list among them: {lengths:?}"
    );

    // Each goal's list walked on its own, both ways, in pages that do and do not divide it.
    for (goal_id, size) in [(long, 5), (long, 7), (short, 2), (goal("1.2"), 1)] {
        let list = List {
            node: encode(NodeType::Goal, goal_id),
            on: "Goal",
            field: "initiatives",
        };
        walk(&app, &list, size, &goal_initiatives(&app, goal_id).await).await;
    }

    // Activities: 17 of one initiative (one archived), walked both ways, and the first three of every
    // initiative of a page together.
    let busy = insert_initiative(&app.db, Status::Ongoing).await;
    let mut activities = Vec::new();
    for _ in 0..17 {
        activities.push(insert_activity(&app.db, busy, Status::Ongoing).await);
    }
    archive(&app, None, Some(activities.remove(6))).await;
    activities.sort();
    let expected: Vec<String> = activities.iter().map(|id| encode(NodeType::Activity, *id)).collect();
    let list = List {
        node: encode(NodeType::Initiative, busy),
        on: "Initiative",
        field: "activities",
    };
    walk(&app, &list, 4, &expected).await;

    let data = app
        .query("{ initiatives(first: 100) { nodes { id activities(first: 3) { totalCount nodes { id } } } } }")
        .await;
    let pages = data["initiatives"]["nodes"].as_array().expect("initiatives");
    assert!(pages.len() >= 20, "{} initiatives", pages.len());
    let mut seen_busy = false;
    for listed in pages {
        let id = listed["id"].as_str().expect("an initiative ID");
        let owner = kartla::service::id::decode_as(id, NodeType::Initiative).expect("an initiative ID");
        let mut current: Vec<Uuid> = activity::Entity::find()
            .select_only()
            .column(activity::Column::Id)
            .filter(activity::Column::InitiativeId.eq(owner))
            .filter(activity::Column::ArchivedAt.is_null())
            .into_tuple()
            .all(&app.db)
            .await
            .expect("activities");
        current.sort();
        let want: Vec<String> = current.iter().take(3).map(|a| encode(NodeType::Activity, *a)).collect();
        let page = &listed["activities"];
        let ids: Vec<&str> = page["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["id"].as_str().expect("an id"))
            .collect();
        assert_eq!(ids, want, "the first three activities of {id}");
        assert_eq!(page["totalCount"], current.len(), "{id}");
        seen_busy |= owner == busy;
    }
    assert!(seen_busy, "the initiative with 16 activities is on the page");
}
