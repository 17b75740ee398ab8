//! Puts the fields of a response in the order the query asked for them. The GraphQL specification says a
//! service should; async-graphql 7 inserts them in the order they finish.

use std::collections::HashSet;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Value};

/// Reorders `data`, the answer to the operation `operation_name` of `document`.
pub fn reorder(document: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    let operation = document
        .operations
        .iter()
        .find(|(name, _)| operation_name.is_none() || name.map(|n| n.as_str()) == operation_name)
        .map(|(_, operation)| operation);
    if let Some(operation) = operation {
        order_value(document, &[&operation.node.selection_set.node], data);
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

fn order_value(document: &ExecutableDocument, sets: &[&SelectionSet], value: &mut Value) {
    match value {
        Value::List(items) => {
            for item in items {
                order_value(document, sets, item);
            }
        }
        Value::Object(map) => {
            let mut old = std::mem::take(map);
            let mut ordered = IndexMap::with_capacity(old.len());
            for (key, subs) in fields(document, sets) {
                if let Some(mut child) = old.shift_remove(key) {
                    order_value(document, &subs, &mut child);
                    ordered.insert(key.clone(), child);
                }
            }
            ordered.extend(old);
            *map = ordered;
        }
        _ => {}
    }
}
