//! Persisted documents: a request may name its document by hash instead of sending it.
//!
//! - **Automatic persisted queries** (Apollo's protocol): a client sends
//!   `extensions: {persistedQuery: {version: 1, sha256Hash}}` without `query`; an unknown hash is answered
//!   with `PERSISTED_QUERY_NOT_FOUND` (message `PersistedQueryNotFound`), and the client sends the document
//!   once with its hash, which is checked and remembered. Each instance remembers the most recently used
//!   documents in a bounded cache; a client that meets an instance that forgot simply registers again.
//! - **Trusted documents only** (`--trusted-documents FILE`): only the documents in the file run, named by
//!   hash or sent in full; anything else is refused with `UNTRUSTED_DOCUMENT`, and nothing is learnt from
//!   requests.
//!
//! The document is resolved to its text before anything else reads the request, so the limits, the
//! operation's name and type (GET runs no mutation) and the field order apply to it as to any other.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};

use async_graphql::{Request, ServerError};
use serde::Deserialize;

use crate::error::coded as refusal;
use crate::service::token::hash as sha256_hex;

pub use crate::config::{DEFAULT_CACHE_ENTRIES, TrustedDocuments};

impl TrustedDocuments {
    /// Reads a manifest: either a JSON object from hash to document (as GraphQL Code Generator's
    /// `persisted-documents.json`), or Apollo's persisted query manifest
    /// (`{"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}]}`). Every hash must
    /// be the SHA-256 of its document; a `sha256:` prefix is allowed.
    pub fn read(path: &Path) -> Result<TrustedDocuments, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// [`TrustedDocuments::read`] on the file's text.
    pub fn parse(text: &str) -> Result<TrustedDocuments, String> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Manifest {
            Apollo {
                format: String,
                operations: Vec<ApolloOperation>,
            },
            Map(HashMap<String, String>),
        }
        #[derive(Deserialize)]
        struct ApolloOperation {
            id: String,
            body: String,
        }
        let manifest: Manifest = serde_json::from_str(text).map_err(|_| {
            "not a manifest: expected a JSON object from SHA-256 hash to document, or an Apollo persisted \
             query manifest"
                .to_owned()
        })?;
        let pairs = match manifest {
            Manifest::Apollo { format, operations } if format == "apollo-persisted-query-manifest" => {
                operations.into_iter().map(|o| (o.id, o.body)).collect()
            }
            Manifest::Apollo { format, .. } => return Err(format!("unknown manifest format {format:?}")),
            Manifest::Map(map) => map.into_iter().collect::<Vec<_>>(),
        };
        let mut documents = HashMap::new();
        for (id, body) in pairs {
            let hash = id.strip_prefix("sha256:").unwrap_or(&id).to_ascii_lowercase();
            let actual = sha256_hex(&body);
            if hash != actual {
                return Err(format!("the document listed as {id} has the SHA-256 hash {actual}"));
            }
            documents.insert(hash, Arc::from(body));
        }
        Ok(TrustedDocuments(documents))
    }

    /// How many documents the manifest holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the manifest holds no document.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// How requests may name their documents on this instance.
pub struct PersistedDocuments {
    mode: Mode,
    /// The largest document the limits accept: a larger one is not remembered.
    max_bytes: usize,
}

enum Mode {
    /// Automatic persisted queries, with a cache of the documents registered lately.
    Automatic(Mutex<lru::LruCache<String, Arc<str>>>),
    /// Only the trusted documents run.
    Trusted(TrustedDocuments),
}

/// The `persistedQuery` request extension.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersistedQuery {
    version: i64,
    sha256_hash: String,
}

impl PersistedDocuments {
    /// Automatic persisted queries remembering up to `entries` documents (at least 1) of at most
    /// `max_bytes` each (larger ones run, or rather meet the limits, but are not remembered).
    pub fn automatic(entries: usize, max_bytes: usize) -> Self {
        let entries = NonZeroUsize::new(entries).unwrap_or(NonZeroUsize::MIN);
        PersistedDocuments {
            mode: Mode::Automatic(Mutex::new(lru::LruCache::new(entries))),
            max_bytes,
        }
    }

    /// Only `trusted` documents run.
    pub fn trusted(trusted: TrustedDocuments) -> Self {
        PersistedDocuments {
            mode: Mode::Trusted(trusted),
            max_bytes: 0,
        }
    }

    /// Fills in the request's document from its hash, registers a document sent with its hash, and in
    /// trusted mode refuses any document not in the manifest.
    pub fn resolve(&self, request: &mut Request) -> Result<(), ServerError> {
        let persisted = match request.extensions.remove("persistedQuery") {
            None => None,
            Some(value) => {
                let json = value
                    .into_json()
                    .map_err(|_| invalid("the persistedQuery extension is not JSON"))?;
                let persisted: PersistedQuery = serde_json::from_value(json).map_err(|_| {
                    invalid("the persistedQuery extension must be {\"version\": 1, \"sha256Hash\": \"<hex>\"}")
                })?;
                if persisted.version != 1 {
                    return Err(invalid(&format!(
                        "persisted query version {} is not supported; send version 1",
                        persisted.version
                    )));
                }
                Some(persisted.sha256_hash.to_ascii_lowercase())
            }
        };
        let sent = !request.query.is_empty();
        if let (Some(hash), true) = (&persisted, sent)
            && *hash != sha256_hex(&request.query)
        {
            return Err(refusal(
                "PERSISTED_QUERY_HASH_MISMATCH",
                "the sha256Hash is not the SHA-256 of the query sent with it".to_owned(),
            ));
        }
        match &self.mode {
            Mode::Automatic(cache) => {
                // Most requests name no hash: they take no lock.
                let Some(hash) = persisted else { return Ok(()) };
                let mut cache = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if !sent {
                    let document = cache.get(&hash).ok_or_else(not_found)?;
                    request.query = document.to_string();
                } else if request.query.len() <= self.max_bytes {
                    cache.put(hash, Arc::from(request.query.as_str()));
                }
            }
            Mode::Trusted(trusted) => {
                let hash = match persisted {
                    Some(hash) => hash,
                    None if sent => sha256_hex(&request.query),
                    None => return Ok(()),
                };
                match trusted.0.get(&hash) {
                    Some(document) => request.query = document.to_string(),
                    None if sent => {
                        return Err(refusal(
                            "UNTRUSTED_DOCUMENT",
                            "this server runs only its registered documents, and this is not one of them".to_owned(),
                        ));
                    }
                    None => return Err(not_found()),
                }
            }
        }
        Ok(())
    }
}

fn not_found() -> ServerError {
    // Apollo's clients recognise the message as well as the code: they send the document next.
    refusal("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound".to_owned())
}

fn invalid(message: &str) -> ServerError {
    refusal("PERSISTED_QUERY_INVALID", message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCUMENT: &str = "{ viewer { role } }";

    fn with_hash(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        let extension = serde_json::json!({ "version": 1, "sha256Hash": hash });
        request.extensions.insert(
            "persistedQuery".to_owned(),
            async_graphql::Value::from_json(extension).unwrap_or_default(),
        );
        request
    }

    fn code(error: &ServerError) -> String {
        crate::error::code_of(error).unwrap_or_default().to_owned()
    }

    #[test]
    fn automatic_registers_then_serves_by_hash() {
        let documents = PersistedDocuments::automatic(2, 1000);
        let hash = sha256_hex(DOCUMENT);
        let error = documents.resolve(&mut with_hash("", &hash)).unwrap_err();
        assert_eq!(code(&error), "PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(error.message, "PersistedQueryNotFound");
        documents.resolve(&mut with_hash(DOCUMENT, &hash)).unwrap();
        let mut request = with_hash("", &hash.to_ascii_uppercase());
        documents.resolve(&mut request).unwrap();
        assert_eq!(request.query, DOCUMENT);
        assert!(!request.extensions.contains_key("persistedQuery"));
        let error = documents.resolve(&mut with_hash("{ x }", &hash)).unwrap_err();
        assert_eq!(code(&error), "PERSISTED_QUERY_HASH_MISMATCH");
    }

    #[test]
    fn automatic_forgets_the_least_recent_and_skips_oversized_documents() {
        let documents = PersistedDocuments::automatic(1, 1000);
        let other = "{ __typename }";
        documents
            .resolve(&mut with_hash(DOCUMENT, &sha256_hex(DOCUMENT)))
            .unwrap();
        documents.resolve(&mut with_hash(other, &sha256_hex(other))).unwrap();
        let missing = documents.resolve(&mut with_hash("", &sha256_hex(DOCUMENT)));
        assert_eq!(
            missing.map_err(|e| code(&e)),
            Err("PERSISTED_QUERY_NOT_FOUND".to_owned())
        );
        let documents = PersistedDocuments::automatic(5, 5);
        documents
            .resolve(&mut with_hash(DOCUMENT, &sha256_hex(DOCUMENT)))
            .unwrap();
        let missing = documents.resolve(&mut with_hash("", &sha256_hex(DOCUMENT)));
        assert!(missing.is_err(), "a document over the size limit is not remembered");
    }

    #[test]
    fn bad_extensions_are_refused() {
        let documents = PersistedDocuments::automatic(2, 1000);
        let mut request = Request::new(DOCUMENT);
        request
            .extensions
            .insert("persistedQuery".to_owned(), async_graphql::Value::from("yes"));
        assert_eq!(
            code(&documents.resolve(&mut request).unwrap_err()),
            "PERSISTED_QUERY_INVALID"
        );
        let mut request = with_hash(DOCUMENT, &sha256_hex(DOCUMENT));
        let extension = serde_json::json!({ "version": 2, "sha256Hash": sha256_hex(DOCUMENT) });
        request.extensions.insert(
            "persistedQuery".to_owned(),
            async_graphql::Value::from_json(extension).unwrap_or_default(),
        );
        let error = documents.resolve(&mut request).unwrap_err();
        assert!(error.message.contains("version 2"), "{}", error.message);
    }

    #[test]
    fn trusted_runs_only_listed_documents() {
        let manifest = format!(r#"{{"sha256:{}": "{DOCUMENT}"}}"#, sha256_hex(DOCUMENT));
        let documents = PersistedDocuments::trusted(TrustedDocuments::parse(&manifest).unwrap());
        let mut request = with_hash("", &sha256_hex(DOCUMENT));
        documents.resolve(&mut request).unwrap();
        assert_eq!(request.query, DOCUMENT);
        documents.resolve(&mut Request::new(DOCUMENT)).unwrap();
        let error = documents.resolve(&mut Request::new("{ __typename }")).unwrap_err();
        assert_eq!(code(&error), "UNTRUSTED_DOCUMENT");
        let other = "{ __typename }";
        let error = documents
            .resolve(&mut with_hash(other, &sha256_hex(other)))
            .unwrap_err();
        assert_eq!(code(&error), "UNTRUSTED_DOCUMENT", "nothing is learnt in trusted mode");
    }

    #[test]
    fn manifests_are_checked() {
        let apollo = format!(
            r#"{{"format": "apollo-persisted-query-manifest", "version": 1,
                "operations": [{{"id": "{}", "name": "Me", "type": "query", "body": "{DOCUMENT}"}}]}}"#,
            sha256_hex(DOCUMENT)
        );
        assert_eq!(TrustedDocuments::parse(&apollo).unwrap().len(), 1);
        let wrong = format!(r#"{{"{}": "{{ __typename }}"}}"#, sha256_hex(DOCUMENT));
        assert!(
            TrustedDocuments::parse(&wrong)
                .unwrap_err()
                .contains("has the SHA-256 hash")
        );
        assert!(
            TrustedDocuments::parse("[1, 2]")
                .unwrap_err()
                .contains("not a manifest")
        );
        let other = r#"{"format": "relay", "operations": []}"#;
        assert!(
            TrustedDocuments::parse(other)
                .unwrap_err()
                .contains("unknown manifest format")
        );
    }
}
