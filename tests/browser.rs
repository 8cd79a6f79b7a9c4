//! The browser views in a real browser: headless Chromium loads `/speaker` and `/chair` from a
//! room's server on loopback, and is driven over the DevTools protocol (a WebSocket) to read
//! what the page shows and to press the remote's buttons. Needs Debian's `chromium` (or
//! `LECTERN_CHROMIUM=/path/to/chrome`); `.ci/run` installs it.

mod common;
#[path = "support/browser.rs"]
mod support;

use std::time::Duration;

use lectern::server::ServerHandle;
use lectern::session::{SharedSession, lock};
use serde_json::Value;
use support::Browser;

const TOKEN: &str = "browser-test-token-0123456789";

fn room_at(at: &str, speed: f64) -> (SharedSession, ServerHandle) {
    common::served_hotos(at, speed, TOKEN)
}

const SPEAKER_SHOWN: &str = "JSON.stringify([document.getElementById('countdown').textContent, document.getElementById('phase-word').textContent, document.getElementById('title').textContent, document.getElementById('notice').textContent])";

#[test]
fn the_speaker_page_shows_the_countdown_the_paper_and_what_the_chair_sends() {
    let (session, server) = room_at("2013-05-13T09:20", 0.0);
    let mut browser = Browser::open(&format!("http://{}/speaker", server.address()), 390, 844);
    browser.wait_for(
        "document.getElementById('countdown').textContent === '10:00'",
        SPEAKER_SHOWN,
    );
    browser.wait_for(
        "document.getElementById('title').textContent.startsWith('The NIC Is the Hypervisor')",
        SPEAKER_SHOWN,
    );
    browser.wait_for(
        "document.getElementById('phase-word').textContent === 'ON TIME'",
        SPEAKER_SHOWN,
    );
    // The rehearsal is said on the page, as on the projector.
    browser.wait_for(
        "document.getElementById('notice').textContent.includes('REHEARSAL')",
        SPEAKER_SHOWN,
    );
    // A message from the chair reaches the page without a reload.
    let now = lock(&session).now();
    lock(&session).apply(
        &lectern::chair::ChairCommand::ShowMessage("Please wrap up".to_owned()),
        now,
    );
    browser.wait_for(
        "document.getElementById('message').textContent === 'Please wrap up' && !document.getElementById('message').hidden",
        SPEAKER_SHOWN,
    );
}

#[test]
fn a_press_on_the_phone_remote_changes_the_room() {
    let (session, server) = room_at("2013-05-13T09:20", 0.0);
    let mut browser = Browser::open(
        &format!("http://{}/chair#token={TOKEN}", server.address()),
        390,
        844,
    );
    let shown = "JSON.stringify([document.getElementById('countdown').textContent, document.getElementById('title').textContent, document.getElementById('feedback').textContent])";
    browser.wait_for(
        "document.getElementById('countdown').textContent === '10:00'",
        shown,
    );
    // The token moved from the address into the browser's storage.
    assert_eq!(
        browser.evaluate("location.hash === '' && localStorage.getItem('lectern-token')"),
        Value::String(TOKEN.to_owned())
    );
    press(&mut browser, "Next ▶");
    browser.wait_for(
        "document.getElementById('title').textContent === 'Virtualize Storage, Not Disks'",
        shown,
    );
    let chair = lock(&session).chair().clone();
    let timer = chair.timer.expect("the remote started the next paper");
    assert_eq!(
        timer.talk.expect("a talk").0,
        "virtualize-storage-not-disks"
    );

    press(&mut browser, "+1 min");
    browser.wait_for(
        "document.getElementById('countdown').textContent === '16:00'",
        shown,
    );
    assert_eq!(
        lock(&session)
            .chair()
            .timer
            .as_ref()
            .map(|timer| timer.added),
        Some(chrono::Duration::seconds(60))
    );

    // The chair's choice of policy is shown as chosen, and the session keeps it.
    press(&mut browser, "Shrink to fit");
    browser.wait_for(
        "document.querySelector('button[data-policy=shrink]').classList.contains('chosen')",
        shown,
    );
    assert_eq!(
        lock(&session).chair().policy,
        lectern::chair::AbsorbPolicy::Shrink
    );
    // Paper 3 ended at 09:20: the room holds for paper 4 at its planned 09:45, and shows it.
    press(&mut browser, "End paper, hold");
    browser.wait_for(
        "document.getElementById('phase-word').textContent === 'NEXT PAPER AT 09:45' && document.getElementById('title').textContent.startsWith('Unified High-Performance I/O')",
        shown,
    );
}

/// Presses the button with this label, as a finger would.
fn press(browser: &mut Browser, label: &str) {
    let pressed = browser.evaluate(&format!(
        "(() => {{ const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === {label:?}); if (!button) return false; button.click(); return true; }})()"
    ));
    assert_eq!(pressed, Value::Bool(true), "no button labelled {label}");
}

/// The page's countdown against the room's own, over a running clock: they agree to within a
/// quarter of a second, read at the same moment.
#[test]
fn the_page_counts_down_with_the_room() {
    let (session, server) = room_at("2013-05-13T09:20", 1.0);
    let mut browser = Browser::open(&format!("http://{}/speaker", server.address()), 1280, 720);
    browser.wait_for(
        "document.getElementById('countdown').textContent.includes(':')",
        SPEAKER_SHOWN,
    );
    // Let the clock sync settle, then compare the page's estimate of the server's clock with
    // the session's clock itself, several times.
    std::thread::sleep(Duration::from_millis(1500));
    let mut worst_ms: i64 = 0;
    for _ in 0..10 {
        let before = lock(&session).now().timestamp_millis();
        let page = browser
            .evaluate("Math.round(Lectern.serverNow())")
            .as_i64()
            .expect("a number");
        let after = lock(&session).now().timestamp_millis();
        let off = if page < before {
            before - page
        } else if page > after {
            page - after
        } else {
            0
        };
        worst_ms = worst_ms.max(off);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        worst_ms <= 250,
        "the page's clock is {worst_ms} ms off the room's"
    );
}

/// A rehearsal clock ten times as fast: the page must redraw on the room's seconds, not on
/// real ones, and show what the room shows at every look.
#[test]
fn the_page_keeps_up_with_a_fast_rehearsal_clock() {
    let (session, server) = room_at("2013-05-13T09:20", 10.0);
    let mut browser = Browser::open(&format!("http://{}/speaker", server.address()), 1280, 720);
    browser.wait_for(
        "document.getElementById('countdown').textContent.includes(':')",
        SPEAKER_SHOWN,
    );
    std::thread::sleep(Duration::from_millis(1500));
    let room_text = |at: chrono::DateTime<chrono::Utc>| {
        let snapshot = lock(&session).snapshot();
        let status = snapshot.status(at);
        status
            .live()
            .map(|live| lectern::text::countdown(live.countdown().remaining))
            .unwrap_or_default()
    };
    let mut mismatches = Vec::new();
    for _ in 0..10 {
        let before = lock(&session).now();
        let shown = browser
            .evaluate("document.getElementById('countdown').textContent")
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let after = lock(&session).now();
        // The page redraws 5 ms (real) after each of the room's seconds turns.
        let accepted = [
            room_text(before - chrono::Duration::milliseconds(100)),
            room_text(before),
            room_text(after),
        ];
        if !accepted.contains(&shown) {
            mismatches.push(format!("page {shown}, room {accepted:?}"));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(mismatches.is_empty(), "{mismatches:?}");
}

/// FOSDEM 2010 (22 rooms) served at 14:10 on its first day, the clock stopped, keeping time
/// for Janson, where the chair started the talk five minutes late.
fn fosdem_served() -> (SharedSession, ServerHandle) {
    use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions};
    let path = common::data_dir()
        .join("import")
        .join("pentabarf_fosdem2010_schedule.xml");
    let options = lectern::formats::LoadOptions {
        time_zone: Some(chrono_tz::Europe::Brussels),
        ..Default::default()
    };
    let loaded = lectern::source::load_file(&path, &options).expect("FOSDEM loads");
    let now = common::at(&loaded.schedule, "2010-02-06T14:10");
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::File(path),
            room: loaded.schedule.find_room("Janson"),
            clock: lectern::clock::Clock::rehearsal(now, 0.0),
            thresholds: lectern::timing::Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: options,
        },
        loaded,
    )
    .shared();
    let started = common::at(lock(&session).schedule(), "2010-02-06T14:05");
    lock(&session).apply(&lectern::chair::ChairCommand::StartNow, started);
    let server = lectern::server::start(
        std::sync::Arc::clone(&session),
        lectern::server::ServerConfig {
            listen: "127.0.0.1:0".parse().expect("address"),
            token: TOKEN.to_owned(),
        },
    )
    .expect("the server starts");
    (session, server)
}

#[test]
fn the_hallway_page_shows_every_room_and_the_kept_rooms_real_state() {
    let (_session, server) = fosdem_served();
    let mut browser = Browser::open(
        &format!(
            "http://{}/overview?rooms=Janson,Chavanne,Ferrer,H.1301",
            server.address()
        ),
        1920,
        1080,
    );
    let shown = "JSON.stringify([...document.querySelectorAll('.room-card, .room-compact')].map((node) => node.textContent))";
    browser.wait_for(
        "[...document.querySelectorAll('.room-card')].some((card) => card.textContent.includes('Janson') && card.textContent.includes('What is my system doing'))",
        shown,
    );
    // The room this lectern keeps shows its chair's late start; the others the schedule.
    browser.wait_for(
        "[...document.querySelectorAll('.room-card')].some((card) => card.textContent.includes('Janson') && card.textContent.includes('until 14:50'))",
        shown,
    );
    browser.wait_for(
        "[...document.querySelectorAll('.room-card')].some((card) => card.textContent.includes('Chavanne') && card.textContent.includes('35 min left · until 14:45'))",
        shown,
    );
    // Four rooms fit on one page.
    assert_eq!(
        browser.evaluate("document.querySelectorAll('.room-card').length"),
        Value::from(4)
    );
    assert_eq!(
        browser.evaluate("document.getElementById('pages').textContent"),
        Value::from("")
    );
    // No card spills out of the screen.
    let spills = browser.evaluate(
        "[...document.querySelectorAll('.room-card, .room-compact')].filter((node) => node.getBoundingClientRect().bottom > window.innerHeight + 1 || node.getBoundingClientRect().right > window.innerWidth + 1).length",
    );
    assert_eq!(spills, Value::from(0));
}

#[test]
fn the_hallway_page_turns_pages_when_the_rooms_do_not_fit() {
    let (_session, server) = fosdem_served();
    let mut browser = Browser::open(&format!("http://{}/overview", server.address()), 1920, 1080);
    let shown = "document.getElementById('pages').textContent";
    browser.wait_for(
        "/^Page [1-4] of [2-4]$/.test(document.getElementById('pages').textContent)",
        shown,
    );
    let spills = browser.evaluate(
        "[...document.querySelectorAll('.room-card, .room-compact')].filter((node) => node.getBoundingClientRect().bottom > window.innerHeight + 1 || node.getBoundingClientRect().right > window.innerWidth + 1).length",
    );
    assert_eq!(spills, Value::from(0));
}

#[test]
fn the_phone_remote_offers_the_settings_messages_and_writes_times_as_they_say() {
    let (session, server) = room_at("2013-05-13T09:20", 0.0);
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("config.toml");
    std::fs::write(
        &path,
        "[display]\nclock = \"12h\"\n\n[[message]]\ntext = \"Mic, please\"\nkey = \"7\"\n\n[[message]]\ntext = \"Two minutes\"\n",
    )
    .unwrap();
    let file = lectern::config::load_file(&path).unwrap();
    let settings = lectern::config::Settings::resolve(&[&file]).unwrap();
    lock(&session).apply_settings(&settings);

    let mut browser = Browser::open(
        &format!("http://{}/chair#token={TOKEN}", server.address()),
        390,
        844,
    );
    let presets =
        "JSON.stringify([...document.querySelectorAll('button.preset')].map((b) => b.textContent))";
    browser.wait_for(
        &format!("{presets} === JSON.stringify(['Mic, please', 'Two minutes'])"),
        presets,
    );
    assert_eq!(
        browser.evaluate("[...document.querySelectorAll('button')].some((b) => b.textContent === 'Please wrap up')"),
        Value::Bool(false),
        "the built-in messages are replaced"
    );
    press(&mut browser, "Two minutes");
    let shown = "JSON.stringify([document.getElementById('phase-word').textContent, document.getElementById('feedback').textContent])";
    browser.wait_for(
        "document.getElementById('feedback').textContent === 'Done.'",
        shown,
    );
    assert_eq!(
        lock(&session).chair().message.as_deref(),
        Some("Two minutes")
    );

    // End the paper: the hold names the next paper's time in the 12-hour form.
    press(&mut browser, "End paper, hold");
    browser.wait_for(
        "document.getElementById('phase-word').textContent === 'NEXT PAPER AT 9:30 AM'",
        shown,
    );
}
