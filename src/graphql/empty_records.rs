//! A record found but asked nothing of its type answers `{}`, not `null` (which reads as "no such ID"):
//! `node(id:) { ... on Initiative { title } }` for an organisation's ID. async-graphql answers an object
//! with no fields as null, so the resolvers that return a `Node` note where that happens, and the answer is
//! mended after execution ([`EmptyRecords::mend`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::{FragmentDefinition, Selection, SelectionSet};
use async_graphql::{Context, Name, Positioned, Value};

use super::object::node::Node;

/// Where, in one request's answer, a record stands that the query asks nothing of. Shared by the
/// request's resolvers (through the context) and its HTTP or WebSocket handler.
#[derive(Clone, Default)]
pub struct EmptyRecords(Arc<Mutex<Vec<Vec<String>>>>);

impl EmptyRecords {
    /// Notes the records `found` by the current field (one, or a list when `list`) that its selection
    /// asks nothing of.
    pub fn note(ctx: &Context<'_>, found: &[Option<Node>], list: bool) {
        let Some(records) = ctx.data_opt::<EmptyRecords>() else {
            return;
        };
        let fragments = &ctx.query_env.fragments;
        let selection = &ctx.item.node.selection_set.node;
        let empty: Vec<usize> = found
            .iter()
            .enumerate()
            .filter(|(_, record)| {
                record
                    .as_ref()
                    .is_some_and(|record| !asks_of(selection, fragments, record.type_name()))
            })
            .map(|(index, _)| index)
            .collect();
        // The path is built only when there is something to note: most answers have none.
        if empty.is_empty() {
            return;
        }
        let Some(path) = ctx.path_node.map(|node| node.to_string_vec()) else {
            return;
        };
        let mut noted = records.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for index in empty {
            let mut at = path.clone();
            if list {
                at.push(index.to_string());
            }
            noted.push(at);
        }
    }

    /// Puts `{}` where a noted record was answered as null.
    pub fn mend(&self, data: &mut Value) {
        let noted = std::mem::take(&mut *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        for path in noted {
            mend_at(data, &path);
        }
    }
}

fn mend_at(value: &mut Value, path: &[String]) {
    let Some((segment, rest)) = path.split_first() else {
        if *value == Value::Null {
            *value = Value::Object(Default::default());
        }
        return;
    };
    let next = match value {
        Value::Object(fields) => fields.get_mut(segment.as_str()),
        Value::List(items) => segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    };
    if let Some(next) = next {
        mend_at(next, rest);
    }
}

/// Whether `set` selects any field of a record of type `type_name` (directly, or through a fragment on
/// that type or on `Node`).
fn asks_of(set: &SelectionSet, fragments: &HashMap<Name, Positioned<FragmentDefinition>>, type_name: &str) -> bool {
    let applies = |condition: Option<&str>| condition.is_none_or(|on| on == type_name || on == "Node");
    set.items.iter().any(|item| match &item.node {
        Selection::Field(_) => true,
        Selection::InlineFragment(inline) => {
            let condition = inline.node.type_condition.as_ref().map(|c| c.node.on.node.as_str());
            applies(condition) && asks_of(&inline.node.selection_set.node, fragments, type_name)
        }
        Selection::FragmentSpread(spread) => fragments.get(&spread.node.fragment_name.node).is_some_and(|fragment| {
            applies(Some(fragment.node.type_condition.node.on.node.as_str()))
                && asks_of(&fragment.node.selection_set.node, fragments, type_name)
        }),
    })
}
