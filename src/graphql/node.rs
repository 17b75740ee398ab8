//! The `Node` interface: every record has a global ID, and `node(id:)` / `nodes(ids:)` resolve any of them.

use async_graphql::{Context, ID, Interface, ResultExt};
use uuid::Uuid;

use super::action_plan::ActionPlan;
use super::initiative::Initiative;
use super::loader::{
    ActionPlanKey, FocusAreaKey, GoalKey, InitiativeKey, Loader, OrganisationKey, StrategyKey, ThemeKey,
};
use super::organisation::Organisation;
use super::strategy::{FocusArea, Goal, Strategy};
use super::theme::Theme;
use crate::service::id::{self, NodeType};

/// A record with a global ID.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The record's global ID: opaque, stable, unique across types."
))]
pub enum Node {
    /// An organisation.
    Organisation(Organisation),
    /// A strategy.
    Strategy(Strategy),
    /// A focus area.
    FocusArea(FocusArea),
    /// A goal.
    Goal(Goal),
    /// An action plan.
    ActionPlan(ActionPlan),
    /// An initiative.
    Initiative(Initiative),
    /// A theme.
    Theme(Theme),
}

/// Resolves global IDs: a malformed ID is a `BAD_ID` error, a well-formed ID of nothing is `None`.
/// Loads of one type are batched into one statement.
pub async fn resolve(ctx: &Context<'_>, ids: &[ID]) -> async_graphql::Result<Vec<Option<Node>>> {
    let decoded: Vec<(NodeType, Uuid)> = ids.iter().map(|id| id::decode(id)).collect::<Result<_, _>>().extend()?;
    let loader = ctx.data::<Loader>()?;
    let of = |t: NodeType| decoded.iter().filter(move |(nt, _)| *nt == t).map(|(_, id)| *id);
    let organisations = loader
        .load_many(of(NodeType::Organisation).map(OrganisationKey))
        .await
        .extend()?;
    let strategies = loader
        .load_many(of(NodeType::Strategy).map(StrategyKey))
        .await
        .extend()?;
    let focus_areas = loader
        .load_many(of(NodeType::FocusArea).map(FocusAreaKey))
        .await
        .extend()?;
    let goals = loader.load_many(of(NodeType::Goal).map(GoalKey)).await.extend()?;
    let plans = loader
        .load_many(of(NodeType::ActionPlan).map(ActionPlanKey))
        .await
        .extend()?;
    let initiatives = loader
        .load_many(of(NodeType::Initiative).map(InitiativeKey))
        .await
        .extend()?;
    let themes = loader.load_many(of(NodeType::Theme).map(ThemeKey)).await.extend()?;
    Ok(decoded
        .into_iter()
        .map(|(node_type, id)| match node_type {
            NodeType::Organisation => organisations
                .get(&OrganisationKey(id))
                .cloned()
                .map(|m| Node::Organisation(Organisation(m))),
            NodeType::Strategy => strategies
                .get(&StrategyKey(id))
                .cloned()
                .map(|m| Node::Strategy(Strategy(m))),
            NodeType::FocusArea => focus_areas
                .get(&FocusAreaKey(id))
                .cloned()
                .map(|m| Node::FocusArea(FocusArea(m))),
            NodeType::Goal => goals.get(&GoalKey(id)).cloned().map(|m| Node::Goal(Goal(m))),
            NodeType::ActionPlan => plans
                .get(&ActionPlanKey(id))
                .cloned()
                .map(|m| Node::ActionPlan(ActionPlan(m))),
            NodeType::Initiative => initiatives
                .get(&InitiativeKey(id))
                .cloned()
                .map(|m| Node::Initiative(Initiative(m))),
            NodeType::Theme => themes.get(&ThemeKey(id)).cloned().map(|m| Node::Theme(Theme(m))),
        })
        .collect())
}
