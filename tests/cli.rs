//! The `lectern` command as a user runs it.

mod common;

use std::process::{Command, Output};

fn lectern(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lectern"))
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
            "--danger (3 min) must not be more than --warning (1 min)",
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
