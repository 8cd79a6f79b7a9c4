//! The validated schedule: what every other part of lectern works from.
//!
//! A [`Schedule`] is only ever built by [`crate::validate::build`], so its invariants hold
//! everywhere: every session ends after it starts, its talks have resolved start and end
//! instants, session ids are unique, every room reference points at a room, and each room's
//! sessions are indexed by start so that the engine finds the current one in O(log n).
//! Instants are absolute (`DateTime<Utc>`); the event's time zone is only used to show them.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

/// A stable, author-chosen identifier of a session (`"mon-0900"`). Chair overrides and live
/// reload follow sessions by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(pub String);

impl std::fmt::Display for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A stable identifier of a talk, unique within its session.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TalkId(pub String);

impl std::fmt::Display for TalkId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The position of a room in [`Schedule::rooms`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoomId(pub usize);

/// The event as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The full name, such as "14th Workshop on Hot Topics in Operating Systems".
    pub name: String,
    /// A short name for tight spaces, such as "HotOS XIV"; the full name when none was given.
    pub short_name: String,
    /// Where the event takes place, when known.
    pub venue: Option<String>,
    /// The time zone in which times are shown.
    pub time_zone: Tz,
    /// The room shown when none is chosen, and the room of sessions that name none.
    pub default_room: RoomId,
    /// The local time at which one conference day ends and the next begins. Sessions that
    /// start after midnight but before this time belong to the previous day's program.
    pub day_change: NaiveTime,
}

/// A room in which sessions take place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// The room's name as shown on screen.
    pub name: String,
    /// A short label for tight spaces; the name when none was given.
    pub short_name: String,
}

/// A person on the program: a speaker or a chair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name as printed in the program.
    pub name: String,
    /// The person's institution, when the program gives one.
    pub affiliation: Option<String>,
}

/// What kind of slot a session is. It decides how the projector presents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionKind {
    /// A session of papers or talks.
    Talks,
    /// A keynote address.
    Keynote,
    /// A panel discussion.
    Panel,
    /// A break between sessions.
    Break,
    /// A breakfast, lunch or dinner.
    Meal,
    /// A social event: a reception, a hike, a happy hour.
    Social,
    /// An open discussion, such as an "Open Mike".
    Discussion,
    /// An unconference or breakout slot.
    Unconference,
    /// Opening or closing remarks and other plenary items.
    Plenary,
    /// Anything else, including slots that have no title yet.
    Other,
}

impl SessionKind {
    /// All kinds, in the order they are documented.
    pub const ALL: [SessionKind; 10] = [
        SessionKind::Talks,
        SessionKind::Keynote,
        SessionKind::Panel,
        SessionKind::Break,
        SessionKind::Meal,
        SessionKind::Social,
        SessionKind::Discussion,
        SessionKind::Unconference,
        SessionKind::Plenary,
        SessionKind::Other,
    ];

    /// The name used in schedule files.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Talks => "talks",
            SessionKind::Keynote => "keynote",
            SessionKind::Panel => "panel",
            SessionKind::Break => "break",
            SessionKind::Meal => "meal",
            SessionKind::Social => "social",
            SessionKind::Discussion => "discussion",
            SessionKind::Unconference => "unconference",
            SessionKind::Plenary => "plenary",
            SessionKind::Other => "other",
        }
    }

    /// Whether the kind is a pause in the program (breaks and meals), shown as such.
    pub fn is_pause(self) -> bool {
        matches!(self, SessionKind::Break | SessionKind::Meal)
    }
}

/// Where a session takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placement {
    /// In one room.
    Room(RoomId),
    /// Venue-wide: shown in every room that has nothing else on at the time.
    AllRooms,
}

/// A talk (a paper presentation) inside a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Talk {
    /// Stable id, unique within the session.
    pub id: TalkId,
    /// The title.
    pub title: String,
    /// The speakers or authors, in program order.
    pub speakers: Vec<Person>,
    /// The abstract, paragraphs separated by a blank line.
    pub abstract_text: Option<String>,
    /// When the talk starts, resolved from the session's time where the file gives none.
    pub start: DateTime<Utc>,
    /// When the talk ends.
    pub end: DateTime<Utc>,
    /// The question part: the last `qa` of the talk's slot (zero when the program gives
    /// none). Never longer than the slot.
    pub qa: Duration,
}

impl Talk {
    /// The planned length of the talk.
    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// When the questions are planned to start: the end of the slot less the question part.
    pub fn questions_start(&self) -> DateTime<Utc> {
        self.end - self.qa
    }
}

/// A slot of the program: a paper session, a break, a meal.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Stable id, unique in the schedule.
    pub id: SessionId,
    /// The title; `None` for a slot the program leaves untitled ("To be announced").
    pub title: Option<String>,
    /// What kind of slot this is.
    pub kind: SessionKind,
    /// The room, or every room.
    pub placement: Placement,
    /// Where the item is held when that is not a room of the schedule (a lunch in "Puma").
    pub location: Option<String>,
    /// When it starts.
    pub start: DateTime<Utc>,
    /// When it ends; always after `start`.
    pub end: DateTime<Utc>,
    /// How the chairs are introduced: "Session Chair", "Program Chair".
    pub chair_role: String,
    /// The chairs, possibly none.
    pub chairs: Vec<Person>,
    /// A description of the slot, for items without talks.
    pub description: Option<String>,
    /// The talks, in order, with resolved times.
    pub talks: Vec<Talk>,
}

/// The text shown for a slot whose title the program leaves empty.
pub const UNTITLED: &str = "To be announced";

impl Session {
    /// The title, or "To be announced" for an untitled slot.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(UNTITLED)
    }

    /// The planned length of the session.
    pub fn duration(&self) -> Duration {
        self.end - self.start
    }

    /// The talk with the given id, with its position.
    pub fn talk_by_id(&self, id: &TalkId) -> Option<(usize, &Talk)> {
        self.talks
            .iter()
            .enumerate()
            .find(|(_, talk)| &talk.id == id)
    }
}

/// The sessions shown in one room, ordered by start, with what the engine needs to answer
/// "what is on at this instant" by binary search.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// Indices into [`Schedule::sessions`], ordered by start (ties by end, then by index).
    pub(crate) sessions: Vec<usize>,
    /// The start of each entry of `sessions`, for binary search.
    pub(crate) starts: Vec<DateTime<Utc>>,
    /// The latest end among entries `0..=i`: the backwards walk over overlapping sessions can
    /// stop as soon as no earlier session can still be running.
    pub(crate) latest_end_so_far: Vec<DateTime<Utc>>,
    /// For each entry, whether the room shows it at some instant by the schedule alone (an
    /// entry can stay hidden behind an overlapping one). The engine works it out on first use,
    /// so that loading does not pay for rooms nobody looks at.
    pub(crate) ever_shown: Derived<Vec<bool>>,
}

/// A value derived from the rest of a validated schedule, computed once on first use. It adds
/// nothing to what the schedule says, so two of them always compare equal.
#[derive(Debug, Clone, Default)]
pub(crate) struct Derived<T>(pub(crate) std::sync::OnceLock<T>);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl Timeline {
    pub(crate) fn new(all: &[Session], mut members: Vec<usize>) -> Self {
        members.sort_by_key(|&index| (all[index].start, all[index].end, index));
        let starts = members.iter().map(|&index| all[index].start).collect();
        let mut latest_end_so_far = Vec::with_capacity(members.len());
        let mut latest: Option<DateTime<Utc>> = None;
        for &index in &members {
            let end = all[index].end;
            let value = latest.map_or(end, |l| l.max(end));
            latest = Some(value);
            latest_end_so_far.push(value);
        }
        Timeline {
            sessions: members,
            starts,
            latest_end_so_far,
            ever_shown: Derived::default(),
        }
    }

    /// The session indices of this timeline, ordered by start.
    pub fn session_indices(&self) -> &[usize] {
        &self.sessions
    }

    /// The number of entries that start at or before `now`.
    pub(crate) fn count_started(&self, now: DateTime<Utc>) -> usize {
        self.starts.partition_point(|&start| start <= now)
    }
}

/// A validated schedule. Build one with [`crate::validate::build`] or through a format loader.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub(crate) event: Event,
    pub(crate) rooms: Vec<Room>,
    pub(crate) sessions: Vec<Session>,
    /// One timeline per room: the room's own sessions merged with the venue-wide ones.
    pub(crate) timelines: Vec<Timeline>,
    /// Session positions by id, so that chair overrides are found in O(1).
    pub(crate) index_by_id: std::collections::HashMap<SessionId, usize>,
    pub(crate) first_start: DateTime<Utc>,
    pub(crate) last_end: DateTime<Utc>,
}

impl Schedule {
    /// The event.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// All rooms, indexed by [`RoomId`].
    pub fn rooms(&self) -> &[Room] {
        &self.rooms
    }

    /// The room with the given id. Ids come from this schedule, so the room exists.
    pub fn room(&self, room: RoomId) -> &Room {
        &self.rooms[room.0]
    }

    /// Finds a room by name or short name, ignoring case.
    pub fn find_room(&self, name: &str) -> Option<RoomId> {
        let wanted = name.trim();
        self.rooms
            .iter()
            .position(|room| {
                room.name.eq_ignore_ascii_case(wanted)
                    || room.short_name.eq_ignore_ascii_case(wanted)
            })
            .map(RoomId)
    }

    /// All sessions, ordered by start.
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// The session with the given id and its index.
    pub fn session_by_id(&self, id: &SessionId) -> Option<(usize, &Session)> {
        let &index = self.index_by_id.get(id)?;
        Some((index, &self.sessions[index]))
    }

    /// The sessions shown in `room` (its own and the venue-wide ones), ordered by start.
    pub fn room_sessions(&self, room: RoomId) -> impl Iterator<Item = &Session> + '_ {
        self.timelines[room.0]
            .sessions
            .iter()
            .map(|&index| &self.sessions[index])
    }

    /// The timeline of `room`.
    pub fn timeline(&self, room: RoomId) -> &Timeline {
        &self.timelines[room.0]
    }

    /// When the first session of the event starts.
    pub fn first_start(&self) -> DateTime<Utc> {
        self.first_start
    }

    /// When the last session of the event ends.
    pub fn last_end(&self) -> DateTime<Utc> {
        self.last_end
    }

    /// Whether a session is worth calling venue-wide: it is in all rooms, and there is more
    /// than one room for it to be in.
    pub fn is_venue_wide(&self, session: &Session) -> bool {
        session.placement == Placement::AllRooms && self.rooms.len() > 1
    }

    /// The total number of talks.
    pub fn talk_count(&self) -> usize {
        self.sessions
            .iter()
            .map(|session| session.talks.len())
            .sum()
    }

    /// The conference day an instant belongs to: its local date, or the previous date when it
    /// comes before that date's day change (04:00 unless the schedule says otherwise). Decided
    /// by instants against [`Schedule::day_start`], so that a day change inside a DST fold,
    /// which happens twice on the wall clock, has one meaning everywhere: its first occurrence.
    pub fn conference_day(&self, instant: DateTime<Utc>) -> chrono::NaiveDate {
        let date = instant.with_timezone(&self.event.time_zone).date_naive();
        if instant < self.day_start(date) {
            date.pred_opt().unwrap_or(date)
        } else {
            date
        }
    }

    /// The instant at which conference day `day` begins (its day-change time, local). Where a
    /// DST change makes that local time ambiguous or skips it, the earliest instant at or after
    /// it is used.
    pub fn day_start(&self, day: chrono::NaiveDate) -> DateTime<Utc> {
        use chrono::TimeZone;
        let local = day.and_time(self.event.day_change);
        let zone = self.event.time_zone;
        // A DST gap is at most a few hours wide; step through it a quarter of an hour at a time.
        (0..=16)
            .find_map(|step| {
                zone.from_local_datetime(&(local + Duration::minutes(15 * step)))
                    .earliest()
            })
            .map_or_else(|| local.and_utc(), |instant| instant.with_timezone(&Utc))
    }

    /// The conference days on which `room` has sessions, in order.
    pub fn days(&self, room: RoomId) -> Vec<chrono::NaiveDate> {
        let mut days: Vec<_> = self
            .room_sessions(room)
            .map(|session| self.conference_day(session.start))
            .collect();
        days.dedup();
        days
    }
}
