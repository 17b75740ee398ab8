//! A fresh database per test, and an application to send GraphQL to.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kartla::config::{Config, InitialSeed};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The databases Kartla runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    MySql,
}

/// Runs an async test body once per backend: `on_every_backend!(name)` expects `async fn name(db: TestDb)`.
#[macro_export]
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::helpers::{Backend, TestDb};

            async fn run(backend: Backend) {
                if let Some(db) = TestDb::create(backend).await {
                    super::$name(db).await;
                }
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run(Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run(Backend::Postgres).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mariadb() {
                run(Backend::MySql).await
            }
        }
    )*};
}

/// A database created for one test and dropped after it.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    server_url: String,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// Creates an empty database, or returns `None` (and says so) when the backend's server is not configured.
    pub async fn create(backend: Backend) -> Option<TestDb> {
        let name = format!("kartla_test_{}", uuid::Uuid::new_v4().simple());
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("kartla.db").display());
                Some(TestDb {
                    backend,
                    url,
                    server_url: String::new(),
                    name,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres | Backend::MySql => {
                let var = if backend == Backend::Postgres {
                    "KARTLA_TEST_POSTGRES_URL"
                } else {
                    "KARTLA_TEST_MYSQL_URL"
                };
                let Ok(server_url) = std::env::var(var) else {
                    eprintln!("skipped: {var} is not set");
                    return None;
                };
                let server = Database::connect(&server_url)
                    .await
                    .expect("the test database server answers");
                server
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("CREATE DATABASE");
                server.close().await.ok();
                let url = format!("{}/{name}", server_base(&server_url));
                Some(TestDb {
                    backend,
                    url,
                    server_url,
                    name,
                    _dir: None,
                })
            }
        }
    }

    /// A connection to this database (through Kartla's own connect, so SQLite gets its pragmas).
    pub async fn connect(&self) -> DatabaseConnection {
        kartla::db::connect(&self.url)
            .await
            .expect("connect to the test database")
    }

    /// A configuration for this database with the given initial seed.
    pub fn config(&self, seed: InitialSeed) -> Config {
        let mut config = Config::new(&self.url);
        config.listen = "127.0.0.1:0".parse().expect("an address");
        config.initial_seed = seed;
        config
    }
}

/// `scheme://user@host:port` of a server URL, without a database path or parameters.
fn server_base(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    format!("{scheme}://{authority}")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.backend == Backend::Sqlite {
            return;
        }
        let (server_url, name, backend) = (self.server_url.clone(), self.name.clone(), self.backend);
        // Drop runs inside the test's runtime, so the cleanup gets a thread and a runtime of its own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async {
                if let Ok(server) = Database::connect(&server_url).await {
                    let sql = match backend {
                        Backend::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                        _ => format!("DROP DATABASE IF EXISTS {name}"),
                    };
                    let _ = server.execute_unprepared(&sql).await;
                    let _ = server.close().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

/// The application on a test database, driven through its real router.
pub struct TestApp {
    pub db: DatabaseConnection,
    pub router: Router,
}

impl TestApp {
    /// Prepares the database as `serve` would (migrate; seed when empty) and builds the router.
    pub async fn spawn(test_db: &TestDb, seed: InitialSeed) -> TestApp {
        TestApp::spawn_with(test_db.config(seed)).await
    }

    /// [`TestApp::spawn`] with a configuration of the test's own.
    pub async fn spawn_with(config: Config) -> TestApp {
        let db = kartla::startup::prepare_database(&config)
            .await
            .expect("the database is prepared");
        let router = kartla::startup::build_router(db.clone(), &config);
        TestApp { db, router }
    }

    /// Serves the router on a free local port, for clients that need a real socket (WebSocket); the
    /// server runs until the test's runtime ends.
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let address = listener.local_addr().expect("an address");
        let router = self.router.clone();
        tokio::spawn(async move { axum::serve(listener, router).await });
        address
    }

    /// Sends a raw HTTP request and returns the status and the body as JSON (or as a string value).
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let bytes = response.into_body().collect().await.expect("a body").to_bytes();
        let body =
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, body)
    }

    /// POSTs a query with variables and optional `Accept-Language`, returning the whole response body.
    pub async fn graphql_with(&self, query: &str, variables: Value, accept_language: Option<&str>) -> Value {
        let mut request = Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
        if let Some(lang) = accept_language {
            request = request.header(header::ACCEPT_LANGUAGE, lang);
        }
        let body = json!({ "query": query, "variables": variables }).to_string();
        let (status, body) = self.send(request.body(Body::from(body)).expect("a request")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// POSTs a query that must succeed and returns its `data`.
    pub async fn query(&self, query: &str) -> Value {
        let body = self.graphql_with(query, json!({}), None).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// POSTs a query that must fail and returns the first error's `extensions.code`.
    pub async fn error_code(&self, query: &str) -> String {
        let body = self.graphql_with(query, json!({}), None).await;
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("an error code in {body}"))
            .to_owned()
    }

    /// `totalCount` of organisations matching a filter given as GraphQL input text.
    pub async fn organisation_count(&self, filter: &str) -> i64 {
        let data = self
            .query(&format!("{{ organisations(filter: {filter}) {{ totalCount }} }}"))
            .await;
        data["organisations"]["totalCount"].as_i64().expect("a count")
    }
}

/// Inserts a Swedish initiative with `status` and no plan, number, dates or texts (a fixture for
/// registries larger than the demo's) and returns its ID.
pub async fn insert_initiative(db: &DatabaseConnection, status: kartla::entity::enums::Status) -> uuid::Uuid {
    use sea_orm::{ActiveModelTrait, Set};
    let (id, now) = (uuid::Uuid::new_v4(), chrono::Utc::now());
    kartla::entity::initiative::ActiveModel {
        id: Set(id),
        action_plan_id: Set(None),
        number: Set(None),
        country: Set("SE".into()),
        status: Set(status),
        planned_start: Set(None),
        planned_end: Set(None),
        actual_start: Set(None),
        actual_end: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .expect("an initiative");
    id
}

/// Inserts an activity of `initiative_id` with `status` (a fixture: the demo data has no activities).
pub async fn insert_activity(
    db: &DatabaseConnection,
    initiative_id: uuid::Uuid,
    status: kartla::entity::enums::Status,
) -> uuid::Uuid {
    use sea_orm::{ActiveModelTrait, Set};
    let (id, now) = (uuid::Uuid::new_v4(), chrono::Utc::now());
    kartla::entity::activity::ActiveModel {
        id: Set(id),
        initiative_id: Set(initiative_id),
        position: Set(Some(1)),
        status: Set(status),
        planned_start: Set(None),
        planned_end: Set(None),
        actual_start: Set(None),
        actual_end: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        archived_at: Set(None),
    }
    .insert(db)
    .await
    .expect("an activity");
    id
}

/// Inserts a contact person with an email and a phone on `initiative_id` (personal data an anonymous
/// reader must never see) and returns its ID.
pub async fn insert_contact(db: &DatabaseConnection, initiative_id: uuid::Uuid) -> uuid::Uuid {
    use sea_orm::{ActiveModelTrait, Set};
    let (id, now) = (uuid::Uuid::new_v4(), chrono::Utc::now());
    kartla::entity::contact::ActiveModel {
        id: Set(id),
        name: Set("Kari Nordmann".into()),
        email: Set(Some("kari@example.no".into())),
        phone: Set(Some("+47 22 00 00 00".into())),
        initiative_id: Set(Some(initiative_id)),
        activity_id: Set(None),
        consultation_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(db)
    .await
    .expect("a contact");
    id
}
