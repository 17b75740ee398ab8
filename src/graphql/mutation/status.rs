//! Decisions on an initiative's course: its status (with a dated follow-up) and an organisation's answer to
//! a role it was proposed for.

use async_graphql::{Context, ID, InputObject, Object, ResultExt, SimpleObject};
use sea_orm::{ActiveEnum, DatabaseConnection};

use super::actor;
use crate::entity::enums::{DecisionState, Status};
use crate::error::Error;
use crate::graphql::object::initiative::{Initiative, Responsibility};
use crate::graphql::object::status_update::StatusUpdate;
use crate::graphql::scalars::Date;
use crate::graphql::user_error::{LocalizedTextInput, UserError, collect_texts};
use crate::service::id::{self, NodeType};
use crate::service::initiative_status::{self, Refusal, StatusChange};
use crate::service::permission;
use crate::service::responsibility_decision as decision;
use crate::service::text::Texts;

/// Status and decision mutations.
#[derive(Default)]
pub struct StatusMutation;

/// The new status of an initiative and the follow-up that records it.
#[derive(InputObject)]
pub struct SetInitiativeStatusInput {
    /// The initiative.
    initiative_id: ID,
    /// The version of the initiative you last read; a newer one means someone changed it since (CONFLICT).
    expected_version: i32,
    /// The new status (see the lifecycle in docs/status.md).
    status: Status,
    /// The day of the follow-up; today when not given.
    reported_on: Option<Date>,
    /// The organisation acting on the initiative.
    actor_id: Option<ID>,
    /// The decision taken, in one or more languages.
    #[graphql(default)]
    decision: Vec<LocalizedTextInput>,
    /// A comment, in one or more languages.
    #[graphql(default)]
    comment: Vec<LocalizedTextInput>,
}

/// What `setInitiativeStatus` did.
#[derive(SimpleObject)]
pub struct SetInitiativeStatusPayload {
    /// The initiative after the change; null when nothing was changed.
    initiative: Option<Initiative>,
    /// The follow-up recorded; null when nothing was changed.
    status_update: Option<StatusUpdate>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

impl SetInitiativeStatusPayload {
    fn refused(user_errors: Vec<UserError>) -> Self {
        SetInitiativeStatusPayload {
            initiative: None,
            status_update: None,
            user_errors,
        }
    }
}

/// An organisation's answer to a role it was proposed for.
#[derive(InputObject)]
pub struct DecideResponsibilityInput {
    /// The responsibility.
    responsibility_id: ID,
    /// The version of the responsibility you last read.
    expected_version: i32,
    /// ACCEPTED or DECLINED.
    decision: DecisionState,
    /// The day of the decision; today when not given.
    decided_on: Option<Date>,
}

/// What `decideResponsibility` did.
#[derive(SimpleObject)]
pub struct DecideResponsibilityPayload {
    /// The responsibility after the decision; null when nothing was changed.
    responsibility: Option<Responsibility>,
    /// What was wrong with the input; empty when the decision was recorded.
    user_errors: Vec<UserError>,
}

#[Object]
impl StatusMutation {
    /// Accepts or declines a role an organisation was proposed for (such as PROPOSED_RESPONSIBLE). For an
    /// ADMIN, or an EDITOR acting for that organisation; only a PROPOSED decision can be changed.
    async fn decide_responsibility(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision.")] input: DecideResponsibilityInput,
    ) -> async_graphql::Result<DecideResponsibilityPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let refused = |error: UserError| DecideResponsibilityPayload {
            responsibility: None,
            user_errors: vec![error],
        };
        let Ok(id) = id::decode_as(&input.responsibility_id, NodeType::Responsibility) else {
            let error = UserError::new(
                &["input", "responsibilityId"],
                "BAD_ID",
                "not the ID of a responsibility",
            );
            return Ok(refused(error));
        };
        if input.decision == DecisionState::Proposed {
            let message = "the decision must be ACCEPTED or DECLINED";
            return Ok(refused(UserError::new(&["input", "decision"], "INVALID", message)));
        }
        let decided_on = input.decided_on.map(|d| d.0);
        let outcome = decision::decide(db, &actor, id, input.expected_version, input.decision, decided_on)
            .await
            .extend()?;
        Ok(match outcome {
            Ok(model) => DecideResponsibilityPayload {
                responsibility: Some(Responsibility(model)),
                user_errors: Vec::new(),
            },
            Err(decision::Refusal::NotFound) => refused(UserError::new(
                &["input", "responsibilityId"],
                "NOT_FOUND",
                "no responsibility has this ID",
            )),
            Err(decision::Refusal::Conflict { current }) => refused(UserError {
                current_version: Some(current),
                ..UserError::new(
                    &["input", "expectedVersion"],
                    "CONFLICT",
                    format!("the responsibility changed since you read it: it is at version {current}"),
                )
            }),
            Err(decision::Refusal::Decided { decision }) => refused(UserError::new(
                &["input", "decision"],
                "INVALID_TRANSITION",
                format!("the role was {} already", decision.to_value()),
            )),
        })
    }

    /// Sets an initiative's status and records a dated follow-up (decision, actor, comment). For an ADMIN,
    /// or an EDITOR whose organisation is LEAD or RESPONSIBLE on the initiative.
    async fn set_initiative_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The change.")] input: SetInitiativeStatusInput,
    ) -> async_graphql::Result<SetInitiativeStatusPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let Ok(initiative) = id::decode_as(&input.initiative_id, NodeType::Initiative) else {
            let error = UserError::new(&["input", "initiativeId"], "BAD_ID", "not the ID of an initiative");
            return Ok(SetInitiativeStatusPayload::refused(vec![error]));
        };
        if !permission::may_edit(db, &actor, initiative).await.extend()? {
            let message = "only an ADMIN, or an EDITOR for an organisation that leads or is responsible for the \\
                           initiative, may change it";
            return Err(Error::Forbidden(message.into())).extend();
        }
        let mut errors = Vec::new();
        let mut texts = Texts::default();
        collect_texts("decision", "decision", &input.decision, &mut texts, &mut errors);
        collect_texts("comment", "comment", &input.comment, &mut texts, &mut errors);
        let actor_id = match input
            .actor_id
            .map(|a| id::decode_as(&a, NodeType::Organisation))
            .transpose()
        {
            Ok(actor_id) => actor_id,
            Err(_) => {
                errors.push(UserError::new(
                    &["input", "actorId"],
                    "BAD_ID",
                    "not the ID of an organisation",
                ));
                None
            }
        };
        if !errors.is_empty() {
            return Ok(SetInitiativeStatusPayload::refused(errors));
        }
        let change = StatusChange {
            initiative,
            expected_version: input.expected_version,
            status: input.status,
            reported_on: input.reported_on.map(|d| d.0),
            actor: actor_id,
            texts,
        };
        match initiative_status::set_status(db, &actor, &change).await.extend()? {
            Ok((initiative, update)) => Ok(SetInitiativeStatusPayload {
                initiative: Some(Initiative(initiative)),
                status_update: Some(StatusUpdate(update)),
                user_errors: Vec::new(),
            }),
            Err(refusal) => Ok(SetInitiativeStatusPayload::refused(vec![match refusal {
                Refusal::NotFound => {
                    UserError::new(&["input", "initiativeId"], "NOT_FOUND", "no initiative has this ID")
                }
                Refusal::Conflict { current } => UserError {
                    current_version: Some(current),
                    ..UserError::new(
                        &["input", "expectedVersion"],
                        "CONFLICT",
                        format!("the initiative changed since you read it: it is at version {current}"),
                    )
                },
                Refusal::Transition { from } => UserError::new(
                    &["input", "status"],
                    "INVALID_TRANSITION",
                    format!(
                        "an initiative cannot go from {} to {}",
                        from.to_value(),
                        change.status.to_value()
                    ),
                ),
            }])),
        }
    }
}
