//! API tokens: made, listed and revoked on the command line; signing in with `Authorization: Bearer`; the
//! viewer; personal data for signed-in readers only; wrong credentials refused with 401.

use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDb, insert_contact};
use crate::on_every_backend;

on_every_backend!(bearer_tokens_sign_in_and_show_personal_data);

fn kartla(database_url: &str, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kartla"))
        .args(["token", "--database-url", database_url])
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout),
        text(&output.stderr),
    )
}

async fn as_token(app: &TestApp, token: Option<&str>, query: &str) -> (StatusCode, Value) {
    let mut request = Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/graphql-response+json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, token);
    }
    let body = Body::from(json!({ "query": query }).to_string());
    app.send(request.body(body).expect("a request")).await
}

async fn bearer_tokens_sign_in_and_show_personal_data(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let url = test_db.config(InitialSeed::None).database_url;
    let ks = app
        .query(r#"{ organisations(filter: {query: "KS", kinds: [MUNICIPAL_ASSOCIATION], country: ["NO"]}) { nodes { id } } }"#)
        .await["organisations"]["nodes"][0]["id"]
        .as_str()
        .expect("KS")
        .to_owned();

    // The command line: an editor needs an organisation, a reader must not have one, names are unique.
    let (code, _, stderr) = kartla(&url, &["create", "--name", "ks-editor", "--role", "editor"]);
    assert_eq!((code, stderr.lines().count()), (1, 1), "{stderr}");
    let (code, _, _) = kartla(
        &url,
        &["create", "--name", "r", "--role", "reader", "--organisation", &ks],
    );
    assert_eq!(code, 1);
    let (code, editor, _) = kartla(
        &url,
        &[
            "create",
            "--name",
            "ks-editor",
            "--role",
            "editor",
            "--organisation",
            &ks,
        ],
    );
    assert_eq!(code, 0);
    let editor = format!("Bearer {}", editor.trim());
    assert!(editor.starts_with("Bearer kartla_"));
    let (code, _, stderr) = kartla(&url, &["create", "--name", "ks-editor", "--role", "admin"]);
    assert_eq!(code, 1, "a second token with the same name: {stderr}");
    let (code, reader, _) = kartla(&url, &["create", "--name", "reader", "--role", "reader"]);
    assert_eq!(code, 0);
    let reader = format!("Bearer {}", reader.trim());
    let (code, list, _) = kartla(&url, &["list"]);
    assert_eq!(code, 0);
    assert!(
        list.contains("ks-editor") && list.contains("EDITOR") && list.contains(&ks),
        "{list}"
    );
    assert!(!list.contains("kartla_"), "the list never shows a token: {list}");

    // The viewer, anonymous and signed in.
    let viewer = "{ viewer { signedIn name role organisation { id } } }";
    let (status, body) = as_token(&app, None, viewer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["data"]["viewer"],
        json!({ "signedIn": false, "name": null, "role": null, "organisation": null })
    );
    let (_, body) = as_token(&app, Some(&editor), viewer).await;
    assert_eq!(
        body["data"]["viewer"],
        json!({ "signedIn": true, "name": "ks-editor", "role": "EDITOR", "organisation": { "id": ks } })
    );

    // Personal data: a contact's email for a reader, not for anonymous.
    let initiative = app
        .query(r#"{ initiatives(filter: {country: ["NO"]}) { nodes { id } } }"#)
        .await["initiatives"]["nodes"][0]["id"]
        .as_str()
        .expect("an initiative")
        .to_owned();
    let (_, uuid) = kartla::service::id::decode(&async_graphql::ID(initiative.clone())).expect("an ID");
    insert_contact(&app.db, uuid).await;
    let contacts =
        format!(r#"{{ node(id: "{initiative}") {{ ... on Initiative {{ contacts {{ email phone }} }} }} }}"#);
    let (_, body) = as_token(&app, None, &contacts).await;
    assert_eq!(
        body["data"]["node"]["contacts"],
        json!([{ "email": null, "phone": null }])
    );
    let (_, body) = as_token(&app, Some(&reader), &contacts).await;
    assert_eq!(
        body["data"]["node"]["contacts"],
        json!([{ "email": "kari@example.no", "phone": "+47 22 00 00 00" }])
    );

    // Wrong credentials are refused, not treated as anonymous.
    for wrong in [
        "Basic dXNlcjpwdw==",
        "Bearer",
        "Bearer kartla_nope",
        "Bearer not-even-ours",
    ] {
        let (status, body) = as_token(&app, Some(wrong), viewer).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{wrong}");
    }
    let (code, _, _) = kartla(&url, &["revoke", "reader"]);
    assert_eq!(code, 0);
    let (status, _) = as_token(&app, Some(&reader), viewer).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked token signs nobody in");
    let (code, _, stderr) = kartla(&url, &["revoke", "nobody"]);
    assert_eq!((code, stderr.lines().count()), (1, 1), "{stderr}");
}
