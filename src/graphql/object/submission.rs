//! Input submitted to a consultation, in the API.

use async_graphql::{Context, Object, ResultExt};
use chrono::{DateTime, Utc};

use super::organisation::Organisation;
use super::shared::texts::localized;
use crate::entity::submission;
use crate::graphql::loader::{Loader, OrganisationKey};
use crate::graphql::scalars::LanguageTag;
use crate::service::text::TextOwner;

/// Input submitted to a consultation.
pub struct Submission(pub submission::Model);

/// Input submitted to a consultation.
#[Object]
impl Submission {
    /// The organisation that submitted it, if any.
    async fn organisation(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(organisation) = self.0.organisation_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(organisation))
            .await
            .extend()?
            .map(Organisation))
    }

    /// When it was submitted.
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }

    /// Where the full text is published.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// A summary, in the requested language.
    async fn summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::Submission, self.0.id, "summary", lang).await
    }
}
