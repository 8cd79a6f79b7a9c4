//! The pentabarf/frab `schedule.xml` (FOSDEM, frab, pretalx, wafer; schema:
//! `schedule.xml.xsd` of c3voc's schedule validator).
//!
//! The file is read with quick-xml into a small tree of elements, which is then walked:
//! `schedule/conference` for the event, `schedule/day/room/event` for the program. Each event
//! becomes a session (see [`super::import::event_session`]). Elements that are not read
//! (links, attachments, recording flags, and anything an export adds) are skipped.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use quick_xml::events::Event;

use super::frab::full_title;
use super::import::{
    DayStart, MissingStart, ProgramEvent, Rooms, StartWording, Tally, UniqueIds, Zones,
    abstract_or_description, conference_event, day_change_from_day_ends, end_from_duration,
    event_session, failed, finish, html_to_text, json_index, non_empty, room_ref,
    start_from_date_or_time,
};
use super::{LineIndex, LoadOptions, line_column};
use crate::diagnostic::{Diagnostic, LoadError, Location, path_field};
use crate::model::Person;
use crate::timeparse::{parse_local_date_time, parse_offset_date_time};
use crate::validate::{EventDraft, Loaded, RoomRef, ScheduleDraft};

/// An element of the document: its name, attributes, the text directly inside it, its
/// children, and the byte offset of its `<` for messages. Names and most texts are borrowed
/// from the document: allocating them was most of the time spent reading a large file.
#[derive(Debug, Default)]
struct Element<'a> {
    name: &'static str,
    attributes: Vec<(&'static str, String)>,
    text: Cow<'a, str>,
    children: Vec<Element<'a>>,
    position: usize,
}

impl<'a> Element<'a> {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|child| child.name == name)
    }

    fn children<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// Adds text inside the element, borrowing it when it is the first.
    fn push_text(&mut self, text: Cow<'a, str>) {
        if self.text.is_empty() {
            self.text = text;
        } else {
            self.text.to_mut().push_str(&text);
        }
    }

    /// The trimmed text of a child element, if it has any.
    fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|child| child.text.trim())
            .filter(|text| !text.is_empty())
    }
}

/// Reads the document into a tree. Syntax errors, mismatched tags and a file that ends
/// inside an element are errors at their line and column.
fn parse_tree(text: &str) -> Result<Element<'_>, Diagnostic> {
    let at = |position: u64| {
        let (line, column) = line_column(
            text.as_bytes(),
            usize::try_from(position).unwrap_or(usize::MAX),
        );
        Location::LineColumn { line, column }
    };
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let position = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                return Err(Diagnostic::error(
                    at(reader.error_position()),
                    format!("XML: {error}"),
                )
                .with_help("fix the XML syntax at this position"));
            }
        };
        match event {
            Event::Start(start) => {
                stack.push(element_from(&start, position, &at)?);
            }
            Event::Empty(start) => {
                let element = element_from(&start, position, &at)?;
                attach(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                if let Some(element) = stack.pop() {
                    attach(&mut stack, &mut root, element);
                }
            }
            Event::Text(content) => {
                // The white space that indents elements is most of the text events; it is
                // skipped before it is decoded (white space after text is kept: "a &amp; b").
                let indentation = content.iter().all(u8::is_ascii_whitespace);
                if let Some(current) = stack
                    .last_mut()
                    .filter(|current| !(indentation && current.text.is_empty()))
                {
                    let decoded = content.xml10_content().map_err(|error| {
                        Diagnostic::error(at(position), format!("XML: {error}"))
                    })?;
                    current.push_text(decoded);
                }
            }
            Event::CData(content) => {
                if let Some(current) = stack.last_mut() {
                    let decoded = content.decode().map_err(|error| {
                        Diagnostic::error(at(position), format!("XML: {error}"))
                    })?;
                    current.push_text(decoded);
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(current) = stack.last_mut() {
                    push_reference(current.text.to_mut(), &reference);
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(Diagnostic::error(
            at(reader.buffer_position()),
            format!("the file ends inside <{}>", name_at(text, open.position)),
        )
        .with_help("the file is cut short: export or download it again"));
    }
    root.ok_or_else(|| {
        Diagnostic::error(
            at(reader.buffer_position()),
            "the file ends without an XML element",
        )
        .with_help("a schedule.xml file has a <schedule> element")
    })
}

fn element_from<'a>(
    start: &quick_xml::events::BytesStart<'a>,
    position: u64,
    at: &dyn Fn(u64) -> Location,
) -> Result<Element<'a>, Diagnostic> {
    let mut element = Element {
        name: known_name(start.local_name().as_ref()),
        position: usize::try_from(position).unwrap_or(usize::MAX),
        ..Element::default()
    };
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| {
            Diagnostic::error(at(position), format!("XML: {error}"))
                .with_help("fix the element's attributes")
        })?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|error| {
                Diagnostic::error(at(position), format!("XML: {error}"))
                    .with_help("fix the element's attributes")
            })?;
        let key = known_name(attribute.key.local_name().as_ref());
        if !key.is_empty() {
            element.attributes.push((key, value.into_owned()));
        }
    }
    Ok(element)
}

/// The names of the elements and attributes that are read. Others are named "" and never
/// looked up, so that no name needs to be allocated.
const KNOWN_NAMES: &[&str] = &[
    "schedule",
    "conference",
    "title",
    "subtitle",
    "acronym",
    "venue",
    "city",
    "time_zone_name",
    "day_change",
    "day",
    "room",
    "event",
    "date",
    "start",
    "end",
    "duration",
    "slug",
    "type",
    "abstract",
    "description",
    "persons",
    "person",
    "guid",
    "id",
    "index",
    "name",
];

fn known_name(name: &[u8]) -> &'static str {
    KNOWN_NAMES
        .iter()
        .find(|known| known.as_bytes() == name)
        .copied()
        .unwrap_or("")
}

/// The name of the element that starts at a byte offset, for messages.
fn name_at(text: &str, position: usize) -> &str {
    let rest = text.get(position + 1..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Puts a finished element into its parent, or makes it the root.
fn attach<'a>(stack: &mut [Element<'a>], root: &mut Option<Element<'a>>, element: Element<'a>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => {
            if root.is_none() {
                *root = Some(element);
            }
        }
    }
}

/// Appends what an entity or character reference stands for; an entity the document does
/// not define (HTML's `&nbsp;` in a description) is resolved as HTML would, or kept as written.
fn push_reference(text: &mut String, reference: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(character)) = reference.resolve_char_ref() {
        text.push(character);
        return;
    }
    let name = String::from_utf8_lossy(reference.as_ref()).into_owned();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(resolved) => text.push_str(resolved),
        None => text.push_str(&html_to_text(&format!("&{name};"))),
    }
}

/// Reads a `schedule.xml` document.
pub fn load(text: &str, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let root = parse_tree(text).map_err(LoadError::single)?;
    let lines = LineIndex::new(text.as_bytes());
    let at = |element: &Element, path: &str| {
        let (line, column) = lines.line_column(element.position);
        Location::PathAt {
            path: path.to_owned(),
            line,
            column,
        }
    };
    if root.name != "schedule" {
        let name = name_at(text, root.position);
        return Err(LoadError::single(
            Diagnostic::error(
                at(&root, name),
                format!("the document is a <{name}>, not a <schedule>"),
            )
            .with_help(
                "a schedule.xml file has a <schedule> element with <conference> and <day> elements",
            ),
        ));
    }
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let empty = Element::default();
    let conference = root.child("conference").unwrap_or(&empty);
    let zone_element = conference.child("time_zone_name");
    let zone_origin = "schedule.conference.time_zone_name";
    let mut zones = Zones::new(
        zone_element.map(|element| {
            (
                element.text.as_ref(),
                at(element, zone_origin),
                zone_origin.to_owned(),
            )
        }),
        options.time_zone,
    );

    let mut rooms = Rooms::default();
    let mut day_ends: Vec<NaiveTime> = Vec::new();
    for (day_index, day) in root.children("day").enumerate() {
        let day_origin = json_index("schedule.day", day_index);
        for (room_index, room) in day.children("room").enumerate() {
            if let Some(name) = room
                .attribute("name")
                .and_then(|name| non_empty(Some(name)))
            {
                rooms.add(&name, || {
                    json_index(&path_field(&day_origin, "room"), room_index)
                });
            }
        }
        if let Some(end) = day.attribute("end")
            && let Some(exact) = parse_offset_date_time(end)
        {
            let instant = zones.exact(exact, end, || at(day, &day_origin));
            if let Some(zone) = zones.local_zone() {
                day_ends.push(instant.with_timezone(&zone).time());
            }
        }
    }
    let day_change = match conference.child_text("day_change") {
        Some(text) => match parse_time_of_day(text) {
            Some(time) => time,
            None => {
                errors.push(
                    Diagnostic::error(
                        at(conference, "schedule.conference.day_change"),
                        format!("`{text}` is not a time of day"),
                    )
                    .with_help("write it as HH:MM, e.g. 04:00"),
                );
                day_change_from_day_ends(&day_ends)
            }
        },
        None => day_change_from_day_ends(&day_ends),
    };

    let mut ids = UniqueIds::default();
    let mut stated_lengths = Tally::default();
    let mut disagreeing_starts = Tally::default();
    let mut sessions = Vec::new();
    for (day_index, day) in root.children("day").enumerate() {
        let day_origin = json_index("schedule.day", day_index);
        let day_date = day
            .attribute("date")
            .and_then(|date| NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok());
        for (room_index, room) in day.children("room").enumerate() {
            let room_name = room.attribute("name").unwrap_or("");
            let room_origin = if room_name.trim().is_empty() {
                json_index(&path_field(&day_origin, "room"), room_index)
            } else {
                format!("{day_origin}.room[{:?}]", room_name.trim())
            };
            for (event_index, event) in room.children("event").enumerate() {
                let origin = json_index(&path_field(&room_origin, "event"), event_index);
                let context = EventContext {
                    lines: &lines,
                    origin: &origin,
                    room_name,
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
                    if let RoomRef::Named(name) = &event.room {
                        rooms.add(name, || path_field(&origin, "room"));
                    }
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
    let venue = match (
        non_empty(conference.child_text("venue")),
        non_empty(conference.child_text("city")),
    ) {
        (Some(venue), Some(city)) if !venue.contains(&city) => Some(format!("{venue}, {city}")),
        (Some(venue), _) => Some(venue),
        (None, city) => city,
    };
    let draft = ScheduleDraft {
        event: EventDraft {
            venue,
            ..conference_event(
                conference.child_text("title"),
                conference.child_text("acronym"),
                zone,
                zone_source,
                day_change,
                "schedule.day[0].room[0]",
            )
        },
        rooms: rooms.into_drafts(),
        sessions,
    };
    finish(draft, warnings, errors)
}

/// `HH:MM` or `HH:MM:SS`.
fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

/// Where an event is and what its day says about it.
struct EventContext<'a> {
    lines: &'a LineIndex<'a>,
    origin: &'a str,
    room_name: &'a str,
    day_date: Option<NaiveDate>,
    day_change: NaiveTime,
}

impl EventContext<'_> {
    /// The location of an element of the event, as its path and its line and column.
    fn at(&self, element: &Element, field: &str) -> Location {
        let (line, column) = self.lines.line_column(element.position);
        Location::PathAt {
            path: path_field(self.origin, field),
            line,
            column,
        }
    }
}

fn read_event(
    event: &Element,
    context: &EventContext<'_>,
    zones: &mut Zones,
    ids: &mut UniqueIds,
    disagreeing_starts: &mut Tally,
    errors: &mut Vec<Diagnostic>,
) -> Option<ProgramEvent> {
    let field_at = |field: &str| context.at(event.child(field).unwrap_or(event), field);
    let start = event_start(event, context, zones, disagreeing_starts, errors)?;
    let end = match (event.child_text("end"), event.child_text("duration")) {
        (Some(end), _) if parse_offset_date_time(end).is_some() => {
            zones.date_time(end, || field_at("end"))?
        }
        (_, Some(text)) => match end_from_duration(
            start,
            text,
            || field_at("duration"),
            "write it as H:MM, HH:MM or HH:MM:SS, e.g. 00:45",
        ) {
            Ok(end) => end,
            Err(error) => {
                errors.push(error);
                return None;
            }
        },
        _ => {
            errors.push(
                Diagnostic::error(field_at("duration"), "the event has no <duration>")
                    .with_help("give the event a duration such as <duration>00:30</duration>"),
            );
            return None;
        }
    };
    let speakers: Vec<Person> = event
        .child("persons")
        .into_iter()
        .flat_map(|persons| persons.children("person"))
        .filter_map(|person| non_empty(Some(&person.text)))
        .map(|name| Person {
            name,
            affiliation: None,
        })
        .collect();
    let id_base = event
        .attribute("guid")
        .or_else(|| event.child_text("guid"))
        .and_then(|guid| non_empty(Some(guid)))
        .or_else(|| event.attribute("id").and_then(|id| non_empty(Some(id))))
        .or_else(|| non_empty(event.child_text("slug")))
        .unwrap_or_else(|| context.origin.to_owned());
    Some(ProgramEvent {
        origin: context.origin.to_owned(),
        id: ids.unique(id_base),
        title: full_title(event.child_text("title"), event.child_text("subtitle")),
        label: non_empty(event.child_text("type")),
        room: room_ref(event.child_text("room").unwrap_or(context.room_name)),
        start,
        end,
        speakers,
        chairs: Vec::new(),
        chair_role: None,
        abstract_text: abstract_or_description(
            event.child_text("abstract"),
            event.child_text("description"),
        ),
    })
}

/// How `schedule.xml` names the two start fields.
const START_WORDING: StartWording = StartWording {
    date: "<date>",
    time: "<start>",
    help: "check the time zone of the export: <date> should carry the venue's offset",
};

/// The event's start from its `<date>` (a full date-time, or a `<start>` written as one), else
/// from its day's date and its `<start>` time; see [`start_from_date_or_time`].
fn event_start(
    event: &Element,
    context: &EventContext<'_>,
    zones: &mut Zones,
    disagreeing_starts: &mut Tally,
    errors: &mut Vec<Diagnostic>,
) -> Option<DateTime<Utc>> {
    let field_at = |field: &str| context.at(event.child(field).unwrap_or(event), field);
    let start_text = event.child_text("start");
    let given = DayStart {
        date: event.child_text("date").or_else(|| {
            start_text.filter(|text| {
                parse_local_date_time(text).is_some() || parse_offset_date_time(text).is_some()
            })
        }),
        time: start_text.and_then(parse_time_of_day),
        day: context.day_date,
        day_change: context.day_change,
    };
    match start_from_date_or_time(&given, &START_WORDING, zones, disagreeing_starts, field_at) {
        Ok(start) => start,
        Err(MissingStart::Time) => {
            let problem = match start_text {
                Some(text) => format!("`{text}` is not a time of day"),
                None => "the event has no <start>".to_owned(),
            };
            errors.push(
                Diagnostic::error(field_at("start"), problem)
                    .with_help("give the event a start such as <start>10:00</start>"),
            );
            None
        }
        Err(MissingStart::DayDate) => {
            errors.push(
                Diagnostic::error(
                    field_at("start"),
                    "the event has no <date>, and its <day> has no date",
                )
                .with_help("give the <day> a date attribute such as date=\"2010-02-06\""),
            );
            None
        }
    }
}
