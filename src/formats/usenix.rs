//! USENIX program pages saved as text: usenix.org's technical-session and at-a-glance pages
//! of every era, and the SIGOPS-hosted workshop pages.
//!
//! The page is a sequence of lines; a table saved as text gives each cell as a line (or part
//! of one) ending in " |", and each cell is read as a line of its own:
//!
//! - day headers, "Monday, May 13, 2013", "Tuesday, March 3" (the year from `--year` or from
//!   elsewhere on the page: "NSDI '15", a date in a sentence, "© 2015") or "Monday (May 8)";
//! - time lines that open a slot, "8:45 a.m.–9:00 a.m. Monday", "8:00 am–8:30 am",
//!   "Noon–1:30 p.m.", "11:00 a.m.–noon", "14:00 - 15:30 : Storage (chair: A. Person)",
//!   sometimes with the slot's title inline ("10:30 a.m.–11:00 a.m. Break") and sometimes with
//!   the dash lost ("10:30 a.m. 11:00 a.m.");
//! - in a slot: its title (absent in untitled slots), chair lines ("Session Chair: ...",
//!   "Program Co-Chairs: ..."), a location line ("Puma"), a description, and its papers;
//! - a paper: its title, its author line ("A, B, and C, Affiliation; D, Other", or "A (MIT),
//!   B (CMU)"), its abstract, and an "Available Media" marker, which some pages leave out;
//!   lines of links ("Paper in HTML | PDF") are dropped.
//!
//! Session ids are the weekday and start (`mon-0900`); talk ids are the first six words of the
//! title as a slug. The page names no time zone: `--timezone` gives it.

use std::collections::{HashMap, HashSet};

use chrono::{
    DateTime, Datelike as _, NaiveDate, NaiveDateTime, NaiveTime, Timelike as _, Utc, Weekday,
};

use super::LoadOptions;
use super::import::{FALLBACK_ROOM, Rooms, Zones, clean_line, failed, finish, kind_named_by, slug};
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
        for_each_cell(line, |cell| {
            has_day |= parse_day_header(&cell.text).is_some();
            has_time |= parse_time_line(&cell.text).is_some();
        });
        if has_day && has_time {
            return true;
        }
    }
    false
}

/// A cell of a line: its cleaned text and the column (in characters, from 1) where it starts.
struct Cell {
    text: String,
    column: usize,
}

/// The cells of a line, given to `each` in order; returns how many there were. A table saved
/// as text writes each cell followed by " |", one row's cells on one line or on several, and
/// sometimes a "| " before the first; a line without a bar is one cell. A line of bars alone
/// has no cells: it separates paragraphs like a blank line.
fn for_each_cell(raw: &str, mut each: impl FnMut(Cell)) -> usize {
    let leading_chars = |piece: &str| piece.chars().take_while(|c| c.is_whitespace()).count();
    if !raw.contains('|') {
        // Most lines: no table, no allocation beyond the cleaned text.
        let text = clean_line(raw);
        if text.is_empty() {
            return 0;
        }
        each(Cell {
            text,
            column: leading_chars(raw) + 1,
        });
        return 1;
    }
    let mut count = 0;
    // Columns are counted in characters as the pieces go by, so a long line is walked once.
    let mut chars_before = 0;
    for piece in raw.split('|') {
        let text = clean_line(piece);
        if !text.is_empty() {
            each(Cell {
                text,
                column: chars_before + leading_chars(piece) + 1,
            });
            count += 1;
        }
        chars_before += piece.chars().count() + 1;
    }
    count
}

/// A day header as the pages write it: "Monday, May 13, 2013", "Tuesday, March 3" (the year
/// given elsewhere on the page) or "Monday (May 8)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DayHeader {
    weekday: Weekday,
    month: u32,
    day: u32,
    year: Option<i32>,
}

fn parse_day_header(line: &str) -> Option<DayHeader> {
    let (weekday_name, date) = match line.split_once(", ") {
        Some(split) => split,
        None => {
            let (weekday_name, rest) = line.split_once(" (")?;
            (weekday_name, rest.strip_suffix(')')?)
        }
    };
    let weekday = weekday_named(weekday_name)?;
    let (month_name, rest) = date.split_once(' ')?;
    let month = MONTH_NAMES
        .iter()
        .position(|name| *name == month_name)
        .and_then(|index| u32::try_from(index + 1).ok())?;
    let (day_text, year_text) = match rest.split_once(", ") {
        Some((day, year)) => (day, Some(year)),
        None => (rest, None),
    };
    let day = small_number(day_text, 1..=2)?;
    let year = match year_text {
        Some(text) => Some(i32::try_from(small_number(text, 4..=4)?).ok()?),
        None => None,
    };
    Some(DayHeader {
        weekday,
        month,
        day,
        year,
    })
}

/// A number written with a given count of ASCII digits and nothing else.
fn small_number(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_named(name: &str) -> Option<Weekday> {
    const DAYS: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    WEEKDAY_NAMES
        .iter()
        .position(|weekday| *weekday == name)
        .map(|index| DAYS[index])
}

/// The year a page gives outside its day headers, from the best evidence seen: a full date
/// ("beginning December 8, 2008"), else an event's short name ("NSDI '15"), else a year on
/// its own ("2015", "© 2015").
#[derive(Debug, Default)]
struct PageYear {
    full_date: Option<i32>,
    short_name: Option<i32>,
    plain: Option<i32>,
}

impl PageYear {
    /// Looks for a year in a line, until a full date has been found.
    fn scan(&mut self, line: &str) {
        if self.full_date.is_some() || !line.bytes().any(|b| b.is_ascii_digit()) {
            return;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        for (index, word) in words.iter().enumerate() {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
            if self.full_date.is_none()
                && MONTH_NAMES.contains(&bare)
                && let (Some(day), Some(year)) = (words.get(index + 1), words.get(index + 2))
                && day
                    .strip_suffix(',')
                    .is_some_and(|day| small_number(day, 1..=2).is_some())
                && let Some(year) = plain_year(year)
            {
                self.full_date = Some(year);
                return;
            }
            if self.short_name.is_none()
                && index > 0
                && words[index - 1].chars().any(char::is_uppercase)
                && let Some(digits) = bare.strip_prefix(['\'', '’'])
                && let Some(two) = small_number(digits, 2..=2)
            {
                let two = i32::try_from(two).unwrap_or(0);
                self.short_name = Some(if two < 70 { 2000 + two } else { 1900 + two });
            }
            if self.plain.is_none() {
                self.plain = plain_year(word);
            }
        }
    }

    fn best(&self) -> Option<i32> {
        self.full_date.or(self.short_name).or(self.plain)
    }
}

/// A year between 1970 and 2099 written alone ("2015", "2015.", "©2015,").
fn plain_year(word: &str) -> Option<i32> {
    let digits = word.trim_matches(|c: char| !c.is_ascii_digit());
    let year = i32::try_from(small_number(digits, 4..=4)?).ok()?;
    let rest_is_punctuation = word
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .all(|c| matches!(c, '.' | ',' | ';' | ')' | '(' | '©'));
    ((1970..=2099).contains(&year) && rest_is_punctuation).then_some(year)
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

/// A slot's time line: its start and end, and the title that follows them on the line.
#[derive(Debug)]
struct TimeLine {
    start: NaiveTime,
    end: NaiveTime,
    title: Option<String>,
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
        // SIGOPS pages put a colon between the times and the title ("09:00 - 10:30 : Cloud").
        // The line is a cleaned cell, so what follows the times needs only trimming.
        title: inline_title(rest.trim_start().strip_prefix(':').unwrap_or(rest)),
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
    if parse_parenthesised_people(text).is_some() {
        return true;
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

/// The people of a chair line. Co-chairs on the newer pages each have their affiliation,
/// joined by ", and ": "Paul Barham, Google, and Arvind Krishnamurthy, University of
/// Washington"; read as an author line, the first affiliation would be taken for a name.
fn parse_chairs(role: &str, people: &str) -> Vec<Person> {
    if role.to_lowercase().contains("co-chair")
        && !people.contains(';')
        && let Some((first, second)) = people.rsplit_once(", and ")
        && first.contains(',')
        && second.contains(',')
    {
        let mut chairs = parse_people(first);
        chairs.extend(parse_people(second));
        return chairs;
    }
    parse_people(people)
}

/// The people of an author line that puts affiliations in parentheses after the names they
/// belong to, as the SIGOPS pages do: "A. Person (MIT), B. Other, C. Third (CMU)" or "A (X);
/// B (Y)". `None` when the line is not written so: a part outside the parentheses that is not
/// a name, text after a closing parenthesis, or no parentheses at all.
fn parse_parenthesised_people(text: &str) -> Option<Vec<Person>> {
    if !text.trim_end().ends_with(')') {
        return None;
    }
    let mut people: Vec<Person> = Vec::new();
    let mut waiting = 0;
    let mut any_affiliation = false;
    for part in split_outside_parentheses(text) {
        let part = part.trim();
        // A serial "and" is the USENIX style, whose last part is an affiliation that may end
        // in an abbreviation: "A, B, and C, École Polytechnique Fédérale de Lausanne (EPFL)".
        if part.starts_with("and ") {
            return None;
        }
        if part.is_empty() {
            continue;
        }
        let (names, affiliation) = match part.find('(') {
            Some(open) => {
                let inner = part[open + 1..].strip_suffix(')')?;
                (part[..open].trim(), Some(inner.trim()))
            }
            None => (part, None),
        };
        for name in names.split(" and ").map(str::trim) {
            if !is_name_like(name) || name.contains(['(', ')']) || names_an_institution(name) {
                return None;
            }
            people.push(Person {
                name: name.to_owned(),
                affiliation: None,
            });
            waiting += 1;
        }
        if let Some(affiliation) = affiliation.filter(|a| !a.is_empty()) {
            any_affiliation = true;
            let first = people.len().saturating_sub(waiting);
            for person in &mut people[first..] {
                person.affiliation = Some(affiliation.to_owned());
            }
            waiting = 0;
        }
    }
    (any_affiliation && !people.is_empty()).then_some(people)
}

/// Whether a capitalised phrase is an institution rather than a person ("Harvard
/// University", "Intel Labs").
fn names_an_institution(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "University",
        "Universität",
        "Université",
        "Institute",
        "Institut",
        "College",
        "School",
        "Labs",
        "Laboratory",
        "Laboratories",
        "Research",
        "Inc.",
        "Corporation",
        "Corp.",
        "Technology",
        "Center",
        "Centre",
        "Google",
        "Microsoft",
        "IBM",
    ];
    text.split_whitespace().any(|word| WORDS.contains(&word))
}

/// The parts of a line between commas and semicolons that are not inside parentheses.
fn split_outside_parentheses(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (index, c) in text.char_indices() {
        match c {
            '(' => depth = depth.saturating_add(1),
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' if depth == 0 => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The people of an author or chair line. Each ";"-separated group is names followed by one
/// affiliation: "A, B, and C, Affiliation", "A and B, Affiliation", "A, Affiliation". The last
/// name is the one after "and"; an affiliation may itself hold commas and "and" ("University
/// of California, Berkeley, and International Computer Science Institute").
fn parse_people(text: &str) -> Vec<Person> {
    let text = restore_space_after_the(&clean_line(text));
    if let Some(people) = parse_parenthesised_people(&text) {
        return people;
    }
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
    // Whether every part so far is names, kept as the parts go by: checking the whole prefix
    // at each part would be quadratic in a long chair line.
    let mut all_names_so_far = true;
    let candidate = parts.iter().position(|part| {
        all_names_so_far &= part
            .trim_start_matches("and ")
            .split(" and ")
            .all(|name| is_name_like(name.trim()));
        part.starts_with("and ") || (part.contains(" and ") && all_names_so_far)
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

/// Whether a line is a place ("Puma", "Tamaya Prefunction North"): short, no sentence, and
/// not an item of the program ("Opening Remarks and Best Paper Awards" under a slot's title).
fn is_location_like(text: &str) -> bool {
    const ITEM_WORDS: &[&str] = &[
        "Remarks", "Award", "Awards", "Keynote", "Address", "Session",
    ];
    is_title_like(text)
        && !text.ends_with([':', ';', ',', '!', '?'])
        && text.split_whitespace().count() <= 6
        && !text.contains(',')
        && !text
            .split_whitespace()
            .any(|word| ITEM_WORDS.contains(&word))
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
    /// Its day: an index into [`Page::days`].
    day: usize,
    time: TimeLine,
    line_number: usize,
    column: usize,
    body: Vec<Line>,
}

/// A day header and where it is.
struct Day {
    header: DayHeader,
    text: String,
    at: Location,
}

/// The page split into its preamble, days and slots.
struct Page {
    preamble: Vec<String>,
    days: Vec<Day>,
    slots: Vec<Slot>,
    year: PageYear,
}

fn split_page(text: &str) -> Result<Page, Diagnostic> {
    let mut page = Page {
        preamble: Vec::new(),
        days: Vec::new(),
        slots: Vec::new(),
        year: PageYear::default(),
    };
    let mut block = 0;
    let mut previous_blank = true;
    let mut failure = None;
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let cells = for_each_cell(raw, |cell| {
            if failure.is_none()
                && let Err(error) = page.add_cell(&mut block, number, cell)
            {
                failure = Some(error);
            }
        });
        if let Some(error) = failure {
            return Err(error);
        }
        if cells == 0 {
            if !previous_blank {
                block += 1;
            }
            previous_blank = true;
        } else {
            previous_blank = false;
        }
    }
    Ok(page)
}

impl Page {
    /// Adds a cell of line `number`: a day header, a time line that opens a slot, or a line of
    /// the current slot (of the preamble before the first day).
    fn add_cell(
        &mut self,
        block: &mut usize,
        number: usize,
        Cell { text, column }: Cell,
    ) -> Result<(), Diagnostic> {
        self.year.scan(&text);
        let at = Location::LineColumn {
            line: number,
            column,
        };
        if let Some(header) = parse_day_header(&text) {
            self.days.push(Day { header, text, at });
            *block += 1;
            return Ok(());
        }
        if let Some(time) = parse_time_line(&text) {
            let Some(day) = self.days.len().checked_sub(1) else {
                return Err(Diagnostic::error(
                    at,
                    format!("expected a day header before the first time line `{text}`"),
                )
                .with_help("the program needs a day header such as \"Monday, May 13, 2013\", \"Tuesday, March 3\" or \"Monday (May 8)\" before its first slot"));
            };
            self.slots.push(Slot {
                day,
                time,
                line_number: number,
                column,
                body: Vec::new(),
            });
            *block += 1;
            return Ok(());
        }
        let Some(text) = without_media(text) else {
            return Ok(());
        };
        match self.slots.last_mut() {
            // Tables repeat the weekday in a cell after the time.
            Some(slot) if slot.body.is_empty() && weekday_named(&text).is_some() => {}
            Some(slot) => slot.body.push(Line {
                text,
                block: *block,
            }),
            None if self.days.is_empty() => self.preamble.push(text),
            None => {}
        }
        Ok(())
    }
}

/// Words of the links the pages put under a paper or a talk ("Paper in HTML", "PDF", "Read
/// the Abstract | Full paper", "View the Video | Slides", "Listen in MP3 format").
const MEDIA_WORDS: &[&str] = &[
    "paper",
    "in",
    "html",
    "pdf",
    "read",
    "the",
    "abstract",
    "full",
    "view",
    "video",
    "slides",
    "listen",
    "to",
    "mp3",
    "format",
    "icon",
    "presentation",
];

/// A line without the page's links and award badges: `None` for a line of links or a badge
/// alone ("Awarded Best Paper!"), the title alone for a badged title. "Available Media" is
/// kept: it ends a paper on the pages that have it.
fn without_media(text: String) -> Option<String> {
    const AWARD: &str = "Awarded Best Paper!";
    if let Some(rest) = text.strip_prefix(AWARD) {
        let rest = rest.trim();
        return (!rest.is_empty()).then(|| rest.to_owned());
    }
    let is_links = text.len() <= 60
        && text.split_whitespace().all(|word| {
            MEDIA_WORDS
                .iter()
                .any(|media| media.eq_ignore_ascii_case(word))
        });
    if !is_links {
        return Some(text);
    }
    let names_media = text.split_whitespace().any(|word| {
        ["html", "pdf", "video", "slides", "mp3", "abstract", "paper"]
            .iter()
            .any(|media| media.eq_ignore_ascii_case(word))
    });
    (!names_media).then_some(text)
}

/// Headings of program pages that are not the event's name.
const GENERIC_HEADINGS: &[&str] = &[
    "technical sessions",
    "program",
    "conference program",
    "workshop program",
    "attendee files",
    "schedule",
    "at a glance",
];

/// The event's name from the preamble: its first line that is a heading rather than a
/// sentence, a label ("Proceedings Front Matter:") or a generic heading, looked for before the
/// first sentence (headings after it are the page's own links). "HotOS '05, The 10th Workshop
/// on Hot Topics in Operating Systems" gives the short name "HotOS '05" and the name after the
/// comma; the alt text of the old pages' banner ("USENIX '09 Banner") gives "USENIX '09".
/// Without a heading, an event's short name anywhere in the preamble ("NSDI '15") is the name.
fn event_names(preamble: &[String]) -> (String, Option<String>) {
    let heading = preamble
        .iter()
        .take_while(|line| !line.ends_with('.'))
        .find(|line| {
            line.chars().count() <= 120
                && !line.ends_with(':')
                && !line.contains(" : ")
                && !GENERIC_HEADINGS.contains(&line.to_lowercase().as_str())
        });
    match heading {
        Some(heading) => {
            let heading = heading.strip_suffix(" Banner").unwrap_or(heading);
            match heading.split_once(", ") {
                Some((short, name)) if short.chars().count() <= 24 => {
                    (name.to_owned(), Some(short.to_owned()))
                }
                _ => (heading.to_owned(), None),
            }
        }
        None => match preamble.iter().find_map(|line| short_event_name(line)) {
            Some(short) => (short, None),
            None => ("Conference program".to_owned(), None),
        },
    }
}

/// An event's short name in a line: a capitalised word and a two-digit year ("NSDI '15").
fn short_event_name(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(2).find_map(|pair| {
        let year = pair[1]
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .strip_prefix(['\'', '’'])?;
        let named = pair[0].starts_with(|c: char| c.is_uppercase());
        (named && small_number(year, 2..=2).is_some()).then(|| format!("{} '{year}", pair[0]))
    })
}

/// The room the preamble names: "All sessions will take place in Tamaya FGH unless otherwise
/// noted.", "All sessions will be held in Centennial Ballroom E unless otherwise noted.", "All
/// sessions : Macdonald E/F".
fn default_room(preamble: &[String]) -> Option<String> {
    preamble.iter().find_map(|line| {
        let after = ["take place in ", "be held in ", "held in the "]
            .iter()
            .find_map(|phrase| line.split_once(phrase).map(|(_, after)| after))
            .or_else(|| line.strip_prefix("All sessions :"))?;
        let room = after
            .split(" unless")
            .next()
            .unwrap_or(after)
            .trim_end_matches('.')
            .trim();
        let room = room.strip_prefix("the ").unwrap_or(room);
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
    let dates = day_dates(&page, options.year).map_err(|errors| failed(errors, Vec::new()))?;
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut zones = Zones::new(None, options.time_zone);
    let room_name = default_room(&page.preamble).unwrap_or_else(|| FALLBACK_ROOM.to_owned());
    let mut rooms = Rooms::default();
    rooms.add(&room_name, || "preamble".to_owned());
    let mut slot_counts: HashMap<(Weekday, u32, u32), u32> = HashMap::new();
    let mut resolved = ResolvedTimes::default();
    let mut sessions = Vec::with_capacity(page.slots.len());
    for slot in page.slots {
        let at = Location::LineColumn {
            line: slot.line_number,
            column: slot.column,
        };
        let Some(date) = dates.get(slot.day).copied().flatten() else {
            continue;
        };
        let start_local = date.and_time(slot.time.start);
        let end_date = if slot.time.end <= slot.time.start {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        let end_local = end_date.and_time(slot.time.end);
        let start = resolved.resolve(&mut zones, start_local, &at);
        let end = resolved.resolve(&mut zones, end_local, &at);
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        let id = slot_id(
            &mut slot_counts,
            start_local.weekday(),
            slot.time.start.hour(),
            slot.time.start.minute(),
        );
        let origin = format!("line {}", slot.line_number);
        let content = read_slot(slot, &room_name);
        let kind = content.kind();
        sessions.push(SessionDraft {
            origin,
            id,
            title: content.title,
            kind,
            room: RoomRef::Default,
            location: content.location,
            start,
            end,
            chair_role: content
                .chair_role
                .unwrap_or_else(|| "Session Chair".to_owned()),
            chairs: content.chairs,
            description: content.description,
            qa: None,
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

/// The id of the next slot at a weekday and start: `mon-1400`, then `mon-1400-2`,
/// `mon-1400-3`, and so on. Every id comes from here and a base never ends in "-N", so the ids
/// are unique without a search; counting per weekday and start keeps thousands of parallel
/// slots linear (finding the next free number by trying each would be quadratic).
fn slot_id(
    counts: &mut HashMap<(Weekday, u32, u32), u32>,
    weekday: Weekday,
    hour: u32,
    minute: u32,
) -> String {
    let count = counts.entry((weekday, hour, minute)).or_insert(0);
    *count = count.saturating_add(1);
    let base = format!("{}-{hour:02}{minute:02}", weekday_id(weekday));
    if *count == 1 {
        base
    } else {
        format!("{base}-{count}")
    }
}

/// The date of each day that has slots. A header's own year comes first, then `--year`, then
/// the year the page gives elsewhere; a year that did not come from the header must agree with
/// its weekday. Errors point at the header.
fn day_dates(
    page: &Page,
    option_year: Option<i32>,
) -> Result<Vec<Option<NaiveDate>>, Vec<Diagnostic>> {
    let mut used = vec![false; page.days.len()];
    for slot in &page.slots {
        if let Some(flag) = used.get_mut(slot.day) {
            *flag = true;
        }
    }
    let page_year = page.year.best();
    let mut dates = Vec::with_capacity(page.days.len());
    let mut errors = Vec::new();
    let mut missing_year_reported = false;
    for (day, used) in page.days.iter().zip(used) {
        if !used {
            dates.push(None);
            continue;
        }
        let header = day.header;
        let Some(year) = header.year.or(option_year).or(page_year) else {
            if !missing_year_reported {
                missing_year_reported = true;
                errors.push(
                    Diagnostic::error(
                        day.at.clone(),
                        format!("expected a year in the day header `{}`; the page names none elsewhere either", day.text),
                    )
                    .with_help("give the year with --year (e.g. --year 2015), or add it to the header: \"Tuesday, March 3, 2015\""),
                );
            }
            dates.push(None);
            continue;
        };
        let Some(date) = NaiveDate::from_ymd_opt(year, header.month, header.day) else {
            errors.push(
                Diagnostic::error(
                    day.at.clone(),
                    format!("`{}` is not a date in {year}", day.text),
                )
                .with_help("check the day header's month and day"),
            );
            dates.push(None);
            continue;
        };
        if header.year.is_none() && date.weekday() != header.weekday {
            let source = if option_year.is_some() {
                "--year"
            } else {
                "the page"
            };
            errors.push(
                Diagnostic::error(
                    day.at.clone(),
                    format!(
                        "`{}` is a {} in {year} (the year from {source}), not a {}",
                        day.text,
                        weekday_name(date.weekday()),
                        weekday_name(header.weekday)
                    ),
                )
                .with_help("give the program's year with --year"),
            );
            dates.push(None);
            continue;
        }
        dates.push(Some(date));
    }
    if errors.is_empty() {
        Ok(dates)
    } else {
        Err(errors)
    }
}

fn weekday_name(weekday: Weekday) -> &'static str {
    WEEKDAY_NAMES[weekday.num_days_from_monday() as usize]
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

fn read_slot(slot: Slot, room_name: &str) -> SlotContent {
    let lines = &slot.body;
    let mut content = SlotContent {
        title: slot.time.title,
        location: None,
        chair_role: None,
        chairs: Vec::new(),
        description: None,
        talks: Vec::new(),
    };
    if let Some(title) = &content.title
        && let Some((rest, role, people)) = split_chair_suffix(title)
    {
        content.chair_role = Some(role);
        content.chairs = parse_people(people);
        content.title = Some(rest);
    }
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
            content.chairs.extend(parse_chairs(&role, people));
            content.chair_role.get_or_insert(role);
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
    // A chair line under a part of the slot ("Opening Remarks and Best Paper Awards" then
    // "Program Co-Chairs: ...") still names the slot's chairs.
    let mut description_lines: Vec<Line> = Vec::new();
    for line in rest[..description_end]
        .iter()
        .filter(|line| line.text != AVAILABLE_MEDIA)
    {
        match parse_chair_line(&line.text) {
            Some((role, people)) if content.chairs.is_empty() => {
                content.chairs = parse_chairs(&role, people);
                content.chair_role.get_or_insert(role);
            }
            _ => description_lines.push(line.clone()),
        }
    }
    content.description = join_paragraphs(&description_lines);
    // At-a-glance pages and inline titles name the place after the title: "Continental
    // Breakfast, Atlas Foyer". Only slots without papers or chairs are read so: there the
    // title is a short label, not a paper's or a session's name.
    if content.is_bare_label(&talk_starts)
        && let Some(title) = &content.title
        && let Some((title, place)) = split_place(title)
    {
        if !place.eq_ignore_ascii_case(room_name) {
            content.location = Some(place);
        }
        content.title = Some(title);
    }
    let mut talk_ids = TalkIds::default();
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
                qa: None,
                start: None,
                duration: None,
            },
        });
    }
    content
}

impl SlotContent {
    /// Whether the slot is a bare label: no chairs, no place yet, and no papers.
    fn is_bare_label(&self, talk_starts: &[usize]) -> bool {
        self.chairs.is_empty() && self.location.is_none() && talk_starts.is_empty()
    }
}

/// A title that ends with its chair in parentheses, as the SIGOPS pages write it: "Cloud
/// Services (chair: Andy Warfield)" gives the title, the role ("Chair") and the people.
fn split_chair_suffix(title: &str) -> Option<(String, String, &str)> {
    let open = title.rfind('(')?;
    let inner = title[open + 1..].strip_suffix(')')?;
    let (role, people) = parse_chair_line(inner)?;
    let rest = title[..open].trim_end();
    if rest.is_empty() || people.is_empty() {
        return None;
    }
    let mut chars = role.chars();
    let role = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => role,
    };
    Some((rest.to_owned(), role, people))
}

/// A label and the place after its last comma, when that part reads as a place: one to four
/// capitalised words ("Atlas Foyer", "Centennial Ballroom E"), not "and Keynote Address" nor
/// "Inc.".
fn split_place(title: &str) -> Option<(String, String)> {
    let (label, place) = title.rsplit_once(", ")?;
    let words = place.split_whitespace().count();
    let capitalised = place
        .split_whitespace()
        .all(|word| word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()));
    (!label.trim().is_empty() && (1..=4).contains(&words) && capitalised && is_location_like(place))
        .then(|| (label.trim().to_owned(), place.to_owned()))
}

/// The ids of a slot's papers: the title's slug, else the slug and the smallest free "-N" from
/// 2 (the rule of the importers' shared `UniqueIds`). Where the search stopped is kept per
/// slug, so that a slot of thousands of papers with one title is numbered in linear time; no
/// id is ever removed, so a smaller number never becomes free again.
#[derive(Default)]
struct TalkIds {
    seen: HashSet<String>,
    next: HashMap<String, u32>,
}

impl TalkIds {
    fn unique(&mut self, base: String) -> String {
        if self.seen.insert(base.clone()) {
            return base;
        }
        let number = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{number}");
            *number = number.saturating_add(1);
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
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
            ("8:00 am–8:30 am Monday", (8, 0), (8, 30), ""),
            ("9:00 a.m.—10:30 a.m.", (9, 0), (10, 30), ""),
            (
                "5:00–7:00 p.m. Pre-registered Badge Pick-up Lobby",
                (17, 0),
                (19, 0),
                "Pre-registered Badge Pick-up Lobby",
            ),
            (
                "14:00 - 15:30 : Storage (chair: A. Person)",
                (14, 0),
                (15, 30),
                "Storage (chair: A. Person)",
            ),
            (
                "6:00 p.m.-9:00 p.m.: Registration",
                (18, 0),
                (21, 0),
                "Registration",
            ),
        ];
        for (text, start, end, title) in cases {
            let line = parse_time_line(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(line.start, time(start.0, start.1), "{text}");
            assert_eq!(line.end, time(end.0, end.1), "{text}");
            assert_eq!(line.title.as_deref().unwrap_or_default(), title, "{text}");
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
    fn day_headers_with_and_without_a_year() {
        let header = |weekday, month, day, year| {
            Some(DayHeader {
                weekday,
                month,
                day,
                year,
            })
        };
        assert_eq!(
            parse_day_header("Monday, May 13, 2013"),
            header(Weekday::Mon, 5, 13, Some(2013))
        );
        assert_eq!(
            parse_day_header("Tuesday, March 3"),
            header(Weekday::Tue, 3, 3, None)
        );
        assert_eq!(
            parse_day_header("Monday (May 8)"),
            header(Weekday::Mon, 5, 8, None)
        );
        for text in [
            "Tech Sessions: Wednesday, June 17",
            "Monday, Maybe 13",
            "Monday, May 13, 13",
            "Monday, May 123",
            "Monday (May 8",
            "Funday, May 8",
        ] {
            assert_eq!(parse_day_header(text), None, "{text}");
        }
    }

    #[test]
    fn the_page_year_prefers_a_full_date_then_a_short_name_then_a_year_alone() {
        let year = |lines: &[&str]| {
            let mut year = PageYear::default();
            for line in lines {
                year.scan(line);
            }
            year.best()
        };
        assert_eq!(
            year(&["© 2016 USENIX", "NSDI '15 Full Proceedings (PDF)"]),
            Some(2015)
        );
        assert_eq!(
            year(&["NSDI '15", "to everyone beginning December 8, 2008."]),
            Some(2008)
        );
        assert_eq!(year(&["Copyright © 2015 USENIX Association"]), Some(2015));
        assert_eq!(year(&["USENIX '99 Banner"]), Some(1999));
        assert_eq!(
            year(&["Errata Slip (rev. 10/1/10)", "82MB ZIP", "'15 alone"]),
            None
        );
    }

    #[test]
    fn cells_of_a_table_row_keep_their_columns() {
        let mut found = Vec::new();
        let count = for_each_cell("| 8:30 a.m.–9:00 a.m. | Wednesday |  ", |cell| {
            found.push((cell.text, cell.column));
        });
        assert_eq!(count, 2);
        assert_eq!(
            found,
            [
                ("8:30 a.m.–9:00 a.m.".to_owned(), 3),
                ("Wednesday".to_owned(), 25)
            ]
        );
        assert_eq!(for_each_cell(" |  | ", |_| {}), 0);
        assert_eq!(
            for_each_cell("  Puma", |cell| assert_eq!(cell.column, 3)),
            1
        );
    }

    #[test]
    fn affiliations_in_parentheses_belong_to_the_names_before_them() {
        let people = parse_people(
            "Peng Huang (Microsoft Research, JHU), Chuanxiong Guo, Lidong Zhou (Microsoft Research); Yingnong Dang (Microsoft Azure)",
        );
        let pairs: Vec<(&str, Option<&str>)> = people
            .iter()
            .map(|p| (p.name.as_str(), p.affiliation.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Peng Huang", Some("Microsoft Research, JHU")),
                ("Chuanxiong Guo", Some("Microsoft Research")),
                ("Lidong Zhou", Some("Microsoft Research")),
                ("Yingnong Dang", Some("Microsoft Azure")),
            ]
        );
        // USENIX lines that end in an abbreviation stay USENIX lines.
        for line in [
            "Jonas Wagner, Volodymyr Kuznetsov, and George Candea, École Polytechnique Fédérale de Lausanne (EPFL)",
            "Lex Stein, Harvard University (SEAS)",
        ] {
            assert_eq!(parse_parenthesised_people(line), None, "{line}");
        }
        assert!(is_author_line("A. Person (MIT), B. Other (CMU)"));
    }

    #[test]
    fn places_after_a_label_and_chairs_after_a_title() {
        assert_eq!(
            split_place("Continental Breakfast, Atlas Foyer"),
            Some(("Continental Breakfast".to_owned(), "Atlas Foyer".to_owned()))
        );
        for title in [
            "Opening Remarks, Awards, and Keynote Address",
            "Lunch, on your own",
            "Keynote, Google, Inc.",
        ] {
            assert_eq!(split_place(title), None, "{title}");
        }
        assert_eq!(
            split_chair_suffix("Storage (chair: A. Person)"),
            Some(("Storage".to_owned(), "Chair".to_owned(), "A. Person"))
        );
        assert_eq!(
            split_chair_suffix("Arrival reception (snacks and bar)"),
            None
        );
    }

    #[test]
    fn talk_ids_take_the_smallest_free_number() {
        let mut ids = TalkIds::default();
        let got: Vec<String> = ["a", "a", "a-2", "a", "b", "a-4", "a"]
            .into_iter()
            .map(|base| ids.unique(base.to_owned()))
            .collect();
        // "a-2" is taken by the second "a", so the title slugged "a-2" becomes "a-2-2"; the
        // fourth "a" then gets 3, and 4 is taken by the title slugged "a-4" before the fifth.
        assert_eq!(got, ["a", "a-2", "a-2-2", "a-3", "b", "a-4", "a-5"]);
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
