//! USENIX program pages of other years and layouts (`tests/data/import/usenix_*.txt`, origins
//! in `tests/data/import/README.md`): each imports, and for several the sessions, chairs,
//! papers and authors are checked against what the page says.

mod common;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use lectern::diagnostic::Location;
use lectern::formats::{LoadOptions, load_bytes};
use lectern::model::{Person, Schedule, Session, SessionId, SessionKind};

const DENVER: Tz = chrono_tz::America::Denver;

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(common::data_dir().join("import").join(name)).expect("fixture exists")
}

fn options(year: Option<i32>) -> LoadOptions {
    LoadOptions {
        format: None,
        time_zone: Some(DENVER),
        year,
    }
}

fn load(name: &str, year: Option<i32>) -> Schedule {
    match load_bytes(&bytes(name), &options(year)) {
        Ok(loaded) => loaded.schedule,
        Err(error) => panic!("{name} should load:\n{}", error.render(name)),
    }
}

fn session<'a>(schedule: &'a Schedule, id: &str) -> &'a Session {
    schedule
        .session_by_id(&SessionId(id.to_owned()))
        .map(|(_, session)| session)
        .unwrap_or_else(|| panic!("no session {id}"))
}

fn local(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&DENVER)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn people(list: &[Person]) -> Vec<(&str, Option<&str>)> {
    list.iter()
        .map(|person| (person.name.as_str(), person.affiliation.as_deref()))
        .collect()
}

fn titles(session: &Session) -> Vec<&str> {
    session
        .talks
        .iter()
        .map(|talk| talk.title.as_str())
        .collect()
}

/// The saved pages, with the `--year` that those naming no year anywhere need.
const PAGES: &[(&str, Option<i32>)] = &[
    ("usenix_nsdi_2015.txt", None),
    ("usenix_osdi_2008.txt", None),
    ("usenix_osdi_2010.txt", Some(2010)),
    ("usenix_atc_2009.txt", None),
    ("usenix_fast_2012.txt", Some(2012)),
    ("usenix_osdi_2014.txt", None),
    ("usenix_hotos_2017.txt", Some(2017)),
    ("usenix_hotos_2003.txt", None),
];

#[test]
fn every_saved_page_imports_as_a_usenix_page() {
    for &(name, year) in PAGES {
        let bytes = bytes(name);
        assert_eq!(
            lectern::formats::Format::detect(&bytes),
            Some(lectern::formats::Format::Usenix),
            "{name}"
        );
        let schedule = load(name, year);
        assert!(!schedule.sessions().is_empty(), "{name}");
    }
}

#[test]
fn osdi_2008_a_table_page_whose_year_is_in_a_sentence() {
    // The day headers say "Monday, December 8"; the year comes from "beginning December 8,
    // 2008".
    let schedule = load("usenix_osdi_2008.txt", None);
    let ids: Vec<&str> = schedule
        .sessions()
        .iter()
        .map(|s| s.id.0.as_str())
        .collect();
    assert_eq!(ids, ["mon-0845", "mon-0900", "mon-1030"]);

    let opening = session(&schedule, "mon-0845");
    assert_eq!(opening.title.as_deref(), Some("Opening Remarks"));
    assert_eq!(local(opening.start), "2008-12-08 08:45");
    assert_eq!(opening.chair_role, "Program Co-Chairs");
    assert_eq!(
        people(&opening.chairs),
        [
            ("Richard Draves", Some("Microsoft Research")),
            ("Robbert van Renesse", Some("Cornell University")),
        ]
    );

    let cloud = session(&schedule, "mon-0900");
    assert_eq!(cloud.title.as_deref(), Some("Cloud Computing"));
    assert_eq!(cloud.kind, SessionKind::Talks);
    assert_eq!(
        people(&cloud.chairs),
        [("Marvin Theimer", Some("Amazon.com"))]
    );
    // The award badge is not part of the title; the "Paper in HTML | PDF" links are not
    // abstracts.
    assert_eq!(
        titles(cloud),
        [
            "DryadLINQ: A System for General-Purpose Distributed Data-Parallel Computing Using a High-Level Language",
            "Everest: Scaling Down Peak Loads Through I/O Off-Loading",
            "Improving MapReduce Performance in Heterogeneous Environments",
        ]
    );
    assert!(cloud.talks.iter().all(|talk| talk.abstract_text.is_none()));
    let dryad = &cloud.talks[0].speakers;
    assert_eq!(dryad.len(), 7);
    assert_eq!(
        people(&dryad[4..5]),
        [(
            "Úlfar Erlingsson",
            Some("Reykjavík University, Iceland, and Microsoft Research Silicon Valley")
        )]
    );
    assert_eq!(cloud.talks[2].speakers.len(), 5);
    assert_eq!(cloud.talks[2].speakers[4].name, "Ion Stoica");

    let pause = session(&schedule, "mon-1030");
    assert_eq!(pause.title.as_deref(), Some("Break"));
    assert_eq!(local(pause.end), "2008-12-08 11:00");
}

#[test]
fn hotos_2017_a_sigops_page_with_24_hour_times_and_affiliations_in_parentheses() {
    let schedule = load("usenix_hotos_2017.txt", Some(2017));
    assert_eq!(schedule.sessions().len(), 9);
    assert_eq!(schedule.talk_count(), 9);
    assert_eq!(schedule.rooms()[0].name, "Macdonald E/F");

    let reception = session(&schedule, "sun-1800");
    assert_eq!(
        reception.title.as_deref(),
        Some("Arrival reception (snacks and bar)")
    );
    assert_eq!(local(reception.start), "2017-05-07 18:00");
    assert_eq!(local(reception.end), "2017-05-07 21:00");

    let chairs: Vec<(&str, Option<&str>, Vec<&str>)> = schedule
        .sessions()
        .iter()
        .filter(|s| !s.chairs.is_empty())
        .map(|s| {
            (
                s.id.0.as_str(),
                s.title.as_deref(),
                s.chairs.iter().map(|c| c.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        chairs,
        [
            ("mon-0900", Some("Cloud Services"), vec!["Andy Warfield"]),
            (
                "mon-1100",
                Some("Cloud Services and ML"),
                vec!["Derek Murray"]
            ),
            ("mon-1600", Some("Inconsistency"), vec!["Kim Keeton"]),
        ]
    );

    let cloud = session(&schedule, "mon-0900");
    assert_eq!(
        titles(cloud),
        [
            "Thinking about Availability in Large Service Infrastructures",
            "Gray Failure: The Achilles' Heel of Cloud-Scale Systems",
            "Verification in the Age of Microservices",
        ]
    );
    assert_eq!(
        people(&cloud.talks[0].speakers),
        [
            ("Jeffrey C. Mogul", Some("Google")),
            ("Rebecca Isaacs", Some("Google")),
            ("Brent Welch", Some("Google")),
        ]
    );
    let gray = &cloud.talks[1].speakers;
    assert_eq!(gray.len(), 7);
    assert_eq!(
        people(&gray[..2]),
        [
            ("Peng Huang", Some("Microsoft Research, JHU")),
            ("Chuanxiong Guo", Some("Microsoft Research")),
        ]
    );
    assert_eq!(
        people(&gray[6..]),
        [("Randolph Yao", Some("Microsoft Azure"))]
    );
    assert_eq!(
        people(&cloud.talks[2].speakers),
        [
            ("Aurojit Panda", Some("UC Berkeley")),
            ("Mooly Sagiv", Some("Tel Aviv University")),
            ("Scott Shenker", Some("UC Berkeley/ICSI")),
        ]
    );

    let inconsistency = session(&schedule, "mon-1600");
    assert_eq!(local(inconsistency.end), "2017-05-08 17:30");
    let lifespan = &inconsistency.talks[2];
    assert_eq!(lifespan.title, "Flash Drive Lifespan *is* a Problem");
    assert_eq!(
        people(&lifespan.speakers[1..2]),
        [(
            "Aviad Zuck",
            Some("Technion - Israel Institute of Technology")
        )]
    );
    assert_eq!(session(&schedule, "mon-1230").kind, SessionKind::Meal);
    assert_eq!(session(&schedule, "mon-1730").kind, SessionKind::Break);
}

#[test]
fn nsdi_2015_the_newer_layout_with_am_and_pm() {
    let schedule = load("usenix_nsdi_2015.txt", None);
    assert_eq!(schedule.event().short_name, "NSDI '15");
    assert_eq!(schedule.rooms()[0].name, "Grand Ballroom");
    assert_eq!(schedule.sessions().len(), 3);

    let breakfast = session(&schedule, "mon-0800");
    assert_eq!(breakfast.title.as_deref(), Some("Continental Breakfast"));
    assert_eq!(breakfast.location.as_deref(), Some("Atrium Foyer"));
    assert_eq!(local(breakfast.start), "2015-05-04 08:00");

    let opening = session(&schedule, "mon-0830");
    assert_eq!(
        people(&opening.chairs),
        [
            ("Paul Barham", Some("Google")),
            ("Arvind Krishnamurthy", Some("University of Washington")),
        ]
    );

    let datacenters = session(&schedule, "mon-0840");
    assert_eq!(local(datacenters.end), "2015-05-04 10:20");
    assert_eq!(
        people(&datacenters.chairs),
        [("Changhoon Kim", Some("Barefoot Networks"))]
    );
    assert_eq!(
        titles(datacenters),
        ["Queues Don’t Matter When You Can JUMP Them!"]
    );
    let qjump = &datacenters.talks[0];
    assert_eq!(qjump.speakers.len(), 7);
    assert!(
        qjump
            .speakers
            .iter()
            .all(|p| p.affiliation.as_deref() == Some("University of Cambridge"))
    );
    assert_eq!(qjump.speakers[6].name, "Jon Crowcroft");
    let abstract_text = qjump.abstract_text.as_deref().unwrap_or_default();
    assert!(
        abstract_text.starts_with("QJUMP is a simple"),
        "{abstract_text}"
    );
    assert!(!abstract_text.contains("Awarded"), "{abstract_text}");
}

#[test]
fn osdi_2010_needs_the_year_and_says_where() {
    let error = load_bytes(&bytes("usenix_osdi_2010.txt"), &options(None))
        .expect_err("the page names no year");
    let first = error.errors().next().expect("an error");
    assert_eq!(
        first.location,
        Location::LineColumn {
            line: 33,
            column: 3
        }
    );
    let message = error.render("osdi10.txt");
    assert!(message.contains("expected a year"), "{message}");
    assert!(message.contains("--year"), "{message}");

    let schedule = load("usenix_osdi_2010.txt", Some(2010));
    assert_eq!(schedule.rooms()[0].name, "British Columbia Ballroom");
    let breakfast = session(&schedule, "mon-0730");
    assert_eq!(breakfast.title.as_deref(), Some("Continental Breakfast"));
    assert_eq!(
        breakfast.location.as_deref(),
        Some("British Columbia Foyer")
    );
    assert_eq!(local(breakfast.start), "2010-10-04 07:30");
    let opening = session(&schedule, "mon-0830");
    assert_eq!(
        people(&opening.chairs),
        [
            (
                "Remzi Arpaci-Dusseau",
                Some("University of Wisconsin, Madison")
            ),
            ("Brad Chen", Some("Google, Inc.")),
        ]
    );
    let kernels = session(&schedule, "mon-0900");
    assert_eq!(
        kernels.title.as_deref(),
        Some("Kernels: Past, Present, and Future")
    );
    assert_eq!(
        people(&kernels.chairs),
        [("Hank Levy", Some("University of Washington"))]
    );
    assert_eq!(
        titles(kernels),
        [
            "An Analysis of Linux Scalability to Many Cores",
            "Trust and Protection in the Illinois Browser Operating System",
        ]
    );
    assert_eq!(kernels.talks[0].speakers.len(), 7);
    assert_eq!(kernels.talks[1].speakers[2].name, "Samuel T. King");
}

#[test]
fn a_year_that_disagrees_with_the_weekdays_is_refused_at_the_header() {
    // 7 May 2018 is a Monday, not a Sunday.
    let error =
        load_bytes(&bytes("usenix_hotos_2017.txt"), &options(Some(2018))).expect_err("wrong year");
    let first = error.errors().next().expect("an error");
    assert_eq!(first.location, Location::LineColumn { line: 4, column: 1 });
    let message = error.render("hotos.txt");
    assert!(message.contains("is a Monday in 2018"), "{message}");
    // A year the header names itself wins over --year.
    let schedule = load("usenix_nsdi_2015.txt", Some(1999));
    assert_eq!(
        schedule.conference_day(schedule.first_start()),
        NaiveDate::from_ymd_opt(2015, 5, 4).expect("date")
    );
}

#[test]
fn at_a_glance_pages_give_times_titles_and_places() {
    let schedule = load("usenix_fast_2012.txt", Some(2012));
    assert_eq!(schedule.sessions().len(), 24);
    assert_eq!(schedule.talk_count(), 0);
    let t1 = session(&schedule, "tue-0900");
    assert_eq!(
        t1.title.as_deref(),
        Some("T1: Clustered and Parallel Storage System Technologies (Welch)")
    );
    assert_eq!(t1.location.as_deref(), Some("Garden"));
    assert_eq!(local(t1.start), "2012-02-14 09:00");
    let t2 = session(&schedule, "tue-0900-2");
    assert_eq!(t2.location.as_deref(), Some("Club Regent"));
    let lunch = session(&schedule, "thu-1220");
    assert_eq!(lunch.title.as_deref(), Some("Lunch (on your own)"));
    assert_eq!(lunch.location, None);

    // The year of OSDI '14 comes from the short name in the page.
    let schedule = load("usenix_osdi_2014.txt", None);
    assert_eq!(schedule.sessions().len(), 25);
    let pickup = session(&schedule, "sat-1700");
    assert_eq!(
        pickup.title.as_deref(),
        Some("Pre-registered Badge Pick-up Lobby")
    );
    assert_eq!(local(pickup.start), "2014-10-04 17:00");
    assert_eq!(local(pickup.end), "2014-10-04 19:00");
}

#[test]
fn atc_2009_takes_the_year_from_a_sentence() {
    let schedule = load("usenix_atc_2009.txt", None);
    assert_eq!(schedule.event().short_name, "USENIX '09");
    let breakfast = session(&schedule, "wed-0830");
    assert_eq!(breakfast.title.as_deref(), Some("Continental Breakfast"));
    assert_eq!(breakfast.location.as_deref(), Some("Atlas Foyer"));
    assert_eq!(local(breakfast.start), "2009-06-17 08:30");
    let keynote = session(&schedule, "wed-0900");
    assert_eq!(keynote.location, None);
    assert_eq!(
        people(&keynote.chairs),
        [
            (
                "Geoffrey M. Voelker",
                Some("University of California, San Diego")
            ),
            ("Alec Wolman", Some("Microsoft Research")),
        ]
    );
    let last = keynote.talks.last().expect("the keynote");
    assert_eq!(last.speakers[0].name, "James Hamilton");
}

#[test]
fn a_time_line_before_any_day_header_is_located() {
    let text = "Workshop\n\n  | 9:00 a.m.–10:30 a.m. | Monday |\nMonday, May 13, 2013\n9:00 a.m.–10:30 a.m.\n";
    let error = load_bytes(text.as_bytes(), &options(None)).expect_err("no day yet");
    let first = error.errors().next().expect("an error");
    assert_eq!(first.location, Location::LineColumn { line: 3, column: 5 });
    assert!(
        first.message.contains("expected a day header"),
        "{}",
        first.message
    );
}

#[test]
fn hotos_2003_hyphens_colons_and_chairs_in_parentheses_on_a_usenix_page() {
    let schedule = load("usenix_hotos_2003.txt", None);
    assert_eq!(schedule.event().short_name, "HotOS '03");
    assert_eq!(schedule.sessions().len(), 9);
    assert_eq!(schedule.talk_count(), 9);
    let registration = session(&schedule, "sun-1800");
    assert_eq!(registration.title.as_deref(), Some("Registration"));
    assert_eq!(local(registration.end), "2003-05-18 21:00");
    let clothes = session(&schedule, "mon-1045");
    assert_eq!(clothes.title.as_deref(), Some("The Emperor's Clothes"));
    assert_eq!(local(clothes.end), "2003-05-19 12:55");
    assert_eq!(people(&clothes.chairs), [("Steve Gribble", None)]);
    assert_eq!(clothes.talks.len(), 4);
    assert_eq!(
        people(&clothes.talks[1].speakers),
        [
            ("Anjali Gupta", Some("MIT Laboratory for Computer Science")),
            (
                "Barbara Liskov",
                Some("MIT Laboratory for Computer Science")
            ),
            (
                "Rodrigo Rodrigues",
                Some("MIT Laboratory for Computer Science")
            ),
        ]
    );
    let stack = session(&schedule, "mon-1430");
    assert_eq!(people(&stack.chairs), [("Geoff Voelker", None)]);
    assert_eq!(
        people(&stack.talks[1].speakers),
        [
            ("Parveen Patel", Some("University of Utah")),
            ("David Wetherall", Some("University of Washington")),
            ("Jay Lepreau", Some("University of Utah")),
            ("Andrew Whitaker", Some("University of Washington")),
        ]
    );
}
