//! Building the application, shared by the binary and the tests: connect, migrate, seed a new database,
//! build the router and bind the listener.

use std::net::SocketAddr;

use axum::Router;
use migration::{Migrator, MigratorTrait};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::config::{Config, InitialSeed};
use crate::db::{self, ConnectError};
use crate::entity::organisation;
use crate::service::change_feed::FeedHead;
use crate::service::seed::{self, DemoFiles, ReferenceFiles, SeedError};
use crate::{graphql, http};

/// Why the application could not start; each message is one line.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be reached.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// Migrations failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(DbErr),
    /// Seeding a new database failed.
    #[error("cannot seed the new database: {0}")]
    Seed(#[from] SeedError),
    /// The OpenID Connect settings cannot be used.
    #[error("{0}")]
    Oidc(String),
    /// The listen address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// Why it failed.
        source: std::io::Error,
    },
}

/// A built Kartla server, bound and ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    stopping: watch::Sender<bool>,
    /// Ends (yields `None`) when every WebSocket connection has closed: each holds a sender.
    sockets_closed: mpsc::Receiver<()>,
}

/// How long WebSocket connections may take to send their close frames once the server has stopped.
const SOCKET_CLOSE_WAIT: Duration = Duration::from_secs(2);

/// How long in-flight requests may take to finish after a stop signal.
pub const GRACE_PERIOD: Duration = Duration::from_secs(10);

impl Application {
    /// Connects, migrates, seeds a new database as configured, and binds the listener.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        http::oidc::Issuers::check(&config.oidc).map_err(StartupError::Oidc)?;
        let mut db = prepare_database(config).await?;
        http::metrics::count_statements(&mut db);
        let (stopping, stop) = watch::channel(false);
        let (sockets, sockets_closed) = mpsc::channel(1);
        let router = router_with_stop(db, config, stop, sockets);
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| StartupError::Bind {
                address: config.listen,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| StartupError::Bind {
            address: config.listen,
            source,
        })?;
        Ok(Application {
            listener,
            router,
            address,
            stopping,
            sockets_closed,
        })
    }

    /// The address the server listens on (with the real port when port 0 was asked for).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until Ctrl-C or SIGTERM; then accepts no more connections, closes subscriptions with a close
    /// frame (1001, going away), and lets requests in flight finish for up to [`GRACE_PERIOD`].
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let mut stopped = self.stopping.subscribe();
        let stopping = self.stopping;
        let signal = async move {
            shutdown_signal().await;
            let _ = stopping.send(true);
        };
        let server = axum::serve(self.listener, service).with_graceful_shutdown(signal);
        let grace = async move {
            let _ = stopped.wait_for(|stopping| *stopping).await;
            tokio::time::sleep(GRACE_PERIOD).await;
        };
        let served = tokio::select! {
            served = server => served,
            () = grace => {
                tracing::warn!("requests still in flight after the grace period of {GRACE_PERIOD:?}; stopping anyway");
                Ok(())
            }
        };
        // Upgraded WebSocket connections are not the HTTP server's to wait for: each sends its close frame
        // on the stop signal and then drops its sender; the process ends when all have, or after a moment.
        let mut sockets_closed = self.sockets_closed;
        let _ = tokio::time::timeout(SOCKET_CLOSE_WAIT, sockets_closed.recv()).await;
        served
    }
}

/// The router for a prepared database, and the watcher of its change feed (which must be made inside a
/// tokio runtime).
pub fn build_router(db: DatabaseConnection, config: &Config) -> Router {
    // A stop that never comes: the sender is dropped, and the router's sockets never hear of a stop.
    let (_, stop) = watch::channel(false);
    let (sockets, _) = mpsc::channel(1);
    router_with_stop(db, config, stop, sockets)
}

/// [`build_router`] whose WebSocket connections close when `stop` turns true.
fn router_with_stop(
    db: DatabaseConnection,
    config: &Config,
    stop: watch::Receiver<bool>,
    sockets: mpsc::Sender<()>,
) -> Router {
    http::metrics::install();
    let feed = FeedHead::start(db.clone());
    let mut webhooks = config.webhooks.clone();
    webhooks.key = crate::service::webhook::secret::key_for(&config.database_url, webhooks.key);
    let schema = graphql::build_schema(
        db.clone(),
        config.fallback_languages.clone(),
        feed.clone(),
        config.subscription_max_lag,
        webhooks.clone(),
    );
    crate::webhook::start(db.clone(), schema.clone(), &feed, &webhooks, stop.clone());
    let state = http::AppState {
        tokens: http::Tokens::new(db.clone(), http::oidc::Issuers::new(&config.oidc, db.clone())),
        executions: places(config.max_concurrent_requests),
        large_executions: places(config.max_concurrent_large_requests),
        large_request_cost: config.large_request_cost,
        outage: http::outage::Outage::new(db.clone(), &config.database_url),
        socket_limits: config.socket_limits,
        open_sockets: Default::default(),
        client_ip_header: config.rate_limits.client_ip_header.clone(),
        schema,
        db,
        feed,
        request_timeout: config.request_timeout,
        limits: config.limits,

        persisted: std::sync::Arc::new(match &config.trusted_documents {
            Some(trusted) => http::persisted::PersistedDocuments::trusted(trusted.clone()),
            None => http::persisted::PersistedDocuments::automatic(
                config.persisted_query_cache,
                config.limits.document_bytes,
            ),
        }),
        stop,
        sockets,
    };
    http::router(state, &config.rate_limits, &config.cors_origins)
}

/// Connects and applies pending migrations. A registry without a single organisation is new and gets the
/// configured initial seed; since seeding is all-or-nothing, a start interrupted while seeding seeds again
/// on the next start.
///
/// Instances started together on one server database take turns here ([`db::StartupLock`]).
pub async fn prepare_database(config: &Config) -> Result<DatabaseConnection, StartupError> {
    let db = db::connect(&config.database_url).await?;
    let lock = db::StartupLock::acquire(&config.database_url).await?;
    let prepared = migrate_and_seed(&db, config).await;
    lock.release().await;
    prepared.map(|()| db)
}

/// Applies pending migrations, then builds the search index and the statistics counted ahead when they
/// were built by other rules than this build's (or never: a database migrated from before them).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    Migrator::up(db, None).await?;
    if crate::service::search_index::bring_up_to_date(db).await? {
        tracing::info!(
            version = crate::service::search_index::VERSION,
            "built the search index"
        );
    }
    if crate::service::facet_count::bring_up_to_date(db).await? {
        tracing::info!(
            version = crate::service::facet_count::VERSION,
            "counted the statistics of every country"
        );
    }
    Ok(())
}

async fn migrate_and_seed(db: &DatabaseConnection, config: &Config) -> Result<(), StartupError> {
    migrate(db).await.map_err(StartupError::Migrate)?;
    let empty = organisation::Entity::find()
        .one(db)
        .await
        .map_err(StartupError::Migrate)?
        .is_none();
    if empty {
        let report = match config.initial_seed {
            InitialSeed::None => None,
            InitialSeed::Reference => Some(seed::reference(db, &ReferenceFiles::bundled()).await?),
            InitialSeed::Demo => Some(seed::demo(db, &ReferenceFiles::bundled(), &DemoFiles::bundled()).await?),
        };
        if let Some(report) = report {
            tracing::info!(%report, seed = ?config.initial_seed, "seeded the new database");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// `n` places for executions (0: as many as a semaphore holds, no limit).
fn places(n: usize) -> std::sync::Arc<tokio::sync::Semaphore> {
    std::sync::Arc::new(tokio::sync::Semaphore::new(match n {
        0 => tokio::sync::Semaphore::MAX_PERMITS,
        n => n,
    }))
}
