//! Creating, updating, archiving and restoring activities, and organisations joining and leaving them.
//! Each is one transaction with its audit entry.
//!
//! Rules: an activity has a title in at least one language; an end is not before its start; a status
//! change follows the initiative lifecycle (see [`super::initiative_status`]). Whoever may change an
//! initiative may add activities to it; an activity may also be changed by an EDITOR whose organisation
//! leads or is responsible for the activity. An organisation's participation is recorded by an ADMIN or by
//! that organisation's EDITOR.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::enums::{AccessRole, ParticipationStatus, Role, Status};
use crate::entity::{activity, initiative, organisation, participation};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem, check_exist, check_period};
use crate::service::id::NodeType;
use crate::service::initiative_status::allowed;
use crate::service::permission::{self, Actor};
use crate::service::region_count;
use crate::service::responsibility_proposal::{self, Target};
use crate::service::text::{Localized, TextOwner};
use crate::service::versioned;

/// The fields of an activity a change sets: on create, `None` takes the default; on update, it keeps the
/// value; `Some(None)` clears an optional field.
#[derive(Clone, Debug, Default)]
pub struct ActivityFields {
    /// Its place among the initiative's activities.
    pub position: Option<Option<i32>>,
    /// Its status.
    pub status: Option<Status>,
    /// Planned start.
    pub planned_start: Option<Option<NaiveDate>>,
    /// Planned end.
    pub planned_end: Option<Option<NaiveDate>>,
    /// Actual start.
    pub actual_start: Option<Option<NaiveDate>>,
    /// Actual end.
    pub actual_end: Option<Option<NaiveDate>>,
    /// The title in each language (replaces all).
    pub title: Option<Vec<Localized>>,
    /// The description in each language (replaces all; empty clears).
    pub description: Option<Vec<Localized>>,
}

const FORBIDDEN: &str = "only an ADMIN, or an EDITOR for an organisation that leads or is responsible for the \
                         activity or its initiative, may change it";

/// The problems with `fields`, given the activity before an update.
fn check(fields: &ActivityFields, current: Option<&activity::Model>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if fields.title.as_ref().is_some_and(Vec::is_empty) {
        problems.push(Problem::new(
            &["title"],
            "INVALID",
            "give a title in at least one language",
        ));
    }
    let pick = |given: Option<Option<NaiveDate>>, now: Option<NaiveDate>| given.unwrap_or(now);
    check_period(
        &mut problems,
        "plannedEnd",
        pick(fields.planned_start, current.and_then(|c| c.planned_start)),
        pick(fields.planned_end, current.and_then(|c| c.planned_end)),
    );
    check_period(
        &mut problems,
        "actualEnd",
        pick(fields.actual_start, current.and_then(|c| c.actual_start)),
        pick(fields.actual_end, current.and_then(|c| c.actual_end)),
    );
    if let (Some(current), Some(status)) = (current, fields.status)
        && !allowed(current.status, status)
    {
        let message = format!(
            "an activity cannot go from {} to {}",
            current.status.to_value(),
            status.to_value()
        );
        problems.push(Problem::new(&["status"], "INVALID_TRANSITION", message));
    }
    if fields.position.flatten().is_some_and(|p| p < 1) {
        problems.push(Problem::new(&["position"], "INVALID", "a position is 1 or more"));
    }
    problems
}

/// Creates an activity of initiative `initiative`, with the roles `roles`.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    initiative: Uuid,
    fields: ActivityFields,
    roles: Vec<(Uuid, Role)>,
) -> Outcome<activity::Model> {
    let txn = crate::db::begin_write(db).await?;
    if initiative::Entity::find_by_id(initiative).one(&txn).await?.is_none() {
        return Ok(Err(vec![Problem::new(
            &["initiativeId"],
            "NOT_FOUND",
            "no initiative has this ID",
        )]));
    }
    if !permission::may_edit(&txn, actor, initiative).await? {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR who may change the initiative, may add activities to it".into(),
        ));
    }
    let mut problems = check(&fields, None);
    if fields.title.is_none() {
        problems.push(Problem::new(
            &["title"],
            "INVALID",
            "give a title in at least one language",
        ));
    }
    let organisations: Vec<Uuid> = roles.iter().map(|(o, _)| *o).collect();
    check_exist::<organisation::Entity>(
        &txn,
        organisation::Column::Id,
        &organisations,
        "responsibilities",
        "organisation",
        &mut problems,
    )
    .await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let id = Uuid::new_v4();
    let status = fields.status.unwrap_or(Status::Proposed);
    let model = activity::ActiveModel {
        id: Set(id),
        initiative_id: Set(initiative),
        position: Set(fields.position.flatten()),
        status: Set(status),
        planned_start: Set(fields.planned_start.flatten()),
        planned_end: Set(fields.planned_end.flatten()),
        actual_start: Set(fields.actual_start.flatten()),
        actual_end: Set(fields.actual_end.flatten()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        archived_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::default();
    changes
        .field("initiative", Value::Null, initiative.to_string())
        .field("status", Value::Null, status.to_value());
    let texts = [
        ("title", fields.title.as_ref()),
        ("description", fields.description.as_ref()),
    ];
    edit::write_texts(&txn, TextOwner::Activity, id, &texts, &mut changes).await?;
    let (held, roles) = responsibility_proposal::insert_roles(&txn, actor, Target::Activity(id), &roles, now).await?;
    changes.field("responsibilities", Value::Null, held);
    edit::audit(&txn, actor, now, "CREATE_ACTIVITY", "Activity", id, changes).await?;
    let mut feed = vec![Change::new(Operation::Create, NodeType::Activity, id)];
    feed.extend(roles);
    change_feed::commit(txn, now, &feed).await?;
    Ok(Ok(model))
}

/// Reads the activity for a change: NOT_FOUND, FORBIDDEN or CONFLICT before anything is written.
async fn for_change(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
) -> Result<Result<activity::Model, Vec<Problem>>, Error> {
    let Some(before) = activity::Entity::find_by_id(id).one(db).await? else {
        return Ok(Err(vec![Problem::new(
            &["activityId"],
            "NOT_FOUND",
            "no activity has this ID",
        )]));
    };
    if !permission::may_edit_activity(db, actor, before.initiative_id, id).await? {
        return Err(Error::Forbidden(FORBIDDEN.into()));
    }
    if let Err(conflict) = versioned::check_version(NodeType::Activity, before.version, expected_version) {
        return Ok(Err(conflict));
    }
    Ok(Ok(before))
}

/// The shared path's commit of a change to `before` ([`versioned::commit`]).
async fn finish(
    txn: DatabaseTransaction,
    db: &DatabaseConnection,
    actor: &Actor,
    operation: &str,
    before: &activity::Model,
    model: activity::ActiveModel,
    changes: Changes,
) -> Outcome<activity::Model> {
    let write = versioned::Write {
        actor,
        operation,
        node_type: NodeType::Activity,
        id: before.id,
        version: before.version,
        now: Utc::now(),
    };
    versioned::commit::<activity::Entity, _>(txn, db, write, model, changes, &[]).await
}

/// Updates the fields `fields` gives of activity `id`, if it is still at `expected_version`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: ActivityFields,
) -> Outcome<activity::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = match for_change(&txn, actor, id, expected_version).await? {
        Ok(before) => before,
        Err(problems) => return Ok(Err(problems)),
    };
    let problems = check(&fields, Some(&before));
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let mut model = <activity::ActiveModel as Default>::default();
    let mut changes = Changes::default();
    if let Some(status) = fields.status {
        changes.field("status", before.status.to_value(), status.to_value());
        model.status = Set(status);
    }
    if let Some(position) = fields.position {
        changes.field("position", before.position, position);
        model.position = Set(position);
    }
    edit::set_day(
        &mut changes,
        "plannedStart",
        fields.planned_start,
        before.planned_start,
        &mut model.planned_start,
    );
    edit::set_day(
        &mut changes,
        "plannedEnd",
        fields.planned_end,
        before.planned_end,
        &mut model.planned_end,
    );
    edit::set_day(
        &mut changes,
        "actualStart",
        fields.actual_start,
        before.actual_start,
        &mut model.actual_start,
    );
    edit::set_day(
        &mut changes,
        "actualEnd",
        fields.actual_end,
        before.actual_end,
        &mut model.actual_end,
    );
    let texts = [
        ("title", fields.title.as_ref()),
        ("description", fields.description.as_ref()),
    ];
    edit::write_texts(&txn, TextOwner::Activity, id, &texts, &mut changes).await?;
    finish(txn, db, actor, "UPDATE_ACTIVITY", &before, model, changes).await
}

/// Archives (`archive` true) or restores activity `id`, if it is still at `expected_version`.
pub async fn set_archived(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    archive: bool,
) -> Outcome<activity::Model> {
    let txn = crate::db::begin_write(db).await?;
    let before = match for_change(&txn, actor, id, expected_version).await? {
        Ok(before) => before,
        Err(problems) => return Ok(Err(problems)),
    };
    if before.archived_at.is_some() == archive {
        let message = if archive {
            "the activity is archived already"
        } else {
            "the activity is not archived"
        };
        return Ok(Err(vec![Problem::new(&["activityId"], "INVALID_TRANSITION", message)]));
    }
    let archived_at: Option<DateTime<Utc>> = archive.then(Utc::now);
    let model = activity::ActiveModel {
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
        "ARCHIVE_ACTIVITY"
    } else {
        "RESTORE_ACTIVITY"
    };
    finish(txn, db, actor, operation, &before, model, changes).await
}

/// An organisation's part in an activity, as asked for.
#[derive(Clone, Debug)]
pub struct ParticipationChange {
    /// The activity.
    pub activity: Uuid,
    /// The organisation taking part (an editor's own when not given).
    pub organisation: Option<Uuid>,
    /// The status to record.
    pub status: ParticipationStatus,
    /// The version of the participation last read; required when it exists.
    pub expected_version: Option<i32>,
    /// The day it started.
    pub started_on: Option<NaiveDate>,
    /// The day it ended.
    pub ended_on: Option<NaiveDate>,
}

/// Records an organisation's participation status in an activity: creates the participation, or changes
/// the one there is (then `expected_version` must match it).
pub async fn set_participation(
    db: &DatabaseConnection,
    actor: &Actor,
    change: ParticipationChange,
) -> Outcome<participation::Model> {
    let Some(organisation) = change.organisation.or(actor.organisation) else {
        return Ok(Err(vec![Problem::new(
            &["organisationId"],
            "INVALID",
            "give the organisation taking part",
        )]));
    };
    let may = actor.role == AccessRole::Admin
        || (actor.role == AccessRole::Editor && actor.organisation == Some(organisation));
    if !may {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR for the organisation, may record its participation".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let Some(target) = activity::Entity::find_by_id(change.activity).one(&txn).await? else {
        return Ok(Err(vec![Problem::new(
            &["activityId"],
            "NOT_FOUND",
            "no activity has this ID",
        )]));
    };
    // The organisation's row locked for share: the county it is counted in cannot change until
    // this write's counts are in (SQLite has one writer at a time and needs no lock).
    let Some(taking_part) = organisation::Entity::find_by_id(organisation)
        .lock_shared()
        .one(&txn)
        .await?
    else {
        return Ok(Err(vec![Problem::new(
            &["organisationId"],
            "NOT_FOUND",
            "no organisation has this ID",
        )]));
    };
    let counted = region_count::ParticipationWrite {
        activity: target.id,
        initiative: target.initiative_id,
        organisation,
        county: region_count::county_of(taking_part.kind, taking_part.parent_id),
        before: false,
        after: region_count::takes_part(change.status),
    };
    let mut problems = Vec::new();
    check_period(&mut problems, "endedOn", change.started_on, change.ended_on);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let existing = participation::Entity::find()
        .filter(participation::Column::ActivityId.eq(change.activity))
        .filter(participation::Column::OrganisationId.eq(organisation))
        .one(&txn)
        .await?;
    let now = Utc::now();
    let mut changes = Changes::default();
    let Some(before) = existing else {
        if change.status == ParticipationStatus::Withdrawn {
            let message = "the organisation does not take part in the activity";
            return Ok(Err(vec![Problem::new(&["organisationId"], "NOT_FOUND", message)]));
        }
        let model = participation::ActiveModel {
            id: Set(Uuid::new_v4()),
            activity_id: Set(change.activity),
            organisation_id: Set(organisation),
            status: Set(change.status),
            started_on: Set(change.started_on),
            ended_on: Set(change.ended_on),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
        region_count::participation_written(&txn, counted).await?;
        changes
            .field("activity", Value::Null, change.activity.to_string())
            .field("organisation", Value::Null, organisation.to_string())
            .field("status", Value::Null, change.status.to_value());
        edit::audit(
            &txn,
            actor,
            now,
            "SET_PARTICIPATION",
            "Participation",
            model.id,
            changes,
        )
        .await?;
        change_feed::commit(
            txn,
            now,
            &[Change::new(Operation::Create, NodeType::Participation, model.id)],
        )
        .await?;
        return Ok(Ok(model));
    };
    if change.expected_version != Some(before.version) {
        return Ok(Err(vec![Problem::conflict("participation", before.version)]));
    }
    let mut model = <participation::ActiveModel as Default>::default();
    changes.field("status", before.status.to_value(), change.status.to_value());
    model.status = Set(change.status);
    for (name, given, was, column) in [
        ("startedOn", change.started_on, before.started_on, &mut model.started_on),
        ("endedOn", change.ended_on, before.ended_on, &mut model.ended_on),
    ] {
        if given.is_some() {
            changes.field(name, was.map(|d| d.to_string()), given.map(|d| d.to_string()));
            *column = Set(given);
        }
    }
    let counted = region_count::ParticipationWrite {
        before: region_count::takes_part(before.status),
        ..counted
    };
    region_count::participation_written(&txn, counted).await?;
    let write = versioned::Write {
        actor,
        operation: "SET_PARTICIPATION",
        node_type: NodeType::Participation,
        id: before.id,
        version: before.version,
        now,
    };
    versioned::commit::<participation::Entity, _>(txn, db, write, model, changes, &[]).await
}
