//! The database goes away and comes back: through a TCP proxy in front of PostgreSQL that the test cuts (or stops)
//! and restores. While it is cut, requests fail at once with SERVICE_UNAVAILABLE (or 503), never a 500 or a
//! hang; once a request has found it down, the next ones are answered 503 without trying the database, and
//! `/readyz` is red; afterwards Kartla serves again without a restart, and every write it
//! acknowledged is in the database.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use kartla::config::InitialSeed;
use kartla::entity::enums::AccessRole;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

use crate::helpers::{Backend, TestApp, TestDb};
use crate::mutations::{as_token, token};

/// A TCP proxy to PostgreSQL that can be cut (every connection closed, new ones closed at once), stopped
/// (every connection closed and the port closed, so new ones are refused, as by a stopped server) and
/// restored.
struct Proxy {
    address: SocketAddr,
    upstream: SocketAddr,
    open: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
    listening: Mutex<Option<AbortHandle>>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let proxy = Proxy {
            address: listener.local_addr().expect("an address"),
            upstream,
            open: Arc::new(AtomicBool::new(true)),
            links: Arc::default(),
            listening: Mutex::new(None),
        };
        proxy.listen(listener);
        proxy
    }

    fn listen(&self, listener: TcpListener) {
        let (is_open, all, upstream) = (self.open.clone(), self.links.clone(), self.upstream);
        let accepting = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !is_open.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection close at once
                }
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                all.lock().expect("the list").push(link.abort_handle());
            }
        });
        *self.listening.lock().expect("the handle") = Some(accepting.abort_handle());
    }

    fn cut(&self) {
        self.open.store(false, Ordering::SeqCst);
        for link in self.links.lock().expect("the list").drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.open.store(true, Ordering::SeqCst);
    }

    /// Closes every connection and the port itself; returns once a connection to it is refused.
    async fn stop(&self) {
        if let Some(accepting) = self.listening.lock().expect("the handle").take() {
            accepting.abort();
        }
        self.cut();
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(self.address).await.is_ok() {
            assert!(Instant::now() < deadline, "the proxy's port did not close");
            tokio::task::yield_now().await;
        }
    }

    /// Listens on the same port again.
    async fn start_again(&self) {
        let listener = TcpListener::bind(self.address).await.expect("the same port");
        self.restore();
        self.listen(listener);
    }
}

const CREATE: &str = "mutation C($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
    organisation { id } userErrors { code } } }";

/// Creates organisation `name`: its ID when Kartla acknowledged the write, else the error code or status.
async fn create(app: &TestApp, admin: &str, name: &str) -> Result<String, String> {
    let input = json!({ "input": { "kind": "VENDOR", "country": "NO", "name": [{ "lang": "nb", "text": name }] } });
    let answer = as_token(app, Some(admin), CREATE, input).await;
    if let Some(id) = answer["data"]["createOrganisation"]["organisation"]["id"].as_str() {
        return Ok(id.to_owned());
    }
    let code = answer["errors"][0]["extensions"]["code"].as_str().unwrap_or("none");
    Err(format!("{code}: {answer}"))
}

/// Waits (up to a minute) until Kartla is ready again and a write goes through: the write's ID.
async fn back_again(app: &TestApp, admin: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while ready(app).await != StatusCode::OK {
        assert!(Instant::now() < deadline, "Kartla did not become ready again");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    loop {
        assert!(Instant::now() < deadline, "writes did not go through again");
        if let Ok(id) = create(app, admin, "Etter").await {
            return id;
        }
    }
}

async fn ready(app: &TestApp) -> StatusCode {
    app.send(Request::get("/readyz").body(Body::empty()).expect("a request"))
        .await
        .0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kartla_comes_back_by_itself_and_keeps_every_acknowledged_write() {
    let Some(test_db) = TestDb::create(Backend::Postgres).await else {
        return;
    };
    let upstream: SocketAddr = "127.0.0.1:5432".parse().expect("an address");
    assert!(test_db.url.contains("127.0.0.1:5432"), "{}", test_db.url);
    let proxy = Proxy::start(upstream).await;
    let mut config = test_db.config(InitialSeed::None);
    config.database_url = test_db.url.replace("127.0.0.1:5432", &proxy.address.to_string());
    let app = TestApp::spawn_with(config).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;

    let mut acknowledged = Vec::new();
    for i in 0..5 {
        acknowledged.push(
            create(&app, &admin, &format!("Før {i}"))
                .await
                .expect("the database is up"),
        );
    }

    // Cut as soon as the first of twenty concurrent writes is answered, so the others are cut at every
    // stage (signing in, inside their transaction, committing): each is acknowledged or refused, and an
    // acknowledged one must be in the database.
    let names: Vec<String> = (0..20).map(|i| format!("Under {i}")).collect();
    let mut pending: FuturesUnordered<_> = names.iter().map(|name| create(&app, &admin, name)).collect();
    let mut during = Vec::new();
    while let Some(result) = pending.next().await {
        if during.is_empty() {
            proxy.cut();
        }
        during.push(result);
    }
    let refused: Vec<&String> = during.iter().filter_map(|w| w.as_ref().err()).collect();
    assert!(
        refused.iter().all(|r| r.starts_with("SERVICE_UNAVAILABLE")),
        "{refused:?}"
    );
    eprintln!("of 20 writes under way at the cut, {} were refused", refused.len());
    acknowledged.extend(during.into_iter().flatten());

    // While it is cut: every request fails with SERVICE_UNAVAILABLE, and Kartla is not ready.
    for i in 0..3 {
        let refused = create(&app, &admin, &format!("Nede {i}"))
            .await
            .expect_err("the database is down");
        assert!(
            refused.starts_with("SERVICE_UNAVAILABLE") || refused.starts_with("none"),
            "{refused}"
        );
        // Known to be down: answered at once, without waiting for the pool, and told when to retry.
        let request = Request::post("/graphql")
            .header("content-type", "application/json")
            .body(Body::from(
                json!({ "query": "{ organisations { totalCount } }" }).to_string(),
            ))
            .expect("a request");
        let (status, data) = app.send(request).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{data}");
        assert_eq!(data["errors"][0]["extensions"]["code"], "SERVICE_UNAVAILABLE", "{data}");
        assert_eq!(data["errors"][0]["extensions"]["retryAfterSeconds"], 1, "{data}");
    }
    assert_eq!(ready(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    // An overview page is told the same as a page in the reader's language; its stylesheet still loads.
    let overview = Request::get("/overview")
        .header("accept", "text/html")
        .header("accept-language", "nb")
        .body(Body::empty())
        .expect("a request");
    let (status, page) = app.send(overview).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert!(
        page.as_str()
            .is_some_and(|html| html.contains("Midlertidig utilgjengelig")),
        "{page}"
    );
    let stylesheet = Request::get("/overview/assets/overview.css")
        .body(Body::empty())
        .expect("a request");
    assert_eq!(app.send(stylesheet).await.0, StatusCode::OK);

    // Restored: ready again without a restart, and writes go through.
    proxy.restore();
    acknowledged.push(back_again(&app, &admin).await);

    // Every acknowledged write is there (read past the proxy).
    let db = test_db.connect().await;
    let ids: Vec<uuid::Uuid> = acknowledged
        .iter()
        .map(|id| {
            kartla::service::id::decode_as(
                &async_graphql::ID(id.clone()),
                kartla::service::id::NodeType::Organisation,
            )
            .expect("an organisation ID")
        })
        .collect();
    let found = kartla::entity::organisation::Entity::find()
        .filter(kartla::entity::organisation::Column::Id.is_in(ids.clone()))
        .all(&db)
        .await
        .expect("the organisations");
    assert_eq!(found.len(), ids.len(), "every acknowledged write is in the database");
}

/// A stopped server refuses connections, which the pool would retry until its acquire timeout (5 s): the
/// first request to meet it is answered 503 at once, as are the requests after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_request_to_meet_a_stopped_server_is_answered_at_once() {
    let Some(test_db) = TestDb::create(Backend::Postgres).await else {
        return;
    };
    let upstream: SocketAddr = "127.0.0.1:5432".parse().expect("an address");
    let proxy = Proxy::start(upstream).await;
    let mut config = test_db.config(InitialSeed::None);
    config.database_url = test_db.url.replace("127.0.0.1:5432", &proxy.address.to_string());
    let app = TestApp::spawn_with(config).await;
    let admin = token(&app, "admin", AccessRole::Admin, None).await;
    create(&app, &admin, "Før").await.expect("the database is up");

    proxy.stop().await;
    for (i, request) in ["first", "second", "third"].iter().enumerate() {
        let started = Instant::now();
        let refused = create(&app, &admin, &format!("Nede {i}"))
            .await
            .expect_err("the database is down");
        let took = started.elapsed();
        eprintln!("the {request} request after the stop was answered in {took:?}");
        assert!(
            refused.starts_with("SERVICE_UNAVAILABLE"),
            "the {request} request: {refused}"
        );
        // Well inside the pool's 5 s: without the check, the first request waits all of it.
        assert!(
            took < Duration::from_millis(2_500),
            "the {request} request took {took:?}"
        );
    }
    assert_eq!(ready(&app).await, StatusCode::SERVICE_UNAVAILABLE);

    // Started again: Kartla serves without a restart.
    proxy.start_again().await;
    back_again(&app, &admin).await;
}
