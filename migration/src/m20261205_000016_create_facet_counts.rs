//! Statistics for whole countries counted ahead. `initiative_facet` holds, per initiative, each value it
//! counts under in each facet of `statistics` (its status, its country, each theme, each focus area of its
//! goals, each school level, each kind of organisation that leads it or is responsible, each county whose
//! school authorities take part), with the initiative's country and whether it is archived; `facet_count`
//! holds the number of initiatives per country, archived or not, facet and value. A value is a code
//! (`code`, with `ref_id` the nil UUID) or a record (`ref_id`, with `code` empty).
//!
//! The application keeps both current in the transaction of every write that can move a count, and fills
//! them when `facet_count_state` says they were never built (the rows of this migration's databases are
//! built that way, as the search index is).

use sea_orm_migration::prelude::*;

use crate::table::{code, country, drop_all, uuid_req};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns that name a counted value: the facet, and its code or record.
fn value_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(code("facet"))
        .col(ColumnDef::new(Alias::new("code")).string_len(64).not_null())
        .col(uuid_req("ref_id"))
        .col(country())
        .col(ColumnDef::new(Alias::new("archived")).boolean().not_null())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut per_initiative = Table::create();
        per_initiative
            .table(Alias::new("initiative_facet"))
            .col(uuid_req("initiative_id"));
        value_columns(&mut per_initiative).primary_key(
            Index::create()
                .col(Alias::new("initiative_id"))
                .col(Alias::new("facet"))
                .col(Alias::new("code"))
                .col(Alias::new("ref_id")),
        );
        manager.create_table(per_initiative).await?;

        let mut counts = Table::create();
        counts.table(Alias::new("facet_count"));
        value_columns(&mut counts)
            .col(
                ColumnDef::new(Alias::new("initiatives"))
                    .big_integer()
                    .not_null()
                    .default(0),
            )
            .primary_key(
                Index::create()
                    .col(Alias::new("country"))
                    .col(Alias::new("archived"))
                    .col(Alias::new("facet"))
                    .col(Alias::new("code"))
                    .col(Alias::new("ref_id")),
            );
        manager.create_table(counts).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("facet_count_state"))
                    .col(
                        ColumnDef::new(Alias::new("id"))
                            .small_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Alias::new("version")).integer().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["facet_count_state", "facet_count", "initiative_facet"]).await
    }
}
