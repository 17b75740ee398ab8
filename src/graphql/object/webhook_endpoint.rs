//! Webhook endpoints and their delivery logs in the API. Only those who manage an endpoint see it: an
//! ADMIN every one, an EDITOR its organisation's; to everyone else it does not exist.

use async_graphql::{Context, ID, Object, ResultExt};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::initiative::Initiative;
use super::organisation::Organisation;
use crate::entity::{webhook_delivery, webhook_endpoint};
use crate::graphql::connection::{Paged, TotalCount};
use crate::graphql::loader::{InitiativeKey, Loader, OrganisationKey};
use crate::service::id::{self, NodeType};
use crate::service::page::PageRequest;
use crate::service::webhook::{endpoint, log, message_id};

/// A URL that Kartla posts change events to, signed as the Standard Webhooks specification says.
pub struct WebhookEndpoint(pub Box<webhook_endpoint::Model>);

/// A URL that Kartla posts change events to, signed as the Standard Webhooks specification says
/// (docs/changes.md#webhooks). Each matching event is delivered once the ones before it are, retried
/// with growing waits while the receiver fails, for about a day by default; then the endpoint is
/// disabled and says why.
#[Object]
impl WebhookEndpoint {
    /// The endpoint's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode_webhook_endpoint(self.0.id))
    }

    /// The endpoint's version, raised by every change; give it as `expectedVersion` to change it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Whether the viewer may change the endpoint: always, for whoever sees it.
    async fn viewer_can_update(&self) -> bool {
        true
    }

    /// The URL posted to.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// What the endpoint is for.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Which events are delivered.
    async fn filter(&self) -> WebhookFilter<'_> {
        WebhookFilter(&self.0)
    }

    /// The organisation whose editors manage the endpoint; null for one only ADMINs manage.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(OrganisationKey(id)).await.extend()?.map(Organisation))
    }

    /// The name of the API token that created the endpoint.
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }

    /// Whether events are delivered.
    async fn enabled(&self) -> bool {
        self.0.enabled
    }

    /// Why Kartla disabled the endpoint (its deliveries failed for longer than the retry schedule); null
    /// while it is enabled or when its owner disabled it.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }

    /// The last change-feed position the endpoint is done with: every matching event up to it has been
    /// delivered. The next delivery is the first matching event after it.
    async fn position(&self) -> String {
        self.0.upto.to_string()
    }

    /// Since when the next event has been failing; null while deliveries succeed.
    async fn failing_since(&self) -> Option<DateTime<Utc>> {
        self.0.failing_since
    }

    /// When the failing event is tried again; null when no retry waits.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_attempt_at
    }

    /// Until when the secret before the last rotation still signs deliveries beside the new one.
    async fn previous_secret_valid_until(&self) -> Option<DateTime<Utc>> {
        self.0.previous_secret.as_ref().and(self.0.previous_secret_until)
    }

    /// When the endpoint was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the endpoint was last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The log of deliveries, by event position, oldest first (`last: 20` gives the newest): one entry
    /// per event attempted, with its attempts and how the last went.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n deliveries (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the deliveries after this cursor (an event position).")] after: Option<String>,
        #[graphql(desc = "Returns the last n deliveries (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the deliveries before this cursor (an event position).")] before: Option<String>,
    ) -> async_graphql::Result<WebhookDeliveryConnection> {
        let db = ctx.data::<DatabaseConnection>()?;
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        let page = log::page(db, self.0.id, &request).await.extend()?;
        let edges: Vec<(String, WebhookDelivery)> = page
            .items
            .into_iter()
            .map(|row| (row.position.to_string(), WebhookDelivery(row)))
            .collect();
        let total = TotalCount::Query(Box::new(log::count_query(self.0.id)));
        Ok(Paged::new(edges, page.has_previous, page.has_next, total).into())
    }
}

/// Which events an endpoint gets. All that are set apply.
pub struct WebhookFilter<'a>(&'a webhook_endpoint::Model);

/// Which events an endpoint gets. All that are set apply.
#[Object]
impl WebhookFilter<'_> {
    /// Only changes to records of these types; empty for all types.
    async fn types(&self) -> Vec<NodeType> {
        endpoint::types_of(self.0)
    }

    /// Only changes to records that belong to this organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.filter_organisation_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(OrganisationKey(id)).await.extend()?.map(Organisation))
    }

    /// Only changes to records that belong to this initiative.
    async fn initiative(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Initiative>> {
        let Some(id) = self.0.filter_initiative_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(InitiativeKey(id)).await.extend()?.map(Initiative))
    }
}

/// The delivery of one change event to one endpoint.
pub struct WebhookDelivery(pub webhook_delivery::Model);

/// The delivery of one change event to one endpoint: its attempts and how the last one went.
#[Object]
impl WebhookDelivery {
    /// The event's position in the change feed.
    async fn position(&self) -> String {
        self.0.position.to_string()
    }

    /// The `webhook-id` header of every attempt: the same on retries and redeliveries, so a receiver
    /// can drop what it already has.
    async fn webhook_id(&self) -> String {
        message_id(self.0.endpoint_id, self.0.position)
    }

    /// Attempts made in the current round (a redelivery starts a new one).
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// Whether the receiver acknowledged the event (answered 2xx) in the current round.
    async fn delivered(&self) -> bool {
        self.0.delivered_at.is_some() && self.0.next_attempt_at.is_none() && self.0.error.is_none()
    }

    /// The HTTP status of the last answer; null when there was none (a timeout, a refused connection).
    async fn status_code(&self) -> Option<i32> {
        self.0.status_code
    }

    /// What went wrong in the last attempt; null when it succeeded.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// How long the last attempt took, in milliseconds.
    async fn response_time_ms(&self) -> Option<i32> {
        self.0.response_ms
    }

    /// When the first attempt of the current round was made.
    async fn first_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.first_attempt_at
    }

    /// When the last attempt was made.
    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }

    /// When the next attempt is due; null when none waits.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_attempt_at
    }

    /// When the receiver acknowledged the event.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
}

crate::connection!(
    WebhookDeliveryConnection,
    WebhookDeliveryEdge,
    WebhookDelivery,
    "webhook deliveries"
);
crate::connection!(
    WebhookEndpointConnection,
    WebhookEndpointEdge,
    WebhookEndpoint,
    "webhook endpoints"
);
