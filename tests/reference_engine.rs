//! The timing engine held to an independent reference.
//!
//! [`Reference`] answers "what does this room show" the slow and obvious way, straight from
//! `docs/schedule-format.md` ("What a room shows"): it looks at every session of the room at
//! every query and never uses the room's timeline index. The tests then ask `status_at` and the
//! reference the same questions (which session, which talk, what is next and when, which
//! sessions make up the day's program) on generated schedules and on every real export the
//! importers are tested with. The chair's overrides are outside what the reference knows, so
//! every query uses an empty `ChairState`.

mod common;

use std::cell::OnceCell;
use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use lectern::chair::ChairState;
use lectern::formats::{LoadOptions, load_bytes};
use lectern::model::{Placement, RoomId, Schedule, Session};
use lectern::timing::{RoomStatus, Thresholds, status_at};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The reference engine
// ---------------------------------------------------------------------------------------------

/// What the documented rule says about one room. Everything is a linear scan over the room's
/// candidates, so that a mistake in the engine's indexing cannot be repeated here.
struct Reference<'a> {
    schedule: &'a Schedule,
    /// Positions in `schedule.sessions()` of the room's own sessions and the venue-wide ones.
    candidates: Vec<usize>,
    /// Every start and end of a candidate, sorted and without repeats: the rule's answer can
    /// only change at these instants.
    boundaries: Vec<DateTime<Utc>>,
    /// The sessions the rule picks at some instant, worked out on first use.
    ever_shown: OnceCell<BTreeSet<usize>>,
}

/// Whether a session is a venue-wide item. The doc speaks of `all_rooms` sessions, whatever
/// the number of rooms, so the placement alone decides.
fn venue_wide(session: &Session) -> bool {
    session.placement == Placement::AllRooms
}

impl<'a> Reference<'a> {
    fn new(schedule: &'a Schedule, room: RoomId) -> Self {
        let candidates: Vec<usize> = schedule
            .sessions()
            .iter()
            .enumerate()
            .filter(|(_, session)| {
                session.placement == Placement::Room(room) || venue_wide(session)
            })
            .map(|(index, _)| index)
            .collect();
        let mut boundaries: Vec<DateTime<Utc>> = candidates
            .iter()
            .flat_map(|&index| {
                let session = &schedule.sessions()[index];
                [session.start, session.end]
            })
            .collect();
        boundaries.sort();
        boundaries.dedup();
        Reference {
            schedule,
            candidates,
            boundaries,
            ever_shown: OnceCell::new(),
        }
    }

    fn session(&self, index: usize) -> &'a Session {
        &self.schedule.sessions()[index]
    }

    /// The session the room shows at `t`: among those with start ≤ t < end, the room's own
    /// before venue-wide ones, then the latest start, then the earliest end, then the first in
    /// the file (the lowest position, since sessions keep file order among equal starts).
    fn shown(&self, t: DateTime<Utc>) -> Option<usize> {
        self.candidates
            .iter()
            .copied()
            .filter(|&index| {
                let session = self.session(index);
                session.start <= t && t < session.end
            })
            .min_by_key(|&index| {
                let session = self.session(index);
                (
                    venue_wide(session),
                    Reverse(session.start),
                    session.end,
                    index,
                )
            })
    }

    /// How many of the room's sessions are on at `t`.
    fn running(&self, t: DateTime<Utc>) -> usize {
        self.candidates
            .iter()
            .filter(|&&index| {
                let session = self.session(index);
                session.start <= t && t < session.end
            })
            .count()
    }

    /// The ids of the talks of the shown session whose time contains `t`. The doc speaks of
    /// "the one", but explicit durations can make a talk run into the next one's explicit
    /// start; then every talk that contains `t` is an acceptable answer.
    fn talks(&self, t: DateTime<Utc>) -> Vec<&'a str> {
        self.shown(t).map_or_else(Vec::new, |index| {
            self.session(index)
                .talks
                .iter()
                .filter(|talk| talk.start <= t && t < talk.end)
                .map(|talk| talk.id.0.as_str())
                .collect()
        })
    }

    /// What the room shows next and from when: the first boundary after `t` at which the rule
    /// picks a session other than the one shown at `t`. An instant at which nothing is shown
    /// names nothing, so the scan goes on past it.
    fn next(&self, t: DateTime<Utc>) -> Option<(usize, DateTime<Utc>)> {
        let now = self.shown(t);
        self.boundaries
            .iter()
            .copied()
            .filter(|&u| u > t)
            .find_map(|u| match self.shown(u) {
                Some(index) if Some(index) != now => Some((index, u)),
                _ => None,
            })
    }

    /// The day's program: the sessions that start on conference day `day` and that the room
    /// shows at some instant. The rule's answer is constant between boundaries, so asking it at
    /// every boundary finds every session it ever picks.
    fn program(&self, day: NaiveDate) -> BTreeSet<usize> {
        let shown = self.ever_shown.get_or_init(|| {
            self.boundaries
                .iter()
                .filter_map(|&instant| self.shown(instant))
                .collect()
        });
        shown
            .iter()
            .copied()
            .filter(|&index| self.schedule.conference_day(self.session(index).start) == day)
            .collect()
    }

    /// Every start and end of the room's sessions and of their talks.
    fn all_boundaries(&self) -> Vec<DateTime<Utc>> {
        let mut instants = self.boundaries.clone();
        for &index in &self.candidates {
            for talk in &self.session(index).talks {
                instants.push(talk.start);
                instants.push(talk.end);
            }
        }
        instants.sort();
        instants.dedup();
        instants
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing the engine with the reference
// ---------------------------------------------------------------------------------------------

/// What was compared, for the summary of a run: how often the cases that the rule is about
/// came up, so that a generator that stopped producing them would be noticed.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    queries: usize,
    /// Queries at which more than one session was on, so that the rule had to choose.
    overlaps: usize,
    /// Queries at which the next item is shown later than it starts.
    next_later: usize,
    /// Queries at which more than one talk of the shown session contained the instant.
    ambiguous_talks: usize,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.queries += other.queries;
        self.overlaps += other.overlaps;
        self.next_later += other.next_later;
        self.ambiguous_talks += other.ambiguous_talks;
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} queries ({} with sessions overlapping, {} with next shown after its start, {} with talks overlapping)",
            self.queries, self.overlaps, self.next_later, self.ambiguous_talks
        )
    }
}

/// Compares the engine with the reference for one room at one instant; the error says what
/// differs, with the room and the instant.
fn compare(
    reference: &Reference<'_>,
    status: &RoomStatus<'_>,
    tally: &mut Tally,
) -> Result<(), String> {
    let schedule = reference.schedule;
    let now = status.now;
    let id = |index: usize| schedule.sessions()[index].id.0.as_str();
    // Only a failure needs the place spelled out.
    let place = || {
        format!(
            "room {} at {} ({})",
            status.room.name,
            now.to_rfc3339(),
            now.with_timezone(&schedule.event().time_zone)
                .format("%Y-%m-%d %H:%M:%S%.3f %Z")
        )
    };
    tally.queries += 1;
    if reference.running(now) > 1 {
        tally.overlaps += 1;
    }

    let expected_shown = reference.shown(now).map(id);
    let actual_shown = status.live().map(|live| live.session.id.0.as_str());
    if expected_shown != actual_shown {
        return Err(format!(
            "{}: shown session: expected {expected_shown:?}, engine {actual_shown:?}",
            place()
        ));
    }

    let expected_talks = reference.talks(now);
    let actual_talk = status
        .live()
        .and_then(|live| live.talk.as_ref())
        .map(|talk| talk.talk.id.0.as_str());
    if expected_talks.len() > 1 {
        tally.ambiguous_talks += 1;
    }
    let talk_agrees = match actual_talk {
        None => expected_talks.is_empty(),
        Some(talk) => expected_talks.contains(&talk),
    };
    if !talk_agrees {
        return Err(format!(
            "{}: talk: expected one of {expected_talks:?}, engine {actual_talk:?}",
            place()
        ));
    }

    let expected_next = reference.next(now).map(|(index, at)| (id(index), at));
    let actual_next = status
        .next
        .as_ref()
        .map(|next| (next.session.id.0.as_str(), next.at));
    if expected_next != actual_next {
        return Err(format!(
            "{}: next: expected {expected_next:?}, engine {actual_next:?}",
            place()
        ));
    }
    if let Some(next) = &status.next
        && next.at != next.session.start
    {
        tally.next_later += 1;
    }
    if let Some(next) = &status.next
        && next.starts_in != next.at - now
    {
        return Err(format!(
            "{}: next {} starts in {} but is shown from {}",
            place(),
            next.session.id,
            next.starts_in,
            next.at.to_rfc3339()
        ));
    }

    if status.today != schedule.conference_day(now) {
        return Err(format!(
            "{}: today is {}, engine says {}",
            place(),
            schedule.conference_day(now),
            status.today
        ));
    }
    // The field's own description: today's program while the room is live, else that of the
    // day of the next item. Whether that day is the one the next item starts on or the one
    // the room starts showing it on is not said, so either is taken.
    let expected_days: Vec<NaiveDate> = match (status.live(), &status.next) {
        (Some(_), _) => vec![status.today],
        (None, Some(next)) => vec![
            schedule.conference_day(next.session.start),
            schedule.conference_day(next.at),
        ],
        (None, None) => Vec::new(),
    };
    let day_agrees = match status.agenda_day {
        Some(day) => expected_days.contains(&day),
        None => expected_days.is_empty(),
    };
    if !day_agrees {
        return Err(format!(
            "{}: the program is of {:?}, expected one of {expected_days:?}",
            place(),
            status.agenda_day
        ));
    }
    let actual_program: Vec<&str> = status
        .agenda
        .iter()
        .map(|entry| entry.session.id.0.as_str())
        .collect();
    let Some(day) = status.agenda_day else {
        return if actual_program.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{}: a program {actual_program:?} without a day",
                place()
            ))
        };
    };
    let expected_program: BTreeSet<&str> = reference.program(day).into_iter().map(id).collect();
    let actual_set: BTreeSet<&str> = actual_program.iter().copied().collect();
    if expected_program != actual_set || actual_set.len() != actual_program.len() {
        return Err(format!(
            "{}: program of {day}: expected {expected_program:?} (in order of start), engine {actual_program:?}",
            place()
        ));
    }
    // The doc orders the program by start and says nothing about equal starts, so only the
    // order of start is held to.
    if status
        .agenda
        .windows(2)
        .any(|pair| pair[0].session.start > pair[1].session.start)
    {
        return Err(format!(
            "{}: program of {day} is not in order of start: {actual_program:?}",
            place()
        ));
    }
    Ok(())
}

/// Asks the engine about `room` at `now` and compares.
fn check_at(
    schedule: &Schedule,
    reference: &Reference<'_>,
    room: RoomId,
    now: DateTime<Utc>,
    tally: &mut Tally,
) -> Result<(), String> {
    let chair = ChairState::default();
    let status = status_at(schedule, room, now, &chair, &Thresholds::default());
    compare(reference, &status, tally)
}

/// Every boundary of the room's sessions and talks, and the instants a second and a
/// millisecond either side of it.
fn around_boundaries(reference: &Reference<'_>) -> Vec<DateTime<Utc>> {
    let near = [
        Duration::zero(),
        Duration::seconds(1),
        -Duration::seconds(1),
        Duration::milliseconds(1),
        -Duration::milliseconds(1),
    ];
    reference
        .all_boundaries()
        .into_iter()
        .flat_map(|b| near.map(|delta| b + delta))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Generated schedules
// ---------------------------------------------------------------------------------------------

/// A zone and an instant close to one of its DST changes, around which a case's sessions are
/// placed (times up to a day either side, so midnight and the day change are crossed too).
const ANCHORS: &[(&str, &str)] = &[
    // Berlin: 02:00 becomes 03:00 on 31 March 2024; 03:00 becomes 02:00 on 27 October.
    ("Europe/Berlin", "2024-03-31T01:00:00Z"),
    ("Europe/Berlin", "2024-10-27T01:00:00Z"),
    // New York: 02:00 becomes 03:00 on 10 March 2024; 02:00 becomes 01:00 on 3 November.
    ("America/New_York", "2024-03-10T07:00:00Z"),
    ("America/New_York", "2024-11-03T06:00:00Z"),
    // Lord Howe moves by half an hour: 02:00 becomes 01:30 on 7 April 2024 and 02:30 on
    // 6 October.
    ("Australia/Lord_Howe", "2024-04-06T15:00:00Z"),
    ("Australia/Lord_Howe", "2024-10-05T15:30:00Z"),
    // A zone without changes, as a control.
    ("UTC", "2024-06-01T12:00:00Z"),
];

/// Day changes to try: the default (none given), midnight, and times that fall into the
/// spring gap of one zone or another (02:15 is in all three gaps), or into an autumn fold
/// (01:45 in Lord Howe's, 02:15 in Berlin's), or into none.
const DAY_CHANGES: &[Option<&str>] = &[
    None,
    Some("00:00"),
    Some("01:45"),
    Some("02:15"),
    Some("03:30"),
    Some("06:00"),
];

/// Session lengths in minutes, few enough that equal ends are common.
const LENGTHS: &[i64] = &[5, 15, 30, 45, 60, 90, 120, 180, 300, 600];

/// How a session's time relates to the sessions generated before it.
#[derive(Debug, Clone)]
enum Relation {
    /// A start on the half-hour grid around the anchor, `slot` half-hours away.
    Fresh { slot: i64, odd_seconds: bool },
    /// The same start as an earlier session (which one: modulo how many there are).
    SameStart(usize),
    /// Exactly the same room, start and end as an earlier session: a slot exported twice.
    Duplicate(usize),
    /// Starting inside an earlier session, `permille` of the way through it.
    Inside(usize, u16),
}

/// How a talk's duration is written.
#[derive(Debug, Clone)]
enum TalkDuration {
    None,
    Minutes(u8),
    /// 7.3333 minutes: not a whole number of seconds, so talk times fall between seconds.
    Fractional,
    HoursMinutes(u8),
    Iso(u8),
}

#[derive(Debug, Clone)]
struct TalkSpec {
    duration: TalkDuration,
    /// An explicit start, `permille` of the way through the session (moved later if needed
    /// so that talks stay in order).
    start: Option<u16>,
}

#[derive(Debug, Clone)]
struct SessionSpec {
    /// 0: no room (the default room), 1: venue-wide, else a room by name.
    room: u8,
    relation: Relation,
    length: usize,
    /// How each of its times is written: as UTC, with the local offset, or as local time.
    styles: [u8; 2],
    talks: Vec<TalkSpec>,
}

#[derive(Debug, Clone)]
struct Spec {
    anchor: usize,
    rooms: usize,
    default_room: Option<usize>,
    /// A position in [`DAY_CHANGES`].
    day_change: usize,
    sessions: Vec<SessionSpec>,
    /// Instants to ask about besides the boundaries, in milliseconds from the anchor.
    probes: Vec<i64>,
}

/// A generated schedule as native JSON, and the instants to probe.
struct Case {
    json: String,
    probes: Vec<DateTime<Utc>>,
}

impl std::fmt::Debug for Case {
    // The JSON is printed as it is, so that a failing case can be pasted into a file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.json)?;
        write!(f, "{} random instants", self.probes.len())
    }
}

fn relation() -> impl Strategy<Value = Relation> {
    prop_oneof![
        4 => (-24i64..24, proptest::bool::weighted(0.2))
            .prop_map(|(slot, odd_seconds)| Relation::Fresh { slot, odd_seconds }),
        2 => any::<usize>().prop_map(Relation::SameStart),
        1 => any::<usize>().prop_map(Relation::Duplicate),
        2 => (any::<usize>(), 0u16..1000).prop_map(|(of, at)| Relation::Inside(of, at)),
    ]
}

fn talk_spec() -> impl Strategy<Value = TalkSpec> {
    let duration = prop_oneof![
        3 => Just(TalkDuration::None),
        2 => (1u8..40).prop_map(TalkDuration::Minutes),
        2 => Just(TalkDuration::Fractional),
        1 => (1u8..40).prop_map(TalkDuration::HoursMinutes),
        1 => (1u8..40).prop_map(TalkDuration::Iso),
    ];
    let start = proptest::option::weighted(0.25, 0u16..1000);
    (duration, start).prop_map(|(duration, start)| TalkSpec { duration, start })
}

fn session_spec() -> impl Strategy<Value = SessionSpec> {
    (
        0u8..6,
        relation(),
        0..LENGTHS.len(),
        [0u8..3, 0u8..3],
        proptest::collection::vec(talk_spec(), 0..5),
    )
        .prop_map(|(room, relation, length, styles, talks)| SessionSpec {
            room,
            relation,
            length,
            styles,
            talks,
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..ANCHORS.len(),
        1usize..5,
        proptest::option::of(0usize..4),
        0..DAY_CHANGES.len(),
        proptest::collection::vec(session_spec(), 1..16),
        proptest::collection::vec(-40 * 3_600_000i64..40 * 3_600_000, 0..40),
    )
        .prop_map(
            |(anchor, rooms, default_room, day_change, sessions, probes)| Spec {
                anchor,
                rooms,
                default_room: default_room.filter(|&room| room < rooms),
                day_change,
                sessions,
                probes,
            },
        )
}

/// Writes an instant as the schedule format allows: in UTC, with the zone's offset at that
/// instant, or as a local time (where that local time is unambiguous; UTC otherwise).
fn write_instant(instant: DateTime<Utc>, zone: Tz, style: u8) -> String {
    let local = instant.with_timezone(&zone);
    let seconds = if instant.timestamp() % 60 == 0 && style == 2 {
        "%Y-%m-%dT%H:%M"
    } else {
        "%Y-%m-%dT%H:%M:%S"
    };
    match style {
        1 => local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        2 if zone
            .from_local_datetime(&local.naive_local())
            .single()
            .is_some() =>
        {
            local.naive_local().format(seconds).to_string()
        }
        _ => instant.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

fn build_case(spec: &Spec) -> Case {
    let (zone_name, anchor_text) = ANCHORS[spec.anchor];
    let zone: Tz = zone_name.parse().expect("a known zone");
    let anchor = DateTime::parse_from_rfc3339(anchor_text)
        .expect("an RFC 3339 anchor")
        .with_timezone(&Utc);

    let rooms: Vec<String> = (0..spec.rooms).map(|room| format!("R{room}")).collect();
    let mut event = serde_json::json!({
        "name": "Generated",
        "time_zone": zone_name,
    });
    if let Some(room) = spec.default_room {
        event["default_room"] = serde_json::json!(rooms[room]);
    }
    if let Some(day_change) = DAY_CHANGES[spec.day_change] {
        event["day_change"] = serde_json::json!(day_change);
    }

    // Times and rooms of the sessions generated so far, for the relations to refer to.
    let mut placed: Vec<(DateTime<Utc>, DateTime<Utc>, u8)> = Vec::new();
    let mut sessions = Vec::new();
    for (index, session) in spec.sessions.iter().enumerate() {
        let length = Duration::minutes(LENGTHS[session.length]);
        let earlier = |of: usize| placed[of % placed.len()];
        let (start, end, room) = match session.relation {
            Relation::SameStart(of) if !placed.is_empty() => {
                let start = earlier(of).0;
                (start, start + length, session.room)
            }
            Relation::Duplicate(of) if !placed.is_empty() => earlier(of),
            Relation::Inside(of, at) if !placed.is_empty() => {
                let (outer_start, outer_end, _) = earlier(of);
                let offset = (outer_end - outer_start).num_seconds() * i64::from(at) / 1000;
                let start = outer_start + Duration::seconds(offset);
                (start, start + length, session.room)
            }
            Relation::Fresh { slot, odd_seconds } => {
                let jitter = if odd_seconds { 17 * slot.abs() + 7 } else { 0 };
                let start = anchor + Duration::minutes(30 * slot) + Duration::seconds(jitter);
                (start, start + length, session.room)
            }
            // A relation to an earlier session, for the first session: the anchor itself.
            _ => (anchor, anchor + length, session.room),
        };
        placed.push((start, end, room));

        let mut value = serde_json::json!({
            "id": format!("s{index}"),
            "start": write_instant(start, zone, session.styles[0]),
            "end": write_instant(end, zone, session.styles[1]),
        });
        match room {
            0 => {}
            1 => value["all_rooms"] = serde_json::json!(true),
            named => {
                value["room"] = serde_json::json!(rooms[usize::from(named - 2) % rooms.len()]);
            }
        }
        let mut previous_start = start;
        let talks: Vec<serde_json::Value> = session
            .talks
            .iter()
            .enumerate()
            .map(|(number, talk)| {
                let mut value = serde_json::json!({
                    "id": format!("t{number}"),
                    "title": format!("Talk {number}"),
                });
                match talk.duration {
                    TalkDuration::None => {}
                    TalkDuration::Minutes(minutes) => {
                        value["duration"] = serde_json::json!(minutes)
                    }
                    TalkDuration::Fractional => value["duration"] = serde_json::json!(7.3333),
                    TalkDuration::HoursMinutes(minutes) => {
                        value["duration"] = serde_json::json!(format!("0:{minutes:02}"));
                    }
                    TalkDuration::Iso(minutes) => {
                        value["duration"] = serde_json::json!(format!("PT{minutes}M"));
                    }
                }
                if let Some(at) = talk.start {
                    let offset = (end - start).num_seconds() * i64::from(at) / 1000;
                    let talk_start = (start + Duration::seconds(offset)).max(previous_start);
                    previous_start = talk_start;
                    value["start"] =
                        serde_json::json!(write_instant(talk_start, zone, session.styles[0]));
                }
                value
            })
            .collect();
        if !talks.is_empty() {
            value["talks"] = serde_json::Value::Array(talks);
        }
        sessions.push(value);
    }

    let document = serde_json::json!({
        "version": 1,
        "event": event,
        "rooms": rooms,
        "sessions": sessions,
    });
    Case {
        json: serde_json::to_string_pretty(&document).expect("JSON"),
        probes: spec
            .probes
            .iter()
            .map(|&ms| anchor + Duration::milliseconds(ms))
            .collect(),
    }
}

fn case() -> impl Strategy<Value = Case> {
    spec().prop_map(|spec| build_case(&spec))
}

/// Loads a generated schedule, which is always valid (overlaps are only warnings).
fn load_generated(json: &str) -> Schedule {
    match load_bytes(json.as_bytes(), &LoadOptions::default()) {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!(
            "a generated schedule should load:\n{}\n{json}",
            error.render("generated.json")
        ),
    }
}

/// Checks every room of a schedule at the given instants and at every boundary.
fn check_schedule(
    schedule: &Schedule,
    extra: &[DateTime<Utc>],
    tally: &mut Tally,
) -> Result<(), String> {
    for room in 0..schedule.rooms().len() {
        let room = RoomId(room);
        let reference = Reference::new(schedule, room);
        let mut instants = around_boundaries(&reference);
        instants.extend_from_slice(extra);
        for now in instants {
            check_at(schedule, &reference, room, now, tally)?;
        }
    }
    Ok(())
}

/// How many generated schedules are tried: enough to meet every relation, zone and duration
/// style many times over, few enough for a debug build on two cores. `PROPTEST_CASES` asks for
/// more, for a longer search by hand.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(256)
}

#[test]
fn the_engine_agrees_with_the_reference_on_generated_schedules() {
    // A runner rather than the `proptest!` macro, so that the number of queries can be told.
    let config = ProptestConfig {
        cases: cases(),
        source_file: Some(file!()),
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let total = std::cell::Cell::new(Tally::default());
    let started = std::time::Instant::now();
    let result = runner.run(&case(), |case| {
        let schedule = load_generated(&case.json);
        let mut tally = Tally::default();
        let outcome = check_schedule(&schedule, &case.probes, &mut tally);
        let mut sum = total.get();
        sum.add(tally);
        total.set(sum);
        outcome.map_err(TestCaseError::fail)
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    println!(
        "{} schedules, {} in {:.1?}",
        cases(),
        total.get(),
        started.elapsed()
    );
}

/// A day change that falls into the hour a DST change repeats makes the local time before it
/// happen twice. The day change counts from its first occurrence (`Schedule::day_start`), and
/// the conference day of an instant is decided against that instant, so a session in the
/// repeated hour is live and listed on the same conference day.
#[test]
fn a_day_change_inside_the_autumn_fold_keeps_a_live_session_in_its_program() {
    // (zone, day change, the session's start in the repeated hour), one per zone.
    let cases = [
        ("Europe/Berlin", "02:30", "2024-10-27T02:00:00+01:00"),
        ("America/New_York", "01:30", "2024-11-03T01:00:00-05:00"),
        ("Australia/Lord_Howe", "01:45", "2024-04-07T01:30:00+10:30"),
    ];
    let mut differences = Vec::new();
    for (zone, day_change, start) in cases {
        let start = DateTime::parse_from_rfc3339(start)
            .expect("a time")
            .with_timezone(&Utc);
        let document = serde_json::json!({
            "version": 1,
            "event": { "name": "Fold", "time_zone": zone, "day_change": day_change },
            "rooms": ["R0"],
            "sessions": [{
                "id": "s0",
                "start": start.to_rfc3339(),
                "end": (start + Duration::minutes(5)).to_rfc3339(),
            }],
        });
        let schedule = load_generated(&document.to_string());
        let reference = Reference::new(&schedule, RoomId(0));
        if let Err(difference) = check_at(
            &schedule,
            &reference,
            RoomId(0),
            start,
            &mut Tally::default(),
        ) {
            differences.push(format!("{zone}, day change {day_change}: {difference}"));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases of the doc's examples, so that the rule itself is pinned down
// ---------------------------------------------------------------------------------------------

/// A two-room schedule in UTC with one session per entry: (id, room or "*" for venue-wide,
/// start, end), times as `HH:MM` on 1 June 2024.
fn small(sessions: &[(&str, &str, &str, &str)]) -> Schedule {
    let sessions: Vec<serde_json::Value> = sessions
        .iter()
        .map(|&(id, room, start, end)| {
            let mut value = serde_json::json!({
                "id": id,
                "start": format!("2024-06-01T{start}"),
                "end": format!("2024-06-01T{end}"),
            });
            if room == "*" {
                value["all_rooms"] = serde_json::json!(true);
            } else {
                value["room"] = serde_json::json!(room);
            }
            value
        })
        .collect();
    let document = serde_json::json!({
        "version": 1,
        "event": { "name": "Small", "time_zone": "UTC" },
        "rooms": ["A", "B"],
        "sessions": sessions,
    });
    load_generated(&document.to_string())
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("2024-06-01T{text}:00Z"))
        .expect("a time")
        .with_timezone(&Utc)
}

/// What the reference says for room A at `time`: (shown, next, next's time).
fn reference_says(schedule: &Schedule, time: &str) -> (Option<String>, Option<(String, String)>) {
    let reference = Reference::new(schedule, RoomId(0));
    let id = |index: usize| schedule.sessions()[index].id.0.clone();
    let now = utc(time);
    (
        reference.shown(now).map(id),
        reference
            .next(now)
            .map(|(index, at)| (id(index), at.format("%H:%M").to_string())),
    )
}

#[test]
fn the_reference_follows_the_examples_of_the_doc() {
    // A lunch for everyone is hidden while the room has its own session on, and shows again.
    let lunch = small(&[
        ("lunch", "*", "12:00", "14:00"),
        ("demo", "A", "12:30", "13:00"),
    ]);
    assert_eq!(
        reference_says(&lunch, "12:10"),
        (Some("lunch".into()), Some(("demo".into(), "12:30".into())))
    );
    assert_eq!(
        reference_says(&lunch, "12:40"),
        (Some("demo".into()), Some(("lunch".into(), "13:00".into())))
    );
    // A venue-wide item hidden for its whole length is never shown, named next or listed.
    let hidden = small(&[
        ("talks", "A", "12:00", "14:00"),
        ("lunch", "*", "12:30", "13:00"),
    ]);
    assert_eq!(
        reference_says(&hidden, "11:00"),
        (None, Some(("talks".into(), "12:00".into())))
    );
    assert_eq!(
        reference_says(&hidden, "12:10"),
        (Some("talks".into()), None)
    );
    let reference = Reference::new(&hidden, RoomId(0));
    assert_eq!(
        reference
            .program(NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date"))
            .len(),
        1
    );
    // A 5-minute introduction opens a 2-hour block: first the introduction, then the block.
    let nested = small(&[
        ("block", "A", "09:00", "11:00"),
        ("intro", "A", "09:00", "09:05"),
    ]);
    assert_eq!(
        reference_says(&nested, "08:00"),
        (None, Some(("intro".into(), "09:00".into())))
    );
    assert_eq!(
        reference_says(&nested, "09:01"),
        (Some("intro".into()), Some(("block".into(), "09:05".into())))
    );
    // A session that begins inside a longer one takes over; the longer one comes back.
    let inside = small(&[
        ("long", "A", "09:00", "12:00"),
        ("short", "A", "10:00", "10:30"),
    ]);
    assert_eq!(
        reference_says(&inside, "10:10"),
        (Some("short".into()), Some(("long".into(), "10:30".into())))
    );
    // A slot exported twice: the first in the file is shown, the other never.
    let twice = small(&[
        ("first", "A", "09:00", "10:00"),
        ("second", "A", "09:00", "10:00"),
    ]);
    assert_eq!(
        reference_says(&twice, "09:30"),
        (Some("first".into()), None)
    );
    // Another room's session is no candidate.
    let other = small(&[("there", "B", "09:00", "10:00")]);
    assert_eq!(reference_says(&other, "09:30"), (None, None));

    // And the engine says the same at every boundary of these examples.
    for schedule in [&lunch, &hidden, &nested, &inside, &twice, &other] {
        if let Err(difference) = check_schedule(schedule, &[], &mut Tally::default()) {
            panic!("{difference}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The real exports
// ---------------------------------------------------------------------------------------------

/// Loads a real export as `tests/import.rs` does.
fn load_export(name: &str, zone: Option<Tz>) -> Schedule {
    load_page(name, zone, None)
}

/// Loads a real export, with the year for a program page that names none.
fn load_page(name: &str, zone: Option<Tz>, year: Option<i32>) -> Schedule {
    let path = common::data_dir().join("import").join(name);
    let bytes = std::fs::read(&path).expect("fixture exists");
    let options = LoadOptions {
        time_zone: zone,
        year,
        ..LoadOptions::default()
    };
    match load_bytes(&bytes, &options) {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!("{name} should load:\n{}", error.render(name)),
    }
}

#[test]
fn the_engine_agrees_with_the_reference_on_every_real_export_minute_by_minute() {
    let denver = Some(chrono_tz::America::Denver);
    let schedules = [
        (
            "frab camp2019",
            load_export("frab_camp2019_schedule.json", None),
        ),
        (
            "38C3 schedule2",
            load_export("c3hub_38c3_schedule2_excerpt.json", None),
        ),
        (
            "FOSDEM 2010",
            load_export(
                "pentabarf_fosdem2010_schedule.xml",
                Some(chrono_tz::Europe::Brussels),
            ),
        ),
        (
            "linux.conf.au 2020",
            load_export("ics_linux_conf_au_2020.ics", None),
        ),
        (
            "HotOS 2005 page",
            load_export("usenix_hotos05_program_excerpt.txt", denver),
        ),
        (
            "HotOS 2013 page",
            load_export("../hotos-2013-program.txt", denver),
        ),
        ("HotOS 2013 built in", common::hotos()),
        // USENIX pages of other years, in their venues' zones: tables, at-a-glance pages with
        // parallel tracks, breaks inside sessions.
        (
            "NSDI 2015 page",
            load_page(
                "usenix_nsdi_2015.txt",
                Some(chrono_tz::America::Los_Angeles),
                None,
            ),
        ),
        (
            "OSDI 2008 page",
            load_page(
                "usenix_osdi_2008.txt",
                Some(chrono_tz::America::Los_Angeles),
                None,
            ),
        ),
        (
            "OSDI 2010 page",
            load_page(
                "usenix_osdi_2010.txt",
                Some(chrono_tz::America::Vancouver),
                Some(2010),
            ),
        ),
        (
            "USENIX ATC 2009 page",
            load_page(
                "usenix_atc_2009.txt",
                Some(chrono_tz::America::Los_Angeles),
                None,
            ),
        ),
        (
            "FAST 2012 at a glance",
            load_page(
                "usenix_fast_2012.txt",
                Some(chrono_tz::America::Los_Angeles),
                Some(2012),
            ),
        ),
        (
            "OSDI 2014 at a glance",
            load_page("usenix_osdi_2014.txt", denver, None),
        ),
        (
            "HotOS 2017 page",
            load_page(
                "usenix_hotos_2017.txt",
                Some(chrono_tz::America::Vancouver),
                Some(2017),
            ),
        ),
        (
            "HotOS 2003 page",
            load_page(
                "usenix_hotos_2003.txt",
                Some(chrono_tz::Pacific::Honolulu),
                None,
            ),
        ),
    ];
    let started = std::time::Instant::now();
    let mut report = String::new();
    let mut total = Tally::default();
    for (name, schedule) in &schedules {
        let mut tally = Tally::default();
        for room in 0..schedule.rooms().len() {
            let room = RoomId(room);
            let reference = Reference::new(schedule, room);
            // Every minute of the event, an hour either side, and every boundary of the room.
            let (first, last) = (schedule.first_start(), schedule.last_end());
            let from = first - Duration::hours(1);
            let minutes = (last - first + Duration::hours(2)).num_minutes();
            let mut instants: Vec<DateTime<Utc>> = (0..=minutes)
                .map(|minute| from + Duration::minutes(minute))
                .collect();
            instants.extend(around_boundaries(&reference));
            for now in instants {
                if let Err(difference) = check_at(schedule, &reference, room, now, &mut tally) {
                    panic!("{name}: {difference}");
                }
            }
        }
        let _ = writeln!(report, "{name}: {} rooms, {tally}", schedule.rooms().len());
        total.add(tally);
    }
    println!("{report}all: {total} in {:.1?}", started.elapsed());
}
