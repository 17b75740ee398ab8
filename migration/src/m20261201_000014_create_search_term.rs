//! The word index search reads: one row per record, language and word of its texts (titles, names,
//! descriptions) for the five kinds search finds. `word` is the word folded (lower case, diacritics off),
//! `stem` the folded stem by the text language's stemmer (the word itself where there is none), `weight` 2
//! when the word is in a title or name, 1 when only elsewhere. The application fills it, in the same
//! transaction as every text it writes; `search_index_state` holds the version of the rules that filled it,
//! so a start with newer rules rebuilds it (the rows of this migration's databases are built that way).
//!
//! Both word columns compare byte by byte on every database (PostgreSQL's "C", MariaDB's binary
//! collation), so prefix ranges and equality mean the same on all three.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::table::{drop_all, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The longest word kept, in characters; longer words are cut.
const WORD_LEN: u32 = 64;

fn word_column(name: &str, backend: DbBackend) -> ColumnDef {
    let mut column = ColumnDef::new(Alias::new(name));
    match backend {
        DbBackend::Postgres => {
            column.string_len(WORD_LEN).extra("COLLATE \"C\"");
        }
        DbBackend::MySql => {
            // The character set and collation belong to the type, before NOT NULL.
            column.custom(Alias::new(format!(
                "VARCHAR({WORD_LEN}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            )));
        }
        _ => {
            column.string_len(WORD_LEN);
        }
    }
    column.not_null();
    column
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut table = Table::create();
        table
            .table(Alias::new("search_term"))
            .col(word_column("word", backend))
            .col(ColumnDef::new("lang").string_len(35).not_null())
            .col(ColumnDef::new("weight").small_integer().not_null())
            .col(ColumnDef::new("kind").small_integer().not_null())
            .col(ColumnDef::new("record_id").uuid().not_null())
            .col(word_column("stem", backend))
            // Kartla writes each (record, language, word) once. The key orders rows by word, then by what
            // ranks them, then by what breaks ties: a prefix is one range, and the best matches of a word
            // come out in page order. SQLite and MariaDB keep the rows in this order (WITHOUT ROWID, and
            // InnoDB's clustered key), so the range reads no other page.
            .primary_key(
                Index::create()
                    .col("word")
                    .col("lang")
                    .col("weight")
                    .col("kind")
                    .col("record_id"),
            );
        if backend == DbBackend::Sqlite {
            table.extra("WITHOUT ROWID");
        }
        manager.create_table(table).await?;
        manager
            // `word` last, so PostgreSQL finds stem matches outside a prefix's range from the index alone
            // (SQLite and MariaDB append the key to every index anyway): 58 to 23 ms for "digital".
            .create_index(index("search_term", &["stem", "lang", "weight", "kind", "record_id", "word"]).to_owned())
            .await?;
        manager
            .create_index(index("search_term", &["record_id"]).to_owned())
            .await?;
        // Search leaves archived records out; the few archived ones are found by this index.
        for archivable in ["initiative", "activity"] {
            manager
                .create_index(index(archivable, &["archived_at"]).to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("search_index_state"))
                    .col(ColumnDef::new("id").small_integer().not_null().primary_key())
                    .col(ColumnDef::new("version").integer().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for archivable in ["initiative", "activity"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{archivable}_archived_at"))
                        .table(Alias::new(archivable))
                        .to_owned(),
                )
                .await?;
        }
        drop_all(manager, &["search_index_state", "search_term"]).await
    }
}
