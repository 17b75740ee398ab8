//! Keyset pagination: pages are cut by comparing the sort key with the cursor's, never with OFFSET, so a
//! page deep in a long list costs the same as the first.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, Select,
};
use uuid::Uuid;

use crate::error::Error;

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

/// The column a page's statement counts its whole list into.
const TOTAL: &str = "kartla_total";

/// The Relay paging arguments as the client sent them.
#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    /// Items after `after`, at most this many.
    pub first: Option<i32>,
    /// Cursor to start after.
    pub after: Option<String>,
    /// Items before `before`, at most this many, counted from the end.
    pub last: Option<i32>,
    /// Cursor to end before.
    pub before: Option<String>,
}

/// A validated page request: how many, from where, in which direction.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Window {
    limit: u64,
    after: Option<Uuid>,
    before: Option<Uuid>,
    backward: bool,
}

/// One page of records with what the client needs to ask for the next.
#[derive(Clone, Debug)]
pub struct Page<M> {
    /// The records, in list order.
    pub items: Vec<M>,
    /// Whether records follow the last one.
    pub has_next: bool,
    /// Whether records precede the first one.
    pub has_previous: bool,
    /// The size of the whole list, when the statement that read the page counted it too.
    pub total: Option<u64>,
}

/// Checks one of `first` and `last`: not negative, at most [`MAX_PAGE_SIZE`].
pub fn size(name: &str, value: Option<i32>) -> Result<Option<u64>, Error> {
    match value {
        None => Ok(None),
        Some(n) if n < 0 => Err(Error::PageSize(format!("`{name}` must not be negative (got {n})"))),
        Some(n) if n as u64 > MAX_PAGE_SIZE => Err(Error::PageSize(format!(
            "`{name}` is {n}, above the maximum page size of {MAX_PAGE_SIZE}"
        ))),
        Some(n) => Ok(Some(n as u64)),
    }
}

impl<M> Default for Page<M> {
    /// An empty page with nothing before or after it.
    fn default() -> Self {
        Page {
            items: Vec::new(),
            has_next: false,
            has_previous: false,
            total: None,
        }
    }
}

impl PageRequest {
    /// Checks sizes and cursors. `first` and `last` together are refused: ask in one direction.
    pub fn window(&self) -> Result<Window, Error> {
        let first = size("first", self.first)?;
        let last = size("last", self.last)?;
        if first.is_some() && last.is_some() {
            return Err(Error::BadInput("pass either `first` or `last`, not both".into()));
        }
        Ok(Window {
            limit: first.or(last).unwrap_or(DEFAULT_PAGE_SIZE),
            after: self.after.as_deref().map(decode_cursor).transpose()?,
            before: self.before.as_deref().map(decode_cursor).transpose()?,
            backward: last.is_some() || (first.is_none() && self.before.is_some() && self.after.is_none()),
        })
    }
}

/// The cursor of a record in a list ordered by ID.
pub fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("id:{id}"))
}

/// The ID in a cursor made by [`encode_cursor`]; anything else is a `BAD_CURSOR` error.
pub fn decode_cursor(cursor: &str) -> Result<Uuid, Error> {
    let bad = || {
        Error::BadCursor(format!(
            "{cursor:?} is not a cursor of this list; use an `endCursor` or edge `cursor`"
        ))
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("id:")
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(bad)
}

/// One page of `select`, keyset-paged by `id_column`. With `count`, the statement also counts the whole
/// list (a scalar subquery, evaluated once), so `totalCount` needs no statement of its own; a page with
/// no rows has no row to carry the count, and leaves it unknown.
pub async fn fetch<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id_column: E::Column,
    window: &Window,
    count: bool,
) -> Result<Page<E::Model>, Error> {
    let whole = count.then(|| select.clone().into_query());
    let mut select = select;
    if let Some(after) = window.after {
        select = select.filter(id_column.gt(after));
    }
    if let Some(before) = window.before {
        select = select.filter(id_column.lt(before));
    }
    let select = select.order_by(id_column, window.order()).limit(window.limit + 1);
    let (items, total) = rows_and_count(db, select, whole).await?;
    let mut page = window.cut(items);
    page.total = total;
    Ok(page)
}

/// The rows of `select` (a page's statement, its order and limit set) and, when `whole` (the list before
/// any cursor) is given, the size of that list, counted in the same statement by a scalar subquery that
/// the database evaluates once. With no row there is nothing to carry the count, and it is unknown.
pub async fn rows_and_count<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    whole: Option<SelectStatement>,
) -> Result<(Vec<E::Model>, Option<u64>), Error> {
    let Some(whole) = whole else {
        return Ok((select.all(db).await?, None));
    };
    let mut query = select.into_query();
    query.expr_as(size_of(whole), Alias::new(TOTAL));
    let mut items = Vec::new();
    let mut total = None;
    for row in db.query_all(&query).await? {
        items.push(E::Model::from_query_result(&row, "")?);
        let n: i64 = row.try_get("", TOTAL)?;
        total = Some(u64::try_from(n).unwrap_or(0));
    }
    Ok((items, total))
}

/// `(SELECT COUNT(*) FROM (whole))`: the size of a list as a scalar subquery, for a page's statement to
/// select beside its rows.
pub fn size_of(whole: SelectStatement) -> Expr {
    let counted = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(whole, Alias::new("counted"))
        .to_owned();
    Expr::SubQuery(None, Box::new(counted.into()))
}

impl Window {
    /// At most this many items.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Items after this ID.
    pub fn after(&self) -> Option<Uuid> {
        self.after
    }

    /// Items before this ID.
    pub fn before(&self) -> Option<Uuid> {
        self.before
    }

    /// Whether the page is counted from the end.
    pub fn backward(&self) -> bool {
        self.backward
    }

    /// The order to read the list in: from the end for a page counted from the end.
    pub fn order(&self) -> Order {
        if self.backward { Order::Desc } else { Order::Asc }
    }

    /// Makes a page of the up to `limit + 1` items fetched in the window's direction.
    pub fn cut<M>(&self, fetched: Vec<M>) -> Page<M> {
        let mut items = fetched;
        let more = items.len() as u64 > self.limit;
        items.truncate(self.limit as usize);
        if self.backward {
            items.reverse();
        }
        let (has_next, has_previous) = if self.backward {
            (self.before.is_some(), more)
        } else {
            (more, self.after.is_some())
        };
        Page {
            items,
            has_next,
            has_previous,
            total: None,
        }
    }
}

/// `SELECT COUNT(*)` over everything `query` selects, ignoring pagination.
pub async fn count(db: &impl ConnectionTrait, query: SelectStatement) -> Result<u64, Error> {
    let statement = Query::select()
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(query, Alias::new("counted"))
        .to_owned();
    let row = db.query_one(&statement).await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(n.max(0) as u64)
}
