//! Input formats. Each submodule reads one format into a draft and validates it; this module
//! checks what is common to all of them (size, emptiness, encoding), recognises the format from
//! the content and dispatches.
//!
//! `docs/formats.md` documents which fields of each format are read and how they map to the
//! model.

pub mod frab;
pub mod icalendar;
mod import;
pub mod native;
pub mod schedule2;
pub mod schedule_xml;
pub mod usenix;

use chrono_tz::Tz;

use crate::diagnostic::{Diagnostic, LoadError, Location};
use crate::validate::Loaded;

/// The largest schedule file lectern reads. Real programs are well under 1 MiB; a larger file
/// is almost certainly the wrong file, and reading it would stall the display.
pub const MAX_SCHEDULE_BYTES: usize = 32 * 1024 * 1024;

/// A schedule format lectern reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// lectern's own JSON (`docs/schedule-format.md`).
    Native,
    /// frab's `schedule.json` (version 1), as frab and pretalx export it.
    Frab,
    /// The c3voc "schedule2" JSON: a flat list of events with ISO start and end.
    Schedule2,
    /// The pentabarf/frab `schedule.xml` (FOSDEM, pretalx, wafer).
    ScheduleXml,
    /// An iCalendar (`.ics`) file.
    ICalendar,
    /// A USENIX program page saved as text.
    Usenix,
}

impl Format {
    /// Every format, in the order they are documented.
    pub const ALL: [Format; 6] = [
        Format::Native,
        Format::Frab,
        Format::Schedule2,
        Format::ScheduleXml,
        Format::ICalendar,
        Format::Usenix,
    ];

    /// The name used on the command line (`--format frab`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::Frab => "frab",
            Format::Schedule2 => "schedule2",
            Format::ScheduleXml => "xml",
            Format::ICalendar => "ics",
            Format::Usenix => "usenix",
        }
    }

    /// A description for people.
    pub fn description(self) -> &'static str {
        match self {
            Format::Native => "lectern's schedule JSON",
            Format::Frab => "frab schedule.json",
            Format::Schedule2 => "c3voc schedule2 JSON",
            Format::ScheduleXml => "pentabarf/frab schedule.xml",
            Format::ICalendar => "iCalendar",
            Format::Usenix => "USENIX program text",
        }
    }

    /// Recognises the format from the content of a file, or `None` when it is none of them.
    ///
    /// JSON is told apart by its top-level keys: lectern's own files have `version` and
    /// `event`; frab's have `schedule.conference.days`; schedule2 files name the schedule2
    /// schema in `$schema` or have an `events` list. A JSON document that cannot be read at
    /// all is taken as lectern's own, whose loader says where the syntax breaks.
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
        let content = &bytes[start..];
        if starts_with_ignoring_case(content, b"BEGIN:VCALENDAR") {
            return Some(Format::ICalendar);
        }
        match content[0] {
            b'{' | b'[' => Some(import::detect_json(content)),
            b'<' => {
                let head = &content[..content.len().min(64 * 1024)];
                head.windows(b"<schedule".len())
                    .any(|window| window == b"<schedule")
                    .then_some(Format::ScheduleXml)
            }
            _ => usenix::looks_like_program(content).then_some(Format::Usenix),
        }
    }
}

fn starts_with_ignoring_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase();
        let format = match wanted.as_str() {
            "native" | "lectern" | "json" => Format::Native,
            "frab" | "frab-json" => Format::Frab,
            "schedule2" | "c3voc" => Format::Schedule2,
            "xml" | "schedule-xml" | "schedule.xml" | "pentabarf" => Format::ScheduleXml,
            "ics" | "ical" | "icalendar" => Format::ICalendar,
            "usenix" | "text" => Format::Usenix,
            _ => {
                let names: Vec<&str> = Format::ALL.iter().map(|format| format.name()).collect();
                return Err(format!(
                    "unknown format `{text}`; use one of {}",
                    names.join(", ")
                ));
            }
        };
        Ok(format)
    }
}

/// Options that apply to every format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// Read the file as this format instead of recognising it from its content.
    pub format: Option<Format>,
    /// The zone of times that carry no offset, for files that name none (`--timezone`).
    pub time_zone: Option<Tz>,
    /// The year of USENIX day headers that name none ("Tuesday, March 3"), when the page does
    /// not give it elsewhere (`--year`).
    pub year: Option<i32>,
}

/// Checks the size of a schedule before it is read: the file system edge calls this with the
/// size from the file's metadata so that an oversized file is never read into memory.
pub fn check_size(size: u64) -> Result<(), LoadError> {
    if size > MAX_SCHEDULE_BYTES as u64 {
        const MIB: u64 = 1024 * 1024;
        let limit = MAX_SCHEDULE_BYTES as u64 / MIB;
        // A size that rounds to the limit itself ("32.0 MiB, more than 32 MiB") says nothing;
        // nor does the size of a file read only up to the limit (a device such as /dev/zero,
        // whose size is unknown until read). Such files are said to be over the limit.
        let message = if size >= MAX_SCHEDULE_BYTES as u64 + MIB / 10 {
            format!(
                "the file is {:.1} MiB, more than the {limit} MiB a schedule may have",
                size as f64 / MIB as f64
            )
        } else {
            format!("the file is more than the {limit} MiB a schedule may have")
        };
        return Err(LoadError::single(
            Diagnostic::error(Location::Input, message)
            .with_help("check that this is the schedule file; a program of 10,000 sessions takes about 5 MiB"),
        ));
    }
    Ok(())
}

/// Loads a schedule from the bytes of a file, in the format `options` names or else the one
/// recognised from the content.
pub fn load_bytes(bytes: &[u8], options: &LoadOptions) -> Result<Loaded, LoadError> {
    check_size(bytes.len() as u64)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::single(
            Diagnostic::error(Location::Input, "the file is empty").with_help(
                "a schedule is a JSON object with `version`, `event`, `rooms` and `sessions`",
            ),
        ));
    }
    // Most files are lectern's own. Reading one as such costs nothing extra when it is, and
    // fails at the first key when it is another JSON format; only then is the content
    // examined, which for a large file is a whole extra pass.
    let starts_as_object = bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{');
    if options.format.is_none()
        && starts_as_object
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        match load_native(text, options) {
            Ok(loaded) => return Ok(loaded),
            Err(native_error) => {
                let detected = Format::detect(bytes);
                if matches!(detected, Some(Format::Native) | None) {
                    return Err(native_error);
                }
                return load_as(detected, bytes, text, options);
            }
        }
    }
    let format = options.format.or_else(|| Format::detect(bytes));
    // iCalendar lines are unfolded as bytes before they are decoded: a fold may split a
    // character in two, so the file as a whole need not be UTF-8 until it is unfolded.
    if format == Some(Format::ICalendar) {
        return icalendar::load(bytes, options);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let (line, column) = line_column(bytes, error.valid_up_to());
            return Err(LoadError::single(
                Diagnostic::error(
                    Location::LineColumn { line, column },
                    "the file is not valid UTF-8",
                )
                .with_help("save the file as UTF-8"),
            ));
        }
    };
    load_as(format, bytes, text, options)
}

/// Reads the file as `format`, or says that its format is not known.
fn load_as(
    format: Option<Format>,
    bytes: &[u8],
    text: &str,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    match format {
        Some(Format::Native) => load_native(text, options),
        Some(Format::Frab) => frab::load(text, options),
        Some(Format::Schedule2) => schedule2::load(text, options),
        Some(Format::ScheduleXml) => schedule_xml::load(text, options),
        Some(Format::Usenix) => usenix::load(text, options).map_err(page_findings_at_its_start),
        Some(Format::ICalendar) => icalendar::load(bytes, options),
        None => Err(LoadError::single(
            Diagnostic::error(
                Location::Input,
                "lectern does not recognise the format of this file",
            )
            .with_help(
                "lectern reads its own JSON, frab schedule.json, c3voc schedule2 JSON, \
                 schedule.xml, iCalendar and USENIX program pages saved as text; \
                 pass --format native|frab|schedule2|xml|ics|usenix to read it as one of them",
            ),
        )),
    }
}

/// A finding of the USENIX reader about the page as a whole ("the page has no time lines") is
/// about its text from the first line on; it is shown there, as every finding about a file's
/// content says where.
fn page_findings_at_its_start(mut error: LoadError) -> LoadError {
    for diagnostic in &mut error.diagnostics {
        if diagnostic.location == Location::Input {
            diagnostic.location = Location::LineColumn { line: 1, column: 1 };
        }
    }
    error
}

/// A native file names its own zone; a `--timezone` that differs is not used, and said so.
fn load_native(text: &str, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let mut loaded = native::load(text)?;
    let declared = loaded.schedule.event().time_zone;
    if let Some(option) = options.time_zone
        && option != declared
    {
        loaded.warnings.push(
            Diagnostic::warning(
                Location::Path("event.time_zone".to_owned()),
                format!(
                    "--timezone {option} is not used: the file declares {declared}, and times are shown in it"
                ),
            )
            .with_help("change `event.time_zone` in the file to show the times in another zone"),
        );
    }
    Ok(loaded)
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The line starts of a text, for the line and column of many byte offsets: a file with an
/// error in each of 10,000 events must not be scanned from its start 10,000 times. The line
/// is found by binary search; the column is counted from the line's start, or from the last
/// offset asked for on the same line, since findings are mostly made in file order.
pub(crate) struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<usize>,
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &byte)| byte == b'\n')
                .map(|(index, _)| index + 1),
        );
        LineIndex {
            bytes,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The 1-based line and column (in characters) of a byte offset, as [`line_column`].
    pub(crate) fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        let line_index = self.starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.starts[line_index];
        let (last_offset, last_column) = self.last.get();
        let (from, column) = if last_offset >= line_start && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (line_start, 1)
        };
        let column = column + count_characters(&self.bytes[from..offset]);
        self.last.set((offset, column));
        (line_index + 1, column)
    }
}

/// The number of characters in a run of UTF-8 bytes, counting each byte that does not
/// continue a character (so that invalid bytes count as one character each, as a lossy
/// decoding shows them).
fn count_characters(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| byte & 0xC0 != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size_message(size: u64) -> String {
        match check_size(size) {
            Err(error) => error.diagnostics[0].message.clone(),
            Ok(()) => String::new(),
        }
    }

    #[test]
    fn sizes_just_over_the_limit_are_not_shown_as_the_limit() {
        let limit = MAX_SCHEDULE_BYTES as u64;
        assert_eq!(size_message(limit), "");
        assert_eq!(
            size_message(limit + 1),
            "the file is more than the 32 MiB a schedule may have"
        );
        assert_eq!(
            size_message(limit + 1024 * 1024),
            "the file is 33.0 MiB, more than the 32 MiB a schedule may have"
        );
    }

    #[test]
    fn line_index_agrees_with_line_column() {
        let text = "ab\nçd\u{20ac}e\n\nfg".as_bytes();
        let index = LineIndex::new(text);
        for offset in (0..=text.len()).chain([3, 0, text.len(), 5]) {
            if std::str::from_utf8(&text[..offset]).is_ok() {
                assert_eq!(
                    index.line_column(offset),
                    line_column(text, offset),
                    "{offset}"
                );
            }
        }
    }
}
