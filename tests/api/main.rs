//! Integration tests: the real router, the real migrations, a fresh database per test. SQLite always;
//! PostgreSQL and MariaDB when `KARTLA_TEST_POSTGRES_URL` / `KARTLA_TEST_MYSQL_URL` name a server.

mod helpers;

mod activities;
mod change_feed;
mod cli;
mod consultations;
mod coverage;
mod database;
mod editing;
mod examples;
mod graphiql;
mod graphql;
mod http;
mod initiatives;
mod instances;
mod limits;
mod logs;
mod migrations;
mod mutations;
mod operations;
mod order;
mod outage;
mod persisted;
mod properties;
mod rate_limits;
mod registry_file;
mod relations;
mod schema;
mod search;
mod seed;
mod statements;
mod statistics;
mod subscriptions;
mod synthetic;
mod tokens;
mod ws_client;
