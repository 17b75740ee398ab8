//! Finding consultations: the filter of `consultations(filter:)`, as one query.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::entity::consultation;
use crate::service::text::{TextOwner, owners_with_words};

/// Which consultations to list.
#[derive(Clone, Debug, Default)]
pub struct ConsultationFilter {
    /// About this strategy.
    pub strategy: Option<Uuid>,
    /// About this action plan.
    pub action_plan: Option<Uuid>,
    /// Run by this organisation.
    pub organiser: Option<Uuid>,
    /// Open for input on this day (an open start or end counts as open).
    pub open_on: Option<NaiveDate>,
    /// Words in the title or description, in any language.
    pub query: Option<String>,
}

/// The query for the consultations `filter` selects, not yet ordered or paged.
pub fn select(filter: &ConsultationFilter) -> Select<consultation::Entity> {
    let mut select = consultation::Entity::find();
    if let Some(strategy) = filter.strategy {
        select = select.filter(consultation::Column::StrategyId.eq(strategy));
    }
    if let Some(plan) = filter.action_plan {
        select = select.filter(consultation::Column::ActionPlanId.eq(plan));
    }
    if let Some(organiser) = filter.organiser {
        select = select.filter(consultation::Column::OrganiserId.eq(organiser));
    }
    if let Some(day) = filter.open_on {
        select = select
            .filter(
                Condition::any()
                    .add(consultation::Column::OpensOn.is_null())
                    .add(consultation::Column::OpensOn.lte(day)),
            )
            .filter(
                Condition::any()
                    .add(consultation::Column::ClosesOn.is_null())
                    .add(consultation::Column::ClosesOn.gte(day)),
            );
    }
    if let Some(ids) = filter
        .query
        .as_deref()
        .and_then(|words| owners_with_words(TextOwner::Consultation, words))
    {
        select = select.filter(consultation::Column::Id.in_subquery(ids));
    }
    select
}
