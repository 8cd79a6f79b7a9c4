//! What a desktop needs to show lectern: the desktop entries pass `desktop-file-validate`
//! (Debian's desktop-file-utils, which `.ci/run` installs), and `scripts/install-desktop.sh`
//! installs them, and an autostart entry for a room whose name needs quoting, into a home of
//! its own.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `desktop-file-validate` on `path` and fails with what it said.
fn validate(path: &Path) {
    let output = Command::new("desktop-file-validate")
        .arg(path)
        .output()
        .unwrap_or_else(|error| {
            panic!("desktop-file-validate cannot run ({error}): apt-get install desktop-file-utils")
        });
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && said.trim().is_empty(),
        "{}: {said}",
        path.display()
    );
}

#[test]
fn the_desktop_entries_are_valid() {
    validate(&root().join("assets/desktop/lectern.desktop"));
    validate(&root().join("assets/desktop/lectern-autostart.desktop"));
    let icon = std::fs::read_to_string(root().join("assets/desktop/lectern.svg")).expect("icon");
    assert!(icon.trim_start().starts_with("<svg") && icon.trim_end().ends_with("</svg>"));
}

#[test]
fn the_install_script_installs_the_entry_the_icon_and_an_autostart() {
    let home = tempfile::tempdir().expect("a home");
    let schedule = home.path().join("program.json");
    std::fs::write(&schedule, "{}").expect("a schedule file");
    let room = r#"Hall "A" $1 \ `x`"#;
    let output = Command::new("bash")
        .arg(root().join("scripts/install-desktop.sh"))
        .args(["--autostart"])
        .arg(&schedule)
        .arg(room)
        .env("HOME", home.path())
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("PREFIX")
        .output()
        .expect("the script runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let share = home.path().join(".local/share");
    assert!(share.join("applications/lectern.desktop").is_file());
    assert!(
        share
            .join("icons/hicolor/scalable/apps/lectern.svg")
            .is_file()
    );
    let autostart = home.path().join(".config/autostart/lectern.desktop");
    validate(&autostart);
    // The Exec line, unquoted as the specification says, gives back the room's name.
    let entry = std::fs::read_to_string(&autostart).expect("autostart entry");
    let exec = entry
        .lines()
        .find_map(|line| line.strip_prefix("Exec="))
        .expect("an Exec line");
    assert_eq!(
        unquote_exec(exec),
        [
            "lectern",
            schedule.to_str().expect("a path"),
            "--room",
            room,
            "--fullscreen"
        ]
    );
}

/// The arguments of an Exec value: first the string-level escapes (`\\` is a backslash), then
/// the Exec quoting (inside double quotes, a backslash takes the next character as it is).
fn unquote_exec(value: &str) -> Vec<String> {
    let mut unescaped = String::new();
    let mut characters = value.chars();
    while let Some(character) = characters.next() {
        if character == '\\' {
            match characters.next() {
                Some('\\') => unescaped.push('\\'),
                Some(other) => {
                    unescaped.push('\\');
                    unescaped.push(other);
                }
                None => unescaped.push('\\'),
            }
        } else {
            unescaped.push(character);
        }
    }
    let mut arguments = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut characters = unescaped.chars();
    while let Some(character) = characters.next() {
        match character {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(characters.next()),
            ' ' if !quoted => {
                if !current.is_empty() {
                    arguments.push(std::mem::take(&mut current));
                }
            }
            other => current.push(other),
        }
    }
    if !current.is_empty() {
        arguments.push(current);
    }
    arguments
}
