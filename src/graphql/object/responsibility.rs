//! The roles organisations hold on initiatives and activities, or were proposed for, in the API.

use async_graphql::{Context, Object, ResultExt};

use super::activity::Activity;
use super::initiative::Initiative;
use super::organisation::Organisation;
use super::shared::plain::{Plain, PlainFields, value};
use crate::entity::enums::{DecisionState, Role};
use crate::entity::responsibility;
use crate::graphql::loader::{ActivityKey, InitiativeKey, Loader, OrganisationKey};
use crate::graphql::scalars::Date;

/// A role an organisation holds on an initiative or an activity, or was proposed for, with its decision.
pub struct Responsibility(pub responsibility::Model);

/// A role an organisation holds on an initiative or an activity, or was proposed for, with its decision.
#[Object]
impl Responsibility {
    /// Whether the viewer may decide on the role: an ADMIN, or the organisation's EDITOR.
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> bool {
        super::shared::editable::may_act_for(ctx, Some(self.0.organisation_id))
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
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
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Plain<Organisation>>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(self.0.organisation_id))
            .await
            .extend()?
            .map(|row| Plain(Organisation(row))))
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

impl PlainFields for Responsibility {
    fn plain(&self, field: &str) -> Option<async_graphql::Value> {
        let row = &self.0;
        Some(match field {
            "id" => async_graphql::Value::String(crate::service::id::encode(
                crate::service::id::NodeType::Responsibility,
                row.id,
            )),
            "version" => value(&row.version),
            "role" => value(&row.role),
            "decision" => value(&row.decision),
            "decidedOn" => value(&row.decided_on.map(Date)),
            _ => return None,
        })
    }
}
