//! The feed's head as this instance knows it, for subscribers to wait on. A watcher task keeps it current:
//! on PostgreSQL it listens on [`CHANNEL`](super::CHANNEL), which every commit on any instance notifies; a
//! commit made through this instance pokes it directly; and it reads the head every [`POLL`] anyway, so a
//! lost notification, a connection that was down, MariaDB, or an import by another process on SQLite
//! delay an event by at most that long. The notification only says "look"; the events are always read
//! from the feed table.

use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{DatabaseConnection, DbBackend};
use tokio::sync::{Notify, watch};

/// How often the watcher reads the head without being told to.
pub const POLL: Duration = Duration::from_secs(2);

/// The last committed position this instance knows of; cheap to clone.
#[derive(Clone)]
pub struct FeedHead(Arc<Inner>);

struct Inner {
    head: Arc<watch::Sender<i64>>,
    poke: Arc<Notify>,
    stop: Arc<Notify>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.stop.notify_one();
    }
}

impl FeedHead {
    /// Starts the watcher on `db`; it stops when the last clone of the returned head is dropped. Must be
    /// called inside a tokio runtime.
    pub fn start(db: DatabaseConnection) -> FeedHead {
        let (head, _) = watch::channel(0);
        let inner = Inner {
            head: Arc::new(head),
            poke: Arc::new(Notify::new()),
            stop: Arc::new(Notify::new()),
        };
        let watcher = Watcher {
            head: Arc::downgrade(&inner.head),
            poke: inner.poke.clone(),
            stop: inner.stop.clone(),
            db,
        };
        tokio::spawn(watcher.run());
        FeedHead(Arc::new(inner))
    }

    /// A receiver that sees every new head.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.0.head.subscribe()
    }

    /// Tells the watcher that this instance has just committed a change.
    pub fn poke(&self) {
        self.0.poke.notify_one();
    }
}

struct Watcher {
    head: Weak<watch::Sender<i64>>,
    poke: Arc<Notify>,
    stop: Arc<Notify>,
    db: DatabaseConnection,
}

impl Watcher {
    async fn run(self) {
        let mut listener = None;
        let mut failing = false;
        loop {
            if self.db.get_database_backend() == DbBackend::Postgres && listener.is_none() {
                listener = self.listen().await;
            }
            match super::head_position(&self.db).await {
                Ok(position) => {
                    let Some(head) = self.head.upgrade() else { return };
                    head.send_if_modified(|known| {
                        let newer = position > *known;
                        if newer {
                            *known = position;
                        }
                        newer
                    });
                    if failing {
                        tracing::info!("the change feed is readable again");
                    }
                    failing = false;
                }
                Err(error) => {
                    if !failing {
                        tracing::warn!(%error, "cannot read the change feed's head; retrying");
                    }
                    failing = true;
                }
            }
            tokio::select! {
                () = self.stop.notified() => return,
                () = self.poke.notified() => {}
                () = tokio::time::sleep(POLL) => {}
                lost = notified(&mut listener) => if lost { listener = None },
            }
        }
    }

    /// A listener on the feed's channel, or none when it cannot be had now (the next round tries again).
    async fn listen(&self) -> Option<PgListener> {
        let pool = self.db.get_postgres_connection_pool();
        let attempt = async {
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(super::CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        match attempt.await {
            Ok(listener) => Some(listener),
            Err(error) => {
                tracing::warn!(%error, "cannot listen for changes; reading the feed every {POLL:?} instead");
                None
            }
        }
    }
}

/// Waits for a notification; whether the connection was lost instead. Without a listener, waits for ever.
async fn notified(listener: &mut Option<PgListener>) -> bool {
    match listener {
        Some(listener) => !matches!(listener.try_recv().await, Ok(Some(_))),
        None => std::future::pending().await,
    }
}
