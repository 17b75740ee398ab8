//! Creating and updating organisations with their identifiers, and themes. Both are for ADMIN tokens only:
//! organisations and themes are the registry's shared reference data.
//!
//! Rules: a name in at least one language; a website is an http(s) URL of at most 2,000 characters; a
//! parent exists and is not the organisation itself or one of its descendants; identifiers have a value
//! in the scheme's format (four digits for a municipality code, two for a county code), a validity period
//! whose end is not before its start, and no other organisation holds the same scheme and value in an
//! overlapping period (TAKEN). A theme code is lower-case letters, digits and hyphens, and unique.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entity::enums::{IdentifierScheme, OrganisationKind};
use crate::entity::{organisation, organisation_identifier, theme};
use crate::error::Error;
use crate::service::change_feed::{self, Change, Operation};
use crate::service::edit::{self, Changes, Outcome, Problem, check_period, check_url};
use crate::service::id::NodeType;
use crate::service::permission::Actor;
use crate::service::region_count;
use crate::service::text::{Localized, TextOwner};
use crate::service::versioned;

/// One identifier of an organisation, valid in a period (open ends: always).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identifier {
    /// The scheme.
    pub scheme: IdentifierScheme,
    /// The code.
    pub value: String,
    /// First day valid.
    pub valid_from: Option<NaiveDate>,
    /// Last day valid.
    pub valid_to: Option<NaiveDate>,
}

/// The fields a change sets: `None` keeps (update) or defaults (create); `Some(None)` clears.
#[derive(Clone, Debug, Default)]
pub struct OrganisationFields {
    /// The kind.
    pub kind: Option<OrganisationKind>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// The parent organisation.
    pub parent: Option<Option<Uuid>>,
    /// The website.
    pub website: Option<Option<String>>,
    /// The name in each language (replaces all).
    pub name: Option<Vec<Localized>>,
    /// The description in each language (replaces all; empty clears).
    pub description: Option<Vec<Localized>>,
    /// The identifiers (replace the whole set).
    pub identifiers: Option<Vec<Identifier>>,
}

/// Whether `value` has the format of `scheme`.
fn well_formed(scheme: IdentifierScheme, value: &str) -> bool {
    let digits = |n: usize| value.len() == n && value.chars().all(|c| c.is_ascii_digit());
    match scheme {
        IdentifierScheme::SeKommunkod | IdentifierScheme::NoKommunenummer => digits(4),
        IdentifierScheme::SeLanskod | IdentifierScheme::NoFylkesnummer => digits(2),
        _ => !value.trim().is_empty() && value.chars().count() <= 64,
    }
}

/// Whether two validity periods share a day (an open end reaches for ever).
fn overlap(a: &Identifier, b: (Option<NaiveDate>, Option<NaiveDate>)) -> bool {
    let starts_before_end = |from: Option<NaiveDate>, to: Option<NaiveDate>| match (from, to) {
        (Some(from), Some(to)) => from <= to,
        _ => true,
    };
    starts_before_end(a.valid_from, b.1) && starts_before_end(b.0, a.valid_to)
}

/// The problems with `fields` for organisation `id` (new or existing).
async fn check(db: &impl ConnectionTrait, id: Uuid, fields: &OrganisationFields) -> Result<Vec<Problem>, Error> {
    let mut problems = Vec::new();
    if fields.name.as_ref().is_some_and(Vec::is_empty) {
        problems.push(Problem::new(
            &["name"],
            "INVALID",
            "give a name in at least one language",
        ));
    }
    if let Some(website) = &fields.website {
        check_url("website", website.as_deref(), &mut problems);
    }
    if let Some(Some(parent)) = fields.parent {
        // Walk up from the parent: reaching `id` would make a cycle.
        let mut at = Some(parent);
        let mut steps = 0;
        while let Some(current) = at {
            if current == id || steps > 64 {
                let message = "the parent cannot be the organisation itself or one of its descendants";
                problems.push(Problem::new(&["parentId"], "INVALID", message));
                break;
            }
            match organisation::Entity::find_by_id(current).one(db).await? {
                Some(found) => at = found.parent_id,
                None if current == parent => {
                    problems.push(Problem::new(&["parentId"], "NOT_FOUND", "no organisation has this ID"));
                    break;
                }
                None => break,
            }
            steps += 1;
        }
    }
    for (k, given) in fields.identifiers.iter().flatten().enumerate() {
        let index = k.to_string();
        if !well_formed(given.scheme, &given.value) {
            let message = format!("{:?} is not a {} code", given.value, given.scheme.to_value());
            problems.push(Problem::new(&["identifiers", &index, "value"], "INVALID", message));
        }
        let mut period = Vec::new();
        check_period(&mut period, "validTo", given.valid_from, given.valid_to);
        problems.extend(period.into_iter().map(|mut p| {
            p.field = ["input", "identifiers", &index, "validTo"].map(str::to_owned).to_vec();
            p
        }));
        let held = organisation_identifier::Entity::find()
            .filter(organisation_identifier::Column::Scheme.eq(given.scheme))
            .filter(organisation_identifier::Column::Value.eq(given.value.clone()))
            .filter(organisation_identifier::Column::OrganisationId.ne(id))
            .all(db)
            .await?;
        if held.iter().any(|h| overlap(given, (h.valid_from, h.valid_to))) {
            let message = format!("another organisation holds {} in an overlapping period", given.value);
            problems.push(Problem::new(&["identifiers", &index, "value"], "TAKEN", message));
        }
    }
    Ok(problems)
}

fn identifiers_json(identifiers: &[Identifier]) -> Value {
    identifiers
        .iter()
        .map(|i| json!({ "scheme": i.scheme.to_value(), "value": i.value, "validFrom": i.valid_from, "validTo": i.valid_to }))
        .collect()
}

/// Replaces the identifiers of organisation `id`, noting the change.
async fn write_identifiers(
    db: &impl ConnectionTrait,
    id: Uuid,
    given: &[Identifier],
    changes: &mut Changes,
) -> Result<(), Error> {
    let before: Vec<Identifier> = organisation_identifier::Entity::find()
        .filter(organisation_identifier::Column::OrganisationId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| Identifier {
            scheme: m.scheme,
            value: m.value,
            valid_from: m.valid_from,
            valid_to: m.valid_to,
        })
        .collect();
    changes.field("identifiers", identifiers_json(&before), identifiers_json(given));
    organisation_identifier::Entity::delete_many()
        .filter(organisation_identifier::Column::OrganisationId.eq(id))
        .exec(db)
        .await?;
    let now = Utc::now();
    for identifier in given {
        organisation_identifier::ActiveModel {
            id: Set(Uuid::new_v4()),
            organisation_id: Set(id),
            scheme: Set(identifier.scheme),
            value: Set(identifier.value.clone()),
            valid_from: Set(identifier.valid_from),
            valid_to: Set(identifier.valid_to),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates an organisation; `kind`, `country` and `name` are required.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    fields: OrganisationFields,
) -> Outcome<organisation::Model> {
    edit::require_admin(actor, "create organisations")?;
    let id = Uuid::new_v4();
    let txn = crate::db::begin_write(db).await?;
    let mut problems = check(&txn, id, &fields).await?;
    if fields.name.is_none() {
        problems.push(Problem::new(
            &["name"],
            "INVALID",
            "give a name in at least one language",
        ));
    }
    let (Some(kind), Some(country), true) = (fields.kind, fields.country.clone(), problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let now = Utc::now();
    let model = organisation::ActiveModel {
        id: Set(id),
        kind: Set(kind),
        country: Set(country.clone()),
        parent_id: Set(fields.parent.flatten()),
        website: Set(fields.website.clone().flatten()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let mut changes = Changes::default();
    changes
        .field("kind", Value::Null, kind.to_value())
        .field("country", Value::Null, country);
    let texts = [
        ("name", fields.name.as_ref()),
        ("description", fields.description.as_ref()),
    ];
    edit::write_texts(&txn, TextOwner::Organisation, id, &texts, &mut changes).await?;
    write_identifiers(
        &txn,
        id,
        fields.identifiers.as_deref().unwrap_or_default(),
        &mut changes,
    )
    .await?;
    edit::audit(&txn, actor, now, "CREATE_ORGANISATION", "Organisation", id, changes).await?;
    change_feed::commit(txn, now, &[Change::new(Operation::Create, NodeType::Organisation, id)]).await?;
    Ok(Ok(model))
}

/// Updates organisation `id`, if it is still at `expected_version`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    expected_version: i32,
    fields: OrganisationFields,
) -> Outcome<organisation::Model> {
    edit::require_admin(actor, "change organisations")?;
    let txn = crate::db::begin_write(db).await?;
    // Locked first: a participation written meanwhile would count the organisation in a county it is
    // leaving (SQLite has one writer at a time and needs no lock).
    let Some(before) = organisation::Entity::find_by_id(id).lock_exclusive().one(&txn).await? else {
        return Ok(Err(vec![Problem::new(
            &["organisationId"],
            "NOT_FOUND",
            "no organisation has this ID",
        )]));
    };
    if let Err(conflict) = versioned::check_version(NodeType::Organisation, before.version, expected_version) {
        return Ok(Err(conflict));
    }
    let problems = check(&txn, id, &fields).await?;
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let mut model = <organisation::ActiveModel as Default>::default();
    let mut changes = Changes::default();
    if let Some(kind) = fields.kind {
        changes.field("kind", before.kind.to_value(), kind.to_value());
        model.kind = Set(kind);
    }
    if let Some(country) = &fields.country {
        changes.field("country", before.country.clone(), country.clone());
        model.country = Set(country.clone());
    }
    if let Some(parent) = fields.parent {
        let text = |p: Option<Uuid>| p.map(|p| p.to_string());
        changes.field("parentId", text(before.parent_id), text(parent));
        model.parent_id = Set(parent);
    }
    if let Some(website) = &fields.website {
        changes.field("website", before.website.clone(), website.clone());
        model.website = Set(website.clone());
    }
    let (kind, parent) = (
        fields.kind.unwrap_or(before.kind),
        fields.parent.unwrap_or(before.parent_id),
    );
    region_count::organisation_moved(
        &txn,
        id,
        region_count::county_of(before.kind, before.parent_id),
        region_count::county_of(kind, parent),
    )
    .await?;
    if (kind, parent) != (before.kind, before.parent_id) {
        // Written ahead of the versioned write below (which writes them again), so the statistics of the
        // initiatives it has roles in or takes part in count it as it will be.
        organisation::Entity::update_many()
            .col_expr(
                organisation::Column::Kind,
                sea_orm::sea_query::Expr::value(kind.to_value()),
            )
            .col_expr(organisation::Column::ParentId, sea_orm::sea_query::Expr::value(parent))
            .filter(organisation::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        crate::service::facet_count::refresh_organisation(&txn, id).await?;
    }
    let texts = [
        ("name", fields.name.as_ref()),
        ("description", fields.description.as_ref()),
    ];
    edit::write_texts(&txn, TextOwner::Organisation, id, &texts, &mut changes).await?;
    if let Some(identifiers) = &fields.identifiers {
        write_identifiers(&txn, id, identifiers, &mut changes).await?;
    }
    let write = versioned::Write {
        actor,
        operation: "UPDATE_ORGANISATION",
        node_type: NodeType::Organisation,
        id,
        version: before.version,
        now,
    };
    versioned::commit::<organisation::Entity, _>(txn, db, write, model, changes, &[]).await
}

/// Whether `code` is a theme code: lower-case letters, digits and hyphens, 2 to 64 characters.
fn theme_code(code: &str) -> bool {
    (2..=64).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Creates a theme, or (with `existing`) changes its code and label.
pub async fn save_theme(
    db: &DatabaseConnection,
    actor: &Actor,
    existing: Option<(Uuid, i32)>,
    code: Option<String>,
    label: Option<Vec<Localized>>,
) -> Outcome<theme::Model> {
    edit::require_admin(actor, "change themes")?;
    let txn = crate::db::begin_write(db).await?;
    let before = match existing {
        Some((id, expected)) => match theme::Entity::find_by_id(id).one(&txn).await? {
            None => {
                return Ok(Err(vec![Problem::new(
                    &["themeId"],
                    "NOT_FOUND",
                    "no theme has this ID",
                )]));
            }
            Some(found) if found.version != expected => {
                return Ok(Err(vec![Problem::conflict("theme", found.version)]));
            }
            Some(found) => Some(found),
        },
        None => None,
    };
    let mut problems = Vec::new();
    if let Some(code) = &code {
        if !theme_code(code) {
            let message = "a code has 2 to 64 lower-case letters, digits and hyphens";
            problems.push(Problem::new(&["code"], "INVALID", message));
        }
        let mut taken = theme::Entity::find().filter(theme::Column::Code.eq(code.clone()));
        if let Some(before) = &before {
            taken = taken.filter(theme::Column::Id.ne(before.id));
        }
        if taken.one(&txn).await?.is_some() {
            problems.push(Problem::new(
                &["code"],
                "TAKEN",
                format!("another theme has the code {code:?}"),
            ));
        }
    }
    if label.as_ref().is_some_and(Vec::is_empty) || (before.is_none() && label.is_none()) {
        problems.push(Problem::new(
            &["label"],
            "INVALID",
            "give a label in at least one language",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let now = Utc::now();
    let mut changes = Changes::default();
    if let Some(before) = &before {
        let mut model = <theme::ActiveModel as Default>::default();
        if let Some(code) = &code {
            changes.field("code", before.code.clone(), code.clone());
            model.code = Set(code.clone());
        }
        edit::write_texts(
            &txn,
            TextOwner::Theme,
            before.id,
            &[("label", label.as_ref())],
            &mut changes,
        )
        .await?;
        let write = versioned::Write {
            actor,
            operation: "UPDATE_THEME",
            node_type: NodeType::Theme,
            id: before.id,
            version: before.version,
            now,
        };
        return versioned::commit::<theme::Entity, _>(txn, db, write, model, changes, &[]).await;
    }
    let model = theme::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set(code.clone().unwrap_or_default()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    changes.field("code", Value::Null, model.code.clone());
    edit::write_texts(
        &txn,
        TextOwner::Theme,
        model.id,
        &[("label", label.as_ref())],
        &mut changes,
    )
    .await?;
    edit::audit(&txn, actor, now, "CREATE_THEME", "Theme", model.id, changes).await?;
    let change = Change::new(Operation::Create, NodeType::Theme, model.id);
    change_feed::commit(txn, now, &[change]).await?;
    Ok(Ok(model))
}
