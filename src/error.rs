//! Kartla's one error type and how it reaches clients.
//!
//! Policy: every error a client can cause (a malformed ID, a page too large, a bad filter value) carries
//! a stable `extensions.code` and a message that says what to change. A database that cannot be reached
//! is `SERVICE_UNAVAILABLE` (retry later). Everything else (a query failed) is logged with its details and
//! reaches the client only as `INTERNAL` with a generic message: database text never leaves the server.

use std::sync::Arc;

use async_graphql::ErrorExtensions;

/// An error from the domain or the database. Cheap to clone, so DataLoaders can share it.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    /// A global ID that is not one of Kartla's IDs.
    #[error("{0}")]
    BadId(String),
    /// A page size outside 0..=100.
    #[error("{0}")]
    PageSize(String),
    /// A cursor that this connection did not hand out.
    #[error("{0}")]
    BadCursor(String),
    /// A well-formed ID of a record that does not exist, where a record is required.
    #[error("{0}")]
    NotFound(String),
    /// Any other invalid argument.
    #[error("{0}")]
    BadInput(String),
    /// The request needs a signed-in viewer.
    #[error("{0}")]
    Unauthenticated(String),
    /// The viewer may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The database failed; the details are logged, not shown.
    #[error("database error: {0}")]
    Database(Arc<sea_orm::DbErr>),
    /// A broken promise inside Kartla (a bug); the details are logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadId(_) => "BAD_ID",
            Error::PageSize(_) => "PAGE_SIZE",
            Error::BadCursor(_) => "BAD_CURSOR",
            Error::BadInput(_) => "BAD_USER_INPUT",
            Error::NotFound(_) => "NOT_FOUND",
            Error::Unauthenticated(_) => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::Database(error) if unavailable(error) => "SERVICE_UNAVAILABLE",
            Error::Database(_) | Error::Internal(_) => "INTERNAL",
        }
    }
}

/// Whether a database error means the database cannot be reached now (down, restarting, the network
/// gone, the pool unable to connect), rather than that a statement failed: the client may retry later.
pub fn unavailable(error: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(error)) | DbErr::Query(RuntimeErr::SqlxError(error)) => matches!(
            error.as_ref(),
            Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed | Sqlx::Tls(_)
        ),
        _ => false,
    }
}

impl ErrorExtensions for Error {
    fn extend(&self) -> async_graphql::Error {
        let message = match self {
            Error::Database(error) if unavailable(error) => {
                tracing::warn!(%error, "the database cannot be reached");
                "the database cannot be reached now; nothing was changed, please try again shortly".to_owned()
            }
            Error::Database(error) => {
                tracing::error!(%error, "database error while answering a request");
                "internal error: the request could not be completed, please try again later".to_owned()
            }
            Error::Internal(error) => {
                tracing::error!(%error, "internal error while answering a request");
                "internal error: the request could not be completed, please try again later".to_owned()
            }
            other => other.to_string(),
        };
        async_graphql::Error::new(message).extend_with(|_, extensions| extensions.set("code", self.code()))
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(error: sea_orm::DbErr) -> Self {
        Error::Database(Arc::new(error))
    }
}

/// A request-level GraphQL error with `extensions.code` (a limit, a persisted-query refusal, a timeout).
pub fn coded(code: &str, message: impl Into<String>) -> async_graphql::ServerError {
    with_code(async_graphql::ServerError::new(message, None), code)
}

/// `error` with `extensions.code` set to `code`.
pub fn with_code(mut error: async_graphql::ServerError, code: &str) -> async_graphql::ServerError {
    error
        .extensions
        .get_or_insert_with(async_graphql::ErrorExtensionValues::default)
        .set("code", code);
    error
}

/// The `extensions.code` of an error, if it has one.
pub fn code_of(error: &async_graphql::ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code") {
        Some(async_graphql::Value::String(code)) => Some(code),
        _ => None,
    }
}
