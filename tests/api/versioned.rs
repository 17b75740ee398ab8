//! The one editing path: a change that loses the race for a version (its read version is no longer the
//! stored one when it writes) writes nothing and reports the version stored now, for every kind of record.

use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use kartla::service::edit::Changes;
use kartla::service::id::NodeType;
use kartla::service::permission::Actor;
use kartla::service::versioned::{self, Write};
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait};

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(a_lost_race_reports_the_stored_version);

async fn a_lost_race_reports_the_stored_version(test_db: TestDb) {
    use kartla::entity::{audit_entry, organisation, theme};
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let admin = Actor {
        token_name: "admin".into(),
        role: AccessRole::Admin,
        organisation: None,
        issued_by: None,
    };
    let org = organisation::Entity::find()
        .one(&app.db)
        .await
        .expect("a query")
        .expect("an organisation");
    let theme = theme::Entity::find()
        .one(&app.db)
        .await
        .expect("a query")
        .expect("a theme");
    let entries = || audit_entry::Entity::find().count(&app.db);
    let before = entries().await.expect("a count");

    // Each was read before someone else's change (the bumps below) came in.
    let stale = |node_type, id, stored: i32| Write {
        actor: &admin,
        operation: "UPDATE_ORGANISATION",
        node_type,
        id,
        version: stored - 1,
        now: chrono::Utc::now(),
    };
    bump::<organisation::Entity>(&app, org.id).await;
    let txn = kartla::db::begin_write(&app.db).await.expect("a transaction");
    let model = organisation::ActiveModel {
        website: Set(Some("https://example.se".into())),
        ..Default::default()
    };
    let write = stale(NodeType::Organisation, org.id, org.version + 1);
    let answer = versioned::commit::<organisation::Entity, _>(txn, &app.db, write, model, Changes::default(), &[])
        .await
        .expect("no database error");
    let problems = answer.expect_err("a lost race is a CONFLICT");
    assert_eq!(problems[0].code, "CONFLICT");
    assert_eq!(
        problems[0].current_version,
        Some(org.version + 1),
        "the stored version, not a guess"
    );

    bump::<theme::Entity>(&app, theme.id).await;
    bump::<theme::Entity>(&app, theme.id).await;
    let txn = kartla::db::begin_write(&app.db).await.expect("a transaction");
    let write = Write {
        operation: "UPDATE_THEME",
        ..stale(NodeType::Theme, theme.id, theme.version + 1)
    };
    let model = theme::ActiveModel {
        code: Set("raced".into()),
        ..Default::default()
    };
    let answer = versioned::commit::<theme::Entity, _>(txn, &app.db, write, model, Changes::default(), &[])
        .await
        .expect("no database error");
    let problems = answer.expect_err("a lost race is a CONFLICT");
    assert_eq!(
        problems[0].current_version,
        Some(theme.version + 2),
        "two changes came in between"
    );
    assert!(problems[0].message.contains("theme"), "{}", problems[0].message);

    // Nothing of the lost changes was written.
    assert_eq!(entries().await.expect("a count"), before);
    let stored = theme::Entity::find_by_id(theme.id)
        .one(&app.db)
        .await
        .expect("a query")
        .expect("the theme");
    assert_ne!(stored.code, "raced");
}

/// Raises the stored version of record `id` of `E`, as a concurrent change would.
async fn bump<E: EntityTrait>(app: &TestApp, id: uuid::Uuid) {
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait};
    E::update_many()
        .col_expr(Alias::new("version"), Expr::col(Alias::new("version")).add(1))
        .filter(Expr::col(Alias::new("id")).eq(id))
        .exec(&app.db)
        .await
        .expect("the version is raised");
}
