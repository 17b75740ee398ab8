//! Reading a registry file into the database: the whole file is checked first, as a stream
//! ([`super::stage`]), and every problem reported with its JSON path; then everything is written in one
//! transaction, parents first, records inserted or updated by their stable IDs, so importing the same file
//! twice changes nothing. Rows are written in batches as they are read back, so memory does not grow with
//! the file.

use std::collections::HashSet;

use indicatif::ProgressBar;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;
use uuid::Uuid;

use super::indexes;
use super::stage::{Section, Staged, stage};
use super::tables::{TABLES, write};
use crate::error::Error;
use crate::service::change_feed::{self, record_type_of_table, snapshot};
use crate::service::language::is_language_tag;
use crate::service::search_index;
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

pub(super) fn problem(path: impl Into<String>, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        path: path.into(),
        message: message.into(),
    }
}

/// The longest text the file may hold, as in the API.
const MAX_TEXT: usize = 10_000;

/// Checks one text row.
pub(super) fn check_text(path: &str, row: &Value, problems: &mut Vec<ImportProblem>) {
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
    match serde_json::to_vec(file)
        .map_err(|e| Error::Internal(e.to_string()))
        .and_then(|bytes| stage(&bytes[..]))
    {
        Ok(staged) => staged.problems,
        Err(error) => vec![problem("$", error.to_string())],
    }
}

/// Orders organisations so that a parent comes before its children (the file may list them in any order).
fn parents_first(rows: Vec<Value>) -> Vec<Value> {
    let ids: HashSet<Value> = rows.iter().filter_map(|r| r.get("id").cloned()).collect();
    let mut placed: HashSet<Value> = HashSet::new();
    let mut ordered = Vec::with_capacity(rows.len());
    let mut rest = rows;
    while !rest.is_empty() {
        let before = rest.len();
        let mut waiting = Vec::new();
        for row in rest {
            let parent = row.get("parentId").filter(|p| !p.is_null() && ids.contains(*p));
            if parent.is_none_or(|p| placed.contains(p)) {
                placed.insert(row["id"].clone());
                ordered.push(row);
            } else {
                waiting.push(row);
            }
        }
        if waiting.len() == before {
            // A cycle: the database refuses it, and the import with it.
            ordered.extend(waiting);
            break;
        }
        rest = waiting;
    }
    ordered
}

/// Rows written per batch.
const BATCH: usize = 2000;

/// Writes the texts of one record type, batch by batch, and indexes each record for search as soon as all
/// its texts are in. A file lists a record's texts together (an export orders them by owner), so the record
/// whose texts end a batch is held back until the next batch shows whether more of them follow. The first
/// time a record appears, the texts it has in the registry and their index rows are replaced (in an empty
/// registry there is nothing to replace). Returns the records whose texts the file lists apart, to be
/// indexed again from all of them once everything is written.
async fn write_texts(
    db: &impl ConnectionTrait,
    staged: &Staged,
    owner: TextOwner,
    fresh: bool,
    progress: &ProgressBar,
) -> Result<Vec<Uuid>, Error> {
    let mut texts = OwnerTexts {
        owner,
        fresh,
        written: HashSet::new(),
        apart: Vec::new(),
    };
    let mut held: Option<(Uuid, Texts)> = None;
    for batch in staged.batches(Section::Texts, owner.table(), BATCH)? {
        let batch = batch?;
        let mut group: Vec<(Uuid, Texts)> = held.take().into_iter().collect();
        for row in &batch {
            let str_of = |key: &str| row[key].as_str().unwrap_or_default();
            let Ok(id) = Uuid::parse_str(str_of("ownerId")) else {
                continue;
            };
            match group.last_mut() {
                Some((last, record)) if *last == id => record.add(str_of("field"), str_of("lang"), str_of("text")),
                _ => {
                    let mut record = Texts::default();
                    record.add(str_of("field"), str_of("lang"), str_of("text"));
                    group.push((id, record));
                }
            }
        }
        held = group.pop();
        texts.write(db, &group).await?;
        progress.inc(batch.len() as u64);
    }
    texts.write(db, &held.into_iter().collect::<Vec<_>>()).await?;
    texts.apart.sort_unstable();
    texts.apart.dedup();
    Ok(texts.apart)
}

/// What [`write_texts`] keeps while it writes the texts of one record type.
struct OwnerTexts {
    owner: TextOwner,
    /// Whether the registry was empty before the import.
    fresh: bool,
    /// The records whose texts have been written.
    written: HashSet<Uuid>,
    /// The records whose texts came apart in the file, to index again at the end.
    apart: Vec<Uuid>,
}

impl OwnerTexts {
    /// Writes the texts of these records: a record seen for the first time replaces its texts and is
    /// indexed; one seen before (its texts came apart in the file) adds to them.
    async fn write(&mut self, db: &impl ConnectionTrait, group: &[(Uuid, Texts)]) -> Result<(), Error> {
        let mut first: Vec<(Uuid, &Texts)> = Vec::new();
        let mut again: Vec<(Uuid, &Texts)> = Vec::new();
        for (id, record) in group {
            if self.written.insert(*id) {
                first.push((*id, record));
            } else {
                again.push((*id, record));
                self.apart.push(*id);
            }
        }
        if !self.fresh {
            let ids: Vec<Uuid> = first.iter().map(|(id, _)| *id).collect();
            for chunk in ids.chunks(500) {
                let delete = Query::delete()
                    .from_table(self.owner.text_table())
                    .and_where(Expr::col(Alias::new("owner_id")).is_in(chunk.iter().copied()))
                    .to_owned();
                db.execute(&delete).await?;
            }
            search_index::forget(db, self.owner, &ids).await?;
        }
        text::insert(db, self.owner, &first).await?;
        text::insert_unindexed(db, self.owner, &again).await?;
        Ok(())
    }
}

/// Imports `file`, checking it first; refused whole when it has a problem.
pub async fn import(db: &DatabaseConnection, file: &Value, progress: &ProgressBar) -> Result<u64, Error> {
    let bytes = serde_json::to_vec(file).map_err(|e| Error::Internal(e.to_string()))?;
    let staged = stage(&bytes[..])?;
    import_staged(db, &staged, progress).await
}

/// Imports a file [`stage`] read, in one transaction; refused whole when it has a problem. `progress`
/// counts the rows written.
pub async fn import_staged(db: &DatabaseConnection, staged: &Staged, progress: &ProgressBar) -> Result<u64, Error> {
    if let Some(first) = staged.problems.first() {
        return Err(Error::BadInput(format!(
            "{} problems, the first: {first}",
            staged.problem_count
        )));
    }
    let total = staged.total();
    progress.set_length(total);
    let txn = crate::db::begin_bulk_write(db).await?;
    let before = snapshot::take(&txn).await?;
    // Into an empty registry every record is new: its CREATE event is written with its batch. Otherwise
    // the events come from comparing the registry before and after.
    let fresh = before.is_empty();
    let set_aside = if fresh {
        Some(indexes::set_aside(&txn).await?)
    } else {
        None
    };
    let at = chrono::Utc::now();
    for table in TABLES {
        let record_type = record_type_of_table(table).filter(|_| fresh);
        if *table == "organisation" {
            let mut rows = Vec::new();
            for batch in staged.batches(Section::Records, table, BATCH)? {
                rows.extend(batch?);
            }
            for batch in parents_first(rows).chunks(BATCH) {
                write(&txn, table, batch).await?;
                record_created(&txn, record_type, batch, at).await?;
                progress.inc(batch.len() as u64);
            }
            continue;
        }
        for batch in staged.batches(Section::Records, table, BATCH)? {
            let batch = batch?;
            write(&txn, table, &batch).await?;
            record_created(&txn, record_type, &batch, at).await?;
            progress.inc(batch.len() as u64);
        }
    }
    let mut apart = Vec::new();
    for owner in TextOwner::ALL {
        apart.push((owner, write_texts(&txn, staged, owner, fresh, progress).await?));
    }
    if let Some(indexes) = set_aside {
        indexes.build(&txn).await?;
    }
    for (owner, ids) in apart {
        search_index::refresh_many(&txn, owner, &ids).await?;
    }
    crate::service::region_count::rebuild(&txn).await?;
    crate::service::facet_count::rebuild(&txn).await?;
    if fresh {
        txn.commit().await?;
    } else {
        let changes = snapshot::changes(&before, &snapshot::take(&txn).await?);
        change_feed::commit(txn, at, &changes).await?;
    }
    let text_tables: Vec<String> = TextOwner::ALL.iter().map(|o| format!("{}_text", o.table())).collect();
    let tables: Vec<&str> = TABLES
        .iter()
        .copied()
        .chain(text_tables.iter().map(String::as_str))
        .chain([
            "search_term",
            "initiative_participant",
            "initiative_region",
            "activity_region",
            "initiative_facet",
            "facet_count",
            "change_event",
        ])
        .collect();
    crate::db::analyze(db, &tables).await?;
    progress.finish();
    Ok(total)
}

/// The CREATE events of records just written, when their table holds records of the feed.
async fn record_created(
    db: &impl ConnectionTrait,
    record_type: Option<crate::service::id::NodeType>,
    rows: &[Value],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    let Some(record_type) = record_type else { return Ok(()) };
    let ids: Vec<Uuid> = rows
        .iter()
        .filter_map(|row| row["id"].as_str().and_then(|id| Uuid::parse_str(id).ok()))
        .collect();
    for chunk in ids.chunks(crate::db::ROWS_PER_STATEMENT) {
        change_feed::record_created(db, record_type, chunk, Some(at)).await?;
    }
    Ok(())
}
