//! The GraphQL API: the schema, its types, and the DataLoaders behind its relations.

pub mod action_plan;
pub mod activity;
pub mod bookkeeping;
pub mod change;
pub mod connection;
pub mod consultation;
pub mod coverage;
pub mod document;
pub mod empty_records;
pub mod history;
pub mod initiative;
pub mod initiative_filter;
pub mod limits;
pub mod loader;
pub mod mutation;
pub mod node;
pub mod order;
pub mod organisation;
pub mod query;
pub mod region;
pub mod responsibility;
pub mod scalars;
pub mod search;
pub mod source;
pub mod statistics;
pub mod strategy;
pub mod text;
pub mod theme;
pub mod user_error;
pub mod viewer;

use async_graphql::Schema;
use sea_orm::DatabaseConnection;

use self::change::{MaxLag, Subscription};
use self::mutation::Mutation;
use self::query::Query;
use self::text::FallbackLanguages;
use crate::service::change_feed::FeedHead;

/// Kartla's schema.
pub type KartlaSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema with what resolvers take from the context: the database, the fallback languages, and
/// for subscriptions the feed's head and how far behind it a subscriber may be. The DataLoader is made per
/// request ([`loader::Loader`]); the limits every document is held to are applied before execution, where
/// the document is parsed ([`document::prepare`]).
pub fn build_schema(
    db: DatabaseConnection,
    fallback_languages: Vec<String>,
    feed: FeedHead,
    max_lag: i64,
) -> KartlaSchema {
    Schema::build(Query, Mutation::default(), Subscription)
        .data(db)
        .data(FallbackLanguages(fallback_languages))
        .data(feed)
        .data(MaxLag(max_lag))
        .finish()
}

/// The schema in SDL, as checked in as `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query, Mutation::default(), Subscription).finish().sdl()
}
