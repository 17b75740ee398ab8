//! The `Node` interface: every record has a global ID, and `node(id:)` / `nodes(ids:)` resolve any of them.

use async_graphql::{Context, ID, Interface, ResultExt};
use uuid::Uuid;

use super::action_plan::ActionPlan;
use super::activity::Activity;
use super::consultation::Consultation;
use super::focus_area::FocusArea;
use super::goal::Goal;
use super::initiative::Initiative;
use super::organisation::Organisation;
use super::participation::Participation;
use super::responsibility::Responsibility;
use super::strategy::Strategy;
use super::theme::Theme;
use super::webhook_endpoint::WebhookEndpoint;
use crate::graphql::loader::{
    ActionPlanKey, ActivityKey, ConsultationKey, FocusAreaKey, GoalKey, InitiativeKey, Loader, OrganisationKey,
    ParticipationKey, ResponsibilityKey, StrategyKey, ThemeKey,
};
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
    /// An activity.
    Activity(Activity),
    /// A consultation.
    Consultation(Consultation),
    /// A responsibility.
    Responsibility(Responsibility),
    /// An organisation's participation in an activity.
    Participation(Participation),
    /// A webhook endpoint (seen only by those who manage it).
    WebhookEndpoint(WebhookEndpoint),
}

impl Node {
    /// The record's GraphQL type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Organisation(_) => "Organisation",
            Node::Strategy(_) => "Strategy",
            Node::FocusArea(_) => "FocusArea",
            Node::Goal(_) => "Goal",
            Node::ActionPlan(_) => "ActionPlan",
            Node::Initiative(_) => "Initiative",
            Node::Theme(_) => "Theme",
            Node::Activity(_) => "Activity",
            Node::Consultation(_) => "Consultation",
            Node::Responsibility(_) => "Responsibility",
            Node::Participation(_) => "Participation",
            Node::WebhookEndpoint(_) => "WebhookEndpoint",
        }
    }
}

/// Resolves global IDs: a malformed ID is a `BAD_ID` error, a well-formed ID of nothing is `None`.
/// Loads of one type are batched into one statement.
pub async fn resolve(ctx: &Context<'_>, ids: &[ID]) -> async_graphql::Result<Vec<Option<Node>>> {
    let endpoints: Vec<Option<Uuid>> = ids.iter().map(|id| id::decode_webhook_endpoint(id)).collect();
    if endpoints.iter().any(Option::is_some) {
        return resolve_with_endpoints(ctx, ids, &endpoints).await;
    }
    let decoded: Vec<(NodeType, Uuid)> = ids.iter().map(|id| id::decode(id)).collect::<Result<_, _>>().extend()?;
    let loader = ctx.data::<Loader>()?;
    let of = |t: NodeType| decoded.iter().filter(move |(nt, _)| *nt == t).map(|(_, id)| *id);
    // One statement per type asked for, all in the same wave.
    let (
        organisations,
        strategies,
        focus_areas,
        goals,
        plans,
        initiatives,
        themes,
        activities,
        consultations,
        roles,
        parts,
    ) = tokio::try_join!(
        loader.load_many(of(NodeType::Organisation).map(OrganisationKey)),
        loader.load_many(of(NodeType::Strategy).map(StrategyKey)),
        loader.load_many(of(NodeType::FocusArea).map(FocusAreaKey)),
        loader.load_many(of(NodeType::Goal).map(GoalKey)),
        loader.load_many(of(NodeType::ActionPlan).map(ActionPlanKey)),
        loader.load_many(of(NodeType::Initiative).map(InitiativeKey)),
        loader.load_many(of(NodeType::Theme).map(ThemeKey)),
        loader.load_many(of(NodeType::Activity).map(ActivityKey)),
        loader.load_many(of(NodeType::Consultation).map(ConsultationKey)),
        loader.load_many(of(NodeType::Responsibility).map(ResponsibilityKey)),
        loader.load_many(of(NodeType::Participation).map(ParticipationKey)),
    )
    .extend()?;
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
            NodeType::Activity => activities
                .get(&ActivityKey(id))
                .cloned()
                .map(|m| Node::Activity(Activity(m))),
            NodeType::Consultation => consultations
                .get(&ConsultationKey(id))
                .cloned()
                .map(|m| Node::Consultation(Consultation(m))),
            NodeType::Responsibility => roles
                .get(&ResponsibilityKey(id))
                .cloned()
                .map(|m| Node::Responsibility(Responsibility(m))),
            NodeType::Participation => parts
                .get(&ParticipationKey(id))
                .cloned()
                .map(|m| Node::Participation(Participation(m))),
        })
        .collect())
}

/// [`resolve`] for a list with webhook endpoint IDs in it (at `endpoints`): those are looked up among the
/// endpoints the viewer manages, the rest as records.
async fn resolve_with_endpoints(
    ctx: &Context<'_>,
    ids: &[ID],
    endpoints: &[Option<Uuid>],
) -> async_graphql::Result<Vec<Option<Node>>> {
    let records: Vec<ID> = ids
        .iter()
        .zip(endpoints)
        .filter(|(_, endpoint)| endpoint.is_none())
        .map(|(id, _)| id.clone())
        .collect();
    let mut resolved = Box::pin(resolve(ctx, &records)).await?.into_iter();
    let wanted: Vec<Uuid> = endpoints.iter().flatten().copied().collect();
    let db = ctx.data::<sea_orm::DatabaseConnection>()?;
    let viewer = ctx
        .data_opt::<crate::service::permission::Viewer>()
        .cloned()
        .unwrap_or_default();
    let visible = crate::service::webhook::endpoint::visible(db, &viewer, &wanted)
        .await
        .extend()?;
    Ok(endpoints
        .iter()
        .map(|endpoint| match endpoint {
            Some(id) => visible
                .iter()
                .find(|e| e.id == *id)
                .cloned()
                .map(|e| Node::WebhookEndpoint(WebhookEndpoint(Box::new(e)))),
            None => resolved.next().flatten(),
        })
        .collect())
}
