//! Several Kartla processes on one PostgreSQL database, as behind a load balancer: started together they
//! migrate and seed once, and a change committed through one reaches the subscribers of the other.

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::{Duration, Instant};

use kartla::entity::enums::AccessRole;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

use crate::helpers::{Backend, TestDb};
use crate::ws_client::Socket;

/// A `kartla serve` process, killed when dropped.
pub(crate) struct Instance {
    pub(crate) address: SocketAddr,
    pub(crate) process: Child,
}

impl Instance {
    /// Starts `kartla serve` on `url` on a free port.
    pub(crate) fn start(url: &str) -> Instance {
        Instance::start_with(url, &[])
    }

    /// [`Instance::start`] with more flags.
    pub(crate) fn start_with(url: &str, flags: &[&str]) -> Instance {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let address: SocketAddr = ([127, 0, 0, 1], port).into();
        let process = Command::new(env!("CARGO_BIN_EXE_kartla"))
            .args(["serve", "--database-url", url, "--listen", &address.to_string()])
            .args(flags)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("kartla starts");
        Instance { address, process }
    }

    /// Waits until the instance answers GraphQL, failing when it exits (its stderr is the test's) or
    /// after the deadline.
    pub(crate) async fn ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.process.try_wait() {
                panic!("the instance at {} exited with {status}", self.address);
            }
            if let Ok(answer) = self.post(json!({ "query": "{ __typename }" }), None).await
                && answer["data"]["__typename"] == "Query"
            {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the instance at {} did not start",
                self.address
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// POSTs a GraphQL request over a plain HTTP/1.1 connection.
    pub(crate) async fn post(&self, body: Value, token: Option<&str>) -> std::io::Result<Value> {
        let mut stream = TcpStream::connect(self.address).await?;
        let body = body.to_string();
        let authorization = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{authorization}Connection: close\r\n\r\n{body}",
            self.address,
            body.len()
        );
        stream.write_all(request.as_bytes()).await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        let text = String::from_utf8_lossy(&response);
        let json = text.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
        serde_json::from_str(json).map_err(std::io::Error::other)
    }

    /// GETs `path` and returns the body as text.
    pub(crate) async fn get(&self, path: &str) -> std::io::Result<String> {
        let mut stream = TcpStream::connect(self.address).await?;
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        );
        stream.write_all(request.as_bytes()).await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        let text = String::from_utf8_lossy(&response).into_owned();
        Ok(text
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default())
    }

    pub(crate) async fn query(&self, query: &str) -> Value {
        let answer = self.post(json!({ "query": query }), None).await.expect("an answer");
        assert!(answer.get("errors").is_none(), "{answer}");
        answer["data"].clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_instance_reaches_subscribers_of_another() {
    let Some(test_db) = TestDb::create(Backend::Postgres).await else {
        return;
    };
    // Both start at once on the empty database: one migrates and seeds, the other waits its turn.
    let (mut first, mut second) = (Instance::start(&test_db.url), Instance::start(&test_db.url));
    tokio::join!(first.ready(), second.ready());
    let count = "{ organisations { totalCount } changes { totalCount } }";
    let (a, b) = (first.query(count).await, second.query(count).await);
    assert_eq!(a, b, "both see one registry");
    let db = test_db.connect().await;
    let in_database = kartla::entity::organisation::Entity::find()
        .count(&db)
        .await
        .expect("a count");
    assert_eq!(a["organisations"]["totalCount"], in_database, "seeded once");

    let head =
        first.query("{ changes(last: 1) { nodes { position } } }").await["changes"]["nodes"][0]["position"].clone();
    let mut socket = Socket::signed_in(first.address, "graphql-transport-ws", json!({})).await;
    socket
        .subscribe(
            "1",
            "subscription S($after: String) { registryChanged(after: $after) { operation recordType
               record { ... on Organisation { name(lang: \"nb\") } } } }",
            json!({ "after": head }),
        )
        .await;

    let (_, admin) = kartla::service::token::create(&db, "admin", AccessRole::Admin, None)
        .await
        .expect("a token");
    let started = Instant::now();
    let answer = second
        .post(
            json!({ "query": "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
                userErrors { code } } }",
                "variables": { "input": { "kind": "VENDOR", "country": "NO",
                "name": [{ "lang": "nb", "text": "Skoleverktøy AS" }] } } }),
            Some(&admin),
        )
        .await
        .expect("an answer");
    assert_eq!(
        answer["data"]["createOrganisation"]["userErrors"],
        json!([]),
        "{answer}"
    );
    let event = socket.changes(1).await.remove(0);
    assert_eq!(
        event,
        json!({ "operation": "CREATE", "recordType": "ORGANISATION", "record": { "name": "Skoleverktøy AS" } })
    );
    eprintln!("the event crossed instances in {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_signal_closes_subscriptions_and_ends_the_process() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("kartla.db").display());
    let mut instance = Instance::start(&url);
    instance.ready().await;
    let mut socket = Socket::signed_in(instance.address, "graphql-transport-ws", json!({})).await;
    socket
        .subscribe("1", "subscription { registryChanged { position } }", json!({}))
        .await;
    // A query on the same socket answered means the subscription has started too.
    socket.subscribe("2", "{ __typename }", json!({})).await;
    assert_eq!(socket.receive().await["type"], "next");
    assert_eq!(socket.receive().await["type"], "complete");

    let pid = instance.process.id().expect("a running process").to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .expect("kill runs");
    assert!(killed.success());
    let close = socket.receive().await;
    assert_eq!(close["type"], "close", "{close}");
    assert_eq!(close["code"], 1001, "going away: {close}");
    let status = tokio::time::timeout(Duration::from_secs(30), instance.process.wait())
        .await
        .expect("the process ends within the deadline")
        .expect("its status");
    assert!(status.success(), "{status}");
}
