//! `/overview/initiatives`: the initiatives a filter selects, 25 to a page (keyset paging), each with its
//! status, action plan and number, responsible organisations and their decisions, themes and school
//! levels.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

use super::filters::Filter;
use super::json::Read;
use super::page::{Failure, Page};
use super::params::Params;
use super::parts;
use super::words::W;
use crate::http::AppState;

const DOCUMENT: &str = include_str!("documents/initiatives.graphql");
const PATH: &str = "/overview/initiatives";
/// Rows on one page.
pub const PAGE_SIZE: u32 = 25;

/// `GET /overview/initiatives`.
pub async fn show(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    super::answer!(headers, PATH, query, |page, params| build(&state, &page, &params))
}

/// The paging variables of a list: a page after `after`, else before `before`, else the first page.
pub fn paging(params: &Params) -> Value {
    match (params.one("after"), params.one("before")) {
        (Some(after), _) => json!({ "first": PAGE_SIZE, "after": after }),
        (None, Some(before)) => json!({ "last": PAGE_SIZE, "before": before }),
        (None, None) => json!({ "first": PAGE_SIZE }),
    }
}

async fn build(state: &AppState, page: &Page, params: &Params) -> Result<Response, Failure> {
    let filter = Filter::read(params)?;
    let mut variables = paging(params);
    variables["filter"] = filter.to_api(true);
    variables["country"] = filter.country.as_ref().map_or(Value::Null, |c| json!([c]));
    variables["named"] = json!(filter.named());
    let answer = super::run::run(state, DOCUMENT, variables.clone(), &page.languages).await?;
    let data = &answer.data;
    let list = data.at("initiatives");
    let body = html! {
        h1 { (page.w(W::Initiatives)) }
        (filter.form(page, PATH, data, true))
        div #results aria-live="polite" {
            p.total { (list.int("totalCount")) " " (page.w(W::Initiatives).to_lowercase()) }
            @if list.list("nodes").is_empty() {
                p { (page.w(W::NoneFound)) }
            } @else {
                table.list {
                    caption.visually-hidden { (page.w(W::Initiatives)) }
                    thead {
                        tr {
                            th scope="col" { (page.w(W::Initiative)) }
                            th scope="col" { (page.w(W::Status)) }
                            th scope="col" { (page.w(W::ResponsibleOrganisations)) }
                            th scope="col" { (page.w(W::Themes)) }
                            th scope="col" { (page.w(W::SchoolLevels)) }
                        }
                    }
                    tbody { @for initiative in list.list("nodes") { (row(page, initiative)) } }
                }
            }
            (parts::paging(page, PATH, &filter.params(), list.at("pageInfo"), (W::Previous, W::Next)))
        }
    };
    Ok(page.answer(page.w(W::Initiatives), body, Some((DOCUMENT, &variables)), answer.took))
}

fn row(page: &Page, initiative: &Value) -> Markup {
    let plan = initiative.at("actionPlan");
    html! {
        tr {
            th scope="row" {
                (parts::initiative(page, initiative))
                @if plan.opt("id").is_some() { span.sub { (parts::name_of(plan, "title")) } }
            }
            td { (parts::status(page, initiative.s("status"))) }
            td { (responsibilities(page, initiative.list("responsibilities"))) }
            td { (initiative.list("themes").iter().map(|t| parts::name_of(t, "label")).collect::<Vec<_>>().join(", ")) }
            td { (parts::values(page, initiative.list("schoolLevels"))) }
        }
    }
}

/// Organisations with their role and decision, one per line.
pub fn responsibilities(page: &Page, list: &[Value]) -> Markup {
    html! {
        ul.roles {
            @for responsibility in list {
                li {
                    (parts::organisation(page, responsibility.at("organisation")))
                    " · " (super::words::value(page.lang, responsibility.s("role")))
                    " " (parts::decision(page, responsibility.s("decision")))
                }
            }
        }
    }
}
