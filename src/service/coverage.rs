//! Coverage of a strategy: per focus area and goal, the initiatives serving it and counts of initiatives and
//! activities by status. A goal is a gap when no initiative serving it is DECIDED or ONGOING. The whole map
//! takes a fixed number of statements, however large the strategy, and counts in the database.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef,
    SelectGetableTuple, Selector,
};
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
    /// The initiatives serving it, by number then ID (empty unless asked for).
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

fn all_statuses(by_status: &HashMap<Status, i64>) -> StatusCounts {
    ALL_STATUSES
        .iter()
        .map(|s| (*s, by_status.get(s).copied().unwrap_or(0)))
        .collect()
}

/// A goal's initiatives and their activities, each counted by status.
#[derive(Default)]
struct GoalCounts {
    initiatives: HashMap<Status, i64>,
    activities: HashMap<Status, i64>,
}

/// The counts of a strategy's goals, by goal.
type StrategyCounts = HashMap<Uuid, GoalCounts>;

/// Counts of strategies' goals already made, each valid while the change feed's head stands where it
/// stood when they were counted (as [`crate::service::statistics::StatisticsCache`]): every write that
/// can change a count (an initiative's status or goals, an activity, an archive) moves the head. At scale
/// 1 counting a strategy's activities by goal reads about 100,000 rows (60 to 100 ms on SQLite); from
/// here a strategy's page costs one read of the head until something changes.
pub struct CoverageCache(Mutex<LruCache<Uuid, (i64, Arc<StrategyCounts>)>>);

impl CoverageCache {
    /// A cache of the counts of at most `entries` strategies.
    pub fn new(entries: NonZeroUsize) -> CoverageCache {
        CoverageCache(Mutex::new(LruCache::new(entries)))
    }

    /// The counts of `goals`, the goals of `strategy`: from the cache when nothing has changed since they
    /// were counted, else counted in the database (two statements, grouped by goal and status).
    async fn counts(
        &self,
        db: &impl ConnectionTrait,
        strategy: Uuid,
        goals: &[Uuid],
    ) -> Result<Arc<StrategyCounts>, Error> {
        let head = crate::service::change_feed::head_position(db).await?;
        if let Ok(mut cache) = self.0.lock()
            && let Some((at, found)) = cache.get(&strategy)
            && *at == head
        {
            return Ok(found.clone());
        }
        let mut counts: StrategyCounts = HashMap::new();
        for (goal, status, n) in initiatives_by_goal_and_status(goals).all(db).await? {
            *counts.entry(goal).or_default().initiatives.entry(status).or_default() += n;
        }
        for (goal, status, n) in activities_by_goal_and_status(goals).all(db).await? {
            *counts.entry(goal).or_default().activities.entry(status).or_default() += n;
        }
        let counts = Arc::new(counts);
        if let Ok(mut cache) = self.0.lock() {
            cache.put(strategy, (head, counts.clone()));
        }
        Ok(counts)
    }
}

/// The coverage of the strategy `strategy_id`; `None` when there is no such strategy. The counts come
/// from `cache` or are grouped by goal in the database; the initiatives serving each goal are read only
/// `with_initiatives` (in a large registry a goal has hundreds).
pub async fn coverage(
    db: &impl ConnectionTrait,
    cache: &CoverageCache,
    strategy_id: Uuid,
    with_initiatives: bool,
) -> Result<Option<StrategyCoverage>, Error> {
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

    let counts = cache.counts(db, strategy_id, &goal_ids).await?;
    let mut serving = if with_initiatives {
        initiatives_serving(db, &goal_ids).await?
    } else {
        HashMap::new()
    };

    let focus_areas = areas
        .into_iter()
        .map(|area| {
            let goals = goals.remove(&area.id).unwrap_or_default().into_iter().map(|goal| {
                let none = GoalCounts::default();
                let counted = counts.get(&goal.id).unwrap_or(&none);
                let gap = ![Status::Decided, Status::Ongoing]
                    .iter()
                    .any(|status| counted.initiatives.get(status).is_some_and(|n| *n > 0));
                GoalCoverage {
                    initiatives: serving.remove(&goal.id).unwrap_or_default(),
                    initiatives_by_status: all_statuses(&counted.initiatives),
                    activities_by_status: all_statuses(&counted.activities),
                    goal,
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

/// The link from an initiative's goals to the initiative.
fn link_to_initiative() -> RelationDef {
    initiative_goal::Entity::belongs_to(initiative::Entity)
        .from(initiative_goal::Column::InitiativeId)
        .to(initiative::Column::Id)
        .into()
}

/// The current initiatives serving each of `goals`, counted by goal and status.
fn initiatives_by_goal_and_status(goals: &[Uuid]) -> Selector<SelectGetableTuple<(Uuid, Status, i64)>> {
    initiative_goal::Entity::find()
        .select_only()
        .column(initiative_goal::Column::GoalId)
        .column(initiative::Column::Status)
        .column_as(Expr::col((initiative::Entity, initiative::Column::Id)).count(), "n")
        .join(JoinType::InnerJoin, link_to_initiative())
        .filter(initiative_goal::Column::GoalId.is_in(goals.iter().copied()))
        .filter(initiative::Column::ArchivedAt.is_null())
        .group_by(initiative_goal::Column::GoalId)
        .group_by(initiative::Column::Status)
        .into_tuple()
}

/// The current activities of the current initiatives serving each of `goals`, counted by goal and
/// status (as `activities(filter: {goals})` lists them).
fn activities_by_goal_and_status(goals: &[Uuid]) -> Selector<SelectGetableTuple<(Uuid, Status, i64)>> {
    let to_links = activity::Entity::belongs_to(initiative_goal::Entity)
        .from(activity::Column::InitiativeId)
        .to(initiative_goal::Column::InitiativeId)
        .into();
    let to_initiative = activity::Entity::belongs_to(initiative::Entity)
        .from(activity::Column::InitiativeId)
        .to(initiative::Column::Id)
        .into();
    activity::Entity::find()
        .select_only()
        .column(initiative_goal::Column::GoalId)
        .column(activity::Column::Status)
        .column_as(Expr::col((activity::Entity, activity::Column::Id)).count(), "n")
        .join(JoinType::InnerJoin, to_links)
        .join(JoinType::InnerJoin, to_initiative)
        .filter(initiative_goal::Column::GoalId.is_in(goals.iter().copied()))
        .filter(initiative::Column::ArchivedAt.is_null())
        .filter(activity::Column::ArchivedAt.is_null())
        .group_by(initiative_goal::Column::GoalId)
        .group_by(activity::Column::Status)
        .into_tuple()
}

/// The current initiatives serving each of `goals`, by number then ID.
async fn initiatives_serving(
    db: &impl ConnectionTrait,
    goals: &[Uuid],
) -> Result<HashMap<Uuid, Vec<initiative::Model>>, Error> {
    let links = initiative_goal::Entity::find()
        .filter(initiative_goal::Column::GoalId.is_in(goals.iter().copied()))
        .all(db)
        .await?;
    let initiatives = initiative::Entity::find()
        .filter(initiative::Column::Id.is_in(links.iter().map(|l| l.initiative_id)))
        .filter(initiative::Column::ArchivedAt.is_null())
        .order_by_asc(initiative::Column::Number)
        .order_by_asc(initiative::Column::Id)
        .all(db)
        .await?;
    let mut goals_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for link in links {
        goals_of.entry(link.initiative_id).or_default().push(link.goal_id);
    }
    let mut serving: HashMap<Uuid, Vec<initiative::Model>> = HashMap::new();
    for found in initiatives {
        for goal in goals_of.get(&found.id).into_iter().flatten() {
            serving.entry(*goal).or_default().push(found.clone());
        }
    }
    Ok(serving)
}
