//! API tokens: made by the command line, shown once, stored as a SHA-256 hash, revoked by name.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::entity::api_token;
use crate::entity::enums::AccessRole;
use crate::error::Error;

/// Every token starts with this, so a leaked one is easy to recognise in logs and by secret scanners.
pub const PREFIX: &str = "kartla_";

/// The hash stored for a token's secret (hex SHA-256).
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Makes a token. An EDITOR acts for exactly one organisation; the others act for none. Returns the record
/// and the secret, which is not stored anywhere and cannot be shown again.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    role: AccessRole,
    organisation: Option<Uuid>,
) -> Result<(api_token::Model, String), Error> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::BadInput("a token's name must have 1 to 100 characters".into()));
    }
    match (role, organisation) {
        (AccessRole::Editor, None) => {
            return Err(Error::BadInput(
                "an EDITOR token needs the organisation it acts for".into(),
            ));
        }
        (AccessRole::Admin | AccessRole::Reader, Some(_)) => {
            return Err(Error::BadInput("only an EDITOR token acts for an organisation".into()));
        }
        _ => {}
    }
    if api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name))
        .one(db)
        .await?
        .is_some()
    {
        return Err(Error::BadInput(format!("a token named {name:?} exists already")));
    }
    if let Some(id) = organisation
        && crate::entity::organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_none()
    {
        return Err(Error::NotFound(format!("no organisation has the ID {id}")));
    }
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    let secret = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(random));
    let model = api_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.to_owned()),
        role: Set(role),
        organisation_id: Set(organisation),
        token_hash: Set(hash(&secret)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((model, secret))
}

/// Every token, revoked ones too, by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<api_token::Model>, Error> {
    Ok(api_token::Entity::find()
        .order_by_asc(api_token::Column::Name)
        .all(db)
        .await?)
}

/// Revokes the token named `name`; revoking a revoked token changes nothing.
pub async fn revoke(db: &impl ConnectionTrait, name: &str) -> Result<api_token::Model, Error> {
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name.trim()))
        .one(db)
        .await?
    else {
        return Err(Error::NotFound(format!("no token is named {name:?}")));
    };
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut active: api_token::ActiveModel = token.into();
    active.revoked_at = Set(Some(Utc::now()));
    Ok(active.update(db).await?)
}

/// The live token whose secret this is, if any.
pub async fn authenticate(db: &impl ConnectionTrait, secret: &str) -> Result<Option<api_token::Model>, Error> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    Ok(api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash(secret)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?)
}
