//! The API's own scalars: `CountryCode`, `LanguageTag` and `Date`, each checked on input.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

use crate::service::language::is_language_tag;

/// An ISO 3166-1 alpha-2 country code, such as "SE" or "NO".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountryCode(pub String);

/// An ISO 3166-1 alpha-2 country code as a string: "SE", "NO".
#[Scalar(name = "CountryCode")]
impl ScalarType for CountryCode {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
                Ok(CountryCode(s.to_ascii_uppercase()))
            }
            // `country: SE` without quotes arrives as an enum value.
            Value::Enum(name) => Err(InputValueError::custom(format!(
                "a country code is a string: write \"{name}\" in quotes"
            ))),
            _ => Err(InputValueError::custom(format!(
                "{value} is not an ISO 3166-1 alpha-2 country code such as \"SE\""
            ))),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// A BCP 47 language tag, such as "sv", "nb", "nn", "se" or "en".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageTag(pub String);

/// A BCP 47 language tag as a string: "sv", "nb", "se", "en-GB".
#[Scalar(name = "LanguageTag")]
impl ScalarType for LanguageTag {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) if is_language_tag(s) => Ok(LanguageTag(s.clone())),
            _ => Err(InputValueError::custom(format!(
                "{value} is not a BCP 47 language tag such as \"sv\""
            ))),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date as a string: YYYY-MM-DD.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("{value} is not a date of the form YYYY-MM-DD"))),
            _ => Err(InputValueError::custom(format!(
                "{value} is not a date of the form YYYY-MM-DD"
            ))),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}
