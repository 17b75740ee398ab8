//! Texts of records, by record type and ID: one statement per record type in the batch.

use std::collections::{BTreeMap, HashMap};

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use super::RegistryLoader;
use crate::error::Error;
use crate::service::text::{self, TextOwner, Texts};

/// The texts of one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TextKey(pub TextOwner, pub Uuid);

impl Loader<TextKey> for RegistryLoader {
    type Value = Texts;
    type Error = Error;

    async fn load(&self, keys: &[TextKey]) -> Result<HashMap<TextKey, Texts>, Error> {
        let mut by_owner: BTreeMap<TextOwner, Vec<Uuid>> = BTreeMap::new();
        for TextKey(owner, id) in keys {
            by_owner.entry(*owner).or_default().push(*id);
        }
        let mut result = HashMap::new();
        for (owner, ids) in by_owner {
            let mut loaded = text::load(&self.db, owner, &ids).await?;
            for id in ids {
                result.insert(TextKey(owner, id), loaded.remove(&id).unwrap_or_default());
            }
        }
        Ok(result)
    }
}
