//! The events of a bulk write (seeding, importing): the registry file taken before and after the write, in
//! its transaction, compared record by record. A row that is not a record itself (a text, an identifier, a
//! link, a question) changes the record it belongs to.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value;
use uuid::Uuid;

use super::scope::record_type_of_table;
use super::{Change, Operation};
use crate::service::id::NodeType;
use crate::service::registry_file::{Personal, export};

/// The registry as its file, to compare with a later one.
pub struct Snapshot(Value);

/// Takes a snapshot of the registry in `db`.
pub async fn take(db: &impl ConnectionTrait) -> Result<Snapshot, DbErr> {
    Ok(Snapshot(export(db, Personal::Included).await?))
}

/// The tables a row of `table` belongs to, through which of its fields: the first field that is set wins.
fn parents(table: &str) -> &'static [(&'static str, &'static str)] {
    match table {
        "organisation_identifier" => &[("organisationId", "organisation")],
        "strategy_owner" => &[("strategyId", "strategy")],
        "action_plan_owner" => &[("actionPlanId", "action_plan")],
        "initiative_goal" | "initiative_theme" | "initiative_school_level" | "status_update" => {
            &[("initiativeId", "initiative")]
        }
        "consultation_event" | "consultation_question" | "submission" => &[("consultationId", "consultation")],
        "event_target_group" => &[("eventId", "consultation_event")],
        "source_link" | "contact" => &[
            ("organisationId", "organisation"),
            ("strategyId", "strategy"),
            ("actionPlanId", "action_plan"),
            ("initiativeId", "initiative"),
            ("activityId", "activity"),
            ("consultationId", "consultation"),
        ],
        _ => &[],
    }
}

/// The rows of one snapshot by table and key.
struct Index<'a>(HashMap<String, BTreeMap<String, &'a Value>>);

impl<'a> Index<'a> {
    /// The rows of `file`, a registry file (a snapshot's or one being imported).
    fn of(file: &'a Value) -> Self {
        let mut tables = HashMap::new();
        for (section, suffix) in [("records", ""), ("texts", "_text")] {
            for (table, rows) in file[section].as_object().into_iter().flatten() {
                let rows = rows.as_array().map(Vec::as_slice).unwrap_or_default();
                let keyed = rows.iter().map(|row| (key(row), row)).collect();
                tables.insert(format!("{table}{suffix}"), keyed);
            }
        }
        Index(tables)
    }

    fn row(&self, table: &str, id: &str) -> Option<&'a Value> {
        self.0.get(table)?.get(id).copied()
    }
}

/// A row's key: its ID, or for a row without one (a link, a text) the whole row.
fn key(row: &Value) -> String {
    match row.get("id").and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => row.to_string(),
    }
}

fn uuid_of(value: &Value) -> Option<Uuid> {
    value.as_str().and_then(|s| Uuid::parse_str(s).ok())
}

/// The records a changed row of `table` belongs to, looked up in either snapshot.
fn owners(table: &str, row: &Value, snapshots: [&Index; 2], found: &mut Vec<(NodeType, Uuid)>) {
    if let Some(record_type) = record_type_of_table(table) {
        found.extend(uuid_of(&row["id"]).map(|id| (record_type, id)));
        return;
    }
    if let Some(owner) = table.strip_suffix("_text") {
        let id = row["ownerId"].as_str().unwrap_or_default();
        for snapshot in snapshots {
            if let Some(owner_row) = snapshot.row(owner, id) {
                owners(owner, owner_row, snapshots, found);
                return;
            }
        }
        return;
    }
    if table == "source" {
        // A source belongs to every record that links to it.
        for snapshot in snapshots {
            for link in snapshot.0.get("source_link").into_iter().flat_map(BTreeMap::values) {
                if link["sourceId"] == row["id"] {
                    owners("source_link", link, snapshots, found);
                }
            }
        }
        return;
    }
    let parent = parents(table)
        .iter()
        .find_map(|(field, parent)| row[*field].as_str().map(|id| (*parent, id)));
    if let Some((parent, id)) = parent {
        for snapshot in snapshots {
            if let Some(parent_row) = snapshot.row(parent, id) {
                owners(parent, parent_row, snapshots, found);
                return;
            }
        }
    }
}

/// The changes from `before` to `after`: records created, then records changed (an archive or a restore
/// where that is what changed). Bulk writes only insert and update, so no record disappears.
pub fn changes(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    diff(Index::of(&before.0), Index::of(&after.0))
}

impl Snapshot {
    /// Whether the registry held nothing at all.
    pub fn is_empty(&self) -> bool {
        ["records", "texts"].iter().all(|section| {
            self.0[*section]
                .as_object()
                .is_none_or(|tables| tables.values().all(|rows| rows.as_array().is_none_or(Vec::is_empty)))
        })
    }
}

/// The changes of writing registry file `file` into an empty registry: what [`changes`] would find between
/// the empty registry and a snapshot taken after the write, which holds exactly the file's rows. An import
/// into a new database uses it instead of exporting everything it has just written a second time.
pub fn created_from(file: &Value) -> Vec<Change> {
    diff(Index(HashMap::new()), Index::of(file))
}

/// The changes from the rows of `old` to those of `new`.
fn diff(old: Index<'_>, new: Index<'_>) -> Vec<Change> {
    let mut created = Vec::new();
    let mut changed: Vec<(NodeType, Uuid, Operation)> = Vec::new();
    let mut tables: Vec<&String> = new.0.keys().chain(old.0.keys()).collect();
    tables.sort_by_key(|t| table_order(t));
    tables.dedup();
    let empty = BTreeMap::new();
    for table in tables {
        let (was, is) = (old.0.get(table).unwrap_or(&empty), new.0.get(table).unwrap_or(&empty));
        let keys: HashSet<&String> = was.keys().chain(is.keys()).collect();
        let mut keys: Vec<&String> = keys.into_iter().collect();
        keys.sort();
        for key in keys {
            let (before_row, after_row) = (was.get(key), is.get(key));
            if before_row == after_row {
                continue;
            }
            let record_type = record_type_of_table(table);
            match (record_type, before_row, after_row) {
                (Some(record_type), None, Some(row)) => {
                    created.extend(uuid_of(&row["id"]).map(|id| Change::new(Operation::Create, record_type, id)));
                }
                (Some(record_type), Some(was), Some(is)) => {
                    let archived = |row: &Value| !row["archivedAt"].is_null();
                    let operation = match (archived(was), archived(is)) {
                        (false, true) => Operation::Archive,
                        (true, false) => Operation::Restore,
                        _ => Operation::Update,
                    };
                    changed.extend(uuid_of(&is["id"]).map(|id| (record_type, id, operation)));
                }
                _ => {
                    let mut found = Vec::new();
                    for row in before_row.iter().chain(after_row.iter()) {
                        owners(table, row, [&new, &old], &mut found);
                    }
                    changed.extend(found.into_iter().map(|(t, id)| (t, id, Operation::Update)));
                }
            }
        }
    }
    let mut seen: HashSet<(NodeType, Uuid)> = created.iter().map(|c| (c.record_type, c.id)).collect();
    for (record_type, id, operation) in changed {
        if seen.insert((record_type, id)) {
            created.push(Change::new(operation, record_type, id));
        }
    }
    created
}

/// Tables in the registry file's order (parents first), texts after all records.
fn table_order(table: &str) -> (usize, usize) {
    let tables = crate::service::registry_file::TABLES;
    match table.strip_suffix("_text") {
        Some(owner) => (1, tables.iter().position(|t| *t == owner).unwrap_or(usize::MAX)),
        None => (0, tables.iter().position(|t| *t == table).unwrap_or(usize::MAX)),
    }
}
