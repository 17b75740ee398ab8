//! Finding activities: the filter of `activities(filter:)`, as one query. Within one field the values are
//! alternatives; all fields given apply.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::entity::enums::{Role, Status};
use crate::entity::{activity, initiative, initiative_goal, organisation, participation, responsibility};
use crate::service::period::{running_from, running_to};
use crate::service::text::{TextOwner, owners_with_words};

/// Which activities to list.
#[derive(Clone, Debug, Default)]
pub struct ActivityFilter {
    /// Of one of these initiatives.
    pub initiatives: Vec<Uuid>,
    /// Of an initiative serving one of these goals.
    pub goals: Vec<Uuid>,
    /// Of an initiative in one of these countries.
    pub countries: Vec<String>,
    /// Statuses.
    pub statuses: Vec<Status>,
    /// Of an initiative with one of these theme codes.
    pub themes: Vec<String>,
    /// Where this organisation holds a role on the activity.
    pub organisation: Option<Uuid>,
    /// Where a role on the activity is one of these (held by `organisation` when it is given).
    pub roles: Vec<Role>,
    /// Where this organisation takes part.
    pub participant: Option<Uuid>,
    /// Where an organisation in this county (or the county itself) takes part.
    pub region: Option<Uuid>,
    /// Running on or after this day (open ends count as running).
    pub active_from: Option<NaiveDate>,
    /// Running on or before this day.
    pub active_to: Option<NaiveDate>,
    /// Changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Words in the title or description, in any language.
    pub query: Option<String>,
    /// Archived activities, and activities of archived initiatives, too (left out by default).
    pub include_archived: bool,
}

/// The query for the activities `filter` selects, not yet ordered or paged.
pub fn select(filter: &ActivityFilter) -> Select<activity::Entity> {
    let mut select = activity::Entity::find();
    if !filter.include_archived {
        let archived = Query::select()
            .column(initiative::Column::Id)
            .from(initiative::Entity)
            .and_where(initiative::Column::ArchivedAt.is_not_null())
            .to_owned();
        select = select
            .filter(activity::Column::ArchivedAt.is_null())
            .filter(activity::Column::InitiativeId.not_in_subquery(archived));
    }
    if !filter.initiatives.is_empty() {
        select = select.filter(activity::Column::InitiativeId.is_in(filter.initiatives.clone()));
    }
    if !filter.goals.is_empty() {
        let ids = Query::select()
            .column(initiative_goal::Column::InitiativeId)
            .from(initiative_goal::Entity)
            .and_where(initiative_goal::Column::GoalId.is_in(filter.goals.clone()))
            .to_owned();
        select = select.filter(activity::Column::InitiativeId.in_subquery(ids));
    }
    if !filter.countries.is_empty() {
        let ids = Query::select()
            .column(initiative::Column::Id)
            .from(initiative::Entity)
            .and_where(initiative::Column::Country.is_in(filter.countries.clone()))
            .to_owned();
        select = select.filter(activity::Column::InitiativeId.in_subquery(ids));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(activity::Column::Status.is_in(filter.statuses.clone()));
    }
    if !filter.themes.is_empty() {
        let ids = crate::service::initiative::with_themes(&filter.themes);
        select = select.filter(activity::Column::InitiativeId.in_subquery(ids));
    }
    if filter.organisation.is_some() || !filter.roles.is_empty() {
        let mut ids = Query::select()
            .column(responsibility::Column::ActivityId)
            .from(responsibility::Entity)
            .and_where(responsibility::Column::ActivityId.is_not_null())
            .to_owned();
        if let Some(organisation) = filter.organisation {
            ids.and_where(responsibility::Column::OrganisationId.eq(organisation));
        }
        if !filter.roles.is_empty() {
            ids.and_where(responsibility::Column::Role.is_in(filter.roles.clone()));
        }
        select = select.filter(activity::Column::Id.in_subquery(ids));
    }
    if let Some(participant) = filter.participant {
        let ids = Query::select()
            .column(participation::Column::ActivityId)
            .from(participation::Entity)
            .and_where(participation::Column::OrganisationId.eq(participant))
            .to_owned();
        select = select.filter(activity::Column::Id.in_subquery(ids));
    }
    if let Some(region) = filter.region {
        let ids = Query::select()
            .column((participation::Entity, participation::Column::ActivityId))
            .from(participation::Entity)
            .inner_join(
                organisation::Entity,
                Expr::col((organisation::Entity, organisation::Column::Id))
                    .equals((participation::Entity, participation::Column::OrganisationId)),
            )
            .cond_where(
                Condition::any()
                    .add(Expr::col((organisation::Entity, organisation::Column::ParentId)).eq(region))
                    .add(Expr::col((organisation::Entity, organisation::Column::Id)).eq(region)),
            )
            .to_owned();
        select = select.filter(activity::Column::Id.in_subquery(ids));
    }
    if let Some(from) = filter.active_from {
        select = select.filter(running_from(
            activity::Column::ActualEnd,
            activity::Column::PlannedEnd,
            from,
        ));
    }
    if let Some(to) = filter.active_to {
        select = select.filter(running_to(
            activity::Column::ActualStart,
            activity::Column::PlannedStart,
            to,
        ));
    }
    if let Some(since) = filter.updated_since {
        select = select.filter(activity::Column::UpdatedAt.gte(since));
    }
    if let Some(ids) = filter
        .query
        .as_deref()
        .and_then(|words| owners_with_words(TextOwner::Activity, words))
    {
        select = select.filter(activity::Column::Id.in_subquery(ids));
    }
    select
}
