//! Integration tests: the real router, the real migrations, a fresh database per test. SQLite always;
//! PostgreSQL and MariaDB when `KARTLA_TEST_POSTGRES_URL` / `KARTLA_TEST_MYSQL_URL` name a server.

mod helpers;

mod cli;
mod coverage;
mod database;
mod graphiql;
mod graphql;
mod http;
mod initiatives;
mod migrations;
mod schema;
mod seed;
mod statements;
mod statistics;
