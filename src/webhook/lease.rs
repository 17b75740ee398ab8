//! Leases: an instance delivers to an endpoint only while it holds the endpoint's lease, taken and given
//! back with conditional UPDATEs that work alike on SQLite, PostgreSQL and MariaDB. A lease runs out on
//! its own (an instance that died holds it at most [`length`]), and every write a delivery makes to its
//! endpoint is conditional on still holding it.

use std::time::Duration;

use chrono::Utc;
use rand::Rng;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::config::Webhooks;
use crate::entity::webhook_endpoint::{Column, Entity};

/// How long a lease lasts: a batch renews it before each delivery, so this covers one delivery's timeout
/// twice over and some seconds. It is also how long the endpoints of an instance that died wait for
/// another to take them (35 s with the default timeout).
pub fn length(config: &Webhooks) -> Duration {
    config.timeout * 2 + Duration::from_secs(5)
}

/// The pause after a batch before the same instance may take that endpoint again: up to 30 ms.
pub fn handover() -> Duration {
    Duration::from_millis(rand::rng().random_range(0..30))
}

/// Up to `limit` endpoints that owe events now and that nobody holds.
pub async fn due(db: &DatabaseConnection, limit: u64) -> Result<Vec<Uuid>, DbErr> {
    let now = Utc::now();
    let head = Query::select()
        .column(Alias::new("position"))
        .from(Alias::new("change_head"))
        .and_where(Expr::col(Alias::new("id")).eq(1))
        .to_owned();
    Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Enabled.eq(true))
        .filter(Expr::col(Column::Upto).lt(Expr::SubQuery(None, Box::new(head.into()))))
        .filter(
            Condition::any()
                .add(Column::NextAttemptAt.is_null())
                .add(Column::NextAttemptAt.lte(now)),
        )
        .filter(
            Condition::any()
                .add(Column::LeaseUntil.is_null())
                .add(Column::LeaseUntil.lt(now)),
        )
        .order_by_asc(Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Takes the lease on `endpoint` for `instance`, if nobody holds it; whether it was taken.
pub async fn take(db: &DatabaseConnection, endpoint: Uuid, instance: &str, length: Duration) -> Result<bool, DbErr> {
    let now = Utc::now();
    let until = now + chrono::Duration::from_std(length).unwrap_or(chrono::Duration::minutes(1));
    let taken = Entity::update_many()
        .col_expr(Column::LeaseOwner, Expr::value(instance))
        .col_expr(Column::LeaseUntil, Expr::value(until))
        .filter(Column::Id.eq(endpoint))
        .filter(Column::Enabled.eq(true))
        .filter(
            Condition::any()
                .add(Column::LeaseUntil.is_null())
                .add(Column::LeaseUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Extends `instance`'s lease on `endpoint`; whether it still held it.
pub async fn renew(db: &DatabaseConnection, endpoint: Uuid, instance: &str, length: Duration) -> Result<bool, DbErr> {
    let until = Utc::now() + chrono::Duration::from_std(length).unwrap_or(chrono::Duration::minutes(1));
    let renewed = Entity::update_many()
        .col_expr(Column::LeaseUntil, Expr::value(until))
        .filter(Column::Id.eq(endpoint))
        .filter(Column::LeaseOwner.eq(instance))
        .exec(db)
        .await?;
    Ok(renewed.rows_affected == 1)
}

/// Gives `instance`'s lease on `endpoint` back.
pub async fn give_back(db: &DatabaseConnection, endpoint: Uuid, instance: &str) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(Column::LeaseUntil, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .filter(Column::Id.eq(endpoint))
        .filter(Column::LeaseOwner.eq(instance))
        .exec(db)
        .await?;
    Ok(())
}
