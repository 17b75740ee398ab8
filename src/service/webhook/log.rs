//! The delivery log of an endpoint, read by event position: oldest first, as the change feed is, so
//! `last: 20` gives the newest.

use sea_orm::sea_query::SelectStatement;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryTrait};
use uuid::Uuid;

use crate::entity::webhook_delivery::{Column, Entity, Model};
use crate::error::Error;
use crate::service::change_feed::PositionWindow;
use crate::service::page::{Page, PageRequest};

/// One page of `endpoint`'s deliveries for the Relay arguments in `request`.
pub async fn page(db: &impl ConnectionTrait, endpoint: Uuid, request: &PageRequest) -> Result<Page<Model>, Error> {
    let deliveries = Entity::find().filter(Column::EndpointId.eq(endpoint));
    PositionWindow::of(request)?
        .fetch(db, deliveries, Column::Position)
        .await
}

/// Every delivery of `endpoint`, as a query to count.
pub fn count_query(endpoint: Uuid) -> SelectStatement {
    Entity::find().filter(Column::EndpointId.eq(endpoint)).into_query()
}
