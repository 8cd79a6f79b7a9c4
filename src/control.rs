//! The chair's commands carried out against the schedule: which talk "next" is, what "start
//! now" starts, what a pause or an added minute changes. Pure like the engine it builds on: it
//! is given `now` and reads no clock. The core depends one way: the model, then the chair's
//! state ([`crate::chair`]), then the engine ([`crate::timing`]), then this module.

use chrono::{DateTime, Duration, Utc};

use crate::chair::{ChairCommand, ChairState, MAX_ADDED_SECONDS, MAX_MESSAGE_CHARS, TimerOverride};
use crate::model::{RoomId, Schedule};
use crate::timing::{
    OverrideCheck, Resolved, check_override, next_in_room, preceding_session, resolve_timer,
    scheduled_running,
};

/// The running item: which session and talk, and the chair's timer if it applies.
struct Running {
    session_index: usize,
    /// The talk; while holding, the talk the chair ended.
    talk_index: Option<usize>,
    /// The timer in effect, if the chair's.
    timer: Option<TimerOverride>,
    /// Whether the room waits for the next paper after the chair ended this one.
    holding: bool,
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
        // A timer that no longer applies (its session was deleted or is long over, or the
        // hold after it reached the next paper's planned start) is dropped before any
        // command, so that commands act on what the projector shows.
        let resolved = match check_override(schedule, room, now, self) {
            OverrideCheck::Applies {
                session_index,
                talk_index,
                timer,
            } => resolve_timer(&schedule.sessions()[session_index], talk_index, timer, now)
                .map(|resolved| (session_index, resolved, timer)),
            OverrideCheck::Stale(_) | OverrideCheck::None => None,
        };
        let running = match resolved {
            Some((session_index, Resolved::Running { talk_index, timer }, _)) => Some(Running {
                session_index,
                talk_index,
                timer: Some(timer),
                holding: false,
            }),
            Some((session_index, Resolved::Holding { after, .. }, timer)) => Some(Running {
                session_index,
                talk_index: after,
                timer: Some(timer.clone()),
                holding: true,
            }),
            None => {
                next.timer = None;
                let started = schedule.timeline(room).count_started(now);
                scheduled_running(schedule, room, now, started).map(|item| Running {
                    session_index: item.session_index,
                    talk_index: item.talk_index,
                    timer: None,
                    holding: false,
                })
            }
        };
        // While the room waits for the next paper, the timer's commands have nothing to act
        // on; "start now" and "next" start the next paper, "previous" takes the end back.
        let timing = running.as_ref().filter(|running| !running.holding);
        match command {
            ChairCommand::StartNow => {
                // In a break or a meal, "start now" starts what comes after it.
                let restart = running
                    .as_ref()
                    .filter(|running| !schedule.sessions()[running.session_index].kind.is_pause());
                if let Some((session_index, talk_index)) = match restart {
                    Some(running) if running.holding => step_forward(schedule, room, running, now),
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
                if let Some(running) = timing {
                    let mut timer = materialize(schedule, running);
                    match timer.paused_since.take() {
                        Some(since) => timer.paused_total += now - since,
                        None => timer.paused_since = Some(now),
                    }
                    next.timer = Some(timer);
                }
            }
            ChairCommand::AddTime(amount) => {
                if let Some(running) = timing {
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
            ChairCommand::QuestionsNow => {
                // Only a talk has questions; a talk already in its questions keeps them.
                if let Some(running) = timing.filter(|running| running.talk_index.is_some()) {
                    let mut timer = materialize(schedule, running);
                    if timer.questions_since.is_none() {
                        timer.questions_since = Some(now);
                        next.timer = Some(timer);
                    }
                }
            }
            ChairCommand::PreviousTalk => match &running {
                // Going back from a wait undoes the end: the paper goes on where it was.
                Some(Running {
                    holding: true,
                    timer: Some(timer),
                    ..
                }) => {
                    let mut timer = timer.clone();
                    timer.ended_at = None;
                    next.timer = Some(timer);
                }
                _ => {
                    if let Some((session_index, talk_index)) = running
                        .as_ref()
                        .and_then(|running| step_back(schedule, room, running))
                    {
                        next.timer = Some(timer_for(schedule, session_index, talk_index, now));
                    }
                }
            },
            ChairCommand::EndTalk => {
                // A break ends when it ends; only a talk or a session of the program is ended.
                if let Some(running) = timing
                    .filter(|running| !schedule.sessions()[running.session_index].kind.is_pause())
                {
                    let mut timer = materialize(schedule, running);
                    if timer.ended_at.is_none() {
                        timer.ended_at = Some(now);
                        next.timer = Some(timer);
                    }
                }
            }
            ChairCommand::Absorb(policy) => next.policy = *policy,
            ChairCommand::BackToSchedule => {
                // The policy is the chair's choice for the session, not an override.
                next = ChairState {
                    policy: self.policy,
                    ..ChairState::default()
                };
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
fn materialize(schedule: &Schedule, running: &Running) -> TimerOverride {
    if let Some(timer) = &running.timer {
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
    running: &Running,
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
    running: &Running,
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
