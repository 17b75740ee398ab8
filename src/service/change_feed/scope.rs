//! Where each record type lives and what it belongs to: the table, and the SQL (over the record's own row)
//! of the initiative and the organisation it belongs to, which the feed's filters match.

use crate::service::id::NodeType;

/// A record type's table and the SQL of its initiative and organisation.
pub struct Scope {
    /// The record's table.
    pub table: &'static str,
    /// The initiative the record belongs to: the initiative itself, an activity's initiative, and so on.
    pub initiative: &'static str,
    /// The organisation the record belongs to: the organisation itself, a role's holder, a participant,
    /// a consultation's organiser.
    pub organisation: &'static str,
}

/// The initiative of the activity a row refers to with `activity_id`.
const ACTIVITY_INITIATIVE: &str = "(SELECT a.initiative_id FROM activity a WHERE a.id = activity_id)";

/// The scope of `record_type`.
pub fn of(record_type: NodeType) -> Scope {
    let scope = |table, initiative, organisation| Scope {
        table,
        initiative,
        organisation,
    };
    match record_type {
        NodeType::Organisation => scope("organisation", "NULL", "id"),
        NodeType::Strategy => scope("strategy", "NULL", "NULL"),
        NodeType::FocusArea => scope("focus_area", "NULL", "NULL"),
        NodeType::Goal => scope("goal", "NULL", "NULL"),
        NodeType::ActionPlan => scope("action_plan", "NULL", "NULL"),
        NodeType::Theme => scope("theme", "NULL", "NULL"),
        NodeType::Initiative => scope("initiative", "id", "NULL"),
        NodeType::Activity => scope("activity", "initiative_id", "NULL"),
        NodeType::Responsibility => scope(
            "responsibility",
            "COALESCE(initiative_id, (SELECT a.initiative_id FROM activity a WHERE a.id = activity_id))",
            "organisation_id",
        ),
        NodeType::Participation => scope("participation", ACTIVITY_INITIATIVE, "organisation_id"),
        NodeType::Consultation => scope("consultation", "NULL", "organiser_id"),
    }
}

/// The record type whose rows live in `table`, if its rows are records of the feed.
pub fn record_type_of_table(table: &str) -> Option<NodeType> {
    NodeType::ALL.into_iter().find(|t| of(*t).table == table)
}
