//! Rate limits on `/graphql` and the export: per API token, and per client address for anonymous use.
//! Failed sign-ins (401) count against the client's address. Past their limit, a request from that address
//! whose token is unknown or revoked gets 429 instead of 401, until the address's minute is over; a valid
//! token from the same address is never held up, so one bad script behind a municipality's shared address
//! does not lock out the editors behind it. (Each new unknown token costs one indexed look-up, as it would
//! without the limit; a token that is not even of Kartla's form, or was found unknown in the last minute,
//! costs none: see `auth`.) A request over its limit gets 429 with `Retry-After` (whole seconds) and code
//! `RATE_LIMITED`, and does not run. The buckets are governor's (GCRA): each allows its per-minute number at once, then refills
//! evenly. Behind a proxy, the client's address comes from the last entry of a configured header (the one
//! the proxy itself added), never from a header a client could set on its own.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::service::token;

pub use crate::config::{
    DEFAULT_ANONYMOUS_PER_MINUTE, DEFAULT_FAILED_SIGN_INS_PER_MINUTE, DEFAULT_TOKEN_PER_MINUTE, RateLimits,
};

/// The buckets of one instance.
#[derive(Clone)]
pub struct Limiter(Arc<Buckets>);

struct Buckets {
    anonymous: Option<DefaultKeyedRateLimiter<String>>,
    tokens: Option<DefaultKeyedRateLimiter<String>>,
    failed_sign_ins: Option<FailedSignIns>,
    client_ip_header: Option<HeaderName>,
    checks: AtomicU64,
}

/// Failed sign-ins per client address in the current minute of each address (a fixed window).
struct FailedSignIns {
    per_minute: u32,
    windows: Mutex<lru::LruCache<String, (Instant, u32)>>,
}

/// Addresses whose failed sign-ins are remembered at most, the least recent forgotten first.
const FAILED_SIGN_IN_ADDRESSES: usize = 100_000;

/// The window of [`FailedSignIns`].
const MINUTE: Duration = Duration::from_secs(60);

impl FailedSignIns {
    /// How long an unknown token from `address` is refused with 429 rather than 401, if it is.
    fn wait(&self, address: &str) -> Option<Duration> {
        let windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (start, count) = *windows.peek(address)?;
        let left = MINUTE.checked_sub(start.elapsed())?;
        (count >= self.per_minute).then_some(left)
    }

    fn record(&self, address: String) {
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        let window = windows.get_or_insert_mut(address, || (now, 0));
        if window.0.elapsed() >= MINUTE {
            *window = (now, 0);
        }
        window.1 = window.1.saturating_add(1);
    }
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
            failed_sign_ins: limits.failed_sign_ins_per_minute.map(|n| FailedSignIns {
                per_minute: n.get(),
                windows: Mutex::new(lru::LruCache::new(
                    std::num::NonZeroUsize::new(FAILED_SIGN_IN_ADDRESSES).unwrap_or(std::num::NonZeroUsize::MIN),
                )),
            }),
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
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(token::hash);
    let Some(authorization) = authorization else {
        let address = client(buckets, &request);
        return match buckets.anonymous.as_ref().map(|bucket| bucket.check_key(&address)) {
            Some(Err(not_until)) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                super::refuse(
                    request,
                    too_many("anonymous", "anonymous requests from this address", wait),
                )
                .await
            }
            _ => next.run(request).await,
        };
    };
    // A token: its own bucket (by its hash, so no secret is kept in memory longer than the request), then
    // the sign-in. An address past its failed sign-ins has an unknown token refused with 429, never a
    // valid one.
    if let Some(Err(not_until)) = buckets.tokens.as_ref().map(|bucket| bucket.check_key(&authorization)) {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        return super::refuse(request, too_many("token", "this token", wait)).await;
    }
    let failures = buckets
        .failed_sign_ins
        .as_ref()
        .map(|failed| (failed, client(buckets, &request)));
    let response = next.run(request).await;
    if response.status() != StatusCode::UNAUTHORIZED {
        return response;
    }
    let Some((failed, address)) = failures else {
        return response;
    };
    if let Some(wait) = failed.wait(&address) {
        return too_many("failed_sign_in", "failed sign-ins from this address", wait);
    }
    failed.record(address);
    response
}

/// The 429 answer: `Retry-After` in whole seconds, code `RATE_LIMITED`.
fn too_many(kind: &'static str, who: &str, wait: Duration) -> Response {
    super::metrics::rate_limited(kind);
    let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let message = format!("too many requests for {who}: try again in {seconds} s");
    super::retry_later(StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED", &message, seconds)
}

/// The client's address: the last entry of the proxy's header when one is configured, else the peer.
fn client(buckets: &Buckets, request: &Request) -> String {
    client_address(
        request.headers(),
        request.extensions(),
        buckets.client_ip_header.as_ref(),
    )
}

/// The client's address from a request's headers and extensions: the last entry of `proxy_header` when
/// one is configured (the entry the proxy itself added), else the peer's address.
pub fn client_address(
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
    proxy_header: Option<&HeaderName>,
) -> String {
    let forwarded = proxy_header.and_then(|name| {
        let value = headers.get_all(name).iter().next_back()?.to_str().ok()?;
        value.rsplit(',').next().map(|s| s.trim().to_owned())
    });
    forwarded
        .filter(|s| !s.is_empty())
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| peer.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
