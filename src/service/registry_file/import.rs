//! Reading a registry file into the database: the whole file is checked first and every problem reported
//! with its JSON path; then everything is written in one transaction, records inserted or updated by
//! their stable IDs, so importing the same file twice changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};

use indicatif::ProgressBar;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;
use uuid::Uuid;

use super::tables::{TABLES, check_row, write};
use super::{FORMAT, FORMAT_VERSION};
use crate::error::Error;
use crate::service::change_feed::{self, snapshot};
use crate::service::language::is_language_tag;
use crate::service::text::{self, TextOwner, Texts};

/// One thing wrong with the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// Where, as a JSON path: `$.records.initiative[3].status`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        path: path.into(),
        message: message.into(),
    }
}

/// The longest text the file may hold, as in the API.
const MAX_TEXT: usize = 10_000;

/// Checks one text row.
fn check_text(path: &str, row: &Value, problems: &mut Vec<ImportProblem>) {
    let Some(fields) = row.as_object() else {
        problems.push(problem(path, "a text is an object with ownerId, field, lang and text"));
        return;
    };
    for key in fields
        .keys()
        .filter(|k| !["ownerId", "field", "lang", "text"].contains(&k.as_str()))
    {
        problems.push(problem(format!("{path}.{key}"), "not a field of a text"));
    }
    let string = |key: &str| fields.get(key).and_then(Value::as_str);
    if string("ownerId").and_then(|id| Uuid::parse_str(id).ok()).is_none() {
        problems.push(problem(format!("{path}.ownerId"), "give the owning record's UUID"));
    }
    if !string("field").is_some_and(|f| (1..=64).contains(&f.len())) {
        problems.push(problem(format!("{path}.field"), "give the field's name"));
    }
    if !string("lang").is_some_and(is_language_tag) {
        problems.push(problem(format!("{path}.lang"), "give a BCP 47 language tag"));
    }
    if !string("text").is_some_and(|t| !t.trim().is_empty() && t.chars().count() <= MAX_TEXT) {
        problems.push(problem(
            format!("{path}.text"),
            format!("give a text of 1 to {MAX_TEXT} characters"),
        ));
    }
}

/// Every problem with `file`; none means it can be imported.
pub fn validate(file: &Value) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    let Some(top) = file.as_object() else {
        return vec![problem("$", "the file is a JSON object")];
    };
    if top.get("format").and_then(Value::as_str) != Some(FORMAT) {
        problems.push(problem("$.format", format!("this is not a {FORMAT:?} file")));
    }
    if top.get("formatVersion").and_then(Value::as_u64) != Some(FORMAT_VERSION) {
        problems.push(problem(
            "$.formatVersion",
            format!("this build reads format version {FORMAT_VERSION}"),
        ));
    }
    for key in top
        .keys()
        .filter(|k| !["format", "formatVersion", "records", "texts"].contains(&k.as_str()))
    {
        problems.push(problem(format!("$.{key}"), "not a part of the format"));
    }
    for (table, rows) in top.get("records").and_then(Value::as_object).into_iter().flatten() {
        let at = format!("$.records.{table}");
        if !TABLES.contains(&table.as_str()) {
            problems.push(problem(at, "no table is called so"));
            continue;
        }
        let Some(rows) = rows.as_array() else {
            problems.push(problem(at, "a table is a list of records"));
            continue;
        };
        let mut seen = HashSet::new();
        for (k, row) in rows.iter().enumerate() {
            if let Err((path, message)) = check_row(table, row) {
                let path = if path == "." || path.is_empty() {
                    String::new()
                } else {
                    format!(".{path}")
                };
                problems.push(problem(format!("{at}[{k}]{path}"), message));
            }
            let key = row.get("id").map_or_else(|| row.to_string(), Value::to_string);
            if !seen.insert(key) {
                problems.push(problem(format!("{at}[{k}]"), "the same record appears twice"));
            }
        }
    }
    let owners: HashMap<&str, TextOwner> = TextOwner::ALL.iter().map(|o| (o.table(), *o)).collect();
    for (owner, rows) in top.get("texts").and_then(Value::as_object).into_iter().flatten() {
        let at = format!("$.texts.{owner}");
        if !owners.contains_key(owner.as_str()) {
            problems.push(problem(at, "no record type with texts is called so"));
            continue;
        }
        for (k, row) in rows.as_array().into_iter().flatten().enumerate() {
            check_text(&format!("{at}[{k}]"), row, &mut problems);
        }
    }
    problems
}

/// Orders organisations so that a parent comes before its children (the file may list them in any order).
fn parents_first(rows: &[Value]) -> Vec<Value> {
    let ids: HashSet<&Value> = rows.iter().filter_map(|r| r.get("id")).collect();
    let mut placed: HashSet<Value> = HashSet::new();
    let mut ordered = Vec::with_capacity(rows.len());
    let mut rest: Vec<&Value> = rows.iter().collect();
    while !rest.is_empty() {
        let before = rest.len();
        rest.retain(|row| {
            let parent = row.get("parentId").filter(|p| !p.is_null() && ids.contains(p));
            if parent.is_none_or(|p| placed.contains(p)) {
                placed.insert(row["id"].clone());
                ordered.push((*row).clone());
                false
            } else {
                true
            }
        });
        if rest.len() == before {
            // A cycle: the database refuses it, and the import with it.
            ordered.extend(rest.drain(..).cloned());
        }
    }
    ordered
}

/// Replaces the texts of every record the file has texts for.
async fn write_texts(db: &impl ConnectionTrait, owner: TextOwner, rows: &[Value]) -> Result<(), Error> {
    let mut by_owner: BTreeMap<Uuid, Texts> = BTreeMap::new();
    for row in rows {
        let str_of = |key: &str| row[key].as_str().unwrap_or_default();
        let Ok(id) = Uuid::parse_str(str_of("ownerId")) else {
            continue;
        };
        by_owner
            .entry(id)
            .or_default()
            .add(str_of("field"), str_of("lang"), str_of("text"));
    }
    let ids: Vec<Uuid> = by_owner.keys().copied().collect();
    for chunk in ids.chunks(500) {
        let delete = Query::delete()
            .from_table(owner.text_table())
            .and_where(Expr::col(Alias::new("owner_id")).is_in(chunk.iter().copied()))
            .to_owned();
        db.execute(&delete).await?;
    }
    crate::service::search_index::forget(db, owner, &ids).await?;
    let records: Vec<(Uuid, &Texts)> = by_owner.iter().map(|(id, texts)| (*id, texts)).collect();
    text::insert(db, owner, &records).await?;
    Ok(())
}

/// Imports `file`, which [`validate`] found sound, in one transaction; `progress` counts the rows written.
pub async fn import(db: &DatabaseConnection, file: &Value, progress: &ProgressBar) -> Result<u64, Error> {
    let problems = validate(file);
    if let Some(first) = problems.first() {
        return Err(Error::BadInput(format!(
            "{} problems, the first: {first}",
            problems.len()
        )));
    }
    let empty = Vec::new();
    let rows_of = |section: &str, table: &str| file[section].get(table).and_then(Value::as_array).unwrap_or(&empty);
    let total: usize = TABLES.iter().map(|t| rows_of("records", t).len()).sum::<usize>()
        + TextOwner::ALL
            .iter()
            .map(|o| rows_of("texts", o.table()).len())
            .sum::<usize>();
    progress.set_length(total as u64);
    let txn = crate::db::begin_bulk_write(db).await?;
    let before = snapshot::take(&txn).await?;
    for table in TABLES {
        let rows = rows_of("records", table);
        if *table == "organisation" {
            write(&txn, table, &parents_first(rows)).await?;
        } else {
            write(&txn, table, rows).await?;
        }
        progress.inc(rows.len() as u64);
    }
    for owner in TextOwner::ALL {
        let rows = rows_of("texts", owner.table());
        write_texts(&txn, owner, rows).await?;
        progress.inc(rows.len() as u64);
    }
    crate::service::region_count::rebuild(&txn).await?;
    // Into an empty registry the rows after the write are exactly the file's, so its events come from the
    // file, without a second export of everything just written.
    let changes = if before.is_empty() {
        snapshot::created_from(file)
    } else {
        snapshot::changes(&before, &snapshot::take(&txn).await?)
    };
    change_feed::commit(txn, chrono::Utc::now(), &changes).await?;
    let text_tables: Vec<String> = TextOwner::ALL.iter().map(|o| format!("{}_text", o.table())).collect();
    let tables: Vec<&str> = TABLES
        .iter()
        .copied()
        .chain(text_tables.iter().map(String::as_str))
        .collect();
    crate::db::analyze(db, &tables).await?;
    progress.finish();
    Ok(total as u64)
}
