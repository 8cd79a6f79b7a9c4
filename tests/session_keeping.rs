//! Keeping a session on time: a rehearsal of HotOS 2013's Monday morning driven headlessly
//! through a room session, with late starts, overruns, an early switch to questions, a hold and
//! every way of absorbing a delay; then properties of the projection over generated commands.
//!
//! The expected times are worked out by hand from the rules in docs/schedule-format.md
//! ("Running late"), not from the code: the first session has four 15-minute papers with
//! 5 minutes of questions each (`"qa": 5` is added to the built-in program), from 09:00 to
//! 10:00, and the Open Mike follows at 10:00, so 10:00 is the hard stop.

mod common;

use chrono::{DateTime, Duration, Utc};
use lectern::chair::{AbsorbPolicy, ChairCommand, ChairState};
use lectern::clock::Clock;
use lectern::formats::{LoadOptions, load_bytes};
use lectern::model::Schedule;
use lectern::session::{Persistence, RoomSession, ScheduleOrigin, SessionOptions};
use lectern::timing::{Activity, Live, RoomStatus, TalkPart, Thresholds, status_at};
use proptest::prelude::*;

const HOTOS: &str = include_str!("../schedules/hotos-2013.json");

/// The built-in program with five minutes of questions in every paper of the first session.
fn hotos_with_questions_json() -> String {
    let session = HOTOS
        .find("\"id\": \"mon-0900\"")
        .expect("the first session");
    let kind = session
        + HOTOS[session..]
            .find("\"kind\": \"talks\",")
            .expect("its kind");
    let insert_at = kind + "\"kind\": \"talks\",".len();
    format!(
        "{}\n      \"qa\": 5,{}",
        &HOTOS[..insert_at],
        &HOTOS[insert_at..]
    )
}

fn load(json: &str) -> lectern::validate::Loaded {
    match load_bytes(json.as_bytes(), &LoadOptions::default()) {
        Ok(loaded) => loaded,
        Err(error) => panic!("the program loads: {}", error.render("hotos.json")),
    }
}

fn hotos_with_questions() -> Schedule {
    load(&hotos_with_questions_json()).schedule
}

/// "HH:MM:SS" in Denver.
fn local(schedule: &Schedule, instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&schedule.event().time_zone)
        .format("%H:%M:%S")
        .to_string()
}

/// The room session of the rehearsal, with its clock stopped: the test says what time it is.
struct Rehearsal {
    session: RoomSession,
}

impl Rehearsal {
    fn new() -> Self {
        let loaded = load(&hotos_with_questions_json());
        let clock = Clock::rehearsal(common::at(&loaded.schedule, "2013-05-13T09:00"), 0.0);
        let session = RoomSession::new(
            SessionOptions {
                origin: ScheduleOrigin::Embedded,
                room: None,
                clock,
                thresholds: Thresholds::default(),
                persistence: Persistence::Off,
                log: Default::default(),
                load_options: LoadOptions::default(),
            },
            loaded,
        );
        Rehearsal { session }
    }

    fn instant(&self, time: &str) -> DateTime<Utc> {
        common::at(self.session.schedule(), &format!("2013-05-13T{time}"))
    }

    fn apply(&mut self, time: &str, command: ChairCommand) {
        let now = self.instant(time);
        self.session.set_clock(Clock::rehearsal(now, 0.0));
        assert!(
            self.session.apply(&command, now),
            "{command:?} at {time} changes something"
        );
    }

    fn status(&self, time: &str) -> RoomStatus<'_> {
        self.session.status(self.instant(time))
    }

    fn local(&self, instant: DateTime<Utc>) -> String {
        local(self.session.schedule(), instant)
    }

    /// What the room shows at `time`, in words a test can compare: the paper and its part,
    /// the big countdown's end, and every remaining paper's projected start, questions and end.
    fn shows(&mut self, time: &str) -> Shown {
        // Looking is what the room's recorder does once a second: the log sees it too.
        let now = self.instant(time);
        self.session.observe(now);
        let status = self.status(time);
        let Activity::Live(live) = &status.activity else {
            return Shown {
                item: format!("{:?}", status.activity),
                ..Shown::default()
            };
        };
        let item = match (&live.talk, &live.hold) {
            (Some(talk), _) => format!(
                "paper {} {}",
                talk.index + 1,
                match talk.part {
                    TalkPart::Talk => "talk",
                    TalkPart::Questions => "questions",
                }
            ),
            (None, Some(_)) => "holding".to_owned(),
            (None, None) => live.session.id.0.clone(),
        };
        Shown {
            item,
            until: self.local(live.countdown().end),
            remaining: live
                .remaining_talks
                .iter()
                .map(|next| {
                    format!(
                        "{} {}-{}-{}",
                        next.index + 1,
                        self.local(next.slot.start),
                        self.local(next.slot.questions_start),
                        self.local(next.slot.end)
                    )
                })
                .collect(),
            session_end: live
                .chair
                .map(|chair| self.local(chair.projected_session_end))
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Default, PartialEq)]
struct Shown {
    item: String,
    until: String,
    remaining: Vec<String>,
    session_end: String,
}

fn shown(item: &str, until: &str, remaining: &[&str], session_end: &str) -> Shown {
    Shown {
        item: item.to_owned(),
        until: until.to_owned(),
        remaining: remaining.iter().map(|line| (*line).to_owned()).collect(),
        session_end: session_end.to_owned(),
    }
}

#[test]
fn monday_morning_is_kept_on_time() {
    let mut room = Rehearsal::new();

    // 09:05, on schedule: paper 1 talks until 09:10, then questions to 09:15.
    assert_eq!(
        room.shows("09:05"),
        shown(
            "paper 1 talk",
            "09:10:00",
            &[
                "2 09:15:00-09:25:00-09:30:00",
                "3 09:30:00-09:40:00-09:45:00",
                "4 09:45:00-09:55:00-10:00:00",
            ],
            ""
        )
    );

    // Paper 1 ends early, at 09:12: the room holds until paper 2's planned start.
    room.apply("09:12", ChairCommand::EndTalk);
    assert_eq!(
        room.shows("09:13"),
        shown(
            "holding",
            "09:15:00",
            &[
                "2 09:15:00-09:25:00-09:30:00",
                "3 09:30:00-09:40:00-09:45:00",
                "4 09:45:00-09:55:00-10:00:00",
            ],
            "10:00:00"
        )
    );
    let text = lectern::report::status_text(room.session.schedule(), &room.status("09:13"));
    assert!(text.contains("Holding for paper 2 at 09:15"), "{text}");
    // At 09:15 the schedule takes over again: nothing is late.
    assert_eq!(room.shows("09:15:01").item, "paper 2 talk");
    let status = room.status("09:15:01");
    let live = status.live().expect("live");
    assert_eq!(live.talk.as_ref().map(|talk| talk.index), Some(1));
    assert!(live.chair.is_none(), "the schedule is followed again");

    // Paper 2's speaker reaches the stage at 09:18: a late start pushes everything by 3.
    room.apply("09:18", ChairCommand::StartNow);
    assert_eq!(
        room.shows("09:20"),
        shown(
            "paper 2 talk",
            "09:28:00",
            &[
                "3 09:33:00-09:43:00-09:48:00",
                "4 09:48:00-09:58:00-10:03:00",
            ],
            "10:03:00"
        )
    );
    let chair = room
        .status("09:20")
        .live()
        .and_then(|live| live.chair)
        .expect("timed");
    assert_eq!(chair.delay, Duration::minutes(3));
    assert_eq!(chair.past_hard_stop(), Duration::minutes(3));

    // The talk is short: questions at 09:25, to the end of the slot.
    room.apply("09:25", ChairCommand::QuestionsNow);
    assert_eq!(room.shows("09:26").item, "paper 2 questions");
    assert_eq!(room.shows("09:26").until, "09:33:00");

    // The questions run over, and the chair lets them: paper 3 cannot start before now.
    assert_eq!(
        room.shows("09:35").remaining,
        [
            "3 09:35:00-09:45:00-09:50:00",
            "4 09:50:00-10:00:00-10:05:00"
        ]
    );
    room.apply("09:36", ChairCommand::NextTalk);
    assert_eq!(
        room.shows("09:36:30"),
        shown(
            "paper 3 talk",
            "09:46:00",
            &["4 09:51:00-10:01:00-10:06:00"],
            "10:06:00"
        )
    );

    // Six minutes late: the chair trims the questions, three minutes off each of the two
    // papers left (paper 3 included, since it started late).
    room.apply("09:37", ChairCommand::Absorb(AbsorbPolicy::TrimQuestions));
    assert_eq!(
        room.shows("09:38"),
        shown(
            "paper 3 talk",
            "09:46:00",
            &["4 09:48:00-09:58:00-10:00:00"],
            "10:00:00"
        )
    );
    let status = room.status("09:38");
    let talk = status
        .live()
        .and_then(|live| live.talk.as_ref())
        .expect("a talk");
    assert_eq!(talk.questions, Duration::minutes(2));
    assert_eq!(room.local(talk.countdown.end), "09:48:00");

    // Shrinking instead: 24 minutes for 30, every part at four fifths.
    room.apply("09:38", ChairCommand::Absorb(AbsorbPolicy::Shrink));
    assert_eq!(
        room.shows("09:39"),
        shown(
            "paper 3 talk",
            "09:44:00",
            &["4 09:48:00-09:56:00-10:00:00"],
            "10:00:00"
        )
    );

    // Paper 3 overruns by two minutes that the chair grants; paper 4 absorbs them.
    room.apply("09:41", ChairCommand::AddTime(Duration::minutes(2)));
    assert_eq!(
        room.shows("09:42"),
        shown(
            "paper 3 talk",
            "09:46:00",
            &["4 09:50:00-09:56:40-10:00:00"],
            "10:00:00"
        )
    );

    // Paper 4 from 09:50 has ten minutes, questions from 09:56:40.
    room.apply("09:50", ChairCommand::NextTalk);
    assert_eq!(
        room.shows("09:51"),
        shown("paper 4 talk", "09:56:40", &[], "10:00:00")
    );

    // A minute's pause (a microphone fails): the session now ends at 10:01, past the stop
    // that nothing is left to absorb it before.
    room.apply("09:55", ChairCommand::TogglePause);
    room.apply("09:56", ChairCommand::TogglePause);
    assert_eq!(
        room.shows("09:57"),
        shown("paper 4 talk", "09:57:40", &[], "10:01:00")
    );
    assert_eq!(
        room.shows("09:58"),
        shown("paper 4 questions", "10:01:00", &[], "10:01:00")
    );

    // The last paper ends at 10:01: the room goes on to the Open Mike.
    room.apply("10:01", ChairCommand::EndTalk);
    assert_eq!(room.shows("10:01:30").item, "mon-1000");
    let status = room.status("10:01:30");
    let live = status.live().expect("the Open Mike");
    assert!(live.chair.is_none());

    // The report at the end: planned against actual, from what the room's log recorded.
    let schedule = room.session.schedule().clone();
    let report = lectern::planned::room_report(
        &schedule,
        schedule.event().default_room,
        room.session.log_entries(),
        Some(chrono::NaiveDate::from_ymd_opt(2013, 5, 13).expect("a day")),
    );
    let day = &report.days[0];
    let session = day
        .sessions
        .iter()
        .find(|row| row.session.id.0 == "mon-0900")
        .expect("the first session");
    let local_or_none =
        |instant: Option<DateTime<Utc>>| instant.map(|at| local(&schedule, at)).unwrap_or_default();
    let papers: Vec<(String, String, String, i64)> = session
        .papers
        .iter()
        .map(|paper| {
            (
                local_or_none(paper.actual.start),
                local_or_none(paper.actual.questions),
                local_or_none(paper.actual.end),
                paper
                    .overrun
                    .map_or(i64::MIN, |overrun| overrun.num_seconds()),
            )
        })
        .collect();
    let expected = |start: &str, questions: &str, end: &str, overrun: i64| {
        (
            start.to_owned(),
            questions.to_owned(),
            end.to_owned(),
            overrun,
        )
    };
    assert_eq!(
        papers,
        [
            // Ended early, by the chair.
            expected("09:00:00", "09:10:00", "09:12:00", -180),
            // Restarted late at 09:18, questions early at 09:25, left at 09:36.
            expected("09:18:00", "09:25:00", "09:36:00", 360),
            // Shrunk, with two minutes more: questions at 09:46, ended by "next" at 09:50.
            expected("09:36:00", "09:46:00", "09:50:00", 300),
            // Paused a minute: questions at 09:57:40, ended at 10:01.
            expected("09:50:00", "09:57:40", "10:01:00", 60),
        ]
    );
    assert_eq!(
        session.start.map(|at| local(&schedule, at)).as_deref(),
        Some("09:00:00")
    );
    assert_eq!(session.late_by, Some(Duration::minutes(1)));
    assert!(
        report
            .ended_late
            .iter()
            .any(|late| late.session.id.0 == "mon-0900" && late.late_by == Duration::minutes(1)),
        "{:?}",
        report.ended_late
    );
    let markdown = lectern::planned::markdown(&schedule, std::slice::from_ref(&report));
    assert!(
        markdown.contains("Shuffling I/O Up and Down the Stack"),
        "{markdown}"
    );
}

#[test]
fn a_hold_can_be_undone_and_cut_short() {
    let mut room = Rehearsal::new();
    room.apply("09:11", ChairCommand::EndTalk);
    assert_eq!(room.shows("09:12").item, "holding");
    // "Previous" takes the end back: paper 1 goes on in its questions.
    room.apply("09:12", ChairCommand::PreviousTalk);
    assert_eq!(room.shows("09:12:30").item, "paper 1 questions");
    assert_eq!(room.shows("09:12:30").until, "09:15:00");
    // Ended again, then the chair starts paper 2 at once: it runs 15 minutes from then.
    room.apply("09:13", ChairCommand::EndTalk);
    room.apply("09:13:30", ChairCommand::StartNow);
    assert_eq!(
        room.shows("09:14"),
        shown(
            "paper 2 talk",
            "09:23:30",
            &[
                "3 09:30:00-09:40:00-09:45:00",
                "4 09:45:00-09:55:00-10:00:00",
            ],
            "10:00:00"
        )
    );
    // A paper never starts before its planned time, so paper 3 still waits for 09:30.
}

#[test]
fn an_end_past_the_next_start_starts_the_next_paper_at_once() {
    let mut room = Rehearsal::new();
    room.apply("09:04", ChairCommand::StartNow);
    // Paper 1 runs 09:04–09:19; it ends at 09:17, after paper 2's planned 09:15.
    room.apply("09:17", ChairCommand::EndTalk);
    assert_eq!(
        room.shows("09:18"),
        shown(
            "paper 2 talk",
            "09:27:00",
            &[
                "3 09:32:00-09:42:00-09:47:00",
                "4 09:47:00-09:57:00-10:02:00",
            ],
            "10:02:00"
        )
    );
    // The commands act on the paper that runs: a minute more for paper 2.
    room.apply("09:19", ChairCommand::AddTime(Duration::minutes(1)));
    assert_eq!(room.shows("09:19:30").until, "09:28:00");
}

#[test]
fn the_projector_and_the_api_carry_the_projection() {
    let mut room = Rehearsal::new();
    room.apply("09:18", ChairCommand::StartNow);
    room.apply("09:19", ChairCommand::Absorb(AbsorbPolicy::Shrink));
    let status = room.status("09:20");
    let json = serde_json::to_value(lectern::report::status_json(
        room.session.schedule(),
        &status,
    ))
    .expect("json");
    assert_eq!(json["policy"], "shrink");
    assert_eq!(json["live"]["policy"], "shrink");
    assert_eq!(
        json["live"]["projected_session_end"],
        "2013-05-13T16:00:00Z"
    );
    // Paper 2 restarted at 09:18: 42 minutes to the stop for 45, paper 2 gets 14 of them;
    // then 28 minutes for the last 30.
    let remaining = json["live"]["remaining_talks"].as_array().expect("papers");
    assert_eq!(remaining.len(), 2, "papers 3 and 4 are still to come");
    assert_eq!(remaining[0]["number"], 3);
    assert_eq!(remaining[0]["projected_start"], "2013-05-13T15:32:00Z");
    assert_eq!(remaining[0]["projected_end"], "2013-05-13T15:46:00Z");
    assert_eq!(remaining[0]["talk"]["start"], "2013-05-13T15:30:00Z");
    assert_eq!(json["live"]["countdown_end"], "2013-05-13T15:27:20Z");
    let text = lectern::report::status_text(room.session.schedule(), &status);
    assert!(text.contains("Next paper at 09:32–09:46"), "{text}");
    assert!(text.contains("(planned 09:30–09:45)"), "{text}");
}

#[test]
fn policies_and_holds_survive_a_reload_that_reorders_and_retitles() {
    let mut room = Rehearsal::new();
    room.apply("09:18", ChairCommand::StartNow);
    room.apply("09:19", ChairCommand::Absorb(AbsorbPolicy::TrimQuestions));
    room.apply("09:26", ChairCommand::EndTalk);
    let before = room.shows("09:27");
    // The same program with the sessions in reverse order and every paper retitled.
    let mut value: serde_json::Value =
        serde_json::from_str(&hotos_with_questions_json()).expect("json");
    let sessions = value["sessions"].as_array_mut().expect("sessions");
    sessions.reverse();
    for session in sessions.iter_mut() {
        if let Some(talks) = session
            .get_mut("talks")
            .and_then(serde_json::Value::as_array_mut)
        {
            for talk in talks {
                let title = talk["title"].as_str().unwrap_or_default().to_owned();
                talk["title"] = serde_json::Value::String(format!("{title} (revised)"));
            }
        }
    }
    let now = room.instant("09:27");
    room.session.replace_schedule(load(&value.to_string()), now);
    assert_eq!(room.shows("09:27"), before);
    assert_eq!(room.session.chair().policy, AbsorbPolicy::TrimQuestions);
}

// Properties over generated commands during the first session.

/// A command the chair may give.
fn command() -> impl Strategy<Value = ChairCommand> {
    prop_oneof![
        Just(ChairCommand::StartNow),
        Just(ChairCommand::TogglePause),
        (-3i64..=5).prop_map(|minutes| ChairCommand::AddTime(Duration::minutes(minutes))),
        Just(ChairCommand::NextTalk),
        Just(ChairCommand::PreviousTalk),
        Just(ChairCommand::QuestionsNow),
        Just(ChairCommand::EndTalk),
        prop::sample::select(AbsorbPolicy::ALL.to_vec()).prop_map(ChairCommand::Absorb),
        Just(ChairCommand::BackToSchedule),
    ]
}

/// Checks what must hold of every live status, whatever the chair did.
fn check_live(live: &Live<'_>, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    let mut previous_end: Option<DateTime<Utc>> = None;
    for next in &live.remaining_talks {
        let slot = next.slot;
        prop_assert!(slot.start <= slot.questions_start, "{slot:?}");
        prop_assert!(slot.questions_start <= slot.end, "{slot:?}");
        prop_assert!(slot.questions() <= next.talk.qa, "{slot:?}");
        prop_assert!(
            slot.start >= now,
            "a paper to come starts after now: {slot:?}"
        );
        if let Some(end) = previous_end {
            prop_assert!(slot.start >= end, "papers do not overlap: {slot:?}");
        }
        previous_end = Some(slot.end);
    }
    if let Some(talk) = &live.talk {
        prop_assert!(talk.questions >= Duration::zero());
        prop_assert!(talk.questions <= talk.talk.qa);
        prop_assert!(talk.part_countdown.end <= talk.countdown.end);
    }
    if let Some(chair) = live.chair {
        if let Some(last) = live.remaining_talks.last() {
            prop_assert_eq!(chair.projected_session_end, last.slot.end);
        }
        // Shrinking ends at the hard stop whenever a minute a paper is left before it and
        // keeping every paper's time would have run past it.
        if chair.policy == AbsorbPolicy::Shrink
            && !chair.paused
            && let Some(first) = live.remaining_talks.first()
        {
            let planned: Duration = live
                .remaining_talks
                .iter()
                .map(|next| next.talk.duration())
                .sum();
            let count = live.remaining_talks.len() as i32;
            let room_left = chair.hard_stop - first.slot.start;
            if room_left >= Duration::minutes(1) * count && room_left < planned {
                prop_assert_eq!(chair.projected_session_end, chair.hard_stop);
            }
        }
    }
    Ok(())
}

/// What one look saw: each remaining paper's projected start, and the session's end.
type Look = (Vec<(usize, DateTime<Utc>)>, Option<DateTime<Utc>>);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn projections_are_whole_and_never_go_backwards(
        steps in prop::collection::vec((0i64..240, command()), 1..12),
        looks in prop::collection::vec(0i64..300, 2..6),
    ) {
        let schedule = hotos_with_questions();
        let room = schedule.event().default_room;
        let start = common::at(&schedule, "2013-05-13T09:00");
        let mut chair = ChairState::default();
        let mut now = start;
        for (wait, command) in steps {
            now += Duration::seconds(wait);
            chair = chair.apply(&command, &schedule, room, now);
            // Look at instants after the command, in order, before the next command.
            let mut looks = looks.clone();
            looks.sort_unstable();
            let mut last: Option<Look> = None;
            for offset in &looks {
                let at = now + Duration::seconds(*offset);
                if at >= common::at(&schedule, "2013-05-13T10:00") {
                    break;
                }
                let status = status_at(&schedule, room, at, &chair, &Thresholds::default());
                let Activity::Live(live) = &status.activity else {
                    continue;
                };
                check_live(live, at)?;
                if live.session.id.0 != "mon-0900" {
                    continue;
                }
                let starts: Vec<_> = live
                    .remaining_talks
                    .iter()
                    .map(|next| (next.index, next.slot.start))
                    .collect();
                let end = live.chair.map(|chair| chair.projected_session_end);
                if let Some((earlier_starts, earlier_end)) = &last {
                    for (index, start) in &starts {
                        if let Some((_, earlier)) =
                            earlier_starts.iter().find(|(other, _)| other == index)
                        {
                            prop_assert!(start >= earlier, "paper {} moved earlier", index + 1);
                        }
                    }
                    if let (Some(end), Some(earlier)) = (end, earlier_end) {
                        prop_assert!(end >= *earlier, "the session's end moved earlier");
                    }
                }
                last = Some((starts, end));
            }
        }
    }
}
