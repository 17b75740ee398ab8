//! Themes: an extendable code list (privacy, information security, standards and interoperability, ...).

use sea_orm_migration::prelude::*;

use crate::table::{create_text_table, drop_all, finish_record, record};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut theme = record("theme");
        theme.col(ColumnDef::new("code").string_len(64).not_null().unique_key());
        manager.create_table(finish_record(&mut theme)).await?;
        create_text_table(manager, "theme").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["theme_text", "theme"]).await
    }
}
