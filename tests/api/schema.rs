//! `schema.graphql` is generated from the schema; this test fails when the checked-in file drifts.
//! Regenerate with `UPDATE_SCHEMA=1 cargo test schema` (or `cargo run -- schema > schema.graphql`).

#[test]
fn checked_in_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let generated = kartla::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write schema.graphql");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "schema.graphql is out of date: run `UPDATE_SCHEMA=1 cargo test schema` and commit the result"
    );
}

#[tokio::test]
async fn every_type_and_field_is_described() {
    let test_db = crate::helpers::TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite");
    let app = crate::helpers::TestApp::spawn(&test_db, kartla::config::InitialSeed::None).await;
    let data = app
        .query(
            "{ __schema { types { name description
                 fields { name description args { name description } }
                 inputFields { name description } enumValues { name description } } } }",
        )
        .await;
    let builtin = ["String", "Int", "Float", "Boolean", "ID"];
    let mut undescribed = Vec::new();
    let described = |item: &serde_json::Value| item["description"].as_str().is_some_and(|d| !d.trim().is_empty());
    for ty in data["__schema"]["types"].as_array().into_iter().flatten() {
        let name = ty["name"].as_str().unwrap_or_default();
        if name.starts_with("__") || builtin.contains(&name) {
            continue;
        }
        if !described(ty) {
            undescribed.push(name.to_owned());
        }
        for kind in ["fields", "inputFields", "enumValues"] {
            for member in ty[kind].as_array().into_iter().flatten() {
                let member_name = format!("{name}.{}", member["name"].as_str().unwrap_or_default());
                if !described(member) {
                    undescribed.push(member_name.clone());
                }
                for arg in member["args"].as_array().into_iter().flatten() {
                    if !described(arg) {
                        undescribed.push(format!("{member_name}({})", arg["name"].as_str().unwrap_or_default()));
                    }
                }
            }
        }
    }
    assert!(
        undescribed.is_empty(),
        "types and fields without a description: {undescribed:#?}"
    );
}

/// The schema says what Kartla is, and no description speaks of the implementation.
#[tokio::test]
async fn descriptions_speak_of_kartla_not_of_its_libraries() {
    let test_db = crate::helpers::TestDb::create(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite");
    let app = crate::helpers::TestApp::spawn(&test_db, kartla::config::InitialSeed::None).await;
    let data = app
        .query("{ __schema { description } __type(name: \"DateTime\") { description specifiedByURL } }")
        .await;
    assert_eq!(data["__schema"]["description"], kartla::graphql::SCHEMA_DESCRIPTION);
    assert_eq!(
        data["__type"]["specifiedByURL"],
        "https://datatracker.ietf.org/doc/html/rfc3339"
    );
    let sdl = kartla::graphql::sdl();
    for leak in [
        "Implement the",
        "DateTime<Utc>",
        "async-graphql",
        "sea-orm",
        "will use it",
    ] {
        assert!(!sdl.contains(leak), "a description mentions {leak:?}");
    }
    assert!(sdl.contains("scalar DateTime @specifiedBy(url: \"https://datatracker.ietf.org/doc/html/rfc3339\")"));
    assert!(
        !data["__type"]["description"]
            .as_str()
            .unwrap_or_default()
            .contains("Implement")
    );
}
