//! Rate limits on `/graphql` and the export: per API token, and per client address for anonymous use.
//! A request over its limit gets 429 with `Retry-After` (whole seconds) and code `RATE_LIMITED`, and does
//! not run. The buckets are governor's (GCRA): each allows its per-minute number at once, then refills
//! evenly. Behind a proxy, the client's address comes from the last entry of a configured header (the one
//! the proxy itself added), never from a header a client could set on its own.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde_json::json;

use crate::service::token;

/// The default requests per minute per anonymous client address.
pub const DEFAULT_ANONYMOUS_PER_MINUTE: u32 = 1_200;

/// The default requests per minute per API token.
pub const DEFAULT_TOKEN_PER_MINUTE: u32 = 12_000;

/// Requests per minute, per token and per anonymous client; `None` turns that limit off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimits {
    /// Per client address, for requests without a token.
    pub anonymous_per_minute: Option<NonZeroU32>,
    /// Per API token.
    pub token_per_minute: Option<NonZeroU32>,
    /// The header a proxy in front of Kartla puts the client's address in (its last entry is used).
    pub client_ip_header: Option<HeaderName>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            anonymous_per_minute: NonZeroU32::new(DEFAULT_ANONYMOUS_PER_MINUTE),
            token_per_minute: NonZeroU32::new(DEFAULT_TOKEN_PER_MINUTE),
            client_ip_header: None,
        }
    }
}

/// The buckets of one instance.
#[derive(Clone)]
pub struct Limiter(Arc<Buckets>);

struct Buckets {
    anonymous: Option<DefaultKeyedRateLimiter<String>>,
    tokens: Option<DefaultKeyedRateLimiter<String>>,
    client_ip_header: Option<HeaderName>,
    checks: AtomicU64,
}

/// How many checks between sweeps of buckets that are full again (and so need no memory).
const SWEEP_EVERY: u64 = 10_000;

impl Limiter {
    /// Buckets for `limits`.
    pub fn new(limits: &RateLimits) -> Self {
        let keyed = |n: Option<NonZeroU32>| n.map(|n| RateLimiter::keyed(Quota::per_minute(n)));
        Limiter(Arc::new(Buckets {
            anonymous: keyed(limits.anonymous_per_minute),
            tokens: keyed(limits.token_per_minute),
            client_ip_header: limits.client_ip_header.clone(),
            checks: AtomicU64::new(0),
        }))
    }
}

/// The middleware: counts the request against its bucket, or answers 429.
pub async fn limit(State(limiter): State<Limiter>, request: Request, next: Next) -> Response {
    let buckets = &limiter.0;
    if buckets.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
        for bucket in [&buckets.anonymous, &buckets.tokens].into_iter().flatten() {
            bucket.retain_recent();
        }
    }
    let (bucket, key, kind, who) = match request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        // The token's hash, so no secret is kept in memory longer than the request.
        Some(value) => (&buckets.tokens, token::hash(value), "token", "this token"),
        None => (
            &buckets.anonymous,
            client(buckets, &request),
            "anonymous",
            "anonymous requests from this address",
        ),
    };
    let Some(bucket) = bucket else {
        return next.run(request).await;
    };
    match bucket.check_key(&key) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            super::metrics::rate_limited(kind);
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            let body = json!({ "errors": [{
                "message": format!("too many requests for {who}: try again in {seconds} s"),
                "extensions": { "code": "RATE_LIMITED", "retryAfterSeconds": seconds } }] });
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            response
        }
    }
}

/// The client's address: the last entry of the proxy's header when one is configured, else the peer.
fn client(buckets: &Buckets, request: &Request) -> String {
    let forwarded = buckets.client_ip_header.as_ref().and_then(|name| {
        let value = request.headers().get_all(name).iter().next_back()?.to_str().ok()?;
        value.rsplit(',').next().map(|s| s.trim().to_owned())
    });
    forwarded
        .filter(|s| !s.is_empty())
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| peer.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
