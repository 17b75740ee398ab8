//! The filter of `initiatives(filter:)` and `statistics(filter:)` in the API.

use async_graphql::{ID, InputObject};
use chrono::{DateTime, Utc};

use super::scalars::{CountryCode, Date};
use crate::entity::enums::{DecisionState, Role, SchoolLevel, Status};
use crate::error::Error;
use crate::service::id::{self, NodeType};
use crate::service::initiative::InitiativeFilter as Filter;

/// Which initiatives to list. Within one field the values are alternatives; all fields given apply.
#[derive(Default, InputObject)]
pub struct InitiativeFilter {
    /// Initiatives of these countries.
    country: Option<Vec<CountryCode>>,
    /// Initiatives with one of these statuses.
    status: Option<Vec<Status>>,
    /// Initiatives in an action plan under this strategy, or serving one of its goals.
    strategy: Option<ID>,
    /// Initiatives in this action plan.
    action_plan: Option<ID>,
    /// Initiatives serving a goal of this focus area.
    focus_area: Option<ID>,
    /// Initiatives serving one of these goals.
    goals: Option<Vec<ID>>,
    /// Initiatives with one of these theme codes.
    themes: Option<Vec<String>>,
    /// Initiatives targeting one of these school levels.
    school_levels: Option<Vec<SchoolLevel>>,
    /// Initiatives where this organisation holds a role (on the initiative or one of its activities).
    organisation: Option<ID>,
    /// Initiatives where a role is one of these (held by `organisation` when it is given).
    roles: Option<Vec<Role>>,
    /// Initiatives where a role's decision is one of these, such as PROPOSED for roles not yet accepted
    /// (of a role held by `organisation`, and one of `roles`, when they are given).
    decisions: Option<Vec<DecisionState>>,
    /// Initiatives in whose activities this school authority takes part.
    participant: Option<ID>,
    /// Initiatives in whose activities an authority in this county takes part.
    region: Option<ID>,
    /// Initiatives running on or after this day (an open end counts as running).
    active_from: Option<Date>,
    /// Initiatives running on or before this day (an open start counts as running).
    active_to: Option<Date>,
    /// Initiatives changed at or after this time.
    updated_since: Option<DateTime<Utc>>,
    /// Words in the title or description, in any language, matched as `search` matches them.
    query: Option<String>,
    /// Archived initiatives too; they are left out unless this is true.
    #[graphql(default)]
    include_archived: bool,
}

impl InitiativeFilter {
    /// The service's filter, with IDs decoded.
    pub fn into_service(self) -> Result<Filter, Error> {
        let one = |id: Option<ID>, t: NodeType| id.map(|id| id::decode_as(&id, t)).transpose();
        Ok(Filter {
            countries: self.country.unwrap_or_default().into_iter().map(|c| c.0).collect(),
            statuses: self.status.unwrap_or_default(),
            strategy: one(self.strategy, NodeType::Strategy)?,
            action_plan: one(self.action_plan, NodeType::ActionPlan)?,
            focus_area: one(self.focus_area, NodeType::FocusArea)?,
            goals: self
                .goals
                .unwrap_or_default()
                .iter()
                .map(|id| id::decode_as(id, NodeType::Goal))
                .collect::<Result<_, _>>()?,
            themes: self.themes.unwrap_or_default(),
            school_levels: self.school_levels.unwrap_or_default(),
            organisation: one(self.organisation, NodeType::Organisation)?,
            roles: self.roles.unwrap_or_default(),
            decisions: self.decisions.unwrap_or_default(),
            participant: one(self.participant, NodeType::Organisation)?,
            region: one(self.region, NodeType::Organisation)?,
            active_from: self.active_from.map(|d| d.0),
            active_to: self.active_to.map(|d| d.0),
            updated_since: self.updated_since,
            query: crate::service::text::filter_words(self.query)?,
            include_archived: self.include_archived,
        })
    }
}
