//! One event of the change feed: a committed change to a record, at its position in commit order.

use sea_orm::entity::prelude::*;

/// One event of the change feed: a committed change to a record, at its position in commit order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_event")]
pub struct Model {
    /// The event's place in the feed: every later commit has a higher one.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i64,
    /// When the change was committed.
    pub at: DateTimeUtc,
    /// CREATE, UPDATE, ARCHIVE, RESTORE or DELETE.
    pub operation: String,
    /// The GraphQL type of the record.
    pub record_type: String,
    /// The record.
    pub record_id: Uuid,
    /// The record's version after the change (none after a DELETE).
    pub version: Option<i32>,
    /// The initiative the record belongs to, if any.
    pub initiative_id: Option<Uuid>,
    /// The organisation the record belongs to, if any.
    pub organisation_id: Option<Uuid>,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
