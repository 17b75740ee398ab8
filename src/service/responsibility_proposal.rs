//! Proposing a role to an organisation, on an initiative or an activity. The role is PROPOSED until the
//! organisation decides (see [`super::responsibility_decision`]); a proposal to the proposer's own
//! organisation is ACCEPTED at once. An organisation is proposed a role on a record once (TAKEN after
//! that, also when it declined: its answer stands).

use chrono::Utc;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::enums::{DecisionState, Role};
use crate::entity::{activity, initiative, organisation, responsibility};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem};
use crate::service::id::NodeType;
use crate::service::permission::{self, Actor};

/// A role proposed on an initiative or (exclusive) an activity.
#[derive(Clone, Debug)]
pub struct Proposal {
    /// The initiative.
    pub initiative: Option<Uuid>,
    /// The activity.
    pub activity: Option<Uuid>,
    /// The organisation proposed.
    pub organisation: Uuid,
    /// The role.
    pub role: Role,
}

/// Records the proposal, or says why not.
pub async fn propose(db: &DatabaseConnection, actor: &Actor, proposal: Proposal) -> Outcome<responsibility::Model> {
    let txn = crate::db::begin_write(db).await?;
    let allowed = match (proposal.initiative, proposal.activity) {
        (Some(initiative), _) => {
            if initiative::Entity::find_by_id(initiative).one(&txn).await?.is_none() {
                return Ok(Err(vec![Problem::new(
                    &["initiativeId"],
                    "NOT_FOUND",
                    "no initiative has this ID",
                )]));
            }
            permission::may_edit(&txn, actor, initiative).await?
        }
        (None, Some(activity)) => {
            let Some(found) = activity::Entity::find_by_id(activity).one(&txn).await? else {
                return Ok(Err(vec![Problem::new(
                    &["activityId"],
                    "NOT_FOUND",
                    "no activity has this ID",
                )]));
            };
            permission::may_edit_activity(&txn, actor, found.initiative_id, activity).await?
        }
        (None, None) => {
            return Ok(Err(vec![Problem::new(
                &["initiativeId"],
                "INVALID",
                "give either initiativeId or activityId",
            )]));
        }
    };
    if !allowed {
        return Err(Error::Forbidden(
            "only an ADMIN, or an EDITOR who may change the initiative or activity, may propose roles on it".into(),
        ));
    }
    if organisation::Entity::find_by_id(proposal.organisation)
        .one(&txn)
        .await?
        .is_none()
    {
        return Ok(Err(vec![Problem::new(
            &["organisationId"],
            "NOT_FOUND",
            "no organisation has this ID",
        )]));
    }
    let standing = responsibility::Entity::find()
        .filter(responsibility::Column::OrganisationId.eq(proposal.organisation))
        .filter(responsibility::Column::Role.eq(proposal.role))
        .filter(match proposal.initiative {
            Some(initiative) => responsibility::Column::InitiativeId.eq(initiative),
            None => responsibility::Column::ActivityId.eq(proposal.activity),
        })
        .count(&txn)
        .await?;
    if standing > 0 {
        let message = format!(
            "the organisation was proposed the role {} here already",
            proposal.role.to_value()
        );
        return Ok(Err(vec![Problem::new(&["role"], "TAKEN", message)]));
    }
    let now = Utc::now();
    let own = actor.organisation == Some(proposal.organisation);
    let decision = if own {
        DecisionState::Accepted
    } else {
        DecisionState::Proposed
    };
    let model = responsibility::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(proposal.organisation),
        initiative_id: Set(proposal.initiative),
        activity_id: Set(proposal.activity),
        role: Set(proposal.role),
        decision: Set(decision),
        decided_on: Set(own.then(|| now.date_naive())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::default();
    changes
        .field("organisation", Value::Null, proposal.organisation.to_string())
        .field("role", Value::Null, proposal.role.to_value())
        .field("decision", Value::Null, decision.to_value());
    edit::audit(
        &txn,
        actor,
        now,
        "PROPOSE_RESPONSIBILITY",
        "Responsibility",
        model.id,
        changes,
    )
    .await?;
    change_feed::commit(
        txn,
        now,
        &[Change::new(Operation::Create, NodeType::Responsibility, model.id)],
    )
    .await?;
    Ok(Ok(model))
}

/// The record a role is held on.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// An initiative.
    Initiative(Uuid),
    /// An activity.
    Activity(Uuid),
}

/// Writes the roles of a record just created: ACCEPTED for the actor's own organisation, PROPOSED for
/// every other. Answers them as JSON for the audit entry, and as changes for the feed.
pub async fn insert_roles(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    target: Target,
    roles: &[(Uuid, Role)],
    now: chrono::DateTime<Utc>,
) -> Result<(Value, Vec<Change>), sea_orm::DbErr> {
    let (initiative, activity) = match target {
        Target::Initiative(id) => (Some(id), None),
        Target::Activity(id) => (None, Some(id)),
    };
    let (mut held, mut created) = (Vec::new(), Vec::new());
    for (organisation, role) in edit::dedup(roles.to_vec()) {
        let own = Some(organisation) == actor.organisation;
        let decision = if own {
            DecisionState::Accepted
        } else {
            DecisionState::Proposed
        };
        let id = Uuid::new_v4();
        responsibility::ActiveModel {
            id: Set(id),
            organisation_id: Set(organisation),
            initiative_id: Set(initiative),
            activity_id: Set(activity),
            role: Set(role),
            decision: Set(decision),
            decided_on: Set(own.then(|| now.date_naive())),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(db)
        .await?;
        held.push(serde_json::json!({ "organisation": organisation, "role": role.to_value() }));
        created.push(Change::new(Operation::Create, NodeType::Responsibility, id));
    }
    Ok((Value::Array(held), created))
}
