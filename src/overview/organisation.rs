//! `/overview/organisations/{id}`: an organisation's roles (initiatives and activities, with the
//! decision on each), what it takes part in, and for a county its municipalities.

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

const DOCUMENT: &str = include_str!("documents/organisation.graphql");

/// `GET /overview/organisations/{id}`.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let path = format!("/overview/organisations/{id}");
    super::answer!(headers, path, query, |page, _params| build(&state, &page, &id))
}

async fn build(state: &AppState, page: &Page, id: &str) -> Result<Response, Failure> {
    let variables = json!({ "id": id });
    let answer = super::run::run(state, DOCUMENT, variables.clone(), &page.languages).await?;
    let organisation = answer.data.at("node");
    if organisation.s("__typename") != "Organisation" {
        return Err(Failure::NotFound);
    }
    let name = parts::name_of(organisation, "name");
    let (on_initiatives, on_activities): (Vec<&Value>, Vec<&Value>) = organisation
        .list("responsibilities")
        .iter()
        .partition(|r| r.at("initiative").is_object());
    let body = html! {
        p.crumbs { a href=(page.href("/overview", &[])) { (page.w(W::Overview)) } " / " (words::country(page.lang, organisation.s("country"))) }
        h1 { (name) }
        dl.facts {
            dt { (page.w(W::Kind)) } dd { (words::value(page.lang, organisation.s("kind"))) }
            dt { (page.w(W::Country)) } dd { (words::country(page.lang, organisation.s("country"))) }
            @if organisation.at("parent").is_object() {
                dt { (page.w(W::PartOf)) } dd { (parts::organisation(page, organisation.at("parent"))) }
            }
            @if let Some(website) = organisation.opt("website").filter(|w| w.starts_with("https://") || w.starts_with("http://")) {
                dt { (page.w(W::Website)) } dd { a href=(website) rel="external noopener noreferrer" { (website) } }
            }
            @if !organisation.list("identifiers").is_empty() {
                dt { (page.w(W::Identifiers)) }
                dd { (organisation.list("identifiers").iter().map(|i| i.s("value")).collect::<Vec<_>>().join(", ")) }
            }
        }
        @if let Some(description) = organisation.opt("description") { p.description { (description) } }
        @if !on_initiatives.is_empty() {
            section aria-labelledby="on-initiatives" {
                h2 #on-initiatives { (page.w(W::RolesOnInitiatives)) }
                (roles(page, &on_initiatives, "initiative"))
                p { a href=(page.href("/overview/initiatives", &[("organisation", organisation.s("id"))])) { (page.w(W::InitiativesWithRole)) " →" } }
            }
        }
        @if !on_activities.is_empty() {
            section aria-labelledby="on-activities" {
                h2 #on-activities { (page.w(W::RolesOnActivities)) }
                (roles(page, &on_activities, "activity"))
            }
        }
        (participations(page, organisation.at("participations")))
        (municipalities(page, organisation))
    };
    Ok(page.answer(name, body, Some((DOCUMENT, &variables)), answer.took))
}

/// The roles held on initiatives or on activities (`on`), with the decision on each.
fn roles(page: &Page, list: &[&Value], on: &str) -> Markup {
    html! {
        table {
            thead { tr {
                th scope="col" { (page.w(if on == "initiative" { W::Initiative } else { W::Activity })) }
                th scope="col" { (page.w(W::Status)) }
                th scope="col" { (page.w(W::Role)) }
                th scope="col" { (page.w(W::Decision)) }
                th scope="col" { (page.w(W::DecidedOn)) }
            } }
            tbody {
                @for responsibility in list {
                    @let record = responsibility.at(on);
                    tr {
                        th scope="row" {
                            @if on == "initiative" { (parts::initiative(page, record)) } @else {
                                (parts::name_of(record, "title")) span.sub { (parts::initiative(page, record.at("initiative"))) }
                            }
                        }
                        td { (parts::status(page, record.s("status"))) }
                        td { (words::value(page.lang, responsibility.s("role"))) }
                        td { (parts::decision(page, responsibility.s("decision"))) }
                        td { (responsibility.s("decidedOn")) }
                    }
                }
            }
        }
    }
}

fn participations(page: &Page, connection: &Value) -> Markup {
    let list = connection.list("nodes");
    html! {
        @if !list.is_empty() {
            section aria-labelledby="participations" {
                h2 #participations { (page.w(W::Participations)) " (" (connection.int("totalCount")) ")" }
                table {
                    thead { tr {
                        th scope="col" { (page.w(W::Activity)) } th scope="col" { (page.w(W::Participation)) }
                        th scope="col" { (page.w(W::Start)) } th scope="col" { (page.w(W::End)) }
                    } }
                    tbody {
                        @for participation in list {
                            @let activity = participation.at("activity");
                            tr {
                                th scope="row" { (parts::name_of(activity, "title")) span.sub { (parts::initiative(page, activity.at("initiative"))) } }
                                td { (words::value(page.lang, participation.s("status"))) }
                                td { (participation.s("startedOn")) }
                                td { (participation.s("endedOn")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn municipalities(page: &Page, organisation: &Value) -> Markup {
    let children = organisation.at("children");
    let list = children.list("nodes");
    html! {
        @if !list.is_empty() {
            section aria-labelledby="children" {
                h2 #children {
                    (page.w(if organisation.s("kind") == "COUNTY" { W::Municipalities } else { W::Organisations }))
                    " (" (children.int("totalCount")) ")"
                }
                ul.columns { @for child in list { li { (parts::organisation(page, child)) } } }
                @if organisation.s("kind") == "COUNTY" {
                    p { a href=(page.href("/overview/initiatives", &[("region", organisation.s("id"))])) { (page.w(W::Initiatives)) " →" } }
                }
            }
        }
    }
}
