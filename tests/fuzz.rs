//! A CI-sized run of the fuzzer (`examples/fuzz.rs`): a few thousand generated and mutated
//! inputs for every importer must load or be refused with located errors, never panic.

mod fuzz_support;

use fuzz_support::{Corpus, Limits, Outcome, Rng, generate, run};

#[test]
fn mutated_inputs_never_panic_and_every_error_says_where() {
    let corpus = Corpus::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data"));
    assert!(corpus.files() >= 6, "the real exports are in tests/data");
    let limits = Limits {
        max_repeat: 300,
        real_file_one_in: 400,
        huge_one_in: 200,
    };
    let previous = fuzz_support::silence_panics();
    let mut rng = Rng::new(20_240_331);
    let mut failures: Vec<String> = Vec::new();
    let (mut loaded, mut refused) = (0, 0);
    for index in 0..5_000 {
        let input = generate(&mut rng, &corpus, limits);
        let (outcome, _) = run(&input);
        match outcome {
            Outcome::Loaded => loaded += 1,
            Outcome::Refused { unlocated: None } => refused += 1,
            Outcome::Refused {
                unlocated: Some(finding),
            } => failures.push(format!(
                "input {index} ({}): error without a location: {finding}",
                input.format
            )),
            Outcome::Panicked(message) => failures.push(format!(
                "input {index} ({}): panic: {message}\n{}",
                input.format,
                String::from_utf8_lossy(&input.bytes[..input.bytes.len().min(2000)])
            )),
        }
    }
    std::panic::set_hook(previous);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The generators must reach both outcomes, or they test too little.
    assert!(
        loaded > 100 && refused > 100,
        "loaded {loaded}, refused {refused}"
    );
}
