//! `statistics(filter:)`: facet counts over exactly the set `initiatives(filter:)` returns.

use async_graphql::{Context, Object, ResultExt, SimpleObject};
use uuid::Uuid;

use super::coverage::StatusCount;
use super::focus_area::FocusArea;
use super::organisation::Organisation;
use super::theme::Theme;
use crate::entity::enums::{OrganisationKind, SchoolLevel};
use crate::graphql::loader::{FocusAreaKey, Loader, OrganisationKey, ThemeKey};
use crate::graphql::scalars::CountryCode;
use crate::service::statistics;

fn count(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// How many initiatives are in one country.
#[derive(SimpleObject)]
pub struct CountryCount {
    /// The country.
    pub country: CountryCode,
    /// How many initiatives.
    pub count: i32,
}

/// How many initiatives have one theme.
#[derive(SimpleObject)]
pub struct ThemeCount {
    /// The theme.
    pub theme: Theme,
    /// How many initiatives.
    pub count: i32,
}

/// How many initiatives serve a goal of one focus area.
#[derive(SimpleObject)]
pub struct FocusAreaCount {
    /// The focus area.
    pub focus_area: FocusArea,
    /// How many initiatives.
    pub count: i32,
}

/// How many initiatives target one school level.
#[derive(SimpleObject)]
pub struct SchoolLevelCount {
    /// The school level.
    pub school_level: SchoolLevel,
    /// How many initiatives.
    pub count: i32,
}

/// How many initiatives are led by, or the responsibility of, organisations of one kind.
#[derive(SimpleObject)]
pub struct OrganisationKindCount {
    /// The kind of organisation.
    pub kind: OrganisationKind,
    /// How many initiatives.
    pub count: i32,
}

/// How many initiatives have participating school authorities in one county.
#[derive(SimpleObject)]
pub struct RegionCount {
    /// The county.
    pub region: Organisation,
    /// How many initiatives.
    pub count: i32,
}

/// Facet counts over exactly the initiatives `initiatives(filter:)` returns with the same filter. Each list
/// is sorted by count, largest first; multi-valued facets count an initiative once per value.
pub struct InitiativeStatistics(pub std::sync::Arc<statistics::InitiativeStatistics>);

/// Facet counts over exactly the initiatives `initiatives(filter:)` returns with the same filter. Each list
/// is sorted by count, largest first; multi-valued facets count an initiative once per value.
#[Object]
impl InitiativeStatistics {
    /// How many initiatives the filter selects.
    async fn total_count(&self) -> i32 {
        count(self.0.total)
    }

    /// Initiatives by status (only statuses that occur).
    async fn by_status(&self) -> Vec<StatusCount> {
        self.0
            .by_status
            .iter()
            .map(|(status, n)| StatusCount {
                status: *status,
                count: count(*n),
            })
            .collect()
    }

    /// Initiatives by country.
    async fn by_country(&self) -> Vec<CountryCount> {
        self.0
            .by_country
            .iter()
            .map(|(c, n)| CountryCount {
                country: CountryCode(c.clone()),
                count: count(*n),
            })
            .collect()
    }

    /// Initiatives by theme.
    async fn by_theme(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ThemeCount>> {
        let found = load(ctx, &self.0.by_theme, ThemeKey).await?;
        Ok(found
            .into_iter()
            .map(|(model, n)| ThemeCount {
                theme: Theme(model),
                count: count(n),
            })
            .collect())
    }

    /// Initiatives by the focus area of the goals they serve.
    async fn by_focus_area(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<FocusAreaCount>> {
        let found = load(ctx, &self.0.by_focus_area, FocusAreaKey).await?;
        Ok(found
            .into_iter()
            .map(|(model, n)| FocusAreaCount {
                focus_area: FocusArea(model),
                count: count(n),
            })
            .collect())
    }

    /// Initiatives by targeted school level.
    async fn by_school_level(&self) -> Vec<SchoolLevelCount> {
        let rows = &self.0.by_school_level;
        rows.iter()
            .map(|(level, n)| SchoolLevelCount {
                school_level: *level,
                count: count(*n),
            })
            .collect()
    }

    /// Initiatives by the kind of the organisations that lead them or are responsible for them.
    async fn by_responsible_organisation_kind(&self) -> Vec<OrganisationKindCount> {
        let rows = &self.0.by_responsible_kind;
        rows.iter()
            .map(|(kind, n)| OrganisationKindCount {
                kind: *kind,
                count: count(*n),
            })
            .collect()
    }

    /// Initiatives by the county of their participating school authorities.
    async fn by_region(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RegionCount>> {
        let found = load(ctx, &self.0.by_region, OrganisationKey).await?;
        Ok(found
            .into_iter()
            .map(|(model, n)| RegionCount {
                region: Organisation(model),
                count: count(n),
            })
            .collect())
    }
}

/// Loads the records a facet counts, keeping the facet's order.
async fn load<K, V>(ctx: &Context<'_>, rows: &[(Uuid, i64)], key: fn(Uuid) -> K) -> async_graphql::Result<Vec<(V, i64)>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    crate::graphql::loader::RegistryLoader:
        async_graphql::dataloader::Loader<K, Value = V, Error = crate::error::Error>,
    V: Send + Sync + Clone + 'static,
{
    let found = ctx
        .data::<Loader>()?
        .load_many(rows.iter().map(|(id, _)| key(*id)))
        .await
        .extend()?;
    Ok(rows
        .iter()
        .filter_map(|(id, n)| found.get(&key(*id)).cloned().map(|v| (v, *n)))
        .collect())
}
