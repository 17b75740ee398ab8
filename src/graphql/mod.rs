//! The GraphQL API: the schema, its types, and the DataLoaders behind its relations.

pub mod action_plan;
pub mod bookkeeping;
pub mod connection;
pub mod coverage;
pub mod initiative;
pub mod loader;
pub mod node;
pub mod organisation;
pub mod query;
pub mod scalars;
pub mod statistics;
pub mod strategy;
pub mod text;
pub mod theme;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use self::query::Query;
use self::text::FallbackLanguages;

/// Kartla's schema.
pub type KartlaSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Builds the schema with what resolvers take from the context: the database, the DataLoader and the
/// fallback languages.
pub fn build_schema(db: DatabaseConnection, fallback_languages: Vec<String>) -> KartlaSchema {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(loader::register(db.clone()))
        .data(db)
        .data(FallbackLanguages(fallback_languages))
        .finish()
}

/// The schema in SDL, as checked in as `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query, EmptyMutation, EmptySubscription).finish().sdl()
}
