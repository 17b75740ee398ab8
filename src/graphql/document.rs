//! A request's document, prepared once for HTTP and WebSocket alike: its size checked on the raw text,
//! parsed once, the operation to run chosen, the [`Limits`] applied by counting (before async-graphql's
//! own checks and validation, whose work could otherwise grow faster than the document), Int literals and
//! required variables checked; the parsed document is handed to the schema so it is not parsed again.
//!
//! Every refusal is a request error with `extensions.code`: `DOCUMENT_TOO_LARGE`,
//! `GRAPHQL_PARSE_FAILED` (one sentence, the place in `locations`), `GRAPHQL_VALIDATION_FAILED`,
//! `OPERATION_NAME_REQUIRED`, `OPERATION_NOT_FOUND`, `BAD_USER_INPUT` (a variable), and the limits' codes.

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet,
};
use async_graphql::parser::{Error as ParseError, parse_query};
use async_graphql::{Pos, Positioned, Request, Response, ServerError, Value};

use super::field_order::FieldOrder;
use super::limits::{self, Limits};
use crate::error::{code_of, coded, with_code};

/// The operation a request runs, and the document it came in.
pub struct Prepared {
    /// The operation's name, when it has one.
    pub operation_name: Option<String>,
    /// Query, mutation or subscription.
    pub kind: OperationType,
    /// The order the answer's fields are written in: the order the query asks for them.
    pub field_order: FieldOrder,
    /// The operation's cost, as the limits count it.
    pub cost: u64,
    /// Where the arguments that take a variable are named.
    variable_arguments: Vec<Pos>,
}

/// Prepares `request` (see the module's documentation): on success the schema will execute the document
/// parsed here.
pub fn prepare(request: &mut Request, limits: &Limits) -> Result<Prepared, ServerError> {
    if request.query.len() > limits.document_bytes {
        return Err(coded(
            "DOCUMENT_TOO_LARGE",
            format!(
                "the query is {} bytes; at most {} are accepted",
                request.query.len(),
                limits.document_bytes
            ),
        ));
    }
    let document = parse_query(&request.query).map_err(parse_error)?;
    let (operation_name, operation) = chosen(&document, request.operation_name.as_deref())?;
    let variable_arguments = check_int_literals(&document)?;
    let work = limits::check(&document, operation, &request.variables, limits)?;
    check_required_variables(operation, request)?;
    let prepared = Prepared {
        operation_name,
        kind: operation.ty,
        cost: work.cost,
        field_order: FieldOrder::of(&document, operation),
        variable_arguments,
    };
    request.set_parsed_query(document);
    Ok(prepared)
}

/// Whether `response` answers a request that never ran (parse, validation, variables): no data, and no
/// error with a path.
pub fn is_request_error(response: &Response) -> bool {
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// Gives every uncoded error of a request that never ran the code of async-graphql's only remaining
/// refusals: `BAD_USER_INPUT` for a variable's value that its argument does not take, else
/// `GRAPHQL_VALIDATION_FAILED`.
pub fn code_request_errors(response: &mut Response, prepared: &Prepared) {
    if !is_request_error(response) {
        return;
    }
    for error in &mut response.errors {
        if code_of(error).is_some() {
            continue;
        }
        let variable = error.message.starts_with("Invalid value for argument")
            && error
                .locations
                .first()
                .is_some_and(|pos| prepared.variable_arguments.contains(pos));
        let code = if variable {
            "BAD_USER_INPUT"
        } else {
            "GRAPHQL_VALIDATION_FAILED"
        };
        let uncoded = std::mem::replace(error, ServerError::new("", None));
        *error = with_code(uncoded, code);
    }
}

/// A parse error as one sentence, with its place in `locations`.
fn parse_error(error: ParseError) -> ServerError {
    let positions: Vec<Pos> = error.positions().collect();
    let (code, message) = match &error {
        // pest gives up on nesting deeper than its stack allows.
        ParseError::Syntax { message, .. } if message.contains("stack limit reached") => (
            "QUERY_TOO_DEEP",
            "the query nests its selections or values too deeply to be read".to_owned(),
        ),
        ParseError::Syntax { message, start, .. } => {
            // pest draws the line with a caret; its last line says what was expected.
            let expected = message
                .lines()
                .rev()
                .find_map(|line| line.trim().strip_prefix("= "))
                .unwrap_or("a valid GraphQL document")
                .replace('_', " ");
            (
                "GRAPHQL_PARSE_FAILED",
                format!(
                    "Syntax error at line {}, column {}: {expected}",
                    start.line, start.column
                ),
            )
        }
        ParseError::RecursionLimitExceeded => (
            "QUERY_TOO_DEEP",
            "the query nests its selections or values too deeply to be read".to_owned(),
        ),
        other => ("GRAPHQL_VALIDATION_FAILED", other.to_string()),
    };
    let mut error = coded(code, message);
    error.locations = positions;
    error
}

/// The operation to run: the one named, or the document's only one.
fn chosen<'a>(
    document: &'a ExecutableDocument,
    name: Option<&str>,
) -> Result<(Option<String>, &'a OperationDefinition), ServerError> {
    match (&document.operations, name) {
        (DocumentOperations::Single(operation), _) => Ok((None, &operation.node)),
        (DocumentOperations::Multiple(operations), Some(name)) => operations
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(n, operation)| (Some(n.to_string()), &operation.node))
            .ok_or_else(|| {
                coded(
                    "OPERATION_NOT_FOUND",
                    format!("the document has no operation named \"{name}\""),
                )
            }),
        (DocumentOperations::Multiple(operations), None) => {
            let mut only = operations.iter();
            match (only.next(), only.next()) {
                (Some((n, operation)), None) => Ok((Some(n.to_string()), &operation.node)),
                _ => {
                    let mut names: Vec<&str> = operations.keys().map(|n| n.as_str()).collect();
                    names.sort_unstable();
                    Err(coded(
                        "OPERATION_NAME_REQUIRED",
                        format!(
                            "the document has {} operations ({}); name the one to run in \"operationName\"",
                            names.len(),
                            names.join(", ")
                        ),
                    ))
                }
            }
        }
    }
}

/// Every Int in Kartla's arguments is 32-bit (the schema has no Float argument), so an integer literal
/// outside that range is refused wherever it is written, also in a fragment that does not apply.
/// Returns where the arguments that take a variable are named, so that a refusal of a variable's value
/// can be told from one of the document.
fn check_int_literals(document: &ExecutableDocument) -> Result<Vec<Pos>, ServerError> {
    let mut variable_arguments = Vec::new();
    for (_, operation) in document.operations.iter() {
        for definition in &operation.node.variable_definitions {
            if let Some(default) = &definition.node.default_value {
                int_literals_of(&default.node, default.pos)?;
            }
        }
        int_literals_in(&operation.node.selection_set.node, &mut variable_arguments)?;
    }
    for fragment in document.fragments.values() {
        int_literals_in(&fragment.node.selection_set.node, &mut variable_arguments)?;
    }
    Ok(variable_arguments)
}

fn int_literals_in(set: &SelectionSet, variable_arguments: &mut Vec<Pos>) -> Result<(), ServerError> {
    for item in &set.items {
        match &item.node {
            Selection::Field(field) => {
                for (name, argument) in &field.node.arguments {
                    match argument.node.clone().into_const() {
                        Some(literal) => int_literals_of(&literal, argument.pos)?,
                        // Variables are the request's, checked as they are coerced.
                        None => variable_arguments.push(name.pos),
                    }
                }
                int_literals_in(&field.node.selection_set.node, variable_arguments)?;
            }
            Selection::InlineFragment(inline) => int_literals_in(&inline.node.selection_set.node, variable_arguments)?,
            Selection::FragmentSpread(_) => {}
        }
    }
    Ok(())
}

fn int_literals_of(value: &Value, pos: Pos) -> Result<(), ServerError> {
    match value {
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) && n.as_i64().is_none_or(out_of_range) => {
            Err(out_of_range_error(n, pos))
        }
        Value::List(items) => items.iter().try_for_each(|item| int_literals_of(item, pos)),
        Value::Object(fields) => fields.values().try_for_each(|item| int_literals_of(item, pos)),
        _ => Ok(()),
    }
}

fn out_of_range(n: i64) -> bool {
    i32::try_from(n).is_err()
}

fn out_of_range_error(n: &async_graphql::Number, pos: Pos) -> ServerError {
    let mut error = coded(
        "GRAPHQL_VALIDATION_FAILED",
        format!(
            "Int cannot represent {n}: Kartla's Int arguments are 32-bit, from {} to {}",
            i32::MIN,
            i32::MAX
        ),
    );
    error.locations = vec![pos];
    error
}

/// A variable of a non-null type without a default must be given, and not as null: otherwise the request
/// does not run.
fn check_required_variables(operation: &OperationDefinition, request: &Request) -> Result<(), ServerError> {
    for Positioned { node: definition, pos } in &operation.variable_definitions {
        let required = !definition.var_type.node.nullable && definition.default_value.is_none();
        let given = request
            .variables
            .get(&definition.name.node)
            .is_some_and(|value| *value != Value::Null);
        if required && !given {
            let mut error = coded(
                "BAD_USER_INPUT",
                format!(
                    "the variable ${} of type {} is required: give it in \"variables\"",
                    definition.name.node, definition.var_type.node
                ),
            );
            error.locations = vec![*pos];
            return Err(error);
        }
    }
    Ok(())
}
