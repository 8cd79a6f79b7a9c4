//! The room session: the one owner of what a room shows.
//!
//! A [`RoomSession`] owns the schedule and its reloads, the chair's state and its saving, and
//! the clock. The window, the HTTP server and the tests all drive this one type; it needs no
//! window. They share it as a [`SharedSession`] (a mutex held only for short, non-blocking
//! work): a reader takes a [`RoomSnapshot`] (an `Arc` of the schedule and a copy of the small
//! state) and computes the status from it without holding the lock, so a browser asking for
//! the status never delays the projector's frame, and a command from the network is seen by
//! the projector in its next frame. Whoever wants to hear of changes subscribes a listener,
//! called after every command, reload or room change (the window asks for a repaint, the
//! server pushes to its clients).
//!
//! The session also keeps the chair's log: every command that changed something, and every
//! start and end of a talk, its questions and a session, found by looking at what the room
//! shows after each command and once a second ([`RoomSession::start_recording`]). The
//! entries are appended to the log file as they happen and kept in memory for the chair
//! view's planned-against-actual table.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};

use crate::chair::{ChairCommand, ChairState};
use crate::chair_log::{self, LogError};
use crate::clock::Clock;
use crate::config::{Appearance, Layer, Settings};
use crate::fetch::{UrlOrigin, UrlPoller};
use crate::formats::LoadOptions;
use crate::model::{RoomId, Schedule};
use crate::recorder::{self, LogEntry, Observation};
use crate::source::{self, SourceError};
use crate::state_file::StateFile;
use crate::text;
use crate::timing::{RoomStatus, Thresholds, status_at};
use crate::validate::Loaded;
use crate::watch::{FileChangePoller, ScheduleUpdate, ScheduleWatcher};

/// Where the schedule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleOrigin {
    /// The HotOS 2013 program inside the binary.
    Embedded,
    /// A file on disk.
    File(PathBuf),
    /// A program published at a URL, fetched and cached ([`crate::fetch`]).
    Url(UrlOrigin),
}

impl ScheduleOrigin {
    /// A name for people and for the state file's key.
    pub fn describe(&self) -> String {
        match self {
            ScheduleOrigin::Embedded => source::EMBEDDED_NAME.to_owned(),
            ScheduleOrigin::File(path) => path.display().to_string(),
            ScheduleOrigin::Url(origin) => origin.url.clone(),
        }
    }
}

/// Where the chair's state is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Persistence {
    /// Not saved (rehearsals, tests).
    Off,
    /// In the XDG state directory, one file per schedule and room.
    StateDir,
    /// In this file.
    File(PathBuf),
}

/// Where the chair's log is kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LogChoice {
    /// Beside the chair's state file, wherever [`Persistence`] keeps it; not written when the
    /// state is not kept.
    #[default]
    BesideState,
    /// In this file, whatever the state's persistence (`--log FILE`).
    File(PathBuf),
    /// Not written. The entries are still kept in memory for the chair view.
    Off,
}

/// How often the recorder looks at what the room shows. The instants it records come from
/// the status, not from the look, so a second is only how soon a transition reaches the log.
const RECORDER_PERIOD: std::time::Duration = std::time::Duration::from_secs(1);

/// The most log entries kept in memory. A busy day writes a few hundred; beyond this many the
/// oldest half is let go (the file keeps them all).
const MAX_ENTRIES_IN_MEMORY: usize = 100_000;

/// How often the configuration file is looked at: settings change rarely, and a look is one
/// `stat`.
const SETTINGS_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// How a room session is set up.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// The schedule's origin.
    pub origin: ScheduleOrigin,
    /// The room; the event's default room when `None`.
    pub room: Option<RoomId>,
    /// The clock.
    pub clock: Clock,
    /// Phase thresholds.
    pub thresholds: Thresholds,
    /// Where the chair's state is saved.
    pub persistence: Persistence,
    /// Where the chair's log is written.
    pub log: LogChoice,
    /// How the schedule file is read (format, time zone), for reloads.
    pub load_options: LoadOptions,
}

/// The state of the schedule file, as the chair view and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScheduleInfo {
    /// Where the schedule comes from: a path, or the built-in program.
    pub source: String,
    /// When it was last loaded, as local text.
    pub loaded_at: String,
    /// Its warnings, one line each.
    pub warnings: Vec<String>,
    /// The last failed reload's errors, if the file now on disk could not be used.
    pub error: Option<String>,
    /// What the last reload changed, a few lines for the chair (empty until a reload).
    pub changes: Vec<String>,
    /// While the schedule's URL cannot be fetched: since when, and why.
    pub unreachable: Option<Unreachable>,
}

/// The schedule's URL cannot be fetched: the last good program is shown, and since when it has
/// not been refreshed is said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    /// When the server last gave or confirmed the program.
    pub since: DateTime<Utc>,
    /// The same for people, in the event's zone: `14:05`, or `Mon 13 May 14:05` when it was
    /// on another day than the failure.
    pub since_text: String,
    /// What failed, where, and what to do.
    pub error: String,
}

/// How serious a notice on the projector is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    /// Worth knowing (a rehearsal clock).
    Info,
    /// The screen may be out of date (the schedule could not be reloaded).
    Warning,
    /// The screen is probably wrong (the schedule file is gone).
    Error,
}

/// A line on every display that says why what it shows may not be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenNotice {
    /// The text, short.
    pub text: String,
    /// How serious it is.
    pub level: NoticeLevel,
}

/// Something that wants to hear of every change. Called with the session locked: it must not
/// block, and must not lock the session itself (asking for a repaint, or sending on a channel,
/// is right).
pub type Listener = Arc<dyn Fn() + Send + Sync>;

/// The room session shared between the window, the watcher and the server.
pub type SharedSession = Arc<Mutex<RoomSession>>;

/// Locks a shared session. A thread that panicked while holding the lock left the session in
/// a state that is still whole (every change is a single assignment), so the lock is taken
/// anyway rather than letting one failure stop the room.
pub fn lock(session: &SharedSession) -> MutexGuard<'_, RoomSession> {
    session
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Everything a view needs to draw one moment, taken from the session without holding it.
#[derive(Clone)]
pub struct RoomSnapshot {
    /// The schedule.
    pub schedule: Arc<Schedule>,
    /// The room.
    pub room: RoomId,
    /// The chair's state.
    pub chair: ChairState,
    /// Phase thresholds.
    pub thresholds: Thresholds,
    /// The clock.
    pub clock: Clock,
    /// The schedule file's state.
    pub schedule_info: Arc<ScheduleInfo>,
    /// Whether the schedule file has gone missing.
    pub file_missing: bool,
    /// What the chair should know.
    pub chair_notices: Vec<String>,
    /// Counts changes: two snapshots with the same revision show the same thing at the same
    /// instant.
    pub revision: u64,
    /// The room's log entries so far, in the order written.
    pub log: Arc<Vec<LogEntry>>,
    /// How the views draw: theme, clock, logo, preset messages.
    pub appearance: Arc<Appearance>,
    /// Why the configuration file's last change could not be used (the last good settings
    /// stay).
    pub settings_error: Option<Arc<str>>,
}

impl RoomSnapshot {
    /// What the room shows at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> RoomStatus<'_> {
        status_at(
            &self.schedule,
            self.room,
            now,
            &self.chair,
            &self.thresholds,
        )
    }

    /// What every display must say about itself: a schedule that is stale or gone, a
    /// rehearsal clock.
    pub fn screen_notices(&self) -> Vec<ScreenNotice> {
        let mut notices = Vec::new();
        if self.file_missing {
            notices.push(ScreenNotice {
                text: "Schedule file missing: last good version shown".to_owned(),
                level: NoticeLevel::Error,
            });
        } else if let Some(unreachable) = &self.schedule_info.unreachable {
            notices.push(ScreenNotice {
                text: format!("Program not refreshed since {}", unreachable.since_text),
                level: NoticeLevel::Warning,
            });
        } else if self.schedule_info.error.is_some() {
            notices.push(ScreenNotice {
                text: "Schedule not updated: last good version shown".to_owned(),
                level: NoticeLevel::Warning,
            });
        }
        if self.settings_error.is_some() {
            notices.push(ScreenNotice {
                text: "Settings not reloaded: last good ones kept".to_owned(),
                level: NoticeLevel::Warning,
            });
        }
        if self.clock.is_rehearsal() {
            let speed = self.clock.speed();
            let text = if speed == 0.0 {
                "REHEARSAL · clock stopped".to_owned()
            } else if (speed - 1.0).abs() > f64::EPSILON {
                format!("REHEARSAL · clock ×{speed}")
            } else {
                "REHEARSAL".to_owned()
            };
            notices.push(ScreenNotice {
                text,
                level: NoticeLevel::Info,
            });
        }
        notices
    }
}

/// One room's session: schedule, reloads, chair state and its saving, clock.
pub struct RoomSession {
    origin: ScheduleOrigin,
    schedule: Arc<Schedule>,
    schedule_info: Arc<ScheduleInfo>,
    file_missing: bool,
    room: RoomId,
    chair: ChairState,
    chair_notices: Vec<String>,
    clock: Clock,
    thresholds: Thresholds,
    persistence: Persistence,
    state_file: Option<StateFile>,
    log_choice: LogChoice,
    /// The log file of the room shown, when it is written.
    log_path: Option<PathBuf>,
    /// The room's entries: read from the file at the start, then as recorded.
    log: Arc<Vec<LogEntry>>,
    /// What the room showed at the last look.
    observation: Option<Observation>,
    /// Whether the last write to the log failed (the chair is told once, not every second).
    log_failing: bool,
    load_options: LoadOptions,
    watcher: Option<ScheduleWatcher>,
    poller: Option<UrlPoller>,
    revision: u64,
    listeners: Vec<Listener>,
    appearance: Arc<Appearance>,
    settings_error: Option<Arc<str>>,
    /// What the running lectern started with of the settings that take effect only at a
    /// start (room, server address, poll interval, renderer), to say so when the file changes
    /// them.
    started_settings: Option<StartedSettings>,
    settings_watcher: Option<FileChangePoller>,
}

/// The settings read once, at the start.
#[derive(Debug, Clone, PartialEq)]
struct StartedSettings {
    room: Option<String>,
    listen: std::net::SocketAddr,
    poll_seconds: u64,
    renderer: crate::config::Renderer,
}

impl StartedSettings {
    fn of(settings: &Settings) -> Self {
        StartedSettings {
            room: settings.room.value.clone(),
            listen: settings.listen.value,
            poll_seconds: settings.poll_seconds.value,
            renderer: settings.renderer.value,
        }
    }
}

impl RoomSession {
    /// Creates the session around a loaded schedule and restores the chair's saved state.
    pub fn new(options: SessionOptions, loaded: Loaded) -> Self {
        let room = options
            .room
            .filter(|room| room.0 < loaded.schedule.rooms().len())
            .unwrap_or(loaded.schedule.event().default_room);
        let schedule_info = schedule_info(&options.origin, &loaded, options.clock.now());
        let mut session = RoomSession {
            origin: options.origin,
            schedule: Arc::new(loaded.schedule),
            schedule_info: Arc::new(schedule_info),
            file_missing: false,
            room,
            chair: ChairState::default(),
            chair_notices: Vec::new(),
            clock: options.clock,
            thresholds: options.thresholds,
            persistence: options.persistence,
            state_file: None,
            log_choice: options.log,
            log_path: None,
            log: Arc::new(Vec::new()),
            observation: None,
            log_failing: false,
            load_options: options.load_options,
            watcher: None,
            poller: None,
            revision: 0,
            listeners: Vec::new(),
            appearance: Arc::new(Appearance::standard()),
            settings_error: None,
            started_settings: None,
            settings_watcher: None,
        };
        session.restore_chair_state();
        session.open_log();
        session
    }

    /// Wraps the session for sharing between threads.
    pub fn shared(self) -> SharedSession {
        Arc::new(Mutex::new(self))
    }

    /// A copy of what the views need, cheap to take (the schedule is shared, not copied).
    pub fn snapshot(&self) -> RoomSnapshot {
        RoomSnapshot {
            schedule: Arc::clone(&self.schedule),
            room: self.room,
            chair: self.chair.clone(),
            thresholds: self.thresholds,
            clock: self.clock,
            schedule_info: Arc::clone(&self.schedule_info),
            file_missing: self.file_missing,
            chair_notices: self.chair_notices.clone(),
            revision: self.revision,
            log: Arc::clone(&self.log),
            appearance: Arc::clone(&self.appearance),
            settings_error: self.settings_error.clone(),
        }
    }

    /// How the views draw.
    pub fn appearance(&self) -> &Arc<Appearance> {
        &self.appearance
    }

    /// Why the configuration file's last change could not be used, if it could not.
    pub fn settings_error(&self) -> Option<&str> {
        self.settings_error.as_deref()
    }

    /// Puts the settings in effect: the thresholds at once (every countdown's phase follows),
    /// the look from the next frame. Settings read only at a start that differ from those the
    /// session started with are named in a notice to the chair.
    pub fn apply_settings(&mut self, settings: &Settings) {
        self.thresholds = settings.thresholds();
        let appearance = settings.appearance();
        if *self.appearance != appearance {
            self.appearance = Arc::new(appearance);
        }
        self.settings_error = None;
        let started = StartedSettings::of(settings);
        match &self.started_settings {
            None => self.started_settings = Some(started),
            Some(before) if *before != started => {
                let mut keys = Vec::new();
                if before.room != started.room {
                    keys.push("room");
                }
                if before.listen != started.listen {
                    keys.push("server.listen");
                }
                if before.poll_seconds != started.poll_seconds {
                    keys.push("schedule.poll");
                }
                if before.renderer != started.renderer {
                    keys.push("display.renderer");
                }
                self.chair_notices.push(format!(
                    "The configuration's new {} takes effect when lectern is started again",
                    keys.join(", ")
                ));
            }
            Some(_) => {}
        }
        self.changed();
    }

    /// Keeps the last good settings and says why the configuration file's change could not be
    /// used, on every display and in full in the chair view.
    pub fn reject_settings(&mut self, error: &str) {
        if self.settings_error.as_deref() != Some(error) {
            self.settings_error = Some(error.into());
            self.changed();
        }
    }

    /// Watches the configuration file at `path` and puts each version that loads in effect,
    /// with the command line's `flags` still over it; a version that does not load leaves
    /// the last good settings and says why. A file that appears after the start is read too.
    pub fn watch_settings(shared: &SharedSession, path: PathBuf, flags: Layer) {
        let weak = Arc::downgrade(shared);
        let poller = FileChangePoller::start(path.clone(), SETTINGS_POLL, move || {
            let Some(shared) = weak.upgrade() else {
                return;
            };
            let settings = crate::config::load_file(&path)
                .and_then(|file| Settings::resolve(&[&file, &flags]));
            let mut session = lock(&shared);
            match settings {
                Ok(settings) => session.apply_settings(&settings),
                Err(error) => session.reject_settings(&error.to_string()),
            }
        });
        lock(shared).settings_watcher = Some(poller);
    }

    /// The schedule shown.
    pub fn schedule(&self) -> &Arc<Schedule> {
        &self.schedule
    }

    /// The chair's current state.
    pub fn chair(&self) -> &ChairState {
        &self.chair
    }

    /// The room shown.
    pub fn room(&self) -> RoomId {
        self.room
    }

    /// The room's name.
    pub fn room_name(&self) -> &str {
        &self.schedule.room(self.room).name
    }

    /// The clock.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The current instant by the session's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Replaces the clock (tests move time forward this way).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
        self.changed();
    }

    /// The phase thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Where the schedule comes from.
    pub fn origin(&self) -> &ScheduleOrigin {
        &self.origin
    }

    /// The schedule file's state.
    pub fn schedule_info(&self) -> &ScheduleInfo {
        &self.schedule_info
    }

    /// Whether the schedule file is missing (the last good schedule is shown).
    pub fn file_missing(&self) -> bool {
        self.file_missing
    }

    /// The error of the last failed reload, while the last good schedule is shown.
    pub fn reload_error(&self) -> Option<&str> {
        self.schedule_info.error.as_deref()
    }

    /// What the chair should know (dropped overrides, state file problems).
    pub fn chair_notices(&self) -> &[String] {
        &self.chair_notices
    }

    /// Counts changes; see [`RoomSnapshot::revision`].
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// What the room shows at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> RoomStatus<'_> {
        status_at(
            &self.schedule,
            self.room,
            now,
            &self.chair,
            &self.thresholds,
        )
    }

    /// Adds a listener, called after every change from now on.
    pub fn subscribe(&mut self, listener: Listener) {
        self.listeners.push(listener);
    }

    fn changed(&mut self) {
        self.revision = self.revision.wrapping_add(1);
        for listener in &self.listeners {
            listener();
        }
    }

    /// Carries out a chair command at `now`. Returns whether anything changed; a change is
    /// saved, logged and announced.
    pub fn apply(&mut self, command: &ChairCommand, now: DateTime<Utc>) -> bool {
        // What happened up to the command is logged first, so that the command's effects
        // (a talk that ends because the chair moved on) are dated by the command.
        let before = self.look(now);
        let next = self.chair.apply(command, &self.schedule, self.room, now);
        if next == self.chair {
            return false;
        }
        self.chair = next;
        self.save_chair_state(now);
        let (effects, after) = recorder::observe(
            Some(&before),
            &self.schedule,
            self.room,
            &self.chair,
            &self.thresholds,
            now,
        );
        let mut entries = vec![recorder::command_entry(
            command,
            &self.chair,
            &before,
            &after,
            now,
        )];
        entries.extend(effects);
        self.observation = Some(after);
        self.record(entries);
        self.changed();
        true
    }

    /// Looks at what the room shows at `now` and logs what changed since the last look.
    /// Returns whether anything was logged; if so, the listeners hear of it.
    pub fn observe(&mut self, now: DateTime<Utc>) -> bool {
        let logged = self.log.len();
        self.look(now);
        let changed = self.log.len() != logged;
        if changed {
            self.changed();
        }
        changed
    }

    /// Looks at the room at `now`, logs what changed, and returns the look.
    fn look(&mut self, now: DateTime<Utc>) -> Observation {
        let (entries, seen) = recorder::observe(
            self.observation.as_ref(),
            &self.schedule,
            self.room,
            &self.chair,
            &self.thresholds,
            now,
        );
        self.observation = Some(seen.clone());
        self.record(entries);
        seen
    }

    /// Appends entries to the log file (if it is written) and to the entries in memory. A
    /// failed write is the chair's to know, once until writing works again; the room goes on.
    fn record(&mut self, entries: Vec<LogEntry>) {
        if entries.is_empty() {
            return;
        }
        // The write and its sync happen under the session's lock, as the state file's do:
        // entries come a few a minute, and an entry must be on disk before what it records is
        // announced.
        if let Some(path) = &self.log_path {
            match chair_log::append(path, &entries) {
                Ok(()) => self.log_failing = false,
                Err(error) => {
                    if !self.log_failing {
                        let message = format!("Could not write the chair's log: {error}");
                        eprintln!("lectern: {message}");
                        self.chair_notices.push(message);
                    }
                    self.log_failing = true;
                }
            }
        }
        let log = Arc::make_mut(&mut self.log);
        log.extend(entries);
        if log.len() > MAX_ENTRIES_IN_MEMORY {
            log.drain(..log.len() - MAX_ENTRIES_IN_MEMORY / 2);
        }
    }

    /// The room's log entries so far, in the order written.
    pub fn log_entries(&self) -> &[LogEntry] {
        &self.log
    }

    /// Where the room's log is written, if it is.
    pub fn log_path(&self) -> Option<&Path> {
        self.log_path.as_deref()
    }

    /// Starts the recorder: a thread that looks at what the room shows once a second and logs
    /// each start and end it sees (a talk's end by the schedule needs no command). It holds
    /// the session weakly and ends soon after the session is dropped. Computing a status costs
    /// about a microsecond, so the look costs nothing worth measuring.
    pub fn start_recording(shared: &SharedSession) {
        let weak = Arc::downgrade(shared);
        let spawned = std::thread::Builder::new()
            .name("lectern-recorder".to_owned())
            .spawn(move || {
                loop {
                    let Some(shared) = weak.upgrade() else {
                        return;
                    };
                    {
                        let mut session = lock(&shared);
                        let now = session.clock.now();
                        session.observe(now);
                    }
                    // The session is not kept alive while the thread sleeps.
                    drop(shared);
                    std::thread::sleep(RECORDER_PERIOD);
                }
            });
        if let Err(error) = spawned {
            let message = format!(
                "The chair's log records commands only: the recorder could not start ({error})."
            );
            eprintln!("lectern: {message}");
            lock(shared).chair_notices.push(message);
        }
    }

    /// Shows another room, with that room's saved chair state. Returns whether it changed.
    pub fn select_room(&mut self, room: RoomId) -> bool {
        if room == self.room || room.0 >= self.schedule.rooms().len() {
            return false;
        }
        self.room = room;
        self.chair = ChairState::default();
        self.chair_notices.clear();
        self.restore_chair_state();
        self.open_log();
        self.changed();
        true
    }

    /// Starts watching the schedule file, if it is a file. The watcher's thread applies what
    /// it finds to the session itself, then the listeners hear of it: no frame or request is
    /// needed for a reload to take effect.
    pub fn start_watching(shared: &SharedSession) {
        let weak = Arc::downgrade(shared);
        let mut session = lock(shared);
        if let ScheduleOrigin::Url(origin) = &session.origin {
            let weak = Arc::downgrade(shared);
            let poller = UrlPoller::start(origin, session.load_options.clone(), move || {
                if let Some(shared) = weak.upgrade() {
                    lock(&shared).apply_updates();
                }
            });
            session.poller = Some(poller);
            return;
        }
        let ScheduleOrigin::File(path) = &session.origin else {
            return;
        };
        let watcher = ScheduleWatcher::start(path, session.load_options.clone(), move || {
            if let Some(shared) = weak.upgrade() {
                lock(&shared).apply_updates();
            }
        });
        session.watcher = Some(watcher);
    }

    /// Applies what the watcher found and has not been applied yet. Returns whether anything
    /// changed.
    pub fn apply_updates(&mut self) -> bool {
        let mut updates = Vec::new();
        if let Some(watcher) = &self.watcher {
            while let Some(update) = watcher.try_next() {
                updates.push(update);
            }
        }
        if let Some(poller) = &self.poller {
            while let Some(update) = poller.try_next() {
                updates.push(update);
            }
        }
        if updates.is_empty() {
            return false;
        }
        let now = self.clock.now();
        for update in updates {
            self.apply_update(update, now);
        }
        self.changed();
        true
    }

    fn apply_update(&mut self, update: ScheduleUpdate, now: DateTime<Utc>) {
        match update {
            ScheduleUpdate::Loaded(loaded) => self.put_schedule(*loaded, now),
            ScheduleUpdate::Failed(error) => {
                self.file_missing = false;
                let info = Arc::make_mut(&mut self.schedule_info);
                info.error = Some(error);
                // The server answered, with a program that does not load.
                info.unreachable = None;
            }
            ScheduleUpdate::Missing => self.file_missing = true,
            ScheduleUpdate::Unreachable { since, at, error } => {
                let since_text = since_text(since, at, self.schedule.event().time_zone);
                Arc::make_mut(&mut self.schedule_info).unreachable = Some(Unreachable {
                    since,
                    since_text,
                    error,
                });
            }
            ScheduleUpdate::Refreshed => Arc::make_mut(&mut self.schedule_info).unreachable = None,
        }
    }

    /// Reads the schedule file again now. A file that cannot be used leaves the last good
    /// schedule on screen and says why. With a watcher, the watcher's thread does the reading.
    pub fn reload_now(&mut self, now: DateTime<Utc>) {
        if let Some(watcher) = &self.watcher {
            watcher.reload_now();
            return;
        }
        // A URL is fetched by its poller only, never on the caller's (the window's) thread.
        if let Some(poller) = &self.poller {
            poller.reload_now();
            return;
        }
        let ScheduleOrigin::File(path) = &self.origin else {
            return;
        };
        let update = match source::load_file(path, &self.load_options) {
            Ok(loaded) => ScheduleUpdate::Loaded(Box::new(loaded)),
            Err(SourceError::Missing { .. }) => ScheduleUpdate::Missing,
            Err(error) => ScheduleUpdate::Failed(error.to_string()),
        };
        self.apply_update(update, now);
        self.changed();
    }

    /// Puts a newly loaded schedule in place, keeping the room and the chair's state.
    pub fn replace_schedule(&mut self, loaded: Loaded, now: DateTime<Utc>) {
        self.put_schedule(loaded, now);
        self.changed();
    }

    fn put_schedule(&mut self, loaded: Loaded, now: DateTime<Utc>) {
        let room_name = self.room_name().to_owned();
        self.room = loaded
            .schedule
            .find_room(&room_name)
            .unwrap_or(loaded.schedule.event().default_room);
        let mut info = schedule_info(&self.origin, &loaded, now);
        info.changes = reload_changes(&self.schedule, &loaded.schedule);
        self.schedule_info = Arc::new(info);
        self.file_missing = false;
        self.schedule = Arc::new(loaded.schedule);
        let (chair, notice) = self.chair.reconcile(&self.schedule, self.room, now);
        if let Some(notice) = notice {
            self.chair_notices.push(notice);
        }
        if chair != self.chair {
            self.chair = chair;
            self.save_chair_state(now);
        }
        // A reload can change what is shown (a talk moved, a session removed).
        self.look(now);
    }

    fn restore_chair_state(&mut self) {
        let room_name = self.room_name().to_owned();
        self.state_file = match &self.persistence {
            Persistence::Off => None,
            Persistence::File(path) => Some(StateFile::at(path.clone())),
            Persistence::StateDir => StateFile::in_state_dir(&self.origin.describe(), &room_name),
        };
        let Some(file) = &self.state_file else {
            return;
        };
        match file.load(&room_name) {
            Ok(Some(state)) => {
                let (state, notice) = state.reconcile(&self.schedule, self.room, self.clock.now());
                self.chair = state;
                self.chair_notices.push(format!(
                    "Restored the chair's state from {}.",
                    file.path().display()
                ));
                self.chair_notices.extend(notice);
            }
            Ok(None) => {}
            Err(error) => {
                eprintln!("lectern: {error}");
                self.chair_notices.push(error.to_string());
            }
        }
    }

    /// Finds the room's log (beside its state file, or where `--log` says), reads what it
    /// holds of this room, and picks up where it left off.
    fn open_log(&mut self) {
        self.log_path = match &self.log_choice {
            LogChoice::Off => None,
            LogChoice::File(path) => Some(path.clone()),
            LogChoice::BesideState => self
                .state_file
                .as_ref()
                .map(|file| chair_log::beside(file.path())),
        };
        self.log_failing = false;
        let mut entries = Vec::new();
        if let Some(path) = &self.log_path {
            match chair_log::read(path) {
                Ok(read) => {
                    for warning in &read.warnings {
                        eprintln!("lectern: {warning}");
                        self.chair_notices.push(warning.to_string());
                    }
                    if read.more_warnings > 0 {
                        let message = format!(
                            "{}: {} more lines of the chair's log are skipped",
                            path.display(),
                            read.more_warnings
                        );
                        eprintln!("lectern: {message}");
                        self.chair_notices.push(message);
                    }
                    entries = read.entries;
                }
                Err(LogError::Missing { .. }) => {}
                Err(error) => {
                    eprintln!("lectern: {error}");
                    self.chair_notices.push(error.to_string());
                }
            }
        }
        let room = self.room_name().to_owned();
        entries.retain(|entry| entry.room == room);
        if entries.len() > MAX_ENTRIES_IN_MEMORY {
            entries.drain(..entries.len() - MAX_ENTRIES_IN_MEMORY / 2);
        }
        self.observation = Observation::from_log(&entries, &room, &self.schedule);
        self.log = Arc::new(entries);
    }

    fn save_chair_state(&mut self, now: DateTime<Utc>) {
        let Some(file) = &self.state_file else {
            return;
        };
        if let Err(error) = file.save(
            &self.chair,
            &self.origin.describe(),
            &self.schedule.room(self.room).name,
            now,
        ) {
            let message = format!("Could not save the chair's state: {error}");
            eprintln!("lectern: {message}");
            self.chair_notices.push(message);
        }
    }
}

/// What the chair view says about a schedule just loaded.
fn schedule_info(origin: &ScheduleOrigin, loaded: &Loaded, now: DateTime<Utc>) -> ScheduleInfo {
    let source = origin.describe();
    ScheduleInfo {
        loaded_at: text::time_with_zone(now, loaded.schedule.event().time_zone),
        warnings: loaded
            .warnings
            .iter()
            .map(|warning| warning.render(&source))
            .collect(),
        source,
        error: None,
        changes: Vec::new(),
        unreachable: None,
    }
}

/// When a program was last refreshed, for the projector: the time of day, with the date when
/// that was on another day than `at` (the failure), in the event's zone.
fn since_text(since: DateTime<Utc>, at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    let local = since.with_timezone(&zone);
    if local.date_naive() == at.with_timezone(&zone).date_naive() {
        text::time_of_day(since, zone)
    } else {
        format!(
            "{} {}",
            local.format("%a %-d %b"),
            text::time_of_day(since, zone)
        )
    }
}

/// What a reload changed, as the chair view lists it.
fn reload_changes(old: &Schedule, new: &Schedule) -> Vec<String> {
    crate::schedule_diff::diff(old, new)
        .summary(new.event().time_zone, crate::schedule_diff::SUMMARY_LINES)
}
