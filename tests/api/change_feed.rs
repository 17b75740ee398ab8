//! The change feed: every change gets an event in commit order, a client resuming from its last cursor gets
//! each later event exactly once, the feed alone rebuilds the registry, and the filters select by type,
//! organisation and initiative.

use std::collections::HashMap;

use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use kartla::service::id::{NodeType, encode};
use migration::{Migrator, MigratorTrait};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::mutations::{as_token, organisation, token};
use crate::on_every_backend;

on_every_backend!(
    the_feed_alone_rebuilds_the_registry,
    the_feed_is_filtered_and_paged_by_position,
    records_made_before_the_feed_are_in_it,
    a_reader_tailing_concurrent_writers_misses_nothing
);

/// Every record type, as GraphQL names them.
const TYPES: [&str; 11] = [
    "Organisation",
    "Strategy",
    "FocusArea",
    "Goal",
    "ActionPlan",
    "Initiative",
    "Theme",
    "Activity",
    "Consultation",
    "Responsibility",
    "Participation",
];

/// The fields of an event the tests read, with every record's version.
fn event_fields() -> String {
    let versions: Vec<String> = TYPES.iter().map(|t| format!("... on {t} {{ version }}")).collect();
    format!(
        "position operation recordType recordId version record {{ id {} }}",
        versions.join(" ")
    )
}

/// Reads the feed from `after` to its end in pages of `page`; the events and the last cursor.
pub(crate) async fn read_feed(
    app: &TestApp,
    after: Option<&str>,
    page: i64,
    filter: Value,
) -> (Vec<Value>, Option<String>) {
    let query = format!(
        "query F($after: String, $first: Int, $filter: ChangeFilter) {{ changes(after: $after, first: $first,
           filter: $filter) {{ totalCount edges {{ cursor node {{ {} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
        event_fields()
    );
    let mut cursor = after.map(str::to_owned);
    let mut events = Vec::new();
    loop {
        let answer = app
            .graphql_with(
                &query,
                json!({ "after": cursor, "first": page, "filter": filter }),
                None,
            )
            .await;
        assert!(answer.get("errors").is_none(), "{answer}");
        let changes = &answer["data"]["changes"];
        for edge in changes["edges"].as_array().expect("edges") {
            assert_eq!(edge["cursor"], edge["node"]["position"], "the cursor is the position");
            events.push(edge["node"].clone());
        }
        if changes["pageInfo"]["endCursor"].is_string() {
            cursor = changes["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        if changes["pageInfo"]["hasNextPage"] != true {
            return (events, cursor);
        }
    }
}

/// Every record in the database with its version, by global ID.
async fn records_in_database(app: &TestApp) -> HashMap<String, i64> {
    use kartla::entity::*;
    let mut records = HashMap::new();
    macro_rules! read {
        ($($entity:ident => $node:ident),*) => {$(
            for row in $entity::Entity::find().all(&app.db).await.expect("rows") {
                records.insert(encode(NodeType::$node, row.id), i64::from(row.version));
            }
        )*};
    }
    read!(organisation => Organisation, strategy => Strategy, focus_area => FocusArea, goal => Goal,
        action_plan => ActionPlan, initiative => Initiative, theme => Theme, activity => Activity,
        consultation => Consultation, responsibility => Responsibility, participation => Participation);
    records
}

/// Applies events to a mirror: a record that is there is put in with its version, a tombstone removes it.
fn apply(mirror: &mut HashMap<String, i64>, events: &[Value]) {
    for event in events {
        let id = event["recordId"].as_str().expect("a record ID").to_owned();
        match event["record"].get("version").and_then(Value::as_i64) {
            Some(version) => mirror.insert(id, version),
            None => mirror.remove(&id),
        };
    }
}

/// Positions are numbers that only grow, without repeats.
fn assert_in_order(events: &[Value]) {
    let positions: Vec<i64> = events
        .iter()
        .map(|e| e["position"].as_str().expect("a position").parse().expect("a number"))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "positions grow: {positions:?}"
    );
}

const CREATE: &str = "mutation C($input: CreateInitiativeInput!) { createInitiative(input: $input) {
    initiative { id version responsibilities { id } } userErrors { field code message } } }";
const UPDATE: &str = "mutation U($input: UpdateInitiativeInput!) { updateInitiative(input: $input) {
    initiative { version } userErrors { code message } } }";
const ARCHIVE: &str = "mutation A($input: InitiativeVersionInput!) { archiveInitiative(input: $input) {
    initiative { version } userErrors { code message } } }";
const CREATE_ACTIVITY: &str = "mutation C($input: CreateActivityInput!) { createActivity(input: $input) {
    activity { id } userErrors { code message } } }";
const JOIN: &str = "mutation J($input: JoinActivityInput!) { joinActivity(input: $input) {
    participation { id } userErrors { code message } } }";
const ADD_SOURCE: &str = "mutation S($input: AddSourceInput!) { addSource(input: $input) {
    userErrors { code message } } }";

/// The cast of the edits below: KS leads, Bergen joins.
pub(crate) struct Edits {
    pub initiative: String,
    pub activity: String,
    pub ks: String,
    pub bergen: String,
}

/// A run of edits touching initiatives, roles, activities and participations: 1 initiative with 2 roles,
/// an update, an archive, a source, an activity and a participation.
pub(crate) async fn edit_a_little(app: &TestApp) -> Edits {
    let ks = organisation(app, r#"{query: "KS", kinds: [MUNICIPAL_ASSOCIATION], country: ["NO"]}"#).await;
    let bergen = organisation(app, r#"{identifier: "4601"}"#).await;
    let udir = organisation(app, r#"{query: "Utdanningsdirektoratet"}"#).await;
    let ks_editor = token(app, "ks", AccessRole::Editor, Some(&ks)).await;
    let bergen_editor = token(app, "bergen", AccessRole::Editor, Some(&bergen)).await;
    let answer = as_token(
        app,
        Some(&ks_editor),
        CREATE,
        json!({ "input": { "country": "NO",
        "title": [{ "lang": "nb", "text": "Felles innlogging" }],
        "responsibilities": [{ "organisationId": ks, "role": "LEAD" },
                             { "organisationId": udir, "role": "PROPOSED_RESPONSIBLE" }] } }),
    )
    .await;
    let initiative = answer["data"]["createInitiative"]["initiative"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an initiative: {answer}"))
        .to_owned();
    let answer = as_token(
        app,
        Some(&ks_editor),
        UPDATE,
        json!({ "input": { "initiativeId": initiative,
        "expectedVersion": 1, "title": [{ "lang": "en", "text": "One login" }] } }),
    )
    .await;
    assert_eq!(
        answer["data"]["updateInitiative"]["initiative"]["version"], 2,
        "{answer}"
    );
    let answer = as_token(
        app,
        Some(&ks_editor),
        ARCHIVE,
        json!({ "input": { "initiativeId": initiative,
        "expectedVersion": 2 } }),
    )
    .await;
    assert_eq!(
        answer["data"]["archiveInitiative"]["initiative"]["version"], 3,
        "{answer}"
    );
    let answer = as_token(
        app,
        Some(&ks_editor),
        ADD_SOURCE,
        json!({ "input": { "targetId": initiative,
        "kind": "WEB_PAGE", "url": "https://www.ks.no/", "title": [{ "lang": "nb", "text": "KS" }] } }),
    )
    .await;
    assert_eq!(answer["data"]["addSource"]["userErrors"], json!([]), "{answer}");
    let answer = as_token(
        app,
        Some(&ks_editor),
        CREATE_ACTIVITY,
        json!({ "input": { "initiativeId": initiative,
        "status": "DECIDED", "title": [{ "lang": "nb", "text": "Pilot" }] } }),
    )
    .await;
    let activity = answer["data"]["createActivity"]["activity"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an activity: {answer}"))
        .to_owned();
    let answer = as_token(
        app,
        Some(&bergen_editor),
        JOIN,
        json!({ "input": { "activityId": activity,
        "status": "INTERESTED" } }),
    )
    .await;
    assert!(
        answer["data"]["joinActivity"]["participation"]["id"].is_string(),
        "{answer}"
    );
    Edits {
        initiative,
        activity,
        ks,
        bergen,
    }
}

async fn the_feed_alone_rebuilds_the_registry(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    // The seed is in the feed: a mirror built from it matches the database.
    let (seeded, cursor) = read_feed(&app, None, 100, json!(null)).await;
    assert!(seeded.len() > 700, "every seeded record has an event: {}", seeded.len());
    assert!(seeded.iter().all(|e| e["operation"] == "CREATE"), "seeding creates");
    assert_in_order(&seeded);
    let mut mirror = HashMap::new();
    apply(&mut mirror, &seeded);
    assert_eq!(mirror, records_in_database(&app).await);

    // Edits, then reading on from the stored cursor in small pages: each new event once, in order.
    let edits = edit_a_little(&app).await;
    let (new, _) = read_feed(&app, cursor.as_deref(), 3, json!(null)).await;
    let summary: Vec<(String, String)> = new
        .iter()
        .map(|e| {
            (
                e["operation"].as_str().unwrap_or_default().into(),
                e["recordType"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    let expected = [
        ("CREATE", "INITIATIVE"),
        ("CREATE", "RESPONSIBILITY"),
        ("CREATE", "RESPONSIBILITY"),
        ("UPDATE", "INITIATIVE"),
        ("ARCHIVE", "INITIATIVE"),
        ("UPDATE", "INITIATIVE"),
        ("CREATE", "ACTIVITY"),
        ("CREATE", "PARTICIPATION"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(o, t)| ((*o).into(), (*t).into())).collect();
    assert_eq!(summary, expected);
    assert_in_order(&new);
    let versions: Vec<&Value> = new
        .iter()
        .filter(|e| e["recordId"] == edits.initiative.as_str())
        .map(|e| &e["version"])
        .collect();
    assert_eq!(
        versions,
        [&json!(1), &json!(2), &json!(3), &json!(3)],
        "each event has the version it made"
    );
    apply(&mut mirror, &new);
    assert_eq!(
        mirror,
        records_in_database(&app).await,
        "the mirror matches after the edits"
    );

    // The whole feed read again in pages of 7 is the same events.
    let (again, _) = read_feed(&app, None, 7, json!(null)).await;
    assert_eq!(again.len(), seeded.len() + new.len());
    assert_eq!(again.last(), new.last());
}

async fn the_feed_is_filtered_and_paged_by_position(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let (_, seeded) = read_feed(&app, None, 100, json!(null)).await;
    let edits = edit_a_little(&app).await;
    let after = seeded.as_deref();

    let (of_initiative, _) = read_feed(&app, after, 100, json!({ "initiative": edits.initiative })).await;
    assert_eq!(
        of_initiative.len(),
        8,
        "the initiative, its roles, activity and participation"
    );
    let (of_bergen, _) = read_feed(&app, after, 100, json!({ "organisation": edits.bergen })).await;
    assert_eq!(of_bergen.len(), 1, "Bergen's participation");
    assert_eq!(of_bergen[0]["recordType"], "PARTICIPATION");
    let (of_ks, _) = read_feed(
        &app,
        after,
        100,
        json!({ "organisation": edits.ks, "types": ["RESPONSIBILITY"] }),
    )
    .await;
    assert_eq!(of_ks.len(), 1, "the role KS holds");
    let (activities, _) = read_feed(&app, after, 100, json!({ "types": ["ACTIVITY", "PARTICIPATION"] })).await;
    assert_eq!(activities.len(), 2);
    assert_eq!(activities[0]["recordId"], edits.activity.as_str());

    // totalCount counts what is left after the cursor; `last` gives the newest events.
    let answer = app
        .graphql_with(
            "query Q($after: String) { changes(after: $after) { totalCount } latest: changes(last: 2) {
               nodes { operation recordType } pageInfo { hasPreviousPage } } }",
            json!({ "after": seeded }),
            None,
        )
        .await;
    assert_eq!(answer["data"]["changes"]["totalCount"], 8, "{answer}");
    assert_eq!(
        answer["data"]["latest"]["nodes"],
        json!([{ "operation": "CREATE", "recordType": "ACTIVITY" }, { "operation": "CREATE", "recordType": "PARTICIPATION" }])
    );
    assert_eq!(answer["data"]["latest"]["pageInfo"]["hasPreviousPage"], true);

    for (query, code) in [
        (r#"{ changes(after: "abc") { totalCount } }"#, "BAD_CURSOR"),
        (r#"{ changes(after: "-4") { totalCount } }"#, "BAD_CURSOR"),
        (r#"{ changes(first: 101) { totalCount } }"#, "PAGE_SIZE"),
        (
            r#"{ changes(filter: {initiative: "nonsense"}) { totalCount } }"#,
            "BAD_ID",
        ),
    ] {
        assert_eq!(app.error_code(query).await, code, "{query}");
    }
    let wrong_type = format!(
        r#"{{ changes(filter: {{organisation: "{}"}}) {{ totalCount }} }}"#,
        edits.initiative
    );
    assert_eq!(
        app.error_code(&wrong_type).await,
        "BAD_ID",
        "an initiative is not an organisation"
    );
}

/// A registry made before the feed existed: the migration gives each record a CREATE event.
async fn records_made_before_the_feed_are_in_it(test_db: TestDb) {
    let db = test_db.connect().await;
    Migrator::up(&db, Some(11)).await.expect("the first 11 migrations");
    let now = chrono::Utc::now();
    let id = uuid::Uuid::new_v4();
    use sea_orm::{ActiveModelTrait, Set};
    kartla::entity::organisation::ActiveModel {
        id: Set(id),
        kind: Set(kartla::entity::enums::OrganisationKind::Vendor),
        country: Set("SE".into()),
        parent_id: Set(None),
        website: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(4),
    }
    .insert(&db)
    .await
    .expect("an organisation");
    Migrator::up(&db, None).await.expect("the feed's migration");
    let events = kartla::entity::change_event::Entity::find()
        .all(&db)
        .await
        .expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].position, events[0].operation.as_str()), (1, "CREATE"));
    assert_eq!((events[0].record_id, events[0].version), (id, Some(4)));
    assert_eq!(events[0].organisation_id, Some(id));
    assert_eq!(
        kartla::service::change_feed::head_position(&db)
            .await
            .expect("the head"),
        1
    );
}

/// Twelve writers at once while a reader keeps asking for what is new: the reader sees each event once,
/// and the positions have no holes (a position is taken only by a change that commits).
async fn a_reader_tailing_concurrent_writers_misses_nothing(test_db: TestDb) {
    // The reader reads as fast as it can while the writers write: no rate limit, which on a slow database
    // it would reach before the writers are done (this failed CI once with 429 on MariaDB).
    let mut config = test_db.config(InitialSeed::Reference);
    config.rate_limits.anonymous_per_minute = None;
    config.rate_limits.token_per_minute = None;
    let app = TestApp::spawn_with(config).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    let (_, start) = read_feed(&app, None, 100, json!(null)).await;
    let start = start.expect("a seeded feed");
    let create = "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
        userErrors { code } } }";
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let writers = futures_util::future::join_all((0..12).map(|i| {
        let input = json!({ "input": { "kind": "VENDOR", "country": "SE",
            "name": [{ "lang": "sv", "text": format!("Leverantör {i}") }] } });
        let (app, admin, finished) = (&app, &admin, &finished);
        async move {
            let answer = as_token(app, Some(admin), create, input).await;
            finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            answer
        }
    }));
    // The reader stops once it has every event, or once a read that began after the last writer answered
    // found nothing more: then a missing event is reported with the writers' answers, not after a timeout.
    let reader = async {
        let (mut seen, mut cursor) = (Vec::new(), Some(start.clone()));
        while seen.len() < 12 {
            let all_answered = finished.load(std::sync::atomic::Ordering::SeqCst) == 12;
            let (events, last) = read_feed(&app, cursor.as_deref(), 5, json!(null)).await;
            if all_answered && events.is_empty() {
                break;
            }
            seen.extend(events);
            cursor = last.or(cursor);
            tokio::task::yield_now().await;
        }
        seen
    };
    let (answers, seen) = tokio::join!(writers, reader);
    for answer in answers {
        assert_eq!(
            answer["data"]["createOrganisation"]["userErrors"],
            json!([]),
            "{answer}"
        );
    }
    let first: i64 = start.parse().expect("a position");
    let expected: Vec<String> = (first + 1..=first + 12).map(|p| p.to_string()).collect();
    let positions: Vec<&str> = seen
        .iter()
        .map(|e| e["position"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(positions, expected, "each position once, in order, without holes");
}
