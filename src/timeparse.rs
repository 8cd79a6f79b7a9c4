//! Turning the date-time and duration texts of schedule files into absolute instants.
//!
//! A text with an offset (`2013-05-13T09:00-06:00`, `...Z`) is exact. A text without one
//! (`2013-05-13T09:00`) is a wall-clock time in the event's zone, which can fail in two ways
//! around DST changes: the time does not exist (spring forward) or it exists twice (fall back).
//! Both are reported rather than guessed, because a guess shows the wrong time on the screen.

use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDateTime, TimeZone, Utc};
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
            TimeError::Nonexistent { .. } => {
                "use a time outside the DST gap, or write it with an explicit offset".to_owned()
            }
            TimeError::Ambiguous { earlier, later, .. } => {
                format!("write it with an explicit offset: `{earlier}` or `{later}`")
            }
        }
    }
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
        return Ok((exact.with_timezone(&Utc), TimeSource::Offset));
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
    match zone.from_local_datetime(&local) {
        LocalResult::Single(instant) => Ok(instant.with_timezone(&Utc)),
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
/// (`PT1H30M`, `PT45M`, `P1DT2H`). Returns `None` for anything else.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let trimmed = text.trim();
    if trimmed.starts_with(['P', 'p']) {
        return parse_iso_duration(trimmed);
    }
    let parts: Vec<&str> = trimmed.split(':').collect();
    let numbers: Option<Vec<i64>> = parts
        .iter()
        .map(|part| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || part.len() > 6 {
                None
            } else {
                part.parse::<i64>().ok()
            }
        })
        .collect();
    let numbers = numbers?;
    match numbers.as_slice() {
        [hours, minutes] if parts[1].len() == 2 && *minutes < 60 => {
            Some(Duration::hours(*hours) + Duration::minutes(*minutes))
        }
        [hours, minutes, seconds]
            if parts[1].len() == 2 && parts[2].len() == 2 && *minutes < 60 && *seconds < 60 =>
        {
            Some(
                Duration::hours(*hours) + Duration::minutes(*minutes) + Duration::seconds(*seconds),
            )
        }
        _ => None,
    }
}

fn parse_iso_duration(text: &str) -> Option<Duration> {
    let body = text.get(1..)?;
    let (date_part, time_part) = match body.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (body, None),
    };
    let mut total = Duration::zero();
    let mut any = false;
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
                return None;
            }
            let value: i64 = number.parse().ok()?;
            number.clear();
            any = true;
            total += match upper {
                'W' => Duration::weeks(value),
                'D' => Duration::days(value),
                'H' => Duration::hours(value),
                'M' => Duration::minutes(value),
                _ => Duration::seconds(value),
            };
        }
        if !number.is_empty() {
            return None;
        }
    }
    any.then_some(total)
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
        ];
        for (text, minutes) in cases {
            assert_eq!(
                parse_duration(text).map(|d| d.num_minutes()),
                minutes,
                "{text}"
            );
        }
    }
}
