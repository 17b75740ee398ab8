//! Sources (documents backing records, linked to the records they back) and named contact persons for
//! initiatives, activities and consultations.

use sea_orm_migration::prelude::*;

use crate::table::{
    create_indexes, create_text_table, drop_all, finish_record, fk, index, record, uuid_null, uuid_req,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The records a source can back, and a contact can be named for, as (column, table).
const SOURCE_TARGETS: [(&str, &str); 6] = [
    ("organisation_id", "organisation"),
    ("strategy_id", "strategy"),
    ("action_plan_id", "action_plan"),
    ("initiative_id", "initiative"),
    ("activity_id", "activity"),
    ("consultation_id", "consultation"),
];
const CONTACT_TARGETS: [(&str, &str); 3] = [
    ("initiative_id", "initiative"),
    ("activity_id", "activity"),
    ("consultation_id", "consultation"),
];

/// Adds one nullable, cascading reference per target and a check that exactly one of them is set.
fn exactly_one_target(table: &mut TableCreateStatement, name: &str, targets: &[(&str, &str)]) {
    let mut terms = Vec::new();
    for (column, target) in targets {
        table
            .col(uuid_null(column))
            .foreign_key(&mut fk(name, column, target, ForeignKeyAction::Cascade));
        terms.push(format!("(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)"));
    }
    table.check(Expr::cust(format!("{} = 1", terms.join(" + "))));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut source = record("source");
        source
            .col(crate::table::code("kind"))
            .col(ColumnDef::new("url").string_len(500).null())
            .col(ColumnDef::new("published_on").date().null());
        manager.create_table(finish_record(&mut source)).await?;
        create_text_table(manager, "source").await?;

        let mut link = record("source_link");
        link.col(uuid_req("source_id")).foreign_key(&mut fk(
            "source_link",
            "source_id",
            "source",
            ForeignKeyAction::Cascade,
        ));
        exactly_one_target(&mut link, "source_link", &SOURCE_TARGETS);
        manager.create_table(link.to_owned()).await?;

        let mut contact = record("contact");
        contact
            .col(ColumnDef::new("name").string_len(200).not_null())
            .col(ColumnDef::new("email").string_len(320).null())
            .col(ColumnDef::new("phone").string_len(40).null());
        exactly_one_target(&mut contact, "contact", &CONTACT_TARGETS);
        manager.create_table(finish_record(&mut contact)).await?;
        create_text_table(manager, "contact").await?;

        let mut indexes = vec![index("source_link", &["source_id"])];
        indexes.extend(SOURCE_TARGETS.iter().map(|(column, _)| index("source_link", &[column])));
        indexes.extend(CONTACT_TARGETS.iter().map(|(column, _)| index("contact", &[column])));
        create_indexes(manager, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(
            manager,
            &["contact_text", "contact", "source_link", "source_text", "source"],
        )
        .await
    }
}
