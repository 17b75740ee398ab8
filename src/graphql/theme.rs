//! Themes in the API.

use async_graphql::{Context, ID, Object};

use super::bookkeeping::Bookkeeping;
use super::scalars::LanguageTag;
use super::text::{LocalizedText, localized, translations};
use crate::entity::theme;
use crate::service::id::{self, NodeType};
use crate::service::text::TextOwner;

/// A theme from the registry's extendable code list: privacy, information security, standards and
/// interoperability, procurement competence, ...
pub struct Theme(pub theme::Model);

/// A theme from the registry's extendable code list: privacy, information security, standards and
/// interoperability, procurement competence, ...
#[Object]
impl Theme {
    /// Whether the viewer may change it: an ADMIN only.
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> bool {
        matches!(
            ctx.data_opt::<super::viewer::Viewer>(),
            Some(super::viewer::Viewer::Token {
                role: crate::entity::enums::AccessRole::Admin,
                ..
            })
        )
    }

    /// The changes made to it, oldest first.
    async fn history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n entries (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the entries after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n entries (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the entries before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<super::history::AuditEntryConnection> {
        let request = crate::service::page::PageRequest {
            first,
            after,
            last,
            before,
        };
        super::history::history_of(ctx, self.0.id, request).await
    }

    /// The theme's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Theme, self.0.id))
    }

    /// The theme's code, as used in filters ("standards-interoperability").
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The theme's label in the requested language.
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::Theme, self.0.id, "label", lang).await
    }

    /// The label in every language it has.
    async fn label_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::Theme, self.0.id, "label").await
    }

    #[graphql(flatten)]
    async fn bookkeeping(&self) -> Bookkeeping {
        Bookkeeping {
            created_at: self.0.created_at,
            updated_at: self.0.updated_at,
            version: self.0.version,
        }
    }
}
