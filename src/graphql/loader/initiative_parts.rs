//! The parts of initiatives: goals, themes, school levels, responsibilities, status updates, and the owners
//! of action plans.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Iden};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, Order, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use super::{OrganisationKey, RegistryLoader, every_key};
use crate::entity::enums::SchoolLevel;
use crate::entity::{
    action_plan_owner, goal, initiative_goal, initiative_school_level, initiative_theme, organisation, responsibility,
    status_update, theme,
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

/// The column a linked record's owner is read into.
const OWNER: &str = "kartla_owner";

/// For each of `owners`, the records of `E` its rows in a link table point at, in one statement: the link
/// table joined to its target, sorted by `code` (compared as bytes here, not by the database's collation,
/// so every database gives the same order) and then by ID. Owners with no links get an empty list.
async fn linked<E: EntityTrait>(
    db: &sea_orm::DatabaseConnection,
    (link, owner, target): (
        impl Iden + Copy + 'static,
        impl Iden + Copy + 'static,
        impl Iden + Copy + 'static,
    ),
    id: E::Column,
    code: impl Fn(&E::Model) -> &str,
    owners: &[Uuid],
) -> Result<HashMap<Uuid, Vec<E::Model>>, Error> {
    let mut query = E::find().into_query();
    query
        .inner_join(link, Expr::col((link, target)).equals((E::default(), id)))
        .expr_as(Expr::col((link, owner)), Alias::new(OWNER))
        .and_where(Expr::col((link, owner)).is_in(owners.iter().copied()))
        .order_by((E::default(), id), Order::Asc);
    let mut found: HashMap<Uuid, Vec<E::Model>> = HashMap::new();
    for row in db.query_all(&query).await? {
        let owner: Uuid = row.try_get("", OWNER)?;
        found
            .entry(owner)
            .or_default()
            .push(E::Model::from_query_result(&row, "")?);
    }
    for list in found.values_mut() {
        // Stable: records with the same code stay in ID order.
        list.sort_by(|a, b| code(a).cmp(code(b)));
    }
    Ok(found)
}

impl Loader<GoalsOfInitiative> for RegistryLoader {
    type Value = Vec<goal::Model>;
    type Error = Error;

    async fn load(&self, keys: &[GoalsOfInitiative]) -> Result<HashMap<GoalsOfInitiative, Self::Value>, Error> {
        let owners: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let link = (
            initiative_goal::Entity,
            initiative_goal::Column::InitiativeId,
            initiative_goal::Column::GoalId,
        );
        let found = linked::<goal::Entity>(&self.db, link, goal::Column::Id, |g| &g.code, &owners).await?;
        Ok(every_key(keys, |k| k.0, found))
    }
}

impl Loader<ThemesOfInitiative> for RegistryLoader {
    type Value = Vec<theme::Model>;
    type Error = Error;

    async fn load(&self, keys: &[ThemesOfInitiative]) -> Result<HashMap<ThemesOfInitiative, Self::Value>, Error> {
        let owners: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let link = (
            initiative_theme::Entity,
            initiative_theme::Column::InitiativeId,
            initiative_theme::Column::ThemeId,
        );
        let found = linked::<theme::Entity>(&self.db, link, theme::Column::Id, |t| &t.code, &owners).await?;
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
        let rows = responsibilities(self, responsibility::Column::InitiativeId, &ids).await?;
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
        let rows = responsibilities(self, responsibility::Column::ActivityId, &ids).await?;
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
        let rows = responsibilities(self, responsibility::Column::OrganisationId, &ids).await?;
        Ok(every_key(keys, |k| k.0, group(rows, |r| r.organisation_id)))
    }
}

/// The responsibilities whose `column` is one of `ids`, by role, read with their organisations in one
/// statement; the organisations are primed for the `organisation` field of each.
async fn responsibilities(
    registry: &RegistryLoader,
    column: responsibility::Column,
    ids: &[Uuid],
) -> Result<Vec<responsibility::Model>, Error> {
    let holder = responsibility::Entity::belongs_to(organisation::Entity)
        .from(responsibility::Column::OrganisationId)
        .to(organisation::Column::Id)
        .into();
    let rows = responsibility::Entity::find()
        .join(JoinType::LeftJoin, holder)
        .select_also(organisation::Entity)
        .filter(column.is_in(ids.iter().copied()))
        .order_by_asc(responsibility::Column::Role)
        .order_by_asc(responsibility::Column::Id)
        .all(&registry.db)
        .await?;
    let mut held = Vec::with_capacity(rows.len());
    let mut organisations = Vec::new();
    for (responsibility, organisation) in rows {
        if let Some(organisation) = organisation {
            organisations.push((OrganisationKey(organisation.id), organisation));
        }
        held.push(responsibility);
    }
    if !organisations.is_empty() {
        registry.primed.put(organisations);
    }
    Ok(held)
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
