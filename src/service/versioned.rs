//! The one path of a change to a record that exists: read it (NOT_FOUND), the caller's permission check
//! (FORBIDDEN), the version the client read (CONFLICT), then [`commit`]: the UPDATE with the version check
//! inside it, the audit entry, the change event and the commit, in one transaction. Every CONFLICT reports
//! the version stored now, read again after a lost race, never a guess.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, PrimaryKeyTrait,
    QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem};
use crate::service::id::NodeType;
use crate::service::permission::Actor;

/// The record a change is about, and who makes it.
#[derive(Clone, Copy)]
pub struct Write<'a> {
    /// Who makes the change (for the audit entry).
    pub actor: &'a Actor,
    /// The audit operation, such as `UPDATE_ACTIVITY`.
    pub operation: &'a str,
    /// The record's type.
    pub node_type: NodeType,
    /// The record.
    pub id: Uuid,
    /// The version it was read at (and the client expects).
    pub version: i32,
    /// When the change is made.
    pub now: DateTime<Utc>,
}

/// What a record of `node_type` is called in messages: "focus area", "activity".
pub fn what(node_type: NodeType) -> String {
    let mut words = String::new();
    for (i, c) in node_type.name().char_indices() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}

/// CONFLICT unless the record read at `read` is at the `expected` version.
pub fn check_version(node_type: NodeType, read: i32, expected: i32) -> Result<(), Vec<Problem>> {
    if read == expected {
        return Ok(());
    }
    Err(vec![Problem::conflict(&what(node_type), read)])
}

/// The version record `id` of `E` is stored at now, if it exists.
pub async fn stored_version<E: EntityTrait>(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<i32>, DbErr> {
    E::find()
        .select_only()
        .column_as(Expr::col(Alias::new("version")), "version")
        .filter(Expr::col(Alias::new("id")).eq(id))
        .into_tuple::<i32>()
        .one(db)
        .await
}

/// A lost race: the transaction is rolled back and the CONFLICT names the version stored now.
pub async fn lost_race<E: EntityTrait>(
    txn: DatabaseTransaction,
    db: &DatabaseConnection,
    node_type: NodeType,
    id: Uuid,
    read: i32,
) -> Result<Vec<Problem>, Error> {
    txn.rollback().await?;
    let current = stored_version::<E>(db, id).await?.unwrap_or(read);
    Ok(vec![Problem::conflict(&what(node_type), current)])
}

/// Writes the columns set in `model` to the record at `write.version` (raising it), the audit entry with
/// `changes` and the version, the change event (and `also`'s), and commits. A lost race is a CONFLICT with
/// the version stored now. Answers the record as written.
pub async fn commit<E, A>(
    txn: DatabaseTransaction,
    db: &DatabaseConnection,
    write: Write<'_>,
    model: A,
    mut changes: Changes,
    also: &[Change],
) -> Outcome<E::Model>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E>,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    if !edit::write_versioned(&txn, write.id, write.version, model, write.now).await? {
        return Ok(Err(
            lost_race::<E>(txn, db, write.node_type, write.id, write.version).await?
        ));
    }
    changes.field("version", write.version, write.version + 1);
    edit::audit(
        &txn,
        write.actor,
        write.now,
        write.operation,
        write.node_type.name(),
        write.id,
        changes,
    )
    .await?;
    let after = E::find_by_id(write.id).one(&txn).await?.ok_or_else(|| {
        Error::Internal(format!(
            "the {} vanished inside its own transaction",
            what(write.node_type)
        ))
    })?;
    let mut feed = vec![Change::new(
        Operation::from_audit(write.operation),
        write.node_type,
        write.id,
    )];
    feed.extend_from_slice(also);
    change_feed::commit(txn, write.now, &feed).await?;
    Ok(Ok(after))
}
