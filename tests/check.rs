//! Golden tests of schedule validation: every file in `tests/data/ok/` loads, every file in
//! `tests/data/err/` is refused, and what lectern says about each matches the `.expected`
//! file beside it. Run with `UPDATE_EXPECT=1` to rewrite the expected files after a deliberate
//! change of wording, then review the diff.

mod common;

use std::fs;
use std::path::Path;

use lectern::formats::LoadOptions;
use lectern::source::{SourceError, load_file};

fn fixtures(folder: &str) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = fs::read_dir(common::data_dir().join(folder))
        .expect("fixture folder exists")
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {folder}");
    paths
}

/// What `lectern check` reports for a file, with the path shortened to the file name.
fn findings(path: &Path) -> (bool, String) {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 name");
    let shown = Path::new(name);
    match load_file(path, &LoadOptions::default()) {
        Ok(loaded) => (
            true,
            loaded
                .warnings
                .iter()
                .map(|warning| warning.render(&shown.display().to_string()))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Err(SourceError::Invalid { error, .. }) => (false, error.render(name)),
        Err(other) => (false, other.to_string()),
    }
}

/// Compares what lectern says about `path` with its `.expected` file.
fn check(path: &Path, should_load: bool) {
    let (loaded, actual) = findings(path);
    assert_eq!(
        loaded,
        should_load,
        "{}: loaded = {loaded}; findings:\n{actual}",
        path.display()
    );
    let expected_path = path.with_extension("expected");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(&expected_path, format!("{actual}\n")).expect("write expected file");
        return;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_EXPECT=1",
            expected_path.display()
        )
    });
    assert_eq!(
        actual.trim_end(),
        expected.trim_end(),
        "findings for {}",
        path.display()
    );
}

#[test]
fn valid_schedules_load_with_the_expected_warnings() {
    for path in fixtures("ok") {
        check(&path, true);
    }
}

#[test]
fn invalid_schedules_are_refused_with_the_expected_errors() {
    for path in fixtures("err") {
        check(&path, false);
        let (_, actual) = findings(&path);
        assert!(
            actual.contains(": error: "),
            "{}: no error line in\n{actual}",
            path.display()
        );
    }
}

#[test]
fn a_file_over_32_mib_is_refused_without_being_read() {
    let folder = std::env::temp_dir().join(format!("lectern-big-{}", std::process::id()));
    fs::create_dir_all(&folder).expect("temp folder");
    let path = folder.join("huge.json");
    let file = fs::File::create(&path).expect("create");
    // A sparse file: it costs no disk space, but reports its full size.
    file.set_len(33 * 1024 * 1024).expect("set_len");
    let (loaded, actual) = findings(&path);
    fs::remove_dir_all(&folder).ok();
    assert!(!loaded);
    assert_eq!(
        actual,
        "huge.json: error: the file is 33.0 MiB, more than the 32 MiB a schedule may have\n  \
         help: check that this is the schedule file; a program of 10,000 sessions takes about 5 MiB"
    );
}

#[test]
fn a_missing_file_says_so() {
    let path = common::data_dir().join("no-such-schedule.json");
    let error = load_file(&path, &LoadOptions::default()).expect_err("missing file");
    assert!(matches!(error, SourceError::Missing { .. }), "{error}");
    assert!(error.to_string().contains("does not exist"), "{error}");
}

#[test]
fn the_example_in_the_format_documentation_loads() {
    let documentation =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schedule-format.md"))
            .expect("docs/schedule-format.md");
    let start = documentation.find("```json\n").expect("a JSON example") + "```json\n".len();
    let length = documentation[start..]
        .find("```")
        .expect("the example ends");
    let example = &documentation[start..start + length];
    let loaded = lectern::formats::load_bytes(example.as_bytes(), &LoadOptions::default())
        .unwrap_or_else(|error| {
            panic!(
                "the documented example is invalid:\n{}",
                error.render("example")
            )
        });
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let schedule = loaded.schedule;
    assert_eq!(schedule.rooms().len(), 2);
    // The documented talk-time rule: 60 minutes, one talk of 20, two share the other 40.
    let (_, session) = schedule
        .session_by_id(&lectern::model::SessionId("mon-0900".to_owned()))
        .expect("session");
    let minutes: Vec<i64> = session
        .talks
        .iter()
        .map(|talk| talk.duration().num_minutes())
        .collect();
    assert_eq!(minutes, [20, 20, 20]);
}

#[test]
fn many_overlaps_in_a_room_are_reported_once_past_the_first_twenty() {
    let sessions: Vec<String> = (0..30)
        .map(|index| {
            format!(
                r#"{{"id": "copy-{index}", "start": "2030-01-01T09:00", "end": "2030-01-01T10:00"}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"version": 1, "event": {{"name": "x", "time_zone": "UTC"}}, "rooms": ["A"], "sessions": [{}]}}"#,
        sessions.join(", ")
    );
    let loaded = lectern::formats::native::load(&text).expect("overlaps are warnings");
    assert_eq!(loaded.warnings.len(), 21);
    let last = loaded.warnings[20].render("many.json");
    assert!(
        last.starts_with(
            "many.json:sessions[21].start: warning: 9 more sessions overlap others in room A, the first `copy-21`"
        ),
        "{last}"
    );
}
