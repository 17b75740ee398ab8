//! Initiatives (optionally numbered within an action plan), the goals they serve, their themes and school
//! levels, their activities, and dated status updates (skolDigiplan's follow-up: status, decision, actor,
//! comment).

use sea_orm_migration::prelude::*;

use crate::table::{
    code, country, create_indexes, create_link, create_text_table, drop_all, finish_record, fk, index, record, unique,
    uuid_null, uuid_req,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Status and the four planned and actual dates shared by initiatives and activities.
fn schedule(table: &mut TableCreateStatement) {
    table.col(code("status"));
    for column in ["planned_start", "planned_end", "actual_start", "actual_end"] {
        table.col(ColumnDef::new(Alias::new(column)).date().null());
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut initiative = record("initiative");
        initiative
            .col(uuid_null("action_plan_id"))
            .col(ColumnDef::new("number").integer().null())
            .col(country())
            .foreign_key(&mut fk(
                "initiative",
                "action_plan_id",
                "action_plan",
                ForeignKeyAction::Restrict,
            ));
        schedule(&mut initiative);
        manager.create_table(finish_record(&mut initiative)).await?;
        create_text_table(manager, "initiative").await?;
        create_link(
            manager,
            "initiative_goal",
            ("initiative_id", "initiative"),
            ("goal_id", "goal"),
            ForeignKeyAction::Cascade,
        )
        .await?;
        create_link(
            manager,
            "initiative_theme",
            ("initiative_id", "initiative"),
            ("theme_id", "theme"),
            ForeignKeyAction::Restrict,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("initiative_school_level")
                    .col(uuid_req("initiative_id"))
                    .col(code("school_level"))
                    .primary_key(Index::create().col("initiative_id").col("school_level"))
                    .foreign_key(&mut fk(
                        "initiative_school_level",
                        "initiative_id",
                        "initiative",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        let mut activity = record("activity");
        activity
            .col(uuid_req("initiative_id"))
            .col(ColumnDef::new("position").integer().null())
            .foreign_key(&mut fk(
                "activity",
                "initiative_id",
                "initiative",
                ForeignKeyAction::Cascade,
            ));
        schedule(&mut activity);
        manager.create_table(finish_record(&mut activity)).await?;
        create_text_table(manager, "activity").await?;

        let mut update = record("status_update");
        update
            .col(uuid_req("initiative_id"))
            .col(ColumnDef::new("reported_on").date().null())
            .col(ColumnDef::new("status").string_len(crate::table::CODE_LEN).null())
            .col(uuid_null("actor_id"))
            .foreign_key(&mut fk(
                "status_update",
                "initiative_id",
                "initiative",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "status_update",
                "actor_id",
                "organisation",
                ForeignKeyAction::Restrict,
            ));
        manager.create_table(finish_record(&mut update)).await?;
        create_text_table(manager, "status_update").await?;

        create_indexes(
            manager,
            [
                unique("initiative", &["action_plan_id", "number"]),
                index("initiative", &["country", "status"]),
                index("initiative", &["status"]),
                index("initiative", &["updated_at"]),
                index("initiative", &["planned_start"]),
                index("initiative", &["planned_end"]),
                index("initiative_school_level", &["school_level"]),
                index("activity", &["initiative_id", "position"]),
                index("activity", &["status"]),
                index("activity", &["updated_at"]),
                index("activity", &["planned_start"]),
                index("activity", &["planned_end"]),
                index("status_update", &["initiative_id", "reported_on"]),
                index("status_update", &["actor_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(
            manager,
            &[
                "status_update_text",
                "status_update",
                "activity_text",
                "activity",
                "initiative_school_level",
                "initiative_theme",
                "initiative_goal",
                "initiative_text",
                "initiative",
            ],
        )
        .await
    }
}
