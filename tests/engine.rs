//! Data-driven tests of the timing engine: for an instant, what a room shows.
//!
//! Each case is (schedule, room, instant, expected summary). The summary is a compact line:
//! the activity, the session and talk ids, the big countdown and its phase, and what is next.

mod common;

use lectern::chair::ChairState;
use lectern::model::Schedule;
use lectern::text;
use lectern::timing::{Activity, AgendaState, Phase, RoomStatus, TalkPart, Thresholds, status_at};

fn summary(status: &RoomStatus<'_>) -> String {
    let mut line = match &status.activity {
        Activity::BeforeEvent { starts_in } => {
            format!("before event, starts in {}", text::countdown(*starts_in))
        }
        Activity::Live(live) => {
            let mut line = format!("live {}", live.session.id);
            if let Some(talk) = &live.talk {
                line.push_str(&format!(
                    " talk {}/{} {}",
                    talk.index + 1,
                    talk.count,
                    talk.talk.id
                ));
                if talk.part == TalkPart::Questions {
                    line.push_str(" questions");
                }
            }
            line.push_str(&format!(
                " left {} {}",
                text::countdown(live.countdown().remaining),
                match live.phase {
                    Phase::OnTime => "on-time",
                    Phase::Warning => "warning",
                    Phase::Danger => "danger",
                    Phase::Overtime => "overtime",
                }
            ));
            if live.venue_wide {
                line.push_str(" venue-wide");
            }
            line
        }
        Activity::Between { previous } => match previous {
            Some(previous) => format!("between, after {}", previous.id),
            None => "between".to_owned(),
        },
        Activity::RoomDone => "room done".to_owned(),
        Activity::AfterEvent => "after event".to_owned(),
    };
    if let Some(next) = &status.next {
        line.push_str(&format!(
            "; next {} in {}",
            next.session.id,
            text::countdown(next.starts_in)
        ));
    }
    line
}

fn check(schedule: &Schedule, room: &str, instant: &str, expected: &str) {
    let room = common::room(schedule, room);
    let now = common::at(schedule, instant);
    let chair = ChairState::default();
    let status = status_at(schedule, room, now, &chair, &Thresholds::default());
    assert_eq!(summary(&status), expected, "at {instant}");
}

#[test]
fn hotos_2013_monday_to_wednesday() {
    let schedule = common::hotos();
    let cases = [
        (
            "2013-05-12T20:00",
            "before event, starts in 12:15:00; next mon-0815 in 12:15:00",
        ),
        (
            "2013-05-13T08:20",
            "live mon-0815 left 25:00 on-time; next mon-0845 in 25:00",
        ),
        (
            "2013-05-13T09:00",
            "live mon-0900 talk 1/4 we-need-to-talk-about-nics left 15:00 on-time; next mon-1000 in 1:00:00",
        ),
        (
            "2013-05-13T09:20",
            "live mon-0900 talk 2/4 the-nic-is-the-hypervisor-bare left 10:00 on-time; next mon-1000 in 40:00",
        ),
        (
            "2013-05-13T09:25",
            "live mon-0900 talk 2/4 the-nic-is-the-hypervisor-bare left 05:00 warning; next mon-1000 in 35:00",
        ),
        (
            "2013-05-13T09:28:30",
            "live mon-0900 talk 2/4 the-nic-is-the-hypervisor-bare left 01:30 danger; next mon-1000 in 31:30",
        ),
        (
            "2013-05-13T09:59:59",
            "live mon-0900 talk 4/4 unified-high-performance-i-o-one left 00:01 danger; next mon-1000 in 00:01",
        ),
        (
            "2013-05-13T10:00",
            "live mon-1000 left 30:00 on-time; next mon-1030 in 30:00",
        ),
        (
            "2013-05-13T12:10",
            "live mon-1200 left 1:20:00 on-time; next mon-1330 in 1:20:00",
        ),
        (
            "2013-05-13T16:30",
            "live mon-1615 left 30:00 on-time; next mon-1700 in 30:00",
        ),
        (
            "2013-05-13T21:30",
            "between, after mon-1900; next tue-0800 in 10:30:00",
        ),
        (
            "2013-05-14T12:45",
            "live tue-1230 left 2:45:00 on-time; next tue-1530 in 2:45:00",
        ),
        ("2013-05-15T12:40", "live wed-1230 left 05:00 warning"),
        ("2013-05-15T12:45", "after event"),
        ("2013-05-15T13:00", "after event"),
    ];
    for (instant, expected) in cases {
        check(&schedule, "Tamaya FGH", instant, expected);
    }
}

#[test]
fn the_status_at_0920_names_the_paper_its_authors_and_the_session() {
    let schedule = common::hotos();
    let now = common::at(&schedule, "2013-05-13T09:20");
    let chair = ChairState::default();
    let status = status_at(
        &schedule,
        schedule.event().default_room,
        now,
        &chair,
        &Thresholds::default(),
    );
    let live = status.live().expect("a session is on");
    assert_eq!(
        live.session.display_title(),
        "Shuffling I/O Up and Down the Stack"
    );
    assert_eq!(live.session.chairs[0].name, "Andrew Warfield");
    let talk = live.talk.as_ref().expect("a talk is on");
    assert_eq!(
        talk.talk.title,
        "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds"
    );
    assert_eq!(
        text::people_line(&talk.talk.speakers),
        "Jeffrey C. Mogul, Jayaram Mudigonda, Jose Renato Santos and Yoshio Turner, HP Labs"
    );
    assert_eq!(text::countdown(talk.countdown.remaining), "10:00");
    assert_eq!(text::countdown(live.session_countdown.remaining), "40:00");
    assert_eq!(
        live.next_talk.map(|t| t.title.as_str()),
        Some("Virtualize Storage, Not Disks")
    );
    // The day's program: the morning is past, this session is current, the rest is to come.
    let states: Vec<AgendaState> = status.agenda.iter().map(|entry| entry.state).collect();
    assert_eq!(status.agenda.len(), 18);
    assert_eq!(
        &states[..4],
        &[
            AgendaState::Past,
            AgendaState::Past,
            AgendaState::Current,
            AgendaState::Upcoming
        ]
    );
}

#[test]
fn thresholds_are_parameters() {
    let schedule = common::hotos();
    let room = schedule.event().default_room;
    let chair = ChairState::default();
    let thresholds = Thresholds {
        warning: chrono::Duration::minutes(10),
        danger: chrono::Duration::minutes(7),
    };
    let phase_at = |instant: &str| {
        let status = status_at(
            &schedule,
            room,
            common::at(&schedule, instant),
            &chair,
            &thresholds,
        );
        status.live().map(|live| live.phase)
    };
    assert_eq!(phase_at("2013-05-13T09:19"), Some(Phase::OnTime));
    assert_eq!(phase_at("2013-05-13T09:20"), Some(Phase::Warning));
    assert_eq!(phase_at("2013-05-13T09:23"), Some(Phase::Danger));
}

#[test]
fn across_midnight_the_late_talk_stays_on_its_day() {
    let schedule = common::load_fixture("ok/midnight.json");
    let cases = [
        (
            "2019-08-22T22:30",
            "between, after evening; next late in 30:00",
        ),
        (
            "2019-08-22T23:30",
            "live late talk 1/2 part-one left 10:00 on-time; next owls in 1:30:00",
        ),
        (
            "2019-08-23T00:10",
            "live late talk 2/2 part-two left 20:00 on-time; next owls in 50:00",
        ),
        (
            "2019-08-23T00:45",
            "between, after late; next owls in 15:00",
        ),
        (
            "2019-08-23T02:59",
            "live owls left 01:00 danger; next morning in 8:01:00",
        ),
        (
            "2019-08-23T03:30",
            "between, after owls; next morning in 7:30:00",
        ),
        ("2019-08-23T12:00", "after event"),
    ];
    for (instant, expected) in cases {
        check(&schedule, "Meitner", instant, expected);
    }
    // After midnight, the program shown is still the evening's (the day changes at 04:00).
    let chair = ChairState::default();
    let at = |text: &str| common::at(&schedule, text);
    let status = status_at(
        &schedule,
        schedule.event().default_room,
        at("2019-08-23T00:10"),
        &chair,
        &Thresholds::default(),
    );
    assert_eq!(
        status.agenda_day,
        chrono::NaiveDate::from_ymd_opt(2019, 8, 22)
    );
    assert_eq!(status.agenda.len(), 3);
    // At 03:30, between days, the program shown is the coming day's.
    let status = status_at(
        &schedule,
        schedule.event().default_room,
        at("2019-08-23T05:00"),
        &chair,
        &Thresholds::default(),
    );
    assert_eq!(
        status.agenda_day,
        chrono::NaiveDate::from_ymd_opt(2019, 8, 23)
    );
    assert_eq!(status.agenda.len(), 1);
}

#[test]
fn across_the_spring_dst_change_the_missing_hour_is_not_counted() {
    let schedule = common::load_fixture("ok/berlin-dst.json");
    // 01:30 to 03:30 local on 29 March 2026 is one real hour: two talks of 30 minutes.
    let cases = [
        (
            "2026-03-29T01:30",
            "live spring-night talk 1/2 before-gap left 30:00 on-time; next spring-morning in 6:30:00",
        ),
        (
            "2026-03-29T01:50",
            "live spring-night talk 1/2 before-gap left 10:00 on-time; next spring-morning in 6:10:00",
        ),
        (
            "2026-03-29T03:10",
            "live spring-night talk 2/2 after-gap left 20:00 on-time; next spring-morning in 5:50:00",
        ),
        (
            "2026-03-29T03:30",
            "between, after spring-night; next spring-morning in 5:30:00",
        ),
    ];
    for (instant, expected) in cases {
        check(&schedule, "Main", instant, expected);
    }
}

#[test]
fn across_the_autumn_dst_change_the_repeated_hour_is_counted_twice() {
    let schedule = common::load_fixture("ok/berlin-dst.json");
    // 01:30 to 03:30 local on 25 October 2026 is three real hours: three talks of an hour.
    let cases = [
        (
            "2026-10-25T01:30",
            "live autumn-night talk 1/3 summer-time left 1:00:00 on-time; next autumn-morning in 8:30:00",
        ),
        (
            "2026-10-25T02:15+02:00",
            "live autumn-night talk 1/3 summer-time left 15:00 on-time; next autumn-morning in 7:45:00",
        ),
        (
            "2026-10-25T02:15+01:00",
            "live autumn-night talk 2/3 twice left 15:00 on-time; next autumn-morning in 6:45:00",
        ),
        (
            "2026-10-25T03:00",
            "live autumn-night talk 3/3 winter-time left 30:00 on-time; next autumn-morning in 6:00:00",
        ),
        (
            "2026-10-25T05:00",
            "between, after autumn-night; next autumn-morning in 4:00:00",
        ),
        ("2026-10-25T10:00", "after event"),
    ];
    for (instant, expected) in cases {
        check(&schedule, "Main", instant, expected);
    }
}

#[test]
fn rooms_overlaps_and_venue_wide_items() {
    let schedule = common::load_fixture("ok/overlap.json");
    let cases = [
        (
            "Main",
            "2026-05-01T08:00",
            "before event, starts in 1:00:00; next morning in 1:00:00",
        ),
        (
            "Main",
            "2026-05-01T09:30",
            "live morning left 1:00:00 on-time; next coffee in 30:00",
        ),
        // The coffee break overlaps the morning session; once it starts it is shown.
        (
            "Main",
            "2026-05-01T10:15",
            "live coffee left 15:00 on-time; next lunch in 1:45:00",
        ),
        ("Side", "2026-05-01T09:30", "between; next side in 30:00"),
        (
            "Side",
            "2026-05-01T11:30",
            "between, after side; next lunch in 30:00",
        ),
        (
            "Side",
            "2026-05-01T12:15",
            "live lunch left 45:00 on-time venue-wide",
        ),
        (
            "Main",
            "2026-05-01T12:15",
            "live lunch left 45:00 on-time venue-wide; next afternoon in 1:45:00",
        ),
        ("Side", "2026-05-01T13:30", "room done"),
        (
            "Main",
            "2026-05-01T13:30",
            "between, after lunch; next afternoon in 30:00",
        ),
        ("Main", "2026-05-01T15:00", "after event"),
    ];
    for (room, instant, expected) in cases {
        check(&schedule, room, instant, expected);
    }
}

#[test]
fn equal_starts_hidden_venue_wide_items_and_next_follow_one_rule() {
    let schedule = common::load_fixture("ok/equal-starts.json");
    let cases = [
        // The 5-minute welcome is nested in the block it opens: it shows first, so it is next.
        (
            "Main",
            "2026-05-01T08:30",
            "before event, starts in 30:00; next intro in 30:00",
        ),
        (
            "Main",
            "2026-05-01T09:02",
            "live intro left 03:00 warning; next block in 03:00",
        ),
        (
            "Main",
            "2026-05-01T10:00",
            "live block left 1:00:00 on-time; next posters in 1:30:00",
        ),
        // A slot exported twice: the first copy is shown, the second never named.
        (
            "Main",
            "2026-05-01T11:45",
            "live posters left 15:00 on-time; next sponsor in 15:00",
        ),
        // The room's own talk hides the lunch until 12:30: lunch is next, at 12:30.
        (
            "Main",
            "2026-05-01T12:10",
            "live sponsor left 20:00 on-time; next lunch in 20:00",
        ),
        ("Side", "2026-05-01T11:45", "between; next lunch in 15:00"),
        // The reception is hidden in Main for its whole length by the panel.
        (
            "Main",
            "2026-05-01T13:30",
            "between, after lunch; next panel in 2:00:00",
        ),
        (
            "Main",
            "2026-05-01T15:45",
            "live panel left 1:15:00 on-time",
        ),
        (
            "Side",
            "2026-05-01T15:45",
            "between, after lunch; next reception in 15:00",
        ),
    ];
    for (room, instant, expected) in cases {
        check(&schedule, room, instant, expected);
    }

    // The day's program names what each room will show, and nothing it hides.
    let program = |room: &str, instant: &str| -> Vec<String> {
        let room = common::room(&schedule, room);
        let now = common::at(&schedule, instant);
        let chair = ChairState::default();
        status_at(&schedule, room, now, &chair, &Thresholds::default())
            .agenda
            .iter()
            .map(|entry| entry.session.id.0.clone())
            .collect()
    };
    assert_eq!(
        program("Main", "2026-05-01T08:30"),
        ["intro", "block", "posters", "sponsor", "lunch", "panel"]
    );
    assert_eq!(program("Side", "2026-05-01T08:30"), ["lunch", "reception"]);

    // "Next" names the instant the room starts showing the item, not the item's own start.
    let main = common::room(&schedule, "Main");
    let now = common::at(&schedule, "2026-05-01T12:10");
    let chair = ChairState::default();
    let status = status_at(&schedule, main, now, &chair, &Thresholds::default());
    let next = status.next.expect("lunch is next");
    assert_eq!(next.at, common::at(&schedule, "2026-05-01T12:30"));
    assert_eq!(
        next.session.start,
        common::at(&schedule, "2026-05-01T12:00")
    );
}

#[test]
fn the_last_talk_ends_exactly_at_its_session_end_after_fractional_durations() {
    // 7.3333 minutes is 439.998 s: the talk without a duration takes the rest to the
    // millisecond, so that it ends with its session and its countdown shows the full time.
    let text = r#"{"version": 1, "event": {"name": "F", "time_zone": "UTC"}, "rooms": ["A"],
        "sessions": [{"id": "s", "start": "2030-01-01T09:00", "end": "2030-01-01T10:00",
        "talks": [{"id": "a", "title": "A", "duration": 7.3333}, {"id": "b", "title": "B"},
        {"id": "c", "title": "C", "duration": 7.3333}, {"id": "d", "title": "D"}]}]}"#;
    let schedule = match lectern::formats::native::load(text) {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!("should load:\n{}", error.render("fractional.json")),
    };
    let session = &schedule.sessions()[0];
    let ends: Vec<_> = session.talks.iter().map(|talk| talk.end).collect();
    assert_eq!(ends.last(), Some(&session.end));
    // Talks without a duration get whole seconds; only the last takes the fraction.
    assert_eq!(
        (session.talks[1].end - session.talks[1].start).num_milliseconds() % 1000,
        0
    );
    for pair in session.talks.windows(2) {
        assert_eq!(pair[0].end, pair[1].start);
    }
    check(
        &schedule,
        "A",
        "2030-01-01T09:50",
        "live s talk 4/4 d left 10:00 on-time",
    );
}

#[test]
fn the_question_part_is_the_end_of_each_talks_slot() {
    let schedule = common::load_fixture("ok/questions.json");
    let cases = [
        // Two talks share the hour: 30-minute slots, the last 5 minutes (the session's `qa`)
        // for questions. The big countdown is the talk's own part.
        (
            "2026-05-01T09:10",
            "live s1 talk 1/2 a left 15:00 on-time; next s2 in 1:20:00",
        ),
        (
            "2026-05-01T09:24:30",
            "live s1 talk 1/2 a left 00:30 danger; next s2 in 1:05:30",
        ),
        // At 09:25 the questions start and count down to the end of the slot.
        (
            "2026-05-01T09:25",
            "live s1 talk 1/2 a questions left 05:00 warning; next s2 in 1:05:00",
        ),
        (
            "2026-05-01T09:29",
            "live s1 talk 1/2 a questions left 01:00 danger; next s2 in 1:01:00",
        ),
        // The second talk gives its own question part: 10 minutes.
        (
            "2026-05-01T09:40",
            "live s1 talk 2/2 b left 10:00 on-time; next s2 in 50:00",
        ),
        (
            "2026-05-01T09:52",
            "live s1 talk 2/2 b questions left 08:00 on-time; next s2 in 38:00",
        ),
        // A question part longer than the slot leaves the whole slot to questions.
        (
            "2026-05-01T10:35",
            "live s2 talk 1/1 c questions left 25:00 on-time",
        ),
    ];
    for (instant, expected) in cases {
        check(&schedule, "Main", instant, expected);
    }
    let talks = &schedule.sessions()[0].talks;
    assert_eq!(talks[0].qa, chrono::Duration::minutes(5));
    assert_eq!(talks[1].qa, chrono::Duration::minutes(10));
    assert_eq!(
        talks[0].questions_start(),
        common::at(&schedule, "2026-05-01T09:25")
    );
    // The slot does not move: the talks split the hour as before.
    assert_eq!(talks[1].start, common::at(&schedule, "2026-05-01T09:30"));
}
