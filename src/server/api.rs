//! The versioned JSON API: status, schedule, countdown, the event stream and chair commands.
//!
//! Handlers are thin: they check and parse the request (a JSON error with a status code for
//! anything malformed, before the session is touched), hand commands to the room session, and
//! answer with the status computed the same way the projector computes it.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ServerState;
use super::token;
use crate::chair::{AbsorbPolicy, ChairCommand, ChairState, MAX_ADDED_SECONDS, MAX_MESSAGE_CHARS};
use crate::model::RoomId;
use crate::report::{StatusJson, status_json};
use crate::session::{NoticeLevel, RoomSnapshot, lock};
use crate::text;
use crate::timing::{Activity, RoomStatus, Thresholds, status_at};

/// How long a WebSocket client may take to take in one message before it is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest a WebSocket task sleeps without looking again; a safety net for changes no
/// boundary announces (the conference day turning over).
const MAX_QUIET: Duration = Duration::from_secs(60);

/// The largest message a WebSocket client may send (its clock pings are tiny).
const MAX_CLIENT_MESSAGE_BYTES: usize = 1024;

/// An error answer: what is wrong and what to do.
#[derive(Debug, Serialize)]
struct ApiError {
    #[serde(skip)]
    status: StatusCode,
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
}

impl ApiError {
    fn new(status: StatusCode, error: impl Into<String>, help: impl Into<String>) -> Self {
        ApiError {
            status,
            error: error.into(),
            help: Some(help.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, json_body(&self)).into_response();
        set_json_headers(&mut response);
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"lectern\""),
            );
        }
        response
    }
}

fn json_body(value: &impl Serialize) -> String {
    // Serialising these plain structures cannot fail; an empty object is a safe answer anyway.
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

fn set_json_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // A status is true for an instant; no cache may keep it.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn json_response(value: &impl Serialize) -> Response {
    let mut response = json_body(value).into_response();
    set_json_headers(&mut response);
    response
}

/// `?room=NAME`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoomQuery {
    room: Option<String>,
}

/// The query of `GET /api/v1/venue`: the rooms to show, comma-separated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VenueQuery {
    rooms: Option<String>,
}

/// The server's clock, so that a page can count down exactly as the projector does.
#[derive(Debug, Serialize)]
struct ClockJson {
    /// The server's instant (the rehearsal clock's during a rehearsal).
    now: DateTime<Utc>,
    /// The same in milliseconds since 1970.
    now_ms: i64,
    /// Whether this is a rehearsal clock.
    rehearsal: bool,
    /// How many clock seconds pass per real second.
    speed: f64,
}

#[derive(Debug, Serialize)]
struct ThresholdsJson {
    warning_seconds: i64,
    danger_seconds: i64,
}

#[derive(Debug, Serialize)]
struct NoticeJson {
    text: String,
    level: &'static str,
}

/// What `GET /api/v1/status` answers and the event stream sends.
#[derive(Debug, Serialize)]
struct ApiStatus {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    status: StatusJson,
    /// The event's short name, for headers.
    event_short: String,
    clock: ClockJson,
    thresholds: ThresholdsJson,
    /// Whether this lectern keeps time for the room (its chair's overrides apply), or only
    /// follows the schedule for it.
    kept_here: bool,
    /// The room this lectern keeps time for.
    chair_room: String,
    /// What every display must say about itself (a stale schedule, a rehearsal clock).
    notices: Vec<NoticeJson>,
    /// Counts the session's changes.
    revision: u64,
    /// How pages write times of day: `24h` or `12h`, as the settings say.
    clock_format: &'static str,
    /// The preset messages of the settings, for the phone remote's buttons.
    messages: Vec<PresetJson>,
}

/// A preset message.
#[derive(Debug, Serialize)]
struct PresetJson {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
}

/// Which room a request is about: the one named, or the one this lectern keeps time for.
fn pick_room(snapshot: &RoomSnapshot, name: Option<&str>) -> Result<RoomId, ApiError> {
    match name {
        None => Ok(snapshot.room),
        Some(name) => snapshot.schedule.find_room(name).ok_or_else(|| {
            let names: Vec<&str> = snapshot
                .schedule
                .rooms()
                .iter()
                .map(|room| room.name.as_str())
                .collect();
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no room named `{name}` in this schedule"),
                format!("the rooms are: {}", names.join(", ")),
            )
        }),
    }
}

/// Computes the room's status from a snapshot, for the API.
fn with_status<T>(
    snapshot: &RoomSnapshot,
    room: RoomId,
    use_status: impl FnOnce(&RoomStatus<'_>, bool) -> T,
) -> T {
    let now = snapshot.clock.now();
    let kept_here = room == snapshot.room;
    let schedule_only = ChairState::default();
    let chair = if kept_here {
        &snapshot.chair
    } else {
        &schedule_only
    };
    let status = status_at(&snapshot.schedule, room, now, chair, &snapshot.thresholds);
    use_status(&status, kept_here)
}

fn notices_json(snapshot: &RoomSnapshot) -> Vec<NoticeJson> {
    snapshot
        .screen_notices()
        .into_iter()
        .map(|notice| NoticeJson {
            text: notice.text,
            level: match notice.level {
                NoticeLevel::Info => "info",
                NoticeLevel::Warning => "warning",
                NoticeLevel::Error => "error",
            },
        })
        .collect()
}

fn api_status(snapshot: &RoomSnapshot, status: &RoomStatus<'_>, kept_here: bool) -> ApiStatus {
    let notices = notices_json(snapshot);
    ApiStatus {
        kind: "status",
        status: status_json(&snapshot.schedule, status),
        event_short: snapshot.schedule.event().short_name.clone(),
        clock: clock_json(snapshot, status.now),
        thresholds: thresholds_json(&snapshot.thresholds),
        kept_here,
        chair_room: snapshot.schedule.room(snapshot.room).name.clone(),
        notices,
        revision: snapshot.revision,
        clock_format: snapshot.appearance.clock.name(),
        messages: snapshot
            .appearance
            .messages
            .iter()
            .map(|message| PresetJson {
                text: message.text.clone(),
                key: message.key.clone(),
            })
            .collect(),
    }
}

fn clock_json(snapshot: &RoomSnapshot, now: DateTime<Utc>) -> ClockJson {
    ClockJson {
        now,
        now_ms: now.timestamp_millis(),
        rehearsal: snapshot.clock.is_rehearsal(),
        speed: snapshot.clock.speed(),
    }
}

fn thresholds_json(thresholds: &Thresholds) -> ThresholdsJson {
    ThresholdsJson {
        warning_seconds: thresholds.warning.num_seconds(),
        danger_seconds: thresholds.danger.num_seconds(),
    }
}

fn query_error(rejection: QueryRejection) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        format!("bad query: {}", rejection.body_text()),
        "the only query parameter is `room`, a room's name",
    )
}

/// The snapshot and room a read is about, from its `?room=` query.
fn read_target(
    state: &ServerState,
    query: Result<Query<RoomQuery>, QueryRejection>,
) -> Result<(RoomSnapshot, RoomId), ApiError> {
    let Query(query) = query.map_err(query_error)?;
    let snapshot = lock(&state.session).snapshot();
    let room = pick_room(&snapshot, query.room.as_deref())?;
    Ok((snapshot, room))
}

/// `GET /api/v1/status[?room=NAME]`.
pub(crate) async fn status(
    State(state): State<ServerState>,
    query: Result<Query<RoomQuery>, QueryRejection>,
) -> Response {
    match read_target(&state, query) {
        Ok((snapshot, room)) => {
            json_response(&with_status(&snapshot, room, |status, kept_here| {
                api_status(&snapshot, status, kept_here)
            }))
        }
        Err(error) => error.into_response(),
    }
}

/// The most rooms a venue query may name; more than any program has, and a bound on work.
const MAX_QUERY_ROOMS: usize = 512;

/// `GET /api/v1/venue[?rooms=A,B]`: every room at this instant, for the hallway screen. The
/// room this lectern keeps time for shows its chair's state; the others follow the schedule.
pub(crate) async fn venue(
    State(state): State<ServerState>,
    query: Result<Query<VenueQuery>, QueryRejection>,
) -> Response {
    let Query(query) = match query.map_err(query_error) {
        Ok(query) => query,
        Err(error) => return error.into_response(),
    };
    let snapshot = lock(&state.session).snapshot();
    let mut rooms = Vec::new();
    for name in query
        .rooms
        .iter()
        .flat_map(|names| names.split(','))
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .take(MAX_QUERY_ROOMS)
    {
        match pick_room(&snapshot, Some(name)) {
            Ok(room) => rooms.push(room),
            Err(error) => return error.into_response(),
        }
    }
    let now = snapshot.clock.now();
    let mut venue = crate::venue::venue_at(&snapshot.schedule, &rooms, now, &snapshot.thresholds);
    let kept_here = snapshot.schedule.room(snapshot.room).name.clone();
    let own = status_at(
        &snapshot.schedule,
        snapshot.room,
        now,
        &snapshot.chair,
        &snapshot.thresholds,
    );
    for line in &mut venue.rooms {
        if line.room == kept_here && line.state != crate::venue::LineState::VenueWide {
            *line = crate::venue::room_line(&own);
        }
    }
    json_response(&ApiVenue {
        kind: "venue",
        venue: crate::report::venue_json(&snapshot.schedule, &venue, Some(&kept_here)),
        now_ms: now.timestamp_millis(),
        notices: notices_json(&snapshot),
    })
}

/// The venue as the API sends it: with the clock in milliseconds, for pages that count down,
/// and what every display must say about itself.
#[derive(Debug, Serialize)]
struct ApiVenue {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    venue: crate::report::VenueJson,
    now_ms: i64,
    notices: Vec<NoticeJson>,
}

/// `GET /api/v1/schedule`: the program in lectern's own format. The model holds only what a
/// projector shows, so nothing private can leave through it.
pub(crate) async fn schedule(State(state): State<ServerState>) -> Response {
    let schedule = std::sync::Arc::clone(lock(&state.session).schedule());
    let mut response = crate::formats::native::write(&schedule).into_response();
    set_json_headers(&mut response);
    response
}

/// `GET /api/v1/countdown[?room=NAME]`: the big countdown as plain text ("12:34", "+01:05"),
/// or the time until the next item when nothing is on, for button labels.
pub(crate) async fn countdown(
    State(state): State<ServerState>,
    query: Result<Query<RoomQuery>, QueryRejection>,
) -> Response {
    let (snapshot, room) = match read_target(&state, query) {
        Ok(target) => target,
        Err(error) => return error.into_response(),
    };
    let label = with_status(&snapshot, room, |status, _| match &status.activity {
        Activity::Live(live) => text::countdown(live.countdown().remaining),
        Activity::BeforeEvent { starts_in } => text::countdown(*starts_in),
        _ => status.next.as_ref().map_or_else(
            || "--:--".to_owned(),
            |next| text::countdown(next.starts_in),
        ),
    });
    let mut response = label.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The body of `POST /api/v1/command`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandRequest {
    command: String,
    #[serde(default)]
    seconds: Option<i64>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    room: Option<String>,
}

/// The commands, for error messages.
const COMMANDS: &str = "start_now, toggle_pause, pause, resume, add (with seconds), next, previous, questions, end_talk, absorb (with policy), back_to_schedule, message (with text), clear_message, blank, unblank";

/// What a request asks of the session, checked before the session is touched.
#[derive(Debug, Clone, PartialEq)]
enum Request {
    /// A command applied as it is.
    Always(ChairCommand),
    /// Pause (`true`) or resume (`false`): a toggle only when the timer is not already so.
    Paused(bool),
    /// Blank (`true`) or show (`false`) the projector.
    Blanked(bool),
}

fn parse_command(body: &[u8]) -> Result<(Request, Option<String>), ApiError> {
    let request: CommandRequest = serde_json::from_slice(body).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not a command: {error}"),
            format!("send JSON such as {{\"command\": \"next\"}}; the commands are: {COMMANDS}"),
        )
    })?;
    let bad = |error: String, help: &str| ApiError::new(StatusCode::BAD_REQUEST, error, help);
    let no_extra = |request: &CommandRequest| -> Result<(), ApiError> {
        if request.seconds.is_some() || request.text.is_some() {
            return Err(bad(
                format!("`{}` takes neither `seconds` nor `text`", request.command),
                "leave them out",
            ));
        }
        Ok(())
    };
    if request.policy.is_some() && request.command != "absorb" {
        return Err(bad(
            format!("`{}` takes no `policy`", request.command),
            "only `absorb` does; leave it out",
        ));
    }
    let parsed = match request.command.as_str() {
        "absorb" => {
            no_extra(&request)?;
            let policies = "push, trim_questions or shrink";
            let Some(name) = &request.policy else {
                return Err(bad(
                    "`absorb` needs `policy`".to_owned(),
                    &format!(
                        "for example {{\"command\": \"absorb\", \"policy\": \"shrink\"}}; the policies are {policies}"
                    ),
                ));
            };
            let Some(policy) = AbsorbPolicy::from_name(name) else {
                return Err(bad(
                    format!("unknown policy `{name}`"),
                    &format!("the policies are {policies}"),
                ));
            };
            Request::Always(ChairCommand::Absorb(policy))
        }
        "add" => {
            let Some(seconds) = request.seconds else {
                return Err(bad(
                    "`add` needs `seconds`".to_owned(),
                    "for example {\"command\": \"add\", \"seconds\": 60}; negative takes time away",
                ));
            };
            if seconds == 0 || seconds.unsigned_abs() > MAX_ADDED_SECONDS.unsigned_abs() {
                return Err(bad(
                    format!("`seconds` is {seconds}"),
                    &format!(
                        "give a number of seconds from -{MAX_ADDED_SECONDS} to {MAX_ADDED_SECONDS}, not 0"
                    ),
                ));
            }
            if request.text.is_some() {
                return Err(bad("`add` takes no `text`".to_owned(), "leave it out"));
            }
            Request::Always(ChairCommand::AddTime(chrono::Duration::seconds(seconds)))
        }
        "message" => {
            let Some(message) = &request.text else {
                return Err(bad(
                    "`message` needs `text`".to_owned(),
                    "for example {\"command\": \"message\", \"text\": \"5 minutes left\"}",
                ));
            };
            let message = message.trim();
            if message.is_empty() {
                return Err(bad(
                    "the message is empty".to_owned(),
                    "to remove a message, send {\"command\": \"clear_message\"}",
                ));
            }
            if message.chars().count() > MAX_MESSAGE_CHARS {
                return Err(bad(
                    format!(
                        "the message has {} characters, more than {MAX_MESSAGE_CHARS}",
                        message.chars().count()
                    ),
                    "shorten it: it must be readable from the back of the room",
                ));
            }
            if request.seconds.is_some() {
                return Err(bad(
                    "`message` takes no `seconds`".to_owned(),
                    "leave it out",
                ));
            }
            Request::Always(ChairCommand::ShowMessage(message.to_owned()))
        }
        other => {
            no_extra(&request)?;
            match other {
                "start_now" => Request::Always(ChairCommand::StartNow),
                "toggle_pause" => Request::Always(ChairCommand::TogglePause),
                "pause" => Request::Paused(true),
                "resume" => Request::Paused(false),
                "next" => Request::Always(ChairCommand::NextTalk),
                "previous" => Request::Always(ChairCommand::PreviousTalk),
                "questions" => Request::Always(ChairCommand::QuestionsNow),
                "end_talk" => Request::Always(ChairCommand::EndTalk),
                "back_to_schedule" => Request::Always(ChairCommand::BackToSchedule),
                "clear_message" => Request::Always(ChairCommand::ClearMessage),
                "blank" => Request::Blanked(true),
                "unblank" => Request::Blanked(false),
                unknown => {
                    return Err(bad(
                        format!("unknown command `{unknown}`"),
                        &format!("the commands are: {COMMANDS}"),
                    ));
                }
            }
        }
    };
    Ok((parsed, request.room))
}

/// Whether the request carries the token.
fn authorised(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return false;
    };
    let Some(presented) = value.as_bytes().strip_prefix(b"Bearer ") else {
        return false;
    };
    token::matches(presented, token.as_bytes())
}

/// `POST /api/v1/command`.
pub(crate) async fn command(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if !authorised(&headers, &state.token) {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this command needs the room's token",
            "send `Authorization: Bearer TOKEN`; the token is shown in the chair view (and kept in ~/.local/state/lectern/api-token)",
        )
        .into_response();
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            return ApiError::new(
                rejection.status(),
                format!("the body cannot be read: {}", rejection.body_text()),
                format!(
                    "send a JSON command of at most {} bytes",
                    super::MAX_BODY_BYTES
                ),
            )
            .into_response();
        }
    };
    let (request, room_name) = match parse_command(&body) {
        Ok(parsed) => parsed,
        Err(error) => return error.into_response(),
    };
    let snapshot = {
        let mut session = lock(&state.session);
        let current = session.snapshot();
        match pick_room(&current, room_name.as_deref()) {
            Ok(room) if room == current.room => {}
            Ok(room) => {
                return ApiError::new(
                    StatusCode::CONFLICT,
                    format!(
                        "this lectern keeps time for {}, not {}",
                        current.schedule.room(current.room).name,
                        current.schedule.room(room).name
                    ),
                    "send the command to that room's lectern, or leave `room` out",
                )
                .into_response();
            }
            Err(error) => return error.into_response(),
        }
        let now = session.now();
        let command = match request {
            Request::Always(command) => Some(command),
            Request::Paused(wanted) => {
                let paused = session
                    .status(now)
                    .live()
                    .and_then(|live| live.chair)
                    .is_some_and(|chair| chair.paused);
                (paused != wanted).then_some(ChairCommand::TogglePause)
            }
            Request::Blanked(wanted) => {
                (session.chair().blanked != wanted).then_some(ChairCommand::ToggleBlank)
            }
        };
        if let Some(command) = command {
            session.apply(&command, now);
        }
        session.snapshot()
    };
    json_response(&with_status(
        &snapshot,
        snapshot.room,
        |status, kept_here| api_status(&snapshot, status, kept_here),
    ))
}

/// Anything else.
pub(crate) async fn not_found() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such page or endpoint",
        "the views are listed at /; the API is described in docs/api.md",
    )
    .into_response()
}

/// `GET /api/v1/events[?room=NAME]`: a WebSocket that sends the status on connect and again
/// whenever what it shows changes, never on every tick: pages count down from the absolute
/// instants they are sent. A client may send `{"type": "ping", "id": N}` to measure its
/// offset to the server's clock; the answer is `{"type": "clock", "id": N, "now_ms": …,
/// "speed": …}`.
pub(crate) async fn events(
    State(state): State<ServerState>,
    query: Result<Query<RoomQuery>, QueryRejection>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return query_error(rejection).into_response(),
    };
    let room = {
        let snapshot = lock(&state.session).snapshot();
        match pick_room(&snapshot, query.room.as_deref()) {
            // The room is followed by name, so that it survives a reload that renumbers rooms.
            Ok(room) => query
                .room
                .map(|_| snapshot.schedule.room(room).name.clone()),
            Err(error) => return error.into_response(),
        }
    };
    let Ok(permit) = std::sync::Arc::clone(&state.event_clients).try_acquire_owned() else {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "this lectern already serves {} live clients",
                super::MAX_EVENT_CLIENTS
            ),
            "close a view you no longer use, or poll /api/v1/status",
        )
        .into_response();
    };
    upgrade
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        .max_frame_size(MAX_CLIENT_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            follow(socket, state, room).await;
            drop(permit);
        })
}

/// What a client has been sent, to tell whether a new status shows anything new. The
/// countdown's own ticking is left out: clients compute it.
#[derive(Debug, PartialEq)]
struct Shown {
    revision: u64,
    body: String,
}

/// The status to send now, what it shows, and how long until it can next change.
fn compose(state: &ServerState, room: Option<&str>) -> Option<(String, Shown, Duration)> {
    let snapshot = lock(&state.session).snapshot();
    let room = pick_room(&snapshot, room).ok()?;
    Some(with_status(&snapshot, room, |status, kept_here| {
        let api = api_status(&snapshot, status, kept_here);
        let message = json_body(&api);
        let shown = Shown {
            revision: snapshot.revision,
            body: json_body(&shown_key(status)),
        };
        let wait = next_boundary(status, &snapshot.thresholds).map_or(MAX_QUIET, |boundary| {
            snapshot
                .clock
                .real_time_for(boundary - status.now)
                .min(MAX_QUIET)
                // Land just after the boundary, on the new state.
                + Duration::from_millis(5)
        });
        (message, shown, wait)
    }))
}

/// What a status shows apart from the ticking countdowns.
#[derive(Debug, Serialize)]
struct ShownKey<'a> {
    state: &'static str,
    session: Option<&'a str>,
    talk: Option<&'a str>,
    part: Option<&'static str>,
    phase: Option<&'static str>,
    paused: bool,
    policy: Option<&'static str>,
    hold_until: Option<DateTime<Utc>>,
    /// The next paper's projected start, to the minute the views show: in overtime it moves
    /// with the clock, and a push a second would show nothing new.
    next_paper_minute: Option<i64>,
    next: Option<(&'a str, DateTime<Utc>)>,
    agenda: Vec<(&'a str, bool)>,
    message: Option<&'a str>,
    blanked: bool,
    today: chrono::NaiveDate,
}

fn shown_key<'a>(status: &'a RoomStatus<'a>) -> ShownKey<'a> {
    let live = status.live();
    ShownKey {
        state: match &status.activity {
            Activity::BeforeEvent { .. } => "before_event",
            Activity::Live(_) => "live",
            Activity::Between { .. } => "between",
            Activity::RoomDone => "room_done",
            Activity::AfterEvent => "after_event",
        },
        session: live.map(|live| live.session.id.0.as_str()),
        talk: live.and_then(|live| live.talk.as_ref().map(|talk| talk.talk.id.0.as_str())),
        part: live.and_then(|live| {
            live.talk.as_ref().map(|talk| match talk.part {
                crate::timing::TalkPart::Talk => "talk",
                crate::timing::TalkPart::Questions => "questions",
            })
        }),
        phase: live.map(|live| live.phase.label()),
        paused: live
            .and_then(|live| live.chair)
            .is_some_and(|chair| chair.paused),
        policy: live.and_then(|live| live.chair.map(|chair| chair.policy.as_str())),
        hold_until: live.and_then(|live| live.hold.map(|hold| hold.until)),
        next_paper_minute: live.and_then(|live| {
            live.remaining_talks
                .first()
                .map(|next| next.slot.start.timestamp().div_euclid(60))
        }),
        next: status
            .next
            .as_ref()
            .map(|next| (next.session.id.0.as_str(), next.at)),
        agenda: status
            .agenda
            .iter()
            .map(|entry| {
                (
                    entry.session.id.0.as_str(),
                    entry.state == crate::timing::AgendaState::Upcoming,
                )
            })
            .collect(),
        message: status.message,
        blanked: status.blanked,
        today: status.today,
    }
}

/// The next instant at which what the status shows changes by itself: a phase threshold,
/// the end of the talk or session, the next item's start.
fn next_boundary(status: &RoomStatus<'_>, thresholds: &Thresholds) -> Option<DateTime<Utc>> {
    let mut candidates = Vec::new();
    match &status.activity {
        Activity::Live(live) => {
            let paused = live.chair.is_some_and(|chair| chair.paused);
            if !paused {
                let end = live.countdown().end;
                candidates.extend(end.checked_sub_signed(thresholds.warning));
                candidates.extend(end.checked_sub_signed(thresholds.danger));
                candidates.push(end);
            }
            candidates.push(live.session_countdown.end);
            if let Some(talk) = &live.talk {
                candidates.push(talk.talk.end);
            }
        }
        Activity::BeforeEvent { starts_in } => {
            candidates.extend(status.now.checked_add_signed(*starts_in));
        }
        _ => {}
    }
    if let Some(next) = &status.next {
        candidates.push(next.at);
    }
    candidates
        .into_iter()
        .filter(|instant| *instant > status.now)
        .min()
}

/// A client's clock ping.
#[derive(Debug, Deserialize)]
struct Ping {
    #[serde(rename = "type")]
    kind: String,
    id: serde_json::Value,
}

#[derive(Debug, Serialize)]
struct ClockReply {
    #[serde(rename = "type")]
    kind: &'static str,
    id: serde_json::Value,
    now_ms: i64,
    speed: f64,
    rehearsal: bool,
}

async fn send(socket: &mut WebSocket, text: String) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await,
        Ok(Ok(()))
    )
}

/// Serves one WebSocket client until it goes away.
async fn follow(mut socket: WebSocket, state: ServerState, room: Option<String>) {
    let mut changes = state.changes.clone();
    let mut last_sent: Option<Shown> = None;
    loop {
        let Some((message, shown, wait)) = compose(&state, room.as_deref()) else {
            // The room is gone from a reloaded schedule: say so and stop.
            let _ = send(
                &mut socket,
                json_body(&ApiError::new(
                    StatusCode::NOT_FOUND,
                    "the room is no longer in the schedule",
                    "choose another room",
                )),
            )
            .await;
            return;
        };
        if last_sent.as_ref() != Some(&shown) {
            if !send(&mut socket, message).await {
                return;
            }
            last_sent = Some(shown);
        }
        tokio::select! {
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            () = tokio::time::sleep(wait) => {}
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let Ok(ping) = serde_json::from_str::<Ping>(&text) else {
                        continue;
                    };
                    if ping.kind != "ping" {
                        continue;
                    }
                    let (now, speed, rehearsal) = {
                        let session = lock(&state.session);
                        let clock = session.clock();
                        (clock.now(), clock.speed(), clock.is_rehearsal())
                    };
                    let reply = ClockReply {
                        kind: "clock",
                        id: ping.id,
                        now_ms: now.timestamp_millis(),
                        speed,
                        rehearsal,
                    };
                    if !send(&mut socket, json_body(&reply)).await {
                        return;
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(body: &str) -> Result<Request, String> {
        parse_command(body.as_bytes())
            .map(|(request, _)| request)
            .map_err(|error| error.error)
    }

    #[test]
    fn commands_parse_into_chair_commands() {
        assert_eq!(
            parsed(r#"{"command": "next"}"#),
            Ok(Request::Always(ChairCommand::NextTalk))
        );
        assert_eq!(
            parsed(r#"{"command": "add", "seconds": -60}"#),
            Ok(Request::Always(ChairCommand::AddTime(
                chrono::Duration::seconds(-60)
            )))
        );
        assert_eq!(parsed(r#"{"command": "pause"}"#), Ok(Request::Paused(true)));
        assert_eq!(
            parsed(r#"{"command": "absorb", "policy": "trim_questions"}"#),
            Ok(Request::Always(ChairCommand::Absorb(
                AbsorbPolicy::TrimQuestions
            )))
        );
        assert_eq!(
            parsed(r#"{"command": "end_talk"}"#),
            Ok(Request::Always(ChairCommand::EndTalk))
        );
        assert_eq!(
            parsed(r#"{"command": "unblank", "room": "Main"}"#),
            Ok(Request::Blanked(false))
        );
    }

    #[test]
    fn malformed_commands_say_what_is_wrong() {
        for (body, expected) in [
            ("{", "the body is not a command"),
            (r#"{"command": "explode"}"#, "unknown command `explode`"),
            (r#"{"command": "add"}"#, "`add` needs `seconds`"),
            (
                r#"{"command": "add", "seconds": 1e3}"#,
                "the body is not a command",
            ),
            (
                r#"{"command": "add", "seconds": 9223372036854775807}"#,
                "`seconds` is",
            ),
            (
                r#"{"command": "message", "text": "  "}"#,
                "the message is empty",
            ),
            (r#"{"command": "next", "seconds": 5}"#, "takes neither"),
            (r#"{"command": "next", "extra": 1}"#, "unknown field"),
            (r#"{"command": "absorb"}"#, "`absorb` needs `policy`"),
            (
                r#"{"command": "absorb", "policy": "squeeze"}"#,
                "unknown policy `squeeze`",
            ),
            (
                r#"{"command": "next", "policy": "push"}"#,
                "takes no `policy`",
            ),
            (r#"[]"#, "the body is not a command"),
        ] {
            let error = parsed(body).expect_err(body);
            assert!(error.contains(expected), "{body}: {error}");
        }
        let long = format!(
            r#"{{"command": "message", "text": "{}"}}"#,
            "x".repeat(MAX_MESSAGE_CHARS + 1)
        );
        assert!(parsed(&long).expect_err("too long").contains("more than"));
    }
}
