//! Meetings and workshops of a consultation, and the groups they are for, in the API.

use async_graphql::{Context, Object, ResultExt};
use chrono::{DateTime, Utc};

use super::shared::texts::{LocalizedText, localized, translations};
use crate::entity::enums::EventKind;
use crate::entity::{consultation_event, event_target_group};
use crate::graphql::loader::{Loader, TargetGroupsOf};
use crate::graphql::scalars::LanguageTag;
use crate::service::text::TextOwner;

/// A meeting or workshop of a consultation.
pub struct ConsultationEvent(pub consultation_event::Model);

/// A meeting or workshop of a consultation.
#[Object]
impl ConsultationEvent {
    /// What kind of event it is.
    async fn kind(&self) -> EventKind {
        self.0.kind
    }

    /// When it starts.
    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.0.starts_at
    }

    /// When it ends.
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.ends_at
    }

    /// Whether it is held online.
    async fn online(&self) -> bool {
        self.0.online
    }

    /// The last moment to register.
    async fn registration_deadline(&self) -> Option<DateTime<Utc>> {
        self.0.registration_deadline
    }

    /// The event's title in the requested language.
    async fn title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::ConsultationEvent, self.0.id, "title", lang).await
    }

    /// The event's title in every language it has.
    async fn title_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::ConsultationEvent, self.0.id, "title").await
    }

    /// Who the event is for, in their order.
    async fn target_groups(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TargetGroup>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(TargetGroupsOf(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(TargetGroup).collect())
    }
}

/// A group of people an event is for.
pub struct TargetGroup(pub event_target_group::Model);

/// A group of people an event is for.
#[Object]
impl TargetGroup {
    /// The group, in the requested language.
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::EventTargetGroup, self.0.id, "label", lang).await
    }

    /// The group in every language it has.
    async fn label_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::EventTargetGroup, self.0.id, "label").await
    }
}
