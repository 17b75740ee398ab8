//! DataLoaders: every relation resolves through one, so the number of SQL statements per request does not
//! grow with the number of rows returned. One loader struct answers every key type; each key type's
//! batch query lives in its own file, and [`register`] is the one place they are set up.

mod identifiers;
mod initiative_parts;
mod records;
mod strategy_parts;
mod texts;

use async_graphql::dataloader::DataLoader;
use sea_orm::DatabaseConnection;

pub use identifiers::IdentifiersOf;
pub use initiative_parts::{
    ActionPlanOwnersOf, GoalsOfInitiative, ResponsibilitiesOfInitiative, SchoolLevelsOf, StatusUpdatesOf,
    ThemesOfInitiative,
};
pub use records::{ActionPlanKey, FocusAreaKey, GoalKey, InitiativeKey, OrganisationKey, StrategyKey, ThemeKey};
pub use strategy_parts::{FocusAreasOf, GoalsOf, StrategyOwnersOf};
pub use texts::TextKey;

/// Batches the loads of one request tick into one query per key type.
pub struct RegistryLoader {
    db: DatabaseConnection,
}

/// The DataLoader resolvers take from the context.
pub type Loader = DataLoader<RegistryLoader>;

/// Builds the DataLoader every request shares. It keeps no cache, so a request never sees another
/// request's stale rows; batching happens within one request tick.
pub fn register(db: DatabaseConnection) -> Loader {
    DataLoader::new(RegistryLoader { db }, tokio::spawn)
}

/// An answer for every key, empty where nothing was found.
fn every_key<K: Copy + Eq + std::hash::Hash, V>(
    keys: &[K],
    id: impl Fn(K) -> uuid::Uuid,
    mut found: std::collections::HashMap<uuid::Uuid, Vec<V>>,
) -> std::collections::HashMap<K, Vec<V>> {
    keys.iter()
        .map(|key| (*key, found.remove(&id(*key)).unwrap_or_default()))
        .collect()
}
