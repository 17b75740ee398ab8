//! Who is asking, in the API: the `viewer` field. The request's identity itself is
//! [`Viewer`](crate::service::permission::Viewer), from the services' permission rules.

use async_graphql::{Context, Object, ResultExt};
use chrono::{DateTime, Utc};

use super::organisation::Organisation;
use crate::entity::enums::AccessRole;
use crate::graphql::loader::{Loader, OrganisationKey};
use crate::service::permission::{IssuedBy, Viewer};

/// Who is asking, so a frontend knows what to show.
pub struct ViewerInfo(pub Viewer);

impl ViewerInfo {
    fn issued_by(&self) -> Option<&IssuedBy> {
        self.0.actor().and_then(|actor| actor.issued_by.as_ref())
    }
}

/// Who is asking, so a frontend knows what to show.
#[Object(name = "Viewer")]
impl ViewerInfo {
    /// Whether the request carries a valid API token or OpenID Connect access token.
    async fn signed_in(&self) -> bool {
        self.0.actor().is_some()
    }

    /// The API token's name, or the name claim (else the subject) of an OpenID Connect access token; null
    /// for anonymous requests.
    async fn name(&self) -> Option<&str> {
        self.0.actor().map(|actor| actor.token_name.as_str())
    }

    /// What the token may do; null for anonymous requests.
    async fn role(&self) -> Option<AccessRole> {
        self.0.actor().map(|actor| actor.role)
    }

    /// The issuer of the OpenID Connect access token the request signed in with; null for Kartla's own
    /// tokens and for anonymous requests.
    async fn issuer(&self) -> Option<&str> {
        self.issued_by().map(|by| by.issuer.as_str())
    }

    /// The subject (`sub`) of that access token: a person or a client at its issuer.
    async fn subject(&self) -> Option<&str> {
        self.issued_by().map(|by| by.subject.as_str())
    }

    /// When that access token expires; a WebSocket signed in with it is closed (4403) then.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.issued_by().map(|by| by.expires_at)
    }

    /// The organisation the token acts for: an editor's, or the one an access token's claims name.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.actor().and_then(|actor| actor.organisation) else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(OrganisationKey(id)).await.extend()?.map(Organisation))
    }
}
