//! The speaker page beside the room for ten minutes: headless Chromium shows `/speaker` from a
//! room whose rehearsal clock runs (at `LECTERN_DRIFT_SPEED`, default 1), and every 5 s the
//! page's estimate of the room's clock is compared with the room's clock itself, read just
//! before and just after. Prints the worst and the median difference. Target: within 250 ms
//! throughout. Also checks, at each sample, that the countdown the page shows is the one the
//! room shows (or the one a moment later, at a second's turn).
//!
//! Run with `cargo bench --bench browser_drift` (`LECTERN_DRIFT_SECONDS`, default 600). Needs
//! Debian's `chromium` or `LECTERN_CHROMIUM`.

#[path = "../tests/support/browser.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use lectern::clock::Clock;
use lectern::server::ServerConfig;
use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions, lock};
use lectern::timing::Thresholds;

fn main() {
    let seconds: u64 = std::env::var("LECTERN_DRIFT_SECONDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(600)
        .min(3600);
    let speed: f64 = std::env::var("LECTERN_DRIFT_SPEED")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1.0);
    let Ok(loaded) = lectern::source::load_embedded() else {
        eprintln!("the embedded schedule does not load");
        std::process::exit(1);
    };
    // The first morning's first session, so that a countdown runs throughout.
    let start = loaded.schedule.sessions()[1].start;
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Embedded,
            room: None,
            clock: Clock::rehearsal(start, speed),
            thresholds: Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: Default::default(),
        },
        loaded,
    )
    .shared();
    let server = match lectern::server::start(
        Arc::clone(&session),
        ServerConfig {
            listen: "127.0.0.1:0".parse().expect("a literal address"),
            token: "drift-bench-token-0123456789".to_owned(),
        },
    ) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let mut browser =
        support::Browser::open(&format!("http://{}/speaker", server.address()), 1280, 720);
    browser.wait_for(
        "document.getElementById('countdown').textContent.includes(':')",
        "document.getElementById('countdown').textContent",
    );
    std::thread::sleep(Duration::from_secs(2));
    let started = Instant::now();
    let mut differences = Vec::new();
    // How long each look took (the room's clock read before and after the page's): a page
    // clock inside that window is as exact as this measurement can tell.
    let mut windows = Vec::new();
    let mut countdown_mismatches = 0;
    let mut samples = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        let before = lock(&session).now();
        let page_ms = browser
            .evaluate("Math.round(Lectern.serverNow())")
            .as_i64()
            .unwrap_or(0);
        let after = lock(&session).now();
        let (before_ms, after_ms) = (before.timestamp_millis(), after.timestamp_millis());
        let difference = if page_ms < before_ms {
            before_ms - page_ms
        } else if page_ms > after_ms {
            page_ms - after_ms
        } else {
            0
        };
        differences.push(difference);
        windows.push(after_ms - before_ms);
        // The page's countdown against the room's, at the same moment.
        let shown = browser
            .evaluate("document.getElementById('countdown').textContent")
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let room_before = countdown_text(&session, before);
        // The lock is taken and let go on its own line: a guard held by a temporary would
        // still be held inside `countdown_text`, which takes the lock again.
        let after_countdown = lock(&session).now();
        let room_after = countdown_text(&session, after_countdown);
        // The page redraws 5 ms after each second turns: a look just after the turn may
        // still find the previous second on it.
        let room_just_before =
            countdown_text(&session, before - chrono::Duration::milliseconds(50));
        if shown != room_before && shown != room_after && shown != room_just_before {
            countdown_mismatches += 1;
            eprintln!("page shows {shown}, the room {room_before} to {room_after}");
        }
        samples += 1;
        std::thread::sleep(Duration::from_secs(5));
    }
    differences.sort_unstable();
    windows.sort_unstable();
    let window_median = windows.get(windows.len() / 2).copied().unwrap_or(0);
    let window_worst = windows.last().copied().unwrap_or(0);
    let median = differences.get(differences.len() / 2).copied().unwrap_or(0);
    let worst = differences.last().copied().unwrap_or(0);
    println!(
        "speaker page beside the room for {seconds} s at speed {speed}: {samples} samples, clock difference median {median} ms, worst {worst} ms (outside a look of median {window_median} ms, longest {window_worst} ms, in room time); countdown text differed {countdown_mismatches} times"
    );
}

fn countdown_text(
    session: &lectern::session::SharedSession,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let snapshot = lock(session).snapshot();
    let status = snapshot.status(now);
    status
        .live()
        .map(|live| lectern::text::countdown(live.countdown().remaining))
        .unwrap_or_default()
}
