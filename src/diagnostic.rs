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
    if parent.is_empty() {
        format!("{field}[{index}]")
    } else {
        format!("{parent}.{field}[{index}]")
    }
}

/// Creates a path such as `sessions[3].end` from its parts.
pub fn path_field(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_owned()
    } else {
        format!("{parent}.{field}")
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
                format!("{first} (and {more} more errors)")
            }
        }
        None => "schedule could not be loaded".to_owned(),
    }
}
