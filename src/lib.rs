//! lectern: a conference room display.
//!
//! The library is organised in layers (see `ARCHITECTURE.md`):
//! - the core, which does no I/O and reads no clock: [`model`], [`validate`], [`timing`],
//!   [`chair`], [`control`], [`timeparse`], [`text`], [`diagnostic`], [`schedule_diff`];
//! - the edges: [`formats`] (one module per input format), [`source`] (files), [`fetch`]
//!   (URLs: the HTTP client, the cache, the poller), [`state_file`]
//!   (the chair's saved state), [`write`] (the one atomic file writer), [`clock`] (the only reader of the system clock), [`report`]
//!   (command-line output);
//! - the room session, which owns one room's schedule, reloads, chair state and clock and is
//!   shared by the window and the server: [`session`];
//! - the window (feature `gui`): [`app`] and [`ui`].

#[cfg(feature = "gui")]
pub mod app;
pub mod assets;
pub mod chair;
pub mod clock;
pub mod control;
pub mod diagnostic;
pub mod fetch;
pub mod formats;
pub mod model;
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
pub mod watch;
pub mod write;
