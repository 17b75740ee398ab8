//! An issuer's signing keys: found through its discovery document (`jwks_uri`), kept in memory, and fetched
//! again when a token names a key not yet known (a rotation), at most once per refresh interval. A fetch
//! that fails leaves the keys already known in use, so an issuer that is down does not sign anyone out.
//! Only public keys are taken: symmetric (`oct`) keys and encryption keys are skipped.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;

/// The largest discovery document or key set read.
const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// One public key of an issuer.
pub struct Key {
    /// The key, ready to verify.
    pub decoding: DecodingKey,
    /// The algorithm the key is published for (`alg`), if the issuer says.
    pub algorithm: Option<Algorithm>,
    /// The family of algorithms the key can serve.
    pub family: Family,
}

/// The families of public-key signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// RS* and PS*.
    Rsa,
    /// ES*.
    EllipticCurve,
    /// EdDSA.
    Edwards,
}

impl Family {
    /// The family `algorithm` belongs to; `None` for the shared-secret HS*.
    pub fn of(algorithm: Algorithm) -> Option<Family> {
        use Algorithm::*;
        match algorithm {
            RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => Some(Family::Rsa),
            ES256 | ES384 => Some(Family::EllipticCurve),
            EdDSA => Some(Family::Edwards),
            HS256 | HS384 | HS512 => None,
        }
    }
}

/// Why no key could be had for a token.
pub enum Missing {
    /// The issuer does not publish a key of that `kid` (after a fetch, or too soon for another).
    UnknownKey,
    /// No key of the issuer is known and its keys cannot be fetched now.
    Unreachable,
}

/// The keys of one issuer.
pub struct IssuerKeys {
    issuer: String,
    client: reqwest::Client,
    allow_insecure: bool,
    refresh_interval: Duration,
    keys: RwLock<Arc<HashMap<String, Arc<Key>>>>,
    /// When the keys were last fetched (or tried); held while fetching, so one fetch runs at a time.
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

impl IssuerKeys {
    /// The keys of `issuer`, none known yet.
    pub fn new(issuer: &str, client: reqwest::Client, allow_insecure: bool, refresh_interval: Duration) -> Self {
        IssuerKeys {
            issuer: issuer.to_owned(),
            client,
            allow_insecure,
            refresh_interval,
            keys: RwLock::default(),
            last_fetch: tokio::sync::Mutex::new(None),
        }
    }

    /// The key `kid` names (a token without `kid` takes the issuer's only key), fetching the keys when it is
    /// not known and the last fetch is at least the refresh interval ago.
    pub async fn key(&self, kid: Option<&str>) -> Result<Arc<Key>, Missing> {
        if let Some(key) = self.known(kid) {
            return Ok(key);
        }
        let mut last_fetch = self.last_fetch.lock().await;
        // Another request may have fetched them while this one waited.
        if let Some(key) = self.known(kid) {
            return Ok(key);
        }
        if last_fetch.is_some_and(|at| at.elapsed() < self.refresh_interval) {
            return Err(self.missing());
        }
        *last_fetch = Some(Instant::now());
        match self.fetch().await {
            Ok(keys) => {
                tracing::info!(issuer = %self.issuer, keys = keys.len(), "fetched the issuer's signing keys");
                *self.keys.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(keys);
            }
            Err(why) => {
                tracing::warn!(issuer = %self.issuer, %why, "cannot fetch the issuer's signing keys; the known ones stay in use")
            }
        }
        self.known(kid).ok_or_else(|| self.missing())
    }

    fn known(&self, kid: Option<&str>) -> Option<Arc<Key>> {
        let keys = self
            .keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        match kid {
            Some(kid) => keys.get(kid).cloned(),
            None if keys.len() == 1 => keys.values().next().cloned(),
            None => None,
        }
    }

    fn missing(&self) -> Missing {
        if self
            .keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_empty()
        {
            Missing::Unreachable
        } else {
            Missing::UnknownKey
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, Arc<Key>>, String> {
        let discovery_url = format!("{}/.well-known/openid-configuration", self.issuer.trim_end_matches('/'));
        let discovery: Discovery = self.get_json(&discovery_url).await?;
        if discovery.issuer != self.issuer {
            return Err(format!(
                "the discovery document names the issuer {:?}, not {:?}",
                discovery.issuer, self.issuer
            ));
        }
        let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
        let mut keys = HashMap::new();
        for jwk in set.keys {
            if jwk
                .common
                .public_key_use
                .as_ref()
                .is_some_and(|u| *u != PublicKeyUse::Signature)
            {
                continue;
            }
            let family = match jwk.algorithm {
                AlgorithmParameters::RSA(_) => Family::Rsa,
                AlgorithmParameters::EllipticCurve(_) => Family::EllipticCurve,
                AlgorithmParameters::OctetKeyPair(_) => Family::Edwards,
                // A shared secret is never a key a token may be checked with.
                AlgorithmParameters::OctetKey(_) => continue,
            };
            let algorithm = jwk
                .common
                .key_algorithm
                .and_then(|a| serde_json::to_value(a).ok())
                .and_then(|v| v.as_str().and_then(|name| name.parse::<Algorithm>().ok()));
            let Ok(decoding) = DecodingKey::from_jwk(&jwk) else {
                continue;
            };
            let kid = jwk.common.key_id.clone().unwrap_or_default();
            keys.insert(
                kid,
                Arc::new(Key {
                    decoding,
                    algorithm,
                    family,
                }),
            );
        }
        Ok(keys)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
        if parsed.scheme() != "https" && !(self.allow_insecure && parsed.scheme() == "http") {
            return Err(format!("{url} is not https (see --oidc-allow-insecure-issuer)"));
        }
        let mut response = self
            .client
            .get(parsed)
            .send()
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("GET {url}: {}", response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| format!("GET {url}: {e}"))? {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(format!(
                    "GET {url}: the answer is larger than {MAX_DOCUMENT_BYTES} bytes"
                ));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|e| format!("GET {url}: not the JSON expected: {e}"))
    }
}
