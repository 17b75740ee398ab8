//! A page's URL parameters: read leniently (any bytes decode), checked where they become a filter, so a
//! value the API would not take is the reader's error (400) with the values it takes.

use super::page::Failure;

/// The URL's parameters, in order; a name may repeat (`status=ONGOING&status=DECIDED`).
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of `query` (the part after `?`).
    pub fn parse(query: Option<&str>) -> Params {
        let pairs = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(name, value)| (name.into_owned(), value.trim().to_owned()))
            .collect();
        Params(pairs)
    }

    /// Every parameter.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first non-empty value of `name`.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, value)| n == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every non-empty value of `name`, each one of `allowed`.
    pub fn choices(&self, name: &str, allowed: &[&str]) -> Result<Vec<String>, Failure> {
        self.0
            .iter()
            .filter(|(n, value)| n == name && !value.is_empty())
            .map(|(_, value)| {
                if allowed.contains(&value.as_str()) {
                    Ok(value.clone())
                } else {
                    Err(Failure::BadInput(format!(
                        "{name}={value:?} is not one of {}",
                        allowed.join(", ")
                    )))
                }
            })
            .collect()
    }

    /// The one value of `name`, if given, from `allowed`.
    pub fn choice(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, Failure> {
        Ok(self.choices(name, allowed)?.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_and_unknown_values() {
        let params = Params::parse(Some("status=ONGOING&status=&status=DECIDED&q=+digital+&x=%FF"));
        assert_eq!(
            params.choices("status", &["ONGOING", "DECIDED"]).ok(),
            Some(vec!["ONGOING".to_owned(), "DECIDED".to_owned()])
        );
        assert_eq!(params.one("q"), Some("digital"));
        assert!(matches!(
            params.choices("status", &["ONGOING"]),
            Err(Failure::BadInput(_))
        ));
        assert_eq!(params.one("x"), Some("\u{fffd}"));
    }
}
