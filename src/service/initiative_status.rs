//! Setting an initiative's status, with a dated status update (skolDigiplan's follow-up fields: status,
//! decision, actor, comment), in one transaction with its audit entry.
//!
//! Allowed transitions: PROPOSED → DECIDED or CANCELLED; DECIDED → ONGOING, SUSPENDED or CANCELLED; ONGOING →
//! COMPLETED, SUSPENDED or CANCELLED; SUSPENDED → ONGOING or CANCELLED; COMPLETED and CANCELLED are final.
//! Keeping the same status is allowed: a follow-up that reports no change.

use chrono::{NaiveDate, Utc};
use sea_orm::ActiveEnum;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::Status;
use crate::entity::{initiative, status_update};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::id::NodeType;
use crate::service::permission::Actor;
use crate::service::text::{self, TextOwner, Texts};

/// A status change as asked for.
#[derive(Clone, Debug)]
pub struct StatusChange {
    /// The initiative.
    pub initiative: Uuid,
    /// The version the client last saw.
    pub expected_version: i32,
    /// The new status.
    pub status: Status,
    /// The day of the follow-up.
    pub reported_on: Option<NaiveDate>,
    /// The organisation acting on the initiative.
    pub actor: Option<Uuid>,
    /// The decision taken and a comment, by language.
    pub texts: Texts,
}

/// Why a status change was not made; each becomes a user error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No initiative has that ID.
    NotFound,
    /// Someone changed the initiative since the client read it.
    Conflict {
        /// The initiative's version now.
        current: i32,
    },
    /// The lifecycle does not allow this step.
    Transition {
        /// The status now.
        from: Status,
    },
}

/// Whether the lifecycle allows going from `from` to `to`.
pub fn allowed(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (Proposed, Decided | Cancelled)
                | (Decided, Ongoing | Suspended | Cancelled)
                | (Ongoing, Completed | Suspended | Cancelled)
                | (Suspended, Ongoing | Cancelled)
        )
}

/// Makes the change, or says why not; the change, its status update and its audit entry are written in
/// one transaction, and the version check is part of the UPDATE, so two concurrent changes cannot both win.
pub async fn set_status(
    db: &DatabaseConnection,
    actor: &Actor,
    change: &StatusChange,
) -> Result<Result<(initiative::Model, status_update::Model), Refusal>, Error> {
    let txn = crate::db::begin_write(db).await?;
    let Some(before) = initiative::Entity::find_by_id(change.initiative).one(&txn).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if before.version != change.expected_version {
        return Ok(Err(Refusal::Conflict {
            current: before.version,
        }));
    }
    if !allowed(before.status, change.status) {
        return Ok(Err(Refusal::Transition { from: before.status }));
    }
    let now = Utc::now();
    let updated = initiative::Entity::update_many()
        .col_expr(initiative::Column::Status, Expr::value(change.status))
        .col_expr(initiative::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            initiative::Column::Version,
            Expr::col(initiative::Column::Version).add(1),
        )
        .filter(initiative::Column::Id.eq(change.initiative))
        .filter(initiative::Column::Version.eq(change.expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        // Another change committed between our read and our write.
        txn.rollback().await?;
        let current = initiative::Entity::find_by_id(change.initiative)
            .one(db)
            .await?
            .map_or(change.expected_version, |i| i.version);
        return Ok(Err(Refusal::Conflict { current }));
    }
    let update = status_update::ActiveModel {
        id: Set(Uuid::new_v4()),
        initiative_id: Set(change.initiative),
        reported_on: Set(change.reported_on.or(Some(now.date_naive()))),
        status: Set(Some(change.status)),
        actor_id: Set(change.actor),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    text::insert(&txn, TextOwner::StatusUpdate, &[(update.id, &change.texts)]).await?;
    crate::service::edit::audit_entry(
        actor,
        now,
        "SET_INITIATIVE_STATUS",
        "Initiative",
        change.initiative,
        json!({
            "status": { "before": before.status.to_value(), "after": change.status.to_value() },
            "version": { "before": before.version, "after": before.version + 1 },
            "statusUpdate": { "before": null, "after": update.id },
        })
        .to_string(),
    )
    .insert(&txn)
    .await?;
    let after = initiative::Entity::find_by_id(change.initiative)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::Internal("the initiative vanished inside its own transaction".into()))?;
    change_feed::commit(
        txn,
        now,
        &[Change::new(Operation::Update, NodeType::Initiative, change.initiative)],
    )
    .await?;
    Ok(Ok((after, update)))
}
