//! Turning times and people into the short texts the screens and the command line show.
//! Pure formatting: no schedule logic is decided here.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::model::{Person, Session};

/// Whole seconds for display, rounded up: a countdown shows 0:01 until the last second is
/// over, and reaches 00:00 exactly at the end.
fn display_seconds(duration: Duration) -> i64 {
    let millis = duration.num_milliseconds();
    millis.div_euclid(1000) + i64::from(millis.rem_euclid(1000) > 0)
}

/// A count with its noun in the right number: "1 paper", "3 papers", "0 warnings".
pub fn count(number: usize, singular: &str, plural: &str) -> String {
    if number == 1 {
        format!("1 {singular}")
    } else {
        format!("{number} {plural}")
    }
}

/// A countdown as shown on the projector: `14:59`, `1:05:00`, and `+02:13` once over time.
pub fn countdown(remaining: Duration) -> String {
    let seconds = display_seconds(remaining);
    if seconds < 0 {
        format!("+{}", clock_digits(-seconds))
    } else {
        clock_digits(seconds)
    }
}

/// A duration as `MM:SS` or `H:MM:SS`, with days spelled out when there are any.
pub fn clock_digits(seconds: i64) -> String {
    let days = seconds / 86_400;
    let hours = (seconds % 86_400) / 3600;
    let minutes = (seconds % 3600) / 60;
    let secs = seconds % 60;
    match (days, hours) {
        (0, 0) => format!("{minutes:02}:{secs:02}"),
        (0, _) => format!("{hours}:{minutes:02}:{secs:02}"),
        (1, _) => format!("1 day {hours}:{minutes:02}:{secs:02}"),
        _ => format!("{days} days {hours}:{minutes:02}:{secs:02}"),
    }
}

/// A time of day in the event's zone, 24-hour: `09:20`.
pub fn time_of_day(instant: DateTime<Utc>, zone: Tz) -> String {
    instant.with_timezone(&zone).format("%H:%M").to_string()
}

/// A date with its weekday: `Monday 13 May 2013`.
pub fn date(day: chrono::NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// A time with its zone abbreviation: `09:20 MDT`.
pub fn time_with_zone(instant: DateTime<Utc>, zone: Tz) -> String {
    instant.with_timezone(&zone).format("%H:%M %Z").to_string()
}

/// Where an item is held, when that is not simply its room: "in Puma" for an item held
/// elsewhere, "all rooms" for a venue-wide one.
pub fn place(session: &Session, venue_wide: bool) -> Option<String> {
    match (&session.location, venue_wide) {
        (Some(location), _) => Some(format!("in {location}")),
        (None, true) => Some("all rooms".to_owned()),
        (None, false) => None,
    }
}

/// People who share an affiliation, in program order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffiliationGroup<'a> {
    /// Names, in order.
    pub names: Vec<&'a str>,
    /// The shared affiliation, if any.
    pub affiliation: Option<&'a str>,
}

impl AffiliationGroup<'_> {
    /// "A, B and C".
    pub fn names_text(&self) -> String {
        join_names(&self.names)
    }
}

/// Groups consecutive people with the same affiliation, as programs print authors:
/// "Pravin Shinde, Antoine Kaufmann, ... and Stefan Kaestle, ETH Zurich".
pub fn affiliation_groups(people: &[Person]) -> Vec<AffiliationGroup<'_>> {
    let mut groups: Vec<AffiliationGroup<'_>> = Vec::new();
    for person in people {
        let affiliation = person.affiliation.as_deref();
        match groups.last_mut() {
            Some(group) if group.affiliation == affiliation => group.names.push(&person.name),
            _ => groups.push(AffiliationGroup {
                names: vec![&person.name],
                affiliation,
            }),
        }
    }
    groups
}

/// "A", "A and B", "A, B and C".
pub fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The first `shown` of `people` as the projector writes them, a line per affiliation
/// ("A, B and C  —  HP Labs"), and "and N more" after the last line when some are left out.
pub fn people_lines(people: &[Person], shown: usize) -> Vec<String> {
    let shown = shown.min(people.len());
    let mut lines: Vec<String> = affiliation_groups(&people[..shown])
        .iter()
        .map(|group| match group.affiliation {
            Some(affiliation) => format!("{}  —  {affiliation}", group.names_text()),
            None => group.names_text(),
        })
        .collect();
    let left_out = people.len() - shown;
    if left_out > 0 {
        let more = format!("and {left_out} more");
        match lines.last_mut() {
            Some(last) => last.push_str(&format!("   ·   {more}")),
            None => lines.push(more),
        }
    }
    lines
}

/// All people on one line: "A and B, HP Labs; C, EPFL".
pub fn people_line(people: &[Person]) -> String {
    affiliation_groups(people)
        .iter()
        .map(|group| match group.affiliation {
            Some(affiliation) => format!("{}, {affiliation}", group.names_text()),
            None => group.names_text(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_left_out_are_counted() {
        let person = |name: &str, affiliation: &str| Person {
            name: name.to_owned(),
            affiliation: Some(affiliation.to_owned()),
        };
        let people = [
            person("A", "HP Labs"),
            person("B", "HP Labs"),
            person("C", "EPFL"),
            person("D", "EPFL"),
        ];
        assert_eq!(
            people_lines(&people, 4),
            ["A and B  —  HP Labs", "C and D  —  EPFL"]
        );
        assert_eq!(
            people_lines(&people, 3),
            ["A and B  —  HP Labs", "C  —  EPFL   ·   and 1 more"]
        );
        assert_eq!(people_lines(&people, 0), ["and 4 more"]);
        assert!(people_lines(&[], 3).is_empty());
    }

    #[test]
    fn countdowns_round_up_and_count_up_past_the_end() {
        let cases = [
            (Duration::minutes(10), "10:00"),
            (Duration::milliseconds(599_001), "10:00"),
            (Duration::milliseconds(599_000), "09:59"),
            (Duration::seconds(1), "00:01"),
            (Duration::zero(), "00:00"),
            (Duration::milliseconds(-500), "00:00"),
            (Duration::seconds(-133), "+02:13"),
            (Duration::minutes(65), "1:05:00"),
            (Duration::hours(27), "1 day 3:00:00"),
            (Duration::hours(50), "2 days 2:00:00"),
        ];
        for (duration, expected) in cases {
            assert_eq!(countdown(duration), expected, "{duration}");
        }
    }

    #[test]
    fn people_are_grouped_by_affiliation_in_order() {
        let person = |name: &str, affiliation: Option<&str>| Person {
            name: name.to_owned(),
            affiliation: affiliation.map(str::to_owned),
        };
        let people = [
            person("Seungyeop Han", Some("University of Washington")),
            person("Matthai Philipose", Some("Microsoft Research")),
            person("A", Some("X")),
            person("B", Some("X")),
            person("C", None),
        ];
        assert_eq!(
            people_line(&people),
            "Seungyeop Han, University of Washington; Matthai Philipose, Microsoft Research; A and B, X; C"
        );
    }
}
