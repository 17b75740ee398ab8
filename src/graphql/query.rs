//! The root query type.

use async_graphql::{Context, ID, Object, ResultExt};

use super::connection::{Timestamps, paginate, paginate_ordered};
use super::object::action_plan::{ActionPlan, ActionPlanConnection, ActionPlanFilter};
use super::object::activity::{Activity, ActivityConnection, ActivityFilter};
use super::object::consultation::{Consultation, ConsultationConnection, ConsultationFilter};
use super::object::coverage::StrategyCoverage;
use super::object::initiative::{Initiative, InitiativeConnection, InitiativeFilter};
use super::object::node::{self, Node};
use super::object::organisation::{Organisation, OrganisationConnection, OrganisationFilter};
use super::object::search::SearchResultConnection;
use super::object::statistics::InitiativeStatistics;
use super::object::strategy::{Strategy, StrategyConnection, StrategyFilter};
use super::object::theme::Theme;
use super::object::viewer::ViewerInfo;
use super::order::{ActivityOrder, InitiativeOrder, OrganisationOrder};
use crate::entity::{action_plan, activity, consultation, initiative, organisation, strategy};
use crate::error::Error;
use crate::service::page::{MAX_PAGE_SIZE, PageRequest};
use crate::service::permission::Viewer;
use crate::service::{
    action_plan as action_plans, activity as activities, consultation as consultations, coverage,
    initiative as initiatives, organisation as organisations, statistics, strategy as strategies,
};

/// The registry's entry points.
#[derive(Default)]
pub struct Query;

/// The registry's entry points.
#[Object]
impl Query {
    /// Any record by its global ID; null when no record has the ID.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let found = node::resolve(ctx, &[id]).await?;
        super::empty_records::EmptyRecords::note(ctx, &found, false);
        Ok(found.into_iter().next().flatten())
    }

    /// Every change, oldest first; for ADMIN tokens only.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n entries (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the entries after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n entries (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the entries before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which entries to list.")] filter: Option<super::object::history::AuditLogFilter>,
    ) -> async_graphql::Result<super::object::history::AuditEntryConnection> {
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        super::object::history::audit_log(ctx, request, filter).await
    }

    /// The webhook endpoints the viewer manages, in a stable order (by ID): every one for an ADMIN, its
    /// organisation's for an EDITOR, none for anyone else.
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n endpoints (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the endpoints after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n endpoints (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the endpoints before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<super::object::webhook_endpoint::WebhookEndpointConnection> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        let viewer = ctx.data_opt::<Viewer>().cloned().unwrap_or_default();
        let window = crate::service::page::PageRequest {
            first,
            after,
            last,
            before,
        }
        .window()
        .extend()?;
        let (page, count) = crate::service::webhook::endpoint::list(db, &viewer, &window)
            .await
            .extend()?;
        let total = match (page.total, count) {
            (Some(n), _) => super::connection::TotalCount::Known(n),
            (None, Some(count)) => super::connection::TotalCount::Query(Box::new(count)),
            (None, None) => super::connection::TotalCount::Known(0),
        };
        let edges: Vec<(
            super::connection::Cursor,
            super::object::webhook_endpoint::WebhookEndpoint,
        )> = page
            .items
            .into_iter()
            .map(|e| {
                (
                    super::connection::Cursor::Id(e.id),
                    super::object::webhook_endpoint::WebhookEndpoint(Box::new(e)),
                )
            })
            .collect();
        Ok(super::connection::Paged::new(edges, page.has_previous, page.has_next, total).into())
    }

    /// The change feed: every committed change to a record, oldest first, each with its position. Store
    /// the last `endCursor` (or `position`) and ask again with `after` to get every later change exactly
    /// once, in commit order; `last` without `before` gives the latest changes.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n events (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the events after this position (an event's `position` or a cursor).")] after: Option<
            String,
        >,
        #[graphql(desc = "Returns the last n events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the events before this position.")] before: Option<String>,
        #[graphql(desc = "Which events to list.")] filter: Option<super::object::change::ChangeFilter>,
    ) -> async_graphql::Result<super::object::change::ChangeEventConnection> {
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        super::object::change::changes(ctx, request, filter).await
    }

    /// Who is asking: anonymous, or the API token's name, role and organisation.
    async fn viewer(&self, ctx: &Context<'_>) -> ViewerInfo {
        ViewerInfo(ctx.data_opt::<Viewer>().cloned().unwrap_or_default())
    }

    /// Records by global IDs, in the order asked (at most 100); null where no record has the ID.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs, at most 100.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() as u64 > MAX_PAGE_SIZE {
            let message = format!("`ids` has {} IDs, above the maximum of {MAX_PAGE_SIZE}", ids.len());
            return Err(Error::PageSize(message)).extend();
        }
        let found = node::resolve(ctx, &ids).await?;
        super::empty_records::EmptyRecords::note(ctx, &found, true);
        Ok(found)
    }

    /// Organisations: ministries, agencies, municipalities, counties, associations, vendors.
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n organisations (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the organisations after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n organisations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the organisations before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which organisations to list.")] filter: Option<OrganisationFilter>,
        #[graphql(desc = "How to sort the organisations; by ID when not given.")] order_by: Option<OrganisationOrder>,
    ) -> async_graphql::Result<OrganisationConnection> {
        let filter = filter.unwrap_or_default().into_service().extend()?;
        let select = organisations::select(&filter);
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        Ok(paginate_ordered(
            ctx,
            select,
            organisation::Column::Id,
            |m| m.id,
            Organisation,
            request,
            order_by.map(Into::into),
            Timestamps::<organisation::Entity> {
                created: organisation::Column::CreatedAt,
                updated: organisation::Column::UpdatedAt,
                of: |m| (m.created_at, m.updated_at),
            },
        )
        .await?
        .into())
    }

    /// National strategies for digitalisation in the school system.
    async fn strategies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n strategies (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the strategies after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n strategies (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the strategies before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which strategies to list.")] filter: Option<StrategyFilter>,
    ) -> async_graphql::Result<StrategyConnection> {
        let select = strategies::select(&filter.unwrap_or_default().into_service());
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        Ok(paginate(ctx, select, strategy::Column::Id, |m| m.id, Strategy, request)
            .await?
            .into())
    }

    /// Action plans, such as skolDigiplan.
    async fn action_plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n action plans (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the action plans after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n action plans (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the action plans before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which action plans to list.")] filter: Option<ActionPlanFilter>,
    ) -> async_graphql::Result<ActionPlanConnection> {
        let (countries, strategy) = filter.unwrap_or_default().into_parts().extend()?;
        let select = action_plans::select(&countries, strategy);
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        Ok(
            paginate(ctx, select, action_plan::Column::Id, |m| m.id, ActionPlan, request)
                .await?
                .into(),
        )
    }

    /// Activities: the concrete work of initiatives, such as courses, pilots and guides.
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n activities (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the activities after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n activities (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the activities before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which activities to list.")] filter: Option<ActivityFilter>,
        #[graphql(desc = "How to sort the activities; by ID when not given.")] order_by: Option<ActivityOrder>,
    ) -> async_graphql::Result<ActivityConnection> {
        let filter = filter.unwrap_or_default().into_service().extend()?;
        let select = activities::select(&filter);
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        Ok(paginate_ordered(
            ctx,
            select,
            activity::Column::Id,
            |m| m.id,
            Activity,
            request,
            order_by.map(Into::into),
            Timestamps::<activity::Entity> {
                created: activity::Column::CreatedAt,
                updated: activity::Column::UpdatedAt,
                of: |m| (m.created_at, m.updated_at),
            },
        )
        .await?
        .into())
    }

    /// Consultations: open rounds of input on strategies and action plans.
    async fn consultations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n consultations (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the consultations after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n consultations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the consultations before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which consultations to list.")] filter: Option<ConsultationFilter>,
    ) -> async_graphql::Result<ConsultationConnection> {
        let filter = filter.unwrap_or_default().into_service().extend()?;
        let select = consultations::select(&filter);
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        Ok(
            paginate(ctx, select, consultation::Column::Id, |m| m.id, Consultation, request)
                .await?
                .into(),
        )
    }

    /// Records matching words in any language, best first: initiatives, activities, goals, consultations and
    /// organisations. Every word must match a word of the record's titles, names or descriptions: one that
    /// starts with it or has the same stem, ignoring case and diacritics, or a part of a Swedish or Norwegian
    /// compound ("kompetens" finds "digitalkompetens"). A title or name ranks above a description, a whole
    /// word above a prefix above a part, the request's language above others.
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The words to look for.")] query: String,
        #[graphql(desc = "Returns the first n results (at most 100; 20 when not given).")] first: Option<i32>,
        #[graphql(desc = "Returns the results after this cursor.")] after: Option<String>,
    ) -> async_graphql::Result<SearchResultConnection> {
        super::object::search::run(ctx, &query, first, after).await
    }

    /// Initiatives: the measures of action plans and the work around them.
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n initiatives (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the initiatives after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n initiatives (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the initiatives before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which initiatives to list.")] filter: Option<InitiativeFilter>,
        #[graphql(desc = "How to sort the initiatives; by ID when not given.")] order_by: Option<InitiativeOrder>,
    ) -> async_graphql::Result<InitiativeConnection> {
        let filter = filter.unwrap_or_default().into_service().extend()?;
        let select = initiatives::select(&filter);
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        Ok(paginate_ordered(
            ctx,
            select,
            initiative::Column::Id,
            |m| m.id,
            Initiative,
            request,
            order_by.map(Into::into),
            Timestamps::<initiative::Entity> {
                created: initiative::Column::CreatedAt,
                updated: initiative::Column::UpdatedAt,
                of: |m| (m.created_at, m.updated_at),
            },
        )
        .await?
        .into())
    }

    /// Every theme of the code list, by code.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Theme>> {
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        let rows = action_plans::themes(db).await.map_err(Error::from).extend()?;
        Ok(rows.into_iter().map(Theme).collect())
    }

    /// A strategy's goals and what serves them: per focus area and goal, the initiatives serving it, counts of
    /// initiatives and activities by status, and `gap` where nothing is decided or under way.
    async fn coverage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The strategy's global ID.")] strategy_id: ID,
    ) -> async_graphql::Result<StrategyCoverage> {
        let id = crate::service::id::decode_as(&strategy_id, crate::service::id::NodeType::Strategy).extend()?;
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        let with_initiatives = ctx
            .look_ahead()
            .field("focusAreas")
            .field("goals")
            .field("initiatives")
            .exists();
        let cache = ctx.data::<coverage::CoverageCache>()?;
        match coverage::coverage(db, cache, id, with_initiatives).await.extend()? {
            Some(found) => Ok(StrategyCoverage(found)),
            None => Err(Error::NotFound(format!(
                "no strategy has the ID {:?}",
                strategy_id.as_str()
            )))
            .extend(),
        }
    }

    /// Facet counts (status, country, theme, focus area, school level, kind of responsible organisation,
    /// region of participants) over exactly the initiatives `initiatives(filter:)` returns with this filter.
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which initiatives to count; the same filter as `initiatives`.")] filter: Option<
            InitiativeFilter,
        >,
    ) -> async_graphql::Result<InitiativeStatistics> {
        let filter = filter.unwrap_or_default().into_service().extend()?;
        let db = ctx.data::<sea_orm::DatabaseConnection>()?;
        let look = ctx.look_ahead();
        let asked = |field: &str| look.field(field).exists();
        let facets = statistics::Facets {
            status: asked("totalCount") || asked("byStatus"),
            country: asked("byCountry"),
            theme: asked("byTheme"),
            focus_area: asked("byFocusArea"),
            school_level: asked("bySchoolLevel"),
            responsible_kind: asked("byResponsibleOrganisationKind"),
            region: asked("byRegion"),
        };
        let cache = ctx.data::<statistics::StatisticsCache>()?;
        Ok(InitiativeStatistics(
            cache.statistics(db, &filter, facets).await.extend()?,
        ))
    }
}
