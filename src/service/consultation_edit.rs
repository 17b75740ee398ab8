//! Opening consultations, adding their events, and organisations submitting their input.
//!
//! Rules: a consultation has a title; it closes no earlier than it opens; its strategy, action plan and
//! organiser exist. It is opened by an ADMIN or by the EDITOR of its organiser, who also adds its events
//! (an event ends no earlier than it starts, and registration closes before it starts). Input is submitted
//! by an ADMIN or by the EDITOR of the submitting organisation, once per organisation, while the
//! consultation is open (from `opensOn` to `closesOn`, both included, open ends open).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::enums::{AccessRole, EventKind};
use crate::entity::{
    action_plan, consultation, consultation_event, consultation_question, organisation, strategy, submission,
};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem, check_one, check_period, check_url};
use crate::service::id::NodeType;
use crate::service::permission::Actor;
use crate::service::text::{Localized, TextOwner};

/// A consultation to open.
#[derive(Clone, Debug, Default)]
pub struct NewConsultation {
    /// The strategy it is about.
    pub strategy: Option<Uuid>,
    /// The action plan it is about.
    pub action_plan: Option<Uuid>,
    /// The organisation running it.
    pub organiser: Option<Uuid>,
    /// First day input is taken.
    pub opens_on: Option<NaiveDate>,
    /// Last day input is taken.
    pub closes_on: Option<NaiveDate>,
    /// Its title per language.
    pub title: Vec<Localized>,
    /// Its description per language.
    pub description: Vec<Localized>,
    /// The questions asked, in order, each per language.
    pub questions: Vec<Vec<Localized>>,
}

/// An event of a consultation (a hearing, a webinar, a meeting).
#[derive(Clone, Debug)]
pub struct NewEvent {
    /// The consultation.
    pub consultation: Uuid,
    /// What kind of event.
    pub kind: EventKind,
    /// When it starts.
    pub starts_at: Option<DateTime<Utc>>,
    /// When it ends.
    pub ends_at: Option<DateTime<Utc>>,
    /// Whether it is held online.
    pub online: bool,
    /// The last moment to register.
    pub registration_deadline: Option<DateTime<Utc>>,
    /// Its title per language.
    pub title: Vec<Localized>,
}

/// An organisation's input to a consultation.
#[derive(Clone, Debug)]
pub struct NewSubmission {
    /// The consultation.
    pub consultation: Uuid,
    /// The organisation submitting (an editor's own when not given).
    pub organisation: Option<Uuid>,
    /// A summary per language.
    pub summary: Vec<Localized>,
    /// Where the full text is published.
    pub url: Option<String>,
}

/// Whether `actor` may run consultations organised by `organiser`.
fn may_organise(actor: &Actor, organiser: Option<Uuid>) -> bool {
    actor.role == AccessRole::Admin
        || (actor.role == AccessRole::Editor && organiser.is_some() && actor.organisation == organiser)
}

/// Opens a consultation with its questions.
pub async fn open(db: &DatabaseConnection, actor: &Actor, new: NewConsultation) -> Outcome<consultation::Model> {
    if !may_organise(actor, new.organiser) {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR naming its own organisation as organiser, may open a consultation".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut problems = Vec::new();
    if new.title.is_empty() {
        problems.push(Problem::new(
            &["title"],
            "INVALID",
            "give a title in at least one language",
        ));
    }
    check_period(&mut problems, "closesOn", new.opens_on, new.closes_on);
    for (k, question) in new.questions.iter().enumerate() {
        if question.is_empty() {
            problems.push(Problem::new(
                &["questions", &k.to_string()],
                "INVALID",
                "a question has a text",
            ));
        }
    }
    check_one::<strategy::Entity>(
        &txn,
        strategy::Column::Id,
        new.strategy,
        "strategyId",
        "strategy",
        &mut problems,
    )
    .await?;
    let plan = new.action_plan;
    check_one::<action_plan::Entity>(
        &txn,
        action_plan::Column::Id,
        plan,
        "actionPlanId",
        "action plan",
        &mut problems,
    )
    .await?;
    let organiser = new.organiser;
    check_one::<organisation::Entity>(
        &txn,
        organisation::Column::Id,
        organiser,
        "organiserId",
        "organisation",
        &mut problems,
    )
    .await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let model = consultation::ActiveModel {
        id: Set(Uuid::new_v4()),
        strategy_id: Set(new.strategy),
        action_plan_id: Set(new.action_plan),
        organiser_id: Set(new.organiser),
        opens_on: Set(new.opens_on),
        closes_on: Set(new.closes_on),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::default();
    changes
        .field("opensOn", Value::Null, new.opens_on.map(|d| d.to_string()))
        .field("closesOn", Value::Null, new.closes_on.map(|d| d.to_string()))
        .field("questions", Value::Null, new.questions.len());
    let texts = [("title", Some(&new.title)), ("description", Some(&new.description))];
    edit::write_texts(&txn, TextOwner::Consultation, model.id, &texts, &mut changes).await?;
    for (k, question) in new.questions.iter().enumerate() {
        let row = consultation_question::ActiveModel {
            id: Set(Uuid::new_v4()),
            consultation_id: Set(model.id),
            position: Set(k as i32 + 1),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
        let mut ignored = Changes::default();
        edit::write_texts(
            &txn,
            TextOwner::ConsultationQuestion,
            row.id,
            &[("text", Some(question))],
            &mut ignored,
        )
        .await?;
    }
    edit::audit(&txn, actor, now, "OPEN_CONSULTATION", "Consultation", model.id, changes).await?;
    change_feed::commit(
        txn,
        now,
        &[Change::new(Operation::Create, NodeType::Consultation, model.id)],
    )
    .await?;
    Ok(Ok(model))
}

/// Adds an event to a consultation.
pub async fn add_event(db: &DatabaseConnection, actor: &Actor, new: NewEvent) -> Outcome<consultation_event::Model> {
    let txn = crate::db::begin_write(db).await?;
    let Some(found) = consultation::Entity::find_by_id(new.consultation).one(&txn).await? else {
        return Ok(Err(vec![Problem::new(
            &["consultationId"],
            "NOT_FOUND",
            "no consultation has this ID",
        )]));
    };
    if !may_organise(actor, found.organiser_id) {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR of the consultation's organiser, may add events to it".into(),
        ));
    }
    let mut problems = Vec::new();
    if new.title.is_empty() {
        problems.push(Problem::new(
            &["title"],
            "INVALID",
            "give a title in at least one language",
        ));
    }
    if let (Some(start), Some(end)) = (new.starts_at, new.ends_at)
        && end < start
    {
        problems.push(Problem::new(&["endsAt"], "INVALID", "the event ends before it starts"));
    }
    if let (Some(start), Some(deadline)) = (new.starts_at, new.registration_deadline)
        && deadline > start
    {
        problems.push(Problem::new(
            &["registrationDeadline"],
            "INVALID",
            "registration closes after the event starts",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let model = consultation_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        consultation_id: Set(new.consultation),
        kind: Set(new.kind),
        starts_at: Set(new.starts_at),
        ends_at: Set(new.ends_at),
        online: Set(new.online),
        registration_deadline: Set(new.registration_deadline),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::default();
    changes
        .field("event", Value::Null, model.id.to_string())
        .field("kind", Value::Null, new.kind.to_value());
    edit::write_texts(
        &txn,
        TextOwner::ConsultationEvent,
        model.id,
        &[("title", Some(&new.title))],
        &mut changes,
    )
    .await?;
    edit::audit(
        &txn,
        actor,
        now,
        "ADD_CONSULTATION_EVENT",
        "Consultation",
        new.consultation,
        changes,
    )
    .await?;
    change_feed::commit(
        txn,
        now,
        &[Change::new(Operation::Update, NodeType::Consultation, new.consultation)],
    )
    .await?;
    Ok(Ok(model))
}

/// Records an organisation's input to a consultation.
pub async fn submit(db: &DatabaseConnection, actor: &Actor, new: NewSubmission) -> Outcome<submission::Model> {
    let Some(organisation) = new.organisation.or(actor.organisation) else {
        return Ok(Err(vec![Problem::new(
            &["organisationId"],
            "INVALID",
            "give the organisation submitting",
        )]));
    };
    let may = actor.role == AccessRole::Admin
        || (actor.role == AccessRole::Editor && actor.organisation == Some(organisation));
    if !may {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR for the organisation, may submit its input".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let Some(found) = consultation::Entity::find_by_id(new.consultation).one(&txn).await? else {
        return Ok(Err(vec![Problem::new(
            &["consultationId"],
            "NOT_FOUND",
            "no consultation has this ID",
        )]));
    };
    let mut problems = Vec::new();
    let today = Utc::now().date_naive();
    let open = found.opens_on.is_none_or(|d| d <= today) && found.closes_on.is_none_or(|d| today <= d);
    if !open {
        problems.push(Problem::new(
            &["consultationId"],
            "INVALID",
            "the consultation takes no input today",
        ));
    }
    if new.summary.is_empty() {
        problems.push(Problem::new(
            &["summary"],
            "INVALID",
            "give a summary in at least one language",
        ));
    }
    check_url("url", new.url.as_deref(), &mut problems);
    let field = "organisationId";
    check_one::<organisation::Entity>(
        &txn,
        organisation::Column::Id,
        Some(organisation),
        field,
        "organisation",
        &mut problems,
    )
    .await?;
    let earlier = submission::Entity::find()
        .filter(submission::Column::ConsultationId.eq(new.consultation))
        .filter(submission::Column::OrganisationId.eq(organisation))
        .count(&txn)
        .await?;
    if earlier > 0 {
        problems.push(Problem::new(
            &["organisationId"],
            "TAKEN",
            "the organisation has submitted its input already",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let model = submission::ActiveModel {
        id: Set(Uuid::new_v4()),
        consultation_id: Set(new.consultation),
        organisation_id: Set(Some(organisation)),
        submitted_at: Set(Some(now)),
        url: Set(new.url.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::default();
    changes
        .field("consultation", Value::Null, new.consultation.to_string())
        .field("organisation", Value::Null, organisation.to_string())
        .field("url", Value::Null, new.url);
    edit::write_texts(
        &txn,
        TextOwner::Submission,
        model.id,
        &[("summary", Some(&new.summary))],
        &mut changes,
    )
    .await?;
    changes.field("submission", Value::Null, model.id.to_string());
    edit::audit(
        &txn,
        actor,
        now,
        "SUBMIT_CONSULTATION_INPUT",
        "Consultation",
        new.consultation,
        changes,
    )
    .await?;
    change_feed::commit(
        txn,
        now,
        &[Change::new(Operation::Update, NodeType::Consultation, new.consultation)],
    )
    .await?;
    Ok(Ok(model))
}
