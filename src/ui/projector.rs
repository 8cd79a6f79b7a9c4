//! The projector view: what the room sees, readable from the back of a 300-seat hall.
//!
//! The screen is divided by fractions of its height, so the same layout serves 16:9 and 4:3,
//! 1920×1080 and 1024×768. The countdown takes well over a third of the height; every text
//! block wraps and shrinks to its box (see [`super::fit`]).

use eframe::egui::{self, Align, Color32, Rect, Stroke, Ui, pos2, vec2};

use super::fit::{FitStyle, fit, fits, font_size, place, place_by_ink, reset_smallest_size};
use super::theme;
use crate::model::Talk;
use crate::text;
use crate::timing::{Activity, AgendaEntry, AgendaState, Live, Phase, RoomStatus, TalkPart};

pub use crate::session::{NoticeLevel, ScreenNotice};

/// What the projector draws.
pub struct ProjectorView<'s, 'a> {
    /// The computed status of the room.
    pub status: &'s RoomStatus<'a>,
    /// The event's short name.
    pub event_name: &'s str,
    /// Notices that the screen may be wrong.
    pub notices: &'s [ScreenNotice],
    /// Whether an overtime countdown blinks.
    pub blink: bool,
    /// Whether to paint the background. A window that clears to [`background`] skips it:
    /// with software rendering, filling the screen once more is most of a frame's cost.
    pub paint_background: bool,
    /// The event's logo, uploaded; drawn at the left of the header.
    pub logo: Option<&'s egui::TextureHandle>,
}

/// The colour behind everything: near black, or black when the chair blanks the screen.
pub fn background(blanked: bool) -> Color32 {
    if blanked {
        Color32::BLACK
    } else {
        theme::palette().background
    }
}

/// The smallest text on the projector, as a fraction of the screen's height: 27 px at
/// 1024×768, 38 px at 1920×1080, read from the back row of a lecture hall. Texts that do not
/// fit at this size are cut or shortened ("and 7 more"), never set smaller.
pub const MIN_TEXT: f32 = 0.035;

/// The smallest text size on this screen (the window's height, whatever margin the view is
/// drawn within).
fn min_text(ui: &Ui) -> f32 {
    let height = ui.ctx().content_rect().height().max(ui.max_rect().height());
    (height * MIN_TEXT).round()
}

/// Fractions of the screen height given to each band.
const HEADER: f32 = 0.08;
const COUNTDOWN: f32 = 0.365;
const PHASE_LINE: f32 = 0.06;
/// Fractions of the screen width in the header: the event's name, the notices, the clock.
const NAME_WIDTH: f32 = 0.27;
const NOTICE_WIDTH: f32 = 0.44;
const CLOCK_WIDTH: f32 = 0.2;

/// Draws the projector view into the whole of `ui`.
pub fn projector_ui(ui: &mut Ui, view: &ProjectorView<'_, '_>) {
    reset_smallest_size(ui.ctx());
    let screen = ui.max_rect();
    if view.paint_background {
        ui.painter()
            .rect_filled(screen, 0.0, background(view.status.blanked));
    }
    if view.status.blanked {
        // Blank means blank: only a notice that something is wrong may show.
        notices_ui(ui, screen, view.notices, screen.height() * HEADER);
        return;
    }
    let height = screen.height();
    let margin = (screen.width().min(height) * 0.035).round();
    let content = screen.shrink(margin);
    let header = Rect::from_min_size(content.min, vec2(content.width(), height * HEADER));
    header_ui(ui, header, view);
    let body = Rect::from_min_max(
        pos2(content.left(), header.bottom() + margin * 0.5),
        content.max,
    );

    match &view.status.activity {
        Activity::Live(live) if !live.session.kind.is_pause() => live_ui(ui, body, view, live),
        Activity::Live(live) => pause_ui(ui, body, view, Some(live)),
        Activity::Between { .. } => pause_ui(ui, body, view, None),
        Activity::BeforeEvent { starts_in } => before_event_ui(ui, body, view, *starts_in),
        Activity::RoomDone => closing_ui(
            ui,
            body,
            "No more sessions in this room",
            "The event continues in other rooms.",
        ),
        Activity::AfterEvent => closing_ui(
            ui,
            body,
            "Thank you for coming",
            &format!("{} has ended.", view.event_name),
        ),
    }
    if let Some(message) = view.status.message {
        message_ui(ui, message);
    }
    notices_ui(ui, screen, view.notices, height * HEADER);
}

fn header_ui(ui: &mut Ui, rect: Rect, view: &ProjectorView<'_, '_>) {
    let status = view.status;
    let size = rect.height() * 0.45;
    let clock_text = format!(
        "{} {}",
        theme::time_of_day(status.now, status.time_zone),
        status.now.with_timezone(&status.time_zone).format("%Z")
    );
    let clock = fit(
        ui,
        &clock_text,
        &FitStyle::new(
            theme::digits(size),
            theme::palette().secondary,
            min_text(ui),
            Align::Max,
        )
        .max(size),
        vec2(ui.max_rect().width() * CLOCK_WIDTH, rect.height()),
    );
    place(ui, rect, clock, Align::Max);
    let mut name_area = vec2(ui.max_rect().width() * NAME_WIDTH, rect.height());
    let mut name_left = rect.left();
    if let Some(logo) = view.logo {
        // The logo is as high as the header and takes at most half of the name's width, so
        // that a wide banner never pushes the room's name out.
        let [width, height] = logo.size().map(|side| side as f32);
        let scale = (rect.height() / height.max(1.0)).min(name_area.x * 0.5 / width.max(1.0));
        let size = vec2(width * scale, height * scale);
        let logo_rect =
            Rect::from_min_size(pos2(rect.left(), rect.center().y - size.y / 2.0), size);
        ui.painter().image(
            logo.id(),
            logo_rect,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::WHITE,
        );
        let gap = rect.height() * 0.25;
        name_left += size.x + gap;
        name_area.x -= size.x + gap;
    }
    let name_style = FitStyle::new(
        theme::body(size),
        theme::palette().dim,
        min_text(ui),
        Align::Min,
    )
    .max(size);
    // The room matters more than the event's name: on a narrow screen it stands alone.
    let both = format!("{}  ·  {}", view.event_name, status.room.name);
    let title = if fits(ui, &both, &name_style, name_area) {
        both
    } else {
        status.room.name.clone()
    };
    let galley = fit(ui, &title, &name_style, name_area);
    place(
        ui,
        Rect::from_min_size(pos2(name_left, rect.top()), name_area),
        galley,
        Align::Min,
    );
}

/// Pills in the header's middle: rehearsal, schedule not updated, file missing.
fn notices_ui(ui: &mut Ui, screen: Rect, notices: &[ScreenNotice], header_height: f32) {
    if notices.is_empty() {
        return;
    }
    // The pills share the middle of the header, between the event's name and the clock; when
    // they do not fit side by side at full size, all of them shrink alike.
    let natural_size = (header_height * 0.45).max(min_text(ui));
    let available = screen.width() * NOTICE_WIDTH;
    let natural_width: f32 = notices
        .iter()
        .map(|notice| {
            let galley = ui.fonts_mut(|fonts| {
                fonts.layout_no_wrap(
                    notice.text.clone(),
                    theme::heading(natural_size),
                    Color32::WHITE,
                )
            });
            galley.size().x + natural_size * 2.2
        })
        .sum();
    let size = (natural_size * (available / natural_width).min(1.0))
        .floor()
        .max(min_text(ui));
    let padding = vec2(size * 0.6, size * 0.25);
    let pills: Vec<_> = notices
        .iter()
        .map(|notice| {
            let (fill, ink) = match notice.level {
                NoticeLevel::Info | NoticeLevel::Warning => {
                    (theme::palette().notice, Color32::BLACK)
                }
                NoticeLevel::Error => (theme::palette().error, Color32::WHITE),
            };
            let style =
                FitStyle::new(theme::heading(size), ink, size, Align::Center).keep_lines(0.5);
            let galley = fit(ui, &notice.text, &style, vec2(available, size * 1.4));
            (galley, fill)
        })
        .collect();
    let gap = size;
    let total: f32 = pills
        .iter()
        .map(|(galley, _)| galley.size().x + 2.0 * padding.x)
        .sum::<f32>()
        + gap * (pills.len() as f32 - 1.0);
    let mut x = screen.center().x - total / 2.0;
    let center_y = screen.top() + header_height * 0.55;
    for (galley, fill) in pills {
        let pill = Rect::from_min_size(
            pos2(x, center_y - galley.size().y / 2.0 - padding.y),
            galley.size() + 2.0 * padding,
        );
        ui.painter().rect_filled(pill, pill.height() / 2.0, fill);
        x = pill.right() + gap;
        place(ui, pill, galley, Align::Center);
    }
}

/// Splits `rect` into horizontal bands by fractions of `total_height`, top to bottom.
fn bands<const N: usize>(rect: Rect, total_height: f32, fractions: [f32; N]) -> [Rect; N] {
    let mut top = rect.top();
    fractions.map(|fraction| {
        let band = Rect::from_min_size(
            pos2(rect.left(), top),
            vec2(
                rect.width(),
                (total_height * fraction).min(rect.bottom() - top).max(0.0),
            ),
        );
        top = band.bottom();
        band
    })
}

fn live_ui(ui: &mut Ui, body: Rect, view: &ProjectorView<'_, '_>, live: &Live<'_>) {
    let height = ui.max_rect().height();
    let countdown = live.countdown();
    let paused = live.chair.is_some_and(|chair| chair.paused);
    let [
        clock_band,
        phase_band,
        bar_band,
        _,
        title_band,
        people_band,
        session_band,
        next_band,
    ] = bands(
        body,
        height,
        [COUNTDOWN, PHASE_LINE, 0.02, 0.005, 0.15, 0.11, 0.055, 0.06],
    );

    // The big countdown. Overtime counts up and may blink; paused shows grey.
    let color = if paused {
        theme::palette().dim
    } else {
        theme::phase_color(live.phase)
    };
    let blink_off = view.blink
        && live.phase == Phase::Overtime
        && !paused
        && countdown.remaining.num_seconds() % 2 != 0;
    countdown_ui(
        ui,
        clock_band,
        &text::countdown(countdown.remaining),
        if blink_off {
            color.gamma_multiply(0.35)
        } else {
            color
        },
    );

    // The phase in words and as a shape, so that it does not rely on colour.
    let questions = live
        .talk
        .as_ref()
        .is_some_and(|talk| talk.part == TalkPart::Questions);
    let zone = view.status.time_zone;
    let mut phase_text = if let Some(hold) = &live.hold {
        let until = theme::time_of_day(hold.until, zone);
        match live.remaining_talks.first() {
            Some(next) if next.slot.start == hold.until => format!("NEXT PAPER AT {until}"),
            _ => format!("SESSION ENDS {until}"),
        }
    } else if paused {
        "PAUSED".to_owned()
    } else if questions && live.phase != Phase::Overtime {
        "QUESTIONS".to_owned()
    } else {
        theme::phase_word(live.phase).to_owned()
    };
    // "Paper 1 of 1" says nothing: a session of one talk (as most imported programs have)
    // shows no count.
    let held_for = live
        .hold
        .and_then(|_| live.remaining_talks.first())
        .filter(|next| live.hold.is_some_and(|hold| next.slot.start == hold.until));
    let paper_number = match (&live.talk, held_for) {
        (Some(talk), _) => Some((talk.index, talk.count)),
        (None, Some(next)) => Some((next.index, live.session.talks.len())),
        (None, None) => None,
    };
    if let Some((index, count)) = paper_number.filter(|(_, count)| *count > 1) {
        phase_text.push_str(&format!("   ·   Paper {} of {}", index + 1, count));
    }
    let end = theme::time_of_day(countdown.end, zone);
    let questions_follow = live.talk.as_ref().is_some_and(|talk| {
        talk.part == TalkPart::Talk && talk.questions > chrono::Duration::zero()
    });
    phase_text.push_str(&if live.hold.is_some() {
        String::new()
    } else if live.phase == Phase::Overtime {
        format!("   ·   was due to end {end}")
    } else if questions_follow {
        format!("   ·   questions at {end}")
    } else {
        format!("   ·   until {end}")
    });
    phase_line_ui(
        ui,
        phase_band,
        &phase_text,
        if paused { None } else { Some(live.phase) },
        color,
    );
    progress_ui(
        ui,
        bar_band,
        countdown.elapsed.num_seconds() as f32,
        (countdown.elapsed + countdown.remaining).num_seconds() as f32,
        color,
    );

    // While the room waits for the next paper, the paper waited for is what people need.
    let shown_talk = live
        .talk
        .as_ref()
        .map(|talk| talk.talk)
        .or(held_for.map(|next| next.talk));
    match shown_talk {
        Some(talk) => {
            // The speakers first: the title is never set smaller than they are.
            let people_size = people_ui(ui, people_band, talk);
            title_ui(ui, title_band, &talk.title, people_size);
            // The session's title, unless it only repeats the talk's.
            let mut session_parts = Vec::new();
            if live.session.display_title() != talk.title {
                session_parts.push(live.session.display_title().to_owned());
            }
            if !live.session.chairs.is_empty() {
                session_parts.push(format!(
                    "{}: {}",
                    live.session.chair_role,
                    text::people_line(&live.session.chairs)
                ));
            }
            if let Some(location) = text::place(live.session, live.venue_wide) {
                session_parts.push(location);
            }
            secondary_ui(
                ui,
                session_band,
                &session_parts.join("   ·   "),
                theme::palette().dim,
            );
        }
        None => {
            title_ui(ui, title_band, live.session.display_title(), 0.0);
            let mut lines = Vec::new();
            if let Some(location) = text::place(live.session, live.venue_wide) {
                lines.push(location);
            }
            if !live.session.chairs.is_empty() {
                lines.push(format!(
                    "{}: {}",
                    live.session.chair_role,
                    text::people_line(&live.session.chairs)
                ));
            }
            secondary_ui(
                ui,
                people_band,
                &lines.join("\n"),
                theme::palette().secondary,
            );
        }
    }
    // The paper after the one shown, at its projected time.
    let next_paper = live
        .remaining_talks
        .iter()
        .find(|next| held_for.is_none_or(|held| next.index > held.index));
    let next_line = match (next_paper, &view.status.next) {
        (Some(next), _) => Some(format!(
            "Next at {}:  {}",
            theme::time_of_day(next.slot.start, zone),
            talk_line(next.talk)
        )),
        (None, Some(next)) => Some(format!(
            "Next at {}:  {}",
            theme::time_of_day(next.at, view.status.time_zone),
            next.session.display_title()
        )),
        (None, None) => None,
    };
    if let Some(next_line) = next_line {
        next_ui(ui, next_band, &next_line);
    }
}

/// A break or a meal, or nothing on: what comes next, a countdown to it, the rest of the day.
fn pause_ui(ui: &mut Ui, body: Rect, view: &ProjectorView<'_, '_>, live: Option<&Live<'_>>) {
    let height = ui.max_rect().height();
    let [title_band, clock_band, next_band, _, agenda_band] =
        bands(body, height, [0.1, 0.3, 0.1, 0.02, 0.35]);
    let mut title = live.map_or("Break".to_owned(), |live| {
        live.session.display_title().to_owned()
    });
    if let Some(location) = live.and_then(|live| text::place(live.session, live.venue_wide)) {
        title.push_str(&format!("  ·  {location}"));
    }
    title_ui(ui, title_band, &title, 0.0);
    match &view.status.next {
        Some(next) => {
            countdown_ui(
                ui,
                clock_band,
                &text::countdown(next.starts_in),
                theme::palette().neutral,
            );
            let line = format!(
                "Next at {}:  {}",
                theme::time_of_day(next.at, view.status.time_zone),
                next.session.display_title()
            );
            next_ui(ui, next_band, &line);
        }
        None => {
            if let Some(live) = live {
                let remaining = live.session_countdown.remaining;
                countdown_ui(
                    ui,
                    clock_band,
                    &text::countdown(remaining),
                    theme::palette().neutral,
                );
            }
        }
    }
    agenda_ui(ui, agenda_band, view, true);
}

fn before_event_ui(
    ui: &mut Ui,
    body: Rect,
    view: &ProjectorView<'_, '_>,
    starts_in: chrono::Duration,
) {
    let height = ui.max_rect().height();
    let [title_band, label_band, clock_band, next_band, agenda_band] =
        bands(body, height, [0.12, 0.05, 0.25, 0.08, 0.35]);
    title_ui(ui, title_band, view.event_name, 0.0);
    secondary_ui(ui, label_band, "starts in", theme::palette().dim);
    countdown_ui(
        ui,
        clock_band,
        &text::countdown(starts_in),
        theme::palette().neutral,
    );
    if let Some(next) = &view.status.next {
        let line = format!(
            "First: {} at {}",
            next.session.display_title(),
            theme::time_of_day(next.at, view.status.time_zone)
        );
        next_ui(ui, next_band, &line);
    }
    agenda_ui(ui, agenda_band, view, false);
}

fn closing_ui(ui: &mut Ui, body: Rect, title: &str, subtitle: &str) {
    let height = ui.max_rect().height();
    let [_, title_band, subtitle_band] = bands(body, height, [0.25, 0.16, 0.1]);
    title_ui(ui, title_band, title, 0.0);
    secondary_ui(ui, subtitle_band, subtitle, theme::palette().secondary);
}

/// The big digits. They are sized by their ink, so that they fill nine tenths of the band's
/// height (a third of the screen) unless the width runs out first, and set a little tighter
/// than the font's spacing.
///
/// They are drawn clipped to their band, which `place_by_ink` divides into a mesh per
/// character: a renderer that keeps meshes from frame to frame (the CPU one) then redraws only
/// the digit that changed each second, not the whole screen.
fn countdown_ui(ui: &mut Ui, rect: Rect, digits: &str, color: Color32) {
    let target = Rect::from_center_size(
        rect.center(),
        vec2(rect.width() * 0.94, rect.height() * 0.95),
    );
    let mut band = ui.new_child(egui::UiBuilder::new().max_rect(rect));
    band.set_clip_rect(rect.intersect(ui.clip_rect()));
    place_by_ink(
        &mut band,
        target,
        digits,
        &egui::FontFamily::Name(theme::DIGITS.into()),
        color,
        -0.04,
    );
}

fn phase_line_ui(ui: &mut Ui, rect: Rect, label: &str, phase: Option<Phase>, color: Color32) {
    let size = rect.height() * 0.6;
    let galley = fit(
        ui,
        label,
        &FitStyle::new(theme::heading(size), color, min_text(ui), Align::Center).max(size),
        vec2(rect.width() * 0.85, rect.height()),
    );
    let mark_size = galley.size().y * 0.6;
    let total = galley.size().x + mark_size * 1.8;
    let mark_center = pos2(
        rect.center().x - total / 2.0 + mark_size / 2.0,
        rect.center().y,
    );
    if let Some(phase) = phase {
        phase_mark(ui, mark_center, mark_size, phase, color);
    } else {
        // Paused: two bars.
        let bar = vec2(mark_size * 0.3, mark_size);
        for offset in [-0.25, 0.25] {
            ui.painter().rect_filled(
                Rect::from_center_size(mark_center + vec2(mark_size * offset, 0.0), bar),
                1.0,
                color,
            );
        }
    }
    let label_rect = Rect::from_min_max(
        pos2(mark_center.x + mark_size * 1.3, rect.top()),
        pos2(rect.right(), rect.bottom()),
    );
    place(ui, label_rect, galley, Align::Min);
}

/// A shape for each phase: circle, triangle, square, and a cross for overtime.
fn phase_mark(ui: &Ui, center: egui::Pos2, size: f32, phase: Phase, color: Color32) {
    let painter = ui.painter();
    let half = size / 2.0;
    match phase {
        Phase::OnTime => {
            painter.circle_filled(center, half, color);
        }
        Phase::Warning => {
            let points = vec![
                center + vec2(0.0, -half),
                center + vec2(half, half),
                center + vec2(-half, half),
            ];
            painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
        }
        Phase::Danger => {
            painter.rect_filled(
                Rect::from_center_size(center, vec2(size, size) * 0.9),
                0.0,
                color,
            );
        }
        Phase::Overtime => {
            let stroke = Stroke::new(size * 0.25, color);
            painter.line_segment(
                [center + vec2(-half, -half), center + vec2(half, half)],
                stroke,
            );
            painter.line_segment(
                [center + vec2(-half, half), center + vec2(half, -half)],
                stroke,
            );
        }
    }
}

fn progress_ui(ui: &Ui, rect: Rect, elapsed: f32, total: f32, color: Color32) {
    let track = Rect::from_center_size(
        rect.center(),
        vec2(rect.width() * 0.7, rect.height() * 0.35),
    );
    ui.painter()
        .with_clip_rect(track.expand(2.0).intersect(ui.clip_rect()))
        .rect_filled(track, track.height() / 2.0, theme::palette().track);
    let fraction = if total > 0.0 {
        (elapsed / total).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let filled = Rect::from_min_size(track.min, vec2(track.width() * fraction, track.height()));
    // A mesh of its own, as the countdown's digits are (see `countdown_ui`).
    ui.painter()
        .with_clip_rect(track.expand(2.0).intersect(ui.clip_rect()))
        .rect_filled(filled, track.height() / 2.0, color);
}

/// A title, as large as its band allows, never smaller than `floor` (the speakers' size, so
/// that a long title does not end up smaller than the names under it) nor than the minimum.
fn title_ui(ui: &mut Ui, rect: Rect, title: &str, floor: f32) {
    let size = rect.height() * 0.45;
    let min_size = floor.max(min_text(ui)).min(size);
    let galley = fit(
        ui,
        title,
        &FitStyle::new(
            theme::heading(size),
            theme::palette().text,
            min_size,
            Align::Center,
        )
        .balanced(),
        rect.size(),
    );
    place(ui, rect, galley, Align::Center);
}

/// The speakers, a line per affiliation. When they do not all fit at the smallest size, as
/// many as fit are named and the rest counted ("and 7 more"). Returns the size they are set
/// at.
fn people_ui(ui: &mut Ui, rect: Rect, talk: &Talk) -> f32 {
    if talk.speakers.is_empty() {
        return 0.0;
    }
    let min_size = min_text(ui);
    let size = (ui.max_rect().height() * 0.045)
        .min(rect.height() * 0.8)
        .max(min_size);
    let style = FitStyle::new(
        theme::body(size),
        theme::palette().secondary,
        min_size,
        Align::Center,
    )
    .keep_lines(0.6);
    let total = talk.speakers.len();
    let one_line_each = text::people_lines(&talk.speakers, total).join("\n");
    // A line per affiliation reads best; when that does not fit, the groups run on, wrapped,
    // which names more people in the same space, and those left out are counted.
    let (block, style) = if fits(ui, &one_line_each, &style, rect.size()) {
        (one_line_each, style)
    } else {
        let run_on = FitStyle::new(
            theme::body(size),
            theme::palette().secondary,
            min_size,
            Align::Center,
        )
        .balanced();
        let mut shown = total;
        let block = loop {
            let mut block = text::people_line(&talk.speakers[..shown]);
            if shown < total {
                block.push_str(&format!("   ·   and {} more", total - shown));
            }
            if shown <= 1 || fits(ui, &block, &run_on, rect.size()) {
                break block;
            }
            shown -= 1;
        };
        (block, run_on)
    };
    let galley = fit(ui, &block, &style, rect.size());
    let used = font_size(&galley);
    place(ui, rect, galley, Align::Center);
    used
}

fn secondary_ui(ui: &mut Ui, rect: Rect, text: &str, color: Color32) {
    if text.is_empty() {
        return;
    }
    let size = (ui.max_rect().height() * 0.04).min(rect.height() * 0.8);
    let galley = fit(
        ui,
        text,
        &FitStyle::new(theme::body(size), color, min_text(ui), Align::Center).max(size),
        rect.size(),
    );
    place(ui, rect, galley, Align::Center);
}

fn next_ui(ui: &mut Ui, rect: Rect, line: &str) {
    let separator_y = rect.top() + rect.height() * 0.1;
    ui.painter().line_segment(
        [
            pos2(rect.left() + rect.width() * 0.2, separator_y),
            pos2(rect.right() - rect.width() * 0.2, separator_y),
        ],
        Stroke::new(1.0, theme::palette().rule),
    );
    let inner = Rect::from_min_max(pos2(rect.left(), separator_y), rect.max);
    let size = (ui.max_rect().height() * 0.036).min(inner.height() * 0.8);
    let galley = fit(
        ui,
        line,
        &FitStyle::new(
            theme::body(size),
            theme::palette().secondary,
            min_text(ui),
            Align::Center,
        )
        .max(size),
        inner.size(),
    );
    place(ui, inner, galley, Align::Center);
}

/// The rest of the day's program, as rows of time and title.
fn agenda_ui(ui: &mut Ui, rect: Rect, view: &ProjectorView<'_, '_>, skip_next: bool) {
    let status = view.status;
    let next_id = status.next.as_ref().map(|next| &next.session.id);
    let upcoming: Vec<&AgendaEntry<'_>> = status
        .agenda
        .iter()
        .filter(|entry| entry.state == AgendaState::Upcoming)
        .filter(|entry| !(skip_next && Some(&entry.session.id) == next_id))
        .collect();
    if upcoming.is_empty() || rect.height() < 20.0 {
        return;
    }
    let row_height = (ui.max_rect().height() * 0.065).min(rect.height() / 2.0);
    let heading_height = row_height * 0.9;
    let rows = (((rect.height() - heading_height) / row_height).floor() as usize).max(1);
    let heading = match status.agenda_day {
        Some(day) if day != status.today => text::date(day),
        _ if status.live().is_some() || skip_next => "Later today".to_owned(),
        _ => "Today".to_owned(),
    };
    let heading_rect = Rect::from_min_size(rect.min, vec2(rect.width(), heading_height));
    let galley = fit(
        ui,
        &heading,
        &FitStyle::new(
            theme::heading(row_height * 0.55),
            theme::palette().dim,
            min_text(ui),
            Align::Center,
        )
        .max(row_height * 0.55),
        heading_rect.size(),
    );
    place(ui, heading_rect, galley, Align::Center);
    let column = Rect::from_min_max(
        pos2(rect.left() + rect.width() * 0.12, heading_rect.bottom()),
        pos2(rect.right() - rect.width() * 0.12, rect.bottom()),
    );
    let shown = upcoming.len().min(rows);
    for (index, entry) in upcoming.iter().take(shown).enumerate() {
        let session = entry.session;
        let row = Rect::from_min_size(
            pos2(column.left(), column.top() + row_height * index as f32),
            vec2(column.width(), row_height),
        );
        let more = upcoming.len() - shown;
        if index + 1 == shown && more > 0 {
            let galley = fit(
                ui,
                &format!("and {} more", more + 1),
                &FitStyle::new(
                    theme::body(row_height * 0.55),
                    theme::palette().dim,
                    min_text(ui),
                    Align::Min,
                )
                .max(row_height * 0.55),
                row.size(),
            );
            place(ui, row, galley, Align::Min);
            break;
        }
        let time = theme::time_of_day(session.start, status.time_zone);
        let time_galley = fit(
            ui,
            &time,
            &FitStyle::new(
                theme::digits(row_height * 0.55),
                theme::palette().dim,
                min_text(ui),
                Align::Min,
            )
            .max(row_height * 0.55),
            vec2(row.width() * 0.2, row.height()),
        );
        let time_width = row_height * 3.2;
        place(
            ui,
            Rect::from_min_size(row.min, vec2(time_width, row.height())),
            time_galley,
            Align::Min,
        );
        let mut title = session.display_title().to_owned();
        if let Some(location) = text::place(session, entry.venue_wide) {
            title.push_str(&format!("  ·  {location}"));
        }
        let title_rect = Rect::from_min_max(pos2(row.left() + time_width, row.top()), row.max);
        let galley = fit(
            ui,
            &title,
            &FitStyle::new(
                theme::body(row_height * 0.55),
                theme::palette().secondary,
                min_text(ui),
                Align::Min,
            )
            .max(row_height * 0.55),
            vec2(title_rect.width(), row.height()),
        );
        place(ui, title_rect, galley, Align::Min);
    }
}

fn talk_line(talk: &Talk) -> String {
    let names: Vec<&str> = talk
        .speakers
        .iter()
        .map(|person| person.name.as_str())
        .collect();
    if names.is_empty() {
        talk.title.clone()
    } else {
        format!("{}  —  {}", talk.title, text::join_names(&names))
    }
}

/// A message to the speaker, drawn over the lower part of the screen in large type.
pub fn message_ui(ui: &mut Ui, message: &str) {
    let screen = ui.max_rect();
    let area = Rect::from_min_max(
        pos2(
            screen.left() + screen.width() * 0.04,
            screen.top() + screen.height() * 0.5,
        ),
        pos2(
            screen.right() - screen.width() * 0.04,
            screen.bottom() - screen.height() * 0.05,
        ),
    );
    ui.painter()
        .rect_filled(area, screen.height() * 0.02, theme::palette().message);
    let inner = area.shrink(screen.height() * 0.03);
    let size = inner.height() * 0.5;
    let galley = fit(
        ui,
        message,
        &FitStyle::new(
            theme::heading(size),
            Color32::BLACK,
            min_text(ui),
            Align::Center,
        )
        .max(size),
        inner.size(),
    );
    place(ui, inner, galley, Align::Center);
}
