//! Contact persons of a record, in the API.

use async_graphql::{Context, Object, ResultExt};

use super::shared::texts::localized;
use crate::entity::contact;
use crate::graphql::loader::{ContactsOf, Loader, Target};
use crate::graphql::scalars::LanguageTag;
use crate::service::permission::Viewer;
use crate::service::text::TextOwner;

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

/// The contact persons of a record, by name.
pub async fn contacts_of(ctx: &Context<'_>, target: Target) -> async_graphql::Result<Vec<Contact>> {
    let rows = ctx.data::<Loader>()?.load_one(ContactsOf(target)).await.extend()?;
    Ok(rows.unwrap_or_default().into_iter().map(Contact).collect())
}
