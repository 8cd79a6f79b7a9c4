//! Generated and mutated inputs for every importer, shared by the fuzzer (`examples/fuzz.rs`,
//! run by `scripts/fuzz.sh`) and its CI-sized run in the test suite (`tests/fuzz.rs`).
//!
//! Inputs start from small templates of each format (one event that can be repeated) and from
//! the real exports in `tests/data/`, and are then mutated: bytes flipped, cut short, spliced
//! with another input, numbers, dates and durations replaced with extremes, strings replaced
//! with odd ones, deep nesting inserted, one event repeated thousands of times. Each input is
//! loaded in-process; a panic is caught, and every error must say where it is.

// Each includer uses a different part of this module.
#![allow(dead_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono_tz::Tz;
use lectern::chair::ChairState;
use lectern::diagnostic::{LoadError, Location, Severity};
use lectern::formats::{Format, LoadOptions, load_bytes, native};
use lectern::model::{RoomId, Schedule};
use lectern::report;
use lectern::timing::{Thresholds, status_at};

/// A small deterministic pseudo-random generator (SplitMix64): the same seed gives the same
/// inputs on every machine, so that a failure can be replayed from its seed.
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next_u64() % bound as u64) as usize
        }
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A format's template: the text before the events, one event, what separates two events,
/// and the text after them.
struct Template {
    format: Format,
    prefix: &'static str,
    event: &'static str,
    separator: &'static str,
    suffix: &'static str,
}

const TEMPLATES: &[Template] = &[
    Template {
        format: Format::Native,
        prefix: r#"{"version": 1, "event": {"name": "F", "short_name": "f", "time_zone": "Europe/Berlin", "default_room": "A", "day_change": "04:00"}, "rooms": ["A", {"name": "B", "short_name": "b"}], "sessions": ["#,
        event: r#"{"id": "s1", "title": "S", "kind": "talks", "room": "A", "start": "2024-03-30T09:00", "end": "2024-03-30T10:00", "chair": {"name": "C", "affiliation": "U"}, "talks": [{"id": "t1", "title": "T", "duration": 7.3333, "speakers": ["X", {"name": "Y", "affiliation": "Z"}]}, {"id": "t2", "title": "U", "duration": "PT20M"}, {"id": "t3", "title": "V", "start": "2024-03-30T09:40:00+01:00"}, {"id": "t4", "title": "W"}]}"#,
        separator: ", ",
        suffix: r#", {"id": "all", "title": "Lunch", "kind": "meal", "all_rooms": true, "start": "2024-03-30T12:00", "end": "2024-03-30T13:00"}, {"id": "night", "room": "b", "start": "2024-03-30T23:30", "end": "2024-03-31T03:30:00+02:00"}]}"#,
    },
    Template {
        format: Format::Frab,
        prefix: r#"{"schedule": {"version": "Gacrux", "conference": {"title": "C", "acronym": "c", "time_zone_name": "Europe/Berlin", "rooms": [{"name": "A"}], "days": [{"index": 1, "date": "2019-08-21", "day_start": "2019-08-21T04:00:00+02:00", "day_end": "2019-08-22T03:59:00+02:00", "rooms": {"A": ["#,
        event: r#"{"guid": "g1", "id": 1, "date": "2019-08-21T11:00:00+02:00", "start": "11:00", "duration": "00:45", "room": "A", "slug": "s", "title": "T", "subtitle": "s", "type": "lecture", "abstract": "<p>a &amp; b</p>", "persons": [{"public_name": "P"}, {"name": "Q"}]}"#,
        separator: ", ",
        suffix: r#"], "B": [{"id": 2, "start": "01:00", "duration": "0:30", "title": "Late", "type": "party", "persons": []}]}}]}}}"#,
    },
    Template {
        format: Format::Schedule2,
        prefix: r#"{"$schema": "https://c3voc.de/schedule/schema2.json", "schedule": {"version": "x", "conference": {"title": "C", "acronym": "c", "time_zone_name": "Europe/Berlin", "rooms": [{"name": "A", "guid": "r1"}], "days": [{"start": "2024-12-27T06:00:00+01:00", "end": "2024-12-28T06:00:00+01:00"}]}, "events": ["#,
        event: r#"{"guid": "g1", "code": "ABC", "title": "T", "subtitle": "U", "type": "TALK", "start": "2024-12-27T10:30:00+01:00", "end": "2024-12-27T11:10:00+01:00", "room": {"name": "A", "guid": "r1"}, "abstract": {"en": "x", "de": "y"}, "participants": [{"name": "M", "role": "MODERATOR"}, {"name": "S", "role": "SPEAKER"}], "state": "CONFIRMED"}"#,
        separator: ", ",
        suffix: r#", {"guid": "g9", "title": "L", "start": "2024-12-27T12:00:00+01:00", "duration": "PT1H", "room": "B", "state": "WITHDRAWN"}]}}"#,
    },
    Template {
        format: Format::ScheduleXml,
        prefix: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule><conference><title>C</title><acronym>c</acronym><time_zone_name>Europe/Brussels</time_zone_name><day_change>04:00</day_change><venue>V</venue><city>B</city></conference>\n<day date=\"2010-02-06\" index=\"1\" end=\"2010-02-07T04:00:00+01:00\"><room name=\"A\">\n",
        event: "<event id=\"1\" guid=\"g1\"><date>2010-02-06T10:00:00+01:00</date><start>10:00</start><duration>00:45</duration><room>A</room><slug>s</slug><title>T &amp; U</title><subtitle>S</subtitle><type>lecture</type><abstract><![CDATA[<p>x</p>]]></abstract><description>d&nbsp;e</description><persons><person id=\"1\">P</person></persons></event>",
        separator: "\n",
        suffix: "\n</room><room name=\"B\"><event id=\"2\"><start>01:00</start><duration>0:30</duration><title>Late</title><type>social</type></event></room></day></schedule>\n",
    },
    Template {
        format: Format::ICalendar,
        prefix: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:C\r\nX-WR-TIMEZONE:Australia/Sydney\r\nBEGIN:VTIMEZONE\r\nTZID:Australia/Sydney\r\nEND:VTIMEZONE\r\n",
        event: "BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY:Main Conference: lunch\r\nDTSTART;TZID=Australia/Sydney:20200114T090000\r\nDTEND:20200114T000000Z\r\nLOCATION:Room 1\r\nDESCRIPTION:Speaker: A and B\\nText\\, more\r\n  folded\r\nCATEGORIES:talk\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n",
        separator: "",
        suffix: "BEGIN:VEVENT\r\nUID:u2\r\nSUMMARY:X\r\nDTSTART:20200114T100000Z\r\nDURATION:PT45M\r\nLOCATION:Room 1\\, Room 2\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    },
    Template {
        format: Format::Usenix,
        prefix: "HotOS '13, The 14th Workshop on Hot Topics in Operating Systems\nTechnical Sessions\nAll sessions will take place in Tamaya FGH unless otherwise noted.\n\nMonday, May 13, 2013\n\n",
        event: "8:45 a.m.–9:00 a.m. Monday\nOpening Remarks\nProgram Chair: Petros Maniatis, Intel Labs\n\n9:00 a.m.–10:30 a.m. Monday\nShuffling I/O\nSession Chair: Andrew Warfield, University of British Columbia\n\nWe Need to Talk About NICs\nPravin Shinde, Timothy Roscoe, and Ada Lovelace, TheUniversity of Texas; B C, ETH Zurich\nOperating systems fail both to efficiently exploit the hardware.\n\nAvailable Media\n\n",
        separator: "",
        suffix: "Noon–1:30 p.m. Monday\nLunch\nPuma\n\n11:30–1:00 p.m.\nBreak\n",
    },
];

/// Numbers at the edges of what a file may hold.
const EXTREME_NUMBERS: &[&str] = &[
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1e308",
    "-1e308",
    "1e-308",
    "-0",
    "0",
    "-1",
    "7.3333",
    "4294967296",
    "99999999999999999999999999",
    "0.0001",
];

/// Dates and date-times at the edges of the calendar, and a few that do not exist.
const EXTREME_DATES: &[&str] = &[
    "9999-12-31T23:59",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "0000-01-01T00:00:00Z",
    "+262143-12-31T23:59:59Z",
    "-262143-01-01T00:00:00Z",
    "262143-12-31T23:59",
    "2024-02-30T10:00",
    "2024-03-31T02:30",
    "2024-10-27T02:30",
    "99991231T235959Z",
    "99991231T235959",
    "00010101T000000",
    "20240331T023000",
    "9999-12-31",
    "2024-13-01",
    "24:00",
    "23:59",
    "00:00",
];

/// Durations far outside any calendar, and odd small ones.
const EXTREME_DURATIONS: &[&str] = &[
    "PT9999999999H",
    "99999:00",
    "999999:59:59",
    "P999999999999D",
    "P1W",
    "P99999999999999W",
    "PT9223372036854775807S",
    "PT99999999999999999999S",
    "P106751991167300D",
    "PT0S",
    "0:00",
    "P1DT",
    "PT-1H",
    "1:5",
    "P",
];

/// Strings that exercise clean-up and escaping.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{a0}",
    "\u{0}",
    "\u{feff}",
    "\u{202e}abc",
    "é\u{301}",
    "𝄞",
    "&#xD800;",
    "&#1114112;",
    "&#99999999999;",
    "&amp;&lt;&nosuch;",
    "<p><li>x</li><br/>",
    "<a href=\"",
    "a\nb\r\nc\rd",
    "\\",
    "\"",
    "Keynote: Coffee break",
    "line 12",
    "Speaker: ,, and ;",
    "Main room",
    "-",
    "session",
    "s1",
];

/// What is shared between the seeds of a run: the templates and the real exports.
pub struct Corpus {
    seeds: Vec<(Format, Vec<u8>)>,
}

impl Corpus {
    /// The real exports and golden files under `data` (`tests/data`), each with its format.
    pub fn load(data: &Path) -> Self {
        let mut seeds = Vec::new();
        let files = [
            (
                "import/c3hub_38c3_schedule2_excerpt.json",
                Format::Schedule2,
            ),
            ("import/frab_camp2019_schedule.json", Format::Frab),
            ("import/ics_linux_conf_au_2020.ics", Format::ICalendar),
            (
                "import/pentabarf_fosdem2010_schedule.xml",
                Format::ScheduleXml,
            ),
            ("import/usenix_hotos05_program_excerpt.txt", Format::Usenix),
            ("hotos-2013-program.txt", Format::Usenix),
        ];
        for (name, format) in files {
            if let Ok(bytes) = std::fs::read(data.join(name)) {
                seeds.push((format, bytes));
            }
        }
        if let Ok(entries) = std::fs::read_dir(data.join("ok")) {
            let mut paths: Vec<_> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
                .collect();
            paths.sort();
            for path in paths {
                if let Ok(bytes) = std::fs::read(path) {
                    seeds.push((Format::Native, bytes));
                }
            }
        }
        Corpus { seeds }
    }

    /// How many real files were found.
    pub fn files(&self) -> usize {
        self.seeds.len()
    }
}

/// How large the generated inputs may get.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most copies of one event in an input.
    pub max_repeat: usize,
    /// One input in this many starts from a whole real export rather than a template.
    pub real_file_one_in: usize,
    /// One template in this many has its event repeated `max_repeat` times, and one mutation
    /// in this many makes the input that large (a long string, deep nesting, a repeated
    /// chunk). Large inputs find the quadratic paths; small ones keep the run fast.
    pub huge_one_in: usize,
}

/// One generated input and how it is to be loaded.
pub struct Input {
    /// The bytes of the file.
    pub bytes: Vec<u8>,
    /// The format it was made from (the loader is told it, or left to recognise it).
    pub format: Format,
    /// The options it is loaded with.
    pub options: LoadOptions,
}

/// Makes the next input.
pub fn generate(rng: &mut Rng, corpus: &Corpus, limits: Limits) -> Input {
    let from_file = !corpus.seeds.is_empty() && rng.one_in(limits.real_file_one_in.max(1));
    let (format, mut bytes) = if from_file {
        let (format, bytes) = rng.pick(&corpus.seeds);
        (*format, bytes.clone())
    } else {
        from_template(rng, limits)
    };
    let mutations = match rng.below(10) {
        0 => 0,
        1..=5 => 1,
        6..=8 => 2,
        _ => 3 + rng.below(4),
    };
    for _ in 0..mutations {
        mutate(rng, corpus, format, &mut bytes, limits);
    }
    let time_zone = match rng.below(6) {
        0 | 1 => None,
        2 => Some(Tz::UTC),
        3 => Some(chrono_tz::America::Denver),
        4 => Some(chrono_tz::Pacific::Kiritimati),
        _ => Some(chrono_tz::Pacific::Pago_Pago),
    };
    let time_zone = if format == Format::Usenix && rng.below(4) != 0 {
        Some(chrono_tz::America::Denver)
    } else {
        time_zone
    };
    // The year for program pages that name none: usually none, sometimes ordinary, sometimes
    // far outside any calendar.
    let year = match rng.below(8) {
        0 => Some(2013),
        1 => Some(i32::MAX),
        2 => Some(-262_144),
        3 => Some(0),
        _ => None,
    };
    let options = LoadOptions {
        format: (!rng.one_in(3)).then_some(format),
        time_zone,
        year,
    };
    Input {
        bytes,
        format,
        options,
    }
}

/// A template with its event repeated: usually once or a few times, sometimes thousands of
/// times (repeated ids, overlaps, the cost of loading), each copy possibly changed.
fn from_template(rng: &mut Rng, limits: Limits) -> (Format, Vec<u8>) {
    let template = rng.pick(TEMPLATES);
    let copies = match rng.below(limits.huge_one_in.max(1)) {
        0 => limits.max_repeat.max(1),
        1..=20 => 0,
        21..=200 => 2 + rng.below(20),
        _ => 1,
    };
    let mut text = String::with_capacity(
        template.prefix.len() + template.suffix.len() + copies * template.event.len(),
    );
    text.push_str(template.prefix);
    for copy in 0..copies {
        if copy > 0 {
            text.push_str(template.separator);
        }
        text.push_str(template.event);
    }
    let suffix = if copies == 0 {
        // Without an event, the suffix's own leading separator has nothing before it.
        template
            .suffix
            .strip_prefix(", ")
            .unwrap_or(template.suffix)
    } else {
        template.suffix
    };
    text.push_str(suffix);
    (template.format, text.into_bytes())
}

/// Applies one mutation.
fn mutate(rng: &mut Rng, corpus: &Corpus, format: Format, bytes: &mut Vec<u8>, limits: Limits) {
    match rng.below(12) {
        0 => flip_bytes(rng, bytes),
        1 => {
            let cut = rng.below(bytes.len() + 1);
            bytes.truncate(cut);
        }
        2 => splice(rng, corpus, bytes),
        3..=6 => replace_value(rng, bytes),
        7 | 8 => replace_string(rng, format, bytes, limits),
        9 => nest_deeply(rng, format, bytes, limits),
        10 => repeat_chunk(rng, bytes, limits),
        _ => {
            // Remove a chunk: a field, a bracket, half an event.
            if !bytes.is_empty() {
                let start = rng.below(bytes.len());
                let end = (start + 1 + rng.below(64)).min(bytes.len());
                bytes.drain(start..end);
            }
        }
    }
}

fn flip_bytes(rng: &mut Rng, bytes: &mut [u8]) {
    if bytes.is_empty() {
        return;
    }
    for _ in 0..1 + rng.below(8) {
        let index = rng.below(bytes.len());
        bytes[index] = match rng.below(4) {
            0 => bytes[index] ^ (1 << rng.below(8)),
            1 => *rng.pick(b"{}[]<>\":,;\\\n\r 0-+TZP&"),
            2 => 0x80 | (rng.next_u64() as u8 & 0x3F),
            _ => rng.next_u64() as u8,
        };
    }
}

fn splice(rng: &mut Rng, corpus: &Corpus, bytes: &mut Vec<u8>) {
    let other: Vec<u8> = if corpus.seeds.is_empty() || rng.one_in(2) {
        let template = rng.pick(TEMPLATES);
        format!("{}{}{}", template.prefix, template.event, template.suffix).into_bytes()
    } else {
        rng.pick(&corpus.seeds).1.clone()
    };
    let cut = rng.below(bytes.len() + 1);
    let from = rng.below(other.len() + 1);
    let take = rng.below(4096).min(other.len() - from);
    bytes.truncate(cut);
    bytes.extend_from_slice(&other[from..from + take]);
}

/// The spans of values that look like numbers, dates, times or durations: runs of digits and
/// the characters that join them.
fn value_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut index = 0;
    let is_part = |b: u8| b.is_ascii_digit() || b"-+:.TZPWDHMSe".contains(&b);
    while index < bytes.len() {
        if is_part(bytes[index]) {
            let start = index;
            let mut digits = false;
            while index < bytes.len() && is_part(bytes[index]) {
                digits |= bytes[index].is_ascii_digit();
                index += 1;
            }
            if digits {
                spans.push((start, index));
            }
        } else {
            index += 1;
        }
    }
    spans
}

/// Replaces a number, date or duration with an extreme one.
fn replace_value(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let spans = value_spans(bytes);
    if spans.is_empty() {
        return;
    }
    let (start, end) = *rng.pick(&spans);
    let replacement = match rng.below(3) {
        0 => *rng.pick(EXTREME_NUMBERS),
        1 => *rng.pick(EXTREME_DATES),
        _ => *rng.pick(EXTREME_DURATIONS),
    };
    bytes.splice(start..end, replacement.bytes());
}

/// Replaces the content of a string (JSON), an element's text (XML), a property's value
/// (iCalendar) or a line (text) with an odd string, escaped as the format needs it to stay
/// readable most of the time.
fn replace_string(rng: &mut Rng, format: Format, bytes: &mut Vec<u8>, limits: Limits) {
    let odd = if rng.one_in(20) {
        "x".repeat(1 + rng.below(200))
    } else if rng.one_in(limits.huge_one_in.max(1) / 10 + 1) {
        "x".repeat(1 + rng.below(100_000))
    } else {
        (*rng.pick(ODD_STRINGS)).to_owned()
    };
    let (open, close): (&[u8], u8) = match format {
        Format::Native | Format::Frab | Format::Schedule2 => (b"\"", b'"'),
        Format::ScheduleXml => (b">", b'<'),
        Format::ICalendar => (b":", b'\r'),
        Format::Usenix => (b"\n", b'\n'),
    };
    let opens: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| open.contains(b))
        .map(|(index, _)| index + 1)
        .collect();
    if opens.is_empty() {
        return;
    }
    let start = *rng.pick(&opens);
    let end = bytes[start..]
        .iter()
        .position(|&b| b == close)
        .map_or(bytes.len(), |offset| start + offset);
    let escaped = if rng.one_in(5) {
        odd
    } else {
        match format {
            Format::Native | Format::Frab | Format::Schedule2 => {
                let quoted = serde_json::to_string(&odd).unwrap_or_default();
                quoted[1..quoted.len().saturating_sub(1).max(1)].to_owned()
            }
            Format::ScheduleXml => odd
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
            Format::ICalendar => odd.replace('\r', "").replace('\n', "\\n"),
            Format::Usenix => odd,
        }
    };
    bytes.splice(start..end, escaped.into_bytes());
}

/// Inserts deep nesting where a value or an element may stand.
fn nest_deeply(rng: &mut Rng, format: Format, bytes: &mut Vec<u8>, limits: Limits) {
    let depth = if rng.one_in(limits.huge_one_in.max(1) / 10 + 1) {
        1 + rng.below(20_000)
    } else {
        1 + rng.below(200)
    };
    let (open, close) = match format {
        Format::ScheduleXml => ("<event>", "</event>"),
        Format::ICalendar => ("BEGIN:VEVENT\r\n", "END:VEVENT\r\n"),
        Format::Usenix => ("Monday, May 13, 2013\n", "9:00 a.m.–10:30 a.m.\n"),
        _ => {
            if rng.one_in(2) {
                ("[", "]")
            } else {
                ("{\"a\": ", "}")
            }
        }
    };
    let mut nested = open.repeat(depth);
    if !rng.one_in(4) {
        nested.push_str(&close.repeat(depth));
    }
    let at = rng.below(bytes.len() + 1);
    bytes.splice(at..at, nested.into_bytes());
}

/// Repeats a chunk of the input many times in place.
fn repeat_chunk(rng: &mut Rng, bytes: &mut Vec<u8>, limits: Limits) {
    if bytes.is_empty() {
        return;
    }
    let start = rng.below(bytes.len());
    let end = (start + 1 + rng.below(512)).min(bytes.len());
    let chunk = bytes[start..end].to_vec();
    let times = if rng.one_in(limits.huge_one_in.max(1) / 10 + 1) {
        1 + rng.below(limits.max_repeat.max(1))
    } else {
        1 + rng.below(50)
    };
    let mut repeated = Vec::with_capacity(chunk.len() * times);
    for _ in 0..times {
        repeated.extend_from_slice(&chunk);
    }
    bytes.splice(end..end, repeated);
}

/// What loading one input did.
pub enum Outcome {
    /// It loaded.
    Loaded,
    /// It was refused; `unlocated` holds the first finding that says nowhere where it is.
    Refused {
        /// A finding without a location, rendered.
        unlocated: Option<String>,
    },
    /// The loader panicked, with this message.
    Panicked(String),
}

/// Loads one input, catching a panic. Run [`silence_panics`] first so that caught panics do
/// not print.
pub fn run(input: &Input) -> (Outcome, Duration) {
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let loaded = load_bytes(&input.bytes, &input.options)?;
        use_schedule(&loaded.schedule);
        Ok::<_, LoadError>(())
    }));
    let elapsed = started.elapsed();
    let outcome = match result {
        Ok(Ok(())) => Outcome::Loaded,
        Ok(Err(error)) => Outcome::Refused {
            unlocated: unlocated(&error),
        },
        Err(payload) => Outcome::Panicked(
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned()),
        ),
    };
    (outcome, elapsed)
}

/// Does with a loaded schedule what `lectern now`, `agenda` and `import` do: the status of
/// each room (of the first few) at the first start, the middle and the last end, its text and
/// JSON views, the day's agenda, and the native form read back.
fn use_schedule(schedule: &Schedule) {
    let first = schedule.first_start();
    let last = schedule.last_end();
    let middle = first + (last - first) / 2;
    let chair = ChairState::default();
    let thresholds = Thresholds::default();
    for room in (0..schedule.rooms().len().min(3)).map(RoomId) {
        for now in [first, middle, last] {
            let status = status_at(schedule, room, now, &chair, &thresholds);
            let _ = report::status_text(schedule, &status);
            let _ = serde_json::to_string(&report::status_json(schedule, &status));
        }
        let _ = report::agenda_text(schedule, room, None);
    }
    let _ = report::rooms_text(schedule);
    if schedule.sessions().len() <= 1_000 {
        let written = native::write(schedule);
        if let Err(error) = native::load(&written) {
            panic!(
                "a written schedule does not load again: {}",
                error.render("written")
            );
        }
    }
}

/// The first finding of a load error that names neither a line and column nor a path. Only
/// findings about the file as a whole may do without: that it is empty, too large, or in no
/// format lectern knows.
pub fn unlocated(error: &LoadError) -> Option<String> {
    error
        .diagnostics
        .iter()
        .find(|diagnostic| {
            diagnostic.location == Location::Input
                && !(diagnostic.severity == Severity::Error
                    && (diagnostic.message == "the file is empty"
                        || diagnostic.message.contains("MiB")
                        || diagnostic.message.starts_with("lectern does not recognise")))
        })
        .map(|diagnostic| diagnostic.render("input"))
}

/// Replaces the panic hook with one that prints nothing, so that caught panics do not flood
/// the output. Returns the hook it replaced.
pub fn silence_panics() -> Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    previous
}

/// The file name extension of a format, for saved inputs.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Native | Format::Frab | Format::Schedule2 => "json",
        Format::ScheduleXml => "xml",
        Format::ICalendar => "ics",
        Format::Usenix => "txt",
    }
}

/// Counts of a run.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    /// Inputs loaded.
    pub inputs: u64,
    /// Inputs that loaded.
    pub ok: u64,
    /// Inputs that were refused.
    pub errors: u64,
    /// Refused inputs with a finding that says nowhere where it is.
    pub unlocated: u64,
    /// Inputs on which the loader panicked.
    pub panics: u64,
    /// Inputs that took longer than the hang threshold.
    pub hangs: u64,
}
