//! The chair view: the session chair's controls on the laptop. It shows the room's status small,
//! every control as a button with its shortcut, today's program, the room picker, and the
//! schedule file's state with its warnings and errors.

use chrono::Duration;
use eframe::egui::{self, Color32, RichText, Ui};

use super::Action;
use super::theme;
use crate::chair::{AbsorbPolicy, ChairCommand};
use crate::config::PresetMessage;
use crate::model::{Room, RoomId};
use crate::server::ServerInfo;
pub use crate::session::ScheduleInfo;
use crate::session::{NoticeLevel, ScreenNotice};
use crate::text;
use crate::timing::{Activity, AgendaState, RoomStatus, TalkPart};

/// What the chair view shows.
pub struct ChairView<'s, 'a> {
    /// The room's status.
    pub status: &'s RoomStatus<'a>,
    /// All rooms, for the picker.
    pub rooms: &'s [Room],
    /// The room shown.
    pub room: RoomId,
    /// The schedule file's state.
    pub schedule: &'s ScheduleInfo,
    /// What the projector says about itself (rehearsal, stale schedule).
    pub notices: &'s [ScreenNotice],
    /// Things the chair should know (an override dropped after a reload).
    pub chair_notices: &'s [String],
    /// Whether the chair view shares the projector's window (one screen).
    pub in_projector_window: bool,
    /// Where the room's views and API are, when the server runs (or why it does not).
    pub server: Option<&'s ServerInfo>,
    /// Today's planned against actual so far.
    pub planned_actual: &'s [crate::planned::TodayRow],
    /// The preset messages, with their keys.
    pub messages: &'s [PresetMessage],
    /// Why the configuration file's last change could not be used.
    pub settings_error: Option<&'s str>,
}

/// The chair view's own state: the message being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChairPanelState {
    /// The free-text message being written.
    pub message_draft: String,
    /// Put the keyboard in the message field on the next frame.
    pub focus_message: bool,
}

/// Draws the chair view; what the chair asks for is pushed onto `actions`.
pub fn chair_ui(
    ui: &mut Ui,
    view: &ChairView<'_, '_>,
    state: &mut ChairPanelState,
    actions: &mut Vec<Action>,
) {
    // Larger than egui's defaults: the laptop sits on a lectern, an arm's length away, and the
    // buttons are pressed in a hurry.
    let style = ui.style_mut();
    for (text_style, size) in [
        (egui::TextStyle::Body, 17.0),
        (egui::TextStyle::Button, 17.0),
        (egui::TextStyle::Heading, 24.0),
        (egui::TextStyle::Monospace, 15.0),
        (egui::TextStyle::Small, 13.0),
    ] {
        if let Some(font) = style.text_styles.get_mut(&text_style) {
            font.size = size;
        }
    }
    style.spacing.button_padding = egui::vec2(10.0, 6.0);
    style.spacing.item_spacing = egui::vec2(8.0, 8.0);
    let zone = view.status.time_zone;
    ui.horizontal(|ui| {
        ui.heading(RichText::new(&view.status.room.name).strong());
        ui.label(
            RichText::new(theme::time_with_zone(view.status.now, zone)).color(theme::palette().dim),
        );
        if view.in_projector_window {
            ui.label(
                RichText::new("Projector hidden: press C to show it")
                    .color(theme::palette().warning),
            );
        }
    });
    for notice in view.notices {
        let color = match notice.level {
            NoticeLevel::Info => theme::palette().notice,
            NoticeLevel::Warning => theme::palette().warning,
            NoticeLevel::Error => theme::palette().error,
        };
        ui.label(RichText::new(&notice.text).color(color).strong());
    }
    for notice in view.chair_notices {
        ui.label(RichText::new(notice).color(theme::palette().warning));
    }
    ui.separator();
    status_ui(ui, view.status);
    ui.separator();
    controls_ui(ui, view.status, view.messages, state, actions);
    ui.separator();
    // The phones' column sits beside the others, so that its code can be scanned without
    // scrolling.
    match view.server {
        Some(server) => ui.columns(3, |columns| {
            agenda_ui(&mut columns[0], view.status);
            room_and_file_ui(&mut columns[1], view, actions);
            server_ui(&mut columns[2], server);
        }),
        None => ui.columns(2, |columns| {
            agenda_ui(&mut columns[0], view.status);
            room_and_file_ui(&mut columns[1], view, actions);
        }),
    }
    ui.separator();
    super::report::planned_actual_ui(ui, view.planned_actual);
}

fn status_ui(ui: &mut Ui, status: &RoomStatus<'_>) {
    let zone = status.time_zone;
    match &status.activity {
        Activity::Live(live) => {
            let countdown = live.countdown();
            let paused = live.chair.is_some_and(|chair| chair.paused);
            let color = if paused {
                theme::palette().dim
            } else {
                theme::phase_color(live.phase)
            };
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(text::countdown(countdown.remaining))
                        .font(theme::digits(44.0))
                        .color(color),
                );
                ui.vertical(|ui| {
                    let part = live.talk.as_ref().map(|talk| talk.part);
                    let phase = if paused {
                        "PAUSED"
                    } else if part == Some(TalkPart::Questions)
                        && live.phase != crate::timing::Phase::Overtime
                    {
                        "QUESTIONS"
                    } else {
                        theme::phase_word(live.phase)
                    };
                    ui.label(RichText::new(phase).color(color).strong());
                    // With a question part, both parts: the talk's and the questions' ends.
                    match live.talk.as_ref().filter(|talk| !talk.questions.is_zero()) {
                        Some(talk) if talk.part == TalkPart::Talk => {
                            ui.label(format!(
                                "talk ends {}, questions until {}",
                                theme::time_of_day(countdown.end, zone),
                                theme::time_of_day(talk.countdown.end, zone)
                            ));
                        }
                        _ if live.hold.is_some() => {
                            ui.label(format!(
                                "paper ended; holding until {}",
                                theme::time_of_day(countdown.end, zone)
                            ));
                        }
                        _ => {
                            ui.label(format!("ends {}", theme::time_of_day(countdown.end, zone)));
                        }
                    }
                    if let Some(chair) = &live.chair {
                        let mut line = format!(
                            "chair timing, started {}",
                            theme::time_of_day(chair.started_at, zone)
                        );
                        if !chair.added.is_zero() {
                            line.push_str(&format!(", {:+} min", chair.added.num_minutes()));
                        }
                        ui.label(RichText::new(line).color(theme::palette().warning));
                        let delay = chair.delay.num_minutes();
                        let ends = theme::time_of_day(chair.projected_session_end, zone);
                        let past = chair.past_hard_stop().num_minutes();
                        let following = status
                            .next
                            .as_ref()
                            .map_or("the end of the session", |next| {
                                if next.session.kind.is_pause() {
                                    "the break"
                                } else {
                                    "the next session"
                                }
                            });
                        let line = match delay {
                            0 => None,
                            late if late > 0 && past > 0 => Some(format!(
                                "running {late} min late: session ends {ends}, {past} min into {following}"
                            )),
                            late if late > 0 => {
                                Some(format!("running {late} min late: session ends {ends}"))
                            }
                            early => Some(format!(
                                "{} min ahead: session ends {ends}",
                                early.unsigned_abs()
                            )),
                        };
                        if let Some(line) = line {
                            let color = if past > 0 { theme::palette().error } else { theme::palette().text };
                            ui.label(RichText::new(line).color(color));
                        }
                        if chair.policy != AbsorbPolicy::Push {
                            ui.label(format!("delays: {}", chair.policy.describe()));
                        }
                    }
                });
            });
            match &live.talk {
                Some(talk) => {
                    ui.label(
                        RichText::new(format!(
                            "Paper {} of {}: {}",
                            talk.index + 1,
                            talk.count,
                            talk.talk.title
                        ))
                        .strong(),
                    );
                    ui.label(text::people_line(&talk.talk.speakers));
                }
                None => {
                    ui.label(RichText::new(live.session.display_title()).strong());
                }
            }
            ui.label(
                RichText::new(format!(
                    "{} ({}–{}), {} left",
                    live.session.display_title(),
                    theme::time_of_day(live.session.start, zone),
                    theme::time_of_day(live.session.end, zone),
                    text::countdown(live.session_countdown.remaining)
                ))
                .color(theme::palette().dim),
            );
            // The papers still to come, at their projected times, and the plan where it
            // differs.
            for next in &live.remaining_talks {
                let mut line = format!(
                    "{}–{}  Paper {}: {}",
                    theme::time_of_day(next.slot.start, zone),
                    theme::time_of_day(next.slot.end, zone),
                    next.index + 1,
                    next.talk.title
                );
                let moved = next.slot.start != next.talk.start || next.slot.end != next.talk.end;
                if moved {
                    line.push_str(&format!(
                        "  (planned {}–{})",
                        theme::time_of_day(next.talk.start, zone),
                        theme::time_of_day(next.talk.end, zone)
                    ));
                }
                ui.label(RichText::new(line).color(if moved {
                    theme::palette().warning
                } else {
                    theme::palette().dim
                }));
            }
        }
        Activity::Between { .. } => {
            ui.label(RichText::new("Nothing on in this room").strong());
        }
        Activity::BeforeEvent { starts_in } => {
            ui.label(
                RichText::new(format!(
                    "The event starts in {}",
                    text::countdown(*starts_in)
                ))
                .strong(),
            );
        }
        Activity::RoomDone => {
            ui.label(RichText::new("No more sessions in this room").strong());
        }
        Activity::AfterEvent => {
            ui.label(RichText::new("The event is over").strong());
        }
    }
    if let Some(next) = &status.next {
        ui.label(format!(
            "Next at {}: {} (in {})",
            theme::time_of_day(next.at, zone),
            next.session.display_title(),
            text::countdown(next.starts_in)
        ));
    }
    if let Some(message) = status.message {
        ui.label(
            RichText::new(format!("On the projector: \"{message}\""))
                .color(Color32::BLACK)
                .background_color(theme::palette().message),
        );
    }
    if status.blanked {
        ui.label(
            RichText::new("The projector is blanked")
                .color(theme::palette().warning)
                .strong(),
        );
    }
}

fn controls_ui(
    ui: &mut Ui,
    status: &RoomStatus<'_>,
    messages: &[PresetMessage],
    state: &mut ChairPanelState,
    actions: &mut Vec<Action>,
) {
    let paused = status
        .live()
        .and_then(|live| live.chair)
        .is_some_and(|chair| chair.paused);
    let chair = |command: ChairCommand| Action::Chair(command);
    ui.horizontal_wrapped(|ui| {
        let buttons: [(&str, Action); 9] = [
            (
                "Start this talk now  [Enter]",
                chair(ChairCommand::StartNow),
            ),
            (
                if paused {
                    "Resume  [Space]"
                } else {
                    "Pause  [Space]"
                },
                chair(ChairCommand::TogglePause),
            ),
            (
                "-1 min  [-]",
                chair(ChairCommand::AddTime(Duration::minutes(-1))),
            ),
            (
                "+1 min  [+]",
                chair(ChairCommand::AddTime(Duration::minutes(1))),
            ),
            ("Previous talk  [P]", chair(ChairCommand::PreviousTalk)),
            ("Next talk  [N]", chair(ChairCommand::NextTalk)),
            ("Start questions  [Q]", chair(ChairCommand::QuestionsNow)),
            ("End paper, hold  [E]", chair(ChairCommand::EndTalk)),
            (
                "Back to schedule  [Backspace]",
                chair(ChairCommand::BackToSchedule),
            ),
        ];
        for (label, action) in buttons {
            if ui.button(label).clicked() {
                actions.push(action);
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("A delay  [A]:");
        for (choice, label) in [
            (AbsorbPolicy::Push, "push the end"),
            (AbsorbPolicy::TrimQuestions, "trim the questions"),
            (AbsorbPolicy::Shrink, "shrink to end on time"),
        ] {
            if ui
                .selectable_label(status.policy == choice, label)
                .clicked()
            {
                actions.push(Action::Chair(ChairCommand::Absorb(choice)));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Message:");
        for preset in messages {
            let label = match &preset.key {
                Some(key) => format!("{}  [{key}]", preset.text),
                None => preset.text.clone(),
            };
            if ui.button(label).clicked() {
                actions.push(Action::Chair(ChairCommand::ShowMessage(
                    preset.text.clone(),
                )));
            }
        }
    });
    ui.horizontal(|ui| {
        let field = egui::TextEdit::singleline(&mut state.message_draft)
            .hint_text("Your own message")
            .desired_width(320.0);
        let response = ui.add(field).on_hover_text("Message to the speaker");
        if state.focus_message {
            response.request_focus();
            state.focus_message = false;
        }
        let submitted =
            response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        if (ui.button("Show message").clicked() || submitted)
            && !state.message_draft.trim().is_empty()
        {
            actions.push(Action::Chair(ChairCommand::ShowMessage(
                state.message_draft.clone(),
            )));
        }
        if status.message.is_some() && ui.button("Clear message  [M]").clicked() {
            actions.push(Action::Chair(ChairCommand::ClearMessage));
        }
        let blank_label = if status.blanked {
            "Show projector  [B]"
        } else {
            "Blank projector  [B]"
        };
        if ui.button(blank_label).clicked() {
            actions.push(Action::Chair(ChairCommand::ToggleBlank));
        }
    });
}

fn agenda_ui(ui: &mut Ui, status: &RoomStatus<'_>) {
    let zone = status.time_zone;
    let heading = match status.agenda_day {
        Some(day) => format!("Program, {}", text::date(day)),
        None => "Program".to_owned(),
    };
    ui.label(RichText::new(heading).strong());
    egui::ScrollArea::vertical()
        .id_salt("agenda")
        .max_height(260.0)
        .show(ui, |ui| {
            for entry in &status.agenda {
                let line = format!(
                    "{}–{}  {}",
                    theme::time_of_day(entry.session.start, zone),
                    theme::time_of_day(entry.session.end, zone),
                    entry.session.display_title()
                );
                let text = match entry.state {
                    AgendaState::Past => RichText::new(line).color(theme::palette().dim),
                    AgendaState::Current => RichText::new(format!("> {line}"))
                        .color(theme::palette().on_time)
                        .strong(),
                    AgendaState::Upcoming => RichText::new(line),
                };
                ui.label(text);
            }
        });
}

fn room_and_file_ui(ui: &mut Ui, view: &ChairView<'_, '_>, actions: &mut Vec<Action>) {
    ui.label(RichText::new("Room").strong());
    let current = &view.rooms[view.room.0].name;
    egui::ComboBox::from_id_salt("room")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (index, room) in view.rooms.iter().enumerate() {
                if ui
                    .selectable_label(index == view.room.0, &room.name)
                    .clicked()
                    && index != view.room.0
                {
                    actions.push(Action::SelectRoom(RoomId(index)));
                }
            }
        })
        .response
        .on_hover_text("The room this display shows; [ and ] switch rooms");
    ui.add_space(8.0);
    ui.label(RichText::new("Schedule").strong());
    ui.label(&view.schedule.source);
    ui.label(
        RichText::new(format!("loaded {}", view.schedule.loaded_at)).color(theme::palette().dim),
    );
    if ui.button("Reload now  [R]").clicked() {
        actions.push(Action::Reload);
    }
    schedule_changes_ui(ui, view.schedule);
    if let Some(unreachable) = &view.schedule.unreachable {
        ui.label(
            RichText::new(format!(
                "The program's URL cannot be fetched; the last good program, refreshed {}, is shown:",
                unreachable.since_text
            ))
            .color(theme::palette().warning)
            .strong(),
        );
        ui.label(
            RichText::new(&unreachable.error)
                .color(theme::palette().warning)
                .monospace(),
        );
    }
    if let Some(error) = &view.schedule.error {
        let what = if crate::fetch::is_url(&view.schedule.source) {
            "The program fetched could not be used; the last good schedule is shown:"
        } else {
            "The file on disk could not be used; the last good schedule is shown:"
        };
        ui.label(RichText::new(what).color(theme::palette().error).strong());
        ui.label(
            RichText::new(error)
                .color(theme::palette().error)
                .monospace(),
        );
    }
    if let Some(error) = view.settings_error {
        ui.label(
            RichText::new(
                "The configuration file's change could not be used; the last good settings stay:",
            )
            .color(theme::palette().error)
            .strong(),
        );
        ui.label(
            RichText::new(error)
                .color(theme::palette().error)
                .monospace(),
        );
    }
    if !view.schedule.warnings.is_empty() {
        egui::CollapsingHeader::new(text::count(
            view.schedule.warnings.len(),
            "warning",
            "warnings",
        ))
        .id_salt("warnings")
        .show(ui, |ui| {
            for warning in &view.schedule.warnings {
                ui.label(
                    RichText::new(warning)
                        .monospace()
                        .color(theme::palette().warning),
                );
            }
        });
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Press ? for every keyboard shortcut").color(theme::palette().dim));
}

/// What the last reload changed in the program (sessions and talks added, removed, moved,
/// retitled, new speakers), so that the chair sees at once what the new version means.
fn schedule_changes_ui(ui: &mut Ui, schedule: &ScheduleInfo) {
    let Some((headline, details)) = schedule.changes.split_first() else {
        return;
    };
    ui.label(
        RichText::new(format!("Reloaded at {}: {headline}", schedule.loaded_at))
            .color(theme::palette().notice),
    );
    for line in details {
        ui.label(RichText::new(line).small());
    }
}

/// Where phones and other screens find the room: the addresses, the token, and a code that
/// opens the phone remote with the token in it.
fn server_ui(ui: &mut Ui, server: &ServerInfo) {
    ui.label(RichText::new("Phones and other screens").strong());
    if let Some(error) = &server.error {
        ui.label(RichText::new(error).color(theme::palette().error));
        return;
    }
    for url in &server.urls {
        ui.label(RichText::new(url).monospace());
    }
    ui.label(
        RichText::new("/speaker for the speaker, /chair for a phone remote, /projector for a TV")
            .color(theme::palette().dim),
    );
    ui.label(RichText::new(format!("Token: {}", server.token)).monospace());
    if let Some(chair_url) = &server.chair_url
        && let Ok(code) = qrcode::QrCode::new(chair_url.as_bytes())
    {
        ui.label(RichText::new("Scan to open the remote on a phone:").color(theme::palette().dim));
        qr_ui(ui, &code);
    }
}

/// Draws a QR code as dark squares on white, with the quiet zone scanners need.
fn qr_ui(ui: &mut Ui, code: &qrcode::QrCode) {
    const MODULE: f32 = 3.0;
    const QUIET_MODULES: usize = 4;
    let width = code.width();
    let side = (width + 2 * QUIET_MODULES) as f32 * MODULE;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for (index, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let x = (index % width + QUIET_MODULES) as f32 * MODULE;
            let y = (index / width + QUIET_MODULES) as f32 * MODULE;
            let module =
                egui::Rect::from_min_size(rect.min + egui::vec2(x, y), egui::vec2(MODULE, MODULE));
            painter.rect_filled(module, 0.0, Color32::BLACK);
        }
    }
}
