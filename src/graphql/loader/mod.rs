//! DataLoaders: every relation resolves through one, so the number of SQL statements per request does not
//! grow with the number of rows returned. One loader struct answers every key type; each key type's
//! batch query lives in its own file, and [`Loader`] is the one place they are
//! put to work, one per request.

mod batch;
mod consultation_parts;
mod identifiers;
mod initiative_parts;
mod nested;
mod records;
mod regions;
mod strategy_parts;
mod texts;
mod waves;

use sea_orm::DatabaseConnection;

pub use batch::Loader;
pub use consultation_parts::{ContactsOf, EventsOf, QuestionsOf, SourcesOf, SubmissionsOf, Target, TargetGroupsOf};
pub use identifiers::IdentifiersOf;
pub use initiative_parts::{
    ActionPlanOwnersOf, GoalsOfInitiative, ResponsibilitiesOfActivity, ResponsibilitiesOfInitiative,
    ResponsibilitiesOfOrganisation, SchoolLevelsOf, StatusUpdatesOf, ThemesOfInitiative,
};
pub use nested::{
    ActivityPage, ChildPage, GoalInitiativePage, HistoryPage, List, ListSize, ListWindow,
    OrganisationParticipationPage, ParticipantPage, PlanInitiativePage,
};
pub use records::{
    ActionPlanKey, ActivityKey, ConsultationKey, FocusAreaKey, GoalKey, InitiativeKey, OrganisationKey,
    ParticipationKey, ResponsibilityKey, StrategyKey, ThemeKey,
};
pub use regions::{AuthoritiesIn, CountiesOf, ParticipationOf, SCHOOL_AUTHORITIES};
pub use strategy_parts::{FocusAreasOf, GoalsOf, StrategyOwnersOf};
pub use texts::{FieldTexts, TextKey};
pub use waves::Turns;

/// Answers every key type's batch query; [`Loader`] decides when a batch runs.
pub struct RegistryLoader {
    db: DatabaseConnection,
    /// Records a batch query read beside its own keys' values, for keys of another type.
    primed: batch::Primed,
}

/// An answer for every key, empty where nothing was found.
fn every_key<K: Copy + Eq + std::hash::Hash, V>(
    keys: &[K],
    id: impl Fn(K) -> uuid::Uuid,
    mut found: std::collections::HashMap<uuid::Uuid, Vec<V>>,
) -> std::collections::HashMap<K, Vec<V>> {
    keys.iter()
        .map(|key| (*key, found.remove(&id(*key)).unwrap_or_default()))
        .collect()
}
