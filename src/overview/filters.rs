//! The filters of the initiative and activity lists: read from the URL, turned into the API's filter
//! (`InitiativeFilter`, `ActivityFilter`), and shown as a form that works without JavaScript (the
//! script submits it on change and swaps the results in place).

use maud::{Markup, html};
use serde_json::{Map, Value, json};

use super::json::Read;
use super::page::{Failure, Page};
use super::params::Params;
use super::parts::{self, STATUSES};
use super::words::{self, W};

/// The roles an organisation can hold.
pub const ROLES: [&str; 6] = [
    "LEAD",
    "RESPONSIBLE",
    "PROPOSED_RESPONSIBLE",
    "PARTNER",
    "FUNDER",
    "IMPLEMENTER",
];
/// The decisions on a responsibility.
pub const DECISIONS: [&str; 3] = ["PROPOSED", "ACCEPTED", "DECLINED"];
/// The school levels.
pub const LEVELS: [&str; 4] = ["PRESCHOOL", "COMPULSORY", "UPPER_SECONDARY", "ADULT"];
/// The countries the filter offers.
pub const COUNTRIES: [&str; 2] = ["SE", "NO"];

/// A list's filter as the URL gives it. Records are named by their API IDs.
pub struct Filter {
    /// `q`: words to search for.
    pub query: Option<String>,
    /// `country`.
    pub country: Option<String>,
    /// `status`, repeatable.
    pub statuses: Vec<String>,
    /// `theme`: a theme code.
    pub theme: Option<String>,
    /// `organisation`: holds a role.
    pub organisation: Option<String>,
    /// `role`, repeatable.
    pub roles: Vec<String>,
    /// `decision`, repeatable (initiatives only).
    pub decisions: Vec<String>,
    /// `region`: a county in which an authority takes part.
    pub region: Option<String>,
    /// `goal`: serves this goal.
    pub goal: Option<String>,
    /// `plan`: in this action plan (initiatives only).
    pub plan: Option<String>,
    /// `level`, repeatable: school levels (initiatives only).
    pub levels: Vec<String>,
    /// `initiative`: of this initiative (activities only).
    pub initiative: Option<String>,
}

impl Filter {
    /// The filter in `params`; a value the API does not take is the reader's error.
    pub fn read(params: &Params) -> Result<Filter, Failure> {
        let text = |name: &str| params.one(name).map(str::to_owned);
        Ok(Filter {
            query: text("q"),
            country: params.choice("country", &COUNTRIES)?,
            statuses: params.choices("status", &STATUSES)?,
            theme: text("theme"),
            organisation: text("organisation"),
            roles: params.choices("role", &ROLES)?,
            decisions: params.choices("decision", &DECISIONS)?,
            region: text("region"),
            goal: text("goal"),
            plan: text("plan"),
            levels: params.choices("level", &LEVELS)?,
            initiative: text("initiative"),
        })
    }

    /// The URL parameters of this filter, for links to other pages of the same list.
    pub fn params(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = Vec::new();
        let ones = [
            ("q", &self.query),
            ("country", &self.country),
            ("theme", &self.theme),
            ("organisation", &self.organisation),
            ("region", &self.region),
            ("goal", &self.goal),
            ("plan", &self.plan),
            ("initiative", &self.initiative),
        ];
        for (name, value) in ones {
            if let Some(value) = value {
                all.push((name, value));
            }
        }
        for (name, values) in [
            ("status", &self.statuses),
            ("role", &self.roles),
            ("decision", &self.decisions),
            ("level", &self.levels),
        ] {
            all.extend(values.iter().map(|value| (name, value.as_str())));
        }
        all
    }

    /// The API filter: the fields both lists have, then the list's own.
    pub fn to_api(&self, initiatives: bool) -> Value {
        let mut filter = Map::new();
        let mut put = |name: &str, value: Value| {
            filter.insert(name.to_owned(), value);
        };
        if let Some(query) = &self.query {
            put("query", json!(query));
        }
        if let Some(country) = &self.country {
            put("country", json!([country]));
        }
        if !self.statuses.is_empty() {
            put("status", json!(self.statuses));
        }
        if let Some(theme) = &self.theme {
            put("themes", json!([theme]));
        }
        if let Some(organisation) = &self.organisation {
            put("organisation", json!(organisation));
        }
        if !self.roles.is_empty() {
            put("roles", json!(self.roles));
        }
        if let Some(region) = &self.region {
            put("region", json!(region));
        }
        if let Some(goal) = &self.goal {
            put("goals", json!([goal]));
        }
        if initiatives {
            if !self.decisions.is_empty() {
                put("decisions", json!(self.decisions));
            }
            if let Some(plan) = &self.plan {
                put("actionPlan", json!(plan));
            }
            if !self.levels.is_empty() {
                put("schoolLevels", json!(self.levels));
            }
        } else if let Some(initiative) = &self.initiative {
            put("initiatives", json!([initiative]));
        }
        Value::Object(filter)
    }

    /// The records the filter names, for their names beside the form.
    pub fn named(&self) -> Vec<&str> {
        [
            &self.goal,
            &self.plan,
            &self.initiative,
            &self.organisation,
            &self.region,
        ]
        .into_iter()
        .filter_map(|id| id.as_deref())
        .collect()
    }

    /// The form, offering `data`'s themes, counties and responsible organisations; `path` is the list's.
    pub fn form(&self, page: &Page, path: &str, data: &Value, initiatives: bool) -> Markup {
        let named = data.list("named");
        let name_of = |id: &str| -> String {
            named
                .iter()
                .find(|record| record.s("id") == id)
                .map(|record| {
                    let text = record.opt("name").or(record.opt("title")).unwrap_or(id);
                    match record.opt("code") {
                        Some(code) => format!("{code} {text}"),
                        None => text.to_owned(),
                    }
                })
                .unwrap_or_else(|| id.to_owned())
        };
        let mut organisations: Vec<(String, String)> = data
            .at("responsible")
            .list("nodes")
            .iter()
            .map(|o| (o.s("id").to_owned(), parts::name_of(o, "name").to_owned()))
            .collect();
        if let Some(chosen) = &self.organisation
            && !organisations.iter().any(|(id, _)| id == chosen)
        {
            organisations.insert(0, (chosen.clone(), name_of(chosen)));
        }
        let themes: Vec<(String, String)> = data
            .list("themes")
            .iter()
            .map(|t| (t.s("code").to_owned(), parts::name_of(t, "label").to_owned()))
            .collect();
        let counties: Vec<(String, String)> = data
            .at("counties")
            .list("nodes")
            .iter()
            .map(|c| (c.s("id").to_owned(), parts::name_of(c, "name").to_owned()))
            .collect();
        let coded = |codes: &[&str]| -> Vec<(String, String)> {
            codes
                .iter()
                .map(|code| ((*code).to_owned(), words::value(page.lang, code)))
                .collect()
        };
        let countries: Vec<(String, String)> = COUNTRIES
            .iter()
            .map(|c| ((*c).to_owned(), words::country(page.lang, c)))
            .collect();
        let first = |values: &[String]| values.first().cloned();
        html! {
            form.filters method="get" action=(path) role="search" data-live="results" {
                div.field {
                    label for="f-q" { (page.w(W::SearchWords)) }
                    input #f-q type="search" name="q" value=[self.query.as_deref()];
                }
                (select(page, "country", W::Country, &countries, self.country.as_deref()))
                (select(page, "status", W::Status, &coded(&STATUSES), first(&self.statuses).as_deref()))
                (select(page, "theme", W::Theme, &themes, self.theme.as_deref()))
                (select(page, "organisation", W::Organisation, &organisations, self.organisation.as_deref()))
                (select(page, "role", W::Role, &coded(&ROLES), first(&self.roles).as_deref()))
                @if initiatives {
                    (select(page, "decision", W::Decision, &coded(&DECISIONS), first(&self.decisions).as_deref()))
                }
                (select(page, "region", W::County, &counties, self.region.as_deref()))
                @for (name, value) in [("goal", &self.goal), ("plan", &self.plan), ("initiative", &self.initiative)] {
                    @if let Some(value) = value { input type="hidden" name=(name) value=(value); }
                }
                @for level in &self.levels { input type="hidden" name="level" value=(level); }
                @if page.lang_chosen() { input type="hidden" name="lang" value=(page.lang.tag()); }
                div.actions {
                    button type="submit" { (page.w(W::Filter)) }
                    a href=(page.href(path, &[])) { (page.w(W::ClearFilters)) }
                }
            }
            @let chips: Vec<(&str, String)> = [("goal", W::Goal, &self.goal), ("plan", W::ActionPlan, &self.plan), ("initiative", W::Initiative, &self.initiative)]
                .into_iter()
                .filter_map(|(name, word, id)| id.as_deref().map(|id| (name, format!("{}: {}", page.w(word), name_of(id)))))
                .collect();
            @if !chips.is_empty() || !self.levels.is_empty() {
                ul.chips {
                    @for (name, label) in &chips {
                        @let rest: Vec<(&str, &str)> = self.params().into_iter().filter(|(n, _)| n != name).collect();
                        li { (label) " " a href=(page.href(path, &rest)) aria-label={ (page.w(W::ClearFilters)) ": " (label) } { "×" } }
                    }
                    @if !self.levels.is_empty() {
                        @let rest: Vec<(&str, &str)> = self.params().into_iter().filter(|(n, _)| *n != "level").collect();
                        li { (page.w(W::SchoolLevels)) ": " (self.levels.iter().map(|l| words::value(page.lang, l)).collect::<Vec<_>>().join(", ")) " "
                             a href=(page.href(path, &rest)) aria-label=(page.w(W::ClearFilters)) { "×" } }
                    }
                }
            }
        }
    }
}

/// One select of the form, "any" first.
fn select(page: &Page, name: &str, word: W, options: &[(String, String)], chosen: Option<&str>) -> Markup {
    let id = format!("f-{name}");
    html! {
        div.field {
            label for=(id) { (page.w(word)) }
            select #(id) name=(name) {
                option value="" { (page.w(W::Any)) }
                @for (value, label) in options {
                    option value=(value) selected[chosen == Some(value.as_str())] { (label) }
                }
            }
        }
    }
}
