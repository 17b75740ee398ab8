//! When a failed delivery is tried again: after the schedule's next wait, with up to a fifth of it added
//! or taken at random, so endpoints that failed together do not all come back in the same second. Once
//! the schedule is used up, the endpoint is disabled.

use std::time::Duration;

use rand::Rng;

/// The wait before attempt `attempts + 1`, after `attempts` failed ones; `None` when the schedule is used
/// up.
pub fn next_wait(schedule: &[Duration], attempts: usize) -> Option<Duration> {
    let wait = *schedule.get(attempts.checked_sub(1)?)?;
    let spread = wait.as_millis() as f64 * 0.2;
    let jitter = rand::rng().random_range(-spread..=spread);
    Some(Duration::from_millis((wait.as_millis() as f64 + jitter).max(0.0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_follow_the_schedule_with_jitter_then_stop() {
        let schedule = [Duration::from_secs(5), Duration::from_secs(300)];
        for _ in 0..100 {
            let first = next_wait(&schedule, 1).expect("a wait");
            assert!((4000..=6000).contains(&first.as_millis()), "{first:?}");
            let second = next_wait(&schedule, 2).expect("a wait");
            assert!((240_000..=360_000).contains(&second.as_millis()), "{second:?}");
        }
        assert_eq!(next_wait(&schedule, 3), None);
        assert_eq!(next_wait(&schedule, 0), None);
    }
}
