//! Writing files safely: the one place lectern writes to disk.
//!
//! A regular file (or a path that does not exist yet) is replaced atomically: the new content is
//! written to a temporary file beside it, flushed to disk, renamed over the target, and the
//! directory is synced, so that a display watching the file never reads half of it and a crash
//! leaves either the old or the new content. Renaming is only right for regular files: applied
//! to `/dev/null` or a FIFO it would replace the device with a file. Those are written through
//! instead, and anything else (a directory, a socket) is refused with what it is.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::source::file_kind;

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The path names something that cannot hold a file's content.
    #[error("{path}: is {kind}; cannot write a file there\n  help: give the path of a file")]
    NotWritable {
        /// The path as given.
        path: PathBuf,
        /// What it is ("a directory").
        kind: &'static str,
    },
    /// The operating system refused.
    #[error("{path}: cannot write: {reason}")]
    Io {
        /// The path as given.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
}

/// Writes `bytes` to `path`: atomically for a regular file or a new one, straight through for
/// a FIFO or a character device, and not at all for anything else.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io_error = |reason| WriteError::Io {
        path: path.to_owned(),
        reason,
    };
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => {
            // Through a symlink, replace the file it points at, not the link.
            let target = std::fs::canonicalize(path).map_err(io_error)?;
            replace_atomically(&target, bytes).map_err(io_error)
        }
        Ok(metadata) if writes_through(&metadata.file_type()) => {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io_error)?;
            file.write_all(bytes)
                .and_then(|()| file.flush())
                .map_err(io_error)
        }
        Ok(metadata) => Err(WriteError::NotWritable {
            path: path.to_owned(),
            kind: file_kind(&metadata.file_type()),
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            replace_atomically(path, bytes).map_err(io_error)
        }
        Err(error) => Err(io_error(error)),
    }
}

/// Whether a file of this type is written in place: FIFOs and character devices
/// (`/dev/null`, `/dev/stdout`, a terminal).
fn writes_through(file_type: &std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        file_type.is_fifo() || file_type.is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = file_type;
        false
    }
}

fn replace_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::NamedTempFile::new_in(directory)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    // The rename itself is durable only once the directory is synced. Not every file system
    // lets a directory be opened for that; the content is safe either way.
    #[cfg(unix)]
    if let Ok(folder) = std::fs::File::open(directory) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_replaced_and_a_new_one_created() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("out.json");
        write_file(&path, b"one").expect("create");
        write_file(&path, b"two").expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        // Nothing is left behind but the file itself.
        assert_eq!(std::fs::read_dir(folder.path()).expect("list").count(), 1);
    }

    #[test]
    fn a_symlink_keeps_pointing_at_the_replaced_file() {
        let folder = tempfile::tempdir().expect("temp dir");
        let target = folder.path().join("real.json");
        let link = folder.path().join("link.json");
        std::fs::write(&target, b"old").expect("write");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        write_file(&link, b"new").expect("write through link");
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("stat")
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
    }

    #[test]
    fn dev_null_stays_a_device() {
        write_file(Path::new("/dev/null"), b"discarded").expect("write to /dev/null");
        let metadata = std::fs::metadata("/dev/null").expect("stat");
        assert!(!metadata.is_file(), "/dev/null was replaced by a file");
    }

    #[test]
    fn a_directory_is_refused_with_what_it_is() {
        let folder = tempfile::tempdir().expect("temp dir");
        let error = write_file(folder.path(), b"x").expect_err("a directory");
        assert!(error.to_string().contains("is a directory"), "{error}");
    }
}
