//! Kartla's configuration: one typed struct, filled from flags and environment by [`crate::cli`] and
//! passed explicitly to [`crate::Application::build`].

use std::net::SocketAddr;

/// The SQLite database used when no URL is given: `kartla.db` in the working directory, created on demand.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kartla.db?mode=rwc";

/// The address `serve` listens on by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The languages tried, in order, when neither the request nor `Accept-Language` names one a text has.
pub const DEFAULT_FALLBACK_LANGUAGES: [&str; 7] = ["en", "sv", "nb", "nn", "da", "fi", "se"];

/// What a new, empty database is filled with when the server first starts on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum InitialSeed {
    /// Nothing: the schema only.
    None,
    /// Every Swedish and Norwegian municipality and county.
    Reference,
    /// The reference data and the demo data (strategies, plans, initiatives, consultations).
    Demo,
}

/// The configuration of one Kartla instance.
#[derive(Clone, Debug)]
pub struct Config {
    /// Database URL: `sqlite://...`, `postgres://...` or `mysql://...`. May carry a password: never log it.
    pub database_url: String,
    /// Address and port to listen on; port 0 picks a free port (tests do).
    pub listen: SocketAddr,
    /// What to seed when the database had no migrations applied before this start.
    pub initial_seed: InitialSeed,
    /// Languages tried, in order, after the request's own preferences.
    pub fallback_languages: Vec<String>,
    /// How many changes a subscriber may fall behind the feed's head before it is told to catch up with
    /// the `changes` query.
    pub subscription_max_lag: i64,
    /// What one GraphQL document may ask.
    pub limits: crate::graphql::limits::Limits,
    /// Requests per minute per token and per anonymous client.
    pub rate_limits: crate::http::rate_limit::RateLimits,
    /// What WebSocket clients may hold open: the `connection_init` timeout, subscriptions per socket,
    /// sockets per address.
    pub socket_limits: crate::http::SocketLimits,
    /// GraphQL requests over HTTP executing at once (0: no limit); more wait for a place.
    pub max_concurrent_requests: usize,
    /// Large requests (costing at least `large_request_cost`) executing at once (0: no limit); more
    /// wait for a place. Requests below the cost never wait for one.
    pub max_concurrent_large_requests: usize,
    /// The cost from which a request is large (see [`Config::max_concurrent_large_requests`]).
    pub large_request_cost: u64,
    /// How long one GraphQL request over HTTP may run before it is stopped.
    pub request_timeout: std::time::Duration,
    /// Origins whose pages may call the API from a browser (CORS); none by default.
    pub cors_origins: Vec<axum::http::HeaderValue>,
    /// How many documents automatic persisted queries remember.
    pub persisted_query_cache: usize,
    /// When set, only these documents run (and automatic persisted queries are off).
    pub trusted_documents: Option<crate::http::persisted::TrustedDocuments>,
}

/// The default of [`Config::max_concurrent_requests`]: 0, no limit. One per core halved the peak memory
/// and sped up the standard page alone (scale 1, 16 clients: PostgreSQL 75 pages/s against 59, 56 MiB
/// against 121), but in the benchmark's mix a cheap request then waits behind the slow ones (statistics,
/// search): an update's p50 went from 147 ms to 1.8 s on SQLite. See benchmarks/RESULTS.md.
pub fn default_concurrent_requests() -> usize {
    0
}

/// The default of [`Config::max_concurrent_large_requests`]: two per core. A large answer (the standard
/// page of 50 initiatives costs about 4,000) holds megabytes while it is made, so its places bound the
/// memory under load; small requests (statistics, search, a page of 50 activities, an update, all
/// below 300) pass by them, so they do not wait behind the large ones.
pub fn default_concurrent_large_requests() -> usize {
    2 * std::thread::available_parallelism().map_or(1, usize::from)
}

/// The default of [`Config::large_request_cost`].
pub const DEFAULT_LARGE_REQUEST_COST: u64 = 1_000;

/// The default of [`Config::request_timeout`], in seconds.
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: u64 = 30;

/// The default of [`Config::subscription_max_lag`].
pub const DEFAULT_SUBSCRIPTION_MAX_LAG: i64 = 10_000;

impl Config {
    /// A configuration for `database_url` with every other setting at its default.
    pub fn new(database_url: impl Into<String>) -> Self {
        Config {
            database_url: database_url.into(),
            listen: DEFAULT_LISTEN
                .parse()
                .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))),
            initial_seed: InitialSeed::Demo,
            fallback_languages: DEFAULT_FALLBACK_LANGUAGES
                .iter()
                .map(|lang| (*lang).to_owned())
                .collect(),
            subscription_max_lag: DEFAULT_SUBSCRIPTION_MAX_LAG,
            limits: crate::graphql::limits::Limits::default(),
            rate_limits: crate::http::rate_limit::RateLimits::default(),
            socket_limits: crate::http::SocketLimits::default(),
            max_concurrent_requests: default_concurrent_requests(),
            max_concurrent_large_requests: default_concurrent_large_requests(),
            large_request_cost: DEFAULT_LARGE_REQUEST_COST,
            request_timeout: std::time::Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECONDS),
            cors_origins: Vec::new(),
            persisted_query_cache: crate::http::persisted::DEFAULT_CACHE_ENTRIES,
            trusted_documents: None,
        }
    }
}

/// The database URL with any password replaced by `***`, for logs.
pub fn redacted_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &credentials[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
