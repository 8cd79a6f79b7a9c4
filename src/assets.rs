//! What the binary carries: fonts for the window and the browser views, and the files the
//! server serves. Kept in one place so that each file is embedded once.

/// Inter, regular: text in the window.
pub static INTER_REGULAR: &[u8] = include_bytes!("../assets/fonts/Inter-Regular.otf");
/// Inter, semi-bold: headings in the window.
pub static INTER_SEMIBOLD: &[u8] = include_bytes!("../assets/fonts/Inter-SemiBold.otf");
/// JetBrains Mono, bold: digits of equal width, so that countdowns never jitter, in the window
/// and in the browser views.
pub static DIGITS_FONT: &[u8] = include_bytes!("../assets/fonts/JetBrainsMono-Bold.ttf");

/// A file the server serves.
pub struct WebFile {
    /// The path it is served at.
    pub path: &'static str,
    /// Its media type.
    pub content_type: &'static str,
    /// Its content.
    pub body: &'static [u8],
}

const HTML: &str = "text/html; charset=utf-8";
const SCRIPT: &str = "text/javascript; charset=utf-8";

/// Every file the server serves: the views, their scripts and style, the countdown's font.
/// Requests are matched against this table only; no request path ever reaches the disk.
pub static WEB_FILES: &[WebFile] = &[
    WebFile {
        path: "/",
        content_type: HTML,
        body: include_bytes!("../assets/web/index.html"),
    },
    WebFile {
        path: "/speaker",
        content_type: HTML,
        body: include_bytes!("../assets/web/speaker.html"),
    },
    WebFile {
        path: "/chair",
        content_type: HTML,
        body: include_bytes!("../assets/web/chair.html"),
    },
    WebFile {
        path: "/projector",
        content_type: HTML,
        body: include_bytes!("../assets/web/projector.html"),
    },
    WebFile {
        path: "/overview",
        content_type: HTML,
        body: include_bytes!("../assets/web/overview.html"),
    },
    WebFile {
        path: "/assets/overview.js",
        content_type: SCRIPT,
        body: include_bytes!("../assets/web/overview.js"),
    },
    WebFile {
        path: "/assets/lectern.js",
        content_type: SCRIPT,
        body: include_bytes!("../assets/web/lectern.js"),
    },
    WebFile {
        path: "/assets/index.js",
        content_type: SCRIPT,
        body: include_bytes!("../assets/web/index.js"),
    },
    WebFile {
        path: "/assets/speaker.js",
        content_type: SCRIPT,
        body: include_bytes!("../assets/web/speaker.js"),
    },
    WebFile {
        path: "/assets/chair.js",
        content_type: SCRIPT,
        body: include_bytes!("../assets/web/chair.js"),
    },
    WebFile {
        path: "/assets/projector.js",
        content_type: SCRIPT,
        body: include_bytes!("../assets/web/projector.js"),
    },
    WebFile {
        path: "/assets/lectern.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/web/lectern.css"),
    },
    WebFile {
        path: "/assets/digits.ttf",
        content_type: "font/ttf",
        body: DIGITS_FONT,
    },
];
