//! What following a URL costs, against the tests' scripted server on loopback:
//!
//! - the time from a change published on the server to the room session's schedule, with the
//!   poller at `--poll 5` (the change lands at a random point of the poll interval, so the
//!   expected wait is half the interval plus a fetch and a parse);
//! - the cost of a poll of an unchanged program: a conditional request answered 304 (time,
//!   and bytes on the wire both ways), against a full 200;
//! - the cost of working out what a reload changed on a 10,000-session program (done with the
//!   session locked).
//!
//! Run with `cargo bench --bench fetch_latency` (or `cargo test --bench fetch_latency` for a
//! debug build; the network numbers hardly differ). `ROUNDS=N` sets the number of changes
//! (0 leaves that part out).

#[path = "../tests/support/http.rs"]
mod http;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::{Reply, Request, Server};
use lectern::clock::Clock;
use lectern::fetch::{Fetched, Fetcher, Timeouts, UrlOrigin, Validators};
use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions, lock};
use lectern::source::EMBEDDED_SCHEDULE;
use lectern::timing::Thresholds;

const ORIGINAL_NAME: &str = "14th Workshop on Hot Topics in Operating Systems";

fn program(version: u32) -> String {
    EMBEDDED_SCHEDULE.replace(ORIGINAL_NAME, &format!("Version {version}"))
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("{message}");
    std::process::exit(1);
}

/// A server publishing one program with an ETag, answering 304 to its current version.
fn site() -> (Server, Arc<Mutex<u32>>) {
    let version = Arc::new(Mutex::new(1_u32));
    let shared = Arc::clone(&version);
    let server = Server::start(move |request: &Request| {
        let version = *shared
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let etag = format!("\"v{version}\"");
        if request.header("if-none-match") == Some(etag.as_str()) {
            return Reply::new(304, "").header("ETag", &etag);
        }
        Reply::new(200, program(version))
            .header("ETag", &etag)
            .header("Content-Type", "application/json")
    });
    (server, version)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn main() {
    let rounds: u32 = std::env::var("ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(8);
    conditional_poll_cost();
    if rounds > 0 {
        change_to_session_latency(rounds);
    }
    diff_cost();
}

fn conditional_poll_cost() {
    let (server, _) = site();
    let fetcher = Fetcher::new(&server.url("/schedule.json"), Timeouts::default());
    let validators = match fetcher.fetch(&Validators::default()) {
        Ok(Fetched::Body { validators, .. }) => validators,
        other => fail(format!("the first fetch failed: {other:?}")),
    };
    let full_request = server.traffic().requests[0].bytes;
    let full_response = server.traffic().response_bytes[0];
    const POLLS: usize = 300;
    let mut times = Vec::with_capacity(POLLS);
    for _ in 0..POLLS {
        let started = Instant::now();
        match fetcher.fetch(&validators) {
            Ok(Fetched::NotModified) => {}
            other => fail(format!("expected a 304: {other:?}")),
        }
        times.push(started.elapsed());
    }
    times.sort();
    let traffic = server.traffic();
    let request_bytes = traffic.requests[1].bytes;
    let response_bytes = traffic.response_bytes[1];
    // A full fetch, for comparison: without validators.
    let mut full_times = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        if fetcher.fetch(&Validators::default()).is_err() {
            fail("a full fetch failed");
        }
        full_times.push(started.elapsed());
    }
    full_times.sort();
    println!(
        "304 poll: p50 {:?}, p95 {:?}, max {:?} over {POLLS}; {request_bytes} bytes sent, {response_bytes} received",
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1],
    );
    println!(
        "200 fetch (for comparison): p50 {:?}; {full_request} bytes sent, {full_response} received",
        percentile(&full_times, 0.5),
    );
}

fn change_to_session_latency(rounds: u32) {
    let (server, version) = site();
    let cache = tempfile::tempdir().unwrap_or_else(|error| fail(error));
    let mut origin = UrlOrigin::new(&server.url("/schedule.json"));
    origin.poll = Some(Duration::from_secs(5));
    origin.cache_dir = Some(cache.path().to_owned());
    let (loaded, _) = lectern::fetch::start_load(&origin, &Default::default())
        .unwrap_or_else(|error| fail(error));
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Url(origin),
            room: None,
            clock: Clock::Real,
            thresholds: Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: Default::default(),
        },
        loaded,
    )
    .shared();
    RoomSession::start_watching(&session);
    let mut latencies = Vec::new();
    // A simple generator keeps the changes at spread-out points of the poll interval.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..rounds {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(seed % 5000));
        let next = round + 2;
        *version
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = next;
        let published = Instant::now();
        let wanted = format!("Version {next}");
        loop {
            if lock(&session).schedule().event().name == wanted {
                break;
            }
            if published.elapsed() > Duration::from_secs(30) {
                fail("the change never reached the session");
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        latencies.push(published.elapsed());
    }
    let mut sorted = latencies.clone();
    sorted.sort();
    let mean = sorted.iter().sum::<Duration>() / sorted.len().max(1) as u32;
    println!(
        "change on the server → session's schedule at --poll 5, {rounds} changes: min {:?}, median {:?}, mean {:?}, max {:?}",
        sorted[0],
        percentile(&sorted, 0.5),
        mean,
        sorted[sorted.len() - 1],
    );
    println!(
        "  each: {:?}",
        latencies
            .iter()
            .map(|latency| format!("{:.2} s", latency.as_secs_f64()))
            .collect::<Vec<_>>()
    );
}

/// A program of 10,000 sessions in 20 rooms, three talks each, with `edit` applied to every
/// hundredth session's title.
fn generated(edit: &str) -> String {
    let rooms: Vec<serde_json::Value> = (0..20)
        .map(|room| serde_json::json!(format!("Room {room}")))
        .collect();
    let sessions: Vec<serde_json::Value> = (0..10_000)
        .map(|index: usize| {
            let day = index / 400;
            let slot = (index / 20) % 20;
            let start = format!("2026-03-{:02}T{:02}:{:02}", 2 + day, 8 + slot / 2, 30 * (slot % 2));
            let end = format!("2026-03-{:02}T{:02}:{:02}", 2 + day, 8 + slot / 2, 30 * (slot % 2) + 25);
            let title = if index.is_multiple_of(100) {
                format!("Session {index}{edit}")
            } else {
                format!("Session {index}")
            };
            serde_json::json!({
                "id": format!("s{index}"), "title": title, "room": format!("Room {}", index % 20),
                "start": start, "end": end,
                "talks": (0..3).map(|talk| serde_json::json!({
                    "id": format!("t{talk}"), "title": format!("Talk {talk} of session {index}"),
                    "speakers": [{"name": format!("Speaker {index}-{talk}"), "affiliation": "Somewhere"}]
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "version": 1, "event": {"name": "Generated", "time_zone": "Europe/Berlin"},
        "rooms": rooms, "sessions": sessions,
    })
    .to_string()
}

fn diff_cost() {
    let load = |text: String| {
        lectern::formats::load_bytes(text.as_bytes(), &Default::default())
            .unwrap_or_else(|error| fail(error.render("generated")))
            .schedule
    };
    let old = load(generated(""));
    let new = load(generated(" (moved)"));
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..20 {
        let started = Instant::now();
        let changes = lectern::schedule_diff::diff(&old, &new);
        let summary = changes.summary(new.event().time_zone, lectern::schedule_diff::SUMMARY_LINES);
        times.push(started.elapsed());
        count = changes.changes.len();
        std::hint::black_box(summary);
    }
    times.sort();
    println!(
        "what a reload changed, 10,000 sessions and 30,000 talks ({count} changes): p50 {:?}, max {:?}",
        percentile(&times, 0.5),
        times[times.len() - 1]
    );
}
