//! Sources: the documents that back a record, in the API.

use async_graphql::{Context, Object, ResultExt};

use super::shared::texts::{LocalizedText, localized, translations};
use crate::entity::enums::SourceKind;
use crate::entity::source;
use crate::graphql::loader::{Loader, SourcesOf, Target};
use crate::graphql::scalars::{Date, LanguageTag};
use crate::service::text::TextOwner;

/// A document that backs a record: a strategy, a decision, a report, an invitation.
pub struct Source(pub source::Model);

/// A document that backs a record: a strategy, a decision, a report, an invitation.
#[Object]
impl Source {
    /// What kind of document it is.
    async fn kind(&self) -> SourceKind {
        self.0.kind
    }

    /// Where the document is published.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// The day the document was published.
    async fn published_on(&self) -> Option<Date> {
        self.0.published_on.map(Date)
    }

    /// The document's title in the requested language.
    async fn title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::Source, self.0.id, "title", lang).await
    }

    /// The document's title in every language it has.
    async fn title_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::Source, self.0.id, "title").await
    }
}

/// The sources backing a record, newest first.
pub async fn sources_of(ctx: &Context<'_>, target: Target) -> async_graphql::Result<Vec<Source>> {
    let rows = ctx.data::<Loader>()?.load_one(SourcesOf(target)).await.extend()?;
    Ok(rows.unwrap_or_default().into_iter().map(Source).collect())
}
