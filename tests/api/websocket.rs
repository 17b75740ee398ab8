//! GraphQL over WebSocket spoken to the letter: the closing handshake completed whoever starts it, a
//! socket that never sends `connection_init` closed with 4408, a refused token closed with 4403 (after
//! `connection_error` on the older protocol), and the limits on subscriptions per socket and sockets per
//! address.

use std::time::Duration;

use kartla::config::InitialSeed;
use serde_json::json;

use crate::helpers::{Backend, TestApp, TestDb};
use crate::ws_client::Socket;

const CHANGES: &str = "subscription { registryChanged { position } }";

async fn served(configure: impl FnOnce(&mut kartla::config::Config)) -> (TestDb, std::net::SocketAddr, TestApp) {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let mut config = test_db.config(InitialSeed::None);
    configure(&mut config);
    let app = TestApp::spawn_with(config).await;
    let address = app.serve().await;
    (test_db, address, app)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_a_clients_close_frame() {
    let (_db, address, _app) = served(|_| {}).await;
    for protocol in ["graphql-transport-ws", "graphql-ws"] {
        // As graphql-ws does when its last subscription is gone: subscribe, complete, close.
        let mut socket = Socket::signed_in(address, protocol, json!({})).await;
        socket.subscribe("1", CHANGES, json!({})).await;
        let stop = if protocol == "graphql-ws" { "stop" } else { "complete" };
        socket.send(json!({ "type": stop, "id": "1" })).await;
        let answer = socket.close(1000, "All Subscriptions Gone").await;
        let answer = if answer["type"] == "complete" {
            socket.receive().await
        } else {
            answer
        };
        assert_eq!(answer["type"], "close", "{protocol}: {answer}");
        assert_eq!(answer["code"], 1000, "{protocol}: {answer}");
        // A custom code is echoed too.
        let mut socket = Socket::signed_in(address, protocol, json!({})).await;
        assert_eq!(socket.close(4499, "bye").await["code"], 4499, "{protocol}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_documents_are_refused_over_websocket_too() {
    let (_db, address, _app) = served(|_| {}).await;
    let fragments: String = (0..28)
        .map(|i| format!("fragment F{i} on Viewer {{ ...F{next} ...F{next} }} ", next = i + 1))
        .collect();
    let bomb = format!("{{ viewer {{ ...F0 }} }} {fragments} fragment F28 on Viewer {{ signedIn }}");
    let huge = format!("{{viewer{{{}}}}}", " name".repeat(100_000));
    for (query, code) in [(bomb, "QUERY_TOO_COMPLEX"), (huge, "DOCUMENT_TOO_LARGE")] {
        let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
        socket.subscribe("1", &query, json!({})).await;
        let answer = socket.event().await;
        assert_eq!(answer["errors"][0]["extensions"]["code"], code, "{answer}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_without_connection_init_is_closed_with_4408() {
    // One second: the sockets below that sign in do so in well under that, however busy the machine.
    let (_db, address, _app) = served(|config| config.socket_limits.init_timeout = Duration::from_secs(1)).await;
    for protocol in ["graphql-transport-ws", "graphql-ws"] {
        let mut socket = Socket::connect(address, protocol).await.expect("the socket opens");
        let answer = socket.receive().await;
        assert_eq!(answer["type"], "close", "{protocol}: {answer}");
        assert_eq!(answer["code"], 4408, "{protocol}: {answer}");
    }
    // A socket that signs in in time stays open past the timeout (this waits out the timer, it does not
    // wait for the server to do something).
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    socket.send(json!({ "type": "ping" })).await;
    socket.subscribe("1", "{ __typename }", json!({})).await;
    assert_eq!(socket.event().await["data"]["__typename"], "Query");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_closes_with_4403() {
    let (_db, address, _app) = served(|_| {}).await;
    let (_, answer) = Socket::open(address, "graphql-transport-ws", json!({ "token": "kartla_wrong" })).await;
    assert_eq!(answer["type"], "close", "{answer}");
    assert_eq!(answer["code"], 4403, "{answer}");
    // The older protocol says connection_error first, then closes properly.
    let (mut socket, answer) = Socket::open(address, "graphql-ws", json!({ "token": "kartla_wrong" })).await;
    assert_eq!(answer["type"], "connection_error", "{answer}");
    let answer = socket.receive().await;
    assert_eq!(answer["type"], "close", "{answer}");
    assert_eq!(answer["code"], 4403, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_per_socket_and_sockets_per_address_are_limited() {
    let (_db, address, _app) = served(|config| {
        config.socket_limits.subscriptions_per_socket = 2;
        config.socket_limits.sockets_per_address = 2;
    })
    .await;
    let mut socket = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    socket.subscribe("1", CHANGES, json!({})).await;
    socket.subscribe("2", CHANGES, json!({})).await;
    socket.subscribe("3", CHANGES, json!({})).await;
    let refused = socket.event().await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "TOO_MANY_SUBSCRIPTIONS",
        "{refused}"
    );
    assert_eq!(socket.receive().await["type"], "complete");
    // Completing one makes room for another.
    socket.send(json!({ "type": "complete", "id": "1" })).await;
    socket.subscribe("4", CHANGES, json!({})).await;
    socket.subscribe("5", "{ __typename }", json!({})).await;
    let mut answer = socket.receive().await;
    while answer["type"] == "complete" && answer["id"] == "1" {
        answer = socket.receive().await;
    }
    assert_eq!(
        answer["payload"]["data"]["__typename"], "Query",
        "a query needs no place: {answer}"
    );

    // This socket and one more from the address; a third upgrade is refused with 429.
    let _second = Socket::signed_in(address, "graphql-transport-ws", json!({})).await;
    let third = Socket::connect(address, "graphql-transport-ws").await;
    match third {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => assert_eq!(response.status(), 429),
        Err(other) => panic!("refused with 429, not {other}"),
        Ok(_) => panic!("a third socket from one address is refused"),
    }
    // Once one closes, the address may open another.
    drop(_second);
    let deadline = std::time::Instant::now() + crate::ws_client::DEADLINE;
    while Socket::connect(address, "graphql-transport-ws").await.is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the closed socket's place is given back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
