//! Managing webhook endpoints: for an ADMIN, or an EDITOR for its organisation's endpoints.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, ResultExt, SimpleObject};
use sea_orm::DatabaseConnection;

use super::{actor, decode, optional, user_errors};
use crate::config::Webhooks;
use crate::entity::webhook_endpoint;
use crate::graphql::object::webhook_endpoint::WebhookEndpoint;
use crate::graphql::user_error::UserError;
use crate::service::edit::Problem;
use crate::service::id::{self, NodeType};
use crate::service::webhook::{EndpointFields, endpoint};

/// Webhook endpoint mutations.
#[derive(Default)]
pub struct WebhookMutation;

/// Which events an endpoint gets. All that are given apply; none given: every event.
#[derive(InputObject, Default)]
pub struct WebhookFilterInput {
    /// Only changes to records of these types (all types when left out or empty).
    types: Option<Vec<NodeType>>,
    /// Only changes to records that belong to this organisation (as the `changes` filter counts them).
    organisation: Option<ID>,
    /// Only changes to records that belong to this initiative.
    initiative: Option<ID>,
}

/// A new webhook endpoint.
#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    /// The URL to post to: `https://`, at a public address (unless the server allows others).
    url: String,
    /// What it is for, up to 500 characters.
    #[graphql(default)]
    description: String,
    /// Which events it gets; every event when left out.
    filter: Option<WebhookFilterInput>,
}

/// Changes to a webhook endpoint: a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateWebhookEndpointInput {
    /// The endpoint.
    endpoint_id: ID,
    /// The version you last read.
    expected_version: i32,
    /// A new URL.
    url: Option<String>,
    /// A new description.
    description: Option<String>,
    /// A new filter, replacing the whole filter.
    filter: MaybeUndefined<WebhookFilterInput>,
}

/// A webhook endpoint to act on.
#[derive(InputObject)]
pub struct WebhookEndpointInput {
    /// The endpoint.
    endpoint_id: ID,
}

/// Where to replay an endpoint's deliveries from.
#[derive(InputObject)]
pub struct RedeliverWebhookInput {
    /// The endpoint.
    endpoint_id: ID,
    /// A change-feed position: every matching event after it is delivered again, in order ("0" for the
    /// whole feed).
    after: String,
}

/// What a webhook endpoint mutation did.
#[derive(SimpleObject)]
pub struct WebhookEndpointPayload {
    /// The endpoint after the change; null when nothing was changed.
    webhook_endpoint: Option<WebhookEndpoint>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

/// What creating an endpoint or rotating its secret did.
#[derive(SimpleObject)]
pub struct WebhookSecretPayload {
    /// The endpoint; null when nothing was changed.
    webhook_endpoint: Option<WebhookEndpoint>,
    /// The endpoint's new signing secret (`whsec_...`). Shown this once: store it where the receiver
    /// verifies signatures. Kartla keeps it sealed and never shows it again.
    secret: Option<String>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

/// What deleting an endpoint did.
#[derive(SimpleObject)]
pub struct DeleteWebhookEndpointPayload {
    /// The ID of the endpoint deleted; null when nothing was deleted.
    deleted_endpoint_id: Option<ID>,
    /// What was wrong with the input; empty when the endpoint was deleted.
    user_errors: Vec<UserError>,
}

fn payload(outcome: Result<webhook_endpoint::Model, Vec<Problem>>) -> WebhookEndpointPayload {
    match outcome {
        Ok(model) => WebhookEndpointPayload {
            webhook_endpoint: Some(WebhookEndpoint(Box::new(model))),
            user_errors: Vec::new(),
        },
        Err(problems) => WebhookEndpointPayload {
            webhook_endpoint: None,
            user_errors: user_errors(problems),
        },
    }
}

fn secret_payload(outcome: Result<(webhook_endpoint::Model, String), Vec<Problem>>) -> WebhookSecretPayload {
    match outcome {
        Ok((model, secret)) => WebhookSecretPayload {
            webhook_endpoint: Some(WebhookEndpoint(Box::new(model))),
            secret: Some(secret),
            user_errors: Vec::new(),
        },
        Err(problems) => WebhookSecretPayload {
            webhook_endpoint: None,
            secret: None,
            user_errors: user_errors(problems),
        },
    }
}

/// The endpoint behind `id`, or a BAD_ID problem at `endpointId`.
fn endpoint_id(id: &ID, problems: &mut Vec<Problem>) -> Option<uuid::Uuid> {
    let decoded = id::decode_webhook_endpoint(id);
    if decoded.is_none() {
        problems.push(Problem::new(
            &["endpointId"],
            "BAD_ID",
            "not the ID of a WebhookEndpoint",
        ));
    }
    decoded
}

/// The filter's fields, its IDs decoded (problems at `filter.*`).
fn filter_fields(filter: WebhookFilterInput, fields: &mut EndpointFields, problems: &mut Vec<Problem>) {
    fields.types = Some(filter.types.unwrap_or_default());
    fields.organisation = Some(
        filter
            .organisation
            .and_then(|id| decode(&id, NodeType::Organisation, &["filter", "organisation"], problems)),
    );
    fields.initiative = Some(
        filter
            .initiative
            .and_then(|id| decode(&id, NodeType::Initiative, &["filter", "initiative"], problems)),
    );
}

#[Object]
impl WebhookMutation {
    /// Creates a webhook endpoint that gets every matching change committed from now on. The answer
    /// carries its signing secret, shown this once. For an ADMIN, or an EDITOR (the endpoint is then its
    /// organisation's).
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new endpoint.")] input: CreateWebhookEndpointInput,
    ) -> async_graphql::Result<WebhookSecretPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let config = ctx.data::<Webhooks>()?;
        let mut problems = Vec::new();
        let mut fields = EndpointFields {
            url: Some(input.url.trim().to_owned()),
            description: Some(input.description),
            ..EndpointFields::default()
        };
        filter_fields(input.filter.unwrap_or_default(), &mut fields, &mut problems);
        if !problems.is_empty() {
            return Ok(secret_payload(Err(problems)));
        }
        Ok(secret_payload(
            endpoint::create(db, &actor, config, fields).await.extend()?,
        ))
    }

    /// Changes an endpoint's URL, description or filter.
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateWebhookEndpointInput,
    ) -> async_graphql::Result<WebhookEndpointPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let config = ctx.data::<Webhooks>()?;
        let mut problems = Vec::new();
        let id = endpoint_id(&input.endpoint_id, &mut problems);
        let mut fields = EndpointFields {
            url: input.url.map(|url| url.trim().to_owned()),
            description: input.description,
            ..EndpointFields::default()
        };
        if let Some(filter) = optional(input.filter, Some) {
            filter_fields(filter.unwrap_or_default(), &mut fields, &mut problems);
        }
        let (Some(id), true) = (id, problems.is_empty()) else {
            return Ok(payload(Err(problems)));
        };
        let outcome = endpoint::update(db, &actor, config, id, input.expected_version, fields).await;
        Ok(payload(outcome.extend()?))
    }

    /// Gives an endpoint a new signing secret, shown this once. The old secret keeps signing beside the
    /// new one for the server's grace period (a day by default), so the receiver can switch without
    /// losing a delivery.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] input: WebhookEndpointInput,
    ) -> async_graphql::Result<WebhookSecretPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let config = ctx.data::<Webhooks>()?;
        let mut problems = Vec::new();
        let Some(id) = endpoint_id(&input.endpoint_id, &mut problems) else {
            return Ok(secret_payload(Err(problems)));
        };
        Ok(secret_payload(endpoint::rotate(db, &actor, config, id).await.extend()?))
    }

    /// Stops deliveries to an endpoint; events committed meanwhile are delivered once it is enabled again.
    async fn disable_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] input: WebhookEndpointInput,
    ) -> async_graphql::Result<WebhookEndpointPayload> {
        set_enabled(ctx, input, false).await
    }

    /// Resumes deliveries to an endpoint from where they stood, trying a failed event again at once.
    async fn enable_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] input: WebhookEndpointInput,
    ) -> async_graphql::Result<WebhookEndpointPayload> {
        set_enabled(ctx, input, true).await
    }

    /// Deletes an endpoint and its delivery log.
    async fn delete_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] input: WebhookEndpointInput,
    ) -> async_graphql::Result<DeleteWebhookEndpointPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let outcome = match endpoint_id(&input.endpoint_id, &mut problems) {
            Some(id) => endpoint::delete(db, &actor, id).await.extend()?,
            None => Err(problems),
        };
        Ok(match outcome {
            Ok(id) => DeleteWebhookEndpointPayload {
                deleted_endpoint_id: Some(ID(id::encode_webhook_endpoint(id))),
                user_errors: Vec::new(),
            },
            Err(problems) => DeleteWebhookEndpointPayload {
                deleted_endpoint_id: None,
                user_errors: user_errors(problems),
            },
        })
    }

    /// Delivers again every matching event after a position, in order, with the same `webhook-id`s as
    /// before; later events wait until these are delivered.
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint and the position.")] input: RedeliverWebhookInput,
    ) -> async_graphql::Result<WebhookEndpointPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let id = endpoint_id(&input.endpoint_id, &mut problems);
        let after = match crate::service::change_feed::decode_cursor(&input.after) {
            Ok(after) => Some(after),
            Err(error) => {
                problems.push(Problem::new(&["after"], "BAD_CURSOR", error.to_string()));
                None
            }
        };
        let (Some(id), Some(after)) = (id, after) else {
            return Ok(payload(Err(problems)));
        };
        Ok(payload(endpoint::redeliver(db, &actor, id, after).await.extend()?))
    }
}

async fn set_enabled(
    ctx: &Context<'_>,
    input: WebhookEndpointInput,
    enabled: bool,
) -> async_graphql::Result<WebhookEndpointPayload> {
    let actor = actor(ctx)?;
    let db = ctx.data::<DatabaseConnection>()?;
    let mut problems = Vec::new();
    let Some(id) = endpoint_id(&input.endpoint_id, &mut problems) else {
        return Ok(payload(Err(problems)));
    };
    Ok(payload(endpoint::set_enabled(db, &actor, id, enabled).await.extend()?))
}
