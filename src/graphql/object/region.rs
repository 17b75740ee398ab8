//! Participation per region: how many of a county's school authorities take part in an initiative or an
//! activity, out of how many there are.

use std::collections::HashMap;

use async_graphql::{Context, Object, ResultExt};
use uuid::Uuid;

use super::organisation::Organisation;
use crate::entity::organisation;
use crate::graphql::loader::{AuthoritiesIn, CountiesOf, InitiativeKey, Loader, OrganisationKey, ParticipationOf};

/// How many of a county's school authorities (municipalities and independent school organisers) take
/// part, out of how many there are.
pub struct RegionParticipation {
    region: Organisation,
    participating: i64,
    authorities: i64,
}

/// How many of a county's school authorities (municipalities and independent school organisers) take
/// part, out of how many there are.
#[Object]
impl RegionParticipation {
    /// The county.
    async fn region(&self) -> &Organisation {
        &self.region
    }

    /// School authorities of the county taking part (interested, participating or completed; not
    /// withdrawn).
    async fn participating(&self) -> i64 {
        self.participating
    }

    /// School authorities in the county.
    async fn authorities(&self) -> i64 {
        self.authorities
    }

    /// `participating` divided by `authorities`, from 0 to 1.
    async fn share(&self) -> f64 {
        if self.authorities == 0 {
            0.0
        } else {
            self.participating as f64 / self.authorities as f64
        }
    }
}

/// The counties with school authorities taking part, most participants first; with `every_county_of`, also
/// the other counties of that country, with 0.
pub async fn by_region(
    ctx: &Context<'_>,
    of: ParticipationOf,
    every_county_of: Option<String>,
) -> async_graphql::Result<Vec<RegionParticipation>> {
    let loader = ctx.data::<Loader>()?;
    let (rows, counties) = tokio::try_join!(loader.load_one(of), async {
        match every_county_of {
            Some(country) => loader.load_one(CountiesOf(country)).await,
            None => Ok(None),
        }
    })
    .extend()?;
    let taking_part: HashMap<Uuid, i64> = rows.unwrap_or_default().into_iter().collect();
    let mut regions: HashMap<Uuid, organisation::Model> = counties
        .unwrap_or_default()
        .into_iter()
        .map(|county| (county.id, county))
        .collect();
    let missing = taking_part
        .keys()
        .filter(|id| !regions.contains_key(id))
        .map(|id| OrganisationKey(*id));
    let (found, totals) = tokio::try_join!(
        loader.load_many(missing.collect::<Vec<_>>()),
        loader.load_many(
            taking_part
                .keys()
                .chain(regions.keys())
                .map(|id| AuthoritiesIn(*id))
                .collect::<Vec<_>>()
        ),
    )
    .extend()?;
    regions.extend(found.into_iter().map(|(key, model)| (key.0, model)));
    let mut rows: Vec<RegionParticipation> = regions
        .into_values()
        .map(|model| RegionParticipation {
            participating: taking_part.get(&model.id).copied().unwrap_or(0),
            authorities: totals.get(&AuthoritiesIn(model.id)).copied().unwrap_or(0),
            region: Organisation(model),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.participating
            .cmp(&a.participating)
            .then(a.region.0.id.cmp(&b.region.0.id))
    });
    Ok(rows)
}

/// The country of an activity, through its initiative.
pub async fn country_of_activity(ctx: &Context<'_>, initiative: Uuid) -> async_graphql::Result<Option<String>> {
    let loader = ctx.data::<Loader>()?;
    Ok(loader
        .load_one(InitiativeKey(initiative))
        .await
        .extend()?
        .map(|i| i.country))
}
