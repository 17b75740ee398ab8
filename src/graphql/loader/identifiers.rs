//! The official identifiers of organisations.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use super::RegistryLoader;
use crate::entity::organisation_identifier;
use crate::error::Error;
use crate::service::organisation;

/// The identifiers of one organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdentifiersOf(pub Uuid);

impl Loader<IdentifiersOf> for RegistryLoader {
    type Value = Vec<organisation_identifier::Model>;
    type Error = Error;

    async fn load(&self, keys: &[IdentifiersOf]) -> Result<HashMap<IdentifiersOf, Self::Value>, Error> {
        let ids: Vec<Uuid> = keys.iter().map(|key| key.0).collect();
        let mut found = organisation::identifiers_of(&self.db, &ids).await?;
        Ok(ids
            .into_iter()
            .map(|id| (IdentifiersOf(id), found.remove(&id).unwrap_or_default()))
            .collect())
    }
}
