//! The log of one change event's delivery to one webhook endpoint: its attempts and how the last went.

use sea_orm::entity::prelude::*;

/// The log of one change event's delivery to one webhook endpoint.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    /// The endpoint.
    #[sea_orm(primary_key, auto_increment = false)]
    pub endpoint_id: Uuid,
    /// The event's position in the change feed.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i64,
    /// Attempts made so far.
    pub attempts: i32,
    /// The HTTP status of the last answer, if there was one.
    pub status_code: Option<i32>,
    /// What went wrong in the last attempt, if it failed.
    pub error: Option<String>,
    /// How long the last attempt took, in milliseconds.
    pub response_ms: Option<i32>,
    /// When the first attempt was made.
    pub first_attempt_at: Option<DateTimeUtc>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTimeUtc>,
    /// When the next attempt is due, while the event is not delivered.
    pub next_attempt_at: Option<DateTimeUtc>,
    /// When a 2xx answer came.
    pub delivered_at: Option<DateTimeUtc>,
}

/// Relations are resolved by the loaders, not through sea-orm.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
