//! The window: draws the projector and the chair view from a [`RoomStatus`] computed once per
//! frame from a [`RoomSnapshot`] of the room session, and hands what the user asks for to the
//! session. The session (schedule, reloads, chair state, clock) lives in
//! [`crate::session`], shared with the server; this module holds only what the window itself
//! needs (which view is open, the chair panel's text fields, the monitors).

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use eframe::egui::{self, ViewportBuilder, ViewportCommand, ViewportId};

use crate::clock::Clock;
use crate::formats::LoadOptions;
use crate::model::{RoomId, Schedule};
use crate::session::{
    Listener, RoomSession, RoomSnapshot, ScreenNotice, SessionOptions, SharedSession, lock,
};
pub use crate::session::{Persistence, ScheduleOrigin};
use crate::timing::{Activity, RoomStatus, Thresholds};
use crate::ui::chair::{ChairPanelState, ChairView, chair_ui};
use crate::ui::projector::{ProjectorView, background, projector_ui};
use crate::ui::{Action, help, keys, theme};
use crate::validate::Loaded;
use crate::window::Screen;

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
    session: SharedSession,
    blink: bool,
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
    /// Whether the projector was blanked in the last frame drawn, for the window's clear colour.
    blanked: bool,
    watch: bool,
    projector_monitor: Option<usize>,
    /// Where the room's server is, for the chair view.
    server_info: Option<crate::server::ServerInfo>,
    /// The logo uploaded once, with the pixels it was made from (a new logo replaces it).
    logo: Option<(std::sync::Arc<[u8]>, egui::TextureHandle)>,
}

impl AppOptions {
    /// The part of the options that belongs to the room session.
    pub fn session_options(&self) -> SessionOptions {
        SessionOptions {
            origin: self.origin.clone(),
            room: self.room,
            clock: self.clock,
            thresholds: self.thresholds,
            persistence: self.persistence.clone(),
            // The window's own sessions log beside their state, as the command line's do
            // without `--log`.
            log: crate::session::LogChoice::BesideState,
            load_options: self.load_options.clone(),
        }
    }
}

impl LecternApp {
    /// Creates the app with a room session of its own around a loaded schedule.
    pub fn new(options: AppOptions, loaded: Loaded) -> Self {
        let session = RoomSession::new(options.session_options(), loaded).shared();
        Self::with_session(options, session)
    }

    /// Creates the app around a room session shared with others (the server). Only the
    /// window's options are taken from `options`.
    pub fn with_session(options: AppOptions, session: SharedSession) -> Self {
        LecternApp {
            session,
            blink: options.blink,
            panel: ChairPanelState::default(),
            chair_view_open: options.open_chair_view,
            help_open: false,
            monitors: None,
            started: options.started,
            first_frame_reported: false,
            window_clears_background: false,
            blanked: false,
            watch: options.watch,
            projector_monitor: options.projector_monitor,
            server_info: None,
            logo: None,
        }
    }

    /// Tells the chair view where the room's server is, or why it is not running.
    pub fn set_server_info(&mut self, info: Option<crate::server::ServerInfo>) {
        self.server_info = info;
    }

    /// Sets up fonts and colours. Call once with the window's context.
    pub fn install(ctx: &egui::Context) {
        theme::install_fonts(ctx);
        ctx.set_visuals(egui::Visuals::dark());
    }

    /// The room session.
    pub fn session(&self) -> &SharedSession {
        &self.session
    }

    /// A snapshot of the room session.
    pub fn snapshot(&self) -> RoomSnapshot {
        lock(&self.session).snapshot()
    }

    /// The schedule shown.
    pub fn schedule(&self) -> std::sync::Arc<Schedule> {
        std::sync::Arc::clone(lock(&self.session).schedule())
    }

    /// The chair's current state.
    pub fn chair(&self) -> crate::chair::ChairState {
        lock(&self.session).chair().clone()
    }

    /// The room shown.
    pub fn room(&self) -> RoomId {
        lock(&self.session).room()
    }

    /// Replaces the clock (tests move time forward this way).
    pub fn set_clock(&mut self, clock: Clock) {
        lock(&self.session).set_clock(clock);
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
        let session = lock(&self.session);
        format!(
            "{} — {} — lectern",
            session.schedule().event().short_name,
            session.room_name()
        )
    }

    /// Whether the chair view takes the projector's window (one screen) rather than a window
    /// of its own (two screens).
    fn chair_in_projector_window(&self) -> bool {
        self.monitors.is_none_or(|count| count < 2)
    }

    /// Draws one frame into `ui` and carries out what the user asked for.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let snapshot = {
            let mut session = lock(&self.session);
            session.apply_updates();
            session.snapshot()
        };
        if theme::set_look(&snapshot.appearance) {
            ctx.set_visuals(theme::visuals());
        }
        self.upload_logo(&ctx, snapshot.appearance.logo.as_ref());
        let now = snapshot.clock.now();
        // The status is computed once per frame, from one reading of the clock, and every
        // view of the frame draws from it.
        let status = snapshot.status(now);
        self.blanked = status.blanked;
        let mut actions = keys::actions_from_keys(&ctx, &snapshot.appearance.messages);
        let notices = snapshot.screen_notices();
        let in_window = self.chair_view_open && self.chair_in_projector_window();
        let repaint_after = snapshot.clock.real_time_for(time_to_next_change(&status));
        if in_window {
            self.chair_panel_ui(ui, &snapshot, &status, &notices, true, &mut actions);
        } else {
            let view = ProjectorView {
                status: &status,
                event_name: &snapshot.schedule.event().short_name,
                notices: &notices,
                blink: self.blink || snapshot.appearance.blink,
                paint_background: !self.window_clears_background,
                logo: self.logo.as_ref().map(|(_, texture)| texture),
            };
            projector_ui(ui, &view);
        }
        if self.help_open {
            help::help_ui(ui, &snapshot.appearance.messages);
        }
        if self.chair_view_open && !in_window {
            self.chair_window(&ctx, &snapshot, &status, &notices, &mut actions);
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
                let [width, height] = ctx.fonts(|fonts| fonts.font_image_size());
                eprintln!(
                    "lectern: first frame drawn {} ms after start; glyph atlas {width}×{height}",
                    started.elapsed().as_millis()
                );
            }
        }
    }

    /// Uploads the settings' logo when it is new, and lets go of one no longer set. The
    /// texture is kept across frames: a logo is uploaded once, not every second.
    fn upload_logo(&mut self, ctx: &egui::Context, logo: Option<&crate::config::Logo>) {
        let Some(logo) = logo else {
            self.logo = None;
            return;
        };
        if self
            .logo
            .as_ref()
            .is_some_and(|(pixels, _)| std::sync::Arc::ptr_eq(pixels, &logo.rgba))
        {
            return;
        }
        let size = [logo.width as usize, logo.height as usize];
        if size[0] * size[1] * 4 != logo.rgba.len() {
            self.logo = None;
            return;
        }
        let image = egui::ColorImage::from_rgba_unmultiplied(size, &logo.rgba);
        let texture = ctx.load_texture("lectern-logo", image, egui::TextureOptions::LINEAR);
        self.logo = Some((std::sync::Arc::clone(&logo.rgba), texture));
    }

    /// The chair view, filling `ui`: in the projector's window (one screen) or its own.
    fn chair_panel_ui(
        &mut self,
        ui: &mut egui::Ui,
        snapshot: &RoomSnapshot,
        status: &RoomStatus<'_>,
        notices: &[ScreenNotice],
        in_projector_window: bool,
        actions: &mut Vec<Action>,
    ) {
        let planned_actual = crate::planned::today_rows(
            &snapshot.schedule,
            snapshot.room,
            &snapshot.log,
            status.now,
        );
        let view = ChairView {
            status,
            rooms: snapshot.schedule.rooms(),
            room: snapshot.room,
            schedule: &snapshot.schedule_info,
            notices,
            chair_notices: &snapshot.chair_notices,
            in_projector_window,
            server: self.server_info.as_ref(),
            planned_actual: &planned_actual,
            messages: &snapshot.appearance.messages,
            settings_error: snapshot.settings_error.as_deref(),
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
        snapshot: &RoomSnapshot,
        status: &RoomStatus<'_>,
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
                actions.extend(keys::actions_from_keys(
                    ui.ctx(),
                    &snapshot.appearance.messages,
                ));
                self.chair_panel_ui(ui, snapshot, status, notices, false, actions);
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
                lock(&self.session).apply(&command, now);
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
                if lock(&self.session).chair().message.is_some() {
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
                let (current, count) = {
                    let session = lock(&self.session);
                    (session.room().0, session.schedule().rooms().len())
                };
                let count = count.max(1) as i64;
                let next = (current as i64 + i64::from(step)).rem_euclid(count);
                self.select_room(RoomId(next as usize), ctx);
            }
            Action::Reload => self.reload_now(now),
            Action::CycleAbsorbPolicy => {
                let mut session = lock(&self.session);
                let policy = session.chair().policy.following();
                session.apply(&crate::chair::ChairCommand::Absorb(policy), now);
            }
        }
    }

    fn select_room(&mut self, room: RoomId, ctx: &egui::Context) {
        if lock(&self.session).select_room(room) {
            ctx.send_viewport_cmd_to(ViewportId::ROOT, ViewportCommand::Title(self.title()));
        }
    }

    /// Subscribes the window to the session's changes (a command from the network, a reload),
    /// and starts watching the schedule file if that was asked for. `repaint` is called from
    /// whichever thread made the change, so that the window draws it at once.
    pub fn start_watching(&mut self, repaint: impl Fn() + Send + Sync + 'static) {
        let listener: Listener = std::sync::Arc::new(repaint);
        lock(&self.session).subscribe(listener);
        if self.watch {
            RoomSession::start_watching(&self.session);
        }
    }

    /// Applies what the watcher found since the last frame. Returns whether anything changed.
    pub fn apply_updates(&mut self) -> bool {
        lock(&self.session).apply_updates()
    }

    /// Reads the schedule file again now. A file that cannot be used leaves the last good
    /// schedule on screen and says why. With a watcher, the watcher's thread does the reading.
    pub fn reload_now(&mut self, now: DateTime<Utc>) {
        lock(&self.session).reload_now(now);
    }

    /// Whether the schedule file is missing (the last good schedule is shown).
    pub fn file_missing(&self) -> bool {
        lock(&self.session).file_missing()
    }

    /// The error of the last failed reload, while the last good schedule is shown.
    pub fn reload_error(&self) -> Option<String> {
        lock(&self.session).reload_error().map(str::to_owned)
    }

    /// What the chair should know (dropped overrides, state file problems).
    pub fn chair_notices(&self) -> Vec<String> {
        lock(&self.session).chair_notices().to_vec()
    }

    /// Puts a newly loaded schedule in place, keeping the room and the chair's state.
    pub fn replace_schedule(&mut self, loaded: Loaded, now: DateTime<Utc>) {
        lock(&self.session).replace_schedule(loaded, now);
    }

    /// Takes the number of monitors from the window system, once.
    fn learn_monitors(&mut self, count: Option<usize>) {
        if self.monitors.is_some() {
            return;
        }
        if let Some(count) = count {
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

impl Screen for LecternApp {
    fn background(&self) -> egui::Color32 {
        let showing_projector = !(self.chair_view_open && self.chair_in_projector_window());
        if showing_projector {
            background(self.blanked)
        } else {
            theme::visuals().panel_fill
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, monitors: Option<usize>) {
        self.window_clears_background = true;
        self.learn_monitors(monitors);
        self.draw(ui);
    }
}
