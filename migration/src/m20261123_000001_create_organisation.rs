//! Organisations (ministries, agencies, municipalities, counties, vendors, ...) and their official
//! identifiers, each valid for a period: Norwegian municipality numbers changed in 2020 and 2024.

use sea_orm_migration::prelude::*;

use crate::table::{
    code, country, create_indexes, create_text_table, drop_all, finish_record, fk, index, record, unique, uuid_null,
    uuid_req,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut organisation = record("organisation");
        organisation
            .col(code("kind"))
            .col(country())
            .col(uuid_null("parent_id"))
            .col(ColumnDef::new("website").string_len(500).null())
            .foreign_key(&mut fk(
                "organisation",
                "parent_id",
                "organisation",
                ForeignKeyAction::Restrict,
            ));
        manager.create_table(finish_record(&mut organisation)).await?;
        create_text_table(manager, "organisation").await?;

        let mut identifier = record("organisation_identifier");
        identifier
            .col(uuid_req("organisation_id"))
            .col(code("scheme"))
            .col(ColumnDef::new("value").string_len(64).not_null())
            .col(ColumnDef::new("valid_from").date().null())
            .col(ColumnDef::new("valid_to").date().null())
            .foreign_key(&mut fk(
                "organisation_identifier",
                "organisation_id",
                "organisation",
                ForeignKeyAction::Cascade,
            ));
        manager.create_table(finish_record(&mut identifier)).await?;

        create_indexes(
            manager,
            [
                index("organisation", &["kind"]),
                index("organisation", &["country", "kind"]),
                index("organisation", &["parent_id"]),
                index("organisation", &["updated_at"]),
                index("organisation_identifier", &["organisation_id"]),
                index("organisation_identifier", &["value"]),
                unique("organisation_identifier", &["scheme", "value", "valid_from"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(
            manager,
            &["organisation_identifier", "organisation_text", "organisation"],
        )
        .await
    }
}
