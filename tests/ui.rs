//! The window, driven as a user would: labels read at known instants, keys pressed, buttons
//! clicked, and a few small snapshots of the projector rendered in software.

mod common;

use std::path::PathBuf;

use eframe::egui::{self, Key, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use lectern::app::{LecternApp, ScheduleOrigin};
use lectern::clock::Clock;

fn app_at(at: &str) -> LecternApp {
    let loaded = lectern::source::load_embedded().expect("embedded schedule");
    let options = common::rehearsal_options(ScheduleOrigin::Embedded, &loaded.schedule, at);
    LecternApp::new(options, loaded)
}

fn harness(app: LecternApp, width: f32, height: f32) -> Harness<'static, LecternApp> {
    let mut harness = Harness::builder()
        .with_size(vec2(width, height))
        .with_context_setup(LecternApp::install)
        .build_ui_state(|ui, app: &mut LecternApp| app.draw(ui), app);
    harness.run();
    harness
}

/// Moves the app's stopped clock to another instant and draws again.
fn move_clock(harness: &mut Harness<'static, LecternApp>, at: &str) {
    let instant = common::at(&harness.state().schedule(), at);
    harness
        .state_mut()
        .set_clock(Clock::rehearsal(instant, 0.0));
    harness.run();
}

fn press(harness: &mut Harness<'static, LecternApp>, key: Key) {
    harness.key_press(key);
    harness.run();
}

const TITLE_2: &str = "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds";

#[test]
fn the_projector_shows_the_paper_its_speakers_the_time_left_and_what_is_next() {
    let harness = harness(app_at("2013-05-13T09:20"), 1280.0, 720.0);
    harness.get_by_label("10:00");
    harness.get_by_label(TITLE_2);
    harness.get_by_label(
        "Jeffrey C. Mogul, Jayaram Mudigonda, Jose Renato Santos and Yoshio Turner  —  HP Labs",
    );
    harness.get_by_label_contains("Shuffling I/O Up and Down the Stack");
    harness.get_by_label_contains("Session Chair: Andrew Warfield, University of British Columbia");
    harness.get_by_label("Next at 09:30:  Virtualize Storage, Not Disks  —  William Jannen, Chia-che Tsai and Donald E. Porter");
    harness.get_by_label_contains("ON TIME");
    harness.get_by_label_contains("Paper 2 of 4");
    harness.get_by_label("09:20 MDT");
    harness.get_by_label("REHEARSAL · clock stopped");
}

#[test]
fn phases_are_named_not_only_coloured() {
    let mut harness = harness(app_at("2013-05-13T09:26"), 1280.0, 720.0);
    harness.get_by_label("04:00");
    harness.get_by_label_contains("WARNING");
    move_clock(&mut harness, "2013-05-13T09:29");
    harness.get_by_label("01:00");
    harness.get_by_label_contains("WRAP UP");
}

#[test]
fn chair_keys_change_what_the_projector_shows() {
    let mut harness = harness(app_at("2013-05-13T09:20"), 1280.0, 720.0);
    press(&mut harness, Key::Space);
    harness.get_by_label_contains("PAUSED");
    press(&mut harness, Key::Space);
    harness.get_by_label_contains("ON TIME");
    press(&mut harness, Key::Plus);
    harness.get_by_label("11:00");
    press(&mut harness, Key::Minus);
    press(&mut harness, Key::Minus);
    harness.get_by_label("09:00");
    press(&mut harness, Key::N);
    harness.get_by_label("Virtualize Storage, Not Disks");
    harness.get_by_label("15:00");
    press(&mut harness, Key::P);
    harness.get_by_label(TITLE_2);
    // Start the talk again, late: it gets its full fifteen minutes from now.
    press(&mut harness, Key::Backspace);
    harness.get_by_label("10:00");
    press(&mut harness, Key::Enter);
    harness.get_by_label("15:00");
    // Taking time away until the talk is over time: the countdown counts up.
    for _ in 0..16 {
        harness.key_press(Key::Minus);
    }
    harness.run();
    harness.get_by_label("+01:00");
    harness.get_by_label_contains("OVERTIME");
}

#[test]
fn a_message_appears_large_and_clears() {
    let mut harness = harness(app_at("2013-05-13T09:20"), 1280.0, 720.0);
    assert!(harness.query_by_label("Please wrap up").is_none());
    press(&mut harness, Key::Num2);
    harness.get_by_label("Please wrap up");
    press(&mut harness, Key::M);
    assert!(harness.query_by_label("Please wrap up").is_none());
    assert_eq!(harness.state().chair().message, None);
}

#[test]
fn blank_hides_everything_and_comes_back() {
    let mut harness = harness(app_at("2013-05-13T09:20"), 1280.0, 720.0);
    press(&mut harness, Key::B);
    assert!(harness.query_by_label("10:00").is_none());
    assert!(harness.query_by_label(TITLE_2).is_none());
    press(&mut harness, Key::B);
    harness.get_by_label("10:00");
}

#[test]
fn the_help_overlay_lists_the_shortcuts() {
    let mut harness = harness(app_at("2013-05-13T09:20"), 1280.0, 720.0);
    assert!(harness.query_by_label("Keyboard shortcuts").is_none());
    press(&mut harness, Key::Questionmark);
    harness.get_by_label("Keyboard shortcuts");
    harness.get_by_label("Pause or resume the timer");
    press(&mut harness, Key::Escape);
    assert!(harness.query_by_label("Keyboard shortcuts").is_none());
}

#[test]
fn the_chair_view_controls_the_projector() {
    let mut harness = harness(app_at("2013-05-13T09:20"), 1280.0, 800.0);
    press(&mut harness, Key::C);
    assert!(harness.state().chair_view_open());
    harness.get_by_label("Pause  [Space]").click();
    harness.run();
    harness.get_by_label("Resume  [Space]");
    harness.get_by_label("+1 min  [+]").click();
    harness.run();
    harness.get_by_label_contains("chair timing");
    harness.get_by_label("Questions now  [4]").click();
    harness.run();
    harness.get_by_label("On the projector: \"Questions now\"");
    harness
        .get_by_label("Back to schedule  [Backspace]")
        .click();
    harness.run();
    assert_eq!(
        harness.state().chair(),
        lectern::chair::ChairState::default()
    );
    // Today's program, with the current session marked.
    harness.get_by_label("> 09:00–10:00  Shuffling I/O Up and Down the Stack");
    harness.get_by_label("Program, Monday 13 May 2013");
    press(&mut harness, Key::C);
    harness.get_by_label(TITLE_2);
}

#[test]
fn between_sessions_and_around_the_event() {
    let mut harness = harness(app_at("2013-05-13T10:40"), 1280.0, 720.0);
    harness.get_by_label("Break with Refreshments");
    harness.get_by_label("20:00");
    harness.get_by_label("Next at 11:00:  WiP/Unconference Solicitation");
    harness.get_by_label("Later today");
    move_clock(&mut harness, "2013-05-12T20:00");
    harness.get_by_label("12:15:00");
    harness.get_by_label("Monday 13 May 2013");
    move_clock(&mut harness, "2013-05-15T13:00");
    harness.get_by_label("Thank you for coming");
}

#[test]
fn text_fits_at_every_screen_shape() {
    for (width, height) in [
        (1920.0, 1080.0),
        (1280.0, 720.0),
        (1024.0, 768.0),
        (640.0, 360.0),
    ] {
        let harness = harness(app_at("2013-05-15T08:40"), width, height);
        // The longest author list of the program: every label stays inside the screen.
        let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, vec2(width, height));
        let speakers = harness.get_by_label_contains("Loris D'Antoni");
        assert!(
            screen.contains_rect(speakers.rect()),
            "{width}x{height}: {:?}",
            speakers.rect()
        );
        let countdown = harness.get_by_label("05:00");
        assert!(
            countdown.rect().height() >= height / 3.0 - 2.0
                || countdown.rect().width() >= width * 0.85,
            "{width}x{height}: the countdown is {:?}",
            countdown.rect()
        );
    }
}

fn snapshot_harness(app: LecternApp) -> Harness<'static, LecternApp> {
    harness(app, 640.0, 360.0)
}

#[test]
fn snapshots_of_the_projector() {
    let mut harness = snapshot_harness(app_at("2013-05-13T09:20"));
    harness.snapshot("projector-on-time");
    move_clock(&mut harness, "2013-05-13T09:26:30");
    harness.snapshot("projector-warning");
    move_clock(&mut harness, "2013-05-13T09:20");
    press(&mut harness, Key::Enter);
    move_clock(&mut harness, "2013-05-13T09:37:15");
    harness.snapshot("projector-overtime");
    press(&mut harness, Key::Num3);
    harness.snapshot("projector-message");
}

#[test]
fn snapshot_of_a_break() {
    let mut harness = snapshot_harness(app_at("2013-05-13T10:40"));
    harness.snapshot("projector-break");
}

#[test]
fn a_schedule_that_fails_to_reload_keeps_the_last_good_one_and_says_so() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = folder.path().join("hotos.json");
    std::fs::write(&path, lectern::source::EMBEDDED_SCHEDULE).expect("write schedule");
    let loaded = lectern::source::load_file(&path, &Default::default()).expect("loads");
    let options = common::rehearsal_options(
        ScheduleOrigin::File(path.clone()),
        &loaded.schedule,
        "2013-05-13T09:20",
    );
    let mut harness = snapshot_harness(LecternApp::new(options, loaded));
    std::fs::write(&path, "{\"version\": 1, \"event\": ").expect("break the file");
    press(&mut harness, Key::R);
    harness.get_by_label("Schedule not updated: last good version shown");
    harness.get_by_label("10:00");
    harness.snapshot("projector-reload-failed");
    std::fs::remove_file(&path).expect("remove");
    press(&mut harness, Key::R);
    harness.get_by_label("Schedule file missing: last good version shown");
}

#[test]
fn a_paper_ended_early_holds_the_room_for_the_next_one() {
    let mut harness = harness(app_at("2013-05-13T09:26"), 1280.0, 720.0);
    // Paper 2 (09:15–09:30) ends at 09:26: the projector counts down to paper 3's start and
    // already shows it.
    press(&mut harness, Key::E);
    harness.get_by_label("04:00");
    harness.get_by_label_contains("NEXT PAPER AT 09:30");
    harness.get_by_label_contains("Paper 3 of 4");
    harness.get_by_label("Virtualize Storage, Not Disks");
    harness.get_by_label_contains("Next at 09:45:  Unified High-Performance I/O");
    harness.snapshot("projector-hold");
    // At 09:30 the schedule takes over again.
    move_clock(&mut harness, "2013-05-13T09:31");
    harness.get_by_label("14:00");
    assert!(harness.query_by_label_contains("NEXT PAPER").is_none());
}

#[test]
fn the_chair_chooses_how_a_delay_is_absorbed() {
    let mut harness = harness(app_at("2013-05-13T09:21"), 1280.0, 800.0);
    press(&mut harness, Key::Enter);
    press(&mut harness, Key::C);
    harness.get_by_label_contains("running 6 min late: session ends 10:06");
    press(&mut harness, Key::A);
    assert_eq!(
        harness.state().chair().policy,
        lectern::chair::AbsorbPolicy::TrimQuestions
    );
    harness.get_by_label("shrink to end on time").click();
    harness.run();
    assert_eq!(
        harness.state().chair().policy,
        lectern::chair::AbsorbPolicy::Shrink
    );
    // Shrunk to the stop at 10:00, the later papers move and show where they were planned.
    harness.get_by_label_contains("session ends 10:00");
    harness.get_by_label_contains("(planned 09:30–09:45)");
}

#[test]
fn the_chair_view_shows_today_planned_against_actual() {
    let mut harness = harness(app_at("2013-05-13T09:20"), 1280.0, 1000.0);
    press(&mut harness, Key::C);
    harness.get_by_label("Today so far: planned against actual");
    // Nothing is logged before the first look, which a command takes.
    harness.get_by_label("Pause  [Space]").click();
    harness.run();
    // The paper on at 09:20 began at 09:15 by the program, and is still on.
    harness.get_by_label("09:15:00–");
    harness.get_by_label("09:15–09:30");
    // The earlier paper was due; the log knows nothing of it.
    harness.get_by_label("We Need to Talk About NICs");
}

#[test]
fn no_text_on_the_projector_is_too_small_for_the_back_row() {
    let schedule = common::hotos();
    // The middle of every paper of the program (the longest titles and author lists among
    // them), a break, and before the event.
    let mut instants: Vec<chrono::DateTime<chrono::Utc>> = schedule
        .sessions()
        .iter()
        .flat_map(|session| session.talks.iter())
        .map(|talk| talk.start + (talk.end - talk.start) / 2)
        .collect();
    instants.push(common::at(&schedule, "2013-05-13T10:40"));
    instants.push(common::at(&schedule, "2013-05-12T20:00"));
    for (width, height) in [(1024.0, 768.0), (1280.0, 720.0), (1920.0, 1080.0)] {
        let mut harness = harness(app_at("2013-05-13T09:20"), width, height);
        let mut smallest = f32::INFINITY;
        for instant in &instants {
            harness
                .state_mut()
                .set_clock(Clock::rehearsal(*instant, 0.0));
            harness.run();
            let size = lectern::ui::fit::smallest_size(&harness.ctx);
            assert!(
                size >= (height * lectern::ui::projector::MIN_TEXT).round() - 0.5,
                "{width}x{height} at {instant}: text set at {size} px"
            );
            smallest = smallest.min(size);
        }
        eprintln!("{width}x{height}: the smallest text is {smallest} px");
    }
    // Thirteen authors from four institutions: named as far as they fit, the rest counted.
    let harness = harness(app_at("2013-05-15T08:32"), 1024.0, 768.0);
    harness.get_by_label_contains("and 9 more");
}

#[test]
fn the_chair_view_lists_what_a_reload_changed() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path: PathBuf = folder.path().join("hotos.json");
    std::fs::write(&path, lectern::source::EMBEDDED_SCHEDULE).expect("write schedule");
    let loaded = lectern::source::load_file(&path, &Default::default()).expect("loads");
    let mut options = common::rehearsal_options(
        ScheduleOrigin::File(path.clone()),
        &loaded.schedule,
        "2013-05-13T09:20",
    );
    options.open_chair_view = true;
    let mut harness = harness(LecternApp::new(options, loaded), 1280.0, 900.0);
    let edited = lectern::source::EMBEDDED_SCHEDULE.replace(
        "\"title\": \"Opening Remarks\"",
        "\"title\": \"Welcome and Opening Remarks\"",
    );
    std::fs::write(&path, edited).expect("edit the file");
    press(&mut harness, Key::R);
    harness.get_by_label_contains("1 session retitled");
    harness.get_by_label("Retitled: \"Opening Remarks\" → \"Welcome and Opening Remarks\"");
}

/// A PNG of one colour, written with the png crate's encoder (not lectern's decoder).
fn solid_png(path: &std::path::Path, width: u32, height: u32, rgba: [u8; 4]) {
    let file = std::fs::File::create(path).expect("create the PNG");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("PNG header");
    let pixels: Vec<u8> = (0..width * height).flat_map(|_| rgba).collect();
    writer.write_image_data(&pixels).expect("PNG data");
}

/// An RGBA image's pixels, row by row, and its width.
struct Pixels {
    rgba: Vec<u8>,
    width: u32,
}

impl Pixels {
    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        let at = ((y * self.width + x) * 4) as usize;
        [self.rgba[at], self.rgba[at + 1], self.rgba[at + 2]]
    }

    /// Whether any pixel of the region is close to `color`.
    fn region_has(&self, x: std::ops::Range<u32>, y: std::ops::Range<u32>, color: [u8; 3]) -> bool {
        y.flat_map(|y| x.clone().map(move |x| (x, y)))
            .any(|(x, y)| {
                let pixel = self.at(x, y);
                (0..3).all(|channel| pixel[channel].abs_diff(color[channel]) <= 12)
            })
    }
}

fn render(harness: &mut Harness<'static, LecternApp>) -> Pixels {
    let image = harness.render().expect("render");
    Pixels {
        width: image.width(),
        rgba: image.into_raw(),
    }
}

#[test]
fn settings_from_the_file_reach_the_window_theme_clock_logo_and_message_keys() {
    use lectern::config::{Settings, load_file};
    use lectern::session::lock;
    let folder = tempfile::tempdir().unwrap();
    solid_png(&folder.path().join("logo.png"), 64, 16, [220, 20, 30, 255]);
    let path = folder.path().join("config.toml");
    std::fs::write(
        &path,
        "[display]\ntheme = \"light\"\nclock = \"12h\"\nlogo = \"logo.png\"\n\n[[message]]\ntext = \"Slides, please\"\nkey = \"F5\"\n",
    )
    .unwrap();

    // Before: the dark theme, 24-hour times, no logo, "Please wrap up" on 2.
    let mut plain = harness(app_at("2013-05-13T09:20"), 1280.0, 720.0);
    plain.get_by_label("09:20 MDT");
    let image = render(&mut plain);
    let dark = lectern::ui::theme::Palette::DARK.background.to_array();
    assert_eq!(image.at(30, 690), [dark[0], dark[1], dark[2]]);
    assert!(!image.region_has(0..420, 0..100, [220, 20, 30]));

    let app = app_at("2013-05-13T09:20");
    let settings = Settings::resolve(&[&load_file(&path).unwrap()]).unwrap();
    lock(app.session()).apply_settings(&settings);
    let mut harness = harness(app, 1280.0, 720.0);
    harness.get_by_label("9:20 AM MDT");
    let image = render(&mut harness);
    let light = lectern::ui::theme::Palette::LIGHT.background.to_array();
    assert_eq!(image.at(30, 690), [light[0], light[1], light[2]]);
    assert!(
        image.region_has(0..420, 0..100, [220, 20, 30]),
        "the logo is drawn in the header"
    );
    // The file's messages replace the built-in ones, keys included.
    press(&mut harness, Key::Num2);
    assert_eq!(harness.state().chair().message, None);
    press(&mut harness, Key::F5);
    harness.get_by_label("Slides, please");
}
