//! Running one page's GraphQL document in process: the same schema, loader and rules as `/graphql`, as an
//! anonymous reader (so a page shows exactly what the public API shows, no email or phone), in the
//! request's languages. The answer comes back as JSON for the page to render.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::page::Failure;
use crate::graphql::empty_records::EmptyRecords;
use crate::graphql::loader::Loader;
use crate::http::AppState;
use crate::service::language::LanguagePreferences;
use crate::service::permission::Viewer;

/// What a page's document answered, and how long it took.
pub struct Answer {
    /// The `data` of the answer.
    pub data: Value,
    /// Time spent executing the document.
    pub took: Duration,
}

/// Runs `document` with `variables` for a reader with `languages`. A document refused or an error in the
/// answer is a [`Failure`]: `BAD_ID` and bad arguments are the reader's (400), an unavailable database is
/// 503, anything else is logged and shown as an internal error.
pub async fn run(state: &AppState, document: &str, variables: Value, languages: &[String]) -> Result<Answer, Failure> {
    let started = Instant::now();
    let (loader, turns) = Loader::new(state.db.clone(), true);
    let empty_records = EmptyRecords::default();
    let request = async_graphql::Request::new(document)
        .variables(async_graphql::Variables::from_json(variables))
        .data(loader)
        .data(Viewer::Anonymous)
        .data(empty_records.clone())
        .data(LanguagePreferences(languages.to_vec()));
    let execution = turns.drive(state.schema.execute(request));
    let Ok(mut response) = tokio::time::timeout(state.request_timeout, execution).await else {
        return Err(Failure::Unavailable);
    };
    empty_records.mend(&mut response.data);
    if let Some(error) = response.errors.first() {
        return Err(match crate::error::code_of(error) {
            Some("BAD_ID" | "BAD_CURSOR" | "BAD_USER_INPUT" | "PAGE_SIZE") => Failure::BadInput(error.message.clone()),
            Some("NOT_FOUND") => Failure::NotFound,
            Some("SERVICE_UNAVAILABLE") => {
                state.outage.report();
                Failure::Unavailable
            }
            _ => {
                tracing::error!(error = %error.message, "an overview page's document failed");
                Failure::Internal
            }
        });
    }
    let data = response.data.into_json().map_err(|error| {
        tracing::error!(%error, "an overview page's answer is not JSON");
        Failure::Internal
    })?;
    Ok(Answer {
        data,
        took: started.elapsed(),
    })
}
