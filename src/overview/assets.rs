//! The overview's stylesheet and script, compiled into the binary and served from `/overview/assets/`.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The files under `/overview/assets/`, with their media types.
const ASSETS: [(&str, &str, &str); 2] = [
    (
        "overview.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/overview/overview.css"),
    ),
    (
        "overview.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/overview/overview.js"),
    ),
];

/// `GET /overview/assets/{file}`: one of the files; anything else is 404.
pub async fn show(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, media_type, text)) => {
            let mut response = (
                [
                    (header::CONTENT_TYPE, *media_type),
                    (header::CACHE_CONTROL, "public, max-age=3600"),
                ],
                *text,
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            response
        }
        None => (StatusCode::NOT_FOUND, "No such overview file\n").into_response(),
    }
}
