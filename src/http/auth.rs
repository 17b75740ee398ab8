//! Signing in: `Authorization: Bearer <token>` makes the request the token's; no header, an anonymous one.
//! A header that is malformed, or names an unknown or revoked token, is refused with 401 and code
//! `UNAUTHENTICATED` rather than quietly treated as anonymous, so a client learns at once that its token is
//! wrong.

use axum::http::{HeaderMap, header};
use sea_orm::DatabaseConnection;

use crate::graphql::viewer::Viewer;
use crate::service::token;

/// Why a request could not be signed in.
pub enum Refusal {
    /// The credentials are wrong: 401.
    Unauthenticated(&'static str),
    /// The tokens could not be read: 503.
    Unavailable,
}

/// The viewer a request's headers establish.
pub async fn viewer(db: &DatabaseConnection, headers: &HeaderMap) -> Result<Viewer, Refusal> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    let value = value.to_str().map_err(|_| BAD_HEADER)?;
    viewer_of(db, value).await
}

/// What a malformed `Authorization` value is told.
const BAD_HEADER: Refusal = Refusal::Unauthenticated("The Authorization header must be `Bearer <token>`");

/// The viewer of an `Authorization` value, `Bearer <token>`.
pub async fn viewer_of(db: &DatabaseConnection, authorization: &str) -> Result<Viewer, Refusal> {
    let secret = authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(BAD_HEADER)?;
    match token::authenticate(db, secret).await {
        Ok(Some(t)) => Ok(Viewer::Token {
            name: t.name,
            role: t.role,
            organisation: t.organisation_id,
        }),
        Ok(None) => Err(Refusal::Unauthenticated(
            "The token is not valid: it is unknown or has been revoked",
        )),
        Err(error) => {
            tracing::error!(%error, "cannot read the API tokens");
            Err(Refusal::Unavailable)
        }
    }
}
