//! The chair's state survives a crash or a reboot: it is saved after every change and restored
//! when the app starts again; a corrupt state file is reported and ignored.

mod common;

use std::path::Path;

use lectern::app::{AppOptions, LecternApp, Persistence, ScheduleOrigin};
use lectern::chair::ChairCommand;
use lectern::clock::Clock;
use lectern::timing::{Thresholds, status_at};
use lectern::ui::Action;

fn app_with_state(state: &Path, at: &str) -> LecternApp {
    let loaded = lectern::source::load_embedded().expect("embedded schedule");
    let clock = Clock::rehearsal(common::at(&loaded.schedule, at), 0.0);
    let options = AppOptions {
        origin: ScheduleOrigin::Embedded,
        room: None,
        clock,
        thresholds: Thresholds::default(),
        blink: false,
        persistence: Persistence::File(state.to_owned()),
        started: None,
        watch: false,
        load_options: Default::default(),
        open_chair_view: false,
        projector_monitor: None,
    };
    LecternApp::new(options, loaded)
}

fn remaining(app: &LecternApp, at: &str) -> String {
    let schedule = app.schedule();
    let now = common::at(schedule, at);
    let status = status_at(
        schedule,
        app.room(),
        now,
        app.chair(),
        &Thresholds::default(),
    );
    let live = status.live().expect("a session is on");
    lectern::text::countdown(live.countdown().remaining)
}

#[test]
fn a_restarted_app_comes_back_to_the_same_countdown() {
    let folder = tempfile::tempdir().expect("temp dir");
    let state = folder.path().join("chair.json");
    let context = eframe::egui::Context::default();
    {
        let mut app = app_with_state(&state, "2013-05-13T09:23");
        let now = common::at(app.schedule(), "2013-05-13T09:23");
        app.apply(Action::Chair(ChairCommand::StartNow), &context, now);
        app.apply(
            Action::Chair(ChairCommand::AddTime(chrono::Duration::minutes(2))),
            &context,
            now,
        );
        app.apply(
            Action::Chair(ChairCommand::ShowMessage("Questions now".into())),
            &context,
            now,
        );
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
