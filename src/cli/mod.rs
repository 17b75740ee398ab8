//! The command line: `serve`, `migrate`, `seed`, `token`, `export`, `import` and `schema`. Every failure is one line on stderr and a
//! non-zero exit; bad flags are answered by clap with usage and exit code 2.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

mod registry;
mod token;

use clap::{Args, Parser, Subcommand};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

use crate::config::{
    Config, DEFAULT_DATABASE_URL, DEFAULT_FALLBACK_LANGUAGES, DEFAULT_LISTEN, DEFAULT_REQUEST_TIMEOUT_SECONDS,
    DEFAULT_SUBSCRIPTION_MAX_LAG, InitialSeed, redacted_url,
};
use std::num::NonZeroU32;

use crate::config::RateLimits;
use crate::config::TrustedDocuments;
use crate::graphql::limits::Limits;
use crate::service::seed::{self, DemoFiles, ReferenceFiles};
use crate::startup::Application;

/// Kartla: the registry of the Nordic countries' school-digitalisation work, as a GraphQL API.
#[derive(Debug, Parser)]
#[command(name = "kartla", version, about)]
pub struct Cli {
    /// How log lines look: `text` for people, `json` (one object per line) for log collectors.
    #[arg(
        long,
        global = true,
        env = "KARTLA_LOG_FORMAT",
        value_enum,
        ignore_case = true,
        default_value = "text"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// The format of log lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the GraphQL server (migrates the database; seeds it when it is new).
    Serve(Box<ServeArgs>),
    /// Manage the database schema.
    Migrate {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Load data into the database (applies pending migrations first). Idempotent and all-or-nothing.
    Seed {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(subcommand)]
        data: SeedData,
    },
    /// Manage API tokens (applies pending migrations first).
    Token {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(subcommand)]
        action: token::TokenAction,
    },
    /// Write the whole registry as open data (applies pending migrations first).
    Export {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        args: registry::ExportArgs,
    },
    /// Read a registry file written by `export`: checks all of it first, then writes all or nothing.
    Import {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The JSON file.
        file: PathBuf,
    },
    /// Print the GraphQL schema (SDL).
    Schema,
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// Database URL: sqlite://FILE?mode=rwc, postgres://USER@HOST/DB or mysql://USER@HOST/DB.
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    database_url: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Address and port to listen on.
    #[arg(long, env = "KARTLA_LISTEN", default_value = DEFAULT_LISTEN)]
    listen: SocketAddr,
    /// What to load into a new, empty database on first start.
    #[arg(
        long,
        env = "KARTLA_INITIAL_SEED",
        value_enum,
        ignore_case = true,
        default_value = "demo"
    )]
    initial_seed: InitialSeed,
    /// Languages tried, in order, when a request names none the text has (comma-separated BCP 47 tags).
    #[arg(long, env = "KARTLA_FALLBACK_LANGUAGES", value_delimiter = ',', default_values_t = DEFAULT_FALLBACK_LANGUAGES.map(String::from))]
    fallback_languages: Vec<String>,
    /// How many changes a subscriber may fall behind the change feed before it is told to catch up with
    /// the `changes` query (at least 1).
    #[arg(long, env = "KARTLA_SUBSCRIPTION_MAX_LAG", default_value_t = DEFAULT_SUBSCRIPTION_MAX_LAG,
          value_parser = clap::value_parser!(i64).range(1..))]
    subscription_max_lag: i64,
    #[command(flatten)]
    limits: LimitArgs,
    /// Requests per minute per client address without a token (0: no limit).
    #[arg(long, env = "KARTLA_RATE_LIMIT_ANONYMOUS", default_value_t = crate::config::DEFAULT_ANONYMOUS_PER_MINUTE)]
    rate_limit_anonymous: u32,
    /// Requests per minute per API token (0: no limit).
    #[arg(long, env = "KARTLA_RATE_LIMIT_TOKEN", default_value_t = crate::config::DEFAULT_TOKEN_PER_MINUTE)]
    rate_limit_token: u32,
    /// Failed sign-ins (unknown or revoked tokens) per minute per client address; past it, unknown or
    /// revoked tokens from that address get 429 for the rest of the minute, valid ones pass (0: no limit).
    #[arg(long, env = "KARTLA_RATE_LIMIT_FAILED_SIGN_INS", default_value_t = crate::config::DEFAULT_FAILED_SIGN_INS_PER_MINUTE)]
    rate_limit_failed_sign_ins: u32,
    /// Behind a proxy: the header it puts the client's address in, such as X-Forwarded-For (its last
    /// entry is used). Without it, the peer's address counts.
    #[arg(long, env = "KARTLA_CLIENT_IP_HEADER")]
    client_ip_header: Option<axum::http::HeaderName>,
    /// Seconds a new WebSocket connection may take to send `connection_init` before it is closed with
    /// 4408 (at least 1).
    #[arg(long, env = "KARTLA_WS_INIT_TIMEOUT", default_value_t = crate::config::SocketLimits::default().init_timeout.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    ws_init_timeout: u64,
    /// Subscriptions one WebSocket connection may run at once; a further one is refused with
    /// TOO_MANY_SUBSCRIPTIONS (at least 1).
    #[arg(long, env = "KARTLA_WS_MAX_SUBSCRIPTIONS", default_value_t = crate::config::SocketLimits::default().subscriptions_per_socket,
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u64).range(1..), |n| n as usize))]
    ws_max_subscriptions: usize,
    /// WebSocket connections one client address may hold open at once; a further upgrade gets 429 with
    /// TOO_MANY_SOCKETS (at least 1).
    #[arg(long, env = "KARTLA_WS_MAX_SOCKETS_PER_ADDRESS", default_value_t = crate::config::SocketLimits::default().sockets_per_address,
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u64).range(1..), |n| n as usize))]
    ws_max_sockets_per_address: usize,
    /// GraphQL requests over HTTP executing at once; more wait for a place (within the request timeout),
    /// so memory under load is bounded (0: no limit). One per core halves the peak memory, but cheap
    /// requests then wait behind slow ones.
    #[arg(long, env = "KARTLA_MAX_CONCURRENT_REQUESTS", default_value_t = crate::config::default_concurrent_requests(),
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u64).range(0..100_000), |n| n as usize))]
    max_concurrent_requests: usize,
    /// Large GraphQL requests (costing at least --large-request-cost) executing at once; more wait for a
    /// place (within the request timeout), so the memory large answers hold is bounded, while smaller
    /// requests never wait for one (0: no limit; default: two per core).
    #[arg(long, env = "KARTLA_MAX_CONCURRENT_LARGE_REQUESTS", default_value_t = crate::config::default_concurrent_large_requests(),
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u64).range(0..100_000), |n| n as usize))]
    max_concurrent_large_requests: usize,
    /// The cost (as the query limits count it) from which a request is large (at least 1).
    #[arg(long, env = "KARTLA_LARGE_REQUEST_COST", default_value_t = crate::config::DEFAULT_LARGE_REQUEST_COST,
          value_parser = clap::value_parser!(u64).range(1..))]
    large_request_cost: u64,
    /// Seconds one GraphQL request over HTTP may run before it is stopped with code TIMEOUT (at least 1).
    #[arg(long, env = "KARTLA_REQUEST_TIMEOUT", default_value_t = DEFAULT_REQUEST_TIMEOUT_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout: u64,
    /// Origins whose pages may call the API from a browser, comma-separated
    /// (`https://dashboard.example.se`); none by default.
    #[arg(long, env = "KARTLA_CORS_ORIGINS", value_delimiter = ',', value_parser = cors_origin)]
    cors_origins: Vec<axum::http::HeaderValue>,
    /// How many documents automatic persisted queries remember per instance (least recently used go).
    #[arg(long, env = "KARTLA_PERSISTED_QUERY_CACHE", default_value_t = crate::config::DEFAULT_CACHE_ENTRIES,
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u64).range(1..), |n| n as usize))]
    persisted_query_cache: usize,
    /// Run only the documents in this manifest (a JSON object from SHA-256 to document, or an Apollo
    /// persisted query manifest); everything else is refused with UNTRUSTED_DOCUMENT.
    #[arg(long, env = "KARTLA_TRUSTED_DOCUMENTS")]
    trusted_documents: Option<PathBuf>,
    #[command(flatten)]
    webhooks: WebhookArgs,
    #[command(flatten)]
    oidc: OidcArgs,
}

#[derive(Debug, Args)]
struct OidcArgs {
    /// Accept OpenID Connect access tokens (JWTs) from this issuer, beside Kartla's own tokens: its URL,
    /// then comma-separated settings: audience=... (required), scope=..., organisation-claim=... with
    /// organisation-scheme=..., or organisation=<ID>, editor=CLAIM:VALUE, admin=CLAIM:VALUE,
    /// unmapped=reader|refuse, name-claim=... Repeat the flag for each issuer; see docs/authentication.md.
    #[arg(long = "oidc-issuer", env = "KARTLA_OIDC_ISSUERS", value_delimiter = ';', value_parser = crate::config::OidcIssuer::parse)]
    oidc_issuers: Vec<crate::config::OidcIssuer>,
    /// Let issuers and their key sets be http:// (tests and closed networks only).
    #[arg(long, env = "KARTLA_OIDC_ALLOW_INSECURE_ISSUER")]
    oidc_allow_insecure_issuer: bool,
    /// Seconds an access token's exp and nbf may be off, for clocks that differ.
    #[arg(long, env = "KARTLA_OIDC_CLOCK_SKEW", default_value_t = crate::config::oidc::DEFAULT_CLOCK_SKEW_SECONDS,
          value_parser = clap::value_parser!(u64).range(0..=300))]
    oidc_clock_skew: u64,
    /// The shortest time in seconds between two fetches of one issuer's keys, when a token names a key not
    /// yet known (a key rotation).
    #[arg(long, env = "KARTLA_OIDC_KEY_REFRESH_INTERVAL", default_value_t = crate::config::oidc::DEFAULT_KEY_REFRESH_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    oidc_key_refresh_interval: u64,
}

#[derive(Debug, Args)]
struct WebhookArgs {
    /// The key that seals webhook secrets in the database: 32 bytes as base64 (`openssl rand -base64 32`),
    /// the same on every instance of one database. Without it an SQLite database keeps a generated key in
    /// `<file>.webhook-key`; on PostgreSQL or MariaDB, endpoints cannot be created.
    #[arg(long, env = "KARTLA_WEBHOOK_SECRET_KEY", hide_env_values = true, value_parser = crate::service::webhook::secret::WebhookKey::parse)]
    webhook_secret_key: Option<crate::service::webhook::secret::WebhookKey>,
    /// Let webhook endpoints use http:// and loopback, private and link-local addresses (tests, closed
    /// networks). Off by default, so an endpoint cannot reach the operator's internal network.
    #[arg(long, env = "KARTLA_WEBHOOK_ALLOW_INSECURE_TARGETS")]
    webhook_allow_insecure_targets: bool,
    /// Seconds one webhook delivery may take (connecting, sending, the answer) before it counts as failed
    /// (at least 1).
    #[arg(long, env = "KARTLA_WEBHOOK_TIMEOUT", default_value_t = crate::config::DEFAULT_WEBHOOK_TIMEOUT_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    webhook_timeout: u64,
    /// Webhook deliveries this instance makes at once, to different endpoints (at least 1).
    #[arg(long, env = "KARTLA_WEBHOOK_MAX_CONCURRENT", default_value_t = crate::config::DEFAULT_WEBHOOK_CONCURRENCY,
          value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u64).range(1..=1000), |n| n as usize))]
    webhook_max_concurrent: usize,
    /// The waits before each retry of a failed webhook delivery, comma-separated (500ms, 5s, 5m, 2h);
    /// once they are used up the endpoint is disabled. Each wait is made up to a fifth longer or shorter at
    /// random, so endpoints that failed together do not all come back at once.
    #[arg(long, env = "KARTLA_WEBHOOK_RETRY_SCHEDULE", default_value = crate::config::DEFAULT_WEBHOOK_RETRY_SCHEDULE,
          value_parser = crate::config::parse_durations)]
    webhook_retry_schedule: std::vec::Vec<std::time::Duration>,
    /// Seconds the secret before a rotation still signs deliveries, beside the new one.
    #[arg(long, env = "KARTLA_WEBHOOK_ROTATION_GRACE", default_value_t = crate::config::DEFAULT_WEBHOOK_ROTATION_GRACE_SECONDS)]
    webhook_rotation_grace: u64,
}

/// An origin for CORS: `scheme://host[:port]`, nothing after it.
fn cors_origin(text: &str) -> Result<axum::http::HeaderValue, String> {
    let url = url::Url::parse(text).map_err(|e| format!("{text:?} is not an origin: {e}"))?;
    let origin = url.origin().ascii_serialization();
    if !matches!(url.scheme(), "http" | "https") || origin != text.trim_end_matches('/') {
        return Err(format!(
            "{text:?} is not an origin: give scheme://host[:port], such as https://example.se"
        ));
    }
    axum::http::HeaderValue::from_str(&origin).map_err(|e| e.to_string())
}

/// What one GraphQL document may ask (the defaults are `Limits::default()`).
#[derive(Debug, Args)]
struct LimitArgs {
    /// Bytes in one query document.
    #[arg(long, env = "KARTLA_MAX_DOCUMENT_BYTES", default_value_t = Limits::default().document_bytes)]
    max_document_bytes: usize,
    /// Fields nested in fields.
    #[arg(long, env = "KARTLA_MAX_DEPTH", default_value_t = Limits::default().depth)]
    max_depth: usize,
    /// The cost of one query: each field 1 plus what it selects, times the page size for a connection.
    #[arg(long, env = "KARTLA_MAX_COMPLEXITY", default_value_t = Limits::default().complexity)]
    max_complexity: u64,
    /// Aliases in one document.
    #[arg(long, env = "KARTLA_MAX_ALIASES", default_value_t = Limits::default().aliases)]
    max_aliases: usize,
    /// Fields at the root of one operation.
    #[arg(long, env = "KARTLA_MAX_ROOT_FIELDS", default_value_t = Limits::default().root_fields)]
    max_root_fields: usize,
    /// Directives on one field.
    #[arg(long, env = "KARTLA_MAX_DIRECTIVES", default_value_t = Limits::default().directives)]
    max_directives: usize,
}

impl From<LimitArgs> for Limits {
    fn from(args: LimitArgs) -> Self {
        Limits {
            document_bytes: args.max_document_bytes,
            depth: args.max_depth,
            complexity: args.max_complexity,
            aliases: args.max_aliases,
            root_fields: args.max_root_fields,
            directives: args.max_directives,
        }
    }
}

#[derive(Debug, Subcommand)]
enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Roll back the last migrations.
    Down {
        /// How many migrations to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
    /// Drop every table and apply all migrations again (destroys all data).
    Fresh,
}

#[derive(Debug, Subcommand)]
enum SeedData {
    /// Every Swedish and Norwegian municipality and county with its official code.
    Reference {
        /// Read the reference CSV files from this directory instead of the built-in ones.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// The reference data plus strategies, action plans, initiatives, organisations and consultations.
    Demo {
        /// Read demo.json and se_strategy_2017.json from this directory instead of the built-in ones.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// The demo data plus a generated national-scale registry, for benchmarks: per unit of scale 5,000
    /// initiatives, 50,000 activities and 500,000 participations, with roles, goals, themes, status
    /// updates and texts in three languages. Deterministic for a scale and seed.
    Synthetic {
        /// Units of scale (a fraction such as 0.01 gives a small registry).
        #[arg(long, default_value_t = 1.0, value_parser = scale)]
        scale: f64,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// A scale: a positive number, at most 100.
fn scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(scale) if scale > 0.0 && scale <= 100.0 => Ok(scale),
        _ => Err(format!(
            "{text:?} is not a scale: give a number above 0 and at most 100"
        )),
    }
}

/// Parses the command line, runs the command and turns the outcome into an exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", one_line(&error.to_string()));
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm_migration=warn"));
    let lines = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => lines.try_init(),
        LogFormat::Json => lines.json().with_current_span(true).with_span_list(false).try_init(),
    };
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(*args).await,
        Command::Migrate { database, action } => migrate(&connect(&database).await?, action).await,
        Command::Seed { database, data } => seed(&connect(&database).await?, data).await,
        Command::Token { database, action } => {
            let db = connect(&database).await?;
            crate::startup::migrate(&db).await?;
            token::run(&db, action).await
        }
        Command::Export { database, args } => {
            let db = connect(&database).await?;
            crate::startup::migrate(&db).await?;
            registry::export(&db, args).await
        }
        Command::Import { database, file } => {
            let db = connect(&database).await?;
            crate::startup::migrate(&db).await?;
            registry::import(&db, &file).await
        }
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
    }
}

async fn connect(args: &DatabaseArgs) -> anyhow::Result<DatabaseConnection> {
    Ok(crate::db::connect(&args.database_url).await?)
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    for lang in &args.fallback_languages {
        if !crate::service::language::is_language_tag(lang) {
            anyhow::bail!("--fallback-languages: {lang:?} is not a BCP 47 language tag");
        }
    }
    let config = Config {
        database_url: args.database.database_url,
        listen: args.listen,
        initial_seed: args.initial_seed,
        fallback_languages: args.fallback_languages,
        subscription_max_lag: args.subscription_max_lag,
        limits: args.limits.into(),
        rate_limits: RateLimits {
            anonymous_per_minute: NonZeroU32::new(args.rate_limit_anonymous),
            token_per_minute: NonZeroU32::new(args.rate_limit_token),
            failed_sign_ins_per_minute: NonZeroU32::new(args.rate_limit_failed_sign_ins),
            client_ip_header: args.client_ip_header,
        },
        socket_limits: crate::config::SocketLimits {
            init_timeout: std::time::Duration::from_secs(args.ws_init_timeout),
            subscriptions_per_socket: args.ws_max_subscriptions,
            sockets_per_address: args.ws_max_sockets_per_address,
        },
        max_concurrent_requests: args.max_concurrent_requests,
        max_concurrent_large_requests: args.max_concurrent_large_requests,
        large_request_cost: args.large_request_cost,
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        cors_origins: args.cors_origins,
        persisted_query_cache: args.persisted_query_cache,
        trusted_documents: match &args.trusted_documents {
            Some(path) => {
                let trusted = TrustedDocuments::read(path).map_err(|e| anyhow::anyhow!("--trusted-documents: {e}"))?;
                tracing::info!(documents = trusted.len(), "only the trusted documents run");
                Some(trusted)
            }
            None => None,
        },
        webhooks: crate::config::Webhooks {
            key: args.webhooks.webhook_secret_key,
            allow_insecure_targets: args.webhooks.webhook_allow_insecure_targets,
            timeout: std::time::Duration::from_secs(args.webhooks.webhook_timeout),
            max_concurrent: args.webhooks.webhook_max_concurrent,
            retry_schedule: args.webhooks.webhook_retry_schedule,
            rotation_grace: std::time::Duration::from_secs(args.webhooks.webhook_rotation_grace),
            deliver: true,
        },
        oidc: crate::config::Oidc {
            issuers: args.oidc.oidc_issuers,
            allow_insecure_issuer: args.oidc.oidc_allow_insecure_issuer,
            clock_skew: std::time::Duration::from_secs(args.oidc.oidc_clock_skew),
            key_refresh_interval: std::time::Duration::from_secs(args.oidc.oidc_key_refresh_interval),
            ..crate::config::Oidc::default()
        },
    };
    let app = Application::build(&config).await?;
    let address = app.address();
    tracing::info!(database = %redacted_url(&config.database_url), "Kartla is ready");
    tracing::info!("GraphiQL: http://{address}/   GraphQL endpoint: POST http://{address}/graphql");
    tracing::info!("Subscriptions: ws://{address}/graphql (graphql-transport-ws or graphql-ws)");
    app.run_until_stopped().await?;
    Ok(())
}

async fn migrate(db: &DatabaseConnection, action: MigrateAction) -> anyhow::Result<()> {
    match action {
        MigrateAction::Up => crate::startup::migrate(db).await?,
        MigrateAction::Down { steps } => Migrator::down(db, Some(steps)).await?,
        MigrateAction::Fresh => Migrator::fresh(db).await?,
        MigrateAction::Status => {
            for migration in Migrator::get_migration_with_status(db).await? {
                println!(
                    "{:<8} {}",
                    migration.status().to_string().to_lowercase(),
                    migration.name()
                );
            }
            return Ok(());
        }
    }
    let applied = Migrator::get_applied_migrations(db).await?.len();
    let pending = Migrator::get_pending_migrations(db).await?.len();
    println!("{applied} migrations applied, {pending} pending");
    Ok(())
}

/// Seeds the demo data (if not there yet), then the synthetic data with a progress bar.
async fn synthetic(db: &DatabaseConnection, scale: f64, seed: u64) -> anyhow::Result<()> {
    use indicatif::{ProgressBar, ProgressStyle};
    let started = std::time::Instant::now();
    seed::demo(db, &ReferenceFiles::bundled(), &DemoFiles::bundled()).await?;
    let spec = seed::synthetic::Synthetic { scale, seed };
    let bar = ProgressBar::new(spec.rows());
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {human_pos}/{human_len} rows, {per_sec}, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let report = seed::synthetic::load(db, spec, &|rows| bar.set_position(rows)).await;
    bar.finish_and_clear();
    println!("{} in {:.1} s", report?, started.elapsed().as_secs_f64());
    Ok(())
}

async fn seed(db: &DatabaseConnection, data: SeedData) -> anyhow::Result<()> {
    crate::startup::migrate(db).await?;
    let report = match data {
        SeedData::Reference { data_dir } => {
            let files = match data_dir {
                Some(dir) => ReferenceFiles::from_dir(&dir)?,
                None => ReferenceFiles::bundled(),
            };
            seed::reference(db, &files).await?
        }
        SeedData::Demo { data_dir } => {
            let files = match data_dir {
                Some(dir) => DemoFiles::from_dir(&dir)?,
                None => DemoFiles::bundled(),
            };
            seed::demo(db, &ReferenceFiles::bundled(), &files).await?
        }
        SeedData::Synthetic { scale, seed } => return synthetic(db, scale, seed).await,
    };
    println!("{report}");
    Ok(())
}
