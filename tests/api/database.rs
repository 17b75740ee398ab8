//! What the database itself guarantees: foreign keys hold on every backend, and SQLite runs in WAL mode
//! with a busy timeout so concurrent writers wait instead of failing.

use chrono::Utc;
use kartla::config::InitialSeed;
use kartla::entity::{organisation, theme};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use crate::helpers::{Backend, TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(foreign_keys_prevent_orphans);

async fn foreign_keys_prevent_orphans(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Reference).await;
    let county = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(kartla::entity::enums::OrganisationKind::County))
        .filter(organisation::Column::Country.eq("SE"))
        .one(&app.db)
        .await
        .expect("a query")
        .expect("a county");
    let deleted = organisation::Entity::delete_by_id(county.id).exec(&app.db).await;
    assert!(deleted.is_err(), "a county with municipalities cannot be deleted");

    let now = Utc::now();
    let orphan = organisation::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        kind: Set(kartla::entity::enums::OrganisationKind::Municipality),
        country: Set("SE".into()),
        parent_id: Set(Some(uuid::Uuid::new_v4())),
        website: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    };
    assert!(
        orphan.insert(&app.db).await.is_err(),
        "a parent that does not exist is refused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_uses_wal_and_concurrent_writers_wait() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let pragma = |name: &'static str| {
        let db = app.db.clone();
        async move {
            let row = db
                .query_one_raw(sea_orm::Statement::from_string(
                    db.get_database_backend(),
                    format!("PRAGMA {name}"),
                ))
                .await
                .expect("a pragma")
                .expect("a row");
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i32>(0).map(|n| n.to_string()))
                .expect("a value")
        }
    };
    assert_eq!(pragma("journal_mode").await, "wal");
    assert_eq!(pragma("foreign_keys").await, "1");

    let writers = (0..16).map(|writer| {
        let db = app.db.clone();
        tokio::spawn(async move {
            for n in 0..10 {
                let txn = db.begin().await?;
                let now = Utc::now();
                theme::ActiveModel {
                    id: Set(uuid::Uuid::new_v4()),
                    code: Set(format!("writer-{writer}-{n}")),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                }
                .insert(&txn)
                .await?;
                txn.commit().await?;
            }
            Ok::<_, sea_orm::DbErr>(())
        })
    });
    for writer in writers {
        writer
            .await
            .expect("the task finished")
            .expect("no write failed with \"database is locked\"");
    }
    assert_eq!(theme::Entity::find().all(&app.db).await.expect("themes").len(), 160);
}

/// Two writers that index new records at the same time (what two concurrent creates do: clear the record's
/// index rows, none yet, then insert them) both commit. Under MariaDB's default REPEATABLE READ each
/// clearing `DELETE` takes a gap lock, each insert then waits for the other's, and InnoDB kills one as a
/// deadlock: a create failed that way in CI. Write transactions run READ COMMITTED, as on PostgreSQL.
async fn writers_of_new_records_do_not_deadlock(backend: Backend) {
    use kartla::service::text::{TextOwner, Texts};
    let Some(test_db) = TestDb::create(backend).await else {
        return;
    };
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let mut texts = Texts::default();
    texts.add("name", "sv", "Skolverket");
    let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let first = kartla::db::begin_write(&app.db).await.expect("a transaction");
    let second = kartla::db::begin_write(&app.db).await.expect("a transaction");
    let forget = kartla::service::search_index::forget;
    forget(&first, TextOwner::Organisation, &[a])
        .await
        .expect("the first clears");
    forget(&second, TextOwner::Organisation, &[b])
        .await
        .expect("the second clears");
    let add_first = {
        let texts = texts.clone();
        tokio::spawn(async move {
            kartla::service::search_index::add(&first, TextOwner::Organisation, &[(a, &texts)]).await?;
            first.commit().await
        })
    };
    let added = kartla::service::search_index::add(&second, TextOwner::Organisation, &[(b, &texts)]).await;
    let second_done = match added {
        Ok(()) => second.commit().await,
        Err(error) => Err(error),
    };
    let first_done = add_first.await.expect("the task finished");
    assert!(
        first_done.is_ok() && second_done.is_ok(),
        "{first_done:?} {second_done:?}"
    );
    let rows = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(DISTINCT record_id) FROM search_term",
        ))
        .await
        .expect("a count")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a number");
    assert_eq!(rows, 2, "both records are indexed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_of_new_records_do_not_deadlock_on_postgres() {
    writers_of_new_records_do_not_deadlock(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_of_new_records_do_not_deadlock_on_mariadb() {
    writers_of_new_records_do_not_deadlock(Backend::MySql).await;
}
