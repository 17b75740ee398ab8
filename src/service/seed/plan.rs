//! A seeding plan: the records a run wants to exist, written in dependency order, each only if missing.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::SeedReport;
use crate::entity::*;
use crate::service::text::{self, TextOwner, Texts};

/// The records a seeding run wants to exist. Rows with texts carry them alongside.
#[derive(Default)]
pub struct Plan {
    pub organisations: Vec<(organisation::Model, Texts)>,
    pub identifiers: Vec<organisation_identifier::Model>,
    pub themes: Vec<(theme::Model, Texts)>,
    pub strategies: Vec<(strategy::Model, Texts)>,
    pub strategy_owners: Vec<strategy_owner::Model>,
    pub focus_areas: Vec<(focus_area::Model, Texts)>,
    pub goals: Vec<(goal::Model, Texts)>,
    pub action_plans: Vec<(action_plan::Model, Texts)>,
    pub action_plan_owners: Vec<action_plan_owner::Model>,
    pub initiatives: Vec<(initiative::Model, Texts)>,
    pub initiative_themes: Vec<initiative_theme::Model>,
    pub activities: Vec<(activity::Model, Texts)>,
    pub participations: Vec<participation::Model>,
    pub responsibilities: Vec<responsibility::Model>,
    pub status_updates: Vec<(status_update::Model, Texts)>,
    pub consultations: Vec<(consultation::Model, Texts)>,
    pub events: Vec<(consultation_event::Model, Texts)>,
    pub target_groups: Vec<(event_target_group::Model, Texts)>,
}

/// The bookkeeping columns of a record created now.
pub struct Stamp {
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    pub version: i32,
}

impl Stamp {
    pub fn now() -> Self {
        let now = Utc::now();
        Stamp {
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }
}

impl Plan {
    /// Adds another plan's records after this one's.
    pub fn extend(&mut self, other: Plan) {
        self.organisations.extend(other.organisations);
        self.identifiers.extend(other.identifiers);
        self.themes.extend(other.themes);
        self.strategies.extend(other.strategies);
        self.strategy_owners.extend(other.strategy_owners);
        self.focus_areas.extend(other.focus_areas);
        self.goals.extend(other.goals);
        self.action_plans.extend(other.action_plans);
        self.action_plan_owners.extend(other.action_plan_owners);
        self.initiatives.extend(other.initiatives);
        self.initiative_themes.extend(other.initiative_themes);
        self.activities.extend(other.activities);
        self.participations.extend(other.participations);
        self.responsibilities.extend(other.responsibilities);
        self.status_updates.extend(other.status_updates);
        self.consultations.extend(other.consultations);
        self.events.extend(other.events);
        self.target_groups.extend(other.target_groups);
    }

    /// Writes every missing record, parents before children. Link rows are written with the record that
    /// owns them, so an existing record keeps exactly the links it has.
    pub async fn write(self, db: &impl ConnectionTrait) -> Result<SeedReport, DbErr> {
        let mut report = SeedReport::default();
        let mut tally = |wanted: usize, inserted: usize| {
            report.inserted += inserted;
            report.unchanged += wanted - inserted;
        };

        let n = self.organisations.len();
        let orgs = put::<organisation::Entity>(
            db,
            self.organisations,
            Some(TextOwner::Organisation),
            organisation::Column::Id,
            |m| m.id,
        )
        .await?;
        tally(n, orgs.len());
        let n = self.identifiers.len();
        let rows = self.identifiers.into_iter().map(|m| (m, Texts::default())).collect();
        tally(
            n,
            put::<organisation_identifier::Entity>(db, rows, None, organisation_identifier::Column::Id, |m| m.id)
                .await?
                .len(),
        );
        let n = self.themes.len();
        tally(
            n,
            put::<theme::Entity>(db, self.themes, Some(TextOwner::Theme), theme::Column::Id, |m| m.id)
                .await?
                .len(),
        );

        let n = self.strategies.len();
        let strategies = put::<strategy::Entity>(
            db,
            self.strategies,
            Some(TextOwner::Strategy),
            strategy::Column::Id,
            |m| m.id,
        )
        .await?;
        tally(n, strategies.len());
        let n = self.strategy_owners.len();
        tally(
            n,
            links(db, self.strategy_owners, |m| strategies.contains(&m.strategy_id)).await?,
        );
        let n = self.focus_areas.len();
        tally(
            n,
            put::<focus_area::Entity>(
                db,
                self.focus_areas,
                Some(TextOwner::FocusArea),
                focus_area::Column::Id,
                |m| m.id,
            )
            .await?
            .len(),
        );
        let n = self.goals.len();
        tally(
            n,
            put::<goal::Entity>(db, self.goals, Some(TextOwner::Goal), goal::Column::Id, |m| m.id)
                .await?
                .len(),
        );

        let n = self.action_plans.len();
        let plans = put::<action_plan::Entity>(
            db,
            self.action_plans,
            Some(TextOwner::ActionPlan),
            action_plan::Column::Id,
            |m| m.id,
        )
        .await?;
        tally(n, plans.len());
        let n = self.action_plan_owners.len();
        tally(
            n,
            links(db, self.action_plan_owners, |m| plans.contains(&m.action_plan_id)).await?,
        );

        let n = self.initiatives.len();
        let initiatives = put::<initiative::Entity>(
            db,
            self.initiatives,
            Some(TextOwner::Initiative),
            initiative::Column::Id,
            |m| m.id,
        )
        .await?;
        tally(n, initiatives.len());
        let n = self.initiative_themes.len();
        tally(
            n,
            links(db, self.initiative_themes, |m| initiatives.contains(&m.initiative_id)).await?,
        );
        let n = self.activities.len();
        let owner = Some(TextOwner::Activity);
        tally(
            n,
            put::<activity::Entity>(db, self.activities, owner, activity::Column::Id, |m| m.id)
                .await?
                .len(),
        );
        let n = self.participations.len();
        let rows = self.participations.into_iter().map(|m| (m, Texts::default())).collect();
        tally(
            n,
            put::<participation::Entity>(db, rows, None, participation::Column::Id, |m| m.id)
                .await?
                .len(),
        );
        let n = self.responsibilities.len();
        let rows = self
            .responsibilities
            .into_iter()
            .map(|m| (m, Texts::default()))
            .collect();
        tally(
            n,
            put::<responsibility::Entity>(db, rows, None, responsibility::Column::Id, |m| m.id)
                .await?
                .len(),
        );
        let n = self.status_updates.len();
        let updates = put::<status_update::Entity>(
            db,
            self.status_updates,
            Some(TextOwner::StatusUpdate),
            status_update::Column::Id,
            |m| m.id,
        );
        tally(n, updates.await?.len());

        let n = self.consultations.len();
        let owner = Some(TextOwner::Consultation);
        tally(
            n,
            put::<consultation::Entity>(db, self.consultations, owner, consultation::Column::Id, |m| m.id)
                .await?
                .len(),
        );
        let n = self.events.len();
        let owner = Some(TextOwner::ConsultationEvent);
        tally(
            n,
            put::<consultation_event::Entity>(db, self.events, owner, consultation_event::Column::Id, |m| m.id)
                .await?
                .len(),
        );
        let n = self.target_groups.len();
        let owner = Some(TextOwner::EventTargetGroup);
        tally(
            n,
            put::<event_target_group::Entity>(db, self.target_groups, owner, event_target_group::Column::Id, |m| m.id)
                .await?
                .len(),
        );
        Ok(report)
    }
}

/// Rows per INSERT statement: well below every database's limit on bound parameters.
const CHUNK: usize = 100;

/// Inserts the rows whose IDs are not in the table yet, with their texts; returns the IDs inserted.
async fn put<E>(
    db: &impl ConnectionTrait,
    rows: Vec<(E::Model, Texts)>,
    owner: Option<TextOwner>,
    id_column: E::Column,
    id_of: fn(&E::Model) -> Uuid,
) -> Result<HashSet<Uuid>, DbErr>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let mut existing = HashSet::new();
    let ids: Vec<Uuid> = rows.iter().map(|(model, _)| id_of(model)).collect();
    for chunk in ids.chunks(CHUNK * 5) {
        let found: Vec<Uuid> = E::find()
            .select_only()
            .column(id_column)
            .filter(id_column.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        existing.extend(found);
    }
    let missing: Vec<(E::Model, Texts)> = rows
        .into_iter()
        .filter(|(m, _)| !existing.contains(&id_of(m)))
        .collect();
    let inserted: HashSet<Uuid> = missing.iter().map(|(m, _)| id_of(m)).collect();
    for chunk in missing.chunks(CHUNK) {
        let models = chunk.iter().map(|(model, _)| model.clone().into_active_model());
        E::insert_many(models).exec_without_returning(db).await?;
        if let Some(owner) = owner {
            let texts: Vec<(Uuid, &Texts)> = chunk.iter().map(|(model, texts)| (id_of(model), texts)).collect();
            text::insert(db, owner, &texts).await?;
        }
    }
    Ok(inserted)
}

/// Inserts the link rows that `keep` selects (those of newly inserted owners); returns how many.
async fn links<E, M>(db: &impl ConnectionTrait, rows: Vec<M>, keep: impl Fn(&M) -> bool) -> Result<usize, DbErr>
where
    E: EntityTrait<Model = M>,
    M: IntoActiveModel<E::ActiveModel> + Clone + sea_orm::ModelTrait<Entity = E>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let rows: Vec<M> = rows.into_iter().filter(|row| keep(row)).collect();
    for chunk in rows.chunks(CHUNK) {
        E::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(db)
            .await?;
    }
    Ok(rows.len())
}
