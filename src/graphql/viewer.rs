//! Who is asking: anonymous, or signed in with an API token. Personal data (a contact's email and phone)
//! is shown only to signed-in viewers.

use async_graphql::{Context, Object, ResultExt};
use uuid::Uuid;

use super::loader::{Loader, OrganisationKey};
use super::organisation::Organisation;
use crate::entity::enums::AccessRole;

/// The requester, as the HTTP layer established it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Viewer {
    /// No credentials: reads everything public.
    #[default]
    Anonymous,
    /// Signed in with an API token.
    Token {
        /// The token's name.
        name: String,
        /// What the token may do.
        role: AccessRole,
        /// The organisation an editor acts for.
        organisation: Option<Uuid>,
    },
}

impl Viewer {
    /// Whether the viewer may read personal data: every signed-in role may.
    pub fn reads_personal_data(&self) -> bool {
        matches!(self, Viewer::Token { .. })
    }
}

/// Who is asking, so a frontend knows what to show.
pub struct ViewerInfo(pub Viewer);

/// Who is asking, so a frontend knows what to show.
#[Object(name = "Viewer")]
impl ViewerInfo {
    /// Whether the request carries a valid API token.
    async fn signed_in(&self) -> bool {
        matches!(self.0, Viewer::Token { .. })
    }

    /// The token's name; null for anonymous requests.
    async fn name(&self) -> Option<&str> {
        match &self.0 {
            Viewer::Token { name, .. } => Some(name),
            Viewer::Anonymous => None,
        }
    }

    /// What the token may do; null for anonymous requests.
    async fn role(&self) -> Option<AccessRole> {
        match &self.0 {
            Viewer::Token { role, .. } => Some(*role),
            Viewer::Anonymous => None,
        }
    }

    /// The organisation an editor acts for.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Viewer::Token {
            organisation: Some(id), ..
        } = &self.0
        else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(OrganisationKey(*id)).await.extend()?.map(Organisation))
    }
}

impl Viewer {
    /// Whether the viewer is an ADMIN, or an EDITOR acting for `organisation`.
    pub fn admin_or_editor_for(&self, organisation: Option<Uuid>) -> bool {
        match self {
            Viewer::Token {
                role: AccessRole::Admin,
                ..
            } => true,
            Viewer::Token {
                role: AccessRole::Editor,
                organisation: acting_for,
                ..
            } => acting_for.is_some() && *acting_for == organisation,
            _ => false,
        }
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
