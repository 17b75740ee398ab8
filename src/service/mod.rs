//! Domain rules and database access. Services take `&impl ConnectionTrait`, so they run inside a
//! transaction or on the pool alike, and are tested without GraphQL.

pub mod action_plan;
pub mod coverage;
pub mod id;
pub mod initiative;
pub mod language;
pub mod organisation;
pub mod page;
pub mod seed;
pub mod statistics;
pub mod strategy;
pub mod text;
