//! Export and import: a round trip through an empty database gives an identical file, importing twice
//! changes nothing, a bad file is refused whole with every problem's JSON path, search finds what an
//! import wrote (also when a record's texts lie apart in the file), and personal data leaves only with a
//! token.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use indicatif::ProgressBar;
use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use kartla::service::change_feed::snapshot;
use kartla::service::registry_file::{self, Personal};
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb, insert_contact};
use crate::on_every_backend;

on_every_backend!(
    a_round_trip_through_an_empty_database_gives_the_same_file,
    a_bad_file_is_refused_whole_with_every_problem,
    search_finds_what_an_import_wrote,
    personal_data_is_exported_only_to_signed_in_viewers
);

/// Adds a contact with an email and a phone to the first initiative.
async fn add_contact(app: &TestApp) {
    let initiative = kartla::entity::initiative::Entity::find()
        .one(&app.db)
        .await
        .expect("initiatives")
        .expect("an initiative");
    insert_contact(&app.db, initiative.id).await;
}

async fn a_round_trip_through_an_empty_database_gives_the_same_file(test_db: TestDb) {
    let source = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    add_contact(&source).await;
    let first = registry_file::export(&source.db, Personal::Included)
        .await
        .expect("an export");
    let initiatives = first["records"]["initiative"].as_array().map_or(0, Vec::len);
    assert!(
        initiatives >= 5,
        "the demo data is in the file: {initiatives} initiatives"
    );
    assert!(first["texts"]["initiative"].as_array().is_some_and(|t| !t.is_empty()));
    assert!(first["records"].get("api_token").is_none(), "tokens are never exported");

    let empty = TestDb::create(test_db.backend).await.expect("a second database");
    let target = TestApp::spawn(&empty, InitialSeed::None).await;
    let before = snapshot::take(&target.db).await.expect("a snapshot");
    assert!(before.is_empty(), "a registry with no seed holds nothing");
    let loaded = &registry_file::indexes::LOADED_TABLES;
    let indexes = registry_file::indexes::secondary_indexes(&target.db, loaded)
        .await
        .expect("the indexes");
    assert_eq!(
        indexes.is_empty(),
        test_db.backend == crate::helpers::Backend::MySql,
        "SQLite and PostgreSQL list their secondary indexes: {indexes:?}"
    );
    let rows = registry_file::import(&target.db, &first, &ProgressBar::hidden())
        .await
        .expect("an import");
    assert!(rows > 1000, "{rows} rows imported");
    // The indexes set aside for the load into an empty registry are all back, as they were.
    let after_import = registry_file::indexes::secondary_indexes(&target.db, loaded)
        .await
        .expect("the indexes");
    assert_eq!(after_import, indexes);

    // Into an empty registry the events come from the file itself; they are those that comparing the
    // registry before and after the import finds: every record created once, in the same order.
    let after = snapshot::take(&target.db).await.expect("a snapshot");
    let expected: Vec<(String, uuid::Uuid)> = snapshot::changes(&before, &after)
        .into_iter()
        .map(|change| (change.operation.code().to_owned(), change.id))
        .collect();
    let events: Vec<(String, uuid::Uuid)> = kartla::entity::change_event::Entity::find()
        .order_by_asc(kartla::entity::change_event::Column::Position)
        .all(&target.db)
        .await
        .expect("the feed")
        .into_iter()
        .map(|event| (event.operation, event.record_id))
        .collect();
    assert!(expected.len() > 100, "{} records created", expected.len());
    assert_eq!(events, expected);
    let second = registry_file::export(&target.db, Personal::Included)
        .await
        .expect("an export");
    assert!(first == second, "the round trip changed the file");

    // The same file again changes nothing.
    let count = || kartla::entity::organisation::Entity::find().count(&target.db);
    let organisations = count().await.expect("a count");
    registry_file::import(&target.db, &first, &ProgressBar::hidden())
        .await
        .expect("a second import");
    assert_eq!(count().await.expect("a count"), organisations);
    let third = registry_file::export(&target.db, Personal::Included)
        .await
        .expect("an export");
    assert!(first == third, "a second import changed the registry");

    // The imported registry answers through the API like the original.
    let query = r#"{ initiatives(filter: {country: ["SE"]}) { totalCount nodes { title(lang: "sv") } } }"#;
    assert_eq!(target.query(query).await, source.query(query).await);
}

async fn a_bad_file_is_refused_whole_with_every_problem(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let mut file = registry_file::export(&app.db, Personal::Withheld)
        .await
        .expect("an export");
    let before = kartla::entity::initiative::Entity::find()
        .count(&app.db)
        .await
        .expect("a count");
    // A new initiative that would be written first, then three things wrong further on.
    let mut fresh = file["records"]["initiative"][0].clone();
    fresh["id"] = json!(uuid::Uuid::new_v4());
    fresh["number"] = json!(null);
    file["records"]["initiative"]
        .as_array_mut()
        .expect("initiatives")
        .push(fresh);
    file["records"]["initiative"][1]["status"] = json!("FINISHED");
    file["records"]["activity"][0]["initiativeId"] = json!("not-a-uuid");
    file["texts"]["goal"][2]["lang"] = json!("not a language");
    file["records"]["unicorn"] = json!([]);

    let problems = registry_file::validate(&file);
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.records.activity[0].initiativeId",
            "$.records.initiative[1].status",
            "$.records.unicorn",
            "$.texts.goal[2].lang",
        ],
        "{problems:?}"
    );
    assert!(problems[1].message.contains("FINISHED"), "{}", problems[1].message);
    let error = registry_file::import(&app.db, &file, &ProgressBar::hidden())
        .await
        .expect_err("a bad file is refused");
    assert!(error.to_string().contains("4 problems"), "{error}");
    let after = kartla::entity::initiative::Entity::find()
        .count(&app.db)
        .await
        .expect("a count");
    assert_eq!(after, before, "nothing of a bad file is written");
    assert_eq!(
        registry_file::validate(&json!({ "format": "something-else", "formatVersion": 9 }))
            .iter()
            .map(|p| p.path.as_str())
            .collect::<Vec<_>>(),
        ["$.format", "$.formatVersion"]
    );
}

/// The initiatives `search` finds for `word`, as IDs.
async fn found(app: &TestApp, word: &str) -> Vec<String> {
    let query = format!(r#"{{ search(query: "{word}", first: 50) {{ nodes {{ ... on Initiative {{ id }} }} }} }}"#);
    let answer = app.query(&query).await;
    let mut ids: Vec<String> = answer["search"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("search answers: {answer}"))
        .iter()
        .filter_map(|node| node["id"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Sets the title in `lang` of the initiative `id` in `file`.
fn retitle(file: &mut Value, id: &str, lang: &str, title: &str) {
    let texts = file["texts"]["initiative"].as_array_mut().expect("initiative texts");
    let row = texts
        .iter_mut()
        .find(|t| t["ownerId"] == id && t["field"] == "title" && t["lang"] == lang)
        .expect("the title");
    row["text"] = json!(title);
}

async fn search_finds_what_an_import_wrote(test_db: TestDb) {
    let source = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let mut file = registry_file::export(&source.db, Personal::Withheld)
        .await
        .expect("an export");
    let title = file["texts"]["initiative"]
        .as_array()
        .and_then(|texts| texts.iter().find(|t| t["field"] == "title"))
        .expect("an initiative with a title")
        .clone();
    let initiative = title["ownerId"].as_str().expect("its owner").to_owned();
    let lang = title["lang"].as_str().expect("its language").to_owned();
    retitle(&mut file, &initiative, &lang, "Provordet kartlaprov");
    // A record's texts apart in the file: ordered by language and field first, then by record.
    file["texts"]["initiative"]
        .as_array_mut()
        .expect("initiative texts")
        .sort_by_key(|t| (t["lang"].to_string(), t["field"].to_string(), t["ownerId"].to_string()));

    let empty = TestDb::create(test_db.backend).await.expect("a second database");
    let target = TestApp::spawn(&empty, InitialSeed::None).await;
    registry_file::import(&target.db, &file, &ProgressBar::hidden())
        .await
        .expect("an import");
    let id = kartla::service::id::encode(
        kartla::service::id::NodeType::Initiative,
        uuid::Uuid::parse_str(&initiative).expect("a UUID"),
    );
    assert_eq!(found(&target, "kartlaprov").await, std::slice::from_ref(&id));
    // Every other record is found by the same words as in the registry the file came from: a word each
    // from the titles of other initiatives.
    let mut words: Vec<String> = file["texts"]["initiative"]
        .as_array()
        .expect("initiative texts")
        .iter()
        .filter(|t| t["field"] == "title" && t["ownerId"] != initiative.as_str())
        .filter_map(|t| {
            let text = t["text"].as_str()?;
            text.split_whitespace()
                .find(|w| w.chars().count() >= 6 && w.chars().all(char::is_alphabetic))
                .map(str::to_lowercase)
        })
        .collect();
    words.sort();
    words.dedup();
    words.truncate(6);
    assert!(words.len() >= 3, "words from the demo's titles: {words:?}");
    for word in &words {
        let others = |mut ids: Vec<String>| {
            ids.retain(|other| *other != id);
            ids
        };
        let expected = others(found(&source, word).await);
        assert!(!expected.is_empty(), "{word:?} finds the initiative it came from");
        assert_eq!(others(found(&target, word).await), expected, "{word}");
    }

    // Into a registry that holds the record, the new title replaces the old in the index.
    retitle(&mut file, &initiative, &lang, "Annat provord kartlaomslag");
    registry_file::import(&target.db, &file, &ProgressBar::hidden())
        .await
        .expect("a second import");
    assert_eq!(found(&target, "kartlaprov").await, Vec::<String>::new());
    assert_eq!(found(&target, "kartlaomslag").await, [id]);
}

async fn personal_data_is_exported_only_to_signed_in_viewers(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    add_contact(&app).await;
    let reader = kartla::service::token::create(&app.db, "reader", AccessRole::Reader, None)
        .await
        .expect("a token")
        .1;
    let get = |token: Option<&str>| {
        let mut request = Request::get("/export/registry.json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        request.body(Body::empty()).expect("a request")
    };
    let contact = |file: &Value| {
        file["records"]["contact"]
            .as_array()
            .and_then(|all| all.iter().find(|c| c["name"] == "Kari Nordmann"))
            .cloned()
            .expect("the contact")
    };
    let (status, public) = app.send(get(None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(public["format"], "kartla-registry");
    assert_eq!(contact(&public)["email"], Value::Null);
    assert_eq!(contact(&public)["phone"], Value::Null);
    let (status, full) = app.send(get(Some(&reader))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(contact(&full)["email"], "kari@example.no");
    let (status, refused) = app.send(get(Some("kartla_wrong"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}
