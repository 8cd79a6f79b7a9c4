//! The settings file: read by the real binary, errors located, flags over the file, and a
//! running room that follows the file's changes and keeps its settings when a change is broken.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use lectern::clock::Clock;
use lectern::config::{Layer, Settings, Sourced};
use lectern::session::{
    NoticeLevel, Persistence, RoomSession, ScheduleOrigin, SessionOptions, lock,
};
use lectern::timing::Phase;

/// Runs lectern with `XDG_CONFIG_HOME` at `home`, so that `home/lectern/config.toml` is the
/// default settings file.
fn lectern(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .env("XDG_CONFIG_HOME", home)
        .args(args)
        .output()
        .expect("the lectern binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write_default_config(home: &Path, text: &str) -> std::path::PathBuf {
    let folder = home.join("lectern");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The phase `lectern now --json` reports.
fn phase_of(output: &Output) -> String {
    assert!(output.status.success(), "{}", stderr(output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    value["live"]["phase"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no phase in {value}"))
}

#[test]
fn the_default_file_sets_the_thresholds_and_a_flag_overrides_it() {
    let home = tempfile::tempdir().unwrap();
    // At 09:53 the fourth paper of the first session has 7 minutes left (it ends at 10:00):
    // on time with the built-in 5-minute warning, warning with the file's 8.
    let at = ["now", "--at", "2013-05-13T09:53", "--json"];
    assert_eq!(phase_of(&lectern(home.path(), &at)), "on_time");
    write_default_config(home.path(), "[thresholds]\nwarning = 8\ndanger = 3\n");
    assert_eq!(phase_of(&lectern(home.path(), &at)), "warning");
    let mut with_flag = at.to_vec();
    with_flag.extend(["--warning", "6"]);
    assert_eq!(phase_of(&lectern(home.path(), &with_flag)), "on_time");
    assert_eq!(
        phase_of(&lectern(
            home.path(),
            &["--no-config", "now", "--at", "2013-05-13T09:53", "--json"]
        )),
        "on_time"
    );
}

#[test]
fn lectern_config_prints_each_setting_and_where_it_came_from() {
    let home = tempfile::tempdir().unwrap();
    let path = write_default_config(
        home.path(),
        "room = \"Tamaya FGH\"\n\n[display]\nclock = \"12h\"\nrenderer = \"cpu\"\n\n[[message]]\ntext = \"Two minutes\"\nkey = \"F2\"\n",
    );
    let output = lectern(home.path(), &["config"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let line = |key: &str| {
        text.lines()
            .find(|line| line.starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in {text}"))
            .to_owned()
    };
    let file = path.display().to_string();
    assert!(line("display.clock").contains("12h"), "{text}");
    assert!(
        line("display.clock").ends_with(&format!("{file}:4")),
        "{text}"
    );
    assert!(line("display.renderer").contains("cpu"), "{text}");
    assert!(
        line("display.renderer").ends_with(&format!("{file}:5")),
        "{text}"
    );
    assert!(line("room ").ends_with(&format!("{file}:1")), "{text}");
    assert!(line("thresholds.warning").contains("5 min"), "{text}");
    assert!(line("thresholds.warning").ends_with("default"), "{text}");
    assert!(
        line("message").contains("\"Two minutes\" (key F2)"),
        "{text}"
    );
    // The built-in messages are replaced, not added to.
    assert!(!text.contains("Please wrap up"), "{text}");
}

#[test]
fn config_is_accepted_before_and_after_the_subcommand() {
    let home = tempfile::tempdir().unwrap();
    let other = home.path().join("event.toml");
    std::fs::write(&other, "[display]\ntheme = \"light\"\n").unwrap();
    let other = other.to_str().unwrap();
    for args in [
        vec!["--config", other, "config"],
        vec!["config", "--config", other],
        vec![&format!("--config={other}")[..], "config"],
    ] {
        let output = lectern(home.path(), &args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(
            stdout(&output).contains("light"),
            "{args:?}: {}",
            stdout(&output)
        );
    }
    let missing = lectern(
        home.path(),
        &["--config", "/nonexistent/lectern.toml", "config"],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("/nonexistent/lectern.toml: cannot read"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn a_broken_file_stops_lectern_with_its_line_column_and_what_is_allowed() {
    let home = tempfile::tempdir().unwrap();
    let path = write_default_config(
        home.path(),
        "[display]\ntheme = \"dark\"\nclock = \"13h\"\n",
    );
    let output = lectern(home.path(), &["now", "--at", "2013-05-13T09:20"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output).is_empty(),
        "nothing is shown on a broken file"
    );
    let error = stderr(&output);
    assert!(
        error.contains(&format!("{}:3:9: unknown clock `13h`", path.display())),
        "{error}"
    );
    assert!(
        error.contains("\"24h\" and \"12h\"") || error.contains("\"24h\", \"12h\""),
        "{error}"
    );

    std::fs::write(&path, "[server]\nlisten = \"localhost\"\nport = 80\n").unwrap();
    let error = stderr(&lectern(home.path(), &["config"]));
    assert!(
        error.contains(&format!("{}:3:1: unknown field `port`", path.display())),
        "{error}"
    );
    assert!(
        error.contains("`listen`"),
        "lists the keys allowed: {error}"
    );

    std::fs::write(&path, "[display]\nlogo = \"missing.png\"\n").unwrap();
    let error = stderr(&lectern(home.path(), &["config"]));
    assert!(
        error.contains(&format!("{}:2:8: cannot read the logo", path.display())),
        "{error}"
    );

    std::fs::write(&path, "[display]\nrenderer = \"vulkan\"\n").unwrap();
    let error = stderr(&lectern(home.path(), &["config"]));
    assert!(
        error.contains(&format!(
            "{}:2:12: unknown renderer `vulkan`; use \"auto\", \"gl\" and \"cpu\"",
            path.display()
        )),
        "{error}"
    );

    std::fs::write(&path, "[thresholds\nwarning = 3\n").unwrap();
    let error = stderr(&lectern(home.path(), &["config"]));
    assert!(error.contains(&format!("{}:1:", path.display())), "{error}");
}

#[test]
fn logos_are_decoded_from_png_and_svg_and_kept_small() {
    let folder = tempfile::tempdir().unwrap();
    let svg = folder.path().join("logo.svg");
    // A 300×100 banner: blue on the left half, yellow on the right.
    std::fs::write(
        &svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="150" height="100" fill="#0000ff"/><rect x="150" width="150" height="100" fill="#ffff00"/></svg>"##,
    )
    .unwrap();
    let logo = lectern::config::read_logo(&svg).unwrap();
    assert_eq!(
        (logo.width, logo.height),
        (768, lectern::config::LOGO_HEIGHT)
    );
    let pixel = |x: u32, y: u32| {
        let at = ((y * logo.width + x) * 4) as usize;
        logo.rgba[at..at + 4].to_vec()
    };
    assert_eq!(pixel(10, 128), [0, 0, 255, 255]);
    assert_eq!(pixel(700, 128), [255, 255, 0, 255]);

    let png_path = folder.path().join("big.png");
    let (width, height) = (2000u32, 1000u32);
    {
        let file = std::fs::File::create(&png_path).unwrap();
        let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> = (0..width * height).flat_map(|_| [0u8, 128, 255]).collect();
        writer.write_image_data(&pixels).unwrap();
    }
    let logo = lectern::config::read_logo(&png_path).unwrap();
    assert_eq!(
        (logo.width, logo.height),
        (512, 256),
        "scaled to the logo height"
    );
    assert_eq!(&logo.rgba[..4], &[0, 128, 255, 255]);

    let text = folder.path().join("notes.txt");
    std::fs::write(&text, "not an image").unwrap();
    let (message, _) = lectern::config::read_logo(&text).unwrap_err();
    assert!(message.contains("neither a PNG nor an SVG"), "{message}");
}

/// Waits up to ten seconds for `done` (the settings file is looked at every two seconds).
fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn a_running_room_follows_the_file_and_keeps_its_settings_when_a_change_is_broken() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("config.toml");
    std::fs::write(&path, "[thresholds]\nwarning = 5\n").unwrap();
    let loaded = lectern::source::load_embedded().unwrap();
    // 09:53: seven minutes left on the paper that ends at 10:00.
    let at = common::at(&loaded.schedule, "2013-05-13T09:53");
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Embedded,
            room: None,
            clock: Clock::rehearsal(at, 0.0),
            thresholds: lectern::timing::Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: Default::default(),
        },
        loaded,
    )
    .shared();
    // The flag's danger threshold stays over whatever the file says.
    let flags = Layer {
        danger: Some(Sourced::flag(1.0, "--danger")),
        ..Layer::default()
    };
    let file = lectern::config::load_file(&path).unwrap();
    lock(&session).apply_settings(&Settings::resolve(&[&file, &flags]).unwrap());
    RoomSession::watch_settings(&session, path.clone(), flags);
    let phase = |session: &lectern::session::SharedSession| {
        let session = lock(session);
        let status = session.status(at);
        status.live().map(|live| live.phase)
    };
    assert_eq!(phase(&session), Some(Phase::OnTime));

    // A version with a wider warning takes effect without a restart; the danger stays the
    // flag's.
    std::fs::write(
        &path,
        "[thresholds]\nwarning = 10\ndanger = 4\n\n[display]\nclock = \"12h\"\n",
    )
    .unwrap();
    assert!(
        wait_for(|| phase(&session) == Some(Phase::Warning)),
        "the new warning threshold is applied"
    );
    {
        let session = lock(&session);
        assert_eq!(session.thresholds().danger, chrono::Duration::minutes(1));
        assert_eq!(
            session.appearance().clock,
            lectern::config::ClockFormat::TwelveHour
        );
        assert!(session.settings_error().is_none());
    }

    // A broken version keeps the last good settings and says so on every display.
    std::fs::write(&path, "[thresholds]\nwarning = \"soon\"\n").unwrap();
    assert!(wait_for(|| lock(&session).settings_error().is_some()));
    let snapshot = lock(&session).snapshot();
    let error = snapshot
        .settings_error
        .as_deref()
        .unwrap_or_default()
        .to_owned();
    assert!(
        error.contains(&format!("{}:2:11", path.display())),
        "{error}"
    );
    assert!(
        snapshot
            .screen_notices()
            .iter()
            .any(|notice| notice.level == NoticeLevel::Warning
                && notice.text.contains("Settings not reloaded")),
        "{:?}",
        snapshot.screen_notices()
    );
    assert_eq!(
        phase(&session),
        Some(Phase::Warning),
        "the last good thresholds stay"
    );

    // Fixed again: the notice goes, and a setting read only at the start is named to the chair.
    std::fs::write(
        &path,
        "[thresholds]\nwarning = 3\n\n[server]\nlisten = \"0.0.0.0:4810\"\n",
    )
    .unwrap();
    assert!(wait_for(|| lock(&session).settings_error().is_none()));
    assert_eq!(phase(&session), Some(Phase::OnTime));
    let notices = lock(&session).chair_notices().to_vec();
    assert!(
        notices
            .iter()
            .any(|notice| notice.contains("server.listen") && notice.contains("started again")),
        "{notices:?}"
    );
}
