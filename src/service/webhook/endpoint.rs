//! Managing webhook endpoints. An ADMIN manages every endpoint; an EDITOR the endpoints of the
//! organisation it acts for; a READER none. An endpoint someone may not manage is, to them, not there.
//! The secret is shown when it is made (on creation and on rotation) and never again.

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::secret::{Secret, WebhookKey};
use super::target;
use crate::config::Webhooks;
use crate::entity::enums::AccessRole;
use crate::entity::webhook_endpoint::{self, Column, Entity, Model};
use crate::entity::{initiative, organisation};
use crate::error::Error;
use crate::service::change_feed;
use crate::service::edit::{Outcome, Problem};
use crate::service::id::NodeType;
use crate::service::page::{self, Page, Window};
use crate::service::permission::{Actor, Viewer};

/// The longest description an endpoint may have.
const MAX_DESCRIPTION: usize = 500;

/// Who manages an endpoint: what the API shows of it is read as this role, for this organisation.
#[derive(Clone, Debug)]
pub struct Owner {
    /// The role the endpoint's events are read as.
    pub role: AccessRole,
    /// The organisation whose editors manage it.
    pub organisation: Option<Uuid>,
}

/// An endpoint's fields as given: a field left out keeps its value.
#[derive(Clone, Debug, Default)]
pub struct EndpointFields {
    /// The URL to post to.
    pub url: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// Only these record types (empty: all).
    pub types: Option<Vec<NodeType>>,
    /// Only records of this organisation (`Some(None)` clears it).
    pub organisation: Option<Option<Uuid>>,
    /// Only records of this initiative (`Some(None)` clears it).
    pub initiative: Option<Option<Uuid>>,
}

/// Whether `viewer` may see and change `endpoint`.
pub fn may_manage(viewer: &Viewer, endpoint: &Model) -> bool {
    match viewer.actor() {
        Some(Actor {
            role: AccessRole::Admin,
            ..
        }) => true,
        Some(Actor {
            role: AccessRole::Editor,
            organisation: Some(acting_for),
            ..
        }) => endpoint.organisation_id == Some(*acting_for),
        _ => false,
    }
}

/// FORBIDDEN unless `actor` may manage endpoints at all.
fn require_manager(actor: &Actor) -> Result<(), Error> {
    match actor.role {
        AccessRole::Admin => Ok(()),
        AccessRole::Editor if actor.organisation.is_some() => Ok(()),
        _ => Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR for its organisation, may manage webhook endpoints".into(),
        )),
    }
}

/// Every endpoint `viewer` manages; `None` when it manages none.
fn managed_by(viewer: &Viewer) -> Option<sea_orm::Select<Entity>> {
    match viewer.actor() {
        Some(Actor {
            role: AccessRole::Admin,
            ..
        }) => Some(Entity::find()),
        Some(Actor {
            role: AccessRole::Editor,
            organisation: Some(organisation),
            ..
        }) => Some(Entity::find().filter(Column::OrganisationId.eq(*organisation))),
        _ => None,
    }
}

/// The endpoints `viewer` manages, a page in ID order, and the statement that counts them all.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    window: &Window,
) -> Result<(Page<Model>, Option<sea_orm::sea_query::SelectStatement>), Error> {
    let Some(select) = managed_by(viewer) else {
        return Ok((window.cut(Vec::new()), None));
    };
    let count = sea_orm::QueryTrait::into_query(select.clone());
    Ok((page::fetch(db, select, Column::Id, window, true).await?, Some(count)))
}

/// The endpoints among `ids` that `viewer` manages.
pub async fn visible(db: &impl ConnectionTrait, viewer: &Viewer, ids: &[Uuid]) -> Result<Vec<Model>, Error> {
    if viewer.actor().is_none() || ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(found.into_iter().filter(|e| may_manage(viewer, e)).collect())
}

/// The endpoint `id` if `actor` manages it, or a NOT_FOUND problem at `endpointId`.
async fn managed(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> Result<Result<Model, Vec<Problem>>, Error> {
    require_manager(actor)?;
    let viewer = Viewer::Signed(actor.clone());
    match Entity::find_by_id(id).one(db).await? {
        Some(endpoint) if may_manage(&viewer, &endpoint) => Ok(Ok(endpoint)),
        _ => Ok(Err(vec![Problem::new(
            &["endpointId"],
            "NOT_FOUND",
            "no webhook endpoint with this ID that you manage",
        )])),
    }
}

/// Checks `fields`; the problems found.
async fn check(db: &impl ConnectionTrait, config: &Webhooks, fields: &EndpointFields) -> Result<Vec<Problem>, Error> {
    let mut problems = Vec::new();
    if let Some(url) = &fields.url
        && let Err(why) = target::check_url(url, config.allow_insecure_targets)
    {
        let code = if url::Url::parse(url).is_ok() && url.len() <= target::MAX_URL_LENGTH {
            "URL_NOT_ALLOWED"
        } else {
            "INVALID"
        };
        problems.push(Problem::new(&["url"], code, format!("give {why}")));
    }
    if let Some(description) = &fields.description
        && description.chars().count() > MAX_DESCRIPTION
    {
        problems.push(Problem::new(
            &["description"],
            "INVALID",
            format!("at most {MAX_DESCRIPTION} characters"),
        ));
    }
    if let Some(Some(id)) = fields.organisation
        && organisation::Entity::find_by_id(id).one(db).await?.is_none()
    {
        problems.push(Problem::new(
            &["filter", "organisation"],
            "NOT_FOUND",
            "no such organisation",
        ));
    }
    if let Some(Some(id)) = fields.initiative
        && initiative::Entity::find_by_id(id).one(db).await?.is_none()
    {
        problems.push(Problem::new(
            &["filter", "initiative"],
            "NOT_FOUND",
            "no such initiative",
        ));
    }
    Ok(problems)
}

fn types_text(types: &[NodeType]) -> String {
    let mut names: Vec<&str> = types.iter().map(|t| t.name()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

/// The record types an endpoint is filtered to (empty: all).
pub fn types_of(endpoint: &Model) -> Vec<NodeType> {
    endpoint
        .filter_types
        .split(',')
        .filter_map(|name| NodeType::ALL.into_iter().find(|t| t.name() == name))
        .collect()
}

/// The change-feed filter of an endpoint.
pub fn feed_filter(endpoint: &Model) -> change_feed::Filter {
    change_feed::Filter {
        types: types_of(endpoint),
        organisation: endpoint.filter_organisation_id,
        initiative: endpoint.filter_initiative_id,
    }
}

/// Why endpoints cannot be made or rotated here.
fn no_key() -> Vec<Problem> {
    vec![Problem::new(
        &[],
        "NOT_CONFIGURED",
        "this server has no webhook key to protect secrets with; its operator sets --webhook-secret-key",
    )]
}

/// Creates an endpoint for `actor`, delivering the changes committed from now on; the endpoint and its
/// secret.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    config: &Webhooks,
    fields: EndpointFields,
) -> Outcome<(Model, String)> {
    require_manager(actor)?;
    let Some(key) = &config.key else {
        return Ok(Err(no_key()));
    };
    let mut problems = check(db, config, &fields).await?;
    let Some(url) = fields.url.clone() else {
        problems.push(Problem::new(&["url"], "INVALID", "give the URL to post to"));
        return Ok(Err(problems));
    };
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let id = Uuid::new_v4();
    let secret = Secret::generate();
    let now = Utc::now();
    let head = change_feed::head_position(db).await?;
    let model = webhook_endpoint::ActiveModel {
        id: Set(id),
        organisation_id: Set(actor.organisation.filter(|_| actor.role == AccessRole::Editor)),
        created_by: Set(actor.token_name.clone()),
        owner_role: Set(actor.role),
        url: Set(url),
        description: Set(fields.description.clone().unwrap_or_default()),
        filter_types: Set(types_text(fields.types.as_deref().unwrap_or_default())),
        filter_organisation_id: Set(fields.organisation.flatten()),
        filter_initiative_id: Set(fields.initiative.flatten()),
        secret: Set(key.seal(id, &secret)),
        previous_secret: Set(None),
        previous_secret_until: Set(None),
        enabled: Set(true),
        disabled_reason: Set(None),
        upto: Set(head),
        failing_since: Set(None),
        next_attempt_at: Set(None),
        lease_owner: Set(None),
        lease_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(db)
    .await?;
    tracing::info!(endpoint = %id, by = %actor.token_name, "webhook endpoint created");
    Ok(Ok((model, secret.reveal())))
}

/// Writes `changes` to endpoint `id` if it is still at `version`, raising the version; the endpoint as it
/// is now, or a CONFLICT problem.
async fn write(
    db: &impl ConnectionTrait,
    endpoint: &Model,
    expected_version: Option<i32>,
    changes: Vec<(Column, sea_orm::Value)>,
) -> Outcome<Model> {
    let version = expected_version.unwrap_or(endpoint.version);
    let mut update = Entity::update_many()
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(endpoint.id))
        .filter(Column::Version.eq(version));
    for (column, value) in changes {
        update = update.col_expr(column, Expr::value(value));
    }
    if update.exec(db).await?.rows_affected != 1 {
        let now = Entity::find_by_id(endpoint.id).one(db).await?.map_or(0, |e| e.version);
        return Ok(Err(vec![Problem::new(
            &["expectedVersion"],
            "CONFLICT",
            format!("the endpoint has changed: it is at version {now}, read it again"),
        )]));
    }
    let written = Entity::find_by_id(endpoint.id).one(db).await?;
    written
        .map(Ok)
        .ok_or_else(|| Error::NotFound("the endpoint was deleted meanwhile".into()))
}

/// Changes endpoint `id`'s URL, description or filter.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    config: &Webhooks,
    id: Uuid,
    expected_version: i32,
    fields: EndpointFields,
) -> Outcome<Model> {
    let endpoint = match managed(db, actor, id).await? {
        Ok(endpoint) => endpoint,
        Err(problems) => return Ok(Err(problems)),
    };
    let problems = check(db, config, &fields).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let mut changes = Vec::new();
    if let Some(url) = fields.url {
        changes.push((Column::Url, url.into()));
    }
    if let Some(description) = fields.description {
        changes.push((Column::Description, description.into()));
    }
    if let Some(types) = fields.types {
        changes.push((Column::FilterTypes, types_text(&types).into()));
    }
    if let Some(organisation) = fields.organisation {
        changes.push((Column::FilterOrganisationId, organisation.into()));
    }
    if let Some(initiative) = fields.initiative {
        changes.push((Column::FilterInitiativeId, initiative.into()));
    }
    write(db, &endpoint, Some(expected_version), changes).await
}

/// Gives endpoint `id` a new secret; the old one still signs for the configured grace period. The
/// endpoint and the new secret.
pub async fn rotate(db: &DatabaseConnection, actor: &Actor, config: &Webhooks, id: Uuid) -> Outcome<(Model, String)> {
    let endpoint = match managed(db, actor, id).await? {
        Ok(endpoint) => endpoint,
        Err(problems) => return Ok(Err(problems)),
    };
    let Some(key) = &config.key else {
        return Ok(Err(no_key()));
    };
    let secret = Secret::generate();
    let grace = Duration::from_std(config.rotation_grace).unwrap_or(Duration::days(1));
    let changes = vec![
        (Column::Secret, key.seal(id, &secret).into()),
        (Column::PreviousSecret, Some(endpoint.secret.clone()).into()),
        (Column::PreviousSecretUntil, Some(Utc::now() + grace).into()),
    ];
    Ok(write(db, &endpoint, None, changes)
        .await?
        .map(|model| (model, secret.reveal())))
}

/// Turns deliveries to endpoint `id` on or off. Turning them on clears a failure: the event that failed
/// is tried again at once.
pub async fn set_enabled(db: &DatabaseConnection, actor: &Actor, id: Uuid, enabled: bool) -> Outcome<Model> {
    let endpoint = match managed(db, actor, id).await? {
        Ok(endpoint) => endpoint,
        Err(problems) => return Ok(Err(problems)),
    };
    let mut changes = vec![(Column::Enabled, enabled.into())];
    if enabled {
        changes.extend([
            (Column::DisabledReason, Option::<String>::None.into()),
            (Column::FailingSince, Option::<chrono::DateTime<Utc>>::None.into()),
            (Column::NextAttemptAt, Option::<chrono::DateTime<Utc>>::None.into()),
        ]);
    }
    write(db, &endpoint, None, changes).await
}

/// Deletes endpoint `id` and its delivery log.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Outcome<Uuid> {
    if let Err(problems) = managed(db, actor, id).await? {
        return Ok(Err(problems));
    }
    crate::entity::webhook_delivery::Entity::delete_many()
        .filter(crate::entity::webhook_delivery::Column::EndpointId.eq(id))
        .exec(db)
        .await?;
    Entity::delete_by_id(id).exec(db).await?;
    tracing::info!(endpoint = %id, by = %actor.token_name, "webhook endpoint deleted");
    Ok(Ok(id))
}

/// Delivers again every matching event after position `after` (at most the feed's head), in order.
pub async fn redeliver(db: &DatabaseConnection, actor: &Actor, id: Uuid, after: i64) -> Outcome<Model> {
    let endpoint = match managed(db, actor, id).await? {
        Ok(endpoint) => endpoint,
        Err(problems) => return Ok(Err(problems)),
    };
    let head = change_feed::head_position(db).await?;
    if after > head {
        return Ok(Err(vec![Problem::new(
            &["after"],
            "INVALID",
            format!("a position of the change feed: its head is at {head}"),
        )]));
    }
    let none = Option::<chrono::DateTime<Utc>>::None;
    let changes = vec![
        (Column::Upto, after.into()),
        (Column::FailingSince, none.into()),
        (Column::NextAttemptAt, none.into()),
    ];
    write(db, &endpoint, None, changes).await
}

/// The secrets that sign for `endpoint` now: its own, and the one before while its grace lasts.
pub fn signing_secrets(key: &WebhookKey, endpoint: &Model) -> Option<Vec<Secret>> {
    let mut secrets = vec![key.open(endpoint.id, &endpoint.secret)?];
    if let (Some(previous), Some(until)) = (&endpoint.previous_secret, endpoint.previous_secret_until)
        && until > Utc::now()
        && let Some(secret) = key.open(endpoint.id, previous)
    {
        secrets.push(secret);
    }
    Some(secrets)
}
