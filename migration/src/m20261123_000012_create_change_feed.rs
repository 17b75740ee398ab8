//! The change feed: one event per committed change to a record, numbered by `position` in commit order,
//! and the one-row `change_head` that hands out positions. A writer raises the head in its own transaction,
//! just before it commits, and holds the head's row lock until then; so positions become visible in the
//! order they were given, and a reader that has seen position n has seen every position below it.

use sea_orm_migration::prelude::*;

use crate::table::{code, drop_all, index, uuid_null, uuid_req};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("change_event"))
                    .col(ColumnDef::new("position").big_integer().not_null().primary_key())
                    .col(ColumnDef::new("at").timestamp_with_time_zone().not_null())
                    .col(code("operation"))
                    .col(code("record_type"))
                    .col(uuid_req("record_id"))
                    .col(ColumnDef::new("version").integer().null())
                    .col(uuid_null("initiative_id"))
                    .col(uuid_null("organisation_id"))
                    .to_owned(),
            )
            .await?;
        for columns in [
            ["record_type", "position"],
            ["initiative_id", "position"],
            ["organisation_id", "position"],
        ] {
            manager.create_index(index("change_event", &columns)).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("change_head"))
                    .col(ColumnDef::new("id").integer().not_null().primary_key())
                    .col(ColumnDef::new("position").big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        let mut written = 0i64;
        for (table, record_type, initiative, organisation) in RECORDS {
            written += backfill(manager, table, record_type, initiative, organisation, written).await?;
        }
        let head = Query::insert()
            .into_table(Alias::new("change_head"))
            .columns([Alias::new("id"), Alias::new("position")])
            .values([1.into(), written.into()])
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .to_owned();
        manager.exec_stmt(head).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, &["change_head", "change_event"]).await
    }
}

/// The tables whose rows are records in the feed: table, GraphQL type, and the SQL of the initiative and
/// the organisation each record belongs to (for the feed's filters). Parents come before children.
const RECORDS: [(&str, &str, &str, &str); 11] = [
    ("organisation", "Organisation", "NULL", "id"),
    ("strategy", "Strategy", "NULL", "NULL"),
    ("focus_area", "FocusArea", "NULL", "NULL"),
    ("goal", "Goal", "NULL", "NULL"),
    ("action_plan", "ActionPlan", "NULL", "NULL"),
    ("theme", "Theme", "NULL", "NULL"),
    ("initiative", "Initiative", "id", "NULL"),
    ("activity", "Activity", "initiative_id", "NULL"),
    (
        "responsibility",
        "Responsibility",
        "COALESCE(initiative_id, (SELECT a.initiative_id FROM activity a WHERE a.id = activity_id))",
        "organisation_id",
    ),
    (
        "participation",
        "Participation",
        "(SELECT a.initiative_id FROM activity a WHERE a.id = activity_id)",
        "organisation_id",
    ),
    ("consultation", "Consultation", "NULL", "organiser_id"),
];

/// Gives each record that is already in `table` a CREATE event, numbered after `before` earlier events, so
/// a registry made before the feed existed can still be mirrored from the feed alone. The number written.
async fn backfill(
    manager: &SchemaManager<'_>,
    table: &str,
    record_type: &str,
    initiative: &str,
    organisation: &str,
    before: i64,
) -> Result<i64, DbErr> {
    let db = manager.get_connection();
    let sql = format!(
        "INSERT INTO change_event \
         (position, at, operation, record_type, record_id, version, initiative_id, organisation_id) \
         SELECT {before} + ROW_NUMBER() OVER (ORDER BY id), created_at, 'CREATE', '{record_type}', id, version, \
         {initiative}, {organisation} FROM {table}"
    );
    Ok(db.execute_unprepared(&sql).await?.rows_affected() as i64)
}
