//! No N+1: the number of SQL statements one request runs does not grow with the number of rows it returns.
//! Every relation resolves through a DataLoader; this test is to keep it that way.

use std::sync::{Arc, Mutex};

use kartla::config::InitialSeed;

use crate::helpers::{TestApp, TestDb};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_pages_take_the_same_statements_on_sqlite() {
    let test_db = TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    nested_pages_take_the_same_statements_for_5_and_50_rows(test_db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_not_asked_for_is_not_read() {
    let test_db = TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    TestApp::spawn(&test_db, InitialSeed::Demo).await;
    insert_initiatives(&test_db.connect().await, 3).await;

    // A nested list asked only for its size counts, and reads none of its rows; asked for its nodes too,
    // the statement that reads the pages counts each list as well (a count beside each list's page), so
    // asking for the count costs no statement, and asking for nothing reads nothing.
    let nested = |selection: &str| {
        format!(
            r#"{{ initiatives(first: 3, filter: {{query: "bulk"}}) {{ nodes {{ id activities(first: 10) {{ {selection} }} }} }} }}"#
        )
    };
    let reads_pages = |sql: &[String]| sql.iter().any(|s| s.contains("kartla_key"));
    let counts_lists = |sql: &[String]| sql.iter().any(|s| s.contains("GROUP BY"));
    let count_only = statement_sql(&test_db, &nested("totalCount")).await;
    let count_and_nodes = statement_sql(&test_db, &nested("totalCount nodes { id }")).await;
    let nodes_only = statement_sql(&test_db, &nested("nodes { id }")).await;
    let nothing = statement_sql(
        &test_db,
        "{ initiatives(first: 3, filter: {query: \"bulk\"}) { nodes { id } } }",
    )
    .await;
    assert!(
        !reads_pages(&count_only) && counts_lists(&count_only),
        "a count alone: {count_only:#?}"
    );
    assert!(
        reads_pages(&count_and_nodes) && !counts_lists(&count_and_nodes),
        "{count_and_nodes:#?}"
    );
    assert_eq!(
        count_and_nodes.len(),
        nothing.len() + 1,
        "the page and its count are one statement"
    );
    assert_eq!(nodes_only.len(), count_and_nodes.len(), "nodes alone");
    assert_eq!(count_only.len(), count_and_nodes.len(), "a count alone");
    // A root page counts its list in its own statement, in ID order or sorted.
    for order in ["", "orderBy: {field: UPDATED_AT, direction: DESC}"] {
        let page = format!("{{ organisations(first: 5, {order}) {{ totalCount nodes {{ id }} }} }}");
        assert_eq!(statements(&test_db, &page).await, 1, "{page}");
    }

    // Statistics by country (or for all) read the counts kept ahead in one statement, whatever the facets;
    // any other filter counts only the facets asked for: one grouped count each (the total comes with the
    // statuses). The records some facets name (themes, focus areas, counties) are loaded on top.
    let facets = "byStatus { count } byCountry { count } byTheme { count } byFocusArea { count }
        bySchoolLevel { count } byResponsibleOrganisationKind { count } byRegion { count }";
    for (filter, kept, grouped) in [
        ("", (1, 1), (0, 0)),
        ("(filter: {country: [\"SE\"]})", (1, 1), (0, 0)),
        ("(filter: {status: [ONGOING]})", (0, 0), (1, 7)),
    ] {
        let reads = |sql: &[String], what: &str| sql.iter().filter(|s| s.contains(what)).count();
        let total = statement_sql(&test_db, &format!("{{ statistics{filter} {{ totalCount }} }}")).await;
        let every = statement_sql(&test_db, &format!("{{ statistics{filter} {{ totalCount {facets} }} }}")).await;
        assert_eq!(
            (reads(&total, "facet_count"), reads(&every, "facet_count")),
            kept,
            "reads of the counts kept ahead, {filter}"
        );
        assert_eq!(
            (reads(&total, "GROUP BY"), reads(&every, "GROUP BY")),
            grouped,
            "grouped counts for the total and for every facet, {filter}"
        );
    }
}

/// Runs `query` through a router whose connection counts statements, and returns the count.
async fn statements(test_db: &TestDb, query: &str) -> usize {
    statement_sql(test_db, query).await.len()
}

/// Runs `query` through a router whose connection records statements, and returns their SQL.
async fn statement_sql(test_db: &TestDb, query: &str) -> Vec<String> {
    let recorded = Arc::new(Mutex::new(Vec::new()));
    let mut db = test_db.connect().await;
    let seen = recorded.clone();
    db.set_metric_callback(move |info| {
        // The change feed's watcher reads the head on its own schedule; it is not part of the request.
        if info.statement.sql.contains("change_head") {
            return;
        }
        if std::env::var_os("KARTLA_PRINT_SQL").is_some() {
            eprintln!("SQL: {}", info.statement.sql.chars().take(150).collect::<String>());
        }
        seen.lock().expect("not poisoned").push(info.statement.sql.clone());
    });
    // No webhook deliveries: the dispatcher's own statements would be counted with the request's.
    let mut config = test_db.config(InitialSeed::None);
    config.webhooks.deliver = false;
    let app = TestApp {
        router: kartla::startup::build_router(db.clone(), &config),
        db,
    };
    app.query(query).await;
    recorded.lock().expect("not poisoned").clone()
}

async fn nested_pages_take_the_same_statements_for_5_and_50_rows(test_db: TestDb) {
    TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let organisations = |n: usize| {
        format!(
            "{{ organisations(first: {n}, filter: {{kinds: [MUNICIPALITY]}}) {{ totalCount nodes {{
                 id name nameTranslations {{ lang text }} identifiers {{ scheme value }}
                 parent {{ name identifiers {{ value }} }} }} }} }}"
        )
    };
    let few = statements(&test_db, &organisations(5)).await;
    let many = statements(&test_db, &organisations(50)).await;
    assert_eq!(few, many, "statements for 5 rows vs 50 rows");
    assert!(many <= 8, "{many} statements for one nested page");

    let initiatives = "{ initiatives(first: 50) { totalCount nodes { title goals { code } themes { code label }
        schoolLevels responsibilities { role organisation { name } } statusUpdates { decision actor { name } }
        actionPlan { title owners { name } strategy { name focusAreas { goals { code } } } } } } }";
    let nested = statements(&test_db, initiatives).await;
    // One statement per relation and level (link tables joined to their records), and one for all the
    // texts of a level: 17 for this query (23 when each link table and each text table took its own).
    assert!(nested <= 17, "{nested} statements for the nested initiative page");

    // The standard nested page of the read-API issue, on 60 initiatives that all look alike.
    insert_initiatives(&test_db.connect().await, 60).await;
    let standard = |n: usize| {
        format!(
            r#"{{ initiatives(first: {n}, filter: {{query: "bulk"}}) {{ totalCount nodes {{ title goals {{ code }}
                 themes {{ code label }} responsibilities {{ role decision organisation {{ name }} }}
                 activities(first: 10) {{ totalCount nodes {{ title status participants {{ totalCount }} }} }} }} }} }}"#
        )
    };
    let five = statements(&test_db, &standard(5)).await;
    let fifty = statements(&test_db, &standard(50)).await;
    assert_eq!(five, fifty, "statements for a standard page of 5 vs 50");
    // Three waves: the page with its count; the initiatives' texts, their goals (the link table joined to
    // the goals), their themes (likewise), their responsibilities with the organisations, and the pages of
    // activities with their counts; then every text of goals, themes, organisations and activities in one
    // statement, and the participant counts.
    assert!(fifty <= 8, "{fifty} statements for the standard nested page");
}

/// Inserts `n` initiatives that look alike: a title, one goal, one theme, one responsibility, and 12
/// activities with two participants each.
async fn insert_initiatives(db: &sea_orm::DatabaseConnection, n: usize) {
    use kartla::entity::enums::{DecisionState, ParticipationStatus, Role, Status};
    use kartla::entity::{
        activity, goal, initiative_goal, initiative_theme, organisation, participation, responsibility, theme,
    };
    use kartla::service::text::{TextOwner, Texts};
    use sea_orm::{EntityTrait, QuerySelect, Set};
    use uuid::Uuid;

    let goal = goal::Entity::find().one(db).await.expect("goals").expect("a goal").id;
    let theme = theme::Entity::find()
        .one(db)
        .await
        .expect("themes")
        .expect("a theme")
        .id;
    let authorities: Vec<Uuid> = organisation::Entity::find()
        .limit(2)
        .all(db)
        .await
        .expect("organisations")
        .into_iter()
        .map(|o| o.id)
        .collect();
    let now = chrono::Utc::now();
    for k in 0..n {
        let id = crate::helpers::insert_initiative(db, Status::Ongoing).await;
        let mut texts = Texts::default();
        texts.add("title", "en", &format!("Bulk initiative {k}"));
        kartla::service::text::insert(db, TextOwner::Initiative, &[(id, &texts)])
            .await
            .expect("texts");
        initiative_goal::Entity::insert(initiative_goal::ActiveModel {
            initiative_id: Set(id),
            goal_id: Set(goal),
        })
        .exec(db)
        .await
        .expect("a goal link");
        initiative_theme::Entity::insert(initiative_theme::ActiveModel {
            initiative_id: Set(id),
            theme_id: Set(theme),
        })
        .exec(db)
        .await
        .expect("a theme link");
        responsibility::Entity::insert(responsibility::ActiveModel {
            id: Set(Uuid::new_v4()),
            organisation_id: Set(authorities[0]),
            initiative_id: Set(Some(id)),
            activity_id: Set(None),
            role: Set(Role::Lead),
            decision: Set(DecisionState::Accepted),
            decided_on: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        })
        .exec(db)
        .await
        .expect("a responsibility");
        let activities: Vec<Uuid> = (0..12).map(|_| Uuid::new_v4()).collect();
        activity::Entity::insert_many(activities.iter().map(|a| activity::ActiveModel {
            id: Set(*a),
            initiative_id: Set(id),
            position: Set(None),
            status: Set(Status::Ongoing),
            planned_start: Set(None),
            planned_end: Set(None),
            actual_start: Set(None),
            actual_end: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            archived_at: Set(None),
        }))
        .exec(db)
        .await
        .expect("activities");
        participation::Entity::insert_many(activities.iter().flat_map(|a| {
            authorities.iter().map(move |o| participation::ActiveModel {
                id: Set(Uuid::new_v4()),
                activity_id: Set(*a),
                organisation_id: Set(*o),
                status: Set(ParticipationStatus::Participating),
                started_on: Set(None),
                ended_on: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            })
        }))
        .exec(db)
        .await
        .expect("participations");
    }
}
