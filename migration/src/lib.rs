//! Kartla's database migrations.
//!
//! One change per file, each with its own table and column identifiers: a migration never refers to the
//! application's entities, so it means the same thing forever. The shared building blocks in [`table`] are
//! frozen in the same way: change them only by adding new functions.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_organisation;
mod m20261123_000002_create_strategy;
mod m20261123_000003_create_action_plan;
mod m20261123_000004_create_theme;
mod m20261123_000005_create_initiative;
mod m20261123_000006_create_responsibility_and_participation;
mod m20261123_000007_create_consultation;
mod m20261123_000008_create_source_and_contact;
mod m20261123_000009_create_api_token;
mod m20261123_000010_create_audit_entry;
mod m20261123_000011_add_archived_at;
mod m20261123_000012_create_change_feed;
mod m20261201_000013_create_region_counts;
mod m20261201_000014_create_search_term;
mod m20261201_000015_create_webhooks;
mod m20261205_000016_create_facet_counts;
mod m20261207_000017_add_search_term_part;
mod m20261207_000018_index_goal_initiatives;
mod m20261207_000019_index_organisation_participations;
mod m20261207_000020_index_record_history;
mod m20261207_000021_add_audit_issuer;
pub mod table;

/// The ordered list of Kartla's migrations.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_organisation::Migration),
            Box::new(m20261123_000002_create_strategy::Migration),
            Box::new(m20261123_000003_create_action_plan::Migration),
            Box::new(m20261123_000004_create_theme::Migration),
            Box::new(m20261123_000005_create_initiative::Migration),
            Box::new(m20261123_000006_create_responsibility_and_participation::Migration),
            Box::new(m20261123_000007_create_consultation::Migration),
            Box::new(m20261123_000008_create_source_and_contact::Migration),
            Box::new(m20261123_000009_create_api_token::Migration),
            Box::new(m20261123_000010_create_audit_entry::Migration),
            Box::new(m20261123_000011_add_archived_at::Migration),
            Box::new(m20261123_000012_create_change_feed::Migration),
            Box::new(m20261201_000013_create_region_counts::Migration),
            Box::new(m20261201_000014_create_search_term::Migration),
            Box::new(m20261201_000015_create_webhooks::Migration),
            Box::new(m20261205_000016_create_facet_counts::Migration),
            Box::new(m20261207_000017_add_search_term_part::Migration),
            Box::new(m20261207_000018_index_goal_initiatives::Migration),
            Box::new(m20261207_000019_index_organisation_participations::Migration),
            Box::new(m20261207_000020_index_record_history::Migration),
            Box::new(m20261207_000021_add_audit_issuer::Migration),
        ]
    }
}
