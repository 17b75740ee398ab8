//! Which OpenID Connect issuers' access tokens Kartla accepts, and how each one's claims map to Kartla's
//! identity: the organisation a token acts for and the role it has. One `--oidc-issuer` flag per issuer,
//! its URL followed by comma-separated settings, as in
//! `https://maskinporten.no/,audience=https://kartla.example.no,organisation-claim=consumer.ID,editor=scope:kartla:edit`
//! (see docs/authentication.md).

use std::time::Duration;

use uuid::Uuid;

use crate::entity::enums::IdentifierScheme;

/// The OpenID Connect settings of one instance.
#[derive(Clone, Debug)]
pub struct Oidc {
    /// The issuers whose access tokens are accepted; none by default.
    pub issuers: Vec<OidcIssuer>,
    /// Whether issuers may be `http://` (tests and closed networks only).
    pub allow_insecure_issuer: bool,
    /// How far `exp` and `nbf` may be off, for clocks that differ.
    pub clock_skew: Duration,
    /// The shortest time between two fetches of one issuer's keys when a token names a key not yet known.
    pub key_refresh_interval: Duration,
    /// How long one fetch of an issuer's discovery document or keys may take.
    pub fetch_timeout: Duration,
}

/// The default of [`Oidc::clock_skew`], in seconds.
pub const DEFAULT_CLOCK_SKEW_SECONDS: u64 = 30;

/// The default of [`Oidc::key_refresh_interval`], in seconds: at most one fetch a minute per issuer.
pub const DEFAULT_KEY_REFRESH_SECONDS: u64 = 60;

/// The default of [`Oidc::fetch_timeout`], in seconds.
pub const DEFAULT_FETCH_TIMEOUT_SECONDS: u64 = 10;

impl Default for Oidc {
    fn default() -> Self {
        Oidc {
            issuers: Vec::new(),
            allow_insecure_issuer: false,
            clock_skew: Duration::from_secs(DEFAULT_CLOCK_SKEW_SECONDS),
            key_refresh_interval: Duration::from_secs(DEFAULT_KEY_REFRESH_SECONDS),
            fetch_timeout: Duration::from_secs(DEFAULT_FETCH_TIMEOUT_SECONDS),
        }
    }
}

/// One issuer whose access tokens are accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcIssuer {
    /// The issuer identifier, exactly as tokens carry it in `iss` (its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    /// The audiences accepted in `aud`: Kartla's identifier at this issuer. At least one.
    pub audiences: Vec<String>,
    /// A scope every token must carry, if any.
    pub required_scope: Option<String>,
    /// How a token names the organisation it acts for.
    pub organisation: OrganisationRule,
    /// The claim value that makes a token an EDITOR for its organisation.
    pub editor: Option<ClaimValue>,
    /// The claim value that makes a token an ADMIN.
    pub admin: Option<ClaimValue>,
    /// What a token that maps to no organisation is.
    pub unmapped: Unmapped,
    /// The claim whose value names the signed-in party in `viewer.name` and the audit log; `sub` when it
    /// is missing.
    pub name_claim: String,
}

/// How a token names the organisation it acts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrganisationRule {
    /// It does not: every token of the issuer acts for no organisation (a reader or an admin).
    None,
    /// Every token of the issuer acts for this organisation (an issuer that is one organisation's own,
    /// such as a municipality's Entra ID tenant).
    Fixed(Uuid),
    /// A claim (a dotted path such as `consumer.ID`) holds an identifier of the organisation in `scheme`,
    /// matched against its identifiers that are valid today. For organisation numbers an ISO 6523 prefix
    /// is dropped: Maskinporten's `0192:` before nine digits (Norway), `0007:` before ten (Sweden).
    Claim {
        /// The claim's path.
        claim: String,
        /// The identifier scheme its value is in.
        scheme: IdentifierScheme,
    },
}

/// A value a claim must hold: the claim (a dotted path) is a string of space-separated values (like
/// `scope`) or an array of strings (like Entra ID's `roles`), and one of them must equal `value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimValue {
    /// The claim's path.
    pub claim: String,
    /// The value it must hold.
    pub value: String,
}

/// What a token that maps to no organisation (or an EDITOR's token whose organisation is unknown) is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unmapped {
    /// A READER: it reads, and sees personal data, but changes nothing.
    Reader,
    /// Refused with UNAUTHENTICATED.
    Refuse,
}

impl OidcIssuer {
    /// Parses one `--oidc-issuer` value: the issuer URL, then `key=value` settings separated by commas.
    /// Keys: `audience` (required, repeatable), `scope`, `organisation-claim` with `organisation-scheme`
    /// (default `ORGANISATION_NUMBER`), `organisation` (a Kartla organisation ID), `editor` and `admin`
    /// (`CLAIM:VALUE`), `unmapped` (`reader` or `refuse`), `name-claim`.
    pub fn parse(text: &str) -> Result<OidcIssuer, String> {
        let mut parts = text.split(',').map(str::trim);
        let issuer = parts.next().unwrap_or_default().to_owned();
        let parsed = url::Url::parse(&issuer).map_err(|e| format!("{issuer:?} is not an issuer URL: {e}"))?;
        if !matches!(parsed.scheme(), "https" | "http") || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!(
                "{issuer:?} is not an issuer URL: an issuer is https://host[/path], without query or fragment"
            ));
        }
        let mut settings = OidcIssuer {
            issuer,
            audiences: Vec::new(),
            required_scope: None,
            organisation: OrganisationRule::None,
            editor: None,
            admin: None,
            unmapped: Unmapped::Reader,
            name_claim: "sub".to_owned(),
        };
        let (mut claim, mut scheme) = (None, IdentifierScheme::OrganisationNumber);
        for part in parts.filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .filter(|(_, v)| !v.is_empty())
                .ok_or_else(|| format!("{part:?} is not a setting: write key=value"))?;
            match key {
                "audience" => settings.audiences.push(value.to_owned()),
                "scope" => settings.required_scope = Some(value.to_owned()),
                "organisation-claim" => claim = Some(value.to_owned()),
                "organisation-scheme" => scheme = parse_scheme(value)?,
                "organisation" => {
                    let uuid = crate::service::id::decode_as(value, crate::service::id::NodeType::Organisation)
                        .map_err(|_| format!("organisation={value}: not an Organisation ID"))?;
                    settings.organisation = OrganisationRule::Fixed(uuid);
                }
                "editor" => settings.editor = Some(ClaimValue::parse(key, value)?),
                "admin" => settings.admin = Some(ClaimValue::parse(key, value)?),
                "unmapped" => {
                    settings.unmapped = match value {
                        "reader" => Unmapped::Reader,
                        "refuse" => Unmapped::Refuse,
                        _ => return Err(format!("unmapped={value}: write unmapped=reader or unmapped=refuse")),
                    }
                }
                "name-claim" => settings.name_claim = value.to_owned(),
                _ => {
                    return Err(format!(
                        "{key:?} is not a setting of an issuer (audience, scope, organisation-claim, \
                         organisation-scheme, organisation, editor, admin, unmapped, name-claim)"
                    ));
                }
            }
        }
        if let Some(claim) = claim {
            if settings.organisation != OrganisationRule::None {
                return Err("give organisation-claim or organisation, not both".into());
            }
            settings.organisation = OrganisationRule::Claim { claim, scheme };
        }
        if settings.audiences.is_empty() {
            return Err(format!(
                "{}: give the audience Kartla has at this issuer (audience=...); tokens for any audience would be accepted otherwise",
                settings.issuer
            ));
        }
        Ok(settings)
    }
}

impl ClaimValue {
    fn parse(key: &str, text: &str) -> Result<ClaimValue, String> {
        match text.split_once(':') {
            Some((claim, value)) if !claim.is_empty() && !value.is_empty() => Ok(ClaimValue {
                claim: claim.to_owned(),
                value: value.to_owned(),
            }),
            _ => Err(format!(
                "{key}={text}: write {key}=CLAIM:VALUE, such as {key}=scope:kartla:{key}"
            )),
        }
    }
}

fn parse_scheme(text: &str) -> Result<IdentifierScheme, String> {
    use sea_orm::ActiveEnum;
    IdentifierScheme::try_from_value(&text.to_owned()).map_err(|_| {
        format!(
            "organisation-scheme={text}: not a scheme (ORGANISATION_NUMBER, SE_KOMMUNKOD, NO_KOMMUNENUMMER, OTHER, ...)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issuer_reads_its_settings() {
        let issuer = OidcIssuer::parse(
            "https://maskinporten.no/, audience=https://kartla.example.no,organisation-claim=consumer.ID,\
             editor=scope:kartla:edit,admin=scope:kartla:admin,unmapped=refuse,scope=kartla:read",
        )
        .expect("valid settings");
        assert_eq!(issuer.issuer, "https://maskinporten.no/");
        assert_eq!(issuer.audiences, ["https://kartla.example.no"]);
        assert_eq!(issuer.required_scope.as_deref(), Some("kartla:read"));
        assert_eq!(
            issuer.organisation,
            OrganisationRule::Claim {
                claim: "consumer.ID".into(),
                scheme: IdentifierScheme::OrganisationNumber
            }
        );
        assert_eq!(
            issuer.editor,
            Some(ClaimValue {
                claim: "scope".into(),
                value: "kartla:edit".into()
            })
        );
        assert_eq!(issuer.unmapped, Unmapped::Refuse);
    }

    #[test]
    fn bad_settings_are_refused_with_the_reason() {
        let refused = |text: &str| OidcIssuer::parse(text).expect_err(text);
        assert!(refused("https://idp.example").contains("audience"));
        assert!(refused("idp.example,audience=x").contains("not an issuer URL"));
        assert!(refused("https://idp.example?x=1,audience=x").contains("without query"));
        assert!(refused("https://idp.example,audience=x,colour=blue").contains("not a setting"));
        assert!(refused("https://idp.example,audience=x,editor=scope").contains("CLAIM:VALUE"));
        assert!(refused("https://idp.example,audience=x,unmapped=editor").contains("unmapped=reader"));
        assert!(refused("https://idp.example,audience=x,organisation-scheme=VAT").contains("not a scheme"));
        assert!(refused("https://idp.example,audience=x,organisation=42").contains("Organisation ID"));
    }
}
