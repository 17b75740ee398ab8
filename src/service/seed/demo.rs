//! The demo data: the Swedish and Norwegian strategies, skolDigiplan and the Norwegian action plan, the
//! initiatives whose facts are known, the organisations behind them, and the 2022 dialogue meeting. Facts
//! only: where a fact is unknown (most skolDigiplan titles, sub-goal 2.3's wording) it is left out.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveEnum;
use serde::Deserialize;
use uuid::Uuid;

use super::plan::{Plan, Stamp};
use super::{DataFile, SeedError, seed_id};
use crate::entity::enums::{DecisionState, EventKind, IdentifierScheme, OrganisationKind, Role, Status};
use crate::entity::*;
use crate::service::language::is_language_tag;
use crate::service::text::Texts;

/// The demo data file and the strategy file it refers to.
#[derive(Clone, Debug)]
pub struct DemoFiles {
    /// `demo.json`.
    pub demo: DataFile,
    /// Focus areas and goals of the Swedish 2017 strategy, `se_strategy_2017.json`.
    pub se_strategy_2017: DataFile,
}

impl DemoFiles {
    /// The files compiled into the binary.
    pub fn bundled() -> Self {
        DemoFiles {
            demo: DataFile::bundled("data/demo/demo.json", include_str!("../../../data/demo/demo.json")),
            se_strategy_2017: DataFile::bundled(
                "data/reference/se_strategy_2017.json",
                include_str!("../../../data/reference/se_strategy_2017.json"),
            ),
        }
    }

    /// `demo.json` and `se_strategy_2017.json` from `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, SeedError> {
        Ok(DemoFiles {
            demo: DataFile::read(dir, "demo.json")?,
            se_strategy_2017: DataFile::read(dir, "se_strategy_2017.json")?,
        })
    }
}

/// A text in several languages, by BCP 47 tag.
pub(super) type Text = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Demo {
    organisations: Vec<Org>,
    themes: Vec<ThemeRow>,
    strategies: Vec<StrategyRow>,
    action_plans: Vec<PlanRow>,
    consultations: Vec<ConsultationRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Org {
    key: String,
    kind: String,
    country: String,
    website: Option<String>,
    name: Text,
    description: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeRow {
    code: String,
    label: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StrategyRow {
    key: String,
    country: String,
    start_year: Option<i32>,
    end_year: Option<i32>,
    adopted_on: Option<NaiveDate>,
    owners: Vec<String>,
    focus_areas_file: Option<String>,
    name: Text,
    description: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PlanRow {
    key: String,
    strategy: Option<String>,
    country: String,
    published_on: Option<NaiveDate>,
    start_year: Option<i32>,
    end_year: Option<i32>,
    owners: Vec<String>,
    title: Text,
    description: Option<Text>,
    initiatives: Vec<InitiativeRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct InitiativeRow {
    number: i32,
    status: String,
    #[serde(default)]
    themes: Vec<String>,
    title: Text,
    description: Option<Text>,
    #[serde(default)]
    responsibilities: Vec<ResponsibilityRow>,
    #[serde(default)]
    status_updates: Vec<StatusUpdateRow>,
    #[serde(default)]
    activities: Vec<super::demo_activities::ActivityRow>,
}

/// A role an organisation holds, in `demo.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ResponsibilityRow {
    pub(super) organisation: String,
    pub(super) role: String,
    pub(super) decision: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StatusUpdateRow {
    status: Option<String>,
    actor: Option<String>,
    reported_on: Option<NaiveDate>,
    decision: Option<Text>,
    comment: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConsultationRow {
    key: String,
    strategy: Option<String>,
    opens_on: Option<NaiveDate>,
    closes_on: Option<NaiveDate>,
    title: Text,
    description: Option<Text>,
    events: Vec<EventRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct EventRow {
    key: String,
    kind: String,
    online: bool,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    registration_deadline: Option<DateTime<Utc>>,
    title: Text,
    target_groups: Vec<Text>,
}

/// `se_strategy_2017.json`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StrategyFile {
    focus_areas: Vec<AreaRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AreaRow {
    no: i32,
    name: String,
    sub_goals: Vec<GoalRow>,
}

#[derive(Deserialize)]
struct GoalRow {
    id: String,
    text: Option<String>,
    verified: serde_json::Value,
    note: Option<String>,
}

/// Checks values and resolves keys, naming the file and the place of the first problem.
pub(super) struct Checker<'a> {
    file: &'a DataFile,
    organisations: HashMap<String, Uuid>,
    themes: HashMap<String, Uuid>,
    strategies: HashMap<String, Uuid>,
}

impl Checker<'_> {
    pub(super) fn error(&self, place: &str, reason: impl std::fmt::Display) -> SeedError {
        SeedError::File {
            file: self.file.name.clone(),
            reason: format!("{place}: {reason}"),
        }
    }

    pub(super) fn code<T: ActiveEnum<Value = String>>(&self, place: &str, value: &str) -> Result<T, SeedError> {
        T::try_from_value(&value.to_owned()).map_err(|_| self.error(place, format!("unknown value {value:?}")))
    }

    fn country(&self, place: &str, value: &str) -> Result<String, SeedError> {
        if value.len() == 2 && value.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(value.to_owned())
        } else {
            Err(self.error(place, format!("country {value:?} is not an ISO 3166-1 alpha-2 code")))
        }
    }

    /// An organisation of the demo by its key, or one of the reference data by code
    /// (`"NO_KOMMUNENUMMER:4601"`).
    pub(super) fn organisation(&self, place: &str, key: &str) -> Result<Uuid, SeedError> {
        match key.split_once(':') {
            Some((scheme, code)) => {
                let scheme = self.code::<IdentifierScheme>(place, scheme)?;
                Ok(seed_id(&["organisation", scheme.to_value().as_str(), code]))
            }
            None => self.key(place, &self.organisations, key),
        }
    }

    fn key(&self, place: &str, map: &HashMap<String, Uuid>, key: &str) -> Result<Uuid, SeedError> {
        map.get(key)
            .copied()
            .ok_or_else(|| self.error(place, format!("unknown key {key:?}")))
    }

    pub(super) fn texts(&self, place: &str, fields: &[(&str, Option<&Text>)]) -> Result<Texts, SeedError> {
        let mut texts = Texts::default();
        for (field, text) in fields {
            for (lang, value) in text.iter().flat_map(|t| t.iter()) {
                if !is_language_tag(lang) {
                    return Err(self.error(place, format!("{lang:?} is not a BCP 47 language tag")));
                }
                if value.trim().is_empty() {
                    return Err(self.error(place, format!("empty {field} in {lang:?}")));
                }
                texts.add(field, lang, value.trim());
            }
        }
        Ok(texts)
    }
}

fn parse<'a, T: Deserialize<'a>>(file: &'a DataFile) -> Result<T, SeedError> {
    serde_json::from_str(&file.content).map_err(|error| SeedError::Row {
        file: file.name.clone(),
        line: error.line() as u64,
        reason: error.to_string(),
    })
}

/// Reads and checks the demo files and returns the records they describe.
pub fn plan(files: &DemoFiles) -> Result<Plan, SeedError> {
    let demo: Demo = parse(&files.demo)?;
    let mut check = Checker {
        file: &files.demo,
        organisations: HashMap::new(),
        themes: HashMap::new(),
        strategies: HashMap::new(),
    };
    let mut plan = Plan::default();
    let id = |kind: &str, key: &str| seed_id(&["demo", kind, key]);

    for (i, row) in demo.organisations.iter().enumerate() {
        let place = format!("organisations[{i}]");
        let stamp = Stamp::now();
        let model = organisation::Model {
            id: id("organisation", &row.key),
            kind: check.code::<OrganisationKind>(&place, &row.kind)?,
            country: check.country(&place, &row.country)?,
            parent_id: None,
            website: row.website.clone(),
            created_at: stamp.created_at,
            updated_at: stamp.updated_at,
            version: stamp.version,
        };
        let texts = check.texts(
            &place,
            &[("name", Some(&row.name)), ("description", row.description.as_ref())],
        )?;
        if check.organisations.insert(row.key.clone(), model.id).is_some() {
            return Err(check.error(&place, format!("key {:?} appears twice", row.key)));
        }
        plan.organisations.push((model, texts));
    }
    for (i, row) in demo.themes.iter().enumerate() {
        let place = format!("themes[{i}]");
        let stamp = Stamp::now();
        let model = theme::Model {
            id: id("theme", &row.code),
            code: row.code.clone(),
            created_at: stamp.created_at,
            updated_at: stamp.updated_at,
            version: stamp.version,
        };
        check.themes.insert(row.code.clone(), model.id);
        plan.themes
            .push((model, check.texts(&place, &[("label", Some(&row.label))])?));
    }
    for (i, row) in demo.strategies.iter().enumerate() {
        let place = format!("strategies[{i}]");
        let stamp = Stamp::now();
        let model = strategy::Model {
            id: id("strategy", &row.key),
            country: check.country(&place, &row.country)?,
            start_year: row.start_year,
            end_year: row.end_year,
            adopted_on: row.adopted_on,
            created_at: stamp.created_at,
            updated_at: stamp.updated_at,
            version: stamp.version,
        };
        for owner in &row.owners {
            let organisation_id = check.organisation(&place, owner)?;
            plan.strategy_owners.push(strategy_owner::Model {
                strategy_id: model.id,
                organisation_id,
            });
        }
        match row.focus_areas_file.as_deref() {
            Some("se_strategy_2017.json") => focus_areas(&files.se_strategy_2017, model.id, &mut plan)?,
            Some(other) => return Err(check.error(&place, format!("unknown focus area file {other:?}"))),
            None => {}
        }
        check.strategies.insert(row.key.clone(), model.id);
        let texts = check.texts(
            &place,
            &[("name", Some(&row.name)), ("description", row.description.as_ref())],
        )?;
        plan.strategies.push((model, texts));
    }
    action_plans(&demo, &check, &mut plan)?;
    consultations(&demo, &check, &mut plan)?;
    Ok(plan)
}

fn action_plans(demo: &Demo, check: &Checker<'_>, plan: &mut Plan) -> Result<(), SeedError> {
    for (i, row) in demo.action_plans.iter().enumerate() {
        let place = format!("actionPlans[{i}]");
        let stamp = Stamp::now();
        let model = action_plan::Model {
            id: seed_id(&["demo", "action_plan", &row.key]),
            strategy_id: row
                .strategy
                .as_deref()
                .map(|key| check.key(&place, &check.strategies, key))
                .transpose()?,
            country: check.country(&place, &row.country)?,
            published_on: row.published_on,
            start_year: row.start_year,
            end_year: row.end_year,
            created_at: stamp.created_at,
            updated_at: stamp.updated_at,
            version: stamp.version,
        };
        for owner in &row.owners {
            let organisation_id = check.organisation(&place, owner)?;
            plan.action_plan_owners.push(action_plan_owner::Model {
                action_plan_id: model.id,
                organisation_id,
            });
        }
        let mut numbers = HashSet::new();
        for (j, initiative) in row.initiatives.iter().enumerate() {
            let place = format!("{place}.initiatives[{j}]");
            if !numbers.insert(initiative.number) {
                return Err(check.error(&place, format!("number {} appears twice", initiative.number)));
            }
            let initiative_id = seed_id(&["demo", "initiative", &row.key, &initiative.number.to_string()]);
            let stamp = Stamp::now();
            let texts = check.texts(
                &place,
                &[
                    ("title", Some(&initiative.title)),
                    ("description", initiative.description.as_ref()),
                ],
            )?;
            plan.initiatives.push((
                initiative::Model {
                    id: initiative_id,
                    action_plan_id: Some(model.id),
                    number: Some(initiative.number),
                    country: model.country.clone(),
                    status: check.code::<Status>(&place, &initiative.status)?,
                    planned_start: None,
                    planned_end: None,
                    actual_start: None,
                    actual_end: None,
                    created_at: stamp.created_at,
                    updated_at: stamp.updated_at,
                    version: stamp.version,
                    archived_at: None,
                },
                texts,
            ));
            for code in &initiative.themes {
                let theme_id = check.key(&place, &check.themes, code)?;
                plan.initiative_themes.push(initiative_theme::Model {
                    initiative_id,
                    theme_id,
                });
            }
            for (k, r) in initiative.responsibilities.iter().enumerate() {
                let place = format!("{place}.responsibilities[{k}]");
                let organisation_id = check.organisation(&place, &r.organisation)?;
                plan.responsibilities.push(responsibility::Model {
                    id: seed_id(&[
                        "demo",
                        "responsibility",
                        &initiative_id.to_string(),
                        &r.organisation,
                        &r.role,
                    ]),
                    organisation_id,
                    initiative_id: Some(initiative_id),
                    activity_id: None,
                    role: check.code::<Role>(&place, &r.role)?,
                    decision: check.code::<DecisionState>(&place, &r.decision)?,
                    decided_on: None,
                    created_at: stamp.created_at,
                    updated_at: stamp.updated_at,
                    version: stamp.version,
                });
            }
            super::demo_activities::add(check, plan, &place, initiative_id, &initiative.activities)?;
            for (k, update) in initiative.status_updates.iter().enumerate() {
                let place = format!("{place}.statusUpdates[{k}]");
                let texts = check.texts(
                    &place,
                    &[
                        ("decision", update.decision.as_ref()),
                        ("comment", update.comment.as_ref()),
                    ],
                )?;
                plan.status_updates.push((
                    status_update::Model {
                        id: seed_id(&["demo", "status_update", &initiative_id.to_string(), &k.to_string()]),
                        initiative_id,
                        reported_on: update.reported_on,
                        status: update
                            .status
                            .as_deref()
                            .map(|s| check.code::<Status>(&place, s))
                            .transpose()?,
                        actor_id: update
                            .actor
                            .as_deref()
                            .map(|key| check.organisation(&place, key))
                            .transpose()?,
                        created_at: stamp.created_at,
                        updated_at: stamp.updated_at,
                        version: stamp.version,
                    },
                    texts,
                ));
            }
        }
        let texts = check.texts(
            &place,
            &[("title", Some(&row.title)), ("description", row.description.as_ref())],
        )?;
        plan.action_plans.push((model, texts));
    }
    Ok(())
}

fn consultations(demo: &Demo, check: &Checker<'_>, plan: &mut Plan) -> Result<(), SeedError> {
    for (i, row) in demo.consultations.iter().enumerate() {
        let place = format!("consultations[{i}]");
        let stamp = Stamp::now();
        let consultation_id = seed_id(&["demo", "consultation", &row.key]);
        let texts = check.texts(
            &place,
            &[("title", Some(&row.title)), ("description", row.description.as_ref())],
        )?;
        plan.consultations.push((
            consultation::Model {
                id: consultation_id,
                strategy_id: row
                    .strategy
                    .as_deref()
                    .map(|key| check.key(&place, &check.strategies, key))
                    .transpose()?,
                action_plan_id: None,
                organiser_id: None,
                opens_on: row.opens_on,
                closes_on: row.closes_on,
                created_at: stamp.created_at,
                updated_at: stamp.updated_at,
                version: stamp.version,
            },
            texts,
        ));
        for (j, event) in row.events.iter().enumerate() {
            let place = format!("{place}.events[{j}]");
            let event_id = seed_id(&["demo", "consultation_event", &row.key, &event.key]);
            if let (Some(start), Some(end)) = (event.starts_at, event.ends_at)
                && end < start
            {
                return Err(check.error(&place, "ends before it starts"));
            }
            plan.events.push((
                consultation_event::Model {
                    id: event_id,
                    consultation_id,
                    kind: check.code::<EventKind>(&place, &event.kind)?,
                    starts_at: event.starts_at,
                    ends_at: event.ends_at,
                    online: event.online,
                    registration_deadline: event.registration_deadline,
                    created_at: stamp.created_at,
                    updated_at: stamp.updated_at,
                    version: stamp.version,
                },
                check.texts(&place, &[("title", Some(&event.title))])?,
            ));
            for (k, group) in event.target_groups.iter().enumerate() {
                let place = format!("{place}.targetGroups[{k}]");
                plan.target_groups.push((
                    event_target_group::Model {
                        id: seed_id(&["demo", "event_target_group", &event_id.to_string(), &k.to_string()]),
                        event_id,
                        position: k as i32 + 1,
                        created_at: stamp.created_at,
                        updated_at: stamp.updated_at,
                        version: stamp.version,
                    },
                    check.texts(&place, &[("label", Some(group))])?,
                ));
            }
        }
    }
    Ok(())
}

/// The focus areas and goals of the Swedish 2017 strategy, in Swedish, with a note where the wording is
/// unverified or missing.
fn focus_areas(file: &DataFile, strategy_id: Uuid, plan: &mut Plan) -> Result<(), SeedError> {
    let parsed: StrategyFile = parse(file)?;
    for (i, area) in parsed.focus_areas.iter().enumerate() {
        let stamp = Stamp::now();
        let area_id = seed_id(&["demo", "focus_area", &strategy_id.to_string(), &area.no.to_string()]);
        let mut texts = Texts::default();
        texts.add("name", "sv", &area.name);
        plan.focus_areas.push((
            focus_area::Model {
                id: area_id,
                strategy_id,
                position: i as i32 + 1,
                code: area.no.to_string(),
                created_at: stamp.created_at,
                updated_at: stamp.updated_at,
                version: stamp.version,
            },
            texts,
        ));
        for (j, goal) in area.sub_goals.iter().enumerate() {
            let mut texts = Texts::default();
            if let Some(text) = goal.text.as_deref() {
                texts.add("title", "sv", text);
            }
            let note = match (&goal.verified, goal.note.as_deref()) {
                (serde_json::Value::Bool(true), _) => None,
                (serde_json::Value::String(remark), _) => Some(format!("Wording not fully verified: {remark}.")),
                (_, Some(note)) => Some(format!("Wording not verified. {note}.")),
                _ => Some("Wording not verified.".to_owned()),
            };
            if let Some(note) = note {
                texts.add("note", "en", &note);
            }
            plan.goals.push((
                goal::Model {
                    id: seed_id(&["demo", "goal", &strategy_id.to_string(), &goal.id]),
                    focus_area_id: area_id,
                    position: j as i32 + 1,
                    code: goal.id.clone(),
                    created_at: stamp.created_at,
                    updated_at: stamp.updated_at,
                    version: stamp.version,
                },
                texts,
            ));
        }
    }
    Ok(())
}
