//! Issue #10: hostile models never crash or hang the generator.
//!
//! A seeded mutation test: the fixture model (and a slice of DMS) mutated many times over,
//! each mutant run through the whole pipeline, formatting included. Every mutant must end
//! in `Ok` or a typed error within the time limit; a panic, a stack overflow (which aborts
//! this test process) or an `Error::Emit` (tokens that are not Rust: a generator bug) fails.
//! The seed and the mutant number are in every failure, and `AWSGEN_MUTANT=<n>` writes that
//! mutant to `target/mutant-<n>.json` to reproduce it with the CLI.

use awsgen_codegen::{check_model_text, Error};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const SEED: u64 = 0x5eed_a115_0001;
/// Mutants per run of `cargo test`; `AWSGEN_MUTANTS=<n>` runs more.
const MUTANTS: usize = 250;
const LIMIT: Duration = Duration::from_secs(10);

/// xorshift64*: small, seeded, the same on every machine.
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
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Strings that have broken generators: keywords, empty, unicode, control characters,
/// path separators, comment and string terminators, very long ones.
fn nasty(rng: &mut Rng) -> String {
    let picks = [
        "self",
        "Self",
        "super",
        "crate",
        "type",
        "r#type",
        "",
        " ",
        "_",
        "__type",
        "0Lead",
        "a-b.c/d",
        "../../etc/x",
        "x\ny",
        "*/ pub fn injected() {} /*",
        "\"",
        "\\",
        "é🦀",
        "\u{0}",
        "CamelCase",
        "camelCase",
        "SNAKE_CASE",
        "Result",
        "Option",
        "String",
        "Box",
        "std",
        "core",
        "Unknown",
        "Default",
        "new",
        "VALUES",
        "as_str",
    ];
    match rng.below(3) {
        0 => "W".repeat(1 + rng.below(5000)),
        _ => rng.pick(&picks).to_string(),
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!(-1.5e300),
        4 => json!(nasty(rng)),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| (nasty(rng), random_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// Every path to an object or array in `v`, and to each of their entries.
fn paths(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(k.clone());
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(i.to_string());
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, k| match v {
        Value::Object(m) => m.get_mut(k),
        Value::Array(a) => a.get_mut(k.parse::<usize>().ok()?),
        _ => None,
    })
}

fn shape_names(model: &Value) -> Vec<String> {
    model["shapes"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// One random edit of the model.
fn mutate(model: &mut Value, rng: &mut Rng) {
    let mut names = shape_names(model);
    if names.is_empty() {
        names.push("NoSuchShape".into());
    }
    let mut all = Vec::new();
    paths(model, &mut Vec::new(), &mut all);
    let path = rng.pick(&all).clone();
    match rng.below(10) {
        // Delete a key or element.
        0 => {
            if let Some((last, parent)) = path.split_last() {
                match at(model, parent) {
                    Some(Value::Object(m)) => {
                        m.remove(last);
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        // Replace a value with a random one (type confusion).
        1 | 2 => {
            if let Some(v) = at(model, &path) {
                *v = random_value(rng, 0);
            }
        }
        // Point a shape reference at another shape, a missing one, or itself.
        3 | 4 => {
            let refs: Vec<&Vec<String>> = all
                .iter()
                .filter(|p| p.last().map(String::as_str) == Some("shape"))
                .collect();
            if !refs.is_empty() {
                let target = rng.pick(&refs).to_vec();
                let new = match rng.below(4) {
                    0 => nasty(rng),
                    _ => rng.pick(&names).clone(),
                };
                if let Some(v) = at(model, &target) {
                    *v = json!(new);
                }
            }
        }
        // Make a list or map hold a list or map (itself, or one that leads back).
        5 if rng.below(2) == 0 => {
            let containers: Vec<String> = names
                .iter()
                .filter(|n| {
                    matches!(
                        model["shapes"][n.as_str()]["type"].as_str(),
                        Some("list" | "map")
                    )
                })
                .cloned()
                .collect();
            if !containers.is_empty() {
                let (from, to) = (rng.pick(&containers).clone(), rng.pick(&containers).clone());
                if let Some(Value::Object(shape)) = at(model, &["shapes".into(), from]) {
                    let slot = if shape.contains_key("member") {
                        "member"
                    } else {
                        "value"
                    };
                    shape.insert(slot.into(), json!({"shape": to}));
                }
            }
        }
        // Change a shape's type.
        5 => {
            let name = rng.pick(&names).clone();
            let types = [
                "structure",
                "list",
                "map",
                "string",
                "integer",
                "timestamp",
                "blob",
                "union",
                "document",
                "float",
                "double",
                "long",
                "boolean",
                "byte",
                "short",
                "bigdecimal",
                "enum",
                "set",
            ];
            let ty = rng.pick(&types).to_string();
            if let Some(Value::Object(shape)) = at(model, &["shapes".into(), name]) {
                shape.insert("type".into(), json!(ty));
                if rng.below(2) == 0 {
                    shape.insert("member".into(), json!({"shape": rng.pick(&names)}));
                    shape.insert("value".into(), json!({"shape": rng.pick(&names)}));
                }
            }
        }
        // Rename things into nasty names: a shape, a member, an operation, metadata.
        6 => {
            let key = nasty(rng);
            if let Some((last, parent)) = path.split_last() {
                if let Some(Value::Object(m)) = at(model, parent) {
                    if let Some(v) = m.remove(last) {
                        m.insert(key, v);
                    }
                }
            }
        }
        7 => {
            let fields = [
                "uid",
                "endpointPrefix",
                "targetPrefix",
                "serviceId",
                "jsonVersion",
                "protocol",
                "apiVersion",
                "signingName",
                "serviceFullName",
            ];
            let field = rng.pick(&fields).to_string();
            let value = if rng.below(4) == 0 {
                random_value(rng, 0)
            } else {
                json!(nasty(rng))
            };
            if let Some(Value::Object(md)) = at(model, &["metadata".into()]) {
                md.insert(field, value);
            }
        }
        // Documentation: deep, broken or huge HTML.
        8 => {
            let html = match rng.below(4) {
                0 => "<ul><li>".repeat(2000 + rng.below(20_000)),
                1 => {
                    "<p>".to_string()
                        + &"&#x".repeat(rng.below(1000))
                        + "<a href=\"javascript:x\">`*_[]()"
                }
                2 => "</p></ul></li>".repeat(rng.below(5000)),
                _ => format!("<code>{}</code>*/ fn x() {{}}", nasty(rng)),
            };
            if let Some(Value::Object(m)) = at(model, &path) {
                m.insert("documentation".into(), json!(html));
            }
        }
        // Structure members: required names that do not exist, enums with odd values.
        _ => {
            let name = rng.pick(&names).clone();
            if let Some(Value::Object(shape)) = at(model, &["shapes".into(), name]) {
                match rng.below(3) {
                    0 => {
                        shape.insert("required".into(), json!([nasty(rng)]));
                    }
                    1 => {
                        shape.insert(
                            "enum".into(),
                            json!([nasty(rng), nasty(rng), "", "a-b", "A_B", "a b"]),
                        );
                    }
                    _ => {
                        let members: Map<String, Value> = (0..rng.below(50))
                            .map(|i| {
                                (
                                    format!("{}{i}", nasty(rng)),
                                    json!({"shape": rng.pick(&names)}),
                                )
                            })
                            .collect();
                        shape.insert("members".into(), Value::Object(members));
                    }
                }
            }
        }
    }
}

fn seeds() -> Vec<(&'static str, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixture =
        std::fs::read_to_string(root.join("tests/fixtures/recursive/service-2.json")).unwrap();
    let dms = std::fs::read_to_string(root.join("models/dms/2016-01-01/service-2.json")).unwrap();
    let mut dms: Value = serde_json::from_str(&dms).unwrap();
    // A slice of DMS (three operations and what they use) keeps each run fast.
    let keep = ["DeleteConnection", "DescribeEndpoints", "ModifyEndpoint"];
    if let Some(Value::Object(ops)) = dms.get_mut("operations") {
        ops.retain(|k, _| keep.contains(&k.as_str()));
    }
    vec![
        ("fixture", serde_json::from_str(&fixture).unwrap()),
        ("dms slice", dms),
    ]
}

#[test]
fn hostile_models_never_crash_or_hang() {
    let only: Option<usize> = std::env::var("AWSGEN_MUTANT")
        .ok()
        .and_then(|v| v.parse().ok());
    let count = std::env::var("AWSGEN_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MUTANTS);
    let seeds = seeds();
    let mut rng = Rng(SEED);
    let (mut generated, mut refused) = (0, 0);
    let mut slowest = (Duration::ZERO, 0);
    for n in 0..count {
        let (seed_name, seed) = &seeds[n % seeds.len()];
        let mut model = seed.clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut model, &mut rng);
        }
        let text = serde_json::to_string(&model).unwrap();
        if only.is_some_and(|o| o != n) {
            continue;
        }
        if only == Some(n) {
            let out =
                Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../target/mutant-{n}.json"));
            std::fs::write(&out, &text).unwrap();
            eprintln!("mutant {n} written to {}", out.display());
        }
        let start = Instant::now();
        let result = check_model_text(Path::new("mutant.json"), &text, None);
        let took = start.elapsed();
        assert!(
            took < LIMIT,
            "mutant {n} (of {seed_name}, seed {SEED:#x}) took {took:?}"
        );
        slowest = slowest.max((took, n));
        match result {
            Ok(_) => generated += 1,
            Err(Error::Emit { message }) => {
                panic!("mutant {n} (of {seed_name}, seed {SEED:#x}) generated tokens that are not Rust: {message}")
            }
            Err(e) => {
                // A typed error names where it is; it must never be empty.
                assert!(!e.to_string().is_empty(), "mutant {n}");
                refused += 1;
            }
        }
    }
    println!(
        "mutants: {} tried (seed {SEED:#x}), {generated} generated, {refused} refused with a typed error, 0 crashes; slowest {:?} (mutant {})",
        generated + refused,
        slowest.0,
        slowest.1
    );
}
