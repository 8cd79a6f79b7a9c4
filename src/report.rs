//! The command line's views of a schedule: a room's status as text or JSON, the rooms, an
//! agenda, planned against actual. The JSON types are serde types at the edge, converted from
//! [`RoomStatus`] and from [`crate::planned`]'s reports.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::model::{Placement, RoomId, Schedule, Session, Talk};
use crate::text;
use crate::timing::{Activity, AgendaState, RoomStatus, TalkPart};

/// The status as readable text, as `lectern now` prints it.
pub fn status_text(schedule: &Schedule, status: &RoomStatus<'_>) -> String {
    let zone = status.time_zone;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} — {}, {}",
        schedule.event().short_name,
        status.room.name,
        text::date(status.now.with_timezone(&zone).date_naive()),
        text::time_with_zone(status.now, zone)
    );
    out.push('\n');
    match &status.activity {
        Activity::BeforeEvent { starts_in } => {
            let _ = writeln!(
                out,
                "Before the event: it starts in {}.",
                text::countdown(*starts_in)
            );
        }
        Activity::Live(live) => {
            let session = live.session;
            let _ = writeln!(
                out,
                "Now: {} ({}–{}){}",
                session.display_title(),
                text::time_of_day(session.start, zone),
                text::time_of_day(session.end, zone),
                place_suffix(session, live.venue_wide)
            );
            if !session.chairs.is_empty() {
                let _ = writeln!(
                    out,
                    "  {}: {}",
                    session.chair_role,
                    text::people_line(&session.chairs)
                );
            }
            if let Some(talk) = &live.talk {
                if talk.count > 1 {
                    let _ = writeln!(
                        out,
                        "  Paper {} of {}: {}",
                        talk.index + 1,
                        talk.count,
                        talk.talk.title
                    );
                } else if talk.talk.title != session.display_title() {
                    let _ = writeln!(out, "  Talk: {}", talk.talk.title);
                }
                if !talk.talk.speakers.is_empty() {
                    let _ = writeln!(out, "  {}", text::people_line(&talk.talk.speakers));
                }
                let _ = writeln!(
                    out,
                    "  {} left ({}–{}), {}",
                    text::countdown(talk.countdown.remaining),
                    text::time_of_day(talk.countdown.start, zone),
                    text::time_of_day(talk.countdown.end, zone),
                    live.phase.label()
                );
                if talk.questions > chrono::Duration::zero() {
                    let line = match talk.part {
                        TalkPart::Talk => format!(
                            "  Talk: {} left, then questions until {}",
                            text::countdown(talk.part_countdown.remaining),
                            text::time_of_day(talk.countdown.end, zone)
                        ),
                        TalkPart::Questions => format!(
                            "  Questions now: {} left",
                            text::countdown(talk.part_countdown.remaining)
                        ),
                    };
                    let _ = writeln!(out, "{line}");
                }
                let _ = writeln!(
                    out,
                    "  Session: {} left",
                    text::countdown(live.session_countdown.remaining)
                );
            } else if let Some(hold) = &live.hold {
                let waiting_for = live
                    .remaining_talks
                    .first()
                    .map_or("the next item".to_owned(), |next| {
                        format!("paper {}", next.index + 1)
                    });
                let _ = writeln!(
                    out,
                    "  Holding for {waiting_for} at {} (in {})",
                    text::time_of_day(hold.until, zone),
                    text::countdown(hold.countdown.remaining)
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {} left, {}",
                    text::countdown(live.session_countdown.remaining),
                    live.phase.label()
                );
            }
            if let Some(timing) = &live.chair {
                let _ = writeln!(
                    out,
                    "  Chair timing: started {}{}{}; delays: {}",
                    text::time_of_day(timing.started_at, zone),
                    if timing.paused { ", paused" } else { "" },
                    if timing.added.is_zero() {
                        String::new()
                    } else {
                        format!(", {:+} min", timing.added.num_minutes())
                    },
                    timing.policy.describe()
                );
                let _ = writeln!(
                    out,
                    "  Session ends {} (hard stop {})",
                    text::time_of_day(timing.projected_session_end, zone),
                    text::time_of_day(timing.hard_stop, zone)
                );
            }
            for (position, projected) in live.remaining_talks.iter().enumerate() {
                let moved = projected.slot.start != projected.talk.start
                    || projected.slot.end != projected.talk.end;
                let _ = writeln!(
                    out,
                    "{} {}–{}{}: {}",
                    if position == 0 {
                        "Next paper at"
                    } else {
                        "  then at"
                    },
                    text::time_of_day(projected.slot.start, zone),
                    text::time_of_day(projected.slot.end, zone),
                    if moved {
                        format!(
                            " (planned {}–{})",
                            text::time_of_day(projected.talk.start, zone),
                            text::time_of_day(projected.talk.end, zone)
                        )
                    } else {
                        String::new()
                    },
                    talk_line(projected.talk)
                );
            }
        }
        Activity::Between { .. } => {
            out.push_str("Nothing on in this room right now.\n");
        }
        Activity::RoomDone => {
            out.push_str("Nothing more in this room; the event goes on elsewhere.\n")
        }
        Activity::AfterEvent => out.push_str("The event is over.\n"),
    }
    if let Some(next) = &status.next {
        let _ = writeln!(
            out,
            "Next: {} at {} (in {}){}",
            next.session.display_title(),
            text::time_of_day(next.at, zone),
            text::countdown(next.starts_in),
            place_suffix(next.session, false)
        );
        if let Some(first) = next.first_talk() {
            let _ = writeln!(out, "  First paper: {}", talk_line(first));
        }
    }
    if let Some(message) = status.message {
        let _ = writeln!(out, "Message to the speaker: {message}");
    }
    if status.blanked {
        out.push_str("The projector is blanked.\n");
    }
    let upcoming: Vec<_> = status
        .agenda
        .iter()
        .filter(|entry| entry.state == AgendaState::Upcoming)
        .filter(|entry| {
            status
                .next
                .as_ref()
                .is_none_or(|next| next.session.id != entry.session.id)
        })
        .collect();
    if !upcoming.is_empty() {
        let heading = match status.agenda_day {
            Some(day) if status.live().is_none() => format!("Later ({})", text::date(day)),
            _ => "Later today".to_owned(),
        };
        let _ = writeln!(out, "\n{heading}:");
        for entry in upcoming {
            let _ = writeln!(out, "  {}", agenda_line(entry.session, schedule));
        }
    }
    out
}

fn talk_line(talk: &Talk) -> String {
    if talk.speakers.is_empty() {
        talk.title.clone()
    } else {
        format!("{} — {}", talk.title, text::people_line(&talk.speakers))
    }
}

/// ", in Puma" or ", all rooms", to follow a title.
fn place_suffix(session: &Session, venue_wide: bool) -> String {
    text::place(session, venue_wide).map_or_else(String::new, |place| format!(", {place}"))
}

fn agenda_line(session: &Session, schedule: &Schedule) -> String {
    let zone = schedule.event().time_zone;
    let mut line = format!(
        "{}–{}  {}",
        text::time_of_day(session.start, zone),
        text::time_of_day(session.end, zone),
        session.display_title()
    );
    line.push_str(&place_suffix(session, schedule.is_venue_wide(session)));
    if !session.talks.is_empty() {
        let _ = write!(
            line,
            " ({})",
            text::count(session.talks.len(), "paper", "papers")
        );
    }
    line
}

/// The rooms, one per line, the default room marked.
pub fn rooms_text(schedule: &Schedule) -> String {
    let mut out = String::new();
    for (index, room) in schedule.rooms().iter().enumerate() {
        let id = RoomId(index);
        let count = schedule
            .room_sessions(id)
            .filter(|session| session.placement != Placement::AllRooms)
            .count();
        let marker = if schedule.event().default_room == id {
            " (default)"
        } else {
            ""
        };
        let short = if room.short_name != room.name {
            format!(" [{}]", room.short_name)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}{short}{marker}: {}",
            room.name,
            text::count(count, "session", "sessions")
        );
    }
    out
}

/// The program of a room, grouped by conference day; only `day` when given.
pub fn agenda_text(schedule: &Schedule, room: RoomId, day: Option<NaiveDate>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {}",
        schedule.event().short_name,
        schedule.room(room).name
    );
    let mut current_day: Option<NaiveDate> = None;
    for session in schedule.room_sessions(room) {
        let session_day = schedule.conference_day(session.start);
        if day.is_some_and(|wanted| wanted != session_day) {
            continue;
        }
        if current_day != Some(session_day) {
            let _ = writeln!(out, "\n{}", text::date(session_day));
            current_day = Some(session_day);
        }
        let _ = writeln!(out, "  {}", agenda_line(session, schedule));
        let zone = schedule.event().time_zone;
        for talk in &session.talks {
            let _ = writeln!(
                out,
                "      {}  {}",
                text::time_of_day(talk.start, zone),
                talk_line(talk)
            );
        }
    }
    if current_day.is_none() {
        out.push_str("\nNothing scheduled");
        if let Some(day) = day {
            let _ = write!(out, " on {}", text::date(day));
        }
        out.push_str(".\n");
    }
    out
}

/// A person in the JSON output.
#[derive(Debug, Serialize)]
pub struct PersonJson {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<String>,
}

/// A talk in the JSON output.
#[derive(Debug, Serialize)]
pub struct TalkJson {
    id: String,
    title: String,
    speakers: Vec<PersonJson>,
    /// The speakers as the projector writes them, grouped by affiliation.
    speakers_line: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// A session in the JSON output.
#[derive(Debug, Serialize)]
pub struct SessionJson {
    id: String,
    title: String,
    untitled: bool,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    chairs: Vec<PersonJson>,
}

/// The running item in the JSON output.
#[derive(Debug, Serialize)]
pub struct LiveJson {
    session: SessionJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    talk: Option<TalkJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    talk_number: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    talk_count: Option<usize>,
    remaining_seconds: i64,
    /// Time left in milliseconds; negative once over time.
    remaining_ms: i64,
    remaining: String,
    /// When the countdown reaches zero at the current pace; a paused countdown's end moves.
    countdown_end: DateTime<Utc>,
    /// Which part of the talk's slot is on, `talk` or `questions`, when a talk is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'static str>,
    /// When the talk's slot ends, questions included, at the current pace.
    #[serde(skip_serializing_if = "Option::is_none")]
    slot_end: Option<DateTime<Utc>>,
    /// The question part's length in seconds, when the talk has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    questions_seconds: Option<i64>,
    elapsed_seconds: i64,
    session_remaining_seconds: i64,
    phase: &'static str,
    chair_timed: bool,
    paused: bool,
    /// How much later than planned the item ends, when the chair times it.
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<i64>,
    /// When the session ends at the current pace, the remaining papers absorbing the delay
    /// as the chair's policy says.
    #[serde(skip_serializing_if = "Option::is_none")]
    projected_session_end: Option<DateTime<Utc>>,
    /// How the remaining papers absorb a delay (`push`, `trim_questions`, `shrink`), when the
    /// chair times the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'static str>,
    /// While the room waits for the next paper after the chair ended one early: when it
    /// starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    hold_until: Option<DateTime<Utc>>,
    /// The papers still to come in the session, at their projected times.
    remaining_talks: Vec<ProjectedTalkJson>,
    /// When the session must be over: the start of what follows in the room.
    #[serde(skip_serializing_if = "Option::is_none")]
    hard_stop: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_talk: Option<TalkJson>,
}

/// A paper still to come, at its projected time.
#[derive(Debug, Serialize)]
pub struct ProjectedTalkJson {
    talk: TalkJson,
    /// Its position in the session, from 1.
    number: usize,
    /// When it is projected to start, reach its questions and end (the talk's own `start`
    /// and `end` are the planned ones).
    projected_start: DateTime<Utc>,
    projected_questions_start: DateTime<Utc>,
    projected_end: DateTime<Utc>,
}

/// The next item in the JSON output.
#[derive(Debug, Serialize)]
pub struct NextJson {
    session: SessionJson,
    /// When the room starts showing it: its start, or later when something hides it at first.
    at: DateTime<Utc>,
    starts_in_seconds: i64,
    starts_in: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_talk: Option<TalkJson>,
}

/// A room's status as JSON, as `lectern now --json` prints it.
#[derive(Debug, Serialize)]
pub struct StatusJson {
    event: String,
    room: String,
    now: DateTime<Utc>,
    local_time: String,
    time_zone: String,
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    starts_in_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    live: Option<LiveJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<NextJson>,
    later_today: Vec<SessionJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    blanked: bool,
    /// How the chair has chosen to absorb a delay: `push`, `trim_questions` or `shrink`.
    policy: &'static str,
}

fn person_json(person: &crate::model::Person) -> PersonJson {
    PersonJson {
        name: person.name.clone(),
        affiliation: person.affiliation.clone(),
    }
}

fn talk_json(talk: &Talk) -> TalkJson {
    TalkJson {
        id: talk.id.0.clone(),
        title: talk.title.clone(),
        speakers: talk.speakers.iter().map(person_json).collect(),
        speakers_line: text::people_line(&talk.speakers),
        start: talk.start,
        end: talk.end,
    }
}

fn session_json(session: &Session) -> SessionJson {
    SessionJson {
        id: session.id.0.clone(),
        title: session.display_title().to_owned(),
        untitled: session.title.is_none(),
        kind: session.kind.as_str(),
        location: session.location.clone(),
        start: session.start,
        end: session.end,
        chairs: session.chairs.iter().map(person_json).collect(),
    }
}

/// Converts a status into its JSON form.
pub fn status_json(schedule: &Schedule, status: &RoomStatus<'_>) -> StatusJson {
    let (state, starts_in_seconds, live) = match &status.activity {
        Activity::BeforeEvent { starts_in } => {
            ("before_event", Some(starts_in.num_seconds()), None)
        }
        Activity::Live(live) => {
            let countdown = live.countdown();
            (
                "live",
                None,
                Some(LiveJson {
                    session: session_json(live.session),
                    talk: live.talk.as_ref().map(|talk| talk_json(talk.talk)),
                    talk_number: live.talk.as_ref().map(|talk| talk.index + 1),
                    talk_count: live.talk.as_ref().map(|talk| talk.count),
                    remaining_seconds: countdown.remaining.num_seconds(),
                    remaining_ms: countdown.remaining.num_milliseconds(),
                    remaining: text::countdown(countdown.remaining),
                    countdown_end: countdown.end,
                    part: live.talk.as_ref().map(|talk| match talk.part {
                        TalkPart::Talk => "talk",
                        TalkPart::Questions => "questions",
                    }),
                    slot_end: live.talk.as_ref().map(|talk| talk.countdown.end),
                    questions_seconds: live
                        .talk
                        .as_ref()
                        .map(|talk| talk.questions.num_seconds())
                        .filter(|seconds| *seconds > 0),
                    elapsed_seconds: countdown.elapsed.num_seconds(),
                    session_remaining_seconds: live.session_countdown.remaining.num_seconds(),
                    phase: phase_name(live.phase),
                    chair_timed: live.chair.is_some(),
                    paused: live.chair.is_some_and(|chair| chair.paused),
                    delay_seconds: live.chair.map(|chair| chair.delay.num_seconds()),
                    projected_session_end: live.chair.map(|chair| chair.projected_session_end),
                    hard_stop: live.chair.map(|chair| chair.hard_stop),
                    policy: live.chair.map(|chair| chair.policy.as_str()),
                    hold_until: live.hold.map(|hold| hold.until),
                    remaining_talks: live
                        .remaining_talks
                        .iter()
                        .map(|projected| ProjectedTalkJson {
                            talk: talk_json(projected.talk),
                            number: projected.index + 1,
                            projected_start: projected.slot.start,
                            projected_questions_start: projected.slot.questions_start,
                            projected_end: projected.slot.end,
                        })
                        .collect(),
                    next_talk: live.next_talk.map(talk_json),
                }),
            )
        }
        Activity::Between { .. } => ("between", None, None),
        Activity::RoomDone => ("room_done", None, None),
        Activity::AfterEvent => ("after_event", None, None),
    };
    StatusJson {
        event: schedule.event().name.clone(),
        room: status.room.name.clone(),
        now: status.now,
        local_time: status
            .now
            .with_timezone(&status.time_zone)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        time_zone: status.time_zone.name().to_owned(),
        state,
        starts_in_seconds,
        live,
        next: status.next.as_ref().map(|next| NextJson {
            session: session_json(next.session),
            at: next.at,
            starts_in_seconds: next.starts_in.num_seconds(),
            starts_in: text::countdown(next.starts_in),
            first_talk: next.first_talk().map(talk_json),
        }),
        later_today: status
            .agenda
            .iter()
            .filter(|entry| entry.state == AgendaState::Upcoming)
            .map(|entry| session_json(entry.session))
            .collect(),
        message: status.message.map(str::to_owned),
        blanked: status.blanked,
        policy: status.policy.as_str(),
    }
}

/// A room's line on the hallway screen, as JSON.
#[derive(Debug, Serialize)]
pub struct RoomLineJson {
    room: String,
    /// `live`, `waiting`, `venue_wide` or `done`.
    state: &'static str,
    title: String,
    speakers: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ends_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_at: Option<DateTime<Utc>>,
    notes: Vec<String>,
    /// `schedule`, `here` (the room this lectern keeps time for), `feed`, or `feed_down`.
    source: &'static str,
}

/// A venue-wide item on now, as JSON.
#[derive(Debug, Serialize)]
pub struct VenueItemJson {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    ends_at: DateTime<Utc>,
}

/// The whole venue at an instant, as JSON.
#[derive(Debug, Serialize)]
pub struct VenueJson {
    event: String,
    event_short: String,
    time_zone: String,
    now: DateTime<Utc>,
    venue_wide: Vec<VenueItemJson>,
    rooms: Vec<RoomLineJson>,
}

/// Converts the venue's status into its JSON form. `kept_here` names the room whose line
/// comes from this lectern's own chair.
pub fn venue_json(
    schedule: &Schedule,
    venue: &crate::venue::VenueStatus,
    kept_here: Option<&str>,
) -> VenueJson {
    use crate::venue::{LineSource, LineState};
    VenueJson {
        event: schedule.event().name.clone(),
        event_short: schedule.event().short_name.clone(),
        time_zone: schedule.event().time_zone.name().to_owned(),
        now: venue.now,
        venue_wide: venue
            .venue_wide
            .iter()
            .map(|item| VenueItemJson {
                title: item.title.clone(),
                location: item.location.clone(),
                ends_at: item.ends_at,
            })
            .collect(),
        rooms: venue
            .rooms
            .iter()
            .map(|line| RoomLineJson {
                room: line.room.clone(),
                state: match line.state {
                    LineState::Live => "live",
                    LineState::Waiting => "waiting",
                    LineState::VenueWide => "venue_wide",
                    LineState::Done => "done",
                },
                title: line.title.clone(),
                speakers: line.speakers.clone(),
                session: line.session.clone(),
                ends_at: line.ends_at,
                phase: line.phase.map(phase_name),
                next_title: line.next_title.clone(),
                next_at: line.next_at,
                notes: line.notes.clone(),
                source: match line.source {
                    _ if kept_here == Some(line.room.as_str()) => "here",
                    LineSource::Schedule => "schedule",
                    LineSource::Feed => "feed",
                    LineSource::FeedDown(_) => "feed_down",
                },
            })
            .collect(),
    }
}

/// A phase's name in the JSON output.
fn phase_name(phase: crate::timing::Phase) -> &'static str {
    match phase {
        crate::timing::Phase::OnTime => "on_time",
        crate::timing::Phase::Warning => "warning",
        crate::timing::Phase::Danger => "danger",
        crate::timing::Phase::Overtime => "overtime",
    }
}

/// An instant in the event's zone, for the planned-against-actual JSON: absolute, and local to
/// whoever reads it.
type LocalInstant = DateTime<chrono::FixedOffset>;

fn local(instant: DateTime<Utc>, zone: chrono_tz::Tz) -> LocalInstant {
    instant.with_timezone(&zone).fixed_offset()
}

/// One paper in the planned-against-actual JSON.
#[derive(Debug, Serialize)]
pub struct PaperJson {
    id: String,
    title: String,
    planned_start: LocalInstant,
    planned_end: LocalInstant,
    planned_questions_seconds: i64,
    actual_start: Option<LocalInstant>,
    questions_start: Option<LocalInstant>,
    actual_end: Option<LocalInstant>,
    talk_seconds: Option<i64>,
    questions_seconds: Option<i64>,
    /// How much later than planned it ended; negative when earlier.
    overrun_seconds: Option<i64>,
}

/// One session in the planned-against-actual JSON.
#[derive(Debug, Serialize)]
pub struct SessionRowJson {
    id: String,
    title: String,
    kind: &'static str,
    planned_start: LocalInstant,
    planned_end: LocalInstant,
    actual_start: Option<LocalInstant>,
    actual_end: Option<LocalInstant>,
    /// How much later than planned it ended; negative when earlier.
    late_by_seconds: Option<i64>,
    papers: Vec<PaperJson>,
}

/// One conference day of a room in the planned-against-actual JSON.
#[derive(Debug, Serialize)]
pub struct DayJson {
    date: NaiveDate,
    sessions: Vec<SessionRowJson>,
}

/// A session that ended late, in the planned-against-actual JSON.
#[derive(Debug, Serialize)]
pub struct LateJson {
    date: NaiveDate,
    session_id: String,
    title: String,
    planned_end: LocalInstant,
    actual_end: LocalInstant,
    late_by_seconds: i64,
}

/// One room in the planned-against-actual JSON.
#[derive(Debug, Serialize)]
pub struct RoomPlannedJson {
    room: String,
    days: Vec<DayJson>,
    ended_late: Vec<LateJson>,
    /// Log entries naming sessions or papers the schedule does not have.
    unknown_entries: usize,
}

/// Planned against actual as JSON, as `lectern report --format json` prints it.
#[derive(Debug, Serialize)]
pub struct PlannedJson {
    event: String,
    time_zone: String,
    rooms: Vec<RoomPlannedJson>,
}

/// Seconds, rounded to the nearest, as the other views of the report show them.
fn seconds(duration: chrono::Duration) -> i64 {
    (duration.num_milliseconds() + 500).div_euclid(1000)
}

/// Converts planned-against-actual reports into their JSON form.
pub fn planned_json(
    schedule: &Schedule,
    reports: &[crate::planned::RoomReport<'_>],
) -> PlannedJson {
    let zone = schedule.event().time_zone;
    let at = |instant: Option<DateTime<Utc>>| instant.map(|instant| local(instant, zone));
    PlannedJson {
        event: schedule.event().short_name.clone(),
        time_zone: zone.name().to_owned(),
        rooms: reports
            .iter()
            .map(|report| RoomPlannedJson {
                room: report.name.to_owned(),
                days: report
                    .days
                    .iter()
                    .map(|day| DayJson {
                        date: day.day,
                        sessions: day
                            .sessions
                            .iter()
                            .map(|row| SessionRowJson {
                                id: row.session.id.0.clone(),
                                title: row.session.display_title().to_owned(),
                                kind: row.session.kind.as_str(),
                                planned_start: local(row.session.start, zone),
                                planned_end: local(row.session.end, zone),
                                actual_start: at(row.start),
                                actual_end: at(row.end),
                                late_by_seconds: row.late_by.map(seconds),
                                papers: row
                                    .papers
                                    .iter()
                                    .map(|paper| PaperJson {
                                        id: paper.talk.id.0.clone(),
                                        title: paper.talk.title.clone(),
                                        planned_start: local(paper.talk.start, zone),
                                        planned_end: local(paper.talk.end, zone),
                                        planned_questions_seconds: seconds(paper.talk.qa),
                                        actual_start: at(paper.actual.start),
                                        questions_start: at(paper.actual.questions),
                                        actual_end: at(paper.actual.end),
                                        talk_seconds: paper.actual.talk_length.map(seconds),
                                        questions_seconds: paper
                                            .actual
                                            .question_length
                                            .map(seconds),
                                        overrun_seconds: paper.overrun.map(seconds),
                                    })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
                ended_late: report
                    .ended_late
                    .iter()
                    .map(|late| LateJson {
                        date: late.day,
                        session_id: late.session.id.0.clone(),
                        title: late.session.display_title().to_owned(),
                        planned_end: local(late.session.end, zone),
                        actual_end: local(late.end, zone),
                        late_by_seconds: seconds(late.late_by),
                    })
                    .collect(),
                unknown_entries: report.unknown_entries,
            })
            .collect(),
    }
}
