//! Opening consultations, adding their events, and submitting an organisation's input.

use async_graphql::{Context, ID, InputObject, Object, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{actor, decode, user_errors};
use crate::entity::enums::EventKind;
use crate::graphql::object::consultation::Consultation;
use crate::graphql::object::consultation_event::ConsultationEvent;
use crate::graphql::object::submission::Submission;
use crate::graphql::scalars::Date;
use crate::graphql::user_error::{LocalizedTextInput, UserError, texts_of};
use crate::service::consultation_edit::{self, NewConsultation, NewEvent, NewSubmission};
use crate::service::edit::Problem;
use crate::service::id::NodeType;

/// Consultation mutations.
#[derive(Default)]
pub struct ConsultationMutation;

/// A question of a consultation, in one or more languages.
#[derive(InputObject)]
pub struct QuestionInput {
    /// The question's text.
    text: Vec<LocalizedTextInput>,
}

/// A consultation to open.
#[derive(InputObject)]
pub struct OpenConsultationInput {
    /// Its title, in at least one language.
    title: Vec<LocalizedTextInput>,
    /// Its description.
    #[graphql(default)]
    description: Vec<LocalizedTextInput>,
    /// The strategy it is about.
    strategy_id: Option<ID>,
    /// The action plan it is about.
    action_plan_id: Option<ID>,
    /// The organisation running it; an EDITOR names its own.
    organiser_id: Option<ID>,
    /// First day input is taken.
    opens_on: Option<Date>,
    /// Last day input is taken, not before `opensOn`.
    closes_on: Option<Date>,
    /// The questions asked, in order.
    #[graphql(default)]
    questions: Vec<QuestionInput>,
}

/// An event to add to a consultation.
#[derive(InputObject)]
pub struct AddConsultationEventInput {
    /// The consultation.
    consultation_id: ID,
    /// What kind of event.
    kind: EventKind,
    /// Its title, in at least one language.
    title: Vec<LocalizedTextInput>,
    /// When it starts.
    starts_at: Option<DateTime<Utc>>,
    /// When it ends, not before it starts.
    ends_at: Option<DateTime<Utc>>,
    /// Whether it is held online.
    #[graphql(default)]
    online: bool,
    /// The last moment to register, not after it starts.
    registration_deadline: Option<DateTime<Utc>>,
}

/// An organisation's input to a consultation.
#[derive(InputObject)]
pub struct SubmitConsultationInputInput {
    /// The consultation.
    consultation_id: ID,
    /// The organisation submitting; an EDITOR's own when left out.
    organisation_id: Option<ID>,
    /// A summary of the input, in at least one language.
    summary: Vec<LocalizedTextInput>,
    /// Where the full input is published, an http or https URL.
    url: Option<String>,
}

/// What `openConsultation` did.
#[derive(SimpleObject)]
pub struct OpenConsultationPayload {
    /// The new consultation; null when nothing was changed.
    consultation: Option<Consultation>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// What `addConsultationEvent` did.
#[derive(SimpleObject)]
pub struct AddConsultationEventPayload {
    /// The new event; null when nothing was changed.
    event: Option<ConsultationEvent>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// What `submitConsultationInput` did.
#[derive(SimpleObject)]
pub struct SubmitConsultationInputPayload {
    /// The submission; null when nothing was changed.
    submission: Option<Submission>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// Splits an outcome into the record (wrapped by `wrap`) and the user errors.
fn split<M, T>(outcome: Result<M, Vec<Problem>>, wrap: impl FnOnce(M) -> T) -> (Option<T>, Vec<UserError>) {
    match outcome {
        Ok(model) => (Some(wrap(model)), Vec::new()),
        Err(problems) => (None, user_errors(problems)),
    }
}

#[Object]
impl ConsultationMutation {
    /// Opens a consultation with its questions. For an ADMIN, or an EDITOR naming its own organisation as
    /// the organiser.
    async fn open_consultation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The consultation.")] input: OpenConsultationInput,
    ) -> async_graphql::Result<OpenConsultationPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let title = texts_of("title", &input.title, &mut problems);
        let description = texts_of("description", &input.description, &mut problems);
        let mut questions = Vec::new();
        for (k, question) in input.questions.iter().enumerate() {
            let mut found = Vec::new();
            questions.push(texts_of("text", &question.text, &mut found));
            // ["input", "text", i, ...] becomes ["input", "questions", k, "text", i, ...].
            for mut problem in found {
                problem.field.splice(1..1, ["questions".to_owned(), k.to_string()]);
                problems.push(problem);
            }
        }
        let mut one = |id: &Option<ID>, t: NodeType, field: &str| {
            id.as_ref().and_then(|id| decode(id, t, &[field], &mut problems))
        };
        let new = NewConsultation {
            strategy: one(&input.strategy_id, NodeType::Strategy, "strategyId"),
            action_plan: one(&input.action_plan_id, NodeType::ActionPlan, "actionPlanId"),
            organiser: one(&input.organiser_id, NodeType::Organisation, "organiserId"),
            opens_on: input.opens_on.map(|d| d.0),
            closes_on: input.closes_on.map(|d| d.0),
            title,
            description,
            questions,
        };
        let outcome = match problems.is_empty() {
            true => consultation_edit::open(db, &actor, new).await.extend()?,
            false => Err(problems),
        };
        let (consultation, user_errors) = split(outcome, Consultation);
        Ok(OpenConsultationPayload {
            consultation,
            user_errors,
        })
    }

    /// Adds an event (a hearing, a webinar, a meeting) to a consultation. For an ADMIN, or an EDITOR of its
    /// organiser.
    async fn add_consultation_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: AddConsultationEventInput,
    ) -> async_graphql::Result<AddConsultationEventPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let title = texts_of("title", &input.title, &mut problems);
        let consultation = decode(
            &input.consultation_id,
            NodeType::Consultation,
            &["consultationId"],
            &mut problems,
        );
        let outcome = match (consultation, problems.is_empty()) {
            (Some(consultation), true) => {
                let new = NewEvent {
                    consultation,
                    kind: input.kind,
                    starts_at: input.starts_at,
                    ends_at: input.ends_at,
                    online: input.online,
                    registration_deadline: input.registration_deadline,
                    title,
                };
                consultation_edit::add_event(db, &actor, new).await.extend()?
            }
            _ => Err(problems),
        };
        let (event, user_errors) = split(outcome, ConsultationEvent);
        Ok(AddConsultationEventPayload { event, user_errors })
    }

    /// Submits an organisation's input to an open consultation, once. For an ADMIN, or the organisation's
    /// EDITOR.
    async fn submit_consultation_input(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input.")] input: SubmitConsultationInputInput,
    ) -> async_graphql::Result<SubmitConsultationInputPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let summary = texts_of("summary", &input.summary, &mut problems);
        let consultation = decode(
            &input.consultation_id,
            NodeType::Consultation,
            &["consultationId"],
            &mut problems,
        );
        let organisation = input
            .organisation_id
            .as_ref()
            .map(|id| decode(id, NodeType::Organisation, &["organisationId"], &mut problems));
        let outcome = match (consultation, problems.is_empty()) {
            (Some(consultation), true) => {
                let new = NewSubmission {
                    consultation,
                    organisation: organisation.flatten(),
                    summary,
                    url: input.url,
                };
                consultation_edit::submit(db, &actor, new).await.extend()?
            }
            _ => Err(problems),
        };
        let (submission, user_errors) = split(outcome, Submission);
        Ok(SubmitConsultationInputPayload {
            submission,
            user_errors,
        })
    }
}
