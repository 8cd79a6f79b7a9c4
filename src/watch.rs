//! Watching the schedule file and reloading it on its own thread.
//!
//! The watcher watches the file's *directory* and filters by name: editors save by writing a
//! temporary file and renaming it over the old one, after which a watch on the file itself
//! hears nothing more. A symlinked schedule is followed to its target, whose directory is
//! watched too. Where the file system sends no events (network shares), a slow poll compares
//! the file's size, modification time and inode every two seconds.
//!
//! The thread reads and parses the file itself, so the window never waits for a big schedule,
//! and sends the outcome to the app: a new schedule, an error (the app keeps the last good
//! schedule), or "the file is missing". Identical content is not sent twice. After sending,
//! it calls the repaint callback so that the window shows the change in its next frame.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::formats::{self, LoadOptions};
use crate::source::{SourceError, read_limited};
use crate::validate::Loaded;

/// How often the file is looked at when no event arrives.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// How long to wait after a write that has not been closed yet before reading the file anyway.
/// Most writers close the file at once, which is acted on without waiting.
const WRITE_SETTLE: Duration = Duration::from_millis(25);

/// How changes are noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    /// File-system events, with the slow poll as a safety net.
    Events,
    /// Only the slow poll: for file systems that send no events, and for testing the poll.
    PollOnly,
}

/// What the watcher found.
#[derive(Debug)]
pub enum ScheduleUpdate {
    /// The file changed and holds a valid schedule.
    Loaded(Box<Loaded>),
    /// The file changed but cannot be used; the message says what, where and what to do.
    Failed(String),
    /// The file is gone (deleted, or renamed away and not yet replaced).
    Missing,
    /// The schedule's URL could not be fetched ([`crate::fetch`]); the last good schedule
    /// stays.
    Unreachable {
        /// When the server last gave or confirmed the program.
        since: DateTime<Utc>,
        /// When the fetch failed.
        at: DateTime<Utc>,
        /// What failed, where, and what to do.
        error: String,
    },
    /// The schedule's URL answers again, with the program shown (a 304, or the same body).
    Refreshed,
}

enum Message {
    FileSystem(notify::Result<notify::Event>),
    ReloadNow,
    Stop,
}

/// A running watcher. Dropping it stops the thread.
pub struct ScheduleWatcher {
    updates: Receiver<ScheduleUpdate>,
    messages: Sender<Message>,
    thread: Option<JoinHandle<()>>,
    events_available: bool,
}

impl ScheduleWatcher {
    /// Starts watching `path`. `repaint` is called after every update is sent. If the file
    /// system cannot send events, the watcher polls instead; it never fails to start.
    pub fn start(path: &Path, options: LoadOptions, repaint: impl Fn() + Send + 'static) -> Self {
        Self::start_with(path, options, WatchMode::Events, repaint)
    }

    /// Starts watching `path` in the given mode.
    pub fn start_with(
        path: &Path,
        options: LoadOptions,
        mode: WatchMode,
        repaint: impl Fn() + Send + 'static,
    ) -> Self {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let (messages, inbox) = mpsc::channel::<Message>();
        let (outbox, updates) = mpsc::channel::<ScheduleUpdate>();
        let events = messages.clone();
        let watcher = match mode {
            WatchMode::Events => notify::recommended_watcher(move |event| {
                // The receiving end only goes away when the thread ends; nothing to do then.
                let _ = events.send(Message::FileSystem(event));
            })
            .map_err(|error| {
                eprintln!(
                    "lectern: cannot watch for file changes ({error}); checking every {} s instead",
                    POLL_INTERVAL.as_secs()
                );
            })
            .ok(),
            WatchMode::PollOnly => None,
        };
        let events_available = watcher.is_some();
        let mut state = WatchState {
            path,
            options,
            watcher,
            watched_directories: HashSet::new(),
            fingerprint: None,
            last_stat: None,
            outbox,
            repaint: Box::new(repaint),
        };
        state.watch_directories();
        state.last_stat = file_stat(&state.path);
        // The schedule on disk now is the one the app was started with: remember it, so that
        // the first event with unchanged content sends nothing.
        state.fingerprint = read_limited(&state.path)
            .ok()
            .map(|bytes| Fingerprint::Content(content_hash(&bytes)));
        let thread = std::thread::Builder::new()
            .name("schedule-watcher".to_owned())
            .spawn(move || state.run(&inbox));
        let thread = match thread {
            Ok(thread) => Some(thread),
            Err(error) => {
                eprintln!(
                    "lectern: cannot start the schedule watcher ({error}); press R to reload by hand"
                );
                None
            }
        };
        ScheduleWatcher {
            updates,
            messages,
            thread,
            events_available,
        }
    }

    /// The next update, if one is waiting.
    pub fn try_next(&self) -> Option<ScheduleUpdate> {
        self.updates.try_recv().ok()
    }

    /// Waits up to `timeout` for the next update.
    pub fn next_timeout(&self, timeout: Duration) -> Option<ScheduleUpdate> {
        self.updates.recv_timeout(timeout).ok()
    }

    /// Asks the watcher to read the file now, even if it seems unchanged.
    pub fn reload_now(&self) {
        let _ = self.messages.send(Message::ReloadNow);
    }

    /// Whether the file system sends change events (otherwise changes are found by polling).
    pub fn events_available(&self) -> bool {
        self.events_available
    }
}

impl Drop for ScheduleWatcher {
    fn drop(&mut self) {
        let _ = self.messages.send(Message::Stop);
        if let Some(thread) = self.thread.take()
            // The last owner of a room session can be the watcher's own callback; a thread
            // cannot wait for itself, and it ends on the stop message anyway.
            && thread.thread().id() != std::thread::current().id()
        {
            let _ = thread.join();
        }
    }
}

/// What was last sent, to avoid sending the same thing twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fingerprint {
    Content(u64),
    Missing,
}

/// Size, modification time and inode: what the poll compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStat {
    size: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

fn file_stat(path: &Path) -> Option<FileStat> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some(FileStat {
        size: metadata.len(),
        modified: metadata.modified().ok(),
        inode,
    })
}

fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

struct WatchState {
    path: PathBuf,
    options: LoadOptions,
    watcher: Option<RecommendedWatcher>,
    watched_directories: HashSet<PathBuf>,
    fingerprint: Option<Fingerprint>,
    last_stat: Option<FileStat>,
    outbox: Sender<ScheduleUpdate>,
    repaint: Box<dyn Fn() + Send>,
}

/// What an event asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Urgency {
    /// The file is complete (closed after writing, renamed into place, created, removed).
    Now,
    /// The file is being written; read it once the writer is done.
    Soon,
}

impl WatchState {
    fn run(mut self, inbox: &Receiver<Message>) {
        let mut settle_deadline: Option<Instant> = None;
        let mut next_poll = Instant::now() + POLL_INTERVAL;
        loop {
            let now = Instant::now();
            let deadline = settle_deadline.map_or(next_poll, |settle| settle.min(next_poll));
            match inbox.recv_timeout(deadline.saturating_duration_since(now)) {
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Message::ReloadNow) => {
                    self.fingerprint = None;
                    settle_deadline = None;
                    self.load();
                }
                Ok(Message::FileSystem(Ok(event))) => match self.urgency(&event) {
                    Some(Urgency::Now) => {
                        if Self::drain_burst(inbox) {
                            return;
                        }
                        settle_deadline = None;
                        self.load();
                    }
                    Some(Urgency::Soon) => {
                        settle_deadline.get_or_insert(Instant::now() + WRITE_SETTLE);
                    }
                    None => {}
                },
                Ok(Message::FileSystem(Err(error))) => {
                    eprintln!(
                        "lectern: file watching reported an error ({error}); still checking every {} s",
                        POLL_INTERVAL.as_secs()
                    );
                }
                Err(RecvTimeoutError::Timeout) => {
                    let now = Instant::now();
                    if settle_deadline.is_some_and(|settle| now >= settle) {
                        settle_deadline = None;
                        self.load();
                    }
                    if now >= next_poll {
                        next_poll = now + POLL_INTERVAL;
                        if file_stat(&self.path) != self.last_stat {
                            self.load();
                        }
                    }
                }
            }
        }
    }

    /// Takes in the events that arrive within a millisecond of each other; an editor's save
    /// is several. Returns whether a stop was asked for meanwhile.
    fn drain_burst(inbox: &Receiver<Message>) -> bool {
        while let Ok(message) = inbox.recv_timeout(Duration::from_millis(1)) {
            if matches!(message, Message::Stop) {
                return true;
            }
        }
        false
    }

    /// Whether an event concerns the schedule file, and how soon to read it.
    fn urgency(&self, event: &notify::Event) -> Option<Urgency> {
        let target = std::fs::canonicalize(&self.path).ok();
        let concerns_us = event
            .paths
            .iter()
            .any(|path| path == &self.path || target.as_ref().is_some_and(|target| path == target));
        if !concerns_us {
            return None;
        }
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(Urgency::Now),
            EventKind::Access(_) => None,
            EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_)) => Some(Urgency::Now),
            EventKind::Modify(_) | EventKind::Any | EventKind::Other => Some(Urgency::Soon),
        }
    }

    /// Watches the schedule's directory and, for a symlink, its target's directory.
    fn watch_directories(&mut self) {
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        let mut directories = Vec::new();
        if let Some(parent) = self.path.parent() {
            directories.push(parent.to_owned());
        }
        if let Ok(target) = std::fs::canonicalize(&self.path)
            && let Some(parent) = target.parent()
        {
            directories.push(parent.to_owned());
        }
        for directory in directories {
            if self.watched_directories.contains(&directory) {
                continue;
            }
            match watcher.watch(&directory, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.watched_directories.insert(directory);
                }
                Err(error) => {
                    eprintln!(
                        "lectern: cannot watch {} ({error}); checking every {} s instead",
                        directory.display(),
                        POLL_INTERVAL.as_secs()
                    );
                }
            }
        }
    }

    /// Reads and parses the file and sends what it found, unless it is what was sent last.
    fn load(&mut self) {
        self.last_stat = file_stat(&self.path);
        // A swapped symlink may point into a directory not watched yet.
        self.watch_directories();
        let update = match read_limited(&self.path) {
            Ok(bytes) => {
                let fingerprint = Fingerprint::Content(content_hash(&bytes));
                if self.fingerprint == Some(fingerprint) {
                    return;
                }
                self.fingerprint = Some(fingerprint);
                match load_isolated(&bytes, &self.options) {
                    Ok(Ok(loaded)) => ScheduleUpdate::Loaded(Box::new(loaded)),
                    Ok(Err(error)) => {
                        ScheduleUpdate::Failed(error.render(&self.path.display().to_string()))
                    }
                    Err(reason) => ScheduleUpdate::Failed(format!(
                        "{}: lectern failed while reading this file ({reason}); the last good schedule stays\n  help: this is a bug in lectern: please report it with the file; fix or revert the file to reload",
                        self.path.display()
                    )),
                }
            }
            Err(SourceError::Missing { .. }) => {
                if self.fingerprint == Some(Fingerprint::Missing) {
                    return;
                }
                self.fingerprint = Some(Fingerprint::Missing);
                ScheduleUpdate::Missing
            }
            Err(error) => {
                // Unreadable for now (permissions, a share that went away): say so, and try
                // again on the next change.
                self.fingerprint = None;
                ScheduleUpdate::Failed(error.to_string())
            }
        };
        if self.outbox.send(update).is_ok() {
            (self.repaint)();
        }
    }
}

/// Parses a schedule with any panic in the loader caught, so that one bad file can never kill
/// the watcher thread: the projector would otherwise keep an old program without saying so,
/// and never reload again. The loaders are written not to panic; this is the last line of
/// defence. Returns the panic's message when one happened.
pub(crate) fn load_isolated(
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<Result<Loaded, crate::diagnostic::LoadError>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        formats::load_bytes(bytes, options)
    }))
    .map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unexpected failure".to_owned())
    })
}

/// A file looked at every so often on its own thread, for files that change rarely and are
/// small (the configuration file): its size, modification time and inode are compared, and
/// a change (the file appearing or going away included) calls `on_change` on that thread.
/// Dropping it stops the thread.
pub struct FileChangePoller {
    stop: Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl FileChangePoller {
    /// Starts looking at `path` every `period`. What the file is now is the starting point:
    /// only later changes call `on_change`.
    pub fn start(
        path: PathBuf,
        period: Duration,
        mut on_change: impl FnMut() + Send + 'static,
    ) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let name = path.display().to_string();
        // Taken before the thread starts, so that a change made right after this call is
        // seen as one.
        let mut last = file_fingerprint(&path);
        let thread = std::thread::Builder::new()
            .name("lectern-settings".to_owned())
            .spawn(move || {
                loop {
                    match stopped.recv_timeout(period) {
                        Err(RecvTimeoutError::Timeout) => {}
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                    }
                    let now = file_fingerprint(&path);
                    if now != last {
                        last = now;
                        on_change();
                    }
                }
            })
            .map_err(|error| {
                eprintln!("lectern: cannot watch {name} for changes: {error}");
            })
            .ok();
        FileChangePoller { stop, thread }
    }
}

impl Drop for FileChangePoller {
    fn drop(&mut self) {
        let _ = self.stop.send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What tells one version of a file from the next without reading it; `None` when it is
/// missing.
fn file_fingerprint(path: &Path) -> Option<(u64, Option<SystemTime>, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&metadata);
    #[cfg(not(unix))]
    let inode = 0;
    Some((metadata.len(), metadata.modified().ok(), inode))
}
