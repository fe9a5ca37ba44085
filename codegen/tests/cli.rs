//! The `awsgen` command as a user meets it (issue #30): `--version`, `--help` for each
//! command, the output file named after the model's endpoint prefix, errors that exit 2.

use std::process::Command;

fn awsgen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_awsgen"))
        .args(args)
        .output()
        .expect("awsgen runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    (
        out.status.code().unwrap_or(-1),
        text(out.stdout),
        text(out.stderr),
    )
}

#[test]
fn version_help_and_usage_errors() {
    let (code, out, _) = awsgen(&["--version"]);
    assert_eq!(
        (code, out.trim()),
        (0, concat!("awsgen ", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(awsgen(&["-V"]).1, out);
    let (code, out, _) = awsgen(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("awsgen generate --help"), "{out}");
    let (code, out, _) = awsgen(&["generate", "--help"]);
    assert_eq!(code, 0);
    for flag in [
        "--model",
        "--out-dir",
        "--operations",
        "--file-name",
        "--runtime-path",
    ] {
        assert!(out.contains(flag), "{flag} in {out}");
    }
    assert!(out.contains("`monitoring.rs` for CloudWatch"), "{out}");
    let (code, _, err) = awsgen(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("awsgen: unknown command `frobnicate`"),
        "{err}"
    );
    let (code, _, err) = awsgen(&["generate", "--out-dir", "x"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`--model` and `--out-dir` are required"),
        "{err}"
    );
}

#[test]
fn the_output_is_named_after_the_endpoint_prefix() {
    let dir = std::env::temp_dir().join(format!("awsgen-cli-{}", std::process::id()));
    let model = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/botocore-sample/logs/2014-03-28"
    );
    let (code, out, err) = awsgen(&[
        "generate",
        "--model",
        model,
        "--out-dir",
        dir.to_str().unwrap(),
        "--operations",
        "DescribeLogGroups",
    ]);
    assert_eq!(code, 0, "{err}");
    let file = dir.join("logs.rs");
    assert_eq!(out.trim(), format!("wrote {}", file.display()));
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("// @generated"));
    std::fs::remove_dir_all(&dir).unwrap();
}
