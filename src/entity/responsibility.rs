//! A role an organisation holds, or was proposed for, on an initiative or an activity.

use super::enums::{DecisionState, Role};
use sea_orm::entity::prelude::*;

/// A role an organisation holds, or was proposed for, on an initiative or an activity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "responsibility")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Organisation (a record's UUID).
    pub organisation_id: Uuid,
    /// Initiative (a record's UUID).
    pub initiative_id: Option<Uuid>,
    /// Activity (a record's UUID).
    pub activity_id: Option<Uuid>,
    /// Role.
    pub role: Role,
    /// Decision.
    pub decision: DecisionState,
    /// Decided on.
    pub decided_on: Option<Date>,
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
