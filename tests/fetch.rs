//! Schedules from a URL, against a real HTTP server on loopback started by each test
//! (`support/http.rs`, written on `std::net` alone): conditional requests (200, then 304),
//! a changed program, server errors and the back-off, a slow server, a body cut short, a
//! redirect, a body over 32 MiB, a program that does not load, and the cache at start with
//! the server down. The room session is driven headless, as the window and the server drive it.

#[path = "support/http.rs"]
mod http;

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http::{Reply, Request, Server};
use lectern::clock::Clock;
use lectern::fetch::{
    Backoff, FetchError, Fetched, Fetcher, StartedFrom, Timeouts, UrlOrigin, Validators,
};
use lectern::formats::MAX_SCHEDULE_BYTES;
use lectern::session::{
    NoticeLevel, Persistence, RoomSession, ScheduleOrigin, SessionOptions, SharedSession, lock,
};
use lectern::source::EMBEDDED_SCHEDULE;
use lectern::timing::Thresholds;

const ORIGINAL_NAME: &str = "14th Workshop on Hot Topics in Operating Systems";

/// The HotOS program under another event name, so that versions can be told apart.
fn program(name: &str) -> String {
    EMBEDDED_SCHEDULE.replace(ORIGINAL_NAME, name)
}

/// What the scripted server publishes at `/schedule.json`.
struct Published {
    body: String,
    version: u32,
    /// Replies given instead of the program, first in first out.
    scripted: VecDeque<Reply>,
    /// Answer every request with this status instead, while set.
    failing: Option<u16>,
}

/// A server publishing a program with an `ETag` and a `Last-Modified`, answering 304 to a
/// request that names the current version, plus `/moved` (a redirect to the program) and
/// `/loop` (a redirect to itself).
struct Site {
    server: Server,
    published: Arc<Mutex<Published>>,
}

const LAST_MODIFIED: &str = "Mon, 13 May 2013 08:00:00 GMT";

fn etag(version: u32) -> String {
    format!("\"v{version}\"")
}

impl Site {
    fn start(body: &str) -> Site {
        let published = Arc::new(Mutex::new(Published {
            body: body.to_owned(),
            version: 1,
            scripted: VecDeque::new(),
            failing: None,
        }));
        let shared = Arc::clone(&published);
        let server = Server::start(move |request: &Request| {
            let mut published = shared.lock().expect("published");
            match request.path.as_str() {
                "/moved" => return Reply::new(301, "").header("Location", "/schedule.json"),
                "/loop" => return Reply::new(302, "").header("Location", "/loop"),
                _ => {}
            }
            if let Some(reply) = published.scripted.pop_front() {
                return reply;
            }
            if let Some(status) = published.failing {
                return Reply::new(status, "failing");
            }
            let etag = etag(published.version);
            if request.header("if-none-match") == Some(etag.as_str()) {
                return Reply::new(304, "").header("ETag", &etag);
            }
            Reply::new(200, published.body.clone())
                .header("ETag", &etag)
                .header("Last-Modified", LAST_MODIFIED)
                .header("Content-Type", "application/json")
        });
        Site { server, published }
    }

    fn url(&self) -> String {
        self.server.url("/schedule.json")
    }

    fn publish(&self, body: &str) {
        let mut published = self.published.lock().expect("published");
        published.body = body.to_owned();
        published.version += 1;
    }

    fn script(&self, reply: Reply) {
        self.published
            .lock()
            .expect("published")
            .scripted
            .push_back(reply);
    }

    fn fail_with(&self, status: Option<u16>) {
        self.published.lock().expect("published").failing = status;
    }
}

/// Short timeouts, a quick poll and a quick back-off, so that the tests take seconds.
fn origin(url: &str, cache: &Path) -> UrlOrigin {
    UrlOrigin {
        url: url.to_owned(),
        poll: Some(Duration::from_millis(100)),
        timeouts: Timeouts {
            connect: Duration::from_secs(1),
            request: Duration::from_secs(1),
        },
        backoff: Backoff {
            base: Duration::from_millis(50),
            max: Duration::from_millis(800),
        },
        cache_dir: Some(cache.to_owned()),
    }
}

fn fetcher(url: &str) -> Fetcher {
    Fetcher::new(
        url,
        Timeouts {
            connect: Duration::from_secs(1),
            request: Duration::from_secs(1),
        },
    )
}

/// A room session started from `origin` as `lectern URL` starts it, polling.
fn room(origin: &UrlOrigin) -> (SharedSession, StartedFrom) {
    let (loaded, from) =
        lectern::fetch::start_load(origin, &Default::default()).expect("the room starts");
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Url(origin.clone()),
            room: None,
            clock: Clock::Real,
            thresholds: Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: Default::default(),
        },
        loaded,
    )
    .shared();
    RoomSession::start_watching(&session);
    (session, from)
}

fn event_name(session: &SharedSession) -> String {
    lock(session).schedule().event().name.clone()
}

fn notices(session: &SharedSession) -> Vec<String> {
    lock(session)
        .snapshot()
        .screen_notices()
        .into_iter()
        .filter(|notice| notice.level != NoticeLevel::Info)
        .map(|notice| notice.text)
        .collect()
}

/// Waits up to `timeout` for `condition`; says what was awaited if it never holds.
fn wait_for(what: &str, timeout: Duration, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_second_fetch_is_conditional_and_answered_304() {
    let site = Site::start(&program("First"));
    let fetcher = fetcher(&site.url());
    let Ok(Fetched::Body { bytes, validators }) = fetcher.fetch(&Validators::default()) else {
        panic!("the first fetch brings the program");
    };
    assert_eq!(bytes, program("First").as_bytes());
    assert_eq!(
        validators,
        Validators {
            etag: Some(etag(1)),
            last_modified: Some(LAST_MODIFIED.to_owned()),
        }
    );
    assert_eq!(fetcher.fetch(&validators), Ok(Fetched::NotModified));
    let traffic = site.server.traffic_after(2);
    let first = &traffic.requests[0];
    assert_eq!(first.header("if-none-match"), None);
    assert_eq!(first.header("if-modified-since"), None);
    let second = &traffic.requests[1];
    assert_eq!(second.header("if-none-match"), Some(etag(1).as_str()));
    assert_eq!(second.header("if-modified-since"), Some(LAST_MODIFIED));
    assert!(
        second
            .header("user-agent")
            .is_some_and(|agent| agent.starts_with("lectern/"))
    );
    // The 304 is a few dozen bytes against the program's 52 KB.
    assert!(
        traffic.response_bytes[1] < 200,
        "{:?}",
        traffic.response_bytes
    );
    // A changed program is sent whole again.
    site.publish(&program("Second"));
    let Ok(Fetched::Body { bytes, validators }) = fetcher.fetch(&validators) else {
        panic!("a changed program is sent");
    };
    assert_eq!(bytes, program("Second").as_bytes());
    assert_eq!(validators.etag, Some(etag(2)));
}

#[test]
fn the_room_follows_a_changed_program_and_says_what_changed() {
    let cache = tempfile::tempdir().expect("temp dir");
    let site = Site::start(&program("First"));
    let (session, from) = room(&origin(&site.url(), cache.path()));
    assert_eq!(from, StartedFrom::Server);
    assert_eq!(event_name(&session), "First");
    // Polls of an unchanged program are 304s that change nothing.
    wait_for("three polls", Duration::from_secs(5), || {
        site.server.request_count() >= 4
    });
    let revision = lock(&session).revision();
    let before = site.server.request_count();
    wait_for("three more polls", Duration::from_secs(5), || {
        site.server.request_count() >= before + 3
    });
    assert_eq!(
        lock(&session).revision(),
        revision,
        "a 304 changed the room"
    );
    let traffic = site.server.traffic();
    assert!(
        traffic.requests[1..]
            .iter()
            .all(|request| request.header("if-none-match") == Some(etag(1).as_str())),
        "every poll is conditional"
    );
    // A new version with a retitled session.
    site.publish(
        &program("Second").replace("\"title\": \"Opening Remarks\"", "\"title\": \"Welcome\""),
    );
    wait_for("the new program", Duration::from_secs(5), || {
        event_name(&session) == "Second"
    });
    let changes = lock(&session).schedule_info().changes.clone();
    assert_eq!(changes[0], "1 session retitled", "{changes:?}");
    assert!(notices(&session).is_empty(), "{:?}", notices(&session));
    // The new version is the cached one.
    let cached = lectern::fetch::Cache::new(cache.path().to_owned())
        .load(&site.url())
        .expect("the cache reads")
        .expect("a copy");
    assert!(String::from_utf8_lossy(&cached.body).contains("\"Second\""));
    assert_eq!(cached.validators.etag, Some(etag(2)));
}

#[test]
fn server_errors_back_off_and_keep_the_last_good_program() {
    let cache = tempfile::tempdir().expect("temp dir");
    let site = Site::start(&program("Good"));
    let mut origin = origin(&site.url(), cache.path());
    origin.poll = Some(Duration::from_millis(50));
    let (session, _) = room(&origin);
    let failing_from = site.server.request_count();
    site.fail_with(Some(500));
    wait_for("five failed fetches", Duration::from_secs(10), || {
        site.server.request_count() >= failing_from + 6
    });
    let traffic = site.server.traffic();
    let times: Vec<Instant> = traffic.requests[failing_from..]
        .iter()
        .map(|request| request.at)
        .collect();
    let gaps: Vec<Duration> = times.windows(2).map(|pair| pair[1] - pair[0]).collect();
    // After n failures: 50 ms · 2ⁿ, never below the 50 ms poll, at most 800 ms.
    let expected = [100, 200, 400, 800, 800];
    for (gap, expected) in gaps.iter().zip(expected) {
        assert!(
            *gap >= Duration::from_millis(expected) && *gap < Duration::from_millis(expected + 400),
            "gaps {gaps:?}, expected about {expected} ms"
        );
    }
    // The last good program stays, and the projector says since when it was not refreshed.
    assert_eq!(event_name(&session), "Good");
    let notices_now = notices(&session);
    assert_eq!(notices_now.len(), 1, "{notices_now:?}");
    assert!(
        notices_now[0].starts_with("Program not refreshed since "),
        "{notices_now:?}"
    );
    let error = lock(&session)
        .schedule_info()
        .unreachable
        .clone()
        .expect("unreachable")
        .error;
    assert!(error.contains("the server answered 500"), "{error}");
    // Once the server is back, the notice goes, and polling returns to its interval.
    site.fail_with(None);
    wait_for("the server back", Duration::from_secs(5), || {
        notices(&session).is_empty()
    });
    assert_eq!(event_name(&session), "Good");
}

#[test]
fn a_slow_server_times_out_while_the_room_stays_responsive() {
    let site = Site::start(&program("Good"));
    // A fetch that takes longer than its timeout is an error, in about the timeout.
    site.script(Reply::new(200, program("Slow")).delayed(Duration::from_secs(3)));
    let started = Instant::now();
    let error = fetcher(&site.url())
        .fetch(&Validators::default())
        .expect_err("too slow");
    let took = started.elapsed();
    assert!(matches!(error, FetchError::Timeout { .. }), "{error}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(2500),
        "{took:?}"
    );

    // In a room, the poller waits on its own thread: the session answers at once meanwhile.
    let cache = tempfile::tempdir().expect("temp dir");
    let (session, _) = room(&origin(&site.url(), cache.path()));
    let before = site.server.request_count();
    for _ in 0..3 {
        site.script(Reply::new(200, program("Slow")).delayed(Duration::from_secs(3)));
    }
    wait_for("the slow fetch to start", Duration::from_secs(5), || {
        site.server.request_count() > before
    });
    let mut slowest = Duration::ZERO;
    let watching = Instant::now();
    while watching.elapsed() < Duration::from_millis(900) {
        let look = Instant::now();
        let snapshot = lock(&session).snapshot();
        let status = snapshot.status(snapshot.clock.now());
        assert_eq!(status.room.name, "Tamaya FGH");
        slowest = slowest.max(look.elapsed());
        std::thread::sleep(Duration::from_millis(10));
    }
    println!("slowest look at the room during a slow fetch: {slowest:?}");
    assert!(slowest < Duration::from_millis(50), "{slowest:?}");
    wait_for("the timeout to be said", Duration::from_secs(5), || {
        notices(&session)
            .iter()
            .any(|notice| notice.starts_with("Program not refreshed since"))
    });
    assert_eq!(event_name(&session), "Good");
}

#[test]
fn a_body_cut_short_is_an_error_and_the_last_good_program_stays() {
    let site = Site::start(&program("Good"));
    let body = program("Cut");
    let mut cut = Reply::new(200, body.clone());
    cut.cut_at = Some(body.len() / 2);
    site.script(cut.clone());
    let error = fetcher(&site.url())
        .fetch(&Validators::default())
        .expect_err("a truncated body");
    assert!(matches!(error, FetchError::Truncated { .. }), "{error}");
    assert!(error.to_string().contains("incomplete"), "{error}");

    let cache = tempfile::tempdir().expect("temp dir");
    let (session, _) = room(&origin(&site.url(), cache.path()));
    site.script(cut);
    wait_for("the cut body to be said", Duration::from_secs(5), || {
        lock(&session).schedule_info().unreachable.is_some()
    });
    assert_eq!(event_name(&session), "Good");
}

#[test]
fn redirects_are_followed_a_few_times() {
    let site = Site::start(&program("Moved"));
    let Ok(Fetched::Body { bytes, .. }) =
        fetcher(&site.server.url("/moved")).fetch(&Validators::default())
    else {
        panic!("the redirect is followed");
    };
    assert_eq!(bytes, program("Moved").as_bytes());
    let error = fetcher(&site.server.url("/loop"))
        .fetch(&Validators::default())
        .expect_err("a redirect loop");
    assert!(
        matches!(error, FetchError::TooManyRedirects { .. }),
        "{error}"
    );
    // The loop ended after the few redirects allowed, not many more.
    let loops = site
        .server
        .traffic()
        .requests
        .iter()
        .filter(|request| request.path == "/loop")
        .count();
    assert!(loops <= 7, "{loops} requests");
}

#[test]
fn a_body_over_32_mib_is_refused_declared_or_not() {
    let site = Site::start(&program("Good"));
    let huge = vec![b' '; MAX_SCHEDULE_BYTES + 1];
    // With a Content-Length: refused before the body is read.
    site.script(Reply::new(200, huge.clone()));
    let started = Instant::now();
    let error = fetcher(&site.url())
        .fetch(&Validators::default())
        .expect_err("too large");
    assert!(matches!(error, FetchError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("larger than 32 MiB"), "{error}");
    println!(
        "a declared 32 MiB + 1 body refused in {:?}",
        started.elapsed()
    );
    // Chunked, without a length: read up to the limit, then refused.
    let mut chunked = Reply::new(200, huge);
    chunked.chunked = true;
    site.script(chunked);
    let error = fetcher(&site.url())
        .fetch(&Validators::default())
        .expect_err("too large");
    assert!(matches!(error, FetchError::TooLarge { .. }), "{error}");
    // Exactly at the limit is fine (and parsed elsewhere).
    let mut at_limit = Reply::new(200, vec![b' '; MAX_SCHEDULE_BYTES]);
    at_limit.chunked = true;
    site.script(at_limit);
    let Ok(Fetched::Body { bytes, .. }) = fetcher(&site.url()).fetch(&Validators::default()) else {
        panic!("a body at the limit is read");
    };
    assert_eq!(bytes.len(), MAX_SCHEDULE_BYTES);
}

#[test]
fn a_program_that_does_not_load_keeps_the_last_good_one_and_is_parsed_once() {
    let cache = tempfile::tempdir().expect("temp dir");
    let site = Site::start(&program("Good"));
    let (session, _) = room(&origin(&site.url(), cache.path()));
    site.publish("{\"version\": 1, \"event\": ");
    wait_for("the error", Duration::from_secs(5), || {
        lock(&session).reload_error().is_some()
    });
    assert_eq!(event_name(&session), "Good");
    assert_eq!(
        notices(&session),
        ["Schedule not updated: last good version shown"]
    );
    let error = lock(&session).reload_error().map(str::to_owned);
    assert!(
        error
            .as_deref()
            .is_some_and(|error| error.starts_with(&site.url())),
        "{error:?}"
    );
    // Polls of the same broken version change nothing more.
    let revision = lock(&session).revision();
    let before = site.server.request_count();
    wait_for("more polls", Duration::from_secs(5), || {
        site.server.request_count() >= before + 3
    });
    assert_eq!(lock(&session).revision(), revision);
    // The cache still holds the good program.
    let cached = lectern::fetch::Cache::new(cache.path().to_owned())
        .load(&site.url())
        .expect("read")
        .expect("a copy");
    assert!(String::from_utf8_lossy(&cached.body).contains("\"Good\""));
    // A fixed version is taken.
    site.publish(&program("Fixed"));
    wait_for("the fixed program", Duration::from_secs(5), || {
        event_name(&session) == "Fixed"
    });
    assert!(lock(&session).reload_error().is_none());
}

#[test]
fn with_the_server_down_the_room_starts_from_the_cache_and_says_since_when() {
    let cache = tempfile::tempdir().expect("temp dir");
    let site = Site::start(&program("Cached"));
    let url = site.url();
    let origin = origin(&url, cache.path());
    drop(room(&origin));
    drop(site);

    // The server is gone: the room starts at once from the copy, then says it is stale.
    let started = Instant::now();
    let (session, from) = room(&origin);
    let StartedFrom::Cache(fetched_at) = from else {
        panic!("started from the server: {from:?}");
    };
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(event_name(&session), "Cached");
    let zone = lock(&session).schedule().event().time_zone;
    let expected = format!(
        "Program not refreshed since {}",
        lectern::text::time_of_day(fetched_at, zone)
    );
    wait_for("the stale notice", Duration::from_secs(5), || {
        notices(&session) == [expected.clone()]
    });
    let error = lock(&session)
        .schedule_info()
        .unreachable
        .clone()
        .expect("unreachable")
        .error;
    assert!(error.contains("cannot connect"), "{error}");

    // Without a copy, a room cannot start, and says why.
    let empty = tempfile::tempdir().expect("temp dir");
    let error = lectern::fetch::start_load(&self::origin(&url, empty.path()), &Default::default())
        .expect_err("nothing to start with");
    assert!(
        error
            .to_string()
            .contains("no copy of this program is cached yet"),
        "{error}"
    );
}

#[test]
fn the_commands_take_a_url_and_fall_back_to_the_cache_offline() {
    let cache = tempfile::tempdir().expect("temp dir");
    let site = Site::start(&program("Online"));
    let url = site.url();
    let lectern = |arguments: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(arguments)
            .env("XDG_CACHE_HOME", cache.path())
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .output()
            .expect("lectern runs")
    };
    let output = lectern(&["check", &url]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains(&format!("{url}: ok: ")), "{stdout}");
    let output = lectern(&["rooms", &url]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("Tamaya FGH"));
    drop(site);

    let output = lectern(&["now", &url, "--at", "2013-05-13T09:20"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("The NIC Is the Hypervisor"), "{stdout}");
    assert!(stderr.contains("cannot connect"), "{stderr}");
    assert!(
        stderr.contains(&format!("using the copy of {url} cached at ")),
        "{stderr}"
    );
    // Without a cache, an offline command fails and says why.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["check", &url])
        .env("XDG_CACHE_HOME", cache.path().join("empty"))
        .output()
        .expect("lectern runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("cannot connect"));
}
