//! Who may change what. An ADMIN may change everything; an EDITOR acts for one organisation and may change
//! an initiative on which that organisation is LEAD or RESPONSIBLE and has accepted the role: a role still
//! PROPOSED only lets the organisation decide on it (accept or decline), and a DECLINED one gives nothing.
//! A READER only reads.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::{AccessRole, DecisionState, Role};
use crate::entity::responsibility;
use crate::error::Error;

/// The signed-in party making a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The API token's name, recorded in the audit log.
    pub token_name: String,
    /// What the token may do.
    pub role: AccessRole,
    /// The organisation an editor acts for.
    pub organisation: Option<Uuid>,
}

/// Whether a responsibility makes its organisation an editor of the initiative: LEAD or RESPONSIBLE, and
/// accepted.
pub fn grants_editing(responsibility: &responsibility::Model) -> bool {
    matches!(responsibility.role, Role::Lead | Role::Responsible) && responsibility.decision == DecisionState::Accepted
}

/// Whether `role` acting for `organisation` may change an initiative with these responsibilities.
pub fn may_edit_initiative(
    role: AccessRole,
    organisation: Option<Uuid>,
    responsibilities: &[responsibility::Model],
) -> bool {
    match role {
        AccessRole::Admin => true,
        AccessRole::Reader => false,
        AccessRole::Editor => responsibilities
            .iter()
            .any(|r| Some(r.organisation_id) == organisation && grants_editing(r)),
    }
}

/// Whether `actor` may change the initiative `initiative`.
pub async fn may_edit(db: &impl ConnectionTrait, actor: &Actor, initiative: Uuid) -> Result<bool, Error> {
    if actor.role != AccessRole::Editor {
        return Ok(actor.role == AccessRole::Admin);
    }
    let held = responsibility::Entity::find()
        .filter(responsibility::Column::InitiativeId.eq(initiative))
        .all(db)
        .await?;
    Ok(may_edit_initiative(actor.role, actor.organisation, &held))
}

/// Whether `actor` may change the activity `activity` of initiative `initiative`: whoever may change the
/// initiative, and an EDITOR whose organisation is LEAD or RESPONSIBLE on the activity itself.
pub async fn may_edit_activity(
    db: &impl ConnectionTrait,
    actor: &Actor,
    initiative: Uuid,
    activity: Uuid,
) -> Result<bool, Error> {
    if may_edit(db, actor, initiative).await? {
        return Ok(true);
    }
    if actor.role != AccessRole::Editor {
        return Ok(false);
    }
    let held = responsibility::Entity::find()
        .filter(responsibility::Column::ActivityId.eq(activity))
        .all(db)
        .await?;
    Ok(may_edit_initiative(actor.role, actor.organisation, &held))
}
