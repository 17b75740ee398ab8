//! Who is asking, in the API: the `viewer` field. The request's identity itself is
//! [`Viewer`](crate::service::permission::Viewer), from the services' permission rules.

use async_graphql::{Context, Object, ResultExt};

use super::organisation::Organisation;
use crate::entity::enums::AccessRole;
use crate::graphql::loader::{Loader, OrganisationKey};
use crate::service::permission::Viewer;

/// Who is asking, so a frontend knows what to show.
pub struct ViewerInfo(pub Viewer);

/// Who is asking, so a frontend knows what to show.
#[Object(name = "Viewer")]
impl ViewerInfo {
    /// Whether the request carries a valid API token.
    async fn signed_in(&self) -> bool {
        self.0.actor().is_some()
    }

    /// The token's name; null for anonymous requests.
    async fn name(&self) -> Option<&str> {
        self.0.actor().map(|actor| actor.token_name.as_str())
    }

    /// What the token may do; null for anonymous requests.
    async fn role(&self) -> Option<AccessRole> {
        self.0.actor().map(|actor| actor.role)
    }

    /// The organisation an editor acts for.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.actor().and_then(|actor| actor.organisation) else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(OrganisationKey(id)).await.extend()?.map(Organisation))
    }
}
