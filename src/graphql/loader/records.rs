//! Records by ID: organisations (parents, owners), strategies, focus areas and goals (`node`, `nodes`).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::RegistryLoader;
use crate::entity::{
    action_plan, activity, consultation, focus_area, goal, initiative, organisation, participation, responsibility,
    strategy, theme,
};
use crate::error::Error;

macro_rules! by_id {
    ($(#[$doc:meta])* $key:ident, $entity:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for RegistryLoader {
            type Value = $entity::Model;
            type Error = Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Error> {
                let rows = $entity::Entity::find()
                    .filter($entity::Column::Id.is_in(keys.iter().map(|key| key.0)))
                    .all(&self.db)
                    .await?;
                Ok(rows.into_iter().map(|row| ($key(row.id), row)).collect())
            }
        }
    };
}

by_id!(
    /// An organisation by ID.
    OrganisationKey,
    organisation
);
by_id!(
    /// A strategy by ID.
    StrategyKey,
    strategy
);
by_id!(
    /// A focus area by ID.
    FocusAreaKey,
    focus_area
);
by_id!(
    /// A goal by ID.
    GoalKey,
    goal
);
by_id!(
    /// An action plan by ID.
    ActionPlanKey,
    action_plan
);
by_id!(
    /// An initiative by ID.
    InitiativeKey,
    initiative
);
by_id!(
    /// A theme by ID.
    ThemeKey,
    theme
);
by_id!(
    /// An activity by ID.
    ActivityKey,
    activity
);
by_id!(
    /// A consultation by ID.
    ConsultationKey,
    consultation
);
by_id!(
    /// A responsibility by ID.
    ResponsibilityKey,
    responsibility
);
by_id!(
    /// A participation by ID.
    ParticipationKey,
    participation
);
