//! Participation per region: for an initiative or an activity, how many school authorities of each county
//! take part, and how many school authorities each county has.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Iden};
use uuid::Uuid;

use super::{RegistryLoader, every_key};
use crate::entity::enums::{OrganisationKind, ParticipationStatus};
use crate::entity::{activity, organisation, participation};
use crate::error::Error;

/// The kinds of organisation that run schools: the authorities counted per region.
pub const SCHOOL_AUTHORITIES: [OrganisationKind; 2] = [
    OrganisationKind::Municipality,
    OrganisationKind::IndependentSchoolOrganiser,
];

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
        for (owners, by_initiative) in [(activities, false), (initiatives, true)] {
            if owners.is_empty() {
                continue;
            }
            let owner = if by_initiative {
                Expr::col((activity::Entity, activity::Column::InitiativeId))
            } else {
                Expr::col((participation::Entity, participation::Column::ActivityId))
            };
            let statement = Query::select()
                .expr_as(owner.clone(), Alias::new("owner"))
                .expr_as(
                    Expr::col((organisation::Entity, organisation::Column::ParentId)),
                    Alias::new("county"),
                )
                .expr_as(
                    Expr::cust(format!("COUNT(DISTINCT {}.{})", organisation::Entity.to_string(), "id")),
                    Alias::new("n"),
                )
                .from(participation::Entity)
                .inner_join(
                    organisation::Entity,
                    Expr::col((organisation::Entity, organisation::Column::Id))
                        .equals((participation::Entity, participation::Column::OrganisationId)),
                )
                .inner_join(
                    activity::Entity,
                    Expr::col((activity::Entity, activity::Column::Id))
                        .equals((participation::Entity, participation::Column::ActivityId)),
                )
                .and_where(owner.clone().is_in(owners))
                .and_where(Expr::col((organisation::Entity, organisation::Column::Kind)).is_in(SCHOOL_AUTHORITIES))
                .and_where(Expr::col((organisation::Entity, organisation::Column::ParentId)).is_not_null())
                .and_where(
                    Expr::col((participation::Entity, participation::Column::Status))
                        .ne(ParticipationStatus::Withdrawn),
                )
                .add_group_by([owner, Expr::col((organisation::Entity, organisation::Column::ParentId))])
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
