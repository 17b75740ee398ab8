//! sea-orm entities, one per table. The multilingual `<table>_text` tables are read and written by
//! `crate::service::text`, not through entities.

pub mod action_plan;
pub mod action_plan_owner;
pub mod activity;
pub mod api_token;
pub mod audit_entry;
pub mod change_event;
pub mod consultation;
pub mod consultation_event;
pub mod consultation_question;
pub mod contact;
pub mod enums;
pub mod event_target_group;
pub mod focus_area;
pub mod goal;
pub mod initiative;
pub mod initiative_goal;
pub mod initiative_school_level;
pub mod initiative_theme;
pub mod organisation;
pub mod organisation_identifier;
pub mod participation;
pub mod responsibility;
pub mod source;
pub mod source_link;
pub mod status_update;
pub mod strategy;
pub mod strategy_owner;
pub mod submission;
pub mod theme;
pub mod webhook_delivery;
pub mod webhook_endpoint;
