//! Coverage of a strategy: per focus area and goal, the initiatives serving it and counts of initiatives and
//! activities by status. A goal is a gap when no initiative serving it is DECIDED or ONGOING. The whole map
//! takes a fixed number of statements, however large the strategy.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::enums::Status;
use crate::entity::{activity, focus_area, goal, initiative, initiative_goal, strategy};
use crate::error::Error;
use crate::service::strategy::{focus_areas_of, goals_of};

/// How many records have each status, in the order of the `Status` enum, zeros included.
pub type StatusCounts = Vec<(Status, i64)>;

/// The coverage of one goal.
pub struct GoalCoverage {
    /// The goal.
    pub goal: goal::Model,
    /// The initiatives serving it, by number then ID.
    pub initiatives: Vec<initiative::Model>,
    /// Those initiatives by status.
    pub initiatives_by_status: StatusCounts,
    /// Their activities by status.
    pub activities_by_status: StatusCounts,
    /// Whether no initiative serving the goal is DECIDED or ONGOING.
    pub gap: bool,
}

/// The coverage of one focus area.
pub struct FocusAreaCoverage {
    /// The focus area.
    pub focus_area: focus_area::Model,
    /// Its goals, in order.
    pub goals: Vec<GoalCoverage>,
}

/// The coverage of a strategy.
pub struct StrategyCoverage {
    /// The strategy.
    pub strategy: strategy::Model,
    /// Its focus areas, in order.
    pub focus_areas: Vec<FocusAreaCoverage>,
}

const ALL_STATUSES: [Status; 6] = [
    Status::Proposed,
    Status::Decided,
    Status::Ongoing,
    Status::Completed,
    Status::Cancelled,
    Status::Suspended,
];

fn counts(by_status: &HashMap<Status, i64>) -> StatusCounts {
    ALL_STATUSES
        .iter()
        .map(|s| (*s, by_status.get(s).copied().unwrap_or(0)))
        .collect()
}

/// The coverage of the strategy `strategy_id`; `None` when there is no such strategy.
pub async fn coverage(db: &impl ConnectionTrait, strategy_id: Uuid) -> Result<Option<StrategyCoverage>, Error> {
    let Some(strategy) = strategy::Entity::find_by_id(strategy_id).one(db).await? else {
        return Ok(None);
    };
    let mut areas = focus_areas_of(db, &[strategy_id])
        .await?
        .remove(&strategy_id)
        .unwrap_or_default();
    areas.sort_by_key(|a| a.position);
    let area_ids: Vec<Uuid> = areas.iter().map(|a| a.id).collect();
    let mut goals = goals_of(db, &area_ids).await?;
    let goal_ids: Vec<Uuid> = goals.values().flatten().map(|g| g.id).collect();

    let links = initiative_goal::Entity::find()
        .filter(initiative_goal::Column::GoalId.is_in(goal_ids))
        .all(db)
        .await?;
    let initiative_ids: Vec<Uuid> = links.iter().map(|l| l.initiative_id).collect();
    let initiatives: HashMap<Uuid, initiative::Model> = initiative::Entity::find()
        .filter(initiative::Column::Id.is_in(initiative_ids.clone()))
        .filter(initiative::Column::ArchivedAt.is_null())
        .order_by_asc(initiative::Column::Number)
        .order_by_asc(initiative::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let activity_counts: Vec<(Uuid, Status, i64)> = activity::Entity::find()
        .select_only()
        .column(activity::Column::InitiativeId)
        .column(activity::Column::Status)
        .column_as(Expr::col(Alias::new("id")).count(), "n")
        .filter(activity::Column::InitiativeId.is_in(initiative_ids))
        .filter(activity::Column::ArchivedAt.is_null())
        .group_by(activity::Column::InitiativeId)
        .group_by(activity::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut activities: HashMap<Uuid, HashMap<Status, i64>> = HashMap::new();
    for (initiative_id, status, n) in activity_counts {
        *activities.entry(initiative_id).or_default().entry(status).or_default() += n;
    }
    let mut serving: HashMap<Uuid, Vec<initiative::Model>> = HashMap::new();
    for link in links {
        if let Some(found) = initiatives.get(&link.initiative_id) {
            serving.entry(link.goal_id).or_default().push(found.clone());
        }
    }

    let focus_areas = areas
        .into_iter()
        .map(|area| {
            let goals = goals.remove(&area.id).unwrap_or_default().into_iter().map(|goal| {
                let mut list = serving.remove(&goal.id).unwrap_or_default();
                list.sort_by(|a, b| a.number.cmp(&b.number).then(a.id.cmp(&b.id)));
                let mut by_status: HashMap<Status, i64> = HashMap::new();
                let mut activity_status: HashMap<Status, i64> = HashMap::new();
                for item in &list {
                    *by_status.entry(item.status).or_default() += 1;
                    for (status, n) in activities.get(&item.id).into_iter().flatten() {
                        *activity_status.entry(*status).or_default() += n;
                    }
                }
                let gap = !list
                    .iter()
                    .any(|i| matches!(i.status, Status::Decided | Status::Ongoing));
                GoalCoverage {
                    goal,
                    initiatives: list,
                    initiatives_by_status: counts(&by_status),
                    activities_by_status: counts(&activity_status),
                    gap,
                }
            });
            FocusAreaCoverage {
                focus_area: area,
                goals: goals.collect(),
            }
        })
        .collect();
    Ok(Some(StrategyCoverage { strategy, focus_areas }))
}
