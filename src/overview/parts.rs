//! Pieces several pages show: status and decision badges, links to records, a bar chart with its table,
//! and the paging links.

use maud::{Markup, html};
use serde_json::Value;

use super::json::Read;
use super::page::Page;
use super::words::{self, W};

/// The statuses in the order of a plan's life, as the API lists them.
pub const STATUSES: [&str; 6] = ["PROPOSED", "DECIDED", "ONGOING", "COMPLETED", "CANCELLED", "SUSPENDED"];

/// A status, as a badge whose colour and word both tell it.
pub fn status(page: &Page, code: &str) -> Markup {
    html! { span class={ "badge status-" (code.to_ascii_lowercase()) } { (words::value(page.lang, code)) } }
}

/// A decision on a responsibility (proposed, accepted, declined), as a badge.
pub fn decision(page: &Page, code: &str) -> Markup {
    html! { span class={ "badge decision-" (code.to_ascii_lowercase()) } { (words::value(page.lang, code)) } }
}

/// The words of a list of enum values, joined.
pub fn values(page: &Page, codes: &[Value]) -> String {
    codes
        .iter()
        .filter_map(Value::as_str)
        .map(|code| words::value(page.lang, code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A link to an organisation's page, by its name.
pub fn organisation(page: &Page, organisation: &Value) -> Markup {
    match organisation.opt("id") {
        Some(id) => {
            html! { a href=(page.href(&format!("/overview/organisations/{id}"), &[])) { (name_of(organisation, "name")) } }
        }
        None => html! { (W::Removed.in_(page.lang)) },
    }
}

/// A link to an initiative's page, by its number and title.
pub fn initiative(page: &Page, initiative: &Value) -> Markup {
    match initiative.opt("id") {
        Some(id) => html! {
            a href=(page.href(&format!("/overview/initiatives/{id}"), &[])) {
                @if let Some(number) = initiative.get("number").and_then(Value::as_i64) { (number) ". " }
                (name_of(initiative, "title"))
            }
        },
        None => html! { (W::Removed.in_(page.lang)) },
    }
}

/// A record's text in `key`, or a dash when it has no text in any language (a fact not known).
pub fn name_of<'a>(record: &'a Value, key: &str) -> &'a str {
    record.opt(key).filter(|s| !s.is_empty()).unwrap_or("–")
}

/// One bar of a chart: its label, count, the list it counts, and its colour class.
pub struct Bar {
    /// What the bar counts.
    pub label: String,
    /// How many.
    pub count: i64,
    /// The list of what it counts.
    pub href: String,
    /// The CSS class that colours it.
    pub class: String,
}

/// A horizontal bar chart with its table: the chart is a picture for the eye (hidden from screen
/// readers), the table says the same in words and numbers, each count a link to what it counts.
pub fn chart(page: &Page, caption: &str, first_column: &str, bars: &[Bar]) -> Markup {
    let largest = bars.iter().map(|bar| bar.count).max().unwrap_or(0).max(1);
    let height = 22 * bars.len();
    html! {
        figure.chart {
            svg viewBox={ "0 0 320 " (height) } width="320" height=(height) role="presentation" aria-hidden="true" focusable="false" {
                @for (row, bar) in bars.iter().enumerate() {
                    @let width = 200 * bar.count / largest;
                    @let y = 22 * row;
                    text x="0" y=(y + 15) class="chart-label" { (bar.label) }
                    rect x="110" y=(y + 3) width=(width.max(1)) height="16" class={ "bar " (bar.class) } {}
                    text x=(114 + width) y=(y + 15) class="chart-count" { (bar.count) }
                }
            }
            table {
                caption { (caption) }
                thead { tr { th scope="col" { (first_column) } th scope="col" class="number" { (page.w(W::Count)) } } }
                tbody {
                    @for bar in bars {
                        tr {
                            th scope="row" { (bar.label) }
                            td.number { a href=(bar.href) { (bar.count) } }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the previous and next page of a keyset-paged list, from the connection's `pageInfo`.
pub fn paging(page: &Page, path: &str, params: &[(&str, &str)], info: &Value, words: (W, W)) -> Markup {
    let before = info.opt("startCursor").filter(|_| info.flag("hasPreviousPage"));
    let after = info.opt("endCursor").filter(|_| info.flag("hasNextPage"));
    let with = |name: &'static str, cursor: &str| {
        let mut all: Vec<(&str, &str)> = params.to_vec();
        all.push((name, cursor));
        page.href(path, &all)
    };
    html! {
        @if before.is_some() || after.is_some() {
            nav.paging aria-label=(page.w(W::Paging)) {
                @if let Some(cursor) = before { a rel="prev" href=(with("before", cursor)) { "← " (page.w(words.0)) } }
                @if let Some(cursor) = after { a rel="next" href=(with("after", cursor)) { (page.w(words.1)) " →" } }
            }
        }
    }
}

/// A period from planned and actual dates: the actual ones when known, else the planned ones marked so;
/// empty when no date is known.
pub fn period(page: &Page, record: &Value) -> String {
    let dates = ["actualStart", "plannedStart", "actualEnd", "plannedEnd"];
    if dates.iter().all(|key| record.opt(key).is_none()) {
        return String::new();
    }
    let side = |actual: &str, planned: &str| match (record.opt(actual), record.opt(planned)) {
        (Some(date), _) => date.to_owned(),
        (None, Some(date)) => format!("{date} ({})", page.w(W::Planned)),
        (None, None) => "…".to_owned(),
    };
    format!(
        "{} – {}",
        side("actualStart", "plannedStart"),
        side("actualEnd", "plannedEnd")
    )
}
