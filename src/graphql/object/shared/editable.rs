//! `viewerCanUpdate`: whether the request's viewer may change a record.

use uuid::Uuid;

use crate::service::permission::Viewer;

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
