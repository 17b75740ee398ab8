//! Building blocks shared by the migrations: the columns every record table has, the per-table text tables
//! that hold multilingual text, foreign keys and indexes with predictable names.

use sea_orm_migration::prelude::*;

/// Length of the columns that hold a code from a closed list (enums, identifier schemes).
pub const CODE_LEN: u32 = 32;

/// Starts a record table: a UUID primary key `id` and, from [`finish_record`], the bookkeeping columns.
pub fn record(name: &str) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(Alias::new(name))
        .col(ColumnDef::new("id").uuid().not_null().primary_key());
    table
}

/// Adds `created_at`, `updated_at` and the optimistic-locking `version` to an editable record table.
pub fn finish_record(table: &mut TableCreateStatement) -> TableCreateStatement {
    table
        .col(ColumnDef::new("created_at").timestamp_with_time_zone().not_null())
        .col(ColumnDef::new("updated_at").timestamp_with_time_zone().not_null())
        .col(ColumnDef::new("version").integer().not_null().default(1))
        .to_owned()
}

/// A nullable UUID column referring to another record.
pub fn uuid_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).uuid().null().to_owned()
}

/// A required UUID column referring to another record.
pub fn uuid_req(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).uuid().not_null().to_owned()
}

/// A required code column (an enum value stored as its GraphQL name).
pub fn code(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .string_len(CODE_LEN)
        .not_null()
        .to_owned()
}

/// An ISO 3166-1 alpha-2 country code.
pub fn country() -> ColumnDef {
    ColumnDef::new("country").string_len(2).not_null().to_owned()
}

/// A foreign key from `table.column` to `target.id`.
pub fn fk(table: &str, column: &str, target: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(Alias::new(table), Alias::new(column))
        .to(Alias::new(target), "id")
        .on_delete(on_delete)
        .to_owned()
}

/// The name of [`index`]'s index: `idx_<table>_<columns>`.
fn index_name(table: &str, columns: &[&str]) -> String {
    format!("idx_{table}_{}", columns.join("_"))
}

/// An index named `idx_<table>_<columns>`.
pub fn index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(index_name(table, columns)).table(Alias::new(table));
    for column in columns {
        index.col(Alias::new(*column));
    }
    index
}

/// Drops the index that [`index`] names for `table` and `columns`.
pub fn drop_index(table: &str, columns: &[&str]) -> IndexDropStatement {
    Index::drop()
        .name(index_name(table, columns))
        .table(Alias::new(table))
        .to_owned()
}

/// A unique index named `uq_<table>_<columns>`.
pub fn unique(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = self::index(table, columns);
    index.name(format!("uq_{table}_{}", columns.join("_"))).unique();
    index
}

/// A table linking two records, with a composite primary key and an index on the second column.
pub async fn create_link(
    manager: &SchemaManager<'_>,
    name: &str,
    (left, left_target): (&str, &str),
    (right, right_target): (&str, &str),
    right_on_delete: ForeignKeyAction,
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Alias::new(name))
                .col(uuid_req(left))
                .col(uuid_req(right))
                .primary_key(Index::create().col(Alias::new(left)).col(Alias::new(right)))
                .foreign_key(&mut fk(name, left, left_target, ForeignKeyAction::Cascade))
                .foreign_key(&mut fk(name, right, right_target, right_on_delete))
                .to_owned(),
        )
        .await?;
    manager.create_index(index(name, &[right]).to_owned()).await
}

/// Creates `<owner>_text`, which holds the multilingual text fields of `<owner>` rows: one row per record,
/// field and BCP 47 language tag. `folded` is the text case- and accent-folded by the application, so
/// that search behaves the same on every database.
pub async fn create_text_table(manager: &SchemaManager<'_>, owner: &str) -> Result<(), DbErr> {
    let name = format!("{owner}_text");
    manager
        .create_table(
            Table::create()
                .table(Alias::new(&name))
                .col(uuid_req("owner_id"))
                .col(code("field"))
                .col(ColumnDef::new("lang").string_len(35).not_null())
                .col(ColumnDef::new("text").text().not_null())
                .col(ColumnDef::new("folded").text().not_null())
                .primary_key(Index::create().col("owner_id").col("field").col("lang"))
                .foreign_key(&mut fk(&name, "owner_id", owner, ForeignKeyAction::Cascade))
                .to_owned(),
        )
        .await?;
    manager.create_index(index(&name, &["lang"]).to_owned()).await
}

/// Drops tables in the given order (children first).
pub async fn drop_all(manager: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(Alias::new(*table)).to_owned())
            .await?;
    }
    Ok(())
}

/// Creates each index in turn.
pub async fn create_indexes(
    manager: &SchemaManager<'_>,
    indexes: impl IntoIterator<Item = IndexCreateStatement>,
) -> Result<(), DbErr> {
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}
