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
    /// When the chair ended the talk. The next paper waits for its planned start (a hold),
    /// so that a paper that ends early does not pull the next one forward.
    pub ended_at: Option<DateTime<Utc>>,
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
            ended_at: None,
        }
    }
}

/// How the rest of a session absorbs a delay: a paper that started late or ran over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum AbsorbPolicy {
    /// Every remaining paper keeps its full time; the session ends late.
    #[default]
    Push,
    /// The remaining papers' question parts are shortened evenly, as far as they allow.
    TrimQuestions,
    /// The remaining papers (talks and questions) are shortened in proportion and run back
    /// to back, so that the session ends at its hard stop.
    Shrink,
}

impl AbsorbPolicy {
    /// All policies, in the order the chair cycles through them.
    pub const ALL: [AbsorbPolicy; 3] = [
        AbsorbPolicy::Push,
        AbsorbPolicy::TrimQuestions,
        AbsorbPolicy::Shrink,
    ];

    /// The name used in the API, the saved state and the log.
    pub fn as_str(self) -> &'static str {
        match self {
            AbsorbPolicy::Push => "push",
            AbsorbPolicy::TrimQuestions => "trim_questions",
            AbsorbPolicy::Shrink => "shrink",
        }
    }

    /// The policy of a name given by [`AbsorbPolicy::as_str`].
    pub fn from_name(name: &str) -> Option<AbsorbPolicy> {
        AbsorbPolicy::ALL
            .into_iter()
            .find(|policy| policy.as_str() == name)
    }

    /// Words for the chair view and the projector's chair line.
    pub fn describe(self) -> &'static str {
        match self {
            AbsorbPolicy::Push => "keep every paper's time, end late",
            AbsorbPolicy::TrimQuestions => "shorten the questions",
            AbsorbPolicy::Shrink => "shorten every paper to end on time",
        }
    }

    /// The policy after this one, for a key that cycles through them.
    pub fn following(self) -> AbsorbPolicy {
        match self {
            AbsorbPolicy::Push => AbsorbPolicy::TrimQuestions,
            AbsorbPolicy::TrimQuestions => AbsorbPolicy::Shrink,
            AbsorbPolicy::Shrink => AbsorbPolicy::Push,
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
    /// How a delay is absorbed by the rest of the session. A choice of the chair's rather
    /// than an override: going back to the schedule keeps it.
    pub policy: AbsorbPolicy,
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
    /// The paper is over: the next paper starts at its planned time (holding until then), or
    /// at once if that time has passed.
    EndTalk,
    /// Choose how the rest of the session absorbs a delay.
    Absorb(AbsorbPolicy),
    /// Drop every override: the timer, the message and the blanking.
    BackToSchedule,
    /// Show a message to the speaker.
    ShowMessage(String),
    /// Remove the message.
    ClearMessage,
    /// Blank the projector, or show it again.
    ToggleBlank,
}
