//! Property tests over what comes in from outside: whatever string arrives as an ID, a cursor, a feed
//! position or a language tag, and whatever JSON arrives as a registry file, the answer is a value or a
//! clear error of the right kind, never a panic; and a GraphQL request made of arbitrary text is answered
//! with a client error, never a 500.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kartla::config::InitialSeed;
use kartla::error::Error;
use kartla::service::id::{self, NodeType};
use kartla::service::page::PageRequest;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestDb};

/// Arbitrary JSON, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{0,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_string_is_an_id_or_bad_id(text in ".{0,80}") {
        match id::decode(&text) {
            Ok((node_type, uuid)) => prop_assert_eq!(id::encode(node_type, uuid), text.trim_end_matches('=')),
            Err(error) => prop_assert!(matches!(error, Error::BadId(_)), "{error:?}"),
        }
    }

    #[test]
    fn ids_round_trip(n in 0..NodeType::ALL.len(), bits in any::<u128>()) {
        let (node_type, uuid) = (NodeType::ALL[n], uuid::Uuid::from_u128(bits));
        prop_assert_eq!(id::decode(&id::encode(node_type, uuid)).ok(), Some((node_type, uuid)));
        let other = NodeType::ALL[(n + 1) % NodeType::ALL.len()];
        let wrong = id::decode_as(&async_graphql::ID(id::encode(node_type, uuid)), other);
        prop_assert!(matches!(wrong, Err(Error::BadId(_))));
    }

    #[test]
    fn any_cursor_is_a_page_or_a_clear_error(after in ".{0,60}", first in any::<i32>()) {
        let request = PageRequest { first: Some(first), after: Some(after), last: None, before: None };
        match request.window() {
            Ok(_) => prop_assert!((0..=100).contains(&first)),
            Err(error) => prop_assert!(matches!(error, Error::BadCursor(_) | Error::PageSize(_)), "{error:?}"),
        }
    }

    #[test]
    fn any_feed_position_is_a_number_or_bad_cursor(text in ".{0,24}") {
        match kartla::service::change_feed::decode_cursor(&text) {
            Ok(position) => prop_assert!(position >= 0 && text.parse::<i64>().ok() == Some(position)),
            Err(error) => prop_assert!(matches!(error, Error::BadCursor(_)), "{error:?}"),
        }
    }

    #[test]
    fn any_language_tag_is_judged(text in ".{0,40}") {
        let _ = kartla::service::language::is_language_tag(&text);
    }

    #[test]
    fn any_json_as_a_registry_file_gets_problems_not_a_panic(file in any_json()) {
        let problems = kartla::service::registry_file::validate(&file);
        prop_assert!(!problems.is_empty(), "arbitrary JSON is not a registry file: {file}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arbitrary_requests_get_client_errors_never_500() {
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::None).await;
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(96));
    let bodies = prop_oneof![
        ".{0,200}".prop_map(|query| json!({ "query": query }).to_string()),
        any_json().prop_map(|value| json!({ "query": "query Q($x: ID!) { node(id: $x) { id } }",
                                           "variables": { "x": value } })
        .to_string()),
        any_json().prop_map(|value| value.to_string()),
        ".{0,100}",
    ];
    let mut cases = Vec::new();
    for _ in 0..96 {
        let tree = bodies.new_tree(&mut runner).expect("a case");
        cases.push(proptest::strategy::ValueTree::current(&tree));
    }
    for body in cases {
        let request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .expect("a request");
        let (status, answer) = app.send(request).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{status} for {body}: {answer}"
        );
    }
}
