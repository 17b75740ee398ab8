//! The GraphQL object types, one file each (with the small value types only they return: facets, edges,
//! identifiers), and in [`shared`] what many of them flatten in: the audit trail, the bookkeeping fields,
//! the multilingual texts and `viewerCanUpdate`. A file imports another only along an edge of the type
//! graph (a field of one type returns the other).

pub mod action_plan;
pub mod activity;
pub mod change;
pub mod consultation;
pub mod consultation_event;
pub mod consultation_question;
pub mod contact;
pub mod coverage;
pub mod focus_area;
pub mod goal;
pub mod history;
pub mod initiative;
pub mod node;
pub mod organisation;
pub mod participation;
pub mod region;
pub mod responsibility;
pub mod search;
pub mod shared;
pub mod source;
pub mod statistics;
pub mod status_update;
pub mod strategy;
pub mod submission;
pub mod theme;
pub mod viewer;
pub mod webhook_endpoint;
