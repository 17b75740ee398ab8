//! Adding sources and contacts to records.

use async_graphql::{Context, ID, InputObject, Object, ResultExt, SimpleObject};
use sea_orm::DatabaseConnection;

use super::{actor, user_errors};
use crate::entity::enums::SourceKind;
use crate::graphql::object::contact::Contact;
use crate::graphql::object::source::Source;
use crate::graphql::scalars::Date;
use crate::graphql::user_error::{LocalizedTextInput, UserError, texts_of};
use crate::service::edit::Problem;
use crate::service::id;
use crate::service::source_edit::{self, NewContact, NewSource, Target};

/// Source and contact mutations.
#[derive(Default)]
pub struct SourceMutation;

/// A document behind a record.
#[derive(InputObject)]
pub struct AddSourceInput {
    /// The organisation, strategy, action plan, initiative, activity or consultation it backs.
    target_id: ID,
    /// What kind of document.
    kind: SourceKind,
    /// Its title, in at least one language.
    title: Vec<LocalizedTextInput>,
    /// Where it is published, an http or https URL.
    url: Option<String>,
    /// When it was published.
    published_on: Option<Date>,
}

/// A person to contact about a record.
#[derive(InputObject)]
pub struct AddContactInput {
    /// The initiative, activity or consultation.
    target_id: ID,
    /// The person's name.
    name: String,
    /// Email address; shown only to signed-in viewers.
    email: Option<String>,
    /// Phone number; shown only to signed-in viewers.
    phone: Option<String>,
    /// The person's role, in any languages.
    #[graphql(default)]
    role: Vec<LocalizedTextInput>,
}

/// What `addSource` did.
#[derive(SimpleObject)]
pub struct AddSourcePayload {
    /// The new source; null when nothing was changed.
    source: Option<Source>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// What `addContact` did.
#[derive(SimpleObject)]
pub struct AddContactPayload {
    /// The new contact; null when nothing was changed.
    contact: Option<Contact>,
    /// What was wrong with the input.
    user_errors: Vec<UserError>,
}

/// Decodes the target's ID, or notes BAD_ID.
fn target(id: &ID, problems: &mut Vec<Problem>) -> Option<Target> {
    match id::decode(id) {
        Ok((node_type, id)) => Some(Target { node_type, id }),
        Err(_) => {
            problems.push(Problem::new(&["targetId"], "BAD_ID", "not a Kartla ID"));
            None
        }
    }
}

#[Object]
impl SourceMutation {
    /// Adds a source (a decision, a report, a web page) to a record. For whoever may change the record.
    async fn add_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source.")] input: AddSourceInput,
    ) -> async_graphql::Result<AddSourcePayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let title = texts_of("title", &input.title, &mut problems);
        let outcome = match (target(&input.target_id, &mut problems), problems.is_empty()) {
            (Some(target), true) => {
                let new = NewSource {
                    kind: input.kind,
                    url: input.url,
                    published_on: input.published_on.map(|d| d.0),
                    title,
                };
                source_edit::add_source(db, &actor, target, new).await.extend()?
            }
            _ => Err(problems),
        };
        Ok(match outcome {
            Ok(model) => AddSourcePayload {
                source: Some(Source(model)),
                user_errors: Vec::new(),
            },
            Err(problems) => AddSourcePayload {
                source: None,
                user_errors: user_errors(problems),
            },
        })
    }

    /// Adds a contact person to an initiative, activity or consultation. For whoever may change it.
    async fn add_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact.")] input: AddContactInput,
    ) -> async_graphql::Result<AddContactPayload> {
        let actor = actor(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let role = texts_of("role", &input.role, &mut problems);
        let outcome = match (target(&input.target_id, &mut problems), problems.is_empty()) {
            (Some(target), true) => {
                let new = NewContact {
                    name: input.name,
                    email: input.email,
                    phone: input.phone,
                    role,
                };
                source_edit::add_contact(db, &actor, target, new).await.extend()?
            }
            _ => Err(problems),
        };
        Ok(match outcome {
            Ok(model) => AddContactPayload {
                contact: Some(Contact(model)),
                user_errors: Vec::new(),
            },
            Err(problems) => AddContactPayload {
                contact: None,
                user_errors: user_errors(problems),
            },
        })
    }
}
