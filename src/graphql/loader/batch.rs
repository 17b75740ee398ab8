//! The per-request loader: collects the keys one request asks for and loads each key type in one query.
//!
//! async-graphql's own DataLoader fires a batch a fixed time after its first key arrives, so under load a
//! page of 50 is split into several batches and the number of statements grows with the page. This loader
//! goes by the request's own progress instead of time: batches run in waves ([`super::waves`]), so the
//! number of statements follows the shape of the query (its levels), never the number of rows or the
//! speed of the database. The loader is made per request: it never sees another request's keys and keeps
//! no cache.
//!
//! Everyone waiting on a batch awaits one shared future, so whichever of them is polled drives it and
//! dropping any one of them (a cancelled field) strands nobody. No lock is held while a query runs.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

use super::RegistryLoader;
use super::waves::{Turns, Waves};
use crate::error::Error;
use async_graphql::dataloader::Loader as BatchQuery;
use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared};

/// Keys per query at most: a larger batch runs at once and the next keys open a new one, which keeps
/// `IN (...)` lists within every database's limits.
const MAX_BATCH: usize = 1000;

/// What a batch query answers for all its keys.
type Found<K, V> = Result<Arc<HashMap<K, V>>, Error>;

/// The open batch of one key type: its wave, the keys so far and the future that will load them.
struct Open<K, V> {
    wave: u64,
    keys: Arc<Mutex<HashSet<K>>>,
    run: Shared<BoxFuture<'static, Found<K, V>>>,
}

/// One key type's batching state.
struct Batcher<K, V> {
    open: Mutex<Option<Open<K, V>>>,
}

/// The loader resolvers take from the context: one batcher per key type, made when first asked for.
pub struct Loader {
    registry: Arc<RegistryLoader>,
    waves: Arc<Waves>,
    batchers: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

/// Locks a mutex whose holder cannot leave it half-changed, so a poisoned lock is still sound.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Loader {
    /// A loader for one request, and the [`Turns`] that must drive the request. A request that only
    /// reads (`reads_only`: a query) may be answered from what an earlier batch of it read beside its own
    /// keys ([`Primed`]); a mutation or a subscription may not, since a record can change between two of
    /// its reads.
    pub fn new(db: sea_orm::DatabaseConnection, reads_only: bool) -> (Self, Turns) {
        let waves = Arc::new(Waves::default());
        let turns = Turns(waves.clone());
        let loader = Loader {
            registry: Arc::new(RegistryLoader {
                db,
                primed: Primed {
                    enabled: reads_only,
                    ..Primed::default()
                },
            }),
            waves,
            batchers: Mutex::new(HashMap::new()),
        };
        (loader, turns)
    }

    /// The value for one key, batched with every other key of its type the request asks for.
    pub async fn load_one<K>(&self, key: K) -> Result<Option<<RegistryLoader as BatchQuery<K>>::Value>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        RegistryLoader: BatchQuery<K, Error = Error>,
    {
        if let Some(value) = self
            .registry
            .primed
            .get::<K, <RegistryLoader as BatchQuery<K>>::Value>(&key)
        {
            return Ok(Some(value));
        }
        let found = self.join(std::iter::once(key.clone())).await?;
        Ok(found.get(&key).cloned())
    }

    /// The values for many keys; a key with no value is left out.
    pub async fn load_many<K>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<HashMap<K, <RegistryLoader as BatchQuery<K>>::Value>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        RegistryLoader: BatchQuery<K, Error = Error>,
    {
        let keys: Vec<K> = keys.into_iter().collect();
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let found = self.join(keys.iter().cloned()).await?;
        Ok(keys
            .into_iter()
            .filter_map(|key| found.get(&key).cloned().map(|value| (key, value)))
            .collect())
    }

    /// Adds keys to the open batch of their type (opening one if needed) and waits for it.
    async fn join<K>(
        &self,
        keys: impl Iterator<Item = K>,
    ) -> Result<Arc<HashMap<K, <RegistryLoader as BatchQuery<K>>::Value>>, Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        RegistryLoader: BatchQuery<K, Error = Error>,
    {
        let batcher = self.batcher::<K>();
        let run = {
            let mut open = lock(&batcher.open);
            // A batch whose wave has fired takes no more keys, even before its query starts.
            if open.as_ref().is_some_and(|batch| self.waves.has_fired(batch.wave)) {
                *open = None;
            }
            let batch = open.get_or_insert_with(|| self.open_batch(&batcher));
            let mut batch_keys = lock(&batch.keys);
            batch_keys.extend(keys);
            let run = batch.run.clone();
            if batch_keys.len() >= MAX_BATCH {
                drop(batch_keys);
                *open = None;
            }
            run
        };
        run.await
    }

    /// A new batch of `batcher`'s key type in the next wave, whose future waits for the wave to fire and
    /// then runs the key type's batch query.
    fn open_batch<K>(
        &self,
        batcher: &Arc<Batcher<K, <RegistryLoader as BatchQuery<K>>::Value>>,
    ) -> Open<K, <RegistryLoader as BatchQuery<K>>::Value>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        RegistryLoader: BatchQuery<K, Error = Error>,
    {
        let keys = Arc::new(Mutex::new(HashSet::new()));
        let registry = self.registry.clone();
        let batcher = batcher.clone();
        let collected = keys.clone();
        let waves = self.waves.clone();
        let (wave, batch) = waves.open();
        let run = async move {
            waves.fired(wave).await;
            // Close the batch unless a full one was closed already and a newer one is open.
            {
                let mut open = lock(&batcher.open);
                if open.as_ref().is_some_and(|batch| Arc::ptr_eq(&batch.keys, &collected)) {
                    *open = None;
                }
            }
            let keys: Vec<K> = lock(&collected).iter().cloned().collect();
            tracing::trace!(wave, key = std::any::type_name::<K>(), keys = keys.len(), "batch query");
            // The query runs as a task of its own. Polled through the shared future, every row the driver
            // hands over would wake each resolver waiting on the batch (hundreds, for a nested page), so
            // a batch of n rows cost n times its waiters in wakes and polls; as a task it wakes them once,
            // when it is done. The batch counts as running until the task ends, and the task is stopped
            // if everyone waiting for it is gone.
            let query = tokio::spawn(async move {
                let _batch = batch;
                registry.load(&keys).await.map(Arc::new)
            });
            match StopOnDrop(query).await {
                Ok(found) => found,
                Err(error) => Err(Error::Internal(format!("a batch query stopped: {error}"))),
            }
        };
        Open {
            wave,
            keys,
            run: run.boxed().shared(),
        }
    }

    /// The batcher of key type `K`, shared by every resolver of this request.
    fn batcher<K>(&self) -> Arc<Batcher<K, <RegistryLoader as BatchQuery<K>>::Value>>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        RegistryLoader: BatchQuery<K, Error = Error>,
    {
        let mut batchers = lock(&self.batchers);
        let entry = batchers.entry(TypeId::of::<K>()).or_insert_with(|| {
            Arc::new(Batcher::<K, <RegistryLoader as BatchQuery<K>>::Value> { open: Mutex::new(None) })
        });
        match entry.clone().downcast() {
            Ok(batcher) => batcher,
            Err(_) => unreachable!("batchers are stored under their key type's TypeId"),
        }
    }
}

/// Values that a batch query read beside its own, for keys of another type (the organisations of the
/// responsibilities it read, joined in the same statement): a later request for such a key is answered
/// from here, with no statement. Only what the request's own batches read is kept, for the request, and
/// only in a request that reads and nothing else.
#[derive(Default)]
pub(super) struct Primed {
    /// Whether values are kept at all.
    enabled: bool,
    /// Whether anything was primed: most requests prime nothing and pay one atomic load per key.
    any: std::sync::atomic::AtomicBool,
    /// For each key type, a `HashMap<K, V>` of its primed values.
    values: Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>,
}

impl Primed {
    /// Keeps `entries` for later requests of their keys.
    pub(super) fn put<K, V>(&self, entries: impl IntoIterator<Item = (K, V)>)
    where
        K: Send + Sync + Hash + Eq + 'static,
        V: Send + Sync + 'static,
    {
        if !self.enabled {
            return;
        }
        let mut values = lock(&self.values);
        let map = values
            .entry(TypeId::of::<K>())
            .or_insert_with(|| Box::new(HashMap::<K, V>::new()));
        if let Some(map) = map.downcast_mut::<HashMap<K, V>>() {
            map.extend(entries);
        }
        self.any.store(true, std::sync::atomic::Ordering::Release);
    }

    /// The primed value of `key`, if a batch read it.
    fn get<K, V>(&self, key: &K) -> Option<V>
    where
        K: Hash + Eq + 'static,
        V: Clone + 'static,
    {
        if !self.any.load(std::sync::atomic::Ordering::Acquire) {
            return None;
        }
        let values = lock(&self.values);
        values
            .get(&TypeId::of::<K>())?
            .downcast_ref::<HashMap<K, V>>()?
            .get(key)
            .cloned()
    }
}

/// A spawned task that is stopped when whoever awaits it goes away (a cancelled request, a timeout).
struct StopOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> std::future::Future for StopOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for StopOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
