//! The chair's log: the file (written whole line by line, read back with what is broken
//! skipped and located), the recorder (what a room session logs as time passes and the chair
//! acts, against transitions worked out by hand from the program), planned against actual
//! (against the instants of a scripted session), and a real `lectern serve` killed with
//! SIGKILL.

mod common;

use std::io::{BufRead as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use lectern::chair::ChairCommand;
use lectern::chair_log::{self, LogError};
use lectern::clock::Clock;
use lectern::model::{SessionId, TalkId};
use lectern::planned;
use lectern::recorder::{LogEntry, LogKind};
use lectern::session::{LogChoice, Persistence, RoomSession, ScheduleOrigin, SessionOptions};
use lectern::timing::Thresholds;

const NICS: &str = "we-need-to-talk-about-nics";
const HYPERVISOR: &str = "the-nic-is-the-hypervisor-bare";
const STORAGE: &str = "virtualize-storage-not-disks";
const UNIFIED: &str = "unified-high-performance-i-o-one";

/// A room session on `loaded` whose log is `log`, its rehearsal clock stopped at `at`.
fn session_on(loaded: lectern::validate::Loaded, log: &Path, at: &str) -> RoomSession {
    let clock = Clock::rehearsal(common::at(&loaded.schedule, at), 0.0);
    RoomSession::new(
        SessionOptions {
            origin: ScheduleOrigin::Embedded,
            room: None,
            clock,
            thresholds: Thresholds::default(),
            persistence: Persistence::Off,
            log: LogChoice::File(log.to_owned()),
            load_options: Default::default(),
        },
        loaded,
    )
}

fn hotos_session(log: &Path, at: &str) -> RoomSession {
    session_on(
        lectern::source::load_embedded().expect("embedded schedule"),
        log,
        at,
    )
}

/// An entry as a test writes it by hand: local time (Denver, or the fixture's zone), kind,
/// session, talk.
type Line = (String, &'static str, Option<String>, Option<String>);

fn line(time: &str, kind: &'static str, session: &str, talk: Option<&str>) -> Line {
    (
        time.to_owned(),
        kind,
        Some(session.to_owned()),
        talk.map(str::to_owned),
    )
}

fn lines(entries: &[LogEntry], zone: chrono_tz::Tz) -> Vec<Line> {
    entries
        .iter()
        .map(|entry| {
            (
                entry.at.with_timezone(&zone).format("%H:%M:%S").to_string(),
                entry.kind.name(),
                entry.session.as_ref().map(|id| id.0.clone()),
                entry.talk.as_ref().map(|id| id.0.clone()),
            )
        })
        .collect()
}

/// Runs `step` and returns what it added to the log, after checking that the file holds
/// exactly what the session holds: nothing is waiting in a buffer for a goodbye that a
/// `kill -9` would never give.
fn logged(room: &mut RoomSession, log: &Path, step: impl FnOnce(&mut RoomSession)) -> Vec<Line> {
    let before = room.log_entries().len();
    step(room);
    let read = chair_log::read(log).expect("the log reads");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(read.entries, room.log_entries(), "file and memory agree");
    let zone = room.schedule().event().time_zone;
    lines(&room.log_entries()[before..], zone)
}

fn instant(room: &RoomSession, text: &str) -> DateTime<Utc> {
    common::at(room.schedule(), text)
}

fn entry(at: DateTime<Utc>, kind: LogKind, talk: Option<&str>) -> LogEntry {
    LogEntry {
        at,
        room: "Tamaya FGH".into(),
        session: Some(SessionId("mon-0900".into())),
        talk: talk.map(|talk| TalkId(talk.into())),
        kind,
    }
}

#[test]
fn entries_survive_the_file_in_order() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("nested").join("room.log.jsonl");
    let schedule = common::hotos();
    let start = common::at(&schedule, "2013-05-13T09:00");
    let first = vec![
        entry(start, LogKind::SessionStart, None),
        entry(start, LogKind::TalkStart, Some(NICS)),
    ];
    let second = vec![
        entry(
            start + Duration::seconds(90),
            LogKind::Add { seconds: 60 },
            Some(NICS),
        ),
        entry(
            start + Duration::minutes(2),
            LogKind::Message("Please, \"wrap\" up".into()),
            None,
        ),
    ];
    assert!(matches!(
        chair_log::read(&path),
        Err(LogError::Missing { .. })
    ));
    chair_log::append(&path, &first).expect("the folder and the file are made");
    chair_log::append(&path, &second).expect("appended");
    let read = chair_log::read(&path).expect("reads");
    assert_eq!(read.entries, [first, second].concat());
    assert!(read.warnings.is_empty());
    let text = std::fs::read_to_string(&path).expect("text");
    assert_eq!(text.lines().count(), 4);
    assert!(text.ends_with('\n'));
    assert!(
        text.lines().all(|line| line.starts_with("{\"v\":1,")),
        "{text}"
    );
}

#[test]
fn a_torn_last_line_is_skipped_with_its_place_and_the_next_entry_is_kept() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("room.log.jsonl");
    let schedule = common::hotos();
    let start = common::at(&schedule, "2013-05-13T09:00");
    let whole = vec![
        entry(start, LogKind::SessionStart, None),
        entry(start, LogKind::TalkStart, Some(NICS)),
    ];
    chair_log::append(&path, &whole).expect("appended");
    // What a crash in the middle of a write leaves.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .expect("open");
    file.write_all(b"{\"v\":1,\"at\":\"2013-05-13T15:1")
        .expect("write");
    drop(file);

    let read = chair_log::read(&path).expect("reads");
    assert_eq!(read.entries, whole);
    assert_eq!(read.warnings.len(), 1);
    let warning = read.warnings[0].to_string();
    assert!(
        warning.starts_with(&format!("{}:3: warning:", path.display())),
        "{warning}"
    );
    assert!(warning.contains("incomplete"), "{warning}");

    // The next entry goes on a line of its own: the torn one stays one skipped line.
    let later = entry(start + Duration::minutes(15), LogKind::TalkEnd, Some(NICS));
    chair_log::append(&path, std::slice::from_ref(&later)).expect("appended");
    let read = chair_log::read(&path).expect("reads");
    assert_eq!(read.entries, [whole, vec![later]].concat());
    assert_eq!(read.warnings.len(), 1);
    assert_eq!(read.warnings[0].line, 3);
}

#[test]
fn bad_lines_in_the_middle_are_skipped_each_with_its_line() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("room.log.jsonl");
    let schedule = common::hotos();
    let good = entry(
        common::at(&schedule, "2013-05-13T09:00"),
        LogKind::SessionStart,
        None,
    );
    let good_line = chair_log::to_line(&good);
    let mut bytes = Vec::new();
    for line in [
        good_line.as_bytes(),
        b"not json at all",
        br#"{"v":2,"at":"2013-05-13T15:00:00Z","room":"Tamaya FGH","kind":"talk_start"}"#,
        br#"{"v":1,"at":"2013-05-13T15:00:00Z","room":"Tamaya FGH","kind":"teleport"}"#,
        br#"{"v":1,"at":"2013-05-13T15:00:00Z","room":"Tamaya FGH","kind":"add"}"#,
        br#"{"v":1,"at":"2013-05-13T15:00:00Z","room":"Tamaya FGH","kind":"policy","policy":"hurry"}"#,
        b"\xff\xfe\x00",
        b"",
        good_line.as_bytes(),
    ] {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
    }
    std::fs::write(&path, &bytes).expect("write");
    let read = chair_log::read(&path).expect("reads");
    assert_eq!(read.entries, vec![good.clone(), good]);
    let located: Vec<(usize, String)> = read
        .warnings
        .iter()
        .map(|warning| (warning.line, warning.message.clone()))
        .collect();
    let numbers: Vec<usize> = located.iter().map(|(line, _)| *line).collect();
    assert_eq!(numbers, [2, 3, 4, 5, 6, 7], "{located:?}");
    assert!(located[0].1.contains("not a log entry"), "{located:?}");
    assert!(located[1].1.contains("version 2"), "{located:?}");
    assert!(located[2].1.contains("teleport"), "{located:?}");
    assert!(located[3].1.contains("seconds"), "{located:?}");
    assert!(located[4].1.contains("hurry"), "{located:?}");
    assert!(located[5].1.contains("UTF-8"), "{located:?}");
    assert!(
        read.warnings[0]
            .to_string()
            .starts_with(&format!("{}:2:", path.display()))
    );
}

#[test]
fn a_file_that_is_not_a_log_is_neither_read_whole_nor_waited_for() {
    let folder = tempfile::tempdir().expect("temp dir");
    let huge = folder.path().join("huge.log.jsonl");
    // Sparse: no disk is used.
    std::fs::File::create(&huge)
        .and_then(|file| file.set_len(chair_log::MAX_LOG_BYTES + 1))
        .expect("a sparse file");
    let error = chair_log::read(&huge).expect_err("too large");
    assert!(matches!(error, LogError::TooLarge { .. }), "{error}");
    assert!(
        error.to_string().starts_with(&huge.display().to_string()),
        "{error}"
    );

    let error = chair_log::read(folder.path()).expect_err("a directory");
    assert!(error.to_string().contains("a directory"), "{error}");
    assert!(chair_log::append(folder.path(), &[entry(Utc::now(), LogKind::Blank, None)]).is_err());

    #[cfg(unix)]
    {
        let fifo = folder.path().join("fifo.log.jsonl");
        let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(status.success());
        let started = Instant::now();
        let error = chair_log::read(&fifo).expect_err("a FIFO");
        assert!(error.to_string().contains("FIFO"), "{error}");
        let error = chair_log::append(&fifo, &[entry(Utc::now(), LogKind::Blank, None)])
            .expect_err("a FIFO");
        assert!(error.to_string().contains("FIFO"), "{error}");
        // A room session given the FIFO as its log starts, says so, and keeps time.
        let mut room = hotos_session(&fifo, "2013-05-13T09:20");
        let now = instant(&room, "2013-05-13T09:20");
        assert!(room.apply(&ChairCommand::ToggleBlank, now));
        assert!(started.elapsed() < StdDuration::from_secs(5));
        assert!(
            room.chair_notices()
                .iter()
                .any(|notice| notice.contains("FIFO")),
            "{:?}",
            room.chair_notices()
        );
    }
}

#[test]
fn a_log_that_cannot_be_written_is_said_once_and_the_room_goes_on() {
    let folder = tempfile::tempdir().expect("temp dir");
    let blocker = folder.path().join("not-a-folder");
    std::fs::write(&blocker, "x").expect("write");
    let log = blocker.join("room.log.jsonl");
    let mut room = hotos_session(&log, "2013-05-13T09:20");
    let now = instant(&room, "2013-05-13T09:20");
    assert!(room.apply(&ChairCommand::StartNow, now));
    assert!(room.apply(&ChairCommand::AddTime(Duration::minutes(1)), now));
    let failures: Vec<&String> = room
        .chair_notices()
        .iter()
        .filter(|notice| notice.contains("Could not write the chair's log"))
        .collect();
    assert_eq!(failures.len(), 1, "{:?}", room.chair_notices());
    assert!(failures[0].contains("not-a-folder"), "{failures:?}");
    // The entries are still kept for the chair view.
    assert!(
        room.log_entries()
            .iter()
            .any(|entry| entry.kind == LogKind::Add { seconds: 60 })
    );
}

/// The first session of HotOS, worked out by hand from the program: 09:00–10:00, four papers
/// of 15 minutes, then Open Mike 10:00–10:30 and a break.
#[test]
fn the_recorder_logs_exact_instants_of_what_the_room_showed() {
    let folder = tempfile::tempdir().expect("temp dir");
    let log = folder.path().join("room.log.jsonl");
    let mut room = hotos_session(&log, "2013-05-13T09:10");
    let at = |room: &RoomSession, text: &str| instant(room, &format!("2013-05-13T{text}"));

    // The first look believes the program: the session and its paper began on time.
    let now = at(&room, "09:10");
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        [
            line("09:00:00", "session_start", "mon-0900", None),
            line("09:00:00", "talk_start", "mon-0900", Some(NICS)),
        ]
    );
    // Looking again changes nothing.
    let now = at(&room, "09:12");
    assert_eq!(
        logged(&mut room, &log, |room| assert!(!room.observe(now))),
        []
    );
    // Seen 0.7 s late, the change of paper is dated by the program, to the second.
    let now = at(&room, "09:15") + Duration::milliseconds(700);
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        [
            line("09:15:00", "talk_end", "mon-0900", Some(NICS)),
            line("09:15:00", "talk_start", "mon-0900", Some(HYPERVISOR)),
        ]
    );
    // The chair moves on early: the command, then its effects, at the command's instant.
    let now = at(&room, "09:20:30");
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::NextTalk, now));
        }),
        [
            line("09:20:30", "next", "mon-0900", Some(STORAGE)),
            line("09:20:30", "talk_end", "mon-0900", Some(HYPERVISOR)),
            line("09:20:30", "talk_start", "mon-0900", Some(STORAGE)),
        ]
    );
    let (pause, resume) = (at(&room, "09:25"), at(&room, "09:27"));
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::TogglePause, pause));
            assert!(room.apply(&ChairCommand::TogglePause, resume));
            assert!(room.apply(
                &ChairCommand::ShowMessage(" 5 minutes left ".into()),
                resume
            ));
        }),
        [
            line("09:25:00", "pause", "mon-0900", Some(STORAGE)),
            line("09:27:00", "resume", "mon-0900", Some(STORAGE)),
            line("09:27:00", "message", "mon-0900", Some(STORAGE)),
        ]
    );
    assert_eq!(
        room.log_entries().last().map(|entry| &entry.kind),
        Some(&LogKind::Message("5 minutes left".into()))
    );
    // The chair's paper runs over (15 minutes from 09:20:30, two paused: due at 09:37:30):
    // an overtime is not an end.
    let now = at(&room, "09:40");
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        []
    );
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::NextTalk, now));
        }),
        [
            line("09:40:00", "next", "mon-0900", Some(UNIFIED)),
            line("09:40:00", "talk_end", "mon-0900", Some(STORAGE)),
            line("09:40:00", "talk_start", "mon-0900", Some(UNIFIED)),
        ]
    );
    // A command that changes nothing (clearing a message already cleared) is not logged.
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::ClearMessage, now));
            assert!(!room.apply(&ChairCommand::ClearMessage, now));
        }),
        [line("09:40:00", "clear_message", "mon-0900", Some(UNIFIED))]
    );
    let now = at(&room, "09:41");
    assert_eq!(
        logged(&mut room, &log, |room| {
            let policy = lectern::chair::AbsorbPolicy::TrimQuestions;
            assert!(room.apply(&ChairCommand::Absorb(policy), now));
            assert!(!room.apply(&ChairCommand::Absorb(policy), now));
            assert!(room.apply(&ChairCommand::ToggleBlank, now));
            assert!(room.apply(&ChairCommand::ToggleBlank, now));
            assert!(room.apply(&ChairCommand::AddTime(Duration::minutes(-1)), now));
        }),
        [
            line("09:41:00", "policy", "mon-0900", Some(UNIFIED)),
            line("09:41:00", "blank", "mon-0900", Some(UNIFIED)),
            line("09:41:00", "unblank", "mon-0900", Some(UNIFIED)),
            line("09:41:00", "add", "mon-0900", Some(UNIFIED)),
        ]
    );
    let kinds: Vec<&LogKind> = room
        .log_entries()
        .iter()
        .rev()
        .take(4)
        .map(|entry| &entry.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            &LogKind::Add { seconds: -60 },
            &LogKind::Unblank,
            &LogKind::Blank,
            &LogKind::Policy(lectern::chair::AbsorbPolicy::TrimQuestions),
        ]
    );
    // From the last paper, "next" opens Open Mike three minutes late: the session ends then.
    let now = at(&room, "10:03");
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::NextTalk, now));
        }),
        [
            line("10:03:00", "next", "mon-1000", None),
            line("10:03:00", "talk_end", "mon-0900", Some(UNIFIED)),
            line("10:03:00", "session_end", "mon-0900", None),
            line("10:03:00", "session_start", "mon-1000", None),
        ]
    );
    // Handing back to the program changes the countdown, not what happened: no new start.
    let now = at(&room, "10:05");
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::BackToSchedule, now));
        }),
        [line("10:05:00", "back_to_schedule", "mon-1000", None)]
    );
    // Starting it again now is a restart.
    let now = at(&room, "10:06");
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::StartNow, now));
        }),
        [
            line("10:06:00", "start_now", "mon-1000", None),
            line("10:06:00", "session_start", "mon-1000", None),
        ]
    );
    let now = at(&room, "10:07");
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::BackToSchedule, now));
        }),
        [line("10:07:00", "back_to_schedule", "mon-1000", None)]
    );
    let now = at(&room, "10:30:01");
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        [
            line("10:30:00", "session_end", "mon-1000", None),
            line("10:30:00", "session_start", "mon-1030", None),
        ]
    );
}

/// Between two looks hours apart (a laptop that slept), every start and end of the program
/// in between is logged at its planned instant: the reference is the program itself, read
/// from the schedule item by item.
#[test]
fn a_long_gap_between_looks_is_filled_from_the_program() {
    let folder = tempfile::tempdir().expect("temp dir");
    let log = folder.path().join("room.log.jsonl");
    let mut room = hotos_session(&log, "2013-05-13T10:31");
    let from = instant(&room, "2013-05-13T10:31");
    let to = instant(&room, "2013-05-13T14:50");
    room.observe(from);
    let seen = room.log_entries().len();
    room.observe(to);

    let schedule = room.schedule().clone();
    // (instant, order among equal instants, kind, session, talk)
    type Planned = (DateTime<Utc>, u8, &'static str, String, Option<String>);
    let mut expected: Vec<Planned> = Vec::new();
    for session in schedule.sessions() {
        let id = session.id.0.clone();
        expected.push((session.start, 2, "session_start", id.clone(), None));
        expected.push((session.end, 1, "session_end", id.clone(), None));
        for talk in &session.talks {
            let talk_id = Some(talk.id.0.clone());
            expected.push((talk.start, 3, "talk_start", id.clone(), talk_id.clone()));
            expected.push((talk.end, 0, "talk_end", id.clone(), talk_id));
        }
    }
    expected.retain(|(at, ..)| from < *at && *at <= to);
    expected.sort_by_key(|planned| (planned.0, planned.1));
    let zone = schedule.event().time_zone;
    let expected: Vec<Line> = expected
        .into_iter()
        .map(|(at, _, kind, session, talk)| {
            (
                at.with_timezone(&zone).format("%H:%M:%S").to_string(),
                kind,
                Some(session),
                talk,
            )
        })
        .collect();
    assert_eq!(lines(&room.log_entries()[seen..], zone), expected);
    assert!(expected.len() > 10, "{expected:?}");
}

#[test]
fn questions_start_at_the_planned_instant_or_when_the_chair_starts_them() {
    let folder = tempfile::tempdir().expect("temp dir");
    let log = folder.path().join("room.log.jsonl");
    let loaded = lectern::source::load_file(
        &common::data_dir().join("ok/questions.json"),
        &Default::default(),
    )
    .expect("fixture");
    let mut room = session_on(loaded, &log, "2026-05-01T09:10");
    let at = |room: &RoomSession, text: &str| instant(room, &format!("2026-05-01T{text}"));
    let now = at(&room, "09:10");
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        [
            line("09:00:00", "session_start", "s1", None),
            line("09:00:00", "talk_start", "s1", Some("a")),
        ]
    );
    // Paper A: 09:00–09:30 with the session's 5 minutes of questions.
    let now = at(&room, "09:26");
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        [line("09:25:00", "questions_start", "s1", Some("a"))]
    );
    // Paper B has 10 minutes from 09:50; the chair starts them at 09:40.
    let now = at(&room, "09:40");
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::QuestionsNow, now));
        }),
        [
            line("09:30:00", "talk_end", "s1", Some("a")),
            line("09:30:00", "talk_start", "s1", Some("b")),
            line("09:40:00", "questions_now", "s1", Some("b")),
            line("09:40:00", "questions_start", "s1", Some("b")),
        ]
    );
    // The chair's timing runs over into overtime until the chair hands back, a minute late.
    let now = at(&room, "10:00:30");
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        []
    );
    let now = at(&room, "10:01");
    assert_eq!(
        logged(&mut room, &log, |room| {
            assert!(room.apply(&ChairCommand::BackToSchedule, now));
        }),
        [
            line("10:01:00", "back_to_schedule", "s1", Some("b")),
            line("10:01:00", "talk_end", "s1", Some("b")),
            line("10:01:00", "session_end", "s1", None),
        ]
    );
    let report = planned::room_report(room.schedule(), room.room(), room.log_entries(), None);
    let papers = &report.days[0].sessions[0].papers;
    let lengths: Vec<(i64, i64, i64)> = papers
        .iter()
        .map(|paper| {
            (
                paper.actual.talk_length.expect("ended").num_seconds(),
                paper.actual.question_length.expect("ended").num_seconds(),
                paper.overrun.expect("ended").num_seconds(),
            )
        })
        .collect();
    assert_eq!(lengths, [(25 * 60, 5 * 60, 0), (10 * 60, 21 * 60, 60)]);
}

/// A session that comes back after a crash (the process gone without a goodbye) picks up
/// where its log left off: what happened while it was down is dated by the program, and
/// nothing it had logged is logged again.
#[test]
fn a_restarted_session_continues_its_log() {
    let folder = tempfile::tempdir().expect("temp dir");
    let log = folder.path().join("room.log.jsonl");
    let mut room = hotos_session(&log, "2013-05-13T09:16");
    let now = instant(&room, "2013-05-13T09:16");
    room.observe(now);
    let before = room.log_entries().to_vec();
    std::mem::forget(room);

    let mut room = hotos_session(&log, "2013-05-13T09:32");
    assert_eq!(
        room.log_entries(),
        before.as_slice(),
        "read back at the start"
    );
    let now = instant(&room, "2013-05-13T09:32");
    assert_eq!(
        logged(&mut room, &log, |room| {
            room.observe(now);
        }),
        [
            line("09:30:00", "talk_end", "mon-0900", Some(HYPERVISOR)),
            line("09:30:00", "talk_start", "mon-0900", Some(STORAGE)),
        ]
    );
}

/// Planned against actual for a scripted session, checked against the script's own instants
/// and the program's planned times, worked out here without the log.
#[test]
fn the_report_measures_each_paper_and_session_against_the_plan() {
    let folder = tempfile::tempdir().expect("temp dir");
    let log = folder.path().join("room.log.jsonl");
    let mut room = hotos_session(&log, "2013-05-13T09:01");
    let at = |room: &RoomSession, text: &str| instant(room, &format!("2013-05-13T{text}"));
    // (instant, command): a late start, three early or late moves, a hand back.
    let script = [
        ("09:02:00", ChairCommand::StartNow),
        ("09:10:00", ChairCommand::AddTime(Duration::minutes(2))),
        ("09:18:30", ChairCommand::NextTalk),
        ("09:33:00", ChairCommand::NextTalk),
        ("09:49:10", ChairCommand::NextTalk),
        ("10:06:00", ChairCommand::NextTalk),
        ("10:20:00", ChairCommand::BackToSchedule),
    ];
    let first = at(&room, "09:01");
    room.observe(first);
    for (time, command) in &script {
        let now = at(&room, time);
        room.observe(now);
        assert!(room.apply(command, now), "{time}");
    }
    let end = at(&room, "10:31");
    room.observe(end);

    // The papers start at the late start and at each move, and end at the next move.
    let starts = ["09:02:00", "09:18:30", "09:33:00", "09:49:10"];
    let ends = ["09:18:30", "09:33:00", "09:49:10", "10:06:00"];
    let planned_ends = ["09:15", "09:30", "09:45", "10:00"];
    let schedule = room.schedule().clone();
    let report = planned::room_report(&schedule, room.room(), room.log_entries(), None);
    assert_eq!(report.days.len(), 1);
    let day = &report.days[0];
    assert_eq!(day.day.to_string(), "2013-05-13");
    let session = day
        .sessions
        .iter()
        .find(|row| row.session.id.0 == "mon-0900")
        .expect("the first paper session");
    assert_eq!(session.papers.len(), 4);
    for (index, paper) in session.papers.iter().enumerate() {
        let start = at(&room, starts[index]);
        let end = at(&room, ends[index]);
        let planned_end = at(&room, planned_ends[index]);
        assert_eq!(paper.actual.start, Some(start), "paper {index}");
        assert_eq!(paper.actual.end, Some(end), "paper {index}");
        assert_eq!(paper.actual.talk_length, Some(end - start), "paper {index}");
        assert_eq!(
            paper.actual.question_length,
            Some(Duration::zero()),
            "paper {index}"
        );
        assert_eq!(paper.overrun, Some(end - planned_end), "paper {index}");
    }
    // The session starts with its first paper and ends when Open Mike began: six minutes late.
    assert_eq!(session.start, Some(at(&room, "09:02")));
    assert_eq!(session.end, Some(at(&room, "10:06")));
    assert_eq!(session.late_by, Some(Duration::minutes(6)));
    // The opening remarks were over before the first look: nothing is known of them.
    let opening = &day.sessions[0];
    assert_eq!(opening.session.id.0, "mon-0845");
    assert_eq!(
        (opening.start, opening.end, opening.late_by),
        (None, None, None)
    );
    // Open Mike began late and ended on time.
    let open_mike = day
        .sessions
        .iter()
        .find(|row| row.session.id.0 == "mon-1000")
        .expect("Open Mike");
    assert_eq!(
        (open_mike.start, open_mike.end, open_mike.late_by),
        (
            Some(at(&room, "10:06")),
            Some(at(&room, "10:30")),
            Some(Duration::zero())
        )
    );
    let late: Vec<(&str, i64)> = report
        .ended_late
        .iter()
        .map(|late| (late.session.id.0.as_str(), late.late_by.num_seconds()))
        .collect();
    assert_eq!(late, [("mon-0900", 360)]);
    // A session the log never saw is listed with nothing actual.
    let unseen = day
        .sessions
        .iter()
        .find(|row| row.session.id.0 == "mon-1430")
        .expect("the afternoon session");
    assert_eq!((unseen.start, unseen.end), (None, None));
    assert!(
        unseen
            .papers
            .iter()
            .all(|paper| paper.actual.start.is_none())
    );

    // The chair view's rows: what was due by 09:40, from what the log held then.
    let upto = at(&room, "09:40");
    let then: Vec<LogEntry> = room
        .log_entries()
        .iter()
        .filter(|entry| entry.at <= upto)
        .cloned()
        .collect();
    let rows = planned::today_rows(&schedule, room.room(), &then, upto);
    let titles: Vec<&str> = rows.iter().map(|row| row.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Opening Remarks",
            "We Need to Talk About NICs",
            "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds",
            "Virtualize Storage, Not Disks",
        ]
    );
    assert_eq!(rows[1].planned, "09:00–09:15");
    assert_eq!(rows[1].actual, "09:02:00–09:18:30");
    assert_eq!(rows[1].overrun, "+03:30");
    assert!(rows[1].late);
    assert_eq!(
        (rows[0].actual.as_str(), rows[0].overrun.as_str()),
        ("—", "")
    );
    assert_eq!(
        (rows[3].actual.as_str(), rows[3].overrun.as_str()),
        ("09:33:00–", "")
    );
}

/// The address the server names on its standard error. The rest of its standard error is
/// read to the end, so that the server never writes into a closed pipe.
fn server_address(stderr: std::process::ChildStderr) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let reader = std::io::BufReader::new(stderr);
        for line in reader.lines().map_while(Result::ok) {
            if let Some(url) = line
                .trim()
                .strip_prefix("lectern: the room's views and API are at ")
            {
                let _ = sender.send(
                    url.trim_start_matches("http://")
                        .trim_end_matches('/')
                        .to_owned(),
                );
            }
        }
    });
    receiver
        .recv_timeout(StdDuration::from_secs(60))
        .expect("the server names its address")
}

fn wait_for(path: &Path, what: &str, deadline: Instant) -> String {
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(what) {
            return text;
        }
        assert!(Instant::now() < deadline, "{what} never logged:\n{text}");
        std::thread::sleep(StdDuration::from_millis(50));
    }
}

/// The real binary, a rehearsal clock at sixty times real speed, a command over the API, and
/// SIGKILL right after its answer: the log holds every entry whole, the command included.
#[cfg(unix)]
#[test]
fn kill_9_loses_nothing_that_was_shown() {
    const TOKEN: &str = "test-token-0123456789abcdef";
    let folder = tempfile::tempdir().expect("temp dir");
    let log: PathBuf = folder.path().join("room.log.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
        .args(["serve", "--at", "2013-05-13T09:14:45", "--speed", "60"])
        .arg("--log")
        .arg(&log)
        .args(["--listen", "127.0.0.1:0", "--token", TOKEN, "--no-watch"])
        .env("XDG_STATE_HOME", folder.path().join("state"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lectern serve starts");
    let address = server_address(child.stderr.take().expect("stderr"));
    let deadline = Instant::now() + StdDuration::from_secs(30);
    // 09:15 comes a quarter of a second after the start, by the rehearsal clock.
    wait_for(&log, HYPERVISOR, deadline);

    let body = r#"{"command": "add", "seconds": 60}"#;
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(StdDuration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "POST /api/v1/command HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let read = chair_log::read(&log).expect("the log reads");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    let zone = common::hotos().event().time_zone;
    let got = lines(&read.entries, zone);
    assert_eq!(
        got[..4],
        [
            line("09:00:00", "session_start", "mon-0900", None),
            line("09:00:00", "talk_start", "mon-0900", Some(NICS)),
            line("09:15:00", "talk_end", "mon-0900", Some(NICS)),
            line("09:15:00", "talk_start", "mon-0900", Some(HYPERVISOR)),
        ]
    );
    assert!(
        read.entries
            .iter()
            .any(|entry| entry.kind == LogKind::Add { seconds: 60 }),
        "{got:?}"
    );
    assert!(std::fs::read_to_string(&log).expect("text").ends_with('\n'));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever a log holds (the real fixture cut anywhere, with bytes replaced, or
        /// noise), reading it and reporting on it never panics, and every skipped line is
        /// located inside the file.
        #[test]
        fn any_log_reads_and_reports_without_a_panic(
            cut in 0usize..4000,
            flips in proptest::collection::vec((0usize..4000, any::<u8>()), 0..8),
            noise in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let fixture = common::data_dir().join("log").join("hotos-monday.log.jsonl");
            let mut bytes = std::fs::read(&fixture).expect("fixture");
            bytes.truncate(cut.min(bytes.len()));
            for (at, byte) in flips {
                if let Some(slot) = bytes.get_mut(at) {
                    *slot = byte;
                }
            }
            bytes.extend(noise);
            let read = chair_log::parse(&fixture, &bytes);
            let lines = bytes.split(|&byte| byte == b'\n').count();
            prop_assert!(read.warnings.iter().all(|warning| warning.line >= 1 && warning.line <= lines));
            let schedule = common::hotos();
            let report = planned::room_report(&schedule, lectern::model::RoomId(0), &read.entries, None);
            let _ = planned::markdown(&schedule, std::slice::from_ref(&report));
            let _ = planned::csv(&schedule, std::slice::from_ref(&report));
            let _ = lectern::report::planned_json(&schedule, std::slice::from_ref(&report));
            let now = common::at(&schedule, "2013-05-13T09:40");
            let _ = planned::today_rows(&schedule, lectern::model::RoomId(0), &read.entries, now);
            let _ = lectern::recorder::Observation::from_log(&read.entries, "Tamaya FGH", &schedule);
        }
    }
}
