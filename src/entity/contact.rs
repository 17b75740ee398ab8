//! A named contact person for an initiative, an activity or a consultation: personal data.

use sea_orm::entity::prelude::*;

/// A named contact person for an initiative, an activity or a consultation: personal data.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "contact")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Initiative (a record's UUID).
    pub initiative_id: Option<Uuid>,
    /// Activity (a record's UUID).
    pub activity_id: Option<Uuid>,
    /// Consultation (a record's UUID).
    pub consultation_id: Option<Uuid>,
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
