//! Loading and querying a large schedule: 10,000 sessions in 20 rooms.
//!
//! Targets: loading and validating ≤ 50 ms; one `status_at` query ≤ 5 µs.
//! Run with `cargo bench --bench engine`.

use chrono::{Duration, TimeZone, Utc};
use divan::Bencher;
use lectern::chair::ChairState;
use lectern::formats::{LoadOptions, load_bytes};
use lectern::model::RoomId;
use lectern::timing::{Thresholds, status_at};

const ROOMS: usize = 20;
const SESSIONS: usize = 10_000;
const SLOTS_PER_DAY: usize = 20;

fn main() {
    divan::main();
}

/// A native schedule of `SESSIONS` sessions spread over `ROOMS` rooms, 20 slots a day, each
/// session with three talks by two speakers, as JSON.
fn generated_schedule() -> String {
    let rooms: Vec<serde_json::Value> = (0..ROOMS)
        .map(|room| serde_json::json!({"name": format!("Room {room}"), "short_name": format!("R{room}")}))
        .collect();
    let start_of_event = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .and_then(|day| day.and_hms_opt(8, 0, 0))
        .expect("valid date");
    let sessions: Vec<serde_json::Value> = (0..SESSIONS)
        .map(|index| {
            let room = index % ROOMS;
            let slot = index / ROOMS;
            let day = slot / SLOTS_PER_DAY;
            let slot_of_day = slot % SLOTS_PER_DAY;
            let start = start_of_event + Duration::days(day as i64) + Duration::minutes(30 * slot_of_day as i64);
            let end = start + Duration::minutes(25);
            let talks: Vec<serde_json::Value> = (0..3)
                .map(|talk| {
                    serde_json::json!({
                        "id": format!("t{talk}"),
                        "title": format!("Talk {talk} of session {index}: a title of a realistic length for a paper"),
                        "speakers": [
                            {"name": format!("Speaker {index}-{talk}a"), "affiliation": "University of Somewhere"},
                            {"name": format!("Speaker {index}-{talk}b"), "affiliation": "Research Lab"}
                        ],
                        "abstract": "An abstract of a few sentences, as real programs carry for every paper.",
                    })
                })
                .collect();
            serde_json::json!({
                "id": format!("s{index}"),
                "title": format!("Session {index}"),
                "kind": "talks",
                "room": format!("Room {room}"),
                "start": start.format("%Y-%m-%dT%H:%M").to_string(),
                "end": end.format("%Y-%m-%dT%H:%M").to_string(),
                "chair": {"name": format!("Chair {index}"), "affiliation": "Institute"},
                "talks": talks,
            })
        })
        .collect();
    serde_json::json!({
        "version": 1,
        "event": {"name": "Generated Conference", "time_zone": "Europe/Berlin", "default_room": "Room 0"},
        "rooms": rooms,
        "sessions": sessions,
    })
    .to_string()
}

#[divan::bench(sample_count = 20)]
fn load_and_validate_10k_sessions(bencher: Bencher) {
    let text = generated_schedule();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| load_bytes(divan::black_box(text.as_bytes()), &LoadOptions::default()));
}

#[divan::bench(sample_count = 200, sample_size = 100)]
fn status_at_in_10k_sessions(bencher: Bencher) {
    let text = generated_schedule();
    let schedule = match load_bytes(text.as_bytes(), &LoadOptions::default()) {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!("generated schedule is invalid: {error}"),
    };
    let chair = ChairState::default();
    let thresholds = Thresholds::default();
    let first = schedule.first_start();
    let span = (schedule.last_end() - first).num_seconds();
    // Instants spread over the whole event, in every room, in a fixed pseudo-random order.
    let queries: Vec<(RoomId, chrono::DateTime<Utc>)> = (0..1024_i64)
        .map(|i| {
            let offset = (i * 7919 * 104_729) % span;
            (
                RoomId((i as usize * 7) % ROOMS),
                first + Duration::seconds(offset),
            )
        })
        .collect();
    let _ = Utc.timestamp_opt(0, 0);
    let mut next = 0;
    bencher.bench_local(|| {
        let (room, now) = queries[next % queries.len()];
        next += 1;
        let status = status_at(&schedule, room, divan::black_box(now), &chair, &thresholds);
        divan::black_box(status.agenda.len())
    });
}
