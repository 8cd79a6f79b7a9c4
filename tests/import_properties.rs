//! Property tests: whatever bytes an importer is given (generated, or a real export truncated,
//! with bytes flipped, or with a value of the wrong type), it returns a schedule or an error
//! that says where, and never panics.

mod common;

use lectern::diagnostic::{LoadError, Location};
use lectern::formats::{Format, LoadOptions, load_bytes};
use proptest::prelude::*;

/// Small but real inputs of every format: the real exports cut down to a few events.
fn samples() -> Vec<(Format, Vec<u8>)> {
    let read = |name: &str| {
        std::fs::read(common::data_dir().join("import").join(name)).expect("fixture exists")
    };
    let frab = {
        let mut value: serde_json::Value =
            serde_json::from_slice(&read("frab_camp2019_schedule.json")).expect("JSON");
        if let Some(days) = value["schedule"]["conference"]["days"].as_array_mut() {
            days.truncate(1);
            if let Some(rooms) = days[0]["rooms"].as_object_mut() {
                for events in rooms.values_mut() {
                    if let Some(events) = events.as_array_mut() {
                        events.truncate(3);
                    }
                }
            }
        }
        serde_json::to_vec_pretty(&value).expect("JSON")
    };
    let xml = {
        let text = String::from_utf8(read("pentabarf_fosdem2010_schedule.xml")).expect("UTF-8");
        let end = text
            .find("<room name=\"Chavanne\">")
            .expect("a second room");
        format!("{} </day>\n</schedule>\n", &text[..end]).into_bytes()
    };
    let ics = {
        let text = String::from_utf8(read("ics_linux_conf_au_2020.ics")).expect("UTF-8");
        let events: Vec<&str> = text.split("BEGIN:VEVENT").take(9).collect();
        format!("{}END:VCALENDAR\r\n", events.join("BEGIN:VEVENT")).into_bytes()
    };
    vec![
        (Format::Frab, frab),
        (Format::Schedule2, read("c3hub_38c3_schedule2_excerpt.json")),
        (Format::ScheduleXml, xml),
        (Format::ICalendar, ics),
        (Format::Usenix, read("usenix_hotos05_program_excerpt.txt")),
        (Format::Usenix, read("usenix_osdi_2008.txt")),
        (Format::Usenix, read("usenix_hotos_2017.txt")),
        (
            Format::Native,
            include_bytes!("data/ok/midnight.json").to_vec(),
        ),
    ]
}

/// Errors about the file as a whole, which have no better place to point at.
const FILE_WIDE: &[&str] = &[
    "the file is empty",
    "lectern does not recognise the format",
    "the file has no",
    "the page has no time lines",
    "the file names no time zone",
    "the file could not be read",
];

/// Every error says where, unless it is about the file as a whole; and there is one.
fn check_error(error: &LoadError) -> Result<(), TestCaseError> {
    let mut errors = error.errors().peekable();
    prop_assert!(errors.peek().is_some(), "a LoadError without an error");
    for diagnostic in errors {
        prop_assert!(!diagnostic.message.is_empty());
        if diagnostic.location == Location::Input {
            prop_assert!(
                FILE_WIDE
                    .iter()
                    .any(|start| diagnostic.message.starts_with(start)),
                "an error without a location: {}",
                diagnostic.message
            );
        }
    }
    Ok(())
}

fn load_both_ways(format: Format, bytes: &[u8]) -> Result<(), TestCaseError> {
    let zone = Some(chrono_tz::America::Denver);
    for options in [
        LoadOptions {
            format: Some(format),
            time_zone: zone,
            year: None,
        },
        LoadOptions {
            format: None,
            time_zone: zone,
            year: None,
        },
    ] {
        if let Err(error) = load_bytes(bytes, &options) {
            check_error(&error)?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn truncated_exports_load_or_say_where(sample in 0usize..8, cut in 0.0f64..1.0) {
        let samples = samples();
        let (format, bytes) = &samples[sample];
        let end = (bytes.len() as f64 * cut) as usize;
        load_both_ways(*format, &bytes[..end])?;
    }

    #[test]
    fn exports_with_flipped_bytes_load_or_say_where(
        sample in 0usize..8,
        flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 1..6),
    ) {
        let samples = samples();
        let (format, bytes) = &samples[sample];
        let mut bytes = bytes.clone();
        for (position, value) in flips {
            let index = ((bytes.len() as f64 * position) as usize).min(bytes.len() - 1);
            bytes[index] = value;
        }
        load_both_ways(*format, &bytes)?;
    }

    #[test]
    fn values_of_the_wrong_type_load_or_say_where(
        sample in 0usize..8,
        which in 0usize..200,
        replacement in prop_oneof![
            Just("42"), Just("null"), Just("[]"), Just("{}"), Just("true"), Just("\"\""),
            Just("<x/>"), Just("\u{a0}"), Just("-1:99"), Just("25:61"), Just("PT"),
        ],
    ) {
        let samples = samples();
        let (format, bytes) = &samples[sample];
        let text = String::from_utf8_lossy(bytes).into_owned();
        // Replace the text of the which-th value: after a JSON `": "`, inside an XML element,
        // after an iCalendar `:`, or a whole line of a page.
        let separators = [": ", ">", ":"];
        let mut positions: Vec<usize> = separators
            .iter()
            .flat_map(|separator| text.match_indices(separator).map(|(i, s)| i + s.len()))
            .collect();
        positions.sort_unstable();
        positions.dedup();
        prop_assume!(!positions.is_empty());
        let start = positions[which % positions.len()];
        let end = text[start..]
            .find([',', '<', '\n', '}'])
            .map_or(text.len(), |offset| start + offset);
        let mutated = format!("{}{replacement}{}", &text[..start], &text[end..]);
        load_both_ways(*format, mutated.as_bytes())?;
    }

    #[test]
    fn generated_text_behind_each_signature_loads_or_says_where(
        signature in prop_oneof![
            Just("{\"schedule\": {\"conference\": "),
            Just("{\"$schema\": \"schedule2\", \"schedule\": {\"events\": ["),
            Just("<?xml version=\"1.0\"?><schedule><day date=\"2020-01-01\"><room name=\"A\">"),
            Just("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"),
            Just("Monday, May 13, 2013\n9:00 a.m.–10:00 a.m. Monday\n"),
            Just("{\"version\": 1, \"event\": "),
        ],
        body in "\\PC{0,300}",
    ) {
        let bytes = format!("{signature}{body}").into_bytes();
        let detected = Format::detect(&bytes);
        for format in Format::ALL {
            load_both_ways(format, &bytes)?;
        }
        prop_assert!(detected.is_some());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for format in Format::ALL {
            load_both_ways(format, &bytes)?;
        }
    }
}
