//! An organisation that owns a strategy.

use sea_orm::entity::prelude::*;

/// An organisation that owns a strategy.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "strategy_owner")]
pub struct Model {
    /// Strategy (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub strategy_id: Uuid,
    /// Organisation (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
