//! When a request's batches run: in waves, decided between polls of the request's future.
//!
//! [`Turns::drive`] wraps the request's future and hands it a waker of its own, which notes every wake.
//! A poll that ends with no wake noted means that no resolver inside can move by itself: each waits for a
//! batch, or for a query's rows. If then batches wait and no batch query is running, every resolver that
//! the previous wave's rows unblocked has asked for what it needs, and the next wave fires: every batch
//! open at that moment runs, side by side. So the number of statements follows the shape of the query (its
//! levels), not the number of rows, the speed of the database or how busy the machine is.
//!
//! A wake during the poll (async-graphql resolves long lists with `FuturesUnordered`, which gives up its
//! turn early and wakes itself; a tokio primitive whose budget is spent does the same; a query's rows
//! arrive) means more can move, so the request is polled again before anything fires.

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::Stream;

use super::batch::lock;

/// The waves of one request's batch queries.
#[derive(Default)]
pub(super) struct Waves {
    /// The last wave that fired (0 before the first).
    fired: AtomicU64,
    /// Batches that wait for the next wave.
    waiting: AtomicUsize,
    /// Batches of fired waves whose query has not finished: started, or about to start.
    running: AtomicUsize,
    /// Batches waiting for their wave to fire. A plain list rather than a `tokio::sync::Notify`: every
    /// poll of a tokio primitive spends the task's cooperative budget, and a spent budget makes futures
    /// yield and lose their place in the wave.
    fire: Mutex<Vec<Waker>>,
}

impl Waves {
    /// Opens a batch in the next wave; the batch counts as waiting, then running, until the returned
    /// guard is dropped (when its query has finished, or when it is given up).
    pub(super) fn open(self: &Arc<Self>) -> (u64, Batch) {
        let wave = self.fired.load(Ordering::SeqCst) + 1;
        self.waiting.fetch_add(1, Ordering::SeqCst);
        (
            wave,
            Batch {
                waves: self.clone(),
                wave,
            },
        )
    }

    /// Whether wave `wave` has fired.
    pub(super) fn has_fired(&self, wave: u64) -> bool {
        self.fired.load(Ordering::SeqCst) >= wave
    }

    /// Waits until wave `wave` fires.
    pub(super) async fn fired(&self, wave: u64) {
        std::future::poll_fn(|cx| {
            if self.has_fired(wave) {
                return Poll::Ready(());
            }
            let mut waiting = lock(&self.fire);
            if !waiting.iter().any(|w| w.will_wake(cx.waker())) {
                waiting.push(cx.waker().clone());
            }
            Poll::Pending
        })
        .await
    }
}

/// One batch's place in the counts of waiting and running batches, for as long as it lives.
pub(super) struct Batch {
    waves: Arc<Waves>,
    wave: u64,
}

impl Drop for Batch {
    fn drop(&mut self) {
        let counter = if self.waves.has_fired(self.wave) {
            &self.waves.running
        } else {
            &self.waves.waiting
        };
        counter.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Drives a request's future (or a subscription's stream) and fires its waves. Every request that uses a
/// [`Loader`](super::Loader) must run inside the [`Turns::drive`] (or [`Turns::drive_stream`]) of that
/// loader, or its batches never run.
#[must_use = "a request whose loader is not driven waits for ever"]
pub struct Turns(pub(super) Arc<Waves>);

impl Turns {
    /// Runs `request`, firing its loader's waves between polls.
    pub async fn drive<F: Future>(self, request: F) -> F::Output {
        let mut request = pin!(request);
        let mut turn = Turn::new(self.0);
        std::future::poll_fn(move |cx| turn.poll(cx, |cx| Pin::as_mut(&mut request).poll(cx))).await
    }

    /// Runs the stream of a subscription, firing its loader's waves between polls, for each event alike.
    pub fn drive_stream<S: Stream>(self, stream: S) -> impl Stream<Item = S::Item> {
        let mut stream = Box::pin(stream);
        let mut turn = Turn::new(self.0);
        futures_util::stream::poll_fn(move |cx| turn.poll(cx, |cx| stream.as_mut().poll_next(cx)))
    }
}

/// The state of one driven request between polls.
struct Turn {
    waves: Arc<Waves>,
    noting: Option<(Arc<NotedWake>, Waker)>,
}

impl Turn {
    fn new(waves: Arc<Waves>) -> Self {
        Turn { waves, noting: None }
    }

    /// Polls the request with a noting waker; when it is stuck on batches, fires the next wave.
    fn poll<T>(&mut self, cx: &mut Context<'_>, request: impl FnOnce(&mut Context<'_>) -> Poll<T>) -> Poll<T> {
        let waves = &self.waves;
        let (noted, waker) = self.noting.get_or_insert_with(|| NotedWake::around(cx.waker()));
        noted.follow(cx.waker());
        noted.woken.store(false, Ordering::SeqCst);
        let polled = request(&mut Context::from_waker(waker));
        if polled.is_ready() {
            return polled;
        }
        let can_move = noted.woken.load(Ordering::SeqCst);
        let waiting = waves.waiting.load(Ordering::SeqCst) > 0;
        let running = waves.running.load(Ordering::SeqCst) > 0;
        if !can_move && waiting && !running {
            // Between polls nothing else runs, so no batch opens while the wave moves to running.
            let batches = waves.waiting.swap(0, Ordering::SeqCst);
            waves.running.fetch_add(batches, Ordering::SeqCst);
            waves.fired.fetch_add(1, Ordering::SeqCst);
            for waker in std::mem::take(&mut *lock(&waves.fire)) {
                waker.wake();
            }
        }
        Poll::Pending
    }
}

/// The waker the request is polled with: it notes that a wake happened and passes it on to the task's
/// own waker.
struct NotedWake {
    woken: AtomicBool,
    task: Mutex<Waker>,
}

impl NotedWake {
    /// A noting waker around `task`, and the same as a [`Waker`].
    fn around(task: &Waker) -> (Arc<Self>, Waker) {
        let noted = Arc::new(NotedWake {
            woken: AtomicBool::new(false),
            task: Mutex::new(task.clone()),
        });
        let waker = Waker::from(noted.clone());
        (noted, waker)
    }

    /// Passes wakes on to `task` from now on (a task may be polled with a different waker each time).
    fn follow(&self, task: &Waker) {
        let mut current = lock(&self.task);
        if !current.will_wake(task) {
            *current = task.clone();
        }
    }
}

impl Wake for NotedWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        lock(&self.task).wake_by_ref();
    }
}
