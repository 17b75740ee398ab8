//! The parts of strategies: focus areas, goals and owners.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use super::{RegistryLoader, every_key};
use crate::entity::{focus_area, goal};
use crate::error::Error;
use crate::service::strategy;

/// The focus areas of one strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FocusAreasOf(pub Uuid);

/// The goals of one focus area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GoalsOf(pub Uuid);

/// The owning organisations of one strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StrategyOwnersOf(pub Uuid);

impl Loader<FocusAreasOf> for RegistryLoader {
    type Value = Vec<focus_area::Model>;
    type Error = Error;

    async fn load(&self, keys: &[FocusAreasOf]) -> Result<HashMap<FocusAreasOf, Self::Value>, Error> {
        let ids: Vec<Uuid> = keys.iter().map(|key| key.0).collect();
        Ok(every_key(
            keys,
            |key| key.0,
            strategy::focus_areas_of(&self.db, &ids).await?,
        ))
    }
}

impl Loader<GoalsOf> for RegistryLoader {
    type Value = Vec<goal::Model>;
    type Error = Error;

    async fn load(&self, keys: &[GoalsOf]) -> Result<HashMap<GoalsOf, Self::Value>, Error> {
        let ids: Vec<Uuid> = keys.iter().map(|key| key.0).collect();
        Ok(every_key(keys, |key| key.0, strategy::goals_of(&self.db, &ids).await?))
    }
}

impl Loader<StrategyOwnersOf> for RegistryLoader {
    type Value = Vec<Uuid>;
    type Error = Error;

    async fn load(&self, keys: &[StrategyOwnersOf]) -> Result<HashMap<StrategyOwnersOf, Self::Value>, Error> {
        let ids: Vec<Uuid> = keys.iter().map(|key| key.0).collect();
        Ok(every_key(keys, |key| key.0, strategy::owners_of(&self.db, &ids).await?))
    }
}
