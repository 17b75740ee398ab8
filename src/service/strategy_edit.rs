//! Creating and updating strategies, their focus areas and goals, and action plans: the frame the
//! initiatives are mapped onto. ADMIN only.
//!
//! Rules: a name (title) in at least one language; years between 1900 and 2100 and the end not before the
//! start; the owners, the strategy and the parent exist; a focus area's position is unique in its strategy
//! and a goal's in its focus area (TAKEN), and positions are 1 or more.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::{action_plan, action_plan_owner, focus_area, goal, organisation, strategy, strategy_owner};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem, check_exist};
use crate::service::id::NodeType;
use crate::service::permission::Actor;
use crate::service::text::{Localized, TextOwner};
use crate::service::versioned;

/// The texts a change gives, by field; `None` keeps a field's texts.
pub type TextFields = Vec<(&'static str, Option<Vec<Localized>>)>;

/// The fields of a strategy or an action plan a change sets: `None` keeps (update) or defaults (create),
/// `Some(None)` clears.
#[derive(Clone, Debug, Default)]
pub struct FrameFields {
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// First year.
    pub start_year: Option<Option<i32>>,
    /// Last year.
    pub end_year: Option<Option<i32>>,
    /// Adopted (strategy) or published (action plan) on.
    pub dated: Option<Option<NaiveDate>>,
    /// An action plan's strategy.
    pub strategy: Option<Option<Uuid>>,
    /// The owning organisations (replace the set).
    pub owners: Option<Vec<Uuid>>,
    /// The texts.
    pub texts: TextFields,
}

/// The fields of a focus area or a goal a change sets.
#[derive(Clone, Debug, Default)]
pub struct PartFields {
    /// The strategy (of a new focus area) or the focus area (of a new goal).
    pub parent: Option<Uuid>,
    /// The place in the parent, 1 or more.
    pub position: Option<i32>,
    /// The code, such as "1.2".
    pub code: Option<String>,
    /// The texts.
    pub texts: TextFields,
}

/// What kind of frame record a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A strategy.
    Strategy,
    /// An action plan.
    ActionPlan,
}

/// What kind of part a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// A focus area of a strategy.
    FocusArea,
    /// A goal of a focus area.
    Goal,
}

/// The problems with the texts: a required field given empty, or missing on create.
fn check_texts(texts: &TextFields, required: &str, creating: bool, problems: &mut Vec<Problem>) {
    let given = texts.iter().find(|(f, _)| *f == required).and_then(|(_, t)| t.as_ref());
    if given.is_some_and(Vec::is_empty) || (creating && given.is_none()) {
        // The input field is `name` for every kind; `required` is what it holds.
        problems.push(Problem::new(
            &["name"],
            "INVALID",
            format!("give a {required} in at least one language"),
        ));
    }
}

/// Writes the texts given and notes their changes.
async fn write_texts(
    db: &impl ConnectionTrait,
    owner: TextOwner,
    id: Uuid,
    texts: &TextFields,
    changes: &mut Changes,
) -> Result<(), Error> {
    let given: Vec<(&str, Option<&Vec<Localized>>)> = texts.iter().map(|(f, t)| (*f, t.as_ref())).collect();
    edit::write_texts(db, owner, id, &given, changes).await?;
    Ok(())
}

async fn check_frame(
    db: &impl ConnectionTrait,
    fields: &FrameFields,
    current: (Option<i32>, Option<i32>),
) -> Result<Vec<Problem>, Error> {
    let mut problems = Vec::new();
    let start = fields.start_year.unwrap_or(current.0);
    let end = fields.end_year.unwrap_or(current.1);
    for (field, year) in [("startYear", start), ("endYear", end)] {
        if year.is_some_and(|y| !(1900..=2100).contains(&y)) {
            problems.push(Problem::new(&[field], "INVALID", "a year between 1900 and 2100"));
        }
    }
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        problems.push(Problem::new(
            &["endYear"],
            "INVALID",
            format!("the end year {end} is before the start year {start}"),
        ));
    }
    if let Some(owners) = &fields.owners {
        check_exist::<organisation::Entity>(
            db,
            organisation::Column::Id,
            owners,
            "ownerIds",
            "organisation",
            &mut problems,
        )
        .await?;
    }
    if let Some(Some(id)) = fields.strategy
        && strategy::Entity::find_by_id(id).one(db).await?.is_none()
    {
        problems.push(Problem::new(&["strategyId"], "NOT_FOUND", "no strategy has this ID"));
    }
    Ok(problems)
}

/// Replaces the owners of a strategy or an action plan.
async fn write_owners(txn: &DatabaseTransaction, frame: Frame, id: Uuid, owners: &[Uuid]) -> Result<(), Error> {
    match frame {
        Frame::Strategy => {
            strategy_owner::Entity::delete_many()
                .filter(strategy_owner::Column::StrategyId.eq(id))
                .exec(txn)
                .await?;
            for owner in edit::dedup(owners.to_vec()) {
                strategy_owner::ActiveModel {
                    strategy_id: Set(id),
                    organisation_id: Set(owner),
                }
                .insert(txn)
                .await?;
            }
        }
        Frame::ActionPlan => {
            action_plan_owner::Entity::delete_many()
                .filter(action_plan_owner::Column::ActionPlanId.eq(id))
                .exec(txn)
                .await?;
            for owner in edit::dedup(owners.to_vec()) {
                action_plan_owner::ActiveModel {
                    action_plan_id: Set(id),
                    organisation_id: Set(owner),
                }
                .insert(txn)
                .await?;
            }
        }
    }
    Ok(())
}

fn date_text(day: Option<NaiveDate>) -> Option<String> {
    day.map(|d| d.to_string())
}

/// Creates (`existing` None) or updates a strategy or an action plan. Answers its ID.
pub async fn save_frame(
    db: &DatabaseConnection,
    actor: &Actor,
    frame: Frame,
    existing: Option<(Uuid, i32)>,
    fields: FrameFields,
) -> Outcome<Uuid> {
    edit::require_admin(actor, "change strategies and action plans")?;
    let (owner, name_field, node_type, what) = match frame {
        Frame::Strategy => (TextOwner::Strategy, "name", NodeType::Strategy, "strategy"),
        Frame::ActionPlan => (TextOwner::ActionPlan, "title", NodeType::ActionPlan, "action plan"),
    };
    let txn = crate::db::begin_write(db).await?;
    // The record now, as (version, country, start year, end year, date, strategy).
    type Now = (i32, String, Option<i32>, Option<i32>, Option<NaiveDate>, Option<Uuid>);
    let before: Option<Now> = match (existing, frame) {
        (None, _) => None,
        (Some((id, _)), Frame::Strategy) => strategy::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .map(|s| (s.version, s.country, s.start_year, s.end_year, s.adopted_on, None)),
        (Some((id, _)), Frame::ActionPlan) => action_plan::Entity::find_by_id(id).one(&txn).await?.map(|p| {
            (
                p.version,
                p.country,
                p.start_year,
                p.end_year,
                p.published_on,
                p.strategy_id,
            )
        }),
    };
    if let Some((_, expected)) = existing {
        let field = if frame == Frame::Strategy {
            "strategyId"
        } else {
            "actionPlanId"
        };
        match &before {
            None => {
                return Ok(Err(vec![Problem::new(
                    &[field],
                    "NOT_FOUND",
                    format!("no {what} has this ID"),
                )]));
            }
            Some(now) if now.0 != expected => return Ok(Err(vec![Problem::conflict(what, now.0)])),
            Some(_) => {}
        }
    }
    let current = before.as_ref().map_or((None, None), |b| (b.2, b.3));
    let mut problems = check_frame(&txn, &fields, current).await?;
    check_texts(&fields.texts, name_field, before.is_none(), &mut problems);
    if before.is_none() && fields.country.is_none() {
        problems.push(Problem::new(&["country"], "INVALID", "give the country"));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = chrono::Utc::now();
    let mut changes = Changes::default();
    let was = before.clone().unwrap_or_default();
    let country = fields.country.clone().unwrap_or(was.1.clone());
    let start = fields.start_year.unwrap_or(was.2);
    let end = fields.end_year.unwrap_or(was.3);
    let dated = fields.dated.unwrap_or(was.4);
    let plan_strategy = fields.strategy.unwrap_or(was.5);
    let date_name = if frame == Frame::Strategy {
        "adoptedOn"
    } else {
        "publishedOn"
    };
    changes
        .field("country", before.as_ref().map(|b| b.1.clone()), country.clone())
        .field("startYear", before.as_ref().and_then(|b| b.2), start)
        .field("endYear", before.as_ref().and_then(|b| b.3), end)
        .field(
            date_name,
            date_text(before.as_ref().and_then(|b| b.4)),
            date_text(dated),
        );
    if frame == Frame::ActionPlan {
        let text = |s: Option<Uuid>| s.map(|s| s.to_string());
        changes.field(
            "strategyId",
            text(before.as_ref().and_then(|b| b.5)),
            text(plan_strategy),
        );
    }
    let id = existing.map_or_else(Uuid::new_v4, |(id, _)| id);
    let written = match frame {
        Frame::Strategy => {
            let model = strategy::ActiveModel {
                id: Set(id),
                country: Set(country),
                start_year: Set(start),
                end_year: Set(end),
                adopted_on: Set(dated),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            };
            write_model::<strategy::Entity, _>(&txn, model, existing, now).await?
        }
        Frame::ActionPlan => {
            let model = action_plan::ActiveModel {
                id: Set(id),
                strategy_id: Set(plan_strategy),
                country: Set(country),
                published_on: Set(dated),
                start_year: Set(start),
                end_year: Set(end),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            };
            write_model::<action_plan::Entity, _>(&txn, model, existing, now).await?
        }
    };
    if !written {
        // Lost to a concurrent change: the CONFLICT names the version stored now.
        let conflict = match frame {
            Frame::Strategy => versioned::lost_race::<strategy::Entity>(txn, db, NodeType::Strategy, id, was.0).await?,
            Frame::ActionPlan => {
                versioned::lost_race::<action_plan::Entity>(txn, db, NodeType::ActionPlan, id, was.0).await?
            }
        };
        return Ok(Err(conflict));
    }
    write_texts(&txn, owner, id, &fields.texts, &mut changes).await?;
    if let Some(owners) = &fields.owners {
        changes.field(
            "owners",
            Value::Null,
            owners.iter().map(Uuid::to_string).collect::<Vec<_>>(),
        );
        write_owners(&txn, frame, id, owners).await?;
    }
    let operation = match (frame, existing) {
        (Frame::Strategy, None) => "CREATE_STRATEGY",
        (Frame::Strategy, Some(_)) => "UPDATE_STRATEGY",
        (Frame::ActionPlan, None) => "CREATE_ACTION_PLAN",
        (Frame::ActionPlan, Some(_)) => "UPDATE_ACTION_PLAN",
    };
    edit::audit(&txn, actor, now, operation, node_type.name(), id, changes).await?;
    let change = Change::new(Operation::from_audit(operation), node_type, id);
    change_feed::commit(txn, now, &[change]).await?;
    Ok(Ok(id))
}

/// Inserts `model` (new) or writes its columns other than the key and the bookkeeping over the record at
/// the expected version. Whether it was written.
async fn write_model<E, A>(
    txn: &DatabaseTransaction,
    mut model: A,
    existing: Option<(Uuid, i32)>,
    now: chrono::DateTime<Utc>,
) -> Result<bool, Error>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + sea_orm::ActiveModelBehavior + Send,
    E::Model: IntoActiveModel<A>,
{
    let Some((id, expected)) = existing else {
        model.insert(txn).await?;
        return Ok(true);
    };
    for column in ["id", "created_at", "updated_at", "version"] {
        if let Some(column) =
            <E::Column as sea_orm::Iterable>::iter().find(|c| sea_orm::IdenStatic::as_str(c) == column)
        {
            model.not_set(column);
        }
    }
    Ok(edit::write_versioned(txn, id, expected, model, now).await?)
}

/// Creates (`existing` None) or updates a focus area or a goal. Answers its ID.
pub async fn save_part(
    db: &DatabaseConnection,
    actor: &Actor,
    part: Part,
    existing: Option<(Uuid, i32)>,
    fields: PartFields,
) -> Outcome<Uuid> {
    edit::require_admin(actor, "change focus areas and goals")?;
    let (owner, title_field, node_type, what, parent_field) = match part {
        Part::FocusArea => (
            TextOwner::FocusArea,
            "name",
            NodeType::FocusArea,
            "focus area",
            "strategyId",
        ),
        Part::Goal => (TextOwner::Goal, "title", NodeType::Goal, "goal", "focusAreaId"),
    };
    let txn = crate::db::begin_write(db).await?;
    // The record now, as (version, parent, position, code).
    let before: Option<(i32, Uuid, i32, String)> = match (existing, part) {
        (None, _) => None,
        (Some((id, _)), Part::FocusArea) => focus_area::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .map(|a| (a.version, a.strategy_id, a.position, a.code)),
        (Some((id, _)), Part::Goal) => goal::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .map(|g| (g.version, g.focus_area_id, g.position, g.code)),
    };
    if let Some((_, expected)) = existing {
        let field = if part == Part::FocusArea {
            "focusAreaId"
        } else {
            "goalId"
        };
        match &before {
            None => {
                return Ok(Err(vec![Problem::new(
                    &[field],
                    "NOT_FOUND",
                    format!("no {what} has this ID"),
                )]));
            }
            Some(now) if now.0 != expected => return Ok(Err(vec![Problem::conflict(what, now.0)])),
            Some(_) => {}
        }
    }
    let mut problems = Vec::new();
    check_texts(&fields.texts, title_field, before.is_none(), &mut problems);
    let parent = match (&before, fields.parent) {
        (Some(b), _) => Some(b.1),
        (None, Some(parent)) => {
            let exists = match part {
                Part::FocusArea => strategy::Entity::find_by_id(parent).one(&txn).await?.is_some(),
                Part::Goal => focus_area::Entity::find_by_id(parent).one(&txn).await?.is_some(),
            };
            if !exists {
                problems.push(Problem::new(
                    &[parent_field],
                    "NOT_FOUND",
                    "no record of that kind has this ID",
                ));
            }
            Some(parent)
        }
        (None, None) => None,
    };
    let position = fields.position.or(before.as_ref().map(|b| b.2));
    let code = fields.code.clone().or(before.as_ref().map(|b| b.3.clone()));
    match (position, parent) {
        (Some(p), _) if p < 1 => problems.push(Problem::new(&["position"], "INVALID", "a position is 1 or more")),
        (Some(p), Some(parent)) if fields.position.is_some() => {
            let me = existing.map(|(id, _)| id).unwrap_or_default();
            let taken = match part {
                Part::FocusArea => {
                    focus_area::Entity::find()
                        .filter(focus_area::Column::StrategyId.eq(parent))
                        .filter(focus_area::Column::Position.eq(p))
                        .filter(focus_area::Column::Id.ne(me))
                        .count(&txn)
                        .await?
                }
                Part::Goal => {
                    goal::Entity::find()
                        .filter(goal::Column::FocusAreaId.eq(parent))
                        .filter(goal::Column::Position.eq(p))
                        .filter(goal::Column::Id.ne(me))
                        .count(&txn)
                        .await?
                }
            };
            if taken > 0 {
                problems.push(Problem::new(
                    &["position"],
                    "TAKEN",
                    format!("another {what} is at position {p}"),
                ));
            }
        }
        (None, _) => problems.push(Problem::new(&["position"], "INVALID", "give the position")),
        _ => {}
    }
    if code.as_ref().is_none_or(|c| c.trim().is_empty() || c.len() > 32) {
        problems.push(Problem::new(
            &["code"],
            "INVALID",
            "give a code of 1 to 32 characters, such as \"1.2\"",
        ));
    }
    let (Some(parent), Some(position), Some(code), true) = (parent, position, code, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let now = Utc::now();
    let id = existing.map_or_else(Uuid::new_v4, |(id, _)| id);
    let mut changes = Changes::default();
    changes.field("position", before.as_ref().map(|b| b.2), position).field(
        "code",
        before.as_ref().map(|b| b.3.clone()),
        code.clone(),
    );
    let written = match part {
        Part::FocusArea => {
            let model = focus_area::ActiveModel {
                id: Set(id),
                strategy_id: Set(parent),
                position: Set(position),
                code: Set(code),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            };
            write_model::<focus_area::Entity, _>(&txn, model, existing, now).await?
        }
        Part::Goal => {
            let model = goal::ActiveModel {
                id: Set(id),
                focus_area_id: Set(parent),
                position: Set(position),
                code: Set(code),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            };
            write_model::<goal::Entity, _>(&txn, model, existing, now).await?
        }
    };
    if !written {
        // Lost to a concurrent change: the CONFLICT names the version stored now.
        let read = before.map_or(1, |b| b.0);
        let conflict = match part {
            Part::FocusArea => {
                versioned::lost_race::<focus_area::Entity>(txn, db, NodeType::FocusArea, id, read).await?
            }
            Part::Goal => versioned::lost_race::<goal::Entity>(txn, db, NodeType::Goal, id, read).await?,
        };
        return Ok(Err(conflict));
    }
    write_texts(&txn, owner, id, &fields.texts, &mut changes).await?;
    let operation = match (part, existing) {
        (Part::FocusArea, None) => "CREATE_FOCUS_AREA",
        (Part::FocusArea, Some(_)) => "UPDATE_FOCUS_AREA",
        (Part::Goal, None) => "CREATE_GOAL",
        (Part::Goal, Some(_)) => "UPDATE_GOAL",
    };
    edit::audit(&txn, actor, now, operation, node_type.name(), id, changes).await?;
    let change = Change::new(Operation::from_audit(operation), node_type, id);
    change_feed::commit(txn, now, &[change]).await?;
    Ok(Ok(id))
}
