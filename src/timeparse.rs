//! Turning the date-time and duration texts of schedule files into absolute instants.
//!
//! A text with an offset (`2013-05-13T09:00-06:00`, `...Z`) is exact. A text without one
//! (`2013-05-13T09:00`) is a wall-clock time in the event's zone, which can fail in two ways
//! around DST changes: the time does not exist (spring forward) or it exists twice (fall back).
//! Both are reported rather than guessed, because a guess shows the wrong time on the screen.

use chrono::{
    DateTime, Datelike as _, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime,
    NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// Why a date-time text could not be turned into an instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The text is not a date-time in any accepted form.
    #[error(
        "`{text}` is not a date-time; write `2013-05-13T09:00` (local) or `2013-05-13T09:00:00-06:00`"
    )]
    Malformed {
        /// The text as found.
        text: String,
    },
    /// The date-time is outside the dates a schedule may use.
    #[error("`{text}` is outside the dates a schedule may use, {FIRST_DATE} to {LAST_DATE}")]
    OutOfRange {
        /// The text as found.
        text: String,
    },
    /// The wall-clock time is skipped by a DST change.
    #[error(
        "`{text}` does not exist in {zone}: the clocks jump forward over it (daylight saving time starts)"
    )]
    Nonexistent {
        /// The text as found.
        text: String,
        /// The zone it was read in.
        zone: Tz,
    },
    /// The wall-clock time happens twice because of a DST change.
    #[error(
        "`{text}` happens twice in {zone} (daylight saving time ends): at {earlier} and at {later}"
    )]
    Ambiguous {
        /// The text as found.
        text: String,
        /// The zone it was read in.
        zone: Tz,
        /// The first occurrence, with its offset.
        earlier: String,
        /// The second occurrence, with its offset.
        later: String,
    },
}

impl TimeError {
    /// Advice on how to fix the text.
    pub fn help(&self) -> String {
        match self {
            TimeError::Malformed { .. } => {
                "use ISO 8601: a local time in the event's zone, or RFC 3339 with an offset"
                    .to_owned()
            }
            TimeError::OutOfRange { .. } => "check the year of the date".to_owned(),
            TimeError::Nonexistent { .. } => {
                "use a time outside the DST gap, or write it with an explicit offset".to_owned()
            }
            TimeError::Ambiguous { earlier, later, .. } => {
                format!("write it with an explicit offset: `{earlier}` or `{later}`")
            }
        }
    }
}

/// The first date (in UTC) a schedule's times may fall on.
pub const FIRST_DATE: &str = "0001-01-02";

/// The last date (in UTC) a schedule's times may fall on. Real programs are far from both
/// ends; the bounds keep every sum of an instant and a duration that lectern computes
/// representable, and every instant's local date in any zone inside the years 1 to 9999,
/// which is what a date-time text can say.
pub const LAST_DATE: &str = "9999-12-30";

/// Whether an instant falls on the dates a schedule may use ([`FIRST_DATE`] to
/// [`LAST_DATE`], in UTC).
pub fn in_calendar(instant: DateTime<Utc>) -> bool {
    let first = NaiveDate::from_ymd_opt(1, 1, 2).map(|date| date.and_time(NaiveTime::MIN));
    let after_last =
        NaiveDate::from_ymd_opt(9999, 12, 31).map(|date| date.and_time(NaiveTime::MIN));
    match (first, after_last) {
        (Some(first), Some(after_last)) => {
            instant.naive_utc() >= first && instant.naive_utc() < after_last
        }
        _ => false,
    }
}

/// `start + duration`, or `None` when the sum falls outside the dates a schedule may use.
pub fn checked_end(start: DateTime<Utc>, duration: Duration) -> Option<DateTime<Utc>> {
    start
        .checked_add_signed(duration)
        .filter(|end| in_calendar(*end))
}

/// The longest duration lectern reads: ten thousand years, the whole range of
/// [`FIRST_DATE`] to [`LAST_DATE`]. Anything longer cannot end inside it.
pub fn max_duration() -> Duration {
    Duration::try_days(10_000 * 366).unwrap_or(Duration::MAX)
}

/// Why a duration text could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationError {
    /// The text is not a duration in any accepted form.
    Malformed,
    /// The text is a duration, but longer than any schedule can hold.
    TooLong,
}

/// Whether a date-time text carried its own offset or was read in the event's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    /// The text had an offset or `Z`.
    Offset,
    /// The text was a wall-clock time, resolved in the given zone.
    LocalInZone,
}

const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
];

const OFFSET_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M%:z",
    "%Y-%m-%dT%H:%M:%S%:z",
    "%Y-%m-%d %H:%M%:z",
    "%Y-%m-%d %H:%M:%S%:z",
];

/// Parses `2013-05-13T09:00` (wall-clock time in `zone`) or an RFC 3339 date-time with an
/// offset (`2013-05-13T09:00:00-06:00`, `2013-05-13T15:00:00Z`; seconds may be left out).
pub fn parse_instant(text: &str, zone: Tz) -> Result<(DateTime<Utc>, TimeSource), TimeError> {
    let trimmed = text.trim();
    // The common case, `2013-05-13T09:00`, is read directly: chrono's format-driven parsing
    // is the largest cost of loading a big schedule.
    if let Some(local) = parse_plain_local(trimmed) {
        return resolve_local(local, zone, trimmed)
            .map(|instant| (instant, TimeSource::LocalInZone));
    }
    if let Some(exact) = parse_offset_date_time(trimmed) {
        let instant = exact.with_timezone(&Utc);
        if !in_calendar(instant) {
            return Err(TimeError::OutOfRange {
                text: trimmed.to_owned(),
            });
        }
        return Ok((instant, TimeSource::Offset));
    }
    if let Some(local) = parse_local_date_time(trimmed) {
        return resolve_local(local, zone, trimmed)
            .map(|instant| (instant, TimeSource::LocalInZone));
    }
    Err(TimeError::Malformed {
        text: trimmed.to_owned(),
    })
}

/// Parses a date-time that carries its own offset: RFC 3339 (`2013-05-13T09:00:00-06:00`,
/// `...Z`), seconds optional, `T` or a space between date and time. `None` for anything else,
/// including a wall-clock time without an offset.
pub fn parse_offset_date_time(text: &str) -> Option<DateTime<FixedOffset>> {
    let trimmed = text.trim();
    if let Ok(exact) = DateTime::parse_from_rfc3339(trimmed) {
        return Some(exact);
    }
    // A trailing `Z` is an offset of zero; the formats below spell offsets as `+00:00`.
    let normalized = match trimmed.strip_suffix(['Z', 'z']) {
        Some(without_zone) => format!("{without_zone}+00:00"),
        None => trimmed.to_owned(),
    };
    OFFSET_FORMATS
        .iter()
        .find_map(|format| DateTime::<FixedOffset>::parse_from_str(&normalized, format).ok())
}

/// Parses a wall-clock date-time without an offset (`2013-05-13T09:00`, seconds optional, `T`
/// or a space between date and time). `None` for anything else.
pub fn parse_local_date_time(text: &str) -> Option<NaiveDateTime> {
    let trimmed = text.trim();
    parse_plain_local(trimmed).or_else(|| {
        LOCAL_FORMATS
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(trimmed, format).ok())
    })
}

/// Reads exactly `YYYY-MM-DDTHH:MM`, or returns `None` to leave the text to the general parser.
fn parse_plain_local(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() != 16
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[10] != b'T'
        || bytes[13] != b':'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |value, &byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + u32::from(byte - b'0'))
        })
    };
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::try_from(number(0..4)?).ok()?,
        number(5..7)?,
        number(8..10)?,
    )?;
    date.and_hms_opt(number(11..13)?, number(14..16)?, 0)
}

/// Resolves a wall-clock time in `zone`, refusing DST gaps and folds.
pub fn resolve_local(
    local: NaiveDateTime,
    zone: Tz,
    text: &str,
) -> Result<DateTime<Utc>, TimeError> {
    // A year at the edge of what chrono represents cannot take a zone's offset; no schedule
    // needs one, so such times are refused before they are resolved.
    if !(1..=9999).contains(&local.year()) {
        return Err(TimeError::OutOfRange {
            text: text.to_owned(),
        });
    }
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) if in_calendar(instant.with_timezone(&Utc)) => {
            Ok(instant.with_timezone(&Utc))
        }
        LocalResult::Single(_) => Err(TimeError::OutOfRange {
            text: text.to_owned(),
        }),
        LocalResult::None => Err(TimeError::Nonexistent {
            text: text.to_owned(),
            zone,
        }),
        LocalResult::Ambiguous(earlier, later) => Err(TimeError::Ambiguous {
            text: text.to_owned(),
            zone,
            earlier: earlier
                .fixed_offset()
                .format("%Y-%m-%dT%H:%M%:z")
                .to_string(),
            later: later.fixed_offset().format("%Y-%m-%dT%H:%M%:z").to_string(),
        }),
    }
}

/// Parses an IANA zone name such as `America/Denver`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// Parses a duration written as `H:MM`, `HH:MM` (hours may exceed 24), `HH:MM:SS` or ISO 8601
/// (`PT1H30M`, `PT45M`, `P1DT2H`, `P1W`). Returns `None` for anything else, and for durations
/// too long for any schedule; [`read_duration`] tells the two apart.
pub fn parse_duration(text: &str) -> Option<Duration> {
    read_duration(text).ok()
}

/// Reads a duration as [`parse_duration`] does, saying whether a text that is not read is
/// malformed or too long. Every step is checked: a text such as `PT9999999999H` or
/// `P999999999999D` is too long, never an overflow.
pub fn read_duration(text: &str) -> Result<Duration, DurationError> {
    let trimmed = text.trim();
    let duration = if trimmed.starts_with(['P', 'p']) {
        parse_iso_duration(trimmed)?
    } else {
        parse_clock_duration(trimmed)?
    };
    if duration > max_duration() {
        return Err(DurationError::TooLong);
    }
    Ok(duration)
}

/// `H:MM`, `HH:MM` or `HH:MM:SS`.
fn parse_clock_duration(text: &str) -> Result<Duration, DurationError> {
    let parts: Vec<&str> = text.split(':').collect();
    let numbers: Option<Vec<i64>> = parts
        .iter()
        .map(|part| {
            // Up to eight digits of hours: ten thousand years, which `lectern import` may
            // write for a talk that long.
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || part.len() > 8 {
                None
            } else {
                part.parse::<i64>().ok()
            }
        })
        .collect();
    let numbers = numbers.ok_or(DurationError::Malformed)?;
    let (hours, minutes, seconds) = match numbers.as_slice() {
        [hours, minutes] if parts[1].len() == 2 && *minutes < 60 => (*hours, *minutes, 0),
        [hours, minutes, seconds]
            if parts[1].len() == 2 && parts[2].len() == 2 && *minutes < 60 && *seconds < 60 =>
        {
            (*hours, *minutes, *seconds)
        }
        _ => return Err(DurationError::Malformed),
    };
    // At most eight digits of hours: these cannot overflow, but are checked all the same.
    Duration::try_hours(hours)
        .zip(Duration::try_minutes(minutes))
        .zip(Duration::try_seconds(seconds))
        .and_then(|((hours, minutes), seconds)| hours.checked_add(&minutes)?.checked_add(&seconds))
        .ok_or(DurationError::TooLong)
}

fn parse_iso_duration(text: &str) -> Result<Duration, DurationError> {
    let body = text.get(1..).ok_or(DurationError::Malformed)?;
    let (date_part, time_part) = match body.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (body, None),
    };
    let mut total = Duration::zero();
    let mut any = false;
    let mut too_long = false;
    for (part, units) in [(Some(date_part), "WD"), (time_part, "HMS")] {
        let Some(part) = part else { continue };
        let mut number = String::new();
        for character in part.chars() {
            if character.is_ascii_digit() {
                number.push(character);
                continue;
            }
            let upper = character.to_ascii_uppercase();
            if number.is_empty() || !units.contains(upper) {
                return Err(DurationError::Malformed);
            }
            any = true;
            // A number too large for i64 is a valid duration that no schedule can hold; the
            // rest of the text is still checked, so that a malformed text is said to be so.
            let value = number.parse::<i64>().ok();
            number.clear();
            let part = value.and_then(|value| match upper {
                'W' => Duration::try_weeks(value),
                'D' => Duration::try_days(value),
                'H' => Duration::try_hours(value),
                'M' => Duration::try_minutes(value),
                _ => Duration::try_seconds(value),
            });
            match part.and_then(|part| total.checked_add(&part)) {
                Some(sum) => total = sum,
                None => too_long = true,
            }
        }
        if !number.is_empty() {
            return Err(DurationError::Malformed);
        }
    }
    match (any, too_long) {
        (false, _) => Err(DurationError::Malformed),
        (true, true) => Err(DurationError::TooLong),
        (true, false) => Ok(total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Tz {
        chrono_tz::Europe::Berlin
    }

    #[test]
    fn local_and_offset_forms_agree() {
        let denver = chrono_tz::America::Denver;
        let (local, source) = parse_instant("2013-05-13T09:00", denver).unwrap();
        assert_eq!(source, TimeSource::LocalInZone);
        let (offset, source) = parse_instant("2013-05-13T09:00:00-06:00", denver).unwrap();
        assert_eq!(source, TimeSource::Offset);
        assert_eq!(local, offset);
        let (short_offset, _) = parse_instant("2013-05-13T15:00Z", denver).unwrap();
        assert_eq!(local, short_offset);
    }

    #[test]
    fn dst_gap_and_fold_are_refused() {
        let gap = parse_instant("2026-03-29T02:30", berlin()).unwrap_err();
        assert!(matches!(gap, TimeError::Nonexistent { .. }), "{gap}");
        let fold = parse_instant("2026-10-25T02:30", berlin()).unwrap_err();
        let TimeError::Ambiguous { earlier, later, .. } = &fold else {
            panic!("expected a fold, got {fold}");
        };
        assert_eq!(earlier, "2026-10-25T02:30+02:00");
        assert_eq!(later, "2026-10-25T02:30+01:00");
        // With an offset the fold is exact.
        assert!(parse_instant("2026-10-25T02:30+01:00", berlin()).is_ok());
    }

    #[test]
    fn durations_in_every_form() {
        let cases = [
            ("0:30", Some(30)),
            ("01:30", Some(90)),
            ("25:00", Some(1500)),
            ("00:45:00", Some(45)),
            ("PT1H30M", Some(90)),
            ("PT45M", Some(45)),
            ("P1DT1H", Some(1500)),
            ("PT0S", Some(0)),
            ("1:5", None),
            ("abc", None),
            ("PT", None),
            ("P1H", None),
            ("", None),
            ("P1W", Some(7 * 24 * 60)),
        ];
        for (text, minutes) in cases {
            assert_eq!(
                parse_duration(text).map(|d| d.num_minutes()),
                minutes,
                "{text}"
            );
        }
    }

    #[test]
    fn durations_beyond_any_calendar_are_too_long() {
        for text in [
            "PT9999999999H",
            "P999999999999D",
            "P99999999999999W",
            "PT9223372036854775807S",
            "PT99999999999999999999S",
            "P1W9223372036854775807D",
        ] {
            assert_eq!(read_duration(text), Err(DurationError::TooLong), "{text}");
        }
        assert_eq!(read_duration("P1X"), Err(DurationError::Malformed));
        assert_eq!(read_duration("99999:00").map(|d| d.num_hours()), Ok(99_999));
    }

    #[test]
    fn dates_outside_the_calendar_are_refused() {
        for text in ["0000-06-01T10:00:00Z", "9999-12-31T23:30:00-02:00"] {
            let error = parse_instant(text, berlin()).unwrap_err();
            assert!(
                matches!(error, TimeError::OutOfRange { .. }),
                "{text}: {error}"
            );
        }
        let late = parse_instant("9999-12-31T23:30", chrono_tz::America::Denver).unwrap_err();
        assert!(matches!(late, TimeError::OutOfRange { .. }), "{late}");
        assert!(parse_instant("9999-12-30T20:00", berlin()).is_ok());
        assert!(parse_instant("9999-12-31T02:00", berlin()).is_err());
    }
}
