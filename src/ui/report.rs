//! The chair view's "today so far": today's papers, planned against what happened, drawn from
//! rows computed by [`crate::planned::today_rows`]. No schedule logic here.

use eframe::egui::{self, RichText, Ui};

use super::theme;
use crate::planned::TodayRow;

/// The widest title shown, in characters: the table shares the chair view with the controls.
const MAX_TITLE_CHARS: usize = 48;

/// Draws today's planned against actual so far, one paper a line.
pub fn planned_actual_ui(ui: &mut Ui, rows: &[TodayRow]) {
    ui.label(RichText::new("Today so far: planned against actual").strong());
    if rows.is_empty() {
        ui.label(RichText::new("Nothing has been due yet today.").color(theme::palette().dim));
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("planned-actual")
        .max_height(220.0)
        .show(ui, |ui| {
            egui::Grid::new("planned-actual-grid")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for heading in ["Paper", "Planned", "Actual", "Overrun"] {
                        ui.label(RichText::new(heading).color(theme::palette().dim));
                    }
                    ui.end_row();
                    for row in rows {
                        let title = if row.title.chars().count() > MAX_TITLE_CHARS {
                            let mut cut: String =
                                row.title.chars().take(MAX_TITLE_CHARS - 1).collect();
                            cut.push('…');
                            cut
                        } else {
                            row.title.clone()
                        };
                        ui.label(title).on_hover_text(&row.title);
                        ui.label(RichText::new(&row.planned).monospace());
                        ui.label(RichText::new(&row.actual).monospace());
                        let color = if row.late {
                            theme::palette().overtime
                        } else {
                            theme::palette().text
                        };
                        ui.label(RichText::new(&row.overrun).monospace().color(color));
                        ui.end_row();
                    }
                });
        });
}
