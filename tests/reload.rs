//! Live reload: the schedule file changes on disk the way editors, sync tools and organisers
//! change it, and the room session follows without losing the chair's state. Headless: the
//! room session needs no window; its watcher thread applies what it finds.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::sync::Arc;

use lectern::chair::{ChairCommand, ChairState};
use lectern::clock::Clock;
use lectern::model::Schedule;
use lectern::session::{
    Persistence, RoomSession, ScheduleOrigin, SessionOptions, SharedSession, lock,
};
use lectern::source::EMBEDDED_SCHEDULE;
use lectern::timing::Thresholds;
use lectern::watch::{ScheduleUpdate, ScheduleWatcher, WatchMode};

const ORIGINAL_NAME: &str = "14th Workshop on Hot Topics in Operating Systems";

/// The HotOS program under another event name, so that each revision can be told apart.
fn revision(name: &str) -> String {
    EMBEDDED_SCHEDULE.replace(ORIGINAL_NAME, name)
}

struct Fixture {
    _folder: tempfile::TempDir,
    path: PathBuf,
    app: Room,
}

/// A room session as the window and the server see it: shared, locked for each look.
struct Room(SharedSession);

impl Room {
    fn schedule(&self) -> Arc<Schedule> {
        Arc::clone(lock(&self.0).schedule())
    }

    fn chair(&self) -> ChairState {
        lock(&self.0).chair().clone()
    }

    fn apply(&mut self, command: ChairCommand, now: chrono::DateTime<chrono::Utc>) {
        lock(&self.0).apply(&command, now);
    }

    fn apply_updates(&mut self) -> bool {
        lock(&self.0).apply_updates()
    }

    fn reload_error(&self) -> Option<String> {
        lock(&self.0).reload_error().map(str::to_owned)
    }

    fn file_missing(&self) -> bool {
        lock(&self.0).file_missing()
    }

    fn chair_notices(&self) -> Vec<String> {
        lock(&self.0).chair_notices().to_vec()
    }
}

fn fixture() -> Fixture {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("program.json");
    std::fs::write(&path, revision("Revision 0")).expect("write schedule");
    let app = app_for(&path);
    Fixture {
        _folder: folder,
        path,
        app,
    }
}

fn app_for(path: &Path) -> Room {
    let loaded = lectern::source::load_file(path, &Default::default()).expect("schedule loads");
    let at = common::at(&loaded.schedule, "2013-05-13T09:20");
    let options = SessionOptions {
        origin: ScheduleOrigin::File(path.to_owned()),
        room: None,
        clock: Clock::rehearsal(at, 0.0),
        thresholds: Thresholds::default(),
        persistence: Persistence::Off,
        log: Default::default(),
        load_options: Default::default(),
    };
    let session = RoomSession::new(options, loaded).shared();
    RoomSession::start_watching(&session);
    Room(session)
}

/// Waits until `done` holds, taking in any update not applied yet; fails after five seconds.
fn wait_until(app: &mut Room, what: &str, done: impl Fn(&Room) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        app.apply_updates();
        if done(app) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn event_name(app: &Room) -> String {
    app.schedule().event().name.clone()
}

fn atomic_write(path: &Path, text: &str) {
    let directory = path.parent().expect("parent");
    let mut temporary = tempfile::NamedTempFile::new_in(directory).expect("temp file");
    std::io::Write::write_all(&mut temporary, text.as_bytes()).expect("write");
    temporary.persist(path).expect("rename into place");
}

#[test]
fn an_in_place_write_is_picked_up() {
    let mut fixture = fixture();
    std::fs::write(&fixture.path, revision("Revision 1")).expect("write");
    wait_until(&mut fixture.app, "the in-place write", |app| {
        event_name(app) == "Revision 1"
    });
}

#[test]
fn an_atomic_save_is_picked_up_and_so_is_the_next_one() {
    let mut fixture = fixture();
    for number in 1..=3 {
        let name = format!("Revision {number}");
        atomic_write(&fixture.path, &revision(&name));
        wait_until(&mut fixture.app, &name, |app| event_name(app) == name);
    }
}

#[test]
fn a_broken_file_keeps_the_last_good_schedule_and_says_where_it_is_broken() {
    let mut fixture = fixture();
    let broken = revision("Revision 1").replacen("\"sessions\": [", "\"sessions\": [}", 1);
    std::fs::write(&fixture.path, broken).expect("write");
    wait_until(&mut fixture.app, "the error", |app| {
        app.reload_error().is_some()
    });
    assert_eq!(event_name(&fixture.app), "Revision 0");
    let error = fixture.app.reload_error().expect("error").to_owned();
    assert!(error.contains("program.json:"), "{error}");
    assert!(error.contains(": error: "), "{error}");
    // The next change is tried again.
    atomic_write(&fixture.path, &revision("Revision 2"));
    wait_until(&mut fixture.app, "the fix", |app| {
        event_name(app) == "Revision 2"
    });
    assert_eq!(fixture.app.reload_error(), None);
}

#[test]
fn a_deleted_file_is_reported_missing_and_a_recreated_one_is_read() {
    let mut fixture = fixture();
    std::fs::remove_file(&fixture.path).expect("remove");
    wait_until(&mut fixture.app, "the missing file", Room::file_missing);
    assert_eq!(
        event_name(&fixture.app),
        "Revision 0",
        "the last good schedule stays"
    );
    std::fs::write(&fixture.path, revision("Revision 1")).expect("recreate");
    wait_until(&mut fixture.app, "the recreated file", |app| {
        event_name(app) == "Revision 1"
    });
    assert!(!fixture.app.file_missing());
}

#[cfg(unix)]
#[test]
fn a_symlinked_schedule_follows_its_target_and_a_swapped_link() {
    let folder = tempfile::tempdir().expect("temp dir");
    let releases = folder.path().join("releases");
    std::fs::create_dir(&releases).expect("releases folder");
    let first = releases.join("v1.json");
    std::fs::write(&first, revision("Release 1")).expect("write v1");
    let link = folder.path().join("current.json");
    std::os::unix::fs::symlink(&first, &link).expect("symlink");
    let mut app = app_for(&link);
    assert_eq!(event_name(&app), "Release 1");

    // The target is edited where it lies, in another directory.
    std::fs::write(&first, revision("Release 1b")).expect("edit v1");
    wait_until(&mut app, "the edited target", |app| {
        event_name(app) == "Release 1b"
    });

    // The link is swapped to a new release, atomically, as deployment tools do.
    let second = releases.join("v2.json");
    std::fs::write(&second, revision("Release 2")).expect("write v2");
    let new_link = folder.path().join("current.json.new");
    std::os::unix::fs::symlink(&second, &new_link).expect("new symlink");
    std::fs::rename(&new_link, &link).expect("swap link");
    wait_until(&mut app, "the swapped link", |app| {
        event_name(app) == "Release 2"
    });
}

#[test]
fn without_file_events_the_slow_poll_finds_the_change() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("program.json");
    std::fs::write(&path, revision("Revision 0")).expect("write");
    let watcher =
        ScheduleWatcher::start_with(&path, Default::default(), WatchMode::PollOnly, || {});
    assert!(!watcher.events_available());
    // A different length, so that the change shows even where modification times are coarse.
    std::fs::write(&path, revision("Revision 1 (polled)")).expect("write");
    let update = watcher.next_timeout(Duration::from_secs(5));
    let Some(ScheduleUpdate::Loaded(loaded)) = update else {
        panic!("expected a loaded schedule from the poll, got {update:?}");
    };
    assert_eq!(loaded.schedule.event().name, "Revision 1 (polled)");
}

#[test]
fn the_chair_state_follows_its_session_across_reloads() {
    let mut fixture = fixture();
    let now = common::at(&fixture.app.schedule(), "2013-05-13T09:20");
    fixture.app.apply(ChairCommand::StartNow, now);
    fixture
        .app
        .apply(ChairCommand::ShowMessage("Questions now".into()), now);
    let chair_before = fixture.app.chair();
    assert!(chair_before.timer.is_some());

    // The session is retitled and moved ten minutes later: the chair keeps timing it.
    let moved = revision("Revision 1")
        .replace(
            "Shuffling I/O Up and Down the Stack",
            "Shuffling I/O (retitled)",
        )
        .replace(
            "\"start\": \"2013-05-13T09:00\",\n      \"end\": \"2013-05-13T10:00\"",
            "\"start\": \"2013-05-13T09:10\",\n      \"end\": \"2013-05-13T10:10\"",
        );
    assert!(
        moved.contains("\"start\": \"2013-05-13T09:10\""),
        "the edit applies"
    );
    atomic_write(&fixture.path, &moved);
    wait_until(&mut fixture.app, "the moved session", |app| {
        event_name(app) == "Revision 1"
    });
    assert_eq!(fixture.app.chair(), chair_before);
    assert!(fixture.app.chair_notices().is_empty());

    // The session is deleted: the chair is told, and the projector follows the schedule.
    let deleted = moved.replace("\"id\": \"mon-0900\"", "\"id\": \"mon-0900-replaced\"");
    atomic_write(&fixture.path, &deleted);
    wait_until(&mut fixture.app, "the deleted session", |app| {
        app.chair().timer.is_none()
    });
    assert_eq!(
        fixture.app.chair().message.as_deref(),
        Some("Questions now"),
        "the message stays"
    );
    assert!(
        fixture
            .app
            .chair_notices()
            .iter()
            .any(|notice| notice.contains("mon-0900")),
        "{:?}",
        fixture.app.chair_notices()
    );
}

#[test]
fn a_thousand_rapid_rewrites_end_in_the_final_file_with_the_chair_state_intact() {
    let mut fixture = fixture();
    let now = common::at(&fixture.app.schedule(), "2013-05-13T09:20");
    fixture.app.apply(ChairCommand::TogglePause, now);
    fixture
        .app
        .apply(ChairCommand::AddTime(chrono::Duration::minutes(2)), now);
    let chair_before = fixture.app.chair();
    let valid = |number: usize| revision(&format!("Churn {number}"));
    for number in 0..1000 {
        match number % 6 {
            0 => std::fs::write(&fixture.path, valid(number)).expect("in place"),
            1 => std::fs::write(&fixture.path, "{ \"version\": 1, \"event\": [").expect("invalid"),
            2 => {
                let text = valid(number);
                std::fs::write(&fixture.path, &text[..text.len() / 2]).expect("truncated");
            }
            3 => atomic_write(&fixture.path, &valid(number)),
            4 => {
                let _ = std::fs::remove_file(&fixture.path);
            }
            _ => std::fs::write(&fixture.path, valid(number)).expect("recreate"),
        }
        // The app takes in updates between some of the writes, as frames would.
        if number % 7 == 0 {
            fixture.app.apply_updates();
        }
    }
    let final_text = valid(1000);
    atomic_write(&fixture.path, &final_text);
    wait_until(&mut fixture.app, "the final file", |app| {
        event_name(app) == "Churn 1000"
    });
    assert!(!fixture.app.file_missing());
    assert_eq!(fixture.app.reload_error(), None);
    let expected = lectern::formats::load_bytes(final_text.as_bytes(), &Default::default())
        .expect("final file is valid")
        .schedule;
    assert_eq!(*fixture.app.schedule(), expected);
    assert_eq!(fixture.app.chair(), chair_before);
}

#[test]
fn a_file_that_broke_the_loader_and_then_a_fifo_leave_the_watcher_alive() {
    let mut fixture = fixture();
    // A talk duration of PT9999999999H once panicked the loader and killed the watcher thread:
    // the projector kept the old program without a marker and never reloaded again.
    let hostile = std::fs::read(common::data_dir().join("reload/duration-overflow.json"))
        .expect("read the hostile schedule");
    atomic_write(&fixture.path, std::str::from_utf8(&hostile).expect("utf-8"));
    wait_until(&mut fixture.app, "the marker for the hostile file", |app| {
        app.reload_error().is_some()
    });
    assert_eq!(event_name(&fixture.app), "Revision 0");

    // A FIFO in place of the file would block a reader until a writer came.
    std::fs::remove_file(&fixture.path).expect("remove");
    let status = std::process::Command::new("mkfifo")
        .arg(&fixture.path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    wait_until(&mut fixture.app, "the marker for the FIFO", |app| {
        app.reload_error()
            .is_some_and(|error| error.contains("FIFO"))
    });
    assert_eq!(event_name(&fixture.app), "Revision 0");

    // The watcher is still there: the next good save is loaded and the marker goes.
    std::fs::remove_file(&fixture.path).expect("remove the FIFO");
    atomic_write(&fixture.path, &revision("Revision 3"));
    wait_until(&mut fixture.app, "the good save", |app| {
        event_name(app) == "Revision 3"
    });
    assert_eq!(fixture.app.reload_error(), None);
}
