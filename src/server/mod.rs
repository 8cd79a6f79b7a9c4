//! The room's HTTP and WebSocket API and its browser views.
//!
//! The server runs on a thread of its own with a single-threaded tokio runtime, and talks only
//! to the [`RoomSession`](crate::session::RoomSession): it reads snapshots and hands it chair
//! commands. It learns of changes through a session listener that bumps a
//! `tokio::sync::watch` channel, so a slow client simply skips to the newest status instead
//! of lagging behind a queue, and nothing is pushed unless something changed.
//!
//! Safety: it listens on loopback unless told otherwise; every write needs the token
//! (`Authorization: Bearer …`, compared in constant time); request bodies, messages,
//! connections and WebSocket clients are bounded; a client that sends its headers too slowly is
//! dropped; static files come from the binary, never from the disk; and a malformed request is
//! answered with a JSON error without touching the session.

mod api;
mod pages;
pub mod token;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt as _;

use crate::session::{SharedSession, lock};

/// The address the server listens on unless told otherwise: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4810";

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// How many WebSocket clients may be connected at once; more are refused with 503.
pub const MAX_EVENT_CLIENTS: usize = 256;

/// How many connections may be open at once; more are closed at once.
const MAX_CONNECTIONS: usize = 1024;

/// How long a client may take to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The token every write must carry.
    pub token: String,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address could not be bound (in use, not allowed, not an address of this machine).
    #[error(
        "cannot listen on {address}: {reason}\n  help: choose another port with --listen, or turn the server off with --no-listen"
    )]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// The server's thread or runtime could not be started.
    #[error("cannot start the server: {0}")]
    Start(std::io::Error),
}

/// What the chair view says about the server: where the views are, the token, or why the
/// server is not running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// The addresses of the list of views, the first the one to show first.
    pub urls: Vec<String>,
    /// The phone remote's address with the token, for the QR code.
    pub chair_url: Option<String>,
    /// The token.
    pub token: String,
    /// Why the server is not running, when it is not.
    pub error: Option<String>,
}

impl ServerInfo {
    /// The addresses of a server listening on `address`. A server listening on every
    /// address is reached at each of this computer's addresses; the room's network ones come
    /// first, since the loopback address is no use to a phone.
    pub fn new(address: SocketAddr, token: String) -> Self {
        let port = address.port();
        let mut hosts: Vec<std::net::IpAddr> = if address.ip().is_unspecified() {
            let mut found: Vec<std::net::IpAddr> = if_addrs::get_if_addrs()
                .unwrap_or_default()
                .into_iter()
                .map(|interface| interface.ip())
                .filter(|ip| ip.is_ipv4() == address.is_ipv4() && !ip.is_loopback())
                .collect();
            found.sort_by_key(|ip| ip.is_ipv6());
            found.push(if address.is_ipv4() {
                std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
            } else {
                std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)
            });
            found
        } else {
            vec![address.ip()]
        };
        hosts.dedup();
        let urls: Vec<String> = hosts
            .iter()
            .map(|ip| format!("http://{}/", SocketAddr::new(*ip, port)))
            .collect();
        let chair_url = urls.first().map(|url| format!("{url}chair#token={token}"));
        ServerInfo {
            urls,
            chair_url,
            token,
            error: None,
        }
    }

    /// A server that could not start.
    pub fn failed(address: SocketAddr, error: String) -> Self {
        ServerInfo {
            urls: vec![format!("http://{address}/")],
            chair_url: None,
            token: String::new(),
            error: Some(error),
        }
    }
}

/// A running server. Dropping it stops the server.
pub struct ServerHandle {
    address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ServerHandle {
    /// The address the server listens on (with the port chosen by the system for port 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub(crate) struct ServerState {
    pub(crate) session: SharedSession,
    pub(crate) token: Arc<str>,
    /// Bumped by the session after every change.
    pub(crate) changes: watch::Receiver<u64>,
    /// One permit per connected WebSocket client.
    pub(crate) event_clients: Arc<Semaphore>,
}

/// Binds the address and starts serving on a thread of its own. The bind happens before this
/// returns, so a port in use is reported to the caller at once.
pub fn start(session: SharedSession, config: ServerConfig) -> Result<ServerHandle, ServerError> {
    let listener =
        std::net::TcpListener::bind(config.listen).map_err(|reason| ServerError::Bind {
            address: config.listen,
            reason,
        })?;
    listener
        .set_nonblocking(true)
        .map_err(|reason| ServerError::Bind {
            address: config.listen,
            reason,
        })?;
    let address = listener.local_addr().map_err(ServerError::Start)?;

    let (changes_sender, changes) = watch::channel(0_u64);
    lock(&session).subscribe(Arc::new(move || {
        changes_sender.send_modify(|revision| *revision = revision.wrapping_add(1));
    }));
    let state = ServerState {
        session,
        token: Arc::from(config.token),
        changes,
        event_clients: Arc::new(Semaphore::new(MAX_EVENT_CLIENTS)),
    };
    let router = router(state);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServerError::Start)?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("lectern-server".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => listener,
                    Err(error) => {
                        eprintln!("lectern: the server stopped: {error}");
                        return;
                    }
                };
                tokio::select! {
                    () = serve(listener, router) => {}
                    _ = stopped => {}
                }
            });
        })
        .map_err(ServerError::Start)?;
    Ok(ServerHandle {
        address,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// The routes. Only `POST /api/v1/command` writes, and it checks the token itself before it
/// reads the body.
fn router(state: ServerState) -> Router {
    Router::new()
        .route("/api/v1/status", get(api::status))
        .route("/api/v1/schedule", get(api::schedule))
        .route("/api/v1/venue", get(api::venue))
        .route("/api/v1/countdown", get(api::countdown))
        .route("/api/v1/events", get(api::events))
        .route("/api/v1/command", post(api::command))
        .fallback(get(static_or_missing))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The browser views and their files, or a JSON 404.
async fn static_or_missing(uri: axum::http::Uri) -> axum::response::Response {
    match pages::file(&uri) {
        Some(response) => response,
        None => api::not_found().await,
    }
}

/// Accepts connections and serves each on its own task, with a bound on their number and on
/// the time a client may take to send its headers.
async fn serve(listener: tokio::net::TcpListener, router: Router) {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, for example: wait a little rather than spin.
                eprintln!("lectern: the server could not accept a connection: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            // Too many connections: close this one at once.
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request| router.clone().oneshot(request));
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            // A client that goes away mid-request is not worth reporting.
            let _ = connection.await;
            drop(permit);
        });
    }
}
