//! iCalendar (`.ics`, RFC 5545), as conference sites publish their programs.
//!
//! A careful parser of our own rather than a crate: real files need lines unfolded as bytes
//! before they are decoded (a fold may split a UTF-8 character), tolerance for CR LF, bare LF
//! and stray CRs, and a significant space kept before a fold; the crates we tried decode each
//! physical line first or trim it. Only VEVENTs are read, and of them only what a projector
//! shows: SUMMARY, DTSTART, DTEND or DURATION, LOCATION, DESCRIPTION (HTML stripped, a leading
//! "Speaker:" line taken as the speakers), UID, STATUS, CATEGORIES and RRULE (to warn).
//! ORGANIZER, ATTENDEE and the like are never kept.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

use super::import::{
    ProgramEvent, Rooms, Tally, UniqueIds, Zones, clean_line, end_from_duration, event_session,
    failed, finish, html_to_text, out_of_calendar, paragraphs, slug, split_names,
};
use super::{LineIndex, LoadOptions, line_column};
use crate::diagnostic::{Diagnostic, LoadError, Location};
use crate::model::Person;
use crate::timeparse::{in_calendar, parse_zone};
use crate::validate::{EventDraft, Loaded, RoomRef, ScheduleDraft, default_day_change};

/// A logical line: the bytes of a content line with its folds removed, and the byte offset
/// in the file where it starts.
struct Unfolded {
    bytes: Vec<u8>,
    offset: usize,
}

/// Splits the file into content lines and unfolds them, all as bytes. Lines end with CR LF or
/// LF; a file with no LF at all uses CR alone. A CR elsewhere is stray and dropped. A line that
/// starts with a space or a tab continues the previous one, without that first character.
fn unfold(bytes: &[u8]) -> Vec<Unfolded> {
    let cr_ends_lines = !bytes.contains(&b'\n');
    let mut lines: Vec<Unfolded> = Vec::new();
    let mut start = 0;
    let mut index = 0;
    let mut physical: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    while index < bytes.len() {
        let byte = bytes[index];
        let ends_line = byte == b'\n' || (byte == b'\r' && cr_ends_lines);
        if ends_line {
            physical.push((start, std::mem::take(&mut current)));
            start = index + 1;
        } else if byte != b'\r' {
            current.push(byte);
        }
        index += 1;
    }
    if !current.is_empty() {
        physical.push((start, current));
    }
    for (offset, line) in physical {
        match line.first() {
            Some(b' ' | b'\t') if !lines.is_empty() => {
                if let Some(previous) = lines.last_mut() {
                    previous.bytes.extend_from_slice(&line[1..]);
                }
            }
            None => {}
            _ => lines.push(Unfolded {
                bytes: line,
                offset,
            }),
        }
    }
    lines
}

/// A property: its upper-case name, its parameters (upper-case names, values without quotes)
/// and its raw value.
#[derive(Debug)]
struct Property {
    name: String,
    parameters: Vec<(String, String)>,
    value: String,
    offset: usize,
}

impl Property {
    fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Parses `NAME;PARAM=VALUE;PARAM="QUOTED:VALUE":value`.
fn parse_property(line: &str, offset: usize) -> Option<Property> {
    let mut in_quotes = false;
    let mut value_start = None;
    for (index, character) in line.char_indices() {
        match character {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                value_start = Some(index);
                break;
            }
            _ => {}
        }
    }
    let value_start = value_start?;
    let head = &line[..value_start];
    let mut parts = split_outside_quotes(head, ';').into_iter();
    let name = parts.next()?.trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let parameters = parts
        .filter_map(|part| {
            let (key, value) = part.split_once('=')?;
            Some((
                key.trim().to_ascii_uppercase(),
                value.trim().trim_matches('"').to_owned(),
            ))
        })
        .collect();
    Some(Property {
        name,
        parameters,
        value: line[value_start + 1..].to_owned(),
        offset,
    })
}

fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (index, character) in text.char_indices() {
        if character == '"' {
            in_quotes = !in_quotes;
        } else if character == separator && !in_quotes {
            parts.push(&text[start..index]);
            start = index + 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A TEXT value with its escapes resolved: `\n` is a line break, `\,` `\;` `\\` the character.
fn unescape_text(value: &str) -> String {
    let mut text = String::with_capacity(value.len());
    let mut characters = value.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            text.push(character);
            continue;
        }
        match characters.next() {
            Some('n' | 'N') => text.push('\n'),
            Some(other) => text.push(other),
            None => text.push('\\'),
        }
    }
    text
}

/// The calendar as read: its own properties and its events.
struct Calendar {
    properties: Vec<Property>,
    events: Vec<Vec<Property>>,
    event_offsets: Vec<usize>,
}

/// Reads the components. Only VEVENTs directly in the VCALENDAR are kept; properties of
/// nested components (VALARM) and of VTIMEZONE, VTODO and others are skipped.
fn parse_calendar(bytes: &[u8]) -> Result<Calendar, Diagnostic> {
    let at = |offset: usize| {
        let (line, column) = line_column(bytes, offset);
        Location::LineColumn { line, column }
    };
    let mut calendar = Calendar {
        properties: Vec::new(),
        events: Vec::new(),
        event_offsets: Vec::new(),
    };
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut current_event: Option<Vec<Property>> = None;
    let mut seen_calendar = false;
    for line in unfold(bytes) {
        let text = match std::str::from_utf8(&line.bytes) {
            Ok(text) => text,
            Err(error) => {
                let column = String::from_utf8_lossy(&line.bytes[..error.valid_up_to()])
                    .chars()
                    .count()
                    + 1;
                let (line_number, _) = line_column(bytes, line.offset);
                return Err(Diagnostic::error(
                    Location::LineColumn {
                        line: line_number,
                        column,
                    },
                    "the line is not valid UTF-8 (after unfolding)",
                )
                .with_help("save the calendar as UTF-8"));
            }
        };
        let Some(property) = parse_property(text, line.offset) else {
            return Err(Diagnostic::error(
                at(line.offset),
                format!("`{}` is not an iCalendar content line", shorten(text)),
            )
            .with_help("a content line is NAME:VALUE, e.g. SUMMARY:Opening; a continued line starts with a space"));
        };
        match property.name.as_str() {
            "BEGIN" => {
                let component = property.value.trim().to_ascii_uppercase();
                if stack.is_empty() && component != "VCALENDAR" {
                    return Err(Diagnostic::error(
                        at(line.offset),
                        format!("BEGIN:{component} outside a VCALENDAR"),
                    )
                    .with_help("an iCalendar file starts with BEGIN:VCALENDAR"));
                }
                if component == "VCALENDAR" {
                    seen_calendar = true;
                }
                if component == "VEVENT" && stack.len() == 1 {
                    current_event = Some(Vec::new());
                    calendar.event_offsets.push(line.offset);
                }
                stack.push((component, line.offset));
            }
            "END" => {
                let component = property.value.trim().to_ascii_uppercase();
                match stack.pop() {
                    Some((open, _)) if open == component => {
                        if component == "VEVENT"
                            && stack.len() == 1
                            && let Some(event) = current_event.take()
                        {
                            calendar.events.push(event);
                        }
                    }
                    Some((open, open_offset)) => {
                        let (open_line, _) = line_column(bytes, open_offset);
                        return Err(Diagnostic::error(
                            at(line.offset),
                            format!("END:{component} closes BEGIN:{open} of line {open_line}"),
                        )
                        .with_help(format!("add END:{open} before this line")));
                    }
                    None => {
                        return Err(Diagnostic::error(
                            at(line.offset),
                            format!("END:{component} without a BEGIN"),
                        )
                        .with_help("remove the line, or add the BEGIN it closes"));
                    }
                }
            }
            _ => match (stack.len(), current_event.as_mut()) {
                (1, _) => calendar.properties.push(property),
                (2, Some(event)) => event.push(property),
                _ => {}
            },
        }
    }
    if let Some((open, offset)) = stack.last() {
        let (line, _) = line_column(bytes, *offset);
        return Err(Diagnostic::error(
            at(bytes.len()),
            format!("the file ends inside the {open} that begins on line {line}"),
        )
        .with_help("the file is cut short: export or download it again"));
    }
    if !seen_calendar {
        return Err(
            Diagnostic::error(at(bytes.len()), "the file ends without a VCALENDAR")
                .with_help("an iCalendar file starts with BEGIN:VCALENDAR"),
        );
    }
    Ok(calendar)
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((index, _)) => format!("{}…", &text[..index]),
        None => text.to_owned(),
    }
}

/// A zone named by a `TZID`: an IANA name, possibly behind a vendor prefix
/// (`/mozilla.org/20050126_1/Europe/Berlin`).
fn zone_of_tzid(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim();
    if let Some(zone) = parse_zone(tzid) {
        return Some(zone);
    }
    let parts: Vec<&str> = tzid.split('/').filter(|part| !part.is_empty()).collect();
    // IANA names have at most three parts (`America/Argentina/Buenos_Aires`): only the last
    // three are tried, so that a value of thousands of parts costs no more than a short one.
    (parts.len().saturating_sub(3)..parts.len())
        .find_map(|first| parse_zone(&parts[first..].join("/")))
}

/// What a DTSTART or DTEND says.
enum CalendarTime {
    /// A date without a time: an all-day event.
    Date,
    /// An instant.
    Instant(chrono::DateTime<chrono::Utc>),
    /// Not readable (already reported).
    Invalid,
}

/// Reads a DATE-TIME (`20200114T070000`, `...Z`, with or without `TZID`) or a DATE.
fn read_time(
    property: &Property,
    lines: &LineIndex<'_>,
    zones: &mut Zones,
    unknown_tzids: &mut Tally,
) -> CalendarTime {
    let value = property.value.trim();
    let at = || {
        let (line, column) = lines.line_column(property.offset);
        Location::LineColumn { line, column }
    };
    let is_date = property
        .parameter("VALUE")
        .is_some_and(|kind| kind.eq_ignore_ascii_case("DATE"))
        || (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()));
    if is_date {
        return match NaiveDate::parse_from_str(value, "%Y%m%d") {
            Ok(_) => CalendarTime::Date,
            Err(_) => {
                zones.errors.push(malformed_time(at(), property, value));
                CalendarTime::Invalid
            }
        };
    }
    let (local_text, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(without) => (without, true),
        None => (value, false),
    };
    let Some(local) = NaiveDateTime::parse_from_str(local_text, "%Y%m%dT%H%M%S")
        .or_else(|_| NaiveDateTime::parse_from_str(local_text, "%Y%m%dT%H%M"))
        .ok()
    else {
        zones.errors.push(malformed_time(at(), property, value));
        return CalendarTime::Invalid;
    };
    if utc {
        let exact = local.and_utc();
        if !in_calendar(exact) {
            zones.errors.push(out_of_calendar(at(), value));
            return CalendarTime::Invalid;
        }
        return CalendarTime::Instant(zones.exact(exact.fixed_offset(), value, at));
    }
    let instant = match property.parameter("TZID") {
        Some(tzid) => match zone_of_tzid(tzid) {
            Some(zone) => zones.wall_clock_in(zone, local, value, at),
            None => {
                unknown_tzids.note(|| {
                    Diagnostic::warning(
                        at(),
                        format!(
                            "TZID `{tzid}` is not a time zone lectern knows; the time is read in the calendar's zone"
                        ),
                    )
                    .with_help("use IANA zone names such as Europe/Berlin, or pass --timezone")
                });
                zones.wall_clock(local, value, at)
            }
        },
        None => zones.wall_clock(local, value, at),
    };
    instant.map_or(CalendarTime::Invalid, CalendarTime::Instant)
}

fn malformed_time(location: Location, property: &Property, value: &str) -> Diagnostic {
    Diagnostic::error(
        location,
        format!("{} `{value}` is not an iCalendar date-time", property.name),
    )
    .with_help("write it as 20200114T090000, 20200114T090000Z or, for a whole day, 20200114")
}

/// Descriptions that say there is none.
const PLACEHOLDERS: &[&str] = &["no description", "tba", "tbd", "to be announced", "n/a"];

fn is_placeholder(text: &str) -> bool {
    PLACEHOLDERS.contains(&text.trim().to_lowercase().as_str())
}

/// The speakers named by leading "Speaker:" lines, and the rest of the description as
/// paragraphs.
fn speakers_and_abstract(description: &str) -> (Vec<Person>, Option<String>) {
    let text = html_to_text(description);
    let mut speakers = Vec::new();
    let mut rest = text.as_str();
    loop {
        let trimmed = rest.trim_start();
        let (line, after) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
        let Some((label, names)) = line.split_once(':') else {
            break;
        };
        let label = label.trim().to_lowercase();
        if !matches!(
            label.as_str(),
            "speaker" | "speakers" | "presenter" | "presenters" | "presented by" | "by"
        ) {
            break;
        }
        speakers.extend(split_names(names));
        rest = after;
    }
    let abstract_text = paragraphs(rest).filter(|text| !is_placeholder(text));
    (speakers, abstract_text)
}

/// The prefixes before ": " that are a calendar's categories rather than part of titles
/// ("Main Conference: lunch"): shared by at least 3 events and a tenth of them. "Keynote: ..."
/// on four talks out of 262 is part of their titles.
fn category_prefixes(summaries: &[Option<String>]) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for summary in summaries.iter().flatten() {
        if let Some((prefix, _)) = summary.split_once(": ")
            && prefix.chars().count() <= 40
        {
            *counts.entry(prefix).or_default() += 1;
        }
    }
    let threshold = (summaries.len() / 10).max(3);
    let mut prefixes: Vec<String> = counts
        .into_iter()
        .filter(|&(_, count)| count >= threshold)
        .map(|(prefix, _)| prefix.to_owned())
        .collect();
    prefixes.sort();
    prefixes
}

fn capitalized(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// Reads an iCalendar file from its bytes.
pub fn load(bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let calendar = parse_calendar(bytes).map_err(LoadError::single)?;
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let calendar_text = |name: &str| {
        calendar
            .properties
            .iter()
            .find(|property| property.name == name)
            .map(|property| clean_line(&unescape_text(&property.value)))
            .filter(|text| !text.is_empty())
    };

    // The calendar's zone: X-WR-TIMEZONE, or else the TZID its events use most.
    let declared_property = calendar
        .properties
        .iter()
        .find(|property| property.name == "X-WR-TIMEZONE");
    // Each TZID with how often it is used and where it is first used.
    let mut tzid_counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for event in &calendar.events {
        for property in event
            .iter()
            .filter(|p| p.name == "DTSTART" || p.name == "DTEND")
        {
            if let Some(tzid) = property.parameter("TZID") {
                tzid_counts.entry(tzid).or_insert((0, property.offset)).0 += 1;
            }
        }
    }
    let (most_used_tzid, most_used_offset) = tzid_counts
        .iter()
        .filter(|(tzid, _)| zone_of_tzid(tzid).is_some())
        .max_by_key(|&(tzid, (count, _))| (*count, std::cmp::Reverse(*tzid)))
        .map(|(tzid, (_, offset))| (Some((*tzid).to_owned()), *offset))
        .unwrap_or((None, 0));
    let lines = LineIndex::new(bytes);
    let at_offset = |offset: usize| {
        let (line, column) = lines.line_column(offset);
        Location::LineColumn { line, column }
    };
    let declared: Option<(String, Location, String)> = match (declared_property, &most_used_tzid) {
        (Some(property), _) => Some((
            property.value.trim().to_owned(),
            at_offset(property.offset),
            "X-WR-TIMEZONE".to_owned(),
        )),
        (None, Some(tzid)) => zone_of_tzid(tzid).map(|zone| {
            (
                zone.name().to_owned(),
                at_offset(most_used_offset),
                format!("TZID={tzid}"),
            )
        }),
        (None, None) => None,
    };
    if let (Some(property), Some(tzid)) = (declared_property, &most_used_tzid)
        && zone_of_tzid(property.value.trim()) != zone_of_tzid(tzid)
    {
        warnings.push(
            Diagnostic::warning(
                at_offset(property.offset),
                format!(
                    "X-WR-TIMEZONE is {}, but the events' times are given in TZID={tzid}; each time is read in its own TZID",
                    property.value.trim()
                ),
            )
            .with_help("the times are shown in the X-WR-TIMEZONE zone; check the calendar's settings"),
        );
    }
    let mut zones = Zones::new(
        declared
            .as_ref()
            .map(|(name, location, origin)| (name.as_str(), location.clone(), origin.clone())),
        options.time_zone,
    );

    let summaries: Vec<Option<String>> = calendar
        .events
        .iter()
        .map(|event| {
            event
                .iter()
                .find(|p| p.name == "SUMMARY")
                .map(|p| clean_line(&unescape_text(&p.value)))
        })
        .collect();
    let categories = category_prefixes(&summaries);
    let locations: Vec<Option<String>> = calendar
        .events
        .iter()
        .map(|event| {
            event
                .iter()
                .find(|p| p.name == "LOCATION")
                .map(|p| clean_line(&unescape_text(&p.value)))
                .filter(|location| !location.is_empty())
        })
        .collect();
    // Rooms are the locations events name on their own; a location that lists several of them
    // ("Arena, Room 8, Room 5") puts the event in each.
    let mut rooms = Rooms::default();
    for (index, location) in locations.iter().enumerate() {
        if let Some(location) = location
            && !location.contains(',')
        {
            rooms.add(location, || format!("VEVENT[{index}].LOCATION"));
        }
    }
    for (index, location) in locations.iter().enumerate() {
        if let Some(location) = location
            && location.contains(',')
            && !location.split(',').all(|part| rooms.contains(part))
        {
            rooms.add(location, || format!("VEVENT[{index}].LOCATION"));
        }
    }

    let mut ids = UniqueIds::default();
    let mut stated_lengths = Tally::default();
    let mut all_day = Tally::default();
    let mut cancelled = Tally::default();
    let mut repeating = Tally::default();
    let mut unknown_tzids = Tally::default();
    let mut sessions = Vec::new();
    for (index, event) in calendar.events.iter().enumerate() {
        let origin = format!("VEVENT[{index}]");
        let event_offset = calendar.event_offsets.get(index).copied().unwrap_or(0);
        let property = |name: &str| event.iter().find(|p| p.name == name);
        let text_of = |name: &str| property(name).map(|p| unescape_text(&p.value));
        if let Some(status) = property("STATUS")
            && status.value.trim().eq_ignore_ascii_case("CANCELLED")
        {
            cancelled.note(|| {
                Diagnostic::warning(
                    at_offset(status.offset),
                    "the event is cancelled; it is not shown",
                )
            });
            continue;
        }
        if let Some(rule) = property("RRULE") {
            repeating.note(|| {
                Diagnostic::warning(
                    at_offset(rule.offset),
                    "the event repeats; only its first occurrence is shown",
                )
                .with_help("list each occurrence as its own event")
            });
        }
        let Some(start_property) = property("DTSTART") else {
            errors.push(
                Diagnostic::error(at_offset(event_offset), "the VEVENT has no DTSTART")
                    .with_help("give every event a start, e.g. DTSTART:20200114T090000Z"),
            );
            continue;
        };
        let start = match read_time(start_property, &lines, &mut zones, &mut unknown_tzids) {
            CalendarTime::Instant(start) => start,
            CalendarTime::Date => {
                all_day.note(|| {
                    Diagnostic::warning(
                        at_offset(start_property.offset),
                        "an all-day event is not a slot of the program; it is not shown",
                    )
                });
                continue;
            }
            CalendarTime::Invalid => continue,
        };
        let end = match (property("DTEND"), property("DURATION")) {
            (Some(end_property), _) => {
                match read_time(end_property, &lines, &mut zones, &mut unknown_tzids) {
                    CalendarTime::Instant(end) => end,
                    CalendarTime::Date => {
                        errors.push(
                            Diagnostic::error(
                                at_offset(end_property.offset),
                                "DTEND is a date, but DTSTART is a date-time",
                            )
                            .with_help("give both as date-times, e.g. DTEND:20200114T100000Z"),
                        );
                        continue;
                    }
                    CalendarTime::Invalid => continue,
                }
            }
            (None, Some(duration)) => match end_from_duration(
                start,
                &duration.value,
                || at_offset(duration.offset),
                "write DURATION in ISO 8601, e.g. PT45M",
            ) {
                Ok(end) => end,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            },
            // RFC 5545: an event with a start and no end or duration takes no time.
            (None, None) => start,
        };

        let summary = summaries.get(index).cloned().flatten();
        let (prefix_is_category, remainder) = match &summary {
            Some(summary) => match summary.split_once(": ") {
                Some((prefix, rest)) if categories.iter().any(|c| c == prefix) => {
                    (true, Some(rest.trim().to_owned()))
                }
                _ => (false, Some(summary.clone())),
            },
            None => (false, None),
        };
        let description = text_of("DESCRIPTION").unwrap_or_default();
        let (speakers, mut abstract_text) = speakers_and_abstract(&description);
        let (title, label) = if prefix_is_category {
            // "Main Conference: lunch": the rest is a label, and the description's first
            // paragraph, when short, is the title ("Lunch (uncatered)").
            let label = remainder.clone().filter(|label| !label.is_empty());
            let first_paragraph = abstract_text
                .as_deref()
                .and_then(|text| text.split("\n\n").next())
                .filter(|first| first.chars().count() <= 80)
                .map(str::to_owned);
            match first_paragraph {
                Some(first) if speakers.is_empty() => {
                    let rest = abstract_text
                        .as_deref()
                        .and_then(|text| text.split_once("\n\n"))
                        .map(|(_, rest)| rest.to_owned());
                    abstract_text = rest;
                    (Some(capitalized(&first)), label)
                }
                _ => (label.as_deref().map(capitalized), label),
            }
        } else {
            let categories_label = text_of("CATEGORIES").map(|text| clean_line(&text));
            (
                remainder.filter(|title| !title.is_empty()),
                categories_label,
            )
        };
        let title = title.filter(|title| !is_placeholder(title));
        let id_base = text_of("UID")
            .map(|uid| clean_line(&uid))
            .filter(|uid| !uid.is_empty())
            .unwrap_or_else(|| origin.clone());
        let placements: Vec<RoomRef> = match locations.get(index).cloned().flatten() {
            None => vec![RoomRef::AllRooms],
            Some(location) if rooms.contains(&location) => vec![RoomRef::Named(location)],
            Some(location) => location
                .split(',')
                .map(|part| RoomRef::Named(clean_line(part)))
                .collect(),
        };
        let several = placements.len() > 1;
        for room in placements {
            let id = match (&room, several) {
                (RoomRef::Named(name), true) => format!("{id_base}#{}", slug(name, 6)),
                _ => id_base.clone(),
            };
            let event = ProgramEvent {
                origin: origin.clone(),
                id: ids.unique(id),
                title: title.clone(),
                label: label.clone(),
                room,
                start,
                end,
                speakers: speakers.clone(),
                chairs: Vec::new(),
                chair_role: None,
                abstract_text: abstract_text.clone(),
            };
            sessions.push(event_session(event, &mut stated_lengths));
        }
    }
    for tally in [stated_lengths, all_day, cancelled, repeating, unknown_tzids] {
        tally.finish(&mut warnings);
    }
    let Some((zone, zone_source)) = zones.finish(&mut warnings, &mut errors) else {
        return Err(failed(errors, warnings));
    };
    if rooms.is_empty() {
        // A calendar without locations is one room's program.
        rooms.add(super::import::FALLBACK_ROOM, || "LOCATION".to_owned());
        for session in &mut sessions {
            session.room = RoomRef::Default;
        }
    }
    let name = calendar_text("X-WR-CALNAME")
        .or_else(|| calendar_text("X-WR-CALDESC"))
        .unwrap_or_else(|| "Calendar".to_owned());
    let draft = ScheduleDraft {
        event: EventDraft {
            name,
            short_name: None,
            venue: None,
            time_zone: zone,
            time_zone_source: zone_source,
            default_room: None,
            default_room_origin: "LOCATION".to_owned(),
            day_change: default_day_change(),
        },
        rooms: rooms.into_drafts(),
        sessions,
    };
    finish(draft, warnings, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fold_inside_a_character_is_unfolded_before_decoding() {
        // "é" is C3 A9; the fold falls between its two bytes.
        let bytes = b"SUMMARY:Caf\xC3\r\n \xA9 \r\n  ouvert\r\n";
        let lines = unfold(bytes);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            std::str::from_utf8(&lines[0].bytes).ok(),
            Some("SUMMARY:Café  ouvert")
        );
    }

    #[test]
    fn lf_and_stray_crs_are_accepted() {
        let lines = unfold(b"A:1\nB:2\r\r\nC:3\r\n D");
        let texts: Vec<String> = lines
            .iter()
            .map(|line| String::from_utf8_lossy(&line.bytes).into_owned())
            .collect();
        assert_eq!(texts, ["A:1", "B:2", "C:3D"]);
        let mac = unfold(b"A:1\rB:2\r");
        assert_eq!(mac.len(), 2);
    }

    #[test]
    fn properties_with_quoted_parameters() {
        let property = parse_property(
            "DTSTART;TZID=\"Europe/Berlin:x\";VALUE=DATE-TIME:20200101T100000",
            0,
        )
        .expect("a property");
        assert_eq!(property.name, "DTSTART");
        assert_eq!(property.parameter("TZID"), Some("Europe/Berlin:x"));
        assert_eq!(property.value, "20200101T100000");
        assert_eq!(unescape_text("a\\, b\\nc\\\\"), "a, b\nc\\");
    }

    #[test]
    fn tzids_behind_vendor_prefixes() {
        assert_eq!(
            zone_of_tzid("/mozilla.org/20050126_1/Europe/Berlin"),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(zone_of_tzid("W. Europe Standard Time"), None);
    }

    #[test]
    fn speaker_lines_are_taken_from_the_description() {
        let (speakers, abstract_text) =
            speakers_and_abstract("Speaker: Joel Addison\nOpening Remarks and Housekeeping");
        assert_eq!(speakers.len(), 1);
        assert_eq!(speakers[0].name, "Joel Addison");
        assert_eq!(
            abstract_text.as_deref(),
            Some("Opening Remarks and Housekeeping")
        );
        let (speakers, abstract_text) = speakers_and_abstract("No description");
        assert!(speakers.is_empty());
        assert_eq!(abstract_text, None);
    }
}
