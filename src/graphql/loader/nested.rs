//! Nested connections: one page of each of many lists (the activities of each initiative on a page, the
//! participants of each activity), and the size of each list. Keys that share a window share a statement.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, Select};
use uuid::Uuid;

use super::RegistryLoader;
use crate::entity::{activity, audit_entry, initiative, initiative_goal, organisation, participation};
use crate::error::Error;
use crate::service::nested_page::{self, Lists};
use crate::service::page::{Page, Window};

/// A list that belongs to one record and is paged on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum List {
    /// The activities of an initiative.
    ActivitiesOf(Uuid),
    /// The participations in an activity.
    ParticipantsOf(Uuid),
    /// The initiatives serving a goal.
    InitiativesOfGoal(Uuid),
    /// The organisations under an organisation (the municipalities of a county).
    ChildrenOf(Uuid),
    /// The participations of an organisation in activities.
    ParticipationsOf(Uuid),
    /// The initiatives of an action plan.
    InitiativesOfPlan(Uuid),
    /// The audit entries of a record.
    HistoryOf(Uuid),
}

/// A page of a nested list: its window, and whether a first page should also count the whole list (the
/// client asked for `totalCount` beside the page), which a long list pays for by reading all of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ListWindow {
    /// Which rows.
    pub window: Window,
    /// Whether to count the whole list in the same statement.
    pub counted: bool,
}

/// One page of the activities of an initiative.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActivityPage(pub Uuid, pub ListWindow);

/// One page of the participations in an activity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParticipantPage(pub Uuid, pub ListWindow);

/// One page of the initiatives serving a goal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GoalInitiativePage(pub Uuid, pub ListWindow);

/// One page of the initiatives of an action plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanInitiativePage(pub Uuid, pub ListWindow);

/// One page of the audit entries of a record.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HistoryPage(pub Uuid, pub ListWindow);

/// One page of the organisations under an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildPage(pub Uuid, pub ListWindow);

/// One page of the participations of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrganisationParticipationPage(pub Uuid, pub ListWindow);

/// The size of a list, for `totalCount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListSize(pub List);

/// Initiatives joined with the goals they serve.
fn initiatives_by_goal() -> Select<initiative::Entity> {
    let link = initiative_goal::Entity::belongs_to(initiative::Entity)
        .from(initiative_goal::Column::InitiativeId)
        .to(initiative::Column::Id)
        .into();
    current_initiatives().join(JoinType::InnerJoin, sea_orm::RelationDef::rev(link))
}

/// Initiatives that are not archived: nested lists leave archived ones out.
fn current_initiatives() -> Select<initiative::Entity> {
    initiative::Entity::find().filter(initiative::Column::ArchivedAt.is_null())
}

/// Activities that are not archived.
fn current_activities() -> Select<activity::Entity> {
    activity::Entity::find().filter(activity::Column::ArchivedAt.is_null())
}

/// Groups page keys by window, so each window is one statement.
fn by_window<K>(keys: &[K], parts: impl Fn(&K) -> (Uuid, &ListWindow)) -> HashMap<ListWindow, Vec<Uuid>> {
    let mut windows: HashMap<ListWindow, Vec<Uuid>> = HashMap::new();
    for key in keys {
        let (owner, window) = parts(key);
        windows.entry(window.clone()).or_default().push(owner);
    }
    windows
}

macro_rules! page_loader {
    ($key:ident, $model:ty, $select:expr, $group:expr, $order:expr) => {
        impl Loader<$key> for RegistryLoader {
            type Value = Page<$model>;
            type Error = Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Error> {
                let mut found = HashMap::new();
                for (window, owners) in by_window(keys, |key| (key.0, &key.1)) {
                    let lists = Lists {
                        select: $select,
                        group: $group,
                        key: $order,
                    };
                    let pages = nested_page::fetch(&self.db, lists, &owners, &window.window, window.counted).await?;
                    for (owner, page) in pages {
                        found.insert($key(owner, window.clone()), page);
                    }
                }
                Ok(found)
            }
        }
    };
}

page_loader!(
    ActivityPage,
    activity::Model,
    current_activities(),
    (activity::Entity, activity::Column::InitiativeId),
    (activity::Entity, activity::Column::Id)
);
page_loader!(
    ParticipantPage,
    participation::Model,
    participation::Entity::find(),
    (participation::Entity, participation::Column::ActivityId),
    (participation::Entity, participation::Column::Id)
);
page_loader!(
    GoalInitiativePage,
    initiative::Model,
    initiatives_by_goal(),
    (initiative_goal::Entity, initiative_goal::Column::GoalId),
    (initiative_goal::Entity, initiative_goal::Column::InitiativeId)
);

page_loader!(
    PlanInitiativePage,
    initiative::Model,
    current_initiatives(),
    (initiative::Entity, initiative::Column::ActionPlanId),
    (initiative::Entity, initiative::Column::Id)
);
page_loader!(
    HistoryPage,
    audit_entry::Model,
    audit_entry::Entity::find(),
    (audit_entry::Entity, audit_entry::Column::RecordId),
    (audit_entry::Entity, audit_entry::Column::Id)
);
page_loader!(
    ChildPage,
    organisation::Model,
    organisation::Entity::find(),
    (organisation::Entity, organisation::Column::ParentId),
    (organisation::Entity, organisation::Column::Id)
);
page_loader!(
    OrganisationParticipationPage,
    participation::Model,
    participation::Entity::find(),
    (participation::Entity, participation::Column::OrganisationId),
    (participation::Entity, participation::Column::Id)
);

impl Loader<ListSize> for RegistryLoader {
    type Value = u64;
    type Error = Error;

    async fn load(&self, keys: &[ListSize]) -> Result<HashMap<ListSize, u64>, Error> {
        let mut activities = Vec::new();
        let mut participants = Vec::new();
        let mut goals = Vec::new();
        let mut children = Vec::new();
        let mut participations = Vec::new();
        let mut plans = Vec::new();
        let mut histories = Vec::new();
        for ListSize(list) in keys {
            match *list {
                List::ActivitiesOf(id) => activities.push(id),
                List::ParticipantsOf(id) => participants.push(id),
                List::InitiativesOfGoal(id) => goals.push(id),
                List::ChildrenOf(id) => children.push(id),
                List::ParticipationsOf(id) => participations.push(id),
                List::InitiativesOfPlan(id) => plans.push(id),
                List::HistoryOf(id) => histories.push(id),
            }
        }
        let mut found = HashMap::new();
        if !activities.is_empty() {
            let group = (activity::Entity, activity::Column::InitiativeId);
            let counts = nested_page::count(&self.db, current_activities(), group, &activities).await?;
            found.extend(counts.into_iter().map(|(id, n)| (ListSize(List::ActivitiesOf(id)), n)));
        }
        if !participants.is_empty() {
            let group = (participation::Entity, participation::Column::ActivityId);
            let counts = nested_page::count(&self.db, participation::Entity::find(), group, &participants).await?;
            found.extend(
                counts
                    .into_iter()
                    .map(|(id, n)| (ListSize(List::ParticipantsOf(id)), n)),
            );
        }
        if !goals.is_empty() {
            let group = (initiative_goal::Entity, initiative_goal::Column::GoalId);
            let counts = nested_page::count(&self.db, initiatives_by_goal(), group, &goals).await?;
            found.extend(
                counts
                    .into_iter()
                    .map(|(id, n)| (ListSize(List::InitiativesOfGoal(id)), n)),
            );
        }
        if !children.is_empty() {
            let group = (organisation::Entity, organisation::Column::ParentId);
            let counts = nested_page::count(&self.db, organisation::Entity::find(), group, &children).await?;
            found.extend(counts.into_iter().map(|(id, n)| (ListSize(List::ChildrenOf(id)), n)));
        }
        if !participations.is_empty() {
            let group = (participation::Entity, participation::Column::OrganisationId);
            let counts = nested_page::count(&self.db, participation::Entity::find(), group, &participations).await?;
            found.extend(
                counts
                    .into_iter()
                    .map(|(id, n)| (ListSize(List::ParticipationsOf(id)), n)),
            );
        }
        if !plans.is_empty() {
            let group = (initiative::Entity, initiative::Column::ActionPlanId);
            let counts = nested_page::count(&self.db, current_initiatives(), group, &plans).await?;
            found.extend(
                counts
                    .into_iter()
                    .map(|(id, n)| (ListSize(List::InitiativesOfPlan(id)), n)),
            );
        }
        if !histories.is_empty() {
            let group = (audit_entry::Entity, audit_entry::Column::RecordId);
            let counts = nested_page::count(&self.db, audit_entry::Entity::find(), group, &histories).await?;
            found.extend(counts.into_iter().map(|(id, n)| (ListSize(List::HistoryOf(id)), n)));
        }
        Ok(found)
    }
}
