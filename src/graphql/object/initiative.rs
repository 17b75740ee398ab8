//! Initiatives, the responsibilities organisations hold on them, and their status updates, in the API.

use async_graphql::{Context, ID, Object, ResultExt};

use super::action_plan::ActionPlan;
use super::activity::{Activity, ActivityConnection};
use super::goal::Goal;
use super::shared::bookkeeping::Bookkeeping;
use super::shared::plain::{Plain, PlainFields, value};
use super::shared::texts::TitleAndDescription;
use super::theme::Theme;
use crate::entity::enums::{Role, SchoolLevel, Status};
use crate::entity::initiative;
use crate::graphql::loader::{
    ActionPlanKey, GoalsOfInitiative, Loader, ResponsibilitiesOfInitiative, SchoolLevelsOf, StatusUpdatesOf,
    ThemesOfInitiative,
};
use crate::graphql::scalars::{CountryCode, Date};
use crate::service::id::{self, NodeType};
use crate::service::page::PageRequest;
use crate::service::text::TextOwner;

pub use super::responsibility::Responsibility;
pub use super::status_update::StatusUpdate;
pub use crate::graphql::initiative_filter::InitiativeFilter;

/// An initiative: a measure in an action plan (skolDigiplan's 18 initiatives) or run on its own.
pub struct Initiative(pub initiative::Model);

/// An initiative: a measure in an action plan (skolDigiplan's 18 initiatives) or run on its own.
#[Object]
impl Initiative {
    /// The initiative's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Initiative, self.0.id))
    }

    /// The initiative's number in its action plan (skolDigiplan numbers them 1 to 18).
    async fn number(&self) -> Option<i32> {
        self.0.number
    }

    /// The country the initiative belongs to.
    async fn country(&self) -> CountryCode {
        CountryCode(self.0.country.clone())
    }

    /// Where the initiative stands.
    async fn status(&self) -> Status {
        self.0.status
    }

    /// The IATI ActivityStatus code the status maps to (1 pipeline, 2 implementation, 4 closed, 5
    /// cancelled, 6 suspended).
    async fn iati_status_code(&self) -> i32 {
        self.0.status.iati_code()
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

    /// The action plan the initiative belongs to, if any.
    async fn action_plan(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ActionPlan>> {
        let Some(plan) = self.0.action_plan_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loader>()?
            .load_one(ActionPlanKey(plan))
            .await
            .extend()?
            .map(ActionPlan))
    }

    /// The strategy goals the initiative serves, by code.
    async fn goals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Plain<Goal>>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(GoalsOfInitiative(self.0.id))
            .await
            .extend()?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|row| Plain(Goal(row)))
            .collect())
    }

    /// The initiative's themes, by code.
    async fn themes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Plain<Theme>>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(ThemesOfInitiative(self.0.id))
            .await
            .extend()?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|row| Plain(Theme(row)))
            .collect())
    }

    /// The school levels the initiative targets.
    async fn school_levels(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SchoolLevel>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(SchoolLevelsOf(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default())
    }

    /// Whether the viewer may change the initiative: an ADMIN, or an EDITOR whose organisation leads or is
    /// responsible for it. False for anonymous viewers.
    async fn viewer_can_update(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let Some(crate::service::permission::Actor { role, organisation, .. }) = ctx
            .data_opt::<crate::service::permission::Viewer>()
            .and_then(crate::service::permission::Viewer::actor)
        else {
            return Ok(false);
        };
        let held = ctx
            .data::<Loader>()?
            .load_one(ResponsibilitiesOfInitiative(self.0.id))
            .await
            .extend()?
            .unwrap_or_default();
        Ok(crate::service::permission::may_edit_initiative(
            *role,
            *organisation,
            &held,
        ))
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    /// When the initiative was archived; null while it is current. Archived initiatives leave lists unless
    /// asked for (`includeArchived`).
    async fn archived_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.archived_at
    }

    /// The roles organisations hold on the initiative, or were proposed for.
    async fn responsibilities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these roles.")] roles: Option<Vec<Role>>,
    ) -> async_graphql::Result<Vec<Plain<Responsibility>>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(ResponsibilitiesOfInitiative(self.0.id))
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

    /// The initiative's activities, in a stable order (by ID).
    async fn activities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n activities (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the activities after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n activities (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the activities before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ActivityConnection> {
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        let id = self.0.id;
        let key = |window| crate::graphql::loader::ActivityPage(id, window);
        let list = crate::graphql::loader::List::ActivitiesOf(id);
        Ok(
            crate::graphql::connection::nested(ctx, request, key, list, |a| a.id, Activity)
                .await?
                .into(),
        )
    }

    /// Dated follow-ups of the initiative, newest first.
    async fn status_updates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StatusUpdate>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(StatusUpdatesOf(self.0.id))
            .await
            .extend()?;
        Ok(rows.unwrap_or_default().into_iter().map(StatusUpdate).collect())
    }

    /// Per county, how many of its school authorities take part in the activities, out of how many there are;
    /// the counties with at least one taking part (or, with `everyCounty`, all of the country), most first.
    async fn participation_by_region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Also list the counties of the country where no school authority takes part, with 0.")]
        every_county: Option<bool>,
    ) -> async_graphql::Result<Vec<super::region::RegionParticipation>> {
        let country = every_county.unwrap_or(false).then(|| self.0.country.clone());
        super::region::by_region(
            ctx,
            crate::graphql::loader::ParticipationOf::Initiative(self.0.id),
            country,
        )
        .await
    }

    /// The documents backing the initiative, newest first.
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::source::Source>> {
        super::source::sources_of(ctx, crate::graphql::loader::Target::Initiative(self.0.id)).await
    }

    /// The people to contact about the initiative.
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::contact::Contact>> {
        super::contact::contacts_of(ctx, crate::graphql::loader::Target::Initiative(self.0.id)).await
    }

    #[graphql(flatten)]
    async fn texts(&self) -> TitleAndDescription {
        TitleAndDescription {
            owner: TextOwner::Initiative,
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

impl PlainFields for Initiative {
    fn plain(&self, field: &str) -> Option<async_graphql::Value> {
        let row = &self.0;
        Some(match field {
            "id" => async_graphql::Value::String(id::encode(NodeType::Initiative, row.id)),
            "number" => value(&row.number),
            "country" => value(&CountryCode(row.country.clone())),
            "status" => value(&row.status),
            "iatiStatusCode" => value(&row.status.iati_code()),
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
        Some((TextOwner::Initiative, self.0.id, field))
    }
}

crate::connection!(InitiativeConnection, InitiativeEdge, Initiative, "initiatives", plain);
