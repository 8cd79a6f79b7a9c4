//! How long a saved schedule takes to reach the app: from the return of the write to the new
//! schedule being applied in the app's state, through the same code path as the window (the
//! watcher's thread reads and parses, the app applies the update on its next frame).
//!
//! Rewrites the HotOS program 200 times, alternating in-place writes and atomic saves (temporary
//! file + rename), and prints p50, p95 and the maximum. Target: p95 ≤ 50 ms.
//! Run with `cargo bench --bench reload_latency`.

use std::path::Path;
use std::time::{Duration, Instant};

use lectern::app::{AppOptions, LecternApp, Persistence, ScheduleOrigin};
use lectern::clock::Clock;
use lectern::source::EMBEDDED_SCHEDULE;
use lectern::timing::Thresholds;

const ORIGINAL_NAME: &str = "14th Workshop on Hot Topics in Operating Systems";
const REWRITES: usize = 200;

fn main() {
    let folder = match tempfile::tempdir() {
        Ok(folder) => folder,
        Err(error) => {
            eprintln!("cannot create a temporary folder: {error}");
            std::process::exit(1);
        }
    };
    let path = folder.path().join("program.json");
    let revision =
        |number: usize| EMBEDDED_SCHEDULE.replace(ORIGINAL_NAME, &format!("Revision {number}"));
    write_in_place(&path, &revision(0));
    let loaded = match lectern::source::load_file(&path, &Default::default()) {
        Ok(loaded) => loaded,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    };
    let options = AppOptions {
        origin: ScheduleOrigin::File(path.clone()),
        room: None,
        clock: Clock::Real,
        thresholds: Thresholds::default(),
        blink: false,
        persistence: Persistence::Off,
        started: None,
        watch: true,
        load_options: Default::default(),
        open_chair_view: false,
        projector_monitor: None,
    };
    let mut app = LecternApp::new(options, loaded);
    app.start_watching(|| {});

    let mut in_place = Vec::with_capacity(REWRITES / 2);
    let mut atomic = Vec::with_capacity(REWRITES / 2);
    for number in 1..=REWRITES {
        let text = revision(number);
        let expected = format!("Revision {number}");
        let use_atomic = number % 2 == 0;
        if use_atomic {
            write_atomically(&path, &text);
        } else {
            write_in_place(&path, &text);
        }
        let written = Instant::now();
        let deadline = written + Duration::from_secs(5);
        // Poll as a window would on the repaint the watcher asks for, but without a frame
        // interval: what is measured is the reload path, not the display's refresh rate.
        while app.schedule().event().name != expected {
            app.apply_updates();
            if Instant::now() > deadline {
                eprintln!("revision {number} did not arrive within 5 s");
                std::process::exit(1);
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        let latency = written.elapsed();
        if use_atomic {
            atomic.push(latency)
        } else {
            in_place.push(latency)
        }
        // Let the file system settle between writes, as between an organiser's saves.
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut all: Vec<Duration> = in_place.iter().chain(&atomic).copied().collect();
    report("in-place writes", &mut in_place);
    report("atomic saves", &mut atomic);
    report("all", &mut all);
}

fn report(label: &str, latencies: &mut [Duration]) {
    latencies.sort();
    let at =
        |fraction: f64| latencies[((latencies.len() as f64 - 1.0) * fraction).round() as usize];
    let millis = |duration: Duration| duration.as_secs_f64() * 1000.0;
    println!(
        "{label:>16}: n = {:3}   p50 = {:6.2} ms   p95 = {:6.2} ms   max = {:6.2} ms",
        latencies.len(),
        millis(at(0.5)),
        millis(at(0.95)),
        millis(at(1.0))
    );
}

fn write_in_place(path: &Path, text: &str) {
    if let Err(error) = std::fs::write(path, text) {
        eprintln!("cannot write {}: {error}", path.display());
        std::process::exit(1);
    }
}

fn write_atomically(path: &Path, text: &str) {
    let result = tempfile::NamedTempFile::new_in(path.parent().unwrap_or(Path::new("."))).and_then(
        |mut temporary| {
            std::io::Write::write_all(&mut temporary, text.as_bytes())?;
            temporary.persist(path).map_err(|error| error.error)?;
            Ok(())
        },
    );
    if let Err(error) = result {
        eprintln!("cannot save {}: {error}", path.display());
        std::process::exit(1);
    }
}
