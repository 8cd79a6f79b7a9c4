//! Every chair command, applied to the HotOS 2013 program at known instants.

mod common;

use chrono::Duration;
use lectern::chair::{ChairCommand, ChairState};
use lectern::model::Schedule;
use lectern::text;
use lectern::timing::{Activity, ChairNotice, RoomStatus, TalkPart, Thresholds, status_at};

/// A chair session against the embedded program: apply commands at instants, then look.
struct Rehearsal {
    schedule: Schedule,
    chair: ChairState,
}

impl Rehearsal {
    fn new() -> Self {
        Rehearsal {
            schedule: common::hotos(),
            chair: ChairState::default(),
        }
    }

    fn apply(&mut self, instant: &str, command: ChairCommand) {
        let now = common::at(&self.schedule, instant);
        self.chair = self.chair.apply(
            &command,
            &self.schedule,
            self.schedule.event().default_room,
            now,
        );
    }

    /// What the room shows at `instant` with the chair's state.
    fn status(&self, instant: &str) -> RoomStatus<'_> {
        let now = common::at(&self.schedule, instant);
        status_at(
            &self.schedule,
            self.schedule.event().default_room,
            now,
            &self.chair,
            &Thresholds::default(),
        )
    }

    /// "talk-id remaining [paused]" or the session id for a talkless item, at `instant`.
    fn shows(&self, instant: &str) -> String {
        let status = self.status(instant);
        match &status.activity {
            Activity::Live(live) => {
                let item = live
                    .talk
                    .as_ref()
                    .map_or(live.session.id.0.clone(), |talk| talk.talk.id.0.clone());
                let paused = if live.chair.is_some_and(|chair| chair.paused) {
                    " paused"
                } else {
                    ""
                };
                let questions = if live
                    .talk
                    .as_ref()
                    .is_some_and(|talk| talk.part == TalkPart::Questions)
                {
                    " questions"
                } else {
                    ""
                };
                format!(
                    "{item}{questions} {}{paused}",
                    text::countdown(live.countdown().remaining)
                )
            }
            other => format!("{other:?}"),
        }
    }
}

const TALK_1: &str = "we-need-to-talk-about-nics";
const TALK_2: &str = "the-nic-is-the-hypervisor-bare";
const TALK_3: &str = "virtualize-storage-not-disks";
const TALK_4: &str = "unified-high-performance-i-o-one";

#[test]
fn start_now_restarts_the_current_talk_with_its_full_time() {
    let mut rehearsal = Rehearsal::new();
    assert_eq!(
        rehearsal.shows("2013-05-13T09:20"),
        format!("{TALK_2} 10:00")
    );
    rehearsal.apply("2013-05-13T09:20", ChairCommand::StartNow);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:20"),
        format!("{TALK_2} 15:00")
    );
    assert_eq!(
        rehearsal.shows("2013-05-13T09:34"),
        format!("{TALK_2} 01:00")
    );
    // The chair's talk keeps its countdown past its scheduled end and into overtime.
    assert_eq!(
        rehearsal.shows("2013-05-13T09:37"),
        format!("{TALK_2} +02:00")
    );
}

#[test]
fn start_now_restarts_a_talkless_session() {
    let mut rehearsal = Rehearsal::new();
    assert_eq!(rehearsal.shows("2013-05-13T08:55"), "mon-0845 05:00");
    rehearsal.apply("2013-05-13T08:55", ChairCommand::StartNow);
    assert_eq!(rehearsal.shows("2013-05-13T08:55"), "mon-0845 15:00");
    rehearsal.apply("2013-05-13T08:57", ChairCommand::NextTalk);
    assert_eq!(
        rehearsal.shows("2013-05-13T08:58"),
        format!("{TALK_1} 14:00")
    );
}

#[test]
fn start_now_in_a_break_starts_the_next_session_early() {
    let mut rehearsal = Rehearsal::new();
    assert_eq!(rehearsal.shows("2013-05-13T10:50"), "mon-1030 10:00");
    rehearsal.apply("2013-05-13T10:50", ChairCommand::StartNow);
    assert_eq!(rehearsal.shows("2013-05-13T10:51"), "mon-1100 59:00");
    // Between two sessions with no break in the file, it starts the next session too.
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply("2013-05-13T21:30", ChairCommand::StartNow);
    assert_eq!(rehearsal.shows("2013-05-13T21:30"), "tue-0800 30:00");
}

#[test]
fn pause_freezes_the_countdown_and_resume_continues_it() {
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply("2013-05-13T09:20", ChairCommand::TogglePause);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:20"),
        format!("{TALK_2} 10:00 paused")
    );
    assert_eq!(
        rehearsal.shows("2013-05-13T09:27"),
        format!("{TALK_2} 10:00 paused")
    );
    rehearsal.apply("2013-05-13T09:27", ChairCommand::TogglePause);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:28"),
        format!("{TALK_2} 09:00")
    );
    // A second pause adds to the first.
    rehearsal.apply("2013-05-13T09:30", ChairCommand::TogglePause);
    rehearsal.apply("2013-05-13T09:31", ChairCommand::TogglePause);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:32"),
        format!("{TALK_2} 06:00")
    );
}

#[test]
fn plus_and_minus_a_minute() {
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply(
        "2013-05-13T09:20",
        ChairCommand::AddTime(Duration::minutes(1)),
    );
    assert_eq!(
        rehearsal.shows("2013-05-13T09:20"),
        format!("{TALK_2} 11:00")
    );
    rehearsal.apply(
        "2013-05-13T09:21",
        ChairCommand::AddTime(Duration::minutes(1)),
    );
    rehearsal.apply(
        "2013-05-13T09:21",
        ChairCommand::AddTime(Duration::minutes(-3)),
    );
    assert_eq!(
        rehearsal.shows("2013-05-13T09:21"),
        format!("{TALK_2} 08:00")
    );
    // Taking time away can push the talk into overtime.
    rehearsal.apply(
        "2013-05-13T09:21",
        ChairCommand::AddTime(Duration::minutes(-9)),
    );
    assert_eq!(
        rehearsal.shows("2013-05-13T09:21"),
        format!("{TALK_2} +01:00")
    );
}

#[test]
fn next_and_previous_move_through_the_papers_and_beyond() {
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply("2013-05-13T09:20", ChairCommand::NextTalk);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:21"),
        format!("{TALK_3} 14:00")
    );
    rehearsal.apply("2013-05-13T09:33", ChairCommand::NextTalk);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:33"),
        format!("{TALK_4} 15:00")
    );
    rehearsal.apply("2013-05-13T09:34", ChairCommand::PreviousTalk);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:34"),
        format!("{TALK_3} 15:00")
    );
    rehearsal.apply("2013-05-13T09:35", ChairCommand::NextTalk);
    // After the last paper, "next" moves on to the session that follows: the Open Mike.
    rehearsal.apply("2013-05-13T09:50", ChairCommand::NextTalk);
    assert_eq!(rehearsal.shows("2013-05-13T09:50"), "mon-1000 30:00");
    rehearsal.apply("2013-05-13T09:51", ChairCommand::PreviousTalk);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:51"),
        format!("{TALK_4} 15:00")
    );
}

#[test]
fn a_late_talk_keeps_its_countdown_into_the_next_slot_then_the_schedule_returns() {
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply("2013-05-13T09:50", ChairCommand::StartNow);
    // The Open Mike is due at 10:00, but the last paper is still being given.
    assert_eq!(
        rehearsal.shows("2013-05-13T10:02"),
        format!("{TALK_4} 03:00")
    );
    assert_eq!(
        rehearsal.shows("2013-05-13T10:10"),
        format!("{TALK_4} +05:00")
    );
    // An override ends with the slot after its session: by the break, the schedule is back.
    assert_eq!(rehearsal.shows("2013-05-13T10:31"), "mon-1030 29:00");
}

#[test]
fn back_to_schedule_drops_every_override() {
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply("2013-05-13T09:20", ChairCommand::StartNow);
    rehearsal.apply(
        "2013-05-13T09:20",
        ChairCommand::ShowMessage("Please wrap up".to_owned()),
    );
    rehearsal.apply("2013-05-13T09:20", ChairCommand::ToggleBlank);
    rehearsal.apply("2013-05-13T09:21", ChairCommand::BackToSchedule);
    assert_eq!(rehearsal.chair, ChairState::default());
    assert_eq!(
        rehearsal.shows("2013-05-13T09:21"),
        format!("{TALK_2} 09:00")
    );
}

#[test]
fn messages_and_blanking() {
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply(
        "2013-05-13T09:20",
        ChairCommand::ShowMessage("  5 minutes left ".to_owned()),
    );
    assert_eq!(rehearsal.chair.message.as_deref(), Some("5 minutes left"));
    rehearsal.apply(
        "2013-05-13T09:20",
        ChairCommand::ShowMessage("   ".to_owned()),
    );
    assert_eq!(rehearsal.chair.message, None, "an empty message clears");
    rehearsal.apply(
        "2013-05-13T09:20",
        ChairCommand::ShowMessage("Questions now".to_owned()),
    );
    rehearsal.apply("2013-05-13T09:21", ChairCommand::ClearMessage);
    assert_eq!(rehearsal.chair.message, None);
    rehearsal.apply("2013-05-13T09:21", ChairCommand::ToggleBlank);
    assert!(rehearsal.chair.blanked);
    rehearsal.apply("2013-05-13T09:22", ChairCommand::ToggleBlank);
    assert!(!rehearsal.chair.blanked);
    // Neither touches the timing.
    assert_eq!(rehearsal.chair.timer, None);
}

#[test]
fn commands_with_nothing_running_change_nothing() {
    let mut rehearsal = Rehearsal::new();
    for command in [
        ChairCommand::TogglePause,
        ChairCommand::AddTime(Duration::minutes(1)),
        ChairCommand::PreviousTalk,
    ] {
        rehearsal.apply("2013-05-15T13:00", command);
    }
    assert_eq!(rehearsal.chair, ChairState::default());
}

#[test]
fn an_override_for_a_removed_session_is_reported_and_dropped() {
    let mut rehearsal = Rehearsal::new();
    rehearsal.apply("2013-05-13T09:20", ChairCommand::StartNow);
    let edited = lectern::source::EMBEDDED_SCHEDULE
        .replace("\"id\": \"mon-0900\"", "\"id\": \"mon-0900-moved\"");
    let edited = lectern::formats::load_bytes(edited.as_bytes(), &Default::default())
        .expect("edited schedule loads")
        .schedule;
    let now = common::at(&edited, "2013-05-13T09:21");
    let room = edited.event().default_room;
    let status = status_at(&edited, room, now, &rehearsal.chair, &Thresholds::default());
    assert_eq!(
        status.chair_notice,
        Some(ChairNotice::SessionRemoved(lectern::model::SessionId(
            "mon-0900".into()
        )))
    );
    // The projector falls back to the schedule.
    assert_eq!(
        status
            .live()
            .and_then(|live| live.talk.as_ref())
            .map(|talk| text::countdown(talk.countdown.remaining)),
        Some("09:00".to_owned())
    );
    let (reconciled, notice) = rehearsal.chair.reconcile(&edited, room, now);
    assert_eq!(reconciled.timer, None);
    assert!(notice.is_some_and(|text| text.contains("mon-0900")));
}

#[test]
fn questions_now_ends_the_talk_part_and_the_questions_run_to_the_slots_end() {
    let mut rehearsal = Rehearsal::new();
    // HotOS papers have no question part of their own: the whole slot is the talk.
    assert_eq!(
        rehearsal.shows("2013-05-13T09:20"),
        format!("{TALK_2} 10:00")
    );
    rehearsal.apply("2013-05-13T09:26", ChairCommand::QuestionsNow);
    // The questions run from the press to the end of the slot: 09:30.
    assert_eq!(
        rehearsal.shows("2013-05-13T09:27"),
        format!("{TALK_2} questions 03:00")
    );
    // A second press changes nothing: the questions started at 09:26.
    let before = rehearsal.chair.clone();
    rehearsal.apply("2013-05-13T09:28", ChairCommand::QuestionsNow);
    assert_eq!(rehearsal.chair, before);
    // A minute more lengthens the questions.
    rehearsal.apply(
        "2013-05-13T09:28",
        ChairCommand::AddTime(Duration::minutes(1)),
    );
    assert_eq!(
        rehearsal.shows("2013-05-13T09:28"),
        format!("{TALK_2} questions 03:00")
    );
    // The next paper starts with its talk part.
    rehearsal.apply("2013-05-13T09:29", ChairCommand::NextTalk);
    assert_eq!(
        rehearsal.shows("2013-05-13T09:29"),
        format!("{TALK_3} 15:00")
    );
    // In a break there is no talk, so nothing to start questions for.
    let mut in_break = Rehearsal::new();
    in_break.apply("2013-05-13T10:40", ChairCommand::QuestionsNow);
    assert_eq!(in_break.chair, ChairState::default());
}

#[test]
fn a_late_start_is_projected_to_the_end_of_the_session_against_what_follows() {
    let mut rehearsal = Rehearsal::new();
    // Paper 2 (09:15–09:30) starts six minutes late; papers 3 and 4 keep their 15 minutes.
    rehearsal.apply("2013-05-13T09:21", ChairCommand::StartNow);
    let status = rehearsal.status("2013-05-13T09:22");
    let live = status.live().expect("a session is on");
    let chair = live.chair.expect("the chair times it");
    assert_eq!(chair.delay, Duration::minutes(6));
    assert_eq!(
        chair.projected_session_end,
        common::at(&rehearsal.schedule, "2013-05-13T10:06")
    );
    // The Open Mike follows at 10:00: six minutes into it.
    assert_eq!(
        chair.hard_stop,
        common::at(&rehearsal.schedule, "2013-05-13T10:00")
    );
    assert_eq!(chair.past_hard_stop(), Duration::minutes(6));
    // Taking six minutes away brings the session back on time.
    rehearsal.apply(
        "2013-05-13T09:22",
        ChairCommand::AddTime(Duration::minutes(-6)),
    );
    let status = rehearsal.status("2013-05-13T09:22");
    let chair = status
        .live()
        .and_then(|live| live.chair)
        .expect("chair timing");
    assert_eq!(chair.past_hard_stop(), Duration::zero());
}
