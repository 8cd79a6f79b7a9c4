//! lectern: a conference room display.
//!
//! The library is organised in layers (see `ARCHITECTURE.md`):
//! - the core, which does no I/O and reads no clock: [`model`], [`validate`], [`timing`],
//!   [`chair`], [`projection`], [`control`], [`venue`], [`recorder`] (what the chair's log
//!   records), [`planned`] (planned against actual), [`schedule_diff`] (what a reload
//!   changed), [`timeparse`], [`text`], [`diagnostic`];
//! - the edges: [`feed`] (the rooms' live feeds for the hallway screen), [`formats`] (one
//!   module per input format), [`source`] (files), [`fetch`] (URLs: the HTTP client, the
//!   cache, the poller), [`state_file`] (the chair's saved state), [`chair_log`] (the chair's
//!   log file), [`write`] (the one atomic file writer), [`clock`] (the only reader of the
//!   system clock), [`report`]
//!   (command-line output);
//! - the room session, which owns one room's schedule, reloads, chair state and clock and is
//!   shared by the window and the server: [`session`];
//! - the window (feature `gui`): [`app`] and [`ui`].

#[cfg(feature = "gui")]
pub mod app;
pub mod assets;
pub mod chair;
pub mod chair_log;
pub mod clock;
pub mod config;
pub mod control;
pub mod diagnostic;
pub mod feed;
pub mod fetch;

pub mod formats;
pub mod model;
#[cfg(feature = "gui")]
pub mod overview_app;
pub mod planned;
pub mod projection;
pub mod recorder;
pub mod report;
pub mod schedule_diff;
pub mod server;
pub mod session;
pub mod source;
pub mod state_file;
pub mod text;
pub mod timeparse;
pub mod timing;
#[cfg(feature = "gui")]
pub mod ui;
pub mod validate;
pub mod venue;
pub mod watch;
#[cfg(feature = "gui")]
pub mod window;
pub mod write;
