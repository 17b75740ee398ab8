//! An API token: a name, a role, the organisation an editor acts for, and the hash of the secret.

use sea_orm::entity::prelude::*;

use super::enums::AccessRole;

/// An API token: a name, a role, the organisation an editor acts for, and the hash of the secret.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    /// The record's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// A name people recognise ("udir-integration"), unique.
    #[sea_orm(unique)]
    pub name: String,
    /// What the token may do.
    pub role: AccessRole,
    /// The organisation an editor acts for.
    pub organisation_id: Option<Uuid>,
    /// SHA-256 of the secret, in hex.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// When the token was made.
    pub created_at: DateTimeUtc,
    /// When the token was revoked; a revoked token signs nobody in.
    pub revoked_at: Option<DateTimeUtc>,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
