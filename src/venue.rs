//! The whole venue at an instant: what is on in every room, for the hallway screen.
//!
//! Pure like the engine it builds on: [`venue_at`] asks [`status_at`] for each room (by the
//! schedule alone; a room's own lectern keeps its chair's overrides) and turns the answers into
//! [`RoomLine`]s, plain owned values that a room's live feed can fill too, so that the views draw
//! lines without knowing where they came from. Venue-wide items (a lunch) are listed once, above
//! the rooms, and the rooms they fill are compact.

use chrono::{DateTime, Utc};

use crate::chair::ChairState;
use crate::model::{RoomId, Schedule, SessionKind};
use crate::text;
use crate::timing::{Activity, Phase, RoomStatus, Thresholds, status_at};

/// What a room is doing, as the overview shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineState {
    /// Something of its own is on.
    Live,
    /// Nothing is on now; something starts later (see [`RoomLine::next_at`]).
    Waiting,
    /// A venue-wide item fills the room (it is listed above the rooms).
    VenueWide,
    /// Nothing more today or at all.
    Done,
}

/// Where a line's facts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineSource {
    /// The schedule alone.
    Schedule,
    /// The room's own lectern, over its live feed.
    Feed,
    /// The schedule, because the room's feed is down since this instant.
    FeedDown(DateTime<Utc>),
}

/// One room on the hallway screen.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomLine {
    /// The room's name.
    pub room: String,
    /// What it is doing.
    pub state: LineState,
    /// What is on: the paper's title, or the session's (empty when nothing is on).
    pub title: String,
    /// The paper's speakers, grouped by affiliation (empty when none).
    pub speakers: String,
    /// The session the paper belongs to, when a paper is on and the session says more.
    pub session: Option<String>,
    /// When what is on ends, at the room's pace.
    pub ends_at: Option<DateTime<Utc>>,
    /// The phase of what is on.
    pub phase: Option<Phase>,
    /// What comes next in the room.
    pub next_title: Option<String>,
    /// When the room starts showing it.
    pub next_at: Option<DateTime<Utc>>,
    /// Short facts worth a glance: running late, paused, questions, the chair's message.
    pub notes: Vec<String>,
    /// Where the facts come from.
    pub source: LineSource,
}

/// A venue-wide item on now, listed once.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueItem {
    /// Its title.
    pub title: String,
    /// Where it is held, when the program says.
    pub location: Option<String>,
    /// When it ends.
    pub ends_at: DateTime<Utc>,
    /// Its kind (a meal, a break, a plenary).
    pub kind: SessionKind,
}

/// The venue at an instant.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueStatus {
    /// The instant.
    pub now: DateTime<Utc>,
    /// Venue-wide items on now.
    pub venue_wide: Vec<VenueItem>,
    /// One line per room, in the program's order of rooms.
    pub rooms: Vec<RoomLine>,
}

/// What every room of `rooms` (all rooms when empty) shows at `now`, by the schedule alone.
pub fn venue_at(
    schedule: &Schedule,
    rooms: &[RoomId],
    now: DateTime<Utc>,
    thresholds: &Thresholds,
) -> VenueStatus {
    let all: Vec<RoomId> = (0..schedule.rooms().len()).map(RoomId).collect();
    let rooms = if rooms.is_empty() { &all[..] } else { rooms };
    let no_overrides = ChairState::default();
    let mut venue_wide: Vec<VenueItem> = Vec::new();
    let mut seen_venue_wide = Vec::new();
    let lines = rooms
        .iter()
        .map(|&room| {
            let status = status_at(schedule, room, now, &no_overrides, thresholds);
            if let Activity::Live(live) = &status.activity
                && live.venue_wide
                && !seen_venue_wide.contains(&live.session.id)
            {
                seen_venue_wide.push(live.session.id.clone());
                venue_wide.push(VenueItem {
                    title: live.session.display_title().to_owned(),
                    location: live.session.location.clone(),
                    ends_at: live.session.end,
                    kind: live.session.kind,
                });
            }
            room_line(&status)
        })
        .collect();
    VenueStatus {
        now,
        venue_wide,
        rooms: lines,
    }
}

/// A room's line from its status: the schedule's, or a room session's with its chair's
/// overrides.
pub fn room_line(status: &RoomStatus<'_>) -> RoomLine {
    let zone = status.time_zone;
    let mut line = RoomLine {
        room: status.room.name.clone(),
        state: LineState::Done,
        title: String::new(),
        speakers: String::new(),
        session: None,
        ends_at: None,
        phase: None,
        next_title: None,
        next_at: None,
        notes: Vec::new(),
        source: LineSource::Schedule,
    };
    if let Some(next) = &status.next {
        line.next_title = Some(next.session.display_title().to_owned());
        line.next_at = Some(next.at);
    }
    match &status.activity {
        Activity::Live(live) if live.venue_wide => line.state = LineState::VenueWide,
        Activity::Live(live) => {
            line.state = LineState::Live;
            line.ends_at = Some(live.countdown().end);
            line.phase = Some(live.phase);
            match &live.talk {
                Some(talk) => {
                    line.title = talk.talk.title.clone();
                    line.speakers = text::people_line(&talk.talk.speakers);
                    if live.session.display_title() != talk.talk.title {
                        line.session = Some(live.session.display_title().to_owned());
                    }
                    if talk.part == crate::timing::TalkPart::Questions {
                        line.notes.push("questions".to_owned());
                    }
                }
                None => line.title = live.session.display_title().to_owned(),
            }
            // Within a session, the next paper comes before the room's next item.
            if let Some(next) = live.remaining_talks.first() {
                line.next_title = Some(next.talk.title.clone());
                line.next_at = Some(next.slot.start);
            }
            if let Some(chair) = live.chair {
                if chair.paused {
                    line.notes.push("paused".to_owned());
                }
                let late = chair.delay.num_minutes();
                if late > 0 {
                    line.notes.push(format!(
                        "running {late} min late, ends {}",
                        text::time_of_day(chair.projected_session_end, zone)
                    ));
                }
            }
        }
        Activity::Between { .. } | Activity::BeforeEvent { .. } => {
            line.state = if status.next.is_some() {
                LineState::Waiting
            } else {
                LineState::Done
            };
        }
        Activity::RoomDone | Activity::AfterEvent => line.state = LineState::Done,
    }
    if let Some(message) = status.message {
        line.notes.push(format!("“{message}”"));
    }
    line
}

/// Which page of `count` lines, `per_page` at a time, is shown at `now` when pages turn every
/// `page_seconds`, and how many pages there are. Derived from the instant alone, so that every
/// hallway screen of the venue turns its pages together.
pub fn page_at(
    count: usize,
    per_page: usize,
    page_seconds: u32,
    now: DateTime<Utc>,
) -> (usize, usize) {
    let per_page = per_page.max(1);
    let pages = count.div_ceil(per_page).max(1);
    let turns = now.timestamp().div_euclid(i64::from(page_seconds.max(1)));
    (turns.rem_euclid(pages as i64) as usize, pages)
}

/// When the page shown at `now` turns, if there is more than one.
pub fn next_page_turn(
    pages: usize,
    page_seconds: u32,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if pages < 2 {
        return None;
    }
    let period = i64::from(page_seconds.max(1));
    let next = (now.timestamp().div_euclid(period) + 1) * period;
    DateTime::from_timestamp(next, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap_or_default()
    }

    #[test]
    fn pages_turn_together_and_wrap() {
        assert_eq!(page_at(22, 8, 10, instant(0)), (0, 3));
        assert_eq!(page_at(22, 8, 10, instant(9)), (0, 3));
        assert_eq!(page_at(22, 8, 10, instant(10)), (1, 3));
        assert_eq!(page_at(22, 8, 10, instant(29)), (2, 3));
        assert_eq!(page_at(22, 8, 10, instant(30)), (0, 3));
        assert_eq!(page_at(0, 8, 10, instant(30)), (0, 1));
        assert_eq!(page_at(5, 0, 0, instant(3)), (3, 5));
        assert_eq!(next_page_turn(3, 10, instant(12)), Some(instant(20)));
        assert_eq!(next_page_turn(1, 10, instant(12)), None);
    }
}
