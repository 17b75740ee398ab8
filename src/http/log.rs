//! Request logs: one span per request with its request ID (the client's `X-Request-Id`, or a new UUID,
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

/// Wraps `router` in the logging layers: set the request ID (outermost), trace the request, echo the ID.
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
