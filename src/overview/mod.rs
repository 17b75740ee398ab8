//! The overview: read-only HTML pages under `/overview` for people who want to look rather than query
//! (a ministry's strategy team, a county's coordinator, a municipality's school office).
//!
//! Each page runs one GraphQL document against the same schema in process, as an anonymous reader, and
//! renders the answer with maud templates: one round trip from the browser, no JSON in between, and the
//! page shows exactly what the public API shows (no email or phone). The document is printed at the
//! foot of each page, so the pages double as the reference frontend client teams copy from. Pages work
//! without JavaScript; one small script (`assets/overview/overview.js`) applies filters without a reload
//! and links the map's tiles to its table. Nothing is loaded from elsewhere (strict CSP).

mod activities;
mod assets;
mod changes;
mod countries;
mod filters;
mod initiative;
mod initiatives;
mod json;
mod organisation;
mod page;
mod params;
mod parts;
mod run;
mod strategy;
mod tiles;
mod words;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::get;

use crate::http::AppState;

/// The overview's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/overview", get(countries::show))
        .route("/overview/strategies/{id}", get(strategy::show))
        .route("/overview/initiatives", get(initiatives::show))
        .route("/overview/initiatives/{id}", get(initiative::show))
        .route("/overview/activities", get(activities::show))
        .route("/overview/organisations/{id}", get(organisation::show))
        .route("/overview/changes", get(changes::show))
        .route("/overview/assets/{file}", get(assets::show))
}

/// The overview's answer to a request the server refused before running it (over the rate limit, or
/// while the database is down): the same status and `Retry-After` as an HTML page in the reader's
/// language, so a browser shows a page rather than JSON. Other requests keep `refusal`.
pub fn refusal_page(request: &axum::extract::Request, refusal: Response) -> Response {
    let path = request.uri().path();
    if !path.starts_with("/overview") || path.starts_with("/overview/assets/") {
        return refusal;
    }
    let failure = match refusal.status() {
        StatusCode::TOO_MANY_REQUESTS => {
            let seconds = refusal
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            page::Failure::TooManyRequests(seconds)
        }
        StatusCode::SERVICE_UNAVAILABLE => page::Failure::Unavailable,
        _ => return refusal,
    };
    let params = params::Params::parse(request.uri().query());
    match page::Page::new(path, params.pairs(), request.headers()) {
        Ok(page) => page.failed(&failure),
        Err(_) => page::failure_page(words::Lang::En, None, &failure),
    }
}

/// Answers a page request: the [`page::Page`] from the URL and headers, then `build` with it, or the
/// page for whatever failed.
macro_rules! answer {
    ($headers:expr, $path:expr, $query:expr, |$page:ident, $params:ident| $build:expr) => {{
        let $params = $crate::overview::params::Params::parse($query.as_deref());
        match $crate::overview::page::Page::new(&$path, $params.pairs(), &$headers) {
            Err(failure) => $crate::overview::page::failure_page($crate::overview::words::Lang::En, None, &failure),
            Ok($page) => match $build.await {
                Ok(response) => response,
                Err(failure) => $page.failed(&failure),
            },
        }
    }};
}
pub(crate) use answer;
