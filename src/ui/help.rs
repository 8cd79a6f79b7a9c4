//! The help overlay: every keyboard shortcut.

use eframe::egui::{Align, Color32, Rect, Ui, pos2, vec2};

use super::fit::{FitStyle, fit, place};
use super::keys::shortcuts;
use super::theme;
use crate::config::PresetMessage;

/// Draws the list of shortcuts over whatever is in `ui`.
pub fn help_ui(ui: &mut Ui, messages: &[PresetMessage]) {
    let rows_shown = shortcuts(messages);
    let screen = ui.max_rect();
    ui.painter()
        .rect_filled(screen, 0.0, Color32::from_black_alpha(225));
    let panel = Rect::from_center_size(
        screen.center(),
        vec2(screen.width() * 0.8, screen.height() * 0.9),
    );
    let rows = rows_shown.len() + 1;
    let row_height = panel.height() / (rows as f32 + 0.5);
    let size = (row_height * 0.55).min(40.0);
    let title_rect = Rect::from_min_size(panel.min, vec2(panel.width(), row_height * 1.2));
    let galley = fit(
        ui,
        "Keyboard shortcuts",
        &FitStyle::new(
            theme::heading(size * 1.2),
            theme::palette().text,
            8.0,
            Align::Center,
        )
        .max(size * 1.2),
        title_rect.size(),
    );
    place(ui, title_rect, galley, Align::Center);
    let key_width = panel.width() * 0.28;
    for (index, (keys, meaning)) in rows_shown.iter().enumerate() {
        let top = title_rect.bottom() + row_height * index as f32;
        let key_rect =
            Rect::from_min_size(pos2(panel.left(), top), vec2(key_width - size, row_height));
        let galley = fit(
            ui,
            keys,
            &FitStyle::new(
                theme::digits(size),
                theme::palette().warning,
                8.0,
                Align::Max,
            )
            .max(size),
            key_rect.size(),
        );
        place(ui, key_rect, galley, Align::Max);
        let meaning_rect = Rect::from_min_size(
            pos2(panel.left() + key_width, top),
            vec2(panel.width() - key_width, row_height),
        );
        let galley = fit(
            ui,
            meaning,
            &FitStyle::new(theme::body(size), theme::palette().text, 8.0, Align::Min).max(size),
            meaning_rect.size(),
        );
        place(ui, meaning_rect, galley, Align::Min);
    }
}
