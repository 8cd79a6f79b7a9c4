//! Live rooms for the hallway screen: each room's own lectern, followed over its event stream
//! (`/api/v1/events`), so that the overview shows the room's real state (running late, paused,
//! a message) and not only the schedule's.
//!
//! Every room's machine owns its state; the overview only reads, one thread a feed, and
//! nothing depends on a central server. A feed that is down (refused, silent, malformed) leaves
//! the room to the schedule, and the overview says since when. The room's instants are moved
//! onto the overview's clock by the offset measured at each message, so that two machines
//! whose clocks disagree (or a room that rehearses) still count down alike.

use std::collections::HashMap;
use std::io::ErrorKind;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::clock::Clock;
use crate::session::Listener;
use crate::timing::Phase;
use crate::venue::{LineSource, LineState, RoomLine, VenueStatus};

/// The most a feed's message may hold; a status is a few kilobytes.
const MAX_MESSAGE_BYTES: usize = 1 << 20;
/// How long a feed may stay silent before it counts as down. The room's lectern sends a
/// status at least once a minute and answers the pings sent every [`PING_EVERY`] at once.
const SILENCE: StdDuration = StdDuration::from_secs(25);
const PING_EVERY: StdDuration = StdDuration::from_secs(10);
/// The longest wait between two attempts to reach a room that is down.
const MAX_RETRY: StdDuration = StdDuration::from_secs(30);

/// One room's feed: which room, and where its lectern is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    /// The room's name in the program.
    pub room: String,
    /// The room's lectern: `http://host:port` (or `ws://`).
    pub url: String,
}

impl std::str::FromStr for FeedSpec {
    type Err = String;

    /// `ROOM=URL`, as given to `--room-feed`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let Some((room, url)) = text.split_once('=') else {
            return Err(format!(
                "`{text}` is not ROOM=URL; for example \"Saal 1=http://10.0.0.21:4810\""
            ));
        };
        let room = room.trim();
        if room.is_empty() {
            return Err(format!("`{text}` names no room before the `=`"));
        }
        endpoint(url.trim())?;
        Ok(FeedSpec {
            room: room.to_owned(),
            url: url.trim().to_owned(),
        })
    }
}

/// The host, port and path of a room's event stream.
fn endpoint(url: &str) -> Result<(String, u16), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("ws://"))
        .ok_or_else(|| {
            format!("`{url}` is not an http:// or ws:// address of a room's lectern (https is not served by lectern)")
        })?;
    let authority = rest.split('/').next().unwrap_or_default();
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || host.starts_with('[') => {
            let port = port
                .parse::<u16>()
                .map_err(|_| format!("`{url}` has no valid port"))?;
            (host, port)
        }
        _ => (authority, 80),
    };
    if host.is_empty() {
        return Err(format!("`{url}` names no host"));
    }
    Ok((host.trim_matches(['[', ']']).to_owned(), port))
}

/// What a feed last said.
#[derive(Debug, Clone)]
struct FeedState {
    /// The room's line from its last status, on the overview's clock.
    line: Option<RoomLine>,
    /// Whether the feed is connected and talking.
    up: bool,
    /// Since when it is down (from the start, until it first connects).
    down_since: DateTime<Utc>,
}

type Shared = Arc<Mutex<HashMap<String, FeedState>>>;

fn lock_states(states: &Shared) -> MutexGuard<'_, HashMap<String, FeedState>> {
    states
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The rooms' feeds, each followed on a thread of its own.
#[derive(Clone, Default)]
pub struct RoomFeeds {
    states: Shared,
    listeners: Arc<Mutex<Vec<Listener>>>,
}

impl RoomFeeds {
    /// No feeds: the schedule alone.
    pub fn none() -> Self {
        RoomFeeds::default()
    }

    /// Starts following each feed, on the overview's `clock`.
    pub fn start(specs: &[FeedSpec], clock: Clock) -> Self {
        let feeds = RoomFeeds::default();
        let now = clock.now();
        for spec in specs {
            lock_states(&feeds.states).insert(
                spec.room.clone(),
                FeedState {
                    line: None,
                    up: false,
                    down_since: now,
                },
            );
            let feeds = feeds.clone();
            let followed = spec.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("feed {}", spec.room))
                .spawn(move || follow(&followed, &feeds, clock));
            if let Err(error) = spawned {
                eprintln!("lectern: cannot follow {}: {error}", spec.room);
            }
        }
        feeds
    }

    /// Adds a listener, called whenever a feed says something new or goes down.
    pub fn subscribe(&self, listener: Listener) {
        self.listeners
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(listener);
    }

    fn changed(&self) {
        let listeners = self
            .listeners
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        for listener in listeners {
            listener();
        }
    }

    fn set(&self, room: &str, update: impl FnOnce(&mut FeedState)) {
        if let Some(state) = lock_states(&self.states).get_mut(room) {
            update(state);
        }
        self.changed();
    }

    /// Replaces the schedule's line of every room whose feed is up with what the room says;
    /// marks the others as shown from the schedule since their feed went down.
    pub fn lay_in(&self, venue: &mut VenueStatus, _now: DateTime<Utc>) {
        let states = lock_states(&self.states);
        for line in &mut venue.rooms {
            let Some(state) = states.get(&line.room) else {
                continue;
            };
            match (&state.line, state.up) {
                // A venue-wide item the room shows too stays above the rooms, said once.
                (Some(from_feed), true)
                    if line.state == LineState::VenueWide
                        && venue
                            .venue_wide
                            .iter()
                            .any(|item| item.title == from_feed.title) =>
                {
                    line.source = LineSource::Feed;
                }
                (Some(from_feed), true) => *line = from_feed.clone(),
                _ => line.source = LineSource::FeedDown(state.down_since),
            }
        }
    }
}

/// Follows one feed for as long as the program runs: connect, read statuses, and on any
/// failure mark the room down and try again after a growing pause.
fn follow(spec: &FeedSpec, feeds: &RoomFeeds, clock: Clock) {
    let mut retry = StdDuration::from_secs(1);
    loop {
        let result = follow_once(spec, feeds, clock);
        let now = clock.now();
        feeds.set(&spec.room, |state| {
            if state.up {
                state.down_since = now;
            }
            state.up = false;
        });
        if result.is_ok() {
            retry = StdDuration::from_secs(1);
        }
        std::thread::sleep(retry);
        retry = (retry * 2).min(MAX_RETRY);
    }
}

fn follow_once(spec: &FeedSpec, feeds: &RoomFeeds, clock: Clock) -> Result<(), String> {
    let (host, port) = endpoint(&spec.url)?;
    let address = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|error| error.to_string())?
        .next()
        .ok_or_else(|| format!("{host} has no address"))?;
    let stream = TcpStream::connect_timeout(&address, StdDuration::from_secs(3))
        .map_err(|error| error.to_string())?;
    stream
        .set_read_timeout(Some(PING_EVERY))
        .map_err(|error| error.to_string())?;
    let room = percent_encode(&spec.room);
    let url = format!("ws://{host}:{port}/api/v1/events?room={room}");
    let config = tungstenite::protocol::WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES));
    let (mut socket, _) =
        tungstenite::client::client_with_config(url.as_str(), stream, Some(config))
            .map_err(|error| error.to_string())?;
    let mut last_heard = std::time::Instant::now();
    let mut last_ping = std::time::Instant::now();
    loop {
        match socket.read() {
            Ok(tungstenite::Message::Text(text)) => {
                last_heard = std::time::Instant::now();
                if let Some(line) = line_from_status(text.as_str(), &spec.room, clock.now()) {
                    feeds.set(&spec.room, |state| {
                        state.line = Some(line);
                        state.up = true;
                    });
                }
            }
            Ok(tungstenite::Message::Close(_)) => return Ok(()),
            Ok(_) => last_heard = std::time::Instant::now(),
            Err(tungstenite::Error::Io(error))
                if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(error) => return Err(error.to_string()),
        }
        if last_heard.elapsed() > SILENCE {
            return Err("the room's lectern went silent".to_owned());
        }
        if last_ping.elapsed() >= PING_EVERY {
            last_ping = std::time::Instant::now();
            let ping = r#"{"type": "ping", "id": "overview"}"#;
            socket
                .send(tungstenite::Message::text(ping))
                .map_err(|error| error.to_string())?;
        }
    }
}

fn percent_encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

// The parts of a room's status that the overview uses; the rest is ignored, so that a newer
// lectern in a room still feeds an older overview.

#[derive(Deserialize)]
struct RawStatus {
    #[serde(rename = "type")]
    kind: String,
    room: String,
    time_zone: String,
    state: String,
    clock: RawClock,
    live: Option<RawLive>,
    next: Option<RawNext>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct RawClock {
    now: DateTime<Utc>,
}

#[derive(Deserialize)]
struct RawLive {
    session: RawSession,
    talk: Option<RawTalk>,
    countdown_end: DateTime<Utc>,
    phase: String,
    part: Option<String>,
    paused: bool,
    delay_seconds: Option<i64>,
    projected_session_end: Option<DateTime<Utc>>,
    hold_until: Option<DateTime<Utc>>,
    #[serde(default)]
    remaining_talks: Vec<RawProjected>,
}

#[derive(Deserialize)]
struct RawSession {
    title: String,
}

#[derive(Deserialize)]
struct RawTalk {
    title: String,
    speakers_line: String,
}

#[derive(Deserialize)]
struct RawProjected {
    talk: RawTalk,
    projected_start: DateTime<Utc>,
}

#[derive(Deserialize)]
struct RawNext {
    session: RawSession,
    at: DateTime<Utc>,
}

/// A room's line from one of its status messages, with its instants moved onto the
/// overview's clock (`now` when the message arrived). `None` for anything else (a clock
/// reply, another room, a malformed message).
pub fn line_from_status(text: &str, room: &str, now: DateTime<Utc>) -> Option<RoomLine> {
    let raw: RawStatus = serde_json::from_str(text).ok()?;
    if raw.kind != "status" || raw.room != room {
        return None;
    }
    let offset = now.signed_duration_since(raw.clock.now);
    let here = |instant: DateTime<Utc>| instant.checked_add_signed(offset).unwrap_or(instant);
    let mut line = RoomLine {
        room: raw.room,
        state: LineState::Done,
        title: String::new(),
        speakers: String::new(),
        session: None,
        ends_at: None,
        phase: None,
        next_title: raw.next.as_ref().map(|next| next.session.title.clone()),
        next_at: raw.next.as_ref().map(|next| here(next.at)),
        notes: Vec::new(),
        source: LineSource::Feed,
    };
    match (raw.state.as_str(), raw.live) {
        ("live", Some(live)) => {
            line.state = LineState::Live;
            line.ends_at = Some(here(live.countdown_end));
            line.phase = match live.phase.as_str() {
                "on_time" => Some(Phase::OnTime),
                "warning" => Some(Phase::Warning),
                "danger" => Some(Phase::Danger),
                "overtime" => Some(Phase::Overtime),
                _ => None,
            };
            match &live.talk {
                Some(talk) => {
                    line.title = talk.title.clone();
                    line.speakers = talk.speakers_line.clone();
                    if live.session.title != talk.title {
                        line.session = Some(live.session.title.clone());
                    }
                }
                None => line.title = live.session.title.clone(),
            }
            if live.hold_until.is_some()
                && let Some(next) = live.remaining_talks.first()
            {
                line.title = next.talk.title.clone();
                line.speakers = next.talk.speakers_line.clone();
                line.notes.push("next paper soon".to_owned());
            }
            if let Some(next) = live.remaining_talks.iter().find(|next| {
                live.hold_until
                    .is_none_or(|until| next.projected_start > until)
            }) {
                line.next_title = Some(next.talk.title.clone());
                line.next_at = Some(here(next.projected_start));
            }
            if live.part.as_deref() == Some("questions") {
                line.notes.push("questions".to_owned());
            }
            if live.paused {
                line.notes.push("paused".to_owned());
            }
            if let (Some(delay), Some(end)) = (live.delay_seconds, live.projected_session_end) {
                let late = Duration::seconds(delay).num_minutes();
                if late > 0 {
                    let zone =
                        crate::timeparse::parse_zone(&raw.time_zone).unwrap_or(chrono_tz::UTC);
                    line.notes.push(format!(
                        "running {late} min late, ends {}",
                        crate::text::time_of_day(here(end), zone)
                    ));
                }
            }
        }
        (_, _) if line.next_at.is_some() => line.state = LineState::Waiting,
        _ => {}
    }
    if let Some(message) = raw.message {
        line.notes.push(format!("“{message}”"));
    }
    Some(line)
}
