//! The overview's interface words in Swedish, Norwegian Bokmål and English. Data (titles, names,
//! descriptions) come from the API in the reader's language; only the words around them live here. Each
//! word is a variant of [`W`], so a word missing in one language does not compile.

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Swedish.
    Sv,
    /// Norwegian Bokmål.
    Nb,
    /// English.
    En,
}

impl Lang {
    /// Every interface language, in the order of the language switch.
    pub const ALL: [Lang; 3] = [Lang::Sv, Lang::Nb, Lang::En];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::Nb => "Norsk bokmål",
            Lang::En => "English",
        }
    }

    /// The interface language for a tag: Swedish, Norwegian (Bokmål, Nynorsk or plain "no", shown in
    /// Bokmål) or English; `None` for any other language.
    pub fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        match primary.as_str() {
            "sv" => Some(Lang::Sv),
            "nb" | "nn" | "no" => Some(Lang::Nb),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

macro_rules! words {
    ($($name:ident: $sv:literal, $nb:literal, $en:literal;)*) => {
        /// One interface word or phrase.
        #[derive(Clone, Copy, Debug)]
        #[allow(missing_docs)]
        pub enum W { $($name),* }

        impl W {
            /// The word in `lang`.
            pub fn in_(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((W::$name, Lang::Sv) => $sv, (W::$name, Lang::Nb) => $nb, (W::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

words! {
    Kartla: "Kartla", "Kartla", "Kartla";
    Overview: "Översikt", "Oversikt", "Overview";
    Tagline: "Skolans digitalisering i Norden: strategier, mål, initiativ och vem som gör vad",
        "Digitalisering i skolen i Norden: strategier, mål, tiltak og hvem som gjør hva",
        "The Nordic countries' school digitalisation: strategies, goals, initiatives and who does what";
    SkipToContent: "Hoppa till innehållet", "Hopp til innholdet", "Skip to content";
    MainNavigation: "Huvudmeny", "Hovedmeny", "Main navigation";
    Language: "Språk", "Språk", "Language";
    Countries: "Länder", "Land", "Countries";
    Initiatives: "Initiativ", "Tiltak", "Initiatives";
    Initiative: "Initiativ", "Tiltak", "Initiative";
    Activities: "Aktiviteter", "Aktiviteter", "Activities";
    Changes: "Ändringar", "Endringer", "What changed";
    Explorer: "GraphQL-utforskaren", "GraphQL-utforskeren", "GraphQL explorer";
    Sweden: "Sverige", "Sverige", "Sweden";
    Norway: "Norge", "Norge", "Norway";
    Strategies: "Strategier", "Strategier", "Strategies";
    ActionPlans: "Handlingsplaner", "Handlingsplaner", "Action plans";
    ActionPlan: "Handlingsplan", "Handlingsplan", "Action plan";
    FocusAreas: "Fokusområden", "Innsatsområder", "Focus areas";
    Goals: "Mål", "Mål", "Goals";
    Goal: "Mål", "Mål", "Goal";
    Coverage: "Täckning", "Dekning", "Coverage";
    Gap: "Lucka", "Hull", "Gap";
    GapsCount: "mål är luckor: inget initiativ för dem är beslutat, pågår eller genomfört",
        "mål er hull: ingen tiltak for dem er vedtatt, pågår eller gjennomført",
        "goals are gaps: no initiative for them is decided, under way or completed";
    NoGaps: "Alla mål har initiativ", "Alle mål har tiltak", "Every goal has an initiative";
    Period: "Period", "Periode", "Period";
    Adopted: "Antagen", "Vedtatt", "Adopted";
    Owners: "Ägare", "Eiere", "Owners";
    Status: "Status", "Status", "Status";
    Count: "Antal", "Antall", "Count";
    Total: "Totalt", "Totalt", "Total";
    InitiativesByStatus: "Initiativ efter status", "Tiltak etter status", "Initiatives by status";
    ActivitiesByStatus: "Aktiviteter efter status", "Aktiviteter etter status", "Activities by status";
    ResponsibleOrganisations: "Ansvariga organisationer", "Ansvarlige organisasjoner", "Responsible organisations";
    Themes: "Teman", "Temaer", "Themes";
    Theme: "Tema", "Tema", "Theme";
    SchoolLevels: "Skolformer", "Skoleslag", "School levels";
    Organisation: "Organisation", "Organisasjon", "Organisation";
    Organisations: "Organisationer", "Organisasjoner", "Organisations";
    Role: "Roll", "Rolle", "Role";
    Roles: "Roller", "Roller", "Roles";
    Decision: "Beslut", "Beslutning", "Decision";
    DecidedOn: "Beslutad", "Besluttet", "Decided on";
    County: "Län/fylke", "Fylke/län", "County";
    Country: "Land", "Land", "Country";
    SearchWords: "Sökord", "Søkeord", "Search words";
    Filter: "Filtrera", "Filtrer", "Filter";
    Any: "Alla", "Alle", "Any";
    ClearFilters: "Rensa filter", "Fjern filtre", "Clear filters";
    More: "till", "til", "more";
    Next: "Nästa sida", "Neste side", "Next page";
    Previous: "Föregående sida", "Forrige side", "Previous page";
    Paging: "Sidor", "Sider", "Pages";
    NoneFound: "Inget hittades.", "Ingenting funnet.", "Nothing found.";
    StatusUpdates: "Uppföljning", "Oppfølging", "Follow-up";
    Reported: "Rapporterad", "Rapportert", "Reported";
    Actor: "Aktör", "Aktør", "Actor";
    Comment: "Kommentar", "Kommentar", "Comment";
    Sources: "Källor", "Kilder", "Sources";
    Participation: "Deltagande", "Deltakelse", "Participation";
    ParticipationByCounty: "Deltagande per län", "Deltakelse per fylke", "Participation by county";
    MapCaption: "Varje ruta är ett län eller fylke, ungefär där det ligger på kartan; mörkare betyder att en större andel av skolhuvudmännen deltar.",
        "Hver rute er et fylke eller län, omtrent der det ligger på kartet; mørkere betyr at en større andel av skoleeierne deltar.",
        "Each tile is a county, placed roughly as on a map; darker means a larger share of its school authorities take part.";
    Participating: "Deltar", "Deltar", "Taking part";
    Authorities: "Skolhuvudmän", "Skoleeiere", "School authorities";
    Share: "Andel", "Andel", "Share";
    NoParticipation: "Ingen deltar ännu.", "Ingen deltar ennå.", "Nobody takes part yet.";
    Start: "Start", "Start", "Start";
    End: "Slut", "Slutt", "End";
    Planned: "planerad", "planlagt", "planned";
    Kind: "Typ", "Type", "Kind";
    Website: "Webbplats", "Nettsted", "Website";
    PartOf: "Del av", "Del av", "Part of";
    Identifiers: "Identifierare", "Identifikatorer", "Identifiers";
    Municipalities: "Kommuner", "Kommuner", "Municipalities";
    Participations: "Deltar i", "Deltar i", "Takes part in";
    RolesOnInitiatives: "Roller i initiativ", "Roller i tiltak", "Roles in initiatives";
    RolesOnActivities: "Roller i aktiviteter", "Roller i aktiviteter", "Roles in activities";
    InitiativesWithRole: "Initiativ där organisationen har en roll", "Tiltak der organisasjonen har en rolle",
        "Initiatives where the organisation holds a role";
    When: "När", "Når", "When";
    Operation: "Ändring", "Endring", "Change";
    Record: "Post", "Post", "Record";
    RecordType: "Posttyp", "Posttype", "Record type";
    Removed: "(borttagen)", "(fjernet)", "(removed)";
    Older: "Äldre ändringar", "Eldre endringer", "Older changes";
    Newer: "Nyare ändringar", "Nyere endringer", "Newer changes";
    QueryBehind: "Frågan bakom sidan", "Spørringen bak siden", "The query behind this page";
    QueryBehindHelp: "Sidan visar det som denna GraphQL-fråga svarar; kör den själv i utforskaren.",
        "Siden viser det denne GraphQL-spørringen svarer; kjør den selv i utforskeren.",
        "This page shows what this GraphQL query answers; run it yourself in the explorer.";
    Variables: "Variabler", "Variabler", "Variables";
    NotFound: "Hittades inte", "Ikke funnet", "Not found";
    NotFoundText: "Det finns ingen sådan post i registret.", "Det finnes ingen slik post i registeret.",
        "There is no such record in the registry.";
    BadRequest: "Felaktig begäran", "Ugyldig forespørsel", "Bad request";
    Unavailable: "Tillfälligt otillgänglig", "Midlertidig utilgjengelig", "Temporarily unavailable";
    UnavailableText: "Databasen svarar inte just nu; försök igen om en stund.",
        "Databasen svarer ikke akkurat nå; prøv igjen om litt.",
        "The database does not answer right now; try again in a moment.";
    TooManyRequests: "För många förfrågningar", "For mange forespørsler", "Too many requests";
    TooManyRequestsText: "Du har frågat oftare än servern tillåter; försök igen om",
        "Du har spurt oftere enn serveren tillater; prøv igjen om",
        "You have asked more often than the server allows; try again in";
    InternalError: "Internt fel", "Intern feil", "Internal error";
    InternalErrorText: "Något gick fel hos oss; felet är loggat.", "Noe gikk galt hos oss; feilen er logget.",
        "Something went wrong on our side; the error is logged.";
    BackToOverview: "Tillbaka till översikten", "Tilbake til oversikten", "Back to the overview";
    Legend: "Teckenförklaring", "Tegnforklaring", "Legend";
    AllInitiatives: "Alla initiativ", "Alle tiltak", "All initiatives";
    FromTheApi: "Allt på sidorna kommer från Kartlas publika GraphQL-API.",
        "Alt på sidene kommer fra Kartlas offentlige GraphQL-API.",
        "Everything on these pages comes from Kartla's public GraphQL API.";
    Activity: "Aktivitet", "Aktivitet", "Activity";
}

/// The words of the API's enum values, by value: status, role, decision, organisation kind, school
/// level, participation status, record type and operation.
const VALUES: &[(&str, [&str; 3])] = &[
    ("PROPOSED", ["Föreslagen", "Foreslått", "Proposed"]),
    ("DECIDED", ["Beslutad", "Besluttet", "Decided"]),
    ("ONGOING", ["Pågår", "Pågår", "Ongoing"]),
    ("COMPLETED", ["Genomförd", "Gjennomført", "Completed"]),
    ("CANCELLED", ["Avbruten", "Avbrutt", "Cancelled"]),
    ("SUSPENDED", ["Vilande", "Stanset", "Suspended"]),
    ("ACCEPTED", ["Accepterad", "Akseptert", "Accepted"]),
    ("DECLINED", ["Avböjd", "Avslått", "Declined"]),
    ("LEAD", ["Huvudansvarig", "Hovedansvarlig", "Lead"]),
    ("RESPONSIBLE", ["Ansvarig", "Ansvarlig", "Responsible"]),
    (
        "PROPOSED_RESPONSIBLE",
        ["Föreslagen ansvarig", "Foreslått ansvarlig", "Proposed responsible"],
    ),
    ("PARTNER", ["Partner", "Partner", "Partner"]),
    ("FUNDER", ["Finansiär", "Finansierer", "Funder"]),
    ("IMPLEMENTER", ["Genomförare", "Gjennomfører", "Implementer"]),
    ("MINISTRY", ["Departement", "Departement", "Ministry"]),
    ("GOVERNMENT_AGENCY", ["Myndighet", "Direktorat", "Government agency"]),
    ("MUNICIPALITY", ["Kommun", "Kommune", "Municipality"]),
    ("COUNTY", ["Län/region", "Fylke", "County"]),
    (
        "INDEPENDENT_SCHOOL_ORGANISER",
        ["Enskild huvudman", "Privat skoleeier", "Independent school organiser"],
    ),
    (
        "MUNICIPAL_ASSOCIATION",
        ["Kommunförbund", "Kommuneorganisasjon", "Association of municipalities"],
    ),
    (
        "RESEARCH_INSTITUTE",
        ["Forskningsinstitut", "Forskningsinstitutt", "Research institute"],
    ),
    ("VENDOR", ["Leverantör", "Leverandør", "Vendor"]),
    (
        "INDUSTRY_ASSOCIATION",
        ["Branschorganisation", "Bransjeorganisasjon", "Industry association"],
    ),
    ("OTHER", ["Annan", "Annen", "Other"]),
    ("PRESCHOOL", ["Förskola", "Barnehage", "Preschool"]),
    ("COMPULSORY", ["Grundskola", "Grunnskole", "Compulsory school"]),
    (
        "UPPER_SECONDARY",
        ["Gymnasieskola", "Videregående skole", "Upper secondary"],
    ),
    ("ADULT", ["Vuxenutbildning", "Voksenopplæring", "Adult education"]),
    ("INTERESTED", ["Intresserad", "Interessert", "Interested"]),
    ("PARTICIPATING", ["Deltar", "Deltar", "Taking part"]),
    ("WITHDRAWN", ["Har lämnat", "Trukket seg", "Withdrawn"]),
    ("ORGANISATION", ["Organisation", "Organisasjon", "Organisation"]),
    ("STRATEGY", ["Strategi", "Strategi", "Strategy"]),
    ("FOCUS_AREA", ["Fokusområde", "Innsatsområde", "Focus area"]),
    ("GOAL", ["Mål", "Mål", "Goal"]),
    ("ACTION_PLAN", ["Handlingsplan", "Handlingsplan", "Action plan"]),
    ("INITIATIVE", ["Initiativ", "Tiltak", "Initiative"]),
    ("THEME", ["Tema", "Tema", "Theme"]),
    ("ACTIVITY", ["Aktivitet", "Aktivitet", "Activity"]),
    ("CONSULTATION", ["Konsultation", "Høring", "Consultation"]),
    ("RESPONSIBILITY", ["Ansvar", "Ansvar", "Responsibility"]),
    ("PARTICIPATION", ["Deltagande", "Deltakelse", "Participation"]),
    ("DECISION", ["Beslut", "Vedtak", "Decision"]),
    ("REPORT", ["Rapport", "Rapport", "Report"]),
    ("INVITATION", ["Inbjudan", "Invitasjon", "Invitation"]),
    ("WEB_PAGE", ["Webbsida", "Nettside", "Web page"]),
    ("CREATE", ["Skapad", "Opprettet", "Created"]),
    ("UPDATE", ["Ändrad", "Endret", "Changed"]),
    ("ARCHIVE", ["Arkiverad", "Arkivert", "Archived"]),
    ("RESTORE", ["Återställd", "Gjenopprettet", "Restored"]),
    ("DELETE", ["Borttagen", "Slettet", "Deleted"]),
];

/// The word for an API enum value in `lang`; the value itself when it has none (a value added later).
pub fn value(lang: Lang, code: &str) -> String {
    let index = match lang {
        Lang::Sv => 0,
        Lang::Nb => 1,
        Lang::En => 2,
    };
    VALUES
        .iter()
        .find(|(name, _)| *name == code)
        .map(|(_, words)| words[index].to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The name of a country by its code, in `lang`.
pub fn country(lang: Lang, code: &str) -> String {
    match code {
        "SE" => W::Sweden.in_(lang).to_owned(),
        "NO" => W::Norway.in_(lang).to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_tags_show_bokmal_and_others_none() {
        assert_eq!(Lang::of_tag("nn-NO"), Some(Lang::Nb));
        assert_eq!(Lang::of_tag("SV"), Some(Lang::Sv));
        assert_eq!(Lang::of_tag("fi"), None);
    }

    #[test]
    fn enum_values_have_words_and_unknown_ones_show_as_they_are() {
        assert_eq!(value(Lang::Nb, "ONGOING"), "Pågår");
        assert_eq!(value(Lang::En, "PROPOSED_RESPONSIBLE"), "Proposed responsible");
        assert_eq!(value(Lang::Sv, "SOMETHING_NEW"), "SOMETHING_NEW");
    }
}
