//! The window a view is drawn in, by either of two renderers: OpenGL through eframe, or the
//! CPU (egui_software_backend on winit and softbuffer).
//!
//! The CPU renderer exists for room computers without a GPU driver worth the name. There, GL
//! means Mesa's llvmpipe, which re-rasterises the whole screen for every frame and keeps LLVM's
//! code resident. The CPU renderer keeps each egui mesh rasterised from one frame to the next,
//! redraws only the 64-pixel tiles whose meshes changed, and sends only those tiles to the
//! window system: once a second that is the countdown's digits, not the screen.

use eframe::egui;

/// What a lectern window draws, whichever renderer draws it.
pub trait Screen: 'static {
    /// The colour under everything drawn.
    fn background(&self) -> egui::Color32;

    /// Draws one frame. `monitors` is how many monitors the window system reports, once it
    /// is known.
    fn ui(&mut self, ui: &mut egui::Ui, monitors: Option<usize>);
}

/// Which renderer draws the window: `[display] renderer` or `--renderer`.
pub use crate::config::Renderer;

/// egui makes its glyph atlas as wide as the largest texture the renderer allows; with
/// software GL that is 16384 pixels, and the big countdown digits then cost tens of megabytes
/// of atlas. 2048 is plenty for a handful of fonts and sizes.
fn limit_texture_side(raw_input: &mut egui::RawInput) {
    raw_input.max_texture_side = Some(raw_input.max_texture_side.unwrap_or(2048).min(2048));
}

/// A [`Screen`] drawn by eframe with OpenGL.
pub struct OnGl<S>(pub S);

impl<S: Screen> eframe::App for OnGl<S> {
    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        limit_texture_side(raw_input);
    }

    fn clear_color(&self, _visuals: &egui::Visuals) -> [f32; 4] {
        self.0.background().to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let monitors = frame
            .winit_window()
            .map(|window| window.available_monitors().count());
        self.0.ui(ui, monitors);
    }
}

/// A [`Screen`] drawn on the CPU. It is made when the window exists, which happens once on a
/// desktop; `None` only if the window system were to ask for a second one.
pub struct OnCpu<S>(pub Option<S>);

impl<S: Screen> egui_software_backend::App for OnCpu<S> {
    fn ui(&mut self, ui: &mut egui::Ui, backend: &mut egui_software_backend::SoftwareBackend) {
        if let Some(screen) = &mut self.0 {
            screen.ui(ui, backend.monitor_count());
        }
    }

    fn clear_color(&self) -> egui::Color32 {
        self.0
            .as_ref()
            .map_or(egui::Color32::BLACK, |screen| screen.background())
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        limit_texture_side(raw_input);
    }
}

/// Opens a window with `viewport` and runs it until it is closed. `start` makes the screen
/// once the window's egui context exists.
pub fn run<S: Screen>(
    renderer: Renderer,
    viewport: egui::ViewportBuilder,
    start: impl FnOnce(&egui::Context) -> S + 'static,
) -> Result<(), String> {
    match renderer {
        Renderer::Gl => {
            let native_options = eframe::NativeOptions {
                viewport,
                renderer: gl_renderer(),
                // Dithering adds noise against banding in gradients; the projector draws flat
                // colours only, and under software GL the noise is a good part of every pixel's
                // cost.
                dithering: false,
                ..Default::default()
            };
            eframe::run_native(
                "lectern",
                native_options,
                Box::new(|creation| Ok(Box::new(OnGl(start(&creation.egui_ctx))))),
            )
            .map_err(|error| error.to_string())
        }
        Renderer::Cpu => {
            let settings = egui_software_backend::SoftwareBackendAppConfiguration::new()
                .viewport_builder(viewport);
            let mut start = Some(start);
            egui_software_backend::run_app_with_software_backend(settings, move |ctx| {
                OnCpu(start.take().map(|start| start(&ctx)))
            })
            .map_err(|error| error.to_string())
        }
    }
}

/// glow idles at a fraction of wgpu's CPU cost under software rendering (see README); wgpu is
/// used only when built with the `wgpu` feature and asked for with `LECTERN_RENDERER=wgpu`.
fn gl_renderer() -> eframe::Renderer {
    #[cfg(feature = "wgpu")]
    if std::env::var("LECTERN_RENDERER").is_ok_and(|value| value == "wgpu") {
        return eframe::Renderer::Wgpu;
    }
    eframe::Renderer::Glow
}
