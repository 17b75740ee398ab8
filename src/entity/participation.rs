//! A school authority's participation in an activity.

use super::enums::ParticipationStatus;
use sea_orm::entity::prelude::*;

/// A school authority's participation in an activity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "participation")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Activity (a record's UUID).
    pub activity_id: Uuid,
    /// Organisation (a record's UUID).
    pub organisation_id: Uuid,
    /// Status.
    pub status: ParticipationStatus,
    /// Started on.
    pub started_on: Option<Date>,
    /// Ended on.
    pub ended_on: Option<Date>,
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
