//! Action plans in the API.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};

use super::organisation::{Organisation, organisations_in_order};
use super::shared::bookkeeping::Bookkeeping;
use super::shared::texts::TitleAndDescription;
use super::strategy::Strategy;
use crate::entity::action_plan;
use crate::error::Error;
use crate::graphql::loader::{ActionPlanOwnersOf, Loader, StrategyKey};
use crate::graphql::scalars::{CountryCode, Date};
use crate::service::id::{self, NodeType};
use crate::service::text::TextOwner;

/// An action plan, such as Sweden's skolDigiplan (2019), optionally under a strategy.
pub struct ActionPlan(pub action_plan::Model);

/// An action plan, such as Sweden's skolDigiplan (2019), optionally under a strategy.
#[Object]
impl ActionPlan {
    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::shared::editable::AdminEditable {
        super::shared::editable::AdminEditable
    }

    /// The action plan's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::ActionPlan, self.0.id))
    }

    /// The country whose plan this is.
    async fn country(&self) -> CountryCode {
        CountryCode(self.0.country.clone())
    }

    /// The day the plan was published or handed over, when known.
    async fn published_on(&self) -> Option<Date> {
        self.0.published_on.map(Date)
    }

    /// The first year the plan covers, when known.
    async fn start_year(&self) -> Option<i32> {
        self.0.start_year
    }

    /// The last year the plan covers, when known.
    async fn end_year(&self) -> Option<i32> {
        self.0.end_year
    }

    /// The strategy the plan carries out, if any.
    async fn strategy(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Strategy>> {
        let Some(strategy) = self.0.strategy_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loader>()?
            .load_one(StrategyKey(strategy))
            .await
            .extend()?
            .map(Strategy))
    }

    /// The organisations that own the plan.
    async fn owners(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Organisation>> {
        let loader = ctx.data::<Loader>()?;
        let ids = loader
            .load_one(ActionPlanOwnersOf(self.0.id))
            .await
            .extend()?
            .unwrap_or_default();
        organisations_in_order(ctx, &ids).await
    }

    /// The plan's initiatives, in a stable order (by ID); filter `initiatives(filter: {actionPlan:})` for
    /// more.
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n initiatives (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the initiatives after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n initiatives (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the initiatives before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<super::initiative::InitiativeConnection> {
        let request = crate::service::page::PageRequest {
            first,
            after,
            last,
            before,
        };
        let id = self.0.id;
        let key = |window| crate::graphql::loader::PlanInitiativePage(id, window);
        let list = crate::graphql::loader::List::InitiativesOfPlan(id);
        Ok(
            crate::graphql::connection::nested(ctx, request, key, list, |i| i.id, super::initiative::Initiative)
                .await?
                .into(),
        )
    }

    /// The documents backing the plan, newest first.
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::source::Source>> {
        super::source::sources_of(ctx, crate::graphql::loader::Target::ActionPlan(self.0.id)).await
    }

    #[graphql(flatten)]
    async fn texts(&self) -> TitleAndDescription {
        TitleAndDescription {
            owner: TextOwner::ActionPlan,
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

/// Which action plans to list.
#[derive(Default, InputObject)]
pub struct ActionPlanFilter {
    /// Plans of these countries.
    country: Option<Vec<CountryCode>>,
    /// Plans under this strategy.
    strategy: Option<ID>,
}

impl ActionPlanFilter {
    /// The countries and the decoded strategy ID.
    pub fn into_parts(self) -> Result<(Vec<String>, Option<uuid::Uuid>), Error> {
        let countries = self.country.unwrap_or_default().into_iter().map(|c| c.0).collect();
        let strategy = self
            .strategy
            .map(|id| id::decode_as(&id, NodeType::Strategy))
            .transpose()?;
        Ok((countries, strategy))
    }
}

crate::connection!(ActionPlanConnection, ActionPlanEdge, ActionPlan, "action plans");
