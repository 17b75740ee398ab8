//! A goal an initiative serves.

use sea_orm::entity::prelude::*;

/// A goal an initiative serves.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "initiative_goal")]
pub struct Model {
    /// Initiative (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub initiative_id: Uuid,
    /// Goal (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub goal_id: Uuid,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
