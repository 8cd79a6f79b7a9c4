//! Text that fits itself to a box: it wraps, and shrinks until it fits; it never clips or
//! overlaps what is next to it.
//!
//! Every size egui lays text out at puts that text's glyphs into its glyph atlas, so trying
//! sizes one after another would fill the atlas with glyphs that are never shown (tens of
//! megabytes, and more texture to upload). Instead, all measuring is done at one reference
//! size: text at size `s` wrapped to width `w` lays out like text at the reference size `r`
//! wrapped to `w * r / s`, scaled by `s / r`. Only the chosen size is laid out for real.

use std::sync::Arc;

use eframe::egui::{self, Align, Color32, FontFamily, FontId, Galley, Ui, Vec2, text::LayoutJob};

/// The size at which text is measured.
const REFERENCE_SIZE: f32 = 24.0;

/// How a text that fits itself is set: the family, the size range, the colour, the alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct FitStyle {
    /// The family, at the largest size allowed.
    pub font: FontId,
    /// The smallest size; below it the text is cut with an ellipsis.
    pub min_size: f32,
    /// The colour.
    pub color: Color32,
    /// Left, centred or right.
    pub align: Align,
    /// Keep each line of the text on one row as long as that allows a size of at least this
    /// fraction of the largest size; wrap only below it. Names of speakers read better on one
    /// line than with an affiliation broken in two.
    pub keep_lines_down_to: Option<f32>,
    /// Make wrapped rows about equally long, rather than leaving one word on the last row.
    pub balance: bool,
}

impl FitStyle {
    /// A style whose largest size is `font`'s size.
    pub fn new(font: FontId, color: Color32, min_size: f32, align: Align) -> Self {
        FitStyle {
            font,
            min_size,
            color,
            align,
            keep_lines_down_to: None,
            balance: false,
        }
    }

    /// The same style with another largest size.
    pub fn max(mut self, max_size: f32) -> Self {
        self.font.size = max_size;
        self
    }

    /// The same style, keeping lines whole down to `fraction` of the largest size.
    pub fn keep_lines(mut self, fraction: f32) -> Self {
        self.keep_lines_down_to = Some(fraction);
        self
    }

    /// The same style, with wrapped rows balanced.
    pub fn balanced(mut self) -> Self {
        self.balance = true;
        self
    }
}

fn layout(
    ui: &Ui,
    text: &str,
    family: &FontFamily,
    size: f32,
    color: Color32,
    wrap_width: f32,
    align: Align,
) -> Arc<Galley> {
    let mut job = LayoutJob::simple(
        text.to_owned(),
        FontId::new(size, family.clone()),
        color,
        wrap_width,
    );
    job.halign = align;
    ui.fonts_mut(|fonts| fonts.layout_job(job))
}

/// The largest size at which `text` fits `area` when wrapped to its width, between the
/// style's smallest and largest sizes. Below the smallest size the text is cut with an
/// ellipsis instead.
pub fn fit(ui: &Ui, text: &str, style: &FitStyle, area: Vec2) -> Arc<Galley> {
    let galley = fit_unrecorded(ui, text, style, area);
    if !text.trim().is_empty() {
        record_size(ui, font_size(&galley));
    }
    galley
}

/// The size a fitted galley is set at.
pub fn font_size(galley: &Galley) -> f32 {
    galley
        .job
        .sections
        .first()
        .map_or(0.0, |section| section.format.font_id.size)
}

/// Whether `text` fits `area` at the style's smallest size or larger, without being cut.
pub fn fits(ui: &Ui, text: &str, style: &FitStyle, area: Vec2) -> bool {
    chosen_size(ui, text, style, area).is_some()
}

/// The size `text` is set at in `area`, and whether it wraps: whole lines if the style keeps
/// them and that allows its size, else wrapped; `None` when even the smallest size needs a
/// cut.
fn chosen_size(ui: &Ui, text: &str, style: &FitStyle, area: Vec2) -> Option<(f32, bool)> {
    // A window can be tiny for a frame (while it opens or is resized); fonts need a size.
    let max_size = style.font.size.max(1.0);
    let min_size = style.min_size.min(max_size).max(1.0);
    let family = &style.font.family;
    let unwrapped_size = style.keep_lines_down_to.and_then(|fraction| {
        largest_size(
            ui,
            text,
            family,
            area,
            (max_size * fraction).max(min_size),
            max_size,
            false,
        )
    });
    match unwrapped_size {
        Some(size) => Some((size, false)),
        None => {
            largest_size(ui, text, family, area, min_size, max_size, true).map(|size| (size, true))
        }
    }
}

/// The key under which a frame's smallest text size is kept, for the readability checks.
fn smallest_id() -> egui::Id {
    egui::Id::unique("lectern-smallest-text")
}

fn record_size(ui: &Ui, size: f32) {
    ui.ctx().data_mut(|data| {
        let smallest = data.get_temp_mut_or(smallest_id(), f32::INFINITY);
        *smallest = smallest.min(size);
    });
}

/// Forgets the smallest text size seen so far; a view calls it before it draws.
pub fn reset_smallest_size(ctx: &egui::Context) {
    ctx.data_mut(|data| data.insert_temp(smallest_id(), f32::INFINITY));
}

/// The smallest size any fitted text was set at since [`reset_smallest_size`]: what the
/// back row has to read.
pub fn smallest_size(ctx: &egui::Context) -> f32 {
    ctx.data(|data| data.get_temp(smallest_id()).unwrap_or(f32::INFINITY))
}

fn fit_unrecorded(ui: &Ui, text: &str, style: &FitStyle, area: Vec2) -> Arc<Galley> {
    let min_size = style.min_size.min(style.font.size.max(1.0)).max(1.0);
    let family = &style.font.family;
    let Some((size, wrap)) = chosen_size(ui, text, style, area) else {
        return elided(ui, text, style, area, min_size);
    };
    // Measuring at the reference size is exact up to rounding; shrink a little if the real
    // layout comes out a hair too large.
    let mut size = size;
    for _ in 0..4 {
        let galley = layout(
            ui,
            text,
            family,
            size,
            style.color,
            if wrap { area.x } else { f32::INFINITY },
            style.align,
        );
        let fits = galley.size().x <= area.x + 0.5 && galley.size().y <= area.y + 0.5;
        if fits || size <= min_size {
            return if style.balance && wrap {
                balance(ui, text, style, size, galley)
            } else {
                galley
            };
        }
        size = (size * 0.97).floor().max(min_size);
    }
    elided(ui, text, style, area, min_size)
}

/// Even the smallest size does not fit: cut the text where the box ends.
fn elided(ui: &Ui, text: &str, style: &FitStyle, area: Vec2, min_size: f32) -> Arc<Galley> {
    let font = FontId::new(min_size, style.font.family.clone());
    let row_height = ui.fonts_mut(|fonts| fonts.row_height(&font));
    let mut job = LayoutJob::simple(text.to_owned(), font, style.color, area.x.max(1.0));
    job.halign = style.align;
    job.wrap.max_rows = ((area.y / row_height.max(1.0)).floor() as usize).max(1);
    job.wrap.break_anywhere = true;
    ui.fonts_mut(|fonts| fonts.layout_job(job))
}

/// The largest whole size between `min_size` and `max_size` at which the text fits `area`,
/// wrapped to its width or, with `wrap` false, keeping each line whole; measured at the
/// reference size.
fn largest_size(
    ui: &Ui,
    text: &str,
    family: &FontFamily,
    area: Vec2,
    min_size: f32,
    max_size: f32,
    wrap: bool,
) -> Option<f32> {
    if area.x <= 1.0 || area.y <= 1.0 {
        return None;
    }
    let measure = |size: f32| {
        layout(
            ui,
            text,
            family,
            REFERENCE_SIZE,
            Color32::WHITE,
            if wrap {
                area.x * REFERENCE_SIZE / size
            } else {
                f32::INFINITY
            },
            Align::Min,
        )
    };
    // A word wider than the box would be broken in the middle: never allow that.
    let widest_word = if wrap {
        text.split_whitespace()
            .map(|word| {
                layout(
                    ui,
                    word,
                    family,
                    REFERENCE_SIZE,
                    Color32::WHITE,
                    f32::INFINITY,
                    Align::Min,
                )
                .size()
                .x
            })
            .fold(0.0_f32, f32::max)
    } else {
        0.0
    };
    let fits = |size: f32| {
        let scale = size / REFERENCE_SIZE;
        let galley = measure(size);
        galley.size().y * scale <= area.y
            && galley.size().x * scale <= area.x + 0.5
            && widest_word * scale <= area.x
    };
    if fits(max_size) {
        return Some(max_size);
    }
    if !fits(min_size) {
        return None;
    }
    let (mut low, mut high) = (min_size, max_size);
    while high - low > 1.0 {
        let middle = ((low + high) / 2.0).floor();
        if middle <= low {
            break;
        }
        if fits(middle) {
            low = middle;
        } else {
            high = middle;
        }
    }
    Some(low)
}

/// The same text at the same size, wrapped at the narrowest width that keeps its number of
/// rows: "The NIC Is the Hypervisor: / Bare-Metal Guests in IaaS Clouds" instead of a last
/// row with a single word.
fn balance(ui: &Ui, text: &str, style: &FitStyle, size: f32, galley: Arc<Galley>) -> Arc<Galley> {
    let rows = galley.rows.len();
    if rows < 2 {
        return galley;
    }
    let family = &style.font.family;
    let scale = size / REFERENCE_SIZE;
    let rows_at = |width: f32| {
        layout(
            ui,
            text,
            family,
            REFERENCE_SIZE,
            Color32::WHITE,
            width / scale,
            Align::Min,
        )
        .rows
        .len()
    };
    let (mut low, mut high) = (galley.size().x / rows as f32, galley.size().x + 1.0);
    for _ in 0..8 {
        let middle = ((low + high) / 2.0).round();
        if rows_at(middle) == rows {
            high = middle;
        } else {
            low = middle;
        }
    }
    let balanced = layout(ui, text, family, size, style.color, high, style.align);
    if balanced.rows.len() == rows {
        balanced
    } else {
        galley
    }
}

/// Paints a fitted galley in `rect` and registers it as a label, so that screen readers and
/// UI tests see it too. `align` positions it horizontally; it is centred vertically.
pub fn place(ui: &mut Ui, rect: egui::Rect, galley: Arc<Galley>, align: Align) {
    let size = galley.size();
    let x = match align {
        Align::Min => rect.left(),
        Align::Center => rect.center().x - size.x / 2.0,
        Align::Max => rect.right() - size.x,
    };
    let top_left = egui::pos2(x, rect.center().y - size.y / 2.0);
    let response = ui.allocate_rect(
        egui::Rect::from_min_size(top_left, size),
        egui::Sense::hover(),
    );
    let text = galley.text().to_owned();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &text));
    // A centred galley is laid out around x = 0, so its own rectangle starts left of its origin.
    ui.painter().galley(
        top_left - galley.rect.min.to_vec2(),
        galley,
        Color32::PLACEHOLDER,
    );
}

/// The bounding box of the ink of a galley's glyphs, relative to the galley's origin: tighter
/// than the galley's rows, which include the font's ascent and descent.
pub fn ink_rect(galley: &Galley) -> Option<egui::Rect> {
    galley
        .rows
        .iter()
        .flat_map(|row| row.glyphs.iter().filter_map(|glyph| glyph_ink(row, glyph)))
        .reduce(|ink, rect| ink.union(rect))
}

/// The box of one glyph's ink, relative to the galley's origin; `None` for white space and
/// glyphs without a bitmap.
fn glyph_ink(
    row: &egui::epaint::text::PlacedRow,
    glyph: &egui::epaint::text::Glyph,
) -> Option<egui::Rect> {
    if glyph.chr.is_whitespace() || glyph.uv_rect.is_nothing() {
        return None;
    }
    let min = row.pos + glyph.pos.to_vec2() + glyph.uv_rect.offset;
    Some(egui::Rect::from_min_size(min, glyph.uv_rect.size))
}

/// Sets `text` as large as fits `rect` by the size of its ink, not of its line box: the big
/// digits of a countdown, which have no descenders and no accents. The ink is centred in
/// `rect`, and registered as a label for screen readers and tests.
///
/// Size and position come from the text with every digit replaced by 0, so that "09:57" and
/// "09:58" are set at the same size in the same place: with a font of equal-width digits the
/// countdown then neither grows, shrinks nor shifts from one second to the next.
///
/// Each character is painted as a mesh of its own (with a clip rect of its own), at exactly the
/// pixels it has in the whole line. A renderer that keeps meshes from frame to frame (the CPU
/// one) then redraws only the digit that changed, a fifth of the countdown most seconds.
pub fn place_by_ink(
    ui: &mut Ui,
    rect: egui::Rect,
    text: &str,
    family: &FontFamily,
    color: Color32,
    letter_spacing: f32,
) {
    place_by_ink_as(
        ui,
        rect,
        text,
        family,
        color,
        letter_spacing,
        Painting::Pieces,
    );
}

/// How [`place_by_ink`] paints the line.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Painting {
    /// A mesh per character ([`paint_by_glyph`]).
    Pieces,
    /// One mesh: what the pieces must add up to.
    #[cfg_attr(not(test), allow(dead_code))]
    Whole,
}

fn place_by_ink_as(
    ui: &mut Ui,
    rect: egui::Rect,
    text: &str,
    family: &FontFamily,
    color: Color32,
    letter_spacing: f32,
    painting: Painting,
) {
    let layout = |text: &str, size: f32| {
        let mut job = LayoutJob::default();
        job.append(
            text,
            0.0,
            egui::TextFormat {
                font_id: FontId::new(size, family.clone()),
                color,
                extra_letter_spacing: letter_spacing * size,
                ..Default::default()
            },
        );
        ui.fonts_mut(|fonts| fonts.layout_job(job))
    };
    let template: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect();
    // The ink grows in proportion to the size, plus about a pixel of anti-aliased fringe that
    // does not grow. One measurement at a moderate size (small sizes are distorted by hinting)
    // gives the proportion, and the size that fills `rect` follows without laying out the big
    // digits at trial sizes, each of which would take its own room in the glyph atlas.
    const REFERENCE: f32 = 96.0;
    const FRINGE: f32 = 1.0;
    let Some(reference) = ink_rect(&layout(&template, REFERENCE)) else {
        return;
    };
    let per_point = |ink: f32| (ink - FRINGE).max(1.0) / REFERENCE;
    let size = ((rect.width() - FRINGE) / per_point(reference.width()))
        .min((rect.height() - FRINGE) / per_point(reference.height()));
    if !size.is_finite() || size <= 0.0 {
        return;
    }
    // Whole points, so that the same text lays out at the same size every frame.
    let size = size.floor().max(4.0);
    let Some(template_ink) = ink_rect(&layout(&template, size)) else {
        return;
    };
    let origin = rect.center() - template_ink.center().to_vec2();
    let galley = layout(text, size);
    match painting {
        Painting::Pieces => {
            paint_by_glyph(
                ui,
                origin,
                &galley,
                &|prefix: &str| layout(prefix, size),
                color,
            );
        }
        Painting::Whole => ui.painter().galley(origin, galley, color),
    }
    let response = ui.allocate_rect(
        template_ink.translate(origin.to_vec2()),
        egui::Sense::hover(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
}

/// Paints a one-line `galley` at `origin` as one mesh per visible character: the piece of the
/// line from where that character's ink starts to where the ink of the characters after it
/// starts, drawn from the text up to and including it. A character's piece thus changes only
/// when it or one before it does, and since no piece reaches the ink of a character it does
/// not draw, the pieces together give exactly the pixels of the whole line.
fn paint_by_glyph(
    ui: &Ui,
    origin: egui::Pos2,
    galley: &Arc<Galley>,
    layout: &dyn Fn(&str) -> Arc<Galley>,
    color: Color32,
) {
    let painter = ui.painter();
    let [row] = galley.rows.as_slice() else {
        painter.galley(origin, galley.clone(), color);
        return;
    };
    let inked: Vec<(usize, egui::Rect)> = row
        .glyphs
        .iter()
        .enumerate()
        .filter_map(|(index, glyph)| {
            glyph_ink(row, glyph).map(|ink| (index, ink.translate(origin.to_vec2())))
        })
        .collect();
    // Piece boundaries on whole pixels, so that no column is drawn by two pieces. A piece
    // ends where the leftmost ink of the characters after it begins (rounded down): with
    // overlapping glyphs, the overlap belongs to the later piece, which draws both.
    let pixels_per_point = ui.pixels_per_point();
    let clip = painter.clip_rect();
    let mut starts_after: Vec<f32> = vec![clip.right(); inked.len()];
    for position in (0..inked.len().saturating_sub(1)).rev() {
        let next_ink = inked[position + 1].1.left();
        starts_after[position] = starts_after[position + 1].min(next_ink);
    }
    let mut left = clip.left();
    for (position, &(index, _)) in inked.iter().enumerate() {
        let right = if position + 1 == inked.len() {
            clip.right()
        } else {
            ((starts_after[position] * pixels_per_point).floor() / pixels_per_point).max(left)
        };
        let prefix: String = row.glyphs[..=index].iter().map(|glyph| glyph.chr).collect();
        let piece = egui::Rect::from_x_y_ranges(left..=right, clip.y_range());
        painter
            .with_clip_rect(piece.intersect(clip))
            .galley(origin, layout(&prefix), color);
        left = right;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Pos2, Rect, vec2};
    use egui_software_backend::{BufferMutRef, ColorFieldOrder, EguiSoftwareRender};

    const WIDTH: usize = 400;
    const HEIGHT: usize = 100;

    /// `text` set by ink as the countdown is, painted one way, as the CPU renderer draws it.
    fn pixels(
        context: &egui::Context,
        renderer: &mut EguiSoftwareRender,
        text: &str,
        letter_spacing: f32,
        painting: Painting,
    ) -> Vec<[u8; 4]> {
        let points = vec2(WIDTH as f32, HEIGHT as f32) / context.pixels_per_point();
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, points)),
            max_texture_side: Some(2048),
            ..Default::default()
        };
        let mut output = context.run_ui(input, |ui| {
            let rect = ui.max_rect().shrink(7.3);
            let family = FontFamily::Proportional;
            place_by_ink_as(
                ui,
                rect,
                text,
                &family,
                Color32::WHITE,
                letter_spacing,
                painting,
            );
        });
        let primitives = context.tessellate(output.shapes, output.pixels_per_point);
        renderer.render_to_canvas(
            WIDTH,
            HEIGHT,
            &primitives,
            &output.textures_delta,
            output.pixels_per_point,
        );
        output.textures_delta.clear();
        let mut pixels = vec![[0; 4]; WIDTH * HEIGHT];
        let mut buffer = BufferMutRef::new(&mut pixels, WIDTH, HEIGHT);
        renderer.blit_canvas_region(&mut buffer, [0, 0, WIDTH, HEIGHT]);
        pixels
    }

    #[test]
    fn the_pieces_of_a_line_give_exactly_the_pixels_of_the_whole_line() {
        // The countdown's tight spacing, and glyphs pushed into each other (their inks
        // overlap); with a space; at a whole and a fractional scale.
        for pixels_per_point in [1.0, 1.75] {
            for letter_spacing in [-0.04, -0.3] {
                for text in ["+12:34", "1 1"] {
                    let context = egui::Context::default();
                    context.set_pixels_per_point(pixels_per_point);
                    let mut renderer = EguiSoftwareRender::new(ColorFieldOrder::Bgra);
                    // egui lays out the first frame without painting it.
                    let _ = pixels(
                        &context,
                        &mut renderer,
                        text,
                        letter_spacing,
                        Painting::Whole,
                    );
                    let whole = pixels(
                        &context,
                        &mut renderer,
                        text,
                        letter_spacing,
                        Painting::Whole,
                    );
                    let inked = whole.iter().filter(|pixel| pixel[..3] != [0, 0, 0]).count();
                    assert!(inked > 300, "{text:?} drew almost nothing: {inked} pixels");
                    let pieces = pixels(
                        &context,
                        &mut renderer,
                        text,
                        letter_spacing,
                        Painting::Pieces,
                    );
                    let differing = whole.iter().zip(&pieces).filter(|(a, b)| a != b).count();
                    assert_eq!(
                        differing, 0,
                        "{text:?} at {pixels_per_point}x, spacing {letter_spacing}: \
                         {differing} pixels differ"
                    );
                }
            }
        }
    }
}
