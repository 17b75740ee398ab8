//! A theme of an initiative.

use sea_orm::entity::prelude::*;

/// A theme of an initiative.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "initiative_theme")]
pub struct Model {
    /// Initiative (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub initiative_id: Uuid,
    /// Theme (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub theme_id: Uuid,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
