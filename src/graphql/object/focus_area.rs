//! Focus areas of a strategy, in the API.

use async_graphql::{Context, ID, Object, ResultExt};

use super::goal::Goal;
use super::shared::bookkeeping::Bookkeeping;
use super::shared::texts::{LocalizedText, localized, translations};
use super::strategy::Strategy;
use crate::entity::focus_area;
use crate::graphql::loader::{GoalsOf, Loader, StrategyKey};
use crate::graphql::scalars::LanguageTag;
use crate::service::id::{self, NodeType};
use crate::service::text::TextOwner;

/// A focus area of a strategy, such as "Digital kompetens för alla i skolväsendet".
pub struct FocusArea(pub focus_area::Model);

/// A focus area of a strategy, such as "Digital kompetens för alla i skolväsendet".
#[Object]
impl FocusArea {
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

    /// The focus area's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::FocusArea, self.0.id))
    }

    /// The focus area's code within its strategy, such as "1".
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The focus area's place in its strategy, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// The focus area's name in the requested language.
    async fn name(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language wanted, as a BCP 47 tag; overrides Accept-Language.")] lang: Option<LanguageTag>,
    ) -> async_graphql::Result<Option<String>> {
        localized(ctx, TextOwner::FocusArea, self.0.id, "name", lang).await
    }

    /// The focus area's name in every language it has.
    async fn name_translations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LocalizedText>> {
        translations(ctx, TextOwner::FocusArea, self.0.id, "name").await
    }

    /// The strategy the focus area belongs to.
    async fn strategy(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Strategy>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(StrategyKey(self.0.strategy_id))
            .await
            .extend()?
            .map(Strategy))
    }

    /// The focus area's goals, in order.
    async fn goals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Goal>> {
        let loader = ctx.data::<Loader>()?;
        let rows = loader.load_one(GoalsOf(self.0.id)).await.extend()?.unwrap_or_default();
        Ok(rows.into_iter().map(Goal).collect())
    }
}
