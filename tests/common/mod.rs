//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use lectern::formats::LoadOptions;
use lectern::model::{RoomId, Schedule};
use lectern::timeparse::parse_instant;

/// The folder of test fixtures.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

/// Loads a fixture that must be valid.
pub fn load_fixture(relative: &str) -> Schedule {
    let path = data_dir().join(relative);
    match lectern::source::load_file(&path, &LoadOptions::default()) {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!("{relative} should load:\n{error}"),
    }
}

/// The embedded HotOS 2013 program.
pub fn hotos() -> Schedule {
    match lectern::source::load_embedded() {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!(
            "the embedded schedule should load:\n{}",
            error.render("hotos-2013.json")
        ),
    }
}

/// An instant written in the schedule's zone (or with an offset).
pub fn at(schedule: &Schedule, text: &str) -> DateTime<Utc> {
    match parse_instant(text, schedule.event().time_zone) {
        Ok((instant, _)) => instant,
        Err(error) => panic!("bad instant in test: {error}"),
    }
}

/// A room by name.
pub fn room(schedule: &Schedule, name: &str) -> RoomId {
    schedule
        .find_room(name)
        .unwrap_or_else(|| panic!("no room {name} in test schedule"))
}

/// The built-in HotOS program in a room session whose rehearsal clock starts at `at` (local,
/// Denver) and runs at `speed` (0 stops it), with its server on a loopback port the system
/// picks and the given token.
pub fn served_hotos(
    at: &str,
    speed: f64,
    token: &str,
) -> (
    lectern::session::SharedSession,
    lectern::server::ServerHandle,
) {
    use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions};
    let loaded = lectern::source::load_embedded().expect("embedded schedule");
    let clock = lectern::clock::Clock::rehearsal(self::at(&loaded.schedule, at), speed);
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Embedded,
            room: None,
            clock,
            thresholds: lectern::timing::Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: Default::default(),
        },
        loaded,
    )
    .shared();
    let server = lectern::server::start(
        std::sync::Arc::clone(&session),
        lectern::server::ServerConfig {
            listen: "127.0.0.1:0".parse().expect("address"),
            token: token.to_owned(),
        },
    )
    .expect("the server starts");
    (session, server)
}

/// The window's options for `schedule` on a rehearsal clock stopped at `instant`.
#[cfg(feature = "gui")]
pub fn rehearsal_options(
    origin: lectern::app::ScheduleOrigin,
    schedule: &Schedule,
    instant: &str,
) -> lectern::app::AppOptions {
    use lectern::app::{AppOptions, Persistence};
    use lectern::clock::Clock;
    use lectern::timing::Thresholds;
    AppOptions {
        origin,
        room: None,
        // A stopped rehearsal clock: every frame is drawn at exactly this instant.
        clock: Clock::rehearsal(at(schedule, instant), 0.0),
        thresholds: Thresholds::default(),
        blink: false,
        persistence: Persistence::Off,
        started: None,
        watch: false,
        load_options: Default::default(),
        open_chair_view: false,
        projector_monitor: None,
    }
}
