//! An activity within an initiative.

use super::enums::Status;
use sea_orm::entity::prelude::*;

/// An activity within an initiative.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Initiative (a record's UUID).
    pub initiative_id: Uuid,
    /// Position.
    pub position: Option<i32>,
    /// Status.
    pub status: Status,
    /// Planned start.
    pub planned_start: Option<Date>,
    /// Planned end.
    pub planned_end: Option<Date>,
    /// Actual start.
    pub actual_start: Option<Date>,
    /// Actual end.
    pub actual_end: Option<Date>,
    /// When the record was created.
    pub created_at: DateTimeUtc,
    /// When the record last changed.
    pub updated_at: DateTimeUtc,
    /// Incremented on every change, for optimistic locking.
    pub version: i32,
    /// When the record was archived; null while it is current.
    pub archived_at: Option<DateTimeUtc>,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
