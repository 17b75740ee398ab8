//! What one client may hold open over GraphQL over WebSocket: a socket must send `connection_init`
//! within [`SocketLimits::init_timeout`] (else it is closed with 4408, as graphql-transport-ws says), one
//! socket runs at most [`SocketLimits::subscriptions_per_socket`] subscriptions at once, and one client
//! address holds at most [`SocketLimits::sockets_per_address`] sockets (a further upgrade gets 429).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub use crate::config::SocketLimits;

/// The sockets open per client address. Cheap to clone.
#[derive(Clone, Default)]
pub struct OpenSockets(Arc<Mutex<HashMap<String, usize>>>);

impl OpenSockets {
    /// A place for one more socket from `address`, or `None` when it holds `max` already. The place is
    /// given back when the returned value is dropped.
    pub fn take(&self, address: String, max: usize) -> Option<SocketPlace> {
        let mut open = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(address.clone()).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(SocketPlace {
            sockets: self.clone(),
            address,
        })
    }
}

/// One socket's place among its address's.
pub struct SocketPlace {
    sockets: OpenSockets,
    address: String,
}

impl Drop for SocketPlace {
    fn drop(&mut self) {
        let mut open = self.sockets.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// The subscriptions running on one socket.
#[derive(Clone, Default)]
pub struct RunningSubscriptions(Arc<AtomicUsize>);

impl RunningSubscriptions {
    /// A place for one more subscription, or `None` when `max` run already; given back on drop.
    pub fn take(&self, max: usize) -> Option<SubscriptionPlace> {
        self.0
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1))
            .ok()
            .map(|_| SubscriptionPlace(self.0.clone()))
    }
}

/// One subscription's place on its socket.
pub struct SubscriptionPlace(Arc<AtomicUsize>);

impl Drop for SubscriptionPlace {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
