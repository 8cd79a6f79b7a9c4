//! From a draft, as every input format produces it, to a validated [`Schedule`].
//!
//! Each format module reads its own syntax into a [`ScheduleDraft`], whose times are already
//! absolute instants and whose entries remember where in the file they came from. The checks
//! that hold for every format live here, once: rooms exist, ids are unique, sessions end after
//! they start, talks fit their session. Talk times are resolved here as well (see
//! [`resolve_talk_times`]).

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::diagnostic::{Diagnostic, LoadError, Location, field_location, path_index};
use crate::model::{
    Event, Person, Placement, Room, RoomId, Schedule, Session, SessionId, SessionKind, Talk,
    TalkId, Timeline,
};
use crate::timeparse::{FIRST_DATE, LAST_DATE, checked_end, in_calendar};

/// Where the zone that times are shown in came from, so that `lectern check` can say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeZoneSource {
    /// The file names it, at this place (`event.time_zone`, `X-WR-TIMEZONE`).
    Declared(String),
    /// The file names none; the user gave it with `--timezone`.
    Option,
    /// The file names none, but every time in it carries the same UTC offset.
    Offsets,
}

impl std::fmt::Display for TimeZoneSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeZoneSource::Declared(origin) => write!(f, "declared at {origin}"),
            TimeZoneSource::Option => f.write_str("from --timezone"),
            TimeZoneSource::Offsets => f.write_str("from the UTC offset of the file's times"),
        }
    }
}

/// The event as read from a file, before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    /// Full name.
    pub name: String,
    /// Short name, if the file gives one.
    pub short_name: Option<String>,
    /// Venue, if the file gives one.
    pub venue: Option<String>,
    /// The zone times are shown in.
    pub time_zone: Tz,
    /// Where that zone came from.
    pub time_zone_source: TimeZoneSource,
    /// The default room's name; the first room when absent.
    pub default_room: Option<String>,
    /// Where the default room was given, for error messages.
    pub default_room_origin: String,
    /// The local time at which a conference day ends.
    pub day_change: NaiveTime,
}

/// A room as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomDraft {
    /// Where it was found, such as `rooms[2]`.
    pub origin: String,
    /// Name.
    pub name: String,
    /// Short label, if any.
    pub short_name: Option<String>,
}

/// How a session names its room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomRef {
    /// The file names no room: the event's default room.
    Default,
    /// A room by name (or short name).
    Named(String),
    /// Every room (a venue-wide item).
    AllRooms,
}

/// How a talk's time is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TalkTiming {
    /// An explicit start.
    pub start: Option<DateTime<Utc>>,
    /// An explicit length.
    pub duration: Option<Duration>,
    /// The question part at the end of the talk's slot, where the file gives one; otherwise
    /// the session's.
    pub qa: Option<Duration>,
}

/// A talk as read from a file. Its place in the file is its session's origin followed by
/// `.talks[i]`; it is spelled out only for a message, since most talks never need one.
#[derive(Debug, Clone, PartialEq)]
pub struct TalkDraft {
    /// Id, unique within its session.
    pub id: String,
    /// Title.
    pub title: String,
    /// Speakers.
    pub speakers: Vec<Person>,
    /// Abstract.
    pub abstract_text: Option<String>,
    /// Its time, where the file gives one.
    pub timing: TalkTiming,
}

/// A session as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionDraft {
    /// Where it was found, such as `sessions[3]`.
    pub origin: String,
    /// Id, unique in the schedule.
    pub id: String,
    /// Title; `None` for an untitled slot.
    pub title: Option<String>,
    /// Kind.
    pub kind: SessionKind,
    /// Room.
    pub room: RoomRef,
    /// Location elsewhere.
    pub location: Option<String>,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// "Session Chair" unless the file says otherwise.
    pub chair_role: String,
    /// Chairs.
    pub chairs: Vec<Person>,
    /// Description.
    pub description: Option<String>,
    /// The question part of each of its talks that gives none of its own.
    pub qa: Option<Duration>,
    /// Talks.
    pub talks: Vec<TalkDraft>,
}

/// A whole schedule as read from a file, before validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleDraft {
    /// The event.
    pub event: EventDraft,
    /// Rooms.
    pub rooms: Vec<RoomDraft>,
    /// Sessions, in file order.
    pub sessions: Vec<SessionDraft>,
}

/// A validated schedule with the warnings found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The schedule.
    pub schedule: Schedule,
    /// Findings that did not prevent loading.
    pub warnings: Vec<Diagnostic>,
    /// Where the zone that times are shown in came from.
    pub time_zone_source: TimeZoneSource,
}

/// The default local time at which a conference day ends: late sessions and parties that run
/// past midnight still belong to the day they started on.
pub fn default_day_change() -> NaiveTime {
    NaiveTime::from_hms_opt(4, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// Validates a draft. On success the warnings come with the schedule; on failure, every error
/// found (and the warnings) come in the [`LoadError`].
pub fn build(draft: ScheduleDraft) -> Result<Loaded, LoadError> {
    let mut findings: Vec<Diagnostic> = Vec::new();

    let rooms = build_rooms(&draft.rooms, &mut findings);
    let room_names = room_lookup(&rooms);
    let default_room = match &draft.event.default_room {
        Some(name) => match room_names.get(&name.to_lowercase()) {
            Some(&room) => Some(room),
            None => {
                findings.push(unknown_room(
                    field_location(&draft.event.default_room_origin, ""),
                    name,
                    &rooms,
                ));
                None
            }
        },
        None if rooms.is_empty() => {
            findings.push(
                Diagnostic::error(
                    Location::Path("rooms".to_owned()),
                    "the schedule has no rooms",
                )
                .with_help("add at least one room, e.g. `\"rooms\": [{\"name\": \"Main Hall\"}]`"),
            );
            None
        }
        None => Some(RoomId(0)),
    };

    let mut seen_session_ids: HashMap<&str, &str> = HashMap::with_capacity(draft.sessions.len());
    for session in &draft.sessions {
        if let Some(first) = seen_session_ids.insert(&session.id, &session.origin) {
            findings.push(
                Diagnostic::error(
                    field_location(&session.origin, "id"),
                    format!(
                        "duplicate session id `{}` (first used at {first})",
                        session.id
                    ),
                )
                .with_help("give every session its own id; chair overrides follow sessions by id"),
            );
        }
    }
    if draft.sessions.is_empty() {
        findings.push(
            Diagnostic::error(
                Location::Path("sessions".to_owned()),
                "the schedule has no sessions",
            )
            .with_help("add at least one session with an id, a start and an end"),
        );
    }

    let zone = draft.event.time_zone;
    // Each built session keeps where it came from until the overlap check has run: the two
    // lists are kept side by side, so that the sessions are moved only when they need sorting.
    let mut sessions: Vec<Session> = Vec::with_capacity(draft.sessions.len());
    let mut origins: Vec<String> = Vec::with_capacity(draft.sessions.len());
    for session in draft.sessions {
        if let Some((session, origin)) = build_session(
            session,
            &room_names,
            &rooms,
            default_room,
            zone,
            &mut findings,
        ) {
            sessions.push(session);
            origins.push(origin);
        }
    }

    let (Some(default_room), false) = (default_room, findings.iter().any(Diagnostic::is_error))
    else {
        return Err(sorted_error(findings));
    };

    // Most files list their sessions in order; only the others are sorted, stably, so that
    // sessions that start together keep their order in the file.
    if !sessions.is_sorted_by_key(|session| session.start) {
        let mut built: Vec<(Session, String)> = sessions.into_iter().zip(origins).collect();
        built.sort_by_key(|(session, _)| session.start);
        (sessions, origins) = built.into_iter().unzip();
    }
    let timelines = build_timelines(&sessions, rooms.len());
    for (room_index, timeline) in timelines.iter().enumerate() {
        warn_overlaps(
            &sessions,
            timeline,
            &rooms[room_index],
            &origins,
            &mut findings,
        );
    }

    let first_start = sessions.iter().map(|s| s.start).min();
    let last_end = sessions.iter().map(|s| s.end).max();
    let (Some(first_start), Some(last_end)) = (first_start, last_end) else {
        return Err(sorted_error(findings));
    };

    let index_by_id = sessions
        .iter()
        .enumerate()
        .map(|(index, session)| (session.id.clone(), index))
        .collect();
    let event = Event {
        short_name: draft
            .event
            .short_name
            .filter(|short| !short.trim().is_empty())
            .unwrap_or_else(|| draft.event.name.clone()),
        name: draft.event.name,
        venue: draft.event.venue,
        time_zone: draft.event.time_zone,
        default_room,
        day_change: draft.event.day_change,
    };
    Ok(Loaded {
        time_zone_source: draft.event.time_zone_source,
        schedule: Schedule {
            event,
            rooms,
            sessions,
            timelines,
            index_by_id,
            first_start,
            last_end,
        },
        warnings: findings,
    })
}

fn sorted_error(mut findings: Vec<Diagnostic>) -> LoadError {
    // Errors first, each group in the order found: the first line is the one to fix first.
    findings.sort_by_key(|d| std::cmp::Reverse(d.severity));
    LoadError {
        diagnostics: findings,
    }
}

fn build_rooms(drafts: &[RoomDraft], findings: &mut Vec<Diagnostic>) -> Vec<Room> {
    let mut rooms: Vec<Room> = Vec::with_capacity(drafts.len());
    let mut seen: HashMap<String, &str> = HashMap::new();
    for draft in drafts {
        let name = draft.name.trim();
        if name.is_empty() {
            findings.push(Diagnostic::error(
                field_location(&draft.origin, "name"),
                "a room has an empty name",
            ));
            continue;
        }
        if let Some(first) = seen.insert(name.to_lowercase(), &draft.origin) {
            findings.push(
                Diagnostic::error(
                    field_location(&draft.origin, "name"),
                    format!("duplicate room `{name}` (first defined at {first})"),
                )
                .with_help("room names must be unique, ignoring case"),
            );
            continue;
        }
        rooms.push(Room {
            name: name.to_owned(),
            short_name: draft
                .short_name
                .as_deref()
                .map(str::trim)
                .filter(|short| !short.is_empty())
                .unwrap_or(name)
                .to_owned(),
        });
    }
    rooms
}

/// Room names, short names and their lower-case forms, for looking rooms up by any of them.
fn room_lookup(rooms: &[Room]) -> HashMap<String, RoomId> {
    let mut lookup = HashMap::new();
    for (index, room) in rooms.iter().enumerate() {
        lookup.insert(room.short_name.clone(), RoomId(index));
        lookup.insert(room.name.clone(), RoomId(index));
    }
    // Short names first, so that a full name that equals another room's short name wins.
    for (index, room) in rooms.iter().enumerate() {
        lookup.insert(room.short_name.to_lowercase(), RoomId(index));
    }
    for (index, room) in rooms.iter().enumerate() {
        lookup.insert(room.name.to_lowercase(), RoomId(index));
    }
    lookup
}

fn unknown_room(location: Location, name: &str, rooms: &[Room]) -> Diagnostic {
    let known: Vec<String> = rooms
        .iter()
        .map(|room| format!("`{}`", room.name))
        .collect();
    let help = if known.is_empty() {
        "define the room under `rooms`".to_owned()
    } else {
        format!(
            "use one of {}, or add the room under `rooms`",
            known.join(", ")
        )
    };
    Diagnostic::error(location, format!("unknown room `{name}`")).with_help(help)
}

/// Builds one session, and gives back where it came from along with it.
fn build_session(
    draft: SessionDraft,
    room_names: &HashMap<String, RoomId>,
    rooms: &[Room],
    default_room: Option<RoomId>,
    zone: Tz,
    findings: &mut Vec<Diagnostic>,
) -> Option<(Session, String)> {
    let mut ok = true;
    if draft.id.trim().is_empty() {
        findings.push(
            Diagnostic::error(
                field_location(&draft.origin, "id"),
                "the session id is empty",
            )
            .with_help("give every session a stable id such as \"mon-0900\""),
        );
        ok = false;
    }
    let placement = match &draft.room {
        RoomRef::Default => default_room.map(Placement::Room),
        RoomRef::AllRooms => Some(Placement::AllRooms),
        RoomRef::Named(name) => match room_names
            .get(name.as_str())
            .or_else(|| room_names.get(&name.trim().to_lowercase()))
        {
            Some(&room) => Some(Placement::Room(room)),
            None => {
                findings.push(unknown_room(
                    field_location(&draft.origin, "room"),
                    name,
                    rooms,
                ));
                None
            }
        },
    };
    for (field, instant) in [("start", draft.start), ("end", draft.end)] {
        if !in_calendar(instant) {
            findings.push(
                Diagnostic::error(
                    field_location(&draft.origin, field),
                    format!(
                        "session `{}` {field}s at {}, outside the dates a schedule may use, {FIRST_DATE} to {LAST_DATE}",
                        draft.id,
                        instant.format("%Y-%m-%d %H:%M UTC")
                    ),
                )
                .with_help("check the year, and the session's duration"),
            );
            ok = false;
        }
    }
    if ok && draft.end <= draft.start {
        let what = if draft.end == draft.start {
            "ends when it starts"
        } else {
            "ends before it starts"
        };
        let next_day = checked_end(draft.end, Duration::days(1)).unwrap_or(draft.end);
        let help = if draft.end < draft.start && next_day > draft.start {
            format!(
                "a session past midnight ends on the next date: `{}`",
                next_day.with_timezone(&zone).format("%Y-%m-%dT%H:%M")
            )
        } else {
            "the end must be after the start".to_owned()
        };
        findings.push(
            Diagnostic::error(
                field_location(&draft.origin, "end"),
                format!(
                    "session `{}` {what} ({} to {})",
                    draft.id,
                    local_text(draft.start, zone),
                    local_text(draft.end, zone)
                ),
            )
            .with_help(help),
        );
        ok = false;
    }
    let talk_times = if ok {
        resolve_talk_times(&draft, zone, findings)
    } else {
        None
    };
    let placement = placement?;
    let session_qa = draft.qa;
    let origin = &draft.origin;
    let talks = draft
        .talks
        .into_iter()
        .zip(talk_times?)
        .enumerate()
        .map(|(index, (talk, (start, end)))| {
            let slot = end - start;
            let wanted = talk.timing.qa.or(session_qa).unwrap_or_else(Duration::zero);
            // The question part is the end of the talk's own slot: it never takes from the
            // next talk. One longer than the slot leaves the whole slot to questions.
            let qa = if wanted > slot {
                // Said where the question part was given: the talk's own, or the session's.
                let given_at = if talk.timing.qa.is_some() {
                    format!("{origin}.talks[{index}]")
                } else {
                    origin.clone()
                };
                findings.push(
                    Diagnostic::warning(
                        field_location(&given_at, "qa"),
                        format!(
                            "the question part ({} min) is longer than talk `{}`'s slot ({} min); the whole slot is questions",
                            wanted.num_minutes(),
                            talk.id,
                            slot.num_minutes()
                        ),
                    )
                    .with_help("shorten `qa`, or give the talk a longer `duration`"),
                );
                slot
            } else {
                wanted
            };
            Talk {
                id: TalkId(talk.id),
                title: talk.title,
                speakers: talk.speakers,
                abstract_text: talk.abstract_text,
                start,
                end,
                qa,
            }
        })
        .collect();
    let session = Session {
        id: SessionId(draft.id),
        title: draft.title,
        kind: draft.kind,
        placement,
        location: draft.location,
        start: draft.start,
        end: draft.end,
        chair_role: draft.chair_role,
        chairs: draft.chairs,
        description: draft.description,
        talks,
    };
    Some((session, draft.origin))
}

/// Gives every talk of a session a start and an end, in the order of `session.talks`.
///
/// The rule: talks run back to back from the session's start. A talk with a `start` begins
/// then; a talk with a `duration` lasts that long. Between two fixed points (the session's start,
/// a talk with an explicit start, the session's end) the time that explicit durations leave
/// over is divided evenly among the talks that have none, in whole seconds, the last of them
/// taking the remainder. So a 60-minute session of four papers gives 15 minutes each.
/// Talks that overrun their session are a warning; a talk starting outside its session or
/// before the previous one is an error.
pub fn resolve_talk_times(
    session: &SessionDraft,
    zone: Tz,
    findings: &mut Vec<Diagnostic>,
) -> Option<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let mut ok = true;
    let mut seen_ids = TalkIds::new(session.talks.len());
    let mut previous_start = session.start;
    let origin = |index: usize| path_index(&session.origin, "talks", index);
    for (index, talk) in session.talks.iter().enumerate() {
        if talk.id.trim().is_empty() {
            findings.push(Diagnostic::error(
                field_location(&origin(index), "id"),
                "the talk id is empty",
            ));
            ok = false;
        } else if let Some(first) = seen_ids.insert(&session.talks, index) {
            findings.push(
                Diagnostic::error(
                    field_location(&origin(index), "id"),
                    format!(
                        "duplicate talk id `{}` in session `{}` (first used at {})",
                        talk.id,
                        session.id,
                        origin(first)
                    ),
                )
                .with_help("talk ids must be unique within their session"),
            );
            ok = false;
        }
        if let Some(start) = talk.timing.start {
            if start < session.start || start >= session.end {
                findings.push(
                    Diagnostic::error(
                        field_location(&origin(index), "start"),
                        format!(
                            "talk `{}` starts at {}, outside its session ({} to {})",
                            talk.id,
                            local_text(start, zone),
                            local_text(session.start, zone),
                            local_text(session.end, zone)
                        ),
                    )
                    .with_help(
                        "move the talk into its session's time, or change the session's times",
                    ),
                );
                ok = false;
            } else if start < previous_start {
                findings.push(
                    Diagnostic::error(
                        field_location(&origin(index), "start"),
                        format!("talk `{}` starts before the talk listed above it", talk.id),
                    )
                    .with_help("list talks in the order they are given"),
                );
                ok = false;
            } else {
                previous_start = start;
            }
        }
        if let Some(duration) = talk.timing.duration
            && duration < Duration::zero()
        {
            findings.push(Diagnostic::error(
                field_location(&origin(index), "duration"),
                format!("talk `{}` has a negative duration", talk.id),
            ));
            ok = false;
        }
    }
    if !ok {
        return None;
    }

    // Split the talks into runs that each begin at a fixed point.
    let mut resolved: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(session.talks.len());
    let mut run_begin = 0;
    while run_begin < session.talks.len() {
        let run_end = session.talks[run_begin + 1..]
            .iter()
            .position(|talk| talk.timing.start.is_some())
            .map_or(session.talks.len(), |offset| run_begin + 1 + offset);
        let run = &session.talks[run_begin..run_end];
        let run_start = run[0].timing.start.unwrap_or(if run_begin == 0 {
            session.start
        } else {
            resolved.last().map_or(session.start, |&(_, end)| end)
        });
        let run_limit = session
            .talks
            .get(run_end)
            .and_then(|talk| talk.timing.start)
            .unwrap_or(session.end);
        // Durations are at most ten thousand years each (see `timeparse`), but their sum is
        // still checked: a file may give a talk the longest one and another talk more.
        let mut fixed = Duration::zero();
        for (offset, talk) in run.iter().enumerate() {
            let Some(duration) = talk.timing.duration else {
                continue;
            };
            match fixed.checked_add(&duration) {
                Some(sum) => fixed = sum,
                None => {
                    findings.push(talk_too_long(session, run_begin + offset, duration));
                    return None;
                }
            }
        }
        let flexible = run
            .iter()
            .filter(|talk| talk.timing.duration.is_none())
            .count();
        let available = run_limit - run_start;
        let share_total = available
            .checked_sub(&fixed)
            .unwrap_or(Duration::zero())
            .max(Duration::zero());
        let flexible_count = i64::try_from(flexible).unwrap_or(i64::MAX).max(1);
        // Each talk without a duration gets whole seconds; the last of them takes what is
        // left to the millisecond, so that the run ends exactly at its fixed point even when
        // explicit durations carry fractions of a second (7.3333 minutes).
        let share_seconds = share_total.num_seconds() / flexible_count;
        let share = Duration::seconds(share_seconds);
        let last_share =
            share_total - Duration::seconds(share_seconds.saturating_mul(flexible_count - 1));
        if flexible > 0 && share_total <= Duration::zero() {
            findings.push(
                Diagnostic::warning(
                    field_location(&session.origin, "talks"),
                    format!(
                        "the explicit durations in session `{}` leave no time for its talks without one",
                        session.id
                    ),
                )
                .with_help("shorten the durations or give every talk one"),
            );
        }
        let mut cursor = run_start;
        let mut flexible_seen = 0;
        for (offset, talk) in run.iter().enumerate() {
            let start = talk.timing.start.unwrap_or(cursor);
            let duration = match talk.timing.duration {
                Some(duration) => duration,
                None => {
                    flexible_seen += 1;
                    if flexible_seen == flexible {
                        last_share
                    } else {
                        share
                    }
                }
            };
            let Some(end) = checked_end(start, duration) else {
                findings.push(talk_too_long(session, run_begin + offset, duration));
                return None;
            };
            resolved.push((start, end));
            cursor = end;
        }
        if cursor > run_limit {
            let over = cursor - run_limit;
            let (location, what) = if run_limit == session.end {
                (
                    field_location(&session.origin, "talks"),
                    format!(
                        "the talks of session `{}` run {} past its end",
                        session.id,
                        minutes_text(over)
                    ),
                )
            } else {
                (
                    field_location(&origin(run_end), "start"),
                    format!(
                        "the talks before `{}` run {} into it",
                        session.talks[run_end].id,
                        minutes_text(over)
                    ),
                )
            };
            findings.push(
                Diagnostic::warning(location, what)
                    .with_help("shorten the talk durations or lengthen the session; the countdown follows the talks"),
            );
        }
        run_begin = run_end;
    }
    warn_short_talks(session, &resolved, findings);
    Some(resolved)
}

/// The talk ids of a session seen so far, to find duplicates. Most sessions have a handful of
/// talks, whose ids are compared with those listed above them without building a map; a
/// session of many talks gets a map, so that it is still checked in linear time.
enum TalkIds<'a> {
    /// Every talk above the current one has been seen: the ids are compared one by one.
    Few,
    /// Each id seen, with the position where it was last seen.
    Many(HashMap<&'a str, usize>),
}

impl<'a> TalkIds<'a> {
    /// How many talks a session may have for their ids to be compared one by one.
    const FEW: usize = 16;

    fn new(talk_count: usize) -> Self {
        if talk_count <= Self::FEW {
            TalkIds::Few
        } else {
            TalkIds::Many(HashMap::with_capacity(talk_count))
        }
    }

    /// Records the talk at `index`, and returns the position where its id was last seen.
    /// Talks are recorded in order, and all but those with an empty id; an empty id equals
    /// no id that is recorded, so the talks above can be searched as they are.
    fn insert(&mut self, talks: &'a [TalkDraft], index: usize) -> Option<usize> {
        let id = talks[index].id.as_str();
        match self {
            TalkIds::Few => talks[..index].iter().rposition(|talk| talk.id == id),
            TalkIds::Many(seen) => seen.insert(id, index),
        }
    }
}

/// The error for a talk whose duration would end it after the last date a schedule may use.
fn talk_too_long(session: &SessionDraft, index: usize, duration: Duration) -> Diagnostic {
    let talk = &session.talks[index];
    Diagnostic::error(
        field_location(&path_index(&session.origin, "talks", index), "duration"),
        format!(
            "talk `{}` lasts {} days, which would end it after {LAST_DATE}",
            talk.id,
            duration.num_days()
        ),
    )
    .with_help("give the duration in minutes, e.g. 20, or as \"0:20\"")
}

/// One warning for the talks of a session that get less than a minute each: a countdown of a
/// few seconds, or of none, is almost always a session with too many talks listed.
fn warn_short_talks(
    session: &SessionDraft,
    resolved: &[(DateTime<Utc>, DateTime<Utc>)],
    findings: &mut Vec<Diagnostic>,
) {
    let mut short = resolved
        .iter()
        .enumerate()
        .filter(|(_, (start, end))| *end - *start < Duration::minutes(1));
    let Some((first, (start, end))) = short.next() else {
        return;
    };
    let others = match short.count() {
        0 => String::new(),
        1 => " (and 1 more talk)".to_owned(),
        n => format!(" (and {n} more talks)"),
    };
    findings.push(
        Diagnostic::warning(
            field_location(&session.origin, "talks"),
            format!(
                "talk `{}` of session `{}` lasts {}, less than a minute{others}",
                session.talks[first].id,
                session.id,
                minutes_text(*end - *start)
            ),
        )
        .with_help("check the talks' durations, or split the session"),
    );
}

/// An instant as the event's local time with its zone abbreviation, for messages.
fn local_text(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

fn minutes_text(duration: Duration) -> String {
    let seconds = duration.num_seconds();
    if seconds < 60 {
        format!("{seconds} s")
    } else if seconds % 60 == 0 {
        format!("{} min", seconds / 60)
    } else {
        format!("{} min {} s", seconds / 60, seconds % 60)
    }
}

fn build_timelines(sessions: &[Session], room_count: usize) -> Vec<Timeline> {
    let venue_wide: Vec<usize> = sessions
        .iter()
        .enumerate()
        .filter(|(_, session)| session.placement == Placement::AllRooms)
        .map(|(index, _)| index)
        .collect();
    let mut members: Vec<Vec<usize>> = vec![venue_wide; room_count];
    for (index, session) in sessions.iter().enumerate() {
        if let Placement::Room(room) = session.placement {
            members[room.0].push(index);
        }
    }
    members
        .into_iter()
        .map(|list| Timeline::new(sessions, list))
        .collect()
}

fn warn_overlaps(
    sessions: &[Session],
    timeline: &Timeline,
    room: &Room,
    origins: &[String],
    findings: &mut Vec<Diagnostic>,
) {
    // Only a room's own sessions can clash: a venue-wide item yields to whatever the room has.
    let mut latest: Option<&Session> = None;
    // Past the first few, one warning stands for the rest: a file of thousands of copies of
    // one slot would otherwise bury every other finding (and take long to print).
    let mut unreported: Option<(usize, usize)> = None;
    let mut reported = 0;
    for &index in timeline.session_indices() {
        let session = &sessions[index];
        if session.placement == Placement::AllRooms {
            continue;
        }
        if let Some(previous) = latest
            && previous.end > session.start
            && reported == OVERLAP_WARNINGS_PER_ROOM
        {
            unreported.get_or_insert((index, 0)).1 += 1;
        } else if let Some(previous) = latest
            && previous.end > session.start
        {
            reported += 1;
            findings.push(
                Diagnostic::warning(
                    field_location(&origins[index], "start"),
                    format!(
                        "session `{}` overlaps `{}` in room {} by {}",
                        session.id,
                        previous.id,
                        room.name,
                        minutes_text(previous.end.min(session.end) - session.start)
                    ),
                )
                .with_help("the later session is shown once it starts; check both sessions' times"),
            );
        }
        if latest.is_none_or(|previous| session.end > previous.end) {
            latest = Some(session);
        }
    }
    if let Some((first, count)) = unreported {
        let sessions_text = crate::text::count(count, "more session", "more sessions");
        findings.push(
            Diagnostic::warning(
                field_location(&origins[first], "start"),
                format!(
                    "{sessions_text} overlap others in room {}, the first `{}`",
                    room.name, sessions[first].id
                ),
            )
            .with_help(
                "check the times of the room's sessions; a slot exported many times repeats one",
            ),
        );
    }
}

/// How many overlaps in one room are reported one by one.
const OVERLAP_WARNINGS_PER_ROOM: usize = 20;
