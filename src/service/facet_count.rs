//! `statistics` for whole countries counted ahead, so a country's dashboard costs one small read however
//! many initiatives, roles and participations the registry holds, also right after a write.
//!
//! Two tables (migration 16): `initiative_facet` lists, per initiative, each value it counts under in each
//! facet, with its country and whether it is archived; `facet_count` holds, per country, archived or not,
//! facet and value, how many initiatives count under it. Every transaction that records changes refreshes
//! the initiatives they touch ([`crate::service::change_feed::commit`] calls [`refresh`]): their rows in
//! `initiative_facet` are read, written again from the base tables, and the difference is added to
//! `facet_count`. An organisation that changes kind or county refreshes the initiatives it holds a role in or
//! takes part in ([`refresh_organisation`]); bulk loads rebuild everything ([`rebuild`]).
//!
//! The facets and their values are those of [`crate::service::statistics::statistics`], which counts the
//! same from the base tables for any filter; a test compares the two after random writes.

use std::collections::BTreeMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement, UnionType};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::entity::enums::{OrganisationKind, Role, SchoolLevel, Status};
use crate::service::initiative::InitiativeFilter;
use crate::service::statistics::{Facets, InitiativeStatistics};

/// The version of the rules that fill the tables; a start with other rules builds them again.
pub const VERSION: i32 = 1;

/// Initiatives refreshed per statement.
const CHUNK: usize = 500;

/// More initiatives than this in one write are counted again from scratch.
const REBUILD_ABOVE: usize = 5_000;

/// One facet of `statistics`, as stored in the `facet` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Facet {
    Status,
    Country,
    Theme,
    FocusArea,
    SchoolLevel,
    ResponsibleKind,
    Region,
}

impl Facet {
    const ALL: [Facet; 7] = [
        Facet::Status,
        Facet::Country,
        Facet::Theme,
        Facet::FocusArea,
        Facet::SchoolLevel,
        Facet::ResponsibleKind,
        Facet::Region,
    ];

    fn code(self) -> &'static str {
        match self {
            Facet::Status => "STATUS",
            Facet::Country => "COUNTRY",
            Facet::Theme => "THEME",
            Facet::FocusArea => "FOCUS_AREA",
            Facet::SchoolLevel => "SCHOOL_LEVEL",
            Facet::ResponsibleKind => "RESPONSIBLE_KIND",
            Facet::Region => "REGION",
        }
    }

    fn from_code(code: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.code() == code)
    }

    /// `(initiative_id, facet, code, ref_id, country, archived)` rows of this facet, one per initiative
    /// and value, for the initiatives in `ids` (all when `None`).
    fn rows(self, ids: Option<&[Uuid]>) -> SelectStatement {
        let initiative = |column: &str| Expr::col((Alias::new("initiative"), Alias::new(column)));
        let of = |table: &str, column: &str| Expr::col((Alias::new(table), Alias::new(column)));
        let joined = |table: &str| {
            (
                Alias::new(table),
                of(table, "initiative_id").equals(("initiative", "id")),
            )
        };
        let (code, ref_id): (Expr, Expr) = match self {
            Facet::Status => (initiative("status"), Expr::val(Uuid::nil())),
            Facet::Country => (initiative("country"), Expr::val(Uuid::nil())),
            Facet::Theme => (Expr::val(""), of("initiative_theme", "theme_id")),
            Facet::FocusArea => (Expr::val(""), of("goal", "focus_area_id")),
            Facet::SchoolLevel => (of("initiative_school_level", "school_level"), Expr::val(Uuid::nil())),
            Facet::ResponsibleKind => (of("organisation", "kind"), Expr::val(Uuid::nil())),
            Facet::Region => (Expr::val(""), of("initiative_region", "county_id")),
        };
        let mut select = Query::select();
        select
            .expr_as(initiative("id"), Alias::new("initiative_id"))
            .expr_as(Expr::val(self.code()), Alias::new("facet"))
            .expr_as(code, Alias::new("code"))
            .expr_as(ref_id, Alias::new("ref_id"))
            .expr_as(initiative("country"), Alias::new("country"))
            .expr_as(initiative("archived_at").is_not_null(), Alias::new("archived"))
            .from(Alias::new("initiative"));
        match self {
            Facet::Status | Facet::Country => {}
            Facet::Theme => {
                let (table, on) = joined("initiative_theme");
                select.inner_join(table, on);
            }
            Facet::FocusArea => {
                let (table, on) = joined("initiative_goal");
                select
                    .inner_join(table, on)
                    .inner_join(
                        Alias::new("goal"),
                        of("goal", "id").equals(("initiative_goal", "goal_id")),
                    )
                    .distinct();
            }
            Facet::SchoolLevel => {
                let (table, on) = joined("initiative_school_level");
                select.inner_join(table, on);
            }
            Facet::ResponsibleKind => {
                let (table, on) = joined("responsibility");
                let roles: Vec<String> = [Role::Lead, Role::Responsible]
                    .iter()
                    .map(ActiveEnum::to_value)
                    .collect();
                select
                    .inner_join(table, on.and(of("responsibility", "role").is_in(roles)))
                    .inner_join(
                        Alias::new("organisation"),
                        of("organisation", "id").equals(("responsibility", "organisation_id")),
                    )
                    .distinct();
            }
            Facet::Region => {
                let (table, on) = joined("initiative_region");
                select.inner_join(table, on);
            }
        }
        if let Some(ids) = ids {
            select.and_where(initiative("id").is_in(ids.iter().copied()));
        }
        select
    }
}

/// Every facet's rows, as one `UNION ALL`.
fn all_rows(ids: Option<&[Uuid]>) -> SelectStatement {
    let mut rows = Facet::ALL[0].rows(ids);
    for facet in &Facet::ALL[1..] {
        rows.union(UnionType::All, facet.rows(ids));
    }
    rows
}

/// A counted value: country, archived, facet, code, record.
type Key = (String, bool, String, String, Uuid);

const KEY_COLUMNS: [&str; 5] = ["country", "archived", "facet", "code", "ref_id"];

fn key_of(row: &sea_orm::QueryResult) -> Result<Key, DbErr> {
    Ok((
        row.try_get("", "country")?,
        row.try_get("", "archived")?,
        row.try_get("", "facet")?,
        row.try_get("", "code")?,
        row.try_get("", "ref_id")?,
    ))
}

/// How many of the initiatives in `ids` count under each value, from `initiative_facet`.
async fn per_value(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<BTreeMap<Key, i64>, DbErr> {
    let select = Query::select()
        .columns(KEY_COLUMNS.map(Alias::new))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(Alias::new("initiative_facet"))
        .and_where(Expr::col(Alias::new("initiative_id")).is_in(ids.iter().copied()))
        .add_group_by(KEY_COLUMNS.map(|c| Expr::col(Alias::new(c))))
        .to_owned();
    let mut counts = BTreeMap::new();
    for row in db.query_all(&select).await? {
        counts.insert(key_of(&row)?, row.try_get::<i64>("", "n")?);
    }
    Ok(counts)
}

/// Counts the initiatives in `ids` again from the base tables, in the transaction that changed them, and
/// moves `facet_count` by the difference. Their rows are locked first, so two writes of one initiative on
/// PostgreSQL or MariaDB refresh it one after the other (SQLite has one writer at a time).
pub async fn refresh(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<(), DbErr> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    if ids.len() > REBUILD_ABOVE {
        return rebuild(db).await;
    }
    let mut delta: BTreeMap<Key, i64> = BTreeMap::new();
    for chunk in ids.chunks(CHUNK) {
        let lock = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("initiative"))
            .and_where(Expr::col(Alias::new("id")).is_in(chunk.iter().copied()))
            .order_by(Alias::new("id"), sea_orm::Order::Asc)
            .lock_exclusive()
            .to_owned();
        db.query_all(&lock).await?;
        for (key, n) in per_value(db, chunk).await? {
            *delta.entry(key).or_default() -= n;
        }
        let forget = Query::delete()
            .from_table(Alias::new("initiative_facet"))
            .and_where(Expr::col(Alias::new("initiative_id")).is_in(chunk.iter().copied()))
            .to_owned();
        db.execute(&forget).await?;
        db.execute(&insert_rows(Some(chunk))?).await?;
        for (key, n) in per_value(db, chunk).await? {
            *delta.entry(key).or_default() += n;
        }
    }
    // In key order, so concurrent writes take the rows' locks in one order and cannot deadlock.
    for (key, n) in delta {
        if n != 0 {
            add(db, key, n).await?;
        }
    }
    Ok(())
}

fn insert_rows(ids: Option<&[Uuid]>) -> Result<sea_orm::sea_query::InsertStatement, DbErr> {
    Ok(Query::insert()
        .into_table(Alias::new("initiative_facet"))
        .columns(["initiative_id", "facet", "code", "ref_id", "country", "archived"].map(Alias::new))
        .select_from(all_rows(ids))
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned())
}

/// Adds `n` to one value's count (made when missing).
async fn add(db: &impl ConnectionTrait, (country, archived, facet, code, ref_id): Key, n: i64) -> Result<(), DbErr> {
    let upsert = Query::insert()
        .into_table(Alias::new("facet_count"))
        .columns(KEY_COLUMNS.into_iter().chain(["initiatives"]).map(Alias::new))
        .values_panic([
            country.into(),
            archived.into(),
            facet.into(),
            code.into(),
            ref_id.into(),
            n.into(),
        ])
        .on_conflict(
            OnConflict::columns(KEY_COLUMNS.map(Alias::new))
                .value(
                    Alias::new("initiatives"),
                    Expr::col((Alias::new("facet_count"), Alias::new("initiatives"))).add(n),
                )
                .to_owned(),
        )
        .to_owned();
    db.execute(&upsert).await?;
    Ok(())
}

/// Refreshes the initiatives `organisation` holds a role in or takes part in: call it, after the
/// organisation's kind or county was written, in the same transaction.
pub async fn refresh_organisation(db: &impl ConnectionTrait, organisation: Uuid) -> Result<(), DbErr> {
    let of = |table: &str| {
        Query::select()
            .column(Alias::new("initiative_id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("organisation_id")).eq(organisation))
            .and_where(Expr::col(Alias::new("initiative_id")).is_not_null())
            .to_owned()
    };
    let mut initiatives = of("responsibility");
    initiatives.union(UnionType::Distinct, of("initiative_participant"));
    let ids = db
        .query_all(&initiatives)
        .await?
        .iter()
        .map(|row| row.try_get::<Uuid>("", "initiative_id"))
        .collect::<Result<Vec<_>, _>>()?;
    refresh(db, &ids).await
}

/// Counts everything again from the base tables (after a bulk load, or when the rules changed), in `db`'s
/// transaction.
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for table in ["facet_count", "initiative_facet"] {
        db.execute(&Query::delete().from_table(Alias::new(table)).to_owned())
            .await?;
    }
    db.execute(&insert_rows(None)?).await?;
    let totals = Query::insert()
        .into_table(Alias::new("facet_count"))
        .columns(KEY_COLUMNS.into_iter().chain(["initiatives"]).map(Alias::new))
        .select_from(
            Query::select()
                .columns(KEY_COLUMNS.map(Alias::new))
                .expr(Expr::cust("COUNT(*)"))
                .from(Alias::new("initiative_facet"))
                .add_group_by(KEY_COLUMNS.map(|c| Expr::col(Alias::new(c))))
                .to_owned(),
        )
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    db.execute(&totals).await?;
    Ok(())
}

/// Builds the tables when they were built by other rules, or never (a database migrated from before them);
/// whether it built them.
pub async fn bring_up_to_date(db: &sea_orm::DatabaseConnection) -> Result<bool, DbErr> {
    let version = crate::db::built_version(db, "facet_count_state").await?;
    if version == Some(VERSION) {
        return Ok(false);
    }
    let txn = crate::db::begin_bulk_write(db).await?;
    rebuild(&txn).await?;
    crate::db::set_built_version(&txn, "facet_count_state", VERSION).await?;
    txn.commit().await?;
    crate::db::analyze(db, &["initiative_facet", "facet_count"]).await?;
    Ok(true)
}

/// Whether [`statistics`] answers `filter`: a filter by country alone (or none), with or without the
/// archived initiatives.
pub fn answers(filter: &InitiativeFilter) -> bool {
    let by_country = InitiativeFilter {
        countries: filter.countries.clone(),
        include_archived: filter.include_archived,
        ..InitiativeFilter::default()
    };
    *filter == by_country
}

/// The facets of the initiatives of `countries` (all when empty), from the counts: one read of at most a
/// few hundred rows. `filter` must be one that [`answers`] takes.
pub async fn statistics(
    db: &impl ConnectionTrait,
    filter: &InitiativeFilter,
    facets: Facets,
) -> Result<InitiativeStatistics, DbErr> {
    let mut select = Query::select();
    select
        .columns(["facet", "code", "ref_id", "initiatives"].map(Alias::new))
        .from(Alias::new("facet_count"))
        .and_where(Expr::col(Alias::new("initiatives")).gt(0));
    if !filter.countries.is_empty() {
        select.and_where(Expr::col(Alias::new("country")).is_in(filter.countries.clone()));
    }
    if !filter.include_archived {
        select.and_where(Expr::col(Alias::new("archived")).eq(false));
    }
    let mut codes: BTreeMap<(&'static str, String), i64> = BTreeMap::new();
    let mut refs: BTreeMap<(&'static str, Uuid), i64> = BTreeMap::new();
    for row in db.query_all(&select).await? {
        let facet: String = row.try_get("", "facet")?;
        let Some(facet) = Facet::from_code(&facet) else {
            continue;
        };
        let n: i64 = row.try_get("", "initiatives")?;
        match facet {
            Facet::Theme | Facet::FocusArea | Facet::Region => {
                *refs.entry((facet.code(), row.try_get("", "ref_id")?)).or_default() += n;
            }
            _ => *codes.entry((facet.code(), row.try_get("", "code")?)).or_default() += n,
        }
    }
    let coded = |wanted: bool, facet: Facet| -> Vec<(String, i64)> {
        let rows = codes.iter().filter(|((f, _), _)| wanted && *f == facet.code());
        rows.map(|((_, code), n)| (code.clone(), *n)).collect()
    };
    let referred = |wanted: bool, facet: Facet| -> Vec<(Uuid, i64)> {
        let rows = refs.iter().filter(|((f, _), _)| wanted && *f == facet.code());
        sorted(rows.map(|((_, id), n)| (*id, *n)).collect())
    };
    let by_status = sorted(enums::<Status>(coded(facets.status, Facet::Status)));
    Ok(InitiativeStatistics {
        total: by_status.iter().map(|(_, n)| n).sum(),
        by_status,
        by_country: sorted(coded(facets.country, Facet::Country)),
        by_theme: referred(facets.theme, Facet::Theme),
        by_focus_area: referred(facets.focus_area, Facet::FocusArea),
        by_school_level: sorted(enums::<SchoolLevel>(coded(facets.school_level, Facet::SchoolLevel))),
        by_responsible_kind: sorted(enums::<OrganisationKind>(coded(
            facets.responsible_kind,
            Facet::ResponsibleKind,
        ))),
        by_region: referred(facets.region, Facet::Region),
    })
}

/// Codes read back as their enum; a code no variant has (a row of a newer version) is left out.
fn enums<E: ActiveEnum<Value = String>>(rows: Vec<(String, i64)>) -> Vec<(E, i64)> {
    rows.into_iter()
        .filter_map(|(code, n)| E::try_from_value(&code).ok().map(|e| (e, n)))
        .collect()
}

fn sorted<T: Ord>(mut rows: Vec<(T, i64)>) -> Vec<(T, i64)> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}
