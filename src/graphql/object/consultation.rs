//! Consultations: open input rounds on a strategy or plan, and the filter for listing them.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};

use super::action_plan::ActionPlan;
use super::consultation_event::ConsultationEvent;
use super::consultation_question::ConsultationQuestion;
use super::contact::{Contact, contacts_of};
use super::organisation::Organisation;
use super::shared::bookkeeping::Bookkeeping;
use super::shared::texts::TitleAndDescription;
use super::source::{Source, sources_of};
use super::strategy::Strategy;
use super::submission::Submission;
use crate::entity::consultation;
use crate::error::Error;
use crate::graphql::loader::{
    ActionPlanKey, EventsOf, Loader, OrganisationKey, QuestionsOf, StrategyKey, SubmissionsOf, Target,
};
use crate::graphql::scalars::Date;
use crate::service::consultation::ConsultationFilter as Filter;
use crate::service::id::{self, NodeType};
use crate::service::text::TextOwner;

/// A consultation: an open round of input on a strategy or an action plan.
pub struct Consultation(pub consultation::Model);

/// A consultation: an open round of input on a strategy or an action plan.
#[Object]
impl Consultation {
    /// Whether the viewer may change the consultation (add events): an ADMIN, or an EDITOR of its organiser.
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> bool {
        super::shared::editable::may_act_for(ctx, self.0.organiser_id)
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    /// The consultation's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Consultation, self.0.id))
    }

    /// The strategy the input is for, if any.
    async fn strategy(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Strategy>> {
        let Some(strategy) = self.0.strategy_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(StrategyKey(strategy)).await.extend()?.map(Strategy))
    }

    /// The action plan the input is for, if any.
    async fn action_plan(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ActionPlan>> {
        let Some(plan) = self.0.action_plan_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(ActionPlanKey(plan)).await.extend()?.map(ActionPlan))
    }

    /// The organisation running the consultation, if known.
    async fn organiser(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(organiser) = self.0.organiser_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(organiser))
            .await
            .extend()?
            .map(Organisation))
    }

    /// The first day input is accepted, when known.
    async fn opens_on(&self) -> Option<Date> {
        self.0.opens_on.map(Date)
    }

    /// The last day input is accepted, when known.
    async fn closes_on(&self) -> Option<Date> {
        self.0.closes_on.map(Date)
    }

    /// The meetings and workshops of the consultation, earliest first.
    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ConsultationEvent>> {
        let rows = ctx.data::<Loader>()?.load_one(EventsOf(self.0.id)).await.extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(ConsultationEvent).collect())
    }

    /// The guiding questions, in their order.
    async fn questions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ConsultationQuestion>> {
        let rows = ctx.data::<Loader>()?.load_one(QuestionsOf(self.0.id)).await.extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(ConsultationQuestion).collect())
    }

    /// The input received, earliest first.
    async fn submissions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Submission>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(SubmissionsOf(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(Submission).collect())
    }

    /// The documents backing the consultation (invitations, reports), newest first.
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Source>> {
        sources_of(ctx, Target::Consultation(self.0.id)).await
    }

    /// The people to contact about the consultation.
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Contact>> {
        contacts_of(ctx, Target::Consultation(self.0.id)).await
    }

    #[graphql(flatten)]
    async fn texts(&self) -> TitleAndDescription {
        TitleAndDescription {
            owner: TextOwner::Consultation,
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

/// Which consultations to list. All fields given apply.
#[derive(Default, InputObject)]
pub struct ConsultationFilter {
    /// Consultations on this strategy.
    strategy: Option<ID>,
    /// Consultations on this action plan.
    action_plan: Option<ID>,
    /// Consultations run by this organisation.
    organiser: Option<ID>,
    /// Consultations open for input on this day (an open start or end counts as open).
    open_on: Option<Date>,
    /// Words in the title or description, in any language, matched as `search` matches them.
    query: Option<String>,
}

impl ConsultationFilter {
    /// The service's filter, with IDs decoded.
    pub fn into_service(self) -> Result<Filter, Error> {
        let one = |id: Option<ID>, t: NodeType| id.map(|id| id::decode_as(&id, t)).transpose();
        Ok(Filter {
            strategy: one(self.strategy, NodeType::Strategy)?,
            action_plan: one(self.action_plan, NodeType::ActionPlan)?,
            organiser: one(self.organiser, NodeType::Organisation)?,
            open_on: self.open_on.map(|d| d.0),
            query: crate::service::text::filter_words(self.query)?,
        })
    }
}

crate::connection!(ConsultationConnection, ConsultationEdge, Consultation, "consultations");
