//! The hallway screen: what is on in every room, readable from five metres on a 1080p TV,
//! landscape or portrait.
//!
//! It draws a computed [`VenueStatus`]: rooms with something on get a card (the room, the
//! paper, its speakers, the time left, what is next); rooms with nothing on get a compact row
//! after them; venue-wide items (a lunch) are said once, above the rooms. When the rooms do not
//! fit, pages turn every few seconds with a page indicator, all screens of the venue together.

use eframe::egui::{self, Align, Color32, Rect, Ui, pos2, vec2};

use super::fit::{FitStyle, fit, place};
use super::theme;
use crate::session::{NoticeLevel, ScreenNotice};
use crate::venue::{LineSource, LineState, RoomLine, VenueStatus, page_at};

/// What the hallway screen draws.
pub struct OverviewView<'s> {
    /// The venue at this instant.
    pub venue: &'s VenueStatus,
    /// The event's short name.
    pub event_name: &'s str,
    /// The zone in which times are shown.
    pub time_zone: chrono_tz::Tz,
    /// Notices that the screen may be wrong.
    pub notices: &'s [ScreenNotice],
    /// How long each page stays.
    pub page_seconds: u32,
}

/// Fractions of the screen height.
const HEADER: f32 = 0.08;
const VENUE_WIDE_ROW: f32 = 0.06;
/// A card costs this many compact rows.
const CARD_ROWS: usize = 3;

/// How the rooms are laid out on a screen of this shape: columns of slots, a card taking
/// [`CARD_ROWS`] slots and a compact row one.
fn grid(screen: Rect) -> (usize, usize) {
    if screen.width() >= screen.height() {
        // Landscape: two columns of three cards, large enough to read from five metres on a
        // 1080p television (the smallest text is about 4 % of the screen's height).
        (2, 3 * CARD_ROWS)
    } else {
        // Portrait: one column of seven cards.
        (1, 7 * CARD_ROWS)
    }
}

/// The lines in the order shown: rooms with something on, then the others, compact.
fn ordered(venue: &VenueStatus) -> Vec<&RoomLine> {
    let (live, quiet): (Vec<&RoomLine>, Vec<&RoomLine>) = venue
        .rooms
        .iter()
        .partition(|line| line.state == LineState::Live);
    live.into_iter().chain(quiet).collect()
}

fn cost(line: &RoomLine) -> usize {
    if line.state == LineState::Live {
        CARD_ROWS
    } else {
        1
    }
}

/// The lines split into pages of `columns` columns of `slots` slots each; a card never
/// straddles two columns.
pub fn paginate<'a>(
    lines: &[&'a RoomLine],
    columns: usize,
    slots: usize,
) -> Vec<Vec<Vec<&'a RoomLine>>> {
    let mut pages: Vec<Vec<Vec<&RoomLine>>> = Vec::new();
    let mut page: Vec<Vec<&RoomLine>> = Vec::new();
    let mut column: Vec<&RoomLine> = Vec::new();
    let mut used = 0;
    for &line in lines {
        let needed = cost(line);
        if used + needed > slots && !column.is_empty() {
            page.push(std::mem::take(&mut column));
            used = 0;
            if page.len() == columns {
                pages.push(std::mem::take(&mut page));
            }
        }
        column.push(line);
        used += needed;
    }
    if !column.is_empty() {
        page.push(column);
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

/// How many pages the venue takes on a screen of this size.
pub fn page_count(venue: &VenueStatus, screen: Rect) -> usize {
    let (columns, slots) = grid(screen);
    paginate(&ordered(venue), columns, slots).len().max(1)
}

/// Draws the hallway screen into the whole of `ui`.
pub fn overview_ui(ui: &mut Ui, view: &OverviewView<'_>) {
    let screen = ui.max_rect();
    let height = screen.height();
    let margin = (screen.width().min(height) * 0.03).round();
    let content = screen.shrink(margin);
    let (columns, slots) = grid(screen);
    let lines = ordered(view.venue);
    let pages = paginate(&lines, columns, slots);
    let (page_index, page_total) = page_at(pages.len(), 1, view.page_seconds, view.venue.now);

    let header = Rect::from_min_size(content.min, vec2(content.width(), height * HEADER));
    header_ui(ui, header, view, page_index, page_total);
    let mut top = header.bottom() + margin * 0.5;
    for item in &view.venue.venue_wide {
        let row = Rect::from_min_size(
            pos2(content.left(), top),
            vec2(content.width(), height * VENUE_WIDE_ROW),
        );
        ui.painter()
            .rect_filled(row, row.height() * 0.2, theme::palette().highlight);
        let mut words = format!(
            "All rooms:  {}  ·  until {}",
            item.title,
            theme::time_of_day(item.ends_at, view.time_zone)
        );
        if let Some(location) = &item.location {
            words.push_str(&format!("  ·  {location}"));
        }
        let size = row.height() * 0.55;
        let galley = fit(
            ui,
            &words,
            &FitStyle::new(
                theme::heading(size),
                theme::palette().message,
                10.0,
                Align::Center,
            )
            .max(size),
            row.shrink(row.height() * 0.1).size(),
        );
        place(ui, row, galley, Align::Center);
        top = row.bottom() + margin * 0.4;
    }
    let body = Rect::from_min_max(pos2(content.left(), top), content.max);
    let Some(page) = pages.get(page_index) else {
        let size = height * 0.05;
        let galley = fit(
            ui,
            "No rooms to show",
            &FitStyle::new(
                theme::heading(size),
                theme::palette().dim,
                10.0,
                Align::Center,
            ),
            body.size(),
        );
        place(ui, body, galley, Align::Center);
        return;
    };
    let gap = margin * 0.6;
    // A venue that fits in one column of one page takes the whole width.
    let columns = if pages.len() == 1 && page.len() == 1 {
        1
    } else {
        columns
    };
    let column_width = (body.width() - gap * (columns as f32 - 1.0)) / columns as f32;
    let slot_height = body.height() / slots as f32;
    for (index, column) in page.iter().enumerate() {
        let left = body.left() + index as f32 * (column_width + gap);
        let mut y = body.top();
        for line in column {
            let rows = cost(line) as f32;
            let rect = Rect::from_min_size(pos2(left, y), vec2(column_width, slot_height * rows));
            if line.state == LineState::Live {
                card_ui(ui, rect.shrink2(vec2(0.0, gap * 0.25)), line, view);
            } else {
                compact_ui(ui, rect, line, view);
            }
            y = rect.bottom();
        }
    }
}

fn header_ui(ui: &mut Ui, header: Rect, view: &OverviewView<'_>, page: usize, pages: usize) {
    // Upright, the notices and pages go under the name and the clock; on its side, between.
    let portrait = ui.max_rect().height() > ui.max_rect().width();
    let (rect, middle) = if portrait {
        let split = header.top() + header.height() * 0.55;
        (
            Rect::from_min_max(header.min, pos2(header.right(), split)),
            Rect::from_min_max(pos2(header.left(), split), header.max),
        )
    } else {
        (
            header,
            Rect::from_center_size(
                pos2(header.left() + header.width() * 0.6, header.center().y),
                vec2(header.width() * 0.28, header.height()),
            ),
        )
    };
    let size = rect.height() * if portrait { 0.8 } else { 0.5 };
    let clock = fit(
        ui,
        &theme::time_with_zone(view.venue.now, view.time_zone),
        &FitStyle::new(
            theme::digits(size),
            theme::palette().secondary,
            10.0,
            Align::Max,
        )
        .max(size),
        vec2(rect.width() * 0.25, rect.height()),
    );
    place(ui, rect, clock, Align::Max);
    let title = fit(
        ui,
        &format!("{}  ·  Now in every room", view.event_name),
        &FitStyle::new(
            theme::heading(size),
            theme::palette().text,
            10.0,
            Align::Min,
        )
        .max(size),
        vec2(
            rect.width() * if portrait { 0.7 } else { 0.5 },
            rect.height(),
        ),
    );
    place(ui, rect, title, Align::Min);
    // The page indicator: a dot a page, the current one filled, and its number in words.
    let notices: Vec<(String, Color32)> = view
        .notices
        .iter()
        .map(|notice| {
            let color = match notice.level {
                NoticeLevel::Info | NoticeLevel::Warning => theme::palette().notice,
                NoticeLevel::Error => theme::palette().error,
            };
            (notice.text.clone(), color)
        })
        .collect();
    if !notices.is_empty() {
        let text_size = header.height() * 0.32;
        let words: Vec<&str> = notices.iter().map(|(words, _)| words.as_str()).collect();
        let color = notices
            .iter()
            .find(|(_, color)| *color == theme::palette().error)
            .map_or(theme::palette().notice, |(_, color)| *color);
        let galley = fit(
            ui,
            &words.join("   ·   "),
            &FitStyle::new(theme::heading(text_size), color, 8.0, Align::Center).max(text_size),
            vec2(middle.width(), middle.height() * 0.6),
        );
        place(
            ui,
            Rect::from_min_size(middle.min, vec2(middle.width(), middle.height() * 0.6)),
            galley,
            Align::Center,
        );
    }
    if pages > 1 {
        let label_area = Rect::from_min_max(
            pos2(middle.left(), middle.top() + middle.height() * 0.55),
            middle.max,
        );
        let text_size = header.height() * 0.3;
        let label = fit(
            ui,
            &format!("Page {} of {pages}", page + 1),
            &FitStyle::new(
                theme::heading(text_size),
                theme::palette().secondary,
                8.0,
                Align::Max,
            )
            .max(text_size),
            vec2(label_area.width() * 0.5, label_area.height()),
        );
        let label_rect = Rect::from_min_max(
            label_area.min,
            pos2(label_area.center().x - text_size * 0.5, label_area.bottom()),
        );
        place(ui, label_rect, label, Align::Max);
        let radius = header.height() * 0.07;
        let spacing = radius * 3.2;
        let start_x = label_area.center().x + text_size * 0.5 + radius;
        for dot in 0..pages {
            let center = pos2(start_x + dot as f32 * spacing, label_area.center().y);
            if dot == page {
                ui.painter()
                    .circle_filled(center, radius, theme::palette().text);
            } else {
                ui.painter().circle_stroke(
                    center,
                    radius,
                    egui::Stroke::new(1.5, theme::palette().dim),
                );
            }
        }
    }
}

/// Time left as a hallway reads it: whole minutes, rounded up; "over" once past the end.
fn minutes_left(view: &OverviewView<'_>, ends_at: chrono::DateTime<chrono::Utc>) -> String {
    let seconds = (ends_at - view.venue.now).num_seconds();
    if seconds < 0 {
        format!("{} min over", (-seconds + 59) / 60)
    } else if seconds < 60 {
        "ending".to_owned()
    } else {
        format!("{} min left", (seconds + 59) / 60)
    }
}

fn card_ui(ui: &mut Ui, rect: Rect, line: &RoomLine, view: &OverviewView<'_>) {
    ui.painter()
        .rect_filled(rect, rect.height() * 0.06, theme::palette().card);
    let inner = rect.shrink(rect.height() * 0.07);
    let height = inner.height();
    let band = |from: f32, to: f32| {
        Rect::from_min_max(
            pos2(inner.left(), inner.top() + height * from),
            pos2(inner.right(), inner.top() + height * to),
        )
    };
    // The room, and on the right the time left in the phase's colour.
    let top = band(0.0, 0.24);
    let size = top.height() * 0.85;
    if let Some(ends_at) = line.ends_at {
        let color = line
            .phase
            .map_or(theme::palette().secondary, theme::phase_color);
        let left = fit(
            ui,
            &format!(
                "{}  ·  until {}",
                minutes_left(view, ends_at),
                theme::time_of_day(ends_at, view.time_zone)
            ),
            &FitStyle::new(theme::heading(size), color, size * 0.7, Align::Max).max(size),
            vec2(top.width() * 0.55, top.height()),
        );
        place(ui, top, left, Align::Max);
    }
    let room = fit(
        ui,
        &line.room,
        &FitStyle::new(
            theme::heading(size),
            theme::palette().neutral,
            size * 0.7,
            Align::Min,
        )
        .max(size),
        vec2(top.width() * 0.45, top.height()),
    );
    place(ui, top, room, Align::Min);
    // The paper: as large as its band allows, on two lines at most.
    let title_band = band(0.26, 0.62);
    let title_size = title_band.height() * 0.5;
    let title = fit(
        ui,
        &line.title,
        // Never below three fifths of its size: past that a title is cut, not shrunk, so that
        // it stays readable from the far end of the hallway.
        &FitStyle::new(
            theme::heading(title_size),
            theme::palette().text,
            title_size * 0.6,
            Align::Min,
        )
        .max(title_size)
        .balanced(),
        title_band.size(),
    );
    place(ui, title_band, title, Align::Min);
    let people_band = band(0.63, 0.8);
    let mut people = line.speakers.clone();
    if people.is_empty()
        && let Some(session) = &line.session
    {
        people = session.clone();
    }
    if !people.is_empty() {
        let people_size = people_band.height() * 0.85;
        let galley = fit(
            ui,
            &people,
            &FitStyle::new(
                theme::body(people_size),
                theme::palette().secondary,
                people_size * 0.8,
                Align::Min,
            )
            .max(people_size),
            people_band.size(),
        );
        place(ui, people_band, galley, Align::Min);
    }
    // What comes next, and what is worth knowing (running late, paused, questions).
    let bottom = band(0.82, 1.0);
    let mut facts = line.notes.clone();
    if let LineSource::FeedDown(since) = line.source {
        facts.push(format!(
            "live feed down since {}: schedule shown",
            theme::time_of_day(since, view.time_zone)
        ));
    }
    let next = match (&line.next_title, line.next_at) {
        (Some(title), Some(at)) => {
            format!("Next {}  {title}", theme::time_of_day(at, view.time_zone))
        }
        _ => String::new(),
    };
    let bottom_size = bottom.height() * 0.85;
    if !facts.is_empty() {
        let galley = fit(
            ui,
            &facts.join("  ·  "),
            &FitStyle::new(
                theme::heading(bottom_size),
                theme::palette().warning,
                bottom_size * 0.8,
                Align::Max,
            )
            .max(bottom_size),
            vec2(bottom.width() * 0.45, bottom.height()),
        );
        place(ui, bottom, galley, Align::Max);
    }
    if !next.is_empty() {
        let width = if facts.is_empty() { 1.0 } else { 0.53 };
        let galley = fit(
            ui,
            &next,
            &FitStyle::new(
                theme::body(bottom_size),
                theme::palette().dim,
                bottom_size * 0.8,
                Align::Min,
            )
            .max(bottom_size),
            vec2(bottom.width() * width, bottom.height()),
        );
        place(ui, bottom, galley, Align::Min);
    }
}

fn compact_ui(ui: &mut Ui, rect: Rect, line: &RoomLine, view: &OverviewView<'_>) {
    let inner = rect.shrink2(vec2(rect.height() * 0.2, rect.height() * 0.12));
    let size = inner.height() * 0.62;
    let room = fit(
        ui,
        &line.room,
        &FitStyle::new(theme::heading(size), theme::palette().dim, 10.0, Align::Min).max(size),
        vec2(inner.width() * 0.3, inner.height()),
    );
    place(ui, inner, room, Align::Min);
    let words = match (line.state, &line.next_title, line.next_at) {
        (LineState::VenueWide, _, _) => "with all rooms (above)".to_owned(),
        (_, Some(title), Some(at)) => {
            let today = view.venue.now.with_timezone(&view.time_zone).date_naive()
                == at.with_timezone(&view.time_zone).date_naive();
            let when = if today {
                theme::time_of_day(at, view.time_zone)
            } else {
                at.with_timezone(&view.time_zone)
                    .format("%a %H:%M")
                    .to_string()
            };
            format!("Next {when}  {title}")
        }
        _ => "Nothing more today".to_owned(),
    };
    // One line, cut short rather than shrunk: a compact row is read at a glance.
    let galley = fit(
        ui,
        &words,
        &FitStyle::new(
            theme::body(size),
            theme::palette().secondary,
            size * 0.8,
            Align::Min,
        )
        .max(size),
        vec2(inner.width() * 0.69, size * 1.3),
    );
    place(
        ui,
        Rect::from_min_max(
            pos2(inner.left() + inner.width() * 0.31, inner.top()),
            inner.max,
        ),
        galley,
        Align::Min,
    );
    ui.painter().line_segment(
        [rect.left_bottom(), rect.right_bottom()],
        egui::Stroke::new(1.0, theme::palette().rule),
    );
}
