//! Saving the chair's overrides, so that a crashed or rebooted laptop comes back to the same
//! countdown.
//!
//! The state is written atomically (a temporary file in the same directory, flushed to disk,
//! then renamed over the old one), so a crash mid-write leaves the previous state intact. A
//! corrupt state file is reported and ignored, never fatal. The serde types here are private;
//! the rest of lectern sees [`ChairState`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike as _, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::chair::{
    AbsorbPolicy, ChairState, MAX_ADDED_SECONDS, MAX_MESSAGE_CHARS, MAX_PAUSED_SECONDS,
    TimerOverride,
};
use crate::model::{SessionId, TalkId};

const STATE_VERSION: u32 = 1;

/// How far a saved timer's instants may lie from the moment the state was saved, in days. A
/// timer runs for minutes; a year is generous, and it keeps all arithmetic on them in range.
const MAX_DAYS_FROM_SAVING: u64 = 366;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawState {
    version: u32,
    /// The schedule the state belongs to, for a person reading the file.
    schedule: String,
    /// The room the state belongs to.
    room: String,
    saved_at: DateTime<Utc>,
    timer: Option<RawTimer>,
    message: Option<String>,
    blanked: bool,
    /// Files saved before the chair could choose how to absorb a delay have none (push).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimer {
    session: String,
    talk: Option<String>,
    started_at: DateTime<Utc>,
    added_seconds: i64,
    paused_since: Option<DateTime<Utc>>,
    paused_seconds: i64,
    /// Files saved before questions could be started early have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    questions_since: Option<DateTime<Utc>>,
    /// Files saved before the chair could end a talk (and hold) have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ended_at: Option<DateTime<Utc>>,
}

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading or writing failed.
    #[error("{path}: {reason}")]
    Io {
        /// The state file.
        path: PathBuf,
        /// The reason.
        reason: std::io::Error,
    },
    /// The path is not a regular file (a FIFO would block the start, a device never ends).
    #[error("{path}: the chair state cannot be kept here: {message}")]
    NotAFile {
        /// The state file.
        path: PathBuf,
        /// What it is instead.
        message: String,
    },
    /// The file is not a valid state file.
    #[error(
        "{path}:{line}:{column}: the saved chair state is unreadable ({message}); it is ignored"
    )]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// Where the problem is.
        line: usize,
        /// Where the problem is.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file holds a value that no chair could have set.
    #[error("{path}: the saved chair state holds a value out of range ({message}); it is ignored")]
    OutOfRange {
        /// The state file.
        path: PathBuf,
        /// Which value, and its range.
        message: String,
    },
    /// The file belongs to another room.
    #[error("{path}: the saved chair state is for room {room}; it is ignored")]
    OtherRoom {
        /// The state file.
        path: PathBuf,
        /// The room it belongs to.
        room: String,
    },
}

/// lectern's folder in the XDG state directory (`$XDG_STATE_HOME/lectern`, by default
/// `~/.local/state/lectern`): the chair's states and the API token. `None` when neither
/// variable is set.
pub fn state_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_STATE_HOME").filter(|value| !value.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").filter(|value| !value.is_empty())?)
            .join(".local")
            .join("state"),
    };
    Some(base.join("lectern"))
}

/// Where one room's chair state is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    /// A state file at an explicit path.
    pub fn at(path: PathBuf) -> Self {
        StateFile { path }
    }

    /// The state file for a schedule and a room in the XDG state directory
    /// (`$XDG_STATE_HOME/lectern`, by default `~/.local/state/lectern`). `None` when neither
    /// variable is set.
    pub fn in_state_dir(schedule_key: &str, room_name: &str) -> Option<Self> {
        let base = state_dir()?;
        let name = format!(
            "{}-{:016x}.json",
            slug(room_name),
            fnv1a(&format!("{schedule_key}\n{room_name}"))
        );
        Some(StateFile {
            path: base.join(name),
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the saved state. `Ok(None)` when nothing was saved yet.
    pub fn load(&self, room_name: &str) -> Result<Option<ChairState>, StateError> {
        let bytes = match crate::source::read_limited(&self.path) {
            Ok(bytes) => bytes,
            Err(crate::source::SourceError::Missing { .. }) => return Ok(None),
            Err(crate::source::SourceError::Unreadable { reason, .. }) => {
                return Err(StateError::Io {
                    path: self.path.clone(),
                    reason,
                });
            }
            Err(other) => {
                return Err(StateError::NotAFile {
                    path: self.path.clone(),
                    message: other.to_string(),
                });
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let raw: RawState = serde_json::from_str(&text).map_err(|error| StateError::Corrupt {
            path: self.path.clone(),
            line: error.line(),
            column: error.column(),
            message: error
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned(),
        })?;
        if raw.version != STATE_VERSION {
            return Err(StateError::Corrupt {
                path: self.path.clone(),
                line: 1,
                column: 1,
                message: format!("unknown version {}", raw.version),
            });
        }
        if raw.room != room_name {
            return Err(StateError::OtherRoom {
                path: self.path.clone(),
                room: raw.room,
            });
        }
        let timer = match raw.timer {
            Some(timer) => Some(self.checked_timer(timer, raw.saved_at)?),
            None => None,
        };
        if let Some(message) = &raw.message
            && message.chars().count() > MAX_MESSAGE_CHARS
        {
            return Err(self.out_of_range(format!(
                "the message is longer than {MAX_MESSAGE_CHARS} characters"
            )));
        }
        let policy = match raw.policy.as_deref() {
            None => AbsorbPolicy::default(),
            Some(name) => AbsorbPolicy::from_name(name).ok_or_else(|| {
                self.out_of_range(format!(
                    "policy is `{name}`, not one of push, trim_questions or shrink"
                ))
            })?,
        };
        Ok(Some(ChairState {
            timer,
            message: raw.message,
            blanked: raw.blanked,
            policy,
        }))
    }

    /// Turns a saved timer into a [`TimerOverride`], refusing values that no chair could have
    /// set: the file is input like any other, and a value out of range would otherwise break
    /// every countdown computed from it, at every start.
    fn checked_timer(
        &self,
        timer: RawTimer,
        saved_at: DateTime<Utc>,
    ) -> Result<TimerOverride, StateError> {
        if !(1970..=9999).contains(&saved_at.year()) {
            return Err(self.out_of_range(format!(
                "saved_at ({saved_at}) is not between the years 1970 and 9999"
            )));
        }
        if timer.added_seconds.unsigned_abs() > MAX_ADDED_SECONDS.unsigned_abs() {
            return Err(self.out_of_range(format!(
                "timer.added_seconds is {}, beyond the ±{MAX_ADDED_SECONDS} a chair can add",
                timer.added_seconds
            )));
        }
        if !(0..=MAX_PAUSED_SECONDS).contains(&timer.paused_seconds) {
            return Err(self.out_of_range(format!(
                "timer.paused_seconds is {}, outside 0 to {MAX_PAUSED_SECONDS}",
                timer.paused_seconds
            )));
        }
        let near_saving = |instant: DateTime<Utc>| {
            instant
                .signed_duration_since(saved_at)
                .num_days()
                .unsigned_abs()
                <= MAX_DAYS_FROM_SAVING
        };
        if !near_saving(timer.started_at) {
            return Err(self.out_of_range(format!(
                "timer.started_at ({}) is more than {MAX_DAYS_FROM_SAVING} days from saved_at",
                timer.started_at
            )));
        }
        if let Some(paused_since) = timer.paused_since
            && !near_saving(paused_since)
        {
            return Err(self.out_of_range(format!(
                "timer.paused_since ({paused_since}) is more than {MAX_DAYS_FROM_SAVING} days from saved_at"
            )));
        }
        for (name, instant) in [
            ("questions_since", timer.questions_since),
            ("ended_at", timer.ended_at),
        ] {
            if let Some(instant) = instant
                && !near_saving(instant)
            {
                return Err(self.out_of_range(format!(
                    "timer.{name} ({instant}) is more than {MAX_DAYS_FROM_SAVING} days from saved_at"
                )));
            }
        }
        Ok(TimerOverride {
            session: SessionId(timer.session),
            talk: timer.talk.map(TalkId),
            started_at: timer.started_at,
            added: Duration::seconds(timer.added_seconds),
            paused_since: timer.paused_since,
            paused_total: Duration::seconds(timer.paused_seconds),
            questions_since: timer.questions_since,
            ended_at: timer.ended_at,
        })
    }

    fn out_of_range(&self, message: String) -> StateError {
        StateError::OutOfRange {
            path: self.path.clone(),
            message,
        }
    }

    /// Saves the state atomically: write a temporary file beside the target, flush it to
    /// disk, rename it over the target.
    pub fn save(
        &self,
        state: &ChairState,
        schedule_name: &str,
        room_name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let io_error = |reason| StateError::Io {
            path: self.path.clone(),
            reason,
        };
        let raw = RawState {
            version: STATE_VERSION,
            schedule: schedule_name.to_owned(),
            room: room_name.to_owned(),
            saved_at: now,
            timer: state.timer.as_ref().map(|timer| RawTimer {
                session: timer.session.0.clone(),
                talk: timer.talk.as_ref().map(|talk| talk.0.clone()),
                started_at: timer.started_at,
                // Whole seconds are plenty for a countdown shown in seconds.
                added_seconds: timer.added.num_seconds(),
                paused_since: timer.paused_since,
                paused_seconds: timer.paused_total.num_seconds(),
                questions_since: timer.questions_since,
                ended_at: timer.ended_at,
            }),
            message: state.message.clone(),
            blanked: state.blanked,
            policy: (state.policy != AbsorbPolicy::default())
                .then(|| state.policy.as_str().to_owned()),
        };
        let text = serde_json::to_string_pretty(&raw)
            .map_err(|error| io_error(std::io::Error::other(error)))?;
        if let Some(directory) = self.path.parent()
            && !directory.as_os_str().is_empty()
        {
            std::fs::create_dir_all(directory).map_err(io_error)?;
        }
        crate::write::write_file(&self.path, text.as_bytes()).map_err(|error| match error {
            crate::write::WriteError::Io { reason, .. } => io_error(reason),
            other => io_error(std::io::Error::other(other.to_string())),
        })
    }
}

/// A file-name-safe form of a room name.
fn slug(text: &str) -> String {
    let mut slug = String::new();
    for character in text.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "room".to_owned()
    } else {
        slug.chars().take(40).collect()
    }
}

/// FNV-1a: a hash that, unlike the standard library's, is the same in every build, so that a
/// new version of lectern finds the state an older one saved.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_survives_a_save_and_a_load() {
        let folder = tempfile::tempdir().expect("temp dir");
        let file = StateFile::at(folder.path().join("nested").join("state.json"));
        let now = DateTime::parse_from_rfc3339("2013-05-13T15:20:00Z")
            .expect("instant")
            .with_timezone(&Utc);
        let state = ChairState {
            timer: Some(TimerOverride {
                session: SessionId("mon-0900".into()),
                talk: Some(TalkId("the-nic".into())),
                started_at: now,
                added: Duration::minutes(2),
                paused_since: Some(now + Duration::minutes(1)),
                paused_total: Duration::seconds(30),
                questions_since: Some(now + Duration::minutes(3)),
                ended_at: Some(now + Duration::minutes(4)),
            }),
            message: Some("Please wrap up".into()),
            blanked: true,
            policy: AbsorbPolicy::Shrink,
        };
        assert_eq!(file.load("Tamaya FGH").expect("no file yet"), None);
        file.save(&state, "hotos.json", "Tamaya FGH", now)
            .expect("saved");
        assert_eq!(file.load("Tamaya FGH").expect("loads"), Some(state));
        assert!(matches!(
            file.load("Other"),
            Err(StateError::OtherRoom { .. })
        ));
    }

    #[test]
    fn a_corrupt_state_file_is_an_error_that_names_the_place() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("state.json");
        std::fs::write(&path, "{\"version\": 1, \"timer\": ").expect("write");
        let error = StateFile::at(path).load("Main").expect_err("corrupt");
        assert!(error.to_string().contains("state.json:1:"), "{error}");
        assert!(error.to_string().ends_with("it is ignored"), "{error}");
    }

    #[test]
    fn state_file_names_are_stable_and_safe() {
        assert_eq!(slug("Tamaya FGH"), "tamaya-fgh");
        assert_eq!(slug("Saal 1 / Hörsaal"), "saal-1-h-rsaal");
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
