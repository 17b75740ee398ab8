//! Goals of a strategy's focus areas, in the API.

use async_graphql::{Context, ID, Object, ResultExt};

use super::focus_area::FocusArea;
use super::initiative::{Initiative, InitiativeConnection};
use super::shared::bookkeeping::Bookkeeping;
use super::shared::plain::{PlainFields, value};
use super::shared::texts::{LocalizedText, localized, translations};
use crate::entity::goal;
use crate::graphql::loader::{FocusAreaKey, Loader};
use crate::graphql::scalars::LanguageTag;
use crate::service::id::{self, NodeType};
use crate::service::page::PageRequest;
use crate::service::text::TextOwner;

/// A goal (delmål) within a focus area, with a code such as "1.2".
pub struct Goal(pub goal::Model);

/// A goal (delmål) within a focus area, with a code such as "1.2".
#[Object]
impl Goal {
    #[graphql(flatten)]
    async fn bookkeeping(&self) -> Bookkeeping {
        Bookkeeping {
            created_at: self.0.created_at,
            updated_at: self.0.updated_at,
            version: self.0.version,
        }
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::shared::editable::AdminEditable {
        super::shared::editable::AdminEditable
    }

    /// The goal's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Goal, self.0.id))
    }

    /// The goal's code within its strategy, such as "1.2".
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The goal's place in its focus area, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// The goal's wording in the requested language; null where no verified wording is known.
    async fn title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::Goal, self.0.id, "title", lang).await
    }

    /// The goal's wording in every language it has.
    async fn title_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::Goal, self.0.id, "title").await
    }

    /// The initiatives serving the goal, in a stable order (by ID).
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n initiatives (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the initiatives after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n initiatives (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the initiatives before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        let id = self.0.id;
        let key = |window| crate::graphql::loader::GoalInitiativePage(id, window);
        let list = crate::graphql::loader::List::InitiativesOfGoal(id);
        Ok(
            crate::graphql::connection::nested(ctx, request, key, list, |i| i.id, Initiative)
                .await?
                .into(),
        )
    }

    /// A remark on the record itself, such as how certain its wording is.
    async fn note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::Goal, self.0.id, "note", lang).await
    }

    /// The remark in every language it has.
    async fn note_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::Goal, self.0.id, "note").await
    }

    /// The focus area the goal belongs to.
    async fn focus_area(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<FocusArea>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(FocusAreaKey(self.0.focus_area_id))
            .await
            .extend()?
            .map(FocusArea))
    }
}

impl PlainFields for Goal {
    fn plain(&self, field: &str) -> Option<async_graphql::Value> {
        let row = &self.0;
        Some(match field {
            "id" => async_graphql::Value::String(id::encode(NodeType::Goal, row.id)),
            "code" => value(&row.code),
            "position" => value(&row.position),
            "createdAt" => value(&row.created_at),
            "updatedAt" => value(&row.updated_at),
            "version" => value(&row.version),
            _ => return None,
        })
    }

    fn text(&self, field: &str) -> Option<(TextOwner, uuid::Uuid, &'static str)> {
        let field = match field {
            "title" => "title",
            "note" => "note",
            _ => return None,
        };
        Some((TextOwner::Goal, self.0.id, field))
    }
}
