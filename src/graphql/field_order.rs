//! Puts the fields of an answer in the order the query asked for them. The GraphQL specification says a
//! service should; async-graphql 7 inserts them in the order they finish.
//!
//! The order is planned once per request, from the parsed document ([`FieldOrder::of`]): a tree of
//! response keys, fragments flattened. It is applied while the answer is written ([`Ordered`]), so no
//! object of the answer is rebuilt or moved.

use std::collections::{BTreeMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, Selection, SelectionSet};
use async_graphql::{Name, ServerError, Value};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// The response keys of one selection, in query order, each with the order of its own value.
#[derive(Debug, Default)]
pub struct FieldOrder {
    keys: Vec<(Name, FieldOrder)>,
}

impl FieldOrder {
    /// The order of the answer to `operation`, the operation of `document` that runs.
    pub fn of(document: &ExecutableDocument, operation: &OperationDefinition) -> FieldOrder {
        plan(document, &[&operation.selection_set.node])
    }

    fn has(&self, key: &Name) -> bool {
        self.keys.iter().any(|(k, _)| k == key)
    }
}

/// The order of the selection sets `sets`, merged (the same key asked for in several fragments).
fn plan(document: &ExecutableDocument, sets: &[&SelectionSet]) -> FieldOrder {
    FieldOrder {
        keys: fields(document, sets)
            .into_iter()
            .map(|(key, subs)| (key.clone(), plan(document, &subs)))
            .collect(),
    }
}

/// The fields of `sets` in query order, with fragments flattened: each response key once, with every
/// selection set asked for under that key.
fn fields<'a>(document: &'a ExecutableDocument, sets: &[&'a SelectionSet]) -> Vec<(&'a Name, Vec<&'a SelectionSet>)> {
    /// Depth-first, in document order: a fragment's fields come where the fragment is spread; a fragment
    /// spread twice (or in a cycle, which validation refuses anyway) is walked once.
    fn walk<'a>(
        document: &'a ExecutableDocument,
        set: &'a SelectionSet,
        seen: &mut HashSet<&'a str>,
        out: &mut Vec<&'a Selection>,
    ) {
        for item in &set.items {
            match &item.node {
                Selection::Field(_) => out.push(&item.node),
                Selection::InlineFragment(inline) => walk(document, &inline.node.selection_set.node, seen, out),
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if seen.insert(name)
                        && let Some(fragment) = document.fragments.get(&spread.node.fragment_name.node)
                    {
                        walk(document, &fragment.node.selection_set.node, seen, out);
                    }
                }
            }
        }
    }
    let mut seen_fragments = HashSet::new();
    let mut ordered: Vec<&Selection> = Vec::new();
    for set in sets {
        walk(document, set, &mut seen_fragments, &mut ordered);
    }
    let mut found: Vec<(&Name, Vec<&SelectionSet>)> = Vec::new();
    for selection in ordered {
        if let Selection::Field(field) = selection {
            let key = &field.node.response_key().node;
            let sub = &field.node.selection_set.node;
            match found.iter_mut().find(|(k, _)| *k == key) {
                Some((_, subs)) => subs.push(sub),
                None => found.push((key, vec![sub])),
            }
        }
    }
    found
}

/// A value written with its objects' fields in `order`. Keys the order does not name (none, for an answer
/// to the planned document) follow in the order they have.
pub struct Ordered<'a> {
    /// The value.
    pub value: &'a Value,
    /// The order of its fields.
    pub order: &'a FieldOrder,
}

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                let mut written = 0;
                for (key, order) in &self.order.keys {
                    if let Some(value) = map.get(key) {
                        out.serialize_entry(key.as_str(), &Ordered { value, order })?;
                        written += 1;
                    }
                }
                if written < map.len() {
                    for (key, value) in map.iter().filter(|(key, _)| !self.order.has(key)) {
                        out.serialize_entry(key.as_str(), value)?;
                    }
                }
                out.end()
            }
            Value::List(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for value in items {
                    out.serialize_element(&Ordered {
                        value,
                        order: self.order,
                    })?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// An answer as async-graphql writes it (`data`, then `extensions` and `errors` when there are any), with
/// `data` in the order asked for.
#[derive(Serialize)]
pub struct OrderedResponse<'a> {
    data: Ordered<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "<[ServerError]>::is_empty")]
    errors: &'a [ServerError],
}

impl<'a> OrderedResponse<'a> {
    /// `response` to be written in `order`.
    pub fn new(response: &'a async_graphql::Response, order: &'a FieldOrder) -> Self {
        OrderedResponse {
            data: Ordered {
                value: &response.data,
                order,
            },
            extensions: &response.extensions,
            errors: &response.errors,
        }
    }
}
