//! What changed between two versions of a real export (the Chaos Communication Camp 2019
//! frab `schedule.json`), edited the way a program committee edits it: a talk moved to another
//! room and hour, one retitled (its talk id follows its title), a speaker replaced, a talk
//! cancelled and a new one added.

use lectern::formats::{LoadOptions, load_bytes};
use lectern::model::Schedule;
use lectern::schedule_diff::{Change, SUMMARY_LINES, diff};
use serde_json::{Value, json};

const CAMP: &str = include_str!("data/import/frab_camp2019_schedule.json");

fn load(value: &Value) -> Schedule {
    load_bytes(value.to_string().as_bytes(), &LoadOptions::default())
        .expect("the export loads")
        .schedule
}

/// The events of day `day` (0-based) in `room`.
fn events<'v>(value: &'v mut Value, day: usize, room: &str) -> &'v mut Vec<Value> {
    value["schedule"]["conference"]["days"][day]["rooms"][room]
        .as_array_mut()
        .expect("the room's events")
}

#[test]
fn a_committees_edits_to_a_real_export_are_each_said_once() {
    let old: Value = serde_json::from_str(CAMP).expect("JSON");
    let mut new = old.clone();
    // "card10 Badge" moves from Curie at 12:00 to Meitner at 14:00 on the first day.
    let mut moved = events(&mut new, 0, "Curie").remove(1);
    moved["room"] = json!("Meitner");
    moved["date"] = json!("2019-08-21T14:00:00+02:00");
    moved["start"] = json!("14:00");
    events(&mut new, 0, "Meitner").push(moved);
    // The opening ceremony gets a new title and a new speaker.
    let opening = &mut events(&mut new, 0, "Curie")[0];
    opening["title"] = json!("Opening Ceremony and Welcome");
    opening["persons"] =
        json!([{"id": 1, "public_name": "jinxx"}, {"id": 2, "public_name": "Ada"}]);
    // A talk is cancelled, and another added in its hour.
    let cancelled = events(&mut new, 1, "Meitner").remove(3);
    let mut added = cancelled.clone();
    added["guid"] = json!("00000000-0000-4000-8000-000000000001");
    added["id"] = json!(99999);
    // The title shown also carries the subtitle, which stays.
    added["title"] = json!("A Late Addition");
    events(&mut new, 1, "Meitner").push(added);

    let (old, new) = (load(&old), load(&new));
    let changes = diff(&old, &new);
    let counts = changes.counts();
    assert_eq!(counts.sessions_moved, 1, "{changes:#?}");
    assert_eq!(counts.sessions_retitled, 1, "{changes:#?}");
    assert_eq!(counts.sessions_added, 1, "{changes:#?}");
    assert_eq!(counts.sessions_removed, 1, "{changes:#?}");
    assert_eq!(counts.speakers_changed, 1, "{changes:#?}");
    // The retitled event's talk is the same talk (its id is its title's slug): said once, with
    // the session, and neither added nor removed.
    assert_eq!(
        (
            counts.talks_added,
            counts.talks_removed,
            counts.talks_retitled
        ),
        (0, 0, 0),
        "{changes:#?}"
    );
    assert_eq!(changes.changes.len(), 5, "{changes:#?}");

    let zone = new.event().time_zone;
    let lines = changes.summary(zone, SUMMARY_LINES);
    assert_eq!(
        lines[0],
        "1 session added, 1 session removed, 1 session moved, 1 session retitled; new speakers for 1 talk"
    );
    assert!(
        lines.contains(
            &"Moved: card10 Badge: Wed 12:00–12:45, Curie → Wed 14:00–14:45, Meitner".to_owned()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"Retitled: \"Opening Ceremony\" → \"Opening Ceremony and Welcome\"".to_owned()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.contains(
            &"Speakers of Opening Ceremony and Welcome: jinxx and smtw → jinxx and Ada".to_owned()
        ),
        "{lines:#?}"
    );
    assert!(
        changes.changes.iter().any(
            |change| matches!(change, Change::SessionAdded { title, .. } if title.starts_with("A Late Addition"))
        ),
        "{changes:#?}"
    );
}

#[test]
fn a_reexport_without_edits_has_no_changes() {
    let value: Value = serde_json::from_str(CAMP).expect("JSON");
    assert!(diff(&load(&value), &load(&value)).is_empty());
}
