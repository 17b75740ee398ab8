//! `/overview/changes`: the latest changes from the change feed, newest first, 50 to a page, filterable
//! by record type and by organisation (or initiative), each naming and linking what changed.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Map, Value, json};

use super::json::Read;
use super::page::{Failure, Page};
use super::params::Params;
use super::parts;
use super::words::{self, W};
use crate::http::AppState;

const DOCUMENT: &str = include_str!("documents/changes.graphql");
const PATH: &str = "/overview/changes";
const PAGE_SIZE: u32 = 50;

/// The record types a reader can filter by.
const TYPES: [&str; 11] = [
    "INITIATIVE",
    "ACTIVITY",
    "RESPONSIBILITY",
    "PARTICIPATION",
    "ORGANISATION",
    "STRATEGY",
    "FOCUS_AREA",
    "GOAL",
    "ACTION_PLAN",
    "THEME",
    "CONSULTATION",
];

/// `GET /overview/changes`.
pub async fn show(State(state): State<AppState>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    super::answer!(headers, PATH, query, |page, params| build(&state, &page, &params))
}

async fn build(state: &AppState, page: &Page, params: &Params) -> Result<Response, Failure> {
    let kind = params.choice("type", &TYPES)?;
    let organisation = params.one("organisation");
    let initiative = params.one("initiative");
    let mut filter = Map::new();
    if let Some(kind) = &kind {
        filter.insert("types".into(), json!([kind]));
    }
    if let Some(organisation) = organisation {
        filter.insert("organisation".into(), json!(organisation));
    }
    if let Some(initiative) = initiative {
        filter.insert("initiative".into(), json!(initiative));
    }
    // Newest first: the last page of the feed, and older pages before it.
    let mut variables = match (params.one("after"), params.one("before")) {
        (Some(after), _) => json!({ "first": PAGE_SIZE, "after": after }),
        (None, Some(before)) => json!({ "last": PAGE_SIZE, "before": before }),
        (None, None) => json!({ "last": PAGE_SIZE }),
    };
    variables["filter"] = Value::Object(filter);
    variables["named"] = json!(organisation.into_iter().chain(initiative).collect::<Vec<_>>());
    let answer = super::run::run(state, DOCUMENT, variables.clone(), &page.languages).await?;
    let data = &answer.data;
    let changes = data.at("changes");
    let mut kept: Vec<(&str, &str)> = Vec::new();
    if let Some(kind) = &kind {
        kept.push(("type", kind));
    }
    kept.extend(organisation.map(|o| ("organisation", o)));
    kept.extend(initiative.map(|i| ("initiative", i)));
    let info = changes.at("pageInfo");
    // Newest first: the page's later end is "newer", its earlier end "older".
    let newer = info.opt("endCursor").filter(|_| info.flag("hasNextPage"));
    let older = info.opt("startCursor").filter(|_| info.flag("hasPreviousPage"));
    let link = |name: &'static str, cursor: &str| {
        let mut all = kept.clone();
        all.push((name, cursor));
        page.href(PATH, &all)
    };
    let body = html! {
        h1 { (page.w(W::Changes)) }
        (form(page, data, kind.as_deref(), organisation, initiative))
        div #results aria-live="polite" {
            @if changes.list("nodes").is_empty() {
                p { (page.w(W::NoneFound)) }
            } @else {
                table.list {
                    caption.visually-hidden { (page.w(W::Changes)) }
                    thead { tr {
                        th scope="col" { (page.w(W::When)) } th scope="col" { (page.w(W::Operation)) }
                        th scope="col" { (page.w(W::RecordType)) } th scope="col" { (page.w(W::Record)) }
                    } }
                    tbody {
                        @for change in changes.list("nodes").iter().rev() {
                            tr {
                                th scope="row" { time datetime=(change.s("at")) { (shown_time(change.s("at"))) } }
                                td { (words::value(page.lang, change.s("operation"))) }
                                td { (words::value(page.lang, change.s("recordType"))) }
                                td { (record(page, change.at("record"))) }
                            }
                        }
                    }
                }
            }
            @if newer.is_some() || older.is_some() {
                nav.paging aria-label=(page.w(W::Paging)) {
                    @if let Some(cursor) = newer { a rel="prev" href=(link("after", cursor)) { "← " (page.w(W::Newer)) } }
                    @if let Some(cursor) = older { a rel="next" href=(link("before", cursor)) { (page.w(W::Older)) " →" } }
                }
            }
        }
    };
    Ok(page.answer(page.w(W::Changes), body, Some((DOCUMENT, &variables)), answer.took))
}

/// "2026-12-05 09:20" from an RFC 3339 time (UTC, as the feed gives it).
fn shown_time(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(time) => time.format("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => at.to_owned(),
    }
}

fn form(page: &Page, data: &Value, kind: Option<&str>, organisation: Option<&str>, initiative: Option<&str>) -> Markup {
    let named = data.list("named");
    let mut organisations: Vec<(String, String)> = data
        .at("responsible")
        .list("nodes")
        .iter()
        .map(|o| (o.s("id").to_owned(), parts::name_of(o, "name").to_owned()))
        .collect();
    if let Some(chosen) = organisation
        && !organisations.iter().any(|(id, _)| id == chosen)
    {
        let name = named
            .iter()
            .find(|n| n.s("id") == chosen)
            .map_or(chosen, |n| parts::name_of(n, "name"));
        organisations.insert(0, (chosen.to_owned(), name.to_owned()));
    }
    html! {
        form.filters method="get" action=(PATH) role="search" data-live="results" {
            div.field {
                label for="f-type" { (page.w(W::RecordType)) }
                select #f-type name="type" {
                    option value="" { (page.w(W::Any)) }
                    @for code in TYPES { option value=(code) selected[kind == Some(code)] { (words::value(page.lang, code)) } }
                }
            }
            div.field {
                label for="f-organisation" { (page.w(W::Organisation)) }
                select #f-organisation name="organisation" {
                    option value="" { (page.w(W::Any)) }
                    @for (id, name) in &organisations { option value=(id) selected[organisation == Some(id.as_str())] { (name) } }
                }
            }
            @if let Some(initiative) = initiative { input type="hidden" name="initiative" value=(initiative); }
            @if page.lang_chosen() { input type="hidden" name="lang" value=(page.lang.tag()); }
            div.actions {
                button type="submit" { (page.w(W::Filter)) }
                a href=(page.href(PATH, &[])) { (page.w(W::ClearFilters)) }
            }
        }
        @if let Some(initiative) = initiative {
            @let record = named.iter().find(|n| n.s("id") == initiative);
            p.chips { (page.w(W::Initiative)) ": " @if let Some(record) = record { (parts::initiative(page, record)) } @else { (initiative) } }
        }
    }
}

/// What changed, named and linked to its page (an activity, role or participation to its initiative's).
fn record(page: &Page, record: &Value) -> Markup {
    let link = |path: String, text: &str| html! { a href=(page.href(&path, &[])) { (text) } };
    match record.s("__typename") {
        "Initiative" => parts::initiative(page, record),
        "Organisation" => parts::organisation(page, record),
        "Strategy" => link(
            format!("/overview/strategies/{}", record.s("id")),
            parts::name_of(record, "name"),
        ),
        "FocusArea" => link(
            format!("/overview/strategies/{}", record.at("strategy").s("id")),
            parts::name_of(record, "name"),
        ),
        "Goal" => link(
            format!("/overview/strategies/{}", record.at("focusArea").at("strategy").s("id")),
            &format!("{} {}", record.s("code"), parts::name_of(record, "title")),
        ),
        "ActionPlan" => html! {
            a href=(page.href("/overview/initiatives", &[("plan", record.s("id"))])) { (parts::name_of(record, "title")) }
        },
        "Activity" => {
            html! { (parts::name_of(record, "title")) span.sub { (parts::initiative(page, record.at("initiative"))) } }
        }
        "Responsibility" => {
            let on = if record.at("initiative").is_object() {
                parts::initiative(page, record.at("initiative"))
            } else {
                parts::initiative(page, record.at("activity").at("initiative"))
            };
            html! { (parts::organisation(page, record.at("organisation"))) " · " (words::value(page.lang, record.s("role"))) span.sub { (on) } }
        }
        "Participation" => html! {
            (parts::organisation(page, record.at("organisation"))) " · " (words::value(page.lang, record.s("status")))
            span.sub { (parts::name_of(record.at("activity"), "title")) " · " (parts::initiative(page, record.at("activity").at("initiative"))) }
        },
        "Theme" => html! { (parts::name_of(record, "label")) },
        "Consultation" => html! { (parts::name_of(record, "title")) },
        _ => html! { (page.w(W::Removed)) },
    }
}
