//! Participations: the organisations taking part in an activity, in the API.

use async_graphql::{Context, ID, Object, ResultExt};

use super::activity::Activity;
use super::organisation::Organisation;
use crate::entity::enums::ParticipationStatus;
use crate::entity::participation;
use crate::graphql::loader::{ActivityKey, Loader, OrganisationKey};
use crate::graphql::scalars::Date;

/// An organisation's part in an activity: usually a school authority (a municipality or an independent
/// school organiser) that takes part.
pub struct Participation(pub participation::Model);

/// An organisation's part in an activity: usually a school authority (a municipality or an independent
/// school organiser) that takes part.
#[Object]
impl Participation {
    /// The participation's global ID.
    pub async fn id(&self) -> ID {
        ID(crate::service::id::encode(
            crate::service::id::NodeType::Participation,
            self.0.id,
        ))
    }

    /// The participation's version, raised by every change; give it as `expectedVersion` to change it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    /// Whether the viewer may change the participation: an ADMIN, or the organisation's EDITOR.
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> bool {
        super::shared::editable::may_act_for(ctx, Some(self.0.organisation_id))
    }

    /// The organisation taking part.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(self.0.organisation_id))
            .await
            .extend()?
            .map(Organisation))
    }

    /// The activity taken part in.
    async fn activity(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Activity>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(ActivityKey(self.0.activity_id))
            .await
            .extend()?
            .map(Activity))
    }

    /// How far the organisation's part has come.
    async fn status(&self) -> ParticipationStatus {
        self.0.status
    }

    /// The day the organisation started taking part.
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }

    /// The day the organisation stopped taking part.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
}
crate::connection!(
    ParticipationConnection,
    ParticipationEdge,
    Participation,
    "participations"
);
