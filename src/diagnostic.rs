//! Errors and warnings found while loading a schedule.
//!
//! Every finding says what is wrong, where (a line and column for syntax errors, a JSON path
//! such as `sessions[12].end` for semantic ones) and, where we can tell, what to do about it.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The schedule loads and is shown, but something in it is probably a mistake.
    Warning,
    /// The schedule cannot be used; the previous good one stays on screen.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Where in the input a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The input as a whole (an empty or oversized file).
    Input,
    /// A position in the text, both counted from 1.
    LineColumn {
        /// Line number, from 1.
        line: usize,
        /// Column number in characters, from 1.
        column: usize,
    },
    /// A path into the document, such as `sessions[12].end`.
    Path(String),
    /// A path into the document together with the text position it was found at.
    PathAt {
        /// A path such as `sessions[12].end`.
        path: String,
        /// Line number, from 1.
        line: usize,
        /// Column number in characters, from 1.
        column: usize,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Input => Ok(()),
            Location::LineColumn { line, column } => write!(f, "{line}:{column}"),
            Location::Path(path) => f.write_str(path),
            Location::PathAt { path, line, column } => write!(f, "{line}:{column}: {path}"),
        }
    }
}

/// One error or warning about a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the schedule can still be used.
    pub severity: Severity,
    /// Where the problem is.
    pub location: Location,
    /// What is wrong, as one sentence without a trailing full stop.
    pub message: String,
    /// What to do about it, when we can tell.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
            help: None,
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this finding prevents the schedule from loading.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Formats the finding for a person, prefixed with the name of the input, in the style of
    /// compilers: `hotos.json:12:5: error: ...` followed by an indented `help:` line.
    pub fn render(&self, source_name: &str) -> String {
        let mut text = String::new();
        text.push_str(source_name);
        let location = self.location.to_string();
        if !location.is_empty() {
            text.push(':');
            text.push_str(&location);
        }
        text.push_str(&format!(": {}: {}", self.severity, self.message));
        if let Some(help) = &self.help {
            text.push_str("\n  help: ");
            text.push_str(help);
        }
        text
    }
}

/// Creates a path such as `sessions[3].talks[1]` from its parts.
pub fn path_index(parent: &str, field: &str, index: usize) -> String {
    // Every session of a file has its path made, so it is written out directly rather than
    // through the formatting machinery, which costs several times as much.
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = index;
    loop {
        start -= 1;
        // A remainder of ten is below ten, so the cast keeps its value.
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = &digits[start..];
    let mut path = String::with_capacity(parent.len() + 1 + field.len() + digits.len() + 2);
    if !parent.is_empty() {
        path.push_str(parent);
        path.push('.');
    }
    path.push_str(field);
    path.push('[');
    path.extend(digits.iter().map(|&digit| char::from(digit)));
    path.push(']');
    path
}

/// Creates a path such as `sessions[3].end` from its parts.
pub fn path_field(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
    }
}

/// Where a field of an entry is, for an entry found at `origin`: the path `origin.field`
/// (`sessions[3].end`), or, for formats whose entries are found by their line (`line 32`,
/// `line 32.talks[1]`), that line with the rest of the path (`32:1: talks[1].id`). An empty
/// `field` names the entry itself.
pub fn field_location(origin: &str, field: &str) -> Location {
    let by_line = origin.strip_prefix("line ").and_then(|rest| {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let line = rest[..digits].parse::<usize>().ok()?;
        Some((line, rest[digits..].trim_start_matches('.')))
    });
    match by_line {
        Some((line, rest)) => {
            let path = match (rest.is_empty(), field.is_empty()) {
                (true, _) => field.to_owned(),
                (false, true) => rest.to_owned(),
                (false, false) => path_field(rest, field),
            };
            if path.is_empty() {
                Location::LineColumn { line, column: 1 }
            } else {
                Location::PathAt {
                    path,
                    line,
                    column: 1,
                }
            }
        }
        None if field.is_empty() => Location::Path(origin.to_owned()),
        None => Location::Path(path_field(origin, field)),
    }
}

/// A schedule that could not be loaded: at least one error, possibly warnings too.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.diagnostics))]
pub struct LoadError {
    /// All findings, errors first, in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// A load error with a single finding.
    pub fn single(diagnostic: Diagnostic) -> Self {
        LoadError {
            diagnostics: vec![diagnostic],
        }
    }

    /// The errors, without the warnings.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// Every finding formatted for a person, one per line (help lines indented below).
    pub fn render(&self, source_name: &str) -> String {
        self.diagnostics
            .iter()
            .map(|d| d.render(source_name))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let mut errors = diagnostics.iter().filter(|d| d.is_error());
    match errors.next() {
        Some(first) => {
            let more = errors.count();
            let first = first.render("schedule");
            if more == 0 {
                first
            } else {
                format!(
                    "{first} (and {})",
                    crate::text::count(more, "more error", "more errors")
                )
            }
        }
        None => "schedule could not be loaded".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_entries_found_by_line_are_located_at_the_line() {
        assert_eq!(
            field_location("line 32", "start").to_string(),
            "32:1: start"
        );
        assert_eq!(
            field_location("line 32.talks[1]", "id").to_string(),
            "32:1: talks[1].id"
        );
        assert_eq!(field_location("line 7", "").to_string(), "7:1");
        assert_eq!(
            field_location("sessions[3]", "end").to_string(),
            "sessions[3].end"
        );
        assert_eq!(field_location("VEVENT[2]", "").to_string(), "VEVENT[2]");
    }

    #[test]
    fn paths_with_an_index_are_written_as_formatting_writes_them() {
        for index in [0, 7, 10, 99, 1234, 10_000, usize::MAX] {
            assert_eq!(
                path_index("", "sessions", index),
                format!("sessions[{index}]")
            );
            assert_eq!(
                path_index("sessions[3]", "talks", index),
                format!("sessions[3].talks[{index}]")
            );
        }
    }
}
