//! A dated follow-up of an initiative: status, decision, actor and comment.

use super::enums::Status;
use sea_orm::entity::prelude::*;

/// A dated follow-up of an initiative: status, decision, actor and comment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "status_update")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Initiative (a record's UUID).
    pub initiative_id: Uuid,
    /// Reported on.
    pub reported_on: Option<Date>,
    /// Status.
    pub status: Option<Status>,
    /// Actor (a record's UUID).
    pub actor_id: Option<Uuid>,
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
