//! Strategies, their focus areas and goals, and who owns them.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Select};
use uuid::Uuid;

use crate::entity::{focus_area, goal, strategy, strategy_owner};

/// Which strategies to list.
#[derive(Clone, Debug, Default)]
pub struct StrategyFilter {
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
}

/// The query for the strategies `filter` selects, not yet ordered or paged.
pub fn select(filter: &StrategyFilter) -> Select<strategy::Entity> {
    let mut select = strategy::Entity::find();
    if !filter.countries.is_empty() {
        select = select.filter(strategy::Column::Country.is_in(filter.countries.clone()));
    }
    select
}

/// The focus areas of each strategy, in order.
pub async fn focus_areas_of(
    db: &impl ConnectionTrait,
    strategy_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<focus_area::Model>>, DbErr> {
    let rows = focus_area::Entity::find()
        .filter(focus_area::Column::StrategyId.is_in(strategy_ids.iter().copied()))
        .order_by_asc(focus_area::Column::Position)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.strategy_id))
}

/// The goals of each focus area, in order.
pub async fn goals_of(
    db: &impl ConnectionTrait,
    focus_area_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<goal::Model>>, DbErr> {
    let rows = goal::Entity::find()
        .filter(goal::Column::FocusAreaId.is_in(focus_area_ids.iter().copied()))
        .order_by_asc(goal::Column::Position)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.focus_area_id))
}

/// The owning organisations' IDs of each strategy.
pub async fn owners_of(db: &impl ConnectionTrait, strategy_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>, DbErr> {
    let rows = strategy_owner::Entity::find()
        .filter(strategy_owner::Column::StrategyId.is_in(strategy_ids.iter().copied()))
        .order_by_asc(strategy_owner::Column::OrganisationId)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.strategy_id)
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().map(|o| o.organisation_id).collect()))
        .collect())
}

/// Groups rows by a key, keeping their order.
pub fn group<M>(rows: Vec<M>, key: impl Fn(&M) -> Uuid) -> HashMap<Uuid, Vec<M>> {
    let mut grouped: HashMap<Uuid, Vec<M>> = HashMap::new();
    for row in rows {
        grouped.entry(key(&row)).or_default().push(row);
    }
    grouped
}
