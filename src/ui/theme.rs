//! Colours and fonts.

use std::sync::Arc;

use eframe::egui::{self, Color32, FontData, FontDefinitions, FontFamily, FontId};

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

/// The projector's background: near black, which projectors show as dark grey at worst.
pub const BACKGROUND: Color32 = Color32::from_rgb(10, 12, 16);
/// Main text.
pub const TEXT: Color32 = Color32::from_rgb(245, 246, 248);
/// Secondary text: speakers, the session line.
pub const SECONDARY: Color32 = Color32::from_rgb(190, 196, 206);
/// Tertiary text: labels, the header.
pub const DIM: Color32 = Color32::from_rgb(140, 148, 160);
/// On time.
pub const ON_TIME: Color32 = Color32::from_rgb(110, 220, 140);
/// Warning.
pub const WARNING: Color32 = Color32::from_rgb(255, 200, 60);
/// Danger.
pub const DANGER: Color32 = Color32::from_rgb(255, 120, 40);
/// Overtime.
pub const OVERTIME: Color32 = Color32::from_rgb(255, 70, 70);
/// Neutral countdowns (to the next item, to the start of the event).
pub const NEUTRAL: Color32 = Color32::from_rgb(120, 190, 255);
/// The background of notices that say the screen may be wrong.
pub const NOTICE: Color32 = Color32::from_rgb(255, 190, 60);
/// The background of error notices.
pub const ERROR: Color32 = Color32::from_rgb(230, 60, 60);
/// The background of a message to the speaker.
pub const MESSAGE: Color32 = Color32::from_rgb(255, 214, 10);

/// The colour of a phase.
pub fn phase_color(phase: Phase) -> Color32 {
    match phase {
        Phase::OnTime => ON_TIME,
        Phase::Warning => WARNING,
        Phase::Danger => DANGER,
        Phase::Overtime => OVERTIME,
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
