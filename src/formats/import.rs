//! What the importers of other programs' formats share: reading JSON with located errors, the
//! time-zone rules, kinds from labels, text clean-up, unique ids and rooms.
//!
//! The rules here are documented for users in `docs/formats.md`; keep the two in step.

use std::collections::{HashMap, HashSet};

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use super::Format;
use crate::diagnostic::{Diagnostic, LoadError, Location};
use crate::model::{Person, SessionKind, UNTITLED};
use crate::timeparse::{parse_local_date_time, parse_offset_date_time, parse_zone, resolve_local};
use crate::validate::{
    EventDraft, Loaded, RoomDraft, RoomRef, ScheduleDraft, SessionDraft, TalkDraft, TalkTiming,
    TimeZoneSource, build, default_day_change,
};

/// How long an event that the file gives no length is shown: long enough to be seen on the
/// projector, short enough not to hide what follows.
pub(crate) const NOMINAL_LENGTH_MINUTES: i64 = 5;

// ---------------------------------------------------------------------------------------------
// JSON

/// The top-level keys that tell the JSON formats apart. Everything else is skipped unread.
#[derive(Deserialize)]
struct JsonProbe {
    #[serde(rename = "$schema", default)]
    schema: Option<serde_json::Value>,
    #[serde(default)]
    schedule: Option<JsonProbeSchedule>,
    #[serde(default)]
    events: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct JsonProbeSchedule {
    #[serde(default)]
    events: Option<IgnoredAny>,
}

/// Which JSON format a document is; see [`Format::detect`].
pub(crate) fn detect_json(content: &[u8]) -> Format {
    let Ok(probe) = serde_json::from_slice::<JsonProbe>(content) else {
        return Format::Native;
    };
    let schema_says_schedule2 = probe
        .schema
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .is_some_and(|schema| schema.contains("schedule2") || schema.ends_with("schema2.json"));
    match probe.schedule {
        _ if schema_says_schedule2 => Format::Schedule2,
        Some(schedule) if schedule.events.is_some() => Format::Schedule2,
        Some(_) => Format::Frab,
        None if probe.events.is_some() => Format::Schedule2,
        None => Format::Native,
    }
}

/// Parses a JSON document into a format's raw types. The first parse does not track paths;
/// only when it fails is the document read again to say where.
pub(crate) fn read_json<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, LoadError> {
    let mut json = serde_json::Deserializer::from_str(text);
    match T::deserialize(&mut json).and_then(|raw| json.end().map(|()| raw)) {
        Ok(raw) => Ok(raw),
        Err(_) => Err(LoadError::single(locate_json_error::<T>(text, format))),
    }
}

fn locate_json_error<T: DeserializeOwned>(text: &str, format: Format) -> Diagnostic {
    let help = format!(
        "see docs/formats.md for the fields of {} that lectern reads",
        format.description()
    );
    let mut json = serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut json) {
        Err(error) => error,
        Ok(_) => {
            return match json.end() {
                Err(error) => json_syntax_error(&error),
                Ok(()) => {
                    Diagnostic::error(Location::Input, "the file could not be read").with_help(help)
                }
            };
        }
    };
    let inner = error.inner();
    let path = json_path(error.path());
    let message = strip_position(&inner.to_string());
    match inner.classify() {
        serde_json::error::Category::Data if !path.is_empty() => Diagnostic::error(
            Location::PathAt {
                path,
                line: inner.line(),
                column: inner.column().max(1),
            },
            message,
        )
        .with_help(help),
        serde_json::error::Category::Data => Diagnostic::error(
            Location::LineColumn {
                line: inner.line(),
                column: inner.column().max(1),
            },
            message,
        )
        .with_help(help),
        _ => json_syntax_error(inner),
    }
}

/// A JSON syntax error at its line and column.
pub(crate) fn json_syntax_error(error: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(
        Location::LineColumn {
            line: error.line(),
            // serde_json reports column 0 when the problem is the line break itself.
            column: error.column().max(1),
        },
        strip_position(&error.to_string()),
    )
    .with_help("fix the JSON syntax at this position")
}

/// serde_json appends " at line 3 column 7" to its messages; we show the position up front.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// A path as `schedule.conference.days[2].rooms["Saal 1"][3].start`.
fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut text = String::new();
    for segment in path {
        match segment {
            serde_path_to_error::Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => text = json_key(&text, key),
            serde_path_to_error::Segment::Enum { variant } => text = json_key(&text, variant),
            serde_path_to_error::Segment::Unknown => text.push_str(".?"),
        }
    }
    text
}

/// `parent.key` for a field name, `parent["key"]` for anything else. The formats' field names
/// are lower-case snake case; keys such as room names (`rooms["Curie"]`) are quoted.
pub(crate) fn json_key(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    match (parent.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{parent}.{key}"),
        (_, false) => format!("{parent}[{key:?}]"),
    }
}

/// `parent[index]`.
pub(crate) fn json_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// A JSON value that may be a string or, in schedule2 exports, an object of translations
/// (`{"en": "...", "de": "..."}`). Any other value reads as nothing.
#[derive(Debug, Default)]
pub(crate) struct Localized(pub(crate) Option<String>);

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(Localized(match value {
            serde_json::Value::String(text) => Some(text),
            serde_json::Value::Object(translations) => {
                // English first, as the language a mixed audience most often shares; then any.
                let pick = translations
                    .get("en")
                    .and_then(serde_json::Value::as_str)
                    .or_else(|| translations.values().find_map(serde_json::Value::as_str));
                pick.map(str::to_owned)
            }
            _ => None,
        }))
    }
}

/// A JSON object read as its entries in file order (frab files key rooms by name, and the
/// order is the order the organisers chose).
pub(crate) struct OrderedMap<V>(pub(crate) Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedMapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for OrderedMapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(OrderedMapVisitor(std::marker::PhantomData))
    }
}

/// An identifier written as a number or as a string; either way kept as text.
pub(crate) struct IdText(pub(crate) String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = IdText;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a number or a string")
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<IdText, E> {
                Ok(IdText(value.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<IdText, E> {
                Ok(IdText(value.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<IdText, E> {
                Ok(IdText(value.to_owned()))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Time zones

/// The time-zone rules for one file:
///
/// 1. A time with an explicit offset is that instant, whatever else the file says.
/// 2. A wall-clock time is read in the zone the file declares; failing that, in `--timezone`.
/// 3. Times are shown in the declared zone; failing that, in `--timezone`; failing that, when
///    every time carries the same offset, at that offset. Otherwise the file cannot be shown
///    and the error asks for `--timezone`.
///
/// Contradictions are warnings: a declared zone that is not the one given with `--timezone`,
/// offsets that are not the zone's own at their instant.
pub(crate) struct Zones {
    declared: Option<(Tz, String)>,
    option: Option<Tz>,
    offsets_seen: HashSet<i32>,
    wall_clock_times: usize,
    mismatches: usize,
    first_mismatch: Option<(Location, String, FixedOffset, FixedOffset)>,
    missing_zone_reported: bool,
    /// Errors found while reading times.
    pub(crate) errors: Vec<Diagnostic>,
    /// Warnings found while reading times.
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Zones {
    /// Starts with the zone the file declares (its name and where it was found), if any, and
    /// the user's `--timezone`.
    pub(crate) fn new(declared: Option<(&str, Location, String)>, option: Option<Tz>) -> Self {
        let mut zones = Zones {
            declared: None,
            option,
            offsets_seen: HashSet::new(),
            wall_clock_times: 0,
            mismatches: 0,
            first_mismatch: None,
            missing_zone_reported: false,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let Some((name, location, origin)) = declared else {
            return zones;
        };
        if name.trim().is_empty() {
            return zones;
        }
        match (parse_zone(name), option) {
            (Some(zone), Some(option)) if zone != option => {
                zones.warnings.push(
                    Diagnostic::warning(
                        location,
                        format!(
                            "--timezone {option} is not used: the file declares {zone}, and times are shown in it"
                        ),
                    )
                    .with_help("leave out --timezone for this file, or correct the zone in the file"),
                );
                zones.declared = Some((zone, origin));
            }
            (Some(zone), _) => zones.declared = Some((zone, origin)),
            (None, Some(option)) => zones.warnings.push(
                Diagnostic::warning(
                    location,
                    format!("unknown time zone `{name}`; the zone given with --timezone, {option}, is used"),
                )
                .with_help("write an IANA zone name such as `Europe/Berlin` in the file"),
            ),
            (None, None) => zones.errors.push(
                Diagnostic::error(location, format!("unknown time zone `{name}`"))
                    .with_help("pass --timezone with the venue's IANA zone, e.g. --timezone Europe/Berlin"),
            ),
        }
        zones
    }

    /// Starts with the zone the file names at a path such as
    /// `schedule.conference.time_zone_name`, if any, and the user's `--timezone`.
    pub(crate) fn named_at(path: &str, name: Option<&str>, option: Option<Tz>) -> Self {
        Zones::new(
            name.map(|name| (name, Location::Path(path.to_owned()), path.to_owned())),
            option,
        )
    }

    /// The zone wall-clock times are read in, if there is one.
    pub(crate) fn local_zone(&self) -> Option<Tz> {
        self.declared
            .as_ref()
            .map(|(zone, _)| *zone)
            .or(self.option)
    }

    /// Reads a date-time with an offset or a wall-clock one. A malformed text is an error at
    /// `location` naming `what` it should be.
    pub(crate) fn date_time(
        &mut self,
        text: &str,
        location: impl FnOnce() -> Location,
    ) -> Option<DateTime<Utc>> {
        if let Some(exact) = parse_offset_date_time(text) {
            return Some(self.exact(exact, text, location));
        }
        match parse_local_date_time(text) {
            Some(local) => self.wall_clock(local, text, location),
            None => {
                self.errors.push(
                    Diagnostic::error(location(), format!("`{}` is not a date-time", text.trim()))
                        .with_help(
                            "write ISO 8601 with an offset, e.g. `2019-08-21T11:00:00+02:00`",
                        ),
                );
                None
            }
        }
    }

    /// Takes a time that carries its own offset, noting when the offset is not the local
    /// zone's at that instant.
    pub(crate) fn exact(
        &mut self,
        exact: DateTime<FixedOffset>,
        text: &str,
        location: impl FnOnce() -> Location,
    ) -> DateTime<Utc> {
        let instant = exact.with_timezone(&Utc);
        let offset = *exact.offset();
        self.offsets_seen.insert(offset.local_minus_utc());
        // `Z` is how exchange formats write an instant; it says nothing about the venue's
        // zone. An explicit `+00:00` or `+01:00` does, and is checked against it.
        let written_as_utc = text.trim_end().ends_with(['Z', 'z']);
        if let Some(zone) = self.local_zone()
            && !written_as_utc
        {
            let expected = zone.offset_from_utc_datetime(&instant.naive_utc()).fix();
            if expected != offset {
                self.mismatches += 1;
                if self.first_mismatch.is_none() {
                    self.first_mismatch =
                        Some((location(), text.trim().to_owned(), offset, expected));
                }
            }
        }
        instant
    }

    /// Reads a wall-clock time in the local zone. Without one, the first such time is an
    /// error asking for `--timezone`; DST gaps and folds are errors as in native files.
    pub(crate) fn wall_clock(
        &mut self,
        local: NaiveDateTime,
        text: &str,
        location: impl FnOnce() -> Location,
    ) -> Option<DateTime<Utc>> {
        self.wall_clock_times += 1;
        let Some(zone) = self.local_zone() else {
            if !self.missing_zone_reported {
                self.missing_zone_reported = true;
                self.errors.push(missing_zone_error(location(), text));
            }
            return None;
        };
        match resolve_local(local, zone, text.trim()) {
            Ok(instant) => Some(instant),
            Err(error) => {
                self.errors
                    .push(Diagnostic::error(location(), error.to_string()).with_help(error.help()));
                None
            }
        }
    }

    /// Reads a wall-clock time in a zone the time itself names (iCalendar's `TZID`).
    pub(crate) fn wall_clock_in(
        &mut self,
        zone: Tz,
        local: NaiveDateTime,
        text: &str,
        location: impl FnOnce() -> Location,
    ) -> Option<DateTime<Utc>> {
        match resolve_local(local, zone, text.trim()) {
            Ok(instant) => Some(instant),
            Err(error) => {
                self.errors
                    .push(Diagnostic::error(location(), error.to_string()).with_help(error.help()));
                None
            }
        }
    }

    /// Chooses the zone times are shown in, and adds the warnings about the file's times.
    pub(crate) fn finish(
        mut self,
        warnings: &mut Vec<Diagnostic>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<(Tz, TimeZoneSource)> {
        if let Some((location, text, offset, expected)) = self.first_mismatch.take()
            && let Some(zone) = self.local_zone()
        {
            let others = match self.mismatches {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            self.warnings.push(
                Diagnostic::warning(
                    location,
                    format!(
                        "`{text}` carries the offset {offset}, but {zone} is at {expected} then{others}; each time is taken at its own offset"
                    ),
                )
                .with_help(format!(
                    "the times are shown in {zone}; check that the file's offsets and its time zone agree"
                )),
            );
        }
        warnings.append(&mut self.warnings);
        errors.append(&mut self.errors);
        if let Some((zone, origin)) = self.declared {
            return Some((zone, TimeZoneSource::Declared(origin)));
        }
        if let Some(zone) = self.option {
            return Some((zone, TimeZoneSource::Option));
        }
        if self.wall_clock_times > 0 {
            // Already reported where the first wall-clock time was read.
            return None;
        }
        let mut offsets = self.offsets_seen.iter();
        match (offsets.next(), offsets.next()) {
            (Some(&seconds), None) => match zone_at_offset(seconds) {
                Some(zone) => {
                    warnings.push(
                        Diagnostic::warning(
                            Location::Input,
                            format!(
                                "the file names no time zone; times are shown at its offset, as {}",
                                zone.name()
                            ),
                        )
                        .with_help("pass --timezone with the venue's zone to show local times with its daylight saving time"),
                    );
                    Some((zone, TimeZoneSource::Offsets))
                }
                None => {
                    errors.push(no_zone_error(
                        "its times' offset is not a whole number of hours",
                    ));
                    None
                }
            },
            (Some(_), Some(_)) => {
                errors.push(no_zone_error("its times carry different offsets"));
                None
            }
            (None, _) => {
                errors.push(no_zone_error("it has no times"));
                None
            }
        }
    }
}

fn missing_zone_error(location: Location, text: &str) -> Diagnostic {
    Diagnostic::error(
        location,
        format!(
            "`{}` has no UTC offset, and the file names no time zone to read it in",
            text.trim()
        ),
    )
    .with_help(
        "pass --timezone with the venue's IANA zone, e.g. --timezone Europe/Brussels or --timezone America/Denver",
    )
}

fn no_zone_error(why: &str) -> Diagnostic {
    Diagnostic::error(
        Location::Input,
        format!("the file names no time zone, and {why}"),
    )
    .with_help("pass --timezone with the venue's IANA zone, e.g. --timezone Europe/Berlin")
}

/// The `Etc/GMT±N` zone of a whole-hour offset (`UTC` for zero); note the inverted sign of
/// those names.
fn zone_at_offset(seconds: i32) -> Option<Tz> {
    if seconds % 3600 != 0 {
        return None;
    }
    let hours = seconds / 3600;
    let name = match hours {
        0 => "UTC".to_owned(),
        east if east > 0 => format!("Etc/GMT-{east}"),
        west => format!("Etc/GMT+{}", -west),
    };
    parse_zone(&name)
}

/// The local time at which conference days end, from the ends of the days a file lists: the
/// most frequent one before noon (a day that ends in the evening says nothing about where one
/// day turns into the next). The default, 04:00, when none qualifies.
pub(crate) fn day_change_from_day_ends(ends: &[NaiveTime]) -> NaiveTime {
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
    let mut counts: Vec<(NaiveTime, usize)> = Vec::new();
    for &end in ends.iter().filter(|&&end| end < noon) {
        match counts.iter_mut().find(|(time, _)| *time == end) {
            Some((_, count)) => *count += 1,
            None => counts.push((end, 1)),
        }
    }
    counts
        .iter()
        .max_by_key(|(time, count)| (*count, std::cmp::Reverse(*time)))
        .map_or_else(default_day_change, |(time, _)| *time)
}

/// What an event of a program laid out in days (frab's `schedule.json`, `schedule.xml`) says
/// about its start, as already read from the format's own syntax.
pub(crate) struct DayStart<'a> {
    /// The full date-time, if the event gives one.
    pub(crate) date: Option<&'a str>,
    /// The time of day, if the event gives a readable one.
    pub(crate) time: Option<NaiveTime>,
    /// The date of the event's day, if the day has one.
    pub(crate) day: Option<NaiveDate>,
    /// The local time at which one conference day turns into the next.
    pub(crate) day_change: NaiveTime,
}

/// How a format writes its two start fields in the warning that they disagree.
pub(crate) struct StartWording {
    /// The full date-time field, such as "`date`" or "<date>".
    pub(crate) date: &'static str,
    /// The time-of-day field, such as "`start`" or "<start>".
    pub(crate) time: &'static str,
    /// The help of that warning.
    pub(crate) help: &'static str,
}

/// Why an event's start cannot be worked out; the format words the error.
pub(crate) enum MissingStart {
    /// The event has neither a full date-time nor a readable time of day.
    Time,
    /// The event has only a time of day, and its day has no date.
    DayDate,
}

/// An event's start: its full date-time (exact when it has an offset); else its day's date and
/// its time of day, on the next date when the time is before the day change (a talk at 01:00
/// belongs to the evening before). When both are given and disagree, the date-time wins and a
/// warning, counted in `disagreeing_starts`, says so. `at("date")` and `at("start")` locate
/// the two fields. `Ok(None)` when a time was given but could not be read: `zones` has
/// reported that.
pub(crate) fn start_from_date_or_time(
    given: &DayStart<'_>,
    wording: &StartWording,
    zones: &mut Zones,
    disagreeing_starts: &mut Tally,
    at: impl Fn(&str) -> Location,
) -> Result<Option<DateTime<Utc>>, MissingStart> {
    if let Some(date) = given.date {
        let Some(instant) = zones.date_time(date, || at("date")) else {
            return Ok(None);
        };
        if let (Some(start_time), Some(zone)) = (given.time, zones.local_zone()) {
            let local = instant.with_timezone(&zone).time();
            if local != start_time {
                disagreeing_starts.note(|| {
                    Diagnostic::warning(
                        at("start"),
                        format!(
                            "{} {} disagrees with {} {} ({} in {zone}); the date is used",
                            wording.time,
                            start_time.format("%H:%M"),
                            wording.date,
                            date.trim(),
                            local.format("%H:%M")
                        ),
                    )
                    .with_help(wording.help)
                });
            }
        }
        return Ok(Some(instant));
    }
    let Some(time) = given.time else {
        return Err(MissingStart::Time);
    };
    let Some(day) = given.day else {
        return Err(MissingStart::DayDate);
    };
    let date = if time < given.day_change {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    let text = format!("{}T{}", date.format("%Y-%m-%d"), time.format("%H:%M"));
    Ok(zones.wall_clock(date.and_time(time), &text, || at("start")))
}

// ---------------------------------------------------------------------------------------------
// Kinds

const MEAL_WORDS: &[&[&str]] = &[
    &["breakfast"],
    &["brunch"],
    &["lunch"],
    &["luncheon"],
    &["lunches"],
    &["dinner"],
    &["supper"],
    &["meal"],
    &["barbecue"],
    &["bbq"],
];
const BREAK_WORDS: &[&[&str]] = &[
    &["break"],
    &["coffee"],
    &["tea"],
    &["pause"],
    &["changeover"],
    &["intermission"],
    &["refreshments"],
    &["free", "time"],
];
const SOCIAL_WORDS: &[&[&str]] = &[
    &["social"],
    &["party"],
    &["reception"],
    &["happy", "hour"],
    &["hike"],
    &["excursion"],
    &["concert"],
    &["performance"],
    &["game"],
    &["games"],
    &["networking"],
    &["drinks"],
    &["gala"],
];
const DISCUSSION_WORDS: &[&[&str]] = &[
    &["open", "mike"],
    &["open", "mic"],
    &["discussion"],
    &["bof"],
    &["birds", "of", "a", "feather"],
    &["meeting"],
    &["meetup"],
    &["q", "a"],
    &["question", "answer"],
];
const UNCONFERENCE_WORDS: &[&[&str]] = &[&["unconference"], &["barcamp"], &["breakout"]];
const KEYNOTE_WORDS: &[&[&str]] = &[&["keynote"], &["keynotes"]];
const PANEL_WORDS: &[&[&str]] = &[&["panel"]];
const PLENARY_WORDS: &[&[&str]] = &[
    &["plenary"],
    &["opening"],
    &["closing"],
    &["welcome"],
    &["remarks"],
    &["ceremony"],
    &["registration"],
    &["announcements"],
    &["awards"],
];
const TALK_WORDS: &[&[&str]] = &[
    &["talk"],
    &["talks"],
    &["lecture"],
    &["podium"],
    &["presentation"],
    &["paper"],
    &["papers"],
    &["lightning"],
    &["tutorial"],
    &["workshop"],
    &["miniconf"],
    &["hands", "on"],
    &["demo"],
];

/// The kinds a label can name, in the order they are tried: a "Workshop Luncheon" is a meal.
const KIND_WORDS: &[(SessionKind, &[&[&str]])] = &[
    (SessionKind::Meal, MEAL_WORDS),
    (SessionKind::Break, BREAK_WORDS),
    (SessionKind::Social, SOCIAL_WORDS),
    (SessionKind::Discussion, DISCUSSION_WORDS),
    (SessionKind::Unconference, UNCONFERENCE_WORDS),
    (SessionKind::Keynote, KEYNOTE_WORDS),
    (SessionKind::Panel, PANEL_WORDS),
    (SessionKind::Plenary, PLENARY_WORDS),
    (SessionKind::Talks, TALK_WORDS),
];

/// The lower-case words of a text, split at anything that is not a letter or digit.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_phrase(words: &[String], phrases: &[&[&str]]) -> bool {
    phrases.iter().any(|phrase| {
        words
            .windows(phrase.len())
            .any(|window| window.iter().zip(phrase.iter()).all(|(a, b)| a == b))
    })
}

/// The kind a label or title names by its words ("lecture", "Lunch (uncatered)", "morning
/// tea"), among `allowed` kinds; `None` when it names none.
pub(crate) fn kind_named_by(text: &str, allowed: &[SessionKind]) -> Option<SessionKind> {
    let words = words(text);
    KIND_WORDS
        .iter()
        .filter(|(kind, _)| allowed.contains(kind))
        .find(|(_, phrases)| contains_phrase(&words, phrases))
        .map(|(kind, _)| *kind)
}

/// The kinds a title may give an event that has speakers: a talk called "Coffee machines
/// considered harmful" is still a talk.
const KINDS_WITH_SPEAKERS: &[SessionKind] = &[
    SessionKind::Keynote,
    SessionKind::Panel,
    SessionKind::Plenary,
    SessionKind::Talks,
];

/// The kind of an imported event: the format's type label where it names one; a generic
/// talk label (or none) on an event without speakers defers to the title ("Lunch", "Opening
/// Ceremony"). Labels decide only the kind; the times always come from the file's times.
pub(crate) fn event_kind(label: Option<&str>, title: &str, has_speakers: bool) -> SessionKind {
    let from_label = label.and_then(|label| kind_named_by(label, &SessionKind::ALL));
    let from_title = if has_speakers {
        kind_named_by(title, KINDS_WITH_SPEAKERS)
    } else {
        kind_named_by(title, &SessionKind::ALL)
    };
    match (from_label, from_title) {
        (Some(SessionKind::Talks), Some(kind)) => kind,
        (Some(kind), _) => kind,
        (None, Some(kind)) => kind,
        (None, None) if has_speakers => SessionKind::Talks,
        (None, None) => SessionKind::Other,
    }
}

/// Whether an event of this kind is presented by people, so that it becomes a session with
/// one talk even when the file names no speaker.
pub(crate) fn is_presented(kind: SessionKind) -> bool {
    matches!(
        kind,
        SessionKind::Talks | SessionKind::Keynote | SessionKind::Panel
    )
}

/// Minutes that a label states ("Talk 30 min"), if any.
fn stated_minutes(label: &str) -> Option<i64> {
    let words = words(label);
    words.windows(2).find_map(|pair| {
        let unit = pair[1].as_str();
        matches!(unit, "min" | "mins" | "minute" | "minutes")
            .then(|| pair[0].parse::<i64>().ok())
            .flatten()
    })
}

/// A warning when a type label states a length that the event's times contradict. The
/// times are used: they are what the rest of the program is planned around.
pub(crate) fn check_stated_length(
    label: &str,
    length: Duration,
    location: impl FnOnce() -> Location,
) -> Option<Diagnostic> {
    let minutes = stated_minutes(label)?;
    (minutes != length.num_minutes()).then(|| {
        Diagnostic::warning(
            location(),
            format!(
                "the type `{label}` says {minutes} min, but the event's times give {} min; the times are used",
                length.num_minutes()
            ),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Text

/// The text with non-breaking spaces as spaces, runs of white space as one space, trimmed.
pub(crate) fn clean_line(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|word| !word.is_empty())
    {
        if !cleaned.is_empty() {
            cleaned.push(' ');
        }
        cleaned.push_str(word);
    }
    cleaned
}

/// A cleaned line, or `None` when nothing is left.
pub(crate) fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(clean_line).filter(|text| !text.is_empty())
}

/// Paragraphs as the model keeps them: separated by one blank line, each on one line. Exports
/// wrap lines at 72 or 80 columns and end them with CR LF; a single line break inside a
/// paragraph is a space. `None` when no text is left.
pub(crate) fn paragraphs(text: &str) -> Option<String> {
    let mut result = String::new();
    let mut paragraph = String::new();
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    for line in normalized.split('\n') {
        let line = clean_line(line);
        if line.is_empty() {
            flush_paragraph(&mut result, &mut paragraph);
            continue;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(&line);
    }
    flush_paragraph(&mut result, &mut paragraph);
    (!result.is_empty()).then_some(result)
}

/// An event's abstract in paragraphs; its description when the abstract is missing or blank.
pub(crate) fn abstract_or_description(
    abstract_text: Option<&str>,
    description: Option<&str>,
) -> Option<String> {
    abstract_text
        .and_then(paragraphs)
        .or_else(|| description.and_then(paragraphs))
}

fn flush_paragraph(result: &mut String, paragraph: &mut String) {
    if paragraph.is_empty() {
        return;
    }
    if !result.is_empty() {
        result.push_str("\n\n");
    }
    result.push_str(paragraph);
    paragraph.clear();
}

/// HTML elements whose tags are removed from descriptions. Anything else in angle brackets,
/// such as `<branch-name>` in a talk about git, is text and stays.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "br",
    "cite",
    "code",
    "del",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "td",
    "th",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Tags after which the text continues in a new paragraph.
const HTML_BLOCK_TAGS: &[&str] = &[
    "blockquote",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "ol",
    "p",
    "pre",
    "table",
    "tr",
    "ul",
];

/// Text from HTML: known tags removed (block tags and `<br>` become line breaks, list items
/// start with "- "), character references decoded. Not a full HTML parser: descriptions are
/// small fragments, and text that only looks like a tag is kept.
pub(crate) fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.to_owned();
    }
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(position) = rest.find(['<', '&']) {
        text.push_str(&rest[..position]);
        rest = &rest[position..];
        if rest.starts_with('<') {
            match html_tag(rest) {
                Some((name, length)) => {
                    if name == "br" {
                        text.push('\n');
                    } else if name == "li" {
                        text.push_str("\n- ");
                    } else if HTML_BLOCK_TAGS.contains(&name.as_str()) {
                        text.push_str("\n\n");
                    }
                    rest = &rest[length..];
                }
                None => {
                    text.push('<');
                    rest = &rest[1..];
                }
            }
        } else {
            match character_reference(rest) {
                Some((decoded, length)) => {
                    text.push(decoded);
                    rest = &rest[length..];
                }
                None => {
                    text.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    text.push_str(rest);
    text
}

/// A known tag at the start of `text`: its lower-case name and its length in bytes.
fn html_tag(text: &str) -> Option<(String, usize)> {
    let body = text.strip_prefix('<')?;
    let body = body.strip_prefix('/').unwrap_or(body);
    let name_length = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let name = body[..name_length].to_ascii_lowercase();
    if !HTML_TAGS.contains(&name.as_str()) {
        return None;
    }
    let after_name = &body[name_length..];
    if !after_name.starts_with(['>', '/', ' ', '\t', '\n', '\r']) {
        return None;
    }
    // Find the closing `>`, skipping quoted attribute values, which may contain one.
    let mut quote: Option<char> = None;
    for (index, c) in after_name.char_indices() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                let consumed = text.len() - after_name.len() + index + 1;
                return Some((name, consumed));
            }
            (None, '<') => return None,
            (None, _) => {}
        }
    }
    None
}

/// A character reference (`&amp;`, `&#8217;`, `&#x2019;`) at the start of `text`: the
/// character and the reference's length in bytes.
fn character_reference(text: &str) -> Option<(char, usize)> {
    // Byte positions, not a slice: the 12th byte may fall inside a character.
    let end = text.bytes().take(12).position(|byte| byte == b';')?;
    let name = &text[1..end];
    let decoded = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((decoded, end + 1))
}

/// A title as an id: lower case, each run of characters other than `a-z` and `0-9` as one
/// `-`, no `-` at either end, at most `max_words` words. "The NIC Is the Hypervisor:
/// Bare-Metal Guests" with 6 words is `the-nic-is-the-hypervisor-bare`.
pub fn slug(text: &str, max_words: usize) -> String {
    text.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|word| !word.is_empty())
        .take(max_words)
        .collect::<Vec<_>>()
        .join("-")
}

/// Names from a list such as "Ada Lovelace, Charles Babbage and Mary Somerville".
pub(crate) fn split_names(text: &str) -> Vec<Person> {
    text.split([',', ';', '&'])
        .flat_map(|part| part.split(" and "))
        .map(clean_line)
        .map(|name| {
            name.strip_prefix("and ")
                .map_or(name.clone(), str::to_owned)
        })
        .filter(|name| !name.is_empty())
        .map(|name| Person {
            name,
            affiliation: None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Ids and rooms

/// Session ids that stay unique: a repeated id gets `-2`, `-3`, ... in the order found.
#[derive(Default)]
pub(crate) struct UniqueIds {
    seen: HashSet<String>,
}

impl UniqueIds {
    /// `base`, or `base-N` for the smallest N that is still free.
    pub(crate) fn unique(&mut self, base: String) -> String {
        let base = if base.trim().is_empty() {
            "session".to_owned()
        } else {
            base
        };
        if self.seen.insert(base.clone()) {
            return base;
        }
        let mut number = 2;
        loop {
            let candidate = format!("{base}-{number}");
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
            number += 1;
        }
    }
}

/// The rooms of a schedule in the order they are first met, unique ignoring case.
#[derive(Default)]
pub(crate) struct Rooms {
    drafts: Vec<RoomDraft>,
    by_name: HashMap<String, usize>,
}

impl Rooms {
    /// Adds a room unless one of that name (ignoring case) is already known; returns the
    /// room's name as first met.
    pub(crate) fn add(&mut self, name: &str, origin: impl FnOnce() -> String) -> String {
        let name = clean_line(name);
        let key = name.to_lowercase();
        if let Some(&index) = self.by_name.get(&key) {
            return self.drafts[index].name.clone();
        }
        self.by_name.insert(key, self.drafts.len());
        self.drafts.push(RoomDraft {
            origin: origin(),
            name: name.clone(),
            short_name: None,
        });
        name
    }

    /// Whether a room of this name (ignoring case) is known.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(&clean_line(name).to_lowercase())
    }

    /// Whether no room is known.
    pub(crate) fn is_empty(&self) -> bool {
        self.drafts.is_empty()
    }

    /// The rooms, in order.
    pub(crate) fn into_drafts(self) -> Vec<RoomDraft> {
        self.drafts
    }
}

/// The room an event names, or all rooms when the name is blank.
pub(crate) fn room_ref(name: &str) -> RoomRef {
    let name = clean_line(name);
    if name.is_empty() {
        RoomRef::AllRooms
    } else {
        RoomRef::Named(name)
    }
}

/// The room created for a file that names none, so that its sessions have somewhere to be.
pub(crate) const FALLBACK_ROOM: &str = "Main room";

// ---------------------------------------------------------------------------------------------
// Finishing

/// One warning for a finding that may repeat in many places of a file: the first place, and
/// how many more there are.
#[derive(Default)]
pub(crate) struct Tally {
    first: Option<Diagnostic>,
    count: usize,
}

impl Tally {
    /// Counts one more occurrence; the warning is made only for the first.
    pub(crate) fn note(&mut self, make: impl FnOnce() -> Diagnostic) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(make());
        }
    }

    /// Adds the warning, if there was anything to warn about.
    pub(crate) fn finish(self, warnings: &mut Vec<Diagnostic>) {
        if let Some(mut first) = self.first {
            if self.count > 1 {
                first.message = format!("{} (and {} more like it)", first.message, self.count - 1);
            }
            warnings.push(first);
        }
    }
}

/// Gives events that last no time a nominal length, with one warning for all of them: real
/// exports mark moments ("Doors open") as zero-length events, and one such event must not stop
/// a whole program from loading. Native files still refuse them.
pub(crate) fn lengthen_zero_length(sessions: &mut [SessionDraft], warnings: &mut Vec<Diagnostic>) {
    let nominal = Duration::minutes(NOMINAL_LENGTH_MINUTES);
    let mut first: Option<(String, String)> = None;
    let mut count = 0;
    for session in sessions.iter_mut().filter(|s| s.end == s.start) {
        session.end = session.start + nominal;
        count += 1;
        if first.is_none() {
            first = Some((
                session.origin.clone(),
                session.title.clone().unwrap_or_else(|| session.id.clone()),
            ));
        }
    }
    if let Some((origin, title)) = first {
        let others = match count {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        warnings.push(
            Diagnostic::warning(
                Location::Path(origin),
                format!("`{title}` lasts no time{others}; it is shown for {NOMINAL_LENGTH_MINUTES} minutes"),
            )
            .with_help("give the event an end after its start to show it for longer"),
        );
    }
}

/// One event of a program (a frab, schedule2 or schedule.xml event, an iCalendar VEVENT), as
/// every importer reads it.
pub(crate) struct ProgramEvent {
    /// Where it was found.
    pub(crate) origin: String,
    /// A stable id, unique in the file.
    pub(crate) id: String,
    /// The title, if it has one.
    pub(crate) title: Option<String>,
    /// The format's type label ("lecture", "Podium", "TALK"), if any.
    pub(crate) label: Option<String>,
    /// Its room.
    pub(crate) room: RoomRef,
    /// Start.
    pub(crate) start: DateTime<Utc>,
    /// End.
    pub(crate) end: DateTime<Utc>,
    /// Who presents it.
    pub(crate) speakers: Vec<Person>,
    /// Who moderates or hosts it.
    pub(crate) chairs: Vec<Person>,
    /// How the chairs are introduced, when the file says; "Session Chair" otherwise.
    pub(crate) chair_role: Option<String>,
    /// Its abstract (or description), already in paragraphs.
    pub(crate) abstract_text: Option<String>,
}

/// A session for one event. An event that people present (it has speakers, or its kind is a
/// talk, keynote or panel) is a session with one talk carrying the title, speakers and
/// abstract, so that the projector shows it as a paper; anything else (a lunch, a break) is a
/// session without talks whose abstract is its description.
pub(crate) fn event_session(event: ProgramEvent, stated_lengths: &mut Tally) -> SessionDraft {
    let kind = event_kind(
        event.label.as_deref(),
        event.title.as_deref().unwrap_or(""),
        !event.speakers.is_empty(),
    );
    if let Some(label) = event.label.as_deref()
        && let Some(warning) = check_stated_length(label, event.end - event.start, || {
            Location::Path(event.origin.clone())
        })
    {
        stated_lengths.note(|| warning);
    }
    let presented = !event.speakers.is_empty() || is_presented(kind);
    let (talks, description) = if presented {
        let talk = TalkDraft {
            // The talk is the session's only one, so its title as a slug cannot clash.
            id: event
                .title
                .as_deref()
                .map(|title| slug(title, 6))
                .filter(|slug| !slug.is_empty())
                .unwrap_or_else(|| "talk".to_owned()),
            title: event.title.clone().unwrap_or_else(|| UNTITLED.to_owned()),
            speakers: event.speakers,
            abstract_text: event.abstract_text,
            timing: TalkTiming {
                start: None,
                duration: None,
            },
        };
        (vec![talk], None)
    } else {
        (Vec::new(), event.abstract_text)
    };
    SessionDraft {
        origin: event.origin,
        id: event.id,
        title: event.title,
        kind,
        room: event.room,
        // The importers place events in rooms; none of their formats names another place.
        location: None,
        start: event.start,
        end: event.end,
        chair_role: event
            .chair_role
            .unwrap_or_else(|| "Session Chair".to_owned()),
        chairs: event.chairs,
        description,
        talks,
    }
}

/// The event of a conference program (frab, schedule2, schedule.xml): named by its title,
/// else its acronym, else "Conference", with the acronym as its short name. It has no venue:
/// of these formats only schedule.xml names one, and sets it. `default_room_origin` is where
/// the format lists its rooms, for messages.
pub(crate) fn conference_event(
    title: Option<&str>,
    acronym: Option<&str>,
    time_zone: Tz,
    time_zone_source: TimeZoneSource,
    day_change: NaiveTime,
    default_room_origin: &str,
) -> EventDraft {
    let short_name = non_empty(acronym);
    EventDraft {
        name: non_empty(title)
            .or_else(|| short_name.clone())
            .unwrap_or_else(|| "Conference".to_owned()),
        short_name,
        venue: None,
        time_zone,
        time_zone_source,
        default_room: None,
        default_room_origin: default_room_origin.to_owned(),
        day_change,
    }
}

/// Validates a draft, putting the importer's own warnings before those of validation.
pub(crate) fn finish(
    mut draft: ScheduleDraft,
    mut warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
) -> Result<Loaded, LoadError> {
    if !errors.is_empty() {
        return Err(failed(errors, warnings));
    }
    lengthen_zero_length(&mut draft.sessions, &mut warnings);
    build_with_warnings(draft, warnings)
}

/// Validates a draft. The reader's own warnings come before those of validation, or after
/// its errors when it fails.
pub(crate) fn build_with_warnings(
    draft: ScheduleDraft,
    mut warnings: Vec<Diagnostic>,
) -> Result<Loaded, LoadError> {
    match build(draft) {
        Ok(mut loaded) => {
            warnings.append(&mut loaded.warnings);
            loaded.warnings = warnings;
            Ok(loaded)
        }
        Err(mut error) => {
            error.diagnostics.extend(warnings);
            Err(error)
        }
    }
}

/// The errors that stop a file from loading, followed by the warnings found so far.
pub(crate) fn failed(errors: Vec<Diagnostic>, warnings: Vec<Diagnostic>) -> LoadError {
    let mut diagnostics = errors;
    if diagnostics.is_empty() {
        // Every caller has an error to report; this keeps the promise that a LoadError has one.
        diagnostics.push(Diagnostic::error(
            Location::Input,
            "the file could not be read as a schedule",
        ));
    }
    diagnostics.extend(warnings);
    LoadError { diagnostics }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_hotos_rule() {
        assert_eq!(
            slug(
                "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds",
                6
            ),
            "the-nic-is-the-hypervisor-bare"
        );
        assert_eq!(
            slug("-OVERIFY: Optimizing Programs for Fast Verification", 6),
            "overify-optimizing-programs-for-fast-verification"
        );
        assert_eq!(
            slug("Unified High-Performance I/O: One Stack", 6),
            "unified-high-performance-i-o-one"
        );
    }

    #[test]
    fn kinds_from_labels_and_titles() {
        assert_eq!(
            event_kind(Some("lecture"), "Achtung, Datenpannen!", true),
            SessionKind::Talks
        );
        assert_eq!(
            event_kind(Some("morning tea"), "Morning Tea (catered)", false),
            SessionKind::Break
        );
        assert_eq!(
            event_kind(Some("OTHER"), "38C3: Opening Ceremony", true),
            SessionKind::Plenary
        );
        assert_eq!(
            event_kind(None, "Coffee machines considered harmful", true),
            SessionKind::Talks
        );
        assert_eq!(
            event_kind(Some("Podium"), "Lunch", false),
            SessionKind::Meal
        );
        assert_eq!(
            event_kind(Some("Workshop"), "Workshop Luncheon", false),
            SessionKind::Meal
        );
        assert_eq!(event_kind(None, "Untitled", false), SessionKind::Other);
    }

    #[test]
    fn stated_lengths_that_disagree_are_noticed() {
        let location = || Location::Input;
        assert!(check_stated_length("Talk 30 min", Duration::minutes(45), location).is_some());
        assert!(check_stated_length("Talk 30 min", Duration::minutes(30), location).is_none());
        assert!(check_stated_length("lecture", Duration::minutes(30), location).is_none());
    }

    #[test]
    fn html_is_stripped_but_text_in_angle_brackets_stays() {
        let html = "<p><a href=\"/x\">Women of Open Technology Breakfast</a>, Presented</p>\n<p><em>Only</em> &amp; more</p>";
        assert_eq!(
            paragraphs(&html_to_text(html)).as_deref(),
            Some("Women of Open Technology Breakfast, Presented\n\nOnly & more")
        );
        assert_eq!(
            html_to_text("run `git newbranch <branch-name>` 3 < 4 &c."),
            "run `git newbranch <branch-name>` 3 < 4 &c."
        );
        assert_eq!(html_to_text("a&#8217;b&#x2019;c"), "a’b’c");
        // A reference-like text followed by multi-byte characters is kept as it is.
        assert_eq!(html_to_text("&¥�.꯱.Ⱥ𞺣"), "&¥�.꯱.Ⱥ𞺣");
    }

    #[test]
    fn paragraphs_join_wrapped_lines() {
        assert_eq!(
            paragraphs("This talk will\r\ncover things.\r\n\r\n  Second\u{a0}one. ").as_deref(),
            Some("This talk will cover things.\n\nSecond one.")
        );
        assert_eq!(paragraphs(" \n \n"), None);
    }

    #[test]
    fn day_change_is_the_usual_morning_end_of_a_day() {
        let time = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(
            day_change_from_day_ends(&[time(6, 0), time(6, 0), time(18, 45)]),
            time(6, 0)
        );
        assert_eq!(day_change_from_day_ends(&[time(23, 59)]), time(4, 0));
    }

    #[test]
    fn offsets_name_etc_zones() {
        assert_eq!(zone_at_offset(0), Some(Tz::UTC));
        assert_eq!(zone_at_offset(3600).map(|z| z.name()), Some("Etc/GMT-1"));
        assert_eq!(
            zone_at_offset(-6 * 3600).map(|z| z.name()),
            Some("Etc/GMT+6")
        );
        assert_eq!(zone_at_offset(5 * 3600 + 1800), None);
    }

    #[test]
    fn json_keys_are_quoted_when_they_are_not_names() {
        assert_eq!(
            json_key("days[2].rooms", "Saal 1"),
            "days[2].rooms[\"Saal 1\"]"
        );
        assert_eq!(json_key("", "schedule"), "schedule");
        assert_eq!(json_key("schedule", "conference"), "schedule.conference");
        assert_eq!(
            json_key("days[0].rooms", "Curie"),
            "days[0].rooms[\"Curie\"]"
        );
    }
}
