//! Limits on what one GraphQL document may ask, checked on the parsed document before validation and
//! execution, for HTTP and WebSocket alike (see [`super::document`], which checks the size on the raw
//! text first). Each refusal has its own `extensions.code` and names the limit: the depth of its fields,
//! its cost (a connection costs its page size times what it selects, so a fan-out of nested connections
//! is refused before any of it runs), the fields it expands to, its aliases, its root fields, the
//! directives on one field, and fragments that spread themselves.
//!
//! The work of measuring is bounded by the document's size, not by what it expands to: each fragment is
//! measured once and its summary reused wherever it is spread, so 30 fragments that each spread the next
//! twice (2^30 fields) cost 30 summaries. Numbers saturate instead of overflowing.

use std::collections::HashMap;

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, ServerError, Value, Variables};

use crate::error::coded as refusal;
use crate::service::page::DEFAULT_PAGE_SIZE;

pub use crate::config::Limits;

/// Fields an operation may expand to through its fragments: validation and execution walk every one.
pub const MAX_EXPANDED_FIELDS: u64 = 100_000;

/// Selection sets nested in one another (fields, fragments and inline fragments each count), the bound
/// async-graphql itself holds documents to; deeper chains are refused here first, with a code.
pub const MAX_NESTING: usize = 32;

/// What a selection set amounts to once its fragments are expanded.
#[derive(Clone, Copy, Default)]
struct Summary<'a> {
    /// Fields, counted where fragments are spread.
    fields: u64,
    /// The cost as [`Limits::complexity`] counts it.
    cost: u64,
    /// Aliased fields.
    aliases: u64,
    /// Fields at this level, through fragments.
    roots: u64,
    /// The deepest field's depth below this set (1 for a set of leaves) and its name.
    depth: usize,
    deepest: Option<&'a Name>,
    /// Selection sets nested below this one.
    nesting: usize,
}

impl<'a> Summary<'a> {
    /// Adds the summary of a fragment spread or inline fragment at this level.
    fn absorb(&mut self, inner: Summary<'a>) {
        self.fields = self.fields.saturating_add(inner.fields);
        self.cost = self.cost.saturating_add(inner.cost);
        self.aliases = self.aliases.saturating_add(inner.aliases);
        self.roots = self.roots.saturating_add(inner.roots);
        if inner.depth > self.depth {
            self.depth = inner.depth;
            self.deepest = inner.deepest;
        }
        self.nesting = self.nesting.max(inner.nesting + 1);
    }
}

/// How much measuring a document took: selection items visited, each fragment once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Fields, spreads and inline fragments visited.
    pub visits: usize,
    /// The cost of the operation that will run (what the answer holds while it is made grows with it).
    pub cost: u64,
}

/// Checks `document` against `limits`: every operation's shape (cycles, nesting, depth, directives,
/// aliases, root fields, expanded fields), and the cost of `executed`, the operation that will run, with
/// `variables` and the operation's own defaults for its page sizes.
pub fn check(
    document: &ExecutableDocument,
    executed: &OperationDefinition,
    variables: &Variables,
    limits: &Limits,
) -> Result<Work, ServerError> {
    let operations: Vec<&OperationDefinition> = match &document.operations {
        DocumentOperations::Single(operation) => vec![&operation.node],
        DocumentOperations::Multiple(operations) => operations.values().map(|o| &o.node).collect(),
    };
    let mut shape = Measure::new(document, variables, None, limits);
    for operation in operations {
        let summary = shape.set(&operation.selection_set.node, 0)?;
        check_shape(&summary, limits)?;
    }
    let mut pricing = Measure::new(document, variables, Some(executed), limits);
    let summary = pricing.set(&executed.selection_set.node, 0)?;
    if summary.cost > limits.complexity {
        return Err(refusal(
            "QUERY_TOO_COMPLEX",
            format!(
                "the query costs {} (each field 1, a connection its page size times what it selects); \
                 at most {} is accepted: ask for smaller pages or fewer nested lists",
                summary.cost, limits.complexity
            ),
        ));
    }
    Ok(Work {
        visits: shape.visits + pricing.visits,
        cost: summary.cost,
    })
}

fn check_shape(summary: &Summary<'_>, limits: &Limits) -> Result<(), ServerError> {
    if summary.nesting > MAX_NESTING {
        return Err(refusal(
            "QUERY_TOO_DEEP",
            format!(
                "the query nests {} selection sets (fields, fragments and inline fragments); at most {MAX_NESTING} are accepted",
                summary.nesting
            ),
        ));
    }
    if summary.depth > limits.depth {
        let name = summary.deepest.map(Name::as_str).unwrap_or("?");
        return Err(refusal(
            "QUERY_TOO_DEEP",
            format!(
                "the field {name} is nested {} fields deep; at most {} are accepted",
                summary.depth, limits.depth
            ),
        ));
    }
    if summary.fields > MAX_EXPANDED_FIELDS {
        return Err(refusal(
            "QUERY_TOO_COMPLEX",
            format!(
                "the query expands to {} fields through its fragments; at most {MAX_EXPANDED_FIELDS} are accepted",
                summary.fields
            ),
        ));
    }
    if summary.aliases > limits.aliases as u64 {
        return Err(refusal(
            "TOO_MANY_ALIASES",
            format!(
                "the query has more than {} aliases ({}, counted where fragments are spread)",
                limits.aliases, summary.aliases
            ),
        ));
    }
    if summary.roots > limits.root_fields as u64 {
        return Err(refusal(
            "TOO_MANY_ROOT_FIELDS",
            format!(
                "the operation asks for {} root fields; at most {} are accepted",
                summary.roots, limits.root_fields
            ),
        ));
    }
    Ok(())
}

/// One measuring pass, with the summaries of the fragments measured so far.
struct Measure<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    /// The operation whose variable defaults count for page sizes (none: only the request's variables).
    operation: Option<&'a OperationDefinition>,
    limits: &'a Limits,
    fragments: HashMap<&'a str, Summary<'a>>,
    /// Fragments being measured, innermost last: one spread again is a cycle.
    entered: Vec<&'a str>,
    visits: usize,
}

impl<'a> Measure<'a> {
    fn new(
        document: &'a ExecutableDocument,
        variables: &'a Variables,
        operation: Option<&'a OperationDefinition>,
        limits: &'a Limits,
    ) -> Self {
        Measure {
            document,
            variables,
            operation,
            limits,
            fragments: HashMap::new(),
            entered: Vec::new(),
            visits: 0,
        }
    }

    /// The summary of `set`, reached through `chain` nested selection sets.
    fn set(&mut self, set: &'a SelectionSet, chain: usize) -> Result<Summary<'a>, ServerError> {
        if chain > MAX_NESTING {
            return Err(refusal(
                "QUERY_TOO_DEEP",
                format!(
                    "the query nests more than {MAX_NESTING} selection sets (fields, fragments and inline fragments)"
                ),
            ));
        }
        let mut summary = Summary::default();
        for item in &set.items {
            self.visits += 1;
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    self.check_directives(field)?;
                    let children = self.set(&field.selection_set.node, chain + 1)?;
                    let page = self.page_size(field);
                    summary.fields = summary.fields.saturating_add(children.fields.saturating_add(1));
                    summary.cost = summary
                        .cost
                        .saturating_add(page.saturating_mul(children.cost).saturating_add(1));
                    summary.aliases = summary
                        .aliases
                        .saturating_add(children.aliases)
                        .saturating_add(u64::from(field.alias.is_some()));
                    summary.roots = summary.roots.saturating_add(1);
                    if children.depth + 1 > summary.depth {
                        summary.depth = children.depth + 1;
                        summary.deepest = children.deepest.or(Some(&field.name.node));
                    }
                    if !field.selection_set.node.items.is_empty() {
                        summary.nesting = summary.nesting.max(children.nesting + 1);
                    }
                }
                Selection::InlineFragment(inline) => {
                    let inner = self.set(&inline.node.selection_set.node, chain + 1)?;
                    summary.absorb(inner);
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(inner) = self.fragment(&spread.node.fragment_name.node, chain)? {
                        summary.absorb(inner);
                    }
                }
            }
        }
        Ok(summary)
    }

    /// The summary of fragment `name`, measured once; `None` for an unknown fragment (validation's to
    /// report).
    fn fragment(&mut self, name: &'a Name, chain: usize) -> Result<Option<Summary<'a>>, ServerError> {
        if let Some(summary) = self.fragments.get(name.as_str()) {
            return Ok(Some(*summary));
        }
        if self.entered.contains(&name.as_str()) {
            let mut through: Vec<&str> = self.entered.clone();
            through.sort_unstable();
            through.dedup();
            return Err(refusal(
                "FRAGMENT_CYCLE",
                format!("the fragment {name} spreads itself (through {})", through.join(", ")),
            ));
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            return Ok(None);
        };
        self.entered.push(name.as_str());
        let summary = self.set(&fragment.node.selection_set.node, chain + 1);
        self.entered.pop();
        let summary = summary?;
        self.fragments.insert(name.as_str(), summary);
        Ok(Some(summary))
    }

    fn check_directives(&self, field: &Field) -> Result<(), ServerError> {
        if field.directives.len() > self.limits.directives {
            return Err(refusal(
                "TOO_MANY_DIRECTIVES",
                format!(
                    "the field {} has {} directives; at most {} are accepted",
                    field.name.node,
                    field.directives.len(),
                    self.limits.directives
                ),
            ));
        }
        Ok(())
    }

    /// The value of variable `name`: the request's, else the measured operation's default.
    fn variable(&self, name: &Name) -> Option<Value> {
        if let Some(value) = self.variables.get(name) {
            return Some(value.clone());
        }
        let operation = self.operation?;
        operation
            .variable_definitions
            .iter()
            .find(|definition| definition.node.name.node == *name)
            .and_then(|definition| definition.node.default_value.as_ref())
            .map(|value| value.node.clone())
    }

    /// How many items a field returns at most: `first` or `last` of a connection (the default page when
    /// neither is given and it selects `nodes` or `edges`), otherwise 1.
    fn page_size(&self, field: &Field) -> u64 {
        let asked = field
            .arguments
            .iter()
            .filter(|(name, _)| matches!(name.node.as_str(), "first" | "last"))
            .filter_map(|(_, value)| {
                let value = value
                    .node
                    .clone()
                    .into_const_with(|name| self.variable(&name).ok_or(()));
                match value {
                    Ok(Value::Number(n)) => n.as_u64(),
                    _ => None,
                }
            })
            .max();
        let connection = field.selection_set.node.items.iter().any(
            |item| matches!(&item.node, Selection::Field(f) if matches!(f.node.name.node.as_str(), "nodes" | "edges")),
        );
        match asked {
            Some(n) => n.max(1),
            None if connection => DEFAULT_PAGE_SIZE,
            None => 1,
        }
    }
}
