//! From the events an importer has read to a validated schedule: one session per event, the
//! conference event, nominal lengths for zero-length events and one warning per repeated
//! finding.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{check_stated_length, event_kind, is_presented, non_empty, slug};
use crate::diagnostic::{Diagnostic, LoadError, Location, field_location};
use crate::model::{Person, UNTITLED};
use crate::timeparse::checked_end;
use crate::validate::{
    EventDraft, Loaded, RoomRef, ScheduleDraft, SessionDraft, TalkDraft, TalkTiming,
    TimeZoneSource, build,
};

/// How long an event that the file gives no length is shown: long enough to be seen on the
/// projector, short enough not to hide what follows.
pub(crate) const NOMINAL_LENGTH_MINUTES: i64 = 5;

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
        // At the very end of the calendar the session keeps its zero length, and validation
        // says where it is.
        session.end = checked_end(session.start, nominal).unwrap_or(session.end);
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
                field_location(&origin, ""),
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
            field_location(&event.origin, "")
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
                qa: None,
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
        qa: None,
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
