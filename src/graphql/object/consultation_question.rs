//! The guiding questions of a consultation, in the API.

use async_graphql::{Context, Object};

use super::shared::texts::{LocalizedText, localized, translations};
use crate::entity::consultation_question;
use crate::graphql::scalars::LanguageTag;
use crate::service::text::TextOwner;

/// A guiding question of a consultation.
pub struct ConsultationQuestion(pub consultation_question::Model);

/// A guiding question of a consultation.
#[Object]
impl ConsultationQuestion {
    /// The question's place in the consultation, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// The question, in the requested language.
    async fn text(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::ConsultationQuestion, self.0.id, "text", lang).await
    }

    /// The question in every language it has.
    async fn text_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::ConsultationQuestion, self.0.id, "text").await
    }
}
