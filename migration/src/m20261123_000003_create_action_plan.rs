//! Action plans, optionally under a strategy, with the organisations that own them.

use sea_orm_migration::prelude::*;

use crate::table::{
    country, create_indexes, create_link, create_text_table, drop_all, finish_record, fk, index, record, uuid_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut plan = record("action_plan");
        plan.col(uuid_null("strategy_id"))
            .col(country())
            .col(ColumnDef::new("published_on").date().null())
            .col(ColumnDef::new("start_year").integer().null())
            .col(ColumnDef::new("end_year").integer().null())
            .foreign_key(&mut fk(
                "action_plan",
                "strategy_id",
                "strategy",
                ForeignKeyAction::Restrict,
            ));
        manager.create_table(finish_record(&mut plan)).await?;
        create_text_table(manager, "action_plan").await?;
        create_link(
            manager,
            "action_plan_owner",
            ("action_plan_id", "action_plan"),
            ("organisation_id", "organisation"),
            ForeignKeyAction::Restrict,
        )
        .await?;
        create_indexes(
            manager,
            [
                index("action_plan", &["strategy_id"]),
                index("action_plan", &["country"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["action_plan_owner", "action_plan_text", "action_plan"]).await
    }
}
