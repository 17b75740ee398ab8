//! One change in the audit log: who, when, what operation on which record, and the fields before and after.

use sea_orm::entity::prelude::*;

/// One change in the audit log: who, when, what operation on which record, and the fields before and after.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// When the change was committed.
    pub at: DateTimeUtc,
    /// The name of the API token that made it.
    pub token_name: String,
    /// The organisation the token acts for.
    pub organisation_id: Option<Uuid>,
    /// The operation, such as `SET_INITIATIVE_STATUS`.
    pub operation: String,
    /// The GraphQL type of the record changed.
    pub record_type: String,
    /// The record changed.
    pub record_id: Uuid,
    /// A JSON object: per changed field, `{"before": ..., "after": ...}`.
    pub changes: String,
    /// The issuer of the OpenID Connect access token that made it; null for Kartla's own tokens.
    pub issuer: Option<String>,
    /// The subject of that access token.
    pub subject: Option<String>,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
