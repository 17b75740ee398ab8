//! Who is asking, in the API: the `viewer` field, and the checks of `viewerCanUpdate`. The request's
//! identity itself is [`Viewer`], from the services' permission rules.

use async_graphql::{Context, Object, ResultExt};
use uuid::Uuid;

use super::loader::{Loader, OrganisationKey};
use super::organisation::Organisation;
use crate::entity::enums::AccessRole;
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

/// Whether the request's viewer is an ADMIN, or an EDITOR acting for `organisation`.
pub fn may_act_for(ctx: &async_graphql::Context<'_>, organisation: Option<Uuid>) -> bool {
    ctx.data_opt::<Viewer>()
        .is_some_and(|v| v.admin_or_editor_for(organisation))
}

/// `viewerCanUpdate` of the records only an ADMIN changes (organisations, themes, strategies, focus areas,
/// goals, action plans), flattened into their types.
pub struct AdminEditable;

/// `viewerCanUpdate` of the records only an ADMIN changes.
#[async_graphql::Object]
impl AdminEditable {
    /// Whether the viewer may change the record: ADMIN tokens only.
    async fn viewer_can_update(&self, ctx: &async_graphql::Context<'_>) -> bool {
        // No organisation: only an ADMIN acts for it.
        may_act_for(ctx, None)
    }
}
