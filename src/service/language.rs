//! Choosing the language of a text: the one asked for, else the request's `Accept-Language`, else the
//! server's fallback order, else whatever the record has.

use super::text::Localized;

/// Language preferences of one request, most wanted first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LanguagePreferences(pub Vec<String>);

impl LanguagePreferences {
    /// Parses an `Accept-Language` header ("nb-NO, nb;q=0.9, en;q=0.5"), ignoring malformed parts and `*`.
    pub fn from_accept_language(header: &str) -> Self {
        let mut tags: Vec<(f32, usize, String)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                if tag.is_empty() || tag == "*" || !is_language_tag(tag) {
                    return None;
                }
                let quality = pieces
                    .filter_map(|param| param.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (quality > 0.0).then(|| (quality, position, tag.to_ascii_lowercase()))
            })
            .collect();
        tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        LanguagePreferences(tags.into_iter().map(|(_, _, tag)| tag).collect())
    }
}

/// Whether `tag` has the shape of a BCP 47 tag: subtags of 1 to 8 letters or digits, joined by '-', the
/// first made of 2 to 8 letters.
pub fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first_ok = subtags
        .next()
        .is_some_and(|first| (2..=8).contains(&first.len()) && first.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok && subtags.all(|s| (1..=8).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The primary language subtag ("nb" for "nb-NO"), compared without regard to case.
fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// How well a text in `available` serves a reader who asked for `wanted`: 3 exact, 2 same primary
/// language, 1 Norwegian macrolanguage ("no") for Bokmål or Nynorsk and back; 0 not at all.
fn closeness(wanted: &str, available: &str) -> u8 {
    if wanted.eq_ignore_ascii_case(available) {
        return 3;
    }
    let (wanted, available) = (primary(wanted), primary(available));
    let norwegian = |tag: &str| ["nb", "nn"].iter().any(|n| tag.eq_ignore_ascii_case(n));
    if wanted.eq_ignore_ascii_case(available) {
        2
    } else if (norwegian(wanted) && available.eq_ignore_ascii_case("no"))
        || (wanted.eq_ignore_ascii_case("no") && norwegian(available))
    {
        1
    } else {
        0
    }
}

/// Picks the best text: the language asked for, then each of the request's preferences in order, the
/// closest text for each; then the first text in the fallback order; then the first text by language
/// tag. `None` only when there is no text at all.
pub fn pick<'a>(
    texts: &'a [Localized],
    asked: Option<&str>,
    preferences: &[String],
    fallback: &[String],
) -> Option<&'a Localized> {
    let candidates = asked
        .into_iter()
        .chain(preferences.iter().map(String::as_str))
        .chain(fallback.iter().map(String::as_str));
    for lang in candidates {
        let best = texts
            .iter()
            .map(|text| (closeness(lang, &text.lang), text))
            .filter(|(score, _)| *score > 0)
            .max_by_key(|(score, _)| *score);
        if let Some((_, text)) = best {
            return Some(text);
        }
    }
    texts.first()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &str)]) -> Vec<Localized> {
        pairs
            .iter()
            .map(|(lang, text)| Localized {
                lang: (*lang).into(),
                text: (*text).into(),
            })
            .collect()
    }

    #[test]
    fn accept_language_is_ordered_by_quality() {
        let prefs = LanguagePreferences::from_accept_language("en;q=0.5, nb-NO, sv;q=0.8, *;q=0.1, x;q=1");
        assert_eq!(prefs.0, vec!["nb-no", "sv", "en"]);
    }

    #[test]
    fn picks_wanted_then_fallback_then_any() {
        let list = texts(&[("en", "Oslo municipality"), ("no", "Oslo kommune")]);
        let fallback = vec!["sv".to_owned(), "en".to_owned()];
        assert_eq!(
            pick(&list, Some("nb"), &[], &fallback).map(|t| t.text.as_str()),
            Some("Oslo kommune")
        );
        assert_eq!(
            pick(&list, None, &["fi".to_owned()], &fallback).map(|t| t.text.as_str()),
            Some("Oslo municipality")
        );
        let only_mul = texts(&[("mul", "Nordland - Nordlánnda")]);
        assert_eq!(
            pick(&only_mul, Some("sv"), &[], &fallback).map(|t| t.text.as_str()),
            Some("Nordland - Nordlánnda")
        );
        assert_eq!(pick(&[], Some("sv"), &[], &fallback), None);
    }
}
