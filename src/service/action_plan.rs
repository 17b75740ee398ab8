//! Finding action plans and themes.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Select};
use uuid::Uuid;

use crate::entity::{action_plan, theme};

/// The query for action plans of these countries (any when empty) under this strategy (any when `None`).
pub fn select(countries: &[String], strategy: Option<Uuid>) -> Select<action_plan::Entity> {
    let mut select = action_plan::Entity::find();
    if !countries.is_empty() {
        select = select.filter(action_plan::Column::Country.is_in(countries.to_vec()));
    }
    if let Some(strategy) = strategy {
        select = select.filter(action_plan::Column::StrategyId.eq(strategy));
    }
    select
}

/// Every theme, by code.
pub async fn themes(db: &impl ConnectionTrait) -> Result<Vec<theme::Model>, DbErr> {
    theme::Entity::find().order_by_asc(theme::Column::Code).all(db).await
}
