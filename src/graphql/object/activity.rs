//! Activities: the concrete work of an initiative (courses, pilots, guidance), and the filter for
//! listing them.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};

use super::initiative::{Initiative, Responsibility};
use super::participation::{Participation, ParticipationConnection};
use super::shared::bookkeeping::Bookkeeping;
use super::shared::plain::{Plain, PlainFields, value};
use super::shared::texts::TitleAndDescription;
use crate::entity::activity;
use crate::entity::enums::{Role, Status};
use crate::error::Error;
use crate::graphql::loader::{InitiativeKey, Loader, ResponsibilitiesOfActivity};
use crate::graphql::scalars::{CountryCode, Date};
use crate::service::activity::ActivityFilter as Filter;
use crate::service::id::{self, NodeType};
use crate::service::page::PageRequest;
use crate::service::text::TextOwner;

/// An activity: a concrete piece of work within an initiative, such as a course, a pilot or a guide.
pub struct Activity(pub activity::Model);

/// An activity: a concrete piece of work within an initiative, such as a course, a pilot or a guide.
#[Object]
impl Activity {
    /// The activity's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Activity, self.0.id))
    }

    /// The initiative the activity belongs to.
    async fn initiative(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Initiative>> {
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(InitiativeKey(self.0.initiative_id))
            .await
            .extend()?
            .map(Initiative))
    }

    /// The activity's place in its initiative's list, when the plan numbers them.
    async fn position(&self) -> Option<i32> {
        self.0.position
    }

    /// Where the activity stands.
    async fn status(&self) -> Status {
        self.0.status
    }

    /// The planned first day.
    async fn planned_start(&self) -> Option<Date> {
        self.0.planned_start.map(Date)
    }

    /// The planned last day.
    async fn planned_end(&self) -> Option<Date> {
        self.0.planned_end.map(Date)
    }

    /// The day the work actually started.
    async fn actual_start(&self) -> Option<Date> {
        self.0.actual_start.map(Date)
    }

    /// The day the work actually ended.
    async fn actual_end(&self) -> Option<Date> {
        self.0.actual_end.map(Date)
    }

    /// The roles organisations hold on the activity, or were proposed for.
    async fn responsibilities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these roles.")] roles: Option<Vec<Role>>,
    ) -> async_graphql::Result<Vec<Plain<Responsibility>>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(ResponsibilitiesOfActivity(self.0.id))
            .await
            .extend()?;
        let roles = roles.unwrap_or_default();
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|r| roles.is_empty() || roles.contains(&r.role))
            .map(|row| Plain(Responsibility(row)))
            .collect())
    }

    /// The school authorities and other organisations taking part, in a stable order (by ID).
    async fn participants(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n participations (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the participations after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n participations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the participations before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ParticipationConnection> {
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        let id = self.0.id;
        let key = |window| crate::graphql::loader::ParticipantPage(id, window);
        let list = crate::graphql::loader::List::ParticipantsOf(id);
        Ok(
            crate::graphql::connection::nested(ctx, request, key, list, |p| p.id, Participation)
                .await?
                .into(),
        )
    }

    /// Per county, how many of its school authorities take part in the activity, out of how many there are;
    /// the counties with at least one taking part (or, with `everyCounty`, all of the country), most first.
    async fn participation_by_region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Also list the counties of the country where no school authority takes part, with 0.")]
        every_county: Option<bool>,
    ) -> async_graphql::Result<Vec<super::region::RegionParticipation>> {
        let country = match every_county.unwrap_or(false) {
            true => super::region::country_of_activity(ctx, self.0.initiative_id).await?,
            false => None,
        };
        super::region::by_region(
            ctx,
            crate::graphql::loader::ParticipationOf::Activity(self.0.id),
            country,
        )
        .await
    }

    /// When the activity was archived; null while it is current.
    async fn archived_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.archived_at
    }

    /// Whether the viewer may change the activity: an ADMIN, an EDITOR who may change its initiative, or an
    /// EDITOR whose organisation leads or is responsible for the activity. False for anonymous viewers.
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let Some(crate::service::permission::Actor { role, organisation, .. }) = ctx
            .data_opt::<crate::service::permission::Viewer>()
            .and_then(crate::service::permission::Viewer::actor)
        else {
            return Ok(false);
        };
        let loader = ctx.data::<crate::graphql::loader::Loader>()?;
        let (on_initiative, on_activity) = futures_util::try_join!(
            loader.load_one(crate::graphql::loader::ResponsibilitiesOfInitiative(
                self.0.initiative_id
            )),
            loader.load_one(crate::graphql::loader::ResponsibilitiesOfActivity(self.0.id)),
        )
        .extend()?;
        let may = |held: Option<Vec<_>>| {
            crate::service::permission::may_edit_initiative(*role, *organisation, &held.unwrap_or_default())
        };
        Ok(may(on_initiative) || may(on_activity))
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    /// The documents backing the activity, newest first.
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::source::Source>> {
        super::source::sources_of(ctx, crate::graphql::loader::Target::Activity(self.0.id)).await
    }

    /// The people to contact about the activity.
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::contact::Contact>> {
        super::contact::contacts_of(ctx, crate::graphql::loader::Target::Activity(self.0.id)).await
    }

    #[graphql(flatten)]
    async fn texts(&self) -> TitleAndDescription {
        TitleAndDescription {
            owner: TextOwner::Activity,
            id: self.0.id,
        }
    }

    #[graphql(flatten)]
    async fn bookkeeping(&self) -> Bookkeeping {
        Bookkeeping {
            created_at: self.0.created_at,
            updated_at: self.0.updated_at,
            version: self.0.version,
        }
    }
}

/// Which activities to list. Within one field the values are alternatives; all fields given apply.
#[derive(Default, InputObject)]
pub struct ActivityFilter {
    /// Activities of these initiatives.
    initiatives: Option<Vec<ID>>,
    /// Activities of initiatives serving one of these goals (as `coverage` counts them).
    goals: Option<Vec<ID>>,
    /// Activities of initiatives in these countries.
    country: Option<Vec<CountryCode>>,
    /// Activities with one of these statuses.
    status: Option<Vec<Status>>,
    /// Activities of initiatives with one of these theme codes.
    themes: Option<Vec<String>>,
    /// Activities on which this organisation holds a role.
    organisation: Option<ID>,
    /// Activities on which a role is one of these (held by `organisation` when it is given).
    roles: Option<Vec<Role>>,
    /// Activities this organisation takes part in.
    participant: Option<ID>,
    /// Activities an authority in this county (or the county itself) takes part in.
    region: Option<ID>,
    /// Activities running on or after this day (an open end counts as running).
    active_from: Option<Date>,
    /// Activities running on or before this day (an open start counts as running).
    active_to: Option<Date>,
    /// Activities changed at or after this time.
    updated_since: Option<DateTime<Utc>>,
    /// Words in the title or description, in any language, matched as `search` matches them.
    query: Option<String>,
    /// Archived activities, and the activities of archived initiatives, too; they are left out unless this
    /// is true.
    #[graphql(default)]
    include_archived: bool,
}

impl ActivityFilter {
    /// The service's filter, with IDs decoded.
    pub fn into_service(self) -> Result<Filter, Error> {
        let one = |id: Option<ID>, t: NodeType| id.map(|id| id::decode_as(&id, t)).transpose();
        Ok(Filter {
            initiatives: self
                .initiatives
                .unwrap_or_default()
                .iter()
                .map(|id| id::decode_as(id, NodeType::Initiative))
                .collect::<Result<_, _>>()?,
            goals: self
                .goals
                .unwrap_or_default()
                .iter()
                .map(|id| id::decode_as(id, NodeType::Goal))
                .collect::<Result<_, _>>()?,
            countries: self.country.unwrap_or_default().into_iter().map(|c| c.0).collect(),
            statuses: self.status.unwrap_or_default(),
            themes: self.themes.unwrap_or_default(),
            organisation: one(self.organisation, NodeType::Organisation)?,
            roles: self.roles.unwrap_or_default(),
            participant: one(self.participant, NodeType::Organisation)?,
            region: one(self.region, NodeType::Organisation)?,
            active_from: self.active_from.map(|d| d.0),
            active_to: self.active_to.map(|d| d.0),
            updated_since: self.updated_since,
            query: crate::service::text::filter_words(self.query)?,
            include_archived: self.include_archived,
        })
    }
}

impl PlainFields for Activity {
    fn plain(&self, field: &str) -> Option<async_graphql::Value> {
        let row = &self.0;
        Some(match field {
            "id" => async_graphql::Value::String(id::encode(NodeType::Activity, row.id)),
            "position" => value(&row.position),
            "status" => value(&row.status),
            "plannedStart" => value(&row.planned_start.map(Date)),
            "plannedEnd" => value(&row.planned_end.map(Date)),
            "actualStart" => value(&row.actual_start.map(Date)),
            "actualEnd" => value(&row.actual_end.map(Date)),
            "archivedAt" => value(&row.archived_at),
            "createdAt" => value(&row.created_at),
            "updatedAt" => value(&row.updated_at),
            "version" => value(&row.version),
            _ => return None,
        })
    }

    fn text(&self, field: &str) -> Option<(TextOwner, uuid::Uuid, &'static str)> {
        let field = match field {
            "title" => "title",
            "description" => "description",
            _ => return None,
        };
        Some((TextOwner::Activity, self.0.id, field))
    }
}

crate::connection!(ActivityConnection, ActivityEdge, Activity, "activities", plain);
