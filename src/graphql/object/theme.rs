//! Themes in the API.

use async_graphql::{Context, ID, Object};

use super::shared::bookkeeping::Bookkeeping;
use super::shared::plain::{PlainFields, value};
use super::shared::texts::{LocalizedText, localized, translations};
use crate::entity::theme;
use crate::graphql::scalars::LanguageTag;
use crate::service::id::{self, NodeType};
use crate::service::text::TextOwner;

/// A theme from the registry's extendable code list: privacy, information security, standards and
/// interoperability, procurement competence, ...
pub struct Theme(pub theme::Model);

/// A theme from the registry's extendable code list: privacy, information security, standards and
/// interoperability, procurement competence, ...
#[Object]
impl Theme {
    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::shared::editable::AdminEditable {
        super::shared::editable::AdminEditable
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
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

impl PlainFields for Theme {
    fn plain(&self, field: &str) -> Option<async_graphql::Value> {
        let row = &self.0;
        Some(match field {
            "id" => async_graphql::Value::String(id::encode(NodeType::Theme, row.id)),
            "code" => value(&row.code),
            "createdAt" => value(&row.created_at),
            "updatedAt" => value(&row.updated_at),
            "version" => value(&row.version),
            _ => return None,
        })
    }

    fn text(&self, field: &str) -> Option<(TextOwner, uuid::Uuid, &'static str)> {
        (field == "label").then_some((TextOwner::Theme, self.0.id, "label"))
    }
}
