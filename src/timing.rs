//! The timing engine: what a room shows at an instant.
//!
//! [`status_at`] is a pure function of the schedule, the room, the instant and the chair's
//! overrides. It reads no clock and does no I/O, so the projector, the chair view, the command
//! line and the tests all get the same answer for the same instant. It decides everything from
//! absolute instants, never from day labels or wall-clock times, which keeps it right across
//! midnight and DST changes.
//!
//! A query costs O(log n) in the room's sessions plus the length of one day's program: the
//! current session is found by binary search on the room's timeline (see [`crate::model::Timeline`]).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::chair::{AbsorbPolicy, ChairState, TimerOverride};
use crate::model::{Placement, Room, RoomId, Schedule, Session, SessionId, Talk};
use crate::projection::{FirstStart, PlannedSlot, plan};

/// When the countdown changes colour: remaining time at or below `warning` is a warning, at or
/// below `danger` is danger, below zero is overtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Remaining time at which the warning phase begins (default 5 minutes).
    pub warning: Duration,
    /// Remaining time at which the danger phase begins (default 2 minutes).
    pub danger: Duration,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warning: Duration::minutes(5),
            danger: Duration::minutes(2),
        }
    }
}

/// How the remaining time of the running item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Plenty of time left.
    OnTime,
    /// Within the warning threshold.
    Warning,
    /// Within the danger threshold.
    Danger,
    /// Past the end: the countdown counts up.
    Overtime,
}

impl Phase {
    /// The phase for a remaining time.
    pub fn for_remaining(remaining: Duration, thresholds: &Thresholds) -> Phase {
        if remaining < Duration::zero() {
            Phase::Overtime
        } else if remaining <= thresholds.danger {
            Phase::Danger
        } else if remaining <= thresholds.warning {
            Phase::Warning
        } else {
            Phase::OnTime
        }
    }

    /// A word for the phase, for those who cannot tell the colours apart.
    pub fn label(self) -> &'static str {
        match self {
            Phase::OnTime => "on time",
            Phase::Warning => "warning",
            Phase::Danger => "wrap up",
            Phase::Overtime => "overtime",
        }
    }
}

/// The time of a running item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Countdown {
    /// When it started (for a chair-timed talk: when the chair started it).
    pub start: DateTime<Utc>,
    /// When it ends at the current pace (for a paused timer: if resumed now).
    pub end: DateTime<Utc>,
    /// Time spent so far, pauses excluded.
    pub elapsed: Duration,
    /// Time left; negative once over time.
    pub remaining: Duration,
}

impl Countdown {
    fn scheduled(start: DateTime<Utc>, end: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        Countdown {
            start,
            end,
            elapsed: now - start,
            remaining: end - now,
        }
    }
}

impl TimerOverride {
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

/// Which part of a talk's slot is on: the talk, or the questions at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TalkPart {
    /// The speaker is presenting.
    Talk,
    /// The question part at the end of the slot.
    Questions,
}

/// The talk being given.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveTalk<'a> {
    /// The talk.
    pub talk: &'a Talk,
    /// Its position in the session, from 0.
    pub index: usize,
    /// How many talks the session has.
    pub count: usize,
    /// The whole slot's time: the talk and its questions.
    pub countdown: Countdown,
    /// Which part of the slot is on.
    pub part: TalkPart,
    /// The time of the part that is on: to the questions in the talk part, to the end of the
    /// slot in the questions. The same as `countdown` for a talk without questions.
    pub part_countdown: Countdown,
    /// The question part in effect: the talk's own, or less when the chair has chosen to
    /// absorb a delay by shortening it.
    pub questions: Duration,
}

impl<'a> LiveTalk<'a> {
    /// Talk `index` of `session`, whose slot's time is `countdown`, with its part worked out:
    /// from the chair's early start of the questions, or from the talk's question part.
    fn new(
        session: &'a Session,
        index: usize,
        countdown: Countdown,
        questions: Duration,
        questions_since: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        let talk = &session.talks[index];
        let (part, part_countdown) = LiveTalk::split(countdown, questions, questions_since, now);
        LiveTalk {
            talk,
            index,
            count: session.talks.len(),
            countdown,
            part,
            part_countdown,
            questions,
        }
    }

    /// Splits a slot's countdown into its talk and question parts. The question part is the
    /// last `qa` of the slot, so a talk that runs over eats its own questions first and the
    /// slot still ends on time.
    fn split(
        slot: Countdown,
        qa: Duration,
        questions_since: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> (TalkPart, Countdown) {
        // The chair started the questions early: they run from then to the end of the slot.
        if let Some(since) = questions_since.filter(|since| *since <= now) {
            return (
                TalkPart::Questions,
                Countdown {
                    start: since,
                    end: slot.end,
                    elapsed: now - since,
                    remaining: slot.remaining,
                },
            );
        }
        if qa <= Duration::zero() {
            return (TalkPart::Talk, slot);
        }
        let questions_start = slot.end.checked_sub_signed(qa).unwrap_or(slot.end);
        if slot.remaining <= qa {
            (
                TalkPart::Questions,
                Countdown {
                    start: questions_start,
                    end: slot.end,
                    elapsed: qa - slot.remaining,
                    remaining: slot.remaining,
                },
            )
        } else {
            (
                TalkPart::Talk,
                Countdown {
                    start: slot.start,
                    end: questions_start,
                    elapsed: slot.elapsed,
                    remaining: slot.remaining - qa,
                },
            )
        }
    }
}

/// What the chair has changed about the running item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChairTiming {
    /// When the chair started it.
    pub started_at: DateTime<Utc>,
    /// Time added (or, when negative, taken away) by the chair.
    pub added: Duration,
    /// Whether the timer is paused.
    pub paused: bool,
    /// How much later than planned the item ends (negative when earlier).
    pub delay: Duration,
    /// When the session ends at the current pace, the remaining papers absorbing the delay
    /// as `policy` says.
    pub projected_session_end: DateTime<Utc>,
    /// When the session must be over: the start of what the room shows next (a break, the
    /// next session), or the session's planned end when nothing follows.
    pub hard_stop: DateTime<Utc>,
    /// How the remaining papers absorb a delay.
    pub policy: AbsorbPolicy,
}

impl ChairTiming {
    /// How far the projected end runs past the hard stop; zero when it does not.
    pub fn past_hard_stop(&self) -> Duration {
        (self.projected_session_end - self.hard_stop).max(Duration::zero())
    }
}

/// A paper still to come in the live session, at its projected time.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectedTalk<'a> {
    /// The talk.
    pub talk: &'a Talk,
    /// Its position in the session, from 0.
    pub index: usize,
    /// When it is projected to start, reach its questions and end.
    pub slot: PlannedSlot,
}

/// The wait after the chair ended a paper early: the next paper starts at its planned time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    /// When the wait ends: the next paper's planned start, or the session's end after its
    /// last paper.
    pub until: DateTime<Utc>,
    /// The wait, from the chair's end of the paper to `until`.
    pub countdown: Countdown,
}

/// A session that is on now.
#[derive(Debug, Clone, PartialEq)]
pub struct Live<'a> {
    /// The session.
    pub session: &'a Session,
    /// Whether it is a venue-wide item rather than one of the room's own.
    pub venue_wide: bool,
    /// The session's own time, as scheduled.
    pub session_countdown: Countdown,
    /// The talk being given, if the session has talks and one is on.
    pub talk: Option<LiveTalk<'a>>,
    /// The talk after the current one in this session (while holding, the one waited for).
    pub next_talk: Option<&'a Talk>,
    /// The papers still to come in this session, at their projected times: the planned
    /// ones when the session is on time.
    pub remaining_talks: Vec<ProjectedTalk<'a>>,
    /// Present while the room waits for the next paper's planned start.
    pub hold: Option<Hold>,
    /// The phase of [`Live::countdown`].
    pub phase: Phase,
    /// Present when the chair's overrides drive the timer.
    pub chair: Option<ChairTiming>,
}

impl Live<'_> {
    /// The countdown shown large: the wait for the next paper while holding, the current
    /// part of the talk when a talk is on (the talk itself, or its questions), else the
    /// session's.
    pub fn countdown(&self) -> &Countdown {
        if let Some(hold) = &self.hold {
            return &hold.countdown;
        }
        self.talk
            .as_ref()
            .map_or(&self.session_countdown, |talk| &talk.part_countdown)
    }
}

/// What the room is doing.
// `Live` is much larger than the other variants, but a status lives on the stack for one
// frame; boxing it would add an allocation to every query for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Activity<'a> {
    /// The event has not started; `starts_in` is the time until its first item in any room.
    BeforeEvent {
        /// Time until the event's first session.
        starts_in: Duration,
    },
    /// A session is on.
    Live(Live<'a>),
    /// Nothing is on in this room; something comes later (see [`RoomStatus::next`]).
    Between {
        /// The item that ended last in this room, if any.
        previous: Option<&'a Session>,
    },
    /// This room has nothing more, but the event goes on elsewhere.
    RoomDone,
    /// The event is over.
    AfterEvent,
}

/// The next item in the room: the next session the room will show, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Upcoming<'a> {
    /// The session.
    pub session: &'a Session,
    /// When the room starts showing it. Usually its start; later for a venue-wide item that
    /// the room's own session hides at first, or for a block that opens with a nested item.
    pub at: DateTime<Utc>,
    /// Time until `at`.
    pub starts_in: Duration,
}

impl<'a> Upcoming<'a> {
    /// Its first talk, if it has talks.
    pub fn first_talk(&self) -> Option<&'a Talk> {
        self.session.talks.first()
    }
}

/// Where an item of the day's program stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaState {
    /// Over.
    Past,
    /// On now.
    Current,
    /// Still to come.
    Upcoming,
}

/// One item of the room's program for a day.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaEntry<'a> {
    /// The session.
    pub session: &'a Session,
    /// Whether it is past, current or upcoming.
    pub state: AgendaState,
    /// Whether it is a venue-wide item.
    pub venue_wide: bool,
}

/// Something about the chair's overrides that the chair should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChairNotice {
    /// The session the chair was timing is no longer in the schedule; the schedule is followed.
    SessionRemoved(SessionId),
    /// The talk the chair was timing is no longer in its session; the schedule is followed.
    TalkRemoved(SessionId, String),
    /// The session the chair was timing is now in another room.
    SessionMoved(SessionId),
    /// The override is older than the program it applied to and is no longer used.
    Expired(SessionId),
}

impl ChairNotice {
    /// A sentence for the chair view.
    pub fn describe(&self) -> String {
        match self {
            ChairNotice::SessionRemoved(id) => {
                format!(
                    "The session you were timing ({}) is no longer in the schedule; showing the schedule.",
                    id.0
                )
            }
            ChairNotice::TalkRemoved(session, talk) => format!(
                "The talk you were timing ({talk} in {}) is no longer in the schedule; showing the schedule.",
                session.0
            ),
            ChairNotice::SessionMoved(id) => {
                format!(
                    "The session you were timing ({}) moved to another room; showing the schedule.",
                    id.0
                )
            }
            ChairNotice::Expired(id) => {
                format!(
                    "Your timing of {} ended with the next session; showing the schedule.",
                    id.0
                )
            }
        }
    }
}

/// Everything a room display shows at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomStatus<'a> {
    /// The instant this status is for.
    pub now: DateTime<Utc>,
    /// The room.
    pub room_id: RoomId,
    /// The room's names.
    pub room: &'a Room,
    /// The zone in which times are shown.
    pub time_zone: Tz,
    /// What is on.
    pub activity: Activity<'a>,
    /// The next item in this room (after the current one).
    pub next: Option<Upcoming<'a>>,
    /// The conference day `now` belongs to.
    pub today: NaiveDate,
    /// The conference day whose program [`RoomStatus::agenda`] lists: today's while the
    /// room is live, else the day of the next item.
    pub agenda_day: Option<NaiveDate>,
    /// The room's program for `agenda_day`, in order.
    pub agenda: Vec<AgendaEntry<'a>>,
    /// A message from the chair to the speaker, shown large.
    pub message: Option<&'a str>,
    /// Whether the chair has blanked the projector.
    pub blanked: bool,
    /// How the chair has chosen to absorb a delay.
    pub policy: AbsorbPolicy,
    /// A problem with the chair's overrides, for the chair view.
    pub chair_notice: Option<ChairNotice>,
}

impl RoomStatus<'_> {
    /// The live session, if any.
    pub fn live(&self) -> Option<&Live<'_>> {
        match &self.activity {
            Activity::Live(live) => Some(live),
            _ => None,
        }
    }
}

/// The item that is running: a session and optionally one of its talks, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RunningItem {
    pub session_index: usize,
    pub talk_index: Option<usize>,
}

/// Where the chair's override stands against the schedule.
pub(crate) enum OverrideCheck<'a> {
    /// No override.
    None,
    /// The override applies to this session and talk.
    Applies {
        session_index: usize,
        talk_index: Option<usize>,
        timer: &'a TimerOverride,
    },
    /// The override no longer applies, for the reason given.
    Stale(ChairNotice),
}

/// What the chair's timer means at an instant, once a paper the chair ended is taken into
/// account. A spent timer (the schedule is followed again) is no `Resolved` at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// This talk (or the session as a whole, without one) runs on this timer: the chair's own,
    /// or one that starts the next paper when a hold ended past its planned start.
    Running {
        talk_index: Option<usize>,
        timer: TimerOverride,
    },
    /// The chair ended talk `after` (or the session, without one); the room waits until
    /// `until`.
    Holding {
        after: Option<usize>,
        until: DateTime<Utc>,
    },
}

/// What the chair's `timer` on talk `talk_index` of `session` means at `now`. A paper the
/// chair ended is followed by a hold until the next paper's planned start (or the session's
/// end, after its last paper). A hold that reaches a planned start hands back to the
/// schedule (`None`); one that ended past it starts the next paper then, late.
pub(crate) fn resolve_timer(
    session: &Session,
    talk_index: Option<usize>,
    timer: &TimerOverride,
    now: DateTime<Utc>,
) -> Option<Resolved> {
    let Some(ended_at) = timer.ended_at else {
        return Some(Resolved::Running {
            talk_index,
            timer: timer.clone(),
        });
    };
    let next_index = talk_index
        .map(|index| index + 1)
        .filter(|&index| index < session.talks.len());
    let planned_start = next_index.map_or(session.end, |index| session.talks[index].start);
    let until = ended_at.max(planned_start);
    if now < until {
        return Some(Resolved::Holding {
            after: talk_index,
            until,
        });
    }
    match next_index {
        Some(index) if until > planned_start => Some(Resolved::Running {
            talk_index: Some(index),
            timer: TimerOverride::new(
                session.id.clone(),
                Some(session.talks[index].id.clone()),
                until,
            ),
        }),
        _ => None,
    }
}

/// Computes what `room` shows at `now`.
pub fn status_at<'a>(
    schedule: &'a Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    chair: &'a ChairState,
    thresholds: &Thresholds,
) -> RoomStatus<'a> {
    let started = schedule.timeline(room).count_started(now);
    let (chair_item, chair_notice) = match check_override(schedule, room, now, chair) {
        OverrideCheck::Stale(notice) => (None, Some(notice)),
        OverrideCheck::None => (None, None),
        OverrideCheck::Applies {
            session_index,
            talk_index,
            timer,
        } => {
            let session = &schedule.sessions()[session_index];
            (
                resolve_timer(session, talk_index, timer, now)
                    .map(|resolved| (session_index, resolved, timer)),
                None,
            )
        }
    };
    let scheduled = match chair_item {
        Some(_) => None,
        None => scheduled_running(schedule, room, now, started),
    };
    let live_index = chair_item
        .as_ref()
        .map(|(index, _, _)| *index)
        .or(scheduled.map(|item| item.session_index));

    let next = next_in_room(schedule, room, now, live_index);
    let live = match (chair_item, scheduled) {
        (Some((session_index, resolved, timer)), _) => {
            let session = &schedule.sessions()[session_index];
            // The chair's projection is measured against what comes next in the room.
            let hard_stop = next
                .as_ref()
                .map_or(session.end, |next| next.at.max(session.start));
            let context = ChairContext {
                timer,
                policy: chair.policy,
                hard_stop,
                now,
            };
            Some(match resolved {
                Resolved::Running { talk_index, timer } => chair_live(
                    schedule,
                    session_index,
                    talk_index,
                    &ChairContext {
                        timer: &timer,
                        ..context
                    },
                    thresholds,
                ),
                Resolved::Holding { after, until } => {
                    holding_live(schedule, session_index, after, until, &context)
                }
            })
        }
        (None, Some(item)) => Some(scheduled_live(schedule, item, now, thresholds)),
        (None, None) => None,
    };
    let activity = match live {
        Some(live) => Activity::Live(live),
        None if now < schedule.first_start() => Activity::BeforeEvent {
            starts_in: schedule.first_start() - now,
        },
        None if next.is_some() => Activity::Between {
            previous: previous_in_room(schedule, room, started),
        },
        None if now >= schedule.last_end() => Activity::AfterEvent,
        None => Activity::RoomDone,
    };

    let (agenda_day, agenda) = agenda(schedule, room, now, &activity, next.as_ref());
    RoomStatus {
        now,
        room_id: room,
        room: schedule.room(room),
        time_zone: schedule.event().time_zone,
        activity,
        next,
        today: schedule.conference_day(now),
        agenda_day,
        agenda,
        message: chair.message.as_deref(),
        blanked: chair.blanked,
        policy: chair.policy,
        chair_notice,
    }
}

/// The session the room shows at `now` by the schedule alone: the one rule of
/// docs/schedule-format.md ("What a room shows"). Among the sessions running at `now`, the
/// room's own come before venue-wide ones; then the latest start wins; between equal starts the
/// earliest end (the nested one); between equal starts and ends the first in the file.
/// `started` is the number of timeline entries that start at or before `now`.
pub(crate) fn shown_session(
    schedule: &Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    started: usize,
) -> Option<usize> {
    shown_position(schedule, room, now, started)
        .map(|position| schedule.timeline(room).sessions[position])
}

/// [`shown_session`] as a position in the room's timeline.
fn shown_position(
    schedule: &Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    started: usize,
) -> Option<usize> {
    let timeline = schedule.timeline(room);
    let sessions = schedule.sessions();
    // Candidates are kept as (timeline position, session index).
    let mut own: Option<(usize, usize)> = None;
    let mut venue_wide: Option<(usize, usize)> = None;
    for position in (0..started).rev() {
        // No earlier entry can still be running: nothing before this one ends after `now`.
        if timeline.latest_end_so_far[position] <= now {
            break;
        }
        let index = timeline.sessions[position];
        let session = &sessions[index];
        // Entries are ordered by start, so once the room's own session is found only those
        // with the same start can still beat it.
        if own.is_some_and(|(_, best)| session.start < sessions[best].start) {
            break;
        }
        if session.end <= now {
            continue;
        }
        let best = if session.placement == Placement::AllRooms {
            &mut venue_wide
        } else {
            &mut own
        };
        if best.is_none_or(|(_, best)| shows_before(sessions, index, best)) {
            *best = Some((position, index));
        }
    }
    own.or(venue_wide).map(|(position, _)| position)
}

/// Whether session `candidate` is preferred to `other` of the same placement: a later start,
/// then an earlier end, then earlier in the file.
fn shows_before(sessions: &[Session], candidate: usize, other: usize) -> bool {
    let (a, b) = (&sessions[candidate], &sessions[other]);
    (std::cmp::Reverse(a.start), a.end, candidate) < (std::cmp::Reverse(b.start), b.end, other)
}

/// The session the room shows at `instant`, by the schedule alone.
pub(crate) fn shown_session_at(
    schedule: &Schedule,
    room: RoomId,
    instant: DateTime<Utc>,
) -> Option<usize> {
    let started = schedule.timeline(room).count_started(instant);
    shown_session(schedule, room, instant, started)
}

/// The first instant after `instant` at which what the room shows can change, given that it
/// shows `shown` at `instant`: the next start in the room, or the end of the shown session.
/// The end of a session that is not shown changes nothing, since it was not the preferred one.
fn next_change(
    schedule: &Schedule,
    room: RoomId,
    instant: DateTime<Utc>,
    shown: Option<usize>,
) -> Option<DateTime<Utc>> {
    let timeline = schedule.timeline(room);
    let next_start = timeline
        .starts
        .get(timeline.count_started(instant))
        .copied();
    let shown_end = shown.map(|index| schedule.sessions()[index].end);
    match (next_start, shown_end) {
        (Some(start), Some(end)) => Some(start.min(end)),
        (start, end) => start.or(end),
    }
}

/// The session (and talk) running at `now` by the schedule alone.
pub(crate) fn scheduled_running(
    schedule: &Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    started: usize,
) -> Option<RunningItem> {
    let session_index = shown_session(schedule, room, now, started)?;
    let session = &schedule.sessions()[session_index];
    let talk_index = session
        .talks
        .iter()
        .position(|talk| talk.start <= now && now < talk.end);
    Some(RunningItem {
        session_index,
        talk_index,
    })
}

fn scheduled_live<'a>(
    schedule: &'a Schedule,
    item: RunningItem,
    now: DateTime<Utc>,
    thresholds: &Thresholds,
) -> Live<'a> {
    let session = &schedule.sessions()[item.session_index];
    let session_countdown = Countdown::scheduled(session.start, session.end, now);
    let talk = item.talk_index.map(|index| {
        let talk = &session.talks[index];
        let countdown = Countdown::scheduled(talk.start, talk.end, now);
        LiveTalk::new(session, index, countdown, talk.qa, None, now)
    });
    // Between two talks (a gap the file leaves), the next talk is the first that starts later.
    let next_index = match item.talk_index {
        Some(index) => index + 1,
        None => session.talks.partition_point(|talk| talk.start <= now),
    };
    // On the schedule, the papers still to come are at their planned times.
    let remaining_talks = session
        .talks
        .iter()
        .enumerate()
        .skip(next_index)
        .map(|(index, talk)| ProjectedTalk {
            talk,
            index,
            slot: PlannedSlot {
                start: talk.start,
                questions_start: talk.questions_start(),
                end: talk.end,
            },
        })
        .collect();
    let remaining = talk
        .as_ref()
        .map_or(session_countdown.remaining, |t| t.part_countdown.remaining);
    Live {
        session,
        venue_wide: schedule.is_venue_wide(session),
        session_countdown,
        talk,
        next_talk: session.talks.get(next_index),
        remaining_talks,
        hold: None,
        phase: Phase::for_remaining(remaining, thresholds),
        chair: None,
    }
}

/// What the chair's timing of a session is measured against.
#[derive(Clone, Copy)]
struct ChairContext<'t> {
    /// The timer in effect.
    timer: &'t TimerOverride,
    /// How the remaining papers absorb a delay.
    policy: AbsorbPolicy,
    /// When the session must be over.
    hard_stop: DateTime<Utc>,
    now: DateTime<Utc>,
}

/// The papers of `session` from `first_index` on, projected from `first` under the policy.
fn project<'a>(
    session: &'a Session,
    first_index: usize,
    first: FirstStart,
    context: &ChairContext<'_>,
) -> Vec<ProjectedTalk<'a>> {
    let talks = session.talks.get(first_index..).unwrap_or_default();
    plan(context.policy, talks, first, context.hard_stop)
        .into_iter()
        .zip(talks)
        .enumerate()
        .map(|(offset, (slot, talk))| ProjectedTalk {
            talk,
            index: first_index + offset,
            slot,
        })
        .collect()
}

fn chair_live<'a>(
    schedule: &'a Schedule,
    session_index: usize,
    talk_index: Option<usize>,
    context: &ChairContext<'_>,
    thresholds: &Thresholds,
) -> Live<'a> {
    let (timer, now) = (context.timer, context.now);
    let session = &schedule.sessions()[session_index];
    // The paper's own slot under the policy, as projected from when it started: fixed while
    // it runs, and changed at once when the chair changes the policy.
    let own_slot = talk_index.and_then(|index| {
        project(
            session,
            index,
            FirstStart::Actual(timer.started_at),
            context,
        )
        .first()
        .map(|projected| projected.slot)
    });
    let planned = own_slot.map_or(session.duration(), |slot| slot.length());
    let countdown = timer.countdown(planned, now);
    // The next paper starts when this one ends, or now if it runs over.
    let this_ends = countdown.end.max(now);
    let remaining_talks = talk_index.map_or_else(Vec::new, |index| {
        project(
            session,
            index + 1,
            FirstStart::NotBefore(this_ends),
            context,
        )
    });
    let projected_session_end = remaining_talks
        .last()
        .map_or(this_ends, |last| last.slot.end);
    let planned_end = talk_index.map_or(session.end, |index| session.talks[index].end);
    let talk = talk_index.map(|index| {
        let questions = own_slot.map_or(Duration::zero(), |slot| slot.questions());
        LiveTalk::new(
            session,
            index,
            countdown,
            questions,
            timer.questions_since,
            now,
        )
    });
    let shown_remaining = talk
        .as_ref()
        .map_or(countdown.remaining, |talk| talk.part_countdown.remaining);
    Live {
        session,
        venue_wide: schedule.is_venue_wide(session),
        // Without a talk, the chair times the session itself.
        session_countdown: if talk_index.is_some() {
            Countdown::scheduled(session.start, session.end, now)
        } else {
            countdown
        },
        next_talk: talk_index.and_then(|index| session.talks.get(index + 1)),
        remaining_talks,
        hold: None,
        phase: Phase::for_remaining(shown_remaining, thresholds),
        talk,
        chair: Some(ChairTiming {
            started_at: timer.started_at,
            added: timer.added,
            paused: timer.paused_since.is_some(),
            delay: countdown.end - planned_end,
            projected_session_end,
            hard_stop: context.hard_stop,
            policy: context.policy,
        }),
    }
}

/// The room waits after the chair ended paper `after` (or the session, without one) early:
/// until the next paper's planned start, or the session's end after its last paper.
fn holding_live<'a>(
    schedule: &'a Schedule,
    session_index: usize,
    after: Option<usize>,
    until: DateTime<Utc>,
    context: &ChairContext<'_>,
) -> Live<'a> {
    let (timer, now) = (context.timer, context.now);
    let session = &schedule.sessions()[session_index];
    let ended_at = timer.ended_at.unwrap_or(now).min(until);
    let next_index = after.map_or(session.talks.len(), |index| index + 1);
    let remaining_talks = project(session, next_index, FirstStart::NotBefore(until), context);
    let projected_session_end = remaining_talks.last().map_or(until, |last| last.slot.end);
    let planned_end = after.map_or(session.end, |index| session.talks[index].end);
    Live {
        session,
        venue_wide: schedule.is_venue_wide(session),
        session_countdown: Countdown::scheduled(session.start, session.end, now),
        talk: None,
        next_talk: session.talks.get(next_index),
        remaining_talks,
        hold: Some(Hold {
            until,
            countdown: Countdown::scheduled(ended_at, until, now),
        }),
        // A wait is never late: the next paper starts on time.
        phase: Phase::OnTime,
        chair: Some(ChairTiming {
            started_at: timer.started_at,
            added: timer.added,
            paused: false,
            delay: ended_at - planned_end,
            projected_session_end,
            hard_stop: context.hard_stop,
            policy: context.policy,
        }),
    }
}

/// Finds the session the chair's timer refers to and decides whether it still applies.
///
/// An override holds until the chair moves on, or until the end of the session that follows
/// the overridden one in the room (or an hour after its own end if nothing follows). A chair
/// who forgets to hand back to the schedule therefore loses at most one slot, while a talk
/// that runs over into the next slot keeps its countdown.
pub(crate) fn check_override<'a>(
    schedule: &Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    chair: &'a ChairState,
) -> OverrideCheck<'a> {
    let Some(timer) = &chair.timer else {
        return OverrideCheck::None;
    };
    let Some((session_index, session)) = schedule.session_by_id(&timer.session) else {
        return OverrideCheck::Stale(ChairNotice::SessionRemoved(timer.session.clone()));
    };
    if let Placement::Room(session_room) = session.placement
        && session_room != room
    {
        return OverrideCheck::Stale(ChairNotice::SessionMoved(timer.session.clone()));
    }
    let talk_index = match &timer.talk {
        None => None,
        Some(talk_id) => match session.talk_by_id(talk_id) {
            Some((index, _)) => Some(index),
            None => {
                return OverrideCheck::Stale(ChairNotice::TalkRemoved(
                    timer.session.clone(),
                    talk_id.0.clone(),
                ));
            }
        },
    };
    let hour_after_end = session
        .end
        .checked_add_signed(Duration::hours(1))
        .unwrap_or(session.end);
    let expiry = following_session(schedule, room, session_index)
        .map_or(hour_after_end, |following| following.end.max(session.end));
    let too_early = timer
        .started_at
        .min(session.start)
        .checked_sub_signed(Duration::hours(12))
        .is_some_and(|earliest| now < earliest);
    if now >= expiry || too_early {
        return OverrideCheck::Stale(ChairNotice::Expired(timer.session.clone()));
    }
    OverrideCheck::Applies {
        session_index,
        talk_index,
        timer,
    }
}

/// The first session in the room's timeline that starts after the given one starts.
pub(crate) fn following_session(
    schedule: &Schedule,
    room: RoomId,
    session_index: usize,
) -> Option<&Session> {
    let session = &schedule.sessions()[session_index];
    let timeline = schedule.timeline(room);
    let from = timeline.count_started(session.start);
    timeline.sessions[from..]
        .iter()
        .map(|&index| &schedule.sessions()[index])
        .find(|candidate| candidate.id != session.id)
}

/// The session before the given one in the room's timeline.
pub(crate) fn preceding_session(
    schedule: &Schedule,
    room: RoomId,
    session_index: usize,
) -> Option<&Session> {
    let session = &schedule.sessions()[session_index];
    let timeline = schedule.timeline(room);
    let before = timeline
        .starts
        .partition_point(|&start| start < session.start);
    timeline.sessions[..before]
        .last()
        .map(|&index| &schedule.sessions()[index])
}

/// What the room shows next after the live session (or, with nothing live, at all): the first
/// instant from `now` on at which the schedule shows another session. Starting at `now` itself
/// matters while the chair runs a session past its end: the schedule may already show the next.
pub(crate) fn next_in_room(
    schedule: &Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    live_index: Option<usize>,
) -> Option<Upcoming<'_>> {
    let mut instant = now;
    let mut shown = shown_session_at(schedule, room, now);
    loop {
        if let Some(index) = shown
            && Some(index) != live_index
        {
            return Some(Upcoming {
                session: &schedule.sessions()[index],
                at: instant,
                starts_in: instant - now,
            });
        }
        instant = next_change(schedule, room, instant, shown)?;
        shown = shown_session_at(schedule, room, instant);
    }
}

/// The session that ended last among those started: the one whose end reached the running
/// maximum of ends first. O(log n) by binary search on that non-decreasing maximum.
fn previous_in_room(schedule: &Schedule, room: RoomId, started: usize) -> Option<&Session> {
    let timeline = schedule.timeline(room);
    let latest_end = *timeline.latest_end_so_far[..started].last()?;
    let position = timeline.latest_end_so_far[..started].partition_point(|&end| end < latest_end);
    let &index = timeline.sessions.get(position)?;
    Some(&schedule.sessions()[index])
}

fn agenda<'a>(
    schedule: &'a Schedule,
    room: RoomId,
    now: DateTime<Utc>,
    activity: &Activity<'a>,
    next: Option<&Upcoming<'a>>,
) -> (Option<NaiveDate>, Vec<AgendaEntry<'a>>) {
    let day = match (activity, next) {
        (Activity::Live(live), _) => {
            schedule.conference_day(live.session.start.max(now.min(live.session.end)))
        }
        (_, Some(next)) => schedule.conference_day(next.session.start),
        _ => return (None, Vec::new()),
    };
    let live_id = match activity {
        Activity::Live(live) => Some(&live.session.id),
        _ => None,
    };
    let timeline = schedule.timeline(room);
    let day_begin = schedule.day_start(day);
    let day_end = schedule.day_start(day.succ_opt().unwrap_or(day));
    let from = timeline.starts.partition_point(|&start| start < day_begin);
    let to = timeline.starts.partition_point(|&start| start < day_end);
    let ever_shown = ever_shown(schedule, room);
    let entries = (from..to)
        .filter(|&position| {
            // The chair may be timing a session the schedule alone would not show.
            ever_shown[position]
                || Some(&schedule.sessions()[timeline.sessions[position]].id) == live_id
        })
        .map(|position| {
            let index = timeline.sessions[position];
            let session = &schedule.sessions()[index];
            let state = if Some(&session.id) == live_id {
                AgendaState::Current
            } else if session.end <= now {
                AgendaState::Past
            } else if session.start <= now {
                // Running, but hidden by the live session (an overlap or a venue-wide item).
                AgendaState::Past
            } else {
                AgendaState::Upcoming
            };
            AgendaEntry {
                session,
                state,
                venue_wide: schedule.is_venue_wide(session),
            }
        })
        .collect();
    (Some(day), entries)
}

/// For each entry of the room's timeline, whether the room shows it at some instant by the
/// schedule alone. Computed on the first call for a schedule and room, by following what the
/// room shows from its first start to its last end, and kept with the schedule.
fn ever_shown(schedule: &Schedule, room: RoomId) -> &[bool] {
    schedule
        .timeline(room)
        .ever_shown
        .0
        .get_or_init(|| follow_shown(schedule, room))
}

fn follow_shown(schedule: &Schedule, room: RoomId) -> Vec<bool> {
    let timeline = schedule.timeline(room);
    let mut shown_ever = vec![false; timeline.sessions.len()];
    let (Some(&first_start), Some(&last_end)) =
        (timeline.starts.first(), timeline.latest_end_so_far.last())
    else {
        return shown_ever;
    };
    let mut instant = first_start;
    // Each step moves to a later instant (a later start, or the end of the shown session),
    // so the walk visits every instant at which what the room shows can change.
    while instant < last_end {
        let started = timeline.count_started(instant);
        let shown = shown_position(schedule, room, instant, started);
        if let Some(position) = shown {
            shown_ever[position] = true;
        }
        let shown_index = shown.map(|position| timeline.sessions[position]);
        let Some(change) = next_change(schedule, room, instant, shown_index) else {
            break;
        };
        instant = change;
    }
    shown_ever
}
