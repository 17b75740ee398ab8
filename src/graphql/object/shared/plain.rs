//! Records on the hot pages answered from the row they hold: a field such as `id`, `status` or
//! `plannedStart` is a value of the row, so it is written at once instead of as a future of its own.
//!
//! async-graphql resolves every field of an object as a boxed future run in a `FuturesUnordered`, which
//! costs more than most fields' work: on a flat page of 100 activities x 9 fields it was a third of the
//! server's CPU. [`Plain`] wraps a record in the lists that carry many of them (connections' `nodes`, an
//! initiative's goals and themes) and resolves its selection itself:
//!
//! - a field the record answers from its row ([`PlainFields::plain`], only fields without arguments) is
//!   written as it is met;
//! - a multilingual text without arguments (`title`, `name`, `label`) is read through the text loader
//!   directly, not through the record's flattened text fields;
//! - every other field runs through the record's own resolver, those of one record together, so the
//!   loaders batch them as before;
//! - a selection with fragments, custom directives or a response key named twice goes to async-graphql's
//!   own resolution unchanged.
//!
//! The answer is the same as async-graphql's: the same values (each made by the scalar's or enum's own
//! `to_value`), a field that fails is left out with its error recorded, and an object with no field left is
//! null. The schema does not see the wrapper: it names the record's own type.

use std::borrow::Cow;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::{ContainerType, resolve_container};
use async_graphql::{ContextSelectionSet, InputType, Name, OutputType, Positioned, ServerResult, Value};
use uuid::Uuid;

use super::texts::localized;
use crate::service::text::TextOwner;

/// A record whose fields of its row are answered without a future.
pub trait PlainFields: ContainerType {
    /// The value of `field` (a field without arguments) when the record answers it from its row.
    fn plain(&self, field: &str) -> Option<Value>;

    /// Whose text `field` (without arguments) is, when it is one of the record's multilingual texts: read
    /// through the text loader straight away, not through the record's flattened text fields.
    fn text(&self, _field: &str) -> Option<(TextOwner, Uuid, &'static str)> {
        None
    }
}

impl<T: PlainFields + ?Sized> PlainFields for &T {
    fn plain(&self, field: &str) -> Option<Value> {
        (**self).plain(field)
    }

    fn text(&self, field: &str) -> Option<(TextOwner, Uuid, &'static str)> {
        (**self).text(field)
    }
}

/// The value a field of type `T` answers with: the scalar's or enum's own, as async-graphql writes it.
pub fn value<T: InputType>(of: &T) -> Value {
    of.to_value()
}

/// A record in a list, resolved as the module says.
pub struct Plain<T>(pub T);

impl<T: PlainFields> OutputType for Plain<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        let Some(fields) = plain_selection(ctx) else {
            return resolve_container(ctx, &self.0).await;
        };
        let record = &self.0;
        let mut answer: Vec<(Name, Option<Value>)> = Vec::with_capacity(fields.len());
        let mut rest = Vec::new();
        for (at, field) in fields.iter().enumerate() {
            let key = field.node.response_key().node.clone();
            let name = field.node.name.node.as_str();
            let written = if name == "__typename" {
                Some(Value::String(record.introspection_type_name().into_owned()))
            } else if field.node.arguments.is_empty() {
                record.plain(name)
            } else {
                None
            };
            if written.is_none() {
                let text = field.node.arguments.is_empty().then(|| record.text(name)).flatten();
                rest.push(async move {
                    let ctx_field = ctx.with_field(field);
                    let resolved = match text {
                        Some((owner, id, text)) => localized(&ctx_field, owner, id, text, None)
                            .await
                            .map(|text| Some(value(&text)))
                            .map_err(|error| ctx_field.set_error_path(error.into_server_error(field.pos))),
                        None => record.resolve_field(&ctx_field).await,
                    };
                    (at, resolved)
                });
            }
            answer.push((key, written));
        }
        let resolved = match rest.len() {
            0 => Vec::new(),
            1 => vec![rest.pop().expect("one field").await],
            _ => futures_util::future::join_all(rest).await,
        };
        for (at, result) in resolved {
            match result {
                Ok(value) => answer[at].1 = Some(value.unwrap_or_default()),
                Err(error) => ctx.add_error(error),
            }
        }
        let object: IndexMap<Name, Value> = answer
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?)))
            .collect();
        Ok(if object.is_empty() {
            Value::Null
        } else {
            Value::Object(object)
        })
    }
}

/// The selection's fields when it is only fields, each without directives and under its own response key
/// (`@skip` and `@include` are gone before execution); `None` sends it to async-graphql's resolution.
fn plain_selection<'a>(ctx: &ContextSelectionSet<'a>) -> Option<Vec<&'a Positioned<Field>>> {
    let mut fields: Vec<&'a Positioned<Field>> = Vec::with_capacity(ctx.item.node.items.len());
    for selection in &ctx.item.node.items {
        let Selection::Field(field) = &selection.node else {
            return None;
        };
        let key = field.node.response_key().node.as_str();
        if !field.node.directives.is_empty() || fields.iter().any(|f| f.node.response_key().node == key) {
            return None;
        }
        fields.push(field);
    }
    Some(fields)
}
