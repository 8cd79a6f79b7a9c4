//! The hallway screen's window: every room at once, from a room session that follows the
//! schedule (its reloads, its notices, its clock) and keeps no chair state of its own.
//!
//! Each frame takes one snapshot, computes one [`VenueStatus`] from one reading of the clock,
//! lays in what the rooms' live feeds say, and draws it; it asks for the next frame at the
//! next change of what is shown (a minute, a page turn, an item's end), never continuously.

use chrono::{DateTime, Duration, Utc};
use eframe::egui;

use crate::feed::RoomFeeds;
use crate::model::RoomId;
use crate::session::{Listener, RoomSession, SharedSession, lock};
use crate::ui::overview::{OverviewView, overview_ui, page_count};
use crate::ui::{projector::background, theme};
use crate::venue::{VenueStatus, next_page_turn, venue_at};
use crate::window::Screen;

/// How the hallway screen was started.
#[derive(Debug, Clone)]
pub struct OverviewOptions {
    /// The rooms to show, by name, in this order; every room when empty.
    pub rooms: Vec<String>,
    /// How long each page stays, in seconds.
    pub page_seconds: u32,
    /// Whether to follow the schedule file's changes.
    pub watch: bool,
}

/// The running hallway screen.
pub struct OverviewApp {
    session: SharedSession,
    options: OverviewOptions,
    feeds: RoomFeeds,
}

impl OverviewApp {
    /// The hallway screen over a room session, with the rooms' live feeds (none for a
    /// screen that follows the schedule alone).
    pub fn new(session: SharedSession, options: OverviewOptions, feeds: RoomFeeds) -> Self {
        OverviewApp {
            session,
            options,
            feeds,
        }
    }

    /// The room session.
    pub fn session(&self) -> &SharedSession {
        &self.session
    }

    /// Subscribes the window to the session's and the feeds' changes, and starts watching
    /// the schedule if that was asked for.
    pub fn start_watching(&mut self, repaint: impl Fn() + Send + Sync + 'static) {
        let listener: Listener = std::sync::Arc::new(repaint);
        self.feeds.subscribe(std::sync::Arc::clone(&listener));
        lock(&self.session).subscribe(listener);
        if self.options.watch {
            RoomSession::start_watching(&self.session);
        }
    }

    /// The venue as shown at `now`: the schedule's, with what the live feeds say laid in.
    pub fn venue(&self, now: DateTime<Utc>) -> (VenueStatus, crate::session::RoomSnapshot) {
        let snapshot = lock(&self.session).snapshot();
        let schedule = &snapshot.schedule;
        let rooms: Vec<RoomId> = self
            .options
            .rooms
            .iter()
            .filter_map(|name| schedule.find_room(name))
            .collect();
        let mut venue = venue_at(schedule, &rooms, now, &snapshot.thresholds);
        self.feeds.lay_in(&mut venue, now);
        (venue, snapshot)
    }

    /// Draws one frame into `ui`.
    pub fn draw(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        lock(&self.session).apply_updates();
        let now = lock(&self.session).now();
        let (venue, snapshot) = self.venue(now);
        if theme::set_look(&snapshot.appearance) {
            ctx.set_visuals(theme::visuals());
        }
        let notices = snapshot.screen_notices();
        let view = OverviewView {
            venue: &venue,
            event_name: &snapshot.schedule.event().short_name,
            time_zone: snapshot.schedule.event().time_zone,
            notices: &notices,
            page_seconds: self.options.page_seconds,
        };
        overview_ui(ui, &view);
        let pages = page_count(&venue, ui.max_rect());
        let wait = time_to_next_change(&venue, pages, self.options.page_seconds);
        ctx.request_repaint_after(snapshot.clock.real_time_for(wait));
        if ui.input(|input| input.key_pressed(egui::Key::F11) || input.key_pressed(egui::Key::F)) {
            let fullscreen = ui.input(|input| input.viewport().fullscreen.unwrap_or(false));
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!fullscreen));
        }
    }
}

/// How long until the hallway screen shows something else: the next minute (times left are
/// shown in minutes, the clock to the minute), the next page, an item's end or start.
pub fn time_to_next_change(venue: &VenueStatus, pages: usize, page_seconds: u32) -> Duration {
    let now = venue.now;
    let into_minute = now.timestamp_subsec_millis() as i64 + 1000 * now.timestamp().rem_euclid(60);
    let mut next = Duration::milliseconds(60_000 - into_minute);
    let mut consider = |instant: Option<DateTime<Utc>>| {
        if let Some(instant) = instant
            && instant > now
        {
            next = next.min(instant - now);
        }
    };
    consider(next_page_turn(pages, page_seconds, now));
    for line in &venue.rooms {
        consider(line.ends_at);
        consider(line.next_at);
    }
    for item in &venue.venue_wide {
        consider(Some(item.ends_at));
    }
    // A little after the change, so that the frame lands on the new state.
    next + Duration::milliseconds(5)
}

impl Screen for OverviewApp {
    fn background(&self) -> egui::Color32 {
        background(false)
    }

    fn ui(&mut self, ui: &mut egui::Ui, _monitors: Option<usize>) {
        self.draw(ui);
    }
}

/// Sets up fonts and colours. Call once with the window's context.
pub fn install(ctx: &egui::Context) {
    theme::install_fonts(ctx);
    ctx.set_visuals(egui::Visuals::dark());
}
