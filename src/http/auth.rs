//! Signing in: `Authorization: Bearer <token>` makes the request the token's; no header, an anonymous one.
//! A header that is malformed, or names an unknown or revoked token, is refused with 401 and code
//! `UNAUTHENTICATED` rather than quietly treated as anonymous, so a client learns at once that its token is
//! wrong. Unknown tokens are remembered for a minute, so a client trying random tokens costs no database
//! look-up after the first of each (and its failures count against its address: see `rate_limit`).
//! A bearer value that is a JWT is an OpenID Connect access token instead, checked by [`super::oidc`];
//! its refusals say why (expired, wrong audience, unknown issuer, bad signature).

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, header};
use sea_orm::DatabaseConnection;

use crate::service::permission::{Actor, Viewer};
use crate::service::token;

/// Why a request could not be signed in.
pub enum Refusal {
    /// The credentials are wrong: 401.
    Unauthenticated(Cow<'static, str>),
    /// The tokens could not be read: 503.
    Unavailable,
}

/// How long a token found unknown is answered as unknown without a look-up. A token is never made known
/// later (a new token is a new random secret), so this only saves work.
pub const UNKNOWN_TOKEN_MEMORY: Duration = Duration::from_secs(60);

/// Unknown tokens remembered at most (by hash), the oldest forgotten first.
const UNKNOWN_TOKENS: usize = 10_000;

/// The API tokens: looked up in the database, unknown ones remembered briefly. Cheap to clone.
#[derive(Clone)]
pub struct Tokens {
    db: DatabaseConnection,
    unknown: Arc<Mutex<lru::LruCache<String, Instant>>>,
    oidc: super::oidc::Issuers,
}

impl Tokens {
    /// The tokens of `db`, and the access tokens of the OpenID Connect issuers `oidc`.
    pub fn new(db: DatabaseConnection, oidc: super::oidc::Issuers) -> Self {
        let capacity = NonZeroUsize::new(UNKNOWN_TOKENS).unwrap_or(NonZeroUsize::MIN);
        Tokens {
            db,
            unknown: Arc::new(Mutex::new(lru::LruCache::new(capacity))),
            oidc,
        }
    }

    fn known_unknown(&self, hash: &str) -> bool {
        let mut unknown = self.unknown.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match unknown.get(hash) {
            Some(seen) if seen.elapsed() < UNKNOWN_TOKEN_MEMORY => true,
            Some(_) => {
                unknown.pop(hash);
                false
            }
            None => false,
        }
    }

    fn remember_unknown(&self, hash: String) {
        let mut unknown = self.unknown.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        unknown.put(hash, Instant::now());
    }
}

/// The viewer a request's headers establish.
pub async fn viewer(tokens: &Tokens, headers: &HeaderMap) -> Result<Viewer, Refusal> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    let value = value.to_str().map_err(|_| BAD_HEADER)?;
    viewer_of(tokens, value).await
}

/// What a malformed `Authorization` value is told.
const BAD_HEADER: Refusal =
    Refusal::Unauthenticated(Cow::Borrowed("The Authorization header must be `Bearer <token>`"));

/// What an unknown or revoked token is told.
const UNKNOWN: Refusal = Refusal::Unauthenticated(Cow::Borrowed(
    "The token is not valid: it is unknown or has been revoked",
));

/// What a JWT is told when no issuer is configured.
const NO_ISSUERS: Refusal = Refusal::Unauthenticated(Cow::Borrowed(
    "The token is a JWT, but this Kartla accepts no OpenID Connect access tokens: it has no issuer configured",
));

/// The viewer of an `Authorization` value, `Bearer <token>`.
pub async fn viewer_of(tokens: &Tokens, authorization: &str) -> Result<Viewer, Refusal> {
    let secret = authorization
        .strip_prefix("Bearer ")
        .or_else(|| authorization.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(BAD_HEADER)?;
    if super::oidc::looks_like_jwt(secret) {
        if !tokens.oidc.any() {
            return Err(NO_ISSUERS);
        }
        return match tokens.oidc.actor(secret).await {
            Ok(actor) => Ok(Viewer::Signed(actor)),
            Err(super::oidc::Refused::Invalid(why)) => Err(Refusal::Unauthenticated(why)),
            Err(super::oidc::Refused::Unavailable) => Err(Refusal::Unavailable),
        };
    }
    let hash = token::hash(secret);
    if tokens.known_unknown(&hash) {
        return Err(UNKNOWN);
    }
    match token::authenticate(&tokens.db, secret).await {
        Ok(Some(t)) => Ok(Viewer::Signed(Actor {
            token_name: t.name,
            role: t.role,
            organisation: t.organisation_id,
            issued_by: None,
        })),
        Ok(None) => {
            tokens.remember_unknown(hash);
            Err(UNKNOWN)
        }
        Err(error) => {
            tracing::error!(%error, "cannot read the API tokens");
            Err(Refusal::Unavailable)
        }
    }
}
