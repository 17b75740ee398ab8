//! `/overview/activities`: the activities a filter selects (the lists a strategy page's activity counts
//! link to), 25 to a page, each with its initiative, status, period, roles and number of participants.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

use super::filters::Filter;
use super::initiatives::{paging, responsibilities};
use super::json::Read;
use super::page::{Failure, Page};
use super::params::Params;
use super::parts;
use super::words::W;
use crate::http::AppState;

const DOCUMENT: &str = include_str!("documents/activities.graphql");
const PATH: &str = "/overview/activities";

/// `GET /overview/activities`.
pub async fn show(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    super::answer!(headers, PATH, query, |page, params| build(&state, &page, &params))
}

async fn build(state: &AppState, page: &Page, params: &Params) -> Result<Response, Failure> {
    let filter = Filter::read(params)?;
    let mut variables = paging(params);
    variables["filter"] = filter.to_api(false);
    variables["country"] = filter.country.as_ref().map_or(Value::Null, |c| json!([c]));
    variables["named"] = json!(filter.named());
    let answer = super::run::run(state, DOCUMENT, variables.clone(), &page.languages).await?;
    let data = &answer.data;
    let list = data.at("activities");
    let body = html! {
        h1 { (page.w(W::Activities)) }
        (filter.form(page, PATH, data, false))
        div #results aria-live="polite" {
            p.total { (list.int("totalCount")) " " (page.w(W::Activities).to_lowercase()) }
            @if list.list("nodes").is_empty() {
                p { (page.w(W::NoneFound)) }
            } @else {
                table.list {
                    caption.visually-hidden { (page.w(W::Activities)) }
                    thead {
                        tr {
                            th scope="col" { (page.w(W::Activity)) }
                            th scope="col" { (page.w(W::Status)) }
                            th scope="col" { (page.w(W::Period)) }
                            th scope="col" { (page.w(W::Roles)) }
                            th scope="col" class="number" { (page.w(W::Participating)) }
                        }
                    }
                    tbody { @for activity in list.list("nodes") { (row(page, activity)) } }
                }
            }
            (parts::paging(page, PATH, &filter.params(), list.at("pageInfo"), (W::Previous, W::Next)))
        }
    };
    Ok(page.answer(page.w(W::Activities), body, Some((DOCUMENT, &variables)), answer.took))
}

fn row(page: &Page, activity: &Value) -> Markup {
    let initiative = activity.at("initiative");
    html! {
        tr {
            th scope="row" {
                (parts::name_of(activity, "title"))
                span.sub { (parts::initiative(page, initiative)) }
            }
            td { (parts::status(page, activity.s("status"))) }
            td { (parts::period(page, activity)) }
            td { (responsibilities(page, activity.list("responsibilities"))) }
            td.number { (activity.at("participants").int("totalCount")) }
        }
    }
}
