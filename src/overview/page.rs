//! What every overview page shares: the reader's languages, links that keep the chosen language, the
//! frame around a page (header, navigation, language switch, the query behind the page), the answer's
//! security headers, and the pages for failures.

use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::words::{Lang, W};
use crate::service::language::LanguagePreferences;

/// Scripts and styles from this server only, no inline script or style, no frames, requests to this
/// server only: the pages load nothing from elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Why a page could not be shown.
#[derive(Debug)]
pub enum Failure {
    /// The URL asks for something malformed (an ID, a filter value, a cursor): 400 with the reason.
    BadInput(String),
    /// The URL names no record: 404.
    NotFound,
    /// The database does not answer: 503.
    Unavailable,
    /// The reader asked too often: 429, with the seconds to wait.
    TooManyRequests(u64),
    /// A fault of ours, logged: 500.
    Internal,
}

/// One request for a page: the interface language, the languages the data are asked in, whether the
/// language was chosen in the URL (then links keep it), and the path and parameters for the language
/// switch.
pub struct Page {
    /// The interface language.
    pub lang: Lang,
    /// The languages for the data, most wanted first: `?lang=`, then `Accept-Language`.
    pub languages: Vec<String>,
    /// Whether `?lang=` chose the language.
    chosen: bool,
    /// The page's path.
    path: String,
    /// The page's URL parameters other than `lang`.
    params: Vec<(String, String)>,
    /// When the request came.
    started: Instant,
}

impl Page {
    /// The page for a request to `path` with `params`, in the language `?lang=` names, else the first of
    /// `Accept-Language` the interface has, else English. The data follow the API's rules.
    pub fn new(path: &str, params: &[(String, String)], headers: &HeaderMap) -> Result<Page, Failure> {
        let accepted = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(|v| LanguagePreferences::from_accept_language(v).0)
            .unwrap_or_default();
        let asked = params.iter().find(|(name, _)| name == "lang").map(|(_, v)| v.as_str());
        let (lang, chosen) = match asked {
            Some(tag) => match Lang::of_tag(tag) {
                Some(lang) => (lang, true),
                None => {
                    return Err(Failure::BadInput(format!(
                        "lang={tag:?}: the overview is in sv, nb and en"
                    )));
                }
            },
            None => (
                accepted.iter().find_map(|tag| Lang::of_tag(tag)).unwrap_or(Lang::En),
                false,
            ),
        };
        let mut languages = Vec::with_capacity(accepted.len() + 1);
        if chosen {
            languages.push(lang.tag().to_owned());
        }
        languages.extend(accepted);
        Ok(Page {
            lang,
            languages,
            chosen,
            path: path.to_owned(),
            params: params.iter().filter(|(name, _)| name != "lang").cloned().collect(),
            started: Instant::now(),
        })
    }

    /// Whether `?lang=` chose the language (then forms carry it on).
    pub fn lang_chosen(&self) -> bool {
        self.chosen
    }

    /// The word `w` in the page's language.
    pub fn w(&self, w: W) -> &'static str {
        w.in_(self.lang)
    }

    /// A link to `path` with `params` (empty values left out), keeping the language chosen in the URL.
    pub fn href(&self, path: &str, params: &[(&str, &str)]) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in params.iter().filter(|(_, value)| !value.is_empty()) {
            query.append_pair(name, value);
        }
        if self.chosen {
            query.append_pair("lang", self.lang.tag());
        }
        let query = query.finish();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }

    /// This page in `lang`: the same path and parameters.
    fn in_lang(&self, lang: Lang) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.params {
            query.append_pair(name, value);
        }
        query.append_pair("lang", lang.tag());
        format!("{}?{}", self.path, query.finish())
    }

    /// The whole page: `title`, the `body`, and the `document` with its `variables` that fetched what
    /// it shows. `took` is the document's execution time, sent in `Server-Timing`.
    pub fn answer(
        &self,
        title: &str,
        body: Markup,
        query: Option<(&str, &serde_json::Value)>,
        took: Duration,
    ) -> Response {
        let markup = self.frame(title, body, query);
        respond(StatusCode::OK, markup, took, self.started.elapsed())
    }

    /// The page for `failure`, with its status code.
    pub fn failed(&self, failure: &Failure) -> Response {
        failure_page(self.lang, Some(self), failure)
    }

    fn frame(&self, title: &str, body: Markup, query: Option<(&str, &serde_json::Value)>) -> Markup {
        let nav = [
            ("/overview", W::Countries),
            ("/overview/initiatives", W::Initiatives),
            ("/overview/activities", W::Activities),
            ("/overview/changes", W::Changes),
        ];
        html! {
            (DOCTYPE)
            html lang=(self.lang.tag()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · " (self.w(W::Kartla)) }
                    link rel="icon" href="data:,";
                    link rel="stylesheet" href="/overview/assets/overview.css";
                    script src="/overview/assets/overview.js" defer {}
                }
                body {
                    a.skip href="#main" { (self.w(W::SkipToContent)) }
                    header.site {
                        a.brand href=(self.href("/overview", &[])) { "Kartla" }
                        nav aria-label=(self.w(W::MainNavigation)) {
                            ul {
                                @for (path, word) in nav {
                                    li {
                                        a href=(self.href(path, &[]))
                                          aria-current=[(self.path == path).then_some("page")] { (self.w(word)) }
                                    }
                                }
                                li { a href="/" { (self.w(W::Explorer)) } }
                            }
                        }
                        nav.languages aria-label=(self.w(W::Language)) {
                            ul {
                                @for lang in Lang::ALL {
                                    li {
                                        a href=(self.in_lang(lang)) hreflang=(lang.tag()) lang=(lang.tag())
                                          aria-current=[(lang == self.lang).then_some("true")] { (lang.own_name()) }
                                    }
                                }
                            }
                        }
                    }
                    main #main tabindex="-1" { (body) }
                    footer.site {
                        @if let Some((document, variables)) = query {
                            details.query {
                                summary { (self.w(W::QueryBehind)) }
                                p { (self.w(W::QueryBehindHelp)) " " a href="/" { (self.w(W::Explorer)) } }
                                pre { code { (document.trim()) } }
                                @if variables.as_object().is_some_and(|v| !v.is_empty()) {
                                    p { (self.w(W::Variables)) }
                                    pre { code { (serde_json::to_string_pretty(variables).unwrap_or_default()) } }
                                }
                            }
                        }
                        p { (self.w(W::FromTheApi)) }
                    }
                }
            }
        }
    }
}

/// The page for `failure`, in `lang`, framed when the request got as far as a [`Page`].
pub fn failure_page(lang: Lang, page: Option<&Page>, failure: &Failure) -> Response {
    let (status, heading, text) = match failure {
        Failure::BadInput(reason) => (StatusCode::BAD_REQUEST, W::BadRequest, reason.clone()),
        Failure::NotFound => (StatusCode::NOT_FOUND, W::NotFound, W::NotFoundText.in_(lang).to_owned()),
        Failure::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            W::Unavailable,
            W::UnavailableText.in_(lang).to_owned(),
        ),
        Failure::TooManyRequests(seconds) => (
            StatusCode::TOO_MANY_REQUESTS,
            W::TooManyRequests,
            format!("{} {seconds} s.", W::TooManyRequestsText.in_(lang)),
        ),
        Failure::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            W::InternalError,
            W::InternalErrorText.in_(lang).to_owned(),
        ),
    };
    let body = html! {
        h1 { (heading.in_(lang)) }
        p.failure { (text) }
        p { a href="/overview" { (W::BackToOverview.in_(lang)) } }
    };
    let markup = match page {
        Some(page) => page.frame(heading.in_(lang), body, None),
        None => html! {
            (DOCTYPE)
            html lang=(lang.tag()) {
                head {
                    meta charset="utf-8";
                    title { (heading.in_(lang)) " · Kartla" }
                    link rel="stylesheet" href="/overview/assets/overview.css";
                }
                body { main #main { (body) } }
            }
        },
    };
    let mut response = respond(status, markup, Duration::ZERO, Duration::ZERO);
    let retry_after = match failure {
        Failure::Unavailable => Some(5),
        Failure::TooManyRequests(seconds) => Some(*seconds),
        _ => None,
    };
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// An HTML answer with the overview's headers; `Server-Timing` tells how long the document ran and the
/// whole page took.
fn respond(status: StatusCode, markup: Markup, query: Duration, total: Duration) -> Response {
    let timing = format!(
        "graphql;dur={:.1}, page;dur={:.1}",
        query.as_secs_f64() * 1000.0,
        total.as_secs_f64() * 1000.0
    );
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        markup.into_string(),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if let Ok(value) = HeaderValue::from_str(&timing) {
        headers.insert("server-timing", value);
    }
    response
}
