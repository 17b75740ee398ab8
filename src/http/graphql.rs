//! GraphQL over HTTP, following the GraphQL-over-HTTP specification: POST with `application/json`, GET for
//! queries, answers in `application/graphql-response+json` or `application/json` as the client accepts,
//! and the status codes the specification gives. A browser asking for HTML at `/graphql` gets GraphiQL.

use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::AppState;
use super::graphiql;
use crate::graphql::document;
use crate::graphql::empty_records::EmptyRecords;
use crate::graphql::field_order::{FieldOrder, OrderedResponse};
use crate::graphql::loader::Loader;
use crate::service::language::LanguagePreferences;

/// The media type of a GraphQL response the client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Answer {
    /// `application/graphql-response+json`: request errors get 4xx status codes.
    GraphqlResponse,
    /// `application/json`: every well-formed request gets 200.
    Json,
}

impl Answer {
    fn media_type(self) -> &'static str {
        match self {
            Answer::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Answer::Json => "application/json; charset=utf-8",
        }
    }
}

/// What the client accepts, from `Accept`: the first of the two GraphQL media types it lists by quality,
/// `application/json` when it sends no `Accept` or accepts anything, `None` when it accepts neither.
fn negotiate(headers: &HeaderMap) -> Option<Answer> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Answer::Json);
    };
    let mut ranked: Vec<(f32, usize, Answer)> = Vec::new();
    for (position, part) in accept.split(',').enumerate() {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or_default().trim().to_ascii_lowercase();
        let quality = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok());
        let quality = quality.unwrap_or(1.0);
        let answer = match media.as_str() {
            "application/graphql-response+json" => Answer::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => Answer::Json,
            _ => continue,
        };
        if quality > 0.0 {
            ranked.push((quality, position, answer));
        }
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|(_, _, answer)| *answer)
}

/// Whether the request comes from a browser asking for a page rather than for data.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// An error about the HTTP request itself, in the shape of a GraphQL response.
fn request_error(status: StatusCode, answer: Answer, message: &str) -> Response {
    super::coded_error(status, answer.media_type(), "BAD_REQUEST", message)
}

/// A request whose credentials were refused, or could not be checked.
pub(super) fn refused(answer: Answer, refusal: super::auth::Refusal) -> Response {
    let (status, code, message) = match refusal {
        super::auth::Refusal::Unauthenticated(message) => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message),
        super::auth::Refusal::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "The service cannot check credentials right now; try again later".into(),
        ),
    };
    let mut response = super::coded_error(status, answer.media_type(), code, &message);
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A body that could not be read: over the size limit (413), or cut off. The rest of such a body is not
/// read, so the connection cannot carry another request: the answer says that it closes.
fn body_refused(answer: Answer, rejection: &BytesRejection) -> Response {
    let status = rejection.status();
    let (code, message) = if status == StatusCode::PAYLOAD_TOO_LARGE {
        (
            "PAYLOAD_TOO_LARGE",
            format!("The body is larger than {MAX_BODY_BYTES} bytes; send a smaller request"),
        )
    } else {
        (
            "BAD_REQUEST",
            format!("The body could not be read: {}", rejection.body_text()),
        )
    };
    let mut response = super::coded_error(status, answer.media_type(), code, &message);
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The largest request body `/graphql` reads (axum's default): a document of 32 KiB and its variables fit
/// many times over.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

fn not_acceptable() -> Response {
    let message = "Accept application/graphql-response+json or application/json";
    request_error(StatusCode::NOT_ACCEPTABLE, Answer::Json, message)
}

/// How the request came: GET may only run queries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
}

/// Runs a request and answers it in the negotiated media type.
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    answer: Answer,
    method: Method,
    mut request: async_graphql::Request,
) -> Response {
    if let Err(error) = state.persisted.resolve(&mut request) {
        return refused_document(answer, error);
    }
    let prepared = match document::prepare(&mut request, &state.limits) {
        Ok(prepared) => prepared,
        Err(error) => return refused_document(answer, error),
    };
    if prepared.kind != OperationType::Query && method == Method::Get || prepared.kind == OperationType::Subscription {
        return wrong_method(answer, method, prepared.kind);
    }
    // For a large request a place among the large ones, then for every request a place among those
    // executing at once (in that order, so a large request waiting for its place holds no other), waited
    // for within the request's timeout; held until the answer is written.
    let waited = std::time::Instant::now();
    let large = prepared.cost >= state.large_request_cost;
    let places = tokio::time::timeout(state.request_timeout, async {
        let large_place = if large {
            Some(state.large_executions.clone().acquire_owned().await?)
        } else {
            None
        };
        let place = state.executions.clone().acquire_owned().await?;
        Ok::<_, tokio::sync::AcquireError>((large_place, place))
    })
    .await;
    let Ok(Ok(_places)) = places else {
        super::metrics::request(
            prepared.operation_name.as_deref(),
            "timeout",
            waited.elapsed(),
            &["TIMEOUT"],
        );
        return timed_out(answer, state.request_timeout);
    };
    let viewer = match super::auth::viewer(&state.tokens, headers).await {
        Ok(viewer) => viewer,
        Err(refusal) => {
            if matches!(refusal, super::auth::Refusal::Unavailable) {
                state.outage.report();
            }
            return refused(answer, refusal);
        }
    };
    let (loader, turns) = Loader::new(state.db.clone(), prepared.kind == OperationType::Query);
    let empty_records = EmptyRecords::default();
    let mut request = request.data(loader).data(viewer).data(empty_records.clone());
    if let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
        request = request.data(LanguagePreferences::from_accept_language(value));
    }
    let operation_label = prepared.operation_name.clone();
    if let Some(name) = &operation_label {
        super::log::operation(name);
    }
    let started = std::time::Instant::now();
    let execution = turns.drive(state.schema.execute(request));
    let left = state.request_timeout.saturating_sub(waited.elapsed());
    let Ok(mut response) = tokio::time::timeout(left, execution).await else {
        super::metrics::request(operation_label.as_deref(), "timeout", started.elapsed(), &["TIMEOUT"]);
        // Dropping the execution rolls back any transaction it had open: nothing is half-written.
        return timed_out(answer, state.request_timeout);
    };
    if prepared.kind == OperationType::Mutation {
        state.feed.poke();
    }
    empty_records.mend(&mut response.data);
    crate::graphql::describe_schema(&mut response.data);
    // A request error (validation) leaves no data and no error with a path.
    document::code_request_errors(&mut response, &prepared);
    let request_failed = document::is_request_error(&response);
    let codes: Vec<&str> = response
        .errors
        .iter()
        .map(|error| crate::error::code_of(error).unwrap_or("UNCODED"))
        .collect();
    let outcome = match (request_failed, response.errors.is_empty()) {
        (true, _) => "refused",
        (false, true) => "ok",
        (false, false) => "error",
    };
    super::metrics::request(operation_label.as_deref(), outcome, started.elapsed(), &codes);
    if codes.contains(&"SERVICE_UNAVAILABLE") {
        state.outage.report();
    }
    let status = if answer == Answer::GraphqlResponse && request_failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    match body_of(&response, &prepared.field_order, request_failed) {
        Ok(body) => (status, [(header::CONTENT_TYPE, answer.media_type())], body).into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot serialise a GraphQL response");
            request_error(StatusCode::INTERNAL_SERVER_ERROR, answer, "internal error")
        }
    }
}

/// `POST /graphql`: a JSON body `{query, operationName?, variables?, extensions?}`.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Response {
    let Some(answer) = negotiate(&headers) else {
        return not_acceptable();
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return body_refused(answer, &rejection),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media != "application/json" {
        let message = if content_type.is_empty() {
            "Missing Content-Type: send the request as application/json".to_owned()
        } else {
            format!("Unsupported Content-Type {content_type:?}: send the request as application/json")
        };
        return request_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, answer, &message);
    }
    let mut value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(error) => {
            return request_error(
                StatusCode::BAD_REQUEST,
                answer,
                &format!("The body is not JSON: {error}"),
            );
        }
    };
    if !value.is_object() {
        let message = "The body must be one JSON object {\"query\": ...}; batches are not accepted";
        return request_error(StatusCode::BAD_REQUEST, answer, message);
    }
    let persisted = value
        .get("extensions")
        .is_some_and(|extensions| extensions.get("persistedQuery").is_some());
    match value.get("query") {
        Some(serde_json::Value::String(_)) => {}
        None if persisted => {}
        Some(serde_json::Value::Null) if persisted => {
            if let Some(object) = value.as_object_mut() {
                object.remove("query");
            }
        }
        _ => return request_error(StatusCode::BAD_REQUEST, answer, "The body has no \"query\" string"),
    }
    match serde_json::from_value::<async_graphql::Request>(value) {
        Ok(request) => execute(&state, &headers, answer, Method::Post, request).await,
        Err(error) => request_error(StatusCode::BAD_REQUEST, answer, &format!("Malformed request: {error}")),
    }
}

/// The URL parameters of a GET request.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// `GET /graphql?query=...`: queries only; a mutation is refused with 405. A browser without a query gets
/// GraphiQL; a WebSocket upgrade gets GraphQL over WebSocket.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    upgrade: Option<super::subscription::Upgrade>,
    params: Result<Query<GetParams>, QueryRejection>,
) -> Response {
    if let Some(upgrade) = upgrade {
        return super::subscription::accept(state, &headers, &extensions, upgrade).await;
    }
    let params = params.ok().map(|Query(params)| params);
    let has_query = params
        .as_ref()
        .is_some_and(|p| p.query.is_some() || p.extensions.is_some());
    if !has_query && wants_html(&headers) {
        return graphiql::page().await;
    }
    let Some(answer) = negotiate(&headers) else {
        return not_acceptable();
    };
    let Some(params) = params else {
        return request_error(StatusCode::BAD_REQUEST, answer, "Malformed URL parameters");
    };
    // A persisted query names its document in `extensions` instead.
    if params.query.is_none() && params.extensions.is_none() {
        return request_error(StatusCode::BAD_REQUEST, answer, "Missing the \"query\" parameter");
    }
    let mut request = async_graphql::Request::new(params.query.unwrap_or_default());
    request.operation_name = params.operation_name;
    for (name, text) in [("variables", &params.variables), ("extensions", &params.extensions)] {
        let Some(text) = text else { continue };
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(text);
        let message = format!("The \"{name}\" parameter is not a JSON object");
        let Ok(value @ serde_json::Value::Object(_)) = parsed else {
            return request_error(StatusCode::BAD_REQUEST, answer, &message);
        };
        if name == "variables" {
            request.variables = async_graphql::Variables::from_json(value);
        } else {
            match serde_json::from_value(value) {
                Ok(extensions) => request.extensions = extensions,
                Err(_) => return request_error(StatusCode::BAD_REQUEST, answer, &message),
            }
        }
    }
    execute(&state, &headers, answer, Method::Get, request).await
}

/// The body of `response`, its fields in `order`: a request that never ran has no `data` entry at all,
/// as the GraphQL specification says.
fn body_of(response: &async_graphql::Response, order: &FieldOrder, request_failed: bool) -> serde_json::Result<String> {
    if request_failed {
        serde_json::to_string(&Errors {
            errors: &response.errors,
        })
    } else {
        serde_json::to_string(&OrderedResponse::new(response, order))
    }
}

/// The answer to a request stopped at the request timeout (waiting for a place included).
fn timed_out(answer: Answer, timeout: std::time::Duration) -> Response {
    let message = format!(
        "the request took longer than {} s and was stopped; ask for less at once",
        timeout.as_secs_f64()
    );
    super::coded_error(
        StatusCode::SERVICE_UNAVAILABLE,
        answer.media_type(),
        "TIMEOUT",
        &message,
    )
}

/// A document refused before it ran (an unknown persisted hash, too large, unparsable, over a limit, no such operation): a request
/// error, 400 when the client takes `application/graphql-response+json`.
fn refused_document(answer: Answer, error: async_graphql::ServerError) -> Response {
    let code = crate::error::code_of(&error).unwrap_or("UNCODED");
    super::metrics::request(None, "refused", std::time::Duration::ZERO, &[code]);
    let status = match answer {
        Answer::GraphqlResponse => StatusCode::BAD_REQUEST,
        Answer::Json => StatusCode::OK,
    };
    let body = serde_json::to_string(&Errors { errors: &[error] }).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, answer.media_type())], body).into_response()
}

/// A response of errors only, each with its message first.
#[derive(serde::Serialize)]
struct Errors<'a> {
    errors: &'a [async_graphql::ServerError],
}

/// An operation that this method cannot run: a mutation by GET (405, use POST), a subscription over HTTP
/// at all (405, use a WebSocket).
fn wrong_method(answer: Answer, method: Method, kind: OperationType) -> Response {
    let (message, allow) = match (kind, method) {
        (OperationType::Subscription, _) => (
            "Subscriptions need a WebSocket: connect to /graphql with the graphql-transport-ws protocol",
            "GET, POST",
        ),
        _ => ("Mutations are only accepted with POST", "POST"),
    };
    let mut response = request_error(StatusCode::METHOD_NOT_ALLOWED, answer, message);
    if method == Method::Post {
        // POST is allowed, only not for this operation: the refusal is the request's, not the method's.
        *response.status_mut() = match answer {
            Answer::GraphqlResponse => StatusCode::BAD_REQUEST,
            Answer::Json => StatusCode::OK,
        };
    } else {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(allow));
    }
    response
}
