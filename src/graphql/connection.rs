//! Relay connections: keyset-paged lists with `totalCount`. Each connection and edge type is made by
//! [`connection!`](crate::connection) so that it carries its own description (async-graphql's generic
//! `Connection` has none); the page info is async-graphql's.

use async_graphql::connection::PageInfo;
use async_graphql::{Context, ResultExt};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{DatabaseConnection, EntityTrait, QueryTrait, Select};
use uuid::Uuid;

use super::loader::{List, ListSize, ListWindow, Loader, RegistryLoader};
use super::order::{OrderDirection, RecordOrderField};
use crate::service::page::{self, Page, PageRequest};
use crate::service::sorted_page::{self, Key, Sort};

/// How a connection counts its whole list; counted only when a client asks for `totalCount`.
pub enum TotalCount {
    /// A root list: the rows of its query.
    Query(Box<SelectStatement>),
    /// A list inside a record: counted with the same list of the record's siblings, in one statement.
    List(List),
    /// Counted already, by the statement that read the page.
    Known(u64),
    /// The rows of a query, counted up to a bound (search): `(query, bound, what was counted)`.
    Bounded(Box<SelectStatement>, u64, tokio::sync::OnceCell<u64>),
}

impl TotalCount {
    /// Counts the rows of the whole list.
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let n = match self {
            TotalCount::Query(query) => {
                let db = ctx.data::<DatabaseConnection>()?;
                page::count(db, (**query).clone()).await.extend()?
            }
            TotalCount::List(list) => ctx
                .data::<Loader>()?
                .load_one(ListSize(*list))
                .await
                .extend()?
                .unwrap_or(0),
            TotalCount::Known(n) => *n,
            TotalCount::Bounded(_, bound, _) => self.bounded(ctx).await?.min(*bound),
        };
        Ok(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// Whether [`TotalCount::count`] is less than the list's size: a bounded count that reached its bound.
    pub async fn is_lower_bound(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        match self {
            TotalCount::Bounded(_, bound, _) => Ok(self.bounded(ctx).await? > *bound),
            _ => Ok(false),
        }
    }

    /// A bounded count's rows, up to one past the bound, counted once for both fields that ask.
    async fn bounded(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let TotalCount::Bounded(query, bound, counted) = self else {
            return Ok(0);
        };
        let n = counted
            .get_or_try_init(|| async {
                let db = ctx.data::<DatabaseConnection>()?;
                let mut query = (**query).clone();
                query.limit(bound + 1);
                page::count(db, query).await.extend()
            })
            .await?;
        Ok(*n)
    }
}

/// An item's place in its list, written as a cursor only when a client asks for it.
#[derive(Clone, Debug)]
pub enum Cursor {
    /// A list in ID order: the cursor of the ID.
    Id(Uuid),
    /// A cursor made already (lists in another order, the change feed, search).
    Made(String),
}

impl Cursor {
    /// The cursor as the client sees it.
    pub fn encode(&self) -> String {
        match self {
            Cursor::Id(id) => page::encode_cursor(*id),
            Cursor::Made(cursor) => cursor.clone(),
        }
    }
}

impl From<String> for Cursor {
    fn from(cursor: String) -> Self {
        Cursor::Made(cursor)
    }
}

/// One page of nodes with their places, before it is wrapped in its connection type.
pub struct Paged<N> {
    /// Place and node of each item, in list order.
    pub edges: Vec<(Cursor, N)>,
    /// Whether items precede the page.
    has_previous: bool,
    /// Whether items follow the page.
    has_next: bool,
    /// The lazily counted size of the whole list.
    pub total: TotalCount,
}

impl<N> Paged<N> {
    /// A page of `edges` with the two flags of its page info.
    pub fn new(edges: Vec<(impl Into<Cursor>, N)>, has_previous: bool, has_next: bool, total: TotalCount) -> Self {
        Paged {
            edges: edges.into_iter().map(|(cursor, node)| (cursor.into(), node)).collect(),
            has_previous,
            has_next,
            total,
        }
    }

    /// Where the page stands in the list, its cursors made now.
    pub fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous,
            has_next_page: self.has_next,
            start_cursor: self.edges.first().map(|(cursor, _)| cursor.encode()),
            end_cursor: self.edges.last().map(|(cursor, _)| cursor.encode()),
        }
    }
}

/// Defines a connection type and its edge type for a node type.
#[macro_export]
macro_rules! connection {
    // `{ fields }`, when given, are more fields of the connection, written as in the `impl` block.
    ($connection:ident, $edge:ident, $node:ty, $plural:literal $(, { $($fields:tt)* })?) => {
        $crate::connection!(@define $connection, $edge, $node, &$node, ::std::convert::identity, $plural $(, { $($fields)* })?);
    };
    // `plain`: the nodes are answered from their rows where they can be (see `shared::plain`).
    ($connection:ident, $edge:ident, $node:ty, $plural:literal, plain $(, { $($fields:tt)* })?) => {
        $crate::connection!(
            @define $connection, $edge, $node, $crate::graphql::object::shared::plain::Plain<&$node>,
            $crate::graphql::object::shared::plain::Plain, $plural $(, { $($fields)* })?
        );
    };
    (@define $connection:ident, $edge:ident, $node:ty, $listed:ty, $wrap:expr, $plural:literal $(, { $($fields:tt)* })?) => {
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
            async fn nodes(&self) -> Vec<$listed> {
                self.0.edges.iter().map(|(_, node)| $wrap(node)).collect()
            }

            /// Where the page stands in the list.
            async fn page_info(&self) -> async_graphql::connection::PageInfo {
                self.0.page_info()
            }

            /// The number of items in the whole list, across all pages, with the same filter.
            async fn total_count(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<i64> {
                self.0.total.count(ctx).await
            }

            $($($fields)*)?
        }

        impl From<$crate::graphql::connection::Paged<$node>> for $connection {
            fn from(page: $crate::graphql::connection::Paged<$node>) -> Self {
                $connection(page)
            }
        }

        #[doc = concat!("One of ", $plural, " in a page, with its cursor.")]
        pub struct $edge<'a> {
            cursor: &'a $crate::graphql::connection::Cursor,
            node: &'a $node,
        }

        #[doc = concat!("One of ", $plural, " in a page, with its cursor.")]
        #[async_graphql::Object]
        impl $edge<'_> {
            /// The item's cursor: pass it as `after` or `before` to page on from this item.
            async fn cursor(&self) -> String {
                self.cursor.encode()
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
    let count = ctx.look_ahead().field("totalCount").exists();
    let total = TotalCount::Query(Box::new(select.clone().into_query()));
    let page = page::fetch(db, select, id_column, &window, count).await.extend()?;
    let total = page.total.map_or(total, TotalCount::Known);
    Ok(paged(page, total, id_of, to_node))
}

/// A record's `(created_at, updated_at)`.
pub type CreatedAndUpdated = (DateTime<Utc>, DateTime<Utc>);

/// The timestamp columns a list can be sorted by, and how to read them from a record.
pub struct Timestamps<E: EntityTrait> {
    /// `created_at`.
    pub created: E::Column,
    /// `updated_at`.
    pub updated: E::Column,
    /// A record's `(created_at, updated_at)`.
    pub of: fn(&E::Model) -> CreatedAndUpdated,
}

/// Like [`paginate`], but sorted as `order` says when it is given.
pub async fn paginate_ordered<E, N>(
    ctx: &Context<'_>,
    select: Select<E>,
    id_column: E::Column,
    id_of: impl Fn(&E::Model) -> Uuid,
    to_node: impl Fn(E::Model) -> N,
    request: PageRequest,
    order: Option<(RecordOrderField, OrderDirection)>,
    timestamps: Timestamps<E>,
) -> async_graphql::Result<Paged<N>>
where
    E: EntityTrait,
{
    let Some((field, direction)) = order else {
        return paginate(ctx, select, id_column, id_of, to_node, request).await;
    };
    let db = ctx.data::<DatabaseConnection>()?;
    let total = TotalCount::Query(Box::new(select.clone().into_query()));
    let column = match field {
        RecordOrderField::CreatedAt => timestamps.created,
        RecordOrderField::UpdatedAt => timestamps.updated,
    };
    let sort = Sort {
        column,
        descending: direction == OrderDirection::Desc,
    };
    let count = ctx.look_ahead().field("totalCount").exists();
    let page = sorted_page::fetch(db, select, id_column, sort, &request, count)
        .await
        .extend()?;
    let total = page.total.map_or(total, TotalCount::Known);
    let key = |model: &E::Model| {
        let (created, updated) = (timestamps.of)(model);
        let at = if field == RecordOrderField::CreatedAt {
            created
        } else {
            updated
        };
        Key { at, id: id_of(model) }.cursor()
    };
    let edges: Vec<(String, N)> = page.items.into_iter().map(|m| (key(&m), to_node(m))).collect();
    Ok(Paged::new(edges, page.has_previous, page.has_next, total))
}

/// One page of a list that belongs to a record (`key` makes its loader key from the window), loaded in one
/// statement with the same list of every sibling record on the page.
pub async fn nested<K, M, N>(
    ctx: &Context<'_>,
    request: PageRequest,
    key: impl FnOnce(ListWindow) -> K,
    list: List,
    id_of: impl Fn(&M) -> Uuid,
    to_node: impl Fn(M) -> N,
) -> async_graphql::Result<Paged<N>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    RegistryLoader: async_graphql::dataloader::Loader<K, Value = Page<M>, Error = crate::error::Error>,
    M: Send + Sync + Clone + 'static,
{
    let window = request.window().extend()?;
    // A client that asks only for `totalCount` (participant counts on a page of activities) gets it
    // without the pages being read.
    let look = ctx.look_ahead();
    if !(look.field("nodes").exists() || look.field("edges").exists() || look.field("pageInfo").exists()) {
        return Ok(Paged::new(
            Vec::<(Cursor, N)>::new(),
            false,
            false,
            TotalCount::List(list),
        ));
    }
    let counted = look.field("totalCount").exists();
    let page = ctx
        .data::<Loader>()?
        .load_one(key(ListWindow { window, counted }))
        .await
        .extend()?
        .unwrap_or_default();
    let total = page.total.map_or(TotalCount::List(list), TotalCount::Known);
    Ok(paged(page, total, id_of, to_node))
}

/// Makes a connection's page from a fetched page of records.
pub fn paged<M, N>(page: Page<M>, total: TotalCount, id_of: impl Fn(&M) -> Uuid, to_node: impl Fn(M) -> N) -> Paged<N> {
    let edges: Vec<(Cursor, N)> = page
        .items
        .into_iter()
        .map(|model| (Cursor::Id(id_of(&model)), to_node(model)))
        .collect();
    Paged::new(edges, page.has_previous, page.has_next, total)
}
