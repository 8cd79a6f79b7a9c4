//! The one place that reads the system clock.
//!
//! Everything else is given `now`. A [`Clock`] is either the real clock or a rehearsal clock
//! that starts at a chosen instant and may run faster, so that a chair can rehearse a session
//! (or a newcomer can see a live countdown) at any time of day.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};

/// The current instant by the system clock.
pub fn system_now() -> DateTime<Utc> {
    Utc::now()
}

/// A source of `now`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Clock {
    /// The system clock.
    Real,
    /// A clock that read `start` at the monotonic instant `anchor` and runs `speed` times
    /// as fast as real time from there.
    Rehearsal {
        /// The virtual instant at `anchor`.
        start: DateTime<Utc>,
        /// When the rehearsal clock was started, by the monotonic clock.
        anchor: Instant,
        /// How many virtual seconds pass per real second.
        speed: f64,
    },
}

impl Clock {
    /// A rehearsal clock that starts at `start` now and runs at `speed`.
    pub fn rehearsal(start: DateTime<Utc>, speed: f64) -> Clock {
        Clock::Rehearsal {
            start,
            anchor: Instant::now(),
            speed,
        }
    }

    /// The current instant by this clock.
    pub fn now(&self) -> DateTime<Utc> {
        match *self {
            Clock::Real => system_now(),
            Clock::Rehearsal {
                start,
                anchor,
                speed,
            } => {
                let real = anchor.elapsed().as_secs_f64();
                start + Duration::microseconds((real * speed * 1e6) as i64)
            }
        }
    }

    /// Whether this is a rehearsal clock, which the projector must say.
    pub fn is_rehearsal(&self) -> bool {
        matches!(self, Clock::Rehearsal { .. })
    }

    /// How many virtual seconds pass per real second.
    pub fn speed(&self) -> f64 {
        match self {
            Clock::Real => 1.0,
            Clock::Rehearsal { speed, .. } => *speed,
        }
    }

    /// The real time until the virtual clock has advanced by `virtual_time`: how long the
    /// display may sleep before the next visible change.
    pub fn real_time_for(&self, virtual_time: Duration) -> std::time::Duration {
        let seconds = virtual_time.num_microseconds().unwrap_or(i64::MAX) as f64
            / 1e6
            / self.speed().max(1e-6);
        std::time::Duration::from_secs_f64(seconds.clamp(0.0, 3600.0))
    }
}
