//! What every change shares: problems with the input (each becomes a user error with its field path), the
//! version check that stops lost updates, and the audit entry written in the change's own transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::entity::audit_entry;
use crate::service::permission::Actor;
use crate::service::text::{self, Localized, TextOwner};

/// One thing wrong with a change's input; nothing is written while there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The path of the input field at fault, from `input`.
    pub field: Vec<String>,
    /// A stable code: BAD_ID, NOT_FOUND, CONFLICT, INVALID_TRANSITION, INVALID, TAKEN.
    pub code: &'static str,
    /// What is wrong and what to change.
    pub message: String,
    /// With CONFLICT: the record's version now.
    pub current_version: Option<i32>,
}

impl Problem {
    /// A problem with the input field at `field` (under `input`).
    pub fn new(field: &[&str], code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            field: std::iter::once("input")
                .chain(field.iter().copied())
                .map(str::to_owned)
                .collect(),
            code,
            message: message.into(),
            current_version: None,
        }
    }

    /// `expectedVersion` is stale: the record is at `current`.
    pub fn conflict(what: &str, current: i32) -> Self {
        Problem {
            current_version: Some(current),
            ..Problem::new(
                &["expectedVersion"],
                "CONFLICT",
                format!("the {what} changed since you read it: it is at version {current}"),
            )
        }
    }
}

/// The answer of a change: the changed record, or the problems that stopped it. The outer error is a
/// failure of the database or a refusal to the actor (FORBIDDEN).
pub type Outcome<T> = Result<Result<T, Vec<Problem>>, crate::error::Error>;

/// The fields a change touched, each with its value before and after; only fields whose value differs are
/// kept.
#[derive(Debug, Default)]
pub struct Changes(Map<String, Value>);

impl Changes {
    /// Notes `field` going from `before` to `after`, when they differ.
    pub fn field(&mut self, field: &str, before: impl Into<Value>, after: impl Into<Value>) -> &mut Self {
        let (before, after) = (before.into(), after.into());
        if before != after {
            self.0
                .insert(field.to_owned(), json!({ "before": before, "after": after }));
        }
        self
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The audit entry of a change to `record` (of the GraphQL type `record_type`) by `actor`, not yet written:
/// `changes` is the JSON object of the changed fields, each `{"before": ..., "after": ...}`.
pub fn audit_entry(
    actor: &Actor,
    at: DateTime<Utc>,
    operation: &str,
    record_type: &str,
    record: Uuid,
    changes: String,
) -> audit_entry::ActiveModel {
    audit_entry::ActiveModel {
        // Time-ordered, so a record's history in ID order is its history in time order.
        id: Set(Uuid::now_v7()),
        at: Set(at),
        token_name: Set(actor.token_name.clone()),
        organisation_id: Set(actor.organisation),
        operation: Set(operation.to_owned()),
        record_type: Set(record_type.to_owned()),
        record_id: Set(record),
        changes: Set(changes),
        issuer: Set(actor.issued_by.as_ref().map(|by| by.issuer.clone())),
        subject: Set(actor.issued_by.as_ref().map(|by| by.subject.clone())),
    }
}

/// Writes the audit entry of a change to `record` (of the GraphQL type `record_type`).
pub async fn audit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    operation: &str,
    record_type: &str,
    record: Uuid,
    changes: Changes,
) -> Result<(), DbErr> {
    audit_entry(
        actor,
        at,
        operation,
        record_type,
        record,
        Value::Object(changes.0).to_string(),
    )
    .insert(db)
    .await?;
    Ok(())
}

/// Writes the columns set in `changes` to record `id` of `E`, raises its version and `updated_at`, but only
/// if its version is still `expected`: the check is part of the UPDATE, so of two concurrent changes from
/// one version exactly one wins. Whether it was written.
pub async fn write_versioned<E, A>(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected: i32,
    changes: A,
    at: DateTime<Utc>,
) -> Result<bool, DbErr>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E>,
{
    let version = || Expr::col(Alias::new("version"));
    let written = E::update_many()
        .set(changes)
        .col_expr(Alias::new("updated_at"), Expr::value(at))
        .col_expr(Alias::new("version"), version().add(1))
        .filter(Expr::col(Alias::new("id")).eq(id))
        .filter(version().eq(expected))
        .exec(db)
        .await?;
    Ok(written.rows_affected == 1)
}

/// A problem at `field` when the end is before the start.
pub fn check_period(problems: &mut Vec<Problem>, field: &str, start: Option<NaiveDate>, end: Option<NaiveDate>) {
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        problems.push(Problem::new(
            &[field],
            "INVALID",
            format!("the end {end} is before the start {start}"),
        ));
    }
}

/// Sorted and without repeats, so the same set is always written and compared the same way.
pub fn dedup<T: Ord>(items: Vec<T>) -> Vec<T> {
    items
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A problem per ID in `ids` that `E` has no record of.
pub async fn check_exist<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    ids: &[Uuid],
    field: &str,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Result<(), DbErr>
where
    E::Model: Sync,
{
    use sea_orm::QuerySelect;
    let found: Vec<Uuid> = E::find()
        .select_only()
        .column(column)
        .filter(column.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    for (k, id) in ids.iter().enumerate() {
        if !found.contains(id) {
            problems.push(Problem::new(
                &[field, &k.to_string()],
                "NOT_FOUND",
                format!("no {what} has this ID"),
            ));
        }
    }
    Ok(())
}

/// Replaces the translations of each field given (`None`: left as it is), and notes the changes.
pub async fn write_texts(
    db: &impl ConnectionTrait,
    owner: TextOwner,
    id: Uuid,
    given: &[(&str, Option<&Vec<Localized>>)],
    changes: &mut Changes,
) -> Result<(), DbErr> {
    if given.iter().all(|(_, texts)| texts.is_none()) {
        return Ok(());
    }
    let before = text::load(db, owner, &[id]).await?.remove(&id).unwrap_or_default();
    for (field, texts) in given {
        if let Some(texts) = texts {
            let mut sorted = (*texts).clone();
            sorted.sort_by(|a, b| a.lang.cmp(&b.lang));
            changes.field(field, text::to_json(before.field(field)), text::to_json(&sorted));
            text::replace(db, owner, id, field, texts).await?;
        }
    }
    Ok(())
}

/// Refuses everyone but an ADMIN.
pub fn require_admin(actor: &Actor, what: &str) -> Result<(), crate::error::Error> {
    if actor.role == crate::entity::enums::AccessRole::Admin {
        return Ok(());
    }
    Err(crate::error::Error::Forbidden(format!("only an ADMIN may {what}")))
}

/// A problem at `field` when `url` is not an http(s) URL of at most 2,000 characters.
pub fn check_url(field: &str, url: Option<&str>, problems: &mut Vec<Problem>) {
    let Some(url) = url else {
        return;
    };
    let parsed = url::Url::parse(url);
    let web = parsed.is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !web || url.len() > 2_000 {
        problems.push(Problem::new(
            &[field],
            "INVALID",
            "give an http or https URL of at most 2000 characters",
        ));
    }
}

/// A NOT_FOUND problem at `field` when `id` is given and `E` has no record of it.
pub async fn check_one<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    id: Option<Uuid>,
    field: &str,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Result<(), DbErr>
where
    E::Model: Sync,
{
    let Some(id) = id else {
        return Ok(());
    };
    let mut found = Vec::new();
    check_exist::<E>(db, column, &[id], field, what, &mut found).await?;
    problems.extend(found.into_iter().map(|mut p| {
        // One ID, so no index in the path.
        p.field.truncate(2);
        p
    }));
    Ok(())
}

/// Sets a date column when the change gives it (`Some(None)` clears it), noting the change.
pub fn set_day(
    changes: &mut Changes,
    field: &str,
    given: Option<Option<NaiveDate>>,
    was: Option<NaiveDate>,
    column: &mut sea_orm::ActiveValue<Option<NaiveDate>>,
) {
    if let Some(day) = given {
        changes.field(field, was.map(|d| d.to_string()), day.map(|d| d.to_string()));
        *column = Set(day);
    }
}
