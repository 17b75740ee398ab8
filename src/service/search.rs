//! Search across initiatives, activities, organisations, consultations and goals, in every language.
//!
//! Each record's texts (titles, names, descriptions, in all languages) are matched against every word of
//! the query, case-insensitively; a record is a hit when each word is somewhere in its texts. Hits are
//! ranked by their best text: the whole text equal to the query (100), starting with it (60), containing
//! it (30) or only containing its words (10), plus 5 when that text is a title or a name. Ties are broken
//! by kind and ID, so the order is stable and pages are cut by keyset.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LikeExpr, Order, Query, SelectStatement, UnionType};
use uuid::Uuid;

use crate::error::Error;
use crate::service::organisation::contains_pattern;
use crate::service::text::{MAX_QUERY_CHARS, fold};

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

    fn text_table(self) -> &'static str {
        match self {
            HitKind::Initiative => "initiative_text",
            HitKind::Activity => "activity_text",
            HitKind::Goal => "goal_text",
            HitKind::Consultation => "consultation_text",
            HitKind::Organisation => "organisation_text",
        }
    }

    /// The record table of a kind whose records can be archived.
    fn archivable_table(self) -> Option<&'static str> {
        match self {
            HitKind::Initiative => Some("initiative"),
            HitKind::Activity => Some("activity"),
            _ => None,
        }
    }

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

/// The query's words, folded as the stored texts are; an empty query is refused.
fn words(query: &str) -> Result<(String, Vec<String>), Error> {
    let folded = fold(query);
    if folded.is_empty() {
        return Err(Error::BadInput("`query` must contain at least one word".into()));
    }
    if folded.chars().count() > MAX_QUERY_CHARS {
        return Err(Error::BadInput(format!(
            "`query` is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    let words = folded.split(' ').map(str::to_owned).collect();
    Ok((folded, words))
}

fn prefix_pattern(text: &str) -> LikeExpr {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("{escaped}%")).escape('\\')
}

/// The hits of one kind: `(id, kind, score)` per matching record.
fn hits_of(kind: HitKind, phrase: &str, words: &[String]) -> SelectStatement {
    let folded = || Expr::col(Alias::new("folded"));
    // 64-bit values, so every database sums and compares them as BIGINT (PostgreSQL would make plain
    // literals INTEGER, which does not decode as i64).
    let rank = Expr::case(folded().eq(phrase), 100i64)
        .case(folded().like(prefix_pattern(phrase)), 60i64)
        .case(folded().like(contains_pattern(phrase)), 30i64)
        .finally(10i64);
    let bonus = Expr::case(Expr::col(Alias::new("field")).is_in(["title", "name"]), 5i64).finally(0i64);
    let mut any_word = sea_orm::Condition::any();
    for word in words {
        any_word = any_word.add(folded().like(contains_pattern(word)));
    }
    let mut select = Query::select()
        .expr_as(Expr::col(Alias::new("owner_id")), Alias::new("id"))
        .expr_as(Expr::val(kind as i64), Alias::new("kind"))
        .expr_as(
            Func::max(Into::<Expr>::into(rank).add(Into::<Expr>::into(bonus))),
            Alias::new("score"),
        )
        .from(Alias::new(kind.text_table()))
        .cond_where(any_word)
        .group_by_col(Alias::new("owner_id"))
        .to_owned();
    if let Some(table) = kind.archivable_table() {
        // Archived records leave search as they leave lists.
        let archived = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("archived_at")).is_not_null())
            .to_owned();
        select.and_where(Expr::col(Alias::new("owner_id")).not_in_subquery(archived));
    }
    for word in words {
        let has_word = Expr::case(folded().like(contains_pattern(word)), 1).finally(0);
        select.and_having(Func::sum(has_word).gt(0));
    }
    select
}

/// Every hit of the query, unordered, as `(id, kind, score)` rows.
pub fn all_hits(query: &str) -> Result<SelectStatement, Error> {
    let (phrase, words) = words(query)?;
    let mut kinds = HitKind::ALL.into_iter();
    let mut union = hits_of(kinds.next().unwrap_or(HitKind::Initiative), &phrase, &words);
    for kind in kinds {
        union.union(UnionType::All, hits_of(kind, &phrase, &words));
    }
    Ok(union)
}

/// One page of hits, best first, after `after` (a hit's cursor).
pub async fn search(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
    after: Option<&str>,
) -> Result<SearchPage, Error> {
    let union = all_hits(query)?;
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
        let code: i64 = row.try_get("", "kind")?;
        let Some(kind) = HitKind::from_code(code) else { continue };
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
