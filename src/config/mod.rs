//! Kartla's configuration: one typed struct, filled from flags and environment by [`crate::cli`] and
//! passed explicitly to [`crate::Application::build`]. It is made of plain values (the limits of a
//! document, of rates and of sockets, the trusted documents), which the HTTP and GraphQL layers take
//! from here; nothing here depends on them.

use std::net::SocketAddr;

pub mod oidc;

pub use oidc::{Oidc, OidcIssuer};

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
    pub limits: Limits,
    /// Requests per minute per token and per anonymous client.
    pub rate_limits: RateLimits,
    /// What WebSocket clients may hold open: the `connection_init` timeout, subscriptions per socket,
    /// sockets per address.
    pub socket_limits: SocketLimits,
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
    pub trusted_documents: Option<TrustedDocuments>,
    /// How webhooks are delivered.
    pub webhooks: Webhooks,
    /// The OpenID Connect issuers whose access tokens are accepted beside Kartla's own tokens.
    pub oidc: Oidc,
}

/// How webhook deliveries are made (see docs/changes.md#webhooks).
#[derive(Clone, Debug)]
pub struct Webhooks {
    /// The key that seals endpoint secrets in the database. Without one, an SQLite file database keeps a
    /// generated key in a file beside it (`<file>.webhook-key`); on a server database endpoints cannot be
    /// created until the operator gives one.
    pub key: Option<crate::service::webhook::secret::WebhookKey>,
    /// Whether endpoints may use `http://` and loopback, private and link-local addresses.
    pub allow_insecure_targets: bool,
    /// How long one delivery may take (connecting, sending, the receiver's answer).
    pub timeout: std::time::Duration,
    /// Deliveries this instance makes at once (to different endpoints: one endpoint gets one at a time).
    pub max_concurrent: usize,
    /// The waits before each retry of a failed delivery; once they are used up the endpoint is disabled.
    pub retry_schedule: Vec<std::time::Duration>,
    /// How long the secret before a rotation still signs.
    pub rotation_grace: std::time::Duration,
    /// Whether this instance delivers at all (the API manages endpoints either way).
    pub deliver: bool,
}

/// The default of [`Webhooks::retry_schedule`], as the flag takes it: about 27.6 hours in all, so an
/// endpoint that is down for up to a day gets every event.
pub const DEFAULT_WEBHOOK_RETRY_SCHEDULE: &str = "5s,5m,30m,2h,5h,10h,10h";

/// The default of [`Webhooks::timeout`], in seconds.
pub const DEFAULT_WEBHOOK_TIMEOUT_SECONDS: u64 = 15;

/// The default of [`Webhooks::max_concurrent`].
pub const DEFAULT_WEBHOOK_CONCURRENCY: usize = 8;

/// The default of [`Webhooks::rotation_grace`], in seconds: a day.
pub const DEFAULT_WEBHOOK_ROTATION_GRACE_SECONDS: u64 = 24 * 3600;

impl Default for Webhooks {
    fn default() -> Self {
        Webhooks {
            key: None,
            allow_insecure_targets: false,
            timeout: std::time::Duration::from_secs(DEFAULT_WEBHOOK_TIMEOUT_SECONDS),
            max_concurrent: DEFAULT_WEBHOOK_CONCURRENCY,
            retry_schedule: parse_durations(DEFAULT_WEBHOOK_RETRY_SCHEDULE).unwrap_or_default(),
            rotation_grace: std::time::Duration::from_secs(DEFAULT_WEBHOOK_ROTATION_GRACE_SECONDS),
            deliver: true,
        }
    }
}

/// A comma-separated list of durations, each a number with a unit (`ms`, `s`, `m`, `h`): `5s,5m,2h`.
pub fn parse_durations(text: &str) -> Result<Vec<std::time::Duration>, String> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            let digits = part.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let number: u64 = digits
                .parse()
                .map_err(|_| format!("{part:?} is not a duration such as 500ms, 5s, 5m or 2h"))?;
            let unit = match &part[digits.len()..] {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => return Err(format!("{part:?} is not a duration such as 500ms, 5s, 5m or 2h")),
            };
            number
                .checked_mul(unit)
                .filter(|ms| *ms <= 7 * 24 * 3_600_000)
                .map(std::time::Duration::from_millis)
                .ok_or_else(|| format!("{part:?} is longer than a week"))
        })
        .collect()
}

/// The default of [`Config::max_concurrent_requests`]: 0, no limit. One per core halved the peak memory
/// and sped up the standard page alone (scale 1, 16 clients: PostgreSQL 75 pages/s against 59, 56 MiB
/// against 121), but in the benchmark's mix a cheap request then waits behind the slow ones (statistics,
/// search): an update's p50 went from 147 ms to 1.8 s on SQLite. See benchmarks/RESULTS.md.
pub fn default_concurrent_requests() -> usize {
    0
}

/// The default of [`Config::max_concurrent_large_requests`]: two per core. A large answer (the standard
/// page of 50 initiatives costs about 4,550) holds megabytes while it is made, so its places bound the
/// memory under load; small requests (statistics, search, a page of 50 activities, an update, all
/// below 500) pass by them, so they do not wait behind the large ones.
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
            limits: Limits::default(),
            rate_limits: RateLimits::default(),
            socket_limits: SocketLimits::default(),
            max_concurrent_requests: default_concurrent_requests(),
            max_concurrent_large_requests: default_concurrent_large_requests(),
            large_request_cost: DEFAULT_LARGE_REQUEST_COST,
            request_timeout: std::time::Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECONDS),
            cors_origins: Vec::new(),
            persisted_query_cache: DEFAULT_CACHE_ENTRIES,
            trusted_documents: None,
            webhooks: Webhooks::default(),
            oidc: Oidc::default(),
        }
    }
}

/// The limits, each configurable (see `kartla serve --help`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in the query document.
    pub document_bytes: usize,
    /// Fields nested in fields.
    pub depth: usize,
    /// The cost of the query: each field costs 1 plus its selection's cost, times the page size for a
    /// connection (`first` or `last`, else the default page).
    pub complexity: u64,
    /// Aliased fields in the document, counted where fragments are spread.
    pub aliases: usize,
    /// Fields at the root of an operation.
    pub root_fields: usize,
    /// Directives on one field.
    pub directives: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            document_bytes: 32 * 1024,
            depth: 16,
            complexity: 25_000,
            aliases: 30,
            root_fields: 20,
            directives: 5,
        }
    }
}

/// The default requests per minute per anonymous client address.
pub const DEFAULT_ANONYMOUS_PER_MINUTE: u32 = 1_200;

/// The default requests per minute per API token.
pub const DEFAULT_TOKEN_PER_MINUTE: u32 = 12_000;

/// The default failed sign-ins (requests answered 401) per minute per client address.
pub const DEFAULT_FAILED_SIGN_INS_PER_MINUTE: u32 = 60;

/// Requests per minute, per token and per anonymous client; `None` turns that limit off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    /// Per client address, for requests without a token.
    pub anonymous_per_minute: Option<std::num::NonZeroU32>,
    /// Per API token.
    pub token_per_minute: Option<std::num::NonZeroU32>,
    /// Failed sign-ins per client address: past it, unknown or revoked tokens from that address get 429
    /// until the minute is over, so they cannot be tried at will; a valid token still passes.
    pub failed_sign_ins_per_minute: Option<std::num::NonZeroU32>,
    /// The header a proxy in front of Kartla puts the client's address in (its last entry is used).
    pub client_ip_header: Option<axum::http::HeaderName>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            anonymous_per_minute: std::num::NonZeroU32::new(DEFAULT_ANONYMOUS_PER_MINUTE),
            token_per_minute: std::num::NonZeroU32::new(DEFAULT_TOKEN_PER_MINUTE),
            failed_sign_ins_per_minute: std::num::NonZeroU32::new(DEFAULT_FAILED_SIGN_INS_PER_MINUTE),
            client_ip_header: None,
        }
    }
}

/// The default of [`SocketLimits::init_timeout`].
pub const DEFAULT_INIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The default of [`SocketLimits::subscriptions_per_socket`].
pub const DEFAULT_SUBSCRIPTIONS_PER_SOCKET: usize = 100;

/// The default of [`SocketLimits::sockets_per_address`].
pub const DEFAULT_SOCKETS_PER_ADDRESS: usize = 50;

/// The limits on WebSocket clients, each configurable (see `kartla serve --help`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SocketLimits {
    /// How long a new socket may take to send `connection_init`.
    pub init_timeout: std::time::Duration,
    /// Subscriptions running at once on one socket.
    pub subscriptions_per_socket: usize,
    /// Sockets open at once from one client address.
    pub sockets_per_address: usize,
}

impl Default for SocketLimits {
    fn default() -> Self {
        SocketLimits {
            init_timeout: DEFAULT_INIT_TIMEOUT,
            subscriptions_per_socket: DEFAULT_SUBSCRIPTIONS_PER_SOCKET,
            sockets_per_address: DEFAULT_SOCKETS_PER_ADDRESS,
        }
    }
}

/// How many documents an instance remembers for automatic persisted queries, by default.
pub const DEFAULT_CACHE_ENTRIES: usize = 1000;

/// The documents a deployment trusts, by the hex SHA-256 of their text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedDocuments(pub(crate) std::collections::HashMap<String, std::sync::Arc<str>>);

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
