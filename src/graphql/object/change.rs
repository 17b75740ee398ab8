//! The change feed in the API: `changes`, read by position, and the `registryChanged` subscription, which
//! streams the same events as they are committed.

use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use sea_orm::DatabaseConnection;

use super::node::{self, Node};
use crate::entity::change_event;
use crate::error::Error;
use crate::graphql::connection::{Paged, TotalCount};
use crate::service::change_feed::{self, FeedHead, Filter, Operation, Stop};
use crate::service::id::{self, NodeType};
use crate::service::page::PageRequest;

/// One committed change to a record, at its position in the feed.
pub struct ChangeEvent(pub change_event::Model);

/// One committed change to a record, at its position in the feed.
#[Object]
impl ChangeEvent {
    /// The event's place in the feed, a decimal number as a string: every later commit has a higher one.
    /// Store it and pass it as `after` to resume, to `changes` or to `registryChanged`.
    async fn position(&self) -> String {
        self.0.position.to_string()
    }

    /// When the change was committed.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// What the change did to the record.
    async fn operation(&self) -> Operation {
        Operation::from_code(&self.0.operation).unwrap_or(Operation::Update)
    }

    /// The record's type.
    async fn record_type(&self) -> Option<NodeType> {
        record_type(&self.0)
    }

    /// The record's global ID (also for a deleted record).
    async fn record_id(&self) -> Option<ID> {
        record_type(&self.0).map(|t| ID(id::encode(t, self.0.record_id)))
    }

    /// The record's version after this change. Sources, contacts, consultation events and submissions
    /// are added without raising their record's version.
    async fn version(&self) -> Option<i32> {
        self.0.version
    }

    /// The record as it is now, which may be after later changes (compare `version`); null once the record
    /// has been deleted, so the event is a tombstone.
    async fn record(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        let Some(record_type) = record_type(&self.0) else {
            return Ok(None);
        };
        let id = ID(id::encode(record_type, self.0.record_id));
        let found = node::resolve(ctx, &[id]).await?;
        crate::graphql::empty_records::EmptyRecords::note(ctx, &found, false);
        Ok(found.into_iter().next().flatten())
    }
}

fn record_type(event: &change_event::Model) -> Option<NodeType> {
    NodeType::ALL.into_iter().find(|t| t.name() == event.record_type)
}

crate::connection!(ChangeEventConnection, ChangeEventEdge, ChangeEvent, "change events");

/// Which change events to read. All fields given apply.
#[derive(Default, InputObject)]
pub struct ChangeFilter {
    /// Only changes to records of these types.
    types: Option<Vec<NodeType>>,
    /// Only changes to records that belong to this organisation: the organisation itself, the roles it
    /// holds, its participations, the consultations it organises.
    organisation: Option<ID>,
    /// Only changes to records that belong to this initiative: the initiative, its activities, the roles
    /// on both, and participations in its activities.
    initiative: Option<ID>,
}

impl ChangeFilter {
    fn decode(filter: Option<ChangeFilter>) -> Result<Filter, Error> {
        let filter = filter.unwrap_or_default();
        Ok(Filter {
            types: filter.types.unwrap_or_default(),
            organisation: filter
                .organisation
                .map(|id| id::decode_as(&id, NodeType::Organisation))
                .transpose()?,
            initiative: filter
                .initiative
                .map(|id| id::decode_as(&id, NodeType::Initiative))
                .transpose()?,
        })
    }
}

/// `changes`: a page of the feed, oldest first.
pub async fn changes(
    ctx: &Context<'_>,
    request: PageRequest,
    filter: Option<ChangeFilter>,
) -> async_graphql::Result<ChangeEventConnection> {
    let filter = ChangeFilter::decode(filter).extend()?;
    let db = ctx.data::<DatabaseConnection>()?;
    let page = change_feed::page(db, &request, &filter).await.extend()?;
    let after = request
        .after
        .as_deref()
        .map(change_feed::decode_cursor)
        .transpose()
        .extend()?;
    let edges: Vec<(String, ChangeEvent)> = page
        .items
        .into_iter()
        .map(|event| (event.position.to_string(), ChangeEvent(event)))
        .collect();
    let total = TotalCount::Query(Box::new(change_feed::count_query(after, &filter)));
    Ok(Paged::new(edges, page.has_previous, page.has_next, total).into())
}

/// How far behind the head a subscriber may be before it is told to catch up with `changes`.
#[derive(Clone, Copy, Debug)]
pub struct MaxLag(pub i64);

/// Kartla's subscriptions.
#[derive(Default)]
pub struct Subscription;

/// Kartla's subscriptions, over WebSocket at `/graphql` (graphql-transport-ws, or the older graphql-ws).
#[Subscription]
impl Subscription {
    /// The change events as they are committed, through any Kartla instance on the same database: the
    /// same events as `changes`, in the same order. Pass the last `position` you saw as `after` to first
    /// receive everything since then; without it, the stream starts at the present. A subscriber more
    /// than the server's limit behind (10,000 changes unless configured) gets an error with code
    /// `SUBSCRIBER_BEHIND` and the position to catch up from with `changes`, and the stream ends.
    async fn registry_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The last position seen; the stream starts right after it.")] after: Option<String>,
        #[graphql(desc = "Which changes to receive.")] filter: Option<ChangeFilter>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<ChangeEvent>> + use<>> {
        let filter = ChangeFilter::decode(filter).extend()?;
        let after = after.as_deref().map(change_feed::decode_cursor).transpose().extend()?;
        let db = ctx.data::<DatabaseConnection>()?.clone();
        let feed = ctx.data::<FeedHead>()?;
        let max_lag = ctx.data::<MaxLag>()?.0;
        let events = change_feed::follow(db, feed, after, filter, max_lag).await.extend()?;
        Ok(events.map(|event| match event {
            Ok(event) => Ok(ChangeEvent(event)),
            Err(Stop::Behind { position, head }) => Err(async_graphql::Error::new(format!(
                "this subscriber is {} changes behind the feed: read them with `changes(after: \"{position}\")`, \
                 then subscribe again with the last position",
                head - position
            ))
            .extend_with(|_, e| {
                e.set("code", "SUBSCRIBER_BEHIND");
                e.set("position", position.to_string());
            })),
            Err(Stop::Failed(error)) => Err(error.extend()),
        }))
    }
}
