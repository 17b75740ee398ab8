//! The root mutation type. Each mutation is one domain operation in one transaction: it takes one `input`
//! and answers a payload with the changed records and `userErrors`. Signing in and permission failures are
//! top-level errors (UNAUTHENTICATED, FORBIDDEN); everything wrong with the input is a user error, and then
//! nothing is changed.

mod activity;
mod consultation;
mod initiative;
mod organisation;
mod source;
mod status;
mod strategy;
mod webhook;

use async_graphql::{Context, ID, InputObject, MaybeUndefined, MergedObject, ResultExt};

use super::user_error::UserError;
use crate::entity::enums::Role;
use crate::error::Error;
use crate::service::edit::Problem;
use crate::service::id::{self, NodeType};
use crate::service::permission::Actor;
use crate::service::permission::Viewer;

/// The registry's changes.
#[derive(Default, MergedObject)]
pub struct Mutation(
    status::StatusMutation,
    initiative::InitiativeMutation,
    activity::ActivityMutation,
    organisation::OrganisationMutation,
    consultation::ConsultationMutation,
    source::SourceMutation,
    strategy::StrategyMutation,
    webhook::WebhookMutation,
);

/// The signed-in actor, or UNAUTHENTICATED.
fn actor(ctx: &Context<'_>) -> async_graphql::Result<Actor> {
    match ctx.data_opt::<Viewer>().and_then(Viewer::actor) {
        Some(actor) => Ok(actor.clone()),
        None => Err(Error::Unauthenticated(
            "sign in with an API token (`Authorization: Bearer ...`) to make changes".into(),
        ))
        .extend(),
    }
}

/// The signed-in actor if it is an ADMIN: UNAUTHENTICATED or FORBIDDEN before the input is looked at.
fn admin(ctx: &Context<'_>) -> async_graphql::Result<Actor> {
    let actor = actor(ctx)?;
    crate::service::edit::require_admin(&actor, "change the registry's reference data").extend()?;
    Ok(actor)
}

/// Decodes the ID at input field `field`, or notes a BAD_ID problem.
fn decode(id: &ID, node_type: NodeType, field: &[&str], problems: &mut Vec<Problem>) -> Option<uuid::Uuid> {
    match id::decode_as(id, node_type) {
        Ok(uuid) => Some(uuid),
        Err(_) => {
            let what = format!("not the ID of {}", node_type.name());
            problems.push(Problem::new(field, "BAD_ID", what));
            None
        }
    }
}

/// Decodes a list of IDs at input field `field`.
fn decode_all(ids: &[ID], node_type: NodeType, field: &str, problems: &mut Vec<Problem>) -> Vec<uuid::Uuid> {
    ids.iter()
        .enumerate()
        .filter_map(|(k, id)| decode(id, node_type, &[field, &k.to_string()], problems))
        .collect()
}

/// An optional field of an update: absent keeps the value (`None`), null clears it (`Some(None)`).
fn optional<T, U>(given: MaybeUndefined<T>, convert: impl FnOnce(T) -> Option<U>) -> Option<Option<U>> {
    match given {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(convert(value)),
    }
}

/// The problems as user errors.
fn user_errors(problems: Vec<Problem>) -> Vec<UserError> {
    problems.into_iter().map(UserError::from).collect()
}

/// An organisation and the role it holds.
#[derive(InputObject)]
pub struct ResponsibilityInput {
    /// The organisation.
    organisation_id: ID,
    /// Its role.
    role: Role,
}

/// Decodes the roles given at input field `responsibilities`.
fn decode_roles(given: &[ResponsibilityInput], problems: &mut Vec<Problem>) -> Vec<(uuid::Uuid, Role)> {
    let mut roles = Vec::new();
    for (k, held) in given.iter().enumerate() {
        let field = ["responsibilities", &k.to_string(), "organisationId"];
        if let Some(organisation) = decode(&held.organisation_id, NodeType::Organisation, &field, problems) {
            roles.push((organisation, held.role));
        }
    }
    roles
}
