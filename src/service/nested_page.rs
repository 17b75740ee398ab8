//! Pages of many lists at once: the first page of activities of each of 50 initiatives in one statement.
//! Each list is read on its own with `ORDER BY ... LIMIT n + 1`, so a page of a long list reads its page
//! and no more, over the index that leads with the list's owner: on PostgreSQL one `LATERAL` subquery run
//! per owner of a `VALUES` list; on SQLite and MariaDB (which has no `LATERAL`) one subquery per owner
//! joined by `UNION ALL`. The same keyset window as a single list cuts each page.

use std::collections::HashMap;

use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, IntoColumnRef, JoinType, Query, SelectStatement, SimpleExpr, UnionType,
};
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use crate::error::Error;
use crate::service::page::{self, Page, Window};

const GROUP: &str = "kartla_group";
const KEY: &str = "kartla_key";
const TOTAL: &str = "kartla_total";
const OWNER: &str = "kartla_owner";
const LIST: &str = "kartla_list";

/// Lists per `UNION ALL` statement at most: SQLite's limit on the terms of a compound `SELECT`
/// (`SQLITE_MAX_COMPOUND_SELECT`, 500 unless built otherwise).
const LISTS_PER_UNION: usize = 500;

/// How one nested list is read: its rows, the column naming its owner and the column it is ordered
/// and cut by (the list's ID, or the same ID in a link table whose index leads with the owner).
pub struct Lists<E: EntityTrait, G, K> {
    /// Every row of every list.
    pub select: Select<E>,
    /// The column naming a row's list.
    pub group: G,
    /// The column the list is ordered and paged by.
    pub key: K,
}

/// One page of each list of `lists` whose owner is one of `owners`, each paged with `window`. Lists with
/// no rows get an empty page. With `counted`, a first page (no cursor) comes with the size of its whole
/// list, counted in the same statement; a page after or before a cursor does not know it.
pub async fn fetch<E, G, K>(
    db: &impl ConnectionTrait,
    lists: Lists<E, G, K>,
    owners: &[Uuid],
    window: &Window,
    counted: bool,
) -> Result<HashMap<Uuid, Page<E::Model>>, Error>
where
    E: EntityTrait,
    G: IntoColumnRef + Clone,
    K: IntoColumnRef + Clone,
{
    let counted = counted && window.after().is_none() && window.before().is_none();
    let mut rows: HashMap<Uuid, Vec<E::Model>> = owners.iter().map(|o| (*o, Vec::new())).collect();
    let mut totals: HashMap<Uuid, u64> = HashMap::new();
    for statement in statements(db.get_database_backend(), &lists, owners, window, counted) {
        for row in db.query_all(&statement).await? {
            let owner: Uuid = row.try_get("", GROUP)?;
            if counted {
                let n: i64 = row.try_get("", TOTAL)?;
                totals.insert(owner, u64::try_from(n).unwrap_or(0));
            }
            rows.entry(owner)
                .or_default()
                .push(E::Model::from_query_result(&row, "")?);
        }
    }
    Ok(rows
        .into_iter()
        .map(|(owner, fetched)| {
            let mut page = window.cut(fetched);
            page.total = counted.then(|| totals.get(&owner).copied().unwrap_or(0));
            (owner, page)
        })
        .collect())
}

/// The statements that read the pages: one on PostgreSQL, one per [`LISTS_PER_UNION`] lists elsewhere.
fn statements<E, G, K>(
    backend: DbBackend,
    lists: &Lists<E, G, K>,
    owners: &[Uuid],
    window: &Window,
    counted: bool,
) -> Vec<SelectStatement>
where
    E: EntityTrait,
    G: IntoColumnRef + Clone,
    K: IntoColumnRef + Clone,
{
    if owners.is_empty() {
        return Vec::new();
    }
    // Each list is read in its order, but neither a join nor a union promises to keep the order of its
    // rows: the statement orders them all by key again (few rows, and the order cursors follow).
    let order = window.order();
    if backend == DbBackend::Postgres {
        let owner = Expr::col((Alias::new(OWNER), Alias::new("column1")));
        let page = one_page(lists, owner, window, counted);
        let statement = Query::select()
            .column((Alias::new(LIST), Asterisk))
            .from_values(owners.iter().copied(), Alias::new(OWNER))
            .join_lateral(JoinType::InnerJoin, page, Alias::new(LIST), Expr::cust("TRUE"))
            .order_by((Alias::new(LIST), Alias::new(KEY)), order)
            .to_owned();
        return vec![statement];
    }
    owners
        .chunks(LISTS_PER_UNION)
        .map(|chunk| {
            let term = |owner: Uuid| {
                Query::select()
                    .column(Asterisk)
                    .from_subquery(one_page(lists, Expr::val(owner), window, counted), Alias::new(LIST))
                    .to_owned()
            };
            let mut union = term(chunk[0]);
            for owner in &chunk[1..] {
                union.union(UnionType::All, term(*owner));
            }
            union.order_by(Alias::new(KEY), order.clone());
            union
        })
        .collect()
}

/// The page of the list whose owner is `owner`: its rows in key order, one more than the window holds (to
/// know whether more follow), each with its owner and key, and with `counted` the size of the whole list.
fn one_page<E, G, K>(lists: &Lists<E, G, K>, owner: SimpleExpr, window: &Window, counted: bool) -> SelectStatement
where
    E: EntityTrait,
    G: IntoColumnRef + Clone,
    K: IntoColumnRef + Clone,
{
    let list = lists.select.clone().filter(Expr::col(lists.group.clone()).eq(owner));
    let whole = counted.then(|| list.clone().into_query());
    let key = || Expr::col(lists.key.clone());
    let mut page = list;
    if let Some(after) = window.after() {
        page = page.filter(key().gt(after));
    }
    if let Some(before) = window.before() {
        page = page.filter(key().lt(before));
    }
    let mut query = page
        .order_by(key(), window.order())
        .limit(window.limit() + 1)
        .into_query();
    query.expr_as(Expr::col(lists.group.clone()), Alias::new(GROUP));
    query.expr_as(key(), Alias::new(KEY));
    if let Some(whole) = whole {
        query.expr_as(page::size_of(whole), Alias::new(TOTAL));
    }
    query
}

/// `select` narrowed to the lists of `groups`, with each row's list in a `kartla_group` column.
fn grouped<E: EntityTrait>(select: Select<E>, group: impl IntoColumnRef + Clone, groups: &[Uuid]) -> SelectStatement {
    let mut query = select
        .filter(Expr::col(group.clone()).is_in(groups.iter().copied()))
        .into_query();
    query.expr_as(Expr::col(group), Alias::new(GROUP));
    query
}

/// The number of rows in each list, for `totalCount`; lists with no rows count 0.
pub async fn count<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    group: impl IntoColumnRef + Clone,
    groups: &[Uuid],
) -> Result<HashMap<Uuid, u64>, Error> {
    let statement = Query::select()
        .column(Alias::new(GROUP))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(grouped(select, group, groups), Alias::new("counted"))
        .group_by_col(Alias::new(GROUP))
        .to_owned();
    let mut counts: HashMap<Uuid, u64> = groups.iter().map(|g| (*g, 0)).collect();
    for row in db.query_all(&statement).await? {
        let list: Uuid = row.try_get("", GROUP)?;
        let n: i64 = row.try_get("", "n")?;
        counts.insert(list, u64::try_from(n).unwrap_or(0));
    }
    Ok(counts)
}
