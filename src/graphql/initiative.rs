//! Initiatives, the responsibilities organisations hold on them, and their status updates, in the API.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};

use super::action_plan::ActionPlan;
use super::bookkeeping::Bookkeeping;
use super::loader::{
    ActionPlanKey, GoalsOfInitiative, Loader, OrganisationKey, ResponsibilitiesOfInitiative, SchoolLevelsOf,
    StatusUpdatesOf, ThemesOfInitiative,
};
use super::organisation::Organisation;
use super::scalars::{CountryCode, Date, LanguageTag};
use super::strategy::Goal;
use super::text::{TitleAndDescription, localized};
use super::theme::Theme;
use crate::entity::enums::{DecisionState, Role, SchoolLevel, Status};
use crate::entity::{initiative, responsibility, status_update};
use crate::error::Error;
use crate::service::id::{self, NodeType};
use crate::service::initiative::InitiativeFilter as Filter;
use crate::service::text::TextOwner;

/// An initiative: a measure in an action plan (skolDigiplan's 18 initiatives) or run on its own.
pub struct Initiative(pub initiative::Model);

/// An initiative: a measure in an action plan (skolDigiplan's 18 initiatives) or run on its own.
#[Object]
impl Initiative {
    /// The initiative's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Initiative, self.0.id))
    }

    /// The initiative's number in its action plan (skolDigiplan numbers them 1 to 18).
    async fn number(&self) -> Option<i32> {
        self.0.number
    }

    /// The country the initiative belongs to.
    async fn country(&self) -> CountryCode {
        CountryCode(self.0.country.clone())
    }

    /// Where the initiative stands.
    async fn status(&self) -> Status {
        self.0.status
    }

    /// The IATI ActivityStatus code the status maps to (1 pipeline, 2 implementation, 4 closed, 5
    /// cancelled, 6 suspended).
    async fn iati_status_code(&self) -> i32 {
        self.0.status.iati_code()
    }

    /// The planned first day.
    async fn planned_start(&self) -> Option<Date> {
        self.0.planned_start.map(Date)
    }

    /// The planned last day.
    async fn planned_end(&self) -> Option<Date> {
        self.0.planned_end.map(Date)
    }

    /// The day the work actually started.
    async fn actual_start(&self) -> Option<Date> {
        self.0.actual_start.map(Date)
    }

    /// The day the work actually ended.
    async fn actual_end(&self) -> Option<Date> {
        self.0.actual_end.map(Date)
    }

    /// The action plan the initiative belongs to, if any.
    async fn action_plan(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ActionPlan>> {
        let Some(plan) = self.0.action_plan_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loader>()?
            .load_one(ActionPlanKey(plan))
            .await
            .extend()?
            .map(ActionPlan))
    }

    /// The strategy goals the initiative serves, by code.
    async fn goals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Goal>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(GoalsOfInitiative(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(Goal).collect())
    }

    /// The initiative's themes, by code.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(ThemesOfInitiative(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(Theme).collect())
    }

    /// The school levels the initiative targets.
    async fn school_levels(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SchoolLevel>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(SchoolLevelsOf(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default())
    }

    /// The roles organisations hold on the initiative, or were proposed for.
    async fn responsibilities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these roles.")] roles: Option<Vec<Role>>,
    ) -> async_graphql::Result<Vec<Responsibility>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(ResponsibilitiesOfInitiative(self.0.id))
            .await
            .extend()?;
        let roles = roles.unwrap_or_default();
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|r| roles.is_empty() || roles.contains(&r.role))
            .map(Responsibility)
            .collect())
    }

    /// Dated follow-ups of the initiative, newest first.
    async fn status_updates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StatusUpdate>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(StatusUpdatesOf(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(StatusUpdate).collect())
    }

    #[graphql(flatten)]
    async fn texts(&self) -> TitleAndDescription {
        TitleAndDescription {
            owner: TextOwner::Initiative,
            id: self.0.id,
        }
    }

    #[graphql(flatten)]
    async fn bookkeeping(&self) -> Bookkeeping {
        Bookkeeping {
            created_at: self.0.created_at,
            updated_at: self.0.updated_at,
            version: self.0.version,
        }
    }
}

/// A role an organisation holds on an initiative or an activity, or was proposed for, with its decision.
pub struct Responsibility(pub responsibility::Model);

/// A role an organisation holds on an initiative or an activity, or was proposed for, with its decision.
#[Object]
impl Responsibility {
    /// The organisation holding the role.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(self.0.organisation_id))
            .await
            .extend()?
            .map(Organisation))
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

/// Which initiatives to list. Within one field the values are alternatives; all fields given apply.
#[derive(Default, InputObject)]
pub struct InitiativeFilter {
    /// Initiatives of these countries.
    country: Option<Vec<CountryCode>>,
    /// Initiatives with one of these statuses.
    status: Option<Vec<Status>>,
    /// Initiatives in an action plan under this strategy, or serving one of its goals.
    strategy: Option<ID>,
    /// Initiatives in this action plan.
    action_plan: Option<ID>,
    /// Initiatives serving a goal of this focus area.
    focus_area: Option<ID>,
    /// Initiatives serving one of these goals.
    goals: Option<Vec<ID>>,
    /// Initiatives with one of these theme codes.
    themes: Option<Vec<String>>,
    /// Initiatives targeting one of these school levels.
    school_levels: Option<Vec<SchoolLevel>>,
    /// Initiatives where this organisation holds a role (on the initiative or one of its activities).
    organisation: Option<ID>,
    /// Initiatives where a role is one of these (held by `organisation` when it is given).
    roles: Option<Vec<Role>>,
    /// Initiatives in whose activities this school authority takes part.
    participant: Option<ID>,
    /// Initiatives in whose activities an authority in this county takes part.
    region: Option<ID>,
    /// Initiatives running on or after this day (an open end counts as running).
    active_from: Option<Date>,
    /// Initiatives running on or before this day (an open start counts as running).
    active_to: Option<Date>,
    /// Initiatives changed at or after this time.
    updated_since: Option<DateTime<Utc>>,
    /// Words in the title or description, in any language (case-insensitive).
    query: Option<String>,
}

impl InitiativeFilter {
    /// The service's filter, with IDs decoded.
    pub fn into_service(self) -> Result<Filter, Error> {
        let one = |id: Option<ID>, t: NodeType| id.map(|id| id::decode_as(&id, t)).transpose();
        Ok(Filter {
            countries: self.country.unwrap_or_default().into_iter().map(|c| c.0).collect(),
            statuses: self.status.unwrap_or_default(),
            strategy: one(self.strategy, NodeType::Strategy)?,
            action_plan: one(self.action_plan, NodeType::ActionPlan)?,
            focus_area: one(self.focus_area, NodeType::FocusArea)?,
            goals: self
                .goals
                .unwrap_or_default()
                .iter()
                .map(|id| id::decode_as(id, NodeType::Goal))
                .collect::<Result<_, _>>()?,
            themes: self.themes.unwrap_or_default(),
            school_levels: self.school_levels.unwrap_or_default(),
            organisation: one(self.organisation, NodeType::Organisation)?,
            roles: self.roles.unwrap_or_default(),
            participant: one(self.participant, NodeType::Organisation)?,
            region: one(self.region, NodeType::Organisation)?,
            active_from: self.active_from.map(|d| d.0),
            active_to: self.active_to.map(|d| d.0),
            updated_since: self.updated_since,
            query: self.query,
        })
    }
}

crate::connection!(InitiativeConnection, InitiativeEdge, Initiative, "initiatives");
