//! The time-zone rules of imported files, and the start of an event from its day.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::Tally;
use crate::diagnostic::{Diagnostic, Location};
use crate::timeparse::{
    DurationError, FIRST_DATE, LAST_DATE, checked_end, in_calendar, parse_local_date_time,
    parse_offset_date_time, parse_zone, read_duration, resolve_local,
};
use crate::validate::{TimeZoneSource, default_day_change};

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
    /// Where the file would declare its zone, when the format has such a field.
    zone_field: Option<Location>,
    /// Where the first time with an offset is.
    first_offset_at: Option<Location>,
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
            zone_field: None,
            first_offset_at: None,
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
        let mut zones = Zones::new(
            name.map(|name| (name, Location::Path(path.to_owned()), path.to_owned())),
            option,
        );
        zones.zone_field = Some(Location::Path(path.to_owned()));
        zones
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
            if !in_calendar(exact.with_timezone(&Utc)) {
                self.errors.push(out_of_calendar(location(), text));
                return None;
            }
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
        // The location is made at most once: the first time, or the first that disagrees.
        let mut location = Some(location);
        let mut here = || location.take().map(|location| location());
        if self.first_offset_at.is_none() {
            self.first_offset_at = here();
        }
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
                    let location = here()
                        .or_else(|| self.first_offset_at.clone())
                        .unwrap_or(Location::Input);
                    self.first_mismatch =
                        Some((location, text.trim().to_owned(), offset, expected));
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
        // Findings about the file's zone as a whole are shown where the file would name its
        // zone, else at its first time, else at its start.
        let place = self
            .zone_field
            .clone()
            .or_else(|| self.first_offset_at.clone())
            .unwrap_or(Location::LineColumn { line: 1, column: 1 });
        let mut offsets = self.offsets_seen.iter();
        match (offsets.next(), offsets.next()) {
            (Some(&seconds), None) => match zone_at_offset(seconds) {
                Some(zone) => {
                    warnings.push(
                        Diagnostic::warning(
                            place,
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
                        place,
                        "its times' offset is not a whole number of hours",
                    ));
                    None
                }
            },
            (Some(_), Some(_)) => {
                errors.push(no_zone_error(place, "its times carry different offsets"));
                None
            }
            (None, _) => {
                errors.push(no_zone_error(place, "it has no times"));
                None
            }
        }
    }
}

/// An error for a date-time outside the dates a schedule may use.
pub(crate) fn out_of_calendar(location: Location, text: &str) -> Diagnostic {
    Diagnostic::error(
        location,
        format!(
            "`{}` is outside the dates a schedule may use, {FIRST_DATE} to {LAST_DATE}",
            text.trim()
        ),
    )
    .with_help("check the year of the date")
}

/// The end of an event that starts at `start` and lasts the duration written as `text`. A text
/// that is not a duration, and one so long that the event would end after
/// [`LAST_DATE`], are errors at `location`; `help` says how the format writes a duration.
pub(crate) fn end_from_duration(
    start: DateTime<Utc>,
    text: &str,
    location: impl FnOnce() -> Location,
    help: &str,
) -> Result<DateTime<Utc>, Diagnostic> {
    let message = match read_duration(text) {
        Ok(duration) => match checked_end(start, duration) {
            Some(end) => return Ok(end),
            None => format!(
                "the duration `{}` would end the event after {LAST_DATE}",
                text.trim()
            ),
        },
        Err(DurationError::TooLong) => format!(
            "the duration `{}` is longer than any schedule can hold",
            text.trim()
        ),
        Err(DurationError::Malformed) => format!("`{}` is not a duration", text.trim()),
    };
    Err(Diagnostic::error(location(), message).with_help(help))
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

fn no_zone_error(location: Location, why: &str) -> Diagnostic {
    Diagnostic::error(location, format!("the file names no time zone, and {why}"))
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
    let mut counts: HashMap<NaiveTime, usize> = HashMap::new();
    for &end in ends.iter().filter(|&&end| end < noon) {
        *counts.entry(end).or_default() += 1;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
