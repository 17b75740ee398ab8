//! Creating, updating, archiving and restoring initiatives. Each is one transaction with its audit entry:
//! an initiative created with its texts, goals, themes, school levels and responsibilities is all there or
//! not there at all.
//!
//! Rules: an initiative has a title in at least one language; an end is not before its start; goals and
//! themes and the action plan must exist; a number is unique within its action plan. An EDITOR creates
//! initiatives on which its own organisation is LEAD or RESPONSIBLE (others are FORBIDDEN); the role of the creator's own
//! organisation is ACCEPTED, every other role PROPOSED until that organisation decides.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::enums::{AccessRole, Role, SchoolLevel, Status};
use crate::entity::{
    action_plan, goal, initiative, initiative_goal, initiative_school_level, initiative_theme, organisation, theme,
};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem, check_exist, check_one, check_period, dedup};
use crate::service::id::NodeType;
use crate::service::permission::{self, Actor};
use crate::service::responsibility_proposal::{self, Target};
use crate::service::text::{self, Localized, TextOwner};
use crate::service::versioned;

/// The fields of an initiative a change sets. On create, a field left `None` takes its default; on update,
/// it keeps its value. `Some(None)` clears an optional field.
#[derive(Clone, Debug, Default)]
pub struct InitiativeFields {
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// The action plan it belongs to.
    pub action_plan: Option<Option<Uuid>>,
    /// Its number in the action plan.
    pub number: Option<Option<i32>>,
    /// Planned and actual start and end.
    pub planned_start: Option<Option<NaiveDate>>,
    /// Planned end.
    pub planned_end: Option<Option<NaiveDate>>,
    /// Actual start.
    pub actual_start: Option<Option<NaiveDate>>,
    /// Actual end.
    pub actual_end: Option<Option<NaiveDate>>,
    /// The title in each language (replaces all titles).
    pub title: Option<Vec<Localized>>,
    /// The description in each language (replaces all descriptions; empty clears).
    pub description: Option<Vec<Localized>>,
    /// The goals served (replaces the set).
    pub goals: Option<Vec<Uuid>>,
    /// Theme codes (replaces the set).
    pub themes: Option<Vec<String>>,
    /// School levels targeted (replaces the set).
    pub school_levels: Option<Vec<SchoolLevel>>,
}

/// A new initiative.
#[derive(Clone, Debug)]
pub struct NewInitiative {
    /// Its fields; `country` and `title` are required.
    pub fields: InitiativeFields,
    /// Its status at the start.
    pub status: Status,
    /// The organisations holding a role on it, and their roles.
    pub responsibilities: Vec<(Uuid, Role)>,
}

/// The initiative as its links and texts stand, for comparing before and after.
struct Links {
    goals: Vec<Uuid>,
    themes: Vec<Uuid>,
    school_levels: Vec<SchoolLevel>,
}

/// The IDs of the themes with these codes, or a problem per unknown code.
async fn theme_ids(
    db: &impl ConnectionTrait,
    codes: &[String],
    problems: &mut Vec<Problem>,
) -> Result<Vec<Uuid>, Error> {
    let found = theme::Entity::find()
        .filter(theme::Column::Code.is_in(codes.iter().cloned()))
        .all(db)
        .await?;
    let mut ids = Vec::new();
    for (k, code) in codes.iter().enumerate() {
        match found.iter().find(|t| &t.code == code) {
            Some(t) => ids.push(t.id),
            None => problems.push(Problem::new(
                &["themes", &k.to_string()],
                "NOT_FOUND",
                format!("no theme has the code {code:?}"),
            )),
        }
    }
    Ok(dedup(ids))
}

/// Checks the fields against the database and the rules; `current` is the initiative before an update.
async fn check_fields(
    db: &impl ConnectionTrait,
    fields: &InitiativeFields,
    current: Option<&initiative::Model>,
) -> Result<(Vec<Problem>, Option<Vec<Uuid>>), Error> {
    let mut problems = Vec::new();
    if fields.title.as_ref().is_some_and(Vec::is_empty) {
        problems.push(Problem::new(
            &["title"],
            "INVALID",
            "give a title in at least one language",
        ));
    }
    let pick = |given: Option<Option<NaiveDate>>, now: Option<NaiveDate>| given.unwrap_or(now);
    let (planned_start, planned_end, actual_start, actual_end) = (
        pick(fields.planned_start, current.and_then(|c| c.planned_start)),
        pick(fields.planned_end, current.and_then(|c| c.planned_end)),
        pick(fields.actual_start, current.and_then(|c| c.actual_start)),
        pick(fields.actual_end, current.and_then(|c| c.actual_end)),
    );
    check_period(&mut problems, "plannedEnd", planned_start, planned_end);
    check_period(&mut problems, "actualEnd", actual_start, actual_end);
    let plan = fields.action_plan.flatten();
    check_one::<action_plan::Entity>(
        db,
        action_plan::Column::Id,
        plan,
        "actionPlanId",
        "action plan",
        &mut problems,
    )
    .await?;
    let plan = fields.action_plan.unwrap_or(current.and_then(|c| c.action_plan_id));
    let number = fields.number.unwrap_or(current.and_then(|c| c.number));
    if let Some(number) = number {
        if number < 1 {
            problems.push(Problem::new(&["number"], "INVALID", "a number is 1 or more"));
        }
        if let Some(plan) = plan {
            let mut taken = initiative::Entity::find()
                .filter(initiative::Column::ActionPlanId.eq(plan))
                .filter(initiative::Column::Number.eq(number));
            if let Some(current) = current {
                taken = taken.filter(initiative::Column::Id.ne(current.id));
            }
            if taken.count(db).await? > 0 {
                problems.push(Problem::new(
                    &["number"],
                    "TAKEN",
                    format!("another initiative of the action plan has the number {number}"),
                ));
            }
        }
    }
    if let Some(goals) = &fields.goals {
        check_exist::<goal::Entity>(db, goal::Column::Id, goals, "goalIds", "goal", &mut problems).await?;
    }
    let themes = match &fields.themes {
        Some(codes) => Some(theme_ids(db, codes, &mut problems).await?),
        None => None,
    };
    Ok((problems, themes))
}

/// Replaces the goal, theme and school-level links that `fields` gives.
async fn write_links(
    db: &impl ConnectionTrait,
    id: Uuid,
    fields: &InitiativeFields,
    themes: Option<&[Uuid]>,
) -> Result<(), Error> {
    if let Some(goals) = &fields.goals {
        initiative_goal::Entity::delete_many()
            .filter(initiative_goal::Column::InitiativeId.eq(id))
            .exec(db)
            .await?;
        for goal_id in dedup(goals.clone()) {
            initiative_goal::ActiveModel {
                initiative_id: Set(id),
                goal_id: Set(goal_id),
            }
            .insert(db)
            .await?;
        }
    }
    if let Some(themes) = themes {
        initiative_theme::Entity::delete_many()
            .filter(initiative_theme::Column::InitiativeId.eq(id))
            .exec(db)
            .await?;
        for theme_id in themes {
            initiative_theme::ActiveModel {
                initiative_id: Set(id),
                theme_id: Set(*theme_id),
            }
            .insert(db)
            .await?;
        }
    }
    if let Some(levels) = &fields.school_levels {
        initiative_school_level::Entity::delete_many()
            .filter(initiative_school_level::Column::InitiativeId.eq(id))
            .exec(db)
            .await?;
        for level in dedup(levels.clone()) {
            initiative_school_level::ActiveModel {
                initiative_id: Set(id),
                school_level: Set(level),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// The links of an initiative now.
async fn links(db: &impl ConnectionTrait, id: Uuid) -> Result<Links, Error> {
    let goals = initiative_goal::Entity::find()
        .filter(initiative_goal::Column::InitiativeId.eq(id))
        .all(db)
        .await?;
    let themes = initiative_theme::Entity::find()
        .filter(initiative_theme::Column::InitiativeId.eq(id))
        .all(db)
        .await?;
    let levels = initiative_school_level::Entity::find()
        .filter(initiative_school_level::Column::InitiativeId.eq(id))
        .all(db)
        .await?;
    Ok(Links {
        goals: dedup(goals.into_iter().map(|l| l.goal_id).collect()),
        themes: dedup(themes.into_iter().map(|l| l.theme_id).collect()),
        school_levels: dedup(levels.into_iter().map(|l| l.school_level).collect()),
    })
}

fn ids_json(ids: &[Uuid]) -> Value {
    ids.iter().map(|id| Value::String(id.to_string())).collect()
}

fn levels_json(levels: &[SchoolLevel]) -> Value {
    levels.iter().map(|l| Value::String(l.to_value())).collect()
}

/// Notes the scalar fields that `fields` changes from `before`, and sets them on `model`.
fn apply(
    fields: &InitiativeFields,
    before: &initiative::Model,
    model: &mut initiative::ActiveModel,
    changes: &mut Changes,
) {
    if let Some(country) = &fields.country {
        changes.field("country", before.country.clone(), country.clone());
        model.country = Set(country.clone());
    }
    if let Some(plan) = fields.action_plan {
        changes.field(
            "actionPlanId",
            before.action_plan_id.map(|p| p.to_string()),
            plan.map(|p| p.to_string()),
        );
        model.action_plan_id = Set(plan);
    }
    if let Some(number) = fields.number {
        changes.field("number", before.number, number);
        model.number = Set(number);
    }
    edit::set_day(
        changes,
        "plannedStart",
        fields.planned_start,
        before.planned_start,
        &mut model.planned_start,
    );
    edit::set_day(
        changes,
        "plannedEnd",
        fields.planned_end,
        before.planned_end,
        &mut model.planned_end,
    );
    edit::set_day(
        changes,
        "actualStart",
        fields.actual_start,
        before.actual_start,
        &mut model.actual_start,
    );
    edit::set_day(
        changes,
        "actualEnd",
        fields.actual_end,
        before.actual_end,
        &mut model.actual_end,
    );
}

/// Creates an initiative.
pub async fn create(db: &DatabaseConnection, actor: &Actor, new: NewInitiative) -> Outcome<initiative::Model> {
    if actor.role == AccessRole::Reader {
        return Err(Error::Forbidden("a READER token may not create initiatives".into()));
    }
    let txn = crate::db::begin_write(db).await?;
    let (mut problems, themes) = check_fields(&txn, &new.fields, None).await?;
    if new.fields.country.is_none() {
        problems.push(Problem::new(&["country"], "INVALID", "give the initiative's country"));
    }
    if new.fields.title.is_none() {
        problems.push(Problem::new(
            &["title"],
            "INVALID",
            "give a title in at least one language",
        ));
    }
    let organisations: Vec<Uuid> = new.responsibilities.iter().map(|(o, _)| *o).collect();
    check_exist::<organisation::Entity>(
        &txn,
        organisation::Column::Id,
        &organisations,
        "responsibilities",
        "organisation",
        &mut problems,
    )
    .await?;
    for problem in problems
        .iter_mut()
        .filter(|p| p.field.get(1).is_some_and(|f| f == "responsibilities"))
    {
        problem.field.push("organisationId".into());
    }
    if actor.role == AccessRole::Editor {
        let own = new
            .responsibilities
            .iter()
            .any(|(org, role)| Some(*org) == actor.organisation && matches!(role, Role::Lead | Role::Responsible));
        if !own {
            return Err(Error::Forbidden(
                "an EDITOR creates initiatives that name its own organisation as LEAD or RESPONSIBLE".into(),
            ));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let id = Uuid::new_v4();
    let fields = &new.fields;
    let flat = |given: Option<Option<NaiveDate>>| given.flatten();
    let model = initiative::ActiveModel {
        id: Set(id),
        action_plan_id: Set(fields.action_plan.flatten()),
        number: Set(fields.number.flatten()),
        country: Set(fields.country.clone().unwrap_or_default()),
        status: Set(new.status),
        planned_start: Set(flat(fields.planned_start)),
        planned_end: Set(flat(fields.planned_end)),
        actual_start: Set(flat(fields.actual_start)),
        actual_end: Set(flat(fields.actual_end)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        archived_at: Set(None),
    }
    .insert(&txn)
    .await?;
    for (field, texts) in [("title", &fields.title), ("description", &fields.description)] {
        if let Some(texts) = texts {
            text::replace(&txn, TextOwner::Initiative, id, field, texts).await?;
        }
    }
    write_links(&txn, id, fields, themes.as_deref()).await?;
    let (held, roles) =
        responsibility_proposal::insert_roles(&txn, actor, Target::Initiative(id), &new.responsibilities, now).await?;
    let mut changes = Changes::default();
    changes
        .field("country", Value::Null, model.country.clone())
        .field("status", Value::Null, new.status.to_value())
        .field("actionPlanId", Value::Null, model.action_plan_id.map(|p| p.to_string()))
        .field("number", Value::Null, model.number)
        .field(
            "title",
            Value::Null,
            text::to_json(fields.title.as_deref().unwrap_or_default()),
        )
        .field(
            "description",
            Value::Null,
            text::to_json(fields.description.as_deref().unwrap_or_default()),
        )
        .field(
            "goals",
            Value::Null,
            ids_json(&dedup(fields.goals.clone().unwrap_or_default())),
        )
        .field("themes", Value::Null, ids_json(themes.as_deref().unwrap_or_default()))
        .field(
            "schoolLevels",
            Value::Null,
            levels_json(&dedup(fields.school_levels.clone().unwrap_or_default())),
        )
        .field("responsibilities", Value::Null, held);
    edit::audit(&txn, actor, now, "CREATE_INITIATIVE", "Initiative", id, changes).await?;
    let mut feed = vec![Change::new(Operation::Create, NodeType::Initiative, id)];
    feed.extend(roles);
    change_feed::commit(txn, now, &feed).await?;
    Ok(Ok(model))
}

/// Reads the initiative for a change: NOT_FOUND, FORBIDDEN or CONFLICT before anything is written.
async fn for_change(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
) -> Result<Result<initiative::Model, Vec<Problem>>, Error> {
    let Some(before) = initiative::Entity::find_by_id(id).one(db).await? else {
        return Ok(Err(vec![Problem::new(
            &["initiativeId"],
            "NOT_FOUND",
            "no initiative has this ID",
        )]));
    };
    if !permission::may_edit(db, actor, id).await? {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR for an organisation that leads or is responsible for the initiative, may \
             change it"
                .into(),
        ));
    }
    if let Err(conflict) = versioned::check_version(NodeType::Initiative, before.version, expected_version) {
        return Ok(Err(conflict));
    }
    Ok(Ok(before))
}

/// The shared path's commit of a change to `before` ([`versioned::commit`]).
#[allow(clippy::too_many_arguments)]
async fn finish(
    txn: sea_orm::DatabaseTransaction,
    db: &DatabaseConnection,
    actor: &Actor,
    operation: &str,
    before: &initiative::Model,
    model: initiative::ActiveModel,
    changes: Changes,
    now: chrono::DateTime<Utc>,
) -> Outcome<initiative::Model> {
    let write = versioned::Write {
        actor,
        operation,
        node_type: NodeType::Initiative,
        id: before.id,
        version: before.version,
        now,
    };
    versioned::commit::<initiative::Entity, _>(txn, db, write, model, changes, &[]).await
}

/// Updates the fields `fields` gives of initiative `id`, if it is still at `expected_version`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: InitiativeFields,
) -> Outcome<initiative::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = match for_change(&txn, actor, id, expected_version).await? {
        Ok(before) => before,
        Err(problems) => return Ok(Err(problems)),
    };
    let (problems, themes) = check_fields(&txn, &fields, Some(&before)).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let mut model = <initiative::ActiveModel as Default>::default();
    let mut changes = Changes::default();
    apply(&fields, &before, &mut model, &mut changes);
    let texts = [
        ("title", fields.title.as_ref()),
        ("description", fields.description.as_ref()),
    ];
    edit::write_texts(&txn, TextOwner::Initiative, id, &texts, &mut changes).await?;
    let was = links(&txn, id).await?;
    if let Some(goals) = &fields.goals {
        changes.field("goals", ids_json(&was.goals), ids_json(&dedup(goals.clone())));
    }
    if let Some(themes) = &themes {
        changes.field("themes", ids_json(&was.themes), ids_json(themes));
    }
    if let Some(levels) = &fields.school_levels {
        changes.field(
            "schoolLevels",
            levels_json(&was.school_levels),
            levels_json(&dedup(levels.clone())),
        );
    }
    write_links(&txn, id, &fields, themes.as_deref()).await?;
    finish(txn, db, actor, "UPDATE_INITIATIVE", &before, model, changes, now).await
}

/// Archives (`archive` true) or restores initiative `id`, if it is still at `expected_version`. Archiving
/// an archived initiative, or restoring a current one, is INVALID_TRANSITION.
pub async fn set_archived(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    archive: bool,
) -> Outcome<initiative::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = match for_change(&txn, actor, id, expected_version).await? {
        Ok(before) => before,
        Err(problems) => return Ok(Err(problems)),
    };
    if before.archived_at.is_some() == archive {
        let message = if archive {
            "the initiative is archived already"
        } else {
            "the initiative is not archived"
        };
        return Ok(Err(vec![Problem::new(
            &["initiativeId"],
            "INVALID_TRANSITION",
            message,
        )]));
    }
    let now = Utc::now();
    let archived_at = archive.then_some(now);
    let model = initiative::ActiveModel {
        archived_at: Set(archived_at),
        ..Default::default()
    };
    let mut changes = Changes::default();
    changes.field(
        "archivedAt",
        before.archived_at.map(|a| a.to_rfc3339()),
        archived_at.map(|a| a.to_rfc3339()),
    );
    let operation = if archive {
        "ARCHIVE_INITIATIVE"
    } else {
        "RESTORE_INITIATIVE"
    };
    finish(txn, db, actor, operation, &before, model, changes, now).await
}
