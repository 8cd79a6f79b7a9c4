//! Schedules from a URL: the HTTP edge of the library.
//!
//! A program published by a conference tool (`https://…/schedule.json`) is fetched with a
//! conditional request (the last copy's `ETag` and `Last-Modified` are sent back as
//! `If-None-Match` and `If-Modified-Since`, so that an unchanged program costs one short
//! answer and no parse), within timeouts, refusing a body over [`MAX_SCHEDULE_BYTES`] and
//! following a few redirects. The last good copy is kept in a cache ([`cache`]) so that the
//! room starts at once, with or without a network. The poller ([`poller`]) fetches on its own
//! thread, never the window's, and backs off after failures ([`next_poll_delay`], pure).

pub mod cache;
pub mod poller;

use std::io::Read as _;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::system_now;
use crate::formats::{LoadOptions, MAX_SCHEDULE_BYTES};
use crate::validate::Loaded;

pub use cache::{Cache, CachedCopy};
pub use poller::UrlPoller;

/// How often a URL is fetched by default (`--poll`).
pub const DEFAULT_POLL: Duration = Duration::from_secs(60);

/// The first retry's delay after a failure, doubled after each further failure.
pub const BACKOFF_BASE: Duration = Duration::from_secs(5);

/// The longest wait between retries while the URL cannot be reached (unless the poll interval
/// itself is longer).
pub const MAX_BACKOFF: Duration = Duration::from_secs(10 * 60);

/// How retries slow down after failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The delay after the first failure is twice this; each further failure doubles it.
    pub base: Duration,
    /// The longest delay (unless the poll interval is longer).
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: BACKOFF_BASE,
            max: MAX_BACKOFF,
        }
    }
}

/// How many redirects are followed: enough for http → https and a moved export, few enough
/// that a loop ends at once.
pub const MAX_REDIRECTS: u32 = 5;

/// Whether a schedule argument is a URL rather than a path: it starts with `http://` or
/// `https://` (in any case).
pub fn is_url(text: &str) -> bool {
    let lower = |prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    lower("http://") || lower("https://")
}

/// How long a fetch may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Connecting (name lookup, TCP and TLS).
    pub connect: Duration,
    /// The whole request, redirects and body included.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// A schedule published at a URL, and how it is followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlOrigin {
    /// The URL as given.
    pub url: String,
    /// How often to fetch it; `None` fetches only when asked (`R`, `--no-watch`).
    pub poll: Option<Duration>,
    /// How long a fetch may take.
    pub timeouts: Timeouts,
    /// How retries slow down after failures.
    pub backoff: Backoff,
    /// Where the last good copy is kept; `None` keeps none.
    pub cache_dir: Option<PathBuf>,
}

impl UrlOrigin {
    /// A URL followed every [`DEFAULT_POLL`], cached in the XDG cache directory.
    pub fn new(url: &str) -> Self {
        UrlOrigin {
            url: url.to_owned(),
            poll: Some(DEFAULT_POLL),
            timeouts: Timeouts::default(),
            backoff: Backoff::default(),
            cache_dir: cache::default_dir(),
        }
    }

    /// The cache, if one is kept.
    pub fn cache(&self) -> Option<Cache> {
        self.cache_dir.clone().map(Cache::new)
    }
}

/// What identifies the version of a program the server sent, to ask "has it changed?".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header, sent back as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` header, sent back as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// What a fetch brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: the copy held is still current.
    NotModified,
    /// A program (not yet parsed) and its validators.
    Body {
        /// The body, at most [`MAX_SCHEDULE_BYTES`].
        bytes: Vec<u8>,
        /// Its `ETag` and `Last-Modified`.
        validators: Validators,
    },
}

/// Why a URL could not be fetched. Every message names the URL and says what to do; the last
/// good program stays on screen meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// No answer in time.
    #[error(
        "{url}: no answer within {seconds} s\n  help: the server is slow or out of reach; check the network, or try again later"
    )]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout that ran out, in seconds.
        seconds: u64,
    },
    /// No connection (no network, name unknown, refused).
    #[error("{url}: cannot connect ({reason})\n  help: check the network and the address")]
    Connect {
        /// The URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}: the server answered {status}\n  help: {help}")]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// What to do about it.
        help: &'static str,
    },
    /// The body is over the size limit.
    #[error(
        "{url}: the program is larger than {limit_mib} MiB; it is not read\n  help: check that the URL is the schedule's export, not a page or an archive"
    )]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit, in MiB.
        limit_mib: usize,
    },
    /// The connection closed before the body was complete.
    #[error(
        "{url}: the program arrived incomplete ({reason})\n  help: the connection broke off; try again"
    )]
    Truncated {
        /// The URL.
        url: String,
        /// What was seen.
        reason: String,
    },
    /// Redirects went on for too long (a loop).
    #[error(
        "{url}: more than {MAX_REDIRECTS} redirects\n  help: open the URL in a browser to see where it leads, and give lectern the final address"
    )]
    TooManyRedirects {
        /// The URL.
        url: String,
    },
    /// The URL itself is not usable.
    #[error(
        "{url}: not a URL lectern can fetch ({reason})\n  help: give an http:// or https:// address of a schedule file"
    )]
    BadUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Anything else the HTTP client reported (TLS, protocol).
    #[error(
        "{url}: cannot fetch the program ({reason})\n  help: check the address (an https:// server needs a valid certificate), or try again later"
    )]
    Other {
        /// The URL.
        url: String,
        /// What failed.
        reason: String,
    },
}

/// The client for one URL. Cheap to keep; connections are reused between polls.
pub struct Fetcher {
    agent: ureq::Agent,
    url: String,
    timeouts: Timeouts,
}

/// What the server is told lectern accepts: every format it reads, JSON first.
const ACCEPT: &str = "application/json, application/xml;q=0.9, text/xml;q=0.9, text/calendar;q=0.9, text/plain;q=0.5, */*;q=0.1";

impl Fetcher {
    /// A client for `url` with these timeouts.
    pub fn new(url: &str, timeouts: Timeouts) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(timeouts.connect))
            .timeout_global(Some(timeouts.request))
            .max_redirects(MAX_REDIRECTS)
            // Statuses are answers to look at (304, 500), not errors of the transport.
            .http_status_as_error(false)
            .user_agent(concat!("lectern/", env!("CARGO_PKG_VERSION")))
            .accept(ACCEPT)
            .build()
            .new_agent();
        Fetcher {
            agent,
            url: url.to_owned(),
            timeouts,
        }
    }

    /// The URL fetched.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Fetches the program, asking only for a newer version than `validators` name.
    pub fn fetch(&self, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut request = self.agent.get(&self.url);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header("If-Modified-Since", modified);
        }
        let mut response = request.call().map_err(|error| self.error(error))?;
        let status = response.status().as_u16();
        if status == 304 {
            return Ok(Fetched::NotModified);
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status {
                url: self.url.clone(),
                status,
                help: status_help(status),
            });
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        // A declared length over the limit is refused before anything is read.
        let declared = response.body().content_length();
        if declared.is_some_and(|length| length > MAX_SCHEDULE_BYTES as u64) {
            return Err(self.too_large());
        }
        let mut bytes = Vec::with_capacity(
            declared
                .and_then(|length| usize::try_from(length).ok())
                .unwrap_or(0)
                .min(MAX_SCHEDULE_BYTES),
        );
        // One byte more than the limit tells a body over it from one exactly at it.
        response
            .body_mut()
            .as_reader()
            .take(MAX_SCHEDULE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| self.read_error(error))?;
        if bytes.len() > MAX_SCHEDULE_BYTES {
            return Err(self.too_large());
        }
        Ok(Fetched::Body { bytes, validators })
    }

    fn too_large(&self) -> FetchError {
        FetchError::TooLarge {
            url: self.url.clone(),
            limit_mib: MAX_SCHEDULE_BYTES / (1024 * 1024),
        }
    }

    /// An error while the body was read: a timeout, or the connection closing early.
    fn read_error(&self, error: std::io::Error) -> FetchError {
        let reason = error.to_string();
        match ureq::Error::from(error) {
            ureq::Error::Timeout(_) => self.timeout(),
            ureq::Error::BodyExceedsLimit(_) => self.too_large(),
            _ => FetchError::Truncated {
                url: self.url.clone(),
                reason,
            },
        }
    }

    fn timeout(&self) -> FetchError {
        FetchError::Timeout {
            url: self.url.clone(),
            seconds: self.timeouts.request.as_secs(),
        }
    }

    fn error(&self, error: ureq::Error) -> FetchError {
        let url = self.url.clone();
        match error {
            ureq::Error::Timeout(ureq::Timeout::Connect) => FetchError::Timeout {
                url,
                seconds: self.timeouts.connect.as_secs(),
            },
            ureq::Error::Timeout(_) => self.timeout(),
            ureq::Error::HostNotFound => FetchError::Connect {
                url,
                reason: "the host name is unknown".to_owned(),
            },
            ureq::Error::ConnectionFailed => FetchError::Connect {
                url,
                reason: "the connection failed".to_owned(),
            },
            ureq::Error::Io(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::ConnectionRefused
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::NotConnected
                        | std::io::ErrorKind::HostUnreachable
                        | std::io::ErrorKind::NetworkUnreachable
                        | std::io::ErrorKind::NetworkDown
                        | std::io::ErrorKind::AddrNotAvailable
                ) =>
            {
                FetchError::Connect {
                    url,
                    reason: error.to_string(),
                }
            }
            ureq::Error::TooManyRedirects => FetchError::TooManyRedirects { url },
            ureq::Error::BodyExceedsLimit(_) => self.too_large(),
            ureq::Error::BadUri(reason) => FetchError::BadUrl { url, reason },
            ureq::Error::Http(error) => FetchError::BadUrl {
                url,
                reason: error.to_string(),
            },
            other => FetchError::Other {
                url,
                reason: other.to_string(),
            },
        }
    }
}

/// A program read once from a URL, for a command or for a room's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlBytes {
    /// The body: fetched now, or the cached copy.
    pub bytes: Vec<u8>,
    /// Its validators.
    pub validators: Validators,
    /// Whether it came from the server now (and is worth caching once it loads).
    pub fresh: bool,
    /// When the cached copy was last confirmed, and why the URL could not be fetched, when
    /// the cached copy stands in for the server's answer.
    pub fallback: Option<(DateTime<Utc>, FetchError)>,
}

/// Fetches `origin`'s program once (a conditional request when a copy is cached), falling back
/// to the cached copy when the URL cannot be fetched. Errors only when there is neither.
pub fn read_once(origin: &UrlOrigin) -> Result<UrlBytes, FetchError> {
    let cache = origin.cache();
    let cached = cache
        .as_ref()
        .and_then(|cache| match cache.load(&origin.url) {
            Ok(copy) => copy,
            Err(error) => {
                eprintln!("lectern: {error}");
                None
            }
        });
    let validators = cached
        .as_ref()
        .map(|copy| copy.validators.clone())
        .unwrap_or_default();
    let fetcher = Fetcher::new(&origin.url, origin.timeouts);
    match (fetcher.fetch(&validators), cached) {
        (Ok(Fetched::Body { bytes, validators }), _) => Ok(UrlBytes {
            bytes,
            validators,
            fresh: true,
            fallback: None,
        }),
        (Ok(Fetched::NotModified), Some(copy)) => Ok(UrlBytes {
            bytes: copy.body,
            validators: copy.validators,
            fresh: true,
            fallback: None,
        }),
        // A 304 without a copy to confirm cannot happen with the request sent; a server that
        // sends one anyway has given nothing usable.
        (Ok(Fetched::NotModified), None) => Err(FetchError::Other {
            url: origin.url.clone(),
            reason: "the server answered 304 Not Modified to an unconditional request".to_owned(),
        }),
        (Err(error), Some(copy)) => Ok(UrlBytes {
            bytes: copy.body,
            validators: copy.validators,
            fresh: false,
            fallback: Some((copy.fetched_at, error)),
        }),
        (Err(error), None) => Err(error),
    }
}

/// Keeps a program that loaded as `origin`'s last good copy, confirmed now. A cache that
/// cannot be written is reported on the standard error and otherwise ignored.
pub fn remember(origin: &UrlOrigin, read: &UrlBytes) {
    if !read.fresh {
        return;
    }
    let Some(cache) = origin.cache() else {
        return;
    };
    let copy = CachedCopy {
        body: read.bytes.clone(),
        validators: read.validators.clone(),
        fetched_at: system_now(),
    };
    if let Err(error) = cache.store(&origin.url, &copy) {
        eprintln!("lectern: {error}");
    }
}

/// Why a room could not start from a URL: neither a cached copy nor the server gave a program
/// that loads.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The URL could not be fetched, and nothing is cached.
    #[error("{0}\n  help: no copy of this program is cached yet; lectern needs the network once")]
    Fetch(FetchError),
    /// The program fetched (or cached) does not load.
    #[error("{0}")]
    Invalid(String),
}

/// How a room's first program was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartedFrom {
    /// The cached copy, last confirmed then; the poller fetches the URL next.
    Cache(DateTime<Utc>),
    /// A fetch made now (nothing usable was cached).
    Server,
}

/// The program a room starts with: the cached copy at once, without waiting for the network,
/// when there is one and it loads; otherwise one fetch now.
pub fn start_load(
    origin: &UrlOrigin,
    options: &LoadOptions,
) -> Result<(Loaded, StartedFrom), StartError> {
    if let Some(cache) = origin.cache()
        && let Ok(Some(copy)) = cache.load(&origin.url)
        && let Ok(loaded) = crate::formats::load_bytes(&copy.body, options)
    {
        return Ok((loaded, StartedFrom::Cache(copy.fetched_at)));
    }
    let read = read_once(origin).map_err(StartError::Fetch)?;
    let loaded = crate::formats::load_bytes(&read.bytes, options)
        .map_err(|error| StartError::Invalid(error.render(&origin.url)))?;
    remember(origin, &read);
    Ok((loaded, StartedFrom::Server))
}

/// What to do about an HTTP error status.
fn status_help(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            "the server refuses to give the program; check that the export is public, or give another URL"
        }
        404 | 410 => {
            "there is no program at this address (any more); check the URL, which often changes when a schedule is republished"
        }
        400..=499 => "the server does not accept lectern's request; check the URL",
        _ => {
            "the server has a problem; try again later (a room keeps its last good program and retries, less and less often)"
        }
    }
}

/// How long to wait before the next fetch: the poll interval while fetches succeed; after
/// n failures in a row, `backoff.base`·2ⁿ (by default 10 s, 20 s, 40 s, …), growing up to
/// `backoff.max` (10 minutes), and never sooner than the poll interval, so that a server in
/// trouble is never asked more often than a healthy one.
pub fn next_poll_delay(poll: Duration, consecutive_failures: u32, backoff: Backoff) -> Duration {
    if consecutive_failures == 0 {
        return poll;
    }
    // 2^20 times any sensible base is far past the cap already; the shift never overflows.
    let factor = 1_u32 << consecutive_failures.min(20);
    backoff
        .base
        .saturating_mul(factor)
        .min(backoff.max)
        .max(poll)
}

/// A stable 64-bit hash (FNV-1a) of some bytes: the cache's file names and the poller's
/// "same content" test. Stable across runs and builds, unlike the standard library's hasher.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        for url in [
            "http://example.org/s.json",
            "HTTPS://example.org/",
            "https://x",
        ] {
            assert!(is_url(url), "{url}");
        }
        for path in [
            "schedule.json",
            "./http://x",
            "/tmp/https",
            "http:/x",
            "ftp://x",
            "ü",
        ] {
            assert!(!is_url(path), "{path}");
        }
    }

    #[test]
    fn the_poll_interval_holds_while_fetches_succeed() {
        assert_eq!(
            next_poll_delay(Duration::from_secs(60), 0, Backoff::default()),
            Duration::from_secs(60)
        );
        assert_eq!(
            next_poll_delay(Duration::from_secs(5), 0, Backoff::default()),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn failures_back_off_doubling_up_to_ten_minutes_never_below_the_poll() {
        let poll = Duration::from_secs(5);
        let delays: Vec<u64> = (1..=9)
            .map(|failures| next_poll_delay(poll, failures, Backoff::default()).as_secs())
            .collect();
        assert_eq!(delays, [10, 20, 40, 80, 160, 320, 600, 600, 600]);
        // With the default poll, the first retries wait the poll interval, then grow.
        let poll = DEFAULT_POLL;
        let delays: Vec<u64> = (1..=8)
            .map(|failures| next_poll_delay(poll, failures, Backoff::default()).as_secs())
            .collect();
        assert_eq!(delays, [60, 60, 60, 80, 160, 320, 600, 600]);
        // A poll interval longer than the cap is kept.
        let hourly = Duration::from_secs(3600);
        assert_eq!(next_poll_delay(hourly, 30, Backoff::default()), hourly);
        // Any number of failures is fine.
        assert_eq!(
            next_poll_delay(poll, u32::MAX, Backoff::default()),
            MAX_BACKOFF
        );
    }

    #[test]
    fn the_stable_hash_is_fnv_1a() {
        // The published FNV-1a test vectors.
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(stable_hash(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
