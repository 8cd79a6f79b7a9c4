//! The HotOS 2013 program as data: the transcription matches the seed page.

mod common;

use std::collections::BTreeSet;

use lectern::model::SessionKind;
use lectern::text;

fn seed() -> String {
    std::fs::read_to_string(common::data_dir().join("hotos-2013-program.txt"))
        .expect("the seed program is in tests/data")
}

/// A line such as "8:45 a.m.–9:00 a.m. Monday" or "Noon–1:30 p.m. Tuesday".
fn is_time_line(line: &str) -> bool {
    let line = line.trim();
    ["Monday", "Tuesday", "Wednesday"]
        .iter()
        .any(|day| line.ends_with(day))
        && line.contains('–')
        && (line.contains("a.m.") || line.contains("p.m.") || line.contains("oon"))
}

#[test]
fn the_transcription_has_every_day_slot_and_paper_of_the_seed() {
    let seed = seed();
    let schedule = common::hotos();
    let room = schedule.event().default_room;

    let seed_days = seed
        .lines()
        .filter(|line| line.trim().ends_with(", 2013"))
        .count();
    assert_eq!(seed_days, 3);
    assert_eq!(schedule.days(room).len(), seed_days);

    let seed_slots = seed.lines().filter(|line| is_time_line(line)).count();
    assert_eq!(seed_slots, 42);
    assert_eq!(schedule.sessions().len(), seed_slots);

    // Every paper in the seed ends with an "Available Media" marker.
    let seed_papers = seed
        .lines()
        .filter(|line| line.trim() == "Available Media")
        .count();
    assert_eq!(seed_papers, 27);
    assert_eq!(schedule.talk_count(), seed_papers);

    let paper_sessions = schedule
        .sessions()
        .iter()
        .filter(|s| s.kind == SessionKind::Talks)
        .count();
    assert_eq!(paper_sessions, 8);
    for role in ["Session Chair", "Program Chair"] {
        let in_seed = seed
            .lines()
            .filter(|line| line.starts_with(&format!("{role}:")))
            .count();
        let in_schedule = schedule
            .sessions()
            .iter()
            .filter(|session| session.chair_role == role && !session.chairs.is_empty())
            .count();
        assert_eq!(in_schedule, in_seed, "sessions with a {role}");
    }

    let authors: Vec<&str> = schedule
        .sessions()
        .iter()
        .flat_map(|session| &session.talks)
        .flat_map(|talk| &talk.speakers)
        .map(|person| person.name.as_str())
        .collect();
    assert_eq!(
        authors.len(),
        122,
        "author entries (counted by hand in the seed)"
    );
    assert_eq!(
        authors.iter().collect::<BTreeSet<_>>().len(),
        117,
        "distinct authors"
    );
    // Every author name occurs in the seed as printed, and every affiliation too.
    let seed_flat = seed.replace('\u{a0}', " ");
    for session in schedule.sessions() {
        for talk in &session.talks {
            assert!(
                seed_flat.contains(&talk.title),
                "title not in seed: {}",
                talk.title
            );
            for person in &talk.speakers {
                assert!(
                    seed_flat.contains(&person.name),
                    "name not in seed: {}",
                    person.name
                );
                let affiliation = person
                    .affiliation
                    .as_deref()
                    .expect("every HotOS author has an affiliation");
                let as_printed =
                    affiliation.replace("The University of Texas", "TheUniversity of Texas");
                assert!(
                    seed_flat.contains(affiliation) || seed_flat.contains(&as_printed),
                    "affiliation not in seed: {affiliation}"
                );
            }
        }
    }
}

#[test]
fn untitled_slots_and_items_held_elsewhere_are_kept() {
    let schedule = common::hotos();
    let untitled: Vec<&str> = schedule
        .sessions()
        .iter()
        .filter(|session| session.title.is_none())
        .map(|session| session.id.0.as_str())
        .collect();
    assert_eq!(untitled, ["mon-1615", "tue-1000", "tue-1745", "wed-1230"]);
    assert!(
        schedule
            .sessions()
            .iter()
            .filter(|s| s.title.is_none())
            .all(|s| s.display_title() == "To be announced")
    );

    let located: Vec<(&str, &str)> = schedule
        .sessions()
        .iter()
        .filter_map(|session| Some((session.display_title(), session.location.as_deref()?)))
        .collect();
    assert_eq!(
        located,
        [
            ("Continental Breakfast", "Tamaya Prefunction North"),
            ("Workshop Luncheon", "Puma"),
            ("Workshop Dinner", "Puma and Patio"),
            ("Continental Breakfast", "Tamaya Prefunction North"),
            ("Workshop Happy Hour", "Puma and Patio"),
            ("Continental Breakfast", "Tamaya Prefunction North"),
        ]
    );
    assert_eq!(
        schedule.room(schedule.event().default_room).name,
        "Tamaya FGH"
    );
    assert_eq!(schedule.event().time_zone, chrono_tz::America::Denver);
}

#[test]
fn spot_checks() {
    let schedule = common::hotos();
    let zone = schedule.event().time_zone;
    let find = |id: &str| {
        schedule
            .session_by_id(&lectern::model::SessionId(id.to_owned()))
            .map(|(_, session)| session)
            .unwrap_or_else(|| panic!("no session {id}"))
    };

    let io = find("mon-0900");
    assert_eq!(io.display_title(), "Shuffling I/O Up and Down the Stack");
    assert_eq!(
        text::people_line(&io.chairs),
        "Andrew Warfield, University of British Columbia"
    );
    assert_eq!(io.talks.len(), 4);
    assert_eq!(
        io.talks[1].title,
        "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds"
    );
    assert_eq!(
        text::people_line(&io.talks[1].speakers),
        "Jeffrey C. Mogul, Jayaram Mudigonda, Jose Renato Santos and Yoshio Turner, HP Labs"
    );
    assert_eq!(text::time_of_day(io.talks[1].start, zone), "09:15");

    // "Noon–1:30 p.m." and "11:00 a.m.–noon".
    let lunch = find("mon-1200");
    assert_eq!(
        (
            text::time_of_day(lunch.start, zone),
            text::time_of_day(lunch.end, zone)
        ),
        ("12:00".into(), "13:30".into())
    );
    let clouds = find("tue-1115");
    assert_eq!(text::time_of_day(clouds.end, zone), "12:00");

    // Affiliations that contain commas and "and".
    let tiny = &clouds.talks[0];
    assert_eq!(tiny.speakers.len(), 8);
    assert_eq!(tiny.speakers[6].name, "Scott Shenker");
    assert_eq!(
        tiny.speakers[6].affiliation.as_deref(),
        Some("University of California, Berkeley, and International Computer Science Institute")
    );
    let failure = &find("mon-1715").talks[0];
    assert_eq!(failure.speakers[4].name, "Pu Zhang");
    assert_eq!(
        failure.speakers[4].affiliation.as_deref(),
        Some("Microsoft Research Asia and Peking University")
    );

    // The abstract line that starts with "-OVERIFY" belongs to the abstract, not a new paper.
    let verify = find("tue-1600");
    assert_eq!(verify.talks.len(), 4);
    assert_eq!(
        verify.talks[1].title,
        "-OVERIFY: Optimizing Programs for Fast Verification"
    );
    let abstract_text = verify.talks[1].abstract_text.as_deref().expect("abstract");
    assert!(
        abstract_text.contains("a new kind of switch, -OVERIFY, that generates code"),
        "{abstract_text}"
    );

    // The typo "TheUniversity" is corrected.
    let augmented = &find("wed-0830").talks[0];
    assert_eq!(
        augmented.speakers[1].affiliation.as_deref(),
        Some("The University of Texas at Austin")
    );

    // Times are Mountain Daylight Time.
    assert_eq!(
        schedule.first_start().to_rfc3339(),
        "2013-05-13T14:15:00+00:00"
    );
}
