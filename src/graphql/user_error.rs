//! What mutations answer with besides their records: user errors (invalid input, a stale version, a step
//! the lifecycle does not allow), and the multilingual text they take.

use async_graphql::{InputObject, SimpleObject};

use crate::service::edit::Problem;
use crate::service::language::is_language_tag;
use crate::service::text::{Localized, Texts};

/// A problem with a mutation's input: nothing was changed.
#[derive(Clone, Debug, SimpleObject)]
pub struct UserError {
    /// The path of the input field at fault, such as `["input", "decision", "0", "lang"]`.
    pub field: Option<Vec<String>>,
    /// What is wrong and what to change.
    pub message: String,
    /// A stable code: BAD_ID, NOT_FOUND, CONFLICT, INVALID_TRANSITION, INVALID, TAKEN (a value that must be
    /// unique is in use).
    pub code: String,
    /// With CONFLICT: the record's version now; read the record again and retry with it.
    pub current_version: Option<i32>,
}

impl UserError {
    /// A user error about `field`.
    pub fn new(field: &[&str], code: &str, message: impl Into<String>) -> Self {
        UserError {
            field: Some(field.iter().map(|f| (*f).to_owned()).collect()),
            message: message.into(),
            code: code.to_owned(),
            current_version: None,
        }
    }
}

impl From<Problem> for UserError {
    fn from(problem: Problem) -> Self {
        UserError {
            field: Some(problem.field),
            message: problem.message,
            code: problem.code.to_owned(),
            current_version: problem.current_version,
        }
    }
}

/// A text in one language, as input.
#[derive(Clone, Debug, InputObject)]
pub struct LocalizedTextInput {
    /// A BCP 47 language tag, such as "sv" or "nb".
    pub lang: String,
    /// The text, 1 to 10,000 characters.
    pub text: String,
}

/// The longest text a field takes.
const MAX_TEXT: usize = 10_000;

/// Adds the texts of `field` to `texts`, or the user errors that say what is wrong with them.
pub fn collect_texts(
    path: &str,
    field: &str,
    given: &[LocalizedTextInput],
    texts: &mut Texts,
    errors: &mut Vec<UserError>,
) {
    for (k, entry) in given.iter().enumerate() {
        let index = k.to_string();
        if !is_language_tag(&entry.lang) {
            let message = format!("{:?} is not a BCP 47 language tag", entry.lang);
            errors.push(UserError::new(&["input", path, &index, "lang"], "INVALID", message));
        }
        let text = entry.text.trim();
        if text.is_empty() || text.chars().count() > MAX_TEXT {
            let message = format!("the text must have 1 to {MAX_TEXT} characters");
            errors.push(UserError::new(&["input", path, &index, "text"], "INVALID", message));
        }
        texts.add(field, &entry.lang, text);
    }
}

/// The translations of one field given as input, checked; a problem per bad language tag or text.
pub fn texts_of(field: &str, given: &[LocalizedTextInput], problems: &mut Vec<Problem>) -> Vec<Localized> {
    let mut texts = Texts::default();
    let mut errors = Vec::new();
    collect_texts(field, field, given, &mut texts, &mut errors);
    problems.extend(errors.into_iter().map(|e| Problem {
        field: e.field.unwrap_or_default(),
        // The only code `collect_texts` gives.
        code: "INVALID",
        message: e.message,
        current_version: None,
    }));
    texts.field(field).to_vec()
}
