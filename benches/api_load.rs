//! The room's server under load, on loopback:
//!
//! 1. From a command to its effect on 100 connected WebSocket clients: the time from sending
//!    `POST /api/v1/command` to each client's receiving the new status (p50, p95, max over
//!    100 clients × 200 commands). Target: p95 ≤ 20 ms.
//! 2. 1,000 status reads per second (10 keep-alive connections at 100 a second each) for 60 s
//!    (`LECTERN_LOAD_SECONDS` to change it): latency p50, p99, max, and errors. Target: 0 errors.
//!
//! Run with `cargo bench --bench api_load`. The loops are bounded in count and time and talk
//! only to 127.0.0.1.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Barrier, mpsc};
use std::time::{Duration, Instant};

use lectern::clock::Clock;
use lectern::server::ServerConfig;
use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions};
use lectern::timing::Thresholds;

const TOKEN: &str = "bench-token-0123456789abcdef";
const CLIENTS: usize = 100;
const COMMANDS: usize = 200;

fn main() {
    let loaded = match lectern::source::load_embedded() {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("{}", error.render("embedded"));
            std::process::exit(1);
        }
    };
    let start = loaded.schedule.sessions()[5].start;
    let session = RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Embedded,
            room: None,
            clock: Clock::rehearsal(start, 0.0),
            thresholds: Thresholds::default(),
            persistence: Persistence::Off,
            log: Default::default(),
            load_options: Default::default(),
        },
        loaded,
    )
    .shared();
    let server = match lectern::server::start(
        Arc::clone(&session),
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: TOKEN.to_owned(),
        },
    ) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let address = server.address();
    push_latency(address);
    read_load(address);
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name}: {} samples, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        samples.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1000.0,
        percentile(&samples, 0.95).as_secs_f64() * 1000.0,
        percentile(&samples, 0.99).as_secs_f64() * 1000.0,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
}

/// Reads statuses until one with this revision or later arrives.
fn revision_of(text: &str) -> Option<u64> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value["revision"].as_u64()
}

fn push_latency(address: SocketAddr) {
    let (received, arrivals) = mpsc::channel::<(usize, u64, Instant)>();
    let ready = Arc::new(Barrier::new(CLIENTS + 1));
    let mut threads = Vec::new();
    for client in 0..CLIENTS {
        let received = received.clone();
        let ready = Arc::clone(&ready);
        threads.push(std::thread::spawn(move || {
            let Ok(stream) = TcpStream::connect(address) else {
                ready.wait();
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let Ok((mut socket, _)) =
                tungstenite::client(format!("ws://{address}/api/v1/events"), stream)
            else {
                ready.wait();
                return;
            };
            // The first status arrives on connect.
            let _ = socket.read();
            ready.wait();
            while let Ok(message) = socket.read() {
                if let tungstenite::Message::Text(text) = message
                    && let Some(revision) = revision_of(&text)
                {
                    let _ = received.send((client, revision, Instant::now()));
                    if revision as usize >= COMMANDS {
                        return;
                    }
                }
            }
        }));
    }
    drop(received);
    ready.wait();
    let mut samples = Vec::with_capacity(CLIENTS * COMMANDS);
    for number in 1..=COMMANDS {
        let seconds = if number % 2 == 0 { 60 } else { -60 };
        let body = format!(r#"{{"command": "add", "seconds": {seconds}}}"#);
        let sent = Instant::now();
        post(address, &body);
        let mut got = 0;
        let deadline = sent + Duration::from_secs(10);
        while got < CLIENTS {
            let wait = deadline.saturating_duration_since(Instant::now());
            let Ok((_, revision, at)) = arrivals.recv_timeout(wait) else {
                eprintln!("command {number}: only {got} of {CLIENTS} clients heard of it");
                break;
            };
            if revision as usize >= number {
                got += 1;
                samples.push(at.duration_since(sent));
            }
        }
    }
    for thread in threads {
        let _ = thread.join();
    }
    report(&format!("command to {CLIENTS} WebSocket clients"), samples);
}

fn post(address: SocketAddr, body: &str) {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return;
    };
    let _ = write!(
        stream,
        "POST /api/v1/command HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
}

/// One keep-alive GET; returns whether it answered 200.
fn get_keep_alive(reader: &mut BufReader<TcpStream>, path: &str) -> bool {
    // One write per request: `write!` would send the pieces separately, and Nagle's
    // algorithm would then hold the last one back for the server's delayed acknowledgement.
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    if reader.get_mut().write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut status_line = String::new();
    if reader.read_line(&mut status_line).is_err() {
        return false;
    }
    let mut length = 0_usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.is_empty() {
            return false;
        }
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0_u8; length];
    reader.read_exact(&mut body).is_ok() && status_line.contains(" 200 ")
}

fn read_load(address: SocketAddr) {
    let seconds: u64 = std::env::var("LECTERN_LOAD_SECONDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(60)
        .min(600);
    const CONNECTIONS: usize = 10;
    const PER_CONNECTION_PER_SECOND: u64 = 100;
    let interval = Duration::from_micros(1_000_000 / PER_CONNECTION_PER_SECOND);
    let started = Instant::now();
    let end = started + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            std::thread::spawn(move || {
                let mut samples = Vec::new();
                let mut errors = 0_usize;
                let mut reader = match TcpStream::connect(address) {
                    Ok(stream) => {
                        let _ = stream.set_nodelay(true);
                        BufReader::new(stream)
                    }
                    Err(_) => return (samples, usize::MAX),
                };
                let mut next = Instant::now();
                while next < end {
                    let now = Instant::now();
                    if now < next {
                        std::thread::sleep(next - now);
                    }
                    let sent = Instant::now();
                    if get_keep_alive(&mut reader, "/api/v1/status") {
                        samples.push(sent.elapsed());
                    } else {
                        errors += 1;
                        if let Ok(stream) = TcpStream::connect(address) {
                            reader = BufReader::new(stream);
                        }
                    }
                    next += interval;
                }
                (samples, errors)
            })
        })
        .collect();
    let mut samples = Vec::new();
    let mut errors = 0_usize;
    for thread in threads {
        if let Ok((mut thread_samples, thread_errors)) = thread.join() {
            samples.append(&mut thread_samples);
            errors = errors.saturating_add(thread_errors);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "status reads: {:.0} per second for {elapsed:.0} s, {errors} errors",
        samples.len() as f64 / elapsed
    );
    report("status read latency", samples);
}
