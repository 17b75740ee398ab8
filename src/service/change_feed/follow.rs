//! Following the feed live: the events after a position, as they are committed, read from the feed table
//! in batches whenever the head moves. A follower holds at most one batch, so a slow one costs memory for
//! that batch only and never holds up writers or other followers; one that falls more than its limit
//! behind is told so and stops, to catch up with the `changes` query.

use std::collections::VecDeque;

use futures_util::Stream;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use super::{FeedHead, Filter, head_position, read};
use crate::entity::change_event;
use crate::error::Error;

/// Events read per query.
const BATCH: u64 = 100;

/// Why following stopped with an error.
#[derive(Debug)]
pub enum Stop {
    /// More than the limit of events lie between the follower and the head.
    Behind {
        /// The last position the follower has read up to.
        position: i64,
        /// The feed's head.
        head: i64,
    },
    /// The feed could not be read.
    Failed(Error),
}

/// One live subscriber in the `kartla_subscribers` gauge, for as long as it lives.
struct Counted;

impl Counted {
    fn new() -> Self {
        metrics::gauge!("kartla_subscribers").increment(1.0);
        Counted
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        metrics::gauge!("kartla_subscribers").decrement(1.0);
    }
}

struct Follower {
    _counted: Counted,
    db: DatabaseConnection,
    head: watch::Receiver<i64>,
    known: i64,
    scanned: i64,
    filter: Filter,
    max_lag: i64,
    batch: VecDeque<change_event::Model>,
    done: bool,
}

/// The events after `after` (after the head now, when `None`) that match `filter`, oldest first, as they
/// are committed; at most `max_lag` positions behind the head.
pub async fn follow(
    db: DatabaseConnection,
    feed: &FeedHead,
    after: Option<i64>,
    filter: Filter,
    max_lag: i64,
) -> Result<impl Stream<Item = Result<change_event::Model, Stop>> + use<>, Error> {
    let mut head = feed.subscribe();
    let known = head_position(&db).await?.max(*head.borrow_and_update());
    if let Some(after) = after.filter(|a| *a > known) {
        return Err(Error::BadCursor(format!(
            "position {after} is beyond the end of the change feed ({known}); use a position this feed gave"
        )));
    }
    let follower = Follower {
        _counted: Counted::new(),
        db,
        head,
        known,
        scanned: after.unwrap_or(known),
        filter,
        max_lag,
        batch: VecDeque::new(),
        done: false,
    };
    Ok(futures_util::stream::unfold(follower, |mut f| async move {
        let next = f.next().await?;
        Some((next, f))
    }))
}

impl Follower {
    async fn next(&mut self) -> Option<Result<change_event::Model, Stop>> {
        if self.done {
            return None;
        }
        loop {
            if let Some(event) = self.batch.pop_front() {
                return Some(Ok(event));
            }
            self.known = self.known.max(*self.head.borrow_and_update());
            if self.known > self.scanned {
                if self.known - self.scanned > self.max_lag {
                    self.done = true;
                    return Some(Err(Stop::Behind {
                        position: self.scanned,
                        head: self.known,
                    }));
                }
                match read(&self.db, self.scanned, Some(self.known), BATCH, &self.filter).await {
                    Ok(events) => {
                        self.scanned = match events.last() {
                            Some(last) if events.len() as u64 == BATCH => last.position,
                            _ => self.known,
                        };
                        self.batch.extend(events);
                        continue;
                    }
                    Err(error) => {
                        self.done = true;
                        return Some(Err(Stop::Failed(error.into())));
                    }
                }
            }
            if self.head.changed().await.is_err() {
                // The instance is shutting down.
                return None;
            }
        }
    }
}
