//! Relay connections: keyset-paged lists with `totalCount`. Each connection and edge type is made by
//! [`connection!`](crate::connection) so that it carries its own description (async-graphql's generic
//! `Connection` has none); the page info is async-graphql's.

use async_graphql::connection::PageInfo;
use async_graphql::{Context, ResultExt};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{DatabaseConnection, EntityTrait, QueryTrait, Select};
use uuid::Uuid;

use crate::service::page::{self, PageRequest};

/// The query whose rows a connection counts; run only when a client asks for `totalCount`.
pub struct TotalCount {
    query: SelectStatement,
}

impl TotalCount {
    /// Counts the rows of the whole list.
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let db = ctx.data::<DatabaseConnection>()?;
        let n = page::count(db, self.query.clone()).await.extend()?;
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

/// One page of nodes with their cursors, before it is wrapped in its connection type.
pub struct Paged<N> {
    /// Cursor and node of each item, in list order.
    pub edges: Vec<(String, N)>,
    /// Where the page stands in the list.
    pub page_info: PageInfo,
    /// The lazily counted size of the whole list.
    pub total: TotalCount,
}

/// Defines a connection type and its edge type for a node type.
#[macro_export]
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty, $plural:literal) => {
        #[doc = concat!("A page of ", $plural, ", with the size of the whole list and the cursors to page on.")]
        pub struct $connection($crate::graphql::connection::Paged<$node>);

        #[doc = concat!("A page of ", $plural, ", with the size of the whole list and the cursors to page on.")]
        #[async_graphql::Object]
        impl $connection {
            /// The items of the page, each with its cursor.
            async fn edges(&self) -> Vec<$edge<'_>> {
                self.0
                    .edges
                    .iter()
                    .map(|(cursor, node)| $edge { cursor, node })
                    .collect()
            }

            /// The items of the page, without cursors.
            async fn nodes(&self) -> Vec<&$node> {
                self.0.edges.iter().map(|(_, node)| node).collect()
            }

            /// Where the page stands in the list.
            async fn page_info(&self) -> &async_graphql::connection::PageInfo {
                &self.0.page_info
            }

            /// The number of items in the whole list, across all pages, with the same filter.
            async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<i64> {
                self.0.total.count(ctx).await
            }
        }

        impl From<$crate::graphql::connection::Paged<$node>> for $connection {
            fn from(page: $crate::graphql::connection::Paged<$node>) -> Self {
                $connection(page)
            }
        }

        #[doc = concat!("One of ", $plural, " in a page, with its cursor.")]
        pub struct $edge<'a> {
            cursor: &'a str,
            node: &'a $node,
        }

        #[doc = concat!("One of ", $plural, " in a page, with its cursor.")]
        #[async_graphql::Object]
        impl $edge<'_> {
            /// The item's cursor: pass it as `after` or `before` to page on from this item.
            async fn cursor(&self) -> &str {
                self.cursor
            }

            /// The item.
            async fn node(&self) -> &$node {
                self.node
            }
        }
    };
}

/// Pages `select` by ID and wraps each record with `to_node`.
pub async fn paginate<E, N>(
    ctx: &Context<'_>,
    select: Select<E>,
    id_column: E::Column,
    id_of: impl Fn(&E::Model) -> Uuid,
    to_node: impl Fn(E::Model) -> N,
    request: PageRequest,
) -> async_graphql::Result<Paged<N>>
where
    E: EntityTrait,
{
    let window = request.window().extend()?;
    let db = ctx.data::<DatabaseConnection>()?;
    let total = TotalCount {
        query: select.clone().into_query(),
    };
    let page = page::fetch(db, select, id_column, &window).await.extend()?;
    let edges: Vec<(String, N)> = page
        .items
        .into_iter()
        .map(|model| (page::encode_cursor(id_of(&model)), to_node(model)))
        .collect();
    let page_info = PageInfo {
        has_previous_page: page.has_previous,
        has_next_page: page.has_next,
        start_cursor: edges.first().map(|(cursor, _)| cursor.clone()),
        end_cursor: edges.last().map(|(cursor, _)| cursor.clone()),
    };
    Ok(Paged {
        edges,
        page_info,
        total,
    })
}
