//! Multilingual fields in the API: `name(lang:)` and `nameTranslations`, and their kin.

use async_graphql::{Context, Object, ResultExt, SimpleObject};
use uuid::Uuid;

use crate::graphql::loader::{FieldTexts, Loader, TextKey};
use crate::graphql::scalars::LanguageTag;
use crate::service::language::{LanguagePreferences, pick};
use crate::service::text::{Localized, TextOwner};

/// A text in one language.
#[derive(Clone, Debug, SimpleObject)]
pub struct LocalizedText {
    /// The text's language, as a BCP 47 tag ("mul" for official names with parts in several languages).
    pub lang: LanguageTag,
    /// The text.
    pub text: String,
}

impl From<&Localized> for LocalizedText {
    fn from(text: &Localized) -> Self {
        LocalizedText {
            lang: LanguageTag(text.lang.clone()),
            text: text.text.clone(),
        }
    }
}

/// The server's fallback order of languages, after the request's own preferences.
#[derive(Clone, Debug)]
pub struct FallbackLanguages(pub Vec<String>);

/// The text of `field` in the best language: `lang`, else the request's `Accept-Language`, else the
/// server's fallback order, else any.
pub async fn localized(
    ctx: &Context<'_>,
    owner: TextOwner,
    id: Uuid,
    field: &'static str,
    lang: Option<LanguageTag>,
) -> async_graphql::Result<Option<String>> {
    let texts = texts_of(ctx, owner, id, field).await?;
    let asked = lang.as_ref().map(|l| l.0.as_str());
    let preferences = ctx
        .data_opt::<LanguagePreferences>()
        .map_or(&[][..], |p| p.0.as_slice());
    let fallback = ctx.data::<FallbackLanguages>()?;
    Ok(pick(&texts, asked, preferences, &fallback.0).map(|text| text.text.clone()))
}

/// Every translation of `field`, sorted by language tag.
pub async fn translations(
    ctx: &Context<'_>,
    owner: TextOwner,
    id: Uuid,
    field: &'static str,
) -> async_graphql::Result<Vec<LocalizedText>> {
    let texts = texts_of(ctx, owner, id, field).await?;
    Ok(texts.iter().map(LocalizedText::from).collect())
}

/// The texts of one field of one record, through the DataLoader: shared, not copied.
async fn texts_of(
    ctx: &Context<'_>,
    owner: TextOwner,
    id: Uuid,
    field: &'static str,
) -> async_graphql::Result<FieldTexts> {
    Ok(ctx
        .data::<Loader>()?
        .load_one(TextKey(owner, id, field))
        .await
        .extend()?
        .unwrap_or_default())
}

macro_rules! text_pair {
    ($(#[$doc:meta])* $name:ident, $first:literal, $first_fn:ident, $first_all:ident, $first_doc:literal) => {
        $(#[$doc])*
        pub struct $name {
            /// Whose texts.
            pub owner: TextOwner,
            /// The record's UUID.
            pub id: Uuid,
        }

        $(#[$doc])*
        #[Object]
        impl $name {
            #[doc = concat!("The ", $first_doc, " in the requested language: `lang`, else the request's Accept-Language, else the server's fallback order, else any language the record has.")]
            async fn $first_fn(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<
                    LanguageTag,
                >,
            ) -> async_graphql::Result<Option<String>> {
                localized(ctx, self.owner, self.id, $first, lang).await
            }

            #[doc = concat!("The ", $first_doc, " in every language it has, sorted by language tag.")]
            async fn $first_all(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
                translations(ctx, self.owner, self.id, $first).await
            }

            /// The description in the requested language (chosen as for the name or title).
            async fn description(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<
                    LanguageTag,
                >,
            ) -> async_graphql::Result<Option<String>> {
                localized(ctx, self.owner, self.id, "description", lang).await
            }

            /// The description in every language it has, sorted by language tag.
            async fn description_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
                translations(ctx, self.owner, self.id, "description").await
            }
        }
    };
}

text_pair!(
    /// The multilingual name and description of a record, flattened into its type.
    NameAndDescription,
    "name",
    name,
    name_translations,
    "name"
);
text_pair!(
    /// The multilingual title and description of a record, flattened into its type.
    TitleAndDescription,
    "title",
    title,
    title_translations,
    "title"
);
