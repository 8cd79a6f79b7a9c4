//! USENIX program pages saved as text (the layout of the HotOS programs on usenix.org).
//!
//! The page is a sequence of lines:
//!
//! - day headers, "Monday, May 13, 2013";
//! - time lines that open a slot, "8:45 a.m.–9:00 a.m. Monday", "Noon–1:30 p.m.",
//!   "11:00 a.m.–noon", sometimes with the slot's title inline ("10:30 a.m.–11:00 a.m. Break")
//!   and sometimes with the dash lost ("10:30 a.m. 11:00 a.m.");
//! - in a slot: its title (absent in untitled slots), chair lines ("Session Chair: ...",
//!   "Program Co-Chairs: ..."), a location line ("Puma"), a description, and its papers;
//! - a paper: its title, its author line ("A, B, and C, Affiliation; D, Other"), its abstract,
//!   and an "Available Media" marker, which some pages leave out.
//!
//! Session ids are the weekday and start (`mon-0900`); talk ids are the first six words of the
//! title as a slug. The page names no time zone: `--timezone` gives it.

use std::collections::HashMap;

use chrono::{DateTime, Datelike as _, NaiveDate, NaiveDateTime, NaiveTime, Timelike as _, Utc, Weekday};

use super::LoadOptions;
use super::import::{
    FALLBACK_ROOM, Rooms, UniqueIds, Zones, clean_line, failed, finish, kind_named_by, slug,
};
use crate::diagnostic::{Diagnostic, LoadError, Location};
use crate::model::{Person, SessionKind};
use crate::validate::{
    EventDraft, Loaded, RoomRef, ScheduleDraft, SessionDraft, TalkDraft, TalkTiming,
    default_day_change,
};

/// The marker that ends a paper on the pages.
const AVAILABLE_MEDIA: &str = "Available Media";

/// Whether the text looks like a program page: a day header and a time line in its first
/// 64 KiB.
pub fn looks_like_program(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let mut has_day = false;
    let mut has_time = false;
    for line in head.lines() {
        let line = clean_line(line);
        has_day |= parse_day_header(&line).is_some();
        has_time |= parse_time_line(&line).is_some();
        if has_day && has_time {
            return true;
        }
    }
    false
}

/// "Monday, May 13, 2013".
fn parse_day_header(line: &str) -> Option<NaiveDate> {
    let (weekday, date) = line.split_once(", ")?;
    if !WEEKDAY_NAMES.contains(&weekday) {
        return None;
    }
    NaiveDate::parse_from_str(date, "%B %d, %Y").ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

/// A time of day as a program page writes it.
#[derive(Debug, Clone, Copy)]
struct ClockTime {
    hour: u32,
    minute: u32,
    has_minutes: bool,
    meridiem: Option<Meridiem>,
    /// "noon" or "midnight": exact without a meridiem.
    named: bool,
}

impl ClockTime {
    fn is_explicit(self) -> bool {
        self.named || self.meridiem.is_some()
    }

    fn to_time(self, meridiem: Option<Meridiem>) -> Option<NaiveTime> {
        let hour = match (self.named, meridiem) {
            (true, _) | (false, None) => self.hour,
            (false, Some(Meridiem::Am)) => self.hour % 12,
            (false, Some(Meridiem::Pm)) => self.hour % 12 + 12,
        };
        NaiveTime::from_hms_opt(hour, self.minute, 0)
    }
}

/// Reads a time at the start of `text`: "8:45 a.m.", "9am", "12:30 PM", "noon", "13:30".
fn parse_clock(text: &str) -> Option<(ClockTime, &str)> {
    for (word, hour) in [("noon", 12), ("midnight", 0)] {
        if text
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
            && !followed_by_letter(text, word.len())
        {
            let time = ClockTime {
                hour,
                minute: 0,
                has_minutes: true,
                meridiem: None,
                named: true,
            };
            return Some((time, &text[word.len()..]));
        }
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let hour: u32 = text[..digits].parse().ok()?;
    let mut rest = &text[digits..];
    let mut minute = 0;
    let mut has_minutes = false;
    if let Some(after_colon) = rest.strip_prefix(':') {
        let minute_digits = after_colon.bytes().take_while(u8::is_ascii_digit).count();
        if minute_digits != 2 {
            return None;
        }
        minute = after_colon[..2].parse().ok()?;
        has_minutes = true;
        rest = &after_colon[2..];
    }
    let (meridiem, rest) = parse_meridiem(rest);
    let valid_hour = match meridiem {
        Some(_) => (1..=12).contains(&hour),
        None => hour <= 23,
    };
    if !valid_hour || minute > 59 || followed_by_letter(rest, 0) && meridiem.is_none() {
        return None;
    }
    Some((
        ClockTime {
            hour,
            minute,
            has_minutes,
            meridiem,
            named: false,
        },
        rest,
    ))
}

fn followed_by_letter(text: &str, index: usize) -> bool {
    text.get(index..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_alphabetic)
}

/// "a.m.", "am", "a. m.", "AM" (and the same for p.m.) after optional spaces.
fn parse_meridiem(text: &str) -> (Option<Meridiem>, &str) {
    let trimmed = text.trim_start();
    for (spelling, meridiem) in [
        ("a.m.", Meridiem::Am),
        ("a. m.", Meridiem::Am),
        ("a.m", Meridiem::Am),
        ("am", Meridiem::Am),
        ("p.m.", Meridiem::Pm),
        ("p. m.", Meridiem::Pm),
        ("p.m", Meridiem::Pm),
        ("pm", Meridiem::Pm),
    ] {
        if trimmed
            .get(..spelling.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(spelling))
            && !followed_by_letter(trimmed, spelling.len())
        {
            return (Some(meridiem), &trimmed[spelling.len()..]);
        }
    }
    (None, text)
}

/// A slot's time line: its start and end, and what follows them on the line.
#[derive(Debug)]
struct TimeLine {
    start: NaiveTime,
    end: NaiveTime,
    rest: String,
}

/// "8:45 a.m.–9:00 a.m. Monday", "Noon–1:30 p.m. Monday", "11:00 a.m.–noon Tuesday",
/// "10:30 a.m.–11:00 a.m.   Break", and the same with the dash lost. A time without a.m. or
/// p.m. takes the other's ("9:00–10:30 a.m."), unless that would put the start after the end
/// ("11:30–1:00 p.m." starts before noon).
fn parse_time_line(line: &str) -> Option<TimeLine> {
    let (first, rest) = parse_clock(line)?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(['–', '—', '-', '‒']).unwrap_or(rest);
    let rest = rest.strip_prefix("to ").unwrap_or(rest).trim_start();
    let (second, rest) = parse_clock(rest)?;
    let readable = |time: ClockTime| time.has_minutes || time.is_explicit();
    let clear =
        first.is_explicit() || second.is_explicit() || (first.has_minutes && second.has_minutes);
    if !(readable(first) && readable(second) && clear) {
        return None;
    }
    let end = second.to_time(second.meridiem.or(first.meridiem))?;
    let mut start = first.to_time(first.meridiem.or(second.meridiem))?;
    if first.meridiem.is_none()
        && !first.named
        && second.meridiem == Some(Meridiem::Pm)
        && start > end
    {
        start = first.to_time(Some(Meridiem::Am))?;
    }
    Some(TimeLine {
        start,
        end,
        rest: clean_line(rest),
    })
}

const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The title a time line carries inline ("Break"), without the weekday some pages add.
fn inline_title(rest: &str) -> Option<String> {
    let mut title = rest.trim();
    for weekday in WEEKDAY_NAMES {
        if let Some(before) = title.strip_suffix(weekday) {
            title = before.trim_end();
            break;
        }
    }
    (!title.is_empty()).then(|| title.to_owned())
}

/// A non-blank line of the page and the paragraph it belongs to.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    block: usize,
}

/// A chair line: "Session Chair: ...", "Program Co-Chairs: ...": the role and the people.
fn parse_chair_line(text: &str) -> Option<(String, &str)> {
    let (role, people) = text.split_once(':')?;
    let role = role.trim();
    let lower = role.to_lowercase();
    let is_chair = (lower.ends_with("chair") || lower.ends_with("chairs"))
        && role.split_whitespace().count() <= 4;
    is_chair.then(|| (role.to_owned(), people.trim()))
}

/// Affiliations on the pages lose a space after a leading "The" where the HTML had a line
/// break ("TheUniversity of Texas"): no English word starts with "The" followed by a
/// capital letter and a lower-case one, so the space is put back.
fn restore_space_after_the(text: &str) -> String {
    let mut result = String::with_capacity(text.len() + 4);
    let mut rest = text;
    while let Some(index) = rest.find("The") {
        let at_word_start = index == 0
            || rest[..index]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_alphanumeric());
        let after: Vec<char> = rest[index + 3..].chars().take(2).collect();
        let glued = matches!(after.as_slice(), [upper, lower] if upper.is_uppercase() && lower.is_lowercase());
        result.push_str(&rest[..index + 3]);
        if at_word_start && glued {
            result.push(' ');
        }
        rest = &rest[index + 3..];
    }
    result.push_str(rest);
    result
}

/// Words that may be lower case in a personal name.
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "dos", "del", "bin", "al",
    "el", "ter", "zu",
];

/// Whether a text could be a personal name: one to six words, each capitalised (or a
/// particle such as "van"), without digits.
fn is_name_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=6).contains(&words.len())
        && !text.chars().any(|c| c.is_ascii_digit() || c == ':')
        && words.iter().all(|word| {
            NAME_PARTICLES.contains(word)
                || word
                    .chars()
                    .find(|c| c.is_alphabetic())
                    .is_some_and(char::is_uppercase)
                    && word.starts_with(|c: char| c.is_alphabetic() || c == '\'' || c == '(')
        })
}

/// Whether a line reads as an author line: groups separated by ";", each a name (or names)
/// then a comma and an affiliation. The last of several groups may lack its affiliation: a
/// page cut short ends in the middle of a line.
fn is_author_line(text: &str) -> bool {
    if text.len() > 2000 || text.ends_with(':') || parse_chair_line(text).is_some() {
        return false;
    }
    let groups: Vec<&str> = text
        .split(';')
        .map(str::trim)
        .filter(|group| !group.is_empty())
        .collect();
    let last = groups.len().saturating_sub(1);
    !groups.is_empty()
        && groups.iter().enumerate().all(|(index, group)| {
            let names = match group.split_once(',') {
                Some((names, _)) => names,
                None if index == last && index > 0 => group,
                None => return false,
            };
            names.split(" and ").map(str::trim).all(is_name_like)
        })
}

/// The people of an author or chair line. Each ";"-separated group is names followed by one
/// affiliation: "A, B, and C, Affiliation", "A and B, Affiliation", "A, Affiliation". The last
/// name is the one after "and"; an affiliation may itself hold commas and "and" ("University
/// of California, Berkeley, and International Computer Science Institute").
fn parse_people(text: &str) -> Vec<Person> {
    let text = restore_space_after_the(&clean_line(text));
    let mut people = Vec::new();
    for group in text.split(';').map(str::trim).filter(|g| !g.is_empty()) {
        let parts: Vec<&str> = group
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect();
        let names_end = last_name_part(&parts);
        let (names, affiliation) = match names_end {
            Some(end) => (&parts[..=end], parts[end + 1..].join(", ")),
            None if parts.len() > 1 => (&parts[..1], parts[1..].join(", ")),
            None => (&parts[..], String::new()),
        };
        let affiliation = (!affiliation.is_empty()).then_some(affiliation);
        for part in names {
            let part = part.strip_prefix("and ").unwrap_or(part);
            for name in part.split(" and ").map(str::trim).filter(|n| !n.is_empty()) {
                people.push(Person {
                    name: name.to_owned(),
                    affiliation: affiliation.clone(),
                });
            }
        }
    }
    people
}

/// Where the names of a group end: the part that starts with "and " or, with no serial
/// comma, that joins two names with " and ". `None` for a single name. The names must leave
/// an affiliation after them.
fn last_name_part(parts: &[&str]) -> Option<usize> {
    let candidate = parts.iter().enumerate().position(|(index, part)| {
        part.starts_with("and ")
            || (part.contains(" and ")
                && parts[..=index]
                    .iter()
                    .flat_map(|p| p.trim_start_matches("and ").split(" and "))
                    .all(|name| is_name_like(name.trim())))
    })?;
    (candidate + 1 < parts.len()).then_some(candidate)
}

/// Whether a line can be a title: not a sentence (titles do not end in a full stop), not a
/// marker or chair line.
fn is_title_like(text: &str) -> bool {
    text != AVAILABLE_MEDIA
        && parse_chair_line(text).is_none()
        && !text.ends_with('.')
        && text.chars().count() <= 250
}

/// Whether a line is a place ("Puma", "Tamaya Prefunction North"): short, no sentence.
fn is_location_like(text: &str) -> bool {
    is_title_like(text)
        && !text.ends_with([':', ';', ',', '!', '?'])
        && text.split_whitespace().count() <= 6
        && !text.contains(',')
}

/// Lines joined as the model keeps text: a paragraph's lines with spaces, paragraphs with a
/// blank line.
fn join_paragraphs(lines: &[Line]) -> Option<String> {
    let mut text = String::new();
    let mut previous_block: Option<usize> = None;
    for line in lines {
        match previous_block {
            None => {}
            Some(block) if block == line.block => text.push(' '),
            Some(_) => text.push_str("\n\n"),
        }
        text.push_str(&line.text);
        previous_block = Some(line.block);
    }
    (!text.is_empty()).then_some(text)
}

/// A slot as read from the page.
struct Slot {
    date: NaiveDate,
    time: TimeLine,
    line_number: usize,
    body: Vec<Line>,
}

/// The page split into its preamble and its slots.
struct Page {
    preamble: Vec<String>,
    slots: Vec<Slot>,
}

fn split_page(text: &str) -> Result<Page, Diagnostic> {
    let mut page = Page {
        preamble: Vec::new(),
        slots: Vec::new(),
    };
    let mut date: Option<NaiveDate> = None;
    let mut block = 0;
    let mut previous_blank = true;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = clean_line(raw);
        if line.is_empty() {
            if !previous_blank {
                block += 1;
            }
            previous_blank = true;
            continue;
        }
        previous_blank = false;
        if let Some(day) = parse_day_header(&line) {
            date = Some(day);
            block += 1;
            continue;
        }
        if let Some(time) = parse_time_line(&line) {
            let Some(date) = date else {
                return Err(Diagnostic::error(
                    Location::LineColumn { line: number, column: 1 },
                    "a time line before any day header",
                )
                .with_help("the program needs a day header such as \"Monday, May 13, 2013\" before its first slot"));
            };
            page.slots.push(Slot {
                date,
                time,
                line_number: number,
                body: Vec::new(),
            });
            block += 1;
            continue;
        }
        match page.slots.last_mut() {
            Some(slot) => slot.body.push(Line { text: line, block }),
            None if date.is_none() => page.preamble.push(line),
            None => {}
        }
    }
    Ok(page)
}

/// Headings of program pages that are not the event's name.
const GENERIC_HEADINGS: &[&str] = &[
    "technical sessions",
    "program",
    "conference program",
    "workshop program",
    "attendee files",
    "schedule",
];

/// The event's name from the preamble: its first line that is a heading rather than a
/// sentence or a generic heading. "HotOS '05, The 10th Workshop on Hot Topics in Operating
/// Systems" gives the short name "HotOS '05" and the name after the comma.
fn event_names(preamble: &[String]) -> (String, Option<String>) {
    let heading = preamble.iter().find(|line| {
        !line.ends_with('.')
            && line.chars().count() <= 120
            && !GENERIC_HEADINGS.contains(&line.to_lowercase().as_str())
    });
    match heading {
        Some(heading) => match heading.split_once(", ") {
            Some((short, name)) if short.chars().count() <= 24 => {
                (name.to_owned(), Some(short.to_owned()))
            }
            _ => (heading.clone(), None),
        },
        None => ("Conference program".to_owned(), None),
    }
}

/// The room the preamble names: "All sessions will take place in Tamaya FGH unless otherwise
/// noted."
fn default_room(preamble: &[String]) -> Option<String> {
    preamble.iter().find_map(|line| {
        let (_, after) = line.split_once("take place in ")?;
        let room = after
            .split(" unless")
            .next()
            .unwrap_or(after)
            .trim_end_matches('.')
            .trim();
        (!room.is_empty()).then(|| room.to_owned())
    })
}

/// Reads a USENIX program page.
pub fn load(text: &str, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let page = split_page(text).map_err(LoadError::single)?;
    if page.slots.is_empty() {
        return Err(LoadError::single(
            Diagnostic::error(Location::Input, "the page has no time lines")
                .with_help("a program page has day headers (\"Monday, May 13, 2013\") and time lines (\"9:00 a.m.–10:30 a.m.\")"),
        ));
    }
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut zones = Zones::new(None, options.time_zone);
    let room_name = default_room(&page.preamble).unwrap_or_else(|| FALLBACK_ROOM.to_owned());
    let mut rooms = Rooms::default();
    rooms.add(&room_name, || "preamble".to_owned());
    let mut ids = UniqueIds::default();
    let mut slot_counts: HashMap<String, u32> = HashMap::new();
    let mut resolved = ResolvedTimes::default();
    let mut sessions = Vec::new();
    for slot in page.slots {
        let at = Location::LineColumn {
            line: slot.line_number,
            column: 1,
        };
        let start_local = slot.date.and_time(slot.time.start);
        let end_date = if slot.time.end <= slot.time.start {
            slot.date.succ_opt().unwrap_or(slot.date)
        } else {
            slot.date
        };
        let end_local = end_date.and_time(slot.time.end);
        let start = resolved.resolve(&mut zones, start_local, &at);
        let end = resolved.resolve(&mut zones, end_local, &at);
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        let base = format!(
            "{}-{:02}{:02}",
            weekday_id(start_local.weekday()),
            slot.time.start.hour(),
            slot.time.start.minute()
        );
        let id = ids.unique(numbered_slot_id(&mut slot_counts, base));
        let origin = format!("line {}", slot.line_number);
        let content = read_slot(&slot, &room_name);
        sessions.push(SessionDraft {
            origin,
            id,
            title: content.title.clone(),
            kind: content.kind(),
            room: RoomRef::Default,
            location: content.location,
            start,
            end,
            chair_role: content
                .chair_role
                .unwrap_or_else(|| "Session Chair".to_owned()),
            chairs: content.chairs,
            description: content.description,
            talks: content.talks,
        });
    }
    let Some((zone, zone_source)) = zones.finish(&mut warnings, &mut errors) else {
        return Err(failed(errors, warnings));
    };
    let (name, short_name) = event_names(&page.preamble);
    let draft = ScheduleDraft {
        event: EventDraft {
            name,
            short_name,
            venue: None,
            time_zone: zone,
            time_zone_source: zone_source,
            default_room: None,
            default_room_origin: "preamble".to_owned(),
            day_change: default_day_change(),
        },
        rooms: rooms.into_drafts(),
        sessions,
    };
    finish(draft, warnings, errors)
}

/// Wall-clock times already resolved to instants. Pages repeat the same few times on every
/// day, and resolving one in a zone (and writing it out for a possible error) costs more than
/// reading the whole line it came from.
#[derive(Default)]
struct ResolvedTimes {
    instants: HashMap<NaiveDateTime, DateTime<Utc>>,
}

impl ResolvedTimes {
    /// The instant of a local time. Only instants are kept: a time that fails (a missing
    /// zone, a DST gap) goes to `zones` again, which reports it as it would without the cache.
    fn resolve(
        &mut self,
        zones: &mut Zones,
        local: NaiveDateTime,
        at: &Location,
    ) -> Option<DateTime<Utc>> {
        if let Some(&instant) = self.instants.get(&local) {
            return Some(instant);
        }
        let text = local.format("%Y-%m-%dT%H:%M").to_string();
        let instant = zones.wall_clock(local, &text, || at.clone())?;
        self.instants.insert(local, instant);
        Some(instant)
    }
}

/// The weekday as session ids spell it.
fn weekday_id(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// The id of the next slot at a weekday and start: `base`, then `base-2`, `base-3`, and so
/// on. A base ("mon-1400") never ends in "-N", so no other base can take these numbers and
/// the result is what `UniqueIds` would choose; counting here gives it a free id at the first
/// try, where asking it to find the next free number costs one probe per earlier slot at that
/// time (thousands of parallel slots would make loading quadratic).
fn numbered_slot_id(counts: &mut HashMap<String, u32>, base: String) -> String {
    let count = counts.entry(base.clone()).or_insert(0);
    *count = count.saturating_add(1);
    if *count == 1 {
        base
    } else {
        format!("{base}-{count}")
    }
}

/// What a slot holds.
struct SlotContent {
    title: Option<String>,
    location: Option<String>,
    chair_role: Option<String>,
    chairs: Vec<Person>,
    description: Option<String>,
    talks: Vec<TalkDraft>,
}

impl SlotContent {
    /// Meals, breaks, socials and discussions by their titles; then papers make a paper
    /// session; a chaired slot without papers is a plenary item ("Opening Remarks"); then the
    /// other kinds by title; else "other".
    fn kind(&self) -> SessionKind {
        let title = self.title.as_deref().unwrap_or("");
        let pauses = [
            SessionKind::Meal,
            SessionKind::Break,
            SessionKind::Social,
            SessionKind::Discussion,
        ];
        if let Some(kind) = kind_named_by(title, &pauses) {
            return kind;
        }
        if !self.talks.is_empty() {
            return SessionKind::Talks;
        }
        if !self.chairs.is_empty() {
            return SessionKind::Plenary;
        }
        let others = [
            SessionKind::Unconference,
            SessionKind::Keynote,
            SessionKind::Panel,
            SessionKind::Plenary,
        ];
        kind_named_by(title, &others).unwrap_or(SessionKind::Other)
    }
}

fn read_slot(slot: &Slot, room_name: &str) -> SlotContent {
    let lines = &slot.body;
    let mut content = SlotContent {
        title: inline_title(&slot.time.rest),
        location: None,
        chair_role: None,
        chairs: Vec::new(),
        description: None,
        talks: Vec::new(),
    };
    let mut index = 0;
    if content.title.is_none()
        && let Some(first) = lines.first()
        && is_title_like(&first.text)
        && !starts_talk(lines, 0)
    {
        content.title = Some(first.text.clone());
        index = 1;
    }
    // The header: chairs and a location, in either order.
    while let Some(line) = lines.get(index) {
        if let Some((role, people)) = parse_chair_line(&line.text) {
            content.chair_role.get_or_insert(role);
            content.chairs.extend(parse_people(people));
            index += 1;
        } else if content.location.is_none()
            && is_location_like(&line.text)
            && !starts_talk(lines, index)
            && lines.get(index + 1).is_none_or(|next| {
                next.block != line.block || parse_chair_line(&next.text).is_some()
            })
        {
            if !line.text.eq_ignore_ascii_case(room_name) {
                content.location = Some(line.text.clone());
            }
            index += 1;
        } else {
            break;
        }
    }
    let rest = &lines[index..];
    let talk_starts = talk_starts(rest);
    let description_end = talk_starts.first().copied().unwrap_or(rest.len());
    let description_lines: Vec<Line> = rest[..description_end]
        .iter()
        .filter(|line| line.text != AVAILABLE_MEDIA)
        .cloned()
        .collect();
    content.description = join_paragraphs(&description_lines);
    let mut talk_ids = UniqueIds::default();
    for (position, &start) in talk_starts.iter().enumerate() {
        let end = talk_starts.get(position + 1).copied().unwrap_or(rest.len());
        let talk_lines = &rest[start..end];
        let title = talk_lines[0].text.clone();
        let speakers = talk_lines
            .get(1)
            .map(|line| parse_people(&line.text))
            .unwrap_or_default();
        let abstract_lines: Vec<Line> = talk_lines
            .iter()
            .skip(2)
            .filter(|line| line.text != AVAILABLE_MEDIA)
            .cloned()
            .collect();
        let base = slug(&title, 6);
        content.talks.push(TalkDraft {
            id: talk_ids.unique(if base.is_empty() {
                "paper".to_owned()
            } else {
                base
            }),
            title,
            speakers,
            abstract_text: join_paragraphs(&abstract_lines),
            timing: TalkTiming {
                start: None,
                duration: None,
            },
        });
    }
    content
}

/// Whether a paper starts at a line: a title followed by an author line.
fn starts_talk(lines: &[Line], index: usize) -> bool {
    lines
        .get(index)
        .is_some_and(|line| is_title_like(&line.text))
        && lines
            .get(index + 1)
            .is_some_and(|line| is_author_line(&line.text))
}

/// Where the papers of a slot's remaining lines start. With "Available Media" markers, a
/// paper starts after each marker, and the first where a title is followed by an author line.
/// Without them, wherever a title is followed by an author line (an author line is never
/// itself a title).
fn talk_starts(lines: &[Line]) -> Vec<usize> {
    let has_markers = lines.iter().any(|line| line.text == AVAILABLE_MEDIA);
    let mut starts = Vec::new();
    if has_markers {
        let Some(first) = (0..lines.len()).find(|&index| starts_talk(lines, index)) else {
            return starts;
        };
        starts.push(first);
        for (index, line) in lines.iter().enumerate().skip(first) {
            if line.text == AVAILABLE_MEDIA && index + 1 < lines.len() {
                starts.push(index + 1);
            }
        }
    } else {
        let mut index = 0;
        while index < lines.len() {
            if starts_talk(lines, index) {
                starts.push(index);
                index += 2;
            } else {
                index += 1;
            }
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    #[test]
    fn time_lines_in_every_spelling() {
        let cases = [
            ("8:45 a.m.–9:00 a.m. Monday", (8, 45), (9, 0), ""),
            ("Noon–1:30 p.m. Monday", (12, 0), (13, 30), ""),
            ("11:00 a.m.–noon Tuesday", (11, 0), (12, 0), ""),
            ("10:30 a.m.–11:00 a.m.   Break", (10, 30), (11, 0), "Break"),
            ("10:30 a.m. 11:00 a.m. Monday", (10, 30), (11, 0), ""),
            ("9am-10:30am", (9, 0), (10, 30), ""),
            ("11:30–1:00 p.m.", (11, 30), (13, 0), ""),
            ("7:00 PM - 9:00 PM Dinner", (19, 0), (21, 0), "Dinner"),
        ];
        for (text, start, end, title) in cases {
            let line = parse_time_line(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(line.start, time(start.0, start.1), "{text}");
            assert_eq!(line.end, time(end.0, end.1), "{text}");
            assert_eq!(
                inline_title(&line.rest).unwrap_or_default(),
                title,
                "{text}"
            );
        }
        for text in [
            "20 years ago, networks were faced with similar challenges",
            "2015, etc.",
            "Monday, May 13, 2013",
        ] {
            assert!(parse_time_line(text).is_none(), "{text}");
        }
    }

    #[test]
    fn author_lines_with_commas_and_and_in_affiliations() {
        let people = parse_people(
            "Kay Ousterhout and Sylvia Ratnasamy, University of California, Berkeley; Scott Shenker, University of California, Berkeley, and International Computer Science Institute",
        );
        let pairs: Vec<(&str, Option<&str>)> = people
            .iter()
            .map(|p| (p.name.as_str(), p.affiliation.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Kay Ousterhout", Some("University of California, Berkeley")),
                (
                    "Sylvia Ratnasamy",
                    Some("University of California, Berkeley")
                ),
                (
                    "Scott Shenker",
                    Some(
                        "University of California, Berkeley, and International Computer Science Institute"
                    )
                ),
            ]
        );
        let people = parse_people(
            "Pravin Shinde, Antoine Kaufmann, and Stefan Kaestle, Systems Group, ETH Zurich",
        );
        assert_eq!(people.len(), 3);
        assert_eq!(people[2].name, "Stefan Kaestle");
        assert_eq!(
            people[2].affiliation.as_deref(),
            Some("Systems Group, ETH Zurich")
        );
        let people = parse_people("Pu Zhang, Microsoft Research Asia and Peking University");
        assert_eq!(people.len(), 1);
        assert_eq!(
            people[0].affiliation.as_deref(),
            Some("Microsoft Research Asia and Peking University")
        );
        let people = parse_people("Alan Dunn and Suman Jana, TheUniversity of Texas at Austin");
        assert_eq!(
            people[1].affiliation.as_deref(),
            Some("The University of Texas at Austin")
        );
        // A line cut short keeps the names it has.
        let people = parse_people("Armando Fox and Steve Zha");
        assert_eq!(people.len(), 2);
        assert_eq!(people[1].affiliation, None);
    }

    #[test]
    fn the_space_after_the_is_restored_only_where_it_was_lost() {
        assert_eq!(
            restore_space_after_the("TheUniversity of Texas"),
            "The University of Texas"
        );
        assert_eq!(
            restore_space_after_the("Theodore Ts'o, Them"),
            "Theodore Ts'o, Them"
        );
        assert_eq!(restore_space_after_the("GoTheDistance"), "GoTheDistance");
    }
}
