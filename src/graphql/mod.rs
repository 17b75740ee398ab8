//! The GraphQL API: the schema, its types, and the DataLoaders behind its relations.

pub mod connection;
pub mod document;
pub mod empty_records;
pub mod field_order;
pub mod initiative_filter;
pub mod limits;
pub mod loader;
pub mod mutation;
pub mod object;
pub mod order;
pub mod query;
pub mod scalars;
pub mod user_error;

use async_graphql::Schema;
use sea_orm::DatabaseConnection;

use self::mutation::Mutation;
use self::object::change::{MaxLag, Subscription};
use self::object::shared::texts::FallbackLanguages;
use self::query::Query;
use crate::service::change_feed::FeedHead;

/// Kartla's schema.
pub type KartlaSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema with what resolvers take from the context: the database, the fallback languages, for
/// subscriptions the feed's head and how far behind it a subscriber may be, and how webhooks are made. The DataLoader is made per
/// request ([`loader::Loader`]); the limits every document is held to are applied before execution, where
/// the document is parsed ([`document::prepare`]).
pub fn build_schema(
    db: DatabaseConnection,
    fallback_languages: Vec<String>,
    feed: FeedHead,
    max_lag: i64,
    webhooks: crate::config::Webhooks,
) -> KartlaSchema {
    builder()
        .data(db)
        .data(webhooks)
        .data(FallbackLanguages(fallback_languages))
        .data(feed)
        .data(MaxLag(max_lag))
        .data(crate::service::statistics::StatisticsCache::new(
            STATISTICS_CACHE_ENTRIES,
        ))
        .data(crate::service::coverage::CoverageCache::new(COVERAGE_CACHE_ENTRIES))
        .finish()
}

/// Answers of `statistics` kept per instance (a filter and its facets each).
const STATISTICS_CACHE_ENTRIES: std::num::NonZeroUsize = std::num::NonZeroUsize::new(256).unwrap();

/// Counts of `coverage` kept per instance (a strategy each; a registry has a handful).
const COVERAGE_CACHE_ENTRIES: std::num::NonZeroUsize = std::num::NonZeroUsize::new(64).unwrap();

/// What Kartla is, as `__schema.description` and the schema's description in `schema.graphql` say.
pub const SCHEMA_DESCRIPTION: &str = "Kartla: the registry of the Nordic countries' school-digitalisation work. \
Strategies with their focus areas and goals, action plans, initiatives and activities with who is responsible \
and who takes part, consultations, and every change as a feed.";

/// The schema with Kartla's own descriptions for the scalars it takes from libraries.
fn builder() -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query, Mutation::default(), Subscription)
        .override_output_type_description::<chrono::DateTime<chrono::Utc>>(
            "A moment in time as a string in RFC 3339 format with its offset from UTC: \"2026-12-01T10:54:33Z\".",
        )
}

/// The schema in SDL, as checked in as `schema.graphql`: with its description and `@specifiedBy` on the
/// scalars that name their specification, as introspection gives them.
pub fn sdl() -> String {
    let options = async_graphql::SDLExportOptions::new().include_specified_by();
    let sdl = builder().finish().sdl_with_options(options);
    let described = format!("\"\"\"\n{SCHEMA_DESCRIPTION}\n\"\"\"\nschema {{");
    match sdl.rfind("\nschema {") {
        Some(at) => format!("{}\n{described}{}", &sdl[..at], &sdl[at + "\nschema {".len()..]),
        None => sdl,
    }
}

/// The schema in SDL as async-graphql writes it, without the schema's description (which its own parser
/// does not read back): for tools that parse the schema, such as the webhook event document.
pub fn parseable_sdl() -> String {
    builder().finish().sdl()
}

/// Puts Kartla's description where an introspection answer has async-graphql's generic one for
/// `__schema.description` (async-graphql does not let a schema describe itself).
pub fn describe_schema(data: &mut async_graphql::Value) {
    let async_graphql::Value::Object(fields) = data else {
        return;
    };
    for value in fields.values_mut() {
        if let async_graphql::Value::Object(schema) = value
            && let Some(async_graphql::Value::String(description)) = schema.get_mut("description")
            && description.starts_with("A GraphQL Schema defines the capabilities of a GraphQL server.")
        {
            *description = SCHEMA_DESCRIPTION.to_owned();
        }
    }
}
