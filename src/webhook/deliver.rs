//! One endpoint's batch: its next events in feed order, each posted and its outcome written before the
//! next. A delivered event moves the endpoint's `upto` past it; a failed one waits for its retry (the
//! endpoint's later events wait behind it, so order holds), and once the retry schedule is used up the
//! endpoint is disabled with the reason. Bodies and secrets are never logged.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

use super::{Shared, body, lease};
use crate::config::Webhooks;
use crate::entity::webhook_delivery;
use crate::entity::webhook_endpoint::{self, Column};
use crate::service::change_feed;
use crate::service::permission::{Actor, Viewer};
use crate::service::webhook::{endpoint, message_id, schedule, target};

/// Events one lease delivers at most before it is given back.
const BATCH: usize = 25;

/// The longest error text kept in the delivery log.
const MAX_ERROR: usize = 500;

/// The HTTP client of deliveries: no redirects, no proxy, names resolved through [`target::Resolver`].
pub fn client(config: &Webhooks) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(config.timeout)
        .connect_timeout(config.timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("Kartla-Webhooks/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(std::sync::Arc::new(target::Resolver {
            allow_insecure: config.allow_insecure_targets,
        }))
        .build()
}

/// How one attempt went.
struct Attempt {
    status: Option<u16>,
    error: Option<String>,
    elapsed: Duration,
}

impl Attempt {
    fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Delivers up to [`BATCH`] events to `endpoint_id` under this instance's lease, then gives it back.
pub(super) async fn batch(shared: &Shared, endpoint_id: Uuid) {
    if let Err(error) = run_batch(shared, endpoint_id).await {
        tracing::warn!(endpoint = %endpoint_id, %error, "a webhook batch stopped on a database error");
    }
    if let Err(error) = lease::give_back(&shared.db, endpoint_id, &shared.instance).await {
        tracing::warn!(endpoint = %endpoint_id, %error, "cannot give a webhook lease back; it runs out by itself");
    }
}

async fn run_batch(shared: &Shared, endpoint_id: Uuid) -> Result<(), DbErr> {
    let db = &shared.db;
    for _ in 0..BATCH {
        if !lease::renew(db, endpoint_id, &shared.instance, lease::length(&shared.config)).await? {
            return Ok(());
        }
        let Some(endpoint) = webhook_endpoint::Entity::find_by_id(endpoint_id).one(db).await? else {
            return Ok(());
        };
        if !endpoint.enabled || endpoint.next_attempt_at.is_some_and(|at| at > Utc::now()) {
            return Ok(());
        }
        let head = change_feed::head_position(db).await?;
        if endpoint.upto >= head {
            return Ok(());
        }
        let filter = endpoint::feed_filter(&endpoint);
        let next = change_feed::read(db, endpoint.upto, Some(head), 1, &filter).await?;
        let Some(event) = next.into_iter().next() else {
            // Nothing up to the head matches: the endpoint is done with all of it.
            move_past(db, shared, &endpoint, head).await?;
            return Ok(());
        };
        let attempt = attempt(shared, &endpoint, event.position).await;
        let delivered = attempt.delivered();
        record(shared, &endpoint, event.position, attempt).await?;
        if !delivered {
            return Ok(());
        }
    }
    Ok(())
}

/// Posts the event at `position` to `endpoint` once.
async fn attempt(shared: &Shared, endpoint: &webhook_endpoint::Model, position: i64) -> Attempt {
    let started = Instant::now();
    let failed = |error: String| Attempt {
        status: None,
        error: Some(error),
        elapsed: started.elapsed(),
    };
    let Some(key) = &shared.config.key else {
        return failed("this server has no webhook key".into());
    };
    let Some(secrets) = endpoint::signing_secrets(key, endpoint) else {
        return failed("the endpoint's secret does not open with this server's webhook key; rotate it".into());
    };
    if let Err(why) = target::check_url(&endpoint.url, shared.config.allow_insecure_targets) {
        return failed(format!("the URL is not allowed: give {why}"));
    }
    let viewer = Viewer::Signed(Actor {
        token_name: format!("webhook:{}", endpoint.id),
        role: endpoint.owner_role,
        organisation: endpoint.organisation_id,
        issued_by: None,
    });
    let event = match body::event(&shared.schema, &shared.db, &shared.document, viewer, position).await {
        Ok(Some(event)) => event,
        Ok(None) => return failed(format!("the change feed has no event at {position}")),
        Err(error) => return failed(error),
    };
    let body = body::body(event);
    let id = message_id(endpoint.id, position);
    let timestamp = Utc::now().timestamp();
    let signature = crate::service::webhook::secret::signature_header(&secrets, &id, timestamp, &body);
    let sent = shared
        .client
        .post(&endpoint.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(response) => {
            let status = response.status();
            // Read (a little of) the answer so the connection can be reused; its content is not kept.
            let _ = tokio::time::timeout(Duration::from_secs(1), response.bytes()).await;
            Attempt {
                status: Some(status.as_u16()),
                error: (!status.is_success()).then(|| format!("the receiver answered {status}")),
                elapsed: started.elapsed(),
            }
        }
        Err(error) => failed(describe(&error.without_url())),
    }
}

/// A delivery error in words, with its causes.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(MAX_ERROR).collect()
}

/// Writes an attempt to the log and the endpoint, in one transaction (a reader never sees an event logged
/// as delivered while the endpoint still stands before it): past the event when delivered, else its retry
/// or, with the schedule used up, the endpoint disabled.
async fn record(
    shared: &Shared,
    endpoint: &webhook_endpoint::Model,
    position: i64,
    attempt: Attempt,
) -> Result<(), DbErr> {
    let txn = crate::db::begin_write(&shared.db).await?;
    let outcome = record_in(&txn, shared, endpoint, position, &attempt).await?;
    txn.commit().await?;
    metrics::counter!("kartla_webhook_deliveries_total", "outcome" => outcome).increment(1);
    metrics::histogram!("kartla_webhook_delivery_duration_seconds").record(attempt.elapsed.as_secs_f64());
    Ok(())
}

/// [`record`]'s writes in `db`; the outcome's name for the metrics.
async fn record_in(
    db: &impl ConnectionTrait,
    shared: &Shared,
    endpoint: &webhook_endpoint::Model,
    position: i64,
    attempt: &Attempt,
) -> Result<&'static str, DbErr> {
    let now = Utc::now();
    let delivered = attempt.delivered();
    let logged = webhook_delivery::Entity::find_by_id((endpoint.id, position))
        .one(db)
        .await?;
    // A round of attempts goes on while a retry was scheduled; the first attempt, a redelivery of a
    // delivered event and the first attempt after the endpoint was enabled again start a new one.
    let (attempts, first) = match &logged {
        Some(row) if row.next_attempt_at.is_some() => (row.attempts + 1, row.first_attempt_at.unwrap_or(now)),
        _ => (1, now),
    };
    let next_attempt = if delivered {
        None
    } else {
        schedule::next_wait(&shared.config.retry_schedule, attempts as usize)
            .map(|wait| now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1)))
    };
    let row = webhook_delivery::ActiveModel {
        endpoint_id: Set(endpoint.id),
        position: Set(position),
        attempts: Set(attempts),
        status_code: Set(attempt.status.map(i32::from)),
        error: Set(attempt.error.clone()),
        response_ms: Set(Some(attempt.elapsed.as_millis().min(i32::MAX as u128) as i32)),
        first_attempt_at: Set(Some(first)),
        last_attempt_at: Set(Some(now)),
        next_attempt_at: Set(next_attempt),
        delivered_at: Set(if delivered {
            Some(now)
        } else {
            logged.as_ref().and_then(|r| r.delivered_at)
        }),
    };
    if logged.is_some() {
        row.update(db).await?;
    } else {
        row.insert(db).await?;
    }
    let outcome = if delivered {
        "delivered"
    } else if attempt.status.is_some() {
        "refused"
    } else {
        "failed"
    };
    if delivered {
        tracing::debug!(endpoint = %endpoint.id, position, "webhook delivered");
        move_past(db, shared, endpoint, position).await?;
        return Ok(outcome);
    }
    let error = attempt.error.clone().unwrap_or_default();
    tracing::warn!(endpoint = %endpoint.id, position, attempts, %error, "webhook delivery failed");
    let mut update = webhook_endpoint::Entity::update_many()
        .col_expr(
            Column::FailingSince,
            Expr::value(Some(endpoint.failing_since.unwrap_or(first))),
        )
        .col_expr(Column::NextAttemptAt, Expr::value(next_attempt))
        .filter(Column::Id.eq(endpoint.id))
        .filter(Column::LeaseOwner.eq(&shared.instance))
        .filter(Column::Upto.eq(endpoint.upto));
    if next_attempt.is_none() {
        let reason = format!(
            "disabled at {}: the event at position {position} failed {attempts} times since {}; the last error: {error}",
            now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            first.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
        tracing::warn!(endpoint = %endpoint.id, "webhook endpoint disabled after its retries ran out");
        update = update
            .col_expr(Column::Enabled, Expr::value(false))
            .col_expr(Column::DisabledReason, Expr::value(Some(reason)));
    }
    update.exec(db).await?;
    Ok(outcome)
}

/// Moves `endpoint` past `position`, unless someone moved it meanwhile (a redelivery) or the lease is
/// gone.
async fn move_past(
    db: &impl ConnectionTrait,
    shared: &Shared,
    endpoint: &webhook_endpoint::Model,
    position: i64,
) -> Result<(), DbErr> {
    webhook_endpoint::Entity::update_many()
        .col_expr(Column::Upto, Expr::value(position))
        .col_expr(Column::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(Column::NextAttemptAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(Column::Id.eq(endpoint.id))
        .filter(Column::LeaseOwner.eq(&shared.instance))
        .filter(Column::Upto.eq(endpoint.upto))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets the gauge of the oldest event an enabled endpoint has not moved past (0 when none), at most every
/// few seconds.
pub(super) async fn report_oldest(shared: &Shared) {
    {
        let mut measured = shared.measured.lock().unwrap_or_else(|p| p.into_inner());
        if measured.is_some_and(|at| at.elapsed() < Duration::from_secs(5)) {
            return;
        }
        *measured = Some(Instant::now());
    }
    let behind: Result<Vec<i64>, DbErr> = webhook_endpoint::Entity::find()
        .select_only()
        .column(Column::Upto)
        .filter(Column::Enabled.eq(true))
        .into_tuple()
        .all(&shared.db)
        .await;
    let Ok(behind) = behind else { return };
    let Some(oldest) = behind.into_iter().min() else {
        metrics::gauge!("kartla_webhook_oldest_undelivered_seconds").set(0.0);
        return;
    };
    let next = change_feed::read(&shared.db, oldest, None, 1, &change_feed::Filter::default()).await;
    let age = match next.ok().and_then(|events| events.into_iter().next()) {
        Some(event) => (Utc::now() - event.at).num_milliseconds().max(0) as f64 / 1000.0,
        None => 0.0,
    };
    metrics::gauge!("kartla_webhook_oldest_undelivered_seconds").set(age);
}
