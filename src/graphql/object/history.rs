//! The audit log in the API: its entries, and `auditLog` for admins (`history` on editable records is in
//! [`super::shared::audited`]).

use async_graphql::{Context, ID, InputObject, Json, Object, ResultExt};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::organisation::Organisation;
use crate::entity::audit_entry;
use crate::entity::enums::AccessRole;
use crate::error::Error;
use crate::graphql::connection::paginate;
use crate::graphql::loader::{Loader, OrganisationKey};
use crate::service::id::{self, NodeType};
use crate::service::page::PageRequest;
use crate::service::permission::Viewer;

/// One change in the audit log.
pub struct AuditEntry(pub audit_entry::Model);

/// One change in the audit log.
#[Object]
impl AuditEntry {
    /// When the change was committed.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The name of the API token that made it, or of the party an OpenID Connect access token named.
    async fn token_name(&self) -> &str {
        &self.0.token_name
    }

    /// The issuer of the OpenID Connect access token that made it; null when one of Kartla's own tokens
    /// did.
    async fn issuer(&self) -> Option<&str> {
        self.0.issuer.as_deref()
    }

    /// The subject (`sub`) of that access token: the person or client at its issuer.
    async fn subject(&self) -> Option<&str> {
        self.0.subject.as_deref()
    }

    /// The organisation the token acts for.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader.load_one(OrganisationKey(id)).await.extend()?.map(Organisation))
    }

    /// The operation, such as `SET_INITIATIVE_STATUS`.
    async fn operation(&self) -> &str {
        &self.0.operation
    }

    /// The GraphQL type of the record changed.
    async fn record_type(&self) -> &str {
        &self.0.record_type
    }

    /// The global ID of the record changed.
    async fn record_id(&self) -> ID {
        let node_type = NodeType::ALL
            .into_iter()
            .find(|t| t.name() == self.0.record_type)
            .unwrap_or(NodeType::Initiative);
        ID(id::encode(node_type, self.0.record_id))
    }

    /// Per changed field, `{"before": ..., "after": ...}`.
    async fn changes(&self) -> Json<serde_json::Value> {
        Json(serde_json::from_str(&self.0.changes).unwrap_or(serde_json::Value::Null))
    }
}

crate::connection!(AuditEntryConnection, AuditEntryEdge, AuditEntry, "audit entries");

/// Which audit entries to list. All fields given apply.
#[derive(Default, InputObject)]
pub struct AuditLogFilter {
    /// Changes to this record.
    record: Option<ID>,
    /// Changes made for this organisation.
    organisation: Option<ID>,
    /// Changes at or after this time.
    since: Option<DateTime<Utc>>,
}

/// `auditLog`: every change, oldest first, for admins only.
pub async fn audit_log(
    ctx: &Context<'_>,
    request: PageRequest,
    filter: Option<AuditLogFilter>,
) -> async_graphql::Result<AuditEntryConnection> {
    match ctx.data_opt::<Viewer>().and_then(Viewer::actor).map(|actor| actor.role) {
        Some(AccessRole::Admin) => {}
        Some(_) => {
            return Err(Error::Forbidden("only an ADMIN token may read the audit log".into())).extend();
        }
        _ => {
            let message = "sign in with an ADMIN token (`Authorization: Bearer ...`) to read the audit log";
            return Err(Error::Unauthenticated(message.into())).extend();
        }
    }
    let filter = filter.unwrap_or_default();
    let mut select = audit_entry::Entity::find();
    if let Some(record) = filter.record {
        let (_, uuid) = id::decode(&record).extend()?;
        select = select.filter(audit_entry::Column::RecordId.eq(uuid));
    }
    if let Some(organisation) = filter.organisation {
        let uuid = id::decode_as(&organisation, NodeType::Organisation).extend()?;
        select = select.filter(audit_entry::Column::OrganisationId.eq(uuid));
    }
    if let Some(since) = filter.since {
        select = select.filter(audit_entry::Column::At.gte(since));
    }
    Ok(
        paginate(ctx, select, audit_entry::Column::Id, |m| m.id, AuditEntry, request)
            .await?
            .into(),
    )
}
