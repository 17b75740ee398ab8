//! The `history` field of every editable type: the record's entries in the audit log.

use async_graphql::{Context, Object};

use crate::graphql::object::history::{AuditEntry, AuditEntryConnection};
use crate::service::page::PageRequest;

/// The `history` field of every editable type, flattened into it: the record's changes.
pub struct Audited(pub uuid::Uuid);

/// The `history` field of every editable type.
#[Object]
impl Audited {
    /// The changes made to the record, oldest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n entries (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the entries after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n entries (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the entries before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<AuditEntryConnection> {
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        history_of(ctx, self.0, request).await
    }
}

/// The changes made to record `id`, oldest first.
async fn history_of(
    ctx: &Context<'_>,
    id: uuid::Uuid,
    request: PageRequest,
) -> async_graphql::Result<AuditEntryConnection> {
    let key = |window| crate::graphql::loader::HistoryPage(id, window);
    let list = crate::graphql::loader::List::HistoryOf(id);
    Ok(
        crate::graphql::connection::nested(ctx, request, key, list, |e| e.id, AuditEntry)
            .await?
            .into(),
    )
}
