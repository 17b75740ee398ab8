//! Status updates: the dated follow-ups of an initiative, in the API.

use async_graphql::{Context, Object, ResultExt};

use super::organisation::Organisation;
use super::shared::texts::localized;
use crate::entity::enums::Status;
use crate::entity::status_update;
use crate::graphql::loader::{Loader, OrganisationKey};
use crate::graphql::scalars::{Date, LanguageTag};
use crate::service::text::TextOwner;

/// A dated follow-up of an initiative: status, decision, actor and comment (skolDigiplan's follow-up
/// fields).
pub struct StatusUpdate(pub status_update::Model);

/// A dated follow-up of an initiative: status, decision, actor and comment (skolDigiplan's follow-up
/// fields).
#[Object]
impl StatusUpdate {
    /// The day of the follow-up, when known.
    async fn reported_on(&self) -> Option<Date> {
        self.0.reported_on.map(Date)
    }

    /// The status the follow-up recorded.
    async fn status(&self) -> Option<Status> {
        self.0.status
    }

    /// The organisation acting on the initiative.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(actor) = self.0.actor_id else { return Ok(None) };
        Ok(ctx
            .data::<Loader>()?
            .load_one(OrganisationKey(actor))
            .await
            .extend()?
            .map(Organisation))
    }

    /// The decision taken, in the requested language.
    async fn decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::StatusUpdate, self.0.id, "decision", lang).await
    }

    /// A comment, in the requested language.
    async fn comment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::StatusUpdate, self.0.id, "comment", lang).await
    }
}
