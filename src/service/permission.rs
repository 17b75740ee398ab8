//! Who may change what. An ADMIN may change everything; an EDITOR acts for one organisation and may change
//! an initiative on which that organisation is LEAD or RESPONSIBLE and has accepted the role: a role still
//! PROPOSED only lets the organisation decide on it (accept or decline), and a DECLINED one gives nothing.
//! A READER only reads.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entity::enums::{AccessRole, DecisionState, Role};
use crate::entity::responsibility;
use crate::error::Error;

/// Who is asking: anonymous, or signed in with an API token as an [`Actor`]. The one identity of a request,
/// established by the HTTP layer and read by the API and the services alike. Personal data (a contact's
/// email and phone) is shown only to signed-in viewers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Viewer {
    /// No credentials: reads everything public.
    #[default]
    Anonymous,
    /// Signed in with an API token.
    Signed(Actor),
}

impl Viewer {
    /// The signed-in actor, if any.
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Viewer::Signed(actor) => Some(actor),
            Viewer::Anonymous => None,
        }
    }

    /// Whether the viewer may read personal data: every signed-in role may.
    pub fn reads_personal_data(&self) -> bool {
        self.actor().is_some()
    }

    /// Whether the viewer is an ADMIN, or an EDITOR acting for `organisation`.
    pub fn admin_or_editor_for(&self, organisation: Option<Uuid>) -> bool {
        match self.actor() {
            Some(Actor {
                role: AccessRole::Admin,
                ..
            }) => true,
            Some(Actor {
                role: AccessRole::Editor,
                organisation: acting_for,
                ..
            }) => acting_for.is_some() && *acting_for == organisation,
            _ => false,
        }
    }
}

/// A signed-in party: the token's name, what it may do, and the organisation an editor acts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The API token's name, recorded in the audit log; for an OpenID Connect token, its name claim (or
    /// its subject).
    pub token_name: String,
    /// What the token may do.
    pub role: AccessRole,
    /// The organisation an editor acts for.
    pub organisation: Option<Uuid>,
    /// Who issued the token, when it is an OpenID Connect access token rather than one of Kartla's.
    pub issued_by: Option<IssuedBy>,
}

/// Where an OpenID Connect access token comes from: its issuer, its subject and when it expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedBy {
    /// The issuer (`iss`).
    pub issuer: String,
    /// The subject (`sub`): a person or a client at that issuer.
    pub subject: String,
    /// When the token expires (`exp`).
    pub expires_at: chrono::DateTime<chrono::Utc>,
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
