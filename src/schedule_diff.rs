//! What changed between two versions of a schedule, for the chair after a reload.
//!
//! Sessions are matched by their id and talks by their id within their session, the same
//! identities the chair's overrides follow. A talk whose id changed but that kept its place in
//! its session (importers that derive a talk's id from its title give a retitled talk a new
//! id) is taken for the same talk, retitled, rather than one removed and one added. Pure: no
//! I/O and no clock; the summary is text for the chair view, capped to a few lines.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::model::{Person, Placement, Schedule, Session, SessionId, Talk, TalkId};
use crate::text;

/// When and where a session takes place, as its room is named in its own schedule (room
/// indices differ between versions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it ends.
    pub end: DateTime<Utc>,
    /// The room's name, or "all rooms" for a venue-wide item.
    pub room: String,
}

/// One change between two versions of a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A session that the old version did not have.
    SessionAdded {
        /// Its id.
        session: SessionId,
        /// Its title as shown.
        title: String,
        /// When and where.
        slot: Slot,
    },
    /// A session that the new version no longer has.
    SessionRemoved {
        /// Its id.
        session: SessionId,
        /// Its title as shown.
        title: String,
        /// When and where it was.
        slot: Slot,
    },
    /// A session whose start, end or room changed.
    SessionMoved {
        /// Its id.
        session: SessionId,
        /// Its title as shown now.
        title: String,
        /// When and where it was.
        from: Slot,
        /// When and where it is now.
        to: Slot,
    },
    /// A session whose title changed.
    SessionRetitled {
        /// Its id.
        session: SessionId,
        /// The old title as shown.
        from: String,
        /// The new title as shown.
        to: String,
    },
    /// A talk that the session did not have.
    TalkAdded {
        /// Its session.
        session: SessionId,
        /// The session's title.
        session_title: String,
        /// The talk's id.
        talk: TalkId,
        /// The talk's title.
        title: String,
    },
    /// A talk that the session no longer has.
    TalkRemoved {
        /// Its session.
        session: SessionId,
        /// The session's title.
        session_title: String,
        /// The talk's id.
        talk: TalkId,
        /// The talk's title.
        title: String,
    },
    /// A talk whose times changed inside a session that itself did not move.
    TalkMoved {
        /// Its session.
        session: SessionId,
        /// The talk's id.
        talk: TalkId,
        /// The talk's title.
        title: String,
        /// Its old start and end.
        from: (DateTime<Utc>, DateTime<Utc>),
        /// Its new start and end.
        to: (DateTime<Utc>, DateTime<Utc>),
    },
    /// A talk whose title changed.
    TalkRetitled {
        /// Its session.
        session: SessionId,
        /// The talk's id now.
        talk: TalkId,
        /// The old title.
        from: String,
        /// The new title.
        to: String,
    },
    /// A talk whose speakers (or their affiliations) changed.
    SpeakersChanged {
        /// Its session.
        session: SessionId,
        /// The talk's id.
        talk: TalkId,
        /// The talk's title.
        title: String,
        /// The old speakers' names.
        from: Vec<String>,
        /// The new speakers' names.
        to: Vec<String>,
    },
}

/// How many changes of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeCounts {
    /// Sessions added.
    pub sessions_added: usize,
    /// Sessions removed.
    pub sessions_removed: usize,
    /// Sessions moved (start, end or room).
    pub sessions_moved: usize,
    /// Sessions retitled.
    pub sessions_retitled: usize,
    /// Talks added.
    pub talks_added: usize,
    /// Talks removed.
    pub talks_removed: usize,
    /// Talks moved inside their session.
    pub talks_moved: usize,
    /// Talks retitled.
    pub talks_retitled: usize,
    /// Talks whose speakers changed.
    pub speakers_changed: usize,
}

/// Everything that changed between two versions of a schedule, in the new version's order
/// (removed sessions last, in the old version's order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScheduleChanges {
    /// The changes.
    pub changes: Vec<Change>,
}

/// How many lines a summary has at most by default: enough to read at a glance.
pub const SUMMARY_LINES: usize = 8;

/// How long a title may be in a summary line before it is shortened.
const TITLE_CHARS: usize = 60;

/// What changed from `old` to `new`. O(sessions + talks).
pub fn diff(old: &Schedule, new: &Schedule) -> ScheduleChanges {
    let mut changes = Vec::new();
    for session in new.sessions() {
        match old.session_by_id(&session.id) {
            None => changes.push(Change::SessionAdded {
                session: session.id.clone(),
                title: session.display_title().to_owned(),
                slot: slot(new, session),
            }),
            Some((_, before)) => diff_session(old, before, new, session, &mut changes),
        }
    }
    for session in old.sessions() {
        if new.session_by_id(&session.id).is_none() {
            changes.push(Change::SessionRemoved {
                session: session.id.clone(),
                title: session.display_title().to_owned(),
                slot: slot(old, session),
            });
        }
    }
    ScheduleChanges { changes }
}

fn slot(schedule: &Schedule, session: &Session) -> Slot {
    Slot {
        start: session.start,
        end: session.end,
        room: room_name(schedule, session).to_owned(),
    }
}

fn room_name<'s>(schedule: &'s Schedule, session: &Session) -> &'s str {
    match session.placement {
        Placement::Room(room) => &schedule.room(room).name,
        Placement::AllRooms => "all rooms",
    }
}

fn diff_session(
    old: &Schedule,
    before: &Session,
    new: &Schedule,
    after: &Session,
    changes: &mut Vec<Change>,
) {
    let id = &after.id;
    // Compared without copying anything: most sessions of a reload are unchanged.
    let moved = (before.start, before.end) != (after.start, after.end)
        || room_name(old, before) != room_name(new, after);
    if moved {
        changes.push(Change::SessionMoved {
            session: id.clone(),
            title: after.display_title().to_owned(),
            from: slot(old, before),
            to: slot(new, after),
        });
    }
    let retitled = before.display_title() != after.display_title();
    if retitled {
        changes.push(Change::SessionRetitled {
            session: id.clone(),
            from: before.display_title().to_owned(),
            to: after.display_title().to_owned(),
        });
    }
    // The usual case: the same talks in the same order, compared pairwise without an index.
    let same_ids = before.talks.len() == after.talks.len()
        && before
            .talks
            .iter()
            .zip(&after.talks)
            .all(|(old_talk, new_talk)| old_talk.id == new_talk.id);
    if same_ids {
        for (talk_before, talk) in before.talks.iter().zip(&after.talks) {
            let said_with_session = retitled
                && talk_before.title == before.display_title()
                && talk.title == after.display_title();
            diff_talk(id, talk_before, talk, !moved, said_with_session, changes);
        }
        return;
    }
    // Talks by id; the unmatched ones are then paired by position.
    let old_by_id: HashMap<&TalkId, usize> = before
        .talks
        .iter()
        .enumerate()
        .map(|(index, talk)| (&talk.id, index))
        .collect();
    let new_ids: HashSet<&TalkId> = after.talks.iter().map(|talk| &talk.id).collect();
    let mut matched_old = vec![false; before.talks.len()];
    let mut pairs: Vec<(Option<usize>, usize)> = Vec::with_capacity(after.talks.len());
    for (index, talk) in after.talks.iter().enumerate() {
        let found = old_by_id.get(&talk.id).copied();
        if let Some(old_index) = found {
            matched_old[old_index] = true;
        }
        pairs.push((found, index));
    }
    for pair in &mut pairs {
        let (None, index) = *pair else {
            continue;
        };
        // The same place in the session, held by a talk whose id is gone from the new version.
        if let Some(old_talk) = before.talks.get(index)
            && !matched_old[index]
            && !new_ids.contains(&old_talk.id)
        {
            matched_old[index] = true;
            pair.0 = Some(index);
        }
    }
    for (old_index, new_index) in pairs {
        let talk = &after.talks[new_index];
        match old_index {
            None => changes.push(Change::TalkAdded {
                session: id.clone(),
                session_title: after.display_title().to_owned(),
                talk: talk.id.clone(),
                title: talk.title.clone(),
            }),
            Some(old_index) => {
                let talk_before = &before.talks[old_index];
                // A one-talk session retitled with its talk (as exports of single events are)
                // is said once.
                let said_with_session = retitled
                    && talk_before.title == before.display_title()
                    && talk.title == after.display_title();
                diff_talk(id, talk_before, talk, !moved, said_with_session, changes);
            }
        }
    }
    for (index, talk) in before.talks.iter().enumerate() {
        if !matched_old[index] {
            changes.push(Change::TalkRemoved {
                session: id.clone(),
                session_title: after.display_title().to_owned(),
                talk: talk.id.clone(),
                title: talk.title.clone(),
            });
        }
    }
}

fn diff_talk(
    session: &SessionId,
    before: &Talk,
    after: &Talk,
    report_times: bool,
    title_said: bool,
    changes: &mut Vec<Change>,
) {
    if before.title != after.title && !title_said {
        changes.push(Change::TalkRetitled {
            session: session.clone(),
            talk: after.id.clone(),
            from: before.title.clone(),
            to: after.title.clone(),
        });
    }
    // When the session moved, its talks moved with it: that is said once, for the session.
    if report_times && (before.start, before.end) != (after.start, after.end) {
        changes.push(Change::TalkMoved {
            session: session.clone(),
            talk: after.id.clone(),
            title: after.title.clone(),
            from: (before.start, before.end),
            to: (after.start, after.end),
        });
    }
    if before.speakers != after.speakers {
        changes.push(Change::SpeakersChanged {
            session: session.clone(),
            talk: after.id.clone(),
            title: after.title.clone(),
            from: names(&before.speakers),
            to: names(&after.speakers),
        });
    }
}

fn names(people: &[Person]) -> Vec<String> {
    people.iter().map(|person| person.name.clone()).collect()
}

impl ScheduleChanges {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes of each kind.
    pub fn counts(&self) -> ChangeCounts {
        let mut counts = ChangeCounts::default();
        for change in &self.changes {
            let count = match change {
                Change::SessionAdded { .. } => &mut counts.sessions_added,
                Change::SessionRemoved { .. } => &mut counts.sessions_removed,
                Change::SessionMoved { .. } => &mut counts.sessions_moved,
                Change::SessionRetitled { .. } => &mut counts.sessions_retitled,
                Change::TalkAdded { .. } => &mut counts.talks_added,
                Change::TalkRemoved { .. } => &mut counts.talks_removed,
                Change::TalkMoved { .. } => &mut counts.talks_moved,
                Change::TalkRetitled { .. } => &mut counts.talks_retitled,
                Change::SpeakersChanged { .. } => &mut counts.speakers_changed,
            };
            *count += 1;
        }
        counts
    }

    /// A short text for people: a line of counts, then one line per change up to
    /// `max_lines` lines in all, the last saying how many more there are. Times are shown in
    /// `zone`.
    pub fn summary(&self, zone: Tz, max_lines: usize) -> Vec<String> {
        if self.is_empty() {
            return vec!["No change to the sessions or talks.".to_owned()];
        }
        let mut lines = vec![self.counts().headline()];
        let room_for_details = max_lines.saturating_sub(1).max(1);
        let total = self.changes.len();
        // With more changes than lines, the last line says how many are left out.
        let shown = if total > room_for_details {
            room_for_details.saturating_sub(1)
        } else {
            total
        };
        lines.extend(
            self.changes
                .iter()
                .take(shown)
                .map(|change| change.line(zone)),
        );
        if shown < total {
            lines.push(format!("and {} more", total - shown));
        }
        lines
    }
}

impl ChangeCounts {
    /// "2 sessions moved, 1 session added; 1 talk retitled".
    pub fn headline(&self) -> String {
        let part = |number: usize, singular: &str, plural: &str, what: &str| {
            (number > 0).then(|| format!("{} {what}", text::count(number, singular, plural)))
        };
        let sessions: Vec<String> = [
            part(self.sessions_added, "session", "sessions", "added"),
            part(self.sessions_removed, "session", "sessions", "removed"),
            part(self.sessions_moved, "session", "sessions", "moved"),
            part(self.sessions_retitled, "session", "sessions", "retitled"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut talks: Vec<String> = [
            part(self.talks_added, "talk", "talks", "added"),
            part(self.talks_removed, "talk", "talks", "removed"),
            part(self.talks_moved, "talk", "talks", "moved"),
            part(self.talks_retitled, "talk", "talks", "retitled"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if self.speakers_changed > 0 {
            talks.push(format!(
                "new speakers for {}",
                text::count(self.speakers_changed, "talk", "talks")
            ));
        }
        [sessions.join(", "), talks.join(", ")]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Change {
    /// One line for people, times in `zone`.
    pub fn line(&self, zone: Tz) -> String {
        match self {
            Change::SessionAdded { title, slot, .. } => {
                format!("Added: {} ({})", short(title), slot_text(slot, zone))
            }
            Change::SessionRemoved { title, slot, .. } => {
                format!("Removed: {} ({})", short(title), slot_text(slot, zone))
            }
            Change::SessionMoved {
                title, from, to, ..
            } => format!(
                "Moved: {}: {} → {}",
                short(title),
                slot_text(from, zone),
                slot_text(to, zone)
            ),
            Change::SessionRetitled { from, to, .. } => {
                format!("Retitled: \"{}\" → \"{}\"", short(from), short(to))
            }
            Change::TalkAdded {
                session_title,
                title,
                ..
            } => format!("Talk added to {}: {}", short(session_title), short(title)),
            Change::TalkRemoved {
                session_title,
                title,
                ..
            } => format!(
                "Talk removed from {}: {}",
                short(session_title),
                short(title)
            ),
            Change::TalkMoved {
                title, from, to, ..
            } => format!(
                "Talk moved: {}: {}–{} → {}–{}",
                short(title),
                text::time_of_day(from.0, zone),
                text::time_of_day(from.1, zone),
                text::time_of_day(to.0, zone),
                text::time_of_day(to.1, zone)
            ),
            Change::TalkRetitled { from, to, .. } => {
                format!("Talk retitled: \"{}\" → \"{}\"", short(from), short(to))
            }
            Change::SpeakersChanged {
                title, from, to, ..
            } => format!(
                "Speakers of {}: {} → {}",
                short(title),
                people_text(from),
                people_text(to)
            ),
        }
    }
}

fn people_text(names: &[String]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    short(&text::join_names(&names))
}

/// "Mon 09:00–10:00, Hall A".
fn slot_text(slot: &Slot, zone: Tz) -> String {
    let start = slot.start.with_timezone(&zone);
    format!(
        "{} {}–{}, {}",
        start.format("%a"),
        text::time_of_day(slot.start, zone),
        text::time_of_day(slot.end, zone),
        short(&slot.room)
    )
}

/// A title cut to [`TITLE_CHARS`] characters, with an ellipsis when it was longer.
fn short(title: &str) -> String {
    match title.char_indices().nth(TITLE_CHARS) {
        None => title.to_owned(),
        Some((cut, _)) => format!("{}…", title[..cut].trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{LoadOptions, load_bytes};
    use crate::source::EMBEDDED_SCHEDULE;
    use serde_json::{Value, json};

    fn hotos() -> Value {
        serde_json::from_str(EMBEDDED_SCHEDULE).expect("the embedded program is JSON")
    }

    fn load(value: &Value) -> Schedule {
        load_bytes(value.to_string().as_bytes(), &LoadOptions::default())
            .expect("a valid schedule")
            .schedule
    }

    fn session_mut<'v>(value: &'v mut Value, id: &str) -> &'v mut Value {
        value["sessions"]
            .as_array_mut()
            .expect("sessions")
            .iter_mut()
            .find(|session| session["id"] == id)
            .expect("the session")
    }

    /// The changes made by `edit` to the HotOS program.
    fn changes_after(edit: impl FnOnce(&mut Value)) -> ScheduleChanges {
        let old = hotos();
        let mut new = old.clone();
        edit(&mut new);
        diff(&load(&old), &load(&new))
    }

    fn denver() -> Tz {
        chrono_tz::America::Denver
    }

    #[test]
    fn the_same_schedule_has_no_changes() {
        let changes = changes_after(|_| {});
        assert!(changes.is_empty());
        assert_eq!(
            changes.summary(denver(), SUMMARY_LINES),
            ["No change to the sessions or talks."]
        );
    }

    #[test]
    fn a_moved_session_is_one_change_not_one_per_talk() {
        let changes = changes_after(|value| {
            let session = session_mut(value, "mon-0900");
            session["start"] = json!("2013-05-13T09:30");
            session["end"] = json!("2013-05-13T10:30");
        });
        assert_eq!(changes.counts().sessions_moved, 1);
        assert_eq!(changes.counts().talks_moved, 0);
        assert_eq!(changes.changes.len(), 1, "{changes:?}");
        assert_eq!(
            changes.changes[0].line(denver()),
            "Moved: Shuffling I/O Up and Down the Stack: Mon 09:00–10:00, Tamaya FGH → Mon 09:30–10:30, Tamaya FGH"
        );
    }

    #[test]
    fn added_removed_and_retitled_sessions_are_found_by_id() {
        let changes = changes_after(|value| {
            let sessions = value["sessions"].as_array_mut().expect("sessions");
            sessions.retain(|session| session["id"] != "mon-0815");
            sessions.push(json!({
                "id": "tue-2300", "title": "Late Night Hacking", "kind": "social",
                "start": "2013-05-14T23:00", "end": "2013-05-15T01:00"
            }));
            session_mut(value, "mon-0845")["title"] = json!("Welcome");
        });
        let counts = changes.counts();
        assert_eq!(
            (
                counts.sessions_added,
                counts.sessions_removed,
                counts.sessions_retitled
            ),
            (1, 1, 1),
            "{changes:?}"
        );
        let lines = changes.summary(denver(), SUMMARY_LINES);
        assert_eq!(
            lines,
            [
                "1 session added, 1 session removed, 1 session retitled",
                "Retitled: \"Opening Remarks\" → \"Welcome\"",
                "Added: Late Night Hacking (Tue 23:00–01:00, Tamaya FGH)",
                "Removed: Continental Breakfast (Mon 08:15–08:45, Tamaya FGH)",
            ]
        );
    }

    #[test]
    fn talks_added_removed_retitled_and_new_speakers() {
        let changes = changes_after(|value| {
            let talks = session_mut(value, "mon-0900")["talks"]
                .as_array_mut()
                .expect("talks");
            talks[0]["title"] = json!("We Really Need to Talk About NICs");
            talks[1]["speakers"] = json!([{"name": "Someone Else"}]);
            talks.remove(2);
            talks.push(json!({"id": "late-paper", "title": "A Late Paper", "speakers": []}));
        });
        let counts = changes.counts();
        assert_eq!(counts.talks_retitled, 1, "{changes:?}");
        assert_eq!(counts.speakers_changed, 1, "{changes:?}");
        // The late paper took the removed paper's place: ids decide, so one is added and the
        // other removed. The even split of the session moves the talks' times as well.
        assert_eq!(counts.talks_added, 1, "{changes:?}");
        assert_eq!(counts.talks_removed, 1, "{changes:?}");
        let speakers = changes
            .changes
            .iter()
            .find(|change| matches!(change, Change::SpeakersChanged { .. }))
            .expect("the speakers' change");
        assert_eq!(
            speakers.line(denver()),
            "Speakers of The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds: Jeffrey C. Mogul, Jayaram Mudigonda, Jose Renato Santos and… → Someone Else"
        );
    }

    #[test]
    fn a_talk_whose_id_follows_its_title_is_retitled_not_replaced() {
        let changes = changes_after(|value| {
            let talks = session_mut(value, "mon-0900")["talks"]
                .as_array_mut()
                .expect("talks");
            talks[1]["id"] = json!("the-nic-is-the-hypervisor-v2");
            talks[1]["title"] = json!("The NIC Is the Hypervisor, Revisited");
        });
        assert_eq!(changes.changes.len(), 1, "{changes:?}");
        assert!(matches!(
            &changes.changes[0],
            Change::TalkRetitled { to, .. } if to == "The NIC Is the Hypervisor, Revisited"
        ));
    }

    #[test]
    fn a_talk_moved_inside_its_session_is_said() {
        let changes = changes_after(|value| {
            let talks = session_mut(value, "mon-0900")["talks"]
                .as_array_mut()
                .expect("talks");
            // Two talks swap places; their times follow the program order.
            talks.swap(0, 1);
        });
        assert_eq!(changes.counts().talks_moved, 2, "{changes:?}");
        assert_eq!(changes.counts().talks_added, 0, "{changes:?}");
    }

    #[test]
    fn the_summary_is_capped_and_says_how_many_more() {
        let changes = changes_after(|value| {
            for session in value["sessions"].as_array_mut().expect("sessions") {
                let title = session["title"].as_str().unwrap_or_default().to_owned();
                session["title"] = json!(format!("{title} (new)"));
            }
        });
        let total = changes.changes.len();
        assert!(total > SUMMARY_LINES, "{total}");
        let lines = changes.summary(denver(), SUMMARY_LINES);
        assert_eq!(lines.len(), SUMMARY_LINES);
        assert_eq!(
            lines.last().map(String::as_str),
            Some(format!("and {} more", total - (SUMMARY_LINES - 2)).as_str())
        );
        // Even a summary of one line says how many changes there are.
        assert_eq!(changes.summary(denver(), 1).len(), 2);
    }

    #[test]
    fn long_titles_are_shortened_on_a_character_boundary() {
        let long = "Ü".repeat(100);
        assert_eq!(short(&long).chars().count(), TITLE_CHARS + 1);
        assert!(short(&long).ends_with('…'));
        assert_eq!(short("short"), "short");
    }
}
