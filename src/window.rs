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
    let (renderer, reason) = choose_renderer(renderer);
    if std::env::var_os("LECTERN_REPORT_STARTUP").is_some() {
        eprintln!("lectern: renderer {} ({reason})", renderer.name());
    }
    // `choose_renderer` has already turned `Auto` into one of the two.
    match renderer {
        Renderer::Gl | Renderer::Auto => {
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

/// The renderer to use for `asked`, and why: `auto` is the CPU renderer where OpenGL would be
/// Mesa's software rasteriser, which costs four times as much CPU and more than twice the
/// memory (README, "What it costs"), and OpenGL elsewhere.
pub fn choose_renderer(asked: Renderer) -> (Renderer, &'static str) {
    match asked {
        Renderer::Gl => (Renderer::Gl, "asked for"),
        Renderer::Cpu => (Renderer::Cpu, "asked for"),
        Renderer::Auto => {
            // Mesa's reading of a boolean variable: "1", "true", "y" or "yes" is on.
            let forced = std::env::var("LIBGL_ALWAYS_SOFTWARE").is_ok_and(|value| {
                ["1", "true", "y", "yes"].contains(&value.trim().to_ascii_lowercase().as_str())
            });
            auto_renderer(cfg!(target_os = "linux"), has_gpu_render_node(), forced)
        }
    }
}

/// `auto`'s rule. On Linux a GPU driver shows itself as a render node (`/dev/dri/renderD128`);
/// without one, or with software rendering forced, OpenGL is Mesa's llvmpipe. Elsewhere the
/// system's OpenGL is taken to be the GPU's.
fn auto_renderer(
    linux: bool,
    render_node: bool,
    software_forced: bool,
) -> (Renderer, &'static str) {
    if !linux {
        (Renderer::Gl, "auto: OpenGL")
    } else if software_forced {
        (Renderer::Cpu, "auto: LIBGL_ALWAYS_SOFTWARE is on")
    } else if render_node {
        (Renderer::Gl, "auto: a GPU render node is in /dev/dri")
    } else {
        (
            Renderer::Cpu,
            "auto: no GPU render node in /dev/dri, so OpenGL would be software",
        )
    }
}

fn has_gpu_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_draws_on_the_cpu_only_where_opengl_would_be_software() {
        assert_eq!(auto_renderer(true, true, false).0, Renderer::Gl);
        assert_eq!(auto_renderer(true, false, false).0, Renderer::Cpu);
        assert_eq!(auto_renderer(true, true, true).0, Renderer::Cpu);
        assert_eq!(auto_renderer(false, false, false).0, Renderer::Gl);
        assert_eq!(choose_renderer(Renderer::Gl).0, Renderer::Gl);
        assert_eq!(choose_renderer(Renderer::Cpu).0, Renderer::Cpu);
        assert_ne!(choose_renderer(Renderer::Auto).0, Renderer::Auto);
    }
}
