//! The activities of the demo initiatives, with the organisations responsible for them and the school
//! authorities taking part. Authorities from the reference data are named by code, as
//! `"NO_KOMMUNENUMMER:4601"`.

use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use super::demo::{Checker, ResponsibilityRow, Text};
use super::plan::{Plan, Stamp};
use super::seed_id;
use crate::entity::enums::{DecisionState, ParticipationStatus, Role, Status};
use crate::entity::{activity, participation, responsibility};

/// An activity in `demo.json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct ActivityRow {
    key: String,
    status: String,
    planned_start: Option<NaiveDate>,
    planned_end: Option<NaiveDate>,
    title: Text,
    description: Option<Text>,
    #[serde(default)]
    responsibilities: Vec<ResponsibilityRow>,
    #[serde(default)]
    participants: Vec<ParticipantRow>,
}

/// An organisation taking part in an activity.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ParticipantRow {
    organisation: String,
    status: String,
}

/// Checks the activities of one initiative and adds them to `plan`.
pub(super) fn add(
    check: &Checker<'_>,
    plan: &mut Plan,
    place: &str,
    initiative_id: Uuid,
    rows: &[ActivityRow],
) -> Result<(), super::SeedError> {
    for (i, row) in rows.iter().enumerate() {
        let place = format!("{place}.activities[{i}]");
        if let (Some(start), Some(end)) = (row.planned_start, row.planned_end)
            && end < start
        {
            return Err(check.error(&place, format!("plannedEnd {end} is before plannedStart {start}")));
        }
        let activity_id = seed_id(&["demo", "activity", &initiative_id.to_string(), &row.key]);
        let stamp = Stamp::now();
        let texts = check.texts(
            &place,
            &[("title", Some(&row.title)), ("description", row.description.as_ref())],
        )?;
        plan.activities.push((
            activity::Model {
                id: activity_id,
                initiative_id,
                position: Some(i as i32 + 1),
                status: check.code::<Status>(&place, &row.status)?,
                planned_start: row.planned_start,
                planned_end: row.planned_end,
                actual_start: None,
                actual_end: None,
                created_at: stamp.created_at,
                updated_at: stamp.updated_at,
                version: stamp.version,
                archived_at: None,
            },
            texts,
        ));
        for (k, r) in row.responsibilities.iter().enumerate() {
            let place = format!("{place}.responsibilities[{k}]");
            plan.responsibilities.push(responsibility::Model {
                id: seed_id(&[
                    "demo",
                    "responsibility",
                    &activity_id.to_string(),
                    &r.organisation,
                    &r.role,
                ]),
                organisation_id: check.organisation(&place, &r.organisation)?,
                initiative_id: None,
                activity_id: Some(activity_id),
                role: check.code::<Role>(&place, &r.role)?,
                decision: check.code::<DecisionState>(&place, &r.decision)?,
                decided_on: None,
                created_at: stamp.created_at,
                updated_at: stamp.updated_at,
                version: stamp.version,
            });
        }
        for (k, p) in row.participants.iter().enumerate() {
            let place = format!("{place}.participants[{k}]");
            plan.participations.push(participation::Model {
                id: seed_id(&["demo", "participation", &activity_id.to_string(), &p.organisation]),
                activity_id,
                organisation_id: check.organisation(&place, &p.organisation)?,
                status: check.code::<ParticipationStatus>(&place, &p.status)?,
                started_on: None,
                ended_on: None,
                created_at: stamp.created_at,
                updated_at: stamp.updated_at,
                version: stamp.version,
            });
        }
    }
    Ok(())
}
