//! Webhooks: the endpoints integrators register, each with its place in the change feed, and the log of
//! what was delivered to each. Delivery reads the feed from an endpoint's `upto` (the last position it is done with), so what is owed to an
//! endpoint is always "every matching event after its `upto`": nothing is queued that a crash could lose.
//! The lease columns let several instances share the work without two delivering to one endpoint at once.

use sea_orm_migration::prelude::*;

use crate::table::{drop_all, finish_record, fk, index, record, uuid_null, uuid_req};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn text(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).text().to_owned()
}

fn moment(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut endpoint = record("webhook_endpoint");
        endpoint
            .col(uuid_null("organisation_id"))
            .col(ColumnDef::new("created_by").string_len(200).not_null())
            .col(ColumnDef::new("owner_role").string_len(32).not_null())
            .col(text("url").not_null().to_owned())
            .col(text("description").not_null().to_owned())
            .col(text("filter_types").not_null().to_owned())
            .col(uuid_null("filter_organisation_id"))
            .col(uuid_null("filter_initiative_id"))
            .col(text("secret").not_null().to_owned())
            .col(text("previous_secret").null().to_owned())
            .col(moment("previous_secret_until"))
            .col(ColumnDef::new("enabled").boolean().not_null())
            .col(text("disabled_reason").null().to_owned())
            .col(ColumnDef::new("upto").big_integer().not_null())
            .col(moment("failing_since"))
            .col(moment("next_attempt_at"))
            .col(ColumnDef::new("lease_owner").string_len(64).null())
            .col(moment("lease_until"))
            .foreign_key(&mut fk(
                "webhook_endpoint",
                "organisation_id",
                "organisation",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut endpoint)).await?;
        manager
            .create_index(index("webhook_endpoint", &["organisation_id"]).to_owned())
            .await?;
        manager
            .create_index(index("webhook_endpoint", &["enabled", "upto"]).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("webhook_delivery"))
                    .col(uuid_req("endpoint_id"))
                    .col(ColumnDef::new("position").big_integer().not_null())
                    .col(ColumnDef::new("attempts").integer().not_null())
                    .col(ColumnDef::new("status_code").integer().null())
                    .col(text("error").null().to_owned())
                    .col(ColumnDef::new("response_ms").integer().null())
                    .col(moment("first_attempt_at"))
                    .col(moment("last_attempt_at"))
                    .col(moment("next_attempt_at"))
                    .col(moment("delivered_at"))
                    .primary_key(Index::create().col("endpoint_id").col("position"))
                    .foreign_key(&mut fk(
                        "webhook_delivery",
                        "endpoint_id",
                        "webhook_endpoint",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["webhook_delivery", "webhook_endpoint"]).await
    }
}
