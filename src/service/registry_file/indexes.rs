//! Secondary indexes set aside while an import fills an empty registry, and built again before it commits.
//! An index built over a full table is one sort; kept during the load, every row inserted with a random
//! UUID key lands on a random page of each index (the scale-1 import into SQLite: 40 s with its 36
//! secondary indexes kept, 20 s without them plus 4.4 s to build them after). Primary keys and unique
//! indexes stay, so the import's upserts and its checks work as before; the drop and the builds are in the
//! import's transaction, so a failed import leaves every index as it was. On PostgreSQL the dropped indexes
//! lock their tables until the commit; only an empty registry, with nothing to read, gets this. MariaDB
//! keeps its indexes: each of its foreign keys needs one at every moment.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// The tables an import fills with most rows, whose secondary indexes wait for the end of the load.
pub const LOADED_TABLES: [&str; 17] = [
    "initiative",
    "initiative_text",
    "initiative_goal",
    "initiative_theme",
    "initiative_school_level",
    "activity",
    "activity_text",
    "responsibility",
    "participation",
    "status_update",
    "status_update_text",
    "search_term",
    "change_event",
    "initiative_participant",
    "initiative_region",
    "activity_region",
    "initiative_facet",
];

/// The secondary indexes of `tables` (neither a primary key nor unique, nor backing a constraint): their
/// names and the statements that create them, ordered by name. None on MariaDB.
pub async fn secondary_indexes(db: &impl ConnectionTrait, tables: &[&str]) -> Result<Vec<(String, String)>, DbErr> {
    let backend = db.get_database_backend();
    let marks = || {
        (1..=tables.len())
            .map(|k| match backend {
                DbBackend::Postgres => format!("${k}"),
                _ => "?".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = match backend {
        DbBackend::Sqlite => format!(
            "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({}) ORDER BY name",
            marks()
        ),
        DbBackend::Postgres => format!(
            "SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i \
             WHERE i.schemaname = current_schema() AND i.tablename IN ({}) \
             AND i.indexdef NOT LIKE 'CREATE UNIQUE%' \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
               WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) \
             ORDER BY i.indexname",
            marks()
        ),
        _ => return Ok(Vec::new()),
    };
    let values: Vec<Value> = tables.iter().map(|t| (*t).into()).collect();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "name")?, row.try_get("", "definition")?)))
        .collect()
}

/// Indexes dropped for a load, to build again.
pub struct SetAside(Vec<(String, String)>);

/// Drops the secondary indexes of [`LOADED_TABLES`].
pub async fn set_aside(db: &impl ConnectionTrait) -> Result<SetAside, DbErr> {
    let indexes = secondary_indexes(db, &LOADED_TABLES).await?;
    for (name, _) in &indexes {
        db.execute_unprepared(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
            .await?;
    }
    Ok(SetAside(indexes))
}

impl SetAside {
    /// Builds the indexes again, as they were.
    pub async fn build(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        for (_, definition) in &self.0 {
            db.execute_unprepared(definition).await?;
        }
        Ok(())
    }
}
