//! The parts of Swedish and Norwegian compounds, for the word index: "digitalkompetens" ends in the word
//! "kompetens", "informasjonssikkerhet" in "sikkerhet", so a search for either finds the compound.
//!
//! The rule: a word of a stemmed language with a word list (Swedish; Norwegian Bokmål and Nynorsk) is split
//! from its end. Its longest ending that is a listed word (compared by stem, so "skolan" is "skola") and
//! leaves at least [`MIN_CHARS`] letters before it is its last part; what is before it, less one linking
//! letter where that helps ("upphandlings" is "upphandling"), is split the same way, until it is a listed
//! word itself or has no listed ending. Each part is indexed with everything after it: the parts of
//! "lärarutbildningsprogram" are "utbildningsprogram" and "program", so "utbildning" finds it as the start
//! of a part. A listed word is never split ("utbildning" is not "ut" and "bildning"). The first part of a
//! compound needs no row of its own: the compound starts with it.
//!
//! The lists (`compound/sv.txt`, `compound/nb.txt`) are Kartla's own, written for its domain; a word missing
//! from them is found as a whole word or a prefix, as before.

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// The fewest letters a part, and what comes before it, may have.
pub const MIN_CHARS: usize = 3;

/// The longest word split, in letters (the index keeps words of at most 64): splitting tries every ending,
/// so a longer word, which no language writes, would cost its length squared.
const MAX_CHARS: usize = 64;

/// Letters that may join two parts of a compound ("kompetens|utveckling", "skole|eier").
const LINKS: [char; 3] = ['s', 'e', 'a'];

/// Endings of inflected Swedish and Norwegian nouns and adjectives that a stemmer may leave on
/// ("skolan" stems to itself, "skola" to "skol"): a listed word with one of them is that word.
const INFLECTIONS: [&str; 22] = [
    "n", "en", "et", "na", "ne", "ns", "r", "ar", "er", "or", "rna", "erna", "arna", "orna", "ene", "s", "es", "ens",
    "ets", "t", "a", "e",
];

/// A language's listed words, as written and as stems of its stemmer.
struct Lexicon {
    algorithm: Algorithm,
    words: HashSet<String>,
    stems: HashSet<String>,
}

impl Lexicon {
    fn read(algorithm: Algorithm, list: &str) -> Lexicon {
        let stemmer = Stemmer::create(algorithm);
        let words: HashSet<String> = list
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_lowercase)
            .collect();
        let stems = words.iter().map(|word| stemmer.stem(word).into_owned()).collect();
        Lexicon {
            algorithm,
            words,
            stems,
        }
    }

    /// Whether `word` is a listed word: by its stem, or as one with an inflection's ending.
    fn knows(&self, stemmer: &Stemmer, word: &str) -> bool {
        self.stems.contains(stemmer.stem(word).as_ref())
            || INFLECTIONS.iter().any(|ending| {
                word.strip_suffix(ending)
                    .is_some_and(|base| base.chars().count() >= MIN_CHARS && self.words.contains(base))
            })
    }
}

fn swedish() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::read(Algorithm::Swedish, include_str!("compound/sv.txt")))
}

fn norwegian() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::read(Algorithm::Norwegian, include_str!("compound/nb.txt")))
}

/// The word list of a primary language subtag, if it has one.
fn lexicon_of(lang: &str) -> Option<&'static Lexicon> {
    match lang {
        "sv" => Some(swedish()),
        "nb" | "nn" | "no" => Some(norwegian()),
        _ => None,
    }
}

/// The parts of `word` (in lower case, as written) in language `lang`, each with everything after it,
/// last part first; none for a word that is no compound of listed words, or in a language without a list.
pub fn parts(word: &str, lang: &str) -> Vec<String> {
    let Some(lexicon) = lexicon_of(lang) else {
        return Vec::new();
    };
    let stemmer = Stemmer::create(lexicon.algorithm);
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 * MIN_CHARS || chars.len() > MAX_CHARS || lexicon.knows(&stemmer, word) {
        return Vec::new();
    }
    let known = |letters: &[char]| lexicon.knows(&stemmer, &letters.iter().collect::<String>());
    // The letters before `end` less a linking letter, when they end in one.
    let unlinked = |end: usize| LINKS.contains(&chars[end - 1]).then(|| &chars[..end - 1]);
    let mut parts = Vec::new();
    // The word's first `end` letters are still to split.
    let mut end = chars.len();
    loop {
        let start = last_part(lexicon, &stemmer, &chars[..end])
            .or_else(|| unlinked(end).and_then(|head| last_part(lexicon, &stemmer, head)));
        let Some(start) = start else { break };
        parts.push(chars[start..].iter().collect());
        end = start;
        if known(&chars[..end]) || unlinked(end).is_some_and(known) {
            break;
        }
    }
    parts
}

/// Where the longest listed ending of `chars` starts, leaving at least [`MIN_CHARS`] letters before it.
fn last_part(lexicon: &Lexicon, stemmer: &Stemmer, chars: &[char]) -> Option<usize> {
    if chars.len() < 2 * MIN_CHARS {
        return None;
    }
    (MIN_CHARS..=chars.len() - MIN_CHARS).find(|&start| {
        let ending: String = chars[start..].iter().collect();
        lexicon.knows(stemmer, &ending)
    })
}

#[cfg(test)]
mod tests {
    use super::parts;

    #[test]
    fn splits_swedish_compounds() {
        assert_eq!(parts("digitalkompetens", "sv"), ["kompetens"]);
        assert_eq!(parts("upphandlingskompetens", "sv"), ["kompetens"]);
        assert_eq!(parts("grundskolan", "sv"), ["skolan"]);
        assert_eq!(parts("informationssäkerhet", "sv"), ["säkerhet"]);
        assert_eq!(parts("kompetensutveckling", "sv"), ["utveckling"]);
        assert_eq!(
            parts("lärarutbildningsprogram", "sv"),
            ["program", "utbildningsprogram"]
        );
        assert_eq!(parts("digitaliseringsstrategi", "sv"), ["strategi"]);
    }

    #[test]
    fn splits_norwegian_compounds() {
        assert_eq!(parts("bestillerkompetanse", "nb"), ["kompetanse"]);
        assert_eq!(parts("informasjonssikkerhet", "nb"), ["sikkerhet"]);
        assert_eq!(parts("grunnskolen", "nb"), ["skolen"]);
        assert_eq!(parts("læringsressurser", "nb"), ["ressurser"]);
        assert_eq!(parts("kompetanseutvikling", "nn"), ["utvikling"]);
        assert_eq!(parts("skoleeier", "nb"), ["eier"]);
    }

    #[test]
    fn leaves_listed_words_and_other_languages_whole() {
        assert!(parts("utbildning", "sv").is_empty(), "a listed word is not split");
        assert!(parts("digitaliseringen", "sv").is_empty(), "nor is its inflected form");
        assert!(parts("kompetens", "sv").is_empty());
        assert!(parts("organisation", "sv").is_empty());
        assert!(parts("digitalkompetens", "en").is_empty(), "no list for English");
        assert!(parts("skol", "sv").is_empty(), "too short to split");
        let endless = format!("{}kompetens", "a".repeat(1_000));
        assert!(parts(&endless, "sv").is_empty(), "too long to split");
        assert_eq!(parts(&format!("{}kompetens", "a".repeat(50)), "sv"), ["kompetens"]);
    }
}
