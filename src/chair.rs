//! The session chair's controls as a pure state machine.
//!
//! [`ChairState`] holds what the chair has changed about the schedule: a talk started at a
//! different time, minutes added, a pause, a message to the speaker, a blanked projector.
//! It refers to sessions and talks by id, so it survives a reload of the schedule; the engine
//! ([`crate::timing::status_at`]) applies it. [`ChairState::apply`] takes a command and
//! returns the new state; like the engine it is given `now` and never reads a clock.

use chrono::{DateTime, Duration, Utc};

use crate::model::{RoomId, Schedule, SessionId, TalkId};
use crate::timing::{
    Countdown, OverrideCheck, check_override, next_in_room, preceding_session, scheduled_running,
};

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
        }
    }

    /// The countdown of an item planned to last `planned`, at `now`.
    pub fn countdown(&self, planned: Duration, now: DateTime<Utc>) -> Countdown {
        // The fields are bounded where they are set (commands clamp, saved states are checked),
        // but the instants come from input: saturate rather than overflow at the calendar's
        // edges.
        let running_until = self.paused_since.unwrap_or(now).max(self.started_at);
        let elapsed = running_until
            .signed_duration_since(self.started_at)
            .checked_sub(&self.paused_total)
            .unwrap_or(Duration::MAX);
        let remaining = planned
            .checked_add(&self.added)
            .and_then(|total| total.checked_sub(&elapsed))
            .unwrap_or(Duration::MIN);
        let end = now
            .checked_add_signed(remaining)
            .unwrap_or(if remaining < Duration::zero() {
                DateTime::<Utc>::MIN_UTC
            } else {
                DateTime::<Utc>::MAX_UTC
            });
        Countdown {
            start: self.started_at,
            end,
            elapsed,
            remaining,
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
    /// Drop every override: the timer, the message and the blanking.
    BackToSchedule,
    /// Show a message to the speaker.
    ShowMessage(String),
    /// Remove the message.
    ClearMessage,
    /// Blank the projector, or show it again.
    ToggleBlank,
}

/// The running item: which session and talk, and the chair's timer if it applies.
struct Running<'a> {
    session_index: usize,
    talk_index: Option<usize>,
    timer: Option<&'a TimerOverride>,
}

impl ChairState {
    /// The state after the chair uses `command` at `now` while showing `room`.
    pub fn apply(
        &self,
        command: &ChairCommand,
        schedule: &Schedule,
        room: RoomId,
        now: DateTime<Utc>,
    ) -> ChairState {
        let mut next = self.clone();
        // A timer that no longer applies (its session was deleted or is long over) is dropped
        // before any command, so that commands act on what the projector shows.
        let running = match check_override(schedule, room, now, self) {
            OverrideCheck::Applies {
                session_index,
                talk_index,
                timer,
            } => Some(Running {
                session_index,
                talk_index,
                timer: Some(timer),
            }),
            OverrideCheck::Stale(_) | OverrideCheck::None => {
                next.timer = None;
                let started = schedule.timeline(room).count_started(now);
                scheduled_running(schedule, room, now, started).map(|item| Running {
                    session_index: item.session_index,
                    talk_index: item.talk_index,
                    timer: None,
                })
            }
        };
        match command {
            ChairCommand::StartNow => {
                // In a break or a meal, "start now" starts what comes after it.
                let restart = running
                    .as_ref()
                    .filter(|running| !schedule.sessions()[running.session_index].kind.is_pause());
                if let Some((session_index, talk_index)) = match restart {
                    Some(running) => Some((running.session_index, running.talk_index)),
                    None => upcoming_item(
                        schedule,
                        room,
                        now,
                        running.as_ref().map(|running| running.session_index),
                    ),
                } {
                    next.timer = Some(timer_for(schedule, session_index, talk_index, now));
                }
            }
            ChairCommand::TogglePause => {
                if let Some(running) = &running {
                    let mut timer = materialize(schedule, running);
                    match timer.paused_since.take() {
                        Some(since) => timer.paused_total += now - since,
                        None => timer.paused_since = Some(now),
                    }
                    next.timer = Some(timer);
                }
            }
            ChairCommand::AddTime(amount) => {
                if let Some(running) = &running {
                    let mut timer = materialize(schedule, running);
                    let limit = Duration::seconds(MAX_ADDED_SECONDS);
                    let overflow = if *amount > Duration::zero() {
                        limit
                    } else {
                        -limit
                    };
                    timer.added = timer
                        .added
                        .checked_add(amount)
                        .unwrap_or(overflow)
                        .clamp(-limit, limit);
                    next.timer = Some(timer);
                }
            }
            ChairCommand::NextTalk => {
                let target = match &running {
                    Some(running) => step_forward(schedule, room, running, now),
                    None => upcoming_item(schedule, room, now, None),
                };
                if let Some((session_index, talk_index)) = target {
                    next.timer = Some(timer_for(schedule, session_index, talk_index, now));
                }
            }
            ChairCommand::PreviousTalk => {
                if let Some((session_index, talk_index)) = running
                    .as_ref()
                    .and_then(|running| step_back(schedule, room, running))
                {
                    next.timer = Some(timer_for(schedule, session_index, talk_index, now));
                }
            }
            ChairCommand::BackToSchedule => {
                next = ChairState::default();
            }
            ChairCommand::ShowMessage(text) => {
                let text: String = text.trim().chars().take(MAX_MESSAGE_CHARS).collect();
                next.message = (!text.is_empty()).then_some(text);
            }
            ChairCommand::ClearMessage => next.message = None,
            ChairCommand::ToggleBlank => next.blanked = !next.blanked,
        }
        next
    }

    /// Drops a timer whose session or talk is gone from `schedule`, saying what was dropped.
    /// Called after a reload, so that the chair view can tell the chair.
    pub fn reconcile(
        &self,
        schedule: &Schedule,
        room: RoomId,
        now: DateTime<Utc>,
    ) -> (ChairState, Option<String>) {
        match check_override(schedule, room, now, self) {
            OverrideCheck::Stale(notice) => {
                let mut next = self.clone();
                next.timer = None;
                (next, Some(notice.describe()))
            }
            _ => (self.clone(), None),
        }
    }
}

fn timer_for(
    schedule: &Schedule,
    session_index: usize,
    talk_index: Option<usize>,
    now: DateTime<Utc>,
) -> TimerOverride {
    let session = &schedule.sessions()[session_index];
    TimerOverride::new(
        session.id.clone(),
        talk_index.map(|index| session.talks[index].id.clone()),
        now,
    )
}

/// The chair's timer for the running item, or a timer that reproduces the schedule's timing of
/// it, so that pausing or adding time changes nothing else.
fn materialize(schedule: &Schedule, running: &Running<'_>) -> TimerOverride {
    if let Some(timer) = running.timer {
        return timer.clone();
    }
    let session = &schedule.sessions()[running.session_index];
    match running.talk_index {
        Some(index) => {
            let talk = &session.talks[index];
            TimerOverride::new(session.id.clone(), Some(talk.id.clone()), talk.start)
        }
        None => TimerOverride::new(session.id.clone(), None, session.start),
    }
}

/// The first item of what the room shows next after `running` (or, with nothing running,
/// at all): the same item the projector names as next.
fn upcoming_item(
    schedule: &Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    running: Option<usize>,
) -> Option<(usize, Option<usize>)> {
    let upcoming = next_in_room(schedule, room, now, running)?;
    let (session_index, session) = schedule.session_by_id(&upcoming.session.id)?;
    Some((session_index, (!session.talks.is_empty()).then_some(0)))
}

fn step_forward(
    schedule: &Schedule,
    room: RoomId,
    running: &Running<'_>,
    now: DateTime<Utc>,
) -> Option<(usize, Option<usize>)> {
    let session = &schedule.sessions()[running.session_index];
    let next_talk = match running.talk_index {
        Some(index) => (index + 1 < session.talks.len()).then_some(index + 1),
        // Between two talks of a session, "next" is the talk that comes next by the schedule.
        None => session.talks.iter().position(|talk| talk.start > now),
    };
    if let Some(index) = next_talk {
        return Some((running.session_index, Some(index)));
    }
    upcoming_item(schedule, room, now, Some(running.session_index))
}

fn step_back(
    schedule: &Schedule,
    room: RoomId,
    running: &Running<'_>,
) -> Option<(usize, Option<usize>)> {
    if let Some(index) = running.talk_index
        && index > 0
    {
        return Some((running.session_index, Some(index - 1)));
    }
    let preceding = preceding_session(schedule, room, running.session_index)?;
    let (index, _) = schedule.session_by_id(&preceding.id)?;
    Some((index, preceding.talks.len().checked_sub(1)))
}
