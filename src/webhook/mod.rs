//! Delivering webhooks: each instance runs a dispatcher that finds endpoints owing events (their `upto`
//! behind the feed's head, no attempt waiting for its time), takes a lease on one, posts its next events
//! one by one in feed order, and gives the lease back. Everything an endpoint is owed follows from its
//! `upto` and the change feed, so a crash loses nothing: the next instance to take the lease (after it
//! runs out) starts from the last event the receiver acknowledged. The lease makes one instance at a
//! time deliver to an endpoint; between batches any instance may take it, so instances share the work.

pub mod body;
mod deliver;
mod lease;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, Semaphore, watch};

use crate::config::Webhooks;
use crate::graphql::KartlaSchema;
use crate::service::change_feed::FeedHead;

/// How often the dispatcher looks for work when nothing tells it to.
const POLL: Duration = Duration::from_millis(500);

/// Everything a delivery needs, shared by the dispatcher's tasks.
struct Shared {
    db: DatabaseConnection,
    schema: KartlaSchema,
    document: body::EventDocument,
    config: Webhooks,
    client: reqwest::Client,
    /// This instance's name in leases.
    instance: String,
    /// Endpoints this instance is delivering to now.
    busy: Mutex<HashSet<uuid::Uuid>>,
    /// Rung when a batch ends, so the dispatcher looks again at once.
    done: Notify,
    /// When the age of the oldest undelivered event was last measured.
    measured: Mutex<Option<std::time::Instant>>,
}

/// Waits until `receiver` sees a new value; for ever once its sender is gone (a router built without a
/// stop signal, in tests).
async fn changed<T>(receiver: &mut watch::Receiver<T>) {
    if receiver.changed().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Starts this instance's dispatcher; it stops when `stop` turns true. Must be called inside a tokio
/// runtime. Without a webhook key, or with deliveries turned off, nothing is started.
pub fn start(
    db: DatabaseConnection,
    schema: KartlaSchema,
    feed: &FeedHead,
    config: &Webhooks,
    stop: watch::Receiver<bool>,
) {
    if !config.deliver || config.key.is_none() {
        return;
    }
    let document = match body::EventDocument::for_schema(&crate::graphql::parseable_sdl()) {
        Ok(document) => document,
        Err(error) => {
            tracing::error!(%error, "cannot derive the webhook event document; no webhooks are delivered");
            return;
        }
    };
    let client = match deliver::client(config) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot build the webhook client; no webhooks are delivered");
            return;
        }
    };
    let shared = Arc::new(Shared {
        db,
        schema,
        document,
        config: config.clone(),
        client,
        instance: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()),
        busy: Mutex::default(),
        done: Notify::new(),
        measured: Mutex::default(),
    });
    tokio::spawn(dispatch(shared, feed.subscribe(), stop));
}

/// The dispatcher's loop: take leases on due endpoints while there are free places, then wait for a new
/// event, a finished batch, the poll interval, or the stop.
async fn dispatch(shared: Arc<Shared>, mut head: watch::Receiver<i64>, mut stop: watch::Receiver<bool>) {
    let places = Arc::new(Semaphore::new(shared.config.max_concurrent.max(1)));
    let mut failing = false;
    loop {
        if *stop.borrow() {
            return;
        }
        match lease::due(&shared.db, shared.config.max_concurrent.max(1) as u64 * 2).await {
            Ok(due) => {
                if failing {
                    tracing::info!("webhook deliveries can read the database again");
                }
                failing = false;
                for endpoint in due {
                    if shared.busy_with(endpoint) {
                        continue;
                    }
                    let Ok(place) = places.clone().try_acquire_owned() else {
                        break;
                    };
                    match lease::take(&shared.db, endpoint, &shared.instance, lease::length(&shared.config)).await {
                        Ok(true) => {
                            shared.set_busy(endpoint, true);
                            let shared = shared.clone();
                            tokio::spawn(async move {
                                deliver::batch(&shared, endpoint).await;
                                // A moment before this instance may take the endpoint again, so that
                                // other instances, woken by the same events, get their turn.
                                tokio::time::sleep(lease::handover()).await;
                                shared.set_busy(endpoint, false);
                                drop(place);
                                shared.done.notify_one();
                            });
                        }
                        Ok(false) => {}
                        Err(error) => tracing::warn!(%error, "cannot take a webhook lease"),
                    }
                }
                deliver::report_oldest(&shared).await;
            }
            Err(error) => {
                if !failing {
                    tracing::warn!(%error, "cannot look for webhook deliveries; retrying");
                }
                failing = true;
            }
        }
        tokio::select! {
            () = changed(&mut head) => {}
            () = shared.done.notified() => {}
            () = tokio::time::sleep(POLL) => {}
            () = changed(&mut stop) => {}
        }
    }
}

impl Shared {
    fn busy_with(&self, endpoint: uuid::Uuid) -> bool {
        self.busy.lock().unwrap_or_else(|p| p.into_inner()).contains(&endpoint)
    }

    fn set_busy(&self, endpoint: uuid::Uuid, busy: bool) {
        let mut set = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        if busy {
            set.insert(endpoint);
        } else {
            set.remove(&endpoint);
        }
    }
}
