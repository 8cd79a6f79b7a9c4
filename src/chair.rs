//! The session chair's controls, as data: what the chair has changed about the schedule (a talk
//! started at a different time, minutes added, a pause, a message to the speaker, a blanked
//! projector) and the commands that change it.
//!
//! [`ChairState`] refers to sessions and talks by id, so it survives a reload of the schedule.
//! This module depends only on the model; the engine ([`crate::timing::status_at`]) applies
//! the state, and [`crate::control`] carries out the commands (`ChairState::apply`), both given
//! `now`, never reading a clock.

use chrono::{DateTime, Duration, Utc};

use crate::model::{SessionId, TalkId};

/// The chair's own timing of one item, replacing the schedule's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerOverride {
    /// The session being timed.
    pub session: SessionId,
    /// The talk being timed; `None` times the session as a whole (an Open Mike, a panel).
    pub talk: Option<TalkId>,
    /// When the chair started it.
    pub started_at: DateTime<Utc>,
    /// Minutes added (negative: taken away).
    pub added: Duration,
    /// Since when the timer is paused, if it is.
    pub paused_since: Option<DateTime<Utc>>,
    /// The total of the earlier, finished pauses.
    pub paused_total: Duration,
    /// When the chair started the questions, ending the talk part early.
    pub questions_since: Option<DateTime<Utc>>,
}

impl TimerOverride {
    /// A timer for an item that starts at `started_at`.
    pub fn new(session: SessionId, talk: Option<TalkId>, started_at: DateTime<Utc>) -> Self {
        TimerOverride {
            session,
            talk,
            started_at,
            added: Duration::zero(),
            paused_since: None,
            paused_total: Duration::zero(),
            questions_since: None,
        }
    }
}

/// Everything the chair has changed. The default follows the schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChairState {
    /// The chair's timing of the running item, if the chair has taken over.
    pub timer: Option<TimerOverride>,
    /// A message to the speaker, shown large on the projector until cleared.
    pub message: Option<String>,
    /// Whether the projector is blanked.
    pub blanked: bool,
}

/// The longest message to the speaker, in characters: more would not fit the projector, and a
/// bound keeps a pasted document (or a hostile request) from filling memory.
pub const MAX_MESSAGE_CHARS: usize = 280;

/// The most time the chair can add to (or take from) one item, in seconds: twelve hours is far
/// beyond any real adjustment, and a bound keeps every countdown's arithmetic in range.
pub const MAX_ADDED_SECONDS: i64 = 12 * 3600;

/// The longest total pause of one item that a saved state may hold, in seconds (a week).
pub const MAX_PAUSED_SECONDS: i64 = 7 * 24 * 3600;

/// The preset messages to the speaker.
pub const PRESET_MESSAGES: [&str; 4] = [
    "5 minutes left",
    "Please wrap up",
    "Time is up",
    "Questions now",
];

/// A control the chair can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChairCommand {
    /// Start the current talk now, with its full planned time (a late start). In a break or
    /// between sessions, start the next session's first talk now.
    StartNow,
    /// Pause the timer, or resume it.
    TogglePause,
    /// Add time (negative: take time away).
    AddTime(Duration),
    /// Move to the next talk (or the next session after the last talk), starting it now.
    NextTalk,
    /// Move back to the previous talk, starting it now.
    PreviousTalk,
    /// End the talk part now and start the questions, which run to the end of the slot.
    QuestionsNow,
    /// Drop every override: the timer, the message and the blanking.
    BackToSchedule,
    /// Show a message to the speaker.
    ShowMessage(String),
    /// Remove the message.
    ClearMessage,
    /// Blank the projector, or show it again.
    ToggleBlank,
}
