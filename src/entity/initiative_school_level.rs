//! A school level an initiative targets.

use super::enums::SchoolLevel;
use sea_orm::entity::prelude::*;

/// A school level an initiative targets.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "initiative_school_level")]
pub struct Model {
    /// Initiative (a record's UUID).
    #[sea_orm(primary_key, auto_increment = false)]
    pub initiative_id: Uuid,
    /// School level.
    #[sea_orm(primary_key, auto_increment = false)]
    pub school_level: SchoolLevel,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
