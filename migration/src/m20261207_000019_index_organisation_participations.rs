//! The participations of an organisation, in their order: a new index on `participation
//! (organisation_id, id)`, so a page of an organisation's participations reads that page and stops.
//! With only `(organisation_id, status)` every participation of each organisation on a page was read and
//! sorted by ID: the first 5 of each of 50 organisations took 2.0 s on PostgreSQL and 101 ms on SQLite at
//! scale 1, and 4.7 and 8.1 ms with this index. `(organisation_id, status)` stays for the filters by status.

use sea_orm_migration::prelude::*;

use crate::table::{drop_index, index};

const TABLE: &str = "participation";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index(TABLE, &["organisation_id", "id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(drop_index(TABLE, &["organisation_id", "id"])).await
    }
}
