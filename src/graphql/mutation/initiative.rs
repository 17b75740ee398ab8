//! Creating, updating, archiving and restoring initiatives, and proposing roles on them.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, ResultExt, SimpleObject};
use sea_orm::DatabaseConnection;

use super::{ResponsibilityInput, actor, decode, decode_all, decode_roles, optional, user_errors};
use crate::entity::enums::{Role, SchoolLevel, Status};
use crate::graphql::object::initiative::{Initiative, Responsibility};
use crate::graphql::scalars::{CountryCode, Date};
use crate::graphql::user_error::{LocalizedTextInput, UserError, texts_of};
use crate::service::edit::Problem;
use crate::service::id::NodeType;
use crate::service::initiative_edit::{self, InitiativeFields, NewInitiative};
use crate::service::responsibility_proposal::{self, Proposal};

/// Initiative mutations.
#[derive(Default)]
pub struct InitiativeMutation;

/// A new initiative with its texts, goals, themes, school levels and responsibilities.
#[derive(InputObject)]
pub struct CreateInitiativeInput {
    /// The country it belongs to.
    country: CountryCode,
    /// The action plan it belongs to, if any.
    action_plan_id: Option<ID>,
    /// Its number in the action plan, unique there.
    number: Option<i32>,
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
    /// Actual start.
    actual_start: Option<Date>,
    /// Actual end, not before the actual start.
    actual_end: Option<Date>,
    /// The goals it serves.
    #[graphql(default)]
    goal_ids: Vec<ID>,
    /// The codes of its themes.
    #[graphql(default)]
    themes: Vec<String>,
    /// The school levels it targets.
    #[graphql(default)]
    school_levels: Vec<SchoolLevel>,
    /// The organisations holding a role on it. An EDITOR names its own organisation as LEAD or
    /// RESPONSIBLE; roles of other organisations start PROPOSED.
    #[graphql(default)]
    responsibilities: Vec<ResponsibilityInput>,
}

/// Changes to an initiative: a field left out keeps its value, null clears an optional one, and a list
/// given replaces the whole list.
#[derive(InputObject)]
pub struct UpdateInitiativeInput {
    /// The initiative.
    initiative_id: ID,
    /// The version you last read; a newer one means someone changed it since (CONFLICT).
    expected_version: i32,
    /// The country.
    country: Option<CountryCode>,
    /// The action plan; null for none.
    action_plan_id: MaybeUndefined<ID>,
    /// The number in the action plan; null for none.
    number: MaybeUndefined<i32>,
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
    /// The goals it serves (replaces the set).
    goal_ids: Option<Vec<ID>>,
    /// The codes of its themes (replaces the set).
    themes: Option<Vec<String>>,
    /// The school levels it targets (replaces the set).
    school_levels: Option<Vec<SchoolLevel>>,
}

/// Which initiative to archive or restore, at which version.
#[derive(InputObject)]
pub struct InitiativeVersionInput {
    /// The initiative.
    initiative_id: ID,
    /// The version you last read.
    expected_version: i32,
}

/// What an initiative mutation did.
#[derive(SimpleObject)]
pub struct InitiativePayload {
    /// The initiative after the change; null when nothing was changed.
    initiative: Option<Initiative>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

impl InitiativePayload {
    fn from(outcome: Result<crate::entity::initiative::Model, Vec<Problem>>) -> Self {
        match outcome {
            Ok(model) => InitiativePayload {
                initiative: Some(Initiative(model)),
                user_errors: Vec::new(),
            },
            Err(problems) => InitiativePayload {
                initiative: None,
                user_errors: user_errors(problems),
            },
        }
    }
}

/// A role proposed to an organisation, on an initiative or one of its activities.
#[derive(InputObject)]
pub struct ProposeResponsibilityInput {
    /// The initiative; give this or `activityId`.
    initiative_id: Option<ID>,
    /// The activity; give this or `initiativeId`.
    activity_id: Option<ID>,
    /// The organisation proposed.
    organisation_id: ID,
    /// The role proposed.
    role: Role,
}

/// What `proposeResponsibility` did.
#[derive(SimpleObject)]
pub struct ProposeResponsibilityPayload {
    /// The new responsibility; null when nothing was changed.
    responsibility: Option<Responsibility>,
    /// What was wrong with the input; empty when the role was proposed.
    user_errors: Vec<UserError>,
}

fn day(date: Date) -> Option<chrono::NaiveDate> {
    Some(date.0)
}

#[Object]
impl InitiativeMutation {
    /// Creates an initiative with its texts, goals, themes, school levels and responsibilities, all or
    /// nothing. For an ADMIN, or an EDITOR naming its own organisation as LEAD or RESPONSIBLE.
    async fn create_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new initiative.")] input: CreateInitiativeInput,
    ) -> async_graphql::Result<InitiativePayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let title = texts_of("title", &input.title, &mut problems);
        let description = texts_of("description", &input.description, &mut problems);
        let action_plan = input
            .action_plan_id
            .as_ref()
            .map(|id| decode(id, NodeType::ActionPlan, &["actionPlanId"], &mut problems));
        let goals = decode_all(&input.goal_ids, NodeType::Goal, "goalIds", &mut problems);
        let responsibilities = decode_roles(&input.responsibilities, &mut problems);
        if !problems.is_empty() {
            return Ok(InitiativePayload::from(Err(problems)));
        }
        let new = NewInitiative {
            fields: InitiativeFields {
                country: Some(input.country.0),
                action_plan: Some(action_plan.flatten()),
                number: Some(input.number),
                planned_start: Some(input.planned_start.map(|d| d.0)),
                planned_end: Some(input.planned_end.map(|d| d.0)),
                actual_start: Some(input.actual_start.map(|d| d.0)),
                actual_end: Some(input.actual_end.map(|d| d.0)),
                title: Some(title),
                description: Some(description),
                goals: Some(goals),
                themes: Some(input.themes),
                school_levels: Some(input.school_levels),
            },
            status: input.status,
            responsibilities,
        };
        let outcome = initiative_edit::create(db, &actor, new).await.extend()?;
        Ok(InitiativePayload::from(outcome))
    }

    /// Changes an initiative's fields, texts and links (not its status: see `setInitiativeStatus`). For an
    /// ADMIN, or an EDITOR whose organisation leads or is responsible for it.
    async fn update_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateInitiativeInput,
    ) -> async_graphql::Result<InitiativePayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let id = decode(
            &input.initiative_id,
            NodeType::Initiative,
            &["initiativeId"],
            &mut problems,
        );
        let title = input.title.map(|t| texts_of("title", &t, &mut problems));
        let description = input.description.map(|t| texts_of("description", &t, &mut problems));
        let action_plan = optional(input.action_plan_id, |plan| {
            decode(&plan, NodeType::ActionPlan, &["actionPlanId"], &mut problems)
        });
        let goals = input
            .goal_ids
            .map(|g| decode_all(&g, NodeType::Goal, "goalIds", &mut problems));
        let (Some(id), true) = (id, problems.is_empty()) else {
            return Ok(InitiativePayload::from(Err(problems)));
        };
        let fields = InitiativeFields {
            country: input.country.map(|c| c.0),
            action_plan,
            number: optional(input.number, Some),
            planned_start: optional(input.planned_start, day),
            planned_end: optional(input.planned_end, day),
            actual_start: optional(input.actual_start, day),
            actual_end: optional(input.actual_end, day),
            title,
            description,
            goals,
            themes: input.themes,
            school_levels: input.school_levels,
        };
        let outcome = initiative_edit::update(db, &actor, id, input.expected_version, fields)
            .await
            .extend()?;
        Ok(InitiativePayload::from(outcome))
    }

    /// Archives an initiative: it leaves lists, search and coverage (`includeArchived` brings it back) and
    /// keeps its ID; its activities leave the activity lists with it.
    async fn archive_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative and its version.")] input: InitiativeVersionInput,
    ) -> async_graphql::Result<InitiativePayload> {
        set_archived(ctx, input, true).await
    }

    /// Restores an archived initiative to the lists.
    async fn restore_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative and its version.")] input: InitiativeVersionInput,
    ) -> async_graphql::Result<InitiativePayload> {
        set_archived(ctx, input, false).await
    }

    /// Proposes a role on an initiative or activity to an organisation; the role is PROPOSED until the
    /// organisation accepts or declines it (`decideResponsibility`), or ACCEPTED at once when it is the
    /// proposer's own organisation. For an ADMIN, or an EDITOR who may change the initiative.
    async fn propose_responsibility(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role proposed.")] input: ProposeResponsibilityInput,
    ) -> async_graphql::Result<ProposeResponsibilityPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let initiative = input
            .initiative_id
            .as_ref()
            .and_then(|id| decode(id, NodeType::Initiative, &["initiativeId"], &mut problems));
        let activity = input
            .activity_id
            .as_ref()
            .and_then(|id| decode(id, NodeType::Activity, &["activityId"], &mut problems));
        let organisation = decode(
            &input.organisation_id,
            NodeType::Organisation,
            &["organisationId"],
            &mut problems,
        );
        if input.initiative_id.is_some() == input.activity_id.is_some() {
            problems.push(Problem::new(
                &["initiativeId"],
                "INVALID",
                "give either initiativeId or activityId",
            ));
        }
        let refused = |problems| ProposeResponsibilityPayload {
            responsibility: None,
            user_errors: user_errors(problems),
        };
        let Some(organisation) = organisation.filter(|_| problems.is_empty()) else {
            return Ok(refused(problems));
        };
        let proposal = Proposal {
            initiative,
            activity,
            organisation,
            role: input.role,
        };
        Ok(
            match responsibility_proposal::propose(db, &actor, proposal).await.extend()? {
                Ok(model) => ProposeResponsibilityPayload {
                    responsibility: Some(Responsibility(model)),
                    user_errors: Vec::new(),
                },
                Err(problems) => refused(problems),
            },
        )
    }
}

async fn set_archived(
    ctx: &Context<'_>,
    input: InitiativeVersionInput,
    archive: bool,
) -> async_graphql::Result<InitiativePayload> {
    let actor = actor(ctx)?;
    let db = ctx.data::<DatabaseConnection>()?;
    let mut problems = Vec::new();
    let Some(id) = decode(
        &input.initiative_id,
        NodeType::Initiative,
        &["initiativeId"],
        &mut problems,
    ) else {
        return Ok(InitiativePayload::from(Err(problems)));
    };
    let outcome = initiative_edit::set_archived(db, &actor, id, input.expected_version, archive)
        .await
        .extend()?;
    Ok(InitiativePayload::from(outcome))
}
