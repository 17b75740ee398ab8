//! Migrations go up, down and up again on every backend.

use kartla::entity::organisation;
use migration::{Migrator, MigratorTrait};
use sea_orm::EntityTrait;

use crate::helpers::TestDb;
use crate::on_every_backend;

on_every_backend!(up_down_up);

async fn up_down_up(test_db: TestDb) {
    let db = test_db.connect().await;
    let all = Migrator::migrations().len();
    assert!(all >= 8);

    Migrator::up(&db, None).await.expect("up");
    assert_eq!(Migrator::get_pending_migrations(&db).await.expect("status").len(), 0);
    assert_eq!(
        organisation::Entity::find()
            .all(&db)
            .await
            .expect("the table exists")
            .len(),
        0
    );

    Migrator::down(&db, Some(all as u32)).await.expect("down");
    assert_eq!(Migrator::get_pending_migrations(&db).await.expect("status").len(), all);
    assert!(
        organisation::Entity::find().all(&db).await.is_err(),
        "the table is gone after down"
    );

    Migrator::up(&db, None).await.expect("up again");
    let report = kartla::service::seed::reference(&db, &kartla::service::seed::ReferenceFiles::bundled())
        .await
        .expect("seeding after up, down, up");
    assert_eq!(report.inserted, 683 + 704);
}
