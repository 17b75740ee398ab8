//! Consultations: rounds of input on a strategy or an action plan, with their questions, their events
//! (meetings and workshops, with target groups) and the submissions organisations sent in.

use sea_orm_migration::prelude::*;

use crate::table::{
    code, create_indexes, create_text_table, drop_all, finish_record, fk, index, record, unique, uuid_null, uuid_req,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut consultation = record("consultation");
        consultation
            .col(uuid_null("strategy_id"))
            .col(uuid_null("action_plan_id"))
            .col(uuid_null("organiser_id"))
            .col(ColumnDef::new("opens_on").date().null())
            .col(ColumnDef::new("closes_on").date().null())
            .foreign_key(&mut fk(
                "consultation",
                "strategy_id",
                "strategy",
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                "consultation",
                "action_plan_id",
                "action_plan",
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                "consultation",
                "organiser_id",
                "organisation",
                ForeignKeyAction::Restrict,
            ));
        manager.create_table(finish_record(&mut consultation)).await?;
        create_text_table(manager, "consultation").await?;

        let mut question = record("consultation_question");
        question
            .col(uuid_req("consultation_id"))
            .col(ColumnDef::new("position").integer().not_null())
            .foreign_key(&mut fk(
                "consultation_question",
                "consultation_id",
                "consultation",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut question)).await?;
        create_text_table(manager, "consultation_question").await?;

        let mut event = record("consultation_event");
        event
            .col(uuid_req("consultation_id"))
            .col(code("kind"))
            .col(ColumnDef::new("starts_at").timestamp_with_time_zone().null())
            .col(ColumnDef::new("ends_at").timestamp_with_time_zone().null())
            .col(ColumnDef::new("online").boolean().not_null())
            .col(
                ColumnDef::new("registration_deadline")
                    .timestamp_with_time_zone()
                    .null(),
            )
            .foreign_key(&mut fk(
                "consultation_event",
                "consultation_id",
                "consultation",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut event)).await?;
        create_text_table(manager, "consultation_event").await?;

        let mut target_group = record("event_target_group");
        target_group
            .col(uuid_req("event_id"))
            .col(ColumnDef::new("position").integer().not_null())
            .foreign_key(&mut fk(
                "event_target_group",
                "event_id",
                "consultation_event",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut target_group)).await?;
        create_text_table(manager, "event_target_group").await?;

        let mut submission = record("submission");
        submission
            .col(uuid_req("consultation_id"))
            .col(uuid_null("organisation_id"))
            .col(ColumnDef::new("submitted_at").timestamp_with_time_zone().null())
            .col(ColumnDef::new("url").string_len(500).null())
            .foreign_key(&mut fk(
                "submission",
                "consultation_id",
                "consultation",
                ForeignKeyAction::Cascade,
            ))
            .foreign_key(&mut fk(
                "submission",
                "organisation_id",
                "organisation",
                ForeignKeyAction::Restrict,
            ));
        manager.create_table(finish_record(&mut submission)).await?;
        create_text_table(manager, "submission").await?;

        create_indexes(
            manager,
            [
                index("consultation", &["strategy_id"]),
                index("consultation", &["action_plan_id"]),
                index("consultation", &["organiser_id"]),
                index("consultation", &["closes_on"]),
                unique("consultation_question", &["consultation_id", "position"]),
                index("consultation_event", &["consultation_id", "starts_at"]),
                unique("event_target_group", &["event_id", "position"]),
                index("submission", &["consultation_id", "submitted_at"]),
                index("submission", &["organisation_id"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(
            manager,
            &[
                "submission_text",
                "submission",
                "event_target_group_text",
                "event_target_group",
                "consultation_event_text",
                "consultation_event",
                "consultation_question_text",
                "consultation_question",
                "consultation_text",
                "consultation",
            ],
        )
        .await
    }
}
