//! Colours and fonts.

use std::sync::Arc;

use eframe::egui::{self, Color32, FontData, FontDefinitions, FontFamily, FontId};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::{Appearance, ClockFormat, Rgb, ThemeName};
use crate::timing::Phase;

/// The family of the countdown and the clocks: digits of equal width, so they never jitter.
pub const DIGITS: &str = "digits";
/// The family of titles.
pub const HEADING: &str = "heading";

/// Installs the embedded fonts: Inter for text, JetBrains Mono for digits.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    let embedded: [(&str, &'static [u8]); 3] = [
        ("Inter-Regular", crate::assets::INTER_REGULAR),
        ("Inter-SemiBold", crate::assets::INTER_SEMIBOLD),
        ("JetBrainsMono-Bold", crate::assets::DIGITS_FONT),
    ];
    for (name, bytes) in embedded {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    // egui's own fonts stay behind ours as fallbacks for characters Inter lacks.
    let fallbacks = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let with_fallbacks = |first: &[&str]| -> Vec<String> {
        first
            .iter()
            .map(|name| (*name).to_owned())
            .chain(fallbacks.iter().cloned())
            .collect()
    };
    fonts
        .families
        .insert(FontFamily::Proportional, with_fallbacks(&["Inter-Regular"]));
    fonts.families.insert(
        FontFamily::Name(HEADING.into()),
        with_fallbacks(&["Inter-SemiBold"]),
    );
    fonts.families.insert(
        FontFamily::Name(DIGITS.into()),
        with_fallbacks(&["JetBrainsMono-Bold", "Inter-SemiBold"]),
    );
    ctx.set_fonts(fonts);
}

/// A font of the digits family.
pub fn digits(size: f32) -> FontId {
    FontId::new(size, FontFamily::Name(DIGITS.into()))
}

/// A font of the heading family.
pub fn heading(size: f32) -> FontId {
    FontId::new(size, FontFamily::Name(HEADING.into()))
}

/// A font of the body family.
pub fn body(size: f32) -> FontId {
    FontId::new(size, FontFamily::Proportional)
}

/// The colours of one theme. Views take them from [`palette`], never from constants, so that
/// the configuration's theme and accent reach every screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The projector's background.
    pub background: Color32,
    /// Main text.
    pub text: Color32,
    /// Secondary text: speakers, the session line.
    pub secondary: Color32,
    /// Tertiary text: labels, the header.
    pub dim: Color32,
    /// On time.
    pub on_time: Color32,
    /// Warning.
    pub warning: Color32,
    /// Danger.
    pub danger: Color32,
    /// Overtime.
    pub overtime: Color32,
    /// Neutral countdowns (to the next item, to the start of the event): the accent colour.
    pub neutral: Color32,
    /// The background of notices that say the screen may be wrong.
    pub notice: Color32,
    /// The background of error notices.
    pub error: Color32,
    /// The background of a message to the speaker.
    pub message: Color32,
    /// The track behind a progress bar.
    pub track: Color32,
    /// Thin rules between parts of the screen.
    pub rule: Color32,
    /// The background of a room's card on the hallway screen.
    pub card: Color32,
    /// The background of a highlighted line (a message on the hallway screen).
    pub highlight: Color32,
}

impl Palette {
    /// Light text on near black, which projectors show as dark grey at worst.
    pub const DARK: Palette = Palette {
        background: Color32::from_rgb(10, 12, 16),
        text: Color32::from_rgb(245, 246, 248),
        secondary: Color32::from_rgb(190, 196, 206),
        dim: Color32::from_rgb(140, 148, 160),
        on_time: Color32::from_rgb(110, 220, 140),
        warning: Color32::from_rgb(255, 200, 60),
        danger: Color32::from_rgb(255, 120, 40),
        overtime: Color32::from_rgb(255, 70, 70),
        neutral: Color32::from_rgb(120, 190, 255),
        notice: Color32::from_rgb(255, 190, 60),
        error: Color32::from_rgb(230, 60, 60),
        message: Color32::from_rgb(255, 214, 10),
        track: Color32::from_gray(40),
        rule: Color32::from_gray(60),
        card: Color32::from_rgb(22, 25, 32),
        highlight: Color32::from_rgb(40, 34, 12),
    };

    /// Dark text on off-white, for bright rooms; the phase colours are darkened to keep at
    /// least 4.5:1 contrast against the background.
    pub const LIGHT: Palette = Palette {
        background: Color32::from_rgb(250, 250, 247),
        text: Color32::from_rgb(18, 20, 24),
        secondary: Color32::from_rgb(52, 58, 68),
        dim: Color32::from_rgb(88, 95, 108),
        on_time: Color32::from_rgb(0, 118, 56),
        warning: Color32::from_rgb(150, 96, 0),
        danger: Color32::from_rgb(186, 66, 0),
        overtime: Color32::from_rgb(196, 16, 16),
        neutral: Color32::from_rgb(0, 84, 180),
        notice: Color32::from_rgb(255, 190, 60),
        error: Color32::from_rgb(200, 30, 30),
        message: Color32::from_rgb(255, 214, 10),
        track: Color32::from_gray(214),
        rule: Color32::from_gray(190),
        card: Color32::from_rgb(236, 238, 242),
        highlight: Color32::from_rgb(255, 240, 196),
    };

    /// White on black with the most saturated phase colours: for the back of a large hall
    /// and for readers who need the strongest contrast.
    pub const HIGH_CONTRAST: Palette = Palette {
        background: Color32::BLACK,
        text: Color32::WHITE,
        secondary: Color32::from_gray(235),
        dim: Color32::from_gray(205),
        on_time: Color32::from_rgb(0, 255, 120),
        warning: Color32::from_rgb(255, 230, 0),
        danger: Color32::from_rgb(255, 150, 0),
        overtime: Color32::from_rgb(255, 50, 50),
        neutral: Color32::from_rgb(90, 210, 255),
        notice: Color32::from_rgb(255, 220, 0),
        error: Color32::from_rgb(255, 40, 40),
        message: Color32::from_rgb(255, 230, 0),
        track: Color32::from_gray(80),
        rule: Color32::from_gray(130),
        card: Color32::from_gray(18),
        highlight: Color32::from_rgb(64, 54, 0),
    };

    /// The palette of a theme, with its accent colour replaced when one is set.
    pub fn of(theme: ThemeName, accent: Option<Rgb>) -> Palette {
        let mut palette = match theme {
            ThemeName::Dark => Palette::DARK,
            ThemeName::Light => Palette::LIGHT,
            ThemeName::HighContrast => Palette::HIGH_CONTRAST,
        };
        if let Some(Rgb([red, green, blue])) = accent {
            palette.neutral = Color32::from_rgb(red, green, blue);
        }
        palette
    }
}

/// How one frame is drawn: its colours and its times of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    theme: ThemeName,
    palette: Palette,
    clock: ClockFormat,
}

thread_local! {
    // egui draws every view of a window on one thread, and each frame begins by setting the
    // look from the room's settings (`set_look`). Keeping it here, rather than passing it to
    // every drawing function, lets the helpers that lay out a line ask for a colour the way
    // they ask for a font.
    static LOOK: std::cell::Cell<Look> = const {
        std::cell::Cell::new(Look {
            theme: ThemeName::Dark,
            palette: Palette::DARK,
            clock: ClockFormat::TwentyFourHour,
        })
    };
}

/// Sets the look of the frames drawn on this thread from the room's settings. Returns whether
/// the theme changed (egui's own widgets then need their visuals set: [`visuals`]).
pub fn set_look(appearance: &Appearance) -> bool {
    let look = Look {
        theme: appearance.theme,
        palette: Palette::of(appearance.theme, appearance.accent),
        clock: appearance.clock,
    };
    LOOK.with(|cell| cell.replace(look)).theme != look.theme
}

/// The colours of the frame being drawn.
pub fn palette() -> Palette {
    LOOK.with(|cell| cell.get().palette)
}

/// egui's own widgets (the chair view's buttons and fields) in the frame's theme.
pub fn visuals() -> egui::Visuals {
    match LOOK.with(|cell| cell.get().theme) {
        ThemeName::Light => egui::Visuals::light(),
        ThemeName::Dark | ThemeName::HighContrast => egui::Visuals::dark(),
    }
}

/// A time of day in the frame's clock format: `09:20` or `9:20 AM`.
pub fn time_of_day(instant: DateTime<Utc>, zone: Tz) -> String {
    LOOK.with(|cell| cell.get().clock)
        .time_of_day(instant, zone)
}

/// A time of day with its zone, in the frame's clock format: `09:20 MDT`.
pub fn time_with_zone(instant: DateTime<Utc>, zone: Tz) -> String {
    LOOK.with(|cell| cell.get().clock)
        .time_with_zone(instant, zone)
}

/// The colour of a phase.
pub fn phase_color(phase: Phase) -> Color32 {
    match phase {
        Phase::OnTime => palette().on_time,
        Phase::Warning => palette().warning,
        Phase::Danger => palette().danger,
        Phase::Overtime => palette().overtime,
    }
}

/// The word shown with a phase, so that it does not rely on colour alone.
pub fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::OnTime => "ON TIME",
        Phase::Warning => "WARNING",
        Phase::Danger => "WRAP UP",
        Phase::Overtime => "OVERTIME",
    }
}
