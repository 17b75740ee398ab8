//! Strategies, their focus areas and goals, in the API.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};

use super::bookkeeping::Bookkeeping;
use super::initiative::{Initiative, InitiativeConnection};
use super::loader::{FocusAreaKey, FocusAreasOf, GoalsOf, Loader, StrategyKey, StrategyOwnersOf};
use super::organisation::{Organisation, organisations_in_order};
use super::scalars::{CountryCode, Date, LanguageTag};
use super::text::{LocalizedText, NameAndDescription, localized, translations};
use crate::entity::{focus_area, goal, strategy};
use crate::service::id::{self, NodeType};
use crate::service::page::PageRequest;
use crate::service::strategy::StrategyFilter as Filter;
use crate::service::text::TextOwner;

/// A national strategy, such as Sweden's digitalisation strategy for the school system (2017).
pub struct Strategy(pub strategy::Model);

/// A national strategy, such as Sweden's digitalisation strategy for the school system (2017).
#[Object]
impl Strategy {
    #[graphql(flatten)]
    async fn audited(&self) -> super::history::Audited {
        super::history::Audited(self.0.id)
    }

    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::viewer::AdminEditable {
        super::viewer::AdminEditable
    }

    /// The strategy's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Strategy, self.0.id))
    }

    /// The country whose strategy this is.
    async fn country(&self) -> CountryCode {
        CountryCode(self.0.country.clone())
    }

    /// The first year the strategy covers, when known.
    async fn start_year(&self) -> Option<i32> {
        self.0.start_year
    }

    /// The last year the strategy covers, when known.
    async fn end_year(&self) -> Option<i32> {
        self.0.end_year
    }

    /// The day the strategy was adopted, when known.
    async fn adopted_on(&self) -> Option<Date> {
        self.0.adopted_on.map(Date)
    }

    /// The organisations that own the strategy.
    async fn owners(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let loader = ctx.data::<Loader>()?;
        let ids = loader
            .load_one(StrategyOwnersOf(self.0.id))
            .await
            .extend()?
            .unwrap_or_default();
        organisations_in_order(ctx, &ids).await
    }

    /// The strategy's focus areas, in order.
    async fn focus_areas(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FocusArea>> {
        let loader = ctx.data::<Loader>()?;
        let rows = loader
            .load_one(FocusAreasOf(self.0.id))
            .await
            .extend()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(FocusArea).collect())
    }

    /// The documents backing the strategy, newest first.
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::source::Source>> {
        super::source::sources_of(ctx, super::loader::Target::Strategy(self.0.id)).await
    }

    #[graphql(flatten)]
    async fn texts(&self) -> NameAndDescription {
        NameAndDescription {
            owner: TextOwner::Strategy,
            id: self.0.id,
        }
    }

    #[graphql(flatten)]
    async fn bookkeeping(&self) -> Bookkeeping {
        Bookkeeping {
            created_at: self.0.created_at,
            updated_at: self.0.updated_at,
            version: self.0.version,
        }
    }
}

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
    async fn audited(&self) -> super::history::Audited {
        super::history::Audited(self.0.id)
    }

    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::viewer::AdminEditable {
        super::viewer::AdminEditable
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
    async fn audited(&self) -> super::history::Audited {
        super::history::Audited(self.0.id)
    }

    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::viewer::AdminEditable {
        super::viewer::AdminEditable
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
        let key = |window| super::loader::GoalInitiativePage(id, window);
        let list = super::loader::List::InitiativesOfGoal(id);
        Ok(super::connection::nested(ctx, request, key, list, |i| i.id, Initiative)
            .await?
            .into())
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

/// Which strategies to list.
#[derive(Default, InputObject)]
pub struct StrategyFilter {
    /// Strategies of these countries.
    country: Option<Vec<CountryCode>>,
}

impl StrategyFilter {
    /// The service's filter.
    pub fn into_service(self) -> Filter {
        Filter {
            countries: self.country.unwrap_or_default().into_iter().map(|c| c.0).collect(),
        }
    }
}

crate::connection!(StrategyConnection, StrategyEdge, Strategy, "strategies");
