//! A webhook receiver for the tests: a small axum server on a free port that verifies every delivery as
//! the Standard Webhooks specification says (HMAC-SHA256 of `id.timestamp.body` with the secret's bytes,
//! any of the `v1,` signatures), keeps what arrived, and answers as the test tells it.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// One delivery as received.
#[derive(Clone, Debug)]
pub struct Received {
    /// The `webhook-id` header.
    pub id: String,
    /// The body.
    pub body: Value,
    /// Which of the receiver's secrets verified a signature (indexes into its secrets).
    pub verified_by: Vec<usize>,
    /// What the receiver answered.
    pub answered: u16,
}

#[derive(Default)]
struct Inner {
    secrets: Vec<Vec<u8>>,
    received: Vec<Received>,
    /// Answers to give, first first; once used up, 204.
    answers: Vec<u16>,
}

/// The receiver's shared state, cheap to clone.
#[derive(Clone, Default)]
pub struct Receiver(Arc<Mutex<Inner>>);

/// The bytes of a `whsec_` secret.
pub fn secret_bytes(secret: &str) -> Vec<u8> {
    STANDARD
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .expect("base64")
}

/// The Standard Webhooks signature of `id.timestamp.body` with `key`.
pub fn sign(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let mut content = format!("{id}.{timestamp}.").into_bytes();
    content.extend_from_slice(body);
    STANDARD.encode(ring::hmac::sign(&key, &content).as_ref())
}

impl Receiver {
    /// Adds a secret signatures are checked against.
    pub fn trust(&self, secret: &str) {
        self.0
            .lock()
            .expect("the receiver's state")
            .secrets
            .push(secret_bytes(secret));
    }

    /// The next `n` deliveries are answered `status`.
    pub fn answer(&self, status: u16, n: usize) {
        self.0
            .lock()
            .expect("the receiver's state")
            .answers
            .extend(std::iter::repeat_n(status, n));
    }

    /// Answers every later delivery 2xx.
    pub fn clear_answers(&self) {
        self.0.lock().expect("the receiver's state").answers.clear();
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.0.lock().expect("the receiver's state").received.clone()
    }

    /// The deliveries acknowledged (answered 2xx), in arrival order.
    pub fn acknowledged(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| (200..300).contains(&r.answered))
            .collect()
    }

    /// Serves on `address` (port 0 for a free one) until the returned handle is aborted.
    pub async fn serve(&self, address: SocketAddr) -> (SocketAddr, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind(address).await.expect("a port");
        let address = listener.local_addr().expect("an address");
        let app = Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(self.clone());
        let handle = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (address, handle)
    }
}

async fn receive(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (id, timestamp, signatures) = (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    );
    let mut inner = receiver.0.lock().expect("the receiver's state");
    let verified_by: Vec<usize> = inner
        .secrets
        .iter()
        .enumerate()
        .filter(|(_, key)| {
            let expected = format!("v1,{}", sign(key, &id, &timestamp, &body));
            signatures.split(' ').any(|given| given == expected)
        })
        .map(|(k, _)| k)
        .collect();
    let fresh = timestamp
        .parse::<i64>()
        .is_ok_and(|t| (chrono::Utc::now().timestamp() - t).abs() < 300);
    let answered = if verified_by.is_empty() || !fresh {
        401
    } else if inner.answers.is_empty() {
        204
    } else {
        inner.answers.remove(0)
    };
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    inner.received.push(Received {
        id,
        body,
        verified_by,
        answered,
    });
    StatusCode::from_u16(answered).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
