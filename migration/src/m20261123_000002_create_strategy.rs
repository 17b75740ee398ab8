//! National strategies, their ordered focus areas and the ordered goals within each focus area.

use sea_orm_migration::prelude::*;

use crate::table::{
    country, create_indexes, create_link, create_text_table, drop_all, finish_record, fk, index, record, unique,
    uuid_req,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut strategy = record("strategy");
        strategy
            .col(country())
            .col(ColumnDef::new("start_year").integer().null())
            .col(ColumnDef::new("end_year").integer().null())
            .col(ColumnDef::new("adopted_on").date().null());
        manager.create_table(finish_record(&mut strategy)).await?;
        create_text_table(manager, "strategy").await?;
        create_link(
            manager,
            "strategy_owner",
            ("strategy_id", "strategy"),
            ("organisation_id", "organisation"),
            ForeignKeyAction::Restrict,
        )
        .await?;

        let mut focus_area = record("focus_area");
        focus_area
            .col(uuid_req("strategy_id"))
            .col(ColumnDef::new("position").integer().not_null())
            .col(ColumnDef::new("code").string_len(16).not_null())
            .foreign_key(&mut fk(
                "focus_area",
                "strategy_id",
                "strategy",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut focus_area)).await?;
        create_text_table(manager, "focus_area").await?;

        let mut goal = record("goal");
        goal.col(uuid_req("focus_area_id"))
            .col(ColumnDef::new("position").integer().not_null())
            .col(ColumnDef::new("code").string_len(16).not_null())
            .foreign_key(&mut fk(
                "goal",
                "focus_area_id",
                "focus_area",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut goal)).await?;
        create_text_table(manager, "goal").await?;

        create_indexes(
            manager,
            [
                index("strategy", &["country"]),
                unique("focus_area", &["strategy_id", "position"]),
                unique("goal", &["focus_area_id", "position"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(
            manager,
            &[
                "goal_text",
                "goal",
                "focus_area_text",
                "focus_area",
                "strategy_owner",
                "strategy_text",
                "strategy",
            ],
        )
        .await
    }
}
