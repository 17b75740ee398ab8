//! Multilingual text. Every human-readable field (names, titles, descriptions, labels, questions) is stored
//! in `<table>_text` as one row per record, field and BCP 47 language tag, the same way on every database.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

/// The record types that carry text, each with its own `<table>_text` table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TextOwner {
    /// `organisation_text`
    Organisation,
    /// `strategy_text`
    Strategy,
    /// `focus_area_text`
    FocusArea,
    /// `goal_text`
    Goal,
    /// `action_plan_text`
    ActionPlan,
    /// `theme_text`
    Theme,
    /// `initiative_text`
    Initiative,
    /// `activity_text`
    Activity,
    /// `status_update_text`
    StatusUpdate,
    /// `consultation_text`
    Consultation,
    /// `consultation_question_text`
    ConsultationQuestion,
    /// `consultation_event_text`
    ConsultationEvent,
    /// `event_target_group_text`
    EventTargetGroup,
    /// `submission_text`
    Submission,
    /// `source_text`
    Source,
    /// `contact_text`
    Contact,
}

impl TextOwner {
    /// Every owner of text.
    pub const ALL: [TextOwner; 16] = [
        TextOwner::Organisation,
        TextOwner::Strategy,
        TextOwner::FocusArea,
        TextOwner::Goal,
        TextOwner::ActionPlan,
        TextOwner::Theme,
        TextOwner::Initiative,
        TextOwner::Activity,
        TextOwner::StatusUpdate,
        TextOwner::Consultation,
        TextOwner::ConsultationQuestion,
        TextOwner::ConsultationEvent,
        TextOwner::EventTargetGroup,
        TextOwner::Submission,
        TextOwner::Source,
        TextOwner::Contact,
    ];

    /// The table the owner's records live in; their texts are in `<table>_text`.
    pub fn table(self) -> &'static str {
        match self {
            TextOwner::Organisation => "organisation",
            TextOwner::Strategy => "strategy",
            TextOwner::FocusArea => "focus_area",
            TextOwner::Goal => "goal",
            TextOwner::ActionPlan => "action_plan",
            TextOwner::Theme => "theme",
            TextOwner::Initiative => "initiative",
            TextOwner::Activity => "activity",
            TextOwner::StatusUpdate => "status_update",
            TextOwner::Consultation => "consultation",
            TextOwner::ConsultationQuestion => "consultation_question",
            TextOwner::ConsultationEvent => "consultation_event",
            TextOwner::EventTargetGroup => "event_target_group",
            TextOwner::Submission => "submission",
            TextOwner::Source => "source",
            TextOwner::Contact => "contact",
        }
    }

    /// The table of the owner's texts.
    pub fn text_table(self) -> Alias {
        Alias::new(format!("{}_text", self.table()))
    }
}

/// The most characters a search or a filter's `query` may have: longer words find nothing a person types,
/// and a long pattern costs the database more than any answer is worth.
pub const MAX_QUERY_CHARS: usize = 200;

/// A filter's `query`, refused when it is longer than [`MAX_QUERY_CHARS`] or has more words than search
/// takes; a blank one filters nothing.
pub fn filter_words(query: Option<String>) -> Result<Option<String>, crate::error::Error> {
    match query {
        Some(words) if words.trim().is_empty() => Ok(None),
        Some(words) => {
            crate::service::search_index::query_words(&words, "filter.query")?;
            Ok(Some(words))
        }
        None => Ok(None),
    }
}

/// `SELECT record_id` of the records of `owner` whose texts, in any language, match every word of `words`
/// by the search index's rules; `None` for blank words, which filter nothing.
pub fn owners_with_words(owner: TextOwner, words: &str) -> Option<sea_orm::sea_query::SelectStatement> {
    if words.trim().is_empty() {
        return None;
    }
    // A query without a single word (only punctuation) matches nothing.
    let words = crate::service::search_index::query_words(words, "filter.query").unwrap_or_default();
    Some(crate::service::search_index::records_matching(owner, &words))
}

/// One text in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Localized {
    /// BCP 47 language tag, such as "sv" or "nb".
    pub lang: String,
    /// The text.
    pub text: String,
}

/// All texts of one record: field name to its translations, sorted by language tag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts(HashMap<String, Vec<Localized>>);

impl Texts {
    /// The translations of `field`, sorted by language tag; empty when the record has none.
    pub fn field(&self, field: &str) -> &[Localized] {
        self.0.get(field).map(Vec::as_slice).unwrap_or_default()
    }

    /// Adds a translation (used when building records before they are written).
    pub fn add(&mut self, field: &str, lang: &str, text: &str) {
        let list = self.0.entry(field.to_owned()).or_default();
        list.retain(|existing| existing.lang != lang);
        list.push(Localized {
            lang: lang.to_owned(),
            text: text.to_owned(),
        });
        list.sort_by(|a, b| a.lang.cmp(&b.lang));
    }

    /// Every field with its translations, in no particular order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &[Localized])> {
        self.0.iter().map(|(field, list)| (field.as_str(), list.as_slice()))
    }

    /// Whether the record has no text at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The form of a text that search compares with: lower case, whitespace collapsed. Computed here rather than
/// in SQL so that every database folds the same way (SQLite's `lower` only knows ASCII).
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Loads the texts of the given records of one type, in one statement.
pub async fn load(db: &impl ConnectionTrait, owner: TextOwner, ids: &[Uuid]) -> Result<HashMap<Uuid, Texts>, DbErr> {
    let mut by_id: HashMap<Uuid, Texts> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_id);
    }
    let query = Query::select()
        .columns(["owner_id", "field", "lang", "text"].map(Alias::new))
        .from(owner.text_table())
        .and_where(Expr::col(Alias::new("owner_id")).is_in(ids.iter().copied()))
        .to_owned();
    for row in db.query_all(&query).await? {
        let id: Uuid = row.try_get("", "owner_id")?;
        let field: String = row.try_get("", "field")?;
        let lang: String = row.try_get("", "lang")?;
        let text: String = row.try_get("", "text")?;
        by_id.entry(id).or_default().add(&field, &lang, &text);
    }
    Ok(by_id)
}

/// Writes the texts of records of one type that have no texts yet (records just inserted, or whose texts
/// and index rows were removed), and indexes them for search; the number of text rows written.
pub async fn insert(db: &impl ConnectionTrait, owner: TextOwner, records: &[(Uuid, &Texts)]) -> Result<usize, DbErr> {
    let written = insert_unindexed(db, owner, records).await?;
    crate::service::search_index::add(db, owner, records).await?;
    Ok(written)
}

/// Writes texts as [`insert`] does, without indexing them: for a writer that indexes the records once all
/// their texts are in (an import, whose texts of one record may come in several batches).
pub async fn insert_unindexed(
    db: &impl ConnectionTrait,
    owner: TextOwner,
    records: &[(Uuid, &Texts)],
) -> Result<usize, DbErr> {
    let rows: Vec<(Uuid, &str, &Localized)> = records
        .iter()
        .flat_map(|(id, texts)| {
            texts
                .0
                .iter()
                .flat_map(move |(field, list)| list.iter().map(move |text| (*id, field.as_str(), text)))
        })
        .collect();
    // Five parameters a row.
    let chunks = rows.chunks(crate::db::ROWS_PER_STATEMENT);
    for chunk in chunks {
        let mut insert = Query::insert();
        insert
            .into_table(owner.text_table())
            .columns(["owner_id", "field", "lang", "text", "folded"].map(Alias::new));
        for (id, field, text) in chunk {
            insert
                .values([
                    (*id).into(),
                    (*field).into(),
                    text.lang.as_str().into(),
                    text.text.as_str().into(),
                    fold(&text.text).into(),
                ])
                .map_err(|error| DbErr::Custom(error.to_string()))?;
        }
        db.execute(&insert).await?;
    }
    Ok(rows.len())
}

/// Replaces the translations of `field` of record `id` with `texts` (none: the field is cleared).
pub async fn replace(
    db: &impl ConnectionTrait,
    owner: TextOwner,
    id: Uuid,
    field: &str,
    texts: &[Localized],
) -> Result<(), DbErr> {
    let delete = Query::delete()
        .from_table(owner.text_table())
        .and_where(Expr::col(Alias::new("owner_id")).eq(id))
        .and_where(Expr::col(Alias::new("field")).eq(field))
        .to_owned();
    db.execute(&delete).await?;
    let mut given = Texts::default();
    for text in texts {
        given.add(field, &text.lang, &text.text);
    }
    insert_unindexed(db, owner, &[(id, &given)]).await?;
    crate::service::search_index::refresh(db, owner, id).await
}

/// The translations as JSON, `[{"lang": ..., "text": ...}]`, for the audit log.
pub fn to_json(texts: &[Localized]) -> serde_json::Value {
    texts
        .iter()
        .map(|t| serde_json::json!({ "lang": t.lang, "text": t.text }))
        .collect()
}
