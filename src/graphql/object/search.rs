//! `search(query:)`: ranked results across initiatives, activities, goals, consultations and
//! organisations, in every language.

use async_graphql::{Context, ResultExt, Union};
use sea_orm::DatabaseConnection;

use super::activity::Activity;
use super::consultation::Consultation;
use super::goal::Goal;
use super::initiative::Initiative;
use super::organisation::Organisation;
use super::shared::texts::FallbackLanguages;
use crate::error::Error;
use crate::graphql::connection::{Paged, TotalCount};
use crate::graphql::loader::{ActivityKey, ConsultationKey, GoalKey, InitiativeKey, Loader, OrganisationKey};
use crate::service::language::LanguagePreferences;
use crate::service::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::service::search::{self, HitKind};

/// A record that search found.
#[derive(Union)]
pub enum SearchResult {
    /// An initiative.
    Initiative(Initiative),
    /// An activity.
    Activity(Activity),
    /// A goal of a strategy.
    Goal(Goal),
    /// A consultation.
    Consultation(Consultation),
    /// An organisation.
    Organisation(Organisation),
}

crate::connection!(
    SearchResultConnection,
    SearchResultEdge,
    SearchResult,
    "search results",
    {
        /// Whether there are more results than `totalCount` says. Search counts its results exactly up to
        /// 10,000; past that, `totalCount` is 10,000 and this is true ("more than 10,000"). The pages go on to
        /// the last result either way.
        async fn total_count_is_lower_bound(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<bool> {
            self.0.total.is_lower_bound(ctx).await
        }
    }
);

/// Runs a search and loads the records found, one statement per kind.
pub async fn run(
    ctx: &Context<'_>,
    query: &str,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<SearchResultConnection> {
    let limit = match first {
        None => DEFAULT_PAGE_SIZE,
        Some(n) if n < 0 || n as u64 > MAX_PAGE_SIZE => {
            let message = format!("`first` must be between 0 and {MAX_PAGE_SIZE} (got {n})");
            return Err(Error::PageSize(message)).extend();
        }
        Some(n) => n as u64,
    };
    let db = ctx.data::<DatabaseConnection>()?;
    // The request's language: its first preference, else the server's first fallback.
    let preferences = ctx
        .data_opt::<LanguagePreferences>()
        .map_or(&[][..], |p| p.0.as_slice());
    let lang = preferences
        .first()
        .or_else(|| ctx.data_opt::<FallbackLanguages>().and_then(|f| f.0.first()))
        .map(|tag| tag.split('-').next().unwrap_or_default().to_ascii_lowercase());
    let lang = lang.as_deref();
    let total = TotalCount::Bounded(
        Box::new(search::matching(query).extend()?),
        search::COUNT_BOUND,
        Default::default(),
    );
    let page = search::search(db, query, lang, limit, after.as_deref())
        .await
        .extend()?;
    let loader = ctx.data::<Loader>()?;
    let of = |kind: HitKind| page.hits.iter().filter(move |h| h.kind == kind).map(|h| h.id);
    let initiatives = loader
        .load_many(of(HitKind::Initiative).map(InitiativeKey))
        .await
        .extend()?;
    let activities = loader
        .load_many(of(HitKind::Activity).map(ActivityKey))
        .await
        .extend()?;
    let goals = loader.load_many(of(HitKind::Goal).map(GoalKey)).await.extend()?;
    let consultations = loader
        .load_many(of(HitKind::Consultation).map(ConsultationKey))
        .await
        .extend()?;
    let organisations = loader
        .load_many(of(HitKind::Organisation).map(OrganisationKey))
        .await
        .extend()?;
    let edges: Vec<(String, SearchResult)> = page
        .hits
        .iter()
        .filter_map(|hit| {
            let node = match hit.kind {
                HitKind::Initiative => initiatives
                    .get(&InitiativeKey(hit.id))
                    .map(|m| SearchResult::Initiative(Initiative(m.clone()))),
                HitKind::Activity => activities
                    .get(&ActivityKey(hit.id))
                    .map(|m| SearchResult::Activity(Activity(m.clone()))),
                HitKind::Goal => goals.get(&GoalKey(hit.id)).map(|m| SearchResult::Goal(Goal(m.clone()))),
                HitKind::Consultation => consultations
                    .get(&ConsultationKey(hit.id))
                    .map(|m| SearchResult::Consultation(Consultation(m.clone()))),
                HitKind::Organisation => organisations
                    .get(&OrganisationKey(hit.id))
                    .map(|m| SearchResult::Organisation(Organisation(m.clone()))),
            };
            node.map(|node| (hit.cursor(), node))
        })
        .collect();
    Ok(Paged::new(edges, after.is_some(), page.has_next, total).into())
}
