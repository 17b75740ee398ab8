//! From a verified token's claims to Kartla's identity, by its issuer's settings: the organisation the
//! token acts for (a fixed one, or an identifier in a claim matched against the organisations' identifiers
//! valid today), and its role (ADMIN or EDITOR when a configured claim holds the configured value, READER
//! otherwise). A token whose organisation is not found is a READER or is refused, as configured: never an
//! EDITOR.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::Value;

use super::Refused;
use crate::config::oidc::{ClaimValue, OidcIssuer, OrganisationRule, Unmapped};
use crate::entity::enums::{AccessRole, IdentifierScheme};
use crate::service::permission::{Actor, IssuedBy};

/// The actor of a verified token's `claims`.
pub async fn actor(db: &DatabaseConnection, settings: &OidcIssuer, claims: &Value) -> Result<Actor, Refused> {
    let subject = claim(claims, "sub")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or("the token has no sub claim")?
        .to_owned();
    let expires_at = claims
        .get("exp")
        .and_then(Value::as_i64)
        .and_then(|seconds| DateTime::<Utc>::from_timestamp(seconds, 0))
        .ok_or("the token has no exp claim")?;
    let role = if matches(claims, settings.admin.as_ref()) {
        AccessRole::Admin
    } else if matches(claims, settings.editor.as_ref()) {
        AccessRole::Editor
    } else {
        AccessRole::Reader
    };
    let organisation = match organisation(db, settings, claims).await? {
        Ok(organisation) => Some(organisation),
        // An ADMIN acts for no organisation, so it needs none.
        Err(_) if role == AccessRole::Admin => None,
        Err(why) => match settings.unmapped {
            Unmapped::Reader => return Ok(signed(settings, subject, expires_at, claims, AccessRole::Reader, None)),
            Unmapped::Refuse => return Err(format!("the token maps to no organisation: {why}").into()),
        },
    };
    Ok(signed(settings, subject, expires_at, claims, role, organisation))
}

/// The organisation the token acts for, or why it has none.
async fn organisation(
    db: &DatabaseConnection,
    settings: &OidcIssuer,
    claims: &Value,
) -> Result<Result<uuid::Uuid, String>, Refused> {
    let (path, scheme) = match &settings.organisation {
        OrganisationRule::None => return Ok(Err("its issuer names no organisation".into())),
        OrganisationRule::Fixed(id) => return Ok(Ok(*id)),
        OrganisationRule::Claim { claim, scheme } => (claim, *scheme),
    };
    let Some(value) = claim(claims, path).and_then(Value::as_str) else {
        return Ok(Err(format!("the token has no {path} claim")));
    };
    let identifier = identifier_value(scheme, value);
    let today = Utc::now().date_naive();
    match crate::service::organisation::by_identifier(db, scheme, identifier, today).await {
        Ok(Some(id)) => Ok(Ok(id)),
        Ok(None) => Ok(Err(format!(
            "no organisation has the identifier {identifier:?} ({path}) today"
        ))),
        Err(error) => {
            tracing::error!(%error, "cannot read the organisations' identifiers");
            Err(Refused::Unavailable)
        }
    }
}

fn signed(
    settings: &OidcIssuer,
    subject: String,
    expires_at: DateTime<Utc>,
    claims: &Value,
    role: AccessRole,
    organisation: Option<uuid::Uuid>,
) -> Actor {
    let name = claim(claims, &settings.name_claim)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(&subject)
        .chars()
        .take(200)
        .collect();
    Actor {
        token_name: name,
        role,
        organisation,
        issued_by: Some(IssuedBy {
            issuer: settings.issuer.clone(),
            subject,
            expires_at,
        }),
    }
}

/// The claim at a dotted `path` (`consumer.ID`), or a claim whose own name holds dots (Feide's
/// `https://n.feide.no/claims/...`).
fn claim<'a>(claims: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(value) = claims.get(path) {
        return Some(value);
    }
    path.split('.').try_fold(claims, |value, step| value.get(step))
}

/// Whether the claim at `path` holds `value`: one of its space-separated words, or one of its strings.
pub fn holds(claims: &Value, path: &str, value: &str) -> bool {
    match claim(claims, path) {
        Some(Value::String(words)) => words.split_whitespace().any(|w| w == value),
        Some(Value::Array(items)) => items.iter().any(|item| item.as_str() == Some(value)),
        _ => false,
    }
}

fn matches(claims: &Value, rule: Option<&ClaimValue>) -> bool {
    rule.is_some_and(|rule| holds(claims, &rule.claim, &rule.value))
}

/// The identifier itself in a claim's value: an organisation number without its ISO 6523 prefix
/// (`0192:` before nine digits in Norway, `0007:` before ten in Sweden, as Maskinporten writes them).
fn identifier_value(scheme: IdentifierScheme, value: &str) -> &str {
    if scheme != IdentifierScheme::OrganisationNumber {
        return value;
    }
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match value.split_once(':') {
        Some(("0192", number)) if digits(number, 9) => number,
        Some(("0007", number)) if digits(number, 10) => number,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_number_loses_its_iso_6523_prefix() {
        let number = |v| identifier_value(IdentifierScheme::OrganisationNumber, v);
        assert_eq!(number("0192:991825827"), "991825827");
        assert_eq!(number("0007:2021005489"), "2021005489");
        assert_eq!(number("0192:12345"), "0192:12345");
        assert_eq!(
            identifier_value(IdentifierScheme::Other, "0192:991825827"),
            "0192:991825827"
        );
    }

    #[test]
    fn a_claim_holds_a_value_as_a_word_or_an_item() {
        let claims = serde_json::json!({
            "scope": "kartla:read kartla:edit",
            "roles": ["Kartla.Admin"],
            "consumer": { "ID": "0192:991825827" },
            "https://n.feide.no/claims/org": "x",
        });
        assert!(holds(&claims, "scope", "kartla:edit"));
        assert!(!holds(&claims, "scope", "kartla"));
        assert!(holds(&claims, "roles", "Kartla.Admin"));
        assert_eq!(
            claim(&claims, "consumer.ID").and_then(Value::as_str),
            Some("0192:991825827")
        );
        assert!(claim(&claims, "https://n.feide.no/claims/org").is_some());
    }
}
