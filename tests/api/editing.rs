//! Editing initiatives and activities: create with everything in one go, validation that writes nothing,
//! updates with versions and history, archiving and restoring, roles proposed and decided, organisations
//! joining and leaving activities, and the permission matrix over every mutation.

use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb};
use crate::mutations::{as_token, organisation, token};
use crate::on_every_backend;

on_every_backend!(
    an_initiative_is_created_whole_or_not_at_all,
    updates_archiving_and_history_of_an_initiative,
    activities_and_participation_are_edited_by_their_organisations,
    every_mutation_refuses_who_may_not_use_it,
    a_role_grants_editing_once_it_is_accepted,
    organisations_and_themes_are_kept_by_admins,
    consultations_are_run_by_their_organisers,
    sources_and_contacts_are_added_by_editors,
    strategies_are_built_by_admins
);

const CREATE: &str = "mutation C($input: CreateInitiativeInput!) { createInitiative(input: $input) {
    initiative { id version status country number title(lang: \"sv\") description(lang: \"en\")
      titleTranslations { lang text } goals { code } themes { code } schoolLevels viewerCanUpdate
      responsibilities { id version role decision organisation { id } }
      history { totalCount nodes { operation tokenName changes } } }
    userErrors { field code message } } }";

const UPDATE: &str = "mutation U($input: UpdateInitiativeInput!) { updateInitiative(input: $input) {
    initiative { id version title(lang: \"en\") description(lang: \"en\") plannedStart plannedEnd
      goals { code } themes { code } history { nodes { operation changes } } }
    userErrors { field code message currentVersion } } }";

const ARCHIVE: &str = "mutation A($input: InitiativeVersionInput!) { archiveInitiative(input: $input) {
    initiative { id version archivedAt } userErrors { field code message } } }";

const RESTORE: &str = "mutation R($input: InitiativeVersionInput!) { restoreInitiative(input: $input) {
    initiative { id version archivedAt } userErrors { field code message } } }";

/// The standard organisations and tokens of these tests: KS (Norway's association of municipalities) and
/// Bergen municipality as editors, an admin and a reader.
struct Cast {
    ks: String,
    bergen: String,
    udir: String,
    ks_editor: String,
    bergen_editor: String,
    admin: String,
    reader: String,
}

async fn cast(app: &TestApp) -> Cast {
    let ks = organisation(app, r#"{query: "KS", kinds: [MUNICIPAL_ASSOCIATION], country: ["NO"]}"#).await;
    let bergen = organisation(app, r#"{identifier: "4601"}"#).await;
    let udir = organisation(app, r#"{query: "Utdanningsdirektoratet"}"#).await;
    Cast {
        ks_editor: token(app, "ks", AccessRole::Editor, Some(&ks)).await,
        bergen_editor: token(app, "bergen", AccessRole::Editor, Some(&bergen)).await,
        admin: token(app, "admin", AccessRole::Admin, None).await,
        reader: token(app, "reader", AccessRole::Reader, None).await,
        ks,
        bergen,
        udir,
    }
}

async fn initiatives_in_database(app: &TestApp) -> u64 {
    kartla::entity::initiative::Entity::find()
        .count(&app.db)
        .await
        .expect("a count")
}

async fn a_goal(app: &TestApp) -> (String, String) {
    let data = app
        .query("{ strategies { nodes { focusAreas { goals { id code } } } } }")
        .await;
    let goal = data["strategies"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["focusAreas"].as_array().into_iter().flatten())
        .flat_map(|a| a["goals"].as_array().into_iter().flatten())
        .next()
        .expect("a goal in the demo data");
    (
        goal["id"].as_str().expect("a goal").to_owned(),
        goal["code"].as_str().expect("a code").to_owned(),
    )
}

fn new_initiative(c: &Cast, goal: &str) -> Value {
    json!({ "input": {
        "country": "NO",
        "title": [{ "lang": "sv", "text": "Gemensam inloggning" }, { "lang": "nb", "text": "Felles innlogging" }],
        "description": [{ "lang": "en", "text": "One login for every school service." }],
        "plannedStart": "2027-01-01", "plannedEnd": "2028-12-31",
        "goalIds": [goal], "themes": ["information-security", "privacy"], "schoolLevels": ["COMPULSORY"],
        "responsibilities": [
            { "organisationId": c.ks, "role": "LEAD" },
            { "organisationId": c.udir, "role": "PROPOSED_RESPONSIBLE" } ] } })
}

async fn an_initiative_is_created_whole_or_not_at_all(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let (goal, code) = a_goal(&app).await;
    let before = initiatives_in_database(&app).await;

    let answer = as_token(&app, Some(&c.ks_editor), CREATE, new_initiative(&c, &goal)).await;
    let payload = &answer["data"]["createInitiative"];
    assert_eq!(payload["userErrors"], json!([]), "{answer}");
    let created = &payload["initiative"];
    assert_eq!(created["version"], 1);
    assert_eq!(created["status"], "PROPOSED");
    assert_eq!(created["title"], "Gemensam inloggning");
    assert_eq!(created["description"], "One login for every school service.");
    assert_eq!(created["titleTranslations"].as_array().map(Vec::len), Some(2));
    assert_eq!(created["goals"], json!([{ "code": code }]));
    assert_eq!(
        created["themes"],
        json!([{ "code": "information-security" }, { "code": "privacy" }])
    );
    assert_eq!(created["schoolLevels"], json!(["COMPULSORY"]));
    assert_eq!(created["viewerCanUpdate"], true);
    let roles = created["responsibilities"].as_array().expect("roles");
    let role_of = |org: &str| {
        roles
            .iter()
            .find(|r| r["organisation"]["id"] == org)
            .unwrap_or_else(|| panic!("a role of {org}: {roles:?}"))
    };
    assert_eq!(role_of(&c.ks)["decision"], "ACCEPTED", "the creator's own role");
    assert_eq!(
        role_of(&c.udir)["decision"],
        "PROPOSED",
        "another organisation's role waits for it"
    );
    assert_eq!(created["history"]["totalCount"], 1);
    let entry = &created["history"]["nodes"][0];
    assert_eq!(entry["operation"], "CREATE_INITIATIVE");
    assert_eq!(entry["tokenName"], "ks");
    assert_eq!(entry["changes"]["country"]["after"], "NO");
    assert_eq!(initiatives_in_database(&app).await, before + 1);

    // Udir accepts the role proposed to it through the API.
    let udir_editor = token(&app, "udir", AccessRole::Editor, Some(&c.udir)).await;
    let decide = "mutation D($input: DecideResponsibilityInput!) { decideResponsibility(input: $input) {
        responsibility { decision } userErrors { code } } }";
    let role = role_of(&c.udir);
    let variables = json!({ "input": { "responsibilityId": role["id"], "expectedVersion": role["version"],
                                        "decision": "ACCEPTED" } });
    let answer = as_token(&app, Some(&udir_editor), decide, variables).await;
    assert_eq!(
        answer["data"]["decideResponsibility"]["responsibility"]["decision"], "ACCEPTED",
        "{answer}"
    );

    // Everything wrong at once: each problem with its path, and nothing written.
    let mut bad = new_initiative(&c, "not-an-id");
    bad["input"]["title"] = json!([{ "lang": "not a tag", "text": " " }]);
    bad["input"]["plannedEnd"] = json!("2026-01-01");
    bad["input"]["themes"] = json!(["privacy", "no-such-theme"]);
    let answer = as_token(&app, Some(&c.ks_editor), CREATE, bad).await;
    let payload = &answer["data"]["createInitiative"];
    assert_eq!(payload["initiative"], Value::Null, "{answer}");
    let problems: Vec<(String, String)> = payload["userErrors"]
        .as_array()
        .expect("user errors")
        .iter()
        .map(|e| {
            let path: Vec<&str> = e["field"]
                .as_array()
                .expect("a path")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            (path.join("."), e["code"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    for expected in [
        ("input.title.0.lang", "INVALID"),
        ("input.title.0.text", "INVALID"),
        ("input.goalIds.0", "BAD_ID"),
    ] {
        assert!(
            problems.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {problems:?}"
        );
    }
    // The checks against the database come once the IDs decode.
    let mut bad = new_initiative(&c, &goal);
    bad["input"]["plannedEnd"] = json!("2026-01-01");
    bad["input"]["themes"] = json!(["privacy", "no-such-theme"]);
    let answer = as_token(&app, Some(&c.ks_editor), CREATE, bad).await;
    let errors = &answer["data"]["createInitiative"]["userErrors"];
    assert_eq!(errors[0]["field"], json!(["input", "plannedEnd"]), "{answer}");
    assert_eq!(errors[1]["field"], json!(["input", "themes", "1"]), "{answer}");
    assert_eq!(errors[1]["code"], "NOT_FOUND");

    // An editor's initiative names the editor's own organisation as LEAD or RESPONSIBLE.
    let answer = as_token(&app, Some(&c.bergen_editor), CREATE, new_initiative(&c, &goal)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{answer}");
    assert_eq!(
        initiatives_in_database(&app).await,
        before + 1,
        "nothing invalid was written"
    );
}

async fn updates_archiving_and_history_of_an_initiative(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let (goal, _) = a_goal(&app).await;
    let answer = as_token(&app, Some(&c.ks_editor), CREATE, new_initiative(&c, &goal)).await;
    let id = answer["data"]["createInitiative"]["initiative"]["id"]
        .as_str()
        .expect("an initiative")
        .to_owned();

    let change = json!({ "input": { "initiativeId": id, "expectedVersion": 1,
        "title": [{ "lang": "en", "text": "Single sign-on" }], "description": [], "plannedStart": null,
        "goalIds": [], "themes": ["standards-interoperability"] } });
    let answer = as_token(&app, Some(&c.ks_editor), UPDATE, change.clone()).await;
    let updated = &answer["data"]["updateInitiative"]["initiative"];
    assert_eq!(updated["version"], 2, "{answer}");
    assert_eq!(updated["title"], "Single sign-on");
    assert_eq!(updated["description"], Value::Null);
    assert_eq!(updated["plannedStart"], Value::Null);
    assert_eq!(updated["plannedEnd"], "2028-12-31", "a field left out keeps its value");
    assert_eq!(updated["goals"], json!([]));
    assert_eq!(updated["themes"], json!([{ "code": "standards-interoperability" }]));
    let entry = &updated["history"]["nodes"][1];
    assert_eq!(entry["operation"], "UPDATE_INITIATIVE");
    assert_eq!(
        entry["changes"]["plannedStart"],
        json!({ "before": "2027-01-01", "after": null })
    );
    assert_eq!(entry["changes"]["version"], json!({ "before": 1, "after": 2 }));
    assert_eq!(
        entry["changes"]["title"]["after"],
        json!([{ "lang": "en", "text": "Single sign-on" }])
    );
    assert!(
        entry["changes"].get("plannedEnd").is_none(),
        "unchanged fields are not listed: {entry}"
    );

    // The same change again, from the old version: CONFLICT with the version now, nothing changed.
    let answer = as_token(&app, Some(&c.ks_editor), UPDATE, change).await;
    let error = &answer["data"]["updateInitiative"]["userErrors"][0];
    assert_eq!(error["code"], "CONFLICT", "{answer}");
    assert_eq!(error["currentVersion"], 2);
    // An end before the start, counting the start already there.
    let early = json!({ "input": { "initiativeId": id, "expectedVersion": 2, "plannedStart": "2029-01-01" } });
    let answer = as_token(&app, Some(&c.ks_editor), UPDATE, early).await;
    assert_eq!(
        answer["data"]["updateInitiative"]["userErrors"][0]["field"],
        json!(["input", "plannedEnd"])
    );

    // Archived: gone from lists and search, still there by ID and with includeArchived; then restored.
    let listed = |archived: bool| {
        format!(r#"{{ initiatives(filter: {{country: ["NO"], includeArchived: {archived}}}) {{ nodes {{ id }} }} }}"#)
    };
    let has = |data: &Value, id: &str| {
        data["initiatives"]["nodes"]
            .as_array()
            .is_some_and(|nodes| nodes.iter().any(|n| n["id"] == id))
    };
    let version = json!({ "input": { "initiativeId": id, "expectedVersion": 2 } });
    let answer = as_token(&app, Some(&c.ks_editor), ARCHIVE, version.clone()).await;
    let archived = &answer["data"]["archiveInitiative"]["initiative"];
    assert!(archived["archivedAt"].is_string(), "{answer}");
    assert_eq!(archived["version"], 3);
    assert!(!has(&app.query(&listed(false)).await, &id));
    assert!(has(&app.query(&listed(true)).await, &id));
    let found = app.query(r#"{ search(query: "Single sign-on") { totalCount } }"#).await;
    assert_eq!(found["search"]["totalCount"], 0, "archived initiatives leave search");
    let by_id = app
        .query(&format!(
            r#"{{ node(id: "{id}") {{ ... on Initiative {{ archivedAt }} }} }}"#
        ))
        .await;
    assert!(by_id["node"]["archivedAt"].is_string());
    let answer = as_token(&app, Some(&c.ks_editor), ARCHIVE, version).await;
    assert_eq!(answer["data"]["archiveInitiative"]["userErrors"][0]["code"], "CONFLICT");
    let again = json!({ "input": { "initiativeId": id, "expectedVersion": 3 } });
    let answer = as_token(&app, Some(&c.ks_editor), ARCHIVE, again.clone()).await;
    assert_eq!(
        answer["data"]["archiveInitiative"]["userErrors"][0]["code"],
        "INVALID_TRANSITION"
    );
    let answer = as_token(&app, Some(&c.ks_editor), RESTORE, again).await;
    assert_eq!(
        answer["data"]["restoreInitiative"]["initiative"]["archivedAt"],
        Value::Null,
        "{answer}"
    );
    assert!(has(&app.query(&listed(false)).await, &id));
}

const CREATE_ACTIVITY: &str = "mutation C($input: CreateActivityInput!) { createActivity(input: $input) {
    activity { id version status title(lang: \"nb\") viewerCanUpdate responsibilities { decision } }
    userErrors { field code message } } }";

const UPDATE_ACTIVITY: &str = "mutation U($input: UpdateActivityInput!) { updateActivity(input: $input) {
    activity { version status plannedEnd } userErrors { field code message currentVersion } } }";

const JOIN: &str = "mutation J($input: JoinActivityInput!) { joinActivity(input: $input) {
    participation { id version status viewerCanUpdate organisation { id } } userErrors { field code message currentVersion } } }";

const LEAVE: &str = "mutation L($input: LeaveActivityInput!) { leaveActivity(input: $input) {
    participation { version status endedOn history { totalCount } } userErrors { field code message } } }";

async fn activities_and_participation_are_edited_by_their_organisations(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let data = app
        .query(r#"{ initiatives(filter: {country: ["NO"]}) { nodes { id } } }"#)
        .await;
    let initiative = data["initiatives"]["nodes"][0]["id"]
        .as_str()
        .expect("an initiative")
        .to_owned();

    let new = json!({ "input": { "initiativeId": initiative, "status": "DECIDED",
        "title": [{ "lang": "nb", "text": "Pilot i Vestland" }], "plannedStart": "2027-02-01",
        "responsibilities": [{ "organisationId": c.bergen, "role": "IMPLEMENTER" }] } });
    let answer = as_token(&app, Some(&c.bergen_editor), CREATE_ACTIVITY, new.clone()).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "Bergen does not run the initiative"
    );
    let answer = as_token(&app, Some(&c.ks_editor), CREATE_ACTIVITY, new).await;
    let activity = &answer["data"]["createActivity"]["activity"];
    assert_eq!(activity["title"], "Pilot i Vestland", "{answer}");
    assert_eq!(activity["status"], "DECIDED");
    assert_eq!(activity["viewerCanUpdate"], true);
    assert_eq!(activity["responsibilities"][0]["decision"], "PROPOSED");
    let id = activity["id"].as_str().expect("an activity").to_owned();

    let step = |version: i64, status: &str| json!({ "input": { "activityId": id, "expectedVersion": version, "status": status, "plannedEnd": "2027-06-30" } });
    let answer = as_token(&app, Some(&c.ks_editor), UPDATE_ACTIVITY, step(1, "COMPLETED")).await;
    assert_eq!(
        answer["data"]["updateActivity"]["userErrors"][0]["code"], "INVALID_TRANSITION",
        "{answer}"
    );
    let answer = as_token(&app, Some(&c.ks_editor), UPDATE_ACTIVITY, step(1, "ONGOING")).await;
    assert_eq!(answer["data"]["updateActivity"]["activity"]["version"], 2, "{answer}");
    assert_eq!(answer["data"]["updateActivity"]["activity"]["plannedEnd"], "2027-06-30");

    // Bergen joins; a second join must name the version it read; Bergen leaves, and the history says so.
    let join = |version: Option<i64>| json!({ "input": { "activityId": id, "status": "INTERESTED", "expectedVersion": version } });
    let answer = as_token(
        &app,
        Some(&c.ks_editor),
        JOIN,
        json!({ "input": { "activityId": id, "organisationId": c.bergen } }),
    )
    .await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "KS does not act for Bergen: {answer}"
    );
    let answer = as_token(&app, Some(&c.bergen_editor), JOIN, join(None)).await;
    let joined = &answer["data"]["joinActivity"]["participation"];
    assert_eq!(joined["viewerCanUpdate"], true, "{answer}");
    assert_eq!(joined["status"], "INTERESTED", "{answer}");
    assert_eq!(joined["organisation"]["id"], c.bergen.as_str());
    let answer = as_token(&app, Some(&c.bergen_editor), JOIN, join(None)).await;
    let error = &answer["data"]["joinActivity"]["userErrors"][0];
    assert_eq!(error["code"], "CONFLICT", "{answer}");
    assert_eq!(error["currentVersion"], 1);
    let leave = json!({ "input": { "activityId": id, "expectedVersion": 1, "endedOn": "2027-03-01" } });
    let answer = as_token(&app, Some(&c.bergen_editor), LEAVE, leave).await;
    let left = &answer["data"]["leaveActivity"]["participation"];
    assert_eq!(left["status"], "WITHDRAWN", "{answer}");
    assert_eq!(left["endedOn"], "2027-03-01");
    assert_eq!(left["history"]["totalCount"], 2);

    // Archived: the activity leaves its initiative's list and the activity list.
    let count = format!(
        r#"{{ node(id: "{initiative}") {{ ... on Initiative {{ activities {{ totalCount }} }} }}
        activities(filter: {{initiatives: ["{initiative}"]}}) {{ totalCount }} }}"#
    );
    let before = app.query(&count).await;
    let archive = "mutation A($input: ActivityVersionInput!) { archiveActivity(input: $input) {
        activity { archivedAt } userErrors { code } } }";
    let answer = as_token(
        &app,
        Some(&c.admin),
        archive,
        json!({ "input": { "activityId": id, "expectedVersion": 2 } }),
    )
    .await;
    assert!(
        answer["data"]["archiveActivity"]["activity"]["archivedAt"].is_string(),
        "{answer}"
    );
    let after = app.query(&count).await;
    let total = |data: &Value| data["node"]["activities"]["totalCount"].as_i64().expect("a count");
    assert_eq!(total(&after), total(&before) - 1);
    assert_eq!(
        after["activities"]["totalCount"].as_i64(),
        before["activities"]["totalCount"].as_i64().map(|n| n - 1)
    );
}

/// Every mutation, called by anonymous, a reader, an editor of an organisation with no part in the record,
/// an editor of the owning organisation and an admin: the first three are refused (UNAUTHENTICATED,
/// FORBIDDEN, FORBIDDEN); the last two get past the permission check.
async fn every_mutation_refuses_who_may_not_use_it(test_db: TestDb) {
    let mut config = test_db.config(InitialSeed::Demo);
    config.webhooks.key = Some(kartla::service::webhook::secret::WebhookKey::generate());
    let app = TestApp::spawn_with(config).await;
    let c = cast(&app).await;
    let skr = organisation(&app, r#"{query: "Sveriges Kommuner"}"#).await;
    let stranger = token(&app, "skr", AccessRole::Editor, Some(&skr)).await;
    let data = app
        .query(
            r#"{ initiatives(filter: {country: ["NO"]}) { nodes { id version
                 responsibilities { id version organisation { id } }
                 activities(first: 1) { nodes { id version } } } } }"#,
        )
        .await;
    let initiative = &data["initiatives"]["nodes"][0];
    let id = initiative["id"].as_str().expect("an initiative");
    let activity = initiative["activities"]["nodes"][0]["id"]
        .as_str()
        .expect("an activity");
    let udir_role = initiative["responsibilities"]
        .as_array()
        .and_then(|roles| roles.iter().find(|r| r["organisation"]["id"] == c.udir.as_str()))
        .expect("Udir's role");
    let udir_editor = token(&app, "udir", AccessRole::Editor, Some(&c.udir)).await;
    let (goal, _) = a_goal(&app).await;

    let theme = app.query("{ themes { id } }").await["themes"][0]["id"].clone();
    let open = json!({ "input": { "title": [{ "lang": "nb", "text": "Høring" }], "organiserId": c.ks } });
    let answer = as_token(&app, Some(&c.admin), OPEN, open).await;
    let consultation = answer["data"]["openConsultation"]["consultation"]["id"].clone();
    // (mutation, input, the owner's editor token). Versions are stale on purpose where that keeps the
    // record unchanged: who gets past the permission check then hears CONFLICT, not FORBIDDEN. Reference
    // data (organisations, themes) has no owner but the admin: an EDITOR is refused.
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "createInitiative",
            new_initiative(&c, &goal)["input"].clone(),
            &c.ks_editor,
        ),
        (
            "updateInitiative",
            json!({ "initiativeId": id, "expectedVersion": 99 }),
            &c.ks_editor,
        ),
        (
            "archiveInitiative",
            json!({ "initiativeId": id, "expectedVersion": 99 }),
            &c.ks_editor,
        ),
        (
            "restoreInitiative",
            json!({ "initiativeId": id, "expectedVersion": 99 }),
            &c.ks_editor,
        ),
        (
            "setInitiativeStatus",
            json!({ "initiativeId": id, "expectedVersion": 99, "status": "ONGOING" }),
            &c.ks_editor,
        ),
        (
            "proposeResponsibility",
            json!({ "initiativeId": id, "organisationId": c.bergen, "role": "PARTNER" }),
            &c.ks_editor,
        ),
        (
            "decideResponsibility",
            json!({ "responsibilityId": udir_role["id"], "expectedVersion": 99, "decision": "ACCEPTED" }),
            &udir_editor,
        ),
        (
            "createActivity",
            json!({ "initiativeId": id, "title": [{ "lang": "en", "text": "Matrix" }] }),
            &c.ks_editor,
        ),
        (
            "updateActivity",
            json!({ "activityId": activity, "expectedVersion": 99 }),
            &c.ks_editor,
        ),
        (
            "archiveActivity",
            json!({ "activityId": activity, "expectedVersion": 99 }),
            &c.ks_editor,
        ),
        (
            "restoreActivity",
            json!({ "activityId": activity, "expectedVersion": 99 }),
            &c.ks_editor,
        ),
        (
            "joinActivity",
            json!({ "activityId": activity, "organisationId": c.bergen, "expectedVersion": 99 }),
            &c.bergen_editor,
        ),
        (
            "leaveActivity",
            json!({ "activityId": activity, "organisationId": c.bergen, "expectedVersion": 99 }),
            &c.bergen_editor,
        ),
        (
            "createOrganisation",
            json!({ "kind": "OTHER", "country": "NO", "name": [{ "lang": "nb", "text": "Matrise AS" }] }),
            ADMIN_ONLY,
        ),
        (
            "updateOrganisation",
            json!({ "organisationId": c.bergen, "expectedVersion": 99 }),
            ADMIN_ONLY,
        ),
        (
            "createTheme",
            json!({ "code": "matrix", "label": [{ "lang": "en", "text": "Matrix" }] }),
            ADMIN_ONLY,
        ),
        (
            "updateTheme",
            json!({ "themeId": theme, "expectedVersion": 99 }),
            ADMIN_ONLY,
        ),
        (
            "openConsultation",
            json!({ "title": [{ "lang": "en", "text": "Matrix" }], "organiserId": c.ks }),
            &c.ks_editor,
        ),
        (
            "addConsultationEvent",
            json!({ "consultationId": consultation, "kind": "MEETING", "title": [{ "lang": "en", "text": "Matrix" }] }),
            &c.ks_editor,
        ),
        (
            "submitConsultationInput",
            json!({ "consultationId": consultation, "organisationId": c.bergen,
                    "summary": [{ "lang": "en", "text": "Matrix" }] }),
            &c.bergen_editor,
        ),
        (
            "addSource",
            json!({ "targetId": id, "kind": "DECISION", "title": [{ "lang": "en", "text": "Matrix" }] }),
            &c.ks_editor,
        ),
        ("addContact", json!({ "targetId": id, "name": "Matrix" }), &c.ks_editor),
        (
            "saveStrategy",
            json!({ "country": "NO", "name": [{ "lang": "en", "text": "Matrix" }] }),
            ADMIN_ONLY,
        ),
        (
            "saveActionPlan",
            json!({ "country": "NO", "name": [{ "lang": "en", "text": "Matrix" }] }),
            ADMIN_ONLY,
        ),
        (
            "saveFocusArea",
            json!({ "id": goal, "expectedVersion": 99 }),
            ADMIN_ONLY,
        ),
        ("saveGoal", json!({ "id": goal, "expectedVersion": 99 }), ADMIN_ONLY),
    ];
    let schema = kartla::graphql::sdl();
    for (name, input, owner) in &cases {
        let input_type = input_type_of(&schema, name);
        let query =
            format!("mutation M($input: {input_type}!) {{ {name}(input: $input) {{ userErrors {{ code }} }} }}");
        let owner_row = match *owner {
            ADMIN_ONLY => (
                "an editor, on reference data",
                Some(c.ks_editor.as_str()),
                Some("FORBIDDEN"),
            ),
            owner => ("editor of the owner", Some(owner), None),
        };
        for (who, token, refusal) in [
            ("anonymous", None, Some("UNAUTHENTICATED")),
            ("reader", Some(c.reader.as_str()), Some("FORBIDDEN")),
            (
                "editor of another organisation",
                Some(stranger.as_str()),
                Some("FORBIDDEN"),
            ),
            owner_row,
            ("admin", Some(c.admin.as_str()), None),
        ] {
            let answer = as_token(&app, token, &query, json!({ "input": input })).await;
            check_answer(&answer, name, who, refusal, None);
        }
    }
    let webhooks = webhook_mutations_refuse_who_may_not_use_them(&app, &c, &udir_editor, &stranger, &schema).await;
    // Every mutation of the schema is in the matrix.
    let mutations = mutation_names(&schema);
    let mut covered: Vec<&str> = cases.iter().map(|(name, _, _)| *name).collect();
    covered.extend(webhooks);
    for name in &mutations {
        assert!(
            covered.contains(&name.as_str()),
            "{name} is not in the permission matrix"
        );
    }
}

/// A role proposed to an organisation lets it decide on the role, nothing more; once accepted it grants
/// editing; a declined one grants nothing.
async fn a_role_grants_editing_once_it_is_accepted(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let (goal, _) = a_goal(&app).await;
    let udir_editor = token(&app, "udir", AccessRole::Editor, Some(&c.udir)).await;
    let mut input = new_initiative(&c, &goal);
    input["input"]["responsibilities"] = json!([
        { "organisationId": c.ks, "role": "LEAD" },
        { "organisationId": c.udir, "role": "LEAD" },
        { "organisationId": c.bergen, "role": "RESPONSIBLE" } ]);
    let answer = as_token(&app, Some(&c.ks_editor), CREATE, input).await;
    let created = &answer["data"]["createInitiative"]["initiative"];
    let id = created["id"].as_str().expect("an initiative").to_owned();
    let roles = created["responsibilities"].as_array().expect("roles").clone();
    let role_of = |org: &str| {
        roles
            .iter()
            .find(|r| r["organisation"]["id"] == org)
            .expect("a role")
            .clone()
    };

    let update = |version: i64| {
        json!({ "input": { "initiativeId": id, "expectedVersion": version,
                           "description": [{ "lang": "en", "text": format!("Edited at version {version}") }] } })
    };
    let activity = json!({ "input": { "initiativeId": id, "title": [{ "lang": "nb", "text": "Pilot" }] } });
    let decide = "mutation D($input: DecideResponsibilityInput!) { decideResponsibility(input: $input) {
        responsibility { decision } userErrors { code } } }";

    // Proposed: Udir (LEAD) and Bergen (RESPONSIBLE) may neither update nor add activities.
    for editor in [&udir_editor, &c.bergen_editor] {
        let version = initiative_version(&app, &id).await;
        let answer = as_token(&app, Some(editor), UPDATE, update(version)).await;
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "proposed: {answer}"
        );
        let answer = as_token(&app, Some(editor), CREATE_ACTIVITY, activity.clone()).await;
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "proposed: {answer}"
        );
    }
    let viewer_can = format!("{{ node(id: \"{id}\") {{ ... on Initiative {{ viewerCanUpdate }} }} }}");
    let answer = as_token(&app, Some(&udir_editor), &viewer_can, json!({})).await;
    assert_eq!(answer["data"]["node"]["viewerCanUpdate"], false, "{answer}");

    // Udir accepts and may edit; Bergen declines and still may not.
    for (editor, org, decision) in [
        (&udir_editor, &c.udir, "ACCEPTED"),
        (&c.bergen_editor, &c.bergen, "DECLINED"),
    ] {
        let role = role_of(org);
        let variables = json!({ "input": { "responsibilityId": role["id"], "expectedVersion": role["version"],
                                            "decision": decision } });
        let answer = as_token(&app, Some(editor), decide, variables).await;
        assert_eq!(
            answer["data"]["decideResponsibility"]["responsibility"]["decision"], decision,
            "{answer}"
        );
    }
    let version = initiative_version(&app, &id).await;
    let answer = as_token(&app, Some(&udir_editor), UPDATE, update(version)).await;
    assert_eq!(
        answer["data"]["updateInitiative"]["userErrors"],
        json!([]),
        "accepted: {answer}"
    );
    let answer = as_token(&app, Some(&udir_editor), CREATE_ACTIVITY, activity.clone()).await;
    assert_eq!(
        answer["data"]["createActivity"]["userErrors"],
        json!([]),
        "accepted: {answer}"
    );
    let version = initiative_version(&app, &id).await;
    let answer = as_token(&app, Some(&c.bergen_editor), UPDATE, update(version)).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "declined: {answer}"
    );
}

async fn initiative_version(app: &TestApp, id: &str) -> i64 {
    let data = app
        .query(&format!(
            "{{ node(id: \"{id}\") {{ ... on Initiative {{ version }} }} }}"
        ))
        .await;
    data["node"]["version"].as_i64().expect("a version")
}

/// In the matrix: a mutation for ADMIN tokens only.
const ADMIN_ONLY: &str = "";

/// Checks one answer of the permission matrix: refused with the top-level `refusal` code and no data, or
/// let through to the mutation's `userErrors` (with `user_error` first among them, when given).
fn check_answer(answer: &Value, name: &str, who: &str, refusal: Option<&str>, user_error: Option<&str>) {
    match refusal {
        Some(code) => {
            assert_eq!(
                answer["errors"][0]["extensions"]["code"], code,
                "{name} as {who}: {answer}"
            );
            assert_eq!(answer["data"], Value::Null, "{name} as {who}");
        }
        None => {
            assert!(answer.get("errors").is_none(), "{name} as {who}: {answer}");
            let errors = &answer["data"][name]["userErrors"];
            assert!(errors.is_array(), "{name} as {who}: {answer}");
            if let Some(code) = user_error {
                assert_eq!(errors[0]["code"], code, "{name} as {who}: {answer}");
            }
        }
    }
}

/// The webhook mutations of the matrix: an endpoint belongs to an organisation, so an EDITOR creates its
/// own, and to an editor of another organisation an endpoint does not exist (NOT_FOUND, not FORBIDDEN);
/// readers are refused and anonymous callers must sign in. The names covered.
async fn webhook_mutations_refuse_who_may_not_use_them(
    app: &TestApp,
    c: &Cast,
    owner: &str,
    stranger: &str,
    schema: &str,
) -> Vec<&'static str> {
    let create = "mutation C($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
        webhookEndpoint { id } userErrors { code } } }";
    let input = json!({ "input": { "url": "https://hooks.example.se/kartla" } });
    let answer = as_token(app, Some(owner), create, input).await;
    let endpoint = answer["data"]["createWebhookEndpoint"]["webhookEndpoint"]["id"].clone();
    assert!(endpoint.is_string(), "{answer}");
    let on_endpoint = json!({ "endpointId": endpoint });
    let cases: Vec<(&'static str, Value)> = vec![
        (
            "createWebhookEndpoint",
            json!({ "url": "https://hooks.example.se/other" }),
        ),
        (
            "updateWebhookEndpoint",
            json!({ "endpointId": endpoint, "expectedVersion": 99 }),
        ),
        ("rotateWebhookSecret", on_endpoint.clone()),
        ("disableWebhookEndpoint", on_endpoint.clone()),
        ("enableWebhookEndpoint", on_endpoint.clone()),
        ("redeliverWebhook", json!({ "endpointId": endpoint, "after": "0" })),
        ("deleteWebhookEndpoint", on_endpoint),
    ];
    for (name, input) in &cases {
        let input_type = input_type_of(schema, name);
        let query =
            format!("mutation M($input: {input_type}!) {{ {name}(input: $input) {{ userErrors {{ code }} }} }}");
        let stranger_finds = if *name == "createWebhookEndpoint" {
            None
        } else {
            Some("NOT_FOUND")
        };
        for (who, token, refusal, user_error) in [
            ("anonymous", None, Some("UNAUTHENTICATED"), None),
            ("reader", Some(c.reader.as_str()), Some("FORBIDDEN"), None),
            ("editor of another organisation", Some(stranger), None, stranger_finds),
            ("editor of the owner", Some(owner), None, None),
            ("admin", Some(c.admin.as_str()), None, None),
        ] {
            let answer = as_token(app, token, &query, json!({ "input": input })).await;
            check_answer(&answer, name, who, refusal, user_error);
        }
    }
    cases.into_iter().map(|(name, _)| name).collect()
}

/// The input type of mutation `name`, read from the schema.
fn input_type_of(schema: &str, name: &str) -> String {
    let start = schema
        .find(&format!("\t{name}("))
        .unwrap_or_else(|| panic!("{name} in the schema"));
    let rest = &schema[start..];
    let rest = &rest[rest.find("input: ").expect("an input argument") + 7..];
    rest[..rest.find('!').expect("a type")].to_owned()
}

/// The names of every mutation in the schema.
fn mutation_names(schema: &str) -> Vec<String> {
    let block = &schema[schema.find("type Mutation {").expect("a Mutation type")..];
    let block = &block[..block.find("\n}").expect("its end")];
    block
        .lines()
        .filter_map(|line| line.strip_prefix('\t')?.strip_suffix('('))
        .filter(|name| !name.is_empty() && name.chars().all(char::is_alphanumeric))
        .map(str::to_owned)
        .collect()
}

const OPEN: &str = "mutation O($input: OpenConsultationInput!) { openConsultation(input: $input) {
    consultation { id title(lang: \"nb\") opensOn closesOn questions { text(lang: \"nb\") } history { totalCount } }
    userErrors { field code message } } }";

const SUBMIT: &str = "mutation S($input: SubmitConsultationInputInput!) { submitConsultationInput(input: $input) {
    submission { summary(lang: \"nb\") url organisation { id } } userErrors { field code message } } }";

/// Consultations: opened by their organiser, with questions and events; input submitted once per
/// organisation while open.
async fn consultations_are_run_by_their_organisers(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let today = chrono::Utc::now().date_naive();
    let open = json!({ "input": { "title": [{ "lang": "nb", "text": "Høring om felles innlogging" }],
        "organiserId": c.ks, "opensOn": today.to_string(), "closesOn": (today + chrono::Days::new(30)).to_string(),
        "questions": [{ "text": [{ "lang": "nb", "text": "Hva trenger dere?" }] },
                      { "text": [{ "lang": "xx yy", "text": "Bad" }] }] } });
    let answer = as_token(&app, Some(&c.ks_editor), OPEN, open.clone()).await;
    let error = &answer["data"]["openConsultation"]["userErrors"][0];
    assert_eq!(
        error["field"],
        json!(["input", "questions", "1", "text", "0", "lang"]),
        "{answer}"
    );
    let mut open = open;
    open["input"]["questions"].as_array_mut().expect("questions").pop();
    let answer = as_token(&app, Some(&c.bergen_editor), OPEN, open.clone()).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "Bergen cannot organise for KS"
    );
    let answer = as_token(&app, Some(&c.ks_editor), OPEN, open).await;
    let opened = &answer["data"]["openConsultation"]["consultation"];
    assert_eq!(opened["title"], "Høring om felles innlogging", "{answer}");
    assert_eq!(opened["questions"][0]["text"], "Hva trenger dere?");
    assert_eq!(opened["history"]["totalCount"], 1);
    let id = opened["id"].as_str().expect("a consultation").to_owned();

    let event = "mutation E($input: AddConsultationEventInput!) { addConsultationEvent(input: $input) {
        event { kind online startsAt } userErrors { field code } } }";
    let input = |ends: &str| {
        json!({ "input": { "consultationId": id, "kind": "MEETING", "online": true,
        "title": [{ "lang": "nb", "text": "Innspillsmøte" }],
        "startsAt": "2027-03-01T09:00:00Z", "endsAt": ends } })
    };
    let answer = as_token(&app, Some(&c.ks_editor), event, input("2027-03-01T08:00:00Z")).await;
    assert_eq!(
        answer["data"]["addConsultationEvent"]["userErrors"][0]["field"],
        json!(["input", "endsAt"]),
        "{answer}"
    );
    let answer = as_token(&app, Some(&c.ks_editor), event, input("2027-03-01T11:00:00Z")).await;
    assert_eq!(
        answer["data"]["addConsultationEvent"]["event"]["online"], true,
        "{answer}"
    );

    let submit = |url: &str| {
        json!({ "input": { "consultationId": id, "url": url,
        "summary": [{ "lang": "nb", "text": "Bergen støtter forslaget." }] } })
    };
    let answer = as_token(&app, Some(&c.bergen_editor), SUBMIT, submit("ftp://nope")).await;
    assert_eq!(
        answer["data"]["submitConsultationInput"]["userErrors"][0]["field"],
        json!(["input", "url"]),
        "{answer}"
    );
    let answer = as_token(
        &app,
        Some(&c.bergen_editor),
        SUBMIT,
        submit("https://bergen.kommune.no/innspill"),
    )
    .await;
    let submitted = &answer["data"]["submitConsultationInput"]["submission"];
    assert_eq!(submitted["summary"], "Bergen støtter forslaget.", "{answer}");
    assert_eq!(submitted["organisation"]["id"], c.bergen.as_str());
    let answer = as_token(
        &app,
        Some(&c.bergen_editor),
        SUBMIT,
        submit("https://bergen.kommune.no/innspill"),
    )
    .await;
    assert_eq!(
        answer["data"]["submitConsultationInput"]["userErrors"][0]["code"], "TAKEN",
        "{answer}"
    );

    // An organiser that does not exist: the path names the field, without an index.
    let nobody = kartla::service::id::encode(kartla::service::id::NodeType::Organisation, uuid::Uuid::new_v4());
    let orphan = json!({ "input": { "title": [{ "lang": "en", "text": "Orphan" }], "organiserId": nobody } });
    let answer = as_token(&app, Some(&c.admin), OPEN, orphan).await;
    let error = &answer["data"]["openConsultation"]["userErrors"][0];
    assert_eq!(error["field"], json!(["input", "organiserId"]), "{answer}");
    assert_eq!(error["code"], "NOT_FOUND");

    // A closed consultation takes no input.
    let closed = json!({ "input": { "title": [{ "lang": "en", "text": "Closed" }], "organiserId": c.ks,
        "closesOn": "2020-01-01" } });
    let answer = as_token(&app, Some(&c.admin), OPEN, closed).await;
    let closed_id = answer["data"]["openConsultation"]["consultation"]["id"].clone();
    let late = json!({ "input": { "consultationId": closed_id, "summary": [{ "lang": "nb", "text": "Sent." }] } });
    let answer = as_token(&app, Some(&c.bergen_editor), SUBMIT, late).await;
    assert_eq!(
        answer["data"]["submitConsultationInput"]["userErrors"][0]["field"],
        json!(["input", "consultationId"])
    );
}

const CREATE_ORGANISATION: &str = "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
    organisation { id version name(lang: \"nb\") website parent { id } identifiers { scheme value validFrom validTo } }
    userErrors { field code message } } }";

const UPDATE_ORGANISATION: &str = "mutation U($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
    organisation { version identifiers { value validFrom validTo } history { totalCount } }
    userErrors { field code message currentVersion } } }";

/// Organisations and themes: identifiers with validity, codes that must be unique, URLs and parents
/// checked, found by their identifiers afterwards.
async fn organisations_and_themes_are_kept_by_admins(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let vestland = organisation(&app, r#"{identifier: "46", kinds: [COUNTY]}"#).await;
    let new = json!({ "input": { "kind": "INDEPENDENT_SCHOOL_ORGANISER", "country": "NO", "parentId": vestland,
        "website": "https://skule.example.no/", "name": [{ "lang": "nb", "text": "Fjordskulen AS" }],
        "identifiers": [{ "scheme": "ORGANISATION_NUMBER", "value": "999888777", "validFrom": "2020-01-01" }] } });
    let answer = as_token(&app, Some(&c.admin), CREATE_ORGANISATION, new.clone()).await;
    let created = &answer["data"]["createOrganisation"]["organisation"];
    assert_eq!(created["name"], "Fjordskulen AS", "{answer}");
    assert_eq!(created["parent"]["id"], vestland.as_str());
    let id = created["id"].as_str().expect("an organisation").to_owned();
    let found = app
        .query(r#"{ organisations(filter: {identifier: "999888777"}) { nodes { id } } }"#)
        .await;
    assert_eq!(found["organisations"]["nodes"][0]["id"], id.as_str());

    // The same number again overlaps; a bad URL, a malformed municipality code and Bergen's own number.
    let mut bad = new.clone();
    bad["input"]["website"] = json!("javascript:alert(1)");
    bad["input"]["identifiers"] = json!([
        { "scheme": "ORGANISATION_NUMBER", "value": "999888777" },
        { "scheme": "NO_KOMMUNENUMMER", "value": "46x1" },
        { "scheme": "NO_KOMMUNENUMMER", "value": "4601", "validFrom": "2024-01-01", "validTo": "2023-01-01" } ]);
    let answer = as_token(&app, Some(&c.admin), CREATE_ORGANISATION, bad).await;
    let errors: Vec<(Value, Value)> = answer["data"]["createOrganisation"]["userErrors"]
        .as_array()
        .expect("user errors")
        .iter()
        .map(|e| (e["field"].clone(), e["code"].clone()))
        .collect();
    for expected in [
        (json!(["input", "website"]), json!("INVALID")),
        (json!(["input", "identifiers", "0", "value"]), json!("TAKEN")),
        (json!(["input", "identifiers", "1", "value"]), json!("INVALID")),
        (json!(["input", "identifiers", "2", "validTo"]), json!("INVALID")),
        (json!(["input", "identifiers", "2", "value"]), json!("TAKEN")),
    ] {
        assert!(errors.contains(&expected), "{expected:?} in {errors:?}");
    }

    // The number ends, a new one follows; a parent that would make a cycle is refused.
    let change = json!({ "input": { "organisationId": id, "expectedVersion": 1, "identifiers": [
        { "scheme": "ORGANISATION_NUMBER", "value": "999888777", "validFrom": "2020-01-01", "validTo": "2025-12-31" },
        { "scheme": "ORGANISATION_NUMBER", "value": "999888666", "validFrom": "2026-01-01" } ] } });
    let answer = as_token(&app, Some(&c.admin), UPDATE_ORGANISATION, change.clone()).await;
    let updated = &answer["data"]["updateOrganisation"]["organisation"];
    assert_eq!(updated["version"], 2, "{answer}");
    assert_eq!(updated["identifiers"].as_array().map(Vec::len), Some(2));
    assert_eq!(updated["history"]["totalCount"], 2);
    let answer = as_token(&app, Some(&c.admin), UPDATE_ORGANISATION, change).await;
    assert_eq!(
        answer["data"]["updateOrganisation"]["userErrors"][0]["currentVersion"],
        2
    );
    let cycle = json!({ "input": { "organisationId": vestland, "expectedVersion": 1, "parentId": id } });
    let answer = as_token(&app, Some(&c.admin), UPDATE_ORGANISATION, cycle).await;
    assert_eq!(
        answer["data"]["updateOrganisation"]["userErrors"][0]["field"],
        json!(["input", "parentId"]),
        "{answer}"
    );

    // Themes: a code is unique and well-formed.
    let create = "mutation T($input: CreateThemeInput!) { createTheme(input: $input) {
        theme { code label(lang: \"en\") } userErrors { field code } } }";
    let theme = |code: &str| json!({ "input": { "code": code, "label": [{ "lang": "en", "text": "Artificial intelligence" }] } });
    let answer = as_token(&app, Some(&c.admin), create, theme("ai")).await;
    assert_eq!(
        answer["data"]["createTheme"]["theme"]["label"], "Artificial intelligence",
        "{answer}"
    );
    let answer = as_token(&app, Some(&c.admin), create, theme("ai")).await;
    assert_eq!(answer["data"]["createTheme"]["userErrors"][0]["code"], "TAKEN");
    let answer = as_token(&app, Some(&c.admin), create, theme("Not A Code")).await;
    assert_eq!(answer["data"]["createTheme"]["userErrors"][0]["code"], "INVALID");
}

/// Sources and contacts: added by whoever may change the record; a contact's email and phone are for
/// signed-in viewers only and never reach the audit log.
async fn sources_and_contacts_are_added_by_editors(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let data = app
        .query(r#"{ initiatives(filter: {country: ["NO"]}) { nodes { id } } }"#)
        .await;
    let id = data["initiatives"]["nodes"][0]["id"]
        .as_str()
        .expect("an initiative")
        .to_owned();
    let add_source = "mutation S($input: AddSourceInput!) { addSource(input: $input) {
        source { kind url title(lang: \"nb\") } userErrors { field code } } }";
    let source = |url: &str| {
        json!({ "input": { "targetId": id, "kind": "DECISION", "url": url,
        "title": [{ "lang": "nb", "text": "Vedtak i KS-styret" }] } })
    };
    let answer = as_token(&app, Some(&c.ks_editor), add_source, source("not a url")).await;
    assert_eq!(
        answer["data"]["addSource"]["userErrors"][0]["field"],
        json!(["input", "url"]),
        "{answer}"
    );
    let answer = as_token(&app, Some(&c.ks_editor), add_source, source("https://www.ks.no/vedtak")).await;
    assert_eq!(
        answer["data"]["addSource"]["source"]["title"], "Vedtak i KS-styret",
        "{answer}"
    );
    let answer = as_token(
        &app,
        Some(&c.bergen_editor),
        add_source,
        source("https://www.ks.no/vedtak"),
    )
    .await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "FORBIDDEN", "{answer}");

    let add_contact = "mutation C($input: AddContactInput!) { addContact(input: $input) {
        contact { name email } userErrors { field code } } }";
    let contact = |email: &str| {
        json!({ "input": { "targetId": id, "name": "Ola Nordmann", "email": email,
        "phone": "+47 22 00 00 00", "role": [{ "lang": "nb", "text": "Prosjektleder" }] } })
    };
    let answer = as_token(&app, Some(&c.ks_editor), add_contact, contact("ola@@ks")).await;
    assert_eq!(
        answer["data"]["addContact"]["userErrors"][0]["field"],
        json!(["input", "email"]),
        "{answer}"
    );
    let answer = as_token(&app, Some(&c.ks_editor), add_contact, contact("ola@ks.no")).await;
    assert_eq!(
        answer["data"]["addContact"]["contact"]["email"], "ola@ks.no",
        "{answer}"
    );
    let read = format!(
        r#"{{ node(id: "{id}") {{ ... on Initiative {{ contacts {{ name email phone role(lang: "nb") }}
        sources {{ kind }} history {{ nodes {{ operation changes }} }} }} }} }}"#
    );
    let public = app.query(&read).await;
    let found = &public["node"]["contacts"][0];
    assert_eq!(found["name"], "Ola Nordmann");
    assert_eq!(found["role"], "Prosjektleder");
    assert_eq!(
        (found["email"].clone(), found["phone"].clone()),
        (Value::Null, Value::Null)
    );
    let signed_in = as_token(&app, Some(&c.reader), &read, json!({})).await;
    assert_eq!(signed_in["data"]["node"]["contacts"][0]["phone"], "+47 22 00 00 00");
    let history = public["node"]["history"].to_string();
    assert!(
        history.contains("ADD_CONTACT") && history.contains("ADD_SOURCE"),
        "{history}"
    );
    assert!(
        !history.contains("ola@ks.no") && !history.contains("22 00 00 00"),
        "personal data in the log: {history}"
    );
}

/// A strategy with a focus area and a goal, built through the API; positions unique, years in order,
/// stale versions refused; the new goal can be served at once.
async fn strategies_are_built_by_admins(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let c = cast(&app).await;
    let save = |name: &str, payload: &str, fields: &str| {
        format!(
            "mutation M($input: {}!) {{ {name}(input: $input) {{ {payload} {{ id version {fields} }} userErrors {{ field code currentVersion }} }} }}",
            if name.ends_with("Strategy") || name.ends_with("ActionPlan") {
                "FrameInput"
            } else {
                "PartInput"
            }
        )
    };
    let strategy = save("saveStrategy", "strategy", "name(lang: \"nb\") owners { id }");
    let bad = json!({ "input": { "country": "NO", "startYear": 2030, "endYear": 2026,
        "name": [{ "lang": "nb", "text": "Digital skole 2030" }] } });
    let answer = as_token(&app, Some(&c.admin), &strategy, bad).await;
    assert_eq!(
        answer["data"]["saveStrategy"]["userErrors"][0]["field"],
        json!(["input", "endYear"]),
        "{answer}"
    );
    let good = json!({ "input": { "country": "NO", "startYear": 2026, "endYear": 2030, "ownerIds": [c.udir],
        "name": [{ "lang": "nb", "text": "Digital skole 2030" }] } });
    let answer = as_token(&app, Some(&c.admin), &strategy, good).await;
    let saved = &answer["data"]["saveStrategy"]["strategy"];
    assert_eq!(saved["name"], "Digital skole 2030", "{answer}");
    assert_eq!(saved["owners"][0]["id"], c.udir.as_str());
    let strategy_id = saved["id"].as_str().expect("a strategy").to_owned();

    let area = save("saveFocusArea", "focusArea", "code");
    let input = json!({ "input": { "parentId": strategy_id, "position": 1, "code": "1",
        "name": [{ "lang": "nb", "text": "Infrastruktur" }] } });
    let answer = as_token(&app, Some(&c.admin), &area, input.clone()).await;
    let area_id = answer["data"]["saveFocusArea"]["focusArea"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a focus area: {answer}"))
        .to_owned();
    let answer = as_token(&app, Some(&c.admin), &area, input).await;
    assert_eq!(
        answer["data"]["saveFocusArea"]["userErrors"][0]["code"], "TAKEN",
        "{answer}"
    );

    let goal = save("saveGoal", "goal", "code title(lang: \"nb\")");
    let input = json!({ "input": { "parentId": area_id, "position": 1, "code": "1.1",
        "name": [{ "lang": "nb", "text": "Alle skoler har stabil nettilgang" }] } });
    let answer = as_token(&app, Some(&c.admin), &goal, input).await;
    let created = &answer["data"]["saveGoal"]["goal"];
    assert_eq!(created["title"], "Alle skoler har stabil nettilgang", "{answer}");
    let goal_id = created["id"].as_str().expect("a goal").to_owned();
    let rename = json!({ "input": { "id": goal_id, "expectedVersion": 1, "code": "1.A" } });
    let answer = as_token(&app, Some(&c.admin), &goal, rename.clone()).await;
    assert_eq!(answer["data"]["saveGoal"]["goal"]["code"], "1.A", "{answer}");
    assert_eq!(answer["data"]["saveGoal"]["goal"]["version"], 2);
    let answer = as_token(&app, Some(&c.admin), &goal, rename).await;
    assert_eq!(
        answer["data"]["saveGoal"]["userErrors"][0]["currentVersion"], 2,
        "{answer}"
    );

    // Who may change what, as the frontend sees it; the goal's history has both changes.
    let can = format!(
        r#"{{ node(id: "{goal_id}") {{ ... on Goal {{ viewerCanUpdate history {{ nodes {{ operation }} }} }} }} }}"#
    );
    let as_admin = as_token(&app, Some(&c.admin), &can, json!({})).await;
    assert_eq!(as_admin["data"]["node"]["viewerCanUpdate"], true, "{as_admin}");
    let operations = &as_admin["data"]["node"]["history"]["nodes"];
    assert_eq!(
        operations,
        &json!([{ "operation": "CREATE_GOAL" }, { "operation": "UPDATE_GOAL" }])
    );
    let as_editor = as_token(&app, Some(&c.ks_editor), &can, json!({})).await;
    assert_eq!(as_editor["data"]["node"]["viewerCanUpdate"], false);

    let coverage = format!(r#"{{ coverage(strategyId: "{strategy_id}") {{ focusAreas {{ goals {{ gap }} }} }} }}"#);
    assert_eq!(
        app.query(&coverage).await["coverage"]["focusAreas"][0]["goals"][0]["gap"],
        true
    );
}
