//! Finding initiatives: the filter of `initiatives(filter:)` (and, later, of `statistics`), as one query.
//! Within one field the values are alternatives; all fields given apply.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::entity::enums::{DecisionState, Role, SchoolLevel, Status};
use crate::entity::{
    action_plan, activity, focus_area, goal, initiative, initiative_goal, initiative_school_level, initiative_theme,
    organisation, participation, responsibility, theme,
};
use crate::service::period::{running_from, running_to};
use crate::service::text::{TextOwner, owners_with_words};

/// Which initiatives to list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InitiativeFilter {
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// Statuses.
    pub statuses: Vec<Status>,
    /// In an action plan under this strategy, or serving one of its goals.
    pub strategy: Option<Uuid>,
    /// In this action plan.
    pub action_plan: Option<Uuid>,
    /// Serving a goal of this focus area.
    pub focus_area: Option<Uuid>,
    /// Serving one of these goals.
    pub goals: Vec<Uuid>,
    /// With one of these theme codes.
    pub themes: Vec<String>,
    /// Targeting one of these school levels.
    pub school_levels: Vec<SchoolLevel>,
    /// Where this organisation holds a role, on the initiative or one of its activities.
    pub organisation: Option<Uuid>,
    /// Where a role is one of these (held by `organisation` when it is given).
    pub roles: Vec<Role>,
    /// Where a role's decision state is one of these (of a role held by `organisation`, and one of
    /// `roles`, when they are given).
    pub decisions: Vec<DecisionState>,
    /// Where this organisation takes part in an activity.
    pub participant: Option<Uuid>,
    /// Where an organisation in this county (or the county itself) takes part in an activity.
    pub region: Option<Uuid>,
    /// Running on or after this day (open ends count as running).
    pub active_from: Option<NaiveDate>,
    /// Running on or before this day.
    pub active_to: Option<NaiveDate>,
    /// Changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Words in the title or description, in any language.
    pub query: Option<String>,
    /// Archived initiatives too (left out by default).
    pub include_archived: bool,
}

/// `SELECT initiative_id FROM activity JOIN participation ... WHERE <condition on participation/organisation>`.
fn initiatives_with_participants(condition: Condition) -> SelectStatement {
    Query::select()
        .column((activity::Entity, activity::Column::InitiativeId))
        .from(participation::Entity)
        .inner_join(
            activity::Entity,
            Expr::col((activity::Entity, activity::Column::Id))
                .equals((participation::Entity, participation::Column::ActivityId)),
        )
        .inner_join(
            organisation::Entity,
            Expr::col((organisation::Entity, organisation::Column::Id))
                .equals((participation::Entity, participation::Column::OrganisationId)),
        )
        .cond_where(condition)
        .to_owned()
}

/// The initiatives where a responsibility matching `condition` is held, on the initiative or an activity.
fn initiatives_with_responsibility(condition: Condition) -> Condition {
    let direct = Query::select()
        .column(responsibility::Column::InitiativeId)
        .from(responsibility::Entity)
        .cond_where(condition.clone())
        .and_where(responsibility::Column::InitiativeId.is_not_null())
        .to_owned();
    let via_activity = Query::select()
        .column((activity::Entity, activity::Column::InitiativeId))
        .from(responsibility::Entity)
        .inner_join(
            activity::Entity,
            Expr::col((activity::Entity, activity::Column::Id))
                .equals((responsibility::Entity, responsibility::Column::ActivityId)),
        )
        .cond_where(condition)
        .to_owned();
    Condition::any()
        .add(initiative::Column::Id.in_subquery(direct))
        .add(initiative::Column::Id.in_subquery(via_activity))
}

/// The query for the initiatives `filter` selects, not yet ordered or paged.
pub fn select(filter: &InitiativeFilter) -> Select<initiative::Entity> {
    let mut select = initiative::Entity::find();
    if !filter.include_archived {
        select = select.filter(initiative::Column::ArchivedAt.is_null());
    }
    if !filter.countries.is_empty() {
        select = select.filter(initiative::Column::Country.is_in(filter.countries.clone()));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(initiative::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(plan) = filter.action_plan {
        select = select.filter(initiative::Column::ActionPlanId.eq(plan));
    }
    if let Some(strategy) = filter.strategy {
        let plans = Query::select()
            .column(action_plan::Column::Id)
            .from(action_plan::Entity)
            .and_where(action_plan::Column::StrategyId.eq(strategy))
            .to_owned();
        let by_goal = goals_matching(Expr::col((focus_area::Entity, focus_area::Column::StrategyId)).eq(strategy));
        select = select.filter(
            Condition::any()
                .add(initiative::Column::ActionPlanId.in_subquery(plans))
                .add(initiative::Column::Id.in_subquery(by_goal)),
        );
    }
    if let Some(area) = filter.focus_area {
        let by_goal = goals_matching(Expr::col((goal::Entity, goal::Column::FocusAreaId)).eq(area));
        select = select.filter(initiative::Column::Id.in_subquery(by_goal));
    }
    if !filter.goals.is_empty() {
        let ids = Query::select()
            .column(initiative_goal::Column::InitiativeId)
            .from(initiative_goal::Entity)
            .and_where(initiative_goal::Column::GoalId.is_in(filter.goals.clone()))
            .to_owned();
        select = select.filter(initiative::Column::Id.in_subquery(ids));
    }
    if !filter.themes.is_empty() {
        select = select.filter(initiative::Column::Id.in_subquery(with_themes(&filter.themes)));
    }
    if !filter.school_levels.is_empty() {
        let ids = Query::select()
            .column(initiative_school_level::Column::InitiativeId)
            .from(initiative_school_level::Entity)
            .and_where(initiative_school_level::Column::SchoolLevel.is_in(filter.school_levels.clone()))
            .to_owned();
        select = select.filter(initiative::Column::Id.in_subquery(ids));
    }
    if filter.organisation.is_some() || !filter.roles.is_empty() || !filter.decisions.is_empty() {
        let mut condition = Condition::all();
        if let Some(organisation) = filter.organisation {
            condition = condition
                .add(Expr::col((responsibility::Entity, responsibility::Column::OrganisationId)).eq(organisation));
        }
        if !filter.roles.is_empty() {
            condition = condition
                .add(Expr::col((responsibility::Entity, responsibility::Column::Role)).is_in(filter.roles.clone()));
        }
        if !filter.decisions.is_empty() {
            let decisions = filter.decisions.clone();
            condition =
                condition.add(Expr::col((responsibility::Entity, responsibility::Column::Decision)).is_in(decisions));
        }
        select = select.filter(initiatives_with_responsibility(condition));
    }
    if let Some(participant) = filter.participant {
        let condition = Condition::all()
            .add(Expr::col((participation::Entity, participation::Column::OrganisationId)).eq(participant));
        select = select.filter(initiative::Column::Id.in_subquery(initiatives_with_participants(condition)));
    }
    if let Some(region) = filter.region {
        let condition = Condition::any()
            .add(Expr::col((organisation::Entity, organisation::Column::ParentId)).eq(region))
            .add(Expr::col((organisation::Entity, organisation::Column::Id)).eq(region));
        select = select.filter(initiative::Column::Id.in_subquery(initiatives_with_participants(condition)));
    }
    if let Some(from) = filter.active_from {
        select = select.filter(running_from(
            initiative::Column::ActualEnd,
            initiative::Column::PlannedEnd,
            from,
        ));
    }
    if let Some(to) = filter.active_to {
        select = select.filter(running_to(
            initiative::Column::ActualStart,
            initiative::Column::PlannedStart,
            to,
        ));
    }
    if let Some(since) = filter.updated_since {
        select = select.filter(initiative::Column::UpdatedAt.gte(since));
    }
    if let Some(ids) = filter
        .query
        .as_deref()
        .and_then(|words| owners_with_words(TextOwner::Initiative, words))
    {
        select = select.filter(initiative::Column::Id.in_subquery(ids));
    }
    select
}

/// `SELECT initiative_id FROM initiative_theme JOIN theme WHERE code IN <codes>`: the initiatives with one
/// of these themes.
pub fn with_themes(codes: &[String]) -> SelectStatement {
    Query::select()
        .column((initiative_theme::Entity, initiative_theme::Column::InitiativeId))
        .from(initiative_theme::Entity)
        .inner_join(
            theme::Entity,
            Expr::col((theme::Entity, theme::Column::Id))
                .equals((initiative_theme::Entity, initiative_theme::Column::ThemeId)),
        )
        .and_where(Expr::col((theme::Entity, theme::Column::Code)).is_in(codes.to_vec()))
        .to_owned()
}

/// `SELECT initiative_id FROM initiative_goal JOIN goal JOIN focus_area WHERE <condition>`.
fn goals_matching(condition: impl Into<Condition>) -> SelectStatement {
    Query::select()
        .column((initiative_goal::Entity, initiative_goal::Column::InitiativeId))
        .from(initiative_goal::Entity)
        .inner_join(
            goal::Entity,
            Expr::col((goal::Entity, goal::Column::Id))
                .equals((initiative_goal::Entity, initiative_goal::Column::GoalId)),
        )
        .inner_join(
            focus_area::Entity,
            Expr::col((focus_area::Entity, focus_area::Column::Id)).equals((goal::Entity, goal::Column::FocusAreaId)),
        )
        .cond_where(condition.into())
        .to_owned()
}
