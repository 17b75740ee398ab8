//! Participation per region: for an initiative or an activity, how many school authorities of each county
//! take part, and how many school authorities each county has.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use uuid::Uuid;

use super::{RegistryLoader, every_key};
use crate::entity::enums::OrganisationKind;
use crate::entity::organisation;
use crate::error::Error;

pub use crate::service::region_count::SCHOOL_AUTHORITIES;

/// Whose participants to count per county.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParticipationOf {
    /// Those of any activity of an initiative.
    Initiative(Uuid),
    /// Those of one activity.
    Activity(Uuid),
}

/// The number of school authorities in a county.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AuthoritiesIn(pub Uuid);

impl Loader<ParticipationOf> for RegistryLoader {
    /// Per county with participants: the county's ID and how many of its authorities take part.
    type Value = Vec<(Uuid, i64)>;
    type Error = Error;

    async fn load(&self, keys: &[ParticipationOf]) -> Result<HashMap<ParticipationOf, Self::Value>, Error> {
        let mut found: HashMap<ParticipationOf, Vec<(Uuid, i64)>> = HashMap::new();
        let initiatives: Vec<Uuid> = keys
            .iter()
            .filter_map(|k| match k {
                ParticipationOf::Initiative(id) => Some(*id),
                ParticipationOf::Activity(_) => None,
            })
            .collect();
        let activities: Vec<Uuid> = keys
            .iter()
            .filter_map(|k| match k {
                ParticipationOf::Activity(id) => Some(*id),
                ParticipationOf::Initiative(_) => None,
            })
            .collect();
        // Counted ahead by every participation write (`service::region_count`): one row per owner and county.
        for (owners, by_initiative) in [(activities, false), (initiatives, true)] {
            if owners.is_empty() {
                continue;
            }
            let (table, owner) = if by_initiative {
                ("initiative_region", "initiative_id")
            } else {
                ("activity_region", "activity_id")
            };
            let statement = Query::select()
                .expr_as(Expr::col(Alias::new(owner)), Alias::new("owner"))
                .expr_as(Expr::col(Alias::new("county_id")), Alias::new("county"))
                .expr_as(Expr::col(Alias::new("participating")), Alias::new("n"))
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new(owner)).is_in(owners))
                .to_owned();
            for row in self.db.query_all(&statement).await? {
                let owner: Uuid = row.try_get("", "owner")?;
                let county: Uuid = row.try_get("", "county")?;
                let n: i64 = row.try_get("", "n")?;
                let key = if by_initiative {
                    ParticipationOf::Initiative(owner)
                } else {
                    ParticipationOf::Activity(owner)
                };
                found.entry(key).or_default().push((county, n));
            }
        }
        Ok(keys
            .iter()
            .map(|key| (*key, found.remove(key).unwrap_or_default()))
            .collect())
    }
}

impl Loader<AuthoritiesIn> for RegistryLoader {
    type Value = i64;
    type Error = Error;

    async fn load(&self, keys: &[AuthoritiesIn]) -> Result<HashMap<AuthoritiesIn, i64>, Error> {
        let statement = Query::select()
            .column(organisation::Column::ParentId)
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from(organisation::Entity)
            .and_where(Expr::col(organisation::Column::ParentId).is_in(keys.iter().map(|k| k.0)))
            .and_where(Expr::col(organisation::Column::Kind).is_in(SCHOOL_AUTHORITIES))
            .group_by_col(organisation::Column::ParentId)
            .to_owned();
        let mut counts = HashMap::new();
        for row in self.db.query_all(&statement).await? {
            let county: Uuid = row.try_get("", "parent_id")?;
            let n: i64 = row.try_get("", "n")?;
            counts.insert(county, vec![n]);
        }
        Ok(every_key(keys, |k| k.0, counts)
            .into_iter()
            .map(|(k, n)| (k, n.first().copied().unwrap_or(0)))
            .collect())
    }
}

/// The counties of a country (ISO 3166-1 alpha-2), for maps that show every county.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CountiesOf(pub String);

impl Loader<CountiesOf> for RegistryLoader {
    type Value = Vec<organisation::Model>;
    type Error = Error;

    async fn load(&self, keys: &[CountiesOf]) -> Result<HashMap<CountiesOf, Self::Value>, Error> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let rows = organisation::Entity::find()
            .filter(organisation::Column::Kind.eq(OrganisationKind::County))
            .filter(organisation::Column::Country.is_in(keys.iter().map(|k| k.0.clone())))
            .order_by_asc(organisation::Column::Id)
            .all(&self.db)
            .await?;
        let mut found: HashMap<CountiesOf, Vec<organisation::Model>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for row in rows {
            if let Some(list) = found.get_mut(&CountiesOf(row.country.clone())) {
                list.push(row);
            }
        }
        Ok(found)
    }
}
