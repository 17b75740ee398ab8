//! `coverage(strategyId:)`: which goals are served by what, and where the gaps are.

use kartla::config::InitialSeed;
use kartla::entity::enums::{AccessRole, Status};
use kartla::entity::initiative_goal;
use kartla::service::id::{NodeType, encode};
use kartla::service::seed::seed_id;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(coverage_shows_what_serves_each_goal_and_the_gaps);

async fn coverage_shows_what_serves_each_goal_and_the_gaps(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let strategy = seed_id(&["demo", "strategy", "se-2017"]);
    let goal = |code: &str| seed_id(&["demo", "goal", &strategy.to_string(), code]);
    let initiative = |number: &str| seed_id(&["demo", "initiative", "skoldigiplan", number]);
    // Initiative 1 (DECIDED) serves 1.2; initiative 11 (COMPLETED) serves 2.2 and has an ONGOING activity.
    for (initiative_id, goal_id) in [(initiative("1"), goal("1.2")), (initiative("11"), goal("2.2"))] {
        initiative_goal::ActiveModel {
            initiative_id: Set(initiative_id),
            goal_id: Set(goal_id),
        }
        .insert(&app.db)
        .await
        .expect("a link");
    }
    let activity = crate::helpers::insert_activity(&app.db, initiative("11"), Status::Ongoing).await;

    let query = format!(
        r#"{{ coverage(strategyId: "{}") {{ strategy {{ adoptedOn }} focusAreas {{ focusArea {{ code }} goals {{
             goal {{ code }} gap initiatives {{ number }}
             initiativesByStatus {{ status count }} activitiesByStatus {{ status count }} }} }} }} }}"#,
        encode(NodeType::Strategy, strategy)
    );
    let data = app.query(&query).await;
    assert_eq!(data["coverage"]["strategy"]["adoptedOn"], "2017-10-19");
    let goals: Vec<&Value> = data["coverage"]["focusAreas"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|area| area["goals"].as_array().into_iter().flatten())
        .collect();
    assert_eq!(goals.len(), 9);
    let by_code = |code: &str| *goals.iter().find(|g| g["goal"]["code"] == code).expect("the goal");
    let count = |list: &Value, status: &str| {
        list.as_array()
            .into_iter()
            .flatten()
            .find(|c| c["status"] == status)
            .map(|c| c["count"].clone())
    };

    assert_eq!(by_code("1.2")["gap"], false);
    assert_eq!(by_code("1.2")["initiatives"], json!([{ "number": 1 }]));
    assert_eq!(count(&by_code("1.2")["initiativesByStatus"], "DECIDED"), Some(json!(1)));
    assert_eq!(
        by_code("2.2")["gap"],
        true,
        "only a completed initiative: nothing under way"
    );
    assert_eq!(
        count(&by_code("2.2")["initiativesByStatus"], "COMPLETED"),
        Some(json!(1))
    );
    assert_eq!(count(&by_code("2.2")["activitiesByStatus"], "ONGOING"), Some(json!(1)));
    assert_eq!(by_code("3.1")["gap"], true);
    assert_eq!(by_code("3.1")["initiatives"], json!([]));
    assert_eq!(
        by_code("3.1")["initiativesByStatus"].as_array().map(Vec::len),
        Some(6),
        "every status, zeros too"
    );
    let gaps = goals.iter().filter(|g| g["gap"] == true).count();
    assert_eq!(gaps, 8);

    // Archived through the API, an initiative and an activity leave the counts at once: the counts
    // kept since the first answer are counted again after the writes.
    let admin = crate::mutations::token(&app, "admin", AccessRole::Admin, None).await;
    let archive = [
        (
            "mutation A($input: InitiativeVersionInput!) { archiveInitiative(input: $input) { userErrors { code } } }",
            json!({ "initiativeId": encode(NodeType::Initiative, initiative("1")), "expectedVersion": version_of(&app, NodeType::Initiative, initiative("1")).await }),
        ),
        (
            "mutation A($input: ActivityVersionInput!) { archiveActivity(input: $input) { userErrors { code } } }",
            json!({ "activityId": encode(NodeType::Activity, activity), "expectedVersion": 1 }),
        ),
    ];
    for (mutation, input) in archive {
        let answer = crate::mutations::as_token(&app, Some(&admin), mutation, json!({ "input": input })).await;
        assert!(answer.get("errors").is_none(), "{answer}");
        let errors = answer["data"]
            .as_object()
            .and_then(|d| d.values().next())
            .map(|p| p["userErrors"].clone());
        assert_eq!(errors, Some(json!([])), "{answer}");
    }
    let counts_only = format!(
        r#"{{ coverage(strategyId: "{}") {{ focusAreas {{ goals {{ goal {{ code }} gap
             initiativesByStatus {{ status count }} activitiesByStatus {{ status count }} }} }} }} }}"#,
        encode(NodeType::Strategy, strategy)
    );
    let data = app.query(&counts_only).await;
    let goal_of = |code: &str| {
        data["coverage"]["focusAreas"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|area| area["goals"].as_array().into_iter().flatten())
            .find(|g| g["goal"]["code"] == code)
            .expect("the goal")
            .clone()
    };
    assert_eq!(goal_of("1.2")["gap"], true, "its only initiative is archived");
    assert_eq!(count(&goal_of("1.2")["initiativesByStatus"], "DECIDED"), Some(json!(0)));
    assert_eq!(
        count(&goal_of("2.2")["initiativesByStatus"], "COMPLETED"),
        Some(json!(1))
    );
    assert_eq!(count(&goal_of("2.2")["activitiesByStatus"], "ONGOING"), Some(json!(0)));

    let missing = encode(NodeType::Strategy, uuid::Uuid::new_v4());
    assert_eq!(
        app.error_code(&format!(
            r#"{{ coverage(strategyId: "{missing}") {{ gap: strategy {{ id }} }} }}"#
        ))
        .await,
        "NOT_FOUND"
    );
    let wrong_type = encode(NodeType::Goal, goal("1.1"));
    assert_eq!(
        app.error_code(&format!(
            r#"{{ coverage(strategyId: "{wrong_type}") {{ strategy {{ id }} }} }}"#
        ))
        .await,
        "BAD_ID"
    );
}

/// A record's `version`, read through the API.
async fn version_of(app: &TestApp, kind: NodeType, id: uuid::Uuid) -> i64 {
    let data = app
        .query(&format!(
            r#"{{ node(id: "{}") {{ ... on Initiative {{ version }} ... on Activity {{ version }} }} }}"#,
            encode(kind, id)
        ))
        .await;
    data["node"]["version"].as_i64().expect("a version")
}
