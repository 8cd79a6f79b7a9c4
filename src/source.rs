//! Where schedules come from: files on disk and the embedded HotOS 2013 program. This is the
//! file-system edge of the library; the parsing and validation behind it do no I/O.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::diagnostic::LoadError;
use crate::formats::{self, LoadOptions, MAX_SCHEDULE_BYTES};
use crate::validate::Loaded;

/// The HotOS XIV (2013) program, shipped inside the binary as its default schedule.
pub const EMBEDDED_SCHEDULE: &str = include_str!("../schedules/hotos-2013.json");

/// The name under which the embedded schedule is reported.
pub const EMBEDDED_NAME: &str = "hotos-2013.json (embedded)";

/// Why a schedule file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file does not exist.
    #[error(
        "{path}: the schedule file does not exist\n  help: check the path, or run `lectern` without a file for the built-in HotOS 2013 program"
    )]
    Missing {
        /// The path as given.
        path: PathBuf,
    },
    /// The file could not be read.
    // The reason is part of the message and not a `source`: an error chain printed in full
    // would otherwise repeat it ("Is a directory (os error 21): Is a directory (os error 21)").
    #[error("{path}: cannot read the schedule file: {reason}")]
    Unreadable {
        /// The path as given.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// The file was read but is not a valid schedule.
    #[error("{}", .error.render(&.path.display().to_string()))]
    Invalid {
        /// The path as given.
        path: PathBuf,
        /// What is wrong with it.
        error: LoadError,
    },
}

/// Reads and validates a schedule file. Files over [`MAX_SCHEDULE_BYTES`] are refused before
/// they are read.
pub fn load_file(path: &Path, options: &LoadOptions) -> Result<Loaded, SourceError> {
    let bytes = read_limited(path)?;
    formats::load_bytes(&bytes, options).map_err(|error| SourceError::Invalid {
        path: path.to_owned(),
        error,
    })
}

/// Reads a file, refusing one over [`MAX_SCHEDULE_BYTES`] without reading it into memory.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, SourceError> {
    let file = std::fs::File::open(path).map_err(|source| io_error(path, source))?;
    let size = file
        .metadata()
        .map_err(|source| io_error(path, source))?
        .len();
    formats::check_size(size).map_err(|error| SourceError::Invalid {
        path: path.to_owned(),
        error,
    })?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // The file may grow while it is read; never read more than the limit allows.
    file.take(MAX_SCHEDULE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| io_error(path, source))?;
    Ok(bytes)
}

fn io_error(path: &Path, source: std::io::Error) -> SourceError {
    if source.kind() == std::io::ErrorKind::NotFound {
        SourceError::Missing {
            path: path.to_owned(),
        }
    } else {
        SourceError::Unreadable {
            path: path.to_owned(),
            reason: source,
        }
    }
}

/// Loads the embedded HotOS 2013 program.
pub fn load_embedded() -> Result<Loaded, LoadError> {
    formats::load_bytes(EMBEDDED_SCHEDULE.as_bytes(), &LoadOptions::default())
}
