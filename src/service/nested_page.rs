//! Pages of many lists at once: the first page of activities of each of 50 initiatives in one statement.
//! A window function numbers the rows of each list (`ROW_NUMBER() OVER (PARTITION BY ...)`), which
//! SQLite, PostgreSQL and MariaDB all have, and the same keyset window as a single list cuts each page.

use std::collections::HashMap;

use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, IntoColumnRef, Query, SelectStatement, WindowStatement,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QueryTrait, Select};
use uuid::Uuid;

use crate::error::Error;
use crate::service::page::{Page, Window};

const GROUP: &str = "kartla_group";
const RANK: &str = "kartla_rank";
const TOTAL: &str = "kartla_total";

/// `select` narrowed to the lists of `groups`, with each row's list in a `kartla_group` column.
fn grouped<E: EntityTrait>(select: Select<E>, group: impl IntoColumnRef + Clone, groups: &[Uuid]) -> SelectStatement {
    let mut query = select
        .filter(Expr::col(group.clone()).is_in(groups.iter().copied()))
        .into_query();
    query.expr_as(Expr::col(group), Alias::new(GROUP));
    query
}

/// One page of each list: the rows of `select` whose `group` column is one of `groups`, each list paged
/// by `id_column` with `window`. Lists with no rows get an empty page. A first page (no cursor) comes
/// with the size of its whole list, counted in the same statement (`COUNT(*) OVER (PARTITION BY ...)`);
/// a page after or before a cursor does not know it.
pub async fn fetch<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    group: impl IntoColumnRef + Clone,
    id_column: E::Column,
    groups: &[Uuid],
    window: &Window,
) -> Result<HashMap<Uuid, Page<E::Model>>, Error> {
    let mut select = select;
    if let Some(after) = window.after() {
        select = select.filter(id_column.gt(after));
    }
    if let Some(before) = window.before() {
        select = select.filter(id_column.lt(before));
    }
    let order = if window.backward() { Order::Desc } else { Order::Asc };
    let mut ranked = grouped(select, group.clone(), groups);
    let whole_list = window.after().is_none() && window.before().is_none();
    let mut numbering = WindowStatement::partition_by(group.clone());
    numbering.order_by((E::default(), id_column), order);
    ranked.expr_window_as(Func::cust(Alias::new("ROW_NUMBER")), numbering, Alias::new(RANK));
    if whole_list {
        ranked.expr_window_as(
            Func::cust(Alias::new("COUNT")).arg(Expr::cust("*")),
            WindowStatement::partition_by(group),
            Alias::new(TOTAL),
        );
    }
    let statement = Query::select()
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new(RANK)).lte(window.limit() + 1))
        .order_by(Alias::new(GROUP), Order::Asc)
        .order_by(Alias::new(RANK), Order::Asc)
        .to_owned();
    let mut lists: HashMap<Uuid, (Vec<E::Model>, u64)> = groups.iter().map(|g| (*g, (Vec::new(), 0))).collect();
    for row in db.query_all(&statement).await? {
        let list: Uuid = row.try_get("", GROUP)?;
        let model = E::Model::from_query_result(&row, "")?;
        let total: i64 = if whole_list { row.try_get("", TOTAL)? } else { 0 };
        let (items, size) = lists.entry(list).or_default();
        items.push(model);
        *size = u64::try_from(total).unwrap_or(0);
    }
    Ok(lists
        .into_iter()
        .map(|(list, (items, total))| {
            let mut page = window.cut(items);
            page.total = whole_list.then_some(total);
            (list, page)
        })
        .collect())
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
