//! The `lectern` command as a user runs it.

mod common;

use std::process::{Command, Output};

fn lectern(args: &[&str]) -> Output {
    // A settings file on the machine running the tests must not change what they see.
    Command::new(env!("CARGO_BIN_EXE_lectern"))
        .env("XDG_CONFIG_HOME", "/nonexistent/lectern-tests")
        .args(args)
        .output()
        .expect("the lectern binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn now_at_0920_prints_the_paper_its_authors_and_the_time_left() {
    let output = lectern(&["now", "--at", "2013-05-13T09:20"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("Paper 2 of 4: The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds"),
        "{text}"
    );
    assert!(
        text.contains(
            "Jeffrey C. Mogul, Jayaram Mudigonda, Jose Renato Santos and Yoshio Turner, HP Labs"
        ),
        "{text}"
    );
    assert!(text.contains("10:00 left"), "{text}");
    assert!(
        text.contains("Next: Open Mike at 10:00 (in 40:00)"),
        "{text}"
    );
}

#[test]
fn now_as_json() {
    let output = lectern(&["now", "--at", "2013-05-13T09:20:00-06:00", "--json"]);
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(value["state"], "live");
    assert_eq!(
        value["live"]["talk"]["title"],
        "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds"
    );
    assert_eq!(value["live"]["remaining_seconds"], 600);
    assert_eq!(value["live"]["phase"], "on_time");
    assert_eq!(value["next"]["session"]["title"], "Open Mike");
}

#[test]
fn check_prints_each_error_fixture_and_exits_1() {
    let mut folder: Vec<_> = std::fs::read_dir(common::data_dir().join("err"))
        .expect("err fixtures")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    folder.sort();
    for path in folder {
        let output = lectern(&["check", path.to_str().expect("utf-8 path")]);
        assert_eq!(output.status.code(), Some(1), "{}", path.display());
        let expected =
            std::fs::read_to_string(path.with_extension("expected")).expect("expected file");
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        // The CLI names the file by the path it was given; the expected text by its name.
        let printed = stdout(&output).replace(&path.display().to_string(), name);
        assert_eq!(
            printed.trim_end(),
            expected.trim_end(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn check_of_a_valid_schedule_exits_0_and_summarises_it() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schedules/hotos-2013.json");
    let output = lectern(&["check", path.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).contains("ok: 42 sessions, 27 talks, 1 room, 0 warnings"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn rooms_and_agenda() {
    let overlap = common::data_dir().join("ok/overlap.json");
    let overlap = overlap.to_str().expect("utf-8 path");
    let output = lectern(&["rooms", overlap]);
    assert_eq!(
        stdout(&output),
        "Main (default): 3 sessions\nSide Room [Side]: 1 session\n"
    );
    let output = lectern(&["agenda", "--day", "2013-05-14"]);
    let text = stdout(&output);
    assert!(text.contains("Tuesday 14 May 2013"), "{text}");
    assert!(!text.contains("Monday"), "{text}");
    assert!(text.contains("12:30–15:30  Take a HotOS Hike!"), "{text}");
}

#[test]
fn errors_are_one_clear_message_and_a_non_zero_exit() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["now", "--room", "Ballroom"],
            "no room named `Ballroom` in this schedule; the rooms are: Tamaya FGH",
        ),
        (
            &["now", "--at", "tomorrow"],
            "--at: `tomorrow` is not a date-time",
        ),
        (
            &["now", "no-such-file.json"],
            "no-such-file.json: the schedule file does not exist",
        ),
        (
            &["now", "--warning", "1", "--danger", "3"],
            "the danger threshold (3 min, from --danger on the command line) must not be more than the warning threshold (1 min, from --warning on the command line)",
        ),
    ];
    for (args, message) in cases {
        let output = lectern(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{stderr}"
        );
    }
}

#[test]
fn check_takes_the_year_of_a_usenix_page_from_the_year_option() {
    let page = common::data_dir()
        .join("import")
        .join("usenix_hotos_2017.txt");
    let page = page.to_str().expect("a UTF-8 path");
    let output = lectern(&["check", page, "--timezone", "Europe/Zurich"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains(":4:1: error: expected a year"), "{text}");
    assert!(text.contains("--year"), "{text}");

    let output = lectern(&[
        "check",
        page,
        "--timezone",
        "Europe/Zurich",
        "--year",
        "2017",
    ]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("ok: 9 sessions, 9 talks"), "{text}");
    assert!(text.contains("2017-05-07 18:00"), "{text}");
}

/// The chair's log of a Monday morning written by hand in the log's format: a late first
/// paper, every paper moved on by the chair, Open Mike opened late and handed back to the
/// program, and a last line cut short by a crash.
fn monday_log() -> String {
    common::data_dir()
        .join("log")
        .join("hotos-monday.log.jsonl")
        .to_str()
        .expect("a UTF-8 path")
        .to_owned()
}

/// A CSV reader written from RFC 4180 for the test: quoted fields, doubled quotes, CRLF.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(character) = chars.next() {
        match (quoted, character) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, other) => field.push(other),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, other) => field.push(other),
        }
    }
    rows
}

#[test]
fn report_prints_planned_against_actual_as_markdown() {
    let output = lectern(&["report", "--log", &monday_log()]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for expected in [
        "# HotOS XIV: planned against actual",
        "## Tamaya FGH, Monday 13 May 2013",
        "| Shuffling I/O Up and Down the Stack    | 09:00–10:00 | 09:01:30 | 10:02:40 | +02:40  |",
        "| 1 | We Need to Talk About NICs               | 09:00–09:15 | 09:01:30 | 09:17:10 | 15:40 | +02:10  |",
        "| 3 | Virtualize Storage, Not Disks            | 09:30–09:45 | 09:33:10 | 09:47:00 | 13:50 | +02:00  |",
        "- Monday 13 May 2013, Shuffling I/O Up and Down the Stack: 02:40 late (ended 10:02:40, planned 10:00)",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    // Every line of a table is as wide as its header.
    for table in text.split("\n\n").filter(|block| block.starts_with('|')) {
        let widths: Vec<usize> = table.lines().map(|line| line.chars().count()).collect();
        assert!(widths.windows(2).all(|pair| pair[0] == pair[1]), "{table}");
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("hotos-monday.log.jsonl:26: warning: the last line is incomplete"),
        "{stderr}"
    );
}

#[test]
fn report_as_csv_opens_in_a_spreadsheet() {
    let output = lectern(&["report", "--log", &monday_log(), "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.ends_with("\r\n"));
    let rows = csv_rows(&text);
    assert_eq!(rows[0], lectern::planned::CSV_HEADER);
    assert!(rows.iter().all(|row| row.len() == rows[0].len()));
    let column = |name: &str| {
        rows[0]
            .iter()
            .position(|header| header == name)
            .expect("a column")
    };
    let find = |kind: &str, id: &str| {
        let id_column = column(if kind == "paper" {
            "paper_id"
        } else {
            "session_id"
        });
        rows.iter()
            .find(|row| row[column("kind")] == kind && row[id_column] == id)
            .unwrap_or_else(|| panic!("no {kind} {id}"))
    };
    let storage = find("paper", "virtualize-storage-not-disks");
    assert_eq!(storage[column("paper")], "Virtualize Storage, Not Disks");
    assert_eq!(
        storage[column("session")],
        "Shuffling I/O Up and Down the Stack"
    );
    assert_eq!(storage[column("planned_start")], "2013-05-13 09:30:00");
    assert_eq!(storage[column("actual_start")], "2013-05-13 09:33:10");
    assert_eq!(storage[column("actual_end")], "2013-05-13 09:47:00");
    assert_eq!(storage[column("talk_seconds")], "830");
    assert_eq!(storage[column("questions_seconds")], "0");
    assert_eq!(storage[column("overrun_seconds")], "120");
    let session = find("session", "mon-0900");
    assert_eq!(session[column("actual_start")], "2013-05-13 09:01:30");
    assert_eq!(session[column("overrun_seconds")], "160");
    let unseen = find("session", "mon-1430");
    assert_eq!(unseen[column("actual_start")], "");
}

#[test]
fn report_as_json() {
    let output = lectern(&["report", "--log", &monday_log(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(value["time_zone"], "America/Denver");
    let room = &value["rooms"][0];
    assert_eq!(room["room"], "Tamaya FGH");
    assert_eq!(room["ended_late"][0]["session_id"], "mon-0900");
    assert_eq!(room["ended_late"][0]["late_by_seconds"], 160);
    assert_eq!(
        room["ended_late"][0]["actual_end"],
        "2013-05-13T10:02:40-06:00"
    );
    let session = room["days"][0]["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .find(|session| session["id"] == "mon-0900")
        .expect("the first paper session");
    let first = &session["papers"][0];
    assert_eq!(first["planned_start"], "2013-05-13T09:00:00-06:00");
    assert_eq!(first["actual_start"], "2013-05-13T09:01:30-06:00");
    assert_eq!(first["talk_seconds"], 940);
    assert_eq!(first["overrun_seconds"], 130);
}

#[test]
fn report_finds_the_log_lectern_keeps_in_the_state_directory() {
    let folder = tempfile::tempdir().expect("temp dir");
    let report = || {
        Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["report", "--room", "FGH", "--day", "2013-05-13"])
            .env("XDG_STATE_HOME", folder.path())
            .output()
            .expect("the lectern binary runs")
    };
    let output = report();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: no chair's log for"), "{stderr}");
    assert!(stderr.contains("give --log FILE"), "{stderr}");
    // It says where it looked: put the log there, and it is found.
    let looked = stderr
        .split(" at ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("a path");
    assert!(
        looked.starts_with(&folder.path().display().to_string()),
        "{looked}"
    );
    assert!(looked.ends_with(".log.jsonl"), "{looked}");
    std::fs::create_dir_all(std::path::Path::new(looked).parent().expect("folder"))
        .expect("folder");
    std::fs::copy(monday_log(), looked).expect("copy");
    let output = report();
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("| 09:01:30 | 10:02:40 | +02:40"));
}

#[test]
fn report_errors_are_one_clear_line() {
    let output = lectern(&["report", "--log", "no-such.log.jsonl"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: no-such.log.jsonl: no chair's log here"),
        "{stderr}"
    );
    let output = lectern(&["report", "--log", &monday_log(), "--room", "Ballroom"]);
    assert_eq!(output.status.code(), Some(2));
    // A day without entries still shows its plan, with nothing actual.
    let output = lectern(&["report", "--log", &monday_log(), "--day", "2013-05-14"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("Tuesday 14 May 2013"), "{text}");
    assert!(!text.contains("Monday"), "{text}");
}

#[test]
fn the_version_names_the_revision_it_was_built_from() {
    let output = lectern(&["--version"]);
    assert!(output.status.success());
    let printed = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned());
    let revision = head.unwrap_or_else(|| "unknown revision".to_owned());
    assert_eq!(
        printed,
        format!("lectern {} ({revision})", env!("CARGO_PKG_VERSION"))
    );
}
