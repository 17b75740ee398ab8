//! What mutations answer with besides their records: user errors (invalid input, a stale version, a step
//! the lifecycle does not allow), and the multilingual text they take.

use async_graphql::{InputObject, SimpleObject};

use crate::service::language::is_language_tag;
use crate::service::text::Texts;

/// A problem with a mutation's input: nothing was changed.
#[derive(Clone, Debug, SimpleObject)]
pub struct UserError {
    /// The path of the input field at fault, such as `["input", "decision", "0", "lang"]`.
    pub field: Option<Vec<String>>,
    /// What is wrong and what to change.
    pub message: String,
    /// A stable code: BAD_ID, NOT_FOUND, CONFLICT, INVALID_TRANSITION, INVALID.
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
