//! The fuzz targets on the stable toolchain: each committed corpus entry
//! (`fuzz/corpus/<target>/`), then seeded mutations of them (bit flips, inserted,
//! deleted and repeated bytes, splices, truncations), through the same bodies
//! `cargo fuzz` runs (`awsgen_tests::fuzz`). A panic names the target and the iteration
//! and writes the input to `target/fuzz-failure-<target>.bin`. `AWSGEN_FUZZ_ITERATIONS`
//! raises the counts.

use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// Bytes JSON and XML parsers care about, for insertions.
const INTERESTING: &[u8] = b"{}[]\",:\\0123456789eE.-+ntfu \xff\x00<>/&;=!?'";

fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
            2 if at < out.len() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at..end);
            }
            3 if at < out.len() => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                let piece = out[at..end].to_vec();
                for _ in 0..1 + rng.below(64) {
                    out.splice(at..at, piece.iter().copied());
                }
            }
            4 if !other.is_empty() => {
                let from = rng.below(other.len());
                let end = (from + 1 + rng.below(256)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            5 => out.truncate(at),
            _ => {
                let n = rng.below(4) as u8;
                out.insert(at, b"0123"[n as usize]);
            }
        }
    }
    out
}

fn run(target: &str, body: fn(&[u8]), iterations: usize) -> (usize, usize) {
    let seeds = corpus(target);
    assert!(!seeds.is_empty(), "no corpus for {target}");
    let iterations = std::env::var("AWSGEN_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(iterations);
    let mut rng = Rng(0xf022_5eed ^ target.len() as u64);
    let try_one = |n: usize, input: &[u8]| {
        if std::panic::catch_unwind(|| body(input)).is_err() {
            let out = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../target/fuzz-failure-{target}.bin"));
            let _ = std::fs::write(&out, input);
            panic!(
                "fuzz target {target} panicked on input {n}, written to {}",
                out.display()
            );
        }
    };
    for (n, seed) in seeds.iter().enumerate() {
        try_one(n, seed);
    }
    for n in 0..iterations {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, a, b);
        try_one(seeds.len() + n, &input);
    }
    (seeds.len(), iterations)
}

#[test]
fn fuzz_targets_on_stable() {
    let (s1, m1) = run("model_loader", awsgen_tests::fuzz::model_loader, 500);
    let (s2, m2) = run("response_parser", awsgen_tests::fuzz::response_parser, 5000);
    let (s3, m3) = run("xml_parser", awsgen_tests::fuzz::xml_parser, 5000);
    println!(
        "fuzz (stable driver): model_loader {s1} seeds + {m1} mutations, response_parser {s2} seeds + {m2} mutations, xml_parser {s3} seeds + {m3} mutations, 0 panics"
    );
}
