//! The room's API through a real socket: a room session with a stopped rehearsal clock, its
//! server on a loopback port the system picks, and plain HTTP/1.1 written by hand, so that what
//! is tested is what goes over the wire.

mod common;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use lectern::clock::Clock;
use lectern::server::{ServerConfig, ServerHandle};
use lectern::session::{
    Persistence, RoomSession, ScheduleOrigin, SessionOptions, SharedSession, lock,
};
use lectern::timing::Thresholds;
use serde_json::Value;

const TOKEN: &str = "test-token-0123456789abcdef";

struct Room {
    session: SharedSession,
    server: ServerHandle,
}

/// The built-in HotOS program at `at` (local, Denver), its clock stopped.
fn room_at(at: &str) -> Room {
    let (session, server) = common::served_hotos(at, 0.0, TOKEN);
    Room { session, server }
}

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| {
            panic!("not JSON ({error}): {}", self.body);
        })
    }
}

/// One HTTP/1.1 request on a new connection.
fn request(address: SocketAddr, raw: &str) -> Answer {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(raw.as_bytes()).expect("send");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    Answer {
        status,
        headers: head.to_owned(),
        body: body.to_owned(),
    }
}

fn get(address: SocketAddr, path: &str) -> Answer {
    request(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

fn post(address: SocketAddr, token: Option<&str>, body: &str) -> Answer {
    let authorization = token
        .map(|token| format!("Authorization: Bearer {token}\r\n"))
        .unwrap_or_default();
    request(
        address,
        &format!(
            "POST /api/v1/command HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n{authorization}Content-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn command(room: &Room, body: &str) -> Value {
    let answer = post(room.server.address(), Some(TOKEN), body);
    assert_eq!(answer.status, 200, "{body}: {}", answer.body);
    answer.json()
}

#[test]
fn the_status_is_what_the_projector_shows() {
    let room = room_at("2013-05-13T09:20");
    let answer = get(room.server.address(), "/api/v1/status");
    assert_eq!(answer.status, 200);
    assert!(answer.headers.contains("content-type: application/json"));
    let status = answer.json();
    assert_eq!(status["state"], "live");
    assert_eq!(status["room"], "Tamaya FGH");
    assert_eq!(
        status["live"]["talk"]["title"],
        "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds"
    );
    assert_eq!(status["live"]["remaining"], "10:00");
    assert_eq!(status["live"]["countdown_end"], "2013-05-13T15:30:00Z");
    assert_eq!(status["live"]["phase"], "on_time");
    assert_eq!(status["clock"]["rehearsal"], true);
    assert_eq!(status["clock"]["speed"], 0.0);
    assert_eq!(status["clock"]["now"], "2013-05-13T15:20:00Z");
    assert_eq!(status["kept_here"], true);
    assert_eq!(status["next"]["session"]["title"], "Open Mike");
    // Reads show only what the projector shows: no token, no file paths.
    assert!(!answer.body.contains(TOKEN));

    let countdown = get(room.server.address(), "/api/v1/countdown");
    assert_eq!((countdown.status, countdown.body.as_str()), (200, "10:00"));
}

#[test]
fn every_write_needs_the_token() {
    let room = room_at("2013-05-13T09:20");
    let address = room.server.address();
    for token in [None, Some("wrong-token-0123456789abcde"), Some("")] {
        let answer = post(address, token, r#"{"command": "next"}"#);
        assert_eq!(answer.status, 401, "{token:?}");
        assert!(answer.json()["error"].as_str().is_some());
        assert!(
            answer
                .headers
                .to_lowercase()
                .contains("www-authenticate: bearer")
        );
    }
    // Nothing changed.
    assert_eq!(lock(&room.session).chair(), &Default::default());
    assert_eq!(lock(&room.session).revision(), 0);
}

#[test]
fn malformed_requests_are_refused_and_change_nothing() {
    let room = room_at("2013-05-13T09:20");
    let address = room.server.address();
    let long_message = format!(r#"{{"command": "message", "text": "{}"}}"#, "x".repeat(300));
    let cases = [
        ("{not json", "the body is not a command"),
        (r#"{"command": "launch"}"#, "unknown command `launch`"),
        (
            r#"{"command": "add", "seconds": "sixty"}"#,
            "the body is not a command",
        ),
        (
            r#"{"command": "add", "seconds": 999999999}"#,
            "`seconds` is",
        ),
        (r#"{"command": "message"}"#, "`message` needs `text`"),
        (long_message.as_str(), "more than 280"),
        (r#"{"command": "next", "colour": "red"}"#, "unknown field"),
    ];
    for (body, expected) in cases {
        let answer = post(address, Some(TOKEN), body);
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        let error = answer.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(error.contains(expected), "{body}: {error}");
    }
    // A body over the limit is refused before it is read whole.
    let huge = format!(
        r#"{{"command": "message", "text": "{}"}}"#,
        "y".repeat(20_000)
    );
    assert_eq!(post(address, Some(TOKEN), &huge).status, 413);
    // A room this lectern does not keep time for.
    let other = post(
        address,
        Some(TOKEN),
        r#"{"command": "next", "room": "Nowhere"}"#,
    );
    assert_eq!(other.status, 404);
    assert!(
        other.json()["help"]
            .as_str()
            .unwrap_or_default()
            .contains("Tamaya FGH")
    );
    assert_eq!(
        lock(&room.session).revision(),
        0,
        "no request changed the state"
    );
    // Unknown paths and query parameters.
    assert_eq!(get(address, "/etc/passwd").status, 404);
    assert_eq!(get(address, "/assets/../Cargo.toml").status, 404);
    assert_eq!(get(address, "/api/v1/status?colour=red").status, 400);
}

#[test]
fn every_command_acts_on_the_room() {
    let room = room_at("2013-05-13T09:20");
    let status = command(&room, r#"{"command": "add", "seconds": 60}"#);
    assert_eq!(status["live"]["remaining"], "11:00");
    assert_eq!(status["live"]["chair_timed"], true);
    let status = command(&room, r#"{"command": "add", "seconds": -120}"#);
    assert_eq!(status["live"]["remaining"], "09:00");
    let status = command(&room, r#"{"command": "pause"}"#);
    assert_eq!(status["live"]["paused"], true);
    // Pause is not a toggle: twice paused is still paused.
    let status = command(&room, r#"{"command": "pause"}"#);
    assert_eq!(status["live"]["paused"], true);
    let status = command(&room, r#"{"command": "resume"}"#);
    assert_eq!(status["live"]["paused"], false);
    let status = command(&room, r#"{"command": "toggle_pause"}"#);
    assert_eq!(status["live"]["paused"], true);
    let status = command(&room, r#"{"command": "next"}"#);
    assert_eq!(
        status["live"]["talk"]["title"],
        "Virtualize Storage, Not Disks"
    );
    assert_eq!(status["live"]["remaining"], "15:00");
    let status = command(&room, r#"{"command": "previous"}"#);
    assert_eq!(status["live"]["talk_number"], 2);
    assert_eq!(status["live"]["part"], "talk");
    let status = command(&room, r#"{"command": "questions"}"#);
    assert_eq!(status["live"]["part"], "questions");
    let status = command(&room, r#"{"command": "start_now"}"#);
    assert_eq!(status["live"]["remaining"], "15:00");
    assert_eq!(status["live"]["part"], "talk");
    let status = command(
        &room,
        r#"{"command": "message", "text": "  Questions now "}"#,
    );
    assert_eq!(status["message"], "Questions now");
    let status = command(&room, r#"{"command": "clear_message"}"#);
    assert!(status.get("message").is_none());
    let status = command(&room, r#"{"command": "blank", "room": "Tamaya FGH"}"#);
    assert_eq!(status["blanked"], true);
    let status = command(&room, r#"{"command": "unblank"}"#);
    assert_eq!(status["blanked"], false);
    // Paper 2 restarted at 09:20: shrinking fits papers 2 to 4 into the 40 minutes to 10:00,
    // eight ninths each, so paper 3 runs 09:33:20–09:46:40.
    let status = command(&room, r#"{"command": "absorb", "policy": "shrink"}"#);
    assert_eq!(status["policy"], "shrink");
    assert_eq!(
        status["live"]["projected_session_end"],
        "2013-05-13T16:00:00Z"
    );
    assert_eq!(
        status["live"]["remaining_talks"][0]["projected_end"],
        "2013-05-13T15:46:40Z"
    );
    // Ended at 09:20, before paper 3's planned 09:30: the room holds.
    let status = command(&room, r#"{"command": "end_talk"}"#);
    assert_eq!(status["live"]["hold_until"], "2013-05-13T15:30:00Z");
    assert_eq!(status["live"]["remaining"], "10:00");
    let status = command(&room, r#"{"command": "back_to_schedule"}"#);
    assert_eq!(status["live"]["chair_timed"], false);
    assert_eq!(status["live"]["remaining"], "10:00");
    // The policy is the chair's choice, not an override: it stays.
    assert_eq!(status["policy"], "shrink");
    let status = command(&room, r#"{"command": "absorb", "policy": "push"}"#);
    assert_eq!(status["policy"], "push");
    // The session saw each change: the projector draws from the same session.
    let session = lock(&room.session);
    assert_eq!(session.chair(), &Default::default());
    assert!(session.revision() >= 10);
}

#[test]
fn the_program_is_served_in_lecterns_own_format() {
    let room = room_at("2013-05-13T09:20");
    let answer = get(room.server.address(), "/api/v1/schedule");
    assert_eq!(answer.status, 200);
    let reloaded = lectern::formats::load_bytes(answer.body.as_bytes(), &Default::default())
        .expect("the served program loads");
    assert_eq!(
        reloaded.schedule,
        **lock(&room.session).schedule(),
        "the served program is the one shown"
    );
}

#[test]
fn the_views_are_served_from_the_binary() {
    let room = room_at("2013-05-13T09:20");
    for (path, kind) in [
        ("/", "text/html"),
        ("/speaker", "text/html"),
        ("/chair", "text/html"),
        ("/projector", "text/html"),
        ("/assets/lectern.js", "text/javascript"),
        ("/assets/lectern.css", "text/css"),
        ("/assets/digits.ttf", "font/ttf"),
    ] {
        let answer = get(room.server.address(), path);
        assert_eq!(answer.status, 200, "{path}");
        assert!(
            answer.headers.contains(&format!("content-type: {kind}")),
            "{path}: {}",
            answer.headers
        );
        assert!(answer.headers.contains("referrer-policy: no-referrer"));
    }
}

/// A WebSocket client of `/api/v1/events`.
struct Follower {
    socket: tungstenite::WebSocket<TcpStream>,
}

impl Follower {
    fn connect(room: &Room, query: &str) -> Follower {
        let address = room.server.address();
        let stream = TcpStream::connect(address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let (socket, _) =
            tungstenite::client(format!("ws://{address}/api/v1/events{query}"), stream)
                .expect("the WebSocket opens");
        Follower { socket }
    }

    /// The next message; fails after five seconds.
    fn next(&mut self) -> Value {
        loop {
            match self.socket.read().expect("a message within five seconds") {
                tungstenite::Message::Text(text) => {
                    return serde_json::from_str(&text).expect("JSON");
                }
                tungstenite::Message::Close(_) => panic!("closed"),
                _ => {}
            }
        }
    }

    /// Whether a message arrives within `wait`.
    fn quiet_for(&mut self, wait: Duration) -> bool {
        self.socket
            .get_mut()
            .set_read_timeout(Some(wait))
            .expect("timeout");
        self.socket.read().is_err()
    }
}

#[test]
fn the_event_stream_pushes_on_change_and_only_then() {
    let room = room_at("2013-05-13T09:20");
    let mut follower = Follower::connect(&room, "");
    let first = follower.next();
    assert_eq!(first["type"], "status");
    assert_eq!(first["live"]["remaining"], "10:00");
    // The clock is stopped and nothing changes: nothing is sent.
    assert!(follower.quiet_for(Duration::from_millis(600)));

    let mut follower = Follower::connect(&room, "");
    let _ = follower.next();
    command(&room, r#"{"command": "message", "text": "5 minutes left"}"#);
    let pushed = follower.next();
    assert_eq!(pushed["message"], "5 minutes left");

    // A reload pushes too.
    let loaded = lectern::source::load_embedded().expect("embedded");
    let now = lock(&room.session).now();
    lock(&room.session).replace_schedule(loaded, now);
    let pushed = follower.next();
    assert_eq!(pushed["type"], "status");

    // The clock: a ping is answered with the server's instant.
    follower
        .socket
        .send(tungstenite::Message::Text(
            r#"{"type": "ping", "id": 7}"#.into(),
        ))
        .expect("send");
    let clock = follower.next();
    assert_eq!(clock["type"], "clock");
    assert_eq!(clock["id"], 7);
    assert_eq!(clock["now_ms"], first["clock"]["now_ms"]);
}

#[test]
fn another_room_is_followed_by_the_schedule_alone() {
    let loaded = lectern::formats::load_bytes(
        std::fs::read(common::data_dir().join("ok/equal-starts.json"))
            .expect("read")
            .as_slice(),
        &Default::default(),
    )
    .expect("loads");
    let clock = Clock::rehearsal(common::at(&loaded.schedule, "2026-05-01T12:10"), 0.0);
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Embedded,
            room: None,
            clock,
            thresholds: Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: Default::default(),
        },
        loaded,
    )
    .shared();
    let server = lectern::server::start(
        std::sync::Arc::clone(&session),
        ServerConfig {
            listen: "127.0.0.1:0".parse().expect("address"),
            token: TOKEN.to_owned(),
        },
    )
    .expect("starts");
    let room = Room { session, server };
    let side = get(room.server.address(), "/api/v1/status?room=Side").json();
    assert_eq!(side["room"], "Side");
    assert_eq!(side["kept_here"], false);
    assert_eq!(side["live"]["session"]["id"], "lunch");
    let main = get(room.server.address(), "/api/v1/status").json();
    assert_eq!(main["live"]["session"]["id"], "sponsor");
    assert_eq!(main["next"]["session"]["id"], "lunch");
    assert_eq!(main["next"]["at"], "2026-05-01T10:30:00Z");
    // Commands go to the room this lectern keeps time for, and nowhere else.
    let refused = post(
        room.server.address(),
        Some(TOKEN),
        r#"{"command": "next", "room": "Side"}"#,
    );
    assert_eq!(refused.status, 409);
    let mut follower = Follower::connect(&room, "?room=Side");
    assert_eq!(follower.next()["room"], "Side");
    assert_eq!(
        get(room.server.address(), "/api/v1/status?room=Attic").status,
        404
    );
}

#[test]
fn a_port_in_use_is_reported_not_fatal() {
    let room = room_at("2013-05-13T09:20");
    let taken = room.server.address();
    let second = lectern::server::start(
        std::sync::Arc::clone(&room.session),
        ServerConfig {
            listen: taken,
            token: TOKEN.to_owned(),
        },
    );
    let Err(error) = second else {
        panic!("a second server on {taken} started");
    };
    let text = error.to_string();
    assert!(
        text.contains(&taken.to_string()) && text.contains("--listen"),
        "{text}"
    );
    // The first keeps serving.
    assert_eq!(get(taken, "/api/v1/countdown").status, 200);
}
