//! Parts of compounds in the word index: `search_term.part` is 1 on a row that indexes a part of a
//! compound word with everything after it ("kompetens" of "digitalkompetens"), 0 on a row of a whole word.
//! Search ranks a whole word above a part. The application fills the rows: this migration forgets the
//! version of the rules the index was built by, so the next start rebuilds it with parts (also after a
//! down and up again, which leaves every row a whole word's).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("search_term"))
                    .add_column(ColumnDef::new("part").small_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(Query::delete().from_table(Alias::new("search_index_state")).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("search_term"))
                    .drop_column("part")
                    .to_owned(),
            )
            .await
    }
}
