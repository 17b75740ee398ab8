//! Relay connections: keyset-paged lists with `totalCount`, built on async-graphql's connection types.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Object, OutputType, ResultExt};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{DatabaseConnection, EntityTrait, QueryTrait, Select};
use uuid::Uuid;

use crate::service::page::{self, PageRequest};

/// The fields every connection has besides edges, nodes and page info.
pub struct TotalCount {
    query: SelectStatement,
}

#[Object]
impl TotalCount {
    /// The number of items in the whole list, across all pages, with the same filter.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let db = ctx.data::<DatabaseConnection>()?;
        let n = page::count(db, self.query.clone()).await.extend()?;
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// A connection of `N` with `totalCount`.
pub type CountedConnection<N> = Connection<String, N, TotalCount>;

/// Pages `select` by ID and wraps each record with `to_node`.
pub async fn paginate<E, N>(
    ctx: &Context<'_>,
    select: Select<E>,
    id_column: E::Column,
    id_of: impl Fn(&E::Model) -> Uuid,
    to_node: impl Fn(E::Model) -> N,
    request: PageRequest,
) -> async_graphql::Result<CountedConnection<N>>
where
    E: EntityTrait,
    N: OutputType,
{
    let window = request.window().extend()?;
    let db = ctx.data::<DatabaseConnection>()?;
    let count = TotalCount {
        query: select.clone().into_query(),
    };
    let page = page::fetch(db, select, id_column, &window).await.extend()?;
    let mut connection = Connection::with_additional_fields(page.has_previous, page.has_next, count);
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|model| Edge::new(page::encode_cursor(id_of(&model)), to_node(model))),
    );
    Ok(connection)
}
