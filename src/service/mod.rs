//! Domain rules and database access. Services take `&impl ConnectionTrait`, so they run inside a
//! transaction or on the pool alike, and are tested without GraphQL.

pub mod action_plan;
pub mod activity;
pub mod activity_edit;
pub mod change_feed;
pub mod consultation;
pub mod consultation_edit;
pub mod coverage;
pub mod edit;
pub mod id;
pub mod initiative;
pub mod initiative_edit;
pub mod initiative_status;
pub mod language;
pub mod nested_page;
pub mod organisation;
pub mod organisation_edit;
pub mod page;
pub mod period;
pub mod permission;
pub mod region_count;
pub mod registry_file;
pub mod responsibility_decision;
pub mod responsibility_proposal;
pub mod search;
pub mod search_index;
pub mod seed;
pub mod sorted_page;
pub mod source_edit;
pub mod statistics;
pub mod strategy;
pub mod strategy_edit;
pub mod text;
pub mod token;
pub mod versioned;
pub mod webhook;
