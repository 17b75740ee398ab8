//! Search across initiatives, activities, organisations, consultations and goals, in every language.
//!
//! Hits come from the word index ([`crate::service::search_index`], which says how words match): a record is
//! a hit when each query word matches one of the words of its texts, in any language. Each word scores its
//! best row: 200 in a title or name, 100 elsewhere; 20 for a whole word (the same word, or the same stem),
//! 10 for a prefix, 5 for a part of a compound (either way); 1 more in the request's language. A record's
//! score is the sum over the query's words. Ties are broken by kind and ID, so the order is stable and pages are cut by keyset.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DbBackend};
use uuid::Uuid;

use crate::error::Error;
use crate::service::search_index::{QueryWord, query_words};

/// The kinds of record search finds, in the order ties are broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HitKind {
    /// An initiative.
    Initiative = 1,
    /// An activity.
    Activity = 2,
    /// A goal of a strategy.
    Goal = 3,
    /// A consultation.
    Consultation = 4,
    /// An organisation.
    Organisation = 5,
}

impl HitKind {
    const ALL: [HitKind; 5] = [
        HitKind::Initiative,
        HitKind::Activity,
        HitKind::Goal,
        HitKind::Consultation,
        HitKind::Organisation,
    ];

    fn from_code(code: i64) -> Option<HitKind> {
        HitKind::ALL.into_iter().find(|k| *k as i64 == code)
    }
}

/// One record found, with its rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// What kind of record it is.
    pub kind: HitKind,
    /// The record's UUID.
    pub id: Uuid,
    /// How well it matches; higher is better.
    pub score: i64,
}

impl Hit {
    /// The hit's cursor.
    pub fn cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("search:{}:{}:{}", self.score, self.kind as i64, self.id))
    }

    fn from_cursor(cursor: &str) -> Result<Hit, Error> {
        let bad = || Error::BadCursor(format!("{cursor:?} is not a cursor of this search; use an `endCursor`"));
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let mut parts = text.strip_prefix("search:").ok_or_else(bad)?.splitn(3, ':');
        let score = parts.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let kind = parts
            .next()
            .and_then(|s| s.parse().ok())
            .and_then(HitKind::from_code)
            .ok_or_else(bad)?;
        let id = parts.next().and_then(|s| Uuid::parse_str(s).ok()).ok_or_else(bad)?;
        Ok(Hit { kind, id, score })
    }
}

/// A page of hits.
#[derive(Clone, Debug)]
pub struct SearchPage {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Whether more hits follow.
    pub has_next: bool,
}

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// What one index row scores for one query word: a title or name above a description (200 or 100), then a
/// whole word (same word or same stem) above a prefix (20 or 10) above a part of a compound (5), then the
/// request's language (1).
fn row_score(word: &QueryWord, lang: Option<&str>) -> Expr {
    // 64-bit values, so every database computes, compares and returns them as BIGINT.
    let weight = col("weight").mul(100i64);
    let whole = Expr::case(col("part").eq(1), 5i64)
        .case(word.whole(), 20i64)
        .finally(10i64);
    let in_lang = match lang {
        Some(lang) => Expr::case(col("lang").eq(lang), 1i64).finally(0i64).into(),
        None => Expr::val(0i64),
    };
    weight.add(Into::<Expr>::into(whole)).add(in_lang)
}

/// The rows one word matches, each index read on its own (a prefix is one range of the key, a stem one of
/// its index), joined by `union`.
fn rows_of(word: &QueryWord, columns: &[&str], union: UnionType) -> SelectStatement {
    let select = |condition: sea_orm::Condition| {
        Query::select()
            .columns(columns.iter().map(|c| Alias::new(*c)))
            .from(Alias::new("search_term"))
            .cond_where(condition)
            .to_owned()
    };
    let mut rows = select(word.prefix());
    for stem in word.stem_reads() {
        rows.union(union, select(stem));
    }
    rows
}

/// Per matching record, the best score of one word's rows: `(kind, record_id, best)`.
fn best_of(word: &QueryWord, lang: Option<&str>) -> SelectStatement {
    Query::select()
        .columns([Alias::new("kind"), Alias::new("record_id")])
        .expr_as(Func::max(row_score(word, lang)), Alias::new("best"))
        .from_subquery(
            // UNION ALL: a row read twice scores the same.
            rows_of(
                word,
                &["kind", "record_id", "lang", "weight", "word", "stem", "part"],
                UnionType::All,
            ),
            Alias::new("matched"),
        )
        .add_group_by([col("kind"), col("record_id")])
        .to_owned()
}

/// `SELECT id FROM initiative ... UNION ALL SELECT id FROM activity ...`: the archived records, which leave
/// search as they leave lists.
fn archived() -> SelectStatement {
    let of = |table: &str| {
        Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(col("archived_at").is_not_null())
            .to_owned()
    };
    let mut archived = of("initiative");
    archived.union(UnionType::All, of("activity"));
    archived
}

fn words_of(query: &str) -> Result<Vec<QueryWord>, Error> {
    let words = query_words(query, "query")?;
    if words.is_empty() {
        return Err(Error::BadInput("`query` must contain at least one word".into()));
    }
    Ok(words)
}

/// How many records `totalCount` counts at most: a word as common as "digital" matches more than that in
/// a national registry, and counting them all grows with the registry.
pub const COUNT_BOUND: u64 = 10_000;

/// The records the query finds, one row each (`record_id`), for `totalCount`: no score is computed.
///
/// `SELECT DISTINCT` over a `UNION ALL` of the reads, so that a count with a `LIMIT` stops at its bound:
/// SQLite would fill a `UNION`'s temporary table with every match before the first row came out.
pub fn matching(query: &str) -> Result<SelectStatement, Error> {
    let words = words_of(query)?;
    // The stem reads skip the rows the prefix read has (most of them: a word that starts with the query
    // word shares its stem).
    let ids = |word: &QueryWord, union: UnionType| {
        let read = |condition: sea_orm::Condition| {
            Query::select()
                .column(Alias::new("record_id"))
                .from(Alias::new("search_term"))
                .cond_where(condition)
                .to_owned()
        };
        let mut ids = read(word.prefix());
        for stem in word.stem_reads() {
            ids.union(
                union,
                read(sea_orm::Condition::all().add(stem).add(word.prefix().not())),
            );
        }
        ids
    };
    let mut found = Query::select()
        .distinct()
        .column(Alias::new("record_id"))
        .from_subquery(ids(&words[0], UnionType::All), Alias::new("first_word"))
        .and_where(col("record_id").not_in_subquery(archived()))
        .to_owned();
    for word in &words[1..] {
        found.and_where(col("record_id").in_subquery(ids(word, UnionType::Distinct)));
    }
    Ok(found)
}

/// Every hit of the query, unordered, as `(id, kind, score)` rows: records every word matches, scored by the
/// sum of each word's best, archived initiatives and activities left out. `lang` is the request's language.
fn all_hits(words: &[QueryWord], lang: Option<&str>, backend: DbBackend) -> SelectStatement {
    let hits = if let [word] = words {
        Query::select()
            .column(Alias::new("kind"))
            .expr_as(col("record_id"), Alias::new("id"))
            .expr_as(col("best"), Alias::new("score"))
            .from_subquery(best_of(word, lang), Alias::new("best_rows"))
            .to_owned()
    } else {
        let mut union = best_of(&words[0], lang);
        for word in &words[1..] {
            union.union(UnionType::All, best_of(word, lang));
        }
        // SUM gives NUMERIC on PostgreSQL and DECIMAL on MariaDB: cast back to a 64-bit integer.
        let integer = match backend {
            DbBackend::MySql => "SIGNED",
            DbBackend::Postgres => "BIGINT",
            _ => "INTEGER",
        };
        Query::select()
            .column(Alias::new("kind"))
            .expr_as(col("record_id"), Alias::new("id"))
            .expr_as(
                Func::cast_as(Func::sum(col("best")), Alias::new(integer)),
                Alias::new("score"),
            )
            .from_subquery(union, Alias::new("words"))
            .add_group_by([col("kind"), col("record_id")])
            .and_having(Expr::cust("COUNT(*)").eq(words.len() as i64))
            .to_owned()
    };
    Query::select()
        .columns([Alias::new("id"), Alias::new("kind"), Alias::new("score")])
        .from_subquery(hits, Alias::new("found"))
        .and_where(col("id").not_in_subquery(archived()))
        .to_owned()
}

/// The best score a one-word query can give: a whole word in a title or name in the request's language.
const TOP_SCORE: i64 = 221;

/// The first page of a one-word query, read straight from the index when the records with the best score
/// fill it: those whose title or name has the word (or its stem) in the request's language, in (kind, ID)
/// order, which is the order of both indexes. `None` when they do not fill the page; the full ranking
/// then decides.
async fn top_page(
    db: &impl ConnectionTrait,
    word: &QueryWord,
    lang: &str,
    limit: u64,
    after: Option<&Hit>,
) -> Result<Option<SearchPage>, Error> {
    if after.is_some_and(|hit| hit.score != TOP_SCORE) {
        return Ok(None);
    }
    let mut reads = vec![("word", word.word.clone())];
    if let Some(stem) = word.stem_in(lang) {
        reads.push(("stem", stem.to_owned()));
    }
    let mut found: Vec<(i16, Uuid)> = Vec::new();
    for (column, value) in reads {
        let mut select = Query::select()
            .columns([Alias::new("kind"), Alias::new("record_id")])
            .from(Alias::new("search_term"))
            .and_where(col(column).eq(value))
            .and_where(col("lang").eq(lang))
            .and_where(col("weight").eq(2))
            .and_where(col("part").eq(0))
            .and_where(col("record_id").not_in_subquery(archived()))
            .order_by(Alias::new("kind"), Order::Asc)
            .order_by(Alias::new("record_id"), Order::Asc)
            .limit(limit + 1)
            .to_owned();
        if let Some(hit) = after {
            let kind = hit.kind as i16;
            select.cond_where(
                sea_orm::Condition::any()
                    .add(col("kind").gt(kind))
                    .add(col("kind").eq(kind).and(col("record_id").gt(hit.id))),
            );
        }
        for row in db.query_all(&select).await? {
            found.push((row.try_get("", "kind")?, row.try_get("", "record_id")?));
        }
    }
    found.sort();
    found.dedup();
    if (found.len() as u64) <= limit {
        return Ok(None);
    }
    let hits = found
        .into_iter()
        .take(limit as usize)
        .filter_map(|(code, id)| {
            HitKind::from_code(i64::from(code)).map(|kind| Hit {
                kind,
                id,
                score: TOP_SCORE,
            })
        })
        .collect();
    Ok(Some(SearchPage { hits, has_next: true }))
}

/// One page of hits, best first, after `after` (a hit's cursor).
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    lang: Option<&str>,
    limit: u64,
    after: Option<&str>,
) -> Result<SearchPage, Error> {
    let words = words_of(query)?;
    let after = after.map(Hit::from_cursor).transpose()?;
    if let ([word], Some(lang)) = (words.as_slice(), lang)
        && let Some(page) = top_page(db, word, lang, limit, after.as_ref()).await?
    {
        return Ok(page);
    }
    let union = all_hits(&words, lang, db.get_database_backend());
    let mut select = Query::select()
        .columns([Alias::new("id"), Alias::new("kind"), Alias::new("score")])
        .from_subquery(union, Alias::new("hits"))
        .order_by(Alias::new("score"), Order::Desc)
        .order_by(Alias::new("kind"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(limit + 1)
        .to_owned();
    if let Some(hit) = after {
        let (score, kind) = (Expr::col(Alias::new("score")), Expr::col(Alias::new("kind")));
        select.cond_where(
            sea_orm::Condition::any()
                .add(score.clone().lt(hit.score))
                .add(score.clone().eq(hit.score).and(kind.clone().gt(hit.kind as i64)))
                .add(
                    score
                        .eq(hit.score)
                        .and(kind.eq(hit.kind as i64))
                        .and(Expr::col(Alias::new("id")).gt(hit.id)),
                ),
        );
    }
    let mut hits = Vec::new();
    for row in db.query_all(&select).await? {
        let code: i16 = row.try_get("", "kind")?;
        let Some(kind) = HitKind::from_code(i64::from(code)) else {
            continue;
        };
        hits.push(Hit {
            kind,
            id: row.try_get("", "id")?,
            score: row.try_get("", "score")?,
        });
    }
    let has_next = hits.len() as u64 > limit;
    hits.truncate(limit as usize);
    Ok(SearchPage { hits, has_next })
}
