//! lectern's own schedule format: JSON that a person can write by hand.
//!
//! The serde types here mirror the file exactly and are private to this module; they are
//! converted into a [`ScheduleDraft`] and then validated. [`write`] turns a schedule back into
//! this format, for `lectern import`. `docs/schedule-format.md` documents
//! the format; keep the two in step.

use std::borrow::Cow;

use chrono::{Duration, NaiveTime};
use chrono_tz::Tz;
use serde::de::{IgnoredAny, Visitor};
use serde::{Deserialize, Serialize};

use super::import::{build_with_warnings, json_syntax_error, strip_position};
use crate::diagnostic::{Diagnostic, LoadError, Location, field_location, path_field, path_index};
use crate::model::{Person, Placement, Schedule, Session, SessionKind};
use crate::timeparse::{DurationError, max_duration, parse_instant, parse_zone, read_duration};
use crate::validate::{
    EventDraft, Loaded, RoomDraft, RoomRef, ScheduleDraft, SessionDraft, TalkDraft, TalkTiming,
    TimeZoneSource, default_day_change,
};

/// The version of the format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

// Unknown fields are errors, not warnings: a misspelt `titel` would otherwise quietly turn a
// session into "To be announced" on the projector. `comment` fields are allowed for notes.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule<'a> {
    #[serde(rename = "$schema", default)]
    _schema: Option<IgnoredAny>,
    #[serde(default)]
    _comment: Option<IgnoredAny>,
    version: u32,
    event: RawEvent,
    #[serde(default)]
    rooms: Vec<NameOr<RawRoom>>,
    #[serde(borrow)]
    sessions: Vec<RawSession<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: String,
    short_name: Option<String>,
    venue: Option<String>,
    time_zone: String,
    default_room: Option<String>,
    day_change: Option<String>,
    #[serde(default, rename = "comment")]
    _comment: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoom {
    name: String,
    short_name: Option<String>,
    #[serde(default, rename = "comment")]
    _comment: Option<IgnoredAny>,
}

impl From<String> for RawRoom {
    fn from(name: String) -> Self {
        RawRoom {
            name,
            short_name: None,
            _comment: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: String,
    affiliation: Option<String>,
}

impl From<String> for RawPerson {
    fn from(name: String) -> Self {
        RawPerson {
            name,
            affiliation: None,
        }
    }
}

/// A value written either as a plain name (`"Main Hall"`) or as an object with more fields.
/// Written by hand rather than as an untagged enum, which would buffer every object first.
struct NameOr<T>(T);

impl<'de, T: Deserialize<'de> + From<String>> Deserialize<'de> for NameOr<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameOrVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + From<String>> Visitor<'de> for NameOrVisitor<T> {
            type Value = NameOr<T>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a name, or an object with a `name`")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
                Ok(NameOr(T::from(name.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Self::Value, E> {
                Ok(NameOr(T::from(name)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(NameOr)
            }
        }
        deserializer.deserialize_any(NameOrVisitor(std::marker::PhantomData))
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    Talks,
    Keynote,
    Panel,
    Break,
    Meal,
    Social,
    #[serde(alias = "open_mike", alias = "open-mike")]
    Discussion,
    Unconference,
    Plenary,
    Other,
}

/// A session as written. Its times are only read, not kept, so they are borrowed from the
/// text wherever they need no unescaping.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSession<'a> {
    id: String,
    title: Option<String>,
    kind: Option<RawKind>,
    room: Option<String>,
    #[serde(default)]
    all_rooms: bool,
    location: Option<String>,
    #[serde(borrow)]
    start: Cow<'a, str>,
    #[serde(borrow)]
    end: Cow<'a, str>,
    chair_role: Option<String>,
    chair: Option<NameOr<RawPerson>>,
    chairs: Option<Vec<NameOr<RawPerson>>>,
    description: Option<String>,
    /// The question part of each talk, in minutes, unless the talk gives its own.
    qa: Option<RawDuration>,
    #[serde(default)]
    talks: Vec<RawTalk>,
    #[serde(default, rename = "comment")]
    _comment: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawDuration {
    Minutes(f64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTalk {
    id: String,
    title: String,
    #[serde(default)]
    speakers: Vec<NameOr<RawPerson>>,
    duration: Option<RawDuration>,
    /// The question part at the end of the talk's slot.
    qa: Option<RawDuration>,
    start: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    #[serde(default, rename = "comment")]
    _comment: Option<IgnoredAny>,
}

/// Parses and validates a native schedule.
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    let mut json = serde_json::Deserializer::from_str(text);
    let parsed = RawSchedule::deserialize(&mut json).and_then(|raw| json.end().map(|()| raw));
    let Ok(raw) = parsed else {
        return Err(LoadError::single(locate_error(text)));
    };
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let draft = to_draft(raw, &mut warnings)?;
    build_with_warnings(draft, warnings)
}

/// Parses the text again, this time tracking the path, to say where it went wrong. Tracking
/// the path costs an allocation per key, so the first, successful parse goes without it.
fn locate_error(text: &str) -> Diagnostic {
    let mut json = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, RawSchedule>(&mut json) {
        Err(error) => json_error(&error),
        Ok(_) => match json.end() {
            Err(error) => json_syntax_error(&error),
            Ok(()) => {
                Diagnostic::error(Location::Input, "the file could not be read as a schedule")
            }
        },
    }
}

fn json_error(error: &serde_path_to_error::Error<serde_json::Error>) -> Diagnostic {
    let inner = error.inner();
    let message = strip_position(&inner.to_string());
    let path = error.path().to_string();
    match inner.classify() {
        serde_json::error::Category::Data if path != "." => Diagnostic::error(
            Location::PathAt {
                path,
                line: inner.line(),
                column: inner.column().max(1),
            },
            message,
        )
        .with_help("see docs/schedule-format.md for the fields and their types"),
        serde_json::error::Category::Eof if inner.line() <= 1 && inner.column() == 0 => {
            Diagnostic::error(Location::Input, "the file is empty").with_help(
                "a schedule is a JSON object with `version`, `event`, `rooms` and `sessions`",
            )
        }
        serde_json::error::Category::Data => Diagnostic::error(
            Location::LineColumn {
                line: inner.line(),
                column: inner.column().max(1),
            },
            message,
        )
        .with_help("a schedule is a JSON object with `version`, `event`, `rooms` and `sessions`"),
        _ => json_syntax_error(inner),
    }
}

fn to_draft(
    raw: RawSchedule<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<ScheduleDraft, LoadError> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    if raw.version != FORMAT_VERSION {
        errors.push(
            Diagnostic::error(
                Location::Path("version".to_owned()),
                format!("unsupported format version {}", raw.version),
            )
            .with_help(format!("this lectern reads version {FORMAT_VERSION}")),
        );
    }
    let Some(zone) = parse_zone(&raw.event.time_zone) else {
        errors.push(
            Diagnostic::error(
                Location::Path("event.time_zone".to_owned()),
                format!("unknown time zone `{}`", raw.event.time_zone),
            )
            .with_help("use an IANA zone name such as `America/Denver` or `Europe/Berlin`"),
        );
        return Err(LoadError {
            diagnostics: errors,
        });
    };
    let day_change = match raw.event.day_change.as_deref() {
        None => default_day_change(),
        Some(text) => match NaiveTime::parse_from_str(text.trim(), "%H:%M") {
            Ok(time) => time,
            Err(_) => {
                errors.push(
                    Diagnostic::error(
                        Location::Path("event.day_change".to_owned()),
                        format!("`{text}` is not a time of day"),
                    )
                    .with_help("write it as HH:MM, e.g. \"04:00\""),
                );
                default_day_change()
            }
        },
    };
    let rooms = raw
        .rooms
        .into_iter()
        .enumerate()
        .map(|(index, NameOr(room))| RoomDraft {
            origin: path_index("", "rooms", index),
            name: room.name,
            short_name: room.short_name,
        })
        .collect();
    let sessions = raw
        .sessions
        .into_iter()
        .enumerate()
        .filter_map(|(index, session)| {
            session_draft(
                session,
                path_index("", "sessions", index),
                zone,
                &mut errors,
                warnings,
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(ScheduleDraft {
            event: EventDraft {
                name: raw.event.name,
                short_name: raw.event.short_name,
                venue: raw.event.venue,
                time_zone: zone,
                time_zone_source: TimeZoneSource::Declared("event.time_zone".to_owned()),
                default_room: raw.event.default_room,
                default_room_origin: "event.default_room".to_owned(),
                day_change,
            },
            rooms,
            sessions,
        })
    } else {
        Err(LoadError {
            diagnostics: errors,
        })
    }
}

fn instant(
    text: &str,
    origin: &str,
    field: &str,
    zone: Tz,
    errors: &mut Vec<Diagnostic>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    match parse_instant(text, zone) {
        Ok((instant, _)) => Some(instant),
        Err(error) => {
            errors.push(
                Diagnostic::error(Location::Path(path_field(origin, field)), error.to_string())
                    .with_help(error.help()),
            );
            None
        }
    }
}

fn person(NameOr(raw): NameOr<RawPerson>) -> Person {
    Person {
        name: trimmed(raw.name),
        affiliation: raw.affiliation.map(trimmed).filter(|a| !a.is_empty()),
    }
}

/// The text without surrounding white space, reusing its allocation when there is none.
pub(crate) fn trimmed(text: String) -> String {
    // Almost every text starts and ends with a visible ASCII character, which cannot be
    // white space; only the others are trimmed by the full Unicode rule.
    let visible = |byte: Option<&u8>| byte.is_some_and(|byte| byte.is_ascii_graphic());
    if visible(text.as_bytes().first()) && visible(text.as_bytes().last()) {
        return text;
    }
    if text.len() == text.trim().len() {
        text
    } else {
        text.trim().to_owned()
    }
}

fn kind(raw: RawKind) -> SessionKind {
    match raw {
        RawKind::Talks => SessionKind::Talks,
        RawKind::Keynote => SessionKind::Keynote,
        RawKind::Panel => SessionKind::Panel,
        RawKind::Break => SessionKind::Break,
        RawKind::Meal => SessionKind::Meal,
        RawKind::Social => SessionKind::Social,
        RawKind::Discussion => SessionKind::Discussion,
        RawKind::Unconference => SessionKind::Unconference,
        RawKind::Plenary => SessionKind::Plenary,
        RawKind::Other => SessionKind::Other,
    }
}

fn session_draft(
    raw: RawSession<'_>,
    origin: String,
    zone: Tz,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<SessionDraft> {
    let start = instant(&raw.start, &origin, "start", zone, errors);
    let end = instant(&raw.end, &origin, "end", zone, errors);
    let room = match (raw.all_rooms, raw.room) {
        (false, None) => RoomRef::Default,
        (false, Some(name)) => RoomRef::Named(name),
        (true, None) => RoomRef::AllRooms,
        (true, Some(_)) => {
            errors.push(
                Diagnostic::error(
                    Location::Path(path_field(&origin, "room")),
                    "a session cannot name a room and be in all rooms",
                )
                .with_help("remove `room` or `all_rooms`"),
            );
            RoomRef::AllRooms
        }
    };
    let chairs = match (raw.chair, raw.chairs) {
        (Some(chair), None) => vec![person(chair)],
        (None, Some(chairs)) => chairs.into_iter().map(person).collect(),
        (None, None) => Vec::new(),
        (Some(_), Some(_)) => {
            errors.push(
                Diagnostic::error(
                    Location::Path(path_field(&origin, "chairs")),
                    "both `chair` and `chairs` are given",
                )
                .with_help("use `chair` for one person or `chairs` for a list, not both"),
            );
            Vec::new()
        }
    };
    let title = raw.title.map(trimmed);
    let title = match title {
        Some(t) if t.is_empty() => {
            warnings.push(
                Diagnostic::warning(
                    Location::Path(path_field(&origin, "title")),
                    "the title is empty",
                )
                .with_help(
                    "leave `title` out for an untitled slot; it is shown as \"To be announced\"",
                ),
            );
            None
        }
        other => other,
    };
    let session_qa = minutes_field(raw.qa, &origin, "qa", "the question part", errors);
    let kind = raw.kind.map(kind).unwrap_or(if raw.talks.is_empty() {
        SessionKind::Other
    } else {
        SessionKind::Talks
    });
    let mut talks = Vec::with_capacity(raw.talks.len());
    for (index, talk) in raw.talks.into_iter().enumerate() {
        // The path is only spelled out when there is something to report at it.
        let talk_origin = if talk.start.is_some() || talk.duration.is_some() || talk.qa.is_some() {
            path_index(&origin, "talks", index)
        } else {
            String::new()
        };
        let talk_start = talk
            .start
            .as_deref()
            .and_then(|text| instant(text, &talk_origin, "start", zone, errors));
        let duration = minutes_field(
            talk.duration,
            &talk_origin,
            "duration",
            "the talk's length",
            errors,
        );
        let qa = minutes_field(talk.qa, &talk_origin, "qa", "the question part", errors);
        talks.push(TalkDraft {
            id: talk.id,
            title: trimmed(talk.title),
            speakers: talk.speakers.into_iter().map(person).collect(),
            abstract_text: talk.abstract_text,
            timing: TalkTiming {
                start: talk_start,
                duration,
                qa,
            },
        });
    }
    Some(SessionDraft {
        origin,
        id: raw.id,
        title,
        kind,
        room,
        location: raw
            .location
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty()),
        start: start?,
        end: end?,
        chair_role: raw
            .chair_role
            .map(|role| role.trim().to_owned())
            .filter(|role| !role.is_empty())
            .unwrap_or_else(|| "Session Chair".to_owned()),
        chairs,
        description: raw.description,
        qa: session_qa,
        talks,
    })
}

/// A length given in minutes (`20`, `7.5`) or as text (`"0:20"`, `"PT20M"`), with a located
/// error for anything else. `what` names it in the help: "the talk's length".
fn minutes_field(
    raw: Option<RawDuration>,
    origin: &str,
    field: &str,
    what: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<Duration> {
    match raw? {
        RawDuration::Minutes(minutes) if minutes.is_finite() && minutes >= 0.0 => {
            // Fractions of a minute are allowed: 7.5 is seven and a half minutes. The
            // conversion saturates, and anything longer than a calendar is refused.
            let duration = Duration::try_milliseconds((minutes * 60_000.0).round() as i64)
                .filter(|duration| *duration <= max_duration());
            if duration.is_none() {
                // A number too large to read is written short: 1e308, not 309 digits.
                let shown = if minutes < 1e9 {
                    minutes.to_string()
                } else {
                    format!("{minutes:e}")
                };
                errors.push(
                    Diagnostic::error(
                        field_location(origin, field),
                        format!("{shown} minutes is longer than any schedule can hold"),
                    )
                    .with_help(format!("give {what} in minutes, e.g. 20")),
                );
            }
            duration
        }
        RawDuration::Minutes(minutes) => {
            errors.push(
                Diagnostic::error(
                    field_location(origin, field),
                    format!("`{minutes}` is not a duration in minutes"),
                )
                .with_help(format!(
                    "give {what} as a positive number of minutes, e.g. 20"
                )),
            );
            None
        }
        RawDuration::Text(text) => match read_duration(&text) {
            Ok(duration) => Some(duration),
            Err(error) => {
                let message = match error {
                    DurationError::Malformed => format!("`{text}` is not a duration"),
                    DurationError::TooLong => format!(
                        "the duration `{}` is longer than any schedule can hold",
                        text.trim()
                    ),
                };
                errors.push(
                    Diagnostic::error(field_location(origin, field), message)
                        .with_help("give minutes as a number (20), or \"0:20\" or \"PT20M\""),
                );
                None
            }
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// The native form of a schedule, for `lectern import`: the same fields a person would write,
/// with defaults left out, so that the file stays easy to edit by hand.
#[derive(Serialize)]
struct OutSchedule<'a> {
    version: u32,
    event: OutEvent<'a>,
    rooms: Vec<OutRoom<'a>>,
    sessions: Vec<OutSession<'a>>,
}

#[derive(Serialize)]
struct OutEvent<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    venue: Option<&'a str>,
    time_zone: &'a str,
    default_room: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    day_change: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutRoom<'a> {
    Name(&'a str),
    Full { name: &'a str, short_name: &'a str },
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutPerson<'a> {
    Name(&'a str),
    Full { name: &'a str, affiliation: &'a str },
}

#[derive(Serialize)]
struct OutSession<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    room: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    all_rooms: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    start: String,
    end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    chair_role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chair: Option<OutPerson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chairs: Option<Vec<OutPerson<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    talks: Vec<OutTalk<'a>>,
}

#[derive(Serialize)]
struct OutTalk<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    speakers: Vec<OutPerson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    qa: Option<OutLength>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_text: Option<&'a str>,
}

/// Writes a schedule as lectern's own JSON (pretty-printed, ending in a new line). Loading the
/// text again gives an equal schedule: times are written as wall-clock times in the event's
/// zone (with an offset where DST makes one ambiguous), and talk times are written only where
/// the even-split rule would not give them back.
pub fn write(schedule: &Schedule) -> String {
    let event = schedule.event();
    let zone = event.time_zone;
    let rooms = schedule
        .rooms()
        .iter()
        .map(|room| {
            if room.short_name == room.name {
                OutRoom::Name(&room.name)
            } else {
                OutRoom::Full {
                    name: &room.name,
                    short_name: &room.short_name,
                }
            }
        })
        .collect();
    let sessions = schedule
        .sessions()
        .iter()
        .map(|session| out_session(schedule, session, zone))
        .collect();
    let out = OutSchedule {
        version: FORMAT_VERSION,
        event: OutEvent {
            name: &event.name,
            short_name: (event.short_name != event.name).then_some(event.short_name.as_str()),
            venue: event.venue.as_deref(),
            time_zone: zone.name(),
            default_room: &schedule.room(event.default_room).name,
            day_change: (event.day_change != default_day_change())
                .then(|| event.day_change.format("%H:%M").to_string()),
        },
        rooms,
        sessions,
    };
    // Serialising these types cannot fail: they are strings, numbers and lists.
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}

fn out_person(person: &Person) -> OutPerson<'_> {
    match &person.affiliation {
        Some(affiliation) => OutPerson::Full {
            name: &person.name,
            affiliation,
        },
        None => OutPerson::Name(&person.name),
    }
}

fn out_session<'a>(schedule: &'a Schedule, session: &'a Session, zone: Tz) -> OutSession<'a> {
    let (room, all_rooms) = match session.placement {
        Placement::Room(room) => (Some(schedule.room(room).name.as_str()), false),
        Placement::AllRooms => (None, true),
    };
    let (chair, chairs) = match session.chairs.as_slice() {
        [] => (None, None),
        [one] => (Some(out_person(one)), None),
        many => (None, Some(many.iter().map(out_person).collect())),
    };
    let explicit_times = !talks_follow_even_split(session);
    let mut previous_end = session.start;
    let talks = session
        .talks
        .iter()
        .map(|talk| {
            let (start, duration) = if explicit_times {
                let start = (talk.start != previous_end).then(|| time_text(talk.start, zone));
                (start, Some(duration_text(talk.duration())))
            } else {
                (None, None)
            };
            previous_end = talk.end;
            OutTalk {
                id: &talk.id.0,
                title: &talk.title,
                speakers: talk.speakers.iter().map(out_person).collect(),
                start,
                duration,
                qa: (talk.qa > Duration::zero()).then(|| out_length(talk.qa)),
                abstract_text: talk.abstract_text.as_deref(),
            }
        })
        .collect();
    OutSession {
        id: &session.id.0,
        title: session.title.as_deref(),
        kind: session.kind.as_str(),
        room,
        all_rooms,
        location: session.location.as_deref(),
        start: time_text(session.start, zone),
        end: time_text(session.end, zone),
        chair_role: (session.chair_role != "Session Chair").then_some(session.chair_role.as_str()),
        chair,
        chairs,
        description: session.description.as_deref(),
        talks,
    }
}

/// Whether the session's talks have the times the even-split rule gives talks without any.
fn talks_follow_even_split(session: &Session) -> bool {
    let count = i64::try_from(session.talks.len())
        .unwrap_or(i64::MAX)
        .max(1);
    let total = session.duration().num_seconds();
    let share = Duration::seconds(total / count);
    let remainder = Duration::seconds(total % count);
    let mut cursor = session.start;
    let last = session.talks.len().saturating_sub(1);
    session.talks.iter().enumerate().all(|(index, talk)| {
        let length = if index == last {
            share + remainder
        } else {
            share
        };
        let expected = (cursor, cursor + length);
        cursor += length;
        (talk.start, talk.end) == expected
    })
}

/// An instant as a wall-clock time in `zone`, or with its offset where that wall-clock time
/// is ambiguous or does not exist there.
fn time_text(instant: chrono::DateTime<chrono::Utc>, zone: Tz) -> String {
    use chrono::{TimeZone as _, Timelike as _};
    let local = instant.with_timezone(&zone);
    let naive = local.naive_local();
    let unambiguous = zone.from_local_datetime(&naive).single().is_some();
    match (unambiguous, naive.second() == 0) {
        (true, true) => naive.format("%Y-%m-%dT%H:%M").to_string(),
        (true, false) => naive.format("%Y-%m-%dT%H:%M:%S").to_string(),
        (false, _) => local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    }
}

/// A talk's length as `H:MM` or `H:MM:SS`.
/// A length as written back: `"0:05"` in whole seconds, or minutes as a number when it has
/// milliseconds (from `7.3333`), so that reading it again gives the same length.
#[derive(Serialize)]
#[serde(untagged)]
enum OutLength {
    Text(String),
    Minutes(f64),
}

fn out_length(length: Duration) -> OutLength {
    if length.num_milliseconds() % 1000 == 0 {
        OutLength::Text(duration_text(length))
    } else {
        OutLength::Minutes(length.num_milliseconds() as f64 / 60_000.0)
    }
}

fn duration_text(duration: Duration) -> String {
    let seconds = duration.num_seconds().max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if seconds == 0 {
        format!("{hours}:{minutes:02}")
    } else {
        format!("{hours}:{minutes:02}:{seconds:02}")
    }
}
