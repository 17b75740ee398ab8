//! The parts of initiatives: goals, themes, school levels, responsibilities, status updates, and the owners
//! of action plans.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{RegistryLoader, every_key};
use crate::entity::enums::SchoolLevel;
use crate::entity::{
    action_plan_owner, goal, initiative_goal, initiative_school_level, initiative_theme, responsibility, status_update,
    theme,
};
use crate::error::Error;
use crate::service::strategy::group;

macro_rules! key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub Uuid);
    };
}

key!(
    /// The responsibilities one organisation holds, on initiatives and activities.
    ResponsibilitiesOfOrganisation
);
key!(
    /// The responsibilities held on one activity.
    ResponsibilitiesOfActivity
);
key!(
    /// The goals one initiative serves.
    GoalsOfInitiative
);
key!(
    /// The themes of one initiative.
    ThemesOfInitiative
);
key!(
    /// The school levels one initiative targets.
    SchoolLevelsOf
);
key!(
    /// The responsibilities on one initiative.
    ResponsibilitiesOfInitiative
);
key!(
    /// The status updates of one initiative, newest first.
    StatusUpdatesOf
);
key!(
    /// The owning organisations' IDs of one action plan.
    ActionPlanOwnersOf
);

/// For each initiative, the records its link rows point at, sorted by `sort_key`.
fn linked<L, R: Clone>(
    links: Vec<L>,
    records: Vec<R>,
    initiative_of: impl Fn(&L) -> Uuid,
    target_of: impl Fn(&L) -> Uuid,
    id_of: impl Fn(&R) -> Uuid,
    sort_key: impl Fn(&R) -> String,
) -> HashMap<Uuid, Vec<R>> {
    let by_id: HashMap<Uuid, R> = records.into_iter().map(|r| (id_of(&r), r)).collect();
    group(links, initiative_of)
        .into_iter()
        .map(|(initiative, links)| {
            let mut list: Vec<R> = links.iter().filter_map(|l| by_id.get(&target_of(l)).cloned()).collect();
            list.sort_by_key(|r| sort_key(r));
            (initiative, list)
        })
        .collect()
}

impl Loader<GoalsOfInitiative> for RegistryLoader {
    type Value = Vec<goal::Model>;
    type Error = Error;

    async fn load(&self, keys: &[GoalsOfInitiative]) -> Result<HashMap<GoalsOfInitiative, Self::Value>, Error> {
        let links = initiative_goal::Entity::find()
            .filter(initiative_goal::Column::InitiativeId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        let goals = goal::Entity::find()
            .filter(goal::Column::Id.is_in(links.iter().map(|l| l.goal_id)))
            .all(&self.db)
            .await?;
        let found = linked(
            links,
            goals,
            |l| l.initiative_id,
            |l| l.goal_id,
            |g| g.id,
            |g| g.code.clone(),
        );
        Ok(every_key(keys, |k| k.0, found))
    }
}

impl Loader<ThemesOfInitiative> for RegistryLoader {
    type Value = Vec<theme::Model>;
    type Error = Error;

    async fn load(&self, keys: &[ThemesOfInitiative]) -> Result<HashMap<ThemesOfInitiative, Self::Value>, Error> {
        let links = initiative_theme::Entity::find()
            .filter(initiative_theme::Column::InitiativeId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        let themes = theme::Entity::find()
            .filter(theme::Column::Id.is_in(links.iter().map(|l| l.theme_id)))
            .all(&self.db)
            .await?;
        let found = linked(
            links,
            themes,
            |l| l.initiative_id,
            |l| l.theme_id,
            |t| t.id,
            |t| t.code.clone(),
        );
        Ok(every_key(keys, |k| k.0, found))
    }
}

impl Loader<SchoolLevelsOf> for RegistryLoader {
    type Value = Vec<SchoolLevel>;
    type Error = Error;

    async fn load(&self, keys: &[SchoolLevelsOf]) -> Result<HashMap<SchoolLevelsOf, Self::Value>, Error> {
        let rows = initiative_school_level::Entity::find()
            .filter(initiative_school_level::Column::InitiativeId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        let grouped = group(rows, |r| r.initiative_id)
            .into_iter()
            .map(|(id, rows)| (id, rows.into_iter().map(|r| r.school_level).collect()))
            .collect();
        Ok(every_key(keys, |k| k.0, grouped))
    }
}

impl Loader<ResponsibilitiesOfInitiative> for RegistryLoader {
    type Value = Vec<responsibility::Model>;
    type Error = Error;

    async fn load(
        &self,
        keys: &[ResponsibilitiesOfInitiative],
    ) -> Result<HashMap<ResponsibilitiesOfInitiative, Self::Value>, Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = responsibilities(&self.db, responsibility::Column::InitiativeId, &ids).await?;
        Ok(every_key(
            keys,
            |k| k.0,
            group(rows, |r| r.initiative_id.unwrap_or_default()),
        ))
    }
}

impl Loader<ResponsibilitiesOfActivity> for RegistryLoader {
    type Value = Vec<responsibility::Model>;
    type Error = Error;

    async fn load(
        &self,
        keys: &[ResponsibilitiesOfActivity],
    ) -> Result<HashMap<ResponsibilitiesOfActivity, Self::Value>, Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = responsibilities(&self.db, responsibility::Column::ActivityId, &ids).await?;
        Ok(every_key(
            keys,
            |k| k.0,
            group(rows, |r| r.activity_id.unwrap_or_default()),
        ))
    }
}

impl Loader<ResponsibilitiesOfOrganisation> for RegistryLoader {
    type Value = Vec<responsibility::Model>;
    type Error = Error;

    async fn load(
        &self,
        keys: &[ResponsibilitiesOfOrganisation],
    ) -> Result<HashMap<ResponsibilitiesOfOrganisation, Self::Value>, Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = responsibilities(&self.db, responsibility::Column::OrganisationId, &ids).await?;
        Ok(every_key(keys, |k| k.0, group(rows, |r| r.organisation_id)))
    }
}

/// The responsibilities whose `column` is one of `ids`, by role.
async fn responsibilities(
    db: &sea_orm::DatabaseConnection,
    column: responsibility::Column,
    ids: &[Uuid],
) -> Result<Vec<responsibility::Model>, Error> {
    Ok(responsibility::Entity::find()
        .filter(column.is_in(ids.iter().copied()))
        .order_by_asc(responsibility::Column::Role)
        .order_by_asc(responsibility::Column::Id)
        .all(db)
        .await?)
}

impl Loader<StatusUpdatesOf> for RegistryLoader {
    type Value = Vec<status_update::Model>;
    type Error = Error;

    async fn load(&self, keys: &[StatusUpdatesOf]) -> Result<HashMap<StatusUpdatesOf, Self::Value>, Error> {
        let rows = status_update::Entity::find()
            .filter(status_update::Column::InitiativeId.is_in(keys.iter().map(|k| k.0)))
            .order_by_desc(status_update::Column::ReportedOn)
            .order_by_desc(status_update::Column::CreatedAt)
            .all(&self.db)
            .await?;
        Ok(every_key(keys, |k| k.0, group(rows, |r| r.initiative_id)))
    }
}

impl Loader<ActionPlanOwnersOf> for RegistryLoader {
    type Value = Vec<Uuid>;
    type Error = Error;

    async fn load(&self, keys: &[ActionPlanOwnersOf]) -> Result<HashMap<ActionPlanOwnersOf, Self::Value>, Error> {
        let rows = action_plan_owner::Entity::find()
            .filter(action_plan_owner::Column::ActionPlanId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(action_plan_owner::Column::OrganisationId)
            .all(&self.db)
            .await?;
        let grouped = group(rows, |r| r.action_plan_id)
            .into_iter()
            .map(|(id, rows)| (id, rows.into_iter().map(|r| r.organisation_id).collect()))
            .collect();
        Ok(every_key(keys, |k| k.0, grouped))
    }
}
