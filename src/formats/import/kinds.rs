//! The kind of an imported event, from the words of its type label and its title.

use chrono::Duration;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::SessionKind;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
