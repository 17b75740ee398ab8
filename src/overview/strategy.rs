//! `/overview/strategies/{id}`: a strategy's focus areas and goals, each goal marked by its coverage (a
//! gap, decided, ongoing or completed) with its first five initiatives (the rest a link to the list) and
//! its initiatives and activities counted by status, each count a link to the list it counts.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

use super::json::Read;
use super::page::{Failure, Page};
use super::parts;
use super::words::{self, W};
use crate::http::AppState;

const DOCUMENT: &str = include_str!("documents/strategy.graphql");

/// `GET /overview/strategies/{id}`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let path = format!("/overview/strategies/{id}");
    super::answer!(headers, path, query, |page, _params| build(&state, &page, &id))
}

async fn build(state: &AppState, page: &Page, id: &str) -> Result<Response, Failure> {
    let variables = json!({ "id": id });
    let answer = super::run::run(state, DOCUMENT, variables.clone(), &page.languages).await?;
    if answer.data.at("node").s("__typename") != "Strategy" {
        return Err(Failure::NotFound);
    }
    let coverage = answer.data.at("coverage");
    let strategy = coverage.at("strategy");
    let name = parts::name_of(strategy, "name");
    let gaps = coverage
        .list("focusAreas")
        .iter()
        .flat_map(|area| area.list("goals"))
        .filter(|goal| mark(goal) == "gap")
        .count();
    let body = html! {
        p.crumbs { a href=(page.href("/overview", &[])) { (page.w(W::Overview)) } " / " (words::country(page.lang, strategy.s("country"))) }
        h1 { (name) }
        dl.facts {
            @if let Some(adopted) = strategy.opt("adoptedOn") { dt { (page.w(W::Adopted)) } dd { (adopted) } }
            dt { (page.w(W::Owners)) }
            dd {
                @for (n, owner) in strategy.list("owners").iter().enumerate() {
                    @if n > 0 { ", " }
                    (parts::organisation(page, owner))
                }
            }
            dt { (page.w(W::Coverage)) }
            dd {
                @if gaps == 0 { (page.w(W::NoGaps)) } @else { strong { (gaps) } " " (page.w(W::GapsCount)) }
            }
        }
        @if let Some(description) = strategy.opt("description") { p.description { (description) } }
        (legend(page))
        @for area in coverage.list("focusAreas") {
            @let focus = area.at("focusArea");
            section.focus-area aria-labelledby={ "area-" (focus.s("code")) } {
                h2 #{ "area-" (focus.s("code")) } { (focus.s("code")) ". " (parts::name_of(focus, "name")) }
                table.goals {
                    caption.visually-hidden { (page.w(W::Goals)) ": " (parts::name_of(focus, "name")) }
                    thead {
                        tr {
                            th scope="col" { (page.w(W::Goal)) }
                            th scope="col" { (page.w(W::Coverage)) }
                            th scope="col" { (page.w(W::InitiativesByStatus)) }
                            th scope="col" { (page.w(W::ActivitiesByStatus)) }
                        }
                    }
                    tbody { @for goal in area.list("goals") { (goal_row(page, goal)) } }
                }
            }
        }
    };
    Ok(page.answer(name, body, Some((DOCUMENT, &variables)), answer.took))
}

/// A goal's mark: a gap when nothing serving it is decided or under way and nothing has been completed;
/// else the furthest any of its initiatives has come (ongoing, decided, then completed only).
fn mark(goal: &Value) -> &'static str {
    let has = |status: &str| {
        goal.list("initiativesByStatus")
            .iter()
            .any(|c| c.s("status") == status && c.int("count") > 0)
    };
    if has("ONGOING") {
        "ongoing"
    } else if has("DECIDED") {
        "decided"
    } else if has("COMPLETED") {
        "completed"
    } else {
        "gap"
    }
}

fn mark_word(page: &Page, mark: &str) -> String {
    match mark {
        "gap" => page.w(W::Gap).to_owned(),
        other => words::value(page.lang, &other.to_ascii_uppercase()),
    }
}

fn legend(page: &Page) -> Markup {
    html! {
        div.legend {
            h2.legend-title { (page.w(W::Legend)) }
            ul {
                @for mark in ["gap", "decided", "ongoing", "completed"] {
                    li { span class={ "mark mark-" (mark) } { (mark_word(page, mark)) } }
                }
            }
        }
    }
}

fn goal_row(page: &Page, goal_coverage: &Value) -> Markup {
    let goal = goal_coverage.at("goal");
    let goal_id = goal.s("id");
    let mark = mark(goal_coverage);
    html! {
        tr class={ "goal mark-row-" (mark) } {
            th scope="row" {
                span.code { (goal.s("code")) } " " (parts::name_of(goal, "title"))
                @let served = goal.at("initiatives");
                @let initiatives = served.list("nodes");
                @let total: i64 = goal_coverage.list("initiativesByStatus").iter().map(|c| c.int("count")).sum();
                @let more = total - initiatives.len() as i64;
                @if !initiatives.is_empty() {
                    ul.served-by {
                        @for initiative in initiatives { li { (parts::initiative(page, initiative)) " " (parts::status(page, initiative.s("status"))) } }
                        @if more > 0 {
                            li.more { a href=(page.href("/overview/initiatives", &[("goal", goal_id)])) { "+ " (more) " " (page.w(W::More)) } }
                        }
                    }
                }
            }
            td { span class={ "mark mark-" (mark) } { (mark_word(page, mark)) } }
            td { (counts(page, "/overview/initiatives", goal_id, goal_coverage.list("initiativesByStatus"))) }
            td { (counts(page, "/overview/activities", goal_id, goal_coverage.list("activitiesByStatus"))) }
        }
    }
}

/// Counts by status, each a link to `list` filtered by the goal and the status; the total links to the
/// whole list for the goal.
fn counts(page: &Page, list: &str, goal: &str, by_status: &[Value]) -> Markup {
    let total: i64 = by_status.iter().map(|c| c.int("count")).sum();
    html! {
        a.total href=(page.href(list, &[("goal", goal)])) { (total) " " (page.w(W::Total).to_lowercase()) }
        @if total > 0 {
            ul.counts {
                @for count in by_status.iter().filter(|c| c.int("count") > 0) {
                    li {
                        a href=(page.href(list, &[("goal", goal), ("status", count.s("status"))])) {
                            (count.int("count")) " " (words::value(page.lang, count.s("status")).to_lowercase())
                        }
                    }
                }
            }
        }
    }
}
