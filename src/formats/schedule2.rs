//! c3voc's "schedule2" JSON (schema: `schema_c3voc_schedule2.json` of the schedule validator),
//! as the CCC hub exports it: a flat `schedule.events` list whose events carry ISO 8601 `start`
//! and `end` with offsets, a `room` object, and `participants` with roles.
//!
//! Each event becomes a session (see [`super::import::event_session`]). Participants who
//! moderate or host become the session's chairs; everyone else is a speaker. The export's
//! `persons` list (biographies, avatars, links) is not read.

use std::collections::HashMap;

use chrono::NaiveTime;
use serde::Deserialize;

use super::frab::full_title;
use super::import::{
    Localized, ProgramEvent, Rooms, Tally, UniqueIds, Zones, abstract_or_description,
    conference_event, day_change_from_day_ends, end_from_duration, event_session, failed, finish,
    json_index, non_empty, read_json, room_ref,
};
use super::{Format, LoadOptions};
use crate::diagnostic::{Diagnostic, LoadError, Location, path_field};
use crate::model::Person;
use crate::timeparse::parse_offset_date_time;
use crate::validate::{Loaded, RoomRef, ScheduleDraft};

#[derive(Deserialize)]
struct RawFile {
    schedule: Option<RawSchedule>,
    // A bare document: the events at the top level.
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawSchedule {
    conference: Option<RawConference>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize, Default)]
struct RawConference {
    title: Option<String>,
    acronym: Option<String>,
    time_zone_name: Option<String>,
    #[serde(default)]
    rooms: Vec<RawRoom>,
    #[serde(default)]
    days: Vec<RawDay>,
}

#[derive(Deserialize)]
struct RawRoom {
    name: Option<String>,
    guid: Option<String>,
}

#[derive(Deserialize)]
struct RawDay {
    start: Option<String>,
    end: Option<String>,
}

/// An event's room: a name, or an object with a `name` and a `guid`.
enum RawRoomReference {
    Name(String),
    Object(RawRoom),
}

impl<'de> Deserialize<'de> for RawRoomReference {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = |value: Option<&serde_json::Value>| {
            value.and_then(serde_json::Value::as_str).map(str::to_owned)
        };
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(name) => Ok(RawRoomReference::Name(name)),
            serde_json::Value::Object(fields) => Ok(RawRoomReference::Object(RawRoom {
                name: text(fields.get("name")),
                guid: text(fields.get("guid")),
            })),
            _ => Err(serde::de::Error::custom(
                "expected a room name, or an object with `name` and `guid`",
            )),
        }
    }
}

#[derive(Deserialize)]
struct RawEvent {
    guid: Option<String>,
    code: Option<String>,
    #[serde(rename = "type")]
    label: Option<String>,
    start: Option<String>,
    end: Option<String>,
    duration: Option<String>,
    room: Option<RawRoomReference>,
    title: Option<String>,
    subtitle: Option<String>,
    #[serde(rename = "abstract", default)]
    abstract_text: Localized,
    #[serde(default)]
    description: Localized,
    #[serde(default)]
    participants: Vec<RawParticipant>,
    state: Option<String>,
}

#[derive(Deserialize)]
struct RawParticipant {
    name: Option<String>,
    role: Option<String>,
}

/// Event states whose events are not on the program.
const STATES_NOT_SHOWN: &[&str] = &[
    "CANCELED",
    "CANCELLED",
    "WITHDRAWN",
    "DELETED",
    "REJECTED",
    "DRAFT",
    "SUBMITTED",
];

/// Reads a schedule2 document.
pub fn load(text: &str, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let raw: RawFile = read_json(text, Format::Schedule2)?;
    let (conference, events, events_path) = match raw.schedule {
        Some(schedule) => (
            schedule.conference.unwrap_or_default(),
            schedule.events,
            "schedule.events",
        ),
        None => (RawConference::default(), raw.events, "events"),
    };
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut zones = Zones::named_at(
        "schedule.conference.time_zone_name",
        conference.time_zone_name.as_deref(),
        options.time_zone,
    );

    let mut rooms = Rooms::default();
    let mut room_names_by_guid: HashMap<String, String> = HashMap::new();
    for (index, room) in conference.rooms.iter().enumerate() {
        if let Some(name) = non_empty(room.name.as_deref()) {
            let name = rooms.add(&name, || json_index("schedule.conference.rooms", index));
            if let Some(guid) = room.guid.as_deref() {
                // The first room of a guid keeps it, as a search in file order would find.
                room_names_by_guid.entry(guid.to_owned()).or_insert(name);
            }
        }
    }
    // The days are read for where one turns into the next, and so that their offsets are
    // checked against the declared zone like every other time.
    let mut day_ends: Vec<NaiveTime> = Vec::new();
    for (index, day) in conference.days.iter().enumerate() {
        let origin = json_index("schedule.conference.days", index);
        for (field, value) in [("start", &day.start), ("end", &day.end)] {
            let Some(text) = value.as_deref() else {
                continue;
            };
            let Some(exact) = parse_offset_date_time(text) else {
                continue;
            };
            let instant = zones.exact(exact, text, || Location::Path(path_field(&origin, field)));
            if field == "end"
                && let Some(zone) = zones.local_zone()
            {
                day_ends.push(instant.with_timezone(&zone).time());
            }
        }
    }
    let day_change = day_change_from_day_ends(&day_ends);

    let mut ids = UniqueIds::default();
    let mut stated_lengths = Tally::default();
    let mut not_shown = Tally::default();
    let mut sessions = Vec::new();
    for (index, event) in events.into_iter().enumerate() {
        let origin = json_index(events_path, index);
        if let Some(state) = event.state.as_deref()
            && STATES_NOT_SHOWN.contains(&state.trim().to_ascii_uppercase().as_str())
        {
            not_shown.note(|| {
                Diagnostic::warning(
                    Location::Path(path_field(&origin, "state")),
                    format!(
                        "the event is {}; it is not shown",
                        state.trim().to_lowercase()
                    ),
                )
            });
            continue;
        }
        let context = EventContext {
            origin: &origin,
            room_names_by_guid: &room_names_by_guid,
        };
        if let Some(event) = read_event(event, &context, &mut zones, &mut ids, &mut errors) {
            if let RoomRef::Named(name) = &event.room {
                rooms.add(name, || path_field(&origin, "room"));
            }
            sessions.push(event_session(event, &mut stated_lengths));
        }
    }
    stated_lengths.finish(&mut warnings);
    not_shown.finish(&mut warnings);
    let Some((zone, zone_source)) = zones.finish(&mut warnings, &mut errors) else {
        return Err(failed(errors, warnings));
    };
    let draft = ScheduleDraft {
        event: conference_event(
            conference.title.as_deref(),
            conference.acronym.as_deref(),
            zone,
            zone_source,
            day_change,
            "schedule.conference.rooms",
        ),
        rooms: rooms.into_drafts(),
        sessions,
    };
    finish(draft, warnings, errors)
}

struct EventContext<'a> {
    origin: &'a str,
    room_names_by_guid: &'a HashMap<String, String>,
}

fn read_event(
    event: RawEvent,
    context: &EventContext<'_>,
    zones: &mut Zones,
    ids: &mut UniqueIds,
    errors: &mut Vec<Diagnostic>,
) -> Option<ProgramEvent> {
    let origin = context.origin;
    let at = |field: &str| Location::Path(path_field(origin, field));
    let Some(start_text) = event.start.as_deref() else {
        errors.push(
            Diagnostic::error(at("start"), "the event has no `start`")
                .with_help("give it a start such as \"2024-12-27T10:30:00+01:00\""),
        );
        return None;
    };
    let start = zones.date_time(start_text, || at("start"));
    let end = match (event.end.as_deref(), event.duration.as_deref()) {
        (Some(end), _) => zones.date_time(end, || at("end")),
        (None, Some(text)) => start.and_then(|start| {
            end_from_duration(
                start,
                text,
                || at("duration"),
                "write it in ISO 8601, e.g. \"PT1H30M\"",
            )
            .map_err(|error| errors.push(error))
            .ok()
        }),
        (None, None) => {
            errors.push(
                Diagnostic::error(at("end"), "the event has no `end` and no `duration`")
                    .with_help("give it an end such as \"2024-12-27T11:00:00+01:00\""),
            );
            None
        }
    };
    let (start, end) = (start?, end?);
    let room = match &event.room {
        None => RoomRef::AllRooms,
        Some(RawRoomReference::Name(name)) => room_ref(name),
        Some(RawRoomReference::Object(room)) => {
            let by_guid = room
                .guid
                .as_deref()
                .and_then(|guid| context.room_names_by_guid.get(guid))
                .map(String::as_str);
            match by_guid.or(room.name.as_deref()) {
                Some(name) => room_ref(name),
                None => RoomRef::AllRooms,
            }
        }
    };
    let mut speakers: Vec<Person> = Vec::new();
    let mut chairs: Vec<Person> = Vec::new();
    let mut chair_role: Option<String> = None;
    for participant in &event.participants {
        let Some(name) = non_empty(participant.name.as_deref()) else {
            continue;
        };
        let person = Person {
            name,
            affiliation: None,
        };
        let role = participant
            .role
            .as_deref()
            .map(|role| role.trim().to_ascii_uppercase());
        match role.as_deref() {
            Some(role @ ("MODERATOR" | "HOST")) => {
                chair_role.get_or_insert_with(|| {
                    if role == "HOST" {
                        "Host".to_owned()
                    } else {
                        "Moderator".to_owned()
                    }
                });
                chairs.push(person);
            }
            _ => speakers.push(person),
        }
    }
    let id_base = non_empty(event.guid.as_deref())
        .or_else(|| non_empty(event.code.as_deref()))
        .unwrap_or_else(|| origin.to_owned());
    Some(ProgramEvent {
        origin: origin.to_owned(),
        id: ids.unique(id_base),
        title: full_title(event.title.as_deref(), event.subtitle.as_deref()),
        label: non_empty(event.label.as_deref()),
        room,
        start,
        end,
        speakers,
        chairs,
        chair_role,
        abstract_text: abstract_or_description(
            event.abstract_text.0.as_deref(),
            event.description.0.as_deref(),
        ),
    })
}
