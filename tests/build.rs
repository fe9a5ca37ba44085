//! Turns every Rust fragment of the project's documents (README.md, docs/*.md and the
//! crates' READMEs) into code that `tests/docs.rs` compiles with warnings denied, so a
//! fragment that stops compiling fails `cargo test` (issue #30).
//!
//! A fragment is a fenced block whose info string starts with `rust`. An HTML comment
//! right before the fence (invisible where the Markdown is rendered) can say how it is
//! compiled: `<!-- fragment [run] [sync]` on its first line, then lines of Rust put
//! before the fragment (the context a reader has in mind: variables, mock rules), then
//! `-->`. Without `fn main`, a fragment is the body of an `async fn` returning
//! `Result<(), Box<dyn Error>>` (`sync`: a plain `fn`); `run` makes a test that calls it
//! (against the typed mocks its prelude sets up); `elsewhere`: a script builds and runs
//! it (the comment says which). With `fn main` (a program, a build
//! script) or a top-level `include!`, it is a module of its own.
//!
//! The README's `build.rs` user includes `OUT_DIR/lambda.rs`: this script generates it
//! from the Lambda sample model with the README's allow-list (Invoke, ListFunctions,
//! GetFunction), as that user's build script does; `tests/lambda.rs` calls it against a
//! local server. IAM (ListUsers, GetUser) and EC2 (DescribeInstances) the same way, for
//! `tests/query.rs`; Route 53 (ListResourceRecordSets, ChangeResourceRecordSets,
//! GetHostedZone) for `tests/restxml.rs`; Bedrock Runtime, CloudWatch Logs and S3's
//! SelectObjectContent (output event streams), with S3's CreateSession, GetObject and
//! PutObject (directory buckets' sessions), for `tests/eventstream.rs`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Fragment {
    /// `README.md:35`.
    place: String,
    /// An identifier made of the place.
    ident: String,
    flags: Vec<String>,
    prelude: String,
    code: String,
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<PathBuf> = vec![
        root.join("README.md"),
        root.join("generated/README.md"),
        root.join("codegen/README.md"),
        root.join("runtime/README.md"),
    ];
    let docs = root.join("docs");
    println!("cargo:rerun-if-changed={}", docs.display());
    let mut in_docs: Vec<PathBuf> = std::fs::read_dir(&docs)
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    in_docs.sort();
    files.extend(in_docs);

    let mut fragments = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        fragments.extend(extract(&name, &text));
    }

    let mut out = String::new();
    for f in &fragments {
        emit(&mut out, f);
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("doc_fragments.rs"), out).expect("writing doc_fragments.rs");

    // Lambda (rest-json), as a user's build script generates it: `tests/lambda.rs`.
    let model = root.join("tests/fixtures/botocore-sample/lambda/2015-03-31");
    println!("cargo:rerun-if-changed={}", model.display());
    awsgen_codegen::Config::new()
        .model(&model)
        .operations([
            "Invoke",
            "ListFunctions",
            "GetFunction",
            "InvokeWithResponseStream",
        ])
        .test_util_feature("test-util")
        .out_dir(&out_dir)
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));

    // CloudWatch Logs (awsJson output event streams): `tests/eventstream.rs`.
    let model = root.join("tests/fixtures/botocore-sample/logs/2014-03-28");
    println!("cargo:rerun-if-changed={}", model.display());
    awsgen_codegen::Config::new()
        .model(&model)
        .operations(["StartLiveTail", "GetLogObject"])
        .test_util_feature("test-util")
        .blocking_feature("blocking")
        .out_dir(&out_dir)
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));

    // Bedrock Runtime, with its typed mocks and blocking client: `tests/eventstream.rs`
    // and `tests/http2.rs` (the bidirectional operation).
    let model = root.join("tests/fixtures/models/bedrock-runtime/2023-09-30");
    println!("cargo:rerun-if-changed={}", model.display());
    awsgen_codegen::Config::new()
        .model(&model)
        .operations([
            "ConverseStream",
            "InvokeModelWithResponseStream",
            "InvokeModelWithBidirectionalStream",
        ])
        .test_util_feature("test-util")
        .blocking_feature("blocking")
        .out_dir(&out_dir)
        .compile()
        .unwrap_or_else(|e| panic!("{e}"));

    // IAM (query) and EC2 (ec2), the same way: `tests/query.rs`; Route 53 (rest-xml):
    // `tests/restxml.rs`; S3's directory-bucket sessions (`CreateSession`, with GetObject
    // and PutObject): `tests/eventstream.rs`, which has S3 for SelectObjectContent.
    for (model, operations) in [
        ("iam/2010-05-08", &["ListUsers", "GetUser"][..]),
        ("ec2/2016-11-15", &["DescribeInstances"][..]),
        (
            "s3/2006-03-01",
            &[
                "SelectObjectContent",
                "CreateSession",
                "GetObject",
                "PutObject",
            ][..],
        ),
        (
            "route53/2013-04-01",
            &[
                "ListResourceRecordSets",
                "ChangeResourceRecordSets",
                "GetHostedZone",
            ][..],
        ),
    ] {
        let model = root.join("tests/fixtures/models").join(model);
        println!("cargo:rerun-if-changed={}", model.display());
        awsgen_codegen::Config::new()
            .model(&model)
            .operations(operations.iter().copied())
            .out_dir(&out_dir)
            .compile()
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

/// The Rust fragments of one Markdown file, with the comment before each.
fn extract(name: &str, text: &str) -> Vec<Fragment> {
    let lines: Vec<&str> = text.lines().collect();
    let mut fragments = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        let Some(info) = line.strip_prefix("```") else {
            i += 1;
            continue;
        };
        let fence_line = i;
        let is_rust = info.split(',').next() == Some("rust");
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].trim_start().starts_with("```") {
            body.push(lines[i]);
            i += 1;
        }
        i += 1;
        if !is_rust {
            continue;
        }
        let (flags, prelude) = comment_before(&lines, fence_line);
        let place = format!("{name}:{}", fence_line + 1);
        let ident: String = place
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        fragments.push(Fragment {
            place,
            ident,
            flags,
            prelude,
            code: body.join("\n"),
        });
    }
    fragments
}

/// `<!-- fragment flags\nprelude\n-->` ending on the line before the fence (blank lines
/// between are allowed).
fn comment_before(lines: &[&str], fence: usize) -> (Vec<String>, String) {
    let mut end = fence;
    while end > 0 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    if end == 0 || lines[end - 1].trim() != "-->" {
        return (Vec::new(), String::new());
    }
    let mut start = end - 1;
    while start > 0 && !lines[start - 1].trim_start().starts_with("<!--") {
        start -= 1;
    }
    if start == 0 {
        return (Vec::new(), String::new());
    }
    let head = lines[start - 1]
        .trim_start()
        .trim_start_matches("<!--")
        .trim();
    let Some(flags) = head.strip_prefix("fragment") else {
        return (Vec::new(), String::new());
    };
    let flags = flags.split_whitespace().map(str::to_owned).collect();
    (flags, lines[start..end - 1].join("\n"))
}

fn emit(out: &mut String, f: &Fragment) {
    // Built and run by a script of its own (its comment names it): the S3 program needs
    // a model this crate does not generate.
    if f.flags.iter().any(|x| x == "elsewhere") {
        return;
    }
    let is_module = f.code.contains("fn main(")
        || f.code
            .trim_start_matches(|c: char| c == '/' || c.is_whitespace())
            .lines()
            .any(|l| l.starts_with("include!("));
    let _ = writeln!(out, "/// `{}`", f.place);
    if is_module {
        // A program or a build script: compiled, not run (it reads the environment or
        // writes files). Its `main` is called by nobody here.
        let _ = writeln!(
            out,
            "#[allow(dead_code)]\nmod {} {{\n{}\n{}\n}}\n",
            f.ident, f.prelude, f.code
        );
        return;
    }
    let sync = f.flags.iter().any(|x| x == "sync");
    let (asyncness, test_attr, call) = if sync {
        ("", "#[test]", "")
    } else {
        ("async ", "#[tokio::test]\nasync ", ".await")
    };
    let _ = writeln!(
        out,
        "#[allow(dead_code)]\n{asyncness}fn {id}() -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {{\n{pre}\n{code}\nOk(())\n}}\n",
        id = f.ident,
        pre = f.prelude,
        code = f.code,
    );
    if f.flags.iter().any(|x| x == "run") {
        let _ = writeln!(
            out,
            "{test_attr}fn run_{id}() {{\n    if let Err(e) = {id}(){call} {{\n        panic!(\"the fragment at {place} failed: {{e}}\");\n    }}\n}}\n",
            id = f.ident,
            place = f.place,
        );
    }
}
