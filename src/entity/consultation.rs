//! A round of input on a strategy or an action plan.

use sea_orm::entity::prelude::*;

/// A round of input on a strategy or an action plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "consultation")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Strategy (a record's UUID).
    pub strategy_id: Option<Uuid>,
    /// Action plan (a record's UUID).
    pub action_plan_id: Option<Uuid>,
    /// Organiser (a record's UUID).
    pub organiser_id: Option<Uuid>,
    /// Opens on.
    pub opens_on: Option<Date>,
    /// Closes on.
    pub closes_on: Option<Date>,
    /// When the record was created.
    pub created_at: DateTimeUtc,
    /// When the record last changed.
    pub updated_at: DateTimeUtc,
    /// Incremented on every change, for optimistic locking.
    pub version: i32,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
