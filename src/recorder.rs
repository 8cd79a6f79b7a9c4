//! What the chair's log records, and the recorder that derives it from what the room shows.
//!
//! A [`LogEntry`] is one thing that happened in a room at an instant: a talk, its questions or
//! a session started or ended, or the chair used a control. The transitions are not reported
//! by anyone: the recorder compares what the room showed at the last look (an
//! [`Observation`]) with what it shows now, and says what changed. The instants it records
//! are taken from the status itself (the new talk's start, the questions' start, the planned
//! end that was reached), never from the moment of looking, so that looking once a second
//! records the exact second. Between two looks that lie far apart (a laptop that slept, a
//! rehearsal clock running fast) it steps through the boundaries the status announces, so
//! that no talk in between is missed.
//!
//! Pure like the engine: no I/O, no clock. The log file is [`crate::chair_log`]'s business.

use chrono::{DateTime, Utc};

use crate::chair::{AbsorbPolicy, ChairCommand, ChairState};
use crate::model::{RoomId, Schedule, SessionId, TalkId};
use crate::timing::{Activity, RoomStatus, TalkPart, Thresholds, status_at};

/// One thing that happened in a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The room's name (names, not positions, survive an edit of the schedule).
    pub room: String,
    /// The session it concerns, if any.
    pub session: Option<SessionId>,
    /// The talk it concerns, if any.
    pub talk: Option<TalkId>,
    /// What happened.
    pub kind: LogKind,
}

/// What happened: a transition of what the room shows, or a control the chair used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogKind {
    /// A session began to be shown.
    SessionStart,
    /// A session stopped being shown.
    SessionEnd,
    /// A talk began (or was started again by the chair).
    TalkStart,
    /// A talk's questions began.
    QuestionsStart,
    /// A talk stopped being shown.
    TalkEnd,
    /// The chair started the current item now.
    StartNow,
    /// The chair paused the countdown.
    Pause,
    /// The chair resumed the countdown.
    Resume,
    /// The chair added time (negative: took it away).
    Add {
        /// How much, in seconds.
        seconds: i64,
    },
    /// The chair moved to the next talk.
    Next,
    /// The chair moved back to the previous talk.
    Previous,
    /// The chair started the questions now.
    QuestionsNow,
    /// The chair ended the talk (the next paper waits for its planned start).
    EndTalk,
    /// The chair chose how a delay is absorbed.
    Policy(AbsorbPolicy),
    /// The chair dropped every override.
    BackToSchedule,
    /// The chair showed a message to the speaker.
    Message(String),
    /// The chair removed the message.
    ClearMessage,
    /// The chair blanked the projector.
    Blank,
    /// The chair showed the projector again.
    Unblank,
}

impl LogKind {
    /// The name written in the log file.
    pub fn name(&self) -> &'static str {
        match self {
            LogKind::SessionStart => "session_start",
            LogKind::SessionEnd => "session_end",
            LogKind::TalkStart => "talk_start",
            LogKind::QuestionsStart => "questions_start",
            LogKind::TalkEnd => "talk_end",
            LogKind::StartNow => "start_now",
            LogKind::Pause => "pause",
            LogKind::Resume => "resume",
            LogKind::Add { .. } => "add",
            LogKind::Next => "next",
            LogKind::Previous => "previous",
            LogKind::QuestionsNow => "questions_now",
            LogKind::EndTalk => "end_talk",
            LogKind::Policy(_) => "policy",
            LogKind::BackToSchedule => "back_to_schedule",
            LogKind::Message(_) => "message",
            LogKind::ClearMessage => "clear_message",
            LogKind::Blank => "blank",
            LogKind::Unblank => "unblank",
        }
    }

    /// Whether this is a transition of what the room shows rather than a chair's control.
    pub fn is_transition(&self) -> bool {
        matches!(
            self,
            LogKind::SessionStart
                | LogKind::SessionEnd
                | LogKind::TalkStart
                | LogKind::QuestionsStart
                | LogKind::TalkEnd
        )
    }
}

/// What the room showed at one look: the session and talk by id, and the instants the
/// recorder needs to date what changes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// When the look was taken.
    pub at: DateTime<Utc>,
    room: String,
    item: Option<SeenSession>,
    /// Rebuilt from a log rather than seen by this process: what happened since was not
    /// watched, so it is not replayed from the schedule either.
    restored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SeenSession {
    id: SessionId,
    /// When its countdown started (a talk-less item the chair restarted starts later).
    start: DateTime<Utc>,
    /// When it was due to end, as last seen.
    end: DateTime<Utc>,
    talk: Option<SeenTalk>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SeenTalk {
    id: TalkId,
    part: TalkPart,
    /// When the slot started: a different start for the same talk is a restart.
    start: DateTime<Utc>,
    /// When the part on screen started.
    part_start: DateTime<Utc>,
    /// When the slot was due to end, as last seen.
    end: DateTime<Utc>,
    /// Whether its countdown was running (a paused countdown's end moves with the clock, so
    /// it dates nothing).
    running: bool,
}

impl Observation {
    /// What `status` shows.
    pub fn of(status: &RoomStatus<'_>) -> Observation {
        let item = match &status.activity {
            Activity::Live(live) => {
                let running = !live.chair.is_some_and(|chair| chair.paused);
                Some(SeenSession {
                    id: live.session.id.clone(),
                    start: live.session_countdown.start,
                    end: live.session_countdown.end,
                    talk: live.talk.as_ref().map(|talk| SeenTalk {
                        id: talk.talk.id.clone(),
                        part: talk.part,
                        start: talk.countdown.start,
                        part_start: talk.part_countdown.start,
                        end: talk.countdown.end,
                        running,
                    }),
                })
            }
            _ => None,
        };
        Observation {
            at: status.now,
            room: status.room.name.clone(),
            item,
            restored: false,
        }
    }

    /// What the log says the room was showing when it was last written, for a room session
    /// that starts again (after a crash, a reboot, a switch of rooms). The planned ends come
    /// from `schedule`. `None` when the log has nothing for `room`.
    pub fn from_log(entries: &[LogEntry], room: &str, schedule: &Schedule) -> Option<Observation> {
        let mut last_at = None;
        let mut item: Option<SeenSession> = None;
        for entry in entries.iter().filter(|entry| entry.room == room) {
            last_at = Some(last_at.map_or(entry.at, |at: DateTime<Utc>| at.max(entry.at)));
            let Some(session_id) = &entry.session else {
                continue;
            };
            let planned = schedule
                .session_by_id(session_id)
                .map(|(_, session)| session);
            let same_session = item.as_ref().is_some_and(|seen| &seen.id == session_id);
            match &entry.kind {
                LogKind::SessionStart => {
                    item = Some(SeenSession {
                        id: session_id.clone(),
                        start: entry.at,
                        end: planned.map_or(entry.at, |session| session.end),
                        talk: None,
                    });
                }
                LogKind::SessionEnd if same_session => item = None,
                LogKind::TalkStart => {
                    let Some(talk_id) = &entry.talk else {
                        continue;
                    };
                    let end = planned
                        .and_then(|session| session.talk_by_id(talk_id))
                        .map_or(entry.at, |(_, talk)| talk.end);
                    let seen = item.get_or_insert_with(|| SeenSession {
                        id: session_id.clone(),
                        start: entry.at,
                        end: planned.map_or(entry.at, |session| session.end),
                        talk: None,
                    });
                    seen.talk = Some(SeenTalk {
                        id: talk_id.clone(),
                        part: TalkPart::Talk,
                        start: entry.at,
                        part_start: entry.at,
                        end,
                        running: true,
                    });
                }
                LogKind::QuestionsStart => {
                    if let Some(talk) = item
                        .as_mut()
                        .and_then(|seen| seen.talk.as_mut())
                        .filter(|talk| entry.talk.as_ref() == Some(&talk.id))
                    {
                        talk.part = TalkPart::Questions;
                        talk.part_start = entry.at;
                    }
                }
                LogKind::TalkEnd => {
                    if let Some(seen) = item.as_mut()
                        && seen.talk.as_ref().map(|talk| &talk.id) == entry.talk.as_ref()
                    {
                        seen.talk = None;
                    }
                }
                _ => {}
            }
        }
        Some(Observation {
            at: last_at?,
            room: room.to_owned(),
            item,
            restored: true,
        })
    }
}

/// The most boundaries stepped through between two looks. A day's program has a few dozen;
/// beyond this many (a laptop asleep for days), the rest is compared in one step.
const MAX_CATCH_UP_STEPS: usize = 500;

/// Looks at `room` at `now` and returns what changed since `previous`, with the new look.
/// When the last look was taken by this process, the boundaries in between are stepped
/// through, with the chair's state as it is now (commands are looked at before and after
/// they are carried out, so the chair's state between two looks is the one given).
pub fn observe(
    previous: Option<&Observation>,
    schedule: &Schedule,
    room: RoomId,
    chair: &ChairState,
    thresholds: &Thresholds,
    now: DateTime<Utc>,
) -> (Vec<LogEntry>, Observation) {
    let mut entries = Vec::new();
    let mut last = previous.cloned();
    if let Some(start) = previous
        .filter(|seen| !seen.restored && seen.room == schedule.room(room).name)
        .map(|seen| seen.at)
        .filter(|&at| at < now)
    {
        let mut instant = start;
        for _ in 0..MAX_CATCH_UP_STEPS {
            let status = status_at(schedule, room, instant, chair, thresholds);
            let Some(boundary) = next_boundary(&status).filter(|&boundary| boundary < now) else {
                break;
            };
            let status = status_at(schedule, room, boundary, chair, thresholds);
            let (found, seen) = transitions(last.as_ref(), &status);
            entries.extend(found);
            last = Some(seen);
            instant = boundary;
        }
    }
    let status = status_at(schedule, room, now, chair, thresholds);
    let (found, seen) = transitions(last.as_ref(), &status);
    entries.extend(found);
    (entries, seen)
}

/// The first instant after the status's own at which what the recorder sees may change: a
/// part or a slot that ends, a session that ends, the next talk or item that starts. A paused
/// countdown announces nothing: its end moves with the clock.
fn next_boundary(status: &RoomStatus<'_>) -> Option<DateTime<Utc>> {
    let mut candidates = Vec::new();
    if let Activity::Live(live) = &status.activity {
        let running = !live.chair.is_some_and(|chair| chair.paused);
        if running {
            if let Some(talk) = &live.talk {
                candidates.push(talk.part_countdown.end);
                candidates.push(talk.countdown.end);
            }
            candidates.push(live.session_countdown.end);
        }
        if let Some(next_talk) = live.next_talk {
            candidates.push(next_talk.start);
        }
    }
    if let Some(next) = &status.next {
        candidates.push(next.at);
    }
    candidates
        .into_iter()
        .filter(|&instant| instant > status.now)
        .min()
}

/// What changed between `previous` and `status`, each dated exactly where the status tells
/// when (a start, a planned end reached between the two looks), else at the earliest such
/// instant of the same step, else when it was first seen.
pub fn transitions(
    previous: Option<&Observation>,
    status: &RoomStatus<'_>,
) -> (Vec<LogEntry>, Observation) {
    let seen = Observation::of(status);
    let previous = previous.filter(|previous| previous.room == seen.room);
    let room = seen.room.clone();
    let old = previous.and_then(|previous| previous.item.as_ref());
    let new = seen.item.as_ref();
    // An instant counts as "between the looks" from the last look to this one, both
    // included: a command is looked at before and after at the same instant. Without a
    // last look, what the status says is believed.
    let within = |instant: DateTime<Utc>| match previous {
        Some(previous) => previous.at <= instant && instant <= seen.at,
        None => instant <= seen.at,
    };

    // The same item with a new start is a restart only when the new start lies between the
    // looks: the chair started it again. A start that moved back (the chair handed back to
    // the schedule, whose item began earlier) changes what is shown, not what happened. A
    // look rebuilt from the log knows only the instants that were written, which are not
    // always the countdown's own, so it tells no restart.
    let restarts_seen = previous.is_some_and(|previous| !previous.restored);
    let restarted =
        |old: DateTime<Utc>, new: DateTime<Utc>| restarts_seen && new > old && within(new);
    let session_ended = old.filter(|old| new.is_none_or(|new| new.id != old.id));
    let session_started =
        new.filter(|new| old.is_none_or(|old| old.id != new.id || restarted(old.start, new.start)));
    let old_talk = old.and_then(|old| old.talk.as_ref().map(|talk| (old, talk)));
    let new_talk = new.and_then(|new| new.talk.as_ref().map(|talk| (new, talk)));
    let talk_ended = old_talk.filter(|(old_session, old_talk)| {
        new_talk.is_none_or(|(new_session, new_talk)| {
            new_session.id != old_session.id || new_talk.id != old_talk.id
        })
    });
    // A talk that is new, or the same talk with a new start: the chair started it again.
    let talk_started = new_talk.filter(|(new_session, new_talk)| {
        old_talk.is_none_or(|(old_session, old_talk)| {
            old_session.id != new_session.id
                || old_talk.id != new_talk.id
                || restarted(old_talk.start, new_talk.start)
        })
    });
    let questions_started = new_talk.filter(|(_, new_talk)| {
        new_talk.part == TalkPart::Questions
            && (talk_started.is_some()
                || old_talk.is_none_or(|(_, old_talk)| old_talk.part != TalkPart::Questions))
    });

    // The exact instants this step knows of, each in its own place below; the earliest
    // dates what has no instant of its own.
    let talk_end_exact = talk_ended
        .filter(|(_, talk)| talk.running)
        .map(|(_, talk)| talk.end)
        .filter(|&end| within(end));
    let session_end_exact = session_ended.map(|old| old.end).filter(|&end| within(end));
    let session_start_exact = session_started
        .map(|new| new.start)
        .filter(|&start| within(start));
    let talk_start_exact = talk_started
        .map(|(_, talk)| talk.start)
        .filter(|&start| within(start));
    let questions_exact = questions_started
        .map(|(_, talk)| talk.part_start)
        .filter(|&start| within(start));
    let fallback = [
        talk_end_exact,
        session_end_exact,
        session_start_exact,
        talk_start_exact,
        questions_exact,
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(seen.at);

    let mut entries = Vec::new();
    let mut push = |at: Option<DateTime<Utc>>, session: &SessionId, talk: Option<&TalkId>, kind| {
        entries.push(LogEntry {
            at: at.unwrap_or(fallback),
            room: room.clone(),
            session: Some(session.clone()),
            talk: talk.cloned(),
            kind,
        });
    };
    if let Some((session, talk)) = talk_ended {
        push(
            talk_end_exact,
            &session.id,
            Some(&talk.id),
            LogKind::TalkEnd,
        );
    }
    if let Some(session) = session_ended {
        push(session_end_exact, &session.id, None, LogKind::SessionEnd);
    }
    if let Some(session) = session_started {
        push(
            session_start_exact,
            &session.id,
            None,
            LogKind::SessionStart,
        );
    }
    if let Some((session, talk)) = talk_started {
        push(
            talk_start_exact,
            &session.id,
            Some(&talk.id),
            LogKind::TalkStart,
        );
    }
    if let Some((session, talk)) = questions_started {
        push(
            questions_exact,
            &session.id,
            Some(&talk.id),
            LogKind::QuestionsStart,
        );
    }
    (entries, seen)
}

/// The log's record of a chair's command that changed something, at `now`. `before` and
/// `after` are the looks taken just before and after it was carried out: a move (start now,
/// next, previous) names where it went, every other command what it acted on.
pub fn command_entry(
    command: &ChairCommand,
    after_state: &ChairState,
    before: &Observation,
    after: &Observation,
    now: DateTime<Utc>,
) -> LogEntry {
    let kind = match command {
        ChairCommand::StartNow => LogKind::StartNow,
        ChairCommand::TogglePause => {
            if after_state
                .timer
                .as_ref()
                .is_some_and(|timer| timer.paused_since.is_some())
            {
                LogKind::Pause
            } else {
                LogKind::Resume
            }
        }
        ChairCommand::AddTime(amount) => LogKind::Add {
            seconds: amount.num_seconds(),
        },
        ChairCommand::NextTalk => LogKind::Next,
        ChairCommand::PreviousTalk => LogKind::Previous,
        ChairCommand::QuestionsNow => LogKind::QuestionsNow,
        ChairCommand::EndTalk => LogKind::EndTalk,
        ChairCommand::Absorb(policy) => LogKind::Policy(*policy),
        ChairCommand::BackToSchedule => LogKind::BackToSchedule,
        ChairCommand::ShowMessage(text) => {
            LogKind::Message(after_state.message.clone().unwrap_or_else(|| text.clone()))
        }
        ChairCommand::ClearMessage => LogKind::ClearMessage,
        ChairCommand::ToggleBlank => {
            if after_state.blanked {
                LogKind::Blank
            } else {
                LogKind::Unblank
            }
        }
    };
    let moves = matches!(
        command,
        ChairCommand::StartNow | ChairCommand::NextTalk | ChairCommand::PreviousTalk
    );
    let (first, second) = if moves {
        (after, before)
    } else {
        (before, after)
    };
    let item = first.item.as_ref().or(second.item.as_ref());
    LogEntry {
        at: now,
        room: after.room.clone(),
        session: item.map(|item| item.id.clone()),
        talk: item.and_then(|item| item.talk.as_ref().map(|talk| talk.id.clone())),
        kind,
    }
}
