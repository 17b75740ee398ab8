//! Participation counted ahead: per initiative and organisation, in how many of the initiative's activities
//! the organisation takes part; per initiative and county, and per activity and county, how many school
//! authorities of the county take part. Statistics and the participation maps read these instead of
//! counting every participation on every request; every write of a participation keeps them current in its
//! own transaction. This migration fills them from the participations already there.
//!
//! "Taking part" is any status but WITHDRAWN; school authorities are municipalities and independent school
//! organisers, counted in the county that is their parent.

use sea_orm_migration::prelude::*;

use crate::table::{drop_all, index, uuid_req};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A key column and the table it refers to. The tables hold derived counts, rebuilt by every bulk load, so
/// they carry no foreign keys: checking one per row made rebuilding the counts of a national registry
/// take seconds on PostgreSQL (6 s for 434,000 rows with them).
type Key = (&'static str, &'static str);

/// The three tables, each with its two key columns and its count.
const TABLES: [(&str, Key, Key, &str); 3] = [
    (
        "initiative_participant",
        ("initiative_id", "initiative"),
        ("organisation_id", "organisation"),
        "activities",
    ),
    (
        "initiative_region",
        ("initiative_id", "initiative"),
        ("county_id", "organisation"),
        "participating",
    ),
    (
        "activity_region",
        ("activity_id", "activity"),
        ("county_id", "organisation"),
        "participating",
    ),
];

/// The counts of the participations there are, in the order of [`TABLES`].
const FILL: [&str; 3] = [
    "INSERT INTO initiative_participant (initiative_id, organisation_id, activities) \
     SELECT a.initiative_id, p.organisation_id, COUNT(*) FROM participation p \
     JOIN activity a ON a.id = p.activity_id WHERE p.status <> 'WITHDRAWN' \
     GROUP BY a.initiative_id, p.organisation_id",
    "INSERT INTO initiative_region (initiative_id, county_id, participating) \
     SELECT ip.initiative_id, o.parent_id, COUNT(*) FROM initiative_participant ip \
     JOIN organisation o ON o.id = ip.organisation_id \
     WHERE ip.activities > 0 AND o.parent_id IS NOT NULL \
     AND o.kind IN ('MUNICIPALITY', 'INDEPENDENT_SCHOOL_ORGANISER') \
     GROUP BY ip.initiative_id, o.parent_id",
    "INSERT INTO activity_region (activity_id, county_id, participating) \
     SELECT p.activity_id, o.parent_id, COUNT(*) FROM participation p \
     JOIN organisation o ON o.id = p.organisation_id \
     WHERE p.status <> 'WITHDRAWN' AND o.parent_id IS NOT NULL \
     AND o.kind IN ('MUNICIPALITY', 'INDEPENDENT_SCHOOL_ORGANISER') \
     GROUP BY p.activity_id, o.parent_id",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, (left, _), (right, _), count) in TABLES {
            manager
                .create_table(
                    Table::create()
                        .table(Alias::new(name))
                        .col(uuid_req(left))
                        .col(uuid_req(right))
                        .col(ColumnDef::new(Alias::new(count)).big_integer().not_null().default(0))
                        .primary_key(Index::create().col(Alias::new(left)).col(Alias::new(right)))
                        .to_owned(),
                )
                .await?;
            manager.create_index(index(name, &[right]).to_owned()).await?;
        }
        let db = manager.get_connection();
        for fill in FILL {
            db.execute_unprepared(fill).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(
            manager,
            &["activity_region", "initiative_region", "initiative_participant"],
        )
        .await
    }
}
