//! A record a source backs; exactly one of the record columns is set.

use sea_orm::entity::prelude::*;

/// A record a source backs; exactly one of the record columns is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "source_link")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Source (a record's UUID).
    pub source_id: Uuid,
    /// Organisation (a record's UUID).
    pub organisation_id: Option<Uuid>,
    /// Strategy (a record's UUID).
    pub strategy_id: Option<Uuid>,
    /// Action plan (a record's UUID).
    pub action_plan_id: Option<Uuid>,
    /// Initiative (a record's UUID).
    pub initiative_id: Option<Uuid>,
    /// Activity (a record's UUID).
    pub activity_id: Option<Uuid>,
    /// Consultation (a record's UUID).
    pub consultation_id: Option<Uuid>,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
