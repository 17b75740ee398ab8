//! Sources (documents that back a record) and contact persons.

use async_graphql::{Context, Object, ResultExt};

use super::loader::{ContactsOf, Loader, SourcesOf, Target};
use super::scalars::{Date, LanguageTag};
use super::text::{LocalizedText, localized, translations};
use crate::entity::enums::SourceKind;
use crate::entity::{contact, source};
use crate::service::permission::Viewer;
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

/// A person to contact about a record. Their email and phone are personal data: only signed-in viewers
/// see them; anyone sees the name and the role.
pub struct Contact(pub contact::Model);

/// A person to contact about a record. Their email and phone are personal data: only signed-in viewers
/// see them; anyone sees the name and the role.
#[Object]
impl Contact {
    /// The person's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The person's role, in the requested language.
    async fn role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::Contact, self.0.id, "role", lang).await
    }

    /// The person's email address; null unless the viewer is signed in.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        personal(ctx, self.0.email.as_deref())
    }

    /// The person's phone number; null unless the viewer is signed in.
    async fn phone(&self, ctx: &Context<'_>) -> Option<&str> {
        personal(ctx, self.0.phone.as_deref())
    }
}

/// Personal data, for viewers who may read it.
fn personal<'a>(ctx: &Context<'_>, value: Option<&'a str>) -> Option<&'a str> {
    let reads = ctx.data_opt::<Viewer>().is_some_and(Viewer::reads_personal_data);
    value.filter(|_| reads)
}

/// The sources backing a record, newest first.
pub async fn sources_of(ctx: &Context<'_>, target: Target) -> async_graphql::Result<Vec<Source>> {
    let rows = ctx.data::<Loader>()?.load_one(SourcesOf(target)).await.extend()?;
    Ok(rows.unwrap_or_default().into_iter().map(Source).collect())
}

/// The contact persons of a record, by name.
pub async fn contacts_of(ctx: &Context<'_>, target: Target) -> async_graphql::Result<Vec<Contact>> {
    let rows = ctx.data::<Loader>()?.load_one(ContactsOf(target)).await.extend()?;
    Ok(rows.unwrap_or_default().into_iter().map(Contact).collect())
}
