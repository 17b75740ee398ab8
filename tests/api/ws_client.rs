//! A small GraphQL-over-WebSocket client for the tests: connect with a subprotocol, sign in with the
//! `connection_init` payload, subscribe, and read messages with a deadline.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a message before it fails.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// One open socket to `/graphql`.
pub struct Socket {
    inner: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// `graphql-transport-ws` or `graphql-ws`.
    pub protocol: &'static str,
}

impl Socket {
    /// Opens a socket at `address` with `protocol` and sends `connection_init` with `payload`; returns the
    /// socket and the server's answer to the init (`connection_ack`, or what refused it).
    pub async fn open(address: SocketAddr, protocol: &'static str, payload: Value) -> (Socket, Value) {
        let mut socket = Socket::connect(address, protocol).await.expect("the socket opens");
        socket
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        let answer = socket.receive().await;
        (socket, answer)
    }

    /// Opens a socket at `address` with `protocol` and sends nothing; the upgrade's error when the server
    /// refuses it.
    pub async fn connect(
        address: SocketAddr,
        protocol: &'static str,
    ) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
        let mut request = format!("ws://{address}/graphql")
            .into_client_request()
            .expect("a request");
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", protocol.parse().expect("a header value"));
        let (inner, response) = tokio_tungstenite::connect_async(request).await?;
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            protocol,
            "the server speaks the protocol asked for"
        );
        Ok(Socket { inner, protocol })
    }

    /// Starts the closing handshake with `code` and returns the server's answer to it.
    pub async fn close(&mut self, code: u16, reason: &str) -> Value {
        use tokio_tungstenite::tungstenite::protocol::CloseFrame;
        let frame = CloseFrame {
            code: code.into(),
            reason: reason.to_owned().into(),
        };
        self.inner
            .send(Message::Close(Some(frame)))
            .await
            .expect("the close frame is sent");
        self.receive().await
    }

    /// Opens a socket and fails unless the server acknowledges the init.
    pub async fn signed_in(address: SocketAddr, protocol: &'static str, payload: Value) -> Socket {
        let (socket, answer) = Socket::open(address, protocol, payload).await;
        assert_eq!(answer["type"], "connection_ack", "{answer}");
        socket
    }

    /// Sends one protocol message.
    pub async fn send(&mut self, message: Value) {
        self.try_send(message).await.expect("the message is sent");
    }

    /// Sends one protocol message; whether it could be sent.
    pub async fn try_send(&mut self, message: Value) -> Result<(), tokio_tungstenite::tungstenite::Error> {
        self.inner.send(Message::Text(message.to_string().into())).await
    }

    /// Starts operation `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let kind = if self.protocol == "graphql-ws" {
            "start"
        } else {
            "subscribe"
        };
        self.send(json!({ "type": kind, "id": id, "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next message other than a keep-alive or ping, as JSON; a close frame comes as
    /// `{"type": "close", "code": ..., "reason": ...}`. Fails the test after [`DEADLINE`].
    pub async fn receive(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(DEADLINE, self.inner.next())
                .await
                .expect("a message before the deadline");
            match message {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    if !matches!(value["type"].as_str(), Some("ka" | "ping" | "pong")) {
                        return value;
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) =
                        frame.map_or((0, String::new()), |f| (u16::from(f.code), f.reason.to_string()));
                    return json!({ "type": "close", "code": code, "reason": reason });
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return json!({ "type": "error", "reason": error.to_string() }),
                None => return json!({ "type": "closed" }),
            }
        }
    }

    /// The payload of the next event of a subscription (`next` or `data`), failing on anything else.
    pub async fn event(&mut self) -> Value {
        let message = self.receive().await;
        assert!(
            matches!(message["type"].as_str(), Some("next" | "data")),
            "an event, not {message}"
        );
        message["payload"].clone()
    }

    /// The next `n` events' `registryChanged` objects.
    pub async fn changes(&mut self, n: usize) -> Vec<Value> {
        let mut changes = Vec::new();
        for _ in 0..n {
            let payload = self.event().await;
            assert!(payload.get("errors").is_none(), "{payload}");
            changes.push(payload["data"]["registryChanged"].clone());
        }
        changes
    }

    /// Closes the socket abruptly, as a dropped connection would.
    pub async fn drop_connection(self) {
        drop(self.inner);
    }
}
