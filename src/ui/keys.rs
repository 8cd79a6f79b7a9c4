//! Keyboard shortcuts. The same keys work in the projector window and in the chair window.

use chrono::Duration;
use eframe::egui::{self, Key, Modifiers};

use super::Action;
use crate::chair::ChairCommand;
use crate::config::PresetMessage;

/// Where the preset messages' row goes in [`shortcuts`].
const MESSAGES_ROW: usize = 10;

/// The shortcuts, for the help overlay: keys and what they do, with the preset messages of
/// the settings in their place.
pub fn shortcuts(messages: &[PresetMessage]) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = FIXED_SHORTCUTS
        .iter()
        .map(|(keys, meaning)| ((*keys).to_owned(), (*meaning).to_owned()))
        .collect();
    let keyed: Vec<&PresetMessage> = messages
        .iter()
        .filter(|message| message.key.is_some())
        .collect();
    if !keyed.is_empty() {
        let keys = keyed
            .iter()
            .filter_map(|message| message.key.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        let texts = keyed
            .iter()
            .map(|message| format!("\"{}\"", message.text))
            .collect::<Vec<_>>()
            .join(", ");
        rows.insert(
            MESSAGES_ROW.min(rows.len()),
            (keys, format!("Show {texts}")),
        );
    }
    rows
}

/// The shortcuts that do not depend on the settings.
const FIXED_SHORTCUTS: [(&str, &str); 18] = [
    ("Space", "Pause or resume the timer"),
    ("Enter", "Start this talk now (late start)"),
    ("N", "Next talk"),
    ("P", "Previous talk"),
    (
        "Q",
        "Questions now: end the talk part and start the questions",
    ),
    (
        "E",
        "End the paper: the next one starts at its planned time",
    ),
    (
        "A",
        "How a delay is absorbed: push the end, trim the questions, shrink the papers",
    ),
    ("+", "Add a minute"),
    ("-", "Take a minute away"),
    ("M", "Message to the speaker (M again clears it)"),
    ("B", "Blank the projector, or show it again"),
    ("Backspace", "Back to the schedule (drop every override)"),
    ("F or F11", "Full screen"),
    ("C", "Chair view"),
    ("R", "Reload the schedule file now"),
    ("[ and ]", "Previous or next room"),
    ("?", "This help"),
    ("Esc", "Close this help"),
];

/// The actions the keys pressed this frame ask for. Keys are ignored while a text field has
/// the keyboard, so that typing a message does not pause the timer.
pub fn actions_from_keys(ctx: &egui::Context, messages: &[PresetMessage]) -> Vec<Action> {
    if ctx.egui_wants_keyboard_input() {
        return Vec::new();
    }
    let mut actions = Vec::new();
    ctx.input_mut(|input| {
        let mut pressed = |key: Key| input.consume_key(Modifiers::NONE, key);
        if pressed(Key::Space) {
            actions.push(Action::Chair(ChairCommand::TogglePause));
        }
        if pressed(Key::Enter) {
            actions.push(Action::Chair(ChairCommand::StartNow));
        }
        if pressed(Key::N) {
            actions.push(Action::Chair(ChairCommand::NextTalk));
        }
        if pressed(Key::Q) {
            actions.push(Action::Chair(ChairCommand::QuestionsNow));
        }
        if pressed(Key::E) {
            actions.push(Action::Chair(ChairCommand::EndTalk));
        }
        if pressed(Key::A) {
            actions.push(Action::CycleAbsorbPolicy);
        }
        if pressed(Key::P) {
            actions.push(Action::Chair(ChairCommand::PreviousTalk));
        }
        // "+" is Shift+= on many layouts, so both keys add a minute.
        if pressed(Key::Plus) || pressed(Key::Equals) {
            actions.push(Action::Chair(ChairCommand::AddTime(Duration::minutes(1))));
        }
        if pressed(Key::Minus) {
            actions.push(Action::Chair(ChairCommand::AddTime(Duration::minutes(-1))));
        }
        if pressed(Key::M) {
            actions.push(Action::ComposeMessage);
        }
        for message in messages {
            if let Some(key) = message.key.as_deref().and_then(Key::from_name)
                && pressed(key)
            {
                actions.push(Action::Chair(ChairCommand::ShowMessage(
                    message.text.clone(),
                )));
            }
        }
        if pressed(Key::B) {
            actions.push(Action::Chair(ChairCommand::ToggleBlank));
        }
        if pressed(Key::Backspace) {
            actions.push(Action::Chair(ChairCommand::BackToSchedule));
        }
        if pressed(Key::F) || pressed(Key::F11) {
            actions.push(Action::ToggleFullscreen);
        }
        if pressed(Key::C) {
            actions.push(Action::ToggleChairView);
        }
        if pressed(Key::R) {
            actions.push(Action::Reload);
        }
        if pressed(Key::OpenBracket) {
            actions.push(Action::CycleRoom(-1));
        }
        if pressed(Key::CloseBracket) {
            actions.push(Action::CycleRoom(1));
        }
        if pressed(Key::Questionmark) || pressed(Key::Slash) {
            actions.push(Action::ToggleHelp);
        }
        if pressed(Key::Escape) {
            actions.push(Action::CloseOverlays);
        }
    });
    actions
}
