//! Loading a 1 MB frab `schedule.json` and a 1 MB `schedule.xml`: recognising the format,
//! parsing, converting and validating.
//!
//! Target: ≤ 20 ms each. Run with `cargo bench --no-default-features --bench importers`.

use chrono::{Duration, NaiveDate};
use divan::Bencher;
use lectern::formats::{Format, LoadOptions, load_bytes};

const DAYS: usize = 5;
const ROOMS: usize = 20;
/// Events per room and day: 14 of 45 minutes with 15-minute gaps, from 09:00.
const EVENTS_PER_ROOM_AND_DAY: usize = 14;
/// About a megabyte in either format.
const TARGET_BYTES: usize = 1024 * 1024;

fn main() {
    divan::main();
}

const ABSTRACT: &str = "An abstract of a few sentences, as real programs carry for every talk. \
    It says what the talk is about, why it matters and what the audience will take home; \
    exports wrap it, escape it and sometimes put HTML in it.";

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 19).unwrap_or_default()
}

/// (day, room, slot, start as local date-time text, start as HH:MM)
fn slots() -> impl Iterator<Item = (usize, usize, usize, String, String)> {
    (0..DAYS).flat_map(|day| {
        (0..ROOMS).flat_map(move |room| {
            (0..EVENTS_PER_ROOM_AND_DAY).map(move |slot| {
                let start = first_day().and_hms_opt(9, 0, 0).unwrap_or_default()
                    + Duration::days(day as i64)
                    + Duration::minutes(60 * slot as i64);
                (
                    day,
                    room,
                    slot,
                    start.format("%Y-%m-%dT%H:%M:%S+02:00").to_string(),
                    start.format("%H:%M").to_string(),
                )
            })
        })
    })
}

/// A frab schedule.json of about a megabyte: 5 days, 20 rooms, 1,400 events.
fn frab_json() -> String {
    let mut days: Vec<serde_json::Value> = (0..DAYS)
        .map(|day| {
            let date = first_day() + Duration::days(day as i64);
            serde_json::json!({
                "index": day + 1,
                "date": date.format("%Y-%m-%d").to_string(),
                "day_start": format!("{}T09:00:00+02:00", date.format("%Y-%m-%d")),
                "day_end": format!("{}T04:00:00+02:00", (date + Duration::days(1)).format("%Y-%m-%d")),
                "rooms": serde_json::Map::new(),
            })
        })
        .collect();
    for (day, room, slot, date, start) in slots() {
        let id = (day * ROOMS + room) * EVENTS_PER_ROOM_AND_DAY + slot + 1;
        let event = serde_json::json!({
            "url": format!("https://example.org/event/{id}.html"),
            "id": id,
            "guid": format!("00000000-0000-4000-8000-{id:012}"),
            "logo": null,
            "date": date,
            "start": start,
            "duration": "00:45",
            "room": format!("Room {room}"),
            "slug": format!("generated-{id}-a-talk"),
            "title": format!("Talk {id}: a title of a realistic length for a conference talk"),
            "subtitle": "",
            "track": "Generated",
            "type": "lecture",
            "language": "en",
            "abstract": ABSTRACT,
            "description": "",
            "recording_license": "",
            "do_not_record": false,
            "persons": [
                {"id": id * 2, "public_name": format!("Speaker {id}a")},
                {"id": id * 2 + 1, "public_name": format!("Speaker {id}b")}
            ],
            "links": [],
            "attachments": []
        });
        let rooms = days[day]["rooms"].as_object_mut().map(|rooms| {
            rooms
                .entry(format!("Room {room}"))
                .or_insert(serde_json::json!([]))
        });
        if let Some(serde_json::Value::Array(events)) = rooms {
            events.push(event);
        }
    }
    serde_json::json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "schedule": {
            "version": "generated",
            "base_url": "https://example.org/",
            "conference": {
                "acronym": "generated2026",
                "title": "Generated Conference",
                "start": "2026-08-19",
                "end": "2026-08-23",
                "daysCount": DAYS,
                "timeslot_duration": "00:15",
                "time_zone_name": "Europe/Berlin",
                "days": days,
            }
        }
    })
    .to_string()
}

/// A schedule.xml of about a megabyte, with the same program.
fn schedule_xml() -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n <version>generated</version>\n \
         <conference>\n  <acronym>generated2026</acronym>\n  <title>Generated Conference</title>\n  \
         <start>2026-08-19</start>\n  <end>2026-08-23</end>\n  <days>5</days>\n  \
         <day_change>04:00</day_change>\n  <timeslot_duration>00:15</timeslot_duration>\n  \
         <time_zone_name>Europe/Berlin</time_zone_name>\n </conference>\n",
    );
    let mut current: Option<(usize, usize)> = None;
    for (day, room, slot, date, start) in slots() {
        if current.map(|(d, _)| d) != Some(day) {
            if current.is_some() {
                xml.push_str("  </room>\n </day>\n");
            }
            let date_text = (first_day() + Duration::days(day as i64)).format("%Y-%m-%d");
            xml.push_str(&format!(
                " <day index=\"{}\" date=\"{date_text}\">\n",
                day + 1
            ));
            xml.push_str(&format!("  <room name=\"Room {room}\">\n"));
        } else if current.map(|(_, r)| r) != Some(room) {
            xml.push_str(&format!("  </room>\n  <room name=\"Room {room}\">\n"));
        }
        current = Some((day, room));
        let id = (day * ROOMS + room) * EVENTS_PER_ROOM_AND_DAY + slot + 1;
        xml.push_str(&format!(
            "   <event id=\"{id}\" guid=\"00000000-0000-4000-8000-{id:012}\">\n\
             \x20   <date>{date}</date>\n    <start>{start}</start>\n    <duration>00:45</duration>\n\
             \x20   <room>Room {room}</room>\n    <slug>generated-{id}-a-talk</slug>\n\
             \x20   <url>https://example.org/event/{id}.html</url>\n\
             \x20   <title>Talk {id}: a title of a realistic length for a conference talk</title>\n\
             \x20   <subtitle></subtitle>\n    <track>Generated</track>\n    <type>lecture</type>\n\
             \x20   <language>en</language>\n    <abstract>{ABSTRACT} &amp; more.</abstract>\n\
             \x20   <description></description>\n    <logo></logo>\n\
             \x20   <persons>\n     <person id=\"{}\">Speaker {id}a</person>\n     \
             <person id=\"{}\">Speaker {id}b</person>\n    </persons>\n\
             \x20   <links></links>\n    <attachments></attachments>\n   </event>\n",
            id * 2,
            id * 2 + 1
        ));
    }
    xml.push_str("  </room>\n </day>\n</schedule>\n");
    xml
}

fn bench_load(bencher: Bencher, text: String, format: Format) {
    assert!(
        (TARGET_BYTES * 8 / 10..TARGET_BYTES * 13 / 10).contains(&text.len()),
        "the generated file has {} bytes",
        text.len()
    );
    assert_eq!(Format::detect(text.as_bytes()), Some(format));
    match load_bytes(text.as_bytes(), &LoadOptions::default()) {
        Ok(loaded) => assert_eq!(
            loaded.schedule.sessions().len(),
            DAYS * ROOMS * EVENTS_PER_ROOM_AND_DAY
        ),
        Err(error) => panic!(
            "the generated file is invalid:\n{}",
            error.render("generated")
        ),
    }
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| load_bytes(divan::black_box(text.as_bytes()), &LoadOptions::default()));
}

#[divan::bench(sample_count = 20)]
fn load_1mb_frab_json(bencher: Bencher) {
    bench_load(bencher, frab_json(), Format::Frab);
}

#[divan::bench(sample_count = 20)]
fn load_1mb_schedule_xml(bencher: Bencher) {
    bench_load(bencher, schedule_xml(), Format::ScheduleXml);
}
