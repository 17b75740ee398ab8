//! Adding the documents behind a record (sources) and the people to contact about it.
//!
//! Whoever may change a record may add its sources and contacts: for initiatives and activities their
//! editors, for consultations the organiser's editor, for organisations, strategies and action plans an
//! ADMIN. A source has a title and, when given, an http(s) URL; a contact has a name of 1 to 200
//! characters, an email address with one `@` and a dot after it, and a phone number of digits, spaces and
//! `+-()`.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveEnum, ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::enums::{AccessRole, SourceKind};
use crate::entity::{
    action_plan, activity, consultation, contact, initiative, organisation, source, source_link, strategy,
};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem, check_url};
use crate::service::id::NodeType;
use crate::service::permission::{self, Actor};
use crate::service::text::{Localized, TextOwner};

/// A record sources and contacts belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    /// Its type.
    pub node_type: NodeType,
    /// Its ID.
    pub id: Uuid,
}

/// A source to add.
#[derive(Clone, Debug)]
pub struct NewSource {
    /// What kind of document.
    pub kind: SourceKind,
    /// Where it is published.
    pub url: Option<String>,
    /// When it was published.
    pub published_on: Option<NaiveDate>,
    /// Its title per language.
    pub title: Vec<Localized>,
}

/// A contact to add.
#[derive(Clone, Debug)]
pub struct NewContact {
    /// The person's name.
    pub name: String,
    /// Email address (personal data).
    pub email: Option<String>,
    /// Phone number (personal data).
    pub phone: Option<String>,
    /// The person's role per language.
    pub role: Vec<Localized>,
}

/// Checks that the target exists and that `actor` may change it.
async fn check_target(db: &impl sea_orm::ConnectionTrait, actor: &Actor, target: Target) -> Outcome<()> {
    let missing = || {
        Ok(Err(vec![Problem::new(
            &["targetId"],
            "NOT_FOUND",
            "no record has this ID",
        )]))
    };
    let allowed = match target.node_type {
        NodeType::Initiative => {
            if initiative::Entity::find_by_id(target.id).one(db).await?.is_none() {
                return missing();
            }
            permission::may_edit(db, actor, target.id).await?
        }
        NodeType::Activity => match activity::Entity::find_by_id(target.id).one(db).await? {
            None => return missing(),
            Some(found) => permission::may_edit_activity(db, actor, found.initiative_id, target.id).await?,
        },
        NodeType::Consultation => match consultation::Entity::find_by_id(target.id).one(db).await? {
            None => return missing(),
            Some(found) => {
                actor.role == AccessRole::Admin
                    || (actor.role == AccessRole::Editor
                        && found.organiser_id.is_some()
                        && actor.organisation == found.organiser_id)
            }
        },
        NodeType::Organisation | NodeType::Strategy | NodeType::ActionPlan => {
            let exists = match target.node_type {
                NodeType::Organisation => organisation::Entity::find_by_id(target.id).one(db).await?.is_some(),
                NodeType::Strategy => strategy::Entity::find_by_id(target.id).one(db).await?.is_some(),
                _ => action_plan::Entity::find_by_id(target.id).one(db).await?.is_some(),
            };
            if !exists {
                return missing();
            }
            actor.role == AccessRole::Admin
        }
        _ => {
            let message = "sources and contacts belong to organisations, strategies, action plans, initiatives, \
                           activities and consultations";
            return Ok(Err(vec![Problem::new(&["targetId"], "INVALID", message)]));
        }
    };
    if !allowed {
        return Err(Error::Forbidden(
            "only who may change the record may add its sources and contacts".into(),
        ));
    }
    Ok(Ok(()))
}

/// Adds a source to a record.
pub async fn add_source(
    db: &DatabaseConnection,
    actor: &Actor,
    target: Target,
    new: NewSource,
) -> Outcome<source::Model> {
    let txn = crate::db::begin_write(db).await?;
    if let Err(problems) = check_target(&txn, actor, target).await? {
        return Ok(Err(problems));
    }
    let mut problems = Vec::new();
    if new.title.is_empty() {
        problems.push(Problem::new(
            &["title"],
            "INVALID",
            "give a title in at least one language",
        ));
    }
    check_url("url", new.url.as_deref(), &mut problems);
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let model = source::ActiveModel {
        id: Set(Uuid::new_v4()),
        kind: Set(new.kind),
        url: Set(new.url.clone()),
        published_on: Set(new.published_on),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let on = |t: NodeType| (target.node_type == t).then_some(target.id);
    source_link::ActiveModel {
        id: Set(Uuid::new_v4()),
        source_id: Set(model.id),
        organisation_id: Set(on(NodeType::Organisation)),
        strategy_id: Set(on(NodeType::Strategy)),
        action_plan_id: Set(on(NodeType::ActionPlan)),
        initiative_id: Set(on(NodeType::Initiative)),
        activity_id: Set(on(NodeType::Activity)),
        consultation_id: Set(on(NodeType::Consultation)),
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::default();
    changes
        .field("source", Value::Null, model.id.to_string())
        .field("kind", Value::Null, new.kind.to_value())
        .field("url", Value::Null, new.url);
    edit::write_texts(
        &txn,
        TextOwner::Source,
        model.id,
        &[("title", Some(&new.title))],
        &mut changes,
    )
    .await?;
    edit::audit(
        &txn,
        actor,
        now,
        "ADD_SOURCE",
        target.node_type.name(),
        target.id,
        changes,
    )
    .await?;
    change_feed::commit(txn, now, &[Change::new(Operation::Update, target.node_type, target.id)]).await?;
    Ok(Ok(model))
}

/// Whether `email` looks like an address: something, one `@`, a domain with a dot.
fn email_like(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(char::is_whitespace)
}

/// Whether `phone` looks like a phone number.
fn phone_like(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits) && phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

/// Adds a contact to an initiative, activity or consultation.
pub async fn add_contact(
    db: &DatabaseConnection,
    actor: &Actor,
    target: Target,
    new: NewContact,
) -> Outcome<contact::Model> {
    if !matches!(
        target.node_type,
        NodeType::Initiative | NodeType::Activity | NodeType::Consultation
    ) {
        let message = "contacts belong to initiatives, activities and consultations";
        return Ok(Err(vec![Problem::new(&["targetId"], "INVALID", message)]));
    }
    let txn = crate::db::begin_write(db).await?;
    if let Err(problems) = check_target(&txn, actor, target).await? {
        return Ok(Err(problems));
    }
    let mut problems = Vec::new();
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push(Problem::new(&["name"], "INVALID", "give a name of 1 to 200 characters"));
    }
    if new.email.as_deref().is_some_and(|e| !email_like(e)) {
        problems.push(Problem::new(
            &["email"],
            "INVALID",
            "give an email address such as name@example.org",
        ));
    }
    if new.phone.as_deref().is_some_and(|p| !phone_like(p)) {
        problems.push(Problem::new(
            &["phone"],
            "INVALID",
            "give a phone number of digits, spaces and +-()",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let on = |t: NodeType| (target.node_type == t).then_some(target.id);
    let model = contact::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.to_owned()),
        email: Set(new.email.clone()),
        phone: Set(new.phone.clone()),
        initiative_id: Set(on(NodeType::Initiative)),
        activity_id: Set(on(NodeType::Activity)),
        consultation_id: Set(on(NodeType::Consultation)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    // The audit log names the contact, never its email or phone: the log is not personal data.
    let mut changes = Changes::default();
    changes
        .field("contact", Value::Null, model.id.to_string())
        .field("name", Value::Null, name);
    let mut ignored = Changes::default();
    edit::write_texts(
        &txn,
        TextOwner::Contact,
        model.id,
        &[("role", Some(&new.role))],
        &mut ignored,
    )
    .await?;
    edit::audit(
        &txn,
        actor,
        now,
        "ADD_CONTACT",
        target.node_type.name(),
        target.id,
        changes,
    )
    .await?;
    change_feed::commit(txn, now, &[Change::new(Operation::Update, target.node_type, target.id)]).await?;
    Ok(Ok(model))
}
