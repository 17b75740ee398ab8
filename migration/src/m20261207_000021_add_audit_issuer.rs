//! Who acted, when it was someone signed in elsewhere: `audit_entry.issuer` and `audit_entry.subject` hold
//! the issuer and the subject of the OpenID Connect access token that made a change, and stay null for a
//! change made with one of Kartla's own tokens.

use sea_orm_migration::prelude::*;

const TABLE: &str = "audit_entry";

/// The new columns, each added by a statement of its own (SQLite adds one column per `ALTER TABLE`).
const COLUMNS: [&str; 2] = ["issuer", "subject"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(TABLE))
                        .add_column(ColumnDef::new(column).string_len(500).null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(Table::alter().table(Alias::new(TABLE)).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
