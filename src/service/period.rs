//! Whether a record with planned and actual dates runs in a period. The actual date wins over the planned
//! one, and an open date (neither known) counts as running.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition};

/// Running on or after `day`: its end (actual, else planned) is open or not before `day`.
pub fn running_from<C: ColumnTrait>(actual_end: C, planned_end: C, day: NaiveDate) -> Condition {
    let end = Expr::col(actual_end).if_null(Expr::col(planned_end));
    Condition::any().add(end.clone().is_null()).add(end.gte(day))
}

/// Running on or before `day`: its start (actual, else planned) is open or not after `day`.
pub fn running_to<C: ColumnTrait>(actual_start: C, planned_start: C, day: NaiveDate) -> Condition {
    let start = Expr::col(actual_start).if_null(Expr::col(planned_start));
    Condition::any().add(start.clone().is_null()).add(start.lte(day))
}
