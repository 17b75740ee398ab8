//! Accepting or declining a role an organisation was proposed for, in one transaction with its audit entry.
//! Only a PROPOSED responsibility can be decided; ACCEPTED and DECLINED are final.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveEnum, ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::entity::enums::{AccessRole, DecisionState};
use crate::entity::responsibility;
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::id::NodeType;
use crate::service::permission::Actor;

/// Why a decision was not recorded; each becomes a user error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No responsibility has that ID.
    NotFound,
    /// Someone changed it since the client read it.
    Conflict {
        /// Its version now.
        current: i32,
    },
    /// It was decided already.
    Decided {
        /// The decision it has.
        decision: DecisionState,
    },
}

/// Whether `actor` may decide on a role held by `organisation`: an ADMIN, or an EDITOR acting for it.
pub fn may_decide(actor: &Actor, organisation: Uuid) -> bool {
    actor.role == AccessRole::Admin || (actor.role == AccessRole::Editor && actor.organisation == Some(organisation))
}

/// Records `decision` (ACCEPTED or DECLINED) on the responsibility `id` at `expected_version`. A
/// responsibility the actor may not decide on is FORBIDDEN before anything is read back to the client.
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    decision: DecisionState,
    decided_on: Option<NaiveDate>,
) -> Result<Result<responsibility::Model, Refusal>, Error> {
    let txn = crate::db::begin_write(db).await?;
    let Some(before) = responsibility::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(Err(Refusal::NotFound));
    };
    if !may_decide(actor, before.organisation_id) {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR for the organisation the role is for, may decide on it".into(),
        ));
    }
    if before.version != expected_version {
        return Ok(Err(Refusal::Conflict {
            current: before.version,
        }));
    }
    if before.decision != DecisionState::Proposed {
        return Ok(Err(Refusal::Decided {
            decision: before.decision,
        }));
    }
    let now = Utc::now();
    let day = decided_on.unwrap_or(now.date_naive());
    let updated = responsibility::Entity::update_many()
        .col_expr(responsibility::Column::Decision, Expr::value(decision))
        .col_expr(responsibility::Column::DecidedOn, Expr::value(day))
        .col_expr(responsibility::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            responsibility::Column::Version,
            Expr::col(responsibility::Column::Version).add(1),
        )
        .filter(responsibility::Column::Id.eq(id))
        .filter(responsibility::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        txn.rollback().await?;
        let current = responsibility::Entity::find_by_id(id)
            .one(db)
            .await?
            .map_or(expected_version, |r| r.version);
        return Ok(Err(Refusal::Conflict { current }));
    }
    crate::service::edit::audit_entry(
        actor,
        now,
        "DECIDE_RESPONSIBILITY",
        "Responsibility",
        id,
        json!({
            "decision": { "before": before.decision.to_value(), "after": decision.to_value() },
            "decidedOn": { "before": before.decided_on, "after": day },
            "version": { "before": before.version, "after": before.version + 1 },
        })
        .to_string(),
    )
    .insert(&txn)
    .await?;
    let after = responsibility::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| Error::Internal("the responsibility vanished inside its own transaction".into()))?;
    change_feed::commit(
        txn,
        now,
        &[Change::new(Operation::Update, NodeType::Responsibility, id)],
    )
    .await?;
    Ok(Ok(after))
}
