//! Request logs: one span per request with its request ID (the client's `X-Request-Id` when it is short and
//! plain, else a new UUID,
//! echoed in the answer), method, path and, for GraphQL, the operation's name; a line when it is answered,
//! with status and latency. Never the query string (a GET carries variables there), never a header (a
//! token), never a variable's value.

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request, Response};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::{Level, Span};

/// The header that carries the request ID.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request ID a client may send.
pub const MAX_REQUEST_ID: usize = 64;

/// Whether a client's request ID is safe to log and echo: at most [`MAX_REQUEST_ID`] of `A-Z a-z 0-9 . _
/// -`. Any other is replaced by a new one, so nobody can write a line of their own into the log.
pub fn acceptable_request_id(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Drops a request ID that is not [acceptable](acceptable_request_id), so that a new one is made.
async fn drop_unsafe_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    let headers = request.headers_mut();
    let unsafe_ids = headers
        .get_all(REQUEST_ID)
        .iter()
        .any(|id| !acceptable_request_id(id.as_bytes()));
    if unsafe_ids || headers.get_all(REQUEST_ID).iter().count() > 1 {
        headers.remove(REQUEST_ID);
    }
    request
}

/// Wraps `router` in the logging layers: drop an unsafe request ID and set one (outermost), trace the
/// request, echo the ID.
pub fn wrap<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(RequestSpan)
                .on_request(())
                .on_response(ResponseLine),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::map_request(drop_unsafe_request_id))
}

/// The span of one request.
#[derive(Clone, Copy)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let id = request
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            request_id = %id,
            method = %request.method(),
            path = %request.uri().path(),
            operation = tracing::field::Empty,
        )
    }
}

/// The line written when a request is answered.
#[derive(Clone, Copy)]
pub struct ResponseLine;

impl<B> OnResponse<B> for ResponseLine {
    fn on_response(self, response: &Response<B>, latency: Duration, _: &Span) {
        super::metrics::answer(response.status());
        tracing::event!(
            Level::INFO,
            status = response.status().as_u16(),
            latency_ms = latency.as_secs_f64() * 1000.0,
            "answered"
        );
    }
}

/// Names the GraphQL operation in the current request's span.
pub fn operation(name: &str) {
    Span::current().record("operation", name);
}
