//! The audit log: one entry per change, written in the change's own transaction.

use sea_orm_migration::prelude::*;

use crate::table::{code, drop_all, index, record, uuid_null, uuid_req};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut entry = record("audit_entry");
        entry
            .col(ColumnDef::new("at").timestamp_with_time_zone().not_null())
            .col(ColumnDef::new("token_name").string_len(100).not_null())
            .col(uuid_null("organisation_id"))
            .col(code("operation"))
            .col(code("record_type"))
            .col(uuid_req("record_id"))
            .col(ColumnDef::new("changes").text().not_null());
        manager.create_table(entry).await?;
        manager
            .create_index(index("audit_entry", &["record_type", "record_id"]))
            .await?;
        manager.create_index(index("audit_entry", &["at"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["audit_entry"]).await
    }
}
