//! What surrounds an initiative's work: the roles organisations hold on initiatives and activities, and
//! the dated follow-ups of an initiative.

use async_graphql::{Context, Object, ResultExt};

use super::activity::Activity;
use super::initiative::Initiative;
use super::loader::{ActivityKey, InitiativeKey, Loader, OrganisationKey};
use super::organisation::Organisation;
use super::scalars::{Date, LanguageTag};
use super::text::localized;
use crate::entity::enums::{DecisionState, Role, Status};
use crate::entity::{responsibility, status_update};
use crate::service::text::TextOwner;

/// A role an organisation holds on an initiative or an activity, or was proposed for, with its decision.
pub struct Responsibility(pub responsibility::Model);

/// A role an organisation holds on an initiative or an activity, or was proposed for, with its decision.
#[Object]
impl Responsibility {
    /// Whether the viewer may decide on the role: an ADMIN, or the organisation's EDITOR.
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> bool {
        super::viewer::may_act_for(ctx, Some(self.0.organisation_id))
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::history::Audited {
        super::history::Audited(self.0.id)
    }

    /// The responsibility's global ID.
    pub async fn id(&self) -> async_graphql::ID {
        async_graphql::ID(crate::service::id::encode(
            crate::service::id::NodeType::Responsibility,
            self.0.id,
        ))
    }

    /// Incremented on every change; pass it as `expectedVersion` when you change the responsibility.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The organisation holding the role.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(self.0.organisation_id))
            .await
            .extend()?
            .map(Organisation))
    }

    /// The initiative the role is held on, when it is held on an initiative.
    async fn initiative(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Initiative>> {
        let Some(initiative) = self.0.initiative_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(InitiativeKey(initiative))
            .await
            .extend()?
            .map(Initiative))
    }

    /// The activity the role is held on, when it is held on an activity.
    async fn activity(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Activity>> {
        let Some(activity) = self.0.activity_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(ActivityKey(activity)).await.extend()?.map(Activity))
    }

    /// The role.
    async fn role(&self) -> Role {
        self.0.role
    }

    /// Whether the organisation has accepted the role.
    async fn decision(&self) -> DecisionState {
        self.0.decision
    }

    /// The day the organisation accepted or declined, when known.
    async fn decided_on(&self) -> Option<Date> {
        self.0.decided_on.map(Date)
    }
}

/// A dated follow-up of an initiative: status, decision, actor and comment (skolDigiplan's follow-up
/// fields).
pub struct StatusUpdate(pub status_update::Model);

/// A dated follow-up of an initiative: status, decision, actor and comment (skolDigiplan's follow-up
/// fields).
#[Object]
impl StatusUpdate {
    /// The day of the follow-up, when known.
    async fn reported_on(&self) -> Option<Date> {
        self.0.reported_on.map(Date)
    }

    /// The status the follow-up recorded.
    async fn status(&self) -> Option<Status> {
        self.0.status
    }

    /// The organisation acting on the initiative.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(actor) = self.0.actor_id else { return Ok(None) };
        Ok(ctx
            .data::<Loader>()?
            .load_one(OrganisationKey(actor))
            .await
            .extend()?
            .map(Organisation))
    }

    /// The decision taken, in the requested language.
    async fn decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::StatusUpdate, self.0.id, "decision", lang).await
    }

    /// A comment, in the requested language.
    async fn comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::StatusUpdate, self.0.id, "comment", lang).await
    }
}
