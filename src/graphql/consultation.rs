//! Consultations: open input rounds on a strategy or plan, with their events (meetings, workshops), the
//! questions asked and the submissions received.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};

use super::action_plan::ActionPlan;
use super::bookkeeping::Bookkeeping;
use super::loader::{
    ActionPlanKey, EventsOf, Loader, OrganisationKey, QuestionsOf, StrategyKey, SubmissionsOf, Target, TargetGroupsOf,
};
use super::organisation::Organisation;
use super::scalars::{Date, LanguageTag};
use super::source::{Contact, Source, contacts_of, sources_of};
use super::strategy::Strategy;
use super::text::{LocalizedText, TitleAndDescription, localized, translations};
use crate::entity::enums::EventKind;
use crate::entity::{consultation, consultation_event, consultation_question, event_target_group, submission};
use crate::error::Error;
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
        super::viewer::may_act_for(ctx, self.0.organiser_id)
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::history::Audited {
        super::history::Audited(self.0.id)
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

/// A meeting or workshop of a consultation.
pub struct ConsultationEvent(pub consultation_event::Model);

/// A meeting or workshop of a consultation.
#[Object]
impl ConsultationEvent {
    /// What kind of event it is.
    async fn kind(&self) -> EventKind {
        self.0.kind
    }

    /// When it starts.
    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.0.starts_at
    }

    /// When it ends.
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.ends_at
    }

    /// Whether it is held online.
    async fn online(&self) -> bool {
        self.0.online
    }

    /// The last moment to register.
    async fn registration_deadline(&self) -> Option<DateTime<Utc>> {
        self.0.registration_deadline
    }

    /// The event's title in the requested language.
    async fn title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::ConsultationEvent, self.0.id, "title", lang).await
    }

    /// The event's title in every language it has.
    async fn title_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::ConsultationEvent, self.0.id, "title").await
    }

    /// Who the event is for, in their order.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(TargetGroupsOf(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(TargetGroup).collect())
    }
}

/// A group of people an event is for.
pub struct TargetGroup(pub event_target_group::Model);

/// A group of people an event is for.
#[Object]
impl TargetGroup {
    /// The group, in the requested language.
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::EventTargetGroup, self.0.id, "label", lang).await
    }

    /// The group in every language it has.
    async fn label_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::EventTargetGroup, self.0.id, "label").await
    }
}

/// A guiding question of a consultation.
pub struct ConsultationQuestion(pub consultation_question::Model);

/// A guiding question of a consultation.
#[Object]
impl ConsultationQuestion {
    /// The question's place in the consultation, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// The question, in the requested language.
    async fn text(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::ConsultationQuestion, self.0.id, "text", lang).await
    }

    /// The question in every language it has.
    async fn text_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::ConsultationQuestion, self.0.id, "text").await
    }
}

/// Input submitted to a consultation.
pub struct Submission(pub submission::Model);

/// Input submitted to a consultation.
#[Object]
impl Submission {
    /// The organisation that submitted it, if any.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(organisation) = self.0.organisation_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(organisation))
            .await
            .extend()?
            .map(Organisation))
    }

    /// When it was submitted.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }

    /// Where the full text is published.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// A summary, in the requested language.
    async fn summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::Submission, self.0.id, "summary", lang).await
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
    /// Words in the title or description, in any language (case-insensitive).
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
