//! A synthetic national-scale registry for benchmarks: on top of the reference and demo data, per unit of
//! scale 5,000 initiatives with 10 activities each, every activity with 10 participating municipalities,
//! two roles and two status updates per initiative, goals, themes and school levels, and texts in Swedish,
//! Norwegian Bokmål and English. The same scale and seed give the same registry, IDs included, on every
//! machine and database.
//!
//! The rows are written in multi-row INSERTs of [`CHUNK`] rows, in one transaction with a CREATE event
//! per record, so a load is all or nothing and the change feed holds it like any other data.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::{SeedError, seed_id};
use crate::entity::enums::{DecisionState, OrganisationKind, ParticipationStatus, Role, SchoolLevel, Status};
use crate::entity::{
    activity, goal, initiative, initiative_goal, initiative_school_level, initiative_theme, organisation,
    participation, responsibility, status_update, theme,
};
use crate::service::change_feed;
use crate::service::id::NodeType;
use crate::service::text::{self, TextOwner, Texts};

/// Activities per batch of generated records (written [`crate::db::ROWS_PER_STATEMENT`] rows per INSERT).
const CHUNK: usize = 4000;

/// Initiatives per unit of scale.
pub const INITIATIVES_PER_SCALE: f64 = 5000.0;
/// Activities per initiative.
pub const ACTIVITIES_PER_INITIATIVE: usize = 10;
/// Participating organisations per activity.
pub const PARTICIPANTS_PER_ACTIVITY: usize = 10;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Synthetic {
    /// Units of scale: 1 is 5,000 initiatives; a fraction gives a smaller registry (at least one initiative).
    pub scale: f64,
    /// The random seed: the same seed gives the same registry.
    pub seed: u64,
}

impl Synthetic {
    /// The number of initiatives this scale gives.
    pub fn initiatives(&self) -> usize {
        ((self.scale * INITIATIVES_PER_SCALE).round() as usize).max(1)
    }

    /// The number of rows a load writes (records, links, texts and events), for a progress bar.
    pub fn rows(&self) -> u64 {
        let initiatives = self.initiatives() as u64;
        let activities = initiatives * ACTIVITIES_PER_INITIATIVE as u64;
        let participations = activities * PARTICIPANTS_PER_ACTIVITY as u64;
        // Records and their events; links (5.5 an initiative) and status updates; texts.
        2 * (initiatives * 3 + activities + participations) + initiatives * 8 + initiatives * 12 + activities * 4
    }
}

/// What a load wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyntheticReport {
    /// Initiatives written.
    pub initiatives: usize,
    /// Activities written.
    pub activities: usize,
    /// Participations written.
    pub participations: usize,
    /// Roles written.
    pub responsibilities: usize,
    /// Status updates written.
    pub status_updates: usize,
    /// Text rows written.
    pub texts: usize,
}

impl std::fmt::Display for SyntheticReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} initiatives, {} activities, {} participations, {} roles, {} status updates, {} texts added",
            self.initiatives,
            self.activities,
            self.participations,
            self.responsibilities,
            self.status_updates,
            self.texts
        )
    }
}

/// Subjects of initiatives, in Swedish, Norwegian Bokmål and English.
const SUBJECTS: [[&str; 3]; 10] = [
    ["Digital kompetens", "Digital kompetanse", "Digital competence"],
    [
        "Likvärdig tillgång till digitala verktyg",
        "Likeverdig tilgang til digitale verktøy",
        "Equal access to digital tools",
    ],
    [
        "Forskning och uppföljning",
        "Forskning og oppfølging",
        "Research and follow-up",
    ],
    ["Lärplattformar", "Læringsplattformer", "Learning platforms"],
    ["Programmering", "Programmering", "Programming"],
    ["Källkritik", "Kildekritikk", "Source criticism"],
    [
        "Digitala läromedel",
        "Digitale læremidler",
        "Digital learning resources",
    ],
    ["Informationssäkerhet", "Informasjonssikkerhet", "Information security"],
    ["Skoladministration", "Skoleadministrasjon", "School administration"],
    [
        "Digitala nationella prov",
        "Digitale nasjonale prøver",
        "Digital national tests",
    ],
];

/// Who an initiative is for.
const AUDIENCES: [[&str; 3]; 6] = [
    ["för lärare", "for lærere", "for teachers"],
    ["i förskolan", "i barnehagen", "in preschool"],
    ["för rektorer", "for rektorer", "for principals"],
    ["i gymnasieskolan", "i videregående skole", "in upper secondary school"],
    ["för elever", "for elever", "for pupils"],
    ["i vuxenutbildningen", "i voksenopplæringen", "in adult education"],
];

/// What an activity does.
const ACTIONS: [[&str; 3]; 5] = [
    ["Fortbildning", "Etterutdanning", "Training"],
    ["Pilotprojekt", "Pilotprosjekt", "Pilot project"],
    ["Kartläggning", "Kartlegging", "Survey"],
    ["Nätverk", "Nettverk", "Network"],
    ["Utvärdering", "Evaluering", "Evaluation"],
];

const LANGUAGES: [&str; 3] = ["sv", "nb", "en"];

/// Writes the synthetic registry into a registry that holds the reference data, all or nothing, calling
/// `progress` with the number of rows written so far.
pub async fn load(
    db: &DatabaseConnection,
    spec: Synthetic,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SyntheticReport, SeedError> {
    let txn = crate::db::begin_bulk_write(db).await?;
    let first_id = seed_id(&["synthetic", &spec.seed.to_string(), "initiative", "0"]);
    if initiative::Entity::find_by_id(first_id).one(&txn).await?.is_some() {
        return Err(SeedError::File {
            file: "synthetic".into(),
            reason: format!("this registry holds the synthetic data of seed {} already", spec.seed),
        });
    }
    let places = Places::load(&txn).await?;
    if places.municipalities.iter().any(Vec::is_empty) {
        return Err(SeedError::File {
            file: "synthetic".into(),
            reason: "the registry has no municipalities: seed the reference data first".into(),
        });
    }
    let mut writer = Writer {
        db: &txn,
        written: 0,
        progress,
        report: SyntheticReport::default(),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let themes = writer.themes(spec.seed).await?;
    let start = Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).single().unwrap_or_default();
    let total = spec.initiatives();
    let batch = CHUNK / ACTIVITIES_PER_INITIATIVE;
    for first in (0..total).step_by(batch) {
        let last = (first + batch).min(total);
        let mut records = Batch::default();
        for index in first..last {
            records.add_initiative(&mut rng, spec.seed, index, start, &places, &themes);
        }
        writer.write(records).await?;
    }
    let report = writer.report;
    crate::service::region_count::rebuild(&txn).await?;
    crate::service::facet_count::rebuild(&txn).await?;
    txn.commit().await?;
    crate::db::analyze(db, &FILLED).await?;
    Ok(report)
}

/// The tables a load fills, whose planner statistics it refreshes.
const FILLED: [&str; 19] = [
    "theme",
    "theme_text",
    "initiative",
    "initiative_text",
    "initiative_goal",
    "initiative_theme",
    "initiative_school_level",
    "responsibility",
    "status_update",
    "status_update_text",
    "activity",
    "activity_text",
    "initiative_facet",
    "facet_count",
    "participation",
    "change_event",
    "initiative_participant",
    "initiative_region",
    "activity_region",
];

/// The organisations and goals the synthetic records refer to.
struct Places {
    /// Swedish, then Norwegian municipalities.
    municipalities: [Vec<Uuid>; 2],
    /// Organisations that lead: counties, agencies and associations, Swedish then Norwegian.
    leaders: [Vec<Uuid>; 2],
    goals: Vec<Uuid>,
}

impl Places {
    async fn load(db: &impl ConnectionTrait) -> Result<Places, DbErr> {
        let mut places = Places {
            municipalities: [Vec::new(), Vec::new()],
            leaders: [Vec::new(), Vec::new()],
            goals: Vec::new(),
        };
        let organisations: Vec<(Uuid, OrganisationKind, String)> = organisation::Entity::find()
            .select_only()
            .columns([
                organisation::Column::Id,
                organisation::Column::Kind,
                organisation::Column::Country,
            ])
            .into_tuple()
            .all(db)
            .await?;
        let mut organisations = organisations;
        organisations.sort_by_key(|(id, _, _)| *id);
        for (id, kind, country) in organisations {
            let side = usize::from(country != "SE");
            match kind {
                OrganisationKind::Municipality => places.municipalities[side].push(id),
                _ => places.leaders[side].push(id),
            }
        }
        for side in 0..2 {
            if places.leaders[side].is_empty() {
                places.leaders[side] = places.municipalities[side].clone();
            }
        }
        let mut goals: Vec<Uuid> = goal::Entity::find()
            .select_only()
            .column(goal::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        goals.sort();
        places.goals = goals;
        Ok(places)
    }
}

/// The records of a run of initiatives, written together.
#[derive(Default)]
struct Batch {
    initiatives: Vec<(initiative::Model, Texts)>,
    goals: Vec<initiative_goal::Model>,
    themes: Vec<initiative_theme::Model>,
    levels: Vec<initiative_school_level::Model>,
    responsibilities: Vec<responsibility::Model>,
    updates: Vec<(status_update::Model, Texts)>,
    activities: Vec<(activity::Model, Texts)>,
    participations: Vec<participation::Model>,
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    *items.choose(rng).unwrap_or(&items[0])
}

fn date(rng: &mut ChaCha8Rng, from_year: i32, years: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(from_year, 1, 1).map(|d| d + Duration::days(i64::from(rng.random_range(0..365 * years))))
}

impl Batch {
    /// Adds initiative `index` with everything that belongs to it.
    fn add_initiative(
        &mut self,
        rng: &mut ChaCha8Rng,
        seed: u64,
        index: usize,
        start: DateTime<Utc>,
        places: &Places,
        themes: &[Uuid],
    ) {
        let seed = seed.to_string();
        let key = index.to_string();
        let id = seed_id(&["synthetic", &seed, "initiative", &key]);
        let side = usize::from(rng.random_bool(0.4));
        let country = ["SE", "NO"][side];
        let at = start + Duration::minutes(index as i64);
        let status = pick(
            rng,
            &[
                Status::Proposed,
                Status::Decided,
                Status::Ongoing,
                Status::Ongoing,
                Status::Completed,
            ],
        );
        let planned_start = date(rng, 2022, 4);
        let subject = pick(rng, &SUBJECTS);
        let audience = pick(rng, &AUDIENCES);
        let mut texts = Texts::default();
        for (k, lang) in LANGUAGES.iter().enumerate() {
            texts.add("title", lang, &format!("{} {} {}", subject[k], audience[k], index + 1));
            let description = match k {
                0 => format!("Insats {} om {} {}.", index + 1, subject[0].to_lowercase(), audience[0]),
                1 => format!("Tiltak {} om {} {}.", index + 1, subject[1].to_lowercase(), audience[1]),
                _ => format!(
                    "Initiative {} on {} {}.",
                    index + 1,
                    subject[2].to_lowercase(),
                    audience[2]
                ),
            };
            texts.add("description", lang, &description);
        }
        self.initiatives.push((
            initiative::Model {
                id,
                action_plan_id: None,
                number: None,
                country: country.to_owned(),
                status,
                planned_start,
                planned_end: planned_start.map(|d| d + Duration::days(730)),
                actual_start: if status == Status::Proposed {
                    None
                } else {
                    planned_start
                },
                actual_end: None,
                created_at: at,
                updated_at: at,
                version: 1,
                archived_at: None,
            },
            texts,
        ));
        let mut goals = places.goals.clone();
        goals.shuffle(rng);
        for goal_id in goals.into_iter().take(rng.random_range(1..=3)) {
            self.goals.push(initiative_goal::Model {
                initiative_id: id,
                goal_id,
            });
        }
        let mut chosen = themes.to_vec();
        chosen.shuffle(rng);
        for theme_id in chosen.into_iter().take(rng.random_range(1..=3)) {
            self.themes.push(initiative_theme::Model {
                initiative_id: id,
                theme_id,
            });
        }
        let mut levels = [
            SchoolLevel::Preschool,
            SchoolLevel::Compulsory,
            SchoolLevel::UpperSecondary,
            SchoolLevel::Adult,
        ];
        levels.shuffle(rng);
        for school_level in levels.into_iter().take(rng.random_range(1..=2)) {
            self.levels.push(initiative_school_level::Model {
                initiative_id: id,
                school_level,
            });
        }
        let leader = pick(rng, &places.leaders[side]);
        let mut partner = pick(rng, &places.municipalities[side]);
        if partner == leader {
            partner = places.municipalities[side][0];
        }
        for (k, (organisation_id, role, decision)) in [
            (leader, Role::Lead, DecisionState::Accepted),
            (
                partner,
                Role::Partner,
                pick(rng, &[DecisionState::Accepted, DecisionState::Proposed]),
            ),
        ]
        .into_iter()
        .enumerate()
        {
            self.responsibilities.push(responsibility::Model {
                id: seed_id(&["synthetic", &seed, "responsibility", &key, &k.to_string()]),
                organisation_id,
                initiative_id: Some(id),
                activity_id: None,
                role,
                decision,
                decided_on: None,
                created_at: at,
                updated_at: at,
                version: 1,
            });
        }
        for k in 0..2 {
            let mut texts = Texts::default();
            for (lang, comment) in LANGUAGES
                .iter()
                .zip(["Lägesrapport", "Statusrapport", "Progress report"])
            {
                texts.add("comment", lang, &format!("{comment} {}", k + 1));
            }
            self.updates.push((
                status_update::Model {
                    id: seed_id(&["synthetic", &seed, "status_update", &key, &k.to_string()]),
                    initiative_id: id,
                    reported_on: date(rng, 2024, 2),
                    status: Some(status),
                    actor_id: Some(leader),
                    created_at: at,
                    updated_at: at,
                    version: 1,
                },
                texts,
            ));
        }
        let municipalities = &places.municipalities[side];
        for position in 0..ACTIVITIES_PER_INITIATIVE {
            let activity_key = format!("{key}/{position}");
            let activity_id = seed_id(&["synthetic", &seed, "activity", &activity_key]);
            let action = pick(rng, &ACTIONS);
            let mut texts = Texts::default();
            for (k, lang) in LANGUAGES.iter().enumerate() {
                let title = format!(
                    "{} {}: {} {}",
                    action[k],
                    position + 1,
                    subject[k].to_lowercase(),
                    index + 1
                );
                texts.add("title", lang, &title);
            }
            texts.add(
                "description",
                "sv",
                &format!("{} för {}.", action[0], subject[0].to_lowercase()),
            );
            let activity_at = at + Duration::seconds(position as i64);
            let activity_start = date(rng, 2023, 3);
            self.activities.push((
                activity::Model {
                    id: activity_id,
                    initiative_id: id,
                    position: Some(position as i32 + 1),
                    status: pick(
                        rng,
                        &[Status::Decided, Status::Ongoing, Status::Ongoing, Status::Completed],
                    ),
                    planned_start: activity_start,
                    planned_end: activity_start.map(|d| d + Duration::days(180)),
                    actual_start: None,
                    actual_end: None,
                    created_at: activity_at,
                    updated_at: activity_at,
                    version: 1,
                    archived_at: None,
                },
                texts,
            ));
            let chosen: Vec<Uuid> = municipalities
                .choose_multiple(rng, PARTICIPANTS_PER_ACTIVITY)
                .copied()
                .collect();
            for organisation_id in chosen {
                self.participations.push(participation::Model {
                    id: seed_id(&[
                        "synthetic",
                        &seed,
                        "participation",
                        &activity_key,
                        &organisation_id.to_string(),
                    ]),
                    activity_id,
                    organisation_id,
                    status: pick(
                        rng,
                        &[
                            ParticipationStatus::Interested,
                            ParticipationStatus::Participating,
                            ParticipationStatus::Participating,
                            ParticipationStatus::Completed,
                        ],
                    ),
                    started_on: activity_start,
                    ended_on: None,
                    created_at: activity_at,
                    updated_at: activity_at,
                    version: 1,
                });
            }
        }
    }
}

/// Writes batches in chunks, with their texts and events, and reports progress.
struct Writer<'a, C: ConnectionTrait> {
    db: &'a C,
    written: u64,
    progress: &'a (dyn Fn(u64) + Sync),
    report: SyntheticReport,
}

impl<C: ConnectionTrait> Writer<'_, C> {
    fn advance(&mut self, rows: usize) {
        self.written += rows as u64;
        (self.progress)(self.written);
    }

    /// One theme per subject, made once per seed.
    async fn themes(&mut self, seed: u64) -> Result<Vec<Uuid>, SeedError> {
        let now = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut ids = Vec::new();
        let mut texts = Vec::new();
        for (k, subject) in SUBJECTS.iter().enumerate() {
            let id = seed_id(&["synthetic", &seed.to_string(), "theme", &k.to_string()]);
            let code = format!("synthetic-{seed}-{}", k + 1);
            if theme::Entity::find()
                .filter(theme::Column::Code.eq(&code))
                .count(self.db)
                .await?
                == 0
            {
                theme::Model {
                    id,
                    code,
                    created_at: now,
                    updated_at: now,
                    version: 1,
                }
                .into_active_model()
                .insert(self.db)
                .await?;
                let mut label = Texts::default();
                for (lang, text) in LANGUAGES.iter().zip(subject) {
                    label.add("label", lang, text);
                }
                texts.push((id, label));
            }
            ids.push(id);
        }
        let refs: Vec<(Uuid, &Texts)> = texts.iter().map(|(id, t)| (*id, t)).collect();
        text::insert(self.db, TextOwner::Theme, &refs).await?;
        let new: Vec<Uuid> = texts.iter().map(|(id, _)| *id).collect();
        change_feed::record_created(self.db, NodeType::Theme, &new, None).await?;
        Ok(ids)
    }

    async fn write(&mut self, batch: Batch) -> Result<(), SeedError> {
        let Batch {
            initiatives,
            goals,
            themes,
            levels,
            responsibilities,
            updates,
            activities,
            participations,
        } = batch;
        self.report.initiatives += initiatives.len();
        self.report.activities += activities.len();
        self.report.participations += participations.len();
        self.report.responsibilities += responsibilities.len();
        self.report.status_updates += updates.len();
        self.records(NodeType::Initiative, TextOwner::Initiative, initiatives)
            .await?;
        self.links(goals).await?;
        self.links(themes).await?;
        self.links(levels).await?;
        self.records(NodeType::Activity, TextOwner::Activity, activities)
            .await?;
        self.plain(NodeType::Responsibility, responsibilities).await?;
        let update_count = updates.len();
        let (models, texts): (Vec<_>, Vec<_>) = updates.into_iter().unzip();
        let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
        self.insert(models).await?;
        self.texts(TextOwner::StatusUpdate, &ids, &texts).await?;
        self.advance(update_count);
        self.plain(NodeType::Participation, participations).await?;
        Ok(())
    }

    /// Inserts records with texts and their CREATE events.
    async fn records<M>(
        &mut self,
        record_type: NodeType,
        owner: TextOwner,
        records: Vec<(M, Texts)>,
    ) -> Result<(), SeedError>
    where
        M: IntoActiveModel<<M as Identified>::Active> + Identified,
    {
        let (models, texts): (Vec<M>, Vec<Texts>) = records.into_iter().unzip();
        let ids: Vec<Uuid> = models.iter().map(Identified::id).collect();
        let count = models.len();
        self.insert(models).await?;
        self.texts(owner, &ids, &texts).await?;
        change_feed::record_created(self.db, record_type, &ids, None).await?;
        self.advance(2 * count);
        Ok(())
    }

    /// Inserts records without texts and their CREATE events.
    async fn plain<M>(&mut self, record_type: NodeType, models: Vec<M>) -> Result<(), SeedError>
    where
        M: IntoActiveModel<<M as Identified>::Active> + Identified,
    {
        let ids: Vec<Uuid> = models.iter().map(Identified::id).collect();
        let count = models.len();
        self.insert(models).await?;
        for chunk in ids.chunks(crate::db::ROWS_PER_STATEMENT) {
            change_feed::record_created(self.db, record_type, chunk, None).await?;
        }
        self.advance(2 * count);
        Ok(())
    }

    async fn links<M>(&mut self, links: Vec<M>) -> Result<(), SeedError>
    where
        M: IntoActiveModel<<M as Identified>::Active> + Identified,
    {
        let count = links.len();
        self.insert(links).await?;
        self.advance(count);
        Ok(())
    }

    async fn texts(&mut self, owner: TextOwner, ids: &[Uuid], texts: &[Texts]) -> Result<(), SeedError> {
        let refs: Vec<(Uuid, &Texts)> = ids.iter().copied().zip(texts).collect();
        let rows = text::insert(self.db, owner, &refs).await?;
        self.report.texts += rows;
        self.advance(rows);
        Ok(())
    }

    async fn insert<M>(&mut self, models: Vec<M>) -> Result<(), SeedError>
    where
        M: IntoActiveModel<<M as Identified>::Active> + Identified,
    {
        let mut models = models.into_iter().peekable();
        while models.peek().is_some() {
            let chunk: Vec<_> = models
                .by_ref()
                .take(crate::db::ROWS_PER_STATEMENT)
                .map(IntoActiveModel::into_active_model)
                .collect();
            <<M as Identified>::Active as ActiveModelTrait>::Entity::insert_many(chunk)
                .exec_without_returning(self.db)
                .await?;
        }
        Ok(())
    }
}

/// A generated row: its active model type, and its ID (for events and texts; links have none).
trait Identified {
    type Active: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send;
    fn id(&self) -> Uuid;
}

macro_rules! identified {
    ($($module:ident => $id:expr),* $(,)?) => {$(
        impl Identified for $module::Model {
            type Active = $module::ActiveModel;
            fn id(&self) -> Uuid {
                #[allow(clippy::redundant_closure_call)]
                ($id)(self)
            }
        }
    )*};
}

identified!(
    initiative => |m: &initiative::Model| m.id,
    activity => |m: &activity::Model| m.id,
    participation => |m: &participation::Model| m.id,
    responsibility => |m: &responsibility::Model| m.id,
    status_update => |m: &status_update::Model| m.id,
    initiative_goal => |m: &initiative_goal::Model| m.initiative_id,
    initiative_theme => |m: &initiative_theme::Model| m.initiative_id,
    initiative_school_level => |m: &initiative_school_level::Model| m.initiative_id,
);
