//! Creating and updating strategies, focus areas, goals and action plans (ADMIN only).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, ResultExt, SimpleObject};
use sea_orm::{DatabaseConnection, EntityTrait};

use super::{admin, decode, decode_all, optional, user_errors};
use crate::entity::{action_plan, focus_area, goal, strategy};
use crate::graphql::object::action_plan::ActionPlan;
use crate::graphql::object::focus_area::FocusArea;
use crate::graphql::object::goal::Goal;
use crate::graphql::object::strategy::Strategy;
use crate::graphql::scalars::{CountryCode, Date};
use crate::graphql::user_error::{LocalizedTextInput, UserError, texts_of};
use crate::service::edit::Problem;
use crate::service::id::NodeType;
use crate::service::strategy_edit::{self, Frame, FrameFields, Part, PartFields, TextFields};

/// Strategy mutations.
#[derive(Default)]
pub struct StrategyMutation;

/// A strategy or an action plan, new or changed: a field left out keeps its value (on create: is empty),
/// null clears it, a list given replaces the list.
#[derive(InputObject)]
pub struct FrameInput {
    /// The strategy or action plan to change; left out to create one.
    id: Option<ID>,
    /// The version you last read (when changing).
    expected_version: Option<i32>,
    /// The country (required when creating).
    country: Option<CountryCode>,
    /// First year.
    start_year: MaybeUndefined<i32>,
    /// Last year, not before the first.
    end_year: MaybeUndefined<i32>,
    /// The day a strategy was adopted, or an action plan published.
    dated: MaybeUndefined<Date>,
    /// An action plan's strategy.
    strategy_id: MaybeUndefined<ID>,
    /// The owning organisations (replaces the set).
    owner_ids: Option<Vec<ID>>,
    /// A strategy's name, or an action plan's title, in every language it has (required when creating).
    name: Option<Vec<LocalizedTextInput>>,
    /// The description in every language it has.
    description: Option<Vec<LocalizedTextInput>>,
}

/// A focus area or a goal, new or changed.
#[derive(InputObject)]
pub struct PartInput {
    /// The focus area or goal to change; left out to create one.
    id: Option<ID>,
    /// The version you last read (when changing).
    expected_version: Option<i32>,
    /// The strategy of a new focus area, or the focus area of a new goal.
    parent_id: Option<ID>,
    /// The place in the parent, 1 or more, unique there (required when creating).
    position: Option<i32>,
    /// The code, such as "1.2" (required when creating).
    code: Option<String>,
    /// A focus area's name, or a goal's title, in every language it has (required when creating).
    name: Option<Vec<LocalizedTextInput>>,
    /// A goal's note, in every language it has.
    note: Option<Vec<LocalizedTextInput>>,
}

/// What `saveStrategy` did.
#[derive(SimpleObject)]
pub struct StrategyPayload {
    /// The strategy after the change; null when nothing was changed.
    strategy: Option<Strategy>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// What `saveActionPlan` did.
#[derive(SimpleObject)]
pub struct ActionPlanPayload {
    /// The action plan after the change; null when nothing was changed.
    action_plan: Option<ActionPlan>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// What `saveFocusArea` did.
#[derive(SimpleObject)]
pub struct FocusAreaPayload {
    /// The focus area after the change; null when nothing was changed.
    focus_area: Option<FocusArea>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// What `saveGoal` did.
#[derive(SimpleObject)]
pub struct GoalPayload {
    /// The goal after the change; null when nothing was changed.
    goal: Option<Goal>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// The record to change and its version, or neither (create); a problem when only one is given.
fn existing(
    id: Option<&ID>,
    version: Option<i32>,
    node_type: NodeType,
    problems: &mut Vec<Problem>,
) -> Option<(uuid::Uuid, i32)> {
    match (id, version) {
        (None, None) => None,
        (Some(id), Some(version)) => decode(id, node_type, &["id"], problems).map(|id| (id, version)),
        _ => {
            problems.push(Problem::new(
                &["expectedVersion"],
                "INVALID",
                "give id and expectedVersion together",
            ));
            None
        }
    }
}

/// The texts given, each as (input field, stored field, translations), checked.
fn texts(given: Vec<(&str, &'static str, Option<Vec<LocalizedTextInput>>)>, problems: &mut Vec<Problem>) -> TextFields {
    given
        .into_iter()
        .map(|(input, stored, texts)| (stored, texts.map(|t| texts_of(input, &t, problems))))
        .collect()
}

/// Saves a strategy or an action plan from `input`; the saved record's ID, or the problems.
async fn save_frame(
    ctx: &Context<'_>,
    frame: Frame,
    input: FrameInput,
) -> async_graphql::Result<Result<uuid::Uuid, Vec<UserError>>> {
    let actor = admin(ctx)?;
    let db = ctx.data::<DatabaseConnection>()?;
    let mut problems = Vec::new();
    let node_type = if frame == Frame::Strategy {
        NodeType::Strategy
    } else {
        NodeType::ActionPlan
    };
    let name_field = if frame == Frame::Strategy { "name" } else { "title" };
    let existing = existing(input.id.as_ref(), input.expected_version, node_type, &mut problems);
    let texts = texts(
        vec![
            ("name", name_field, input.name),
            ("description", "description", input.description),
        ],
        &mut problems,
    );
    let fields = FrameFields {
        country: input.country.map(|c| c.0),
        start_year: optional(input.start_year, Some),
        end_year: optional(input.end_year, Some),
        dated: optional(input.dated, |d| Some(d.0)),
        strategy: optional(input.strategy_id, |s| {
            decode(&s, NodeType::Strategy, &["strategyId"], &mut problems)
        }),
        owners: input
            .owner_ids
            .map(|o| decode_all(&o, NodeType::Organisation, "ownerIds", &mut problems)),
        texts,
    };
    if !problems.is_empty() {
        return Ok(Err(user_errors(problems)));
    }
    let outcome = strategy_edit::save_frame(db, &actor, frame, existing, fields)
        .await
        .extend()?;
    Ok(outcome.map_err(user_errors))
}

/// Saves a focus area or a goal from `input`.
async fn save_part(
    ctx: &Context<'_>,
    part: Part,
    input: PartInput,
) -> async_graphql::Result<Result<uuid::Uuid, Vec<UserError>>> {
    let actor = admin(ctx)?;
    let db = ctx.data::<DatabaseConnection>()?;
    let mut problems = Vec::new();
    let (node_type, parent_type, name_field) = match part {
        Part::FocusArea => (NodeType::FocusArea, NodeType::Strategy, "name"),
        Part::Goal => (NodeType::Goal, NodeType::FocusArea, "title"),
    };
    let existing = existing(input.id.as_ref(), input.expected_version, node_type, &mut problems);
    let parent = input
        .parent_id
        .as_ref()
        .and_then(|p| decode(p, parent_type, &["parentId"], &mut problems));
    let mut given = vec![("name", name_field, input.name)];
    if part == Part::Goal {
        given.push(("note", "note", input.note));
    }
    let fields = PartFields {
        parent,
        position: input.position,
        code: input.code,
        texts: texts(given, &mut problems),
    };
    if !problems.is_empty() {
        return Ok(Err(user_errors(problems)));
    }
    let outcome = strategy_edit::save_part(db, &actor, part, existing, fields)
        .await
        .extend()?;
    Ok(outcome.map_err(user_errors))
}

#[Object]
impl StrategyMutation {
    /// Creates a strategy (no `id`) or changes one (`id` and `expectedVersion`). For an ADMIN.
    async fn save_strategy(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The strategy.")] input: FrameInput,
    ) -> async_graphql::Result<StrategyPayload> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(match save_frame(ctx, Frame::Strategy, input).await? {
            Ok(id) => StrategyPayload {
                strategy: strategy::Entity::find_by_id(id)
                    .one(db)
                    .await
                    .map_err(crate::error::Error::from)
                    .extend()?
                    .map(Strategy),
                user_errors: Vec::new(),
            },
            Err(user_errors) => StrategyPayload {
                strategy: None,
                user_errors,
            },
        })
    }

    /// Creates an action plan (no `id`) or changes one. For an ADMIN.
    async fn save_action_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action plan; `name` is its title and `dated` its publication day.")] input: FrameInput,
    ) -> async_graphql::Result<ActionPlanPayload> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(match save_frame(ctx, Frame::ActionPlan, input).await? {
            Ok(id) => ActionPlanPayload {
                action_plan: action_plan::Entity::find_by_id(id)
                    .one(db)
                    .await
                    .map_err(crate::error::Error::from)
                    .extend()?
                    .map(ActionPlan),
                user_errors: Vec::new(),
            },
            Err(user_errors) => ActionPlanPayload {
                action_plan: None,
                user_errors,
            },
        })
    }

    /// Creates a focus area of a strategy (no `id`) or changes one. For an ADMIN.
    async fn save_focus_area(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The focus area; `parentId` is its strategy.")] input: PartInput,
    ) -> async_graphql::Result<FocusAreaPayload> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(match save_part(ctx, Part::FocusArea, input).await? {
            Ok(id) => FocusAreaPayload {
                focus_area: focus_area::Entity::find_by_id(id)
                    .one(db)
                    .await
                    .map_err(crate::error::Error::from)
                    .extend()?
                    .map(FocusArea),
                user_errors: Vec::new(),
            },
            Err(user_errors) => FocusAreaPayload {
                focus_area: None,
                user_errors,
            },
        })
    }

    /// Creates a goal of a focus area (no `id`) or changes one. For an ADMIN.
    async fn save_goal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The goal; `parentId` is its focus area and `name` its title.")] input: PartInput,
    ) -> async_graphql::Result<GoalPayload> {
        let db = ctx.data::<DatabaseConnection>()?;
        Ok(match save_part(ctx, Part::Goal, input).await? {
            Ok(id) => GoalPayload {
                goal: goal::Entity::find_by_id(id)
                    .one(db)
                    .await
                    .map_err(crate::error::Error::from)
                    .extend()?
                    .map(Goal),
                user_errors: Vec::new(),
            },
            Err(user_errors) => GoalPayload {
                goal: None,
                user_errors,
            },
        })
    }
}
