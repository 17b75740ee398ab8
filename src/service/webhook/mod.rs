//! Webhooks: endpoints that integrators register, and the rules of their deliveries. An endpoint owes
//! every change event after its `upto` position that matches its filter; a delivery posts one event,
//! signed as the Standard Webhooks specification says, and moves `upto` past it only once the receiver
//! answered 2xx. The deliveries themselves are made by [`crate::webhook`], from the change feed.

pub mod endpoint;
pub mod log;
pub mod schedule;
pub mod secret;
pub mod target;

pub use endpoint::{EndpointFields, Owner};

/// The `webhook-id` of the delivery of the event at `position` to `endpoint`: the same for every attempt
/// and every redelivery, so receivers can drop what they already have.
pub fn message_id(endpoint: uuid::Uuid, position: i64) -> String {
    format!("msg_{}_{position}", endpoint.simple())
}
