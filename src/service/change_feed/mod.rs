//! The change feed: every committed change to a record gets an event with a position, written in the
//! change's own transaction. Positions are handed out by the one-row `change_head`, raised just before the
//! commit; its row lock is held until the commit, so writers commit in position order and a reader that
//! sees position n sees every position below it. That is what lets a client resume from the last position
//! it saw and get every later change exactly once.

mod follow;
pub mod head;
mod read;
mod scope;
pub use scope::record_type_of_table;
pub mod snapshot;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, InsertStatement, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Statement};
use uuid::Uuid;

use crate::service::id::NodeType;

pub use follow::{Stop, follow};
pub use head::FeedHead;
pub use read::{Filter, PositionWindow, count_query, decode_cursor, page, read};

/// The PostgreSQL channel on which every commit announces the feed's new head.
pub const CHANNEL: &str = "kartla_changes";

/// What a change did to its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum)]
pub enum Operation {
    /// The record was created.
    Create,
    /// The record was changed (fields, texts, links, status, sources or contacts).
    Update,
    /// The record was archived: it left lists but keeps its ID.
    Archive,
    /// The record was brought back from the archive.
    Restore,
    /// The record was removed; the event is a tombstone.
    Delete,
}

impl Operation {
    /// The value stored in `change_event.operation`.
    pub fn code(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Archive => "ARCHIVE",
            Operation::Restore => "RESTORE",
            Operation::Delete => "DELETE",
        }
    }

    /// The operation of a change to a record's own fields, from its audit operation (`CREATE_GOAL`,
    /// `ARCHIVE_ACTIVITY`, `UPDATE_THEME`).
    pub fn from_audit(operation: &str) -> Self {
        match operation.split('_').next() {
            Some("CREATE") => Operation::Create,
            Some("ARCHIVE") => Operation::Archive,
            Some("RESTORE") => Operation::Restore,
            _ => Operation::Update,
        }
    }

    /// The operation stored as `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Operation::Create,
            Operation::Update,
            Operation::Archive,
            Operation::Restore,
            Operation::Delete,
        ]
        .into_iter()
        .find(|o| o.code() == code)
    }
}

/// One change to one record, to be written to the feed when its transaction commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// What was done.
    pub operation: Operation,
    /// The record's type.
    pub record_type: NodeType,
    /// The record.
    pub id: Uuid,
}

impl Change {
    /// A change of `operation` to record `id` of `record_type`.
    pub fn new(operation: Operation, record_type: NodeType, id: Uuid) -> Self {
        Change {
            operation,
            record_type,
            id,
        }
    }
}

/// Writes the events of `changes` and commits `txn`. Call it instead of `txn.commit()` in every
/// transaction that changes records, after the last write: the head's lock is taken here, so it is held
/// only for the commit itself.
pub async fn commit(txn: DatabaseTransaction, at: DateTime<Utc>, changes: &[Change]) -> Result<(), DbErr> {
    let initiatives = initiatives_of(&txn, changes).await?;
    crate::service::facet_count::refresh(&txn, &initiatives).await?;
    record(&txn, at, changes).await?;
    txn.commit().await
}

/// The initiatives whose statistics `changes` can move: a changed initiative, the initiative of a changed
/// role on it, the initiative of a changed participation's activity, and the initiatives serving a changed
/// goal (its focus area may have changed). An activity's own fields count in no facet (it never moves to
/// another initiative), nor does a role on an activity. An organisation's kind or county is refreshed where
/// it changes ([`crate::service::facet_count::refresh_organisation`]), not on every rename.
async fn initiatives_of(db: &impl ConnectionTrait, changes: &[Change]) -> Result<Vec<Uuid>, DbErr> {
    let mut found = Vec::new();
    for record_type in [
        NodeType::Initiative,
        NodeType::Responsibility,
        NodeType::Participation,
        NodeType::Goal,
    ] {
        let ids: Vec<Uuid> = changes
            .iter()
            .filter(|c| c.record_type == record_type)
            .map(|c| c.id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        if record_type == NodeType::Initiative {
            found.extend(ids);
            continue;
        }
        for chunk in ids.chunks(500) {
            let (initiative, table, key) = match record_type {
                NodeType::Goal => (Expr::col(Alias::new("initiative_id")), "initiative_goal", "goal_id"),
                NodeType::Responsibility => (Expr::col(Alias::new("initiative_id")), "responsibility", "id"),
                _ => (
                    Expr::cust(scope::of(record_type).initiative),
                    scope::of(record_type).table,
                    "id",
                ),
            };
            let select = Query::select()
                .expr_as(initiative, Alias::new("i"))
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new(key)).is_in(chunk.iter().copied()))
                .to_owned();
            for row in db.query_all(&select).await? {
                if let Some(id) = row.try_get::<Option<Uuid>>("", "i")? {
                    found.push(id);
                }
            }
        }
    }
    Ok(found)
}

/// Writes the events of `changes` in the transaction `db` (which must commit soon after: it now holds the
/// head's lock). A deletion must be recorded before the record is deleted, so its event can read the
/// record's last version and scope.
pub async fn record(db: &impl ConnectionTrait, at: DateTime<Utc>, changes: &[Change]) -> Result<(), DbErr> {
    if changes.is_empty() {
        return Ok(());
    }
    let last = advance(db, changes.len() as i64).await?;
    let first = last - changes.len() as i64 + 1;
    for (position, change) in (first..).zip(changes) {
        let scope = scope::of(change.record_type);
        let select = Query::select()
            .expr(Expr::val(position))
            .expr(Expr::val(at))
            .expr(Expr::val(change.operation.code()))
            .expr(Expr::val(change.record_type.name()))
            .column(Alias::new("id"))
            .column(Alias::new("version"))
            .expr(Expr::cust(scope.initiative))
            .expr(Expr::cust(scope.organisation))
            .from(Alias::new(scope.table))
            .and_where(Expr::col(Alias::new("id")).eq(change.id))
            .to_owned();
        let written = db.execute(&insert_events(select)?).await?;
        if written.rows_affected() != 1 {
            return Err(DbErr::RecordNotFound(format!(
                "no {} {} to record a change of",
                change.record_type.name(),
                change.id
            )));
        }
    }
    notify(db, last).await
}

/// `INSERT INTO change_event (...) SELECT ...`, the select giving the event's columns in order.
fn insert_events(select: SelectStatement) -> Result<InsertStatement, DbErr> {
    Ok(Query::insert()
        .into_table(Alias::new("change_event"))
        .columns(
            [
                "position",
                "at",
                "operation",
                "record_type",
                "record_id",
                "version",
                "initiative_id",
                "organisation_id",
            ]
            .map(Alias::new),
        )
        .select_from(select)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned())
}

/// On PostgreSQL, tells every listening instance of the new head `last`: delivered when (and only if)
/// the transaction commits.
async fn notify(db: &impl ConnectionTrait, last: i64) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        let notify = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), last.to_string().into()],
        );
        db.query_one_raw(notify).await?;
    }
    Ok(())
}

/// Writes CREATE events for records of one type that were just inserted in bulk (the synthetic data, an
/// import into an empty registry), in one statement: the records take the next positions in the order of
/// their IDs. The events are dated `at`, or with each record's `created_at` when `None`.
pub async fn record_created(
    db: &impl ConnectionTrait,
    record_type: NodeType,
    ids: &[Uuid],
    at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let n = ids.len() as i64;
    let before = advance(db, n).await? - n;
    let scope = scope::of(record_type);
    let select = Query::select()
        .expr(Expr::cust(format!("{before} + ROW_NUMBER() OVER (ORDER BY id)")))
        .expr(at.map_or_else(|| Expr::col(Alias::new("created_at")), Expr::val))
        .expr(Expr::val(Operation::Create.code()))
        .expr(Expr::val(record_type.name()))
        .column(Alias::new("id"))
        .column(Alias::new("version"))
        .expr(Expr::cust(scope.initiative))
        .expr(Expr::cust(scope.organisation))
        .from(Alias::new(scope.table))
        .and_where(Expr::col(Alias::new("id")).is_in(ids.iter().copied()))
        .to_owned();
    let written = db.execute(&insert_events(select)?).await?.rows_affected();
    if written != ids.len() as u64 {
        return Err(DbErr::RecordNotFound(format!(
            "{written} of {} {} records found to record the creation of",
            ids.len(),
            record_type.name()
        )));
    }
    notify(db, before + n).await
}

/// Raises the head by `n` and returns the new head, the last of the `n` positions taken. The row stays
/// locked until the transaction ends.
async fn advance(db: &impl ConnectionTrait, n: i64) -> Result<i64, DbErr> {
    let position = || Expr::col(Alias::new("position"));
    let raise = Query::update()
        .table(Alias::new("change_head"))
        .value(Alias::new("position"), position().add(n))
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    db.execute(&raise).await?;
    head_position(db).await
}

/// The position of the last committed event (0 for an empty feed).
pub async fn head_position(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let read = Query::select()
        .column(Alias::new("position"))
        .from(Alias::new("change_head"))
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    let row = db
        .query_one(&read)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the change_head row is missing".into()))?;
    row.try_get("", "position")
}
