//! What the importers of other programs' formats share: reading JSON with located errors, the
//! time-zone rules, kinds from labels, text clean-up, unique ids and rooms, and the step from
//! read events to a validated schedule. Each concern is a module of its own; everything is
//! re-exported here, so that the format modules name it as `super::import::X`.
//!
//! The rules here are documented for users in `docs/formats.md`; keep the two in step.

mod finish;
mod html;
mod ids;
mod json;
mod kinds;
mod zones;

pub(crate) use finish::*;
pub use html::slug;
pub(crate) use html::*;
pub(crate) use ids::*;
pub(crate) use json::*;
pub(crate) use kinds::*;
pub(crate) use zones::*;
