//! The hallway screen's facts: every room of real exports against a naive reading of the
//! rules, minute by minute; the live feed of a room's own lectern over a real socket; and the
//! window through egui_kittest.

mod common;

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use lectern::chair::ChairCommand;
use lectern::feed::{FeedSpec, RoomFeeds};
use lectern::formats::LoadOptions;
use lectern::model::{Placement, RoomId, Schedule, Session};
use lectern::session::lock;
use lectern::timing::Thresholds;
use lectern::venue::{LineSource, LineState, venue_at};

fn load_export(name: &str, zone: Option<Tz>) -> Schedule {
    let path = common::data_dir().join("import").join(name);
    let options = LoadOptions {
        time_zone: zone,
        ..LoadOptions::default()
    };
    match lectern::source::load_file(&path, &options) {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!("{name} loads: {error}"),
    }
}

/// What a room shows at `now`, read from docs/schedule-format.md ("What a room shows") by
/// the plainest means: every session of the program looked at.
fn naive_shown(schedule: &Schedule, room: RoomId, now: DateTime<Utc>) -> Option<&Session> {
    let running = |placement_matches: &dyn Fn(&Session) -> bool| {
        let mut best: Option<(usize, &Session)> = None;
        for (index, session) in schedule.sessions().iter().enumerate() {
            if !(placement_matches(session) && session.start <= now && now < session.end) {
                continue;
            }
            let better = match best {
                None => true,
                Some((best_index, other)) => {
                    (std::cmp::Reverse(session.start), session.end, index)
                        < (std::cmp::Reverse(other.start), other.end, best_index)
                }
            };
            if better {
                best = Some((index, session));
            }
        }
        best.map(|(_, session)| session)
    };
    running(&|session| session.placement == Placement::Room(room))
        .or_else(|| running(&|session| session.placement == Placement::AllRooms))
}

#[test]
fn every_room_of_real_exports_shows_what_the_rules_say() {
    let exports = [
        (
            load_export(
                "pentabarf_fosdem2010_schedule.xml",
                Some(chrono_tz::Europe::Brussels),
            ),
            "FOSDEM 2010",
        ),
        (load_export("frab_camp2019_schedule.json", None), "camp2019"),
        (load_export("ics_linux_conf_au_2020.ics", None), "LCA 2020"),
    ];
    for (schedule, name) in &exports {
        let mut checked = 0;
        let mut now = schedule.first_start() - Duration::minutes(30);
        while now < schedule.last_end() + Duration::minutes(30) {
            let venue = venue_at(schedule, &[], now, &Thresholds::default());
            assert_eq!(venue.rooms.len(), schedule.rooms().len());
            let mut venue_wide_now = Vec::new();
            for (index, line) in venue.rooms.iter().enumerate() {
                let room = RoomId(index);
                assert_eq!(line.room, schedule.room(room).name);
                let expected = naive_shown(schedule, room, now);
                match expected {
                    Some(session) if session.placement == Placement::AllRooms => {
                        assert_eq!(line.state, LineState::VenueWide, "{name} {now}");
                        if !venue_wide_now.contains(&session.id) {
                            venue_wide_now.push(session.id.clone());
                        }
                    }
                    Some(session) => {
                        assert_eq!(line.state, LineState::Live, "{name} {now} {}", line.room);
                        let talk = session
                            .talks
                            .iter()
                            .find(|talk| talk.start <= now && now < talk.end);
                        let (title, end) = match talk {
                            Some(talk) => (talk.title.as_str(), talk.end - talk.qa),
                            None => (session.display_title(), session.end),
                        };
                        assert_eq!(line.title, title, "{name} {now} {}", line.room);
                        // The countdown runs to the talk's questions, or to its end.
                        let expected_end = match talk {
                            Some(talk) if now >= end => talk.end,
                            _ => end,
                        };
                        assert_eq!(line.ends_at, Some(expected_end), "{name} {now}");
                    }
                    None => assert!(
                        matches!(line.state, LineState::Waiting | LineState::Done),
                        "{name} {now} {}: {:?}",
                        line.room,
                        line.state
                    ),
                }
                if let Some(next_at) = line.next_at {
                    assert!(next_at > now, "{name} {now}: what is next is later");
                }
                checked += 1;
            }
            // A venue-wide item is listed once, however many rooms it fills.
            assert_eq!(venue.venue_wide.len(), venue_wide_now.len(), "{name} {now}");
            now += Duration::minutes(5);
        }
        assert!(checked > 1000, "{name}: {checked} lines checked");
    }
}

#[test]
fn only_the_rooms_asked_for_in_their_order() {
    let schedule = load_export(
        "pentabarf_fosdem2010_schedule.xml",
        Some(chrono_tz::Europe::Brussels),
    );
    let chosen = [
        common::room(&schedule, "Ferrer"),
        common::room(&schedule, "Janson"),
    ];
    let now = common::at(&schedule, "2010-02-06T14:10");
    let venue = venue_at(&schedule, &chosen, now, &Thresholds::default());
    let names: Vec<&str> = venue.rooms.iter().map(|line| line.room.as_str()).collect();
    assert_eq!(names, ["Ferrer", "Janson"]);
    assert_eq!(
        venue.rooms[0].title,
        "PortableApps.com: The PortableApps.com Platform, an Introduction and Overview"
    );
}

/// Waits until `check` holds of the feed's line for `room`, or fails after a few seconds.
fn wait_for_line(
    feeds: &RoomFeeds,
    schedule: &Schedule,
    now: DateTime<Utc>,
    check: impl Fn(&lectern::venue::RoomLine) -> bool,
) -> lectern::venue::RoomLine {
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let mut venue = venue_at(schedule, &[], now, &Thresholds::default());
        feeds.lay_in(&mut venue, now);
        let line = venue.rooms[0].clone();
        if check(&line) {
            return line;
        }
        assert!(
            Instant::now() < deadline,
            "the feed never said so: {line:?}"
        );
        std::thread::sleep(StdDuration::from_millis(20));
    }
}

#[test]
fn a_rooms_own_lectern_feeds_the_overview_and_its_loss_is_said() {
    // The room's lectern: HotOS at 09:21, where the chair started paper 2 six minutes late.
    let (session, server) = common::served_hotos("2013-05-13T09:21", 0.0, "feed-test-token-0123");
    {
        let mut session = lock(&session);
        let now = session.now();
        session.apply(&ChairCommand::StartNow, now);
        session.apply(&ChairCommand::ShowMessage("Please wrap up".to_owned()), now);
    }
    let schedule = lock(&session).schedule().as_ref().clone();
    let now = common::at(&schedule, "2013-05-13T09:21");
    // The overview's clock disagrees with the room's by an hour: the room's instants are
    // moved onto it.
    let overview_clock = lectern::clock::Clock::rehearsal(now + Duration::hours(1), 0.0);
    let spec: FeedSpec = format!("Tamaya FGH=http://{}", server.address())
        .parse()
        .expect("a feed");
    let feeds = RoomFeeds::start(&[spec], overview_clock);
    let later = now + Duration::hours(1);
    let line = wait_for_line(&feeds, &schedule, later, |line| {
        line.source == LineSource::Feed
    });
    assert_eq!(line.state, LineState::Live);
    assert_eq!(
        line.title,
        "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds"
    );
    assert!(
        line.notes
            .iter()
            .any(|note| note == "running 6 min late, ends 11:06"),
        "{:?}",
        line.notes
    );
    assert!(
        line.notes
            .iter()
            .any(|note| note.contains("Please wrap up"))
    );
    // The talk part ends at 09:36 on the room's clock: 10:36 on the overview's.
    assert_eq!(
        line.ends_at,
        Some(common::at(&schedule, "2013-05-13T10:36"))
    );

    // The room's lectern goes away: the overview falls back to the schedule and says so.
    drop(server);
    let line = wait_for_line(&feeds, &schedule, later, |line| {
        matches!(line.source, LineSource::FeedDown(_))
    });
    assert!(
        line.notes.is_empty(),
        "the schedule alone knows of no delay"
    );
}

#[test]
fn feeds_are_given_as_room_and_address() {
    assert!("Saal 1=http://127.0.0.1:4810".parse::<FeedSpec>().is_ok());
    assert!("Saal 1=ws://[::1]:4810/".parse::<FeedSpec>().is_ok());
    for bad in [
        "Saal 1",
        "=http://a:1",
        "Saal=https://a:1",
        "Saal=http://:4810",
        "Saal=http://a:99999",
    ] {
        assert!(bad.parse::<FeedSpec>().is_err(), "{bad}");
    }
}

#[cfg(feature = "gui")]
mod window {
    use super::*;
    use eframe::egui::vec2;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};
    use lectern::overview_app::{OverviewApp, OverviewOptions, install};
    use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions};

    fn overview_at(at: &str, size: (f32, f32)) -> Harness<'static, OverviewApp> {
        let path = common::data_dir()
            .join("import")
            .join("pentabarf_fosdem2010_schedule.xml");
        let options = LoadOptions {
            time_zone: Some(chrono_tz::Europe::Brussels),
            ..LoadOptions::default()
        };
        let loaded = lectern::source::load_file(&path, &options).expect("FOSDEM loads");
        let clock = lectern::clock::Clock::rehearsal(common::at(&loaded.schedule, at), 0.0);
        let session = RoomSession::new(
            SessionOptions {
                origin: ScheduleOrigin::File(path),
                room: None,
                clock,
                thresholds: Thresholds::default(),
                persistence: Persistence::Off,
                log: Default::default(),
                load_options: options,
            },
            loaded,
        )
        .shared();
        let app = OverviewApp::new(
            session,
            OverviewOptions {
                rooms: Vec::new(),
                page_seconds: 10,
                watch: false,
            },
            RoomFeeds::none(),
        );
        let mut harness = Harness::builder()
            .with_size(vec2(size.0, size.1))
            .with_context_setup(install)
            .build_ui_state(|ui, app: &mut OverviewApp| app.draw(ui), app);
        harness.run();
        harness
    }

    #[test]
    fn the_hallway_screen_shows_every_room_page_by_page() {
        let harness = overview_at("2010-02-06T14:10", (1920.0, 1080.0));
        harness.get_by_label("Janson");
        assert_eq!(
            harness
                .query_all_by_label("35 min left  ·  until 14:45")
                .count(),
            3,
            "Janson, Chavanne and H.1301"
        );
        harness.get_by_label_contains("What is my system doing");
        harness.get_by_label("Page 1 of 3");
        // Ten seconds on, the next page.
        let harness = overview_at("2010-02-06T14:10:10", (1920.0, 1080.0));
        harness.get_by_label("Page 2 of 3");
        assert!(harness.query_by_label("Janson").is_none());
    }

    #[test]
    fn no_text_is_too_small_to_read_from_the_hallway() {
        for size in [(1920.0, 1080.0), (1080.0, 1920.0)] {
            let harness = overview_at("2010-02-06T14:10", size);
            // Every text of the view is a label (Role::Label keeps its text as the value);
            // a galley's height is a line's height for one line, more for wrapped text.
            let heights: Vec<f32> = harness
                .query_all(egui_kittest::kittest::by())
                .filter(|node| node.accesskit_node().role() == eframe::egui::accesskit::Role::Label)
                .filter_map(|node| {
                    let text = node.accesskit_node().value()?;
                    (!text.trim().is_empty()).then(|| node.rect().height())
                })
                .collect();
            assert!(heights.len() > 20, "{size:?}: {} texts", heights.len());
            let smallest = heights.iter().copied().fold(f32::MAX, f32::min);
            // A line of at least 2.5 % of the screen's shorter side: 27 px on a 1080p TV,
            // about 17 mm on a 55-inch one, read from five metres.
            let shorter_side = size.0.min(size.1);
            eprintln!("{size:?}: the smallest text line is {smallest} px high");
            assert!(
                smallest >= shorter_side * 0.025,
                "{size:?}: the smallest text is {smallest} px high"
            );
        }
    }
}
