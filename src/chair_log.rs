//! The chair's log on disk: one JSON object per line (JSON Lines), appended and synced entry
//! by entry, so that a `kill -9` or a power cut loses nothing that was on screen.
//!
//! The log sits beside the chair's state file (`…-<hash>.log.jsonl` beside `…-<hash>.json`),
//! or wherever `--log FILE` puts it. Reading it never fails on its content: a line cut short
//! by a crash, or one that is not an entry, is skipped with a warning that names the file and
//! the line. The serde types here are private; the rest of lectern sees [`LogEntry`].

use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::chair::{AbsorbPolicy, MAX_MESSAGE_CHARS};
use crate::model::{SessionId, TalkId};
use crate::recorder::{LogEntry, LogKind};

/// The version written in every line.
const LOG_VERSION: u32 = 1;

/// The largest log read, in bytes. A day of a busy room writes a few hundred lines of about
/// 120 bytes; 64 MiB is years of that, and a bound keeps a wrong path (a disk image, a
/// video) from filling memory.
pub const MAX_LOG_BYTES: u64 = 64 * 1024 * 1024;

/// The most warnings kept from one read: a file that is not a log at all would otherwise give
/// one per line.
const MAX_WARNINGS: usize = 20;

#[derive(Serialize, Deserialize)]
struct RawEntry {
    v: u32,
    at: DateTime<Utc>,
    room: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    talk: Option<String>,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

/// Why the log could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// There is no log at this path.
    #[error("{path}: no chair's log here")]
    Missing {
        /// The log's path.
        path: PathBuf,
    },
    /// The operating system refused.
    #[error("{path}: cannot use the chair's log: {reason}")]
    Io {
        /// The log's path.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// The path names something other than a regular file: a FIFO would block, a device
    /// never ends.
    #[error("{path}: is {kind}, not a chair's log; give the path of a regular file")]
    NotAFile {
        /// The log's path.
        path: PathBuf,
        /// What it is instead ("a FIFO (named pipe)").
        kind: &'static str,
    },
    /// The file is larger than any log lectern writes.
    #[error(
        "{path}: is {size} bytes, more than a chair's log can be ({MAX_LOG_BYTES} bytes); check the path, or move the file aside to start a new log"
    )]
    TooLarge {
        /// The log's path.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
    },
}

/// A line of the log that was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogWarning {
    /// The log's path.
    pub path: PathBuf,
    /// The line, from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl std::fmt::Display for LogWarning {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "{}:{}: warning: {}; the line is skipped",
            self.path.display(),
            self.line,
            self.message
        )
    }
}

/// What a log holds: its entries in the order written, and the lines skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadLog {
    /// The entries, in file order.
    pub entries: Vec<LogEntry>,
    /// The lines that were skipped, the first few of them.
    pub warnings: Vec<LogWarning>,
    /// How many skipped lines are not in `warnings`.
    pub more_warnings: usize,
}

/// The log beside a chair state file: `room-0123456789abcdef.json` logs to
/// `room-0123456789abcdef.log.jsonl`.
pub fn beside(state_path: &Path) -> PathBuf {
    let stem = state_path
        .file_stem()
        .map_or_else(|| "chair".into(), |stem| stem.to_os_string());
    let mut name = stem;
    name.push(".log.jsonl");
    state_path.with_file_name(name)
}

/// The log of a schedule and room in the XDG state directory, beside their chair state.
/// `None` when there is no state directory.
pub fn in_state_dir(schedule_key: &str, room_name: &str) -> Option<PathBuf> {
    crate::state_file::StateFile::in_state_dir(schedule_key, room_name)
        .map(|file| beside(file.path()))
}

/// One entry as the line written to the file, without its newline.
pub fn to_line(entry: &LogEntry) -> String {
    let (seconds, policy, text) = match &entry.kind {
        LogKind::Add { seconds } => (Some(*seconds), None, None),
        LogKind::Policy(policy) => (None, Some(policy.as_str().to_owned()), None),
        LogKind::Message(text) => (None, None, Some(text.clone())),
        _ => (None, None, None),
    };
    let raw = RawEntry {
        v: LOG_VERSION,
        at: entry.at,
        room: entry.room.clone(),
        session: entry.session.as_ref().map(|id| id.0.clone()),
        talk: entry.talk.as_ref().map(|id| id.0.clone()),
        kind: entry.kind.name().to_owned(),
        seconds,
        policy,
        text,
    };
    // A struct of strings, numbers and an instant always serialises; the fallback keeps the
    // writer total without a panic.
    serde_json::to_string(&raw).unwrap_or_else(|_| String::from("{}"))
}

/// Reads one line of the log. The error says what is wrong, for a warning.
pub fn parse_line(line: &str) -> Result<LogEntry, String> {
    let raw: RawEntry = serde_json::from_str(line).map_err(|error| {
        let text = error.to_string();
        let what = text
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_owned();
        format!("not a log entry ({what})")
    })?;
    if raw.v != LOG_VERSION {
        return Err(format!(
            "written in version {} of the log, which this lectern does not know",
            raw.v
        ));
    }
    let kind = match raw.kind.as_str() {
        "session_start" => LogKind::SessionStart,
        "session_end" => LogKind::SessionEnd,
        "talk_start" => LogKind::TalkStart,
        "questions_start" => LogKind::QuestionsStart,
        "talk_end" => LogKind::TalkEnd,
        "start_now" => LogKind::StartNow,
        "pause" => LogKind::Pause,
        "resume" => LogKind::Resume,
        "add" => LogKind::Add {
            seconds: raw
                .seconds
                .ok_or_else(|| "an `add` entry without `seconds`".to_owned())?,
        },
        "next" => LogKind::Next,
        "previous" => LogKind::Previous,
        "questions_now" => LogKind::QuestionsNow,
        "end_talk" => LogKind::EndTalk,
        "policy" => {
            let name = raw
                .policy
                .ok_or_else(|| "a `policy` entry without `policy`".to_owned())?;
            LogKind::Policy(
                AbsorbPolicy::from_name(&name).ok_or_else(|| format!("unknown policy `{name}`"))?,
            )
        }
        "back_to_schedule" => LogKind::BackToSchedule,
        // A message longer than any chair can show was not written by lectern; keep what a
        // chair could have shown.
        "message" => LogKind::Message(
            raw.text
                .unwrap_or_default()
                .chars()
                .take(MAX_MESSAGE_CHARS)
                .collect(),
        ),
        "clear_message" => LogKind::ClearMessage,
        "blank" => LogKind::Blank,
        "unblank" => LogKind::Unblank,
        other => return Err(format!("unknown kind `{other}`")),
    };
    Ok(LogEntry {
        at: raw.at,
        room: raw.room,
        session: raw.session.map(SessionId),
        talk: raw.talk.map(TalkId),
        kind,
    })
}

/// Reads a log. Its lines are read in order; a line that is not an entry is skipped with a
/// warning, and so is a last line without its newline (lectern stopped while writing it).
pub fn read(path: &Path) -> Result<ReadLog, LogError> {
    let bytes = read_bounded(path)?;
    Ok(parse(path, &bytes))
}

/// Reads the entries of a log's bytes; see [`read`].
pub fn parse(path: &Path, bytes: &[u8]) -> ReadLog {
    let mut log = ReadLog::default();
    let mut warn = |line: usize, message: String| {
        if log.warnings.len() < MAX_WARNINGS {
            log.warnings.push(LogWarning {
                path: path.to_owned(),
                line,
                message,
            });
        } else {
            log.more_warnings += 1;
        }
    };
    let mut entries = Vec::new();
    let mut lines = bytes.split(|&byte| byte == b'\n').enumerate().peekable();
    while let Some((index, line)) = lines.next() {
        let number = index + 1;
        let is_last = lines.peek().is_none();
        if is_last {
            // After the last newline: nothing, or a line cut short.
            if !line.iter().all(u8::is_ascii_whitespace) {
                warn(
                    number,
                    "the last line is incomplete (lectern stopped while writing it)".to_owned(),
                );
            }
            break;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(line) else {
            warn(number, "not UTF-8 text".to_owned());
            continue;
        };
        match parse_line(text) {
            Ok(entry) => entries.push(entry),
            Err(message) => warn(number, message),
        }
    }
    log.entries = entries;
    log
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, LogError> {
    let io_error = |reason: std::io::Error| {
        if reason.kind() == std::io::ErrorKind::NotFound {
            LogError::Missing {
                path: path.to_owned(),
            }
        } else {
            LogError::Io {
                path: path.to_owned(),
                reason,
            }
        }
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    ensure_regular(path, &metadata)?;
    let file = crate::source::open_nonblocking(path).map_err(io_error)?;
    // The path may have been replaced between the two looks; check what was opened.
    let metadata = file.metadata().map_err(io_error)?;
    ensure_regular(path, &metadata)?;
    if metadata.len() > MAX_LOG_BYTES {
        return Err(LogError::TooLarge {
            path: path.to_owned(),
            size: metadata.len(),
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow while it is read; never read more than the limit.
    file.take(MAX_LOG_BYTES)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    Ok(bytes)
}

fn ensure_regular(path: &Path, metadata: &std::fs::Metadata) -> Result<(), LogError> {
    if metadata.is_file() {
        Ok(())
    } else {
        Err(LogError::NotAFile {
            path: path.to_owned(),
            kind: crate::source::file_kind(&metadata.file_type()),
        })
    }
}

/// Appends entries to the log, creating it (and its folder) if need be. Each entry is one
/// line, written whole and synced to disk before the next. A last line left incomplete by a
/// crash is ended first, so that it stays one skipped line instead of swallowing this one.
pub fn append(path: &Path, entries: &[LogEntry]) -> Result<(), LogError> {
    if entries.is_empty() {
        return Ok(());
    }
    let io_error = |reason| LogError::Io {
        path: path.to_owned(),
        reason,
    };
    match std::fs::metadata(path) {
        Ok(metadata) => ensure_regular(path, &metadata)?,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Some(folder) = path.parent()
                && !folder.as_os_str().is_empty()
            {
                std::fs::create_dir_all(folder).map_err(io_error)?;
            }
        }
        Err(error) => return Err(io_error(error)),
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(io_error)?;
    // The path may have been replaced by something else since it was looked at.
    ensure_regular(path, &file.metadata().map_err(io_error)?)?;
    let length = file.metadata().map_err(io_error)?.len();
    if length > 0 {
        let mut last = [0_u8; 1];
        file.seek(std::io::SeekFrom::End(-1)).map_err(io_error)?;
        file.read_exact(&mut last).map_err(io_error)?;
        if last[0] != b'\n' {
            file.write_all(b"\n").map_err(io_error)?;
        }
    }
    for entry in entries {
        let mut line = to_line(entry);
        line.push('\n');
        // One write per line: a crash leaves whole lines and at most one cut short.
        file.write_all(line.as_bytes())
            .and_then(|()| file.flush())
            .and_then(|()| file.sync_data())
            .map_err(io_error)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_sits_beside_the_state_file() {
        assert_eq!(
            beside(Path::new("/state/tamaya-fgh-00ff.json")),
            Path::new("/state/tamaya-fgh-00ff.log.jsonl")
        );
        assert_eq!(
            beside(Path::new("chair.json")),
            Path::new("chair.log.jsonl")
        );
    }

    #[test]
    fn every_kind_survives_a_line() {
        let at = DateTime::parse_from_rfc3339("2013-05-13T15:15:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        let kinds = [
            LogKind::SessionStart,
            LogKind::SessionEnd,
            LogKind::TalkStart,
            LogKind::QuestionsStart,
            LogKind::TalkEnd,
            LogKind::StartNow,
            LogKind::Pause,
            LogKind::Resume,
            LogKind::Add { seconds: -60 },
            LogKind::Next,
            LogKind::Previous,
            LogKind::QuestionsNow,
            LogKind::EndTalk,
            LogKind::Policy(AbsorbPolicy::TrimQuestions),
            LogKind::BackToSchedule,
            LogKind::Message("Please \"wrap\" up\n".into()),
            LogKind::ClearMessage,
            LogKind::Blank,
            LogKind::Unblank,
        ];
        for kind in kinds {
            let entry = LogEntry {
                at,
                room: "Tamaya FGH".into(),
                session: Some(SessionId("mon-0900".into())),
                talk: None,
                kind,
            };
            let line = to_line(&entry);
            assert!(!line.contains('\n'), "{line}");
            assert_eq!(parse_line(&line), Ok(entry), "{line}");
        }
    }
}
