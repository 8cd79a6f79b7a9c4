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
    // The reason is part of the message and deliberately not the error's `source`: printed as
    // a chain, it would otherwise appear twice.
    #[error("{path}: cannot read the schedule file: {reason}")]
    Unreadable {
        /// The path as given.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// The path names something other than a regular file: reading a FIFO or a device would
    /// block or never end.
    #[error(
        "{path}: is {kind}, not a schedule file\n  help: give the path of a schedule file (JSON, schedule.xml, iCalendar or a saved program page)"
    )]
    NotAFile {
        /// The path as given.
        path: PathBuf,
        /// What it is instead, with its article ("a directory").
        kind: &'static str,
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

/// Reads a file, refusing one over [`MAX_SCHEDULE_BYTES`] without reading it into memory, and
/// refusing anything but a regular file without opening it for long: a FIFO would block the
/// reader until a writer came, and a device such as `/dev/zero` never ends.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, SourceError> {
    let metadata = std::fs::metadata(path).map_err(|source| io_error(path, source))?;
    ensure_regular(path, &metadata)?;
    let file = open_nonblocking(path).map_err(|source| io_error(path, source))?;
    // The path may have been replaced between the two looks; check what was opened.
    let metadata = file.metadata().map_err(|source| io_error(path, source))?;
    ensure_regular(path, &metadata)?;
    formats::check_size(metadata.len()).map_err(|error| SourceError::Invalid {
        path: path.to_owned(),
        error,
    })?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow while it is read; never read more than the limit allows.
    file.take(MAX_SCHEDULE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| io_error(path, source))?;
    Ok(bytes)
}

/// Opens a file for reading without waiting for a writer, should it be a FIFO after all.
pub(crate) fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Refuses anything but a regular file, naming what it is.
pub fn ensure_regular(path: &Path, metadata: &std::fs::Metadata) -> Result<(), SourceError> {
    if metadata.is_file() {
        return Ok(());
    }
    Err(SourceError::NotAFile {
        path: path.to_owned(),
        kind: file_kind(&metadata.file_type()),
    })
}

/// What a file that is not a regular file is, for messages.
pub fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "something other than a regular file"
    }
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
