//! `/overview/initiatives/{id}`: one initiative with its goals, roles, follow-up (status updates),
//! sources, activities, and participation per county as a tile map with its table.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

use super::initiatives::responsibilities;
use super::json::Read;
use super::page::{Failure, Page};
use super::parts;
use super::tiles;
use super::words::{self, W};
use crate::http::AppState;

const DOCUMENT: &str = include_str!("documents/initiative.graphql");

/// `GET /overview/initiatives/{id}`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let path = format!("/overview/initiatives/{id}");
    super::answer!(headers, path, query, |page, _params| build(&state, &page, &id))
}

async fn build(state: &AppState, page: &Page, id: &str) -> Result<Response, Failure> {
    let variables = json!({ "id": id });
    let answer = super::run::run(state, DOCUMENT, variables.clone(), &page.languages).await?;
    let initiative = answer.data.at("node");
    if initiative.s("__typename") != "Initiative" {
        return Err(Failure::NotFound);
    }
    let title = parts::name_of(initiative, "title");
    let plan = initiative.at("actionPlan");
    let body = html! {
        p.crumbs {
            a href=(page.href("/overview", &[])) { (page.w(W::Overview)) } " / "
            a href=(page.href("/overview/initiatives", &[("country", initiative.s("country"))])) { (page.w(W::Initiatives)) }
        }
        h1 {
            @if let Some(number) = initiative.get("number").and_then(Value::as_i64) { (number) ". " }
            (title)
        }
        p.status-line { (parts::status(page, initiative.s("status"))) }
        dl.facts {
            dt { (page.w(W::Country)) } dd { (words::country(page.lang, initiative.s("country"))) }
            @if plan.opt("id").is_some() {
                dt { (page.w(W::ActionPlan)) }
                dd { a href=(page.href("/overview/initiatives", &[("plan", plan.s("id"))])) { (parts::name_of(plan, "title")) } }
            }
            @let period = parts::period(page, initiative);
            @if !period.is_empty() { dt { (page.w(W::Period)) } dd { (period) } }
            @if !initiative.list("themes").is_empty() {
                dt { (page.w(W::Themes)) }
                dd {
                    @for (n, theme) in initiative.list("themes").iter().enumerate() {
                        @if n > 0 { ", " }
                        a href=(page.href("/overview/initiatives", &[("theme", theme.s("code"))])) { (parts::name_of(theme, "label")) }
                    }
                }
            }
            @if !initiative.list("schoolLevels").is_empty() {
                dt { (page.w(W::SchoolLevels)) } dd { (parts::values(page, initiative.list("schoolLevels"))) }
            }
        }
        @if let Some(description) = initiative.opt("description") { p.description { (description) } }
        (goals(page, initiative.list("goals")))
        (roles(page, initiative.list("responsibilities")))
        (follow_up(page, initiative.list("statusUpdates")))
        (participation(page, initiative.s("country"), initiative.list("participationByRegion")))
        (activities(page, initiative.at("activities")))
        (sources(page, initiative.list("sources")))
    };
    Ok(page.answer(title, body, Some((DOCUMENT, &variables)), answer.took))
}

fn goals(page: &Page, goals: &[Value]) -> Markup {
    html! {
        @if !goals.is_empty() {
            section aria-labelledby="goals" {
                h2 #goals { (page.w(W::Goals)) }
                ul {
                    @for goal in goals {
                        @let strategy = goal.at("focusArea").at("strategy");
                        li {
                            span.code { (goal.s("code")) } " " (parts::name_of(goal, "title"))
                            @if let Some(id) = strategy.opt("id") {
                                " · " a href=(page.href(&format!("/overview/strategies/{id}"), &[])) { (parts::name_of(strategy, "name")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn roles(page: &Page, list: &[Value]) -> Markup {
    html! {
        section aria-labelledby="roles" {
            h2 #roles { (page.w(W::ResponsibleOrganisations)) }
            @if list.is_empty() { p { (page.w(W::NoneFound)) } } @else {
                table {
                    thead { tr {
                        th scope="col" { (page.w(W::Organisation)) } th scope="col" { (page.w(W::Role)) }
                        th scope="col" { (page.w(W::Decision)) } th scope="col" { (page.w(W::DecidedOn)) }
                    } }
                    tbody {
                        @for responsibility in list {
                            tr {
                                th scope="row" { (parts::organisation(page, responsibility.at("organisation"))) }
                                td { (words::value(page.lang, responsibility.s("role"))) }
                                td { (parts::decision(page, responsibility.s("decision"))) }
                                td { (responsibility.s("decidedOn")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn follow_up(page: &Page, updates: &[Value]) -> Markup {
    html! {
        @if !updates.is_empty() {
            section aria-labelledby="follow-up" {
                h2 #follow-up { (page.w(W::StatusUpdates)) }
                table {
                    thead { tr {
                        th scope="col" { (page.w(W::Reported)) } th scope="col" { (page.w(W::Status)) }
                        th scope="col" { (page.w(W::Decision)) } th scope="col" { (page.w(W::Actor)) }
                        th scope="col" { (page.w(W::Comment)) }
                    } }
                    tbody {
                        @for update in updates {
                            tr {
                                th scope="row" { (update.s("reportedOn")) }
                                td { @if let Some(status) = update.opt("status") { (parts::status(page, status)) } }
                                td { (update.s("decision")) }
                                td { @if update.at("actor").is_object() { (parts::organisation(page, update.at("actor"))) } }
                                td { (update.s("comment")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn participation(page: &Page, country: &str, regions: &[Value]) -> Markup {
    let taking_part = regions.iter().any(|r| r.int("participating") > 0);
    html! {
        section aria-labelledby="participation" {
            h2 #participation { (page.w(W::ParticipationByCounty)) }
            @if !taking_part { p { (page.w(W::NoParticipation)) } }
            @if !regions.is_empty() {
                div.map-and-table {
                    figure.map {
                        (tiles::map(country, regions))
                        figcaption #map-caption { (page.w(W::MapCaption)) }
                        (tiles::legend(page))
                    }
                    table.regions {
                        caption { (page.w(W::ParticipationByCounty)) }
                        thead { tr {
                            th scope="col" { (page.w(W::County)) }
                            th scope="col" class="number" { (page.w(W::Participating)) }
                            th scope="col" class="number" { (page.w(W::Authorities)) }
                            th scope="col" class="number" { (page.w(W::Share)) }
                        } }
                        tbody {
                            @for region in regions {
                                @let share = region.get("share").and_then(Value::as_f64).unwrap_or(0.0);
                                tr data-region=(region.at("region").s("id")) {
                                    th scope="row" { (parts::organisation(page, region.at("region"))) }
                                    td.number { (region.int("participating")) }
                                    td.number { (region.int("authorities")) }
                                    td.number { (tiles::percent(share)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn activities(page: &Page, connection: &Value) -> Markup {
    let list = connection.list("nodes");
    html! {
        section aria-labelledby="activities" {
            h2 #activities { (page.w(W::Activities)) " (" (connection.int("totalCount")) ")" }
            @if list.is_empty() { p { (page.w(W::NoneFound)) } } @else {
                table {
                    thead { tr {
                        th scope="col" { (page.w(W::Activity)) } th scope="col" { (page.w(W::Status)) }
                        th scope="col" { (page.w(W::Period)) } th scope="col" { (page.w(W::Roles)) }
                        th scope="col" class="number" { (page.w(W::Participating)) }
                    } }
                    tbody {
                        @for activity in list {
                            tr #{ "activity-" (activity.s("id")) } {
                                th scope="row" { (parts::name_of(activity, "title")) }
                                td { (parts::status(page, activity.s("status"))) }
                                td { (parts::period(page, activity)) }
                                td { (responsibilities(page, activity.list("responsibilities"))) }
                                td.number { (activity.at("participants").int("totalCount")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn sources(page: &Page, list: &[Value]) -> Markup {
    html! {
        @if !list.is_empty() {
            section aria-labelledby="sources" {
                h2 #sources { (page.w(W::Sources)) }
                ul.sources {
                    @for source in list {
                        @let title = source.opt("title").or(source.opt("url")).unwrap_or_default();
                        li {
                            @match source.opt("url").filter(|url| url.starts_with("https://") || url.starts_with("http://")) {
                                Some(url) => a href=(url) rel="external noopener noreferrer" { (title) },
                                None => (title),
                            }
                            span.sub { (words::value(page.lang, source.s("kind"))) @if let Some(on) = source.opt("publishedOn") { ", " (on) } }
                        }
                    }
                }
            }
        }
    }
}
