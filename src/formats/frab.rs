//! frab's `schedule.json` (version 1), as frab and pretalx export it (schema:
//! `schema_frab_schedule_json_v1.json` of c3voc's schedule validator).
//!
//! The program is `schedule.conference.days[].rooms`, an object from room names to lists of
//! events. Each event becomes a session (see [`super::import::event_session`]). Only the fields
//! a projector shows are read; everything else in the export, such as links, recording
//! licences or organiser-only answers, is skipped without being kept.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;

use super::import::{
    DayStart, IdText, MissingStart, OrderedMap, ProgramEvent, Rooms, StartWording, Tally,
    UniqueIds, Zones, abstract_or_description, conference_event, day_change_from_day_ends,
    end_from_duration, event_session, failed, finish, json_index, json_key, non_empty, read_json,
    room_ref, start_from_date_or_time,
};
use super::{Format, LoadOptions};
use crate::diagnostic::{Diagnostic, LoadError, Location, path_field};
use crate::model::Person;
use crate::timeparse::parse_offset_date_time;
use crate::validate::{Loaded, ScheduleDraft};

#[derive(Deserialize)]
struct RawFile {
    schedule: RawSchedule,
}

#[derive(Deserialize)]
struct RawSchedule {
    conference: RawConference,
}

#[derive(Deserialize)]
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
    name: String,
}

#[derive(Deserialize)]
struct RawDay {
    date: Option<String>,
    day_end: Option<String>,
    #[serde(default)]
    rooms: OrderedMap<Vec<RawEvent>>,
}

#[derive(Deserialize)]
struct RawEvent {
    id: Option<IdText>,
    guid: Option<String>,
    date: Option<String>,
    start: Option<String>,
    end: Option<String>,
    duration: Option<String>,
    room: Option<String>,
    title: Option<String>,
    subtitle: Option<String>,
    #[serde(rename = "type")]
    label: Option<String>,
    #[serde(rename = "abstract")]
    abstract_text: Option<String>,
    description: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    persons: Vec<RawPerson>,
}

#[derive(Deserialize)]
struct RawPerson {
    public_name: Option<String>,
    name: Option<String>,
}

/// Reads a frab `schedule.json`.
pub fn load(text: &str, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let raw: RawFile = read_json(text, Format::Frab)?;
    let conference = raw.schedule.conference;
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut zones = Zones::named_at(
        "schedule.conference.time_zone_name",
        conference.time_zone_name.as_deref(),
        options.time_zone,
    );

    let mut rooms = Rooms::default();
    for (index, room) in conference.rooms.iter().enumerate() {
        if !room.name.trim().is_empty() {
            rooms.add(&room.name, || {
                json_index("schedule.conference.rooms", index)
            });
        }
    }
    // Days and their rooms first, so that the day change is known before any event is read.
    let mut day_ends: Vec<NaiveTime> = Vec::new();
    for (day_index, day) in conference.days.iter().enumerate() {
        let day_origin = json_index("schedule.conference.days", day_index);
        if let Some(end) = day.day_end.as_deref()
            && let Some(exact) = parse_offset_date_time(end)
        {
            let instant = zones.exact(exact, end, || {
                Location::Path(path_field(&day_origin, "day_end"))
            });
            if let Some(zone) = zones.local_zone() {
                day_ends.push(instant.with_timezone(&zone).time());
            }
        }
        for (room_name, _) in &day.rooms.0 {
            if !room_name.trim().is_empty() {
                rooms.add(room_name, || {
                    json_key(&path_field(&day_origin, "rooms"), room_name)
                });
            }
        }
    }
    let day_change = day_change_from_day_ends(&day_ends);

    let mut ids = UniqueIds::default();
    let mut stated_lengths = Tally::default();
    let mut disagreeing_starts = Tally::default();
    let mut sessions = Vec::new();
    for (day_index, day) in conference.days.into_iter().enumerate() {
        let day_origin = json_index("schedule.conference.days", day_index);
        let day_date = day
            .date
            .as_deref()
            .and_then(|date| NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok());
        for (room_name, events) in day.rooms.0 {
            let room_origin = json_key(&path_field(&day_origin, "rooms"), &room_name);
            for (event_index, event) in events.into_iter().enumerate() {
                let origin = json_index(&room_origin, event_index);
                let context = EventContext {
                    origin: &origin,
                    room_name: &room_name,
                    day_date,
                    day_change,
                };
                if let Some(event) = read_event(
                    event,
                    &context,
                    &mut zones,
                    &mut ids,
                    &mut disagreeing_starts,
                    &mut errors,
                ) {
                    sessions.push(event_session(event, &mut stated_lengths));
                }
            }
        }
    }
    stated_lengths.finish(&mut warnings);
    disagreeing_starts.finish(&mut warnings);
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

/// Where an event is and what its day says about it.
struct EventContext<'a> {
    origin: &'a str,
    room_name: &'a str,
    day_date: Option<NaiveDate>,
    day_change: NaiveTime,
}

fn read_event(
    event: RawEvent,
    context: &EventContext<'_>,
    zones: &mut Zones,
    ids: &mut UniqueIds,
    disagreeing_starts: &mut Tally,
    errors: &mut Vec<Diagnostic>,
) -> Option<ProgramEvent> {
    let origin = context.origin;
    let at = |field: &str| Location::Path(path_field(origin, field));
    let start = event_start(&event, context, zones, disagreeing_starts, errors)?;
    let end = match (event.end.as_deref(), event.duration.as_deref()) {
        (Some(end), _) => zones.date_time(end, || at("end"))?,
        (None, Some(text)) => match end_from_duration(
            start,
            text,
            || at("duration"),
            "write it as H:MM, e.g. \"0:45\" or \"01:30\"",
        ) {
            Ok(end) => end,
            Err(error) => {
                errors.push(error);
                return None;
            }
        },
        (None, None) => {
            errors.push(
                Diagnostic::error(at("duration"), "the event has no `duration` and no `end`")
                    .with_help("give the event a duration such as \"00:30\""),
            );
            return None;
        }
    };
    let speakers: Vec<Person> = event
        .persons
        .iter()
        .filter_map(|person| non_empty(person.public_name.as_deref().or(person.name.as_deref())))
        .map(|name| Person {
            name,
            affiliation: None,
        })
        .collect();
    // The event is filed under its room's key; the `room` field says the same, or nothing.
    let room_name = event
        .room
        .as_deref()
        .filter(|room| !room.trim().is_empty())
        .unwrap_or(context.room_name);
    let id_base = event
        .guid
        .as_deref()
        .and_then(|guid| non_empty(Some(guid)))
        .or_else(|| event.id.as_ref().map(|id| id.0.clone()))
        .or_else(|| non_empty(event.slug.as_deref()))
        .unwrap_or_else(|| origin.to_owned());
    Some(ProgramEvent {
        origin: origin.to_owned(),
        id: ids.unique(id_base),
        title: full_title(event.title.as_deref(), event.subtitle.as_deref()),
        label: non_empty(event.label.as_deref()),
        room: room_ref(room_name),
        start,
        end,
        speakers,
        chairs: Vec::new(),
        chair_role: None,
        abstract_text: abstract_or_description(
            event.abstract_text.as_deref(),
            event.description.as_deref(),
        ),
    })
}

/// How frab's JSON names the two start fields.
const START_WORDING: StartWording = StartWording {
    date: "`date`",
    time: "`start`",
    help: "check the export's time zone settings",
};

/// The event's start from its `date` (a full date-time), else from its day's date and its
/// `start` time; see [`start_from_date_or_time`].
fn event_start(
    event: &RawEvent,
    context: &EventContext<'_>,
    zones: &mut Zones,
    disagreeing_starts: &mut Tally,
    errors: &mut Vec<Diagnostic>,
) -> Option<DateTime<Utc>> {
    let at = |field: &str| Location::Path(path_field(context.origin, field));
    let given = DayStart {
        date: event.date.as_deref(),
        time: event
            .start
            .as_deref()
            .and_then(|text| NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()),
        day: context.day_date,
        day_change: context.day_change,
    };
    match start_from_date_or_time(&given, &START_WORDING, zones, disagreeing_starts, at) {
        Ok(start) => start,
        Err(MissingStart::Time | MissingStart::DayDate) => {
            errors.push(
                Diagnostic::error(
                    at("date"),
                    "the event has no `date`, and no `start` on a dated day",
                )
                .with_help("give the event a `date` such as \"2019-08-21T11:00:00+02:00\""),
            );
            None
        }
    }
}

/// A title and its subtitle as one line: "Title: Subtitle", or "Title Subtitle" when the
/// title already ends in punctuation (38C3's "A Competitive Time-Trial AI for Need for Speed:"
/// continues in its subtitle).
pub(crate) fn full_title(title: Option<&str>, subtitle: Option<&str>) -> Option<String> {
    let title = non_empty(title);
    let subtitle = non_empty(subtitle);
    match (title, subtitle) {
        (Some(title), Some(subtitle)) => {
            if title.ends_with([':', ';', ',', '-', '–', '—', '?', '!', '.']) {
                Some(format!("{title} {subtitle}"))
            } else {
                Some(format!("{title}: {subtitle}"))
            }
        }
        (title, None) => title,
        (None, subtitle) => subtitle,
    }
}
