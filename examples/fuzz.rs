//! The fuzzer: feeds generated and mutated inputs to every importer in-process and counts what
//! happens. Panicking and hanging inputs are saved to `fuzz-crashes/`.
//!
//! ```text
//! scripts/fuzz.sh [COUNT] [SEED]
//! cargo run --release --no-default-features --example fuzz -- [COUNT] [SEED]
//! ```
//!
//! The same generators run, fewer and smaller, in `tests/fuzz.rs`.

#[path = "../tests/fuzz_support/mod.rs"]
mod fuzz_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fuzz_support::{Corpus, Counts, Limits, Outcome, Rng, extension, generate, run};

/// An input that takes longer than this to load counts as a hang.
const HANG: Duration = Duration::from_secs(1);

/// How many inputs of each kind of failure are saved, so that a systematic failure does not
/// fill the disk.
const SAVE_AT_MOST: u64 = 200;

fn main() {
    let mut arguments = std::env::args().skip(1);
    let count: u64 = match arguments
        .next()
        .map(|text| text.replace(['_', ','], "").parse())
    {
        None => 1_000_000,
        Some(Ok(count)) => count,
        Some(Err(_)) => {
            eprintln!("usage: fuzz [COUNT] [SEED]  (COUNT and SEED are whole numbers)");
            std::process::exit(2);
        }
    };
    let seed: u64 = match arguments.next().map(|text| text.parse()) {
        None => 1,
        Some(Ok(seed)) => seed,
        Some(Err(_)) => {
            eprintln!("usage: fuzz [COUNT] [SEED]  (COUNT and SEED are whole numbers)");
            std::process::exit(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = Corpus::load(&root.join("tests/data"));
    let crashes = root.join("fuzz-crashes");
    let limits = Limits {
        max_repeat: 16_000,
        real_file_one_in: 500,
        huge_one_in: 1_000,
    };
    println!(
        "fuzzing {count} inputs from seed {seed} ({} real files and the templates)",
        corpus.files()
    );
    let _previous_hook = fuzz_support::silence_panics();
    let mut rng = Rng::new(seed);
    let mut counts = Counts::default();
    let mut slowest = Duration::ZERO;
    let started = Instant::now();
    let mut last_report = Instant::now();
    for index in 0..count {
        let input = generate(&mut rng, &corpus, limits);
        let (outcome, elapsed) = run(&input);
        counts.inputs += 1;
        slowest = slowest.max(elapsed);
        match outcome {
            Outcome::Loaded => counts.ok += 1,
            Outcome::Refused { unlocated } => {
                counts.errors += 1;
                if let Some(finding) = unlocated {
                    counts.unlocated += 1;
                    if counts.unlocated <= SAVE_AT_MOST {
                        let path = save(&crashes, "unlocated", index, &input);
                        println!("error without a location: {}\n  {finding}", path.display());
                    }
                }
            }
            Outcome::Panicked(message) => {
                counts.panics += 1;
                if counts.panics <= SAVE_AT_MOST {
                    let path = save(&crashes, "panic", index, &input);
                    println!("panic: {}\n  {message}", path.display());
                }
            }
        }
        if elapsed > HANG {
            counts.hangs += 1;
            if counts.hangs <= SAVE_AT_MOST {
                let path = save(&crashes, "hang", index, &input);
                println!(
                    "hang: {} took {:.1} s ({} bytes)",
                    path.display(),
                    elapsed.as_secs_f64(),
                    input.bytes.len()
                );
            }
        }
        if last_report.elapsed() > Duration::from_secs(30) {
            last_report = Instant::now();
            report(&counts, started.elapsed(), slowest);
        }
    }
    report(&counts, started.elapsed(), slowest);
    if counts.panics > 0 || counts.hangs > 0 || counts.unlocated > 0 {
        std::process::exit(1);
    }
}

/// Saves an input as `fuzz-crashes/KIND-INDEX-FORMAT.EXT`, with the options it was loaded with
/// in a `.options` file beside it.
fn save(folder: &Path, kind: &str, index: u64, input: &fuzz_support::Input) -> PathBuf {
    let name = format!("{kind}-{index}-{}", input.format.name());
    let path = folder.join(format!("{name}.{}", extension(input.format)));
    let options = format!(
        "--format {} {}\n",
        input
            .options
            .format
            .map_or("(recognised)".to_owned(), |format| format.name().to_owned()),
        input
            .options
            .time_zone
            .map_or(String::new(), |zone| format!("--timezone {zone}"))
    );
    let written = std::fs::create_dir_all(folder)
        .and_then(|()| std::fs::write(&path, &input.bytes))
        .and_then(|()| std::fs::write(folder.join(format!("{name}.options")), options));
    if let Err(error) = written {
        eprintln!("cannot save {}: {error}", path.display());
    }
    path
}

fn report(counts: &Counts, elapsed: Duration, slowest: Duration) {
    let seconds = elapsed.as_secs_f64();
    println!(
        "inputs {}, ok {}, errors {}, errors without location {}, panics {}, hangs (over {} s) {}, \
         {:.0} inputs/s, {:.1} s, slowest input {:.3} s",
        counts.inputs,
        counts.ok,
        counts.errors,
        counts.unlocated,
        counts.panics,
        HANG.as_secs(),
        counts.hangs,
        counts.inputs as f64 / seconds.max(1e-9),
        seconds,
        slowest.as_secs_f64()
    );
}
