//! The delivery log of an endpoint, read by event position: oldest first, as the change feed is, so
//! `last: 20` gives the newest.

use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use crate::entity::webhook_delivery::{Column, Entity, Model};
use crate::error::Error;
use crate::service::change_feed::PositionWindow;
use crate::service::page::{Page, PageRequest};

/// One page of `endpoint`'s deliveries for the Relay arguments in `request`.
pub async fn page(db: &impl ConnectionTrait, endpoint: Uuid, request: &PageRequest) -> Result<Page<Model>, Error> {
    let window = PositionWindow::of(request)?;
    let mut select = Entity::find().filter(Column::EndpointId.eq(endpoint));
    if let Some(after) = window.after {
        select = select.filter(Column::Position.gt(after));
    }
    if let Some(before) = window.before {
        select = select.filter(Column::Position.lt(before));
    }
    let items = select
        .order_by(Column::Position, window.order())
        .limit(window.limit + 1)
        .all(db)
        .await?;
    Ok(window.cut(items))
}

/// Every delivery of `endpoint`, as a query to count.
pub fn count_query(endpoint: Uuid) -> SelectStatement {
    Entity::find().filter(Column::EndpointId.eq(endpoint)).into_query()
}
