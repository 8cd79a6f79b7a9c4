//! A small HTTP/1.1 server on loopback for the fetch tests and the fetch bench: each request is
//! answered by a handler the test writes, which sees the request's headers and returns a
//! scripted reply (a status, headers, a body, a delay before answering, a body cut short).
//! Written on `std::net` alone, so it shares no code with the client under test. Connections
//! are kept alive, as real servers keep them, and every byte in and out is counted.

#![allow(dead_code)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as received.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`.
    pub method: String,
    /// `/schedule.json`.
    pub path: String,
    /// Header names in lower case, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The bytes of the request head.
    pub bytes: usize,
    /// When it arrived.
    pub at: Instant,
}

impl Request {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers besides `Content-Length`.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// How long to wait before answering.
    pub delay: Duration,
    /// Send only this many bytes of the body (with the whole body's `Content-Length`), then
    /// close the connection.
    pub cut_at: Option<usize>,
    /// Send the body without a `Content-Length`, chunked.
    pub chunked: bool,
}

impl Reply {
    /// A reply with this status and body.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
            cut_at: None,
            chunked: false,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Waits before answering.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// Counts of what went over the wire.
#[derive(Debug, Clone, Default)]
pub struct Traffic {
    /// Every request, in order.
    pub requests: Vec<Request>,
    /// Bytes of the responses sent, head and body, per request.
    pub response_bytes: Vec<usize>,
}

type Handler = Box<dyn FnMut(&Request) -> Reply + Send>;

/// A running server. Dropping it stops accepting connections.
pub struct Server {
    address: SocketAddr,
    traffic: Arc<Mutex<Traffic>>,
    stopping: Arc<AtomicBool>,
    accepting: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts a server on a free loopback port, answering with `handler`.
    pub fn start(handler: impl FnMut(&Request) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let address = listener.local_addr().expect("address");
        let traffic = Arc::new(Mutex::new(Traffic::default()));
        let stopping = Arc::new(AtomicBool::new(false));
        let handler: Arc<Mutex<Handler>> = Arc::new(Mutex::new(Box::new(handler)));
        let accepting = {
            let traffic = Arc::clone(&traffic);
            let stopping = Arc::clone(&stopping);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = Arc::clone(&handler);
                    let traffic = Arc::clone(&traffic);
                    let stopping = Arc::clone(&stopping);
                    std::thread::spawn(move || {
                        serve_connection(stream, &handler, &traffic, &stopping)
                    });
                }
            })
        };
        Server {
            address,
            traffic,
            stopping,
            accepting: Some(accepting),
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// What went over the wire so far.
    pub fn traffic(&self) -> Traffic {
        self.traffic.lock().expect("traffic").clone()
    }

    /// What was exchanged once at least `responses` answers have been written (an answer is
    /// counted after its last byte is written, which the client may read first), waiting up
    /// to five seconds.
    pub fn traffic_after(&self, responses: usize) -> Traffic {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let traffic = self.traffic();
            if traffic.response_bytes.len() >= responses || std::time::Instant::now() > deadline {
                return traffic;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// How many requests arrived so far.
    pub fn request_count(&self) -> usize {
        self.traffic.lock().expect("traffic").requests.len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees the flag and closes the listener: once
        // this returns, the port refuses connections.
        let _ = TcpStream::connect(self.address);
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
    }
}

fn serve_connection(
    stream: TcpStream,
    handler: &Mutex<Handler>,
    traffic: &Mutex<Traffic>,
    stopping: &AtomicBool,
) {
    // Heads and bodies are separate writes; without this, delayed acknowledgements hold each
    // body back by tens of milliseconds, which real servers do not.
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        // A stopped server answers nothing more, on kept-alive connections too.
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let reply = {
            let mut handler = handler.lock().expect("handler");
            (handler)(&request)
        };
        traffic
            .lock()
            .expect("traffic")
            .requests
            .push(request.clone());
        std::thread::sleep(reply.delay);
        let (bytes, keep_open) = write_reply(&mut writer, &request, &reply);
        traffic.lock().expect("traffic").response_bytes.push(bytes);
        if !keep_open {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut bytes = 0;
    let mut line = String::new();
    let read = reader.read_line(&mut line).ok()?;
    if read == 0 {
        return None;
    }
    bytes += read;
    let at = Instant::now();
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).ok()?;
        if read == 0 {
            return None;
        }
        bytes += read;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    // GET requests carry no body; anything else is read and dropped by its length.
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    if length > 0 {
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        bytes += length;
    }
    Some(Request {
        method,
        path,
        headers,
        bytes,
        at,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes the reply; returns the bytes written and whether the connection stays open.
fn write_reply(writer: &mut TcpStream, request: &Request, reply: &Reply) -> (usize, bool) {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let has_body = reply.status != 304 && request.method != "HEAD";
    if reply.chunked {
        head.push_str("Transfer-Encoding: chunked\r\n");
    } else if has_body {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    if reply.cut_at.is_some() {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut written = head.len();
    if writer.write_all(head.as_bytes()).is_err() {
        return (written, false);
    }
    if !has_body {
        return (written, true);
    }
    if reply.chunked {
        for chunk in reply.body.chunks(64 * 1024) {
            let size = format!("{:x}\r\n", chunk.len());
            if writer.write_all(size.as_bytes()).is_err()
                || writer.write_all(chunk).is_err()
                || writer.write_all(b"\r\n").is_err()
            {
                return (written, false);
            }
            written += size.len() + chunk.len() + 2;
        }
        let _ = writer.write_all(b"0\r\n\r\n");
        return (written + 5, true);
    }
    let body = match reply.cut_at {
        Some(cut) => &reply.body[..cut.min(reply.body.len())],
        None => &reply.body[..],
    };
    if writer.write_all(body).is_err() {
        return (written, false);
    }
    let _ = writer.flush();
    written += body.len();
    (written, reply.cut_at.is_none())
}
