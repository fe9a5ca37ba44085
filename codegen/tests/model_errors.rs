//! Bad model input gives a typed error that names the file, shape and member; never a panic.

use awsgen_codegen::{check_model_text, Config, Error, Location};
use std::path::Path;

const FILE: &str = "models/bad/service-2.json";

/// A minimal valid model with `shapes` and `operations` spliced in.
fn model(operations: &str, shapes: &str) -> String {
    format!(
        r#"{{"metadata": {{"protocol": "json", "apiVersion": "2020-01-01", "targetPrefix": "Bad", "endpointPrefix": "bad", "jsonVersion": "1.1"}},
            "operations": {{{operations}}}, "shapes": {{{shapes}}}}}"#
    )
}

fn run(text: &str, allow: Option<&[String]>) -> Result<(), Error> {
    check_model_text(Path::new(FILE), text, allow).map(|_| ())
}

fn at(shape: &str, member: Option<&str>) -> Location {
    Location {
        file: Path::new(FILE).into(),
        shape: Some(shape.into()),
        member: member.map(Into::into),
    }
}

const OP: &str = r#""Op": {"name": "Op", "input": {"shape": "OpInput"}}"#;

#[test]
fn malformed_json_names_file_line_and_column() {
    let err = run("{\n  \"metadata\": {,\n}", None).unwrap_err();
    match &err {
        Error::Json {
            file, line, column, ..
        } => {
            assert_eq!(file, Path::new(FILE));
            assert_eq!((*line, *column), (2, 16));
        }
        other => panic!("expected Json, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("models/bad/service-2.json:2:16: malformed model JSON"),
        "{err}"
    );
    // A known key with the wrong JSON type is malformed too.
    let err = run(
        &model(OP, r#""OpInput": {"type": "structure", "members": [1]}"#),
        None,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Json { .. }), "{err:?}");
    // A member listed twice is malformed, not silently merged.
    let dup = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {"A": {"shape": "S"}, "A": {"shape": "S"}}}, "S": {"type": "string"}"#,
    );
    let err = run(&dup, None).unwrap_err();
    assert!(err.to_string().contains("duplicate key `A`"), "{err}");
}

#[test]
fn dangling_member_reference() {
    let text = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {"Name": {"shape": "Missing"}}}"#,
    );
    let err = run(&text, None).unwrap_err();
    match &err {
        Error::DanglingReference { at: l, target } => {
            assert_eq!(l, &at("OpInput", Some("Name")));
            assert_eq!(target, "Missing");
        }
        other => panic!("expected DanglingReference, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "models/bad/service-2.json: shape `OpInput`, member `Name`: refers to shape `Missing`, which the model does not define"
    );
}

#[test]
fn dangling_operation_and_list_references() {
    let err = run(&model(OP, ""), None).unwrap_err();
    assert!(
        matches!(&err, Error::DanglingReference { at: l, target } if *l == at("Op", Some("input")) && target == "OpInput"),
        "{err:?}"
    );
    let text = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {"L": {"shape": "L"}}}, "L": {"type": "list", "member": {"shape": "Nope"}}"#,
    );
    let err = run(&text, None).unwrap_err();
    assert!(
        matches!(&err, Error::DanglingReference { at: l, .. } if *l == at("L", Some("member"))),
        "{err:?}"
    );
}

#[test]
fn unknown_shape_type() {
    let text = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {"X": {"shape": "X"}}}, "X": {"type": "quaternion"}"#,
    );
    let err = run(&text, None).unwrap_err();
    assert!(
        matches!(&err, Error::UnknownShapeType { at: l, type_name } if *l == at("X", None) && type_name == "quaternion"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "models/bad/service-2.json: shape `X`: unknown shape type `quaternion`"
    );
}

#[test]
fn other_protocols_are_refused() {
    let text = model(OP, r#""OpInput": {"type": "structure", "members": {}}"#)
        .replace(r#""protocol": "json""#, r#""protocol": "soap""#);
    let err = run(&text, None).unwrap_err();
    assert!(
        matches!(&err, Error::UnsupportedProtocol { protocol, .. } if protocol == "soap"),
        "{err:?}"
    );
    assert!(err.to_string().contains("protocol `soap` is not supported"));
    // rest-xml generates (issue #27); a malformed `xmlNamespace` is a typed error.
    let rest_xml = model(OP, r#""OpInput": {"type": "structure", "members": {}}"#)
        .replace(r#""protocol": "json""#, r#""protocol": "rest-xml""#);
    run(&rest_xml, None).unwrap();
    let bad_ns = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {}, "xmlNamespace": {"prefix": "a"}}"#,
    )
    .replace(r#""protocol": "json""#, r#""protocol": "rest-xml""#);
    let err = run(&bad_ns, None).unwrap_err();
    assert!(
        err.to_string().contains("models/bad/service-2.json"),
        "{err}"
    );
}

/// Issue #11: 41 botocore models name `smithy-rpc-v2-cbor` as their protocol and list
/// `json` too; they generate with awsJson, as botocore picks json first. Issue #27: a
/// model whose first choice is cbor generates with smithy-rpc-v2-cbor.
#[test]
fn models_that_also_offer_json_generate() {
    let base = model(OP, r#""OpInput": {"type": "structure", "members": {}}"#);
    let cbor_first = base.replace(
        r#""protocol": "json""#,
        r#""protocol": "smithy-rpc-v2-cbor", "protocols": ["smithy-rpc-v2-cbor", "json"]"#,
    );
    run(&cbor_first, None).unwrap();
    let cbor_only = base.replace(
        r#""protocol": "json""#,
        r#""protocol": "smithy-rpc-v2-cbor", "protocols": ["smithy-rpc-v2-cbor", "query"]"#,
    );
    run(&cbor_only, None).unwrap();
    let unknown = base.replace(
        r#""protocol": "json""#,
        r#""protocol": "smithy-rpc-v3", "protocols": ["smithy-rpc-v3"]"#,
    );
    let err = run(&unknown, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("`smithy-rpc-v3 (protocols: smithy-rpc-v3)` is not supported"),
        "{err}"
    );
}

/// Issue #27: a query model generates; the protocol is the one botocore picks from
/// `protocols` (query before ec2; cbor before either).
#[test]
fn query_models_generate_as_botocore_picks_the_protocol() {
    let base = model(OP, r#""OpInput": {"type": "structure", "members": {}}"#);
    run(
        &base.replace(r#""protocol": "json""#, r#""protocol": "query""#),
        None,
    )
    .unwrap();
    let both = base.replace(
        r#""protocol": "json""#,
        r#""protocol": "query", "protocols": ["ec2", "query"]"#,
    );
    run(&both, None).unwrap();
    let ec2 = base.replace(r#""protocol": "json""#, r#""protocol": "ec2""#);
    run(&ec2, None).unwrap();
    let cbor_first = base.replace(
        r#""protocol": "json""#,
        r#""protocol": "ec2", "protocols": ["smithy-rpc-v2-cbor", "ec2"]"#,
    );
    run(&cbor_first, None).unwrap();
}

/// A fault whose `error.code` is another fault's shape name (CloudWatch's
/// `DashboardNotFoundError` has code `ResourceNotFound`) gave a duplicate match arm, which
/// does not compile under `deny(warnings)`; the shape name keeps its own fault.
#[test]
fn fault_codes_claimed_twice_generate() {
    let op = r#""Op": {"name": "Op", "input": {"shape": "OpInput"}, "errors": [{"shape": "Dashboard"}, {"shape": "ResourceNotFound"}]}"#;
    let shapes = r#""OpInput": {"type": "structure", "members": {}},
        "Dashboard": {"type": "structure", "members": {}, "exception": true, "error": {"code": "ResourceNotFound"}},
        "ResourceNotFound": {"type": "structure", "members": {}, "exception": true}"#;
    let dir = std::env::temp_dir().join(format!("awsgen-codes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("service-2.json"), model(op, shapes)).unwrap();
    let code = Config::new().model(&dir).generate().unwrap().code;
    let _ = std::fs::remove_dir_all(&dir);
    // `ResourceNotFound` is matched once, for its own fault, at both levels.
    assert_eq!(code.matches("\"ResourceNotFound\" =>").count(), 2, "{code}");
    assert!(!code.contains("\"Dashboard\" | \"ResourceNotFound\""));
}

#[test]
fn members_colliding_after_renaming() {
    let text = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {"FooBar": {"shape": "S"}, "foo_bar": {"shape": "S"}}}, "S": {"type": "string"}"#,
    );
    let err = run(&text, None).unwrap_err();
    match &err {
        Error::NameCollision {
            at: l,
            first,
            second,
            rust_name,
        } => {
            assert_eq!(l, &at("OpInput", Some("foo_bar")));
            assert_eq!(
                (first.as_str(), second.as_str(), rust_name.as_str()),
                ("FooBar", "foo_bar", "foo_bar")
            );
        }
        other => panic!("expected NameCollision, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "models/bad/service-2.json: shape `OpInput`, member `foo_bar`: `FooBar` and `foo_bar` both become the Rust name `foo_bar`"
    );
}

/// Enum values that differ only in case or punctuation are distinct values (botocore's
/// `signin` model has `INVALID_REQUEST` and `invalid_request`): the later one's variant
/// is numbered, in model order, instead of failing the model.
#[test]
fn enum_values_colliding_after_renaming_are_numbered() {
    let text = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {"E": {"shape": "E"}}}, "E": {"type": "string", "enum": ["verify-ca", "VERIFY_CA"]}"#,
    );
    let dir = std::env::temp_dir().join(format!("awsgen-enum-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("service-2.json"), &text).unwrap();
    let generated = awsgen_codegen::Config::new().model(&dir).generate();
    let _ = std::fs::remove_dir_all(&dir);
    let code = generated.unwrap().code;
    for needle in [
        "VerifyCa,",
        "VerifyCa2,",
        r#"Self::VerifyCa => "verify-ca""#,
        r#"Self::VerifyCa2 => "VERIFY_CA""#,
    ] {
        assert!(code.contains(needle), "no `{needle}` in the generated enum");
    }
}

#[test]
fn shapes_colliding_after_renaming() {
    let text = model(
        OP,
        r#""OpInput": {"type": "structure", "members": {"A": {"shape": "IBMSettings"}, "B": {"shape": "IbmSettings"}}},
           "IBMSettings": {"type": "structure", "members": {}}, "IbmSettings": {"type": "structure", "members": {}}"#,
    );
    let err = run(&text, None).unwrap_err();
    assert!(
        matches!(&err, Error::NameCollision { rust_name, .. } if rust_name == "IbmSettings"),
        "{err:?}"
    );
}

#[test]
fn allow_list_names_a_missing_operation() {
    let text = model(OP, r#""OpInput": {"type": "structure", "members": {}}"#);
    let allow = vec!["Op".to_string(), "NoSuchOp".to_string()];
    let err = run(&text, Some(&allow)).unwrap_err();
    assert!(
        matches!(&err, Error::UnknownOperation { operation, .. } if operation == "NoSuchOp"),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "models/bad/service-2.json: the operation allow-list names `NoSuchOp`, which the model does not have");
}

#[test]
fn required_member_that_does_not_exist() {
    let text = model(
        OP,
        r#""OpInput": {"type": "structure", "required": ["Ghost"], "members": {}}"#,
    );
    let err = run(&text, None).unwrap_err();
    assert!(
        matches!(&err, Error::UnknownRequiredMember { at: l } if *l == at("OpInput", Some("Ghost"))),
        "{err:?}"
    );
}

#[test]
fn malformed_shapes() {
    for (shapes, reason) in [
        (
            r#""OpInput": {"type": "structure", "members": {"L": {"shape": "L"}}}, "L": {"type": "list"}"#,
            "a list needs `member`",
        ),
        (
            r#""OpInput": {"type": "structure", "members": {"M": {"shape": "M"}}}, "M": {"type": "map", "key": {"shape": "S"}}, "S": {"type": "string"}"#,
            "a map needs `value`",
        ),
        (
            r#""OpInput": {"type": "structure", "members": {"T": {"shape": "T", "timestampFormat": "julian"}}}, "T": {"type": "timestamp"}"#,
            "unknown timestampFormat `julian`",
        ),
    ] {
        let err = run(&model(OP, shapes), None).unwrap_err();
        assert!(
            matches!(&err, Error::MalformedShape { reason: r, .. } if r == reason),
            "{shapes}: {err:?}"
        );
    }
}

/// Issue #11: a structure without `members` has none, as botocore reads it (it was refused).
#[test]
fn structures_without_members_are_empty() {
    run(&model(OP, r#""OpInput": {"type": "structure"}"#), None).unwrap();
    let with_document = r#""OpInput": {"type": "structure", "members": {"D": {"shape": "D"}}}, "D": {"type": "structure", "document": true}"#;
    run(&model(OP, with_document), None).unwrap();
}

/// Issue #10: a list or map containing itself with no structure in between overflowed
/// the stack; it is refused, naming the cycle. Through a structure it is fine (boxed).
#[test]
fn container_cycles_are_refused() {
    for (shapes, cycle) in [
        (
            r#""OpInput": {"type": "structure", "members": {"L": {"shape": "L"}}}, "L": {"type": "list", "member": {"shape": "L"}}"#,
            "L -> L",
        ),
        (
            r#""OpInput": {"type": "structure", "members": {"M": {"shape": "M"}}}, "M": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "M"}}, "S": {"type": "string"}"#,
            "M -> M",
        ),
        (
            r#""OpInput": {"type": "structure", "members": {"A": {"shape": "A"}}}, "A": {"type": "list", "member": {"shape": "B"}}, "B": {"type": "map", "key": {"shape": "S"}, "value": {"shape": "A"}}, "S": {"type": "string"}"#,
            "A -> B -> A",
        ),
    ] {
        let err = run(&model(OP, shapes), None).unwrap_err();
        assert!(
            matches!(&err, Error::MalformedShape { reason, .. } if reason.contains(cycle)),
            "{shapes}: {err:?}"
        );
    }
    let through_structure = r#""OpInput": {"type": "structure", "members": {"L": {"shape": "L"}}}, "L": {"type": "list", "member": {"shape": "OpInput"}}"#;
    run(&model(OP, through_structure), None).unwrap();
    // A chain of 50,000 lists, each of the next, overflowed the stack too.
    let chain = |n: usize| {
        let mut shapes = String::from(
            r#""OpInput": {"type": "structure", "members": {"L": {"shape": "L0"}}}, "S": {"type": "string"}"#,
        );
        for i in 0..n {
            let next = if i + 1 < n {
                format!("L{}", i + 1)
            } else {
                "S".into()
            };
            shapes.push_str(&format!(
                r#", "L{i}": {{"type": "list", "member": {{"shape": "{next}"}}}}"#
            ));
        }
        model(OP, &shapes)
    };
    let err = run(&chain(50_000), None).unwrap_err();
    assert!(
        matches!(&err, Error::MalformedShape { reason, .. } if reason.contains("nest more than 32 deep")),
        "{err:?}"
    );
    run(&chain(32), None).unwrap();
}

/// Issue #10: model strings that reach generated source or file names. A `uid` with a
/// newline and code after it compiled into the crate; an `endpointPrefix` holding a path
/// wrote outside the output directory; `jsonVersion: "query"` was accepted.
#[test]
fn metadata_cannot_inject_code_or_paths() {
    let with = |field: &str, value: &str| {
        model(OP, r#""OpInput": {"type": "structure", "members": {}}"#)
            .replace(r#", "endpointPrefix": "bad""#, "")
            .replace(
                r#""jsonVersion": "1.1""#,
                &format!(
                    r#""jsonVersion": "1.1", "endpointPrefix": "bad", {}: {}"#,
                    serde_json::json!(field),
                    serde_json::json!(value)
                ),
            )
            .replace(
                r#""endpointPrefix": "bad", "endpointPrefix""#,
                r#""endpointPrefix""#,
            )
    };
    for prefix in ["../../etc/x", "a/b", "a\\b", "..", "", "x\n"] {
        let err = run(&with("endpointPrefix", prefix), None).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Metadata {
                    field: "endpointPrefix",
                    ..
                }
            ),
            "{prefix:?}: {err:?}"
        );
    }
    run(&with("endpointPrefix", "runtime.sagemaker"), None).unwrap();
    let query = model(OP, r#""OpInput": {"type": "structure", "members": {}}"#)
        .replace(r#""jsonVersion": "1.1""#, r#""jsonVersion": "query""#);
    assert!(matches!(
        run(&query, None),
        Err(Error::UnsupportedProtocol { .. })
    ));

    let dir = std::env::temp_dir().join(format!("awsgen-uid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("service-2.json");
    std::fs::write(
        &file,
        with("uid", "x\n*/ pub fn injected() {} /*\r\u{2028}y"),
    )
    .unwrap();
    let code = Config::new().model(&file).generate().unwrap().code;
    let _ = std::fs::remove_dir_all(&dir);
    let header = code.lines().next().unwrap();
    assert!(header.starts_with("// @generated"), "{header}");
    assert!(
        header.contains("pub fn injected"),
        "the uid is shown, on the header line: {header}"
    );
    // Elsewhere it is only in doc comments and string literals, never code.
    for line in code.lines().filter(|l| l.contains("pub fn injected")) {
        let t = line.trim_start();
        assert!(
            t.starts_with("//") || t.starts_with("pub const UID: &str = \""),
            "the uid reached code: {line}"
        );
    }
}

#[test]
fn config_reports_missing_files_and_never_panics() {
    let err = Config::new()
        .model("/nonexistent/service-2.json")
        .generate()
        .unwrap_err();
    assert!(matches!(&err, Error::Io { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("/nonexistent/service-2.json: "),
        "{err}"
    );
    let err = Config::new().generate().unwrap_err();
    assert!(matches!(&err, Error::Config { .. }), "{err:?}");
    let dir = std::env::temp_dir().join(format!("awsgen-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("service-2.json"),
        model(OP, r#""OpInput": {"type": "structure", "members": {}}"#),
    )
    .unwrap();
    let err = Config::new()
        .model(&dir)
        .runtime_path("not a path!")
        .generate()
        .unwrap_err();
    assert!(matches!(&err, Error::Config { .. }), "{err:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn truncations_of_a_real_model_never_panic() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/recursive/service-2.json"
    ))
    .unwrap();
    let path = Path::new("fixture.json");
    for cut in (0..text.len()).step_by(97) {
        let _ = check_model_text(path, &text[..cut], None);
    }
    // And with every shape reference broken in turn.
    for (i, _) in text.match_indices("\"shape\": \"").enumerate().take(60) {
        let mut n = 0;
        let broken: String = text
            .split("\"shape\": \"")
            .enumerate()
            .map(|(j, part)| {
                n += 1;
                if j == 0 {
                    part.to_string()
                } else if j == i + 1 {
                    format!("\"shape\": \"Zz{part}")
                } else {
                    format!("\"shape\": \"{part}")
                }
            })
            .collect();
        let err = check_model_text(path, &broken, None);
        assert!(
            matches!(err, Err(Error::DanglingReference { .. })),
            "reference {i}: {:?}",
            err.err()
        );
    }
}

#[test]
fn compile_writes_only_when_content_changes() {
    let dir = std::env::temp_dir().join(format!("awsgen-out-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/recursive");
    let mut config = Config::new();
    config
        .model(model)
        .out_dir(&dir)
        .emit_rerun_if_changed(false);
    let path = config.compile().unwrap();
    assert_eq!(path, dir.join("fixture.rs"));
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    config.compile().unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before,
        "unchanged output was rewritten"
    );
    config.operations(["Ping"]);
    config.compile().unwrap();
    assert_ne!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before,
        "changed output was not written"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `write_if_changed` compares the whole file, not only its length: a change in the last
/// block of a large file, or a file one byte longer, is written; identical bytes are not.
#[test]
fn write_if_changed_compares_every_byte() {
    let dir = std::env::temp_dir().join(format!("awsgen-wic-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("out.rs");
    let mut text: Vec<u8> = (0..300_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    assert!(
        awsgen_codegen::write_if_changed(&path, &text).unwrap(),
        "new file"
    );
    assert!(
        !awsgen_codegen::write_if_changed(&path, &text).unwrap(),
        "same bytes"
    );
    *text.last_mut().unwrap() = b'!';
    assert!(
        awsgen_codegen::write_if_changed(&path, &text).unwrap(),
        "last byte"
    );
    assert_eq!(std::fs::read(&path).unwrap(), text);
    text.push(b'\n');
    assert!(
        awsgen_codegen::write_if_changed(&path, &text).unwrap(),
        "one byte longer"
    );
    text.truncate(10);
    assert!(
        awsgen_codegen::write_if_changed(&path, &text).unwrap(),
        "shorter"
    );
    assert!(!awsgen_codegen::write_if_changed(&path, &text).unwrap());
    assert!(
        awsgen_codegen::write_if_changed(&path, b"").unwrap(),
        "empty"
    );
    assert!(!awsgen_codegen::write_if_changed(&path, b"").unwrap());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn config_values_must_be_rust() {
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/recursive");
    for (what, config) in [
        ("derive", Config::new().model(model).derive("Hash(").clone()),
        (
            "type attribute",
            Config::new()
                .model(model)
                .type_attribute("*", "not an attribute")
                .clone(),
        ),
    ] {
        let err = config.generate().unwrap_err();
        assert!(
            matches!(&err, Error::Config { message } if message.starts_with(what)),
            "{err:?}"
        );
    }
    let ok = Config::new()
        .model(model)
        .type_attribute("Node", "#[allow(missing_docs)]")
        .derive("my_crate::MyDerive")
        .operations(["PutNode"])
        .generate()
        .unwrap();
    let node = ok.code.find("pub struct Node ").unwrap();
    let before_node = &ok.code[..node];
    assert!(
        before_node.ends_with("#[allow(missing_docs)]\n    "),
        "attribute not on Node"
    );
    assert_eq!(
        ok.code.matches("#[allow(missing_docs)]").count(),
        1,
        "attribute on other types"
    );
    assert!(ok.code.contains("my_crate::MyDerive"));
}

/// Issue #11: `Config::model` reads a botocore wheel's gzipped files as botocore's own
/// loader does: `service-2.json.gz` (given as a file or found in a directory) and the
/// gzipped companions beside it, with the same output as the plain files.
#[cfg(feature = "gzip")]
#[test]
fn gzipped_models_generate_like_plain_ones() {
    use std::io::Write;
    let plain = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/recursive");
    let dir = std::env::temp_dir().join(format!("awsgen-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read(format!("{plain}/service-2.json")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&text).unwrap();
    std::fs::write(dir.join("service-2.json.gz"), gz.finish().unwrap()).unwrap();
    let want = Config::new().model(plain).generate().unwrap().code;
    let from_dir = Config::new().model(&dir).generate().unwrap().code;
    let from_file = Config::new()
        .model(dir.join("service-2.json.gz"))
        .generate()
        .unwrap()
        .code;
    let _ = std::fs::remove_dir_all(&dir);
    // The header names the file read; everything after it is the same.
    let body = |code: &str| code.split_once('\n').map(|(_, b)| b.to_string()).unwrap();
    assert_eq!(body(&from_dir), body(&want));
    assert_eq!(body(&from_file), body(&want));
}

/// Generates `text` (with `paginators`, if given) from a temporary directory.
fn generate_dir(name: &str, text: &str, paginators: Option<&str>) -> Result<String, Error> {
    let dir = std::env::temp_dir().join(format!("awsgen-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("service-2.json"), text).unwrap();
    if let Some(p) = paginators {
        std::fs::write(dir.join("paginators-1.json"), p).unwrap();
    }
    let generated = Config::new().model(&dir).generate();
    let _ = std::fs::remove_dir_all(&dir);
    generated.map(|g| g.code)
}

/// botocore's neptunedata has an output member named `meta`: only faults have the
/// `meta()` / `with_meta` of their error metadata, so it is an ordinary member elsewhere.
#[test]
fn a_member_named_meta_is_fine_outside_faults() {
    let text = model(
        r#""Op": {"name": "Op", "input": {"shape": "OpInput"}, "output": {"shape": "OpOutput"}}"#,
        r#""OpInput": {"type": "structure", "members": {}},
           "OpOutput": {"type": "structure", "members": {"meta": {"shape": "S"}}}, "S": {"type": "string"}"#,
    );
    let code = generate_dir("meta", &text, None).unwrap();
    assert!(code.contains("pub fn with_meta("), "the member's setter");
}

/// apigatewayv2, glacier, greengrass and kinesis-video-archived-media page with a string
/// `MaxResults`: the page size is written as text.
#[test]
fn a_string_limit_key_takes_the_page_size_as_text() {
    let text = model(
        r#""Op": {"name": "Op", "input": {"shape": "OpInput"}, "output": {"shape": "OpOutput"}}"#,
        r#""OpInput": {"type": "structure", "members": {"MaxResults": {"shape": "S"}, "NextToken": {"shape": "S"}}},
           "OpOutput": {"type": "structure", "members": {"NextToken": {"shape": "S"}, "Items": {"shape": "L"}}},
           "L": {"type": "list", "member": {"shape": "S"}}, "S": {"type": "string"}"#,
    );
    let paginators = r#"{"pagination": {"Op": {"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "Items"}}}"#;
    let code = generate_dir("limit", &text, Some(paginators)).unwrap();
    assert!(
        code.contains("::std::string::ToString::to_string(&size)"),
        "the page size as text"
    );
}
