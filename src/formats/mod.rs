//! Input formats. Each submodule reads one format into the validated model; this module
//! checks what is common to all of them (size, emptiness, encoding) and picks the format.

pub mod native;

use crate::diagnostic::{Diagnostic, LoadError, Location};
use crate::validate::Loaded;

/// The largest schedule file lectern reads. Real programs are well under 1 MiB; a larger file
/// is almost certainly the wrong file, and reading it would stall the display.
pub const MAX_SCHEDULE_BYTES: usize = 32 * 1024 * 1024;

/// Options that apply to every format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {}

/// Checks the size of a schedule before it is read: the file system edge calls this with the
/// size from the file's metadata so that an oversized file is never read into memory.
pub fn check_size(size: u64) -> Result<(), LoadError> {
    if size > MAX_SCHEDULE_BYTES as u64 {
        return Err(LoadError::single(
            Diagnostic::error(
                Location::Input,
                format!(
                    "the file is {:.1} MiB, more than the {} MiB a schedule may have",
                    size as f64 / (1024.0 * 1024.0),
                    MAX_SCHEDULE_BYTES / (1024 * 1024)
                ),
            )
            .with_help("check that this is the schedule file; a program of 10,000 sessions takes about 5 MiB"),
        ));
    }
    Ok(())
}

/// Loads a schedule from the bytes of a file.
pub fn load_bytes(bytes: &[u8], _options: &LoadOptions) -> Result<Loaded, LoadError> {
    check_size(bytes.len() as u64)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::single(
            Diagnostic::error(Location::Input, "the file is empty").with_help(
                "a schedule is a JSON object with `version`, `event`, `rooms` and `sessions`",
            ),
        ));
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
    native::load(text)
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
