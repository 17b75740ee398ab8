//! The registry's code lists. Each is stored as its GraphQL name (a short string) on every database, so a
//! value reads the same in SQL, in the API and in seed files.

use async_graphql::Enum;
use sea_orm::entity::prelude::*;

/// What kind of organisation this is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrganisationKind {
    /// A government ministry (Utbildningsdepartementet, Kunnskapsdepartementet).
    #[sea_orm(string_value = "MINISTRY")]
    Ministry,
    /// A national agency (Skolverket, Utdanningsdirektoratet).
    #[sea_orm(string_value = "GOVERNMENT_AGENCY")]
    GovernmentAgency,
    /// A municipality (kommun, kommune): a school authority.
    #[sea_orm(string_value = "MUNICIPALITY")]
    Municipality,
    /// A county or region (län/region, fylke).
    #[sea_orm(string_value = "COUNTY")]
    County,
    /// An independent school organiser (enskild huvudman, friskole).
    #[sea_orm(string_value = "INDEPENDENT_SCHOOL_ORGANISER")]
    IndependentSchoolOrganiser,
    /// An association of municipalities and regions (SKR, KS).
    #[sea_orm(string_value = "MUNICIPAL_ASSOCIATION")]
    MunicipalAssociation,
    /// A research institute (RISE).
    #[sea_orm(string_value = "RESEARCH_INSTITUTE")]
    ResearchInstitute,
    /// A company selling to schools.
    #[sea_orm(string_value = "VENDOR")]
    Vendor,
    /// An industry association.
    #[sea_orm(string_value = "INDUSTRY_ASSOCIATION")]
    IndustryAssociation,
    /// Anything else.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// The scheme an official identifier belongs to.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum IdentifierScheme {
    /// Swedish municipality code (kommunkod, four digits), from SCB.
    #[sea_orm(string_value = "SE_KOMMUNKOD")]
    SeKommunkod,
    /// Swedish county code (länskod, two digits), from SCB.
    #[sea_orm(string_value = "SE_LANSKOD")]
    SeLanskod,
    /// Norwegian municipality number (kommunenummer, four digits), from Kartverket/SSB.
    #[sea_orm(string_value = "NO_KOMMUNENUMMER")]
    NoKommunenummer,
    /// Norwegian county number (fylkesnummer, two digits), from Kartverket/SSB.
    #[sea_orm(string_value = "NO_FYLKESNUMMER")]
    NoFylkesnummer,
    /// ISO 3166-2 subdivision code, such as "SE-AB".
    #[sea_orm(string_value = "ISO_3166_2")]
    #[serde(rename = "ISO_3166_2")]
    Iso3166_2,
    /// A national organisation number (organisationsnummer, organisasjonsnummer).
    #[sea_orm(string_value = "ORGANISATION_NUMBER")]
    OrganisationNumber,
    /// Any other scheme.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Where an initiative or activity stands. Each value maps to one code of the IATI ActivityStatus
/// code list (see [`Status::iati_code`]), so the registry can be exported to IATI-aware tools.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Status {
    /// Proposed, not yet decided (IATI 1, Pipeline/identification).
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    /// Decided by whoever decides it, not yet started (IATI 1, Pipeline/identification).
    #[sea_orm(string_value = "DECIDED")]
    Decided,
    /// Under way (IATI 2, Implementation).
    #[sea_orm(string_value = "ONGOING")]
    Ongoing,
    /// Carried out (IATI 4, Closed).
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    /// Stopped before completion (IATI 5, Cancelled).
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
    /// Paused (IATI 6, Suspended).
    #[sea_orm(string_value = "SUSPENDED")]
    Suspended,
}

impl Status {
    /// The IATI ActivityStatus code this status maps to.
    pub fn iati_code(self) -> i32 {
        match self {
            Status::Proposed | Status::Decided => 1,
            Status::Ongoing => 2,
            Status::Completed => 4,
            Status::Cancelled => 5,
            Status::Suspended => 6,
        }
    }
}

/// A level of the school system.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SchoolLevel {
    /// Preschool and kindergarten (förskola, barnehage).
    #[sea_orm(string_value = "PRESCHOOL")]
    Preschool,
    /// Compulsory school (grundskola, grunnskole).
    #[sea_orm(string_value = "COMPULSORY")]
    Compulsory,
    /// Upper secondary school (gymnasieskola, videregående skole).
    #[sea_orm(string_value = "UPPER_SECONDARY")]
    UpperSecondary,
    /// Adult education (komvux, voksenopplæring).
    #[sea_orm(string_value = "ADULT")]
    Adult,
}

/// The role an organisation holds on an initiative or an activity.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Role {
    /// Leads the work.
    #[sea_orm(string_value = "LEAD")]
    Lead,
    /// Is responsible for it.
    #[sea_orm(string_value = "RESPONSIBLE")]
    Responsible,
    /// Was proposed as the responsible party (as skolDigiplan did); see the decision state.
    #[sea_orm(string_value = "PROPOSED_RESPONSIBLE")]
    ProposedResponsible,
    /// Takes part as a partner.
    #[sea_orm(string_value = "PARTNER")]
    Partner,
    /// Funds it.
    #[sea_orm(string_value = "FUNDER")]
    Funder,
    /// Carries it out.
    #[sea_orm(string_value = "IMPLEMENTER")]
    Implementer,
}

/// Whether an organisation has accepted a role it was given or proposed for.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DecisionState {
    /// Proposed, not yet answered.
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    /// Accepted by the organisation.
    #[sea_orm(string_value = "ACCEPTED")]
    Accepted,
    /// Declined by the organisation.
    #[sea_orm(string_value = "DECLINED")]
    Declined,
}

/// Where a school authority stands in an activity.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum ParticipationStatus {
    /// Has declared interest.
    #[sea_orm(string_value = "INTERESTED")]
    Interested,
    /// Takes part.
    #[sea_orm(string_value = "PARTICIPATING")]
    Participating,
    /// Has completed its part.
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    /// Has left.
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

/// What kind of consultation event this is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EventKind {
    /// A meeting (a dialogue meeting, a rådslag).
    #[sea_orm(string_value = "MEETING")]
    Meeting,
    /// A workshop.
    #[sea_orm(string_value = "WORKSHOP")]
    Workshop,
}

/// What kind of document a source is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SourceKind {
    /// A strategy document.
    #[sea_orm(string_value = "STRATEGY")]
    Strategy,
    /// An action plan document.
    #[sea_orm(string_value = "ACTION_PLAN")]
    ActionPlan,
    /// A government or board decision.
    #[sea_orm(string_value = "DECISION")]
    Decision,
    /// A report or follow-up.
    #[sea_orm(string_value = "REPORT")]
    Report,
    /// An invitation or programme for a consultation or event.
    #[sea_orm(string_value = "INVITATION")]
    Invitation,
    /// A web page.
    #[sea_orm(string_value = "WEB_PAGE")]
    WebPage,
    /// Any other document.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// What an API token may do.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum AccessRole {
    /// Everything, including strategies, plans, goals, organisations and themes.
    #[sea_orm(string_value = "ADMIN")]
    Admin,
    /// Acts for one organisation: edits what it leads or is responsible for.
    #[sea_orm(string_value = "EDITOR")]
    Editor,
    /// Reads personal data.
    #[sea_orm(string_value = "READER")]
    Reader,
}

#[cfg(test)]
mod tests {
    use sea_orm::{ActiveEnum, Iterable};

    /// The export format writes enums with serde; they must read as the database's values.
    fn serde_matches_the_database<E: ActiveEnum<Value = String> + Iterable + serde::Serialize>() {
        for value in E::iter() {
            let json = serde_json::to_value(&value).expect("serialises");
            assert_eq!(json, serde_json::Value::String(value.to_value()));
        }
    }

    #[test]
    fn enums_serialise_as_their_database_values() {
        serde_matches_the_database::<super::Status>();
        serde_matches_the_database::<super::OrganisationKind>();
        serde_matches_the_database::<super::IdentifierScheme>();
        serde_matches_the_database::<super::Role>();
        serde_matches_the_database::<super::DecisionState>();
        serde_matches_the_database::<super::ParticipationStatus>();
        serde_matches_the_database::<super::SchoolLevel>();
        serde_matches_the_database::<super::AccessRole>();
        serde_matches_the_database::<super::EventKind>();
        serde_matches_the_database::<super::SourceKind>();
    }
}
