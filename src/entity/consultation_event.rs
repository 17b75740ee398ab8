//! A meeting or workshop of a consultation.

use super::enums::EventKind;
use sea_orm::entity::prelude::*;

/// A meeting or workshop of a consultation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "consultation_event")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Consultation (a record's UUID).
    pub consultation_id: Uuid,
    /// Kind.
    pub kind: EventKind,
    /// Starts at.
    pub starts_at: Option<DateTimeUtc>,
    /// Ends at.
    pub ends_at: Option<DateTimeUtc>,
    /// Online.
    pub online: bool,
    /// Registration deadline.
    pub registration_deadline: Option<DateTimeUtc>,
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
