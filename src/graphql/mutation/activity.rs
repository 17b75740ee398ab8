//! Creating, updating, archiving and restoring activities; organisations joining and leaving them.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, ResultExt, SimpleObject};
use sea_orm::DatabaseConnection;

use super::{ResponsibilityInput, actor, decode, decode_roles, optional, user_errors};
use crate::entity::enums::{ParticipationStatus, Status};
use crate::graphql::object::activity::Activity;
use crate::graphql::object::participation::Participation;
use crate::graphql::scalars::Date;
use crate::graphql::user_error::{LocalizedTextInput, UserError, texts_of};
use crate::service::activity_edit::{self, ActivityFields, ParticipationChange};
use crate::service::edit::Problem;
use crate::service::id::NodeType;

/// Activity mutations.
#[derive(Default)]
pub struct ActivityMutation;

/// A new activity of an initiative.
#[derive(InputObject)]
pub struct CreateActivityInput {
    /// The initiative it belongs to.
    initiative_id: ID,
    /// Its place among the initiative's activities (1 or more).
    position: Option<i32>,
    /// Its status at the start.
    #[graphql(default_with = "Status::Proposed")]
    status: Status,
    /// Its title, in at least one language.
    title: Vec<LocalizedTextInput>,
    /// Its description, in any languages.
    #[graphql(default)]
    description: Vec<LocalizedTextInput>,
    /// Planned start.
    planned_start: Option<Date>,
    /// Planned end, not before the planned start.
    planned_end: Option<Date>,
    /// The organisations holding a role on it; roles of other organisations than yours start PROPOSED.
    #[graphql(default)]
    responsibilities: Vec<ResponsibilityInput>,
}

/// Changes to an activity: a field left out keeps its value, null clears an optional one.
#[derive(InputObject)]
pub struct UpdateActivityInput {
    /// The activity.
    activity_id: ID,
    /// The version you last read; a newer one means someone changed it since (CONFLICT).
    expected_version: i32,
    /// Its place among the initiative's activities; null clears.
    position: MaybeUndefined<i32>,
    /// Its status, following the lifecycle of initiatives.
    status: Option<Status>,
    /// The title in every language it has (replaces all titles).
    title: Option<Vec<LocalizedTextInput>>,
    /// The description in every language it has (replaces all; empty clears).
    description: Option<Vec<LocalizedTextInput>>,
    /// Planned start; null clears.
    planned_start: MaybeUndefined<Date>,
    /// Planned end; null clears.
    planned_end: MaybeUndefined<Date>,
    /// Actual start; null clears.
    actual_start: MaybeUndefined<Date>,
    /// Actual end; null clears.
    actual_end: MaybeUndefined<Date>,
}

/// Which activity to archive or restore, at which version.
#[derive(InputObject)]
pub struct ActivityVersionInput {
    /// The activity.
    activity_id: ID,
    /// The version you last read.
    expected_version: i32,
}

/// What an activity mutation did.
#[derive(SimpleObject)]
pub struct ActivityPayload {
    /// The activity after the change; null when nothing was changed.
    activity: Option<Activity>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

impl ActivityPayload {
    fn from(outcome: Result<crate::entity::activity::Model, Vec<Problem>>) -> Self {
        match outcome {
            Ok(model) => ActivityPayload {
                activity: Some(Activity(model)),
                user_errors: Vec::new(),
            },
            Err(problems) => ActivityPayload {
                activity: None,
                user_errors: user_errors(problems),
            },
        }
    }
}

/// An organisation joining an activity, or changing how far its part has come.
#[derive(InputObject)]
pub struct JoinActivityInput {
    /// The activity.
    activity_id: ID,
    /// The organisation taking part; an EDITOR's own organisation when left out.
    organisation_id: Option<ID>,
    /// Its status: INTERESTED, PARTICIPATING or COMPLETED.
    #[graphql(default_with = "ParticipationStatus::Participating")]
    status: ParticipationStatus,
    /// The version of the organisation's participation you last read; required when it has one already.
    expected_version: Option<i32>,
    /// The day it started taking part.
    started_on: Option<Date>,
}

/// An organisation leaving an activity: its participation becomes WITHDRAWN and keeps its history.
#[derive(InputObject)]
pub struct LeaveActivityInput {
    /// The activity.
    activity_id: ID,
    /// The organisation leaving; an EDITOR's own organisation when left out.
    organisation_id: Option<ID>,
    /// The version of the participation you last read.
    expected_version: i32,
    /// The day it stopped taking part; today when left out.
    ended_on: Option<Date>,
}

/// What `joinActivity` or `leaveActivity` did.
#[derive(SimpleObject)]
pub struct ParticipationPayload {
    /// The participation after the change; null when nothing was changed.
    participation: Option<Participation>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

fn day(date: Date) -> Option<chrono::NaiveDate> {
    Some(date.0)
}

#[Object]
impl ActivityMutation {
    /// Adds an activity to an initiative, with its texts and roles, all or nothing. For an ADMIN, or an
    /// EDITOR who may change the initiative.
    async fn create_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new activity.")] input: CreateActivityInput,
    ) -> async_graphql::Result<ActivityPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let initiative = decode(
            &input.initiative_id,
            NodeType::Initiative,
            &["initiativeId"],
            &mut problems,
        );
        let title = texts_of("title", &input.title, &mut problems);
        let description = texts_of("description", &input.description, &mut problems);
        let roles = decode_roles(&input.responsibilities, &mut problems);
        let (Some(initiative), true) = (initiative, problems.is_empty()) else {
            return Ok(ActivityPayload::from(Err(problems)));
        };
        let fields = ActivityFields {
            position: Some(input.position),
            status: Some(input.status),
            planned_start: Some(input.planned_start.map(|d| d.0)),
            planned_end: Some(input.planned_end.map(|d| d.0)),
            actual_start: None,
            actual_end: None,
            title: Some(title),
            description: Some(description),
        };
        let outcome = activity_edit::create(db, &actor, initiative, fields, roles)
            .await
            .extend()?;
        Ok(ActivityPayload::from(outcome))
    }

    /// Changes an activity's fields and texts. For an ADMIN, an EDITOR who may change its initiative, or an
    /// EDITOR whose organisation leads or is responsible for the activity.
    async fn update_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateActivityInput,
    ) -> async_graphql::Result<ActivityPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let id = decode(&input.activity_id, NodeType::Activity, &["activityId"], &mut problems);
        let title = input.title.map(|t| texts_of("title", &t, &mut problems));
        let description = input.description.map(|t| texts_of("description", &t, &mut problems));
        let (Some(id), true) = (id, problems.is_empty()) else {
            return Ok(ActivityPayload::from(Err(problems)));
        };
        let fields = ActivityFields {
            position: optional(input.position, Some),
            status: input.status,
            planned_start: optional(input.planned_start, day),
            planned_end: optional(input.planned_end, day),
            actual_start: optional(input.actual_start, day),
            actual_end: optional(input.actual_end, day),
            title,
            description,
        };
        let outcome = activity_edit::update(db, &actor, id, input.expected_version, fields)
            .await
            .extend()?;
        Ok(ActivityPayload::from(outcome))
    }

    /// Archives an activity: it leaves lists and search (`includeArchived` brings it back) and keeps its ID.
    async fn archive_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and its version.")] input: ActivityVersionInput,
    ) -> async_graphql::Result<ActivityPayload> {
        set_archived(ctx, input, true).await
    }

    /// Restores an archived activity to the lists.
    async fn restore_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and its version.")] input: ActivityVersionInput,
    ) -> async_graphql::Result<ActivityPayload> {
        set_archived(ctx, input, false).await
    }

    /// Records that an organisation takes part in an activity, or how far its part has come. For an ADMIN,
    /// or the organisation's EDITOR.
    async fn join_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and the organisation's part.")] input: JoinActivityInput,
    ) -> async_graphql::Result<ParticipationPayload> {
        if input.status == ParticipationStatus::Withdrawn {
            let message = "to withdraw, use leaveActivity";
            let problems = vec![Problem::new(&["status"], "INVALID", message)];
            return Ok(participation_payload(Err(problems)));
        }
        let change = |activity, organisation| ParticipationChange {
            activity,
            organisation,
            status: input.status,
            expected_version: input.expected_version,
            started_on: input.started_on.map(|d| d.0),
            ended_on: None,
        };
        set_participation(ctx, &input.activity_id, input.organisation_id.as_ref(), change).await
    }

    /// Records that an organisation has left an activity (WITHDRAWN). For an ADMIN, or the organisation's
    /// EDITOR.
    async fn leave_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The activity and the organisation leaving it.")] input: LeaveActivityInput,
    ) -> async_graphql::Result<ParticipationPayload> {
        let ended_on = input.ended_on.map_or_else(|| chrono::Utc::now().date_naive(), |d| d.0);
        let change = |activity, organisation| ParticipationChange {
            activity,
            organisation,
            status: ParticipationStatus::Withdrawn,
            expected_version: Some(input.expected_version),
            started_on: None,
            ended_on: Some(ended_on),
        };
        set_participation(ctx, &input.activity_id, input.organisation_id.as_ref(), change).await
    }
}

fn participation_payload(outcome: Result<crate::entity::participation::Model, Vec<Problem>>) -> ParticipationPayload {
    match outcome {
        Ok(model) => ParticipationPayload {
            participation: Some(Participation(model)),
            user_errors: Vec::new(),
        },
        Err(problems) => ParticipationPayload {
            participation: None,
            user_errors: user_errors(problems),
        },
    }
}

/// Decodes the IDs of a join or leave and records the change.
async fn set_participation(
    ctx: &Context<'_>,
    activity: &ID,
    organisation: Option<&ID>,
    change: impl FnOnce(uuid::Uuid, Option<uuid::Uuid>) -> ParticipationChange,
) -> async_graphql::Result<ParticipationPayload> {
    let actor = actor(ctx)?;
    let db = ctx.data::<DatabaseConnection>()?;
    let mut problems = Vec::new();
    let activity = decode(activity, NodeType::Activity, &["activityId"], &mut problems);
    let organisation = organisation.map(|id| decode(id, NodeType::Organisation, &["organisationId"], &mut problems));
    let (Some(activity), true) = (activity, problems.is_empty()) else {
        return Ok(participation_payload(Err(problems)));
    };
    let outcome = activity_edit::set_participation(db, &actor, change(activity, organisation.flatten()))
        .await
        .extend()?;
    Ok(participation_payload(outcome))
}

async fn set_archived(
    ctx: &Context<'_>,
    input: ActivityVersionInput,
    archive: bool,
) -> async_graphql::Result<ActivityPayload> {
    let actor = actor(ctx)?;
    let db = ctx.data::<DatabaseConnection>()?;
    let mut problems = Vec::new();
    let Some(id) = decode(&input.activity_id, NodeType::Activity, &["activityId"], &mut problems) else {
        return Ok(ActivityPayload::from(Err(problems)));
    };
    let outcome = activity_edit::set_archived(db, &actor, id, input.expected_version, archive)
        .await
        .extend()?;
    Ok(ActivityPayload::from(outcome))
}
