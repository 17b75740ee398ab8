//! Texts of records, by record type, ID and field: every text of a wave in one statement, whatever the
//! record types (one `SELECT` per type, joined with `UNION ALL`), and only the fields asked for, so a page
//! that shows titles never reads the descriptions.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use uuid::Uuid;

use super::RegistryLoader;
use crate::error::Error;
use crate::service::text::{Localized, TextOwner};

/// One multilingual field of one record: its texts in every language, sorted by language tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TextKey(pub TextOwner, pub Uuid, pub &'static str);

/// The texts of one field in every language, shared by every resolver that asks for them.
pub type FieldTexts = Arc<Vec<Localized>>;

/// The records and fields asked for of one record type.
#[derive(Default)]
struct Wanted {
    ids: BTreeSet<Uuid>,
    fields: BTreeSet<&'static str>,
}

/// The statement reading `wanted` of `owner`, its rows named by the owner's table.
fn select(owner: TextOwner, wanted: &Wanted) -> SelectStatement {
    Query::select()
        .expr_as(Expr::val(owner.table()), Alias::new("owner"))
        .columns(["owner_id", "field", "lang", "text"].map(Alias::new))
        .from(owner.text_table())
        .and_where(Expr::col(Alias::new("owner_id")).is_in(wanted.ids.iter().copied()))
        .and_where(Expr::col(Alias::new("field")).is_in(wanted.fields.iter().copied()))
        .to_owned()
}

impl Loader<TextKey> for RegistryLoader {
    type Value = FieldTexts;
    type Error = Error;

    async fn load(&self, keys: &[TextKey]) -> Result<HashMap<TextKey, FieldTexts>, Error> {
        let mut by_owner: BTreeMap<TextOwner, Wanted> = BTreeMap::new();
        for TextKey(owner, id, field) in keys {
            let wanted = by_owner.entry(*owner).or_default();
            wanted.ids.insert(*id);
            wanted.fields.insert(field);
        }
        let mut parts = by_owner.iter().map(|(owner, wanted)| select(*owner, wanted));
        let Some(mut statement) = parts.next() else {
            return Ok(HashMap::new());
        };
        for part in parts {
            statement.union(UnionType::All, part);
        }
        let owners: HashMap<&'static str, TextOwner> = by_owner.keys().map(|owner| (owner.table(), *owner)).collect();
        let fields: HashMap<&str, &'static str> = keys.iter().map(|key| (key.2, key.2)).collect();
        let mut found: HashMap<TextKey, Vec<Localized>> = HashMap::new();
        for row in self.db.query_all(&statement).await? {
            let owner: String = row.try_get("", "owner")?;
            let field: String = row.try_get("", "field")?;
            let (Some(owner), Some(field)) = (owners.get(owner.as_str()), fields.get(field.as_str())) else {
                continue;
            };
            let id: Uuid = row.try_get("", "owner_id")?;
            found.entry(TextKey(*owner, id, field)).or_default().push(Localized {
                lang: row.try_get("", "lang")?,
                text: row.try_get("", "text")?,
            });
        }
        Ok(keys
            .iter()
            .map(|key| {
                let mut texts = found.remove(key).unwrap_or_default();
                texts.sort_by(|a, b| a.lang.cmp(&b.lang));
                (*key, Arc::new(texts))
            })
            .collect())
    }
}
