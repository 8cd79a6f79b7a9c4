//! Planned against actual: what the schedule planned for each paper and session of a room,
//! beside what the chair's log says happened, and the sessions that ended late.
//!
//! Pure: the schedule and the log's entries go in, rows come out, and the rows are written
//! as Markdown (a table readable in a terminal) or CSV (one row per session and per paper,
//! for a spreadsheet). The JSON view is at the edge, in [`crate::report`]. Times are shown in
//! the event's zone.
//!
//! How the log is read, per paper (and the same way per session):
//! - a run of a paper begins at its `talk_start` and ends at its `talk_end` (or at the chair's
//!   `end_talk` for it, whichever comes first); a `talk_start` while a run is open starts the
//!   run again, since the chair started the talk again (a late start);
//! - its actual start is the start of its first run, its actual end the end of its last, so a
//!   paper that was left and returned to ends when it was finally left;
//! - its talk length is the time of its runs before the questions, its question length the
//!   time from the (last) start of the questions to the end of the run;
//! - a session starts when its first paper does (or, without papers, at its own start), and
//!   ends when the room stopped showing it.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::model::{RoomId, Schedule, Session, SessionId, Talk, TalkId};
use crate::recorder::{LogEntry, LogKind};
use crate::text;

/// What happened to one paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaperActual {
    /// When it started.
    pub start: Option<DateTime<Utc>>,
    /// When its questions started (the last time they did).
    pub questions: Option<DateTime<Utc>>,
    /// When it ended; `None` while it runs, or when the log does not say.
    pub end: Option<DateTime<Utc>>,
    /// How long the talk itself lasted, over its finished runs.
    pub talk_length: Option<Duration>,
    /// How long its questions lasted, over its finished runs.
    pub question_length: Option<Duration>,
}

/// One paper: the plan and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperRow<'a> {
    /// The paper, with its planned times.
    pub talk: &'a Talk,
    /// What happened.
    pub actual: PaperActual,
    /// How much later than planned it ended (negative: earlier).
    pub overrun: Option<Duration>,
}

/// One session: the plan, what happened, and its papers.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow<'a> {
    /// The session, with its planned times.
    pub session: &'a Session,
    /// When it started: when its first paper did, or its own start without papers.
    pub start: Option<DateTime<Utc>>,
    /// When the room stopped showing it.
    pub end: Option<DateTime<Utc>>,
    /// How much later than planned it ended (negative: earlier).
    pub late_by: Option<Duration>,
    /// Its papers, in order.
    pub papers: Vec<PaperRow<'a>>,
}

/// One conference day of a room.
#[derive(Debug, Clone, PartialEq)]
pub struct DayReport<'a> {
    /// The conference day.
    pub day: NaiveDate,
    /// The room's sessions that day (breaks and meals left out), in order.
    pub sessions: Vec<SessionRow<'a>>,
}

/// A session that ended later than planned.
#[derive(Debug, Clone, PartialEq)]
pub struct LateSession<'a> {
    /// Its conference day.
    pub day: NaiveDate,
    /// The session.
    pub session: &'a Session,
    /// When it ended.
    pub end: DateTime<Utc>,
    /// By how much.
    pub late_by: Duration,
}

/// Planned against actual for one room.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomReport<'a> {
    /// The room.
    pub room: RoomId,
    /// Its name.
    pub name: &'a str,
    /// The days reported, in order.
    pub days: Vec<DayReport<'a>>,
    /// The sessions of those days that ended late, in order.
    pub ended_late: Vec<LateSession<'a>>,
    /// How many of the room's log entries name a session or paper the schedule no longer has.
    pub unknown_entries: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    start: DateTime<Utc>,
    questions: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
}

/// The runs of one paper or session, in the order of the log.
#[derive(Debug, Clone, Default)]
struct Runs {
    closed: Vec<Run>,
    open: Option<Run>,
}

impl Runs {
    /// A start; while a run is open, the chair started it again, and the run starts anew.
    fn start(&mut self, at: DateTime<Utc>) {
        self.open = Some(Run {
            start: at,
            questions: None,
            end: None,
        });
    }

    fn questions(&mut self, at: DateTime<Utc>) {
        match &mut self.open {
            Some(run) => run.questions = Some(at.max(run.start)),
            // The log missed the start: the run is known from its questions on. After a run
            // the chair ended, the paper's questions may still come on screen (the chair
            // said it was over); they are not a new run.
            None if self.closed.is_empty() => {
                self.open = Some(Run {
                    start: at,
                    questions: Some(at),
                    end: None,
                });
            }
            None => {}
        }
    }

    fn end(&mut self, at: DateTime<Utc>) {
        if let Some(mut run) = self.open.take() {
            // Instants out of order (a rehearsal clock set back) never make a length negative.
            run.end = Some(at.max(run.questions.unwrap_or(run.start)));
            self.closed.push(run);
        }
    }

    fn all(&self) -> impl Iterator<Item = &Run> {
        self.closed.iter().chain(self.open.iter())
    }

    fn first_start(&self) -> Option<DateTime<Utc>> {
        self.all().next().map(|run| run.start)
    }

    fn last_end(&self) -> Option<DateTime<Utc>> {
        match self.open {
            Some(_) => None,
            None => self.closed.last().and_then(|run| run.end),
        }
    }

    fn paper(&self) -> PaperActual {
        let finished = !self.closed.is_empty();
        let mut talk_length = Duration::zero();
        let mut question_length = Duration::zero();
        for run in &self.closed {
            let end = run.end.unwrap_or(run.start);
            let questions = run.questions.unwrap_or(end);
            talk_length += questions - run.start;
            question_length += end - questions;
        }
        PaperActual {
            start: self.first_start(),
            questions: self.all().filter_map(|run| run.questions).last(),
            end: self.last_end(),
            talk_length: finished.then_some(talk_length),
            question_length: finished.then_some(question_length),
        }
    }
}

/// What the log says of a room's papers and sessions.
#[derive(Default)]
struct Replayed {
    papers: HashMap<(SessionId, TalkId), Runs>,
    sessions: HashMap<SessionId, Runs>,
}

fn replay<'e>(entries: impl Iterator<Item = &'e LogEntry>) -> Replayed {
    let mut replayed = Replayed::default();
    for entry in entries {
        let Some(session) = &entry.session else {
            continue;
        };
        let paper = entry
            .talk
            .as_ref()
            .map(|talk| (session.clone(), talk.clone()));
        match (&entry.kind, paper) {
            (LogKind::SessionStart, _) => replayed
                .sessions
                .entry(session.clone())
                .or_default()
                .start(entry.at),
            (LogKind::SessionEnd, _) => {
                replayed
                    .sessions
                    .entry(session.clone())
                    .or_default()
                    .end(entry.at);
                // A paper still open when its session ends ended with it.
                for ((paper_session, _), runs) in &mut replayed.papers {
                    if paper_session == session {
                        runs.end(entry.at);
                    }
                }
            }
            (LogKind::TalkStart, Some(paper)) => {
                replayed.papers.entry(paper).or_default().start(entry.at);
            }
            (LogKind::QuestionsStart, Some(paper)) => {
                replayed
                    .papers
                    .entry(paper)
                    .or_default()
                    .questions(entry.at);
            }
            (LogKind::TalkEnd | LogKind::EndTalk, Some(paper)) => {
                replayed.papers.entry(paper).or_default().end(entry.at);
            }
            _ => {}
        }
    }
    replayed
}

/// Planned against actual for `room`: the conference day `day`, or every day of which the
/// log says something. Only the room's entries are read.
pub fn room_report<'a>(
    schedule: &'a Schedule,
    room: RoomId,
    entries: &[LogEntry],
    day: Option<NaiveDate>,
) -> RoomReport<'a> {
    let name = schedule.room(room).name.as_str();
    let room_entries = || entries.iter().filter(move |entry| entry.room == name);
    let replayed = replay(room_entries());
    let unknown_entries = room_entries()
        .filter(|entry| entry.kind.is_transition())
        .filter(|entry| match &entry.session {
            None => false,
            Some(id) => match schedule.session_by_id(id) {
                None => true,
                Some((_, session)) => entry
                    .talk
                    .as_ref()
                    .is_some_and(|talk| session.talk_by_id(talk).is_none()),
            },
        })
        .count();
    let reported = |session: &Session| !session.kind.is_pause();
    let days: Vec<NaiveDate> = match day {
        Some(day) => vec![day],
        None => schedule
            .room_sessions(room)
            .filter(|session| reported(session))
            .filter(|session| {
                replayed.sessions.contains_key(&session.id)
                    || session.talks.iter().any(|talk| {
                        replayed
                            .papers
                            .contains_key(&(session.id.clone(), talk.id.clone()))
                    })
            })
            .map(|session| schedule.conference_day(session.start))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    };
    let empty = Runs::default();
    let days: Vec<DayReport<'a>> = days
        .into_iter()
        .map(|day| DayReport {
            day,
            sessions: schedule
                .room_sessions(room)
                .filter(|session| reported(session))
                .filter(|session| schedule.conference_day(session.start) == day)
                .map(|session| {
                    let papers: Vec<PaperRow<'a>> = session
                        .talks
                        .iter()
                        .map(|talk| {
                            let actual = replayed
                                .papers
                                .get(&(session.id.clone(), talk.id.clone()))
                                .unwrap_or(&empty)
                                .paper();
                            PaperRow {
                                talk,
                                actual,
                                overrun: actual.end.map(|end| end - talk.end),
                            }
                        })
                        .collect();
                    let runs = replayed.sessions.get(&session.id).unwrap_or(&empty);
                    let start = papers
                        .iter()
                        .filter_map(|paper| paper.actual.start)
                        .min()
                        .or_else(|| runs.first_start());
                    let end = runs.last_end();
                    SessionRow {
                        session,
                        start,
                        end,
                        late_by: end.map(|end| end - session.end),
                        papers,
                    }
                })
                .collect(),
        })
        .collect();
    let ended_late = days
        .iter()
        .flat_map(|day| {
            day.sessions
                .iter()
                .filter_map(|row| match (row.end, row.late_by) {
                    (Some(end), Some(late_by)) if late_by > Duration::zero() => Some(LateSession {
                        day: day.day,
                        session: row.session,
                        end,
                        late_by,
                    }),
                    _ => None,
                })
        })
        .collect();
    RoomReport {
        room,
        name,
        days,
        ended_late,
        unknown_entries,
    }
}

/// The rooms a log speaks of, in the schedule's order.
pub fn rooms_in_log(schedule: &Schedule, entries: &[LogEntry]) -> Vec<RoomId> {
    let named: BTreeSet<&str> = entries.iter().map(|entry| entry.room.as_str()).collect();
    (0..schedule.rooms().len())
        .map(RoomId)
        .filter(|&room| named.contains(schedule.room(room).name.as_str()))
        .collect()
}

/// One line of the chair view's "today so far" table, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayRow {
    /// The paper's title (or the session's, for a session without papers).
    pub title: String,
    /// Its planned time, `09:15–09:30`.
    pub planned: String,
    /// What happened, `09:18:05–09:34:10`; an open end while it runs; `—` when nothing is
    /// known.
    pub actual: String,
    /// How much later than planned it ended, `+04:10`; empty while unknown.
    pub overrun: String,
    /// Whether it ended late.
    pub late: bool,
}

/// Today's planned against actual so far in `room`: the papers (and sessions without papers)
/// of the conference day of `now` that were due to start by `now` or did start.
pub fn today_rows(
    schedule: &Schedule,
    room: RoomId,
    entries: &[LogEntry],
    now: DateTime<Utc>,
) -> Vec<TodayRow> {
    let zone = schedule.event().time_zone;
    let today = schedule.conference_day(now);
    // The view is drawn every second: only the entries that can concern today are replayed.
    // Today's sessions start after today's day change; half a day before it leaves room for
    // a session the chair opened early.
    let from = schedule
        .day_start(today)
        .checked_sub_signed(Duration::hours(12))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let recent: Vec<LogEntry> = entries
        .iter()
        .filter(|entry| entry.at >= from)
        .cloned()
        .collect();
    let report = room_report(schedule, room, &recent, Some(today));
    let mut rows = Vec::new();
    for row in report.days.iter().flat_map(|day| &day.sessions) {
        let mut push = |title: &str,
                        planned: (DateTime<Utc>, DateTime<Utc>),
                        actual: (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
                        overrun: Option<Duration>| {
            if planned.0 > now && actual.0.is_none() {
                return;
            }
            rows.push(TodayRow {
                title: title.to_owned(),
                planned: planned_span(planned.0, planned.1, zone),
                actual: actual_span(actual.0, actual.1, zone),
                overrun: overrun.map(signed).unwrap_or_default(),
                late: overrun.is_some_and(|overrun| overrun > Duration::zero()),
            });
        };
        if row.papers.is_empty() {
            push(
                row.session.display_title(),
                (row.session.start, row.session.end),
                (row.start, row.end),
                row.late_by,
            );
        }
        for paper in &row.papers {
            push(
                &paper.talk.title,
                (paper.talk.start, paper.talk.end),
                (paper.actual.start, paper.actual.end),
                paper.overrun,
            );
        }
    }
    rows
}

/// Whole seconds, rounded to the nearest.
fn whole_seconds(duration: Duration) -> i64 {
    (duration.num_milliseconds() + 500).div_euclid(1000)
}

/// A length, `14:30` or `1:02:00`.
fn length(duration: Duration) -> String {
    text::clock_digits(whole_seconds(duration).max(0))
}

/// A difference from the plan: `+04:10` later, `-01:00` earlier, `00:00` on time.
fn signed(duration: Duration) -> String {
    let seconds = whole_seconds(duration);
    match seconds {
        0 => "00:00".to_owned(),
        later if later > 0 => format!("+{}", text::clock_digits(later)),
        earlier => format!("-{}", text::clock_digits(-earlier)),
    }
}

/// An actual instant to the second, `09:18:05`: the log's instants are exact, and a minute's
/// rounding would hide the overrun it explains.
fn time_with_seconds(instant: DateTime<Utc>, zone: Tz) -> String {
    instant.with_timezone(&zone).format("%H:%M:%S").to_string()
}

fn planned_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    format!(
        "{}–{}",
        text::time_of_day(start, zone),
        text::time_of_day(end, zone)
    )
}

fn actual_span(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>, zone: Tz) -> String {
    match (start, end) {
        (Some(start), Some(end)) => format!(
            "{}–{}",
            time_with_seconds(start, zone),
            time_with_seconds(end, zone)
        ),
        (Some(start), None) => format!("{}–", time_with_seconds(start, zone)),
        (None, Some(end)) => format!("–{}", time_with_seconds(end, zone)),
        (None, None) => NOTHING.to_owned(),
    }
}

/// What a cell shows when the log says nothing.
const NOTHING: &str = "—";

/// The widest title in a Markdown table, in characters: wider ones are cut, so that the table
/// fits a terminal.
const MAX_TITLE_CHARS: usize = 40;

/// A title cut to `MAX_TITLE_CHARS`, with its `|` escaped for Markdown.
fn title_cell(title: &str) -> String {
    let title: String = if title.chars().count() > MAX_TITLE_CHARS {
        let mut cut: String = title.chars().take(MAX_TITLE_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        title.to_owned()
    };
    title.replace('|', "\\|")
}

/// A Markdown table whose columns line up in a terminal.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        out.push('|');
        for (cell, width) in cells.zip(&widths) {
            let padding = width.saturating_sub(cell.chars().count());
            let _ = write!(out, " {cell}{} |", " ".repeat(padding));
        }
        out.push('\n');
    };
    line(out, &mut header.iter().copied());
    out.push('|');
    for width in &widths {
        let _ = write!(out, "{}|", "-".repeat(width + 2));
    }
    out.push('\n');
    for row in rows {
        line(out, &mut row.iter().map(String::as_str));
    }
}

fn or_nothing(value: Option<String>) -> String {
    value.unwrap_or_else(|| NOTHING.to_owned())
}

/// Planned against actual as Markdown: per room and day, the sessions, then each session's
/// papers; per room, the sessions that ended late.
pub fn markdown(schedule: &Schedule, reports: &[RoomReport<'_>]) -> String {
    let zone = schedule.event().time_zone;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: planned against actual\n\nTimes in {}. Planned times to the minute, actual times to the second.",
        schedule.event().short_name,
        zone.name()
    );
    let at = |instant: Option<DateTime<Utc>>| {
        or_nothing(instant.map(|instant| time_with_seconds(instant, zone)))
    };
    for report in reports {
        for day in &report.days {
            let _ = writeln!(out, "\n## {}, {}\n", report.name, text::date(day.day));
            if day.sessions.is_empty() {
                out.push_str("No sessions planned in this room that day.\n");
                continue;
            }
            let rows: Vec<Vec<String>> = day
                .sessions
                .iter()
                .map(|row| {
                    vec![
                        title_cell(row.session.display_title()),
                        planned_span(row.session.start, row.session.end, zone),
                        at(row.start),
                        at(row.end),
                        or_nothing(row.late_by.map(signed)),
                    ]
                })
                .collect();
            table(
                &mut out,
                &["Session", "Planned", "Started", "Ended", "Late by"],
                &rows,
            );
            // A session whose papers the log never saw is in the table above with dashes;
            // a table of dashes for its papers would say nothing more.
            let logged = |row: &&SessionRow<'_>| {
                row.papers
                    .iter()
                    .any(|paper| paper.actual.start.is_some() || paper.actual.end.is_some())
            };
            for row in day.sessions.iter().filter(logged) {
                let _ = writeln!(
                    out,
                    "\n### {} ({})\n",
                    row.session.display_title(),
                    planned_span(row.session.start, row.session.end, zone)
                );
                // Without a question part planned or held, its columns would be dashes only.
                let questions = row
                    .papers
                    .iter()
                    .any(|paper| !paper.talk.qa.is_zero() || paper.actual.questions.is_some());
                let mut header = vec!["#", "Paper", "Planned", "Started"];
                if questions {
                    header.push("Questions");
                }
                header.extend(["Ended", "Talk"]);
                if questions {
                    header.push("Q&A");
                }
                header.push("Overrun");
                let rows: Vec<Vec<String>> = row
                    .papers
                    .iter()
                    .enumerate()
                    .map(|(index, paper)| {
                        let mut cells = vec![
                            (index + 1).to_string(),
                            title_cell(&paper.talk.title),
                            planned_span(paper.talk.start, paper.talk.end, zone),
                            at(paper.actual.start),
                        ];
                        if questions {
                            cells.push(at(paper.actual.questions));
                        }
                        cells.push(at(paper.actual.end));
                        cells.push(or_nothing(paper.actual.talk_length.map(length)));
                        if questions {
                            cells.push(or_nothing(paper.actual.question_length.map(length)));
                        }
                        cells.push(or_nothing(paper.overrun.map(signed)));
                        cells
                    })
                    .collect();
                table(&mut out, &header, &rows);
            }
        }
        let _ = writeln!(out, "\n## {}: sessions that ended late\n", report.name);
        if report.ended_late.is_empty() {
            out.push_str("None.\n");
        }
        for late in &report.ended_late {
            let _ = writeln!(
                out,
                "- {}, {}: {} late (ended {}, planned {})",
                text::date(late.day),
                late.session.display_title(),
                length(late.late_by),
                time_with_seconds(late.end, zone),
                text::time_of_day(late.session.end, zone)
            );
        }
        if report.unknown_entries > 0 {
            let _ = writeln!(
                out,
                "\n{} of the log name sessions or papers this schedule does not have.",
                text::count(report.unknown_entries, "entry", "entries")
            );
        }
    }
    out
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 15] = [
    "room",
    "date",
    "kind",
    "session_id",
    "session",
    "paper_id",
    "paper",
    "planned_start",
    "planned_end",
    "actual_start",
    "questions_start",
    "actual_end",
    "talk_seconds",
    "questions_seconds",
    "overrun_seconds",
];

/// One CSV field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// A text field of the schedule's: one that a spreadsheet would take for a formula (`=`, `+`,
/// `-`, `@` first) is given a leading apostrophe, so that opening the file runs nothing.
fn csv_text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) {
        csv_field(&format!("'{value}"))
    } else {
        csv_field(value)
    }
}

/// Planned against actual as CSV: a header, then per room and day a row for each session
/// (`kind` = `session`; its overrun is how late it ended) followed by its papers (`kind` =
/// `paper`). Instants are local date-times in the event's zone, which spreadsheets read as
/// such; lengths are whole seconds. Lines end with CRLF.
pub fn csv(schedule: &Schedule, reports: &[RoomReport<'_>]) -> String {
    let zone = schedule.event().time_zone;
    let local = |instant: Option<DateTime<Utc>>| {
        instant.map_or_else(String::new, |instant| {
            instant
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
    };
    let seconds = |duration: Option<Duration>| {
        duration.map_or_else(String::new, |duration| whole_seconds(duration).to_string())
    };
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    let mut row = |fields: [String; 15]| {
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    for report in reports {
        for day in &report.days {
            for session in &day.sessions {
                let common = |kind: &str| {
                    [
                        csv_text(report.name),
                        day.day.to_string(),
                        kind.to_owned(),
                        csv_text(&session.session.id.0),
                        csv_text(session.session.display_title()),
                    ]
                };
                let [room, date, kind, session_id, title] = common("session");
                row([
                    room,
                    date,
                    kind,
                    session_id,
                    title,
                    String::new(),
                    String::new(),
                    local(Some(session.session.start)),
                    local(Some(session.session.end)),
                    local(session.start),
                    String::new(),
                    local(session.end),
                    String::new(),
                    String::new(),
                    seconds(session.late_by),
                ]);
                for paper in &session.papers {
                    let [room, date, kind, session_id, title] = common("paper");
                    row([
                        room,
                        date,
                        kind,
                        session_id,
                        title,
                        csv_text(&paper.talk.id.0),
                        csv_text(&paper.talk.title),
                        local(Some(paper.talk.start)),
                        local(Some(paper.talk.end)),
                        local(paper.actual.start),
                        local(paper.actual.questions),
                        local(paper.actual.end),
                        seconds(paper.actual.talk_length),
                        seconds(paper.actual.question_length),
                        seconds(paper.overrun),
                    ]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_from_the_plan_are_signed_and_rounded_to_the_second() {
        assert_eq!(signed(Duration::milliseconds(250_400)), "+04:10");
        assert_eq!(signed(Duration::seconds(-60)), "-01:00");
        assert_eq!(signed(Duration::milliseconds(-400)), "00:00");
        assert_eq!(length(Duration::minutes(62)), "1:02:00");
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_text("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }

    #[test]
    fn long_titles_are_cut_and_bars_escaped() {
        let long = "x".repeat(50);
        assert_eq!(title_cell(&long).chars().count(), MAX_TITLE_CHARS);
        assert_eq!(title_cell("a | b"), "a \\| b");
    }
}
