//! Organisations in the API.

use async_graphql::{Context, ID, InputObject, Object, ResultExt};

use super::initiative::Responsibility;
use super::participation::{Participation, ParticipationConnection};
use super::shared::bookkeeping::Bookkeeping;
use super::shared::plain::{PlainFields, value};
use super::shared::texts::NameAndDescription;
use crate::entity::enums::{DecisionState, IdentifierScheme, OrganisationKind, Role};
use crate::entity::{organisation, organisation_identifier};
use crate::error::Error;
use crate::graphql::loader::{IdentifiersOf, Loader, OrganisationKey, ResponsibilitiesOfOrganisation};
use crate::graphql::scalars::{CountryCode, Date};
use crate::service::id::{self, NodeType};
use crate::service::organisation::OrganisationFilter as Filter;
use crate::service::page::PageRequest;
use crate::service::text::TextOwner;

/// An organisation: a ministry, an agency, a municipality, a county, an association, a vendor.
pub struct Organisation(pub organisation::Model);

/// An organisation: a ministry, an agency, a municipality, a county, an association, a vendor.
#[Object]
impl Organisation {
    /// The organisation's global ID.
    pub async fn id(&self) -> ID {
        ID(id::encode(NodeType::Organisation, self.0.id))
    }

    /// What kind of organisation this is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind
    }

    /// The country the organisation belongs to.
    async fn country(&self) -> CountryCode {
        CountryCode(self.0.country.clone())
    }

    /// The organisation's website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// The organisation this one belongs to: a municipality's county.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Organisation>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loader>()?;
        Ok(loader
            .load_one(OrganisationKey(parent))
            .await
            .extend()?
            .map(Organisation))
    }

    /// The organisations under this one (a county's municipalities), in a stable order (by ID).
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n organisations (at most 100; 20 when neither first nor last is given).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the organisations after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n organisations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the organisations before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<OrganisationConnection> {
        let request = PageRequest {
            first,
            after,
            last,
            before,
        };
        let id = self.0.id;
        let key = |window| crate::graphql::loader::ChildPage(id, window);
        let list = crate::graphql::loader::List::ChildrenOf(id);
        Ok(
            crate::graphql::connection::nested(ctx, request, key, list, |o| o.id, Organisation)
                .await?
                .into(),
        )
    }

    /// The roles the organisation holds or was proposed for, on initiatives and activities.
    async fn responsibilities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these roles.")] roles: Option<Vec<Role>>,
        #[graphql(desc = "Only these decision states, such as PROPOSED for roles not yet accepted.")] decisions: Option<
            Vec<DecisionState>,
        >,
    ) -> async_graphql::Result<Vec<Responsibility>> {
        let rows = ctx
            .data::<Loader>()?
            .load_one(ResponsibilitiesOfOrganisation(self.0.id))
            .await
            .extend()?;
        let (roles, decisions) = (roles.unwrap_or_default(), decisions.unwrap_or_default());
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .filter(|r| roles.is_empty() || roles.contains(&r.role))
            .filter(|r| decisions.is_empty() || decisions.contains(&r.decision))
            .map(Responsibility)
            .collect())
    }

    /// The activities the organisation takes part in, in a stable order (by ID).
    async fn participations(
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
        let key = |window| crate::graphql::loader::OrganisationParticipationPage(id, window);
        let list = crate::graphql::loader::List::ParticipationsOf(id);
        Ok(
            crate::graphql::connection::nested(ctx, request, key, list, |p| p.id, Participation)
                .await?
                .into(),
        )
    }

    /// Official identifiers (municipality and county codes, organisation numbers), each with the period it
    /// is valid for.
    async fn identifiers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrganisationIdentifier>> {
        let loader = ctx.data::<Loader>()?;
        let rows = loader
            .load_one(IdentifiersOf(self.0.id))
            .await
            .extend()?
            .unwrap_or_default();
        Ok(rows.into_iter().map(OrganisationIdentifier).collect())
    }

    #[graphql(flatten)]
    async fn admin_editable(&self) -> super::shared::editable::AdminEditable {
        super::shared::editable::AdminEditable
    }

    #[graphql(flatten)]
    async fn audited(&self) -> super::shared::audited::Audited {
        super::shared::audited::Audited(self.0.id)
    }

    /// The documents backing the organisation, newest first.
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<super::source::Source>> {
        super::source::sources_of(ctx, crate::graphql::loader::Target::Organisation(self.0.id)).await
    }

    #[graphql(flatten)]
    async fn texts(&self) -> NameAndDescription {
        NameAndDescription {
            owner: TextOwner::Organisation,
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

/// The organisations with these IDs, in the given order, through the DataLoader (missing ones left out).
pub async fn organisations_in_order(ctx: &Context<'_>, ids: &[uuid::Uuid]) -> async_graphql::Result<Vec<Organisation>> {
    let found = ctx
        .data::<Loader>()?
        .load_many(ids.iter().copied().map(OrganisationKey))
        .await
        .extend()?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(&OrganisationKey(*id)).cloned())
        .map(Organisation)
        .collect())
}

/// An official identifier of an organisation, valid for a period.
pub struct OrganisationIdentifier(pub organisation_identifier::Model);

/// An official identifier of an organisation, valid for a period.
#[Object]
impl OrganisationIdentifier {
    /// The scheme the identifier belongs to.
    async fn scheme(&self) -> IdentifierScheme {
        self.0.scheme
    }

    /// The identifier itself, such as "0180" (Stockholm's kommunkod) or "0301" (Oslo's kommunenummer).
    async fn value(&self) -> &str {
        &self.0.value
    }

    /// The first day the identifier is valid; unknown when null.
    async fn valid_from(&self) -> Option<Date> {
        self.0.valid_from.map(Date)
    }

    /// The last day the identifier is valid; still valid when null.
    async fn valid_to(&self) -> Option<Date> {
        self.0.valid_to.map(Date)
    }
}

/// Which organisations to list. Within one field the values are alternatives; all fields given apply.
#[derive(Default, InputObject)]
pub struct OrganisationFilter {
    /// Organisations of these countries.
    country: Option<Vec<CountryCode>>,
    /// Organisations of these kinds.
    kinds: Option<Vec<OrganisationKind>>,
    /// Organisations whose parent is this organisation (a county's municipalities).
    parent: Option<ID>,
    /// Organisations with this official identifier, valid now or in the past ("0180", "0301").
    identifier: Option<String>,
    /// Organisations whose name or description, in any language, has these words, matched as `search`
    /// matches them.
    query: Option<String>,
}

impl OrganisationFilter {
    /// The service's filter, with IDs decoded.
    pub fn into_service(self) -> Result<Filter, Error> {
        Ok(Filter {
            countries: self.country.unwrap_or_default().into_iter().map(|c| c.0).collect(),
            kinds: self.kinds.unwrap_or_default(),
            parent: self
                .parent
                .map(|id| id::decode_as(&id, NodeType::Organisation))
                .transpose()?,
            identifier: self.identifier,
            query: crate::service::text::filter_words(self.query)?,
        })
    }
}

crate::connection!(
    OrganisationConnection,
    OrganisationEdge,
    Organisation,
    "organisations",
    plain
);

impl PlainFields for Organisation {
    fn plain(&self, field: &str) -> Option<async_graphql::Value> {
        let row = &self.0;
        Some(match field {
            "id" => async_graphql::Value::String(id::encode(NodeType::Organisation, row.id)),
            "kind" => value(&row.kind),
            "country" => value(&CountryCode(row.country.clone())),
            "website" => value(&row.website),
            "createdAt" => value(&row.created_at),
            "updatedAt" => value(&row.updated_at),
            "version" => value(&row.version),
            _ => return None,
        })
    }

    fn text(&self, field: &str) -> Option<(TextOwner, uuid::Uuid, &'static str)> {
        let field = match field {
            "name" => "name",
            "description" => "description",
            _ => return None,
        };
        Some((TextOwner::Organisation, self.0.id, field))
    }
}
