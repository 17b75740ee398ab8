//! An organisation: a ministry, an agency, a municipality, a county, a vendor, ...

use super::enums::OrganisationKind;
use sea_orm::entity::prelude::*;

/// An organisation: a ministry, an agency, a municipality, a county, a vendor, ...
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Kind.
    pub kind: OrganisationKind,
    /// Country.
    pub country: String,
    /// Parent (a record's UUID).
    pub parent_id: Option<Uuid>,
    /// Website.
    pub website: Option<String>,
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
