//! The importers against the real exports in `tests/data/import/` (copied from
//! `../shared/data/`): counts, named events, the time-zone rules, malformed input, and the
//! round trip through `lectern import`.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use chrono_tz::Tz;
use lectern::chair::ChairState;
use lectern::diagnostic::{Diagnostic, Location};
use lectern::formats::{Format, LoadOptions, load_bytes, native};
use lectern::model::{Placement, Schedule, SessionId, SessionKind};
use lectern::text;
use lectern::timing::{Thresholds, status_at};
use lectern::validate::{Loaded, TimeZoneSource};

fn import_path(name: &str) -> PathBuf {
    common::data_dir().join("import").join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(import_path(name)).expect("fixture exists")
}

fn options(zone: Option<Tz>) -> LoadOptions {
    LoadOptions {
        format: None,
        time_zone: zone,
        year: None,
    }
}

fn load(name: &str, zone: Option<Tz>) -> Loaded {
    match load_bytes(&bytes(name), &options(zone)) {
        Ok(loaded) => loaded,
        Err(error) => panic!("{name} should load:\n{}", error.render(name)),
    }
}

fn load_text(text: &str, zone: Option<Tz>) -> Result<Loaded, String> {
    load_bytes(text.as_bytes(), &options(zone)).map_err(|error| error.render("input"))
}

fn session<'a>(schedule: &'a Schedule, id: &str) -> &'a lectern::model::Session {
    schedule
        .session_by_id(&SessionId(id.to_owned()))
        .map(|(_, session)| session)
        .unwrap_or_else(|| panic!("no session {id}"))
}

fn rendered(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic.render("input"))
        .collect::<Vec<_>>()
        .join("\n")
}

const DENVER: Tz = chrono_tz::America::Denver;
const BRUSSELS: Tz = chrono_tz::Europe::Brussels;

/// A real export, how it is read, and what it must give: (file, format, --timezone,
/// sessions, talks, rooms).
type ExportCase = (&'static str, Format, Option<Tz>, usize, usize, usize);

#[test]
fn every_real_export_is_recognised_and_loads_with_its_counts() {
    let cases: [ExportCase; 6] = [
        ("frab_camp2019_schedule.json", Format::Frab, None, 79, 79, 2),
        (
            "c3hub_38c3_schedule2_excerpt.json",
            Format::Schedule2,
            None,
            2,
            2,
            5,
        ),
        (
            "pentabarf_fosdem2010_schedule.xml",
            Format::ScheduleXml,
            Some(BRUSSELS),
            300,
            300,
            22,
        ),
        // 262 VEVENTs, 8 of which list five rooms each: 262 - 8 + 40 sessions.
        (
            "ics_linux_conf_au_2020.ics",
            Format::ICalendar,
            None,
            294,
            202,
            6,
        ),
        (
            "usenix_hotos05_program_excerpt.txt",
            Format::Usenix,
            Some(DENVER),
            7,
            10,
            1,
        ),
        (
            "../hotos-2013-program.txt",
            Format::Usenix,
            Some(DENVER),
            42,
            27,
            1,
        ),
    ];
    for (name, format, zone, sessions, talks, rooms) in cases {
        assert_eq!(Format::detect(&bytes(name)), Some(format), "{name}");
        let schedule = load(name, zone).schedule;
        assert_eq!(
            (
                schedule.sessions().len(),
                schedule.talk_count(),
                schedule.rooms().len()
            ),
            (sessions, talks, rooms),
            "{name}: sessions, talks, rooms"
        );
    }
    assert_eq!(
        Format::detect(include_bytes!("../schedules/hotos-2013.json")),
        Some(Format::Native)
    );
}

#[test]
fn camp2019s_meitner_talk_after_midnight_is_still_on() {
    let loaded = load("frab_camp2019_schedule.json", None);
    assert_eq!(
        loaded.time_zone_source,
        TimeZoneSource::Declared("schedule.conference.time_zone_name".to_owned())
    );
    let schedule = loaded.schedule;
    let meitner = common::room(&schedule, "Meitner");
    let now = common::at(&schedule, "2019-08-23T00:10");
    let chair = ChairState::default();
    let status = status_at(&schedule, meitner, now, &chair, &Thresholds::default());
    let live = status.live().expect("a talk is on at 00:10");
    let zone = schedule.event().time_zone;
    assert!(
        live.session
            .display_title()
            .starts_with("Achtung, Datenpannen!")
    );
    assert_eq!(
        live.session
            .start
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        "2019-08-22 23:00"
    );
    assert_eq!(live.session.duration().num_minutes(), 90);
    let talk = live.talk.as_ref().expect("its talk");
    assert_eq!(
        text::people_line(&talk.talk.speakers),
        "Alvar C.H. Freude and Stefan Brink"
    );
    // The program groups it with the 22nd, whose day runs until 04:00.
    assert_eq!(
        schedule.event().day_change.format("%H:%M").to_string(),
        "04:00"
    );
    assert_eq!(schedule.conference_day(now).to_string(), "2019-08-22");
    // The event with no persons is a talk without speakers.
    let review = schedule
        .sessions()
        .iter()
        .find(|session| session.display_title() == "Infrastructure Review")
        .expect("Infrastructure Review");
    assert_eq!(review.talks.len(), 1);
    assert!(review.talks[0].speakers.is_empty());
}

/// The number of `<event>` elements under each `<room name=...>`, over all days.
fn events_per_room_in_xml(xml: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for room in xml.split("<room name=\"").skip(1) {
        // Each piece runs to the next room element, so its events are the room's.
        let (name, rest) = room.split_once('"').expect("a quoted name");
        *counts.entry(name.to_owned()).or_insert(0) += rest.matches("<event ").count();
    }
    counts
}

#[test]
fn fosdem_2010_needs_a_zone_and_then_shows_300_events_in_their_rooms() {
    let error = load_bytes(&bytes("pentabarf_fosdem2010_schedule.xml"), &options(None))
        .expect_err("no zone anywhere");
    let message = error.render("fosdem.xml");
    assert!(message.contains("--timezone"), "{message}");
    assert!(
        message.contains("fosdem.xml:17:5: schedule.day[0].room[\"Janson\"].event[0].start"),
        "{message}"
    );

    let loaded = load("pentabarf_fosdem2010_schedule.xml", Some(BRUSSELS));
    assert_eq!(loaded.time_zone_source, TimeZoneSource::Option);
    let schedule = loaded.schedule;
    assert_eq!(schedule.event().name, "FOSDEM 2010");
    assert_eq!(
        schedule.event().day_change.format("%H:%M").to_string(),
        "08:00"
    );
    let xml = String::from_utf8(bytes("pentabarf_fosdem2010_schedule.xml")).expect("UTF-8");
    let expected = events_per_room_in_xml(&xml);
    assert_eq!(expected.len(), 22);
    assert_eq!(expected.values().sum::<usize>(), 300);
    for (name, count) in &expected {
        let room = common::room(&schedule, name);
        let own = schedule
            .sessions()
            .iter()
            .filter(|session| session.placement == Placement::Room(room))
            .count();
        assert_eq!(own, *count, "events in {name}");
    }
    // Rooms without events are kept, and asking about one does not fail.
    let empty = common::room(&schedule, "AW1.115");
    assert_eq!(schedule.room_sessions(empty).count(), 0);
    let now = common::at(&schedule, "2010-02-06T12:00");
    let chair = ChairState::default();
    let status = status_at(&schedule, empty, now, &chair, &Thresholds::default());
    assert!(status.live().is_none());

    let welcome = session(&schedule, "819");
    assert_eq!(welcome.display_title(), "Welcome");
    assert_eq!(welcome.start.to_rfc3339(), "2010-02-06T09:00:00+00:00");
    assert_eq!(
        welcome.placement,
        Placement::Room(common::room(&schedule, "Janson"))
    );
    assert_eq!(
        text::people_line(&welcome.talks[0].speakers),
        "FOSDEM Staff"
    );
    // Hard-wrapped abstracts become one paragraph.
    let promoting = session(&schedule, "803");
    assert_eq!(
        promoting.talks[0].abstract_text.as_deref(),
        Some(
            "This talk will cover Aerosource, our project to bring open source development tools and methods to internal developers."
        )
    );
}

#[test]
fn linux_conf_au_items_without_a_location_are_venue_wide() {
    let loaded = load("ics_linux_conf_au_2020.ics", None);
    assert_eq!(
        loaded.time_zone_source,
        TimeZoneSource::Declared("X-WR-TIMEZONE".to_owned())
    );
    let schedule = loaded.schedule;
    assert_eq!(schedule.event().time_zone, chrono_tz::Australia::Brisbane);
    let venue_wide: Vec<&lectern::model::Session> = schedule
        .sessions()
        .iter()
        .filter(|session| session.placement == Placement::AllRooms)
        .collect();
    assert_eq!(venue_wide.len(), 17);
    let count = |title: &str, kind: SessionKind| {
        venue_wide
            .iter()
            .filter(|s| s.display_title() == title && s.kind == kind)
            .count()
    };
    assert_eq!(count("Morning Tea (catered)", SessionKind::Break), 5);
    assert_eq!(count("Afternoon Tea (catered)", SessionKind::Break), 5);
    assert_eq!(count("Lunch (uncatered)", SessionKind::Meal), 5);
    assert_eq!(count("Registration Open", SessionKind::Plenary), 1);
    assert_eq!(count("Early Registration", SessionKind::Plenary), 1);
    // A venue-wide lunch shows in a room that has nothing else on.
    let room5 = common::room(&schedule, "Room 5");
    let now = common::at(&schedule, "2020-01-15T12:30");
    let chair = ChairState::default();
    let status = status_at(&schedule, room5, now, &chair, &Thresholds::default());
    let live = status.live().expect("lunch");
    assert!(live.venue_wide);
    assert_eq!(live.session.display_title(), "Lunch (uncatered)");

    // The category prefix is gone, HTML is stripped, and text that only looks like a tag stays.
    for session in schedule.sessions() {
        assert!(
            !session.display_title().starts_with("Main Conference"),
            "{}",
            session.display_title()
        );
        let texts = session
            .talks
            .iter()
            .filter_map(|talk| talk.abstract_text.as_deref())
            .chain(session.description.as_deref());
        for text in texts {
            assert!(!text.contains("<p>") && !text.contains("</a>"), "{text}");
        }
    }
    let git = schedule
        .sessions()
        .iter()
        .flat_map(|session| &session.talks)
        .filter_map(|talk| talk.abstract_text.as_deref())
        .find(|text| text.contains("git newbranch"))
        .expect("the git talk");
    assert!(git.contains("`git newbranch <branch-name>`"), "{git}");
    // "Speaker:" lines are the speakers; keynotes keep their "Keynote:" titles.
    let keynote = schedule
        .sessions()
        .iter()
        .find(|session| session.display_title() == "Keynote: Who cares about Democracy?")
        .expect("keynote");
    assert_eq!(keynote.kind, SessionKind::Keynote);
    assert_eq!(
        text::people_line(&keynote.talks[0].speakers),
        "A/Prof Vanessa Teague"
    );
    // An event in five rooms is in each of them.
    let changeovers = schedule
        .sessions()
        .iter()
        .filter(|session| session.id.0.contains('#'))
        .count();
    assert_eq!(changeovers, 40);
}

#[test]
fn the_38c3_excerpt_has_its_participants_as_speakers() {
    let loaded = load("c3hub_38c3_schedule2_excerpt.json", None);
    let schedule = &loaded.schedule;
    let opening = session(schedule, "270fa44c-821a-577f-8ca3-33e8d4a8c2a7");
    assert_eq!(opening.kind, SessionKind::Plenary);
    let names: Vec<&str> = opening.talks[0]
        .speakers
        .iter()
        .map(|person| person.name.as_str())
        .collect();
    assert_eq!(names, ["Gabriela Bogk", "Aline Blankertz", "Senficon"]);
    let racing = session(schedule, "b1740c2f-0c44-5f1b-89ed-456a9eecf0b8");
    assert_eq!(
        racing.display_title(),
        "A Competitive Time-Trial AI for Need for Speed: Most Wanted Using Deep Reinforcement Learning"
    );
    assert_eq!(
        text::people_line(&racing.talks[0].speakers),
        "Sebastian Schwarz"
    );
    assert_eq!(
        racing.placement,
        Placement::Room(common::room(schedule, "Saal ZIGZAG"))
    );
    // 00:15 on the 28th belongs to the 27th: the congress day changes at 06:00.
    assert_eq!(
        schedule.event().day_change.format("%H:%M").to_string(),
        "06:00"
    );
    assert_eq!(
        schedule.conference_day(racing.start).to_string(),
        "2024-12-27"
    );
    // The days' +00:00 offsets are not Berlin's: said once, and the instants are kept.
    let warnings = rendered(&loaded.warnings);
    assert!(
        warnings.contains(
            "`2024-12-27T09:30:00+00:00` carries the offset +00:00, but Europe/Berlin is at +01:00"
        ),
        "{warnings}"
    );
    // The export's biographies and avatars are nowhere in the schedule.
    let written = native::write(schedule);
    assert!(
        !written.contains("biography")
            && !written.contains("avatar")
            && !written.contains("Obnoxious")
    );
}

#[test]
fn the_hotos_2013_page_gives_the_shipped_schedule_field_by_field() {
    let error = load_bytes(&bytes("../hotos-2013-program.txt"), &options(None))
        .expect_err("the page names no zone");
    assert!(
        error.render("page").contains("pass --timezone"),
        "{}",
        error.render("page")
    );

    let imported = load("../hotos-2013-program.txt", Some(DENVER));
    assert!(
        imported.warnings.is_empty(),
        "{}",
        rendered(&imported.warnings)
    );
    let imported = imported.schedule;
    let shipped = common::hotos();
    // The page has no event name, venue or short room name; the rest must be equal.
    let room_names = |schedule: &Schedule| -> Vec<String> {
        schedule
            .rooms()
            .iter()
            .map(|room| room.name.clone())
            .collect()
    };
    assert_eq!(room_names(&imported), room_names(&shipped));
    assert_eq!(imported.event().time_zone, shipped.event().time_zone);
    assert_eq!(imported.event().day_change, shipped.event().day_change);
    assert_eq!(imported.sessions().len(), shipped.sessions().len());
    for (got, want) in imported.sessions().iter().zip(shipped.sessions()) {
        let id = &want.id;
        assert_eq!(got.id, want.id);
        assert_eq!(got.title, want.title, "{id} title");
        assert_eq!(got.kind, want.kind, "{id} kind");
        assert_eq!(got.placement, want.placement, "{id} room");
        assert_eq!(got.location, want.location, "{id} location");
        assert_eq!((got.start, got.end), (want.start, want.end), "{id} times");
        assert_eq!(got.chair_role, want.chair_role, "{id} chair role");
        assert_eq!(got.chairs, want.chairs, "{id} chairs");
        assert_eq!(got.description, want.description, "{id} description");
        assert_eq!(got.talks.len(), want.talks.len(), "{id} talks");
        for (got_talk, want_talk) in got.talks.iter().zip(&want.talks) {
            let talk = &want_talk.id;
            assert_eq!(got_talk.id, want_talk.id, "{id}");
            assert_eq!(got_talk.title, want_talk.title, "{id}/{talk} title");
            assert_eq!(
                got_talk.speakers, want_talk.speakers,
                "{id}/{talk} speakers"
            );
            assert_eq!(
                got_talk.abstract_text, want_talk.abstract_text,
                "{id}/{talk} abstract"
            );
            assert_eq!(
                (got_talk.start, got_talk.end),
                (want_talk.start, want_talk.end),
                "{id}/{talk} times"
            );
        }
    }
}

#[test]
fn the_hotos_05_excerpt_reads_sensibly_up_to_where_it_is_cut() {
    let loaded = load("usenix_hotos05_program_excerpt.txt", Some(DENVER));
    let schedule = &loaded.schedule;
    assert_eq!(schedule.event().short_name, "HotOS '05");
    assert_eq!(
        schedule.event().name,
        "The 10th Workshop on Hot Topics in Operating Systems"
    );
    let summary: Vec<(String, Option<&str>, SessionKind, usize)> = schedule
        .sessions()
        .iter()
        .map(|s| (s.id.0.clone(), s.title.as_deref(), s.kind, s.talks.len()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "mon-0900".to_owned(),
                Some("Religious Wars"),
                SessionKind::Talks,
                3
            ),
            ("mon-1030".to_owned(), Some("Break"), SessionKind::Break, 0),
            ("mon-1100".to_owned(), None, SessionKind::Talks, 3),
            ("mon-1230".to_owned(), Some("Lunch"), SessionKind::Meal, 0),
            (
                "mon-1400".to_owned(),
                Some("Outside the Comfort Zone"),
                SessionKind::Talks,
                2
            ),
            ("mon-1500".to_owned(), Some("Break"), SessionKind::Break, 0),
            (
                "mon-1530".to_owned(),
                Some("It's Not AI, It's Systems"),
                SessionKind::Talks,
                2
            ),
        ]
    );
    let untitled = session(schedule, "mon-1100");
    assert_eq!(
        text::people_line(&untitled.chairs),
        "Butler Lampson, Microsoft Research"
    );
    assert_eq!(untitled.talks[1].title, "Stupid File Systems Are Better");
    let markets = &session(schedule, "mon-1400").talks[0];
    assert_eq!(markets.speakers.len(), 7);
    assert_eq!(
        markets.speakers[6].affiliation.as_deref(),
        Some("Intel Research, Berkeley")
    );
    // The last author line is cut off: the names it has are kept.
    let last = &session(schedule, "mon-1530").talks[1];
    let names: Vec<&str> = last.speakers.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Moises Goldszmidt", "Ira Cohen", "Armando Fox", "Steve Zha"]
    );
}

#[test]
fn an_imported_schedule_written_as_native_json_loads_to_the_same_schedule() {
    let cases: [(&str, Option<Tz>); 6] = [
        ("frab_camp2019_schedule.json", None),
        ("c3hub_38c3_schedule2_excerpt.json", None),
        ("pentabarf_fosdem2010_schedule.xml", Some(BRUSSELS)),
        ("ics_linux_conf_au_2020.ics", None),
        ("usenix_hotos05_program_excerpt.txt", Some(DENVER)),
        ("../hotos-2013-program.txt", Some(DENVER)),
    ];
    for (name, zone) in cases {
        let imported = load(name, zone).schedule;
        let written = native::write(&imported);
        assert_eq!(
            Format::detect(written.as_bytes()),
            Some(Format::Native),
            "{name}"
        );
        let reloaded = match load_bytes(written.as_bytes(), &LoadOptions::default()) {
            Ok(loaded) => loaded.schedule,
            Err(error) => panic!("{name} written as native JSON:\n{}", error.render(name)),
        };
        assert!(
            reloaded == imported,
            "{name}: the round trip changed the schedule"
        );
    }
}

/// A frab document with one event, its fields given as JSON text.
fn frab_with(zone: &str, event: &str) -> String {
    format!(
        r#"{{"schedule": {{"version": "1", "conference": {{"title": "Test", "acronym": "test",
        "time_zone_name": "{zone}", "days": [{{"index": 1, "date": "2024-03-01",
        "day_start": "2024-03-01T09:00:00+01:00", "day_end": "2024-03-02T04:00:00+01:00",
        "rooms": {{"Saal 1": [{event}]}}}}]}}}}}}"#
    )
}

#[test]
fn time_zone_rules_and_their_warnings() {
    // A file that says UTC but carries +01:00 offsets: the offsets win, and it is said.
    let event = r#"{"guid": "a", "date": "2024-03-01T10:00:00+01:00", "start": "10:00",
        "duration": "0:30", "room": "Saal 1", "title": "Talk", "type": "lecture", "persons": []}"#;
    let loaded = load_text(&frab_with("UTC", event), None).expect("loads");
    let warnings = rendered(&loaded.warnings);
    assert!(
        warnings.contains("carries the offset +01:00, but UTC is at +00:00"),
        "{warnings}"
    );
    assert_eq!(
        loaded.schedule.sessions()[0].start.to_rfc3339(),
        "2024-03-01T09:00:00+00:00"
    );

    // A `<date>` in UTC beside a local `<start>` that disagrees with it.
    let xml = r#"<?xml version="1.0"?><schedule><conference><title>T</title>
        <time_zone_name>Europe/Berlin</time_zone_name></conference>
        <day date="2024-03-01" index="1"><room name="A"><event id="1">
        <date>2024-03-01T10:00:00Z</date><start>10:00</start><duration>00:30</duration>
        <room>A</room><title>Talk</title><type>Talk 30 min</type></event></room></day></schedule>"#;
    let loaded = load_text(xml, None).expect("loads");
    let warnings = rendered(&loaded.warnings);
    assert!(warnings.contains("<start> 10:00 disagrees with <date> 2024-03-01T10:00:00Z (11:00 in Europe/Berlin); the date is used"), "{warnings}");
    assert_eq!(
        loaded.schedule.sessions()[0].start.to_rfc3339(),
        "2024-03-01T10:00:00+00:00"
    );

    // --timezone that contradicts the declared zone is not used, and said so.
    let loaded = load_text(&frab_with("Europe/Berlin", event), Some(DENVER)).expect("loads");
    assert_eq!(loaded.schedule.event().time_zone, chrono_tz::Europe::Berlin);
    assert!(rendered(&loaded.warnings).contains("--timezone America/Denver is not used"));

    // No zone, but every time has the same offset: shown at that offset, with a warning.
    let schedule2 = r#"{"$schema": "schedule2", "schedule": {"version": "1", "conference": {"title": "T"},
        "events": [{"guid": "e", "start": "2024-03-01T10:00:00+02:00", "end": "2024-03-01T10:45:00+02:00",
        "title": "Talk", "room": "A", "participants": [{"name": "Ada", "role": "SPEAKER"}]}]}}"#;
    let loaded = load_text(schedule2, None).expect("loads");
    assert_eq!(loaded.time_zone_source, TimeZoneSource::Offsets);
    assert_eq!(loaded.schedule.event().time_zone.name(), "Etc/GMT-2");
    let loaded = load_text(schedule2, Some(BRUSSELS)).expect("loads");
    assert_eq!(loaded.time_zone_source, TimeZoneSource::Option);
}

#[test]
fn type_labels_never_change_times() {
    let event = r#"{"guid": "a", "date": "2024-03-01T10:00:00+01:00", "duration": "0:45",
        "room": "Saal 1", "title": "Talk", "type": "Talk 30 min", "persons": [{"public_name": "Ada"}]}"#;
    let loaded = load_text(&frab_with("Europe/Berlin", event), None).expect("loads");
    assert_eq!(loaded.schedule.sessions()[0].duration().num_minutes(), 45);
    let warnings = rendered(&loaded.warnings);
    assert!(
        warnings.contains("says 30 min, but the event's times give 45 min; the times are used"),
        "{warnings}"
    );
}

#[test]
fn zero_length_events_are_shown_briefly_instead_of_failing_the_file() {
    let event = r#"{"guid": "doors", "date": "2024-03-01T09:00:00+01:00", "duration": "00:00",
        "room": "Saal 1", "title": "Doors open", "type": "other", "persons": []}"#;
    let loaded = load_text(&frab_with("Europe/Berlin", event), None).expect("loads");
    assert_eq!(loaded.schedule.sessions()[0].duration().num_minutes(), 5);
    let warnings = rendered(&loaded.warnings);
    assert!(
        warnings.contains("`Doors open` lasts no time; it is shown for 5 minutes"),
        "{warnings}"
    );
}

#[test]
fn durations_in_every_form_and_hours_past_24() {
    for (duration, minutes) in [
        ("0:30", 30),
        ("01:30", 90),
        ("26:00", 1560),
        ("00:45:00", 45),
        ("PT1H30M", 90),
    ] {
        let event = format!(
            r#"{{"guid": "a", "date": "2024-03-01T10:00:00+01:00", "duration": "{duration}",
            "room": "Saal 1", "title": "Talk", "type": "lecture", "persons": []}}"#
        );
        let loaded = load_text(&frab_with("Europe/Berlin", &event), None).expect("loads");
        assert_eq!(
            loaded.schedule.sessions()[0].duration().num_minutes(),
            minutes,
            "{duration}"
        );
    }
}

/// The location of the first error.
fn first_error(text: &str, zone: Option<Tz>) -> (Location, String) {
    let error = load_bytes(text.as_bytes(), &options(zone)).expect_err("malformed");
    let first = error.errors().next().expect("an error").clone();
    (first.location, error.render("input"))
}

#[test]
fn malformed_input_is_an_error_that_says_where() {
    // frab: a wrong type, at its JSON path and position.
    let event =
        r#"{"guid": "a", "date": "2024-03-01T10:00:00+01:00", "duration": "0:30", "title": 5}"#;
    let (location, message) = first_error(&frab_with("Europe/Berlin", event), None);
    assert!(
        matches!(&location, Location::PathAt { path, .. } if path == "schedule.conference.days[0].rooms[\"Saal 1\"][0].title"),
        "{message}"
    );
    // frab: a duration that is not one.
    let event = r#"{"guid": "a", "date": "2024-03-01T10:00:00+01:00", "duration": "half an hour", "title": "T"}"#;
    let (location, message) = first_error(&frab_with("Europe/Berlin", event), None);
    assert_eq!(
        location,
        Location::Path("schedule.conference.days[0].rooms[\"Saal 1\"][0].duration".to_owned()),
        "{message}"
    );
    // schedule2: a start that is not a date-time.
    let (location, message) = first_error(
        r#"{"$schema": "schedule2", "schedule": {"conference": {"time_zone_name": "Europe/Berlin"},
        "events": [{"start": "tomorrow", "end": "2024-03-01T10:00:00+01:00", "title": "T"}]}}"#,
        None,
    );
    assert_eq!(
        location,
        Location::Path("schedule.events[0].start".to_owned()),
        "{message}"
    );
    // schedule.xml: cut short.
    let xml = String::from_utf8(bytes("pentabarf_fosdem2010_schedule.xml")).expect("UTF-8");
    let (location, message) = first_error(&xml[..5000], Some(BRUSSELS));
    assert!(matches!(location, Location::LineColumn { .. }), "{message}");
    assert!(message.contains("the file ends inside <"), "{message}");
    // iCalendar: cut short, and a bad date-time.
    let ics = String::from_utf8(bytes("ics_linux_conf_au_2020.ics")).expect("UTF-8");
    let (_, message) = first_error(&ics[..3000], None);
    assert!(
        message.contains("the file ends inside the VEVENT that begins on line"),
        "{message}"
    );
    let broken = ics.replacen(
        "DTSTART;TZID=Australia/Brisbane;VALUE=DATE-TIME:20200114T070000",
        "DTSTART;TZID=Australia/Brisbane:2020-01-14 7am",
        1,
    );
    let (location, message) = first_error(&broken, None);
    assert_eq!(
        location,
        Location::LineColumn {
            line: 10,
            column: 1
        },
        "{message}"
    );
    // USENIX: a slot before any day.
    let (location, message) = first_error(
        "9:00 a.m.–10:00 a.m. Monday\nOpening\nMonday, May 13, 2013\n",
        Some(DENVER),
    );
    assert_eq!(
        location,
        Location::LineColumn { line: 1, column: 1 },
        "{message}"
    );
}

#[test]
fn the_format_can_be_forced_and_an_unknown_one_is_refused_with_help() {
    let text = "Just some notes about the conference.\n";
    let error = load_bytes(text.as_bytes(), &LoadOptions::default()).expect_err("not a schedule");
    let message = error.render("notes.txt");
    assert!(
        message.contains("does not recognise the format"),
        "{message}"
    );
    assert!(message.contains("--format"), "{message}");
    // Forcing a format reads the file as that format, with that format's errors.
    let forced = LoadOptions {
        format: Some(Format::ICalendar),
        time_zone: None,
        year: None,
    };
    let message = load_bytes(text.as_bytes(), &forced)
        .expect_err("not a calendar")
        .render("notes.txt");
    assert!(message.contains("notes.txt:1:1"), "{message}");
}

fn lectern(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(args)
        .output()
        .expect("the lectern binary runs")
}

#[test]
fn lectern_import_writes_a_native_file_that_lectern_check_accepts() {
    let folder = tempfile::tempdir().expect("temp folder");
    let output = folder.path().join("fosdem.json");
    let input = import_path("pentabarf_fosdem2010_schedule.xml");
    let result = lectern(&[
        "import",
        input.to_str().expect("UTF-8 path"),
        "-o",
        output.to_str().expect("UTF-8 path"),
        "--timezone",
        "Europe/Brussels",
    ]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    assert!(
        stderr.contains("imported pentabarf/frab schedule.xml as 300 sessions"),
        "{stderr}"
    );
    let check = lectern(&["check", output.to_str().expect("UTF-8 path")]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{stdout}");
    assert!(
        stdout.contains("ok: 300 sessions, 300 talks, 22 rooms"),
        "{stdout}"
    );
    assert!(
        stdout.contains("time zone Europe/Brussels, declared at event.time_zone"),
        "{stdout}"
    );

    // Every subcommand takes --timezone and says where the zone came from.
    let check = lectern(&[
        "check",
        input.to_str().expect("UTF-8 path"),
        "--timezone",
        "Europe/Brussels",
    ]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("time zone Europe/Brussels, from --timezone"),
        "{stdout}"
    );
    let rooms = lectern(&[
        "rooms",
        input.to_str().expect("UTF-8 path"),
        "--timezone",
        "Europe/Brussels",
    ]);
    assert!(String::from_utf8_lossy(&rooms.stdout).contains("Janson"));
    let now = lectern(&[
        "now",
        input.to_str().expect("UTF-8 path"),
        "--timezone",
        "Europe/Brussels",
        "--room",
        "Janson",
        "--at",
        "2010-02-06T10:20",
    ]);
    let stdout = String::from_utf8_lossy(&now.stdout);
    assert!(stdout.contains("Welcome"), "{stdout}");
    let without_zone = lectern(&["check", input.to_str().expect("UTF-8 path")]);
    assert_eq!(without_zone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&without_zone.stdout).contains("--timezone"));
}
