//! The word index behind `search` and every list's `filter.query`: the table `search_term`, one row per
//! record, language and word of its texts, filled by Kartla itself in the transaction of every text it
//! writes, the same way on SQLite, PostgreSQL and MariaDB, so every database finds exactly the same records
//! (an engine's own full-text search would not: SQLite's FTS5 has no Swedish or Norwegian stemmer, MariaDB's
//! FULLTEXT none at all and a minimum word length of three).
//!
//! The rules, for texts and queries alike:
//! - A word is a run of letters and digits; anything else separates words ("IT-stöd" is "it" and "stöd").
//! - Words are compared folded: lower case, diacritics removed (é, å, ä, ö, č are e, a, a, o, c), and ø, æ,
//!   œ, ß, đ, ŋ, ŧ, ł, ð, þ written o, ae, oe, ss, d, n, t, l, d, th, so "goteborg" finds Göteborg and
//!   "tromso" Tromsø. Words are cut at 64 characters.
//! - A query word matches a text word that starts with it ("digi" finds "digitala"), or that has the same
//!   stem in the text's language: Snowball stemmers for Swedish, Norwegian (nb, nn, no), Danish, English and
//!   Finnish, so "digitalisering" finds "digitaliseringen". Texts in other languages match by word.
//! - A record matches when each query word matches one of its words, in any language and field.

use std::collections::{BTreeMap, HashMap};

use rust_stemmers::{Algorithm, Stemmer};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use uuid::Uuid;

use crate::error::Error;
use crate::service::compound;
use crate::service::text::{self, MAX_QUERY_CHARS, TextOwner, Texts};

/// The version of these rules; a start with a database indexed by other rules rebuilds the index.
pub const VERSION: i32 = 2;

/// The most words a query may have.
pub const MAX_QUERY_WORDS: usize = 16;

/// The longest word kept, in characters (the column's length).
const WORD_CHARS: usize = 64;

/// Languages with a stemmer, by primary language subtag.
const STEMMED: [(&[&str], Algorithm); 5] = [
    (&["sv"], Algorithm::Swedish),
    (&["nb", "nn", "no"], Algorithm::Norwegian),
    (&["da"], Algorithm::Danish),
    (&["en"], Algorithm::English),
    (&["fi"], Algorithm::Finnish),
];

/// The record types search finds, with their codes in `search_term.kind`.
pub const INDEXED: [(TextOwner, i16); 5] = [
    (TextOwner::Initiative, 1),
    (TextOwner::Activity, 2),
    (TextOwner::Goal, 3),
    (TextOwner::Consultation, 4),
    (TextOwner::Organisation, 5),
];

/// The code of a record type in the index; `None` for types search does not find.
pub fn kind_of(owner: TextOwner) -> Option<i16> {
    INDEXED.iter().find(|(o, _)| *o == owner).map(|(_, k)| *k)
}

/// A word folded as the index compares it.
pub fn fold_word(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.nfkd().flat_map(char::to_lowercase) {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ø' => folded.push('o'),
            'æ' => folded.push_str("ae"),
            'œ' => folded.push_str("oe"),
            'ß' => folded.push_str("ss"),
            'đ' | 'ð' => folded.push('d'),
            'ŋ' => folded.push('n'),
            'ŧ' => folded.push('t'),
            'ł' => folded.push('l'),
            'þ' => folded.push_str("th"),
            'ı' => folded.push('i'),
            other => folded.push(other),
        }
    }
    cut(folded)
}

fn cut(word: String) -> String {
    match word.char_indices().nth(WORD_CHARS) {
        Some((at, _)) => word[..at].to_owned(),
        None => word,
    }
}

/// The words of a text, as written.
fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The primary subtag of a language tag, in lower case: "nb-NO" is "nb".
fn primary(lang: &str) -> String {
    lang.split('-').next().unwrap_or_default().to_ascii_lowercase()
}

fn stemmer_of(lang: &str) -> Option<Stemmer> {
    STEMMED
        .iter()
        .find(|(tags, _)| tags.contains(&lang))
        .map(|(_, algorithm)| Stemmer::create(*algorithm))
}

/// One row of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    lang: String,
    word: String,
    stem: String,
    weight: i16,
    /// The row indexes a part of a compound, not a whole word.
    part: bool,
}

impl Entry {
    /// How the row ranks against another of the same word: by weight, then a whole word above a part.
    fn rank(&self) -> (i16, bool) {
        (self.weight, !self.part)
    }
}

/// Whether words in this field weigh as a title's.
fn is_title(field: &str) -> bool {
    matches!(field, "title" | "name")
}

/// What the index makes of one written word in one language: the word and its stem folded, and the
/// parts of the compound it is, each with its stem.
struct Analysed {
    word: String,
    stem: String,
    parts: Vec<(String, String)>,
}

/// The words analysed so far, by language and lower-case form: a batch of records shares most of its
/// words, so each is stemmed and split once.
#[derive(Default)]
struct Vocabulary(HashMap<(String, String), Analysed>);

impl Vocabulary {
    fn analyse(&mut self, lang: &str, lower: String) -> &Analysed {
        self.0
            .entry((lang.to_owned(), lower))
            .or_insert_with_key(|(lang, lower)| {
                let stemmer = stemmer_of(lang);
                let stem_of = |lower: &str| match &stemmer {
                    Some(stemmer) => fold_word(&stemmer.stem(lower)),
                    None => fold_word(lower),
                };
                Analysed {
                    word: fold_word(lower),
                    stem: stem_of(lower),
                    parts: compound::parts(lower, lang)
                        .into_iter()
                        .map(|part| (fold_word(&part), stem_of(&part)))
                        .collect(),
                }
            })
    }
}

/// The index rows of one record's texts: each (language, word) once, with its best weight, whole words
/// and the parts of compounds.
fn entries(texts: &Texts, vocabulary: &mut Vocabulary) -> Vec<Entry> {
    let mut found: BTreeMap<(String, String), Entry> = BTreeMap::new();
    let mut keep = |entry: Entry| {
        let key = (entry.lang.clone(), entry.word.clone());
        match found.get_mut(&key) {
            Some(kept) if kept.rank() >= entry.rank() => {}
            Some(kept) => *kept = entry,
            None => {
                found.insert(key, entry);
            }
        }
    };
    // The best weight each (language, written word) was kept with: a word seen again weighs no more.
    let mut seen: HashMap<(String, String), i16> = HashMap::new();
    for (field, translations) in texts.fields() {
        let weight = if is_title(field) { 2 } else { 1 };
        for text in translations {
            let lang = primary(&text.lang);
            for written in split(&text.text) {
                let lower = written.to_lowercase();
                let best = seen.entry((lang.clone(), lower.clone())).or_insert(0);
                if *best >= weight {
                    continue;
                }
                *best = weight;
                let analysed = vocabulary.analyse(&lang, lower);
                for (word, stem) in &analysed.parts {
                    keep(Entry {
                        lang: lang.clone(),
                        word: word.clone(),
                        stem: stem.clone(),
                        weight,
                        part: true,
                    });
                }
                keep(Entry {
                    lang: lang.clone(),
                    word: analysed.word.clone(),
                    stem: analysed.stem.clone(),
                    weight,
                    part: false,
                });
            }
        }
    }
    found.into_values().collect()
}

/// Removes the index rows of these records of `owner`.
pub async fn forget(db: &impl ConnectionTrait, owner: TextOwner, ids: &[Uuid]) -> Result<(), DbErr> {
    if kind_of(owner).is_none() {
        return Ok(());
    }
    for chunk in ids.chunks(500) {
        let delete = Query::delete()
            .from_table(Alias::new("search_term"))
            .and_where(Expr::col(Alias::new("record_id")).is_in(chunk.iter().copied()))
            .to_owned();
        db.execute(&delete).await?;
    }
    Ok(())
}

/// Adds the index rows of records of `owner` that have none, from their complete texts.
pub async fn add(db: &impl ConnectionTrait, owner: TextOwner, records: &[(Uuid, &Texts)]) -> Result<(), DbErr> {
    let Some(kind) = kind_of(owner) else { return Ok(()) };
    let mut vocabulary = Vocabulary::default();
    let rows: Vec<(Uuid, Entry)> = records
        .iter()
        .flat_map(|(id, texts)| {
            entries(texts, &mut vocabulary)
                .into_iter()
                .map(move |entry| (*id, entry))
        })
        .collect();
    // Seven parameters a row.
    for chunk in rows.chunks(crate::db::ROWS_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("search_term"))
            .columns(["kind", "record_id", "lang", "word", "stem", "weight", "part"].map(Alias::new));
        for (id, entry) in chunk {
            insert
                .values([
                    kind.into(),
                    (*id).into(),
                    entry.lang.as_str().into(),
                    entry.word.as_str().into(),
                    entry.stem.as_str().into(),
                    entry.weight.into(),
                    i16::from(entry.part).into(),
                ])
                .map_err(|error| DbErr::Custom(error.to_string()))?;
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Indexes one record again from the texts it has now (after one of its fields changed).
pub async fn refresh(db: &impl ConnectionTrait, owner: TextOwner, id: Uuid) -> Result<(), DbErr> {
    if kind_of(owner).is_none() {
        return Ok(());
    }
    let texts = text::load(db, owner, &[id]).await?.remove(&id).unwrap_or_default();
    forget(db, owner, &[id]).await?;
    add(db, owner, &[(id, &texts)]).await
}

/// Indexes records again from the texts they have now, in batches (after an import wrote their texts).
pub async fn refresh_many(db: &impl ConnectionTrait, owner: TextOwner, ids: &[Uuid]) -> Result<(), DbErr> {
    if kind_of(owner).is_none() {
        return Ok(());
    }
    for batch in ids.chunks(REBUILD_BATCH as usize) {
        let texts: HashMap<Uuid, Texts> = text::load(db, owner, batch).await?;
        forget(db, owner, batch).await?;
        let records: Vec<(Uuid, &Texts)> = texts.iter().map(|(id, t)| (*id, t)).collect();
        add(db, owner, &records).await?;
    }
    Ok(())
}

/// Records read at a time when the whole index is built.
const REBUILD_BATCH: u64 = 2000;

/// Builds the whole index again from the texts, in one transaction, and records the rules' version.
pub async fn rebuild(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
    let txn = crate::db::begin_bulk_write(db).await?;
    txn.execute(&Query::delete().from_table(Alias::new("search_term")).to_owned())
        .await?;
    for (owner, _) in INDEXED {
        let mut after: Option<Uuid> = None;
        loop {
            let mut ids = Query::select();
            ids.column(Alias::new("id"))
                .from(Alias::new(owner.table()))
                .order_by(Alias::new("id"), sea_orm::Order::Asc)
                .limit(REBUILD_BATCH);
            if let Some(last) = after {
                ids.and_where(Expr::col(Alias::new("id")).gt(last));
            }
            let batch: Vec<Uuid> = txn
                .query_all(&ids)
                .await?
                .iter()
                .map(|row| row.try_get::<Uuid>("", "id"))
                .collect::<Result<_, _>>()?;
            let Some(last) = batch.last().copied() else { break };
            let texts: HashMap<Uuid, Texts> = text::load(&txn, owner, &batch).await?;
            let records: Vec<(Uuid, &Texts)> = texts.iter().map(|(id, t)| (*id, t)).collect();
            add(&txn, owner, &records).await?;
            after = Some(last);
        }
    }
    crate::db::set_built_version(&txn, "search_index_state", VERSION).await?;
    txn.commit().await?;
    crate::db::analyze(db, &["search_term"]).await
}

/// Rebuilds the index when it was built by other rules, or never (a database migrated from before it).
pub async fn bring_up_to_date(db: &sea_orm::DatabaseConnection) -> Result<bool, DbErr> {
    let version = crate::db::built_version(db, "search_index_state").await?;
    if version == Some(VERSION) {
        return Ok(false);
    }
    rebuild(db).await?;
    Ok(true)
}

/// One word of a query: folded, and its stem in each stemmed language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryWord {
    /// The word folded.
    pub word: String,
    /// Per distinct stem, the languages whose stemmer gives it.
    stems: Vec<(String, Vec<&'static str>)>,
}

/// The distinct words of a query (none when it is only punctuation); refused when it has more than
/// [`MAX_QUERY_WORDS`] words or more than [`MAX_QUERY_CHARS`] characters. `what` names the argument in the
/// message.
pub fn query_words(query: &str, what: &str) -> Result<Vec<QueryWord>, Error> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::BadInput(format!(
            "`{what}` is {} characters long; at most {MAX_QUERY_CHARS} are accepted",
            query.chars().count()
        )));
    }
    let mut words: Vec<QueryWord> = Vec::new();
    for written in split(query) {
        let word = fold_word(written);
        if words.iter().any(|w| w.word == word) {
            continue;
        }
        let lower = written.to_lowercase();
        let mut stems: Vec<(String, Vec<&'static str>)> = Vec::new();
        for (tags, algorithm) in STEMMED {
            let stem = fold_word(&Stemmer::create(algorithm).stem(&lower));
            match stems.iter_mut().find(|(s, _)| *s == stem) {
                Some((_, langs)) => langs.extend_from_slice(tags),
                None => stems.push((stem, tags.to_vec())),
            }
        }
        words.push(QueryWord { word, stems });
    }
    if words.len() > MAX_QUERY_WORDS {
        return Err(Error::BadInput(format!(
            "`{what}` has {} words; at most {MAX_QUERY_WORDS} are accepted",
            words.len()
        )));
    }
    Ok(words)
}

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// The first string after every string that starts with `prefix`, in byte order: the end of its range.
fn after_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

impl QueryWord {
    /// Rows whose word is this word, or has its stem in the row's language.
    pub fn whole(&self) -> Condition {
        Condition::any()
            .add(col("word").eq(self.word.as_str()))
            .add(self.stemmed())
    }

    /// Rows whose word has this word's stem in the row's language.
    pub fn stemmed(&self) -> Condition {
        self.stem_reads().into_iter().fold(Condition::any(), Condition::add)
    }

    /// [`QueryWord::stemmed`] as one condition per stem, each one range of the stem index: SQLite reads an
    /// OR of them through the table, which costs three times as much.
    pub fn stem_reads(&self) -> Vec<Condition> {
        self.stems
            .iter()
            .map(|(stem, langs)| {
                Condition::all()
                    .add(col("stem").eq(stem.as_str()))
                    .add(col("lang").is_in(langs.iter().copied()))
            })
            .collect()
    }

    /// This word's stem in language `lang`, when it has a stemmer.
    pub fn stem_in(&self, lang: &str) -> Option<&str> {
        self.stems
            .iter()
            .find(|(_, langs)| langs.contains(&lang))
            .map(|(stem, _)| stem.as_str())
    }

    /// Rows whose word starts with this word (a byte range, so every database reads it from its index);
    /// the word itself is among them.
    pub fn prefix(&self) -> Condition {
        let mut range = Condition::all().add(col("word").gte(self.word.as_str()));
        if let Some(end) = after_prefix(&self.word) {
            range = range.add(col("word").lt(end));
        }
        range
    }
}

/// The records of `owner` that every word matches, as `SELECT record_id`: what a list's `filter.query`
/// keeps.
pub fn records_matching(owner: TextOwner, words: &[QueryWord]) -> SelectStatement {
    let kind = kind_of(owner).unwrap_or_default();
    let mut statement: Option<SelectStatement> = None;
    for word in words.iter().rev() {
        // The prefix and each stem read on their own, as search reads them: an OR of them is read through
        // the table on SQLite.
        let read = |condition: Condition| {
            Query::select()
                .column(Alias::new("record_id"))
                .from(Alias::new("search_term"))
                .and_where(col("kind").eq(kind))
                .cond_where(condition)
                .to_owned()
        };
        let mut matching = read(word.prefix());
        for stem in word.stem_reads() {
            matching.union(sea_orm::sea_query::UnionType::Distinct, read(stem));
        }
        let mut select = Query::select()
            .column(Alias::new("record_id"))
            .from_subquery(matching, Alias::new("matching"))
            .to_owned();
        if let Some(inner) = statement.take() {
            select.and_where(col("record_id").in_subquery(inner));
        }
        statement = Some(select);
    }
    statement.unwrap_or_else(|| {
        Query::select()
            .column(Alias::new("record_id"))
            .from(Alias::new("search_term"))
            .and_where(Expr::val(1).eq(0))
            .to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics() {
        assert_eq!(fold_word("Göteborg"), "goteborg");
        assert_eq!(fold_word("Tromsø"), "tromso");
        assert_eq!(fold_word("Læringsplattformer"), "laeringsplattformer");
        assert_eq!(fold_word("Čohkkiras"), "cohkkiras");
        assert_eq!(fold_word("ÅÄÖ"), "aao");
        assert_eq!(fold_word(&"x".repeat(100)).chars().count(), WORD_CHARS);
    }

    #[test]
    fn splits_on_everything_but_letters_and_digits() {
        let words: Vec<&str> = split("IT-stöd, 2026: (digitala) läromedel!").collect();
        assert_eq!(words, ["IT", "stöd", "2026", "digitala", "läromedel"]);
    }

    #[test]
    fn stems_each_language_with_its_own_stemmer() {
        let mut texts = Texts::default();
        texts.add("title", "sv", "Digitaliseringen");
        texts.add("description", "sv", "digitaliseringen i skolan");
        texts.add("description", "de", "Digitalisierung");
        let found = entries(&texts, &mut Vocabulary::default());
        let sv = found.iter().find(|e| e.lang == "sv" && e.word == "digitaliseringen");
        assert_eq!(
            sv.map(|e| e.weight),
            Some(2),
            "a word in a title and a description weighs as a title"
        );
        let query = &query_words("digitalisering", "query").unwrap()[0];
        let sv_stem = query.stems.iter().find(|(_, langs)| langs.contains(&"sv")).unwrap();
        assert_eq!(Some(&sv_stem.0), sv.map(|e| &e.stem));
        let de = found.iter().find(|e| e.lang == "de").unwrap();
        assert_eq!(de.stem, de.word, "no stemmer for German here: the word is its own stem");
    }

    #[test]
    fn refuses_long_queries() {
        assert_eq!(query_words(" - ", "query").unwrap(), []);
        let many = (0..=MAX_QUERY_WORDS)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(query_words(&many, "query").is_err());
        assert_eq!(query_words("Skola skola SKOLA", "query").unwrap().len(), 1);
    }

    #[test]
    fn prefix_ranges_end_after_the_last_character() {
        assert_eq!(after_prefix("digital").as_deref(), Some("digitam"));
        assert_eq!(after_prefix("").as_deref(), None);
    }
}
