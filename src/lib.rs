//! lectern: a conference room display.
//!
//! The library is organised in layers (see `ARCHITECTURE.md`):
//! - the core, which does no I/O and reads no clock: [`model`], [`validate`], [`timing`],
//!   [`chair`], [`timeparse`], [`text`], [`diagnostic`];
//! - the edges: [`formats`] (one module per input format), [`source`] (files), [`report`]
//!   (command-line output).

pub mod chair;
pub mod clock;
pub mod diagnostic;
pub mod formats;
pub mod model;
pub mod report;
pub mod source;
pub mod text;
pub mod timeparse;
pub mod timing;
pub mod validate;
