//! An initiative, optionally numbered within an action plan.

use super::enums::Status;
use sea_orm::entity::prelude::*;

/// An initiative, optionally numbered within an action plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "initiative")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Action plan (a record's UUID).
    pub action_plan_id: Option<Uuid>,
    /// Number.
    pub number: Option<i32>,
    /// Country.
    pub country: String,
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
