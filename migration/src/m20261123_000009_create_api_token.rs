//! API tokens: who may edit. Only a SHA-256 hash of each token is stored; the token itself is shown once.

use sea_orm_migration::prelude::*;

use crate::table::{code, drop_all, fk, index, record, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut token = record("api_token");
        token
            .col(ColumnDef::new("name").string_len(100).not_null().unique_key())
            .col(code("role"))
            .col(uuid_null("organisation_id"))
            .col(ColumnDef::new("token_hash").string_len(64).not_null().unique_key())
            .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
            .col(ColumnDef::new("revoked_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk(
                "api_token",
                "organisation_id",
                "organisation",
                ForeignKeyAction::Restrict,
            ));
        manager.create_table(token).await?;
        manager.create_index(index("api_token", &["organisation_id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["api_token"]).await
    }
}
