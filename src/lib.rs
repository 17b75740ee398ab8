//! Kartla: a registry of the Nordic countries' school-digitalisation work, served as a GraphQL API.
//!
//! Layers, from the outside in: [`cli`], [`http`] and [`overview`] (HTML pages over the same schema) are
//! the entry points, [`graphql`] is the API,
//! [`service`] holds the domain rules and talks to the database through [`entity`]. [`webhook`] is the
//! way out: it posts the change feed's events to the endpoints integrators register.

pub mod cli;
pub mod config;
pub mod db;
pub mod entity;
pub mod error;
pub mod graphql;
pub mod http;
pub mod overview;
pub mod service;
pub mod startup;
pub mod webhook;

pub use config::Config;
pub use error::Error;
pub use startup::Application;
