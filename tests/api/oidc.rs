//! OpenID Connect access tokens against a real OpenID Provider: node oidc-provider (tests/oidc), started
//! per test on a free port. A service signs in with client credentials and a frontend with the
//! authorization-code grant; every refusal says why; a rotated key is picked up without a restart; an
//! expiring token closes its WebSocket with 4403; the failed-sign-in limit counts bad JWTs too.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kartla::config::{InitialSeed, OidcIssuer};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::helpers::{TestApp, TestDb};
use crate::mutations::{as_token, organisation, token};
use crate::on_every_backend;
use crate::ws_client::Socket;

on_every_backend!(
    a_service_signs_in_with_client_credentials_as_its_organisation,
    a_frontend_signs_in_and_edits_as_its_organisations_editor,
    each_bad_token_is_refused_with_the_reason,
    a_rotated_key_is_picked_up_without_a_restart,
    a_socket_closes_when_its_access_token_expires
);

/// Bergen kommune's organisation number, which the provider puts in its tokens as `0192:964338531`.
const BERGEN_NUMBER: &str = "964338531";

/// Kartla's audience at the test provider.
const AUDIENCE: &str = "https://kartla.test";

/// How long a test waits for something to happen before it fails.
const DEADLINE: Duration = Duration::from_secs(20);

const VIEWER: &str = "{ viewer { signedIn name role issuer subject expiresAt organisation { id } } }";

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

/// Whether node and oidc-provider are installed; CI must have them.
fn ready() -> bool {
    let ready = provider_dir().join("node_modules/oidc-provider").exists();
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install tests/oidc (see .ci/run)"
        );
        eprintln!("skipped: needs `npm ci --prefix tests/oidc`");
    }
    ready
}

/// One running oidc-provider; stopped when dropped.
struct Provider {
    child: tokio::process::Child,
    port: u16,
}

impl Provider {
    /// Starts the provider on `port` with one signing key `kid` of `alg`, tokens living `ttl` seconds.
    async fn start(port: u16, kid: &str, alg: &str, ttl: u64) -> Provider {
        let orgs = json!({ "sync": BERGEN_NUMBER, "anna": BERGEN_NUMBER }).to_string();
        let mut child = tokio::process::Command::new("node")
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .env("PORT", port.to_string())
            .env("KID", kid)
            .env("ALG", alg)
            .env("TTL", ttl.to_string())
            .env("ORGS", orgs)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts");
        let stdout = child.stdout.take().expect("the provider's stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(DEADLINE, lines.next_line())
            .await
            .expect("the provider starts within the deadline")
            .expect("its stdout reads");
        assert_eq!(line.as_deref(), Some("ready"), "the provider says it is ready");
        // Whatever it prints later is read too, so its writes never meet a closed pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Provider { child, port }
    }

    fn issuer(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// An access token for the client `sync` by the client-credentials grant.
    async fn client_token(&self, scope: &str, resource: &str) -> String {
        let answer: Value = reqwest::Client::new()
            .post(format!("{}/token", self.issuer()))
            .basic_auth("sync", Some("sync-secret"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", scope),
                ("resource", resource),
            ])
            .send()
            .await
            .expect("the provider answers")
            .bytes()
            .await
            .map(|bytes| serde_json::from_slice(&bytes).expect("JSON"))
            .expect("a body");
        answer["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("an access token in {answer}"))
            .to_owned()
    }

    /// An access token for the person `login`, signed in through the provider as a frontend does.
    async fn sign_in(&self, login: &str) -> String {
        let output = tokio::process::Command::new("node")
            .arg("sign-in.mjs")
            .arg(self.issuer())
            .arg(login)
            .current_dir(provider_dir())
            .output()
            .await
            .expect("node runs");
        assert!(
            output.status.success(),
            "the sign-in ends with a token: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8").trim().to_owned()
    }

    async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// A free local port for the provider (it binds it again itself, and again after a restart).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Kartla on the demo data, accepting the provider's tokens: the organisation from `consumer.ID`, EDITOR
/// with the scope `kartla:edit`, ADMIN with `kartla:admin`, a READER when no organisation is found; and
/// Bergen with its organisation number.
async fn kartla(test_db: &TestDb, provider: &Provider, failed_sign_ins: u32) -> TestApp {
    let app = kartla_with(test_db, provider, failed_sign_ins, "").await;
    add_organisation_number(&app).await;
    app
}

/// [`kartla`] with more issuer settings (`,key=value...`), on a database that may be prepared already.
async fn kartla_with(test_db: &TestDb, provider: &Provider, failed_sign_ins: u32, more: &str) -> TestApp {
    let mut config = test_db.config(InitialSeed::Demo);
    let issuer = OidcIssuer::parse(&format!(
        "{},audience={AUDIENCE},organisation-claim=consumer.ID,editor=scope:kartla:edit,admin=scope:kartla:admin{more}",
        provider.issuer()
    ))
    .expect("valid issuer settings");
    config.oidc.issuers = vec![issuer];
    config.oidc.allow_insecure_issuer = true;
    config.oidc.clock_skew = Duration::ZERO;
    config.oidc.key_refresh_interval = Duration::from_secs(1);
    config.rate_limits.failed_sign_ins_per_minute = std::num::NonZeroU32::new(failed_sign_ins);
    TestApp::spawn_with(config).await
}

async fn add_organisation_number(app: &TestApp) {
    use sea_orm::{ActiveModelTrait, Set};
    let bergen = bergen(app).await;
    let now = chrono::Utc::now();
    kartla::entity::organisation_identifier::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        organisation_id: Set(kartla::service::id::decode(&bergen).expect("an ID").1),
        scheme: Set(kartla::entity::enums::IdentifierScheme::OrganisationNumber),
        value: Set(BERGEN_NUMBER.into()),
        valid_from: Set(None),
        valid_to: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&app.db)
    .await
    .expect("an identifier");
}

async fn bergen(app: &TestApp) -> String {
    organisation(app, r#"{identifier: "4601"}"#).await
}

/// The status and the body of a POST of `query` with `Authorization: Bearer <token>`.
async fn with_token(app: &TestApp, token: &str, query: &str) -> (StatusCode, Value) {
    let request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(json!({ "query": query }).to_string()))
        .expect("a request");
    app.send(request).await
}

/// The refusal's message, after checking it is a 401 with code UNAUTHENTICATED.
async fn refusal(app: &TestApp, token: &str) -> String {
    let (status, body) = with_token(app, token, VIEWER).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{body}");
    body["errors"][0]["message"].as_str().expect("a message").to_owned()
}

async fn viewer(app: &TestApp, token: &str) -> Value {
    let (status, body) = with_token(app, token, VIEWER).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["data"]["viewer"].clone()
}

async fn a_service_signs_in_with_client_credentials_as_its_organisation(test_db: TestDb) {
    if !ready() {
        return;
    }
    let provider = Provider::start(free_port(), "key-1", "RS256", 300).await;
    let app = kartla(&test_db, &provider, 60).await;
    let bergen = bergen(&app).await;

    let editor = provider.client_token("kartla:read kartla:edit", AUDIENCE).await;
    let seen = viewer(&app, &editor).await;
    assert_eq!(seen["signedIn"], true);
    assert_eq!(seen["role"], "EDITOR");
    assert_eq!(seen["issuer"], provider.issuer());
    assert_eq!(seen["subject"], "sync");
    assert_eq!(seen["name"], "sync", "without a name claim, the subject");
    assert_eq!(
        seen["organisation"]["id"],
        bergen.as_str(),
        "0192:{BERGEN_NUMBER} is Bergen"
    );
    assert!(
        seen["expiresAt"].as_str().is_some_and(|t| t.starts_with("20")),
        "{seen}"
    );

    let reader = provider.client_token("kartla:read", AUDIENCE).await;
    assert_eq!(
        viewer(&app, &reader).await["role"],
        "READER",
        "no edit scope, no editing"
    );
    let admin = provider.client_token("kartla:admin", AUDIENCE).await;
    assert_eq!(viewer(&app, &admin).await["role"], "ADMIN");

    // Kartla's own tokens work as before, beside the issuer's.
    let own = token(&app, "nightly sync", kartla::entity::enums::AccessRole::Reader, None).await;
    let seen = viewer(&app, &own).await;
    assert_eq!(
        (seen["name"].as_str(), seen["issuer"].as_str()),
        (Some("nightly sync"), None)
    );

    // The same token signs a WebSocket in through connection_init.
    let address = app.serve().await;
    let mut socket = Socket::signed_in(
        address,
        "graphql-transport-ws",
        json!({ "Authorization": format!("Bearer {editor}") }),
    )
    .await;
    socket.subscribe("1", VIEWER, json!({})).await;
    let answer = socket.receive().await;
    assert_eq!(answer["payload"]["data"]["viewer"]["subject"], "sync", "{answer}");
    provider.stop().await;
}

async fn a_frontend_signs_in_and_edits_as_its_organisations_editor(test_db: TestDb) {
    if !ready() {
        return;
    }
    let provider = Provider::start(free_port(), "key-1", "RS256", 300).await;
    let app = kartla(&test_db, &provider, 60).await;
    let bergen = bergen(&app).await;

    let anna = provider.sign_in("anna").await;
    let create = "mutation C($input: CreateInitiativeInput!) { createInitiative(input: $input) {
        initiative { id viewerCanUpdate responsibilities { role decision organisation { id } }
          history { nodes { operation tokenName issuer subject organisation { id } } } }
        userErrors { field code message } } }";
    let input = json!({ "input": {
        "country": "NO",
        "title": [{ "lang": "nb", "text": "Felles innlogging for Bergen-skolen" }],
        "responsibilities": [{ "organisationId": bergen, "role": "LEAD" }] } });
    let answer = as_token(&app, Some(&anna), create, input).await;
    let created = &answer["data"]["createInitiative"];
    assert_eq!(created["userErrors"], json!([]), "{answer}");
    assert_eq!(created["initiative"]["viewerCanUpdate"], true, "{answer}");
    let entry = &created["initiative"]["history"]["nodes"][0];
    assert_eq!(entry["operation"], "CREATE_INITIATIVE", "{answer}");
    assert_eq!(entry["issuer"], provider.issuer());
    assert_eq!(entry["subject"], "anna");
    assert_eq!(entry["organisation"]["id"], bergen.as_str());

    // A person whose token names no organisation is a reader, edit scope or not: never an editor.
    let nobody = provider.sign_in("nobody").await;
    let seen = viewer(&app, &nobody).await;
    assert_eq!(
        (seen["role"].as_str(), seen["subject"].as_str()),
        (Some("READER"), Some("nobody"))
    );
    assert_eq!(seen["organisation"], Value::Null);

    // An issuer set to refuse such tokens refuses them, and still takes the ones it can map.
    let strict = kartla_with(&test_db, &provider, 60, ",unmapped=refuse").await;
    assert!(
        refusal(&strict, &nobody)
            .await
            .contains("maps to no organisation: the token has no consumer.ID claim")
    );
    assert_eq!(viewer(&strict, &anna).await["role"], "EDITOR");
    provider.stop().await;
}

/// A JWT of `header` and `claims` with `signature` (base64url already).
fn jwt(header: &Value, claims: &Value, signature: &str) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.{signature}", part(header), part(claims))
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

async fn each_bad_token_is_refused_with_the_reason(test_db: TestDb) {
    if !ready() {
        return;
    }
    let provider = Provider::start(free_port(), "key-1", "ES256", 300).await;
    let app = kartla(&test_db, &provider, 7).await;
    let good = provider.client_token("kartla:edit", AUDIENCE).await;
    assert_eq!(viewer(&app, &good).await["role"], "EDITOR", "ES256 is accepted");
    let claims = claims_of(&good);

    let other_audience = provider.client_token("kartla:edit", "https://other.test").await;
    assert!(refusal(&app, &other_audience).await.contains("audience"));

    let (head, signature) = good.rsplit_once('.').expect("a signature");
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let forged = format!("{head}.{flipped}{}", &signature[1..]);
    assert!(refusal(&app, &forged).await.contains("signature does not verify"));

    let mut elsewhere = claims.clone();
    elsewhere["iss"] = json!("https://idp.example.org");
    let header = json!({ "alg": "ES256", "kid": "key-1", "typ": "at+jwt" });
    assert!(
        refusal(&app, &jwt(&header, &elsewhere, signature))
            .await
            .contains("issuer \"https://idp.example.org\" is not one")
    );

    let unsigned = jwt(&json!({ "alg": "none" }), &claims, "");
    assert!(refusal(&app, &unsigned).await.contains("not signed (alg none)"));

    let shared_secret = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"a secret anyone could guess"),
    )
    .expect("an HS256 token");
    assert!(refusal(&app, &shared_secret).await.contains("shared secret (HS256)"));

    let unknown_key = jwt(&json!({ "alg": "ES256", "kid": "key-9" }), &claims, signature);
    assert!(refusal(&app, &unknown_key).await.contains("kid \"key-9\""));

    // An issuer that requires a scope refuses a token without it, and takes one with it.
    let scoped = kartla_with(&test_db, &provider, 0, ",scope=kartla:read").await;
    assert!(
        refusal(&scoped, &good)
            .await
            .contains("lacks the scope \"kartla:read\"")
    );
    let reader = provider.client_token("kartla:read kartla:edit", AUDIENCE).await;
    assert_eq!(viewer(&scoped, &reader).await["role"], "EDITOR");

    // Seven refusals from this address so far: the next bad token gets 429, a valid one still passes.
    assert!(refusal(&app, &forged).await.contains("signature"));
    let (status, body) = with_token(&app, &forged, VIEWER).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(
        viewer(&app, &good).await["role"],
        "EDITOR",
        "a valid token is never locked out"
    );

    // Over WebSocket the refusal closes the socket with 4403, and the close frame says why.
    let address = app.serve().await;
    let payload = json!({ "Authorization": format!("Bearer {other_audience}") });
    let (_, answer) = Socket::open(address, "graphql-transport-ws", payload).await;
    assert_eq!(
        (answer["type"].as_str(), answer["code"].as_i64()),
        (Some("close"), Some(4403)),
        "{answer}"
    );
    assert!(
        answer["reason"].as_str().is_some_and(|r| r.contains("audience")),
        "{answer}"
    );
    provider.stop().await;
}

async fn a_rotated_key_is_picked_up_without_a_restart(test_db: TestDb) {
    if !ready() {
        return;
    }
    let port = free_port();
    let provider = Provider::start(port, "key-1", "RS256", 300).await;
    // No failed-sign-in limit: the polls below are refused until the new key is fetched.
    let app = kartla(&test_db, &provider, 0).await;
    let first = provider.client_token("kartla:edit", AUDIENCE).await;
    assert_eq!(viewer(&app, &first).await["role"], "EDITOR");

    // The provider comes back with a new key of another kind (EdDSA), as after a rotation.
    provider.stop().await;
    let provider = Provider::start(port, "key-2", "EdDSA", 300).await;
    let second = provider.client_token("kartla:edit", AUDIENCE).await;
    // Kartla fetches the keys again for an unknown kid, at most once a refresh interval (1 s here):
    // poll until the interval since the first fetch has passed.
    let started = Instant::now();
    loop {
        let (status, body) = with_token(&app, &second, VIEWER).await;
        if status == StatusCode::OK {
            assert_eq!(body["data"]["viewer"]["role"], "EDITOR", "{body}");
            break;
        }
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("key-2")),
            "{body}"
        );
        assert!(started.elapsed() < DEADLINE, "the new key is picked up: {body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        refusal(&app, &first).await.contains("kid \"key-1\""),
        "the old key is gone"
    );

    // With the issuer down, the keys already fetched stay in use.
    provider.stop().await;
    assert_eq!(viewer(&app, &second).await["role"], "EDITOR");
}

async fn a_socket_closes_when_its_access_token_expires(test_db: TestDb) {
    if !ready() {
        return;
    }
    let provider = Provider::start(free_port(), "key-1", "RS256", 2).await;
    let app = kartla(&test_db, &provider, 60).await;
    let short = provider.client_token("kartla:read", AUDIENCE).await;
    let address = app.serve().await;
    let mut socket = Socket::signed_in(
        address,
        "graphql-transport-ws",
        json!({ "Authorization": format!("Bearer {short}") }),
    )
    .await;
    // The token lives two seconds: the socket is closed when it expires (receive waits at most 20 s).
    let closed = socket.receive().await;
    assert_eq!(closed["type"], "close", "{closed}");
    assert_eq!(closed["code"], 4403, "{closed}");
    assert!(
        closed["reason"].as_str().is_some_and(|r| r.contains("expired")),
        "{closed}"
    );
    assert!(refusal(&app, &short).await.contains("the token expired at"));
    provider.stop().await;
}
