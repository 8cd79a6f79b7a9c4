//! The chair's state survives a crash or a reboot: it is saved after every change and restored
//! when the room session starts again; a corrupt state file is reported and ignored. Headless:
//! the room session needs no window.

mod common;

use std::path::Path;

use lectern::chair::ChairCommand;
use lectern::clock::Clock;
use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions};
use lectern::timing::Thresholds;

fn app_with_state(state: &Path, at: &str) -> RoomSession {
    let loaded = lectern::source::load_embedded().expect("embedded schedule");
    let clock = Clock::rehearsal(common::at(&loaded.schedule, at), 0.0);
    let options = SessionOptions {
        origin: ScheduleOrigin::Embedded,
        room: None,
        clock,
        thresholds: Thresholds::default(),
        persistence: Persistence::File(state.to_owned()),
        log: Default::default(),
        load_options: Default::default(),
    };
    RoomSession::new(options, loaded)
}

fn remaining(app: &RoomSession, at: &str) -> String {
    let now = common::at(app.schedule(), at);
    let status = app.status(now);
    let live = status.live().expect("a session is on");
    lectern::text::countdown(live.countdown().remaining)
}

#[test]
fn a_restarted_app_comes_back_to_the_same_countdown() {
    let folder = tempfile::tempdir().expect("temp dir");
    let state = folder.path().join("chair.json");
    {
        let mut app = app_with_state(&state, "2013-05-13T09:23");
        let now = common::at(app.schedule(), "2013-05-13T09:23");
        app.apply(&ChairCommand::StartNow, now);
        app.apply(&ChairCommand::AddTime(chrono::Duration::minutes(2)), now);
        app.apply(&ChairCommand::ShowMessage("Questions now".into()), now);
        assert_eq!(remaining(&app, "2013-05-13T09:30"), "10:00");
        // The app is gone without any goodbye, as after a crash.
        std::mem::forget(app);
    }
    assert!(state.exists(), "the state was saved as it changed");
    let restarted = app_with_state(&state, "2013-05-13T09:30");
    assert_eq!(remaining(&restarted, "2013-05-13T09:30"), "10:00");
    assert_eq!(restarted.chair().message.as_deref(), Some("Questions now"));
    assert!(
        restarted
            .chair_notices()
            .iter()
            .any(|notice| notice.contains("Restored"))
    );
}

#[test]
fn a_corrupt_state_file_is_reported_and_ignored() {
    let folder = tempfile::tempdir().expect("temp dir");
    let state = folder.path().join("chair.json");
    std::fs::write(&state, "{\"version\": 1, \"room\": ").expect("write");
    let app = app_with_state(&state, "2013-05-13T09:20");
    assert_eq!(app.chair(), &lectern::chair::ChairState::default());
    assert!(
        app.chair_notices()
            .iter()
            .any(|notice| notice.contains("chair.json:1:") && notice.contains("ignored")),
        "{:?}",
        app.chair_notices()
    );
    assert_eq!(remaining(&app, "2013-05-13T09:20"), "10:00");
}

#[test]
fn state_files_with_values_out_of_range_are_reported_and_ignored() {
    // Each of these once made the app panic at every start: a crash loop on the room computer.
    for name in [
        "state-added-i64-max.json",
        "state-paused-i64-min.json",
        "state-added-1e15.json",
    ] {
        let folder = tempfile::tempdir().expect("temp dir");
        let state = folder.path().join("chair.json");
        std::fs::copy(common::data_dir().join("state").join(name), &state).expect("copy");
        let app = app_with_state(&state, "2013-05-13T09:20");
        assert_eq!(
            app.chair(),
            &lectern::chair::ChairState::default(),
            "{name}"
        );
        assert!(
            app.chair_notices()
                .iter()
                .any(|notice| notice.contains("out of range") && notice.contains("ignored")),
            "{name}: {:?}",
            app.chair_notices()
        );
        assert_eq!(remaining(&app, "2013-05-13T09:20"), "10:00", "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_the_state_file_neither_blocks_nor_is_replaced() {
    let folder = tempfile::tempdir().expect("temp dir");
    let state = folder.path().join("chair.json");
    let status = std::process::Command::new("mkfifo")
        .arg(&state)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let app = app_with_state(&state, "2013-05-13T09:20");
    assert!(
        app.chair_notices()
            .iter()
            .any(|notice| notice.contains("FIFO")),
        "{:?}",
        app.chair_notices()
    );
    assert_eq!(remaining(&app, "2013-05-13T09:20"), "10:00");
}
