//! Soft archiving: initiatives and activities get `archived_at`, set while they are archived. Archived
//! records keep their IDs and leave lists unless a client asks for them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose records can be archived.
const TABLES: [&str; 2] = ["initiative", "activity"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new("archived_at").timestamp_with_time_zone().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column("archived_at")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
