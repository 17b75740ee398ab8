//! Creating and updating organisations with their identifiers, and themes (ADMIN only).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, ResultExt, SimpleObject};
use sea_orm::DatabaseConnection;

use super::{admin, decode, optional, user_errors};
use crate::entity::enums::{IdentifierScheme, OrganisationKind};
use crate::graphql::object::organisation::Organisation;
use crate::graphql::object::theme::Theme;
use crate::graphql::scalars::{CountryCode, Date};
use crate::graphql::user_error::{LocalizedTextInput, UserError, texts_of};
use crate::service::edit::Problem;
use crate::service::id::NodeType;
use crate::service::organisation_edit::{self, Identifier, OrganisationFields};

/// Organisation and theme mutations.
#[derive(Default)]
pub struct OrganisationMutation;

/// An identifier of an organisation and the period it is valid in.
#[derive(InputObject)]
pub struct IdentifierInput {
    /// The scheme.
    scheme: IdentifierScheme,
    /// The code, in the scheme's format ("0180", "4601", "12").
    value: String,
    /// First day valid; open when left out.
    valid_from: Option<Date>,
    /// Last day valid, not before `validFrom`; open when left out.
    valid_to: Option<Date>,
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganisationInput {
    /// Its kind.
    kind: OrganisationKind,
    /// Its country.
    country: CountryCode,
    /// The organisation it belongs to (a municipality's county, an agency's ministry).
    parent_id: Option<ID>,
    /// Its website, an http or https URL.
    website: Option<String>,
    /// Its name, in at least one language.
    name: Vec<LocalizedTextInput>,
    /// A description, in any languages.
    #[graphql(default)]
    description: Vec<LocalizedTextInput>,
    /// Its identifiers.
    #[graphql(default)]
    identifiers: Vec<IdentifierInput>,
}

/// Changes to an organisation: a field left out keeps its value, null clears an optional one, a list
/// given replaces the whole list.
#[derive(InputObject)]
pub struct UpdateOrganisationInput {
    /// The organisation.
    organisation_id: ID,
    /// The version you last read.
    expected_version: i32,
    /// Its kind.
    kind: Option<OrganisationKind>,
    /// Its country.
    country: Option<CountryCode>,
    /// Its parent; null for none.
    parent_id: MaybeUndefined<ID>,
    /// Its website; null for none.
    website: MaybeUndefined<String>,
    /// Its name in every language it has.
    name: Option<Vec<LocalizedTextInput>>,
    /// Its description in every language it has (empty clears).
    description: Option<Vec<LocalizedTextInput>>,
    /// All its identifiers, past and present (replaces the set).
    identifiers: Option<Vec<IdentifierInput>>,
}

/// What an organisation mutation did.
#[derive(SimpleObject)]
pub struct OrganisationPayload {
    /// The organisation after the change; null when nothing was changed.
    organisation: Option<Organisation>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

/// A new theme.
#[derive(InputObject)]
pub struct CreateThemeInput {
    /// Its code: lower-case letters, digits and hyphens, unique.
    code: String,
    /// Its label, in at least one language.
    label: Vec<LocalizedTextInput>,
}

/// Changes to a theme.
#[derive(InputObject)]
pub struct UpdateThemeInput {
    /// The theme.
    theme_id: ID,
    /// The version you last read.
    expected_version: i32,
    /// A new code.
    code: Option<String>,
    /// Its label in every language it has.
    label: Option<Vec<LocalizedTextInput>>,
}

/// What a theme mutation did.
#[derive(SimpleObject)]
pub struct ThemePayload {
    /// The theme after the change; null when nothing was changed.
    theme: Option<Theme>,
    /// What was wrong with the input; empty when the change was made.
    user_errors: Vec<UserError>,
}

fn identifiers(given: Vec<IdentifierInput>) -> Vec<Identifier> {
    given
        .into_iter()
        .map(|i| Identifier {
            scheme: i.scheme,
            value: i.value.trim().to_owned(),
            valid_from: i.valid_from.map(|d| d.0),
            valid_to: i.valid_to.map(|d| d.0),
        })
        .collect()
}

fn organisation_payload(outcome: Result<crate::entity::organisation::Model, Vec<Problem>>) -> OrganisationPayload {
    match outcome {
        Ok(model) => OrganisationPayload {
            organisation: Some(Organisation(model)),
            user_errors: Vec::new(),
        },
        Err(problems) => OrganisationPayload {
            organisation: None,
            user_errors: user_errors(problems),
        },
    }
}

fn theme_payload(outcome: Result<crate::entity::theme::Model, Vec<Problem>>) -> ThemePayload {
    match outcome {
        Ok(model) => ThemePayload {
            theme: Some(Theme(model)),
            user_errors: Vec::new(),
        },
        Err(problems) => ThemePayload {
            theme: None,
            user_errors: user_errors(problems),
        },
    }
}

#[Object]
impl OrganisationMutation {
    /// Creates an organisation with its names and identifiers. For an ADMIN.
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new organisation.")] input: CreateOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let actor = admin(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let name = texts_of("name", &input.name, &mut problems);
        let description = texts_of("description", &input.description, &mut problems);
        let parent = input
            .parent_id
            .as_ref()
            .map(|id| decode(id, NodeType::Organisation, &["parentId"], &mut problems));
        if !problems.is_empty() {
            return Ok(organisation_payload(Err(problems)));
        }
        let fields = OrganisationFields {
            kind: Some(input.kind),
            country: Some(input.country.0),
            parent: Some(parent.flatten()),
            website: Some(input.website),
            name: Some(name),
            description: Some(description),
            identifiers: Some(identifiers(input.identifiers)),
        };
        let outcome = organisation_edit::create(db, &actor, fields).await.extend()?;
        Ok(organisation_payload(outcome))
    }

    /// Changes an organisation, its names and its identifiers. For an ADMIN.
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateOrganisationInput,
    ) -> async_graphql::Result<OrganisationPayload> {
        let actor = admin(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let id = decode(
            &input.organisation_id,
            NodeType::Organisation,
            &["organisationId"],
            &mut problems,
        );
        let name = input.name.map(|t| texts_of("name", &t, &mut problems));
        let description = input.description.map(|t| texts_of("description", &t, &mut problems));
        let parent = optional(input.parent_id, |p| {
            decode(&p, NodeType::Organisation, &["parentId"], &mut problems)
        });
        let (Some(id), true) = (id, problems.is_empty()) else {
            return Ok(organisation_payload(Err(problems)));
        };
        let fields = OrganisationFields {
            kind: input.kind,
            country: input.country.map(|c| c.0),
            parent,
            website: optional(input.website, Some),
            name,
            description,
            identifiers: input.identifiers.map(identifiers),
        };
        let outcome = organisation_edit::update(db, &actor, id, input.expected_version, fields)
            .await
            .extend()?;
        Ok(organisation_payload(outcome))
    }

    /// Creates a theme. For an ADMIN.
    async fn create_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new theme.")] input: CreateThemeInput,
    ) -> async_graphql::Result<ThemePayload> {
        let actor = admin(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let label = texts_of("label", &input.label, &mut problems);
        if !problems.is_empty() {
            return Ok(theme_payload(Err(problems)));
        }
        let outcome = organisation_edit::save_theme(db, &actor, None, Some(input.code), Some(label))
            .await
            .extend()?;
        Ok(theme_payload(outcome))
    }

    /// Changes a theme's code or label. For an ADMIN.
    async fn update_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateThemeInput,
    ) -> async_graphql::Result<ThemePayload> {
        let actor = admin(ctx)?;
        let db = ctx.data::<DatabaseConnection>()?;
        let mut problems = Vec::new();
        let id = decode(&input.theme_id, NodeType::Theme, &["themeId"], &mut problems);
        let label = input.label.map(|t| texts_of("label", &t, &mut problems));
        let (Some(id), true) = (id, problems.is_empty()) else {
            return Ok(theme_payload(Err(problems)));
        };
        let existing = Some((id, input.expected_version));
        let outcome = organisation_edit::save_theme(db, &actor, existing, input.code, label)
            .await
            .extend()?;
        Ok(theme_payload(outcome))
    }
}
