//! Limits on what one GraphQL document may ask, checked right after parsing and before validation and
//! execution, for HTTP and WebSocket alike. Each refusal has its own `extensions.code` and names the limit:
//! the document's size, the depth of its fields, its cost (a connection costs its page size times what it
//! selects, so a fan-out of nested connections is refused before any of it runs), its aliases, its root
//! fields, the directives on one field, and fragments that spread themselves.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, ServerResult, Value, Variables};

use crate::error::{coded as refusal, with_code};
use crate::service::page::DEFAULT_PAGE_SIZE;

/// The limits, each configurable (see `kartla serve --help`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in the query document.
    pub document_bytes: usize,
    /// Fields nested in fields.
    pub depth: usize,
    /// The cost of the query: each field costs 1 plus its selection's cost, times the page size for a
    /// connection (`first` or `last`, else the default page).
    pub complexity: u64,
    /// Aliased fields in the document.
    pub aliases: usize,
    /// Fields at the root of an operation.
    pub root_fields: usize,
    /// Directives on one field.
    pub directives: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            document_bytes: 32 * 1024,
            depth: 16,
            complexity: 25_000,
            aliases: 30,
            root_fields: 20,
            directives: 5,
        }
    }
}

/// Fields and fragments visited per document at most: fragments that spread each other several times
/// multiply, and this bounds the work of measuring them.
const MAX_VISITS: usize = 100_000;

/// The extension that applies [`Limits`].
pub struct QueryLimits(pub Limits);

impl ExtensionFactory for QueryLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Check(self.0))
    }
}

struct Check(Limits);

#[async_graphql::async_trait::async_trait]
impl Extension for Check {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if query.len() > self.0.document_bytes {
            return Err(refusal(
                "DOCUMENT_TOO_LARGE",
                format!(
                    "the query is {} bytes; at most {} are accepted",
                    query.len(),
                    self.0.document_bytes
                ),
            ));
        }
        let document = match next.run(ctx, query, variables).await {
            Ok(document) => document,
            Err(error) => {
                // async-graphql refuses a document nested beyond its recursion limit, fragment cycles
                // included, without saying which: the plain parser's document says.
                let Ok(document) = async_graphql::parser::parse_query(query) else {
                    return Err(with_code(error, "GRAPHQL_PARSE_FAILED"));
                };
                Measure::new(&document, variables, self.0).check()?;
                return Err(with_code(error, "QUERY_TOO_DEEP"));
            }
        };
        Measure::new(&document, variables, self.0).check()?;
        Ok(document)
    }
}

/// One walk over a document's operations.
struct Measure<'a> {
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    limits: Limits,
    aliases: usize,
    visits: usize,
}

impl<'a> Measure<'a> {
    fn new(document: &'a ExecutableDocument, variables: &'a Variables, limits: Limits) -> Self {
        Measure {
            document,
            variables,
            limits,
            aliases: 0,
            visits: 0,
        }
    }

    fn check(mut self) -> ServerResult<()> {
        let operations: Vec<&SelectionSet> = match &self.document.operations {
            DocumentOperations::Single(operation) => vec![&operation.node.selection_set.node],
            DocumentOperations::Multiple(operations) => {
                operations.values().map(|o| &o.node.selection_set.node).collect()
            }
        };
        for selection_set in operations {
            let roots = self.root_fields(selection_set, &mut Vec::new())?;
            if roots > self.limits.root_fields {
                return Err(refusal(
                    "TOO_MANY_ROOT_FIELDS",
                    format!(
                        "the operation asks for {roots} root fields; at most {} are accepted",
                        self.limits.root_fields
                    ),
                ));
            }
            let cost = self.cost(selection_set, 1, &mut Vec::new())?;
            if cost > self.limits.complexity {
                return Err(refusal(
                    "QUERY_TOO_COMPLEX",
                    format!(
                        "the query costs {cost} (each field 1, a connection its page size times what it selects); \
                         at most {} is accepted: ask for smaller pages or fewer nested lists",
                        self.limits.complexity
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The fields at the root of `set`, through its fragments.
    fn root_fields(&mut self, set: &'a SelectionSet, fragments: &mut Vec<&'a Name>) -> ServerResult<usize> {
        let mut n = 0;
        for item in &set.items {
            n += match &item.node {
                Selection::Field(_) => 1,
                Selection::InlineFragment(fragment) => {
                    self.root_fields(&fragment.node.selection_set.node, fragments)?
                }
                Selection::FragmentSpread(spread) => match self.enter(&spread.node.fragment_name.node, fragments)? {
                    Some(inner) => {
                        let n = self.root_fields(inner, fragments)?;
                        fragments.pop();
                        n
                    }
                    None => 0,
                },
            };
        }
        Ok(n)
    }

    /// The selection set of fragment `name`, entered (pushed on `fragments`); a fragment already being
    /// entered is a cycle.
    fn enter(&mut self, name: &'a Name, fragments: &mut Vec<&'a Name>) -> ServerResult<Option<&'a SelectionSet>> {
        if fragments.contains(&name) {
            return Err(refusal(
                "FRAGMENT_CYCLE",
                format!("the fragment {name} spreads itself (through {})", join(fragments)),
            ));
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            // An unknown fragment is validation's to report.
            return Ok(None);
        };
        fragments.push(name);
        Ok(Some(&fragment.node.selection_set.node))
    }

    /// The cost of `set` at `depth`, checking depth, aliases and directives on the way.
    fn cost(&mut self, set: &'a SelectionSet, depth: usize, fragments: &mut Vec<&'a Name>) -> ServerResult<u64> {
        let mut total: u64 = 0;
        for item in &set.items {
            self.visits += 1;
            if self.visits > MAX_VISITS {
                return Err(refusal(
                    "QUERY_TOO_COMPLEX",
                    format!("the query expands to more than {MAX_VISITS} fields through its fragments"),
                ));
            }
            let cost = match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    if depth > self.limits.depth {
                        return Err(refusal(
                            "QUERY_TOO_DEEP",
                            format!(
                                "the field {} is nested {depth} fields deep; at most {} are accepted",
                                field.name.node, self.limits.depth
                            ),
                        ));
                    }
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
                    if field.alias.is_some() {
                        self.aliases += 1;
                        if self.aliases > self.limits.aliases {
                            return Err(refusal(
                                "TOO_MANY_ALIASES",
                                format!("the query has more than {} aliases", self.limits.aliases),
                            ));
                        }
                    }
                    let children = self.cost(&field.selection_set.node, depth + 1, fragments)?;
                    let page = self.page_size(field);
                    1u64.saturating_add(page.saturating_mul(children))
                }
                Selection::InlineFragment(fragment) => {
                    self.cost(&fragment.node.selection_set.node, depth, fragments)?
                }
                Selection::FragmentSpread(spread) => match self.enter(&spread.node.fragment_name.node, fragments)? {
                    Some(inner) => {
                        let cost = self.cost(inner, depth, fragments)?;
                        fragments.pop();
                        cost
                    }
                    None => 0,
                },
            };
            total = total.saturating_add(cost);
        }
        Ok(total)
    }

    /// How many items a field returns at most: `first` or `last` of a connection (the default page when
    /// neither is given and it selects `nodes` or `edges`), otherwise 1.
    fn page_size(&self, field: &async_graphql::parser::types::Field) -> u64 {
        let asked = field
            .arguments
            .iter()
            .filter(|(name, _)| matches!(name.node.as_str(), "first" | "last"))
            .filter_map(|(_, value)| {
                let value = value
                    .node
                    .clone()
                    .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()));
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

fn join(fragments: &[&Name]) -> String {
    let names: HashSet<&str> = fragments.iter().map(|n| n.as_str()).collect();
    let mut names: Vec<&str> = names.into_iter().collect();
    names.sort_unstable();
    names.join(", ")
}
