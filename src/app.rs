//! The application: owns the schedule, the chair's state and the clock; draws the projector and
//! the chair view from a [`RoomStatus`] computed each frame; carries out what the user asks.

use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use eframe::egui::{self, ViewportBuilder, ViewportCommand, ViewportId};

use crate::chair::ChairState;
use crate::clock::Clock;
use crate::formats::LoadOptions;
use crate::model::{RoomId, Schedule};
use crate::source::{self, SourceError};
use crate::state_file::StateFile;
use crate::text;
use crate::timing::{Activity, RoomStatus, Thresholds, status_at};
use crate::ui::chair::{ChairPanelState, ChairView, ScheduleInfo, chair_ui};
use crate::ui::projector::{NoticeLevel, ProjectorView, ScreenNotice, background, projector_ui};
use crate::ui::{Action, help, keys, theme};
use crate::validate::Loaded;
use crate::watch::{ScheduleUpdate, ScheduleWatcher};

/// Where the schedule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleOrigin {
    /// The HotOS 2013 program inside the binary.
    Embedded,
    /// A file on disk.
    File(PathBuf),
}

impl ScheduleOrigin {
    /// A name for people and for the state file's key.
    pub fn describe(&self) -> String {
        match self {
            ScheduleOrigin::Embedded => source::EMBEDDED_NAME.to_owned(),
            ScheduleOrigin::File(path) => path.display().to_string(),
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

/// How the app was started.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// The schedule's origin.
    pub origin: ScheduleOrigin,
    /// The room to show first; the event's default room when `None`.
    pub room: Option<RoomId>,
    /// The clock.
    pub clock: Clock,
    /// Phase thresholds.
    pub thresholds: Thresholds,
    /// Whether an overtime countdown blinks.
    pub blink: bool,
    /// Where the chair's state is saved.
    pub persistence: Persistence,
    /// When the process started, to report the time to the first frame.
    pub started: Option<Instant>,
    /// Whether to watch the schedule file and reload it when it changes.
    pub watch: bool,
    /// How the schedule file is read (format, time zone), for reloads.
    pub load_options: LoadOptions,
    /// Open the chair view at once (on a laptop without a projector attached yet).
    pub open_chair_view: bool,
    /// The monitor the projector view is on, when chosen; the chair's window goes to another.
    pub projector_monitor: Option<usize>,
}

/// The running application.
pub struct LecternApp {
    origin: ScheduleOrigin,
    loaded: Loaded,
    schedule_info: ScheduleInfo,
    file_missing: bool,
    room: RoomId,
    chair: ChairState,
    chair_notices: Vec<String>,
    clock: Clock,
    thresholds: Thresholds,
    blink: bool,
    persistence: Persistence,
    state_file: Option<StateFile>,
    panel: ChairPanelState,
    chair_view_open: bool,
    help_open: bool,
    /// The number of monitors, once the window knows it; `None` in tests.
    monitors: Option<usize>,
    started: Option<Instant>,
    first_frame_reported: bool,
    /// Set when running in a window that clears to the projector's background colour, so
    /// that the projector need not paint it (tests render without such a window).
    window_clears_background: bool,
    watch: bool,
    load_options: LoadOptions,
    watcher: Option<ScheduleWatcher>,
    projector_monitor: Option<usize>,
}

impl LecternApp {
    /// Creates the app around a loaded schedule.
    pub fn new(options: AppOptions, loaded: Loaded) -> Self {
        let room = options.room.unwrap_or(loaded.schedule.event().default_room);
        let schedule_info = schedule_info(&options.origin, &loaded, options.clock.now());
        let mut app = LecternApp {
            origin: options.origin,
            loaded,
            schedule_info,
            file_missing: false,
            room,
            chair: ChairState::default(),
            chair_notices: Vec::new(),
            clock: options.clock,
            thresholds: options.thresholds,
            blink: options.blink,
            persistence: options.persistence,
            state_file: None,
            panel: ChairPanelState::default(),
            chair_view_open: options.open_chair_view,
            help_open: false,
            monitors: None,
            started: options.started,
            first_frame_reported: false,
            window_clears_background: false,
            watch: options.watch,
            load_options: options.load_options,
            watcher: None,
            projector_monitor: options.projector_monitor,
        };
        app.restore_chair_state();
        app
    }

    /// Sets up fonts and colours. Call once with the window's context.
    pub fn install(ctx: &egui::Context) {
        theme::install_fonts(ctx);
        ctx.set_visuals(egui::Visuals::dark());
    }

    /// The schedule shown.
    pub fn schedule(&self) -> &Schedule {
        &self.loaded.schedule
    }

    /// The chair's current state.
    pub fn chair(&self) -> &ChairState {
        &self.chair
    }

    /// The room shown.
    pub fn room(&self) -> RoomId {
        self.room
    }

    /// Replaces the clock (tests move time forward this way).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Whether the chair view is open.
    pub fn chair_view_open(&self) -> bool {
        self.chair_view_open
    }

    /// Whether the help overlay is open.
    pub fn help_open(&self) -> bool {
        self.help_open
    }

    /// The window title: event and room.
    pub fn title(&self) -> String {
        format!(
            "{} — {} — lectern",
            self.loaded.schedule.event().short_name,
            self.loaded.schedule.room(self.room).name
        )
    }

    /// Whether the chair view takes the projector's window (one screen) rather than a window
    /// of its own (two screens).
    fn chair_in_projector_window(&self) -> bool {
        self.monitors.is_none_or(|count| count < 2)
    }

    /// What the projector must say about itself.
    fn screen_notices(&self) -> Vec<ScreenNotice> {
        let mut notices = Vec::new();
        if self.file_missing {
            notices.push(ScreenNotice {
                text: "Schedule file missing: last good version shown".to_owned(),
                level: NoticeLevel::Error,
            });
        } else if self.schedule_info.error.is_some() {
            notices.push(ScreenNotice {
                text: "Schedule not updated: last good version shown".to_owned(),
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

    /// Draws one frame into `ui` and carries out what the user asked for.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_updates();
        let now = self.clock.now();
        let mut actions = keys::actions_from_keys(&ctx);
        let notices = self.screen_notices();
        let in_window = self.chair_view_open && self.chair_in_projector_window();
        let repaint_after;
        {
            let status = status_at(
                &self.loaded.schedule,
                self.room,
                now,
                &self.chair,
                &self.thresholds,
            );
            repaint_after = self.clock.real_time_for(time_to_next_change(&status));
            if !in_window {
                let view = ProjectorView {
                    status: &status,
                    event_name: &self.loaded.schedule.event().short_name,
                    notices: &notices,
                    blink: self.blink,
                    paint_background: !self.window_clears_background,
                };
                projector_ui(ui, &view);
            }
        }
        if in_window {
            self.chair_panel_ui(ui, now, &notices, true, &mut actions);
        }
        if self.help_open {
            help::help_ui(ui);
        }
        if self.chair_view_open && !in_window {
            self.chair_window(&ctx, now, &notices, &mut actions);
        }
        let changed = !actions.is_empty();
        for action in actions {
            self.apply(action, &ctx, now);
        }
        if changed {
            ctx.request_repaint();
        }
        ctx.request_repaint_after(repaint_after);
        if !self.first_frame_reported {
            self.first_frame_reported = true;
            if let Some(started) = self.started
                && std::env::var_os("LECTERN_REPORT_STARTUP").is_some()
            {
                eprintln!(
                    "lectern: first frame drawn {} ms after start",
                    started.elapsed().as_millis()
                );
            }
        }
    }

    /// The chair view, filling `ui`: in the projector's window (one screen) or its own.
    fn chair_panel_ui(
        &mut self,
        ui: &mut egui::Ui,
        now: DateTime<Utc>,
        notices: &[ScreenNotice],
        in_projector_window: bool,
        actions: &mut Vec<Action>,
    ) {
        let status = status_at(
            &self.loaded.schedule,
            self.room,
            now,
            &self.chair,
            &self.thresholds,
        );
        let view = ChairView {
            status: &status,
            rooms: self.loaded.schedule.rooms(),
            room: self.room,
            schedule: &self.schedule_info,
            notices,
            chair_notices: &self.chair_notices,
            in_projector_window,
        };
        let panel = &mut self.panel;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| chair_ui(ui, &view, panel, actions));
        });
    }

    /// The chair view in a window of its own, on the other screen.
    fn chair_window(
        &mut self,
        ctx: &egui::Context,
        now: DateTime<Utc>,
        notices: &[ScreenNotice],
        actions: &mut Vec<Action>,
    ) {
        // The chair's window goes to the first screen that is not the projector's (the
        // projector is on the first screen unless --monitor says otherwise).
        let monitor = if self.projector_monitor.unwrap_or(0) == 0 {
            1
        } else {
            0
        };
        let builder = ViewportBuilder::default()
            .with_title(format!("Chair — {}", self.title()))
            .with_inner_size([1100.0, 760.0])
            .with_monitor(monitor);
        let mut closed = false;
        ctx.show_viewport_immediate(
            ViewportId::from_hash_of("lectern-chair"),
            builder,
            |ui, _class| {
                actions.extend(keys::actions_from_keys(ui.ctx()));
                self.chair_panel_ui(ui, now, notices, false, actions);
                if ui.input(|input| input.viewport().close_requested()) {
                    closed = true;
                }
            },
        );
        if closed {
            self.chair_view_open = false;
        }
    }

    /// Carries out an action.
    pub fn apply(&mut self, action: Action, ctx: &egui::Context, now: DateTime<Utc>) {
        match action {
            Action::Chair(command) => {
                let next = self
                    .chair
                    .apply(&command, &self.loaded.schedule, self.room, now);
                if next != self.chair {
                    self.chair = next;
                    self.save_chair_state(now);
                }
            }
            Action::ToggleFullscreen => {
                let fullscreen = ctx.input(|input| input.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd_to(
                    ViewportId::ROOT,
                    ViewportCommand::Fullscreen(!fullscreen),
                );
            }
            Action::ToggleChairView => self.chair_view_open = !self.chair_view_open,
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::CloseOverlays => self.help_open = false,
            Action::ComposeMessage => {
                if self.chair.message.is_some() {
                    self.apply(
                        Action::Chair(crate::chair::ChairCommand::ClearMessage),
                        ctx,
                        now,
                    );
                } else {
                    self.chair_view_open = true;
                    self.panel.focus_message = true;
                }
            }
            Action::SelectRoom(room) => self.select_room(room, ctx),
            Action::CycleRoom(step) => {
                let count = self.loaded.schedule.rooms().len() as i64;
                let next = (self.room.0 as i64 + i64::from(step)).rem_euclid(count.max(1));
                self.select_room(RoomId(next as usize), ctx);
            }
            Action::Reload => self.reload_now(now),
        }
    }

    fn select_room(&mut self, room: RoomId, ctx: &egui::Context) {
        if room == self.room || room.0 >= self.loaded.schedule.rooms().len() {
            return;
        }
        self.room = room;
        self.chair = ChairState::default();
        self.chair_notices.clear();
        self.restore_chair_state();
        ctx.send_viewport_cmd_to(ViewportId::ROOT, ViewportCommand::Title(self.title()));
    }

    /// Starts watching the schedule file, if it is a file and watching was asked for.
    /// `repaint` is called from the watcher's thread whenever it has news, so that the window
    /// draws the change at once.
    pub fn start_watching(&mut self, repaint: impl Fn() + Send + 'static) {
        if let (ScheduleOrigin::File(path), true) = (&self.origin, self.watch) {
            self.watcher = Some(ScheduleWatcher::start(
                path,
                self.load_options.clone(),
                repaint,
            ));
        }
    }

    /// Applies what the watcher found since the last frame. Returns whether anything changed.
    pub fn apply_updates(&mut self) -> bool {
        let Some(watcher) = &self.watcher else {
            return false;
        };
        let mut updates = Vec::new();
        while let Some(update) = watcher.try_next() {
            updates.push(update);
        }
        let changed = !updates.is_empty();
        let now = self.clock.now();
        for update in updates {
            self.apply_update(update, now);
        }
        changed
    }

    fn apply_update(&mut self, update: ScheduleUpdate, now: DateTime<Utc>) {
        match update {
            ScheduleUpdate::Loaded(loaded) => self.replace_schedule(*loaded, now),
            ScheduleUpdate::Failed(error) => {
                self.file_missing = false;
                self.schedule_info.error = Some(error);
            }
            ScheduleUpdate::Missing => self.file_missing = true,
        }
    }

    /// Reads the schedule file again now. A file that cannot be used leaves the last good
    /// schedule on screen and says why. With a watcher, the watcher's thread does the reading.
    pub fn reload_now(&mut self, now: DateTime<Utc>) {
        if let Some(watcher) = &self.watcher {
            watcher.reload_now();
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

    /// Puts a newly loaded schedule in place, keeping the room and the chair's state.
    pub fn replace_schedule(&mut self, loaded: Loaded, now: DateTime<Utc>) {
        let room_name = self.loaded.schedule.room(self.room).name.clone();
        self.room = loaded
            .schedule
            .find_room(&room_name)
            .unwrap_or(loaded.schedule.event().default_room);
        self.schedule_info = schedule_info(&self.origin, &loaded, now);
        self.file_missing = false;
        self.loaded = loaded;
        let (chair, notice) = self.chair.reconcile(&self.loaded.schedule, self.room, now);
        if let Some(notice) = notice {
            self.chair_notices.push(notice);
        }
        if chair != self.chair {
            self.chair = chair;
            self.save_chair_state(now);
        }
    }

    fn room_name(&self) -> String {
        self.loaded.schedule.room(self.room).name.clone()
    }

    fn restore_chair_state(&mut self) {
        let room_name = self.room_name();
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
                let (state, notice) =
                    state.reconcile(&self.loaded.schedule, self.room, self.clock.now());
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

    fn save_chair_state(&mut self, now: DateTime<Utc>) {
        let Some(file) = &self.state_file else {
            return;
        };
        if let Err(error) = file.save(&self.chair, &self.origin.describe(), &self.room_name(), now)
        {
            let message = format!("Could not save the chair's state: {error}");
            eprintln!("lectern: {message}");
            self.chair_notices.push(message);
        }
    }

    /// Updates the number of monitors from the window system, once.
    fn learn_monitors(&mut self, frame: &eframe::Frame) {
        if self.monitors.is_some() {
            return;
        }
        if let Some(window) = frame.winit_window() {
            let count = window.available_monitors().count();
            self.monitors = Some(count);
            // With a second screen, the chair view opens on it at once.
            if count >= 2 {
                self.chair_view_open = true;
            }
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
    }
}

/// How long until something on screen changes: the next tick of a visible countdown (in
/// whole seconds, rounded up as [`text::countdown`] shows them) or of the wall clock's minute.
/// A paused timer does not tick.
pub fn time_to_next_change(status: &RoomStatus<'_>) -> Duration {
    let until_tick = |shown: Duration| {
        let millis = shown.num_milliseconds().rem_euclid(1000);
        Duration::milliseconds(if millis == 0 { 1000 } else { millis })
    };
    let seconds_into_minute =
        status.now.timestamp_subsec_millis() as i64 + 1000 * status.now.timestamp().rem_euclid(60);
    let mut next = Duration::milliseconds(60_000 - seconds_into_minute);
    let mut consider = |duration: Duration| next = next.min(until_tick(duration));
    match &status.activity {
        Activity::Live(live) => {
            if !live.chair.is_some_and(|chair| chair.paused) {
                consider(live.countdown().remaining);
            }
            consider(live.session_countdown.remaining);
        }
        Activity::BeforeEvent { starts_in } => consider(*starts_in),
        _ => {}
    }
    if let Some(next_item) = &status.next {
        consider(next_item.starts_in);
    }
    // A little after the tick, so that the frame lands on the new second.
    next + Duration::milliseconds(5)
}

impl eframe::App for LecternApp {
    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        // egui makes its glyph atlas as wide as the largest texture the GPU allows; with
        // software rendering that is 16384 pixels, and the big countdown digits then cost tens
        // of megabytes of atlas. 2048 is plenty for a handful of fonts and sizes.
        raw_input.max_texture_side = Some(raw_input.max_texture_side.unwrap_or(2048).min(2048));
    }

    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        let showing_projector = !(self.chair_view_open && self.chair_in_projector_window());
        let color = if showing_projector {
            background(self.chair.blanked)
        } else {
            egui::Visuals::dark().panel_fill
        };
        color.to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.window_clears_background = true;
        self.learn_monitors(frame);
        self.draw(ui);
    }
}
