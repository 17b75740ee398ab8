//! The roles organisations hold on initiatives and activities (with the decision on a proposed role), and
//! school authorities' participation in activities.

use sea_orm_migration::prelude::*;

use crate::table::{code, create_indexes, drop_all, finish_record, fk, index, record, unique, uuid_null, uuid_req};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut responsibility = record("responsibility");
        responsibility
            .col(uuid_req("organisation_id"))
            .col(uuid_null("initiative_id"))
            .col(uuid_null("activity_id"))
            .col(code("role"))
            .col(code("decision"))
            .col(ColumnDef::new("decided_on").date().null())
            .check(Expr::cust("(initiative_id IS NULL) <> (activity_id IS NULL)"))
            .foreign_key(&mut fk(
                "responsibility",
                "organisation_id",
                "organisation",
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                "responsibility",
                "initiative_id",
                "initiative",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "responsibility",
                "activity_id",
                "activity",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut responsibility)).await?;

        let mut participation = record("participation");
        participation
            .col(uuid_req("activity_id"))
            .col(uuid_req("organisation_id"))
            .col(code("status"))
            .col(ColumnDef::new("started_on").date().null())
            .col(ColumnDef::new("ended_on").date().null())
            .foreign_key(&mut fk(
                "participation",
                "activity_id",
                "activity",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "participation",
                "organisation_id",
                "organisation",
                ForeignKeyAction::Restrict,
            ));
        manager.create_table(finish_record(&mut participation)).await?;

        create_indexes(
            manager,
            [
                unique("responsibility", &["initiative_id", "organisation_id", "role"]),
                unique("responsibility", &["activity_id", "organisation_id", "role"]),
                index("responsibility", &["organisation_id", "role"]),
                index("responsibility", &["role", "decision"]),
                unique("participation", &["activity_id", "organisation_id"]),
                index("participation", &["organisation_id", "status"]),
                index("participation", &["status"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["participation", "responsibility"]).await
    }
}
