//! Following a URL on a thread of its own, as the watcher follows a file.
//!
//! The poller fetches the program every poll interval (sooner when asked, later after
//! failures: [`super::next_poll_delay`]), with the validators of the copy it holds, so that an
//! unchanged program is a 304 that costs no parse. A changed body is parsed on this thread and
//! sent whole ([`ScheduleUpdate::Loaded`]) or as an error ([`ScheduleUpdate::Failed`]: the
//! session keeps the last good program); a body identical to the one shown or the one that
//! failed last is not parsed again. A failed fetch is sent as [`ScheduleUpdate::Unreachable`]
//! with the time of the last good refresh, and once the server answers again,
//! [`ScheduleUpdate::Refreshed`]. Programs that loaded are stored in the cache. After each
//! message the wake callback is called, as for the watcher.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::{Backoff, Cache, CachedCopy, Fetched, Fetcher, UrlOrigin, Validators, next_poll_delay};
use crate::clock::system_now;
use crate::formats::LoadOptions;
use crate::watch::{ScheduleUpdate, load_isolated};

/// How often a 304 is written down in the cache's sidecar: often enough that a restart
/// without a network says about when the program was last confirmed, rarely enough that
/// polling does not write to the disk every minute.
const CACHE_TOUCH_INTERVAL: Duration = Duration::from_secs(5 * 60);

enum Message {
    ReloadNow,
    Stop,
}

/// A running poller. Dropping it stops the thread once a fetch in progress has ended.
pub struct UrlPoller {
    updates: Receiver<ScheduleUpdate>,
    messages: Sender<Message>,
}

impl UrlPoller {
    /// Starts following `origin`. The program shown at start is the cached copy if there is
    /// one (the session was started with it); the first fetch is due one poll interval after
    /// that copy was last confirmed, at once if that is past. `wake` is called after every
    /// update is sent.
    pub fn start(
        origin: &UrlOrigin,
        options: LoadOptions,
        wake: impl Fn() + Send + 'static,
    ) -> Self {
        let (messages, inbox) = mpsc::channel::<Message>();
        let (outbox, updates) = mpsc::channel::<ScheduleUpdate>();
        let cache = origin.cache();
        let started = system_now();
        let cached = cache
            .as_ref()
            .and_then(|cache| match cache.load(&origin.url) {
                Ok(copy) => copy,
                Err(error) => {
                    eprintln!("lectern: {error}");
                    None
                }
            });
        let first_delay = match (&cached, origin.poll) {
            (Some(copy), Some(poll)) => {
                let age = (started - copy.fetched_at)
                    .to_std()
                    .unwrap_or(Duration::MAX);
                poll.saturating_sub(age)
            }
            // Without a copy, the session started from a fetch just made (or shows nothing
            // the poller knows): fetch now, so that the poller knows what is shown.
            (None, Some(_)) => Duration::ZERO,
            (_, None) => Duration::MAX,
        };
        let state = PollState {
            fetcher: Fetcher::new(&origin.url, origin.timeouts),
            url: origin.url.clone(),
            poll: origin.poll,
            backoff: origin.backoff,
            options,
            cache,
            shown_hash: cached.as_ref().map(|copy| super::stable_hash(&copy.body)),
            failed_hash: None,
            validators: cached
                .as_ref()
                .map(|copy| copy.validators.clone())
                .unwrap_or_default(),
            last_refreshed: cached.as_ref().map_or(started, |copy| copy.fetched_at),
            cached,
            last_touch: None,
            failures: 0,
            unreachable: false,
            outbox,
            wake: Box::new(wake),
        };
        let spawned = std::thread::Builder::new()
            .name("schedule-poller".to_owned())
            .spawn(move || state.run(&inbox, first_delay));
        if let Err(error) = spawned {
            eprintln!(
                "lectern: cannot start following {} ({error}); restart lectern to try again",
                origin.url
            );
        }
        UrlPoller { updates, messages }
    }

    /// The next update, if one is waiting.
    pub fn try_next(&self) -> Option<ScheduleUpdate> {
        self.updates.try_recv().ok()
    }

    /// Waits up to `timeout` for the next update.
    pub fn next_timeout(&self, timeout: Duration) -> Option<ScheduleUpdate> {
        self.updates.recv_timeout(timeout).ok()
    }

    /// Asks for a fetch now.
    pub fn reload_now(&self) {
        let _ = self.messages.send(Message::ReloadNow);
    }
}

impl Drop for UrlPoller {
    fn drop(&mut self) {
        // The thread is not waited for: a fetch in progress may take up to its timeout, and
        // closing the window must not. It ends on this message, or on the closed channel.
        let _ = self.messages.send(Message::Stop);
    }
}

struct PollState {
    fetcher: Fetcher,
    url: String,
    poll: Option<Duration>,
    backoff: Backoff,
    options: LoadOptions,
    cache: Option<Cache>,
    /// The hash of the body of the program shown, if the poller knows it.
    shown_hash: Option<u64>,
    /// The hash of the last body that did not load, so that it is not parsed again.
    failed_hash: Option<u64>,
    /// The validators of the last body received.
    validators: Validators,
    /// When the server last gave or confirmed a program.
    last_refreshed: DateTime<Utc>,
    /// The copy in the cache, to date it on a 304.
    cached: Option<CachedCopy>,
    /// When the cache's sidecar was last rewritten for a 304.
    last_touch: Option<Instant>,
    /// Fetches failed in a row.
    failures: u32,
    /// Whether the session was last told that the URL cannot be reached.
    unreachable: bool,
    outbox: Sender<ScheduleUpdate>,
    wake: Box<dyn Fn() + Send>,
}

impl PollState {
    fn run(mut self, inbox: &Receiver<Message>, first_delay: Duration) {
        let mut next_fetch = Instant::now().checked_add(first_delay);
        loop {
            let message = match next_fetch {
                Some(deadline) => {
                    inbox.recv_timeout(deadline.saturating_duration_since(Instant::now()))
                }
                None => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match message {
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Message::ReloadNow) | Err(RecvTimeoutError::Timeout) => {}
            }
            if !self.fetch_once() {
                return;
            }
            next_fetch = self.poll.and_then(|poll| {
                Instant::now().checked_add(next_poll_delay(poll, self.failures, self.backoff))
            });
        }
    }

    /// One fetch and what follows from it. Returns false once the session is gone.
    fn fetch_once(&mut self) -> bool {
        let outcome = self.fetcher.fetch(&self.validators);
        let now = system_now();
        let update = match outcome {
            Err(error) => {
                self.failures = self.failures.saturating_add(1);
                self.unreachable = true;
                Some(ScheduleUpdate::Unreachable {
                    since: self.last_refreshed,
                    at: now,
                    error: error.to_string(),
                })
            }
            Ok(Fetched::NotModified) => {
                self.succeeded(now);
                self.touch_cache(now);
                self.refreshed()
            }
            Ok(Fetched::Body { bytes, validators }) => {
                self.succeeded(now);
                self.validators = validators.clone();
                self.received(bytes, validators, now)
            }
        };
        match update {
            Some(update) => self.send(update),
            None => true,
        }
    }

    fn succeeded(&mut self, now: DateTime<Utc>) {
        self.failures = 0;
        self.last_refreshed = now;
    }

    /// After a success: tells the session the URL answers again, if it was told otherwise.
    fn refreshed(&mut self) -> Option<ScheduleUpdate> {
        std::mem::take(&mut self.unreachable).then_some(ScheduleUpdate::Refreshed)
    }

    /// A body arrived: parse it unless it is known, and say what it is.
    fn received(
        &mut self,
        bytes: Vec<u8>,
        validators: Validators,
        now: DateTime<Utc>,
    ) -> Option<ScheduleUpdate> {
        let hash = super::stable_hash(&bytes);
        if self.shown_hash == Some(hash) {
            // The same program again (a server without validators): nothing to parse.
            self.remember(bytes, validators, now);
            return self.refreshed();
        }
        if self.failed_hash == Some(hash) {
            return self.refreshed();
        }
        self.unreachable = false;
        match load_isolated(&bytes, &self.options) {
            Ok(Ok(loaded)) => {
                self.shown_hash = Some(hash);
                self.failed_hash = None;
                self.remember(bytes, validators, now);
                Some(ScheduleUpdate::Loaded(Box::new(loaded)))
            }
            Ok(Err(error)) => {
                self.failed_hash = Some(hash);
                Some(ScheduleUpdate::Failed(error.render(&self.url)))
            }
            Err(reason) => {
                self.failed_hash = Some(hash);
                Some(ScheduleUpdate::Failed(format!(
                    "{}: lectern failed while reading this program ({reason}); the last good schedule stays\n  help: this is a bug in lectern: please report it with the program",
                    self.url
                )))
            }
        }
    }

    /// Keeps a program that loaded in the cache.
    fn remember(&mut self, body: Vec<u8>, validators: Validators, now: DateTime<Utc>) {
        let copy = CachedCopy {
            body,
            validators,
            fetched_at: now,
        };
        if let Some(cache) = &self.cache
            && let Err(error) = cache.store(&self.url, &copy)
        {
            eprintln!("lectern: {error}");
        }
        self.last_touch = Some(Instant::now());
        self.cached = Some(copy);
    }

    /// Dates the cached copy after a 304, now and then.
    fn touch_cache(&mut self, now: DateTime<Utc>) {
        if self
            .last_touch
            .is_some_and(|touched| touched.elapsed() < CACHE_TOUCH_INTERVAL)
        {
            return;
        }
        let (Some(cache), Some(copy)) = (&self.cache, &mut self.cached) else {
            return;
        };
        copy.fetched_at = now;
        if let Err(error) = cache.touch(&self.url, copy) {
            eprintln!("lectern: {error}");
        }
        self.last_touch = Some(Instant::now());
    }

    fn send(&self, update: ScheduleUpdate) -> bool {
        if self.outbox.send(update).is_err() {
            return false;
        }
        (self.wake)();
        true
    }
}
