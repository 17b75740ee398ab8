//! `/overview`: each country with its strategies (goals and gaps at a glance), its action plans, and
//! its initiatives by status.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::html;
use serde_json::{Value, json};

use super::json::Read;
use super::page::{Failure, Page};
use super::parts::{self, Bar, STATUSES};
use super::words::{self, W};
use crate::http::AppState;

const DOCUMENT: &str = include_str!("documents/countries.graphql");

/// The countries the overview always shows, in order; others appear when they have strategies.
const COUNTRIES: [&str; 2] = ["SE", "NO"];

/// `GET /overview`.
pub async fn show(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    super::answer!(headers, "/overview", query, |page, _params| build(&state, &page))
}

async fn build(state: &AppState, page: &Page) -> Result<Response, Failure> {
    let variables = json!({});
    let answer = super::run::run(state, DOCUMENT, variables.clone(), &page.languages).await?;
    let data = &answer.data;
    let mut countries: Vec<&str> = COUNTRIES.to_vec();
    for strategy in data.at("strategies").list("nodes") {
        let country = strategy.s("country");
        if !countries.contains(&country) {
            countries.push(country);
        }
    }
    let body = html! {
        h1 { (page.w(W::Overview)) }
        p.lead { (page.w(W::Tagline)) }
        @for country in &countries {
            @let name = words::country(page.lang, country);
            section.country aria-labelledby={ "country-" (country) } {
                h2 #{ "country-" (country) } { (name) }
                (strategies(page, data, country))
                (plans(page, data, country))
                (by_status(page, data, country))
            }
        }
    };
    Ok(page.answer(page.w(W::Overview), body, Some((DOCUMENT, &variables)), answer.took))
}

fn strategies(page: &Page, data: &Value, country: &str) -> maud::Markup {
    let list: Vec<&Value> = data
        .at("strategies")
        .list("nodes")
        .iter()
        .filter(|s| s.s("country") == country)
        .collect();
    html! {
        @if !list.is_empty() {
            h3 { (page.w(W::Strategies)) }
            ul.cards {
                @for strategy in list {
                    @let goals = strategy.list("focusAreas").iter().map(|area| area.list("goals").len()).sum::<usize>();
                    li {
                        a href=(page.href(&format!("/overview/strategies/{}", strategy.s("id")), &[])) {
                            (parts::name_of(strategy, "name"))
                        }
                        p.meta {
                            (years(strategy))
                            @if goals > 0 {
                                " · " (strategy.list("focusAreas").len()) " " (page.w(W::FocusAreas).to_lowercase())
                                " · " (goals) " " (page.w(W::Goals).to_lowercase())
                            }
                        }
                    }
                }
            }
        }
    }
}

fn plans(page: &Page, data: &Value, country: &str) -> maud::Markup {
    let list: Vec<&Value> = data
        .at("actionPlans")
        .list("nodes")
        .iter()
        .filter(|s| s.s("country") == country)
        .collect();
    html! {
        @if !list.is_empty() {
            h3 { (page.w(W::ActionPlans)) }
            ul.cards {
                @for plan in list {
                    li {
                        a href=(page.href("/overview/initiatives", &[("plan", plan.s("id"))])) { (parts::name_of(plan, "title")) }
                        p.meta {
                            (years(plan)) " · " (plan.at("initiatives").int("totalCount")) " " (page.w(W::Initiatives).to_lowercase())
                        }
                    }
                }
            }
        }
    }
}

fn by_status(page: &Page, data: &Value, country: &str) -> maud::Markup {
    let statistics = data.at(&country.to_ascii_lowercase());
    if statistics.is_null() {
        return html! {};
    }
    let count_of = |status: &str| {
        statistics
            .list("byStatus")
            .iter()
            .find(|c| c.s("status") == status)
            .map_or(0, |c| c.int("count"))
    };
    let bars: Vec<Bar> = STATUSES
        .iter()
        .map(|status| Bar {
            label: words::value(page.lang, status),
            count: count_of(status),
            href: page.href("/overview/initiatives", &[("country", country), ("status", status)]),
            class: format!("status-{}", status.to_ascii_lowercase()),
        })
        .collect();
    let caption = format!(
        "{} ({} {})",
        page.w(W::InitiativesByStatus),
        statistics.int("totalCount"),
        page.w(W::Total).to_lowercase()
    );
    html! {
        h3 { (page.w(W::Initiatives)) }
        (parts::chart(page, &caption, page.w(W::Status), &bars))
        p { a href=(page.href("/overview/initiatives", &[("country", country)])) { (page.w(W::AllInitiatives)) " →" } }
    }
}

/// "2017–2022" from `startYear` and `endYear`, or the one known.
fn years(record: &Value) -> String {
    let year = |key: &str| record.get(key).and_then(Value::as_i64).map(|y| y.to_string());
    match (year("startYear"), year("endYear")) {
        (Some(start), Some(end)) => format!("{start}–{end}"),
        (Some(start), None) => format!("{start}–"),
        (None, Some(end)) => format!("–{end}"),
        (None, None) => String::new(),
    }
}
