//! Reading the feed: the events after a position, oldest first, matching a filter.

use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use crate::entity::change_event::{self, Column};
use crate::error::Error;
use crate::service::id::NodeType;
use crate::service::page::{DEFAULT_PAGE_SIZE, Page, PageRequest, size};

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
    let mut select = filtered(filter).filter(Column::Position.gt(after));
    if let Some(upto) = upto {
        select = select.filter(Column::Position.lte(upto));
    }
    select.order_by_asc(Column::Position).limit(limit).all(db).await
}

/// A feed cursor: the position, as a decimal string, so a client can store it and resume with it after
/// any restart of either side.
pub fn decode_cursor(cursor: &str) -> Result<i64, Error> {
    cursor.parse::<i64>().ok().filter(|p| *p >= 0).ok_or_else(|| {
        Error::BadCursor(format!(
            "{cursor:?} is not a position of the change feed; use an event's `position` or an `endCursor`"
        ))
    })
}

/// A page request over a list ordered by feed position (the feed, a webhook's delivery log), checked.
#[derive(Clone, Copy, Debug)]
pub struct PositionWindow {
    /// At most this many items.
    pub limit: u64,
    /// Items after this position.
    pub after: Option<i64>,
    /// Items before this position.
    pub before: Option<i64>,
    /// Whether the page is counted from the end (read in descending order).
    pub backward: bool,
}

impl PositionWindow {
    /// The window of the Relay arguments in `request`: `first`/`after` read forward, `last`/`before`
    /// read back from the end (or from `before`).
    pub fn of(request: &PageRequest) -> Result<Self, Error> {
        let first = size("first", request.first)?;
        let last = size("last", request.last)?;
        if first.is_some() && last.is_some() {
            return Err(Error::BadInput("pass either `first` or `last`, not both".into()));
        }
        let after = request.after.as_deref().map(decode_cursor).transpose()?;
        let before = request.before.as_deref().map(decode_cursor).transpose()?;
        Ok(PositionWindow {
            limit: first.or(last).unwrap_or(DEFAULT_PAGE_SIZE),
            after,
            before,
            backward: last.is_some() || (first.is_none() && before.is_some() && after.is_none()),
        })
    }

    /// The order to read in.
    pub fn order(&self) -> Order {
        if self.backward { Order::Desc } else { Order::Asc }
    }

    /// The window's page of `select`, a list ordered by its `position` column.
    pub async fn fetch<E: EntityTrait>(
        &self,
        db: &impl ConnectionTrait,
        select: Select<E>,
        position: E::Column,
    ) -> Result<Page<E::Model>, Error> {
        let mut select = select;
        if let Some(after) = self.after {
            select = select.filter(position.gt(after));
        }
        if let Some(before) = self.before {
            select = select.filter(position.lt(before));
        }
        let items = select
            .order_by(position, self.order())
            .limit(self.limit + 1)
            .all(db)
            .await?;
        Ok(self.cut(items))
    }

    /// The page of up to `limit + 1` items read in [`PositionWindow::order`].
    pub fn cut<M>(&self, mut items: Vec<M>) -> Page<M> {
        let more = items.len() as u64 > self.limit;
        items.truncate(self.limit as usize);
        if self.backward {
            items.reverse();
        }
        Page {
            items,
            has_next: if self.backward { self.before.is_some() } else { more },
            has_previous: if self.backward {
                more
            } else {
                self.after.is_some_and(|a| a > 0)
            },
            total: None,
        }
    }
}

/// One page of the feed for the Relay arguments in `request`, oldest first.
pub async fn page(
    db: &impl ConnectionTrait,
    request: &PageRequest,
    filter: &Filter,
) -> Result<Page<change_event::Model>, Error> {
    PositionWindow::of(request)?
        .fetch(db, filtered(filter), Column::Position)
        .await
}

/// The events after position `after` that match `filter`, as a query to count.
pub fn count_query(after: Option<i64>, filter: &Filter) -> SelectStatement {
    let mut select = filtered(filter);
    if let Some(after) = after {
        select = select.filter(Column::Position.gt(after));
    }
    select.into_query()
}

/// Every event that matches `filter`.
fn filtered(filter: &Filter) -> Select<change_event::Entity> {
    let mut select = change_event::Entity::find();
    if !filter.types.is_empty() {
        select = select.filter(Column::RecordType.is_in(filter.types.iter().map(|t| t.name())));
    }
    if let Some(organisation) = filter.organisation {
        select = select.filter(Column::OrganisationId.eq(organisation));
    }
    if let Some(initiative) = filter.initiative {
        select = select.filter(Column::InitiativeId.eq(initiative));
    }
    select
}
