//! The parts of initiatives: goals, themes, school levels, responsibilities, status updates, and the owners
//! of action plans.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::RegistryLoader;
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

/// An answer for every key, empty where nothing was found.
fn every_key<K: Copy + Eq + std::hash::Hash, V>(
    keys: &[K],
    id: impl Fn(K) -> Uuid,
    mut found: HashMap<Uuid, Vec<V>>,
) -> HashMap<K, Vec<V>> {
    keys.iter()
        .map(|key| (*key, found.remove(&id(*key)).unwrap_or_default()))
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
        let goals: HashMap<Uuid, goal::Model> = goal::Entity::find()
            .filter(goal::Column::Id.is_in(links.iter().map(|l| l.goal_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect();
        let mut by_initiative = group(links, |l| l.initiative_id)
            .into_iter()
            .map(|(id, links)| {
                let mut list: Vec<goal::Model> = links.iter().filter_map(|l| goals.get(&l.goal_id).cloned()).collect();
                list.sort_by(|a, b| a.code.cmp(&b.code));
                (id, list)
            })
            .collect::<HashMap<_, _>>();
        Ok(keys
            .iter()
            .map(|k| (*k, by_initiative.remove(&k.0).unwrap_or_default()))
            .collect())
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
        let themes: HashMap<Uuid, theme::Model> = theme::Entity::find()
            .filter(theme::Column::Id.is_in(links.iter().map(|l| l.theme_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let mut by_initiative = group(links, |l| l.initiative_id)
            .into_iter()
            .map(|(id, links)| {
                let mut list: Vec<theme::Model> =
                    links.iter().filter_map(|l| themes.get(&l.theme_id).cloned()).collect();
                list.sort_by(|a, b| a.code.cmp(&b.code));
                (id, list)
            })
            .collect::<HashMap<_, _>>();
        Ok(keys
            .iter()
            .map(|k| (*k, by_initiative.remove(&k.0).unwrap_or_default()))
            .collect())
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
        let rows = responsibility::Entity::find()
            .filter(responsibility::Column::InitiativeId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(responsibility::Column::Role)
            .order_by_asc(responsibility::Column::Id)
            .all(&self.db)
            .await?;
        Ok(every_key(
            keys,
            |k| k.0,
            group(rows, |r| r.initiative_id.unwrap_or_default()),
        ))
    }
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
