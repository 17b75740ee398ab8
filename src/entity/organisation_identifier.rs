//! An official identifier of an organisation, valid for a period.

use super::enums::IdentifierScheme;
use sea_orm::entity::prelude::*;

/// An official identifier of an organisation, valid for a period.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "organisation_identifier")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Organisation (a record's UUID).
    pub organisation_id: Uuid,
    /// Scheme.
    pub scheme: IdentifierScheme,
    /// Value.
    pub value: String,
    /// Valid from.
    pub valid_from: Option<Date>,
    /// Valid to.
    pub valid_to: Option<Date>,
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
