//! An organisation that owns an action plan.

use sea_orm::entity::prelude::*;

/// An organisation that owns an action plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "action_plan_owner")]
pub struct Model {
    /// Action plan (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub action_plan_id: Uuid,
    /// Organisation (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
