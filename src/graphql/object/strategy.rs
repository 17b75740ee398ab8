//! Strategies, in the API: national strategies with their focus areas, and the filter for listing them.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};

use super::focus_area::FocusArea;
use super::organisation::{Organisation, organisations_in_order};
use super::shared::bookkeeping::Bookkeeping;
use super::shared::texts::NameAndDescription;
use crate::entity::strategy;
use crate::graphql::loader::{FocusAreasOf, Loader, StrategyOwnersOf};
use crate::graphql::scalars::{CountryCode, Date};
use crate::service::id::{self, NodeType};
use crate::service::strategy::StrategyFilter as Filter;
use crate::service::text::TextOwner;

/// A national strategy, such as Sweden's digitalisation strategy for the school system (2017).
pub struct Strategy(pub strategy::Model);

/// A national strategy, such as Sweden's digitalisation strategy for the school system (2017).
#[Object]
impl Strategy {
    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::shared::editable::AdminEditable {
        super::shared::editable::AdminEditable
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
        super::source::sources_of(ctx, crate::graphql::loader::Target::Strategy(self.0.id)).await
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
