//! Reading the feed: the events after a position, oldest first, matching a filter.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::change_event::{self, Column};
use crate::service::id::NodeType;

/// Which events to read. All fields given apply.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only records of these types (all types when empty).
    pub types: Vec<NodeType>,
    /// Only records that belong to this organisation.
    pub organisation: Option<Uuid>,
    /// Only records that belong to this initiative.
    pub initiative: Option<Uuid>,
}

/// Up to `limit` events after position `after` and at most `upto`, oldest first, matching `filter`.
pub async fn read(
    db: &impl ConnectionTrait,
    after: i64,
    upto: Option<i64>,
    limit: u64,
    filter: &Filter,
) -> Result<Vec<change_event::Model>, DbErr> {
    let mut select = change_event::Entity::find().filter(Column::Position.gt(after));
    if let Some(upto) = upto {
        select = select.filter(Column::Position.lte(upto));
    }
    if !filter.types.is_empty() {
        select = select.filter(Column::RecordType.is_in(filter.types.iter().map(|t| t.name())));
    }
    if let Some(organisation) = filter.organisation {
        select = select.filter(Column::OrganisationId.eq(organisation));
    }
    if let Some(initiative) = filter.initiative {
        select = select.filter(Column::InitiativeId.eq(initiative));
    }
    select.order_by_asc(Column::Position).limit(limit).all(db).await
}
