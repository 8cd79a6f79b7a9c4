//! The window: the projector view, the chair view and what they share. Everything here draws
//! from a computed [`crate::timing::RoomStatus`]; no schedule logic is decided in this module.

pub mod chair;
pub mod fit;
pub mod help;
pub mod keys;
pub mod overview;
pub mod projector;
pub mod report;
pub mod theme;

use crate::chair::ChairCommand;
use crate::model::RoomId;

/// Something the user asked for, by a key or a button. The app carries them out after the
/// frame is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A chair command.
    Chair(ChairCommand),
    /// Enter or leave full screen.
    ToggleFullscreen,
    /// Show or hide the chair view.
    ToggleChairView,
    /// Show or hide the list of shortcuts.
    ToggleHelp,
    /// Open the chair view with the message field focused; clear a message that is showing.
    ComposeMessage,
    /// Close the help overlay.
    CloseOverlays,
    /// Show another room.
    SelectRoom(RoomId),
    /// Show the previous (-1) or next (+1) room.
    CycleRoom(i32),
    /// Read the schedule file again now.
    Reload,
    /// Choose the next way of absorbing a delay (push, trim the questions, shrink).
    CycleAbsorbPolicy,
}
