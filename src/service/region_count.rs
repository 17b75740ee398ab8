//! Participation counted ahead, so statistics and participation maps cost the same however many
//! participations the registry holds. Three tables, kept current by every write of a participation in the
//! write's own transaction (and rebuilt by bulk loads):
//!
//! - `initiative_participant`: per initiative and organisation, in how many of the initiative's activities
//!   the organisation takes part (so leaving one of two activities keeps it counted);
//! - `initiative_region`: per initiative and county, how many of the county's school authorities take part
//!   in any of its activities;
//! - `activity_region`: the same per activity.
//!
//! Counts change by increments (`n = n + 1`), which the database applies to the latest committed row under
//! its row lock, so concurrent writes never lose one another's change. A cell that falls to 0 is removed,
//! so every row counts something and readers count rows.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr};
use uuid::Uuid;

use crate::entity::enums::{OrganisationKind, ParticipationStatus};

/// The kinds of organisation that run schools: the authorities counted per region.
pub const SCHOOL_AUTHORITIES: [OrganisationKind; 2] = [
    OrganisationKind::Municipality,
    OrganisationKind::IndependentSchoolOrganiser,
];

/// Whether a participation of this status counts as taking part.
pub fn takes_part(status: ParticipationStatus) -> bool {
    status != ParticipationStatus::Withdrawn
}

/// The county an organisation is counted in: its parent, when it is a school authority with one.
pub fn county_of(kind: OrganisationKind, parent: Option<Uuid>) -> Option<Uuid> {
    parent.filter(|_| SCHOOL_AUTHORITIES.contains(&kind))
}

/// One counted cell: its table, its two key columns with their values, and its count column.
struct Cell {
    table: &'static str,
    keys: [(&'static str, Uuid); 2],
    count: &'static str,
}

impl Cell {
    fn initiative_participant(initiative: Uuid, organisation: Uuid) -> Cell {
        Cell {
            table: "initiative_participant",
            keys: [("initiative_id", initiative), ("organisation_id", organisation)],
            count: "activities",
        }
    }

    fn initiative_region(initiative: Uuid, county: Uuid) -> Cell {
        Cell {
            table: "initiative_region",
            keys: [("initiative_id", initiative), ("county_id", county)],
            count: "participating",
        }
    }

    fn activity_region(activity: Uuid, county: Uuid) -> Cell {
        Cell {
            table: "activity_region",
            keys: [("activity_id", activity), ("county_id", county)],
            count: "participating",
        }
    }

    /// Adds `delta` to the cell (made when missing, removed when it falls to 0); its count afterwards.
    async fn add(&self, db: &impl ConnectionTrait, delta: i64) -> Result<i64, DbErr> {
        let [(left, left_id), (right, right_id)] = self.keys;
        // One statement that adds under the row's lock, or makes the row: concurrent writes of one cell
        // queue on that lock and each adds to the count the one before left.
        let upsert = Query::insert()
            .into_table(Alias::new(self.table))
            .columns([Alias::new(left), Alias::new(right), Alias::new(self.count)])
            .values_panic([left_id.into(), right_id.into(), delta.into()])
            .on_conflict(
                OnConflict::columns([Alias::new(left), Alias::new(right)])
                    .value(
                        Alias::new(self.count),
                        Expr::col((Alias::new(self.table), Alias::new(self.count))).add(delta),
                    )
                    .to_owned(),
            )
            .to_owned();
        db.execute(&upsert).await?;
        let key = || {
            sea_orm::Condition::all()
                .add(Expr::col(Alias::new(left)).eq(left_id))
                .add(Expr::col(Alias::new(right)).eq(right_id))
        };
        let read = Query::select()
            .column(Alias::new(self.count))
            .from(Alias::new(self.table))
            .cond_where(key())
            .to_owned();
        let row = db.query_one(&read).await?;
        let count = row.map(|r| r.try_get::<i64>("", self.count)).transpose()?.unwrap_or(0);
        if count == 0 {
            // Only cells that count something are kept, so readers count rows and read no other column.
            let empty = Query::delete()
                .from_table(Alias::new(self.table))
                .cond_where(key())
                .and_where(Expr::col(Alias::new(self.count)).eq(0))
                .to_owned();
            db.execute(&empty).await?;
        }
        Ok(count)
    }
}

/// What a participation write changed, for the counts.
#[derive(Clone, Copy, Debug)]
pub struct ParticipationWrite {
    /// The activity.
    pub activity: Uuid,
    /// The activity's initiative.
    pub initiative: Uuid,
    /// The organisation taking part (or not).
    pub organisation: Uuid,
    /// The county it is counted in, if any ([`county_of`]).
    pub county: Option<Uuid>,
    /// Whether it took part before the write (false for a new participation).
    pub before: bool,
    /// Whether it takes part after.
    pub after: bool,
}

/// Brings the counts up to date with one participation write, in the write's transaction. The caller holds
/// a lock on the organisation's row, so its county cannot change meanwhile.
pub async fn participation_written(db: &impl ConnectionTrait, write: ParticipationWrite) -> Result<(), DbErr> {
    if write.before == write.after {
        return Ok(());
    }
    let delta = if write.after { 1 } else { -1 };
    let activities = Cell::initiative_participant(write.initiative, write.organisation)
        .add(db, delta)
        .await?;
    let Some(county) = write.county else {
        return Ok(());
    };
    Cell::activity_region(write.activity, county).add(db, delta).await?;
    // The organisation joins the initiative with its first activity and leaves it with its last.
    let crossed = if write.after { activities == 1 } else { activities == 0 };
    if crossed {
        Cell::initiative_region(write.initiative, county).add(db, delta).await?;
    }
    Ok(())
}

/// Moves an organisation's counts from the county it was counted in to the one it is counted in now (its
/// parent or kind changed), in the transaction that changes it, which holds the organisation's row lock.
pub async fn organisation_moved(
    db: &impl ConnectionTrait,
    organisation: Uuid,
    before: Option<Uuid>,
    after: Option<Uuid>,
) -> Result<(), DbErr> {
    if before == after {
        return Ok(());
    }
    // Columns named with their tables throughout: MariaDB finds `activity_id` ambiguous otherwise.
    let of = |table: &str, column: &str| Expr::col((Alias::new(table), Alias::new(column)));
    let activities = Query::select()
        .expr(of("participation", "activity_id"))
        .from(Alias::new("participation"))
        .and_where(of("participation", "organisation_id").eq(organisation))
        .and_where(of("participation", "status").ne(ParticipationStatus::Withdrawn.to_value()))
        .to_owned();
    let initiatives = Query::select()
        .expr(of("initiative_participant", "initiative_id"))
        .from(Alias::new("initiative_participant"))
        .and_where(of("initiative_participant", "organisation_id").eq(organisation))
        .and_where(of("initiative_participant", "activities").gt(0))
        .to_owned();
    for (table, owner, owners) in [
        ("activity_region", "activity_id", activities),
        ("initiative_region", "initiative_id", initiatives),
    ] {
        for (county, delta) in [(before, -1i64), (after, 1)] {
            let Some(county) = county else { continue };
            if delta > 0 {
                let mut made = owners.clone();
                made.expr(Expr::val(county)).expr(Expr::val(0i64));
                let insert = Query::insert()
                    .into_table(Alias::new(table))
                    .columns([owner, "county_id", "participating"].map(Alias::new))
                    .select_from(made)
                    .map_err(|e| DbErr::Custom(e.to_string()))?
                    .on_conflict(
                        // `county_id`, which the selected tables lack: MariaDB would find the owner's
                        // column ambiguous in its ON DUPLICATE KEY UPDATE.
                        OnConflict::columns([Alias::new(owner), Alias::new("county_id")])
                            .do_nothing_on([Alias::new("county_id")])
                            .to_owned(),
                    )
                    .to_owned();
                db.execute(&insert).await?;
            }
            let update = Query::update()
                .table(Alias::new(table))
                .value(
                    Alias::new("participating"),
                    Expr::col(Alias::new("participating")).add(delta),
                )
                .and_where(of(table, "county_id").eq(county))
                .and_where(of(table, owner).in_subquery(owners.clone()))
                .to_owned();
            db.execute(&update).await?;
        }
        let empty = Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new("participating")).eq(0))
            .and_where(of(table, owner).in_subquery(owners.clone()))
            .to_owned();
        db.execute(&empty).await?;
    }
    Ok(())
}

/// Counts everything again from the participations (after a bulk load), in the load's transaction.
pub async fn rebuild(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for table in ["activity_region", "initiative_region", "initiative_participant"] {
        db.execute(&Query::delete().from_table(Alias::new(table)).to_owned())
            .await?;
    }
    let withdrawn = ParticipationStatus::Withdrawn.to_value();
    let authorities: Vec<String> = SCHOOL_AUTHORITIES.iter().map(ActiveEnum::to_value).collect();
    let authorities = authorities
        .iter()
        .map(|kind| format!("'{kind}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let statements = [
        format!(
            "INSERT INTO initiative_participant (initiative_id, organisation_id, activities) \
             SELECT a.initiative_id, p.organisation_id, COUNT(*) FROM participation p \
             JOIN activity a ON a.id = p.activity_id WHERE p.status <> '{withdrawn}' \
             GROUP BY a.initiative_id, p.organisation_id"
        ),
        format!(
            "INSERT INTO initiative_region (initiative_id, county_id, participating) \
             SELECT ip.initiative_id, o.parent_id, COUNT(*) FROM initiative_participant ip \
             JOIN organisation o ON o.id = ip.organisation_id \
             WHERE ip.activities > 0 AND o.parent_id IS NOT NULL AND o.kind IN ({authorities}) \
             GROUP BY ip.initiative_id, o.parent_id"
        ),
        format!(
            "INSERT INTO activity_region (activity_id, county_id, participating) \
             SELECT p.activity_id, o.parent_id, COUNT(*) FROM participation p \
             JOIN organisation o ON o.id = p.organisation_id \
             WHERE p.status <> '{withdrawn}' AND o.parent_id IS NOT NULL AND o.kind IN ({authorities}) \
             GROUP BY p.activity_id, o.parent_id"
        ),
    ];
    for statement in statements {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}
