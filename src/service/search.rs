//! Search across initiatives, activities, organisations, consultations and goals, in every language.
//!
//! Hits come from the word index ([`crate::service::search_index`], which says how words match): a record is
//! a hit when each query word matches one of the words of its texts, in any language. Each word scores its
//! best row: 200 in a title or name, 100 elsewhere; 20 for a whole word (the same word, or the same stem),
//! 10 for a prefix; 1 more in the request's language. A record's score is the sum over the query's words.
//! Ties are broken by kind and ID, so the order is stable and pages are cut by keyset.

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
/// whole word (same word or same stem) above a prefix (20 or 10), then the request's language (1).
fn row_score(word: &QueryWord, lang: Option<&str>) -> Expr {
    // 64-bit values, so every database computes, compares and returns them as BIGINT.
    let weight = col("weight").mul(100i64);
    let whole = Expr::case(word.whole(), 20i64).finally(10i64);
    let in_lang = match lang {
        Some(lang) => Expr::case(col("lang").eq(lang), 1i64).finally(0i64).into(),
        None => Expr::val(0i64),
    };
    weight.add(Into::<Expr>::into(whole)).add(in_lang)
}

/// Per matching record, the best score of one word's rows: `(kind, record_id, best)`.
fn best_of(word: &QueryWord, lang: Option<&str>) -> SelectStatement {
    Query::select()
        .columns([Alias::new("kind"), Alias::new("record_id")])
        .expr_as(Func::max(row_score(word, lang)), Alias::new("best"))
        .from(Alias::new("search_term"))
        .cond_where(word.matches())
        .add_group_by([col("kind"), col("record_id")])
        .to_owned()
}

/// Every hit of the query, unordered, as `(id, kind, score)` rows: records every word matches, scored by the
/// sum of each word's best, archived initiatives and activities left out. `lang` is the request's language.
pub fn all_hits(query: &str, lang: Option<&str>, backend: DbBackend) -> Result<SelectStatement, Error> {
    let words = query_words(query, "query")?;
    if words.is_empty() {
        return Err(Error::BadInput("`query` must contain at least one word".into()));
    }
    let hits = if let [word] = words.as_slice() {
        Query::select()
            .column(Alias::new("kind"))
            .expr_as(col("record_id"), Alias::new("id"))
            .expr_as(Func::max(row_score(word, lang)), Alias::new("score"))
            .from(Alias::new("search_term"))
            .cond_where(word.matches())
            .add_group_by([col("kind"), col("record_id")])
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
    let mut archived = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new("initiative"))
        .and_where(col("archived_at").is_not_null())
        .to_owned();
    archived.union(
        UnionType::All,
        Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("activity"))
            .and_where(col("archived_at").is_not_null())
            .to_owned(),
    );
    // Archived records leave search as they leave lists.
    Ok(Query::select()
        .columns([Alias::new("id"), Alias::new("kind"), Alias::new("score")])
        .from_subquery(hits, Alias::new("found"))
        .and_where(col("id").not_in_subquery(archived))
        .to_owned())
}

/// One page of hits, best first, after `after` (a hit's cursor).
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    lang: Option<&str>,
    limit: u64,
    after: Option<&str>,
) -> Result<SearchPage, Error> {
    let union = all_hits(query, lang, db.get_database_backend())?;
    let mut select = Query::select()
        .columns([Alias::new("id"), Alias::new("kind"), Alias::new("score")])
        .from_subquery(union, Alias::new("hits"))
        .order_by(Alias::new("score"), Order::Desc)
        .order_by(Alias::new("kind"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(limit + 1)
        .to_owned();
    if let Some(cursor) = after {
        let hit = Hit::from_cursor(cursor)?;
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
