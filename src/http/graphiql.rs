//! The GraphiQL explorer, served entirely by the binary: no CDN, so it works on closed networks, and under
//! a Content-Security-Policy that allows only the page's own scripts.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The policy the page and its assets satisfy: scripts and styles from this server only (GraphiQL sets
/// style attributes, hence 'unsafe-inline' for styles), fonts and images from data: URLs, requests to
/// this server only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

/// The files under `/graphiql/`, with their media types.
const ASSETS: [(&str, &str, &[u8]); 6] = [
    (
        "graphiql.min.js",
        "text/javascript",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "kartla.js",
        "text/javascript",
        include_bytes!("../../assets/graphiql/kartla.js"),
    ),
    (
        "kartla.css",
        "text/css",
        include_bytes!("../../assets/graphiql/kartla.css"),
    ),
];

const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// Security headers every GraphiQL response carries.
fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// The explorer page.
pub async fn page() -> Response {
    secured(
        (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            PAGE,
        )
            .into_response(),
    )
}

/// One of the page's assets; anything else is 404.
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, media_type, bytes)) => secured(
            (
                [
                    (header::CONTENT_TYPE, *media_type),
                    (header::CACHE_CONTROL, "public, max-age=3600"),
                ],
                *bytes,
            )
                .into_response(),
        ),
        None => (StatusCode::NOT_FOUND, "No such GraphiQL file\n").into_response(),
    }
}
