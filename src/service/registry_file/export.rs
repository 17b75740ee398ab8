//! Writing the registry file, as JSON or as a folder of CSV files.

use std::collections::BTreeSet;
use std::path::Path;

use sea_orm::sea_query::{Alias, Order, Query};
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::tables::{TABLES, read};
use super::{FORMAT, FORMAT_VERSION};
use crate::service::text::TextOwner;

/// Whether the export includes personal data (contacts' email and phone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Personal {
    /// Public data only: email and phone are null.
    Withheld,
    /// Everything, for a READER or better.
    Included,
}

/// The fields of a table that are personal data.
fn personal_fields(table: &str) -> &'static [&'static str] {
    match table {
        "contact" => &["email", "phone"],
        _ => &[],
    }
}

/// Every text of one owner type, in (owner, field, language) order.
async fn texts(db: &impl ConnectionTrait, owner: TextOwner) -> Result<Vec<Value>, DbErr> {
    let query = Query::select()
        .columns(["owner_id", "field", "lang", "text"].map(Alias::new))
        .from(owner.text_table())
        .order_by_columns(["owner_id", "field", "lang"].map(|c| (Alias::new(c), Order::Asc)))
        .to_owned();
    let mut rows = Vec::new();
    for row in db.query_all(&query).await? {
        let owner_id: Uuid = row.try_get("", "owner_id")?;
        let field: String = row.try_get("", "field")?;
        let lang: String = row.try_get("", "lang")?;
        let text: String = row.try_get("", "text")?;
        rows.push(json!({ "ownerId": owner_id, "field": field, "lang": lang, "text": text }));
    }
    // Some databases order UUIDs as bytes, some as text: order here, the same way everywhere.
    rows.sort_by(|a, b| {
        let key = |v: &Value| (v["ownerId"].to_string(), v["field"].to_string(), v["lang"].to_string());
        key(a).cmp(&key(b))
    });
    Ok(rows)
}

/// The whole registry as the registry file.
pub async fn export(db: &impl ConnectionTrait, personal: Personal) -> Result<Value, DbErr> {
    let mut records = Map::new();
    for table in TABLES {
        let mut rows = read(db, table).await?;
        // Some databases order UUIDs as bytes, some as text: order here, the same way everywhere.
        rows.sort_by_cached_key(|row| match row.get("id") {
            Some(id) => id.to_string(),
            None => row.to_string(),
        });
        if personal == Personal::Withheld {
            for row in &mut rows {
                for field in personal_fields(table) {
                    if let Some(value) = row.get_mut(*field) {
                        *value = Value::Null;
                    }
                }
            }
        }
        records.insert((*table).to_owned(), Value::Array(rows));
    }
    let mut all_texts = Map::new();
    for owner in TextOwner::ALL {
        all_texts.insert(owner.table().to_owned(), Value::Array(texts(db, owner).await?));
    }
    Ok(json!({
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "records": records,
        "texts": all_texts,
    }))
}

/// A value as a CSV cell: text as it is, null as empty, anything else as JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Writes one CSV file of `rows`, with a column per field any row has, in name order.
fn write_table(path: &Path, rows: &[Value]) -> std::io::Result<()> {
    let columns: BTreeSet<&String> = rows.iter().filter_map(Value::as_object).flat_map(Map::keys).collect();
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(&columns)?;
    for row in rows {
        writer.write_record(columns.iter().map(|c| cell(&row[c.as_str()])))?;
    }
    writer.flush()
}

/// Writes the registry file as a folder of CSV files: `<table>.csv` for records, `<table>_text.csv` for
/// texts.
pub fn write_csv(file: &Value, folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    for (section, suffix) in [("records", ""), ("texts", "_text")] {
        for (table, rows) in file[section].as_object().into_iter().flatten() {
            let rows = rows.as_array().map(Vec::as_slice).unwrap_or_default();
            write_table(&folder.join(format!("{table}{suffix}.csv")), rows)?;
        }
    }
    Ok(())
}
