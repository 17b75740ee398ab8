//! Finding organisations and their official identifiers.

use std::collections::HashMap;

use sea_orm::sea_query::{LikeExpr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Select};
use uuid::Uuid;

use crate::entity::enums::OrganisationKind;
use crate::entity::{organisation, organisation_identifier};
use crate::service::text::{TextOwner, fold, owners_with_words};

/// Which organisations to list; every field given must match, and within a list any value may.
#[derive(Clone, Debug, Default)]
pub struct OrganisationFilter {
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// Organisation kinds.
    pub kinds: Vec<OrganisationKind>,
    /// Only the children of this organisation (a county's municipalities).
    pub parent: Option<Uuid>,
    /// An official identifier's value, valid now or in the past ("0180", "0301").
    pub identifier: Option<String>,
    /// Words found in the organisation's name in any language.
    pub query: Option<String>,
}

/// A `LIKE` pattern that finds `needle` anywhere, with the pattern's own special characters escaped.
pub fn contains_pattern(needle: &str) -> LikeExpr {
    let escaped = fold(needle)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The query for the organisations `filter` selects, not yet ordered or paged.
pub fn select(filter: &OrganisationFilter) -> Select<organisation::Entity> {
    let mut select = organisation::Entity::find();
    if !filter.countries.is_empty() {
        select = select.filter(organisation::Column::Country.is_in(filter.countries.clone()));
    }
    if !filter.kinds.is_empty() {
        select = select.filter(organisation::Column::Kind.is_in(filter.kinds.clone()));
    }
    if let Some(parent) = filter.parent {
        select = select.filter(organisation::Column::ParentId.eq(parent));
    }
    if let Some(value) = &filter.identifier {
        let ids = Query::select()
            .column(organisation_identifier::Column::OrganisationId)
            .from(organisation_identifier::Entity)
            .and_where(organisation_identifier::Column::Value.eq(value.trim()))
            .to_owned();
        select = select.filter(organisation::Column::Id.in_subquery(ids));
    }
    if let Some(ids) = filter
        .query
        .as_deref()
        .and_then(|words| owners_with_words(TextOwner::Organisation, words))
    {
        select = select.filter(organisation::Column::Id.in_subquery(ids));
    }
    select
}

/// Organisations by ID.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, organisation::Model>, DbErr> {
    let rows = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

/// The identifiers of each of the given organisations, oldest validity first.
pub async fn identifiers_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<organisation_identifier::Model>>, DbErr> {
    let rows = organisation_identifier::Entity::find()
        .filter(organisation_identifier::Column::OrganisationId.is_in(ids.iter().copied()))
        .order_by_asc(organisation_identifier::Column::Scheme)
        .order_by_asc(organisation_identifier::Column::ValidFrom)
        .order_by_asc(organisation_identifier::Column::Id)
        .all(db)
        .await?;
    let mut by_org: HashMap<Uuid, Vec<_>> = HashMap::new();
    for row in rows {
        by_org.entry(row.organisation_id).or_default().push(row);
    }
    Ok(by_org)
}

/// The organisation whose identifier in `scheme` is `value` on `day` (its validity period holding the
/// day, or open), if exactly one has it: a value shared by two organisations that day names neither.
pub async fn by_identifier(
    db: &impl ConnectionTrait,
    scheme: crate::entity::enums::IdentifierScheme,
    value: &str,
    day: chrono::NaiveDate,
) -> Result<Option<Uuid>, DbErr> {
    use sea_orm::{Condition, QuerySelect};
    let found = organisation_identifier::Entity::find()
        .filter(organisation_identifier::Column::Scheme.eq(scheme))
        .filter(organisation_identifier::Column::Value.eq(value))
        .filter(
            Condition::any()
                .add(organisation_identifier::Column::ValidFrom.is_null())
                .add(organisation_identifier::Column::ValidFrom.lte(day)),
        )
        .filter(
            Condition::any()
                .add(organisation_identifier::Column::ValidTo.is_null())
                .add(organisation_identifier::Column::ValidTo.gte(day)),
        )
        .limit(2)
        .all(db)
        .await?;
    let mut organisations: Vec<Uuid> = found.into_iter().map(|i| i.organisation_id).collect();
    organisations.dedup();
    Ok(match organisations[..] {
        [only] => Some(only),
        _ => None,
    })
}
