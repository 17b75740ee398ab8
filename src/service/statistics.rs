//! Facet counts over exactly the initiatives a filter selects, so a dashboard draws its counts and its list
//! from one filter. Each facet is one GROUP BY over the filtered IDs; a multi-valued facet (themes, goals,
//! school levels, responsible organisations, regions) counts each initiative once per value.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, QuerySelect, QueryTrait, TryGetableMany};
use uuid::Uuid;

use crate::entity::enums::{OrganisationKind, Role, SchoolLevel, Status};
use crate::entity::{
    goal, initiative, initiative_goal, initiative_school_level, initiative_theme, organisation, responsibility, theme,
};
use crate::error::Error;
use crate::service::initiative::{InitiativeFilter, select};

/// The facets of a set of initiatives; each list is sorted by count, largest first, then by value.
#[derive(Clone, Debug, Default)]
pub struct InitiativeStatistics {
    /// How many initiatives the filter selects.
    pub total: i64,
    /// By status.
    pub by_status: Vec<(Status, i64)>,
    /// By country.
    pub by_country: Vec<(String, i64)>,
    /// By theme ID.
    pub by_theme: Vec<(Uuid, i64)>,
    /// By focus area ID (of the goals served).
    pub by_focus_area: Vec<(Uuid, i64)>,
    /// By school level.
    pub by_school_level: Vec<(SchoolLevel, i64)>,
    /// By kind of the organisations that LEAD or are RESPONSIBLE.
    pub by_responsible_kind: Vec<(OrganisationKind, i64)>,
    /// By county of the participating school authorities.
    pub by_region: Vec<(Uuid, i64)>,
}

fn sorted<T: Ord>(mut rows: Vec<(T, i64)>) -> Vec<(T, i64)> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}

/// Runs a grouped count when `wanted` (else nothing): `statement` selects (value, initiative_id) pairs.
async fn facet<T>(db: &impl ConnectionTrait, wanted: bool, statement: SelectStatement) -> Result<Vec<(T, i64)>, Error>
where
    T: sea_orm::TryGetable + Ord,
    (T, i64): TryGetableMany,
{
    grouped(db, wanted, statement, true).await
}

/// [`facet`] for pairs that are distinct already: counts rows.
async fn distinct_facet<T>(
    db: &impl ConnectionTrait,
    wanted: bool,
    statement: SelectStatement,
) -> Result<Vec<(T, i64)>, Error>
where
    T: sea_orm::TryGetable + Ord,
    (T, i64): TryGetableMany,
{
    grouped(db, wanted, statement, false).await
}

async fn grouped<T>(
    db: &impl ConnectionTrait,
    wanted: bool,
    statement: SelectStatement,
    distinct: bool,
) -> Result<Vec<(T, i64)>, Error>
where
    T: sea_orm::TryGetable + Ord,
    (T, i64): TryGetableMany,
{
    if !wanted {
        return Ok(Vec::new());
    }
    let grouped = Query::select()
        .column(Alias::new("v"))
        .expr_as(
            if distinct {
                Expr::col(Alias::new("i")).count_distinct()
            } else {
                Expr::col(Alias::new("i")).count()
            },
            Alias::new("n"),
        )
        .from_subquery(statement, Alias::new("pairs"))
        .group_by_col(Alias::new("v"))
        .to_owned();
    let rows = db.query_all(&grouped).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(<(T, i64)>::try_get_many(&row, "", &["v".to_owned(), "n".to_owned()]).map_err(sea_orm::DbErr::from)?);
    }
    Ok(sorted(out))
}

/// Which facets to count: each is one GROUP BY, so only those asked for are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Facets {
    /// The total and the statuses (the total is the sum of the statuses).
    pub status: bool,
    /// Countries.
    pub country: bool,
    /// Themes.
    pub theme: bool,
    /// Focus areas.
    pub focus_area: bool,
    /// School levels.
    pub school_level: bool,
    /// Kinds of responsible organisations.
    pub responsible_kind: bool,
    /// Regions of participants.
    pub region: bool,
}

/// The facets in `facets` of the initiatives `filter` selects; the others are left empty.
pub async fn statistics(
    db: &impl ConnectionTrait,
    filter: &InitiativeFilter,
    facets: Facets,
) -> Result<InitiativeStatistics, Error> {
    let ids = select(filter).select_only().column(initiative::Column::Id).into_query();
    let pairs = |value: Expr, from: SelectStatement| -> SelectStatement {
        let mut statement = from;
        statement.expr_as(value, Alias::new("v"));
        statement
    };
    let on_initiatives = |column: initiative::Column| {
        pairs(
            Expr::col((initiative::Entity, column)),
            Query::select()
                .expr_as(Expr::col((initiative::Entity, initiative::Column::Id)), Alias::new("i"))
                .from(initiative::Entity)
                .and_where(Expr::col((initiative::Entity, initiative::Column::Id)).in_subquery(ids.clone()))
                .to_owned(),
        )
    };

    let by_status = facet(db, facets.status, on_initiatives(initiative::Column::Status)).await?;
    let by_country = facet(db, facets.country, on_initiatives(initiative::Column::Country)).await?;
    let total = by_status.iter().map(|(_, n)| n).sum();

    let themes = Query::select()
        .expr_as(
            Expr::col((initiative_theme::Entity, initiative_theme::Column::InitiativeId)),
            Alias::new("i"),
        )
        .from(initiative_theme::Entity)
        .inner_join(
            theme::Entity,
            Expr::col((theme::Entity, theme::Column::Id))
                .equals((initiative_theme::Entity, initiative_theme::Column::ThemeId)),
        )
        .and_where(
            Expr::col((initiative_theme::Entity, initiative_theme::Column::InitiativeId)).in_subquery(ids.clone()),
        )
        .to_owned();
    let by_theme = facet(
        db,
        facets.theme,
        pairs(Expr::col((theme::Entity, theme::Column::Id)), themes),
    )
    .await?;

    let goals = Query::select()
        .expr_as(
            Expr::col((initiative_goal::Entity, initiative_goal::Column::InitiativeId)),
            Alias::new("i"),
        )
        .from(initiative_goal::Entity)
        .inner_join(
            goal::Entity,
            Expr::col((goal::Entity, goal::Column::Id))
                .equals((initiative_goal::Entity, initiative_goal::Column::GoalId)),
        )
        .and_where(Expr::col((initiative_goal::Entity, initiative_goal::Column::InitiativeId)).in_subquery(ids.clone()))
        .to_owned();
    let by_focus_area = facet(
        db,
        facets.focus_area,
        pairs(Expr::col((goal::Entity, goal::Column::FocusAreaId)), goals),
    )
    .await?;

    let levels = Query::select()
        .expr_as(
            Expr::col(initiative_school_level::Column::InitiativeId),
            Alias::new("i"),
        )
        .from(initiative_school_level::Entity)
        .and_where(Expr::col(initiative_school_level::Column::InitiativeId).in_subquery(ids.clone()))
        .to_owned();
    let by_school_level = facet(
        db,
        facets.school_level,
        pairs(Expr::col(initiative_school_level::Column::SchoolLevel), levels),
    )
    .await?;

    let responsible = Query::select()
        .expr_as(
            Expr::col((responsibility::Entity, responsibility::Column::InitiativeId)),
            Alias::new("i"),
        )
        .from(responsibility::Entity)
        .inner_join(
            organisation::Entity,
            Expr::col((organisation::Entity, organisation::Column::Id))
                .equals((responsibility::Entity, responsibility::Column::OrganisationId)),
        )
        .and_where(Expr::col((responsibility::Entity, responsibility::Column::InitiativeId)).in_subquery(ids.clone()))
        .and_where(
            Expr::col((responsibility::Entity, responsibility::Column::Role)).is_in([Role::Lead, Role::Responsible]),
        )
        .to_owned();
    let by_responsible_kind = facet(
        db,
        facets.responsible_kind,
        pairs(
            Expr::col((organisation::Entity, organisation::Column::Kind)),
            responsible,
        ),
    )
    .await?;

    // Counted ahead per initiative and county by every participation write (`service::region_count`).
    let participants = Query::select()
        .expr_as(Expr::col(Alias::new("initiative_id")), Alias::new("i"))
        .from(Alias::new("initiative_region"))
        .and_where(Expr::col(Alias::new("initiative_id")).in_subquery(ids))
        .to_owned();
    // One row per (initiative, county), each counting at least one.
    let by_region = distinct_facet(
        db,
        facets.region,
        pairs(Expr::col(Alias::new("county_id")), participants),
    )
    .await?;

    Ok(InitiativeStatistics {
        total,
        by_status,
        by_country,
        by_theme,
        by_focus_area,
        by_school_level,
        by_responsible_kind,
        by_region,
    })
}

/// Statistics already counted, by filter and facets, each valid while the change feed's head stands where
/// it stood when they were counted: every write that can change a count moves the head (in its own
/// transaction), so an answer from here is the answer a count would give now. A dashboard asking for the
/// same country on every page view costs one read of the head until something changes. The head is read
/// from the database, not from this instance's watcher, so a write through another instance counts at once.
pub struct StatisticsCache(std::sync::Mutex<lru::LruCache<String, (i64, std::sync::Arc<InitiativeStatistics>)>>);

impl StatisticsCache {
    /// A cache of at most `entries` answers.
    pub fn new(entries: std::num::NonZeroUsize) -> StatisticsCache {
        StatisticsCache(std::sync::Mutex::new(lru::LruCache::new(entries)))
    }

    /// [`statistics`]: for a filter by country alone from the counts kept ahead
    /// ([`crate::service::facet_count`]), else from the cache when nothing has changed since it was counted.
    pub async fn statistics(
        &self,
        db: &impl ConnectionTrait,
        filter: &InitiativeFilter,
        facets: Facets,
    ) -> Result<std::sync::Arc<InitiativeStatistics>, Error> {
        if crate::service::facet_count::answers(filter) {
            let counted = crate::service::facet_count::statistics(db, filter, facets).await?;
            return Ok(std::sync::Arc::new(counted));
        }
        let key = format!("{filter:?} {facets:?}");
        let head = crate::service::change_feed::head_position(db).await?;
        if let Ok(mut cache) = self.0.lock()
            && let Some((at, found)) = cache.get(&key)
            && *at == head
        {
            return Ok(found.clone());
        }
        let counted = std::sync::Arc::new(statistics(db, filter, facets).await?);
        if let Ok(mut cache) = self.0.lock() {
            cache.put(key, (head, counted.clone()));
        }
        Ok(counted)
    }
}
