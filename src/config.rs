//! The configuration file: what an event sets once, for every room computer.
//!
//! `~/.config/lectern/config.toml` (or `$XDG_CONFIG_HOME/lectern/config.toml`, or the file
//! given with `--config`) holds the phase thresholds, the preset messages and their keys, the
//! projector's theme, accent colour and logo, the clock's 12- or 24-hour form, the default
//! room, the server's address and the poll interval. Every key is documented in
//! `docs/config.md`.
//!
//! The settings are built in layers: the defaults, then the file, then the command line's
//! flags. Each setting remembers which layer it came from, for `lectern config` to print.
//! Parsing ([`parse`]) is pure; [`load_file`] reads the file and the logo it names. Unknown
//! keys and bad values are errors with the file, line and column, and what is allowed.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::chair::MAX_MESSAGE_CHARS;
use crate::timing::Thresholds;

/// The name of the file in lectern's configuration directory.
pub const FILE_NAME: &str = "config.toml";

/// The largest configuration file read, in bytes: far above any real one, and a bound on what
/// a wrong path (a log, a video) costs.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// The most preset messages: more buttons than this would not fit the chair view.
pub const MAX_PRESET_MESSAGES: usize = 20;

/// The keys a preset message can be given: the digits and the function keys that no other
/// control uses (F11 is full screen).
pub const MESSAGE_KEYS: [&str; 21] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "F1", "F2", "F3", "F4", "F5", "F6", "F7",
    "F8", "F9", "F10", "F12",
];

/// The largest logo file read, in bytes.
pub const MAX_LOGO_BYTES: u64 = 8 * 1024 * 1024;

/// The height a logo is kept at, in pixels: the projector's header is 8 % of the screen's
/// height, 173 px on a 4K screen, so this is sharp on any projector while a large PNG does not
/// stay in memory at its full size.
pub const LOGO_HEIGHT: u32 = 256;

/// The projector's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    /// Light text on near black: what projectors show best in a dim room.
    #[default]
    Dark,
    /// Dark text on white, for bright rooms and screens that wash out dark colours.
    Light,
    /// White on black, with the strongest phase colours: for the back of a large hall.
    HighContrast,
}

impl ThemeName {
    /// The names the file and the flag accept, in the order they are documented.
    pub const NAMES: [&'static str; 3] = ["dark", "light", "high-contrast"];

    /// The name in the file.
    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
        }
    }
}

impl std::str::FromStr for ThemeName {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "dark" => Ok(ThemeName::Dark),
            "light" => Ok(ThemeName::Light),
            "high-contrast" => Ok(ThemeName::HighContrast),
            other => Err(format!(
                "unknown theme `{other}`; the themes are {}",
                quoted_list(&Self::NAMES)
            )),
        }
    }
}

/// How times of day are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockFormat {
    /// `14:05`.
    #[default]
    TwentyFourHour,
    /// `2:05 PM`.
    TwelveHour,
}

impl ClockFormat {
    /// The names the file and the flag accept.
    pub const NAMES: [&'static str; 2] = ["24h", "12h"];

    /// The name in the file.
    pub fn name(self) -> &'static str {
        match self {
            ClockFormat::TwentyFourHour => "24h",
            ClockFormat::TwelveHour => "12h",
        }
    }

    /// A time of day in `zone`: `09:20`, or `9:20 AM`.
    pub fn time_of_day(self, instant: DateTime<Utc>, zone: Tz) -> String {
        let local = instant.with_timezone(&zone);
        match self {
            ClockFormat::TwentyFourHour => local.format("%H:%M").to_string(),
            ClockFormat::TwelveHour => local.format("%-I:%M %p").to_string(),
        }
    }

    /// A time of day with its zone's abbreviation: `09:20 MDT`, or `9:20 AM MDT`.
    pub fn time_with_zone(self, instant: DateTime<Utc>, zone: Tz) -> String {
        let local = instant.with_timezone(&zone);
        match self {
            ClockFormat::TwentyFourHour => local.format("%H:%M %Z").to_string(),
            ClockFormat::TwelveHour => local.format("%-I:%M %p %Z").to_string(),
        }
    }
}

impl std::str::FromStr for ClockFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "24h" | "24" => Ok(ClockFormat::TwentyFourHour),
            "12h" | "12" => Ok(ClockFormat::TwelveHour),
            other => Err(format!(
                "unknown clock `{other}`; use {}",
                quoted_list(&Self::NAMES)
            )),
        }
    }
}

/// What draws the window. Read at start: a change in the file takes effect the next time
/// lectern starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Renderer {
    /// The CPU renderer where OpenGL would be software rendering (no GPU driver), OpenGL
    /// elsewhere: see `window::choose_renderer`.
    #[default]
    Auto,
    /// OpenGL through eframe (glow): best where the computer has a GPU driver.
    Gl,
    /// On the CPU, redrawing only what changed: cheapest without a GPU (software GL).
    Cpu,
}

impl Renderer {
    /// The names the file and the flag accept.
    pub const NAMES: [&'static str; 3] = ["auto", "gl", "cpu"];

    /// The name in the file.
    pub fn name(self) -> &'static str {
        match self {
            Renderer::Auto => "auto",
            Renderer::Gl => "gl",
            Renderer::Cpu => "cpu",
        }
    }
}

impl std::str::FromStr for Renderer {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "auto" => Ok(Renderer::Auto),
            "gl" => Ok(Renderer::Gl),
            "cpu" => Ok(Renderer::Cpu),
            other => Err(format!(
                "unknown renderer `{other}`; use {}",
                quoted_list(&Self::NAMES)
            )),
        }
    }
}

/// A colour, as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub [u8; 3]);

impl std::str::FromStr for Rgb {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits = text.strip_prefix('#').unwrap_or(text);
        let bad = || format!("`{text}` is not a colour; write it as #rrggbb, such as #3d9cff");
        if digits.len() != 6 || !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let channel = |index: usize| {
            digits
                .get(index..index + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(bad)
        };
        Ok(Rgb([channel(0)?, channel(2)?, channel(4)?]))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [red, green, blue] = self.0;
        write!(f, "#{red:02x}{green:02x}{blue:02x}")
    }
}

/// A message the chair can show the speaker with one button or key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetMessage {
    /// What the projector shows.
    pub text: String,
    /// The key that shows it (one of [`MESSAGE_KEYS`]), if it has one.
    pub key: Option<String>,
}

/// The preset messages lectern has without a configuration file, on the keys 1 to 4.
pub fn default_messages() -> Vec<PresetMessage> {
    crate::chair::PRESET_MESSAGES
        .iter()
        .zip(MESSAGE_KEYS)
        .map(|(text, key)| PresetMessage {
            text: (*text).to_owned(),
            key: Some(key.to_owned()),
        })
        .collect()
}

/// An image decoded for the projector's header: RGBA pixels, premultiplied by nothing, row by
/// row, at most [`LOGO_HEIGHT`] rows high.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// `width × height × 4` bytes.
    pub rgba: Arc<[u8]>,
}

impl fmt::Debug for Logo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Logo({}, {}×{})",
            self.path.display(),
            self.width,
            self.height
        )
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// lectern's own default.
    Default,
    /// A line of a configuration file.
    File {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
    },
    /// A flag on the command line.
    Flag(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::File { path, line } => write!(f, "{}:{line}", path.display()),
            Origin::Flag(flag) => write!(f, "{flag} on the command line"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

impl<T> Sourced<T> {
    /// A default value.
    pub fn default_value(value: T) -> Self {
        Sourced {
            value,
            origin: Origin::Default,
        }
    }

    /// A value given by a flag.
    pub fn flag(value: T, flag: &'static str) -> Self {
        Sourced {
            value,
            origin: Origin::Flag(flag),
        }
    }
}

/// Some of the settings, from one place: a file or the command line. What a layer leaves out
/// comes from the layers below it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layer {
    /// Minutes left at which the countdown turns to warning.
    pub warning: Option<Sourced<f64>>,
    /// Minutes left at which the countdown turns to danger.
    pub danger: Option<Sourced<f64>>,
    /// The preset messages (all of them: a layer's list replaces the one below).
    pub messages: Option<Sourced<Vec<PresetMessage>>>,
    /// The projector's theme.
    pub theme: Option<Sourced<ThemeName>>,
    /// The accent colour.
    pub accent: Option<Sourced<Rgb>>,
    /// The event's logo.
    pub logo: Option<Sourced<Logo>>,
    /// 12- or 24-hour times.
    pub clock: Option<Sourced<ClockFormat>>,
    /// Whether the countdown blinks once over time.
    pub blink: Option<Sourced<bool>>,
    /// What draws the window.
    pub renderer: Option<Sourced<Renderer>>,
    /// The room shown when none is asked for.
    pub room: Option<Sourced<String>>,
    /// Where the server listens.
    pub listen: Option<Sourced<SocketAddr>>,
    /// How often a schedule at a URL is fetched, in seconds.
    pub poll_seconds: Option<Sourced<u64>>,
}

/// Every setting, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Minutes left at which the countdown turns to warning.
    pub warning: Sourced<f64>,
    /// Minutes left at which the countdown turns to danger.
    pub danger: Sourced<f64>,
    /// The preset messages.
    pub messages: Sourced<Vec<PresetMessage>>,
    /// The projector's theme.
    pub theme: Sourced<ThemeName>,
    /// The accent colour; the theme's own when none is set.
    pub accent: Sourced<Option<Rgb>>,
    /// The event's logo, if one is set.
    pub logo: Sourced<Option<Logo>>,
    /// 12- or 24-hour times.
    pub clock: Sourced<ClockFormat>,
    /// Whether the countdown blinks once over time.
    pub blink: Sourced<bool>,
    /// What draws the window.
    pub renderer: Sourced<Renderer>,
    /// The room shown when none is asked for; the event's own default room when `None`.
    pub room: Sourced<Option<String>>,
    /// Where the server listens.
    pub listen: Sourced<SocketAddr>,
    /// How often a schedule at a URL is fetched, in seconds.
    pub poll_seconds: Sourced<u64>,
    /// The phase thresholds, from `warning` and `danger`.
    thresholds: Thresholds,
}

/// What the views need of the settings: how to draw, not what to show.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Appearance {
    /// The projector's theme.
    pub theme: ThemeName,
    /// The accent colour; the theme's own when `None`.
    pub accent: Option<Rgb>,
    /// The event's logo.
    pub logo: Option<Logo>,
    /// 12- or 24-hour times.
    pub clock: ClockFormat,
    /// Whether the countdown blinks once over time.
    pub blink: bool,
    /// The preset messages.
    pub messages: Vec<PresetMessage>,
}

impl Appearance {
    /// lectern's defaults, with its four preset messages.
    pub fn standard() -> Self {
        Appearance {
            messages: default_messages(),
            ..Appearance::default()
        }
    }
}

/// The default minutes of the warning threshold.
pub const DEFAULT_WARNING_MINUTES: f64 = 5.0;
/// The default minutes of the danger threshold.
pub const DEFAULT_DANGER_MINUTES: f64 = 2.0;
/// The default poll interval of a schedule at a URL, in seconds.
pub const DEFAULT_POLL_SECONDS: u64 = 60;
/// The longest poll interval, in seconds (a day).
pub const MAX_POLL_SECONDS: u64 = 86_400;

impl Settings {
    /// The settings from the layers, lowest first: each value comes from the last layer that
    /// has it, or is lectern's default.
    pub fn resolve(layers: &[&Layer]) -> Result<Settings, ConfigError> {
        fn pick<T: Clone>(
            layers: &[&Layer],
            field: impl Fn(&Layer) -> &Option<Sourced<T>>,
        ) -> Option<Sourced<T>> {
            layers.iter().rev().find_map(|layer| field(layer).clone())
        }
        fn optional<T>(value: Option<Sourced<T>>) -> Sourced<Option<T>> {
            match value {
                Some(Sourced { value, origin }) => Sourced {
                    value: Some(value),
                    origin,
                },
                None => Sourced::default_value(None),
            }
        }
        let warning = pick(layers, |layer| &layer.warning)
            .unwrap_or_else(|| Sourced::default_value(DEFAULT_WARNING_MINUTES));
        let danger = pick(layers, |layer| &layer.danger)
            .unwrap_or_else(|| Sourced::default_value(DEFAULT_DANGER_MINUTES));
        let thresholds = thresholds(&warning, &danger)?;
        Ok(Settings {
            thresholds,
            warning,
            danger,
            messages: pick(layers, |layer| &layer.messages)
                .unwrap_or_else(|| Sourced::default_value(default_messages())),
            theme: pick(layers, |layer| &layer.theme)
                .unwrap_or_else(|| Sourced::default_value(ThemeName::Dark)),
            accent: optional(pick(layers, |layer| &layer.accent)),
            logo: optional(pick(layers, |layer| &layer.logo)),
            clock: pick(layers, |layer| &layer.clock)
                .unwrap_or_else(|| Sourced::default_value(ClockFormat::TwentyFourHour)),
            blink: pick(layers, |layer| &layer.blink)
                .unwrap_or_else(|| Sourced::default_value(false)),
            renderer: pick(layers, |layer| &layer.renderer)
                .unwrap_or_else(|| Sourced::default_value(Renderer::Auto)),
            room: optional(pick(layers, |layer| &layer.room)),
            listen: pick(layers, |layer| &layer.listen)
                .unwrap_or_else(|| Sourced::default_value(default_listen())),
            poll_seconds: pick(layers, |layer| &layer.poll_seconds)
                .unwrap_or_else(|| Sourced::default_value(DEFAULT_POLL_SECONDS)),
        })
    }

    /// The phase thresholds.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// What the views need.
    pub fn appearance(&self) -> Appearance {
        Appearance {
            theme: self.theme.value,
            accent: self.accent.value,
            logo: self.logo.value.clone(),
            clock: self.clock.value,
            blink: self.blink.value,
            messages: self.messages.value.clone(),
        }
    }

    /// The effective settings as `key  value  origin` lines, for `lectern config`.
    pub fn describe(&self) -> String {
        let mut rows: Vec<(String, String, String)> = vec![
            row(
                "thresholds.warning",
                format!("{} min", self.warning.value),
                &self.warning.origin,
            ),
            row(
                "thresholds.danger",
                format!("{} min", self.danger.value),
                &self.danger.origin,
            ),
            row(
                "display.theme",
                self.theme.value.name().to_owned(),
                &self.theme.origin,
            ),
            row(
                "display.accent",
                self.accent
                    .value
                    .map_or_else(|| "the theme's own".to_owned(), |rgb| rgb.to_string()),
                &self.accent.origin,
            ),
            row(
                "display.logo",
                self.logo.value.as_ref().map_or_else(
                    || "none".to_owned(),
                    |logo| {
                        format!(
                            "{} ({}×{} px)",
                            logo.path.display(),
                            logo.width,
                            logo.height
                        )
                    },
                ),
                &self.logo.origin,
            ),
            row(
                "display.clock",
                self.clock.value.name().to_owned(),
                &self.clock.origin,
            ),
            row(
                "display.blink",
                self.blink.value.to_string(),
                &self.blink.origin,
            ),
            row(
                "display.renderer",
                self.renderer.value.name().to_owned(),
                &self.renderer.origin,
            ),
            row(
                "room",
                self.room
                    .value
                    .clone()
                    .unwrap_or_else(|| "the event's default room".to_owned()),
                &self.room.origin,
            ),
            row(
                "server.listen",
                self.listen.value.to_string(),
                &self.listen.origin,
            ),
            row(
                "schedule.poll",
                format!("{} s", self.poll_seconds.value),
                &self.poll_seconds.origin,
            ),
        ];
        let messages = &self.messages.value;
        if messages.is_empty() {
            rows.push(row("message", "none".to_owned(), &self.messages.origin));
        }
        for message in messages {
            let key = message
                .key
                .as_deref()
                .map_or_else(|| "no key".to_owned(), |key| format!("key {key}"));
            rows.push(row(
                "message",
                format!("\"{}\" ({key})", message.text),
                &self.messages.origin,
            ));
        }
        let key_width = rows.iter().map(|(key, _, _)| key.len()).max().unwrap_or(0);
        let value_width = rows
            .iter()
            .map(|(_, value, _)| value.chars().count())
            .max()
            .unwrap_or(0);
        rows.iter()
            .map(|(key, value, origin)| {
                let padding = value_width - value.chars().count();
                format!("{key:key_width$}  {value}{:padding$}  {origin}\n", "")
            })
            .collect()
    }
}

fn row(key: &str, value: String, origin: &Origin) -> (String, String, String) {
    (key.to_owned(), value, origin.to_string())
}

fn default_listen() -> SocketAddr {
    // The constant is a valid address; the fallback only keeps this free of a panic path.
    crate::server::DEFAULT_LISTEN
        .parse()
        .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 4810)))
}

fn thresholds(warning: &Sourced<f64>, danger: &Sourced<f64>) -> Result<Thresholds, ConfigError> {
    let minutes = |value: f64| Duration::milliseconds((value * 60_000.0).round() as i64);
    if danger.value > warning.value {
        return Err(ConfigError::Conflict(format!(
            "the danger threshold ({} min, from {}) must not be more than the warning threshold ({} min, from {})",
            danger.value, danger.origin, warning.value, warning.origin
        )));
    }
    Ok(Thresholds {
        warning: minutes(warning.value),
        danger: minutes(danger.value),
    })
}

/// Checks a number of threshold minutes, from a file or a flag.
pub fn check_minutes(value: f64) -> Result<f64, String> {
    if (0.0..=24.0 * 60.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{value} is not a number of minutes between 0 and 1440"
        ))
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("{path}: cannot read the configuration file: {reason}\n  help: {help}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
        /// What to do.
        help: String,
    },
    /// A key or value is wrong.
    #[error("{path}:{line}:{column}: {message}\n  help: {help}")]
    Invalid {
        /// The file.
        path: String,
        /// The line, from 1.
        line: usize,
        /// The column, from 1, in characters.
        column: usize,
        /// What is wrong.
        message: String,
        /// What is allowed.
        help: String,
    },
    /// Two settings disagree (they may come from different places).
    #[error("{0}\n  help: make the danger threshold the smaller of the two")]
    Conflict(String),
}

/// The file as written: every value keeps its place in the text, for errors and origins.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    room: Option<Spanned<String>>,
    thresholds: Option<RawThresholds>,
    display: Option<RawDisplay>,
    server: Option<RawServer>,
    schedule: Option<RawSchedule>,
    message: Option<Spanned<Vec<Spanned<RawMessage>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    warning: Option<Spanned<f64>>,
    danger: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDisplay {
    theme: Option<Spanned<String>>,
    accent: Option<Spanned<String>>,
    logo: Option<Spanned<String>>,
    clock: Option<Spanned<String>>,
    blink: Option<Spanned<bool>>,
    renderer: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    listen: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    poll: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMessage {
    text: Spanned<String>,
    key: Option<Spanned<String>>,
}

/// A parsed file whose logo, if it names one, is still to be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The settings the file gives, but the logo.
    pub layer: Layer,
    /// The logo's path (relative paths resolved against the file's folder) and where it is
    /// named in the file.
    pub logo: Option<LogoReference>,
}

/// Where the file names its logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoReference {
    /// The logo's path.
    pub path: PathBuf,
    /// The line of `logo =`.
    pub line: usize,
    /// The column of its value.
    pub column: usize,
}

/// Reads the configuration text of the file at `path` (used for messages and to resolve a
/// relative logo path). Does no I/O.
pub fn parse(text: &str, path: &Path) -> Result<Parsed, ConfigError> {
    let place = Place { text, path };
    let raw: RawFile = toml::from_str(text).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().trim_end().to_owned();
        let help = if message.starts_with("unknown field") {
            "see docs/config.md for every key; `lectern config` prints the settings in effect"
                .to_owned()
        } else {
            "the file is TOML (https://toml.io); see docs/config.md for an example".to_owned()
        };
        place.error(span, message, help)
    })?;
    let mut layer = Layer::default();
    let sourced = |span: Range<usize>| Origin::File {
        path: path.to_owned(),
        line: place.line_column(span.start).0,
    };
    if let Some(room) = raw.room {
        let span = room.span();
        let name = room.into_inner();
        if name.trim().is_empty() {
            return Err(place.error(
                span,
                "the room's name is empty".to_owned(),
                "give a room's name or short name, as `lectern rooms` lists them".to_owned(),
            ));
        }
        layer.room = Some(Sourced {
            value: name,
            origin: sourced(span),
        });
    }
    if let Some(thresholds) = raw.thresholds {
        for (value, slot) in [
            (thresholds.warning, &mut layer.warning),
            (thresholds.danger, &mut layer.danger),
        ] {
            if let Some(value) = value {
                let span = value.span();
                let minutes = check_minutes(*value.get_ref()).map_err(|message| {
                    place.error(
                        span.clone(),
                        message,
                        "thresholds are minutes left on the countdown, such as 5 or 0.5".to_owned(),
                    )
                })?;
                *slot = Some(Sourced {
                    value: minutes,
                    origin: sourced(span),
                });
            }
        }
    }
    let mut logo = None;
    if let Some(display) = raw.display {
        if let Some(theme) = display.theme {
            let span = theme.span();
            let value = theme.get_ref().parse().map_err(|message| {
                place.error(
                    span.clone(),
                    message,
                    "dark suits a dim room, light a bright one, high-contrast a large hall"
                        .to_owned(),
                )
            })?;
            layer.theme = Some(Sourced {
                value,
                origin: sourced(span),
            });
        }
        if let Some(accent) = display.accent {
            let span = accent.span();
            let value = accent.get_ref().parse().map_err(|message| {
                place.error(
                    span.clone(),
                    message,
                    "the accent colours the countdowns to what comes next and the header's rule"
                        .to_owned(),
                )
            })?;
            layer.accent = Some(Sourced {
                value,
                origin: sourced(span),
            });
        }
        if let Some(clock) = display.clock {
            let span = clock.span();
            let value = clock.get_ref().parse().map_err(|message| {
                place.error(
                    span.clone(),
                    message,
                    "\"24h\" writes 14:05, \"12h\" writes 2:05 PM".to_owned(),
                )
            })?;
            layer.clock = Some(Sourced {
                value,
                origin: sourced(span),
            });
        }
        if let Some(renderer) = display.renderer {
            let span = renderer.span();
            let value = renderer.get_ref().parse().map_err(|message| {
                place.error(
                    span.clone(),
                    message,
                    "\"gl\" draws with OpenGL (a computer with a GPU driver), \"cpu\" redraws \
                     only what changed, on the CPU (one without); \"auto\" chooses"
                        .to_owned(),
                )
            })?;
            layer.renderer = Some(Sourced {
                value,
                origin: sourced(span),
            });
        }
        if let Some(blink) = display.blink {
            let span = blink.span();
            layer.blink = Some(Sourced {
                value: blink.into_inner(),
                origin: sourced(span),
            });
        }
        if let Some(path_text) = display.logo {
            let span = path_text.span();
            let (line, column) = place.line_column(span.start);
            let named = PathBuf::from(path_text.into_inner());
            if named.as_os_str().is_empty() {
                return Err(place.error(
                    span,
                    "the logo's path is empty".to_owned(),
                    "name a PNG or SVG file, or leave out `logo`".to_owned(),
                ));
            }
            let resolved = if named.is_relative() {
                path.parent().unwrap_or(Path::new("")).join(named)
            } else {
                named
            };
            logo = Some(LogoReference {
                path: resolved,
                line,
                column,
            });
        }
    }
    if let Some(server) = raw.server
        && let Some(listen) = server.listen
    {
        let span = listen.span();
        let value = listen.get_ref().parse::<SocketAddr>().map_err(|_| {
            place.error(
                span.clone(),
                format!("`{}` is not an address and port", listen.get_ref()),
                "write ADDRESS:PORT, such as 127.0.0.1:4810 (this computer only) or 0.0.0.0:4810 (the room's network)".to_owned(),
            )
        })?;
        layer.listen = Some(Sourced {
            value,
            origin: sourced(span),
        });
    }
    if let Some(schedule) = raw.schedule
        && let Some(poll) = schedule.poll
    {
        let span = poll.span();
        let seconds = u64::try_from(*poll.get_ref())
            .ok()
            .filter(|seconds| (1..=MAX_POLL_SECONDS).contains(seconds))
            .ok_or_else(|| {
                place.error(
                    span.clone(),
                    format!(
                        "{} is not a number of seconds between 1 and {MAX_POLL_SECONDS}",
                        poll.get_ref()
                    ),
                    "how often a schedule at a URL is fetched, such as 60".to_owned(),
                )
            })?;
        layer.poll_seconds = Some(Sourced {
            value: seconds,
            origin: sourced(span),
        });
    }
    if let Some(messages) = raw.message {
        let list_span = messages.span();
        let messages = messages.into_inner();
        if messages.len() > MAX_PRESET_MESSAGES {
            return Err(place.error(
                list_span,
                format!(
                    "{} preset messages; at most {MAX_PRESET_MESSAGES} fit the chair view",
                    messages.len()
                ),
                "keep the messages the chair needs most".to_owned(),
            ));
        }
        let mut presets: Vec<PresetMessage> = Vec::with_capacity(messages.len());
        let mut keys_seen: Vec<(String, usize)> = Vec::new();
        for message in messages {
            let message = message.into_inner();
            let text_span = message.text.span();
            let text = message.text.into_inner().trim().to_owned();
            if text.is_empty() {
                return Err(place.error(
                    text_span,
                    "the message is empty".to_owned(),
                    "write what the speaker should read, such as \"5 minutes left\"".to_owned(),
                ));
            }
            let length = text.chars().count();
            if length > MAX_MESSAGE_CHARS {
                return Err(place.error(
                    text_span,
                    format!("the message has {length} characters, more than the {MAX_MESSAGE_CHARS} the projector shows"),
                    "shorten it: the speaker reads it at a glance".to_owned(),
                ));
            }
            let key = match message.key {
                None => None,
                Some(key) => {
                    let span = key.span();
                    let name = key.into_inner();
                    let Some(canonical) = MESSAGE_KEYS
                        .iter()
                        .find(|allowed| allowed.eq_ignore_ascii_case(name.trim()))
                    else {
                        return Err(place.error(
                            span,
                            format!("`{name}` cannot be a message's key"),
                            format!(
                                "the keys are {} (the letters and other keys are the chair's controls)",
                                MESSAGE_KEYS.join(" ")
                            ),
                        ));
                    };
                    let line = place.line_column(span.start).0;
                    if let Some((_, first)) = keys_seen.iter().find(|(seen, _)| seen == canonical) {
                        return Err(place.error(
                            span,
                            format!("the key {canonical} is already given to the message on line {first}"),
                            "give each message its own key, or none".to_owned(),
                        ));
                    }
                    keys_seen.push(((*canonical).to_owned(), line));
                    Some((*canonical).to_owned())
                }
            };
            presets.push(PresetMessage { text, key });
        }
        layer.messages = Some(Sourced {
            value: presets,
            origin: sourced(list_span),
        });
    }
    Ok(Parsed { layer, logo })
}

/// Reads the configuration file at `path`, and the logo it names. A missing file is an error
/// here: whether a missing default file matters is the caller's to say.
pub fn load_file(path: &Path) -> Result<Layer, ConfigError> {
    let name = path.display().to_string();
    let text = read_text(path).map_err(|(reason, help)| ConfigError::Read {
        path: name.clone(),
        reason,
        help,
    })?;
    let parsed = parse(&text, path)?;
    let mut layer = parsed.layer;
    if let Some(reference) = parsed.logo {
        let logo = read_logo(&reference.path).map_err(|(message, help)| ConfigError::Invalid {
            path: name.clone(),
            line: reference.line,
            column: reference.column,
            message,
            help,
        })?;
        layer.logo = Some(Sourced {
            value: logo,
            origin: Origin::File {
                path: path.to_owned(),
                line: reference.line,
            },
        });
    }
    Ok(layer)
}

fn read_text(path: &Path) -> Result<String, (String, String)> {
    let bytes = read_bounded(path, MAX_FILE_BYTES).map_err(|reason| {
        (
            reason,
            "give an existing file with --config, or leave it out to use ~/.config/lectern/config.toml".to_owned(),
        )
    })?;
    String::from_utf8(bytes).map_err(|error| {
        (
            format!(
                "the file is not UTF-8 text (byte {})",
                error.utf8_error().valid_up_to()
            ),
            "save it as UTF-8 text".to_owned(),
        )
    })
}

fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => error.to_string(),
    })?;
    let metadata = file.metadata().map_err(|error| error.to_string())?;
    if !metadata.is_file() {
        return Err("not a regular file".to_owned());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| error.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("the file is larger than {} KiB", limit / 1024));
    }
    Ok(bytes)
}

/// Reads and decodes a logo: a PNG or an SVG, scaled to at most [`LOGO_HEIGHT`] pixels high.
/// The error says what is wrong and what to do.
pub fn read_logo(path: &Path) -> Result<Logo, (String, String)> {
    let help = || "give a PNG or SVG file, such as logo.svg beside config.toml".to_owned();
    let bytes = read_bounded(path, MAX_LOGO_BYTES).map_err(|reason| {
        (
            format!("cannot read the logo {}: {reason}", path.display()),
            help(),
        )
    })?;
    decode_logo(&bytes, path).map_err(|reason| {
        (
            format!("cannot use the logo {}: {reason}", path.display()),
            help(),
        )
    })
}

/// Decodes a logo's bytes, recognised by their content: PNG's signature, or SVG's XML.
pub fn decode_logo(bytes: &[u8], path: &Path) -> Result<Logo, String> {
    const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let (width, height, rgba) = if bytes.starts_with(PNG_SIGNATURE) {
        decode_png(bytes)?
    } else if looks_like_svg(bytes) {
        render_svg(bytes)?
    } else {
        return Err("it is neither a PNG nor an SVG image".to_owned());
    };
    Ok(Logo {
        path: path.to_owned(),
        width,
        height,
        rgba: rgba.into(),
    })
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    String::from_utf8_lossy(head).contains("<svg")
}

/// The largest image decoded, in pixels per side: a bound on memory for a wrong file.
const MAX_LOGO_SIDE: u32 = 8192;

fn decode_png(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // Palettes, low bit depths and transparency chunks all become 8-bit RGB(A).
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|error| format!("not a readable PNG ({error})"))?;
    let info = reader.info();
    if info.width > MAX_LOGO_SIDE || info.height > MAX_LOGO_SIDE {
        return Err(format!(
            "it is {}×{} pixels; at most {MAX_LOGO_SIDE} per side",
            info.width, info.height
        ));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "the PNG is too large".to_owned())?;
    let mut buffer = vec![0; size];
    let frame = reader
        .next_frame(&mut buffer)
        .map_err(|error| format!("not a readable PNG ({error})"))?;
    buffer.truncate(frame.buffer_size());
    let (width, height) = (frame.width, frame.height);
    let rgba = match frame.color_type {
        png::ColorType::Rgba => buffer,
        png::ColorType::Rgb => buffer
            .chunks_exact(3)
            .flat_map(|pixel| [pixel[0], pixel[1], pixel[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buffer
            .chunks_exact(2)
            .flat_map(|pixel| [pixel[0], pixel[0], pixel[0], pixel[1]])
            .collect(),
        png::ColorType::Grayscale => buffer
            .iter()
            .flat_map(|&grey| [grey, grey, grey, 255])
            .collect(),
        png::ColorType::Indexed => {
            return Err("the PNG's palette could not be expanded".to_owned());
        }
    };
    Ok(downscale(width, height, rgba))
}

/// Scales an image down to at most [`LOGO_HEIGHT`] rows by averaging each output pixel's
/// area, so that a large PNG does not stay in memory (or in the GPU) at its full size.
fn downscale(width: u32, height: u32, rgba: Vec<u8>) -> (u32, u32, Vec<u8>) {
    if height <= LOGO_HEIGHT || width == 0 {
        return (width, height, rgba);
    }
    let new_height = LOGO_HEIGHT;
    let new_width = ((u64::from(width) * u64::from(new_height)) / u64::from(height)).max(1) as u32;
    let (width, height) = (width as usize, height as usize);
    let (new_width_usize, new_height_usize) = (new_width as usize, new_height as usize);
    let mut out = Vec::with_capacity(new_width_usize * new_height_usize * 4);
    for out_y in 0..new_height_usize {
        let y0 = out_y * height / new_height_usize;
        let y1 = ((out_y + 1) * height / new_height_usize).max(y0 + 1);
        for out_x in 0..new_width_usize {
            let x0 = out_x * width / new_width_usize;
            let x1 = ((out_x + 1) * width / new_width_usize).max(x0 + 1);
            let mut sum = [0u64; 4];
            for y in y0..y1 {
                for x in x0..x1 {
                    let at = (y * width + x) * 4;
                    if let Some(pixel) = rgba.get(at..at + 4) {
                        for (total, &channel) in sum.iter_mut().zip(pixel) {
                            *total += u64::from(channel);
                        }
                    }
                }
            }
            let count = ((y1 - y0) * (x1 - x0)) as u64;
            out.extend(sum.map(|total| (total / count) as u8));
        }
    }
    (new_width, new_height, out)
}

fn render_svg(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let options = resvg::usvg::Options::default();
    let tree = resvg::usvg::Tree::from_data(bytes, &options)
        .map_err(|error| format!("not a readable SVG ({error})"))?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err("the SVG has no size".to_owned());
    }
    let scale = LOGO_HEIGHT as f32 / size.height();
    let width = (size.width() * scale)
        .round()
        .clamp(1.0, MAX_LOGO_SIDE as f32) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, LOGO_HEIGHT)
        .ok_or_else(|| "the SVG is too wide".to_owned())?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // tiny-skia keeps premultiplied alpha; the projector's texture wants it straight.
    let rgba = pixmap
        .pixels()
        .iter()
        .flat_map(|pixel| {
            let straight = pixel.demultiply();
            [
                straight.red(),
                straight.green(),
                straight.blue(),
                straight.alpha(),
            ]
        })
        .collect();
    Ok((width, LOGO_HEIGHT, rgba))
}

/// The default configuration file: `$XDG_CONFIG_HOME/lectern/config.toml`, by default
/// `~/.config/lectern/config.toml`. `None` when neither variable is set.
pub fn default_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|value| !value.is_empty()) {
        Some(base) => PathBuf::from(base),
        None => PathBuf::from(std::env::var_os("HOME").filter(|value| !value.is_empty())?)
            .join(".config"),
    };
    Some(base.join("lectern").join(FILE_NAME))
}

struct Place<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Place<'_> {
    /// The line and column (from 1; the column in characters) of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |at| at + 1);
        let column = before
            .get(line_start..)
            .map_or(0, |rest| rest.chars().count())
            + 1;
        (line, column)
    }

    fn error(&self, span: Range<usize>, message: String, help: String) -> ConfigError {
        let (line, column) = self.line_column(span.start);
        ConfigError::Invalid {
            path: self.path.display().to_string(),
            line,
            column,
            message,
            help,
        }
    }
}

fn quoted_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => format!("\"{only}\""),
        [init @ .., last] => format!(
            "{} and \"{last}\"",
            init.iter()
                .map(|name| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Parsed, ConfigError> {
        parse(text, Path::new("/etc/lectern/config.toml"))
    }

    fn located(error: ConfigError) -> (usize, usize, String) {
        match error {
            ConfigError::Invalid {
                line,
                column,
                message,
                ..
            } => (line, column, message),
            other => panic!("expected a located error, got {other:?}"),
        }
    }

    #[test]
    fn an_unknown_key_is_located_and_lists_the_keys_allowed() {
        let error = parse_text("[thresholds]\nwarning = 4\nwarnin = 3\n").unwrap_err();
        let (line, column, message) = located(error);
        assert_eq!((line, column), (3, 1));
        assert!(message.contains("warnin"), "{message}");
        assert!(message.contains("danger"), "{message}");
    }

    #[test]
    fn a_bad_value_is_located_at_the_value() {
        let error = parse_text("[display]\ntheme = \"sepia\"\n").unwrap_err();
        let (line, column, message) = located(error);
        assert_eq!((line, column), (2, 9));
        assert!(message.contains("high-contrast"), "{message}");
    }

    #[test]
    fn message_keys_must_be_free_and_distinct() {
        let text =
            "[[message]]\ntext = \"a\"\nkey = \"5\"\n\n[[message]]\ntext = \"b\"\nkey = \"5\"\n";
        let (line, _, message) = located(parse_text(text).unwrap_err());
        assert_eq!(line, 7);
        assert!(message.contains("line 3"), "{message}");
        let (line, _, message) =
            located(parse_text("[[message]]\ntext = \"a\"\nkey = \"Space\"\n").unwrap_err());
        assert_eq!(line, 3);
        assert!(message.contains("Space"), "{message}");
    }

    #[test]
    fn layers_override_lower_ones_and_say_where_each_value_came_from() {
        let file = parse_text("[thresholds]\nwarning = 8\ndanger = 3\n")
            .unwrap()
            .layer;
        let flags = Layer {
            danger: Some(Sourced::flag(1.0, "--danger")),
            ..Layer::default()
        };
        let settings = Settings::resolve(&[&file, &flags]).unwrap();
        assert_eq!(settings.thresholds().warning, Duration::minutes(8));
        assert_eq!(settings.thresholds().danger, Duration::minutes(1));
        assert_eq!(
            settings.warning.origin,
            Origin::File {
                path: PathBuf::from("/etc/lectern/config.toml"),
                line: 2
            }
        );
        assert_eq!(settings.danger.origin, Origin::Flag("--danger"));
        assert_eq!(settings.theme.origin, Origin::Default);
    }

    #[test]
    fn danger_above_warning_names_both_origins() {
        let file = parse_text("[thresholds]\ndanger = 6\n").unwrap().layer;
        let error = Settings::resolve(&[&file]).unwrap_err().to_string();
        assert!(error.contains("config.toml:2"), "{error}");
        assert!(error.contains("default"), "{error}");
    }

    #[test]
    fn colours_and_clocks_read_and_write_back() {
        assert_eq!("#3D9cff".parse::<Rgb>().unwrap().to_string(), "#3d9cff");
        assert!("#3d9cf".parse::<Rgb>().is_err());
        let instant = DateTime::parse_from_rfc3339("2013-05-13T21:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let zone: Tz = "America/Denver".parse().unwrap();
        assert_eq!(
            ClockFormat::TwelveHour.time_of_day(instant, zone),
            "3:05 PM"
        );
        assert_eq!(
            ClockFormat::TwentyFourHour.time_of_day(instant, zone),
            "15:05"
        );
    }

    #[test]
    fn a_large_image_is_scaled_to_the_logo_height_by_averaging() {
        let (width, height) = (1024u32, 512u32);
        // Left half black, right half white: the scaled image keeps the split.
        let rgba: Vec<u8> = (0..height)
            .flat_map(|_| {
                (0..width).flat_map(|x| {
                    if x < width / 2 {
                        [0, 0, 0, 255]
                    } else {
                        [255; 4]
                    }
                })
            })
            .collect();
        let (new_width, new_height, scaled) = downscale(width, height, rgba);
        assert_eq!((new_width, new_height), (512, LOGO_HEIGHT));
        assert_eq!(scaled.len(), 512 * 256 * 4);
        assert_eq!(&scaled[..4], &[0, 0, 0, 255]);
        assert_eq!(&scaled[scaled.len() - 4..], &[255; 4]);
    }
}
