//! The `lectern` command: the room display, and subcommands that print what it would show.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use chrono_tz::Tz;
use lectern::chair::ChairState;
use lectern::config::{ClockFormat, Layer, Origin, Rgb, Settings, Sourced, ThemeName};
use lectern::formats::{Format, LoadOptions};
use lectern::model::{RoomId, Schedule};
use lectern::report;
use lectern::source::{self, EMBEDDED_NAME};
use lectern::text;
use lectern::timeparse::parse_instant;
use lectern::timing::status_at;
use lectern::validate::Loaded;

/// The version and the git revision the binary was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("LECTERN_GIT_REVISION"),
    ")"
);

/// A conference room display: the session in progress, the paper, its speakers, a large
/// countdown, and what comes next.
#[derive(Parser, Debug)]
#[command(
    name = "lectern",
    version = VERSION,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    display: DisplayArgs,
}

/// Where the settings file is.
#[derive(Args, Debug, Clone)]
struct ConfigArgs {
    /// Read the settings from this file instead of ~/.config/lectern/config.toml (see
    /// docs/config.md); flags override it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Read no settings file: lectern's defaults and the flags only.
    #[arg(long, global = true, conflicts_with = "config")]
    no_config: bool,
}

/// How the projector looks.
#[derive(Args, Debug, Clone)]
struct LookArgs {
    /// The projector's colours: dark, light or high-contrast.
    #[arg(long, value_name = "THEME")]
    theme: Option<ThemeName>,
    /// The accent colour (the countdowns to what comes next), as #rrggbb.
    #[arg(long, value_name = "#RRGGBB")]
    accent: Option<Rgb>,
    /// The event's logo, a PNG or SVG file, shown in the projector's header.
    #[arg(long, value_name = "FILE")]
    logo: Option<PathBuf>,
    /// Times of day in 24-hour (14:05) or 12-hour (2:05 PM) form: 24h or 12h.
    #[arg(long, value_name = "24h|12h")]
    clock: Option<ClockFormat>,
}

#[derive(Args, Debug, Clone)]
struct DisplayArgs {
    #[command(flatten)]
    room: RoomArgs,
    /// Open the projector full screen.
    #[arg(long)]
    fullscreen: bool,
    /// What draws the window: `gl` (OpenGL, for a computer with a GPU driver), `cpu` (for
    /// one without: it redraws only what changed, and costs a fraction of software OpenGL) or
    /// `auto` (`cpu` on Linux without a GPU render node). Default: `[display] renderer` in the
    /// settings file, or `auto`.
    #[cfg(feature = "gui")]
    #[arg(long, value_name = "auto|gl|cpu")]
    renderer: Option<lectern::window::Renderer>,
    /// Put the projector full screen on this monitor (0, 1, ...).
    #[arg(long, value_name = "N")]
    monitor: Option<usize>,
    /// The window's size in pixels, as WIDTHxHEIGHT (default 1280x720).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<(f32, f32)>,
    /// Blink the countdown once over time.
    #[arg(long)]
    blink: bool,
    #[command(flatten)]
    look: LookArgs,
    /// Open the chair view at once (C switches between it and the projector).
    #[arg(long)]
    chair: bool,
    #[command(flatten)]
    overview: OverviewArgs,
}

/// The hallway screen: every room at once.
#[derive(Args, Debug, Clone)]
struct OverviewArgs {
    /// Show every room of the program at once (a hallway screen) instead of one room's
    /// projector.
    #[arg(long)]
    overview: bool,
    /// With --overview: only these rooms, in this order (names, comma-separated).
    #[arg(
        long,
        value_name = "A,B,C",
        value_delimiter = ',',
        requires = "overview"
    )]
    rooms: Vec<String>,
    /// With --overview: how long each page of rooms stays when they do not fit on one.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=3600))]
    page_seconds: u32,
    /// With --overview: follow a room's own lectern (`ROOM=http://host:4810`), to show its
    /// real state: running late, paused, a message. Repeat for each room.
    #[arg(long, value_name = "ROOM=URL", requires = "overview")]
    room_feed: Vec<lectern::feed::FeedSpec>,
}

/// What a room session needs, with or without a window.
#[derive(Args, Debug, Clone)]
struct RoomArgs {
    /// The schedule file or its http:// or https:// URL; the built-in HotOS 2013 program when
    /// left out.
    schedule: Option<PathBuf>,
    /// The room to show (name or short name); the event's default room when left out.
    #[arg(long)]
    room: Option<String>,
    /// Start a rehearsal clock at this instant: `2013-05-13T09:20` in the event's zone, or
    /// RFC 3339 with an offset. Without a schedule file, the rehearsal starts at
    /// 2013-05-13T09:20 in the built-in HotOS program.
    #[arg(long)]
    at: Option<String>,
    /// How fast the rehearsal clock runs (2 = twice as fast; 0 = stopped).
    #[arg(long, value_name = "X")]
    speed: Option<f64>,
    /// Save the chair's state in this file instead of the XDG state directory.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Do not save or restore the chair's state.
    #[arg(long, conflicts_with = "state")]
    no_state: bool,
    /// Append the chair's log (every start, end, pause, added minute, message) to this file
    /// instead of beside the chair's state. Rehearsals log only when given this.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Do not watch the schedule file for changes (R still reloads it).
    #[arg(long)]
    no_watch: bool,
    /// For a schedule at a URL: fetch it every this many seconds (sooner with R, less often
    /// while it cannot be reached). Default 60.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    poll: Option<u64>,
    #[command(flatten)]
    thresholds: ThresholdArgs,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    server: ServerArgs,
}

/// The room's API and browser views.
#[derive(Args, Debug, Clone)]
struct ServerArgs {
    /// Serve the room's API and browser views at this address. The default, 127.0.0.1:4810,
    /// listens on this computer only; `0.0.0.0:4810` opens it to the room's network.
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<SocketAddr>,
    /// Do not serve the API and the browser views.
    #[arg(long)]
    no_listen: bool,
    /// The token every command over the network must carry (at least 16 letters, digits,
    /// `-`, `_` or `.`); by default one is made on the first run and kept in the state
    /// directory.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
}

/// How a schedule file is read; accepted wherever a schedule file is.
#[derive(Args, Debug, Clone, Default)]
struct LoadArgs {
    /// Read the file as this format instead of recognising it from its content: native,
    /// frab, schedule2, xml, ics or usenix.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    format: Option<Format>,
    /// The venue's time zone (an IANA name such as Europe/Brussels), for files that name
    /// none; a zone the file declares is used first.
    #[arg(long = "timezone", value_name = "ZONE", value_parser = parse_time_zone)]
    time_zone: Option<Tz>,
    /// The year of a USENIX program page whose day headers name none ("Tuesday, March 3"),
    /// when the page does not say it elsewhere.
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1..=9999))]
    year: Option<i32>,
}

impl LoadArgs {
    fn options(&self) -> LoadOptions {
        LoadOptions {
            format: self.format,
            time_zone: self.time_zone,
            year: self.year,
        }
    }
}

fn parse_minutes(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of minutes"))?;
    lectern::config::check_minutes(value)
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

fn parse_time_zone(text: &str) -> Result<Tz, String> {
    lectern::timeparse::parse_zone(text).ok_or_else(|| {
        format!("unknown time zone `{text}`; use an IANA name such as Europe/Brussels")
    })
}

#[derive(Args, Debug, Clone, Copy)]
struct ThresholdArgs {
    /// Minutes left at which the countdown turns to warning (default 5).
    #[arg(long, value_name = "MINUTES", value_parser = parse_minutes)]
    warning: Option<f64>,
    /// Minutes left at which the countdown turns to danger (default 2).
    #[arg(long, value_name = "MINUTES", value_parser = parse_minutes)]
    danger: Option<f64>,
}

impl ThresholdArgs {
    /// The thresholds the flags give, as a layer of settings.
    fn layer(&self) -> Layer {
        Layer {
            warning: self.warning.map(|value| Sourced::flag(value, "--warning")),
            danger: self.danger.map(|value| Sourced::flag(value, "--danger")),
            ..Layer::default()
        }
    }
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Keep time for a room without a window: the API and the browser views only (for a room
    /// whose screens are browsers, or a computer without a display).
    Serve {
        #[command(flatten)]
        room: RoomArgs,
    },
    /// Print what the projector shows at an instant.
    Now {
        /// The schedule file or its URL; the built-in HotOS 2013 program when left out.
        schedule: Option<PathBuf>,
        /// The room (name or short name); the event's default room when left out.
        #[arg(long)]
        room: Option<String>,
        /// The instant: `2013-05-13T09:20` in the event's zone, or RFC 3339; now when left out.
        #[arg(long)]
        at: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        thresholds: ThresholdArgs,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Check a schedule: print its errors and warnings; exit 1 if it has errors.
    Check {
        /// The schedule file or its URL.
        schedule: PathBuf,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// List the rooms of a schedule.
    Rooms {
        /// The schedule file or its URL; the built-in HotOS 2013 program when left out.
        schedule: Option<PathBuf>,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Print the program of a room.
    Agenda {
        /// The schedule file or its URL; the built-in HotOS 2013 program when left out.
        schedule: Option<PathBuf>,
        /// The room (name or short name); the event's default room when left out.
        #[arg(long)]
        room: Option<String>,
        /// Only this conference day, as `2013-05-13`.
        #[arg(long)]
        day: Option<NaiveDate>,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Print planned against actual from the chair's log: each paper's and session's start,
    /// end, lengths and overrun, and the sessions that ended late.
    Report {
        /// The schedule file; the built-in HotOS 2013 program when left out.
        schedule: Option<PathBuf>,
        /// The chair's log; by default the one lectern keeps beside the chair's state for this
        /// schedule (named as it was given to lectern) and room.
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
        /// The room (name or short name); every room that has a log when left out.
        #[arg(long)]
        room: Option<String>,
        /// Only this conference day, as `2013-05-13`; every day the log speaks of when left out.
        #[arg(long)]
        day: Option<NaiveDate>,
        /// How to print it: md (Markdown, readable in a terminal), csv (for a spreadsheet) or
        /// json.
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
        /// Read the schedule file as this format instead of recognising it from its content:
        /// native, frab, schedule2, xml, ics or usenix.
        #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
        schedule_format: Option<Format>,
        /// The venue's time zone, for schedule files that name none.
        #[arg(long = "timezone", value_name = "ZONE", value_parser = parse_time_zone)]
        time_zone: Option<Tz>,
        /// The year of a USENIX program page whose day headers name none.
        #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1..=9999))]
        year: Option<i32>,
    },
    /// Print the settings in effect and where each comes from: lectern's defaults or a line of
    /// the settings file (~/.config/lectern/config.toml, or --config FILE).
    Config,
    /// Convert a schedule in any format lectern reads into lectern's own JSON.
    Import {
        /// The schedule file or its URL: frab or schedule2 JSON, schedule.xml, iCalendar, USENIX
        /// text.
        schedule: PathBuf,
        /// Write the JSON to this file instead of the standard output (`-` is the standard
        /// output).
        #[arg(short, long, value_name = "OUT.json")]
        output: Option<PathBuf>,
        #[command(flatten)]
        load: LoadArgs,
    },
}

/// How `lectern report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// Markdown tables, aligned for a terminal.
    #[value(alias = "markdown")]
    Md,
    /// CSV with a header row, for a spreadsheet.
    Csv,
    /// JSON.
    Json,
}

fn main() -> ExitCode {
    // The settings file's flags are accepted before or after a subcommand. The command line
    // takes either the window's flags or a subcommand, never both, and clap then reads any
    // flag before a subcommand as the window's; so these two are taken out first.
    let (arguments, config) = match take_config_args(std::env::args_os()) {
        Ok(taken) => taken,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let mut cli = Cli::parse_from(arguments);
    if config.config.is_some() || config.no_config {
        if cli.config.config.is_some() || cli.config.no_config {
            eprintln!("error: give --config or --no-config once");
            return ExitCode::from(2);
        }
        cli.config = config;
    }
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = &cli.config;
    match cli.command {
        None => display(&cli.display, config),
        Some(Command::Serve { room }) => serve(&room, config),
        Some(Command::Config) => {
            let (settings, file) = settings(config, &Layer::default())?;
            let source = match (&file, config.no_config) {
                (_, true) => "none (--no-config)".to_owned(),
                (Some(file), false) if file.read => file.path.display().to_string(),
                (Some(file), false) => {
                    format!("{} (not there: lectern's defaults)", file.path.display())
                }
                (None, false) => "none (neither XDG_CONFIG_HOME nor HOME is set)".to_owned(),
            };
            write_stdout(&format!(
                "settings file: {source}\n\n{}\nFlags given to lectern override these; docs/config.md describes every key.\n",
                settings.describe()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Now {
            schedule,
            room,
            at,
            json,
            thresholds,
            load: load_args,
        }) => {
            let mut flags = thresholds.layer();
            flags.room = room.map(|room| Sourced::flag(room, "--room"));
            let (settings, _) = settings(config, &flags)?;
            let (loaded, _) = load(schedule.as_deref(), &load_args.options())?;
            let schedule = &loaded.schedule;
            let room = pick_configured_room(schedule, &settings.room)?;
            let now = match at {
                Some(text) => parse_at(&text, schedule)?,
                None => lectern::clock::system_now(),
            };
            let chair = ChairState::default();
            let status = status_at(schedule, room, now, &chair, &settings.thresholds());
            if json {
                let value = report::status_json(schedule, &status);
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                print!("{}", report::status_text(schedule, &status));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check {
            schedule,
            load: load_args,
        }) => Ok(check(&schedule, &load_args.options())),
        Some(Command::Rooms {
            schedule,
            load: load_args,
        }) => {
            let (loaded, _) = load(schedule.as_deref(), &load_args.options())?;
            print!("{}", report::rooms_text(&loaded.schedule));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Agenda {
            schedule,
            room,
            day,
            load: load_args,
        }) => {
            let flags = Layer {
                room: room.map(|room| Sourced::flag(room, "--room")),
                ..Layer::default()
            };
            let (settings, _) = settings(config, &flags)?;
            let (loaded, _) = load(schedule.as_deref(), &load_args.options())?;
            let room = pick_configured_room(&loaded.schedule, &settings.room)?;
            print!("{}", report::agenda_text(&loaded.schedule, room, day));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Report {
            schedule,
            log,
            room,
            day,
            format,
            schedule_format,
            time_zone,
            year,
        }) => {
            let options = LoadOptions {
                format: schedule_format,
                time_zone,
                year,
            };
            planned_report(
                schedule.as_deref(),
                &options,
                log.as_deref(),
                room.as_deref(),
                day,
                format,
            )
        }
        Some(Command::Import {
            schedule,
            output,
            load: load_args,
        }) => import(&schedule, output.as_deref(), &load_args.options()),
    }
}

/// Takes `--config FILE`, `--config=FILE` and `--no-config` out of the arguments (up to a
/// `--`), wherever they are.
fn take_config_args(
    arguments: impl IntoIterator<Item = std::ffi::OsString>,
) -> anyhow::Result<(Vec<std::ffi::OsString>, ConfigArgs)> {
    let mut kept = Vec::new();
    let mut config = ConfigArgs {
        config: None,
        no_config: false,
    };
    let mut arguments = arguments.into_iter();
    while let Some(argument) = arguments.next() {
        let text = argument.to_str().unwrap_or_default();
        if text == "--" {
            kept.push(argument);
            kept.extend(arguments);
            break;
        }
        let path = if text == "--config" {
            Some(
                arguments
                    .next()
                    .context("--config needs a FILE: the settings file to read")?,
            )
        } else if let Some(value) = text.strip_prefix("--config=") {
            Some(value.into())
        } else if text == "--no-config" {
            config.no_config = true;
            None
        } else {
            kept.push(argument);
            None
        };
        if let Some(path) = path {
            if config.config.is_some() {
                bail!("give --config once");
            }
            config.config = Some(PathBuf::from(path));
        }
    }
    if config.no_config && config.config.is_some() {
        bail!("--config and --no-config cannot be given together");
    }
    Ok((kept, config))
}

/// The instant at which `lectern` with no arguments starts its rehearsal: the second paper of
/// the first session of HotOS 2013, so that a newcomer sees a live countdown at once.
const DEMO_REHEARSAL_START: &str = "2013-05-13T09:20";

/// A room's options resolved from the command line: the schedule loaded, the room found, the
/// clock chosen, where the chair's state is kept, and the server's address and token.
struct ResolvedRoom {
    loaded: Loaded,
    session: lectern::session::SessionOptions,
    watch: bool,
    server: Option<lectern::server::ServerConfig>,
    settings: Settings,
    /// The settings file to watch, with the flags that stay over it.
    settings_file: Option<(PathBuf, Layer)>,
}

/// The settings a room's flags give, as a layer over the settings file.
fn room_layer(args: &RoomArgs) -> Layer {
    Layer {
        room: args.room.clone().map(|room| Sourced::flag(room, "--room")),
        listen: args
            .server
            .listen
            .map(|listen| Sourced::flag(listen, "--listen")),
        poll_seconds: args.poll.map(|poll| Sourced::flag(poll, "--poll")),
        ..args.thresholds.layer()
    }
}

/// The settings file that was looked for, and whether it was there.
struct SettingsFile {
    path: PathBuf,
    read: bool,
}

/// The settings in effect: lectern's defaults, the settings file, then `flags`. A settings
/// file that cannot be used stops lectern here, with the file, line and column.
fn settings(args: &ConfigArgs, flags: &Layer) -> anyhow::Result<(Settings, Option<SettingsFile>)> {
    if args.no_config {
        return Ok((Settings::resolve(&[flags])?, None));
    }
    let (path, must_exist) = match &args.config {
        Some(path) => (path.clone(), true),
        None => match lectern::config::default_path() {
            Some(path) => (path, false),
            None => return Ok((Settings::resolve(&[flags])?, None)),
        },
    };
    if !must_exist && !path.exists() {
        let settings = Settings::resolve(&[flags])?;
        return Ok((settings, Some(SettingsFile { path, read: false })));
    }
    let file = lectern::config::load_file(&path)?;
    let settings = Settings::resolve(&[&file, flags])?;
    Ok((settings, Some(SettingsFile { path, read: true })))
}

/// The room the settings name (from a flag or the settings file), or the event's default.
fn pick_configured_room(
    schedule: &Schedule,
    room: &Sourced<Option<String>>,
) -> anyhow::Result<RoomId> {
    pick_room(schedule, room.value.as_deref()).map_err(|error| match &room.origin {
        Origin::File { .. } => anyhow::anyhow!(
            "{error}\n  help: the room is set at {}; give --room, or change it there",
            room.origin
        ),
        _ => error,
    })
}

fn resolve_room(
    args: &RoomArgs,
    config: &ConfigArgs,
    extra: &Layer,
) -> anyhow::Result<ResolvedRoom> {
    use lectern::clock::Clock;
    use lectern::session::{LogChoice, Persistence, ScheduleOrigin, SessionOptions};

    let mut flags = room_layer(args);
    merge_layer(&mut flags, extra);
    let (settings, settings_file) = settings(config, &flags)?;
    let load_options = args.load.options();
    let poll = settings.poll_seconds.value;
    let url_origin = args.schedule.as_deref().and_then(url_of).map(|url| {
        let mut origin = lectern::fetch::UrlOrigin::new(url);
        // Without watching, the URL is fetched only when asked (R), still off the window's
        // thread.
        origin.poll = (!args.no_watch).then(|| std::time::Duration::from_secs(poll));
        origin
    });
    let loaded = match &url_origin {
        Some(origin) => start_from_url(origin, &load_options)?,
        None => load(args.schedule.as_deref(), &load_options)?.0,
    };
    let schedule = &loaded.schedule;
    let room = pick_configured_room(schedule, &settings.room)?;
    let rehearsal_start = match (&args.at, &args.schedule) {
        (Some(text), _) => Some(parse_at(text, schedule)?),
        (None, None) => Some(parse_at(DEMO_REHEARSAL_START, schedule)?),
        (None, Some(_)) => None,
    };
    let speed = args.speed.unwrap_or(1.0);
    if !(0.0..=10_000.0).contains(&speed) {
        bail!("--speed must be between 0 and 10000, not {speed}");
    }
    let clock = match rehearsal_start {
        Some(start) => Clock::rehearsal(start, speed),
        None if args.speed.is_some() => {
            bail!(
                "--speed needs a rehearsal: give --at TIME too (the real clock runs at its own speed)"
            )
        }
        None => Clock::Real,
    };
    // A rehearsal must not overwrite the state of the real event.
    let persistence = match (&args.state, args.no_state, clock.is_rehearsal()) {
        (Some(path), _, _) => Persistence::File(path.clone()),
        (None, true, _) | (None, false, true) => Persistence::Off,
        (None, false, false) => Persistence::StateDir,
    };
    // Nor its log: a rehearsal logs only where it is told to.
    let log = match (&args.log, clock.is_rehearsal()) {
        (Some(path), _) => LogChoice::File(path.clone()),
        (None, true) => LogChoice::Off,
        (None, false) => LogChoice::BesideState,
    };
    let session = SessionOptions {
        origin: match (&url_origin, &args.schedule) {
            (Some(origin), _) => ScheduleOrigin::Url(origin.clone()),
            (None, Some(path)) => ScheduleOrigin::File(path.clone()),
            (None, None) => ScheduleOrigin::Embedded,
        },
        room: Some(room),
        clock,
        thresholds: settings.thresholds(),
        persistence,
        log,
        load_options,
    };
    let server = if args.server.no_listen {
        None
    } else {
        Some(lectern::server::ServerConfig {
            listen: settings.listen.value,
            token: api_token(args.server.token.as_deref())?,
        })
    };
    Ok(ResolvedRoom {
        loaded,
        session,
        // A URL always has its poller: with --no-watch it fetches only when asked.
        watch: !args.no_watch || url_origin.is_some(),
        server,
        settings,
        settings_file: settings_file.map(|file| (file.path, flags)),
    })
}

/// Puts `extra`'s settings over `layer`'s.
fn merge_layer(layer: &mut Layer, extra: &Layer) {
    macro_rules! over {
        ($($field:ident),*) => {
            $(if extra.$field.is_some() {
                layer.$field = extra.$field.clone();
            })*
        };
    }
    over!(
        warning,
        danger,
        messages,
        theme,
        accent,
        logo,
        clock,
        blink,
        renderer,
        room,
        listen,
        poll_seconds
    );
}

/// The flags of the window's look, as a layer of settings. A logo given by a flag is read
/// here, so that a wrong file stops lectern before the window opens.
#[cfg(feature = "gui")]
fn look_layer(args: &DisplayArgs) -> anyhow::Result<Layer> {
    let look = &args.look;
    let logo = match &look.logo {
        Some(path) => {
            let logo = lectern::config::read_logo(path)
                .map_err(|(message, help)| anyhow::anyhow!("--logo: {message}\n  help: {help}"))?;
            Some(Sourced::flag(logo, "--logo"))
        }
        None => None,
    };
    Ok(Layer {
        theme: look.theme.map(|theme| Sourced::flag(theme, "--theme")),
        accent: look.accent.map(|accent| Sourced::flag(accent, "--accent")),
        clock: look.clock.map(|clock| Sourced::flag(clock, "--clock")),
        blink: args.blink.then(|| Sourced::flag(true, "--blink")),
        renderer: args
            .renderer
            .map(|renderer| Sourced::flag(renderer, "--renderer")),
        logo,
        ..Layer::default()
    })
}

/// Puts the settings in effect in the session, and watches the settings file for changes.
fn apply_settings(
    session: &lectern::session::SharedSession,
    settings: &Settings,
    settings_file: Option<(PathBuf, Layer)>,
) {
    use lectern::session::{RoomSession, lock};
    lock(session).apply_settings(settings);
    if let Some((path, flags)) = settings_file {
        RoomSession::watch_settings(session, path, flags);
    }
}

/// The API token: the one given, the one kept in the state directory, or (without a home
/// directory) one for this run only.
fn api_token(given: Option<&str>) -> anyhow::Result<String> {
    use lectern::server::token;
    if let Some(given) = given {
        token::validate(given)?;
        return Ok(given.to_owned());
    }
    match token::default_path() {
        Some(path) => Ok(token::load_or_create(&path)?),
        None => Ok(token::generate()?),
    }
}

/// Starts the server for a session. A server that cannot start never stops the room: the
/// reason is printed, and returned for the chair view.
fn start_server(
    session: &lectern::session::SharedSession,
    config: Option<lectern::server::ServerConfig>,
) -> (
    Option<lectern::server::ServerHandle>,
    Option<lectern::server::ServerInfo>,
) {
    let Some(config) = config else {
        return (None, None);
    };
    let token = config.token.clone();
    let listen = config.listen;
    match lectern::server::start(std::sync::Arc::clone(session), config) {
        Ok(handle) => {
            let info = lectern::server::ServerInfo::new(handle.address(), token);
            for url in &info.urls {
                eprintln!("lectern: the room's views and API are at {url}");
            }
            (Some(handle), Some(info))
        }
        Err(error) => {
            eprintln!("lectern: {error}");
            (
                None,
                Some(lectern::server::ServerInfo::failed(
                    listen,
                    error.to_string(),
                )),
            )
        }
    }
}

/// Keeps time for a room without a window, until interrupted.
fn serve(args: &RoomArgs, config: &ConfigArgs) -> anyhow::Result<ExitCode> {
    use lectern::session::RoomSession;

    if args.server.no_listen {
        bail!("`lectern serve` without its server has nothing to do: leave out --no-listen");
    }
    let resolved = resolve_room(args, config, &Layer::default())?;
    let session = RoomSession::new(resolved.session.clone(), resolved.loaded).shared();
    apply_settings(&session, &resolved.settings, resolved.settings_file);
    RoomSession::start_recording(&session);
    if resolved.watch {
        RoomSession::start_watching(&session);
    }
    let (handle, info) = start_server(&session, resolved.server);
    let Some(_handle) = handle else {
        let reason = info.and_then(|info| info.error).unwrap_or_default();
        bail!("{reason}");
    };
    // The server and the watcher run on their own threads; this one only keeps them alive.
    loop {
        std::thread::park();
    }
}

/// Opens the window: projector and chair views.
#[cfg(feature = "gui")]
fn display(args: &DisplayArgs, config: &ConfigArgs) -> anyhow::Result<ExitCode> {
    use lectern::app::{AppOptions, LecternApp};
    use lectern::session::RoomSession;

    let started = std::time::Instant::now();
    ensure_display()?;
    if args.overview.overview {
        return overview(args, config);
    }
    let resolved = resolve_room(&args.room, config, &look_layer(args)?)?;
    let options = AppOptions {
        origin: resolved.session.origin.clone(),
        room: resolved.session.room,
        clock: resolved.session.clock,
        thresholds: resolved.session.thresholds,
        // The settings' blink (the flag's included) is the session's, and follows the file.
        blink: false,
        persistence: resolved.session.persistence.clone(),
        started: Some(started),
        watch: resolved.watch,
        load_options: resolved.session.load_options.clone(),
        open_chair_view: args.chair,
        projector_monitor: args.monitor,
    };
    let renderer = resolved.settings.renderer.value;
    let session = RoomSession::new(resolved.session.clone(), resolved.loaded).shared();
    apply_settings(&session, &resolved.settings, resolved.settings_file);
    RoomSession::start_recording(&session);
    // The server is running before the window opens, and stops when the window closes.
    let (_server, server_info) = start_server(&session, resolved.server);
    let mut app = LecternApp::with_session(options, session);
    app.set_server_info(server_info);
    let title = app.title();
    open_window(args, renderer, &title, [480.0, 270.0], move |context| {
        LecternApp::install(context);
        let mut app = app;
        let context = context.clone();
        app.start_watching(move || context.request_repaint_of(eframe::egui::ViewportId::ROOT));
        app
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the hallway screen: every room at once.
#[cfg(feature = "gui")]
fn overview(args: &DisplayArgs, config: &ConfigArgs) -> anyhow::Result<ExitCode> {
    use lectern::overview_app::{OverviewApp, OverviewOptions, install};
    use lectern::session::{Persistence, RoomSession};

    let mut resolved = resolve_room(&args.room, config, &look_layer(args)?)?;
    for name in &args.overview.rooms {
        pick_room(&resolved.loaded.schedule, Some(name))?;
    }
    for feed in &args.overview.room_feed {
        pick_room(&resolved.loaded.schedule, Some(&feed.room))?;
    }
    // The hallway screen keeps no chair's state: each room's own lectern does.
    resolved.session.persistence = Persistence::Off;
    let clock = resolved.session.clock;
    let title = format!(
        "{} — all rooms — lectern",
        resolved.loaded.schedule.event().short_name
    );
    let renderer = resolved.settings.renderer.value;
    let session = RoomSession::new(resolved.session.clone(), resolved.loaded).shared();
    apply_settings(&session, &resolved.settings, resolved.settings_file);
    let (_server, _) = start_server(&session, resolved.server);
    let feeds = lectern::feed::RoomFeeds::start(&args.overview.room_feed, clock);
    let app = OverviewApp::new(
        session,
        OverviewOptions {
            rooms: args.overview.rooms.clone(),
            page_seconds: args.overview.page_seconds,
            watch: resolved.watch,
        },
        feeds,
    );
    open_window(args, renderer, &title, [360.0, 360.0], move |context| {
        install(context);
        let mut app = app;
        let context = context.clone();
        app.start_watching(move || context.request_repaint_of(eframe::egui::ViewportId::ROOT));
        app
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Opens the window (the projector's or the hallway screen's) with the size, screen and full
/// screen the flags ask for, and runs it until it is closed.
#[cfg(feature = "gui")]
fn open_window<S: lectern::window::Screen>(
    args: &DisplayArgs,
    renderer: lectern::window::Renderer,
    title: &str,
    min_size: [f32; 2],
    start: impl FnOnce(&eframe::egui::Context) -> S + 'static,
) -> anyhow::Result<()> {
    let mut viewport = eframe::egui::ViewportBuilder::default()
        .with_title(title)
        .with_app_id("lectern")
        .with_inner_size(
            args.size
                .map_or([1280.0, 720.0], |(width, height)| [width, height]),
        )
        .with_min_inner_size(min_size)
        .with_fullscreen(args.fullscreen);
    if let Some(monitor) = args.monitor {
        viewport = viewport.with_monitor(monitor);
    }
    lectern::window::run(renderer, viewport, start).map_err(|text| {
        // The window system's own error names library internals (and paths into the build's
        // registry); say what it means for the person at the keyboard.
        if text.contains("EventLoopError")
            || text.contains("X server")
            || text.contains("backend")
            || text.contains("display")
        {
            let display = std::env::var("DISPLAY").unwrap_or_default();
            anyhow::anyhow!(
                "{NO_DISPLAY} (DISPLAY={display} cannot be reached)\n  {NO_DISPLAY_HELP}"
            )
        } else {
            anyhow::anyhow!("cannot open the window: {text}")
        }
    })
}

/// What to say when there is no display to open the window on, and what to do.
#[cfg(feature = "gui")]
const NO_DISPLAY: &str = "no display found to open the projector window on";
#[cfg(feature = "gui")]
const NO_DISPLAY_HELP: &str = "help: run lectern on the room computer's desktop (or set DISPLAY); `lectern now` prints the same information in a terminal";

/// Refuses to start the window where no display can be reached, before loading anything.
#[cfg(feature = "gui")]
fn ensure_display() -> anyhow::Result<()> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            bail!("{NO_DISPLAY}\n  {NO_DISPLAY_HELP}");
        }
    }
    Ok(())
}

/// Without the window, the display prints the status at the rehearsal instant.
#[cfg(not(feature = "gui"))]
fn display(args: &DisplayArgs, config: &ConfigArgs) -> anyhow::Result<ExitCode> {
    let args = &args.room;
    let (settings, _) = settings(config, &room_layer(args))?;
    let (loaded, _) = load(args.schedule.as_deref(), &args.load.options())?;
    let schedule = &loaded.schedule;
    let room = pick_configured_room(schedule, &settings.room)?;
    let now = match (&args.at, &args.schedule) {
        (Some(text), _) => parse_at(text, schedule)?,
        (None, None) => parse_at(DEMO_REHEARSAL_START, schedule)?,
        (None, Some(_)) => lectern::clock::system_now(),
    };
    let chair = ChairState::default();
    let status = status_at(schedule, room, now, &chair, &settings.thresholds());
    print!("{}", report::status_text(schedule, &status));
    Ok(ExitCode::SUCCESS)
}

/// Loads a schedule file, or the embedded program when no path is given. Returns the schedule
/// and the name it is reported under.
fn load(path: Option<&Path>, options: &LoadOptions) -> anyhow::Result<(Loaded, String)> {
    match path {
        Some(path) if url_of(path).is_some() => {
            let (bytes, name, fetched) = read_schedule(path)?;
            let loaded = lectern::formats::load_bytes(&bytes, options)
                .map_err(|error| anyhow::anyhow!("{}", error.render(&name)))?;
            remember(fetched.as_ref());
            Ok((loaded, name))
        }
        Some(path) => {
            let loaded = source::load_file(path, options)?;
            Ok((loaded, path.display().to_string()))
        }
        None => {
            let loaded = source::load_embedded()
                .map_err(|error| anyhow::anyhow!("{}", error.render(EMBEDDED_NAME)))
                .context("the built-in schedule is broken; please report this")?;
            Ok((loaded, EMBEDDED_NAME.to_owned()))
        }
    }
}

fn check(path: &Path, options: &LoadOptions) -> ExitCode {
    use std::io::Write as _;
    let (bytes, name, fetched) = match read_schedule(path) {
        Ok(read) => read,
        Err(error) => {
            println!("{error:#}");
            return ExitCode::from(1);
        }
    };
    match lectern::formats::load_bytes(&bytes, options) {
        Ok(loaded) => {
            remember(fetched.as_ref());
            // Thousands of warnings are written through one buffer: a write per line would
            // take longer than reading the file.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for warning in &loaded.warnings {
                let _ = writeln!(out, "{}", warning.render(&name));
            }
            let schedule = &loaded.schedule;
            let _ = writeln!(
                out,
                "{name}: ok: {}, {}, {}, {}; {} to {} ({})",
                text::count(schedule.sessions().len(), "session", "sessions"),
                text::count(schedule.talk_count(), "talk", "talks"),
                text::count(schedule.rooms().len(), "room", "rooms"),
                text::count(loaded.warnings.len(), "warning", "warnings"),
                schedule
                    .first_start()
                    .with_timezone(&schedule.event().time_zone)
                    .format("%Y-%m-%d %H:%M"),
                schedule
                    .last_end()
                    .with_timezone(&schedule.event().time_zone)
                    .format("%Y-%m-%d %H:%M"),
                schedule.event().time_zone.name()
            );
            let _ = writeln!(
                out,
                "{name}: time zone {}, {}",
                schedule.event().time_zone.name(),
                loaded.time_zone_source
            );
            // A reader that stops early (`| head`) has all it wanted: the check itself passed.
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("{}", error.render(&name));
            ExitCode::from(1)
        }
    }
}

/// Converts a schedule into lectern's own JSON. Errors and warnings go to the standard error,
/// so that the standard output carries only the JSON.
fn import(path: &Path, output: Option<&Path>, options: &LoadOptions) -> anyhow::Result<ExitCode> {
    let (bytes, name, fetched) = read_schedule(path)?;
    let format = options.format.or_else(|| Format::detect(&bytes));
    let loaded = match lectern::formats::load_bytes(&bytes, options) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("{}", error.render(&name));
            return Ok(ExitCode::from(1));
        }
    };
    remember(fetched.as_ref());
    for warning in &loaded.warnings {
        eprintln!("{}", warning.render(&name));
    }
    let text = lectern::formats::native::write(&loaded.schedule);
    match output.filter(|output| *output != Path::new("-")) {
        Some(output) => lectern::write::write_file(output, text.as_bytes())?,
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A reader that stops early (`| head`) has all it wanted.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write the standard output")?,
            }
        }
    }
    let schedule = &loaded.schedule;
    eprintln!(
        "{name}: imported {} as {}, {}, {}; time zone {}, {}",
        format.map_or("the schedule", Format::description),
        text::count(schedule.sessions().len(), "session", "sessions"),
        text::count(schedule.talk_count(), "talk", "talks"),
        text::count(schedule.rooms().len(), "room", "rooms"),
        schedule.event().time_zone.name(),
        loaded.time_zone_source
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints planned against actual from the chair's log: the one given, or those lectern keeps
/// in the state directory for this schedule (one per room).
fn planned_report(
    schedule_path: Option<&Path>,
    options: &LoadOptions,
    log: Option<&Path>,
    room: Option<&str>,
    day: Option<NaiveDate>,
    format: ReportFormat,
) -> anyhow::Result<ExitCode> {
    use lectern::chair_log::{self, LogError};
    use lectern::planned;

    let (loaded, name) = load(schedule_path, options)?;
    let schedule = &loaded.schedule;
    let wanted = room
        .map(|room| pick_room(schedule, Some(room)))
        .transpose()?;
    let print_warnings = |read: &chair_log::ReadLog, path: &Path| {
        for warning in &read.warnings {
            eprintln!("{warning}");
        }
        if read.more_warnings > 0 {
            eprintln!(
                "{}: warning: {} more lines are skipped",
                path.display(),
                read.more_warnings
            );
        }
    };
    let (entries, rooms) = match log {
        Some(path) => {
            let read = match chair_log::read(path) {
                Err(LogError::Missing { .. }) => bail!(
                    "{}: no chair's log here; give the file lectern was started with --log, or leave out --log for the one in the state directory",
                    path.display()
                ),
                other => other?,
            };
            print_warnings(&read, path);
            let rooms = match wanted {
                Some(room) => vec![room],
                None => planned::rooms_in_log(schedule, &read.entries),
            };
            if rooms.is_empty() {
                bail!(
                    "{}: the chair's log names no room of {name}; give the schedule the log was written for",
                    path.display()
                );
            }
            (read.entries, rooms)
        }
        None => {
            let candidates: Vec<RoomId> = match wanted {
                Some(room) => vec![room],
                None => (0..schedule.rooms().len()).map(RoomId).collect(),
            };
            let mut entries = Vec::new();
            let mut rooms = Vec::new();
            let mut looked = Vec::new();
            for room in candidates {
                let room_name = &schedule.room(room).name;
                let Some(path) = chair_log::in_state_dir(&name, room_name) else {
                    bail!(
                        "no state directory to find the chair's log in (neither XDG_STATE_HOME nor HOME is set); give --log FILE"
                    );
                };
                match chair_log::read(&path) {
                    Ok(read) => {
                        print_warnings(&read, &path);
                        entries.extend(read.entries);
                        rooms.push(room);
                    }
                    Err(LogError::Missing { .. }) => looked.push((room_name.clone(), path)),
                    Err(error) => return Err(error.into()),
                }
            }
            if rooms.is_empty() {
                let places = looked
                    .iter()
                    .map(|(room, path)| format!("{room} at {}", path.display()))
                    .collect::<Vec<_>>()
                    .join(", ");
                bail!(
                    "no chair's log for {name} ({places}); lectern writes one while it keeps time for a room with this schedule, named as given (rehearsals only with --log): give --log FILE, or the schedule path lectern was started with"
                );
            }
            (entries, rooms)
        }
    };
    let reports: Vec<planned::RoomReport<'_>> = rooms
        .into_iter()
        .map(|room| planned::room_report(schedule, room, &entries, day))
        .collect();
    let text = match format {
        ReportFormat::Md => planned::markdown(schedule, &reports),
        ReportFormat::Csv => planned::csv(schedule, &reports),
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report::planned_json(schedule, &reports))?;
            text.push('\n');
            text
        }
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to the standard output; a reader that stops early (`| head`) has all it wanted.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write the standard output"),
    }
}

/// The URL in a schedule argument, if it is one rather than a path.
fn url_of(path: &Path) -> Option<&str> {
    path.to_str().filter(|text| lectern::fetch::is_url(text))
}

/// A URL read once, to be cached once its program loads.
type Fetched = (lectern::fetch::UrlOrigin, lectern::fetch::UrlBytes);

/// Reads a schedule argument: a file as it is, a URL fetched once (its cached copy when it
/// cannot be fetched, saying so on the standard error). Returns the bytes, the name to report
/// them under, and for a URL what to cache once they load.
fn read_schedule(path: &Path) -> anyhow::Result<(Vec<u8>, String, Option<Fetched>)> {
    let Some(url) = url_of(path) else {
        let bytes = source::read_limited(path)?;
        return Ok((bytes, path.display().to_string(), None));
    };
    let origin = lectern::fetch::UrlOrigin::new(url);
    let read = lectern::fetch::read_once(&origin)?;
    if let Some((fetched_at, error)) = &read.fallback {
        eprintln!("lectern: {error}");
        eprintln!(
            "lectern: using the copy of {url} cached at {}",
            fetched_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    let bytes = read.bytes.clone();
    Ok((bytes, url.to_owned(), Some((origin, read))))
}

/// Keeps a URL's program that loaded as its last good copy.
fn remember(fetched: Option<&Fetched>) {
    if let Some((origin, read)) = fetched {
        lectern::fetch::remember(origin, read);
    }
}

/// The program a room starts with from a URL: the cached copy at once, else one fetch.
fn start_from_url(
    origin: &lectern::fetch::UrlOrigin,
    options: &LoadOptions,
) -> anyhow::Result<Loaded> {
    let (loaded, from) = lectern::fetch::start_load(origin, options)?;
    if let lectern::fetch::StartedFrom::Cache(fetched_at) = from {
        eprintln!(
            "lectern: starting with the copy of {} cached at {}; fetching it now",
            origin.url,
            fetched_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    Ok(loaded)
}

fn pick_room(schedule: &Schedule, name: Option<&str>) -> anyhow::Result<RoomId> {
    match name {
        None => Ok(schedule.event().default_room),
        Some(name) => schedule.find_room(name).with_context(|| {
            let names: Vec<&str> = schedule
                .rooms()
                .iter()
                .map(|room| room.name.as_str())
                .collect();
            format!(
                "no room named `{name}` in this schedule; the rooms are: {}",
                names.join(", ")
            )
        }),
    }
}

fn parse_size(text: &str) -> Result<(f32, f32), String> {
    let parsed = text
        .split_once(['x', 'X'])
        .and_then(|(width, height)| {
            Some((
                width.trim().parse::<u16>().ok()?,
                height.trim().parse::<u16>().ok()?,
            ))
        })
        .filter(|&(width, height)| width >= 200 && height >= 150);
    parsed
        .map(|(width, height)| (f32::from(width), f32::from(height)))
        .ok_or_else(|| format!("`{text}` is not a window size such as 1920x1080"))
}

fn parse_at(text: &str, schedule: &Schedule) -> anyhow::Result<DateTime<Utc>> {
    let zone = schedule.event().time_zone;
    parse_instant(text, zone)
        .map(|(instant, _)| instant)
        .map_err(|error| {
            anyhow::anyhow!("--at: {error} (read in {zone})\n  help: {}", error.help())
        })
}
