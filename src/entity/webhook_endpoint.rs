//! A webhook endpoint: where Kartla posts the change events that match its filter, signed with its
//! secret, and how far along the feed its deliveries are.

use sea_orm::entity::prelude::*;

use super::enums::AccessRole;

/// A webhook endpoint: where Kartla posts the change events that match its filter.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoint")]
pub struct Model {
    /// The endpoint's UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organisation whose editors manage it (none: only ADMINs do).
    pub organisation_id: Option<Uuid>,
    /// The name of the token that created it.
    pub created_by: String,
    /// The role its events are read as: what the record in a delivery shows.
    pub owner_role: AccessRole,
    /// The URL posted to.
    pub url: String,
    /// What it is for, in the owner's words.
    pub description: String,
    /// The record types delivered, comma-separated GraphQL names; empty for all.
    pub filter_types: String,
    /// Only records of this organisation, when set.
    pub filter_organisation_id: Option<Uuid>,
    /// Only records of this initiative, when set.
    pub filter_initiative_id: Option<Uuid>,
    /// The signing secret, sealed with the instance's webhook key.
    pub secret: String,
    /// The secret before the last rotation, sealed, while it still signs.
    pub previous_secret: Option<String>,
    /// Until when the previous secret signs too.
    pub previous_secret_until: Option<DateTimeUtc>,
    /// Whether events are delivered.
    pub enabled: bool,
    /// Why it was disabled, when Kartla disabled it.
    pub disabled_reason: Option<String>,
    /// The last feed position the endpoint is done with (delivered or not matching).
    pub upto: i64,
    /// Since when the event after `upto` has failed, while it does.
    pub failing_since: Option<DateTimeUtc>,
    /// When the next attempt is due, while one waits for its time.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// The instance delivering to it now.
    pub lease_owner: Option<String>,
    /// Until when that instance has it.
    pub lease_until: Option<DateTimeUtc>,
    /// When the endpoint was created.
    pub created_at: DateTimeUtc,
    /// When it was last changed by its owner.
    pub updated_at: DateTimeUtc,
    /// Raised by every change its owner makes.
    pub version: i32,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
