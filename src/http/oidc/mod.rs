//! OpenID Connect access tokens: a JWT from a configured issuer signs a request in beside Kartla's own
//! tokens. A token is checked in this order, and the first failure is what the client is told: it is a
//! JWT; its algorithm is a public-key one (`none` and the shared-secret HS* are refused); its `iss` is a
//! configured issuer; its `kid` names a key the issuer publishes; the signature verifies; `exp` and `nbf`
//! hold (within the clock skew); `aud` is one configured; the required scope is granted. Then its claims
//! map to an organisation and a role ([`identity`]).

mod identity;
mod keys;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use sea_orm::DatabaseConnection;
use serde_json::Value;

use crate::config::{Oidc, OidcIssuer};
use crate::service::permission::Actor;
use keys::{Family, IssuerKeys, Missing};

/// Why a token was refused.
pub enum Refused {
    /// The token is not valid, for this reason.
    Invalid(Cow<'static, str>),
    /// The token cannot be checked now (its issuer's keys cannot be fetched, or the database is down).
    Unavailable,
}

impl From<&'static str> for Refused {
    fn from(reason: &'static str) -> Self {
        Refused::Invalid(Cow::Borrowed(reason))
    }
}

impl From<String> for Refused {
    fn from(reason: String) -> Self {
        Refused::Invalid(Cow::Owned(reason))
    }
}

/// The configured issuers and their keys. Cheap to clone.
#[derive(Clone)]
pub struct Issuers(Arc<Inner>);

struct Inner {
    by_issuer: HashMap<String, (OidcIssuer, IssuerKeys)>,
    clock_skew: u64,
    db: DatabaseConnection,
}

impl Issuers {
    /// Whether `settings` can be used: every issuer https (unless insecure issuers are allowed), none twice.
    pub fn check(settings: &Oidc) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for issuer in &settings.issuers {
            if !issuer.issuer.starts_with("https://") && !settings.allow_insecure_issuer {
                return Err(format!(
                    "--oidc-issuer {}: an issuer must be https:// (--oidc-allow-insecure-issuer is for tests)",
                    issuer.issuer
                ));
            }
            if !seen.insert(&issuer.issuer) {
                return Err(format!("--oidc-issuer {} is given twice", issuer.issuer));
            }
        }
        Ok(())
    }

    /// The issuers of `settings` (see [`Issuers::check`]: an issuer given twice counts once).
    pub fn new(settings: &Oidc, db: DatabaseConnection) -> Self {
        let client = reqwest::Client::builder()
            .timeout(settings.fetch_timeout)
            .https_only(!settings.allow_insecure_issuer)
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .unwrap_or_else(|error| {
                tracing::error!(%error, "cannot make the HTTP client for the issuers' keys; using the default one");
                reqwest::Client::new()
            });
        let by_issuer = settings
            .issuers
            .iter()
            .map(|issuer| {
                let keys = IssuerKeys::new(
                    &issuer.issuer,
                    client.clone(),
                    settings.allow_insecure_issuer,
                    settings.key_refresh_interval,
                );
                (issuer.issuer.clone(), (issuer.clone(), keys))
            })
            .collect();
        Issuers(Arc::new(Inner {
            by_issuer,
            clock_skew: settings.clock_skew.as_secs(),
            db,
        }))
    }

    /// Whether any issuer is configured.
    pub fn any(&self) -> bool {
        !self.0.by_issuer.is_empty()
    }

    /// The actor a JWT access token signs in, or why it is refused.
    pub async fn actor(&self, token: &str) -> Result<Actor, Refused> {
        let (header, payload) = unverified_parts(token)?;
        let algorithm = accepted_algorithm(&header)?;
        let issuer = payload
            .get("iss")
            .and_then(Value::as_str)
            .ok_or("the token names no issuer (iss)")?;
        let Some((settings, keys)) = self.0.by_issuer.get(issuer) else {
            return Err(format!("the token's issuer {issuer:?} is not one this Kartla accepts").into());
        };
        let kid = header.get("kid").and_then(Value::as_str);
        let key = keys.key(kid).await.map_err(|missing| match missing {
            Missing::Unreachable => Refused::Unavailable,
            Missing::UnknownKey => Refused::from(format!(
                "the token is signed with a key ({}) that its issuer does not publish",
                kid.map_or("no kid".to_owned(), |k| format!("kid {k:?}"))
            )),
        })?;
        if Family::of(algorithm) != Some(key.family) || key.algorithm.is_some_and(|a| a != algorithm) {
            return Err(format!("the token's algorithm {algorithm:?} is not the one of the key it names").into());
        }
        let mut validation = Validation::new(algorithm);
        validation.leeway = self.0.clock_skew;
        validation.validate_nbf = true;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&settings.audiences);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Value>(token, &key.decoding, &validation)
            .map_err(|error| refusal(error.kind(), &payload, settings))?
            .claims;
        // A token is refused from the second of its `exp` on (RFC 7519), not one second later.
        let now = Utc::now().timestamp();
        if claims
            .get("exp")
            .and_then(Value::as_i64)
            .is_some_and(|exp| exp.saturating_add(self.0.clock_skew as i64) <= now)
        {
            return Err(refusal(&ErrorKind::ExpiredSignature, &claims, settings));
        }
        if let Some(scope) = &settings.required_scope
            && !identity::holds(&claims, "scope", scope)
        {
            return Err(format!("the token lacks the scope {scope:?}").into());
        }
        identity::actor(&self.0.db, settings, &claims).await
    }
}

/// Whether `token` has the shape of a JWT (three base64url parts, the first a JSON object), so it is
/// checked as an OpenID Connect token rather than looked up as one of Kartla's.
pub fn looks_like_jwt(token: &str) -> bool {
    token.starts_with("eyJ") && token.split('.').count() == 3
}

/// The header and the claims of a JWT, read before anything is verified (to find its issuer and key).
fn unverified_parts(token: &str) -> Result<(Value, Value), Refused> {
    let mut parts = token.split('.');
    let json = |part: Option<&str>| {
        let bytes = URL_SAFE_NO_PAD.decode(part.unwrap_or_default()).ok()?;
        serde_json::from_slice::<Value>(&bytes).ok().filter(Value::is_object)
    };
    let header = json(parts.next()).ok_or("the token is not a JWT: its header is not base64url JSON")?;
    let payload = json(parts.next()).ok_or("the token is not a JWT: its claims are not base64url JSON")?;
    Ok((header, payload))
}

/// The token's algorithm, if it is a public-key one.
fn accepted_algorithm(header: &Value) -> Result<Algorithm, Refused> {
    let name = header.get("alg").and_then(Value::as_str).unwrap_or("none");
    match name.parse::<Algorithm>() {
        Ok(algorithm) if Family::of(algorithm).is_some() => Ok(algorithm),
        Ok(_) => Err(format!(
            "the token is signed with a shared secret ({name}); Kartla accepts only public-key signatures \
             (RS256, PS256, ES256, EdDSA and their kin)"
        )
        .into()),
        Err(_) if name.eq_ignore_ascii_case("none") => {
            Err("the token is not signed (alg none); Kartla accepts only signed tokens".into())
        }
        Err(_) => Err(format!("the token's algorithm {name:?} is not one Kartla accepts").into()),
    }
}

/// What a client is told when the JWT library refuses its token.
fn refusal(kind: &ErrorKind, claims: &Value, settings: &OidcIssuer) -> Refused {
    let at = |claim: &str| {
        claims
            .get(claim)
            .and_then(Value::as_i64)
            .and_then(|seconds| DateTime::<Utc>::from_timestamp(seconds, 0))
            .map_or_else(|| "an unreadable time".to_owned(), |t| t.to_rfc3339())
    };
    match kind {
        ErrorKind::ExpiredSignature => format!("the token expired at {}", at("exp")).into(),
        ErrorKind::ImmatureSignature => format!("the token is not valid before {}", at("nbf")).into(),
        ErrorKind::InvalidAudience => format!(
            "the token's audience {} is not this Kartla's at its issuer ({})",
            claims.get("aud").map_or("(none)".to_owned(), Value::to_string),
            settings.audiences.join(", ")
        )
        .into(),
        ErrorKind::InvalidSignature => "the token's signature does not verify with its issuer's key".into(),
        ErrorKind::MissingRequiredClaim(claim) => format!("the token has no {claim} claim").into(),
        ErrorKind::InvalidAlgorithm => "the token's algorithm is not the one of the key it names".into(),
        other => format!("the token is not valid: {other:?}").into(),
    }
}
