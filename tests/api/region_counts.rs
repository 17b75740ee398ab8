//! The participation counts kept ahead (`initiative_participant`, `initiative_region`, `activity_region`)
//! against a recount from the base tables, after random writes of every kind that moves them: joins,
//! leaves, status changes, organisations moving county or changing kind, archiving, initiative status
//! changes, and an import. The same seed gives the same writes on every database. The statistics counted
//! ahead per country (`facet_count`) are compared after each step with the same statistics counted from
//! the base tables, under writes that also change themes, goals, school levels, countries and roles.

use std::collections::BTreeMap;

use indicatif::ProgressBar;
use kartla::config::InitialSeed;
use kartla::entity::enums::{AccessRole, OrganisationKind, ParticipationStatus, Role, SchoolLevel, Status};
use kartla::entity::{activity, goal, initiative, organisation, participation, theme};
use kartla::service::activity_edit::{self, ParticipationChange};
use kartla::service::initiative::InitiativeFilter;
use kartla::service::initiative_edit::InitiativeFields;
use kartla::service::organisation_edit::{self, OrganisationFields};
use kartla::service::permission::Actor;
use kartla::service::registry_file::{self, Personal};
use kartla::service::responsibility_proposal::{self, Proposal};
use kartla::service::statistics::{self, Facets};
use kartla::service::{facet_count, initiative_edit, initiative_status};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Statement};
use uuid::Uuid;

use crate::helpers::{TestApp, TestDb};
use crate::on_every_backend;

on_every_backend!(
    counts_kept_ahead_equal_a_recount,
    a_registry_from_before_the_statistics_counts_them_at_start
);

/// Every non-zero cell of a count table, as (owner, other key) to count.
type Cells = BTreeMap<(String, String), i64>;

async fn cells(db: &DatabaseConnection, sql: &str) -> Cells {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .expect("the cells");
    rows.iter()
        .map(|row| {
            let a: Uuid = row.try_get_by_index(0).expect("a key");
            let b: Uuid = row.try_get_by_index(1).expect("a key");
            let n: i64 = row.try_get_by_index(2).expect("a count");
            ((a.to_string(), b.to_string()), n)
        })
        .filter(|(_, n)| *n != 0)
        .collect()
}

/// The recount, written independently of the service's own rebuild.
const RECOUNT: [(&str, &str, &str); 3] = [
    (
        "initiative_participant",
        "SELECT initiative_id, organisation_id, activities FROM initiative_participant",
        "SELECT a.initiative_id, p.organisation_id, COUNT(*) FROM participation p \
         JOIN activity a ON a.id = p.activity_id WHERE p.status IN ('INTERESTED', 'PARTICIPATING', 'COMPLETED') \
         GROUP BY a.initiative_id, p.organisation_id",
    ),
    (
        "initiative_region",
        "SELECT initiative_id, county_id, participating FROM initiative_region",
        "SELECT a.initiative_id, o.parent_id, COUNT(DISTINCT o.id) FROM participation p \
         JOIN activity a ON a.id = p.activity_id JOIN organisation o ON o.id = p.organisation_id \
         WHERE p.status IN ('INTERESTED', 'PARTICIPATING', 'COMPLETED') AND o.parent_id IS NOT NULL \
         AND o.kind IN ('MUNICIPALITY', 'INDEPENDENT_SCHOOL_ORGANISER') GROUP BY a.initiative_id, o.parent_id",
    ),
    (
        "activity_region",
        "SELECT activity_id, county_id, participating FROM activity_region",
        "SELECT p.activity_id, o.parent_id, COUNT(*) FROM participation p \
         JOIN organisation o ON o.id = p.organisation_id \
         WHERE p.status IN ('INTERESTED', 'PARTICIPATING', 'COMPLETED') AND o.parent_id IS NOT NULL \
         AND o.kind IN ('MUNICIPALITY', 'INDEPENDENT_SCHOOL_ORGANISER') GROUP BY p.activity_id, o.parent_id",
    ),
];

async fn assert_counts_equal_recount(db: &DatabaseConnection, after: &str) {
    for (table, kept, recount) in RECOUNT {
        let kept = cells(db, kept).await;
        let recounted = cells(db, recount).await;
        assert!(
            !recounted.is_empty() || table != "initiative_participant",
            "{after}: nothing to count"
        );
        assert_eq!(kept, recounted, "{table} after {after}");
    }
    let every = Facets {
        status: true,
        country: true,
        theme: true,
        focus_area: true,
        school_level: true,
        responsible_kind: true,
        region: true,
    };
    for (countries, include_archived) in [
        (vec![], false),
        (vec!["SE"], false),
        (vec!["NO"], false),
        (vec!["SE"], true),
    ] {
        let filter = InitiativeFilter {
            countries: countries.into_iter().map(String::from).collect(),
            include_archived,
            ..InitiativeFilter::default()
        };
        assert!(facet_count::answers(&filter));
        let kept = facet_count::statistics(db, &filter, every)
            .await
            .expect("the kept counts");
        let counted = statistics::statistics(db, &filter, every).await.expect("a count");
        assert!(
            counted.total > 0 || !filter.countries.is_empty(),
            "{after}: nothing to count"
        );
        assert_eq!(
            format!("{kept:?}"),
            format!("{counted:?}"),
            "statistics for {filter:?} after {after}"
        );
    }
}

fn admin() -> Actor {
    Actor {
        token_name: "region counts test".into(),
        role: AccessRole::Admin,
        organisation: None,
        issued_by: None,
    }
}

/// `n` of `all`, at random.
fn pick<T: Clone>(all: &[T], rng: &mut ChaCha8Rng, n: usize) -> Vec<T> {
    all.choose_multiple(rng, n).cloned().collect()
}

async fn counts_kept_ahead_equal_a_recount(test_db: TestDb) {
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let db = &app.db;
    let actor = admin();
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    assert_counts_equal_recount(db, "the demo seed").await;

    let activities: Vec<activity::Model> = activity::Entity::find().all(db).await.expect("activities");
    assert!(activities.len() >= 3, "the demo has activities");
    let activities: Vec<activity::Model> = activities.into_iter().take(6).collect();
    let counties: Vec<Uuid> = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::County))
        .filter(organisation::Column::Country.eq("SE"))
        .all(db)
        .await
        .expect("counties")
        .into_iter()
        .map(|c| c.id)
        .take(4)
        .collect();
    let municipalities: Vec<Uuid> = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::Municipality))
        .filter(organisation::Column::ParentId.is_in(counties.clone()))
        .all(db)
        .await
        .expect("municipalities")
        .into_iter()
        .map(|m| m.id)
        .take(8)
        .collect();
    let agency = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::GovernmentAgency))
        .one(db)
        .await
        .expect("an agency")
        .expect("the demo has agencies")
        .id;
    let theme_codes: Vec<String> = theme::Entity::find()
        .all(db)
        .await
        .expect("themes")
        .into_iter()
        .map(|t| t.code)
        .collect();
    let goals: Vec<Uuid> = goal::Entity::find()
        .all(db)
        .await
        .expect("goals")
        .into_iter()
        .map(|g| g.id)
        .collect();
    let mut takers = municipalities.clone();
    takers.push(agency);
    let statuses = [
        ParticipationStatus::Interested,
        ParticipationStatus::Participating,
        ParticipationStatus::Completed,
        ParticipationStatus::Withdrawn,
    ];

    for round in 0..6 {
        // Joins, leaves and status changes.
        for _ in 0..25 {
            let activity = activities.choose(&mut rng).expect("an activity").id;
            let organisation = *takers.choose(&mut rng).expect("an organisation");
            let existing = participation::Entity::find()
                .filter(participation::Column::ActivityId.eq(activity))
                .filter(participation::Column::OrganisationId.eq(organisation))
                .one(db)
                .await
                .expect("a read");
            let status = *statuses.choose(&mut rng).expect("a status");
            let change = ParticipationChange {
                activity,
                organisation: Some(organisation),
                status,
                expected_version: existing.as_ref().map(|p| p.version),
                started_on: None,
                ended_on: None,
            };
            let outcome = activity_edit::set_participation(db, &actor, change)
                .await
                .expect("no error");
            // Withdrawing what does not exist is refused; everything else is written.
            assert!(
                outcome.is_ok() || (existing.is_none() && status == ParticipationStatus::Withdrawn),
                "round {round}: {outcome:?}"
            );
        }
        assert_counts_equal_recount(db, &format!("round {round}'s participations")).await;

        // A municipality moves to another county, or stops being a school authority and becomes one again.
        let moving = *municipalities.choose(&mut rng).expect("a municipality");
        let before = organisation::Entity::find_by_id(moving)
            .one(db)
            .await
            .expect("a read")
            .expect("the municipality");
        let mut fields = OrganisationFields::default();
        if rng.random_bool(0.5) {
            fields.parent = Some(Some(*counties.choose(&mut rng).expect("a county")));
        } else if before.kind == OrganisationKind::Municipality {
            fields.kind = Some(OrganisationKind::Other);
        }
        let moved = organisation_edit::update(db, &actor, moving, before.version, fields.clone())
            .await
            .expect("no error");
        assert!(moved.is_ok(), "round {round}: {moved:?}");
        assert_counts_equal_recount(db, &format!("round {round}'s move")).await;
        if fields.kind.is_some() {
            let now = organisation::Entity::find_by_id(moving)
                .one(db)
                .await
                .expect("a read")
                .expect("the municipality");
            let back = OrganisationFields {
                kind: Some(OrganisationKind::Municipality),
                ..OrganisationFields::default()
            };
            let back = organisation_edit::update(db, &actor, moving, now.version, back)
                .await
                .expect("no error");
            assert!(back.is_ok(), "round {round}: {back:?}");
            assert_counts_equal_recount(db, &format!("round {round}'s kind back")).await;
        }

        // An initiative's themes, goals, school levels and country change, and a role is proposed.
        let changed = activities.choose(&mut rng).expect("an activity").initiative_id;
        let current = initiative::Entity::find_by_id(changed)
            .one(db)
            .await
            .expect("a read")
            .expect("the initiative");
        let fields = InitiativeFields {
            themes: Some(pick(&theme_codes, &mut rng, 2)),
            goals: Some(pick(&goals, &mut rng, 3)),
            school_levels: Some(pick(
                &[SchoolLevel::Preschool, SchoolLevel::Compulsory, SchoolLevel::Adult],
                &mut rng,
                2,
            )),
            country: (round == 2).then(|| if current.country == "SE" { "NO" } else { "SE" }.to_owned()),
            ..InitiativeFields::default()
        };
        let outcome = initiative_edit::update(db, &actor, changed, current.version, fields)
            .await
            .expect("no error");
        assert!(outcome.is_ok(), "round {round}: {outcome:?}");
        let proposal = Proposal {
            initiative: Some(changed),
            activity: None,
            organisation: *municipalities.choose(&mut rng).expect("a municipality"),
            role: *[Role::Lead, Role::Responsible, Role::Partner]
                .choose(&mut rng)
                .expect("a role"),
        };
        // A role the organisation holds already is refused; the counts stay right either way.
        let _ = responsibility_proposal::propose(db, &actor, proposal)
            .await
            .expect("no error");
        assert_counts_equal_recount(db, &format!("round {round}'s initiative and role")).await;

        // Archiving an activity and an initiative's status change leave the counts as they are.
        let archived = activities.choose(&mut rng).expect("an activity").id;
        let target = activity::Entity::find_by_id(archived)
            .one(db)
            .await
            .expect("a read")
            .expect("the activity");
        let archive = target.archived_at.is_none();
        let outcome = activity_edit::set_archived(db, &actor, archived, target.version, archive)
            .await
            .expect("no error");
        assert!(outcome.is_ok(), "round {round}: {outcome:?}");
        let initiative = activities.choose(&mut rng).expect("an activity").initiative_id;
        let current = initiative::Entity::find_by_id(initiative)
            .one(db)
            .await
            .expect("a read")
            .expect("the initiative");
        let to = [Status::Suspended, Status::Ongoing, Status::Cancelled]
            .into_iter()
            .find(|to| initiative_status::allowed(current.status, *to) && *to != current.status);
        if let Some(status) = to {
            let change = initiative_status::StatusChange {
                initiative,
                expected_version: current.version,
                status,
                reported_on: None,
                actor: None,
                texts: Default::default(),
            };
            let outcome = initiative_status::set_status(db, &actor, &change)
                .await
                .expect("no error");
            assert!(outcome.is_ok(), "round {round}: status change refused");
        }
        if round == 3 {
            let archived = initiative_edit::set_archived(db, &actor, initiative, current.version + 1, true).await;
            assert!(archived.is_ok(), "round {round}: {archived:?}");
        }
        assert_counts_equal_recount(db, &format!("round {round}'s archiving and status")).await;
    }

    // An import that withdraws half the participations and moves one municipality.
    let mut file = registry_file::export(db, Personal::Included).await.expect("an export");
    let rows = file["records"]["participation"].as_array_mut().expect("participations");
    for row in rows.iter_mut().step_by(2) {
        row["status"] = "WITHDRAWN".into();
    }
    let moved = municipalities[0].to_string();
    for row in file["records"]["organisation"].as_array_mut().expect("organisations") {
        if row["id"] == moved.as_str() {
            row["parentId"] = counties[counties.len() - 1].to_string().into();
        }
    }
    registry_file::import(db, &file, &ProgressBar::hidden())
        .await
        .expect("the import");
    assert_counts_equal_recount(db, "the import").await;
}

/// A database migrated before the statistics were counted ahead has their tables empty after migration 16;
/// the next start counts them, once.
async fn a_registry_from_before_the_statistics_counts_them_at_start(test_db: TestDb) {
    use migration::{Migrator, MigratorTrait};
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let db = &app.db;
    // Down past migration 16, and every one after it.
    let migrations = Migrator::migrations();
    let sixteenth = migrations
        .iter()
        .position(|m| m.name().contains("_000016_"))
        .expect("migration 16");
    let steps = u32::try_from(migrations.len() - sixteenth).expect("a few steps");
    Migrator::down(db, Some(steps)).await.expect("down past migration 16");
    Migrator::up(db, None).await.expect("migration 16 again");
    let se = InitiativeFilter {
        countries: vec!["SE".into()],
        ..InitiativeFilter::default()
    };
    let every = Facets {
        status: true,
        country: true,
        theme: true,
        focus_area: true,
        school_level: true,
        responsible_kind: true,
        region: true,
    };
    let empty = facet_count::statistics(db, &se, every).await.expect("the kept counts");
    assert_eq!(empty.total, 0, "nothing counted yet");
    kartla::startup::migrate(db).await.expect("a start's migration");
    let kept = facet_count::statistics(db, &se, every).await.expect("the kept counts");
    let counted = statistics::statistics(db, &se, every).await.expect("a count");
    assert!(counted.total > 0);
    assert_eq!(format!("{kept:?}"), format!("{counted:?}"));
    assert!(
        !facet_count::bring_up_to_date(db).await.expect("a second look"),
        "counted once, not at every start"
    );
}
