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
