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
