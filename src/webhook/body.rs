//! What a delivery posts: `{"type", "timestamp", "data"}` as the Standard Webhooks specification
//! suggests, with `data` the change event exactly as `changes` answers it, read through the API as the
//! endpoint's owner (so personal data appears only when the owner's role reads it). The record's
//! selection is derived from the schema once: every field without arguments whose type is a scalar or an
//! enum; a related record as `{ id }`; a small object (translations, sources, contacts) with its own
//! fields by the same rule; connections and fields with arguments are left out.

use std::collections::HashMap;

use async_graphql::parser::types::{BaseType, TypeKind, TypeSystemDefinition};
use serde_json::Value;

use crate::graphql::KartlaSchema;
use crate::graphql::empty_records::EmptyRecords;
use crate::graphql::loader::Loader;
use crate::service::id::NodeType;
use crate::service::permission::Viewer;

/// The GraphQL document a delivery's event is read with.
#[derive(Clone, Debug)]
pub struct EventDocument(String);

/// A type of the schema, as far as the selection needs it.
struct Described {
    node: bool,
    object: bool,
    /// Fields without arguments: name and named type.
    fields: Vec<(String, String)>,
}

impl EventDocument {
    /// The document for `sdl`, the schema's SDL.
    pub fn for_schema(sdl: &str) -> Result<Self, String> {
        let document = async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let mut types: HashMap<String, Described> = HashMap::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let definition = definition.node;
            let name = definition.name.node.to_string();
            let (node, object, fields) = match definition.kind {
                TypeKind::Object(object) => (
                    object.implements.iter().any(|i| i.node.as_str() == "Node"),
                    true,
                    object
                        .fields
                        .iter()
                        .filter(|f| f.node.arguments.is_empty())
                        .map(|f| (f.node.name.node.to_string(), named(&f.node.ty.node.base)))
                        .collect(),
                ),
                _ => (false, false, Vec::new()),
            };
            types.insert(name, Described { node, object, fields });
        }
        let mut fragments = String::new();
        for node_type in NodeType::ALL {
            let selection = select(&types, node_type.name(), 0);
            if selection.is_empty() {
                return Err(format!("no fields to select on {}", node_type.name()));
            }
            fragments.push_str(&format!(" ... on {} {{ {selection} }}", node_type.name()));
        }
        Ok(EventDocument(format!(
            "query KartlaWebhookEvent($after: String!) {{ changes(after: $after, first: 1) {{ nodes {{ \
             position at operation recordType recordId version record {{ __typename{fragments} }} }} }} }}"
        )))
    }

    /// The document's text.
    pub fn text(&self) -> &str {
        &self.0
    }
}

fn named(base: &BaseType) -> String {
    match base {
        BaseType::Named(name) => name.to_string(),
        BaseType::List(inner) => named(&inner.base),
    }
}

/// The selection of the fields of `type_name`, `depth` objects below the record.
fn select(types: &HashMap<String, Described>, type_name: &str, depth: usize) -> String {
    let Some(described) = types.get(type_name) else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (field, of) in &described.fields {
        match types.get(of.as_str()) {
            // Scalars (built-in ones are not in the SDL) and enums.
            None => parts.push(field.clone()),
            Some(target) if !target.object => parts.push(field.clone()),
            Some(target) if target.node => parts.push(format!("{field} {{ id }}")),
            Some(_) if depth < 1 && !of.ends_with("Connection") => {
                let inner = select(types, of, depth + 1);
                if !inner.is_empty() {
                    parts.push(format!("{field} {{ {inner} }}"));
                }
            }
            Some(_) => {}
        }
    }
    parts.join(" ")
}

/// The event at `position` as `viewer` reads it, or `None` when the feed has none there (yet).
pub async fn event(
    schema: &KartlaSchema,
    db: &sea_orm::DatabaseConnection,
    document: &EventDocument,
    viewer: Viewer,
    position: i64,
) -> Result<Option<Value>, String> {
    let (loader, turns) = Loader::new(db.clone(), true);
    let empty_records = EmptyRecords::default();
    let variables = async_graphql::Variables::from_json(serde_json::json!({ "after": (position - 1).to_string() }));
    let request = async_graphql::Request::new(document.text())
        .variables(variables)
        .data(loader)
        .data(viewer)
        .data(empty_records.clone());
    let mut response = turns.drive(schema.execute(request)).await;
    if let Some(error) = response.errors.first() {
        return Err(format!("reading the event: {}", error.message));
    }
    empty_records.mend(&mut response.data);
    let data = response.data.into_json().map_err(|e| e.to_string())?;
    let event = data["changes"]["nodes"]
        .as_array()
        .and_then(|nodes| nodes.first())
        .filter(|event| event["position"] == Value::String(position.to_string()))
        .cloned();
    Ok(event)
}

/// The body posted for `event`: its type (`initiative.updated`, `focus_area.created`), its time, and the
/// event.
pub fn body(event: Value) -> Vec<u8> {
    let record_type = event["recordType"].as_str().unwrap_or("RECORD");
    let operation = event["operation"].as_str().unwrap_or("UPDATE");
    let kind = format!("{}.{}", record_type.to_lowercase(), past(operation));
    let timestamp = event["at"].clone();
    let body = serde_json::json!({ "type": kind, "timestamp": timestamp, "data": event });
    serde_json::to_vec(&body).unwrap_or_default()
}

fn past(operation: &str) -> &'static str {
    match operation {
        "CREATE" => "created",
        "ARCHIVE" => "archived",
        "RESTORE" => "restored",
        "DELETE" => "deleted",
        _ => "updated",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_selects_each_record_s_plain_fields() {
        let document = EventDocument::for_schema(&crate::graphql::parseable_sdl()).expect("a document");
        let text = document.text();
        assert!(text.contains("... on Initiative { id number country status"), "{text}");
        assert!(text.contains("titleTranslations { lang text }"), "{text}");
        assert!(text.contains("actionPlan { id }"), "{text}");
        assert!(!text.contains("history"), "{text}");
        let posted: Value = serde_json::from_slice(&body(serde_json::json!({
            "recordType": "FOCUS_AREA", "operation": "ARCHIVE", "at": "2026-12-01T10:00:00Z" })))
        .expect("JSON");
        assert_eq!(posted["type"], "focus_area.archived");
        assert_eq!(posted["timestamp"], "2026-12-01T10:00:00Z");
        if std::env::var("PRINT_DOCUMENT").is_ok() {
            println!("{text}");
        }
    }
}
