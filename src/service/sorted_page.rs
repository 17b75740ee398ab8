//! Keyset pages of a list sorted by when its records were created or changed, newest or oldest first,
//! with the ID as the tiebreak. The cursor carries the sort key and the ID, so a page is cut by
//! comparison, never by OFFSET, and a record changed between two pages is neither lost nor repeated
//! within one ordering.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::error::Error;
use crate::service::page::{Page, PageRequest};

/// How a list is sorted: by a timestamp column, then by ID, in one direction.
#[derive(Clone, Copy, Debug)]
pub struct Sort<C> {
    /// The timestamp column.
    pub column: C,
    /// Newest first.
    pub descending: bool,
}

/// A record's place in a sorted list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// The record's sort key.
    pub at: DateTime<Utc>,
    /// The record's ID.
    pub id: Uuid,
}

impl Key {
    /// The cursor of a record at this place.
    pub fn cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("at:{}|{}", self.at.to_rfc3339(), self.id))
    }

    /// The place a cursor made by [`Key::cursor`] names; anything else is a `BAD_CURSOR` error.
    pub fn from_cursor(cursor: &str) -> Result<Key, Error> {
        let bad = || {
            Error::BadCursor(format!(
                "{cursor:?} is not a cursor of this list in this order; use an `endCursor` or edge `cursor`"
            ))
        };
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let (at, id) = text
            .strip_prefix("at:")
            .and_then(|t| t.split_once('|'))
            .ok_or_else(bad)?;
        Ok(Key {
            at: DateTime::parse_from_rfc3339(at).map_err(|_| bad())?.with_timezone(&Utc),
            id: Uuid::parse_str(id).map_err(|_| bad())?,
        })
    }
}

/// The records after `key` when the list runs ascending (`ascending`) or descending.
fn beyond<C: ColumnTrait>(column: C, id: C, key: Key, ascending: bool) -> Condition {
    let (later, later_id) = if ascending {
        (column.gt(key.at), id.gt(key.id))
    } else {
        (column.lt(key.at), id.lt(key.id))
    };
    Condition::any()
        .add(later)
        .add(Condition::all().add(column.eq(key.at)).add(later_id))
}

/// Fetches one page of `select` sorted by `sort`, then by `id_column`; with `count`, the same statement
/// counts the whole list (see [`crate::service::page::rows_and_count`]).
pub async fn fetch<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id_column: E::Column,
    sort: Sort<E::Column>,
    request: &PageRequest,
    count: bool,
) -> Result<Page<E::Model>, Error> {
    let sizes = PageRequest {
        first: request.first,
        last: request.last,
        after: None,
        before: None,
    }
    .window()?;
    let after = request.after.as_deref().map(Key::from_cursor).transpose()?;
    let before = request.before.as_deref().map(Key::from_cursor).transpose()?;
    let ascending = !sort.descending;
    let whole = count.then(|| sea_orm::QueryTrait::into_query(select.clone()));
    let mut select = select;
    if let Some(key) = after {
        select = select.filter(beyond(sort.column, id_column, key, ascending));
    }
    if let Some(key) = before {
        select = select.filter(beyond(sort.column, id_column, key, !ascending));
    }
    let fetch_ascending = ascending != sizes.backward();
    let order = if fetch_ascending { Order::Asc } else { Order::Desc };
    let select = select
        .order_by(sort.column, order.clone())
        .order_by(id_column, order)
        .limit(sizes.limit() + 1);
    let (mut items, total) = crate::service::page::rows_and_count(db, select, whole).await?;
    let more = items.len() as u64 > sizes.limit();
    items.truncate(sizes.limit() as usize);
    if sizes.backward() {
        items.reverse();
    }
    let (has_next, has_previous) = if sizes.backward() {
        (before.is_some(), more)
    } else {
        (more, after.is_some())
    };
    Ok(Page {
        items,
        has_next,
        has_previous,
        total,
    })
}
