//! The bookkeeping fields every editable record shows: when it was created and changed, and its version.

use async_graphql::SimpleObject;
use chrono::{DateTime, Utc};

/// Flattened into each record type, so every record answers `createdAt`, `updatedAt` and `version` alike.
#[derive(SimpleObject)]
pub struct Bookkeeping {
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
    /// The record's version, incremented on every change: pass it as `expectedVersion` when you change the
    /// record, and a change made meanwhile by someone else is refused with CONFLICT instead of lost.
    pub version: i32,
}
