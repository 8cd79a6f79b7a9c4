//! The last good copy of each URL's program, in the XDG cache directory
//! (`$XDG_CACHE_HOME/lectern`, by default `~/.cache/lectern`).
//!
//! One program per URL, under a stable hash of the URL: `HASH.body` holds the body exactly as
//! fetched, and `HASH.json` a small sidecar with the URL, the validators (`ETag`,
//! `Last-Modified`), when it was fetched, and the body's length and hash. Only bodies that
//! loaded are stored, so the cache never holds a broken program. Both files are written
//! atomically through [`crate::write`], the body first: a crash between the two leaves a
//! sidecar that does not match the body, and then the body is used without its validators (the
//! next fetch is unconditional) rather than with another version's.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Validators, stable_hash};
use crate::source::{SourceError, read_limited};
use crate::write::{WriteError, write_file};

/// The largest sidecar read: it holds a URL and two header values.
const MAX_SIDECAR_BYTES: u64 = 64 * 1024;

/// lectern's folder in the XDG cache directory, if a cache or home directory is known.
pub fn default_dir() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME").filter(|value| !value.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").filter(|value| !value.is_empty())?)
            .join(".cache"),
    };
    Some(base.join("lectern"))
}

/// A folder of cached programs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

/// A program as cached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedCopy {
    /// The body as fetched.
    pub body: Vec<u8>,
    /// Its validators, for the next conditional request.
    pub validators: Validators,
    /// When the server last confirmed it (a 200 or a 304).
    pub fetched_at: DateTime<Utc>,
}

/// Why the cache could not be read or written. Never fatal: the program is fetched instead,
/// or kept in memory only.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The folder could not be made.
    #[error(
        "{path}: cannot make the cache folder: {reason}\n  help: the program is not cached; set XDG_CACHE_HOME to a writable folder"
    )]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// A cached file could not be written.
    #[error("{0}\n  help: the program is not cached; set XDG_CACHE_HOME to a writable folder")]
    Write(#[from] WriteError),
    /// A cached file could not be read.
    #[error("{0}")]
    Read(#[from] SourceError),
}

/// The sidecar as stored: private, so the format can change without touching the rest.
#[derive(Debug, Serialize, Deserialize)]
struct Sidecar {
    url: String,
    #[serde(default)]
    etag: Option<String>,
    #[serde(default)]
    last_modified: Option<String>,
    fetched_at: DateTime<Utc>,
    body_bytes: u64,
    /// The body's FNV-1a hash in hex.
    body_hash: String,
}

impl Cache {
    /// A cache in `dir` (made when first written).
    pub fn new(dir: PathBuf) -> Self {
        Cache { dir }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The body's and the sidecar's paths for `url`.
    pub fn paths(&self, url: &str) -> (PathBuf, PathBuf) {
        let name = format!("{:016x}", stable_hash(url.as_bytes()));
        (
            self.dir.join(format!("{name}.body")),
            self.dir.join(format!("{name}.json")),
        )
    }

    /// The cached copy of `url`'s program, if there is one. A sidecar that is missing,
    /// unreadable, for another URL or for another body leaves the body usable without
    /// validators, dated by its file's modification time.
    pub fn load(&self, url: &str) -> Result<Option<CachedCopy>, CacheError> {
        let (body_path, sidecar_path) = self.paths(url);
        let body = match read_limited(&body_path) {
            Ok(body) => body,
            Err(SourceError::Missing { .. }) => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let sidecar = read_sidecar(&sidecar_path).filter(|sidecar| {
            sidecar.url == url
                && sidecar.body_bytes == body.len() as u64
                && sidecar.body_hash == format!("{:016x}", stable_hash(&body))
        });
        let copy = match sidecar {
            Some(sidecar) => CachedCopy {
                body,
                validators: Validators {
                    etag: sidecar.etag,
                    last_modified: sidecar.last_modified,
                },
                fetched_at: sidecar.fetched_at,
            },
            None => {
                let modified = std::fs::metadata(&body_path)
                    .and_then(|metadata| metadata.modified())
                    .map_or(DateTime::<Utc>::UNIX_EPOCH, DateTime::<Utc>::from);
                CachedCopy {
                    body,
                    validators: Validators::default(),
                    fetched_at: modified,
                }
            }
        };
        Ok(Some(copy))
    }

    /// Stores a program that loaded, replacing the previous copy.
    pub fn store(&self, url: &str, copy: &CachedCopy) -> Result<(), CacheError> {
        std::fs::create_dir_all(&self.dir).map_err(|reason| CacheError::Folder {
            path: self.dir.clone(),
            reason,
        })?;
        let (body_path, _) = self.paths(url);
        write_file(&body_path, &copy.body)?;
        self.write_sidecar(url, copy)
    }

    /// Records that the server confirmed the cached copy (a 304) at `fetched_at`: only the
    /// sidecar is rewritten.
    pub fn touch(&self, url: &str, copy: &CachedCopy) -> Result<(), CacheError> {
        self.write_sidecar(url, copy)
    }

    fn write_sidecar(&self, url: &str, copy: &CachedCopy) -> Result<(), CacheError> {
        let (_, sidecar_path) = self.paths(url);
        let sidecar = Sidecar {
            url: url.to_owned(),
            etag: copy.validators.etag.clone(),
            last_modified: copy.validators.last_modified.clone(),
            fetched_at: copy.fetched_at,
            body_bytes: copy.body.len() as u64,
            body_hash: format!("{:016x}", stable_hash(&copy.body)),
        };
        // Serialising this plain structure cannot fail; an empty sidecar only costs the
        // validators.
        let text = serde_json::to_string_pretty(&sidecar).unwrap_or_default();
        write_file(&sidecar_path, text.as_bytes())?;
        Ok(())
    }
}

fn read_sidecar(path: &Path) -> Option<Sidecar> {
    let metadata = std::fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_SIDECAR_BYTES {
        return None;
    }
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy(body: &[u8], etag: &str) -> CachedCopy {
        CachedCopy {
            body: body.to_vec(),
            validators: Validators {
                etag: Some(etag.to_owned()),
                last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
            },
            fetched_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn a_stored_copy_comes_back_with_its_validators() {
        let folder = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(folder.path().join("lectern"));
        let url = "https://example.org/schedule.json";
        assert!(cache.load(url).expect("no copy yet").is_none());
        let stored = copy(b"{\"version\": 1}", "\"v1\"");
        cache.store(url, &stored).expect("store");
        assert_eq!(cache.load(url).expect("load"), Some(stored));
        // Another URL has its own copy.
        assert!(
            cache
                .load("https://example.org/other.json")
                .expect("load")
                .is_none()
        );
    }

    #[test]
    fn a_sidecar_of_another_body_is_not_believed() {
        let folder = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(folder.path().to_owned());
        let url = "http://example.org/s.json";
        cache.store(url, &copy(b"old", "\"v1\"")).expect("store");
        // A crash after the new body was written but before its sidecar.
        let (body_path, _) = cache.paths(url);
        std::fs::write(&body_path, b"new").expect("write");
        let loaded = cache.load(url).expect("load").expect("a copy");
        assert_eq!(loaded.body, b"new");
        assert_eq!(loaded.validators, Validators::default());
    }

    #[test]
    fn a_corrupt_sidecar_leaves_the_body_usable() {
        let folder = tempfile::tempdir().expect("temp dir");
        let cache = Cache::new(folder.path().to_owned());
        let url = "http://example.org/s.json";
        cache.store(url, &copy(b"body", "\"v1\"")).expect("store");
        let (_, sidecar_path) = cache.paths(url);
        std::fs::write(&sidecar_path, b"{not json").expect("write");
        let loaded = cache.load(url).expect("load").expect("a copy");
        assert_eq!(loaded.body, b"body");
        assert_eq!(loaded.validators, Validators::default());
    }

    #[test]
    fn an_unwritable_folder_is_an_error_that_says_so() {
        let folder = tempfile::tempdir().expect("temp dir");
        let blocker = folder.path().join("file");
        std::fs::write(&blocker, b"").expect("write");
        let cache = Cache::new(blocker.join("lectern"));
        let error = cache
            .store("http://x/", &copy(b"b", "e"))
            .expect_err("a file where the folder should be");
        assert!(
            error.to_string().contains("cannot make the cache folder"),
            "{error}"
        );
    }
}
