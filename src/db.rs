//! Connecting to the database: SQLite, PostgreSQL or MariaDB/MySQL, chosen by the URL's scheme.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

/// How long an SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections to an SQLite file. SQLite runs in the process: more connections than twice the cores of a
/// small machine add no speed, while each holds its own page cache and prepared statements (about 7 MiB
/// under load, in the C allocator's arena of its thread); 8 connections took the server's peak to 125 MiB
/// under 16 clients, 4 keep it lower at the same pages per second (benchmarks/RESULTS.md).
const SQLITE_CONNECTIONS: u32 = 4;

/// Prepared statements each SQLite connection keeps (sqlx's default is 100). A batch's `IN (...)` list has
/// as many placeholders as keys, so most statements are used once and a long cache only holds memory.
const SQLITE_STATEMENT_CACHE: usize = 32;

/// How long a request waits for a pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long connecting to a database server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a connection could not be made; the message is one line and names no password.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConnectError(String);

/// Connects to `url`. SQLite runs in WAL mode with a busy timeout and foreign keys on, so concurrent
/// requests wait for each other instead of failing with "database is locked", and no orphan rows appear.
pub async fn connect(url: &str) -> Result<DatabaseConnection, ConnectError> {
    let shown = crate::config::redacted_url(url);
    let scheme = url.split(':').next().unwrap_or_default();
    if !matches!(scheme, "sqlite" | "postgres" | "postgresql" | "mysql" | "mariadb") {
        return Err(ConnectError(format!(
            "unsupported database URL {shown:?}: use sqlite://FILE, postgres://... or mysql://..."
        )));
    }
    let url = url.replacen("mariadb://", "mysql://", 1);
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .connect_timeout(CONNECT_TIMEOUT)
        // While the database is down, a request waits this long for a connection, then fails with
        // SERVICE_UNAVAILABLE rather than hanging.
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                .statement_cache_capacity(SQLITE_STATEMENT_CACHE)
        });
    if scheme == "sqlite" {
        options.max_connections(SQLITE_CONNECTIONS).min_connections(1);
    }
    let fail = |error: &dyn std::fmt::Display| {
        ConnectError(format!("cannot connect to the database {shown}: {}", one_line(error)))
    };
    probe(options.get_url()).await.map_err(|error| fail(&error))?;
    Database::connect(options).await.map_err(|error| fail(&error))
}

/// Opens and closes one connection to a server database, so an unreachable server or a wrong password is
/// reported at once with its real cause, rather than as a pool timeout after retries. `url` is a
/// `postgres` or `mysql` URL (nothing is done for others).
pub(crate) async fn probe(url: &str) -> Result<(), sea_orm::sqlx::Error> {
    use sea_orm::sqlx::Connection as _;
    let attempt = async {
        if url.starts_with("postgres") {
            sea_orm::sqlx::PgConnection::connect(url).await?.close().await
        } else if url.starts_with("mysql") {
            sea_orm::sqlx::MySqlConnection::connect(url).await?.close().await
        } else {
            Ok(())
        }
    };
    tokio::time::timeout(CONNECT_TIMEOUT, attempt)
        .await
        .unwrap_or(Err(sea_orm::sqlx::Error::PoolTimedOut))
}

/// The error's text on a single line, without PostgreSQL's pointer into its own source ("at line 768").
fn one_line(error: &dyn std::fmt::Display) -> String {
    let words: Vec<String> = error.to_string().split_whitespace().map(String::from).collect();
    let n = words.len();
    let ends_with_source_line =
        n >= 3 && words[n - 3] == "at" && words[n - 2] == "line" && words[n - 1].chars().all(|c| c.is_ascii_digit());
    words[..if ends_with_source_line { n - 3 } else { n }].join(" ")
}

/// A short name of the database kind, for logs.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "SQLite",
        DbBackend::Postgres => "PostgreSQL",
        DbBackend::MySql => "MariaDB/MySQL",
        _ => "unknown",
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so
/// concurrent writers wait for each other (up to the busy timeout) instead of one failing with
/// "database is locked" when it upgrades from reading. On MariaDB it runs READ COMMITTED, PostgreSQL's
/// default: under InnoDB's REPEATABLE READ a `DELETE` that finds nothing (a create clears the new record's
/// texts and index rows) locks the gap where the rows would go, and two creates whose records fall in one
/// gap each wait for the other's gap lock when they insert, so one is rolled back as a deadlock
/// (`tests/api/database.rs` makes it happen). Kartla's writes need no snapshot across statements: they
/// lock what they read and change (versions, the feed's head, an organisation's row for its counts).
pub async fn begin_write(db: &sea_orm::DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::TransactionTrait;
    let isolation_level =
        (db.get_database_backend() == DbBackend::MySql).then_some(sea_orm::IsolationLevel::ReadCommitted);
    db.begin_with_options(sea_orm::TransactionOptions {
        isolation_level,
        access_mode: None,
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
    })
    .await
}

/// Rows per multi-row INSERT of a bulk write: as many as every database's limit on parameters allows for
/// rows of up to 16 columns (SQLite's 32,766). Fewer, larger statements are faster over TCP: sqlx sets no
/// `TCP_NODELAY`, and a statement larger than the socket's send buffer waits for the server's delayed
/// acknowledgement (about 40 ms) before its last part leaves. The scale-1 synthetic load on PostgreSQL:
/// 284 s with 250 rows per INSERT, 119 s with 1,000, 39 s with 1,000 over a Unix socket, which has no such
/// wait.
pub const ROWS_PER_STATEMENT: usize = 2000;

/// Pages SQLite may keep in memory on the connection of a bulk write (as KiB, negative in its PRAGMA). Past
/// this a transaction spills dirty pages to the WAL and may write a page again later; 320 MiB keeps an
/// import of the scale-1 registry under 500 MB of memory.
const BULK_CACHE_KIB: i64 = 320 * 1024;

/// A write transaction for loading many rows at once (`kartla import`, the synthetic registry). On SQLite
/// its connection gets a page cache large enough for the whole load: with the default 2 MB, a transaction
/// of hundreds of thousands of rows with random UUID keys spills dirty pages to the WAL and writes them
/// again and again, and the load spends its time in the kernel (the scale-1 import, same build otherwise:
/// 68 s with 36 s of system time before, 46 to 53 s with 18 to 20 s after). The setting stays with that
/// connection until the process ends; only commands that load in bulk use this.
pub async fn begin_bulk_write(
    db: &sea_orm::DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    let txn = begin_write(db).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        txn.execute_unprepared(&format!("PRAGMA cache_size = -{BULK_CACHE_KIB}"))
            .await?;
    }
    Ok(txn)
}

/// The lock that lets one starting instance at a time migrate and seed a server database, so several
/// instances started together on one database neither run a migration twice nor seed twice. It lives on
/// a connection of its own and ends with it.
pub struct StartupLock(Option<StartupConnection>);

enum StartupConnection {
    Postgres(sea_orm::sqlx::PgConnection),
    MySql(sea_orm::sqlx::MySqlConnection),
}

/// The key of the PostgreSQL advisory lock and the name of the MariaDB lock ("kartla" in ASCII).
const STARTUP_LOCK_KEY: i64 = 0x6b61_7274_6c61;

impl StartupLock {
    /// Waits for the startup lock of the database at `url` (SQLite needs none: its writers take turns).
    pub async fn acquire(url: &str) -> Result<StartupLock, ConnectError> {
        use sea_orm::sqlx::Connection as _;
        let shown = crate::config::redacted_url(url);
        let fail = |error: sea_orm::sqlx::Error| {
            ConnectError(format!("cannot take the startup lock on {shown}: {}", one_line(&error)))
        };
        let url = url.replacen("mariadb://", "mysql://", 1);
        let connection = if url.starts_with("postgres") {
            let mut connection = sea_orm::sqlx::PgConnection::connect(&url).await.map_err(fail)?;
            sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(STARTUP_LOCK_KEY)
                .execute(&mut connection)
                .await
                .map_err(fail)?;
            StartupConnection::Postgres(connection)
        } else if url.starts_with("mysql") {
            let mut connection = sea_orm::sqlx::MySqlConnection::connect(&url).await.map_err(fail)?;
            // GET_LOCK answers 0 when it timed out: another instance has been starting for ten minutes.
            let got: Option<i64> = sea_orm::sqlx::query_scalar("SELECT GET_LOCK('kartla_startup', 600)")
                .fetch_one(&mut connection)
                .await
                .map_err(fail)?;
            if got != Some(1) {
                return Err(ConnectError(format!(
                    "another Kartla instance has held the startup lock on {shown} for ten minutes"
                )));
            }
            StartupConnection::MySql(connection)
        } else {
            return Ok(StartupLock(None));
        };
        Ok(StartupLock(Some(connection)))
    }

    /// Lets the next instance start.
    pub async fn release(self) {
        use sea_orm::sqlx::Connection as _;
        // Closing the connection ends the lock; a failure to close ends it too, when the server notices.
        let _ = match self.0 {
            Some(StartupConnection::Postgres(connection)) => connection.close().await,
            Some(StartupConnection::MySql(connection)) => connection.close().await,
            None => Ok(()),
        };
    }
}

/// Refreshes the query planner's statistics of `tables` after a bulk load (the synthetic data, an
/// import): without them PostgreSQL plans for the tables as they were, and read a page of 50 activities in
/// 45 ms instead of 4 after the synthetic load. On PostgreSQL the tables are vacuumed too, which marks
/// their pages all-visible: counts by an indexed column (the participants of 500 activities) are then read
/// from the index alone, 1.2 ms instead of 113 ms with a fetch from the table for every row. SQLite
/// analyses the whole file. Not in a transaction: PostgreSQL vacuums only outside one.
pub async fn analyze(db: &DatabaseConnection, tables: &[&str]) -> Result<(), sea_orm::DbErr> {
    match db.get_database_backend() {
        // MariaDB answers ANALYZE TABLE with a result set.
        DbBackend::MySql => {
            let sql = format!("ANALYZE TABLE {}", tables.join(", "));
            db.query_all_raw(Statement::from_string(DbBackend::MySql, sql))
                .await
                .map(drop)
        }
        DbBackend::Postgres => db
            .execute_unprepared(&format!("VACUUM (ANALYZE) {}", tables.join(", ")))
            .await
            .map(drop),
        _ => db.execute_unprepared("ANALYZE").await.map(drop),
    }
}

/// The version of the rules that built a derived table (the search index, the statistics counted ahead),
/// from its one-row state table; `None` when it was never built.
pub async fn built_version(db: &impl ConnectionTrait, state_table: &str) -> Result<Option<i32>, sea_orm::DbErr> {
    let read = sea_orm::sea_query::Query::select()
        .column(sea_orm::sea_query::Alias::new("version"))
        .from(sea_orm::sea_query::Alias::new(state_table))
        .to_owned();
    match db.query_one(&read).await? {
        Some(row) => Ok(Some(row.try_get::<i32>("", "version")?)),
        None => Ok(None),
    }
}

/// Records in `state_table` that its derived table is now built by the rules of `version`.
pub async fn set_built_version(
    db: &impl ConnectionTrait,
    state_table: &str,
    version: i32,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::{Alias, Query};
    db.execute(&Query::delete().from_table(Alias::new(state_table)).to_owned())
        .await?;
    let state = Query::insert()
        .into_table(Alias::new(state_table))
        .columns([Alias::new("id"), Alias::new("version")])
        .values_panic([1i16.into(), version.into()])
        .to_owned();
    db.execute(&state).await?;
    Ok(())
}
