//! The coverage map of a strategy: which goals are served by what, and where the gaps are.

use async_graphql::{Object, SimpleObject};

use super::focus_area::FocusArea;
use super::goal::Goal;
use super::initiative::Initiative;
use super::strategy::Strategy;
use crate::entity::enums::Status;
use crate::service::coverage;

/// How many records have one status.
#[derive(SimpleObject)]
pub struct StatusCount {
    /// The status.
    pub status: Status,
    /// How many records have it.
    pub count: i32,
}

fn status_counts(counts: &coverage::StatusCounts) -> Vec<StatusCount> {
    counts
        .iter()
        .map(|(status, n)| StatusCount {
            status: *status,
            count: i32::try_from(*n).unwrap_or(i32::MAX),
        })
        .collect()
}

/// A strategy's focus areas and goals with the initiatives serving each goal.
pub struct StrategyCoverage(pub coverage::StrategyCoverage);

/// A strategy's focus areas and goals with the initiatives serving each goal.
#[Object]
impl StrategyCoverage {
    /// The strategy.
    async fn strategy(&self) -> Strategy {
        Strategy(self.0.strategy.clone())
    }

    /// Each focus area, in order, with its goals' coverage.
    async fn focus_areas(&self) -> Vec<FocusAreaCoverage<'_>> {
        self.0.focus_areas.iter().map(FocusAreaCoverage).collect()
    }
}

/// One focus area's goals with the initiatives serving each.
pub struct FocusAreaCoverage<'a>(&'a coverage::FocusAreaCoverage);

/// One focus area's goals with the initiatives serving each.
#[Object]
impl FocusAreaCoverage<'_> {
    /// The focus area.
    async fn focus_area(&self) -> FocusArea {
        FocusArea(self.0.focus_area.clone())
    }

    /// Each goal, in order, with its coverage.
    async fn goals(&self) -> Vec<GoalCoverage<'_>> {
        self.0.goals.iter().map(GoalCoverage).collect()
    }
}

/// One goal with the initiatives serving it, counts by status, and whether it is a gap.
pub struct GoalCoverage<'a>(&'a coverage::GoalCoverage);

/// One goal with the initiatives serving it, counts by status, and whether it is a gap.
#[Object]
impl GoalCoverage<'_> {
    /// The goal.
    async fn goal(&self) -> Goal {
        Goal(self.0.goal.clone())
    }

    /// True when no initiative serving the goal is DECIDED or ONGOING: nothing is under way for it.
    async fn gap(&self) -> bool {
        self.0.gap
    }

    /// The initiatives serving the goal, by number.
    async fn initiatives(&self) -> Vec<Initiative> {
        self.0.initiatives.iter().cloned().map(Initiative).collect()
    }

    /// The initiatives serving the goal, counted by status (every status, zeros included).
    async fn initiatives_by_status(&self) -> Vec<StatusCount> {
        status_counts(&self.0.initiatives_by_status)
    }

    /// The activities of those initiatives, counted by status (every status, zeros included).
    async fn activities_by_status(&self) -> Vec<StatusCount> {
        status_counts(&self.0.activities_by_status)
    }
}
