//! The browser views in a real browser: headless Chromium loads `/speaker` and `/chair` from a
//! room's server on loopback, and is driven over the DevTools protocol (a WebSocket) to read
//! what the page shows and to press the remote's buttons. Needs Debian's `chromium` (or
//! `LECTERN_CHROMIUM=/path/to/chrome`); `.ci/run` installs it.

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lectern::clock::Clock;
use lectern::server::{ServerConfig, ServerHandle};
use lectern::session::{
    Persistence, RoomSession, ScheduleOrigin, SessionOptions, SharedSession, lock,
};
use lectern::timing::Thresholds;
use serde_json::{Value, json};

const TOKEN: &str = "browser-test-token-0123456789";

fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("LECTERN_CHROMIUM") {
        return PathBuf::from(path);
    }
    for candidate in [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ] {
        if Path::new(candidate).exists() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "no Chromium found: install Debian's `chromium` (apt-get install chromium) or set LECTERN_CHROMIUM"
    );
}

/// A headless browser with one page open, driven over the DevTools protocol.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    page: tungstenite::WebSocket<TcpStream>,
    next_id: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn open(url: &str, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let child = Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
                &format!("--user-data-dir={}", profile.path().display()),
                url,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        // The browser writes the port it listens on into its profile.
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + Duration::from_secs(30);
        let port: u16 = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file)
                && let Some(port) = text.lines().next().and_then(|line| line.parse().ok())
            {
                break port;
            }
            assert!(Instant::now() < deadline, "chromium did not start");
            std::thread::sleep(Duration::from_millis(50));
        };
        let page_socket = loop {
            let targets = http_get_json(port, "/json/list");
            let page = targets.as_array().and_then(|targets| {
                targets
                    .iter()
                    .find(|target| target["type"] == "page")
                    .and_then(|target| target["webSocketDebuggerUrl"].as_str())
                    .map(str::to_owned)
            });
            if let Some(page) = page {
                break page;
            }
            assert!(Instant::now() < deadline, "no page in chromium");
            std::thread::sleep(Duration::from_millis(50));
        };
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to devtools");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let (page, _) = tungstenite::client(page_socket, stream).expect("devtools socket");
        Browser {
            child,
            _profile: profile,
            page,
            next_id: 1,
        }
    }

    /// Evaluates JavaScript in the page and returns its value.
    fn evaluate(&mut self, expression: &str) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": true},
        });
        self.page
            .send(tungstenite::Message::Text(message.to_string().into()))
            .expect("send to devtools");
        loop {
            let tungstenite::Message::Text(text) = self.page.read().expect("devtools answer")
            else {
                continue;
            };
            let answer: Value = serde_json::from_str(&text).expect("JSON");
            if answer["id"] == id {
                return answer["result"]["result"]["value"].clone();
            }
        }
    }

    /// Waits until `expression` is true in the page; fails with what it was after 20 s.
    fn wait_for(&mut self, expression: &str, shown: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.evaluate(expression) == Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for `{expression}`; the page shows {}",
                    self.evaluate(shown)
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn http_get_json(port: u16, path: &str) -> Value {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return Value::Null;
    };
    // The DevTools server may keep the connection open: read the length it announces.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut bytes = Vec::new();
    let mut buffer = [0_u8; 8192];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(count) => bytes.extend_from_slice(&buffer[..count]),
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(usize::MAX);
            if body.len() >= length {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    text.split_once("\r\n\r\n")
        .and_then(|(_, body)| serde_json::from_str(body).ok())
        .unwrap_or(Value::Null)
}

fn room_at(at: &str, speed: f64) -> (SharedSession, ServerHandle) {
    let loaded = lectern::source::load_embedded().expect("embedded schedule");
    let clock = Clock::rehearsal(common::at(&loaded.schedule, at), speed);
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Embedded,
            room: None,
            clock,
            thresholds: Thresholds::default(),
            persistence: Persistence::Off,
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
    .expect("the server starts");
    (session, server)
}

const SPEAKER_SHOWN: &str = "JSON.stringify([document.getElementById('countdown').textContent, document.getElementById('phase-word').textContent, document.getElementById('title').textContent, document.getElementById('notice').textContent])";

#[test]
fn the_speaker_page_shows_the_countdown_the_paper_and_what_the_chair_sends() {
    let (session, server) = room_at("2013-05-13T09:20", 0.0);
    let mut browser = Browser::open(&format!("http://{}/speaker", server.address()), 390, 844);
    browser.wait_for(
        "document.getElementById('countdown').textContent === '10:00'",
        SPEAKER_SHOWN,
    );
    browser.wait_for(
        "document.getElementById('title').textContent.startsWith('The NIC Is the Hypervisor')",
        SPEAKER_SHOWN,
    );
    browser.wait_for(
        "document.getElementById('phase-word').textContent === 'ON TIME'",
        SPEAKER_SHOWN,
    );
    // The rehearsal is said on the page, as on the projector.
    browser.wait_for(
        "document.getElementById('notice').textContent.includes('REHEARSAL')",
        SPEAKER_SHOWN,
    );
    // A message from the chair reaches the page without a reload.
    let now = lock(&session).now();
    lock(&session).apply(
        &lectern::chair::ChairCommand::ShowMessage("Please wrap up".to_owned()),
        now,
    );
    browser.wait_for(
        "document.getElementById('message').textContent === 'Please wrap up' && !document.getElementById('message').hidden",
        SPEAKER_SHOWN,
    );
}

#[test]
fn a_press_on_the_phone_remote_changes_the_room() {
    let (session, server) = room_at("2013-05-13T09:20", 0.0);
    let mut browser = Browser::open(
        &format!("http://{}/chair#token={TOKEN}", server.address()),
        390,
        844,
    );
    let shown = "JSON.stringify([document.getElementById('countdown').textContent, document.getElementById('title').textContent, document.getElementById('feedback').textContent])";
    browser.wait_for(
        "document.getElementById('countdown').textContent === '10:00'",
        shown,
    );
    // The token moved from the address into the browser's storage.
    assert_eq!(
        browser.evaluate("location.hash === '' && localStorage.getItem('lectern-token')"),
        Value::String(TOKEN.to_owned())
    );
    press(&mut browser, "Next ▶");
    browser.wait_for(
        "document.getElementById('title').textContent === 'Virtualize Storage, Not Disks'",
        shown,
    );
    let chair = lock(&session).chair().clone();
    let timer = chair.timer.expect("the remote started the next paper");
    assert_eq!(
        timer.talk.expect("a talk").0,
        "virtualize-storage-not-disks"
    );

    press(&mut browser, "+1 min");
    browser.wait_for(
        "document.getElementById('countdown').textContent === '16:00'",
        shown,
    );
    assert_eq!(
        lock(&session)
            .chair()
            .timer
            .as_ref()
            .map(|timer| timer.added),
        Some(chrono::Duration::seconds(60))
    );
}

/// Presses the button with this label, as a finger would.
fn press(browser: &mut Browser, label: &str) {
    let pressed = browser.evaluate(&format!(
        "(() => {{ const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === {label:?}); if (!button) return false; button.click(); return true; }})()"
    ));
    assert_eq!(pressed, Value::Bool(true), "no button labelled {label}");
}

/// The page's countdown against the room's own, over a running clock: they agree to within a
/// quarter of a second, read at the same moment.
#[test]
fn the_page_counts_down_with_the_room() {
    let (session, server) = room_at("2013-05-13T09:20", 1.0);
    let mut browser = Browser::open(&format!("http://{}/speaker", server.address()), 1280, 720);
    browser.wait_for(
        "document.getElementById('countdown').textContent.includes(':')",
        SPEAKER_SHOWN,
    );
    // Let the clock sync settle, then compare the page's estimate of the server's clock with
    // the session's clock itself, several times.
    std::thread::sleep(Duration::from_millis(1500));
    let mut worst_ms: i64 = 0;
    for _ in 0..10 {
        let before = lock(&session).now().timestamp_millis();
        let page = browser
            .evaluate("Math.round(Lectern.serverNow())")
            .as_i64()
            .expect("a number");
        let after = lock(&session).now().timestamp_millis();
        let off = if page < before {
            before - page
        } else if page > after {
            page - after
        } else {
            0
        };
        worst_ms = worst_ms.max(off);
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        worst_ms <= 250,
        "the page's clock is {worst_ms} ms off the room's"
    );
}
