//! The parts of consultations (events and their target groups, questions, submissions), and the sources
//! and contacts of any record.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{RegistryLoader, every_key};
use crate::entity::{
    consultation_event, consultation_question, contact, event_target_group, source, source_link, submission,
};
use crate::error::Error;
use crate::service::strategy::group;

/// Defines a key for the rows of `$entity` whose `$parent` column is the key, ordered by `$order`.
macro_rules! children {
    ($(#[$doc:meta])* $key:ident, $entity:ident, $parent:ident, $field:ident, $order:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for RegistryLoader {
            type Value = Vec<$entity::Model>;
            type Error = Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Error> {
                let rows = $entity::Entity::find()
                    .filter($entity::Column::$parent.is_in(keys.iter().map(|k| k.0)))
                    .order_by_asc($entity::Column::$order)
                    .order_by_asc($entity::Column::Id)
                    .all(&self.db)
                    .await?;
                Ok(every_key(keys, |k| k.0, group(rows, |r| r.$field)))
            }
        }
    };
}

children!(
    /// The events of one consultation, earliest first.
    EventsOf,
    consultation_event,
    ConsultationId,
    consultation_id,
    StartsAt
);
children!(
    /// The target groups of one event, in their order.
    TargetGroupsOf,
    event_target_group,
    EventId,
    event_id,
    Position
);
children!(
    /// The questions of one consultation, in their order.
    QuestionsOf,
    consultation_question,
    ConsultationId,
    consultation_id,
    Position
);
children!(
    /// The submissions to one consultation, earliest first.
    SubmissionsOf,
    submission,
    ConsultationId,
    consultation_id,
    SubmittedAt
);

/// A record that sources can back and contacts can be named for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// An organisation.
    Organisation(Uuid),
    /// A strategy.
    Strategy(Uuid),
    /// An action plan.
    ActionPlan(Uuid),
    /// An initiative.
    Initiative(Uuid),
    /// An activity.
    Activity(Uuid),
    /// A consultation.
    Consultation(Uuid),
}

/// The sources backing one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourcesOf(pub Target);

/// The contact persons named for one record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContactsOf(pub Target);

/// The target of a source link.
fn link_target(link: &source_link::Model) -> Option<Target> {
    None.or(link.organisation_id.map(Target::Organisation))
        .or(link.strategy_id.map(Target::Strategy))
        .or(link.action_plan_id.map(Target::ActionPlan))
        .or(link.initiative_id.map(Target::Initiative))
        .or(link.activity_id.map(Target::Activity))
        .or(link.consultation_id.map(Target::Consultation))
}

/// The condition matching source links to any of `targets`.
fn links_to(targets: &[Target]) -> Condition {
    let ids = |f: fn(&Target) -> Option<Uuid>| targets.iter().filter_map(f).collect::<Vec<_>>();
    Condition::any()
        .add(source_link::Column::OrganisationId.is_in(ids(|t| match t {
            Target::Organisation(id) => Some(*id),
            _ => None,
        })))
        .add(source_link::Column::StrategyId.is_in(ids(|t| match t {
            Target::Strategy(id) => Some(*id),
            _ => None,
        })))
        .add(source_link::Column::ActionPlanId.is_in(ids(|t| match t {
            Target::ActionPlan(id) => Some(*id),
            _ => None,
        })))
        .add(source_link::Column::InitiativeId.is_in(ids(|t| match t {
            Target::Initiative(id) => Some(*id),
            _ => None,
        })))
        .add(source_link::Column::ActivityId.is_in(ids(|t| match t {
            Target::Activity(id) => Some(*id),
            _ => None,
        })))
        .add(source_link::Column::ConsultationId.is_in(ids(|t| match t {
            Target::Consultation(id) => Some(*id),
            _ => None,
        })))
}

impl Loader<SourcesOf> for RegistryLoader {
    type Value = Vec<source::Model>;
    type Error = Error;

    async fn load(&self, keys: &[SourcesOf]) -> Result<HashMap<SourcesOf, Self::Value>, Error> {
        let targets: Vec<Target> = keys.iter().map(|k| k.0).collect();
        let links = source_link::Entity::find()
            .filter(links_to(&targets))
            .all(&self.db)
            .await?;
        let sources: HashMap<Uuid, source::Model> = source::Entity::find()
            .filter(source::Column::Id.is_in(links.iter().map(|l| l.source_id)))
            .order_by_desc(source::Column::PublishedOn)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let mut found: HashMap<SourcesOf, Vec<source::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for link in links {
            if let (Some(target), Some(model)) = (link_target(&link), sources.get(&link.source_id))
                && let Some(list) = found.get_mut(&SourcesOf(target))
            {
                list.push(model.clone());
            }
        }
        Ok(found)
    }
}

impl Loader<ContactsOf> for RegistryLoader {
    type Value = Vec<contact::Model>;
    type Error = Error;

    async fn load(&self, keys: &[ContactsOf]) -> Result<HashMap<ContactsOf, Self::Value>, Error> {
        let of = |f: fn(&Target) -> Option<Uuid>| keys.iter().filter_map(|k| f(&k.0)).collect::<Vec<_>>();
        let condition = Condition::any()
            .add(contact::Column::InitiativeId.is_in(of(|t| match t {
                Target::Initiative(id) => Some(*id),
                _ => None,
            })))
            .add(contact::Column::ActivityId.is_in(of(|t| match t {
                Target::Activity(id) => Some(*id),
                _ => None,
            })))
            .add(contact::Column::ConsultationId.is_in(of(|t| match t {
                Target::Consultation(id) => Some(*id),
                _ => None,
            })));
        let rows = contact::Entity::find()
            .filter(condition)
            .order_by_asc(contact::Column::Name)
            .all(&self.db)
            .await?;
        let mut found: HashMap<ContactsOf, Vec<contact::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for row in rows {
            let target = None
                .or(row.initiative_id.map(Target::Initiative))
                .or(row.activity_id.map(Target::Activity))
                .or(row.consultation_id.map(Target::Consultation));
            if let Some(list) = target.and_then(|t| found.get_mut(&ContactsOf(t))) {
                list.push(row);
            }
        }
        Ok(found)
    }
}
