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
    /// How the schedule file is read again on reload: its format and the `--timezone`.
    load_options: LoadOptions,
}

impl LecternApp {
    /// Creates the app around a loaded schedule.
    pub fn new(options: AppOptions, loaded: Loaded) -> Self {
        let room = options.room.unwrap_or(loaded.schedule.event().default_room);
        let now = options.clock.now();
        let schedule_info = ScheduleInfo {
            source: options.origin.describe(),
            loaded_at: text::time_with_zone(now, loaded.schedule.event().time_zone),
            warnings: loaded
                .warnings
                .iter()
                .map(|w| w.render(&options.origin.describe()))
                .collect(),
            error: None,
        };
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
            chair_view_open: false,
            help_open: false,
            monitors: None,
            started: options.started,
            first_frame_reported: false,
            window_clears_background: false,
            load_options: LoadOptions::default(),
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
            if in_window {
                let view = ChairView {
                    status: &status,
                    rooms: self.loaded.schedule.rooms(),
                    room: self.room,
                    schedule: &self.schedule_info,
                    notices: &notices,
                    chair_notices: &self.chair_notices,
                    in_projector_window: true,
                };
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| chair_ui(ui, &view, &mut self.panel, &mut actions));
                });
            } else {
                let view = ProjectorView {
                    status: &status,
                    event_name: &self.loaded.schedule.event().short_name,
                    notices: &notices,
                    blink: self.blink,
                    paint_background: !self.window_clears_background,
                };
                projector_ui(ui, &view);
            }
            if self.help_open {
                help::help_ui(ui);
            }
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

    /// The chair view in a window of its own, on the other screen.
    fn chair_window(
        &mut self,
        ctx: &egui::Context,
        now: DateTime<Utc>,
        notices: &[ScreenNotice],
        actions: &mut Vec<Action>,
    ) {
        let monitor = self
            .monitors
            .map_or(1, |count| count.saturating_sub(1).max(1));
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
                    in_projector_window: false,
                };
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| chair_ui(ui, &view, &mut self.panel, actions));
                });
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

    /// Reloads the schedule file with these options (its format and the `--timezone` it was
    /// first loaded with), so that a reload reads it exactly as the first load did.
    pub fn with_load_options(mut self, options: LoadOptions) -> Self {
        self.load_options = options;
        self
    }

    /// Reads the schedule file again. A file that cannot be used leaves the last good schedule
    /// on screen and says why.
    pub fn reload_now(&mut self, now: DateTime<Utc>) {
        let ScheduleOrigin::File(path) = &self.origin else {
            return;
        };
        match source::load_file(path, &self.load_options) {
            Ok(loaded) => self.replace_schedule(loaded, now),
            Err(SourceError::Missing { .. }) => self.file_missing = true,
            Err(error) => {
                self.file_missing = false;
                self.schedule_info.error = Some(error.to_string());
            }
        }
    }

    /// Puts a newly loaded schedule in place, keeping the room and the chair's state.
    pub fn replace_schedule(&mut self, loaded: Loaded, now: DateTime<Utc>) {
        let room_name = self.loaded.schedule.room(self.room).name.clone();
        self.room = loaded
            .schedule
            .find_room(&room_name)
            .unwrap_or(loaded.schedule.event().default_room);
        self.schedule_info = ScheduleInfo {
            source: self.origin.describe(),
            loaded_at: text::time_with_zone(now, loaded.schedule.event().time_zone),
            warnings: loaded
                .warnings
                .iter()
                .map(|w| w.render(&self.origin.describe()))
                .collect(),
            error: None,
        };
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
