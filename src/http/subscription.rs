//! GraphQL over WebSocket at `/graphql`: subscriptions (and queries and mutations) with the
//! graphql-transport-ws protocol or the older graphql-ws one, chosen by `Sec-WebSocket-Protocol`. The
//! protocols themselves are async-graphql's; this module accepts the socket, signs the connection in
//! (the token in the `connection_init` payload, or an `Authorization` header on the upgrade) and runs each
//! operation with a loader of its own.
//!
//! A subscriber that reads slowly holds up only itself: its socket's send waits, so its events are not
//! read from the database until it has taken the ones before.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::{WebSocket as GraphqlSocket, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response, ServerError};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use futures_util::{SinkExt, StreamExt, future};
use sea_orm::DatabaseConnection;
use serde_json::Value;
use tokio::sync::watch;

use super::AppState;
use super::auth::{self, Refusal};
use super::persisted::PersistedDocuments;
use super::socket_limits::{RunningSubscriptions, SocketPlace};
use crate::graphql::KartlaSchema;
use crate::graphql::document;
use crate::graphql::empty_records::EmptyRecords;
use crate::graphql::limits::Limits;
use crate::graphql::loader::Loader;
use crate::service::change_feed::FeedHead;
use crate::service::language::LanguagePreferences;
use crate::service::permission::Viewer;

/// The subprotocols Kartla speaks, the current one first.
const PROTOCOLS: [&str; 2] = ["graphql-transport-ws", "graphql-ws"];

/// The largest WebSocket message or frame a client may send.
const MAX_MESSAGE_BYTES: usize = 1 << 20;

/// A WebSocket upgrade, when the request asks for one.
pub struct Upgrade(pub WebSocketUpgrade);

impl<S: Send + Sync> OptionalFromRequestParts<S> for Upgrade {
    type Rejection = HttpResponse;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let asks = parts
            .headers
            .get(header::UPGRADE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
        if !asks {
            return Ok(None);
        }
        WebSocketUpgrade::from_request_parts(parts, state)
            .await
            .map(|upgrade| Some(Upgrade(upgrade)))
            .map_err(IntoResponse::into_response)
    }
}

/// Accepts a WebSocket at `/graphql` in one of [`PROTOCOLS`]; a bad `Authorization` header on the upgrade
/// is refused with 401, and an address that holds its most sockets already with 429, before the socket
/// opens.
pub async fn accept(
    state: AppState,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    Upgrade(upgrade): Upgrade,
) -> HttpResponse {
    // A protocol message carries one document (at most 32 KiB by default) and its variables.
    let upgrade = upgrade
        .protocols(PROTOCOLS)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES);
    let Some(protocol) = upgrade
        .selected_protocol()
        .and_then(|p| p.to_str().ok())
        .and_then(|p| p.parse::<WebSocketProtocols>().ok())
    else {
        let message = "GraphQL over WebSocket needs Sec-WebSocket-Protocol graphql-transport-ws (or graphql-ws)";
        return super::coded_error(StatusCode::BAD_REQUEST, "application/json", "BAD_REQUEST", message);
    };
    let address = super::rate_limit::client_address(headers, extensions, state.client_ip_header.as_ref());
    let most = state.socket_limits.sockets_per_address;
    let Some(place) = state.open_sockets.take(address, most) else {
        let message = format!("this address holds {most} WebSocket connections already; close one first");
        return super::coded_error(
            StatusCode::TOO_MANY_REQUESTS,
            "application/json",
            "TOO_MANY_SOCKETS",
            &message,
        );
    };
    let viewer = match auth::viewer(&state.tokens, headers).await {
        Ok(viewer) => viewer,
        Err(refusal) => return super::graphql::refused(super::graphql::Answer::Json, refusal),
    };
    let expires_at = expiry_of(&viewer);
    let mut data = Data::default();
    data.insert(viewer);
    if let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
        data.insert(LanguagePreferences::from_accept_language(value));
    }
    upgrade.on_upgrade(move |socket| serve(socket, state, protocol, data, place, expires_at))
}

/// The reason of the close frame for a refused token.
const FORBIDDEN: &str = "Forbidden: the token is not valid";

/// The most bytes a close frame's reason may have (RFC 6455: 125 bytes of payload, 2 of them the code).
const MAX_CLOSE_REASON: usize = 123;

/// The close frame's reason for a refused token: why, as far as it fits.
fn forbidden(refused: &Refused) -> Cow<'static, str> {
    let Some(why) = refused.get() else {
        return Cow::Borrowed(FORBIDDEN);
    };
    let mut reason = format!("Forbidden: {why}");
    if reason.len() > MAX_CLOSE_REASON {
        let mut end = MAX_CLOSE_REASON;
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        reason.truncate(end);
    }
    Cow::Owned(reason)
}

/// Why the connection's token was refused in `connection_init`, once it was.
type Refused = Arc<std::sync::OnceLock<String>>;

/// The reason of the close frame when the connection's access token expires.
const EXPIRED: &str = "Forbidden: the access token has expired; sign in again and reconnect";

/// When the viewer's access token expires, if it is an OpenID Connect one.
fn expiry_of(viewer: &Viewer) -> Option<DateTime<Utc>> {
    viewer
        .actor()
        .and_then(|actor| actor.issued_by.as_ref())
        .map(|by| by.expires_at)
}

/// Waits until the connection's token has expired: the one of the upgrade, or the one `connection_init`
/// signed in with later. Never ends while the connection has no token that expires.
async fn expired(mut expiry: watch::Receiver<Option<DateTime<Utc>>>) {
    loop {
        let at = *expiry.borrow_and_update();
        let Some(at) = at else {
            if expiry.changed().await.is_err() {
                return future::pending().await;
            }
            continue;
        };
        let wait = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        tokio::select! {
            () = tokio::time::sleep(wait) => return,
            changed = expiry.changed() => if changed.is_err() {
                tokio::time::sleep(wait).await;
                return;
            },
        }
    }
}

/// How the client ended the socket: the code of its Close frame, echoed to complete the handshake.
type ClientClose = Arc<std::sync::Mutex<Option<u16>>>;

/// Runs the protocol on `socket` until either side closes it; every way it ends sends a Close frame:
/// the client's own code echoed when it closed first, 4408 when it never sent `connection_init` in time,
/// 4403 when its token was refused or has expired, 1001 when the server stops, 1000 otherwise.
async fn serve(
    socket: WebSocket,
    state: AppState,
    protocol: WebSocketProtocols,
    data: Data,
    _place: SocketPlace,
    expires_at: Option<DateTime<Utc>>,
) {
    let (mut sink, incoming) = socket.split();
    let client_close: ClientClose = Arc::default();
    let seen_close = client_close.clone();
    let incoming = incoming
        .take_while(move |message| {
            let going_on = match message {
                Ok(Message::Close(frame)) => {
                    let code = frame.as_ref().map(|f| f.code).unwrap_or(1000);
                    *seen_close.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(code);
                    false
                }
                Ok(_) => true,
                Err(_) => false,
            };
            future::ready(going_on)
        })
        .filter_map(|message| {
            future::ready(match message {
                Ok(Message::Text(text)) => Some(text.as_bytes().to_vec()),
                Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                _ => None,
            })
        });
    let executor = Operations {
        schema: state.schema.clone(),
        db: state.db.clone(),
        feed: state.feed.clone(),
        persisted: state.persisted.clone(),
        timeout: state.request_timeout,
        limits: state.limits,
        subscriptions: RunningSubscriptions::default(),
        max_subscriptions: state.socket_limits.subscriptions_per_socket,
    };
    let (tokens, refused) = (state.tokens.clone(), Refused::default());
    let refused_in_init = refused.clone();
    let (expiry, expiry_seen) = watch::channel(expires_at);
    let mut outgoing = GraphqlSocket::new(executor, incoming, protocol)
        .connection_data(data)
        .on_connection_init(move |payload| sign_in(tokens, payload, refused_in_init, expiry));
    let expired = expired(expiry_seen);
    tokio::pin!(expired);
    let mut stop = state.stop.clone();
    let init_deadline = tokio::time::sleep(state.socket_limits.init_timeout);
    tokio::pin!(init_deadline);
    let mut acknowledged = false;
    let close = loop {
        let message = tokio::select! {
            message = outgoing.next() => message,
            // A stop that can never come (its sender gone) disables this branch.
            true = stopping(&mut stop) => break Some((1001, Cow::Borrowed("the server is stopping; reconnect with your last position"))),
            () = &mut init_deadline, if !acknowledged => break Some((4408, Cow::Borrowed("Connection initialisation timeout"))),
            () = &mut expired => break Some((4403, Cow::Borrowed(EXPIRED))),
        };
        let message = match message {
            None => break None,
            Some(WsMessage::Text(text)) => {
                acknowledged |= text.contains(r#""type":"connection_ack""#);
                Message::Text(text.into())
            }
            // The token was refused: graphql-transport-ws says 4403 Forbidden.
            Some(WsMessage::Close(_, _)) if refused.get().is_some() => break Some((4403, forbidden(&refused))),
            Some(WsMessage::Close(code, reason)) => Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })),
        };
        let closing = matches!(message, Message::Close(_));
        if sink.send(message).await.is_err() || closing {
            return;
        }
    };
    let echoed = *client_close.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (code, reason) = match (close, echoed) {
        (Some(ours), _) => ours,
        // 1005 and 1006 are never sent on the wire: answer a frame without a code with 1000.
        (None, Some(code)) if !matches!(code, 1005 | 1006) => (code, Cow::Borrowed("")),
        (None, _) if refused.get().is_some() => (4403, forbidden(&refused)),
        (None, _) => (1000, Cow::Borrowed("")),
    };
    let frame = CloseFrame {
        code,
        reason: reason.into_owned().into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
    let _ = sink.flush().await;
}

/// Waits until the server is stopping (true), or until it can no longer stop (false).
async fn stopping(stop: &mut tokio::sync::watch::Receiver<bool>) -> bool {
    stop.wait_for(|stopping| *stopping).await.is_ok()
}

/// The connection's viewer from the `connection_init` payload: `{"Authorization": "Bearer <token>"}` (or
/// `authorization`, or `{"token": "<token>"}`); without one the connection keeps the upgrade's viewer.
async fn sign_in(
    tokens: auth::Tokens,
    payload: Value,
    refused: Refused,
    expiry: watch::Sender<Option<DateTime<Utc>>>,
) -> async_graphql::Result<Data> {
    let mut data = Data::default();
    let authorization = ["Authorization", "authorization"]
        .into_iter()
        .find_map(|key| payload.get(key).and_then(Value::as_str).map(str::to_owned))
        .or_else(|| {
            payload
                .get("token")
                .and_then(Value::as_str)
                .map(|t| format!("Bearer {t}"))
        });
    if let Some(authorization) = authorization {
        match auth::viewer_of(&tokens, &authorization).await {
            Ok(viewer) => {
                expiry.send_replace(expiry_of(&viewer));
                data.insert::<Viewer>(viewer);
            }
            Err(Refusal::Unauthenticated(message)) => {
                let _ = refused.set(message.to_string());
                return Err(async_graphql::Error::new(message));
            }
            Err(Refusal::Unavailable) => return Err(async_graphql::Error::new("the tokens cannot be read now")),
        }
    }
    Ok(data)
}

/// Runs each operation of a socket with a loader of its own, driven as HTTP requests are: its document
/// resolved from a hash as over HTTP, a query or mutation stopped after the request timeout, and the feed's
/// watcher poked after a mutation.
#[derive(Clone)]
struct Operations {
    schema: KartlaSchema,
    db: DatabaseConnection,
    feed: FeedHead,
    persisted: Arc<PersistedDocuments>,
    timeout: Duration,
    limits: Limits,
    subscriptions: RunningSubscriptions,
    max_subscriptions: usize,
}

impl Executor for Operations {
    async fn execute(&self, request: Request) -> Response {
        self.execute_stream(request, None).next().await.unwrap_or_default()
    }

    fn execute_stream(&self, mut request: Request, session_data: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        if let Err(error) = self.persisted.resolve(&mut request) {
            return futures_util::stream::once(future::ready(Response::from_errors(vec![error]))).boxed();
        }
        let prepared = match document::prepare(&mut request, &self.limits) {
            Ok(prepared) => Arc::new(prepared),
            Err(error) => return futures_util::stream::once(future::ready(Response::from_errors(vec![error]))).boxed(),
        };
        let kind = prepared.kind;
        let place = match kind {
            OperationType::Subscription => match self.subscriptions.take(self.max_subscriptions) {
                Some(place) => Some(place),
                None => {
                    let message = format!(
                        "this socket runs {} subscriptions already; complete one, or open another socket",
                        self.max_subscriptions
                    );
                    let error = crate::error::coded("TOO_MANY_SUBSCRIPTIONS", message);
                    return futures_util::stream::once(future::ready(Response::from_errors(vec![error]))).boxed();
                }
            },
            _ => None,
        };
        let (loader, turns) = Loader::new(self.db.clone(), false);
        let empty_records = EmptyRecords::default();
        let request = request.data(loader).data(empty_records.clone());
        let responses = match session_data {
            Some(data) => self.schema.execute_stream_with_session_data(request, data),
            None => self.schema.execute_stream(request),
        };
        let responses = turns.drive_stream(responses).map(move |mut response| {
            empty_records.mend(&mut response.data);
            crate::graphql::describe_schema(&mut response.data);
            document::code_request_errors(&mut response, &prepared);
            response
        });
        if kind == OperationType::Subscription {
            // The place is held as long as the subscription's stream lives.
            return responses
                .map(move |response| {
                    let _held = &place;
                    response
                })
                .boxed();
        }
        // A query or a mutation answers once, within the request timeout; dropping it rolls back.
        let (feed, timeout) = (self.feed.clone(), self.timeout);
        futures_util::stream::once(async move {
            let mut responses = std::pin::pin!(responses);
            let response = match tokio::time::timeout(timeout, responses.next()).await {
                Ok(response) => response.unwrap_or_default(),
                Err(_) => Response::from_errors(vec![timed_out(timeout)]),
            };
            if kind == OperationType::Mutation {
                feed.poke();
            }
            response
        })
        .boxed()
    }
}

fn timed_out(timeout: Duration) -> ServerError {
    let message = format!(
        "the operation took longer than {} s and was stopped; ask for less at once",
        timeout.as_secs_f64()
    );
    crate::error::coded("TIMEOUT", message)
}
