//! Global IDs: opaque, stable strings that encode a record's type and UUID, so `node(id:)` can resolve
//! any record. The encoding is base64url (no padding) of `<Type>:<uuid>`; clients must not rely on it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::Error;

/// The record types that have global IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, async_graphql::Enum)]
#[graphql(name = "RecordType")]
pub enum NodeType {
    /// An organisation.
    Organisation,
    /// A strategy.
    Strategy,
    /// A focus area of a strategy.
    FocusArea,
    /// A goal of a focus area.
    Goal,
    /// An action plan.
    ActionPlan,
    /// An initiative.
    Initiative,
    /// A theme.
    Theme,
    /// An activity of an initiative.
    Activity,
    /// A consultation.
    Consultation,
    /// A role an organisation holds on an initiative or an activity.
    Responsibility,
    /// An organisation's participation in an activity.
    Participation,
}

impl NodeType {
    /// Every node type; `decode` knows only these. The test below checks each one round-trips.
    pub const ALL: [NodeType; 11] = [
        NodeType::Organisation,
        NodeType::Strategy,
        NodeType::FocusArea,
        NodeType::Goal,
        NodeType::ActionPlan,
        NodeType::Initiative,
        NodeType::Theme,
        NodeType::Activity,
        NodeType::Consultation,
        NodeType::Responsibility,
        NodeType::Participation,
    ];

    /// The GraphQL type name, which is also the prefix inside the ID.
    pub fn name(self) -> &'static str {
        match self {
            NodeType::Organisation => "Organisation",
            NodeType::Strategy => "Strategy",
            NodeType::FocusArea => "FocusArea",
            NodeType::Goal => "Goal",
            NodeType::ActionPlan => "ActionPlan",
            NodeType::Initiative => "Initiative",
            NodeType::Theme => "Theme",
            NodeType::Activity => "Activity",
            NodeType::Consultation => "Consultation",
            NodeType::Responsibility => "Responsibility",
            NodeType::Participation => "Participation",
        }
    }
}

/// Encodes a global ID.
pub fn encode(node_type: NodeType, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", node_type.name(), id))
}

/// Decodes a global ID of any type; a string that is not one is a `BAD_ID` error.
pub fn decode(global_id: &str) -> Result<(NodeType, Uuid), Error> {
    let bad = || Error::BadId(format!("{global_id:?} is not a Kartla ID; use the `id` of a record"));
    let bytes = URL_SAFE_NO_PAD
        .decode(global_id.trim_end_matches('='))
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (type_name, uuid) = text.split_once(':').ok_or_else(bad)?;
    let node_type = NodeType::ALL
        .into_iter()
        .find(|t| t.name() == type_name)
        .ok_or_else(bad)?;
    let uuid = Uuid::parse_str(uuid).map_err(|_| bad())?;
    Ok((node_type, uuid))
}

/// The type name inside a webhook endpoint's global ID. Endpoints are Nodes but not registry records, so
/// they are no [`NodeType`] (which is also the change feed's `RecordType`).
pub const WEBHOOK_ENDPOINT: &str = "WebhookEndpoint";

/// Encodes the global ID of a webhook endpoint.
pub fn encode_webhook_endpoint(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{WEBHOOK_ENDPOINT}:{id}"))
}

/// The endpoint of a webhook endpoint's global ID; `None` for any other string.
pub fn decode_webhook_endpoint(global_id: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(global_id.trim_end_matches('=')).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let uuid = text.strip_prefix(WEBHOOK_ENDPOINT)?.strip_prefix(':')?;
    Uuid::parse_str(uuid).ok()
}

/// Decodes a global ID that must be of `expected` type (a filter argument such as `parent`).
pub fn decode_as(global_id: &str, expected: NodeType) -> Result<Uuid, Error> {
    match decode(global_id)? {
        (node_type, uuid) if node_type == expected => Ok(uuid),
        (node_type, _) => Err(Error::BadId(format!(
            "{global_id:?} is the ID of a {}, but a {} is expected here",
            node_type.name(),
            expected.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let uuid = Uuid::new_v4();
        for node_type in NodeType::ALL {
            assert_eq!(decode(&encode(node_type, uuid)).ok(), Some((node_type, uuid)));
        }
        let id = encode(NodeType::Goal, uuid);
        assert_eq!(decode(&id).ok(), Some((NodeType::Goal, uuid)));
        assert!(matches!(decode_as(&id, NodeType::Strategy), Err(Error::BadId(_))));
        for garbage in [
            "",
            "abc",
            "!!!",
            &URL_SAFE_NO_PAD.encode("Nope:1"),
            &URL_SAFE_NO_PAD.encode("Goal:x"),
        ] {
            assert!(matches!(decode(garbage), Err(Error::BadId(_))), "{garbage}");
        }
    }
}
