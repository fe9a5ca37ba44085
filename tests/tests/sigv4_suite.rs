//! AWS's SigV4 test suite (`tests/data/botocore/aws4_testsuite`, from botocore's source
//! distribution), run through the signer the client uses. Each case compares the
//! canonical request, the string to sign and the `Authorization` header.
//!
//! As in botocore's own harness, the session token of a case is the one its expected
//! canonical request signs; the signer adds the `X-Amz-Security-Token` header before
//! signing (as the client does). No case is skipped: botocore skips four (a request line
//! with a space, repeated query keys), this signer passes them.

use awsgen_runtime::sigv4::{sign, SignableRequest, SigningParams};
use awsgen_runtime::DateTime;
use std::path::{Path, PathBuf};

const SKIPPED: &[(&str, &str)] = &[];

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            cases(&p, out);
        } else if p.extension().is_some_and(|e| e == "req") {
            out.push(p.with_extension(""));
        }
    }
}

struct Raw {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Parses a `.req` file: request line, headers (indented lines continue the previous
/// value), a blank line, the body.
fn parse_req(text: &str) -> Raw {
    let mut lines = text.split('\n');
    let first = lines.next().unwrap();
    let (method, rest) = first.split_once(' ').unwrap();
    let target = rest.strip_suffix(" HTTP/1.1").unwrap();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut body_lines = Vec::new();
    let mut in_body = false;
    for line in lines {
        if in_body {
            body_lines.push(line);
        } else if line.is_empty() {
            in_body = true;
        } else if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (k, v) = line.split_once(':').unwrap();
            headers.push((k.to_string(), v.to_string()));
        }
    }
    Raw {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers,
        body: body_lines.join("\n").into_bytes(),
    }
}

fn read(base: &Path, ext: &str) -> String {
    std::fs::read_to_string(base.with_extension(ext))
        .unwrap()
        .replace('\r', "")
}

#[test]
fn aws_sigv4_test_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/botocore/aws4_testsuite");
    let mut all = Vec::new();
    cases(&root, &mut all);
    let time = DateTime::from_ymd_hms(2015, 8, 30, 12, 36, 0).unwrap();
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for base in &all {
        let name = base
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if SKIPPED.iter().any(|(n, _)| name.ends_with(n)) {
            skipped += 1;
            continue;
        }
        let raw = parse_req(&read(base, "req"));
        let creq = read(base, "creq");
        let sts = read(base, "sts");
        let authz = read(base, "authz");
        let token = creq
            .lines()
            .find_map(|l| l.strip_prefix("x-amz-security-token:"))
            .map(str::to_string);
        let mut headers = raw.headers.clone();
        if let Some(t) = &token {
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("x-amz-security-token"))
            {
                headers.push(("X-Amz-Security-Token".into(), t.clone()));
            }
        }
        let header_refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let sig = sign(
            &SignableRequest {
                path_signing: awsgen_runtime::sigv4::PathSigning::Normalized,
                method: &raw.method,
                path: &raw.path,
                query: &raw.query,
                headers: &header_refs,
                body: &raw.body,
            },
            &SigningParams {
                access_key_id: "AKIDEXAMPLE",
                secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                region: "us-east-1",
                service: "service",
                time,
            },
        );
        let mut wrong = Vec::new();
        if sig.canonical_request != creq {
            wrong.push(format!(
                "canonical request:\n{}\n--- expected:\n{creq}",
                sig.canonical_request
            ));
        }
        if sig.string_to_sign != sts {
            wrong.push(format!(
                "string to sign:\n{}\n--- expected:\n{sts}",
                sig.string_to_sign
            ));
        }
        if sig.authorization != authz {
            wrong.push(format!(
                "authorization: {}\n--- expected: {authz}",
                sig.authorization
            ));
        }
        if wrong.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("== {name}\n{}", wrong.join("\n")));
        }
    }
    println!(
        "sigv4 tests: {} cases, {passed} passed, {} failed, {skipped} skipped",
        all.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(all.len(), 34, "the suite has 34 cases");
}

/// Issue #29: the event-stream message signer (`eventstream::sign_message`) against
/// `aws-sigv4`'s (`event_stream::sign_message` and `sign_empty_message`), on a seeded
/// chain of random messages (every header type, empty and large payloads, times with
/// sub-seconds, several scopes), each chaining from the last signature, then the empty
/// message that ends a stream: the same signature and the same signed message, byte for
/// byte.
#[test]
fn event_stream_signatures_are_aws_sigv4s() {
    use aws_smithy_types::event_stream as theirs;
    use awsgen_runtime::eventstream::{sign_message, HeaderValue, Message};
    use awsgen_runtime::Credentials;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }
    fn value(rng: &mut Rng) -> HeaderValue {
        let n = rng.next();
        match rng.below(9) {
            0 => HeaderValue::Bool(n & 1 == 0),
            1 => HeaderValue::Byte(n as i8),
            2 => HeaderValue::Int16(n as i16),
            3 => HeaderValue::Int32(n as i32),
            4 => HeaderValue::Int64(n as i64),
            5 => HeaderValue::Bytes((0..n % 40).map(|i| (i * 7) as u8).collect()),
            6 => HeaderValue::String(format!("value-{n}-é")),
            7 => HeaderValue::Timestamp((n % 4_000_000_000_000) as i64),
            _ => HeaderValue::Uuid(n.to_be_bytes().repeat(2).try_into().unwrap()),
        }
    }
    fn convert(m: &Message) -> theirs::Message {
        let mut out = theirs::Message::new(m.payload.clone());
        for h in &m.headers {
            let v = match &h.value {
                HeaderValue::Bool(b) => theirs::HeaderValue::Bool(*b),
                HeaderValue::Byte(b) => theirs::HeaderValue::Byte(*b),
                HeaderValue::Int16(v) => theirs::HeaderValue::Int16(*v),
                HeaderValue::Int32(v) => theirs::HeaderValue::Int32(*v),
                HeaderValue::Int64(v) => theirs::HeaderValue::Int64(*v),
                HeaderValue::Bytes(b) => theirs::HeaderValue::ByteArray(b.clone()),
                HeaderValue::String(s) => theirs::HeaderValue::String(s.clone().into()),
                HeaderValue::Timestamp(ms) => {
                    theirs::HeaderValue::Timestamp(aws_smithy_types::DateTime::from_millis(*ms))
                }
                HeaderValue::Uuid(u) => theirs::HeaderValue::Uuid(u128::from_be_bytes(*u)),
            };
            out = out.add_header(theirs::Header::new(h.name.clone(), v));
        }
        out
    }

    const AKID: &str = "AKIDEXAMPLE";
    const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let creds = Credentials::new(AKID, SECRET_KEY, None, None, "test");
    let identity =
        aws_credential_types::Credentials::new(AKID, SECRET_KEY, None, None, "test").into();
    let mut checked = 0;
    for (region, service) in [("us-east-1", "bedrock"), ("eu-west-3", "transcribe")] {
        let mut ours_prior = awsgen_runtime::sigv4::sha256_hex(b"the request's signature");
        let mut theirs_prior = ours_prior.clone();
        for i in 0..40 {
            let secs = 1_700_000_000 + rng.below(400_000_000) as i64;
            let nanos = rng.below(1_000_000_000) as u32;
            let time = DateTime::from_secs_and_nanos(secs, nanos);
            let system = std::time::UNIX_EPOCH + std::time::Duration::new(secs as u64, nanos);
            let params = aws_sigv4::sign::v4::SigningParams::builder()
                .identity(&identity)
                .region(region)
                .name(service)
                .time(system)
                .settings(())
                .build()
                .unwrap();
            let last = i == 39;
            let message = (!last).then(|| {
                let len = [0, 1, 100, 70_000][rng.below(4) as usize];
                let mut m = Message::new((0..len).map(|j| (j % 251) as u8).collect::<Vec<u8>>());
                for h in 0..rng.below(6) {
                    m = m.with_header(format!("h{h}"), value(&mut rng));
                }
                m
            });
            let (ours, our_signature) =
                sign_message(message.as_ref(), &ours_prior, &creds, region, service, time).unwrap();
            let (signed, their_signature) = match &message {
                Some(m) => {
                    aws_sigv4::event_stream::sign_message(&convert(m), &theirs_prior, &params)
                }
                None => aws_sigv4::event_stream::sign_empty_message(&theirs_prior, &params),
            }
            .unwrap()
            .into_parts();
            assert_eq!(our_signature, their_signature, "{region} message {i}");
            let mut their_bytes = Vec::new();
            aws_smithy_eventstream::frame::write_message_to(&signed, &mut their_bytes).unwrap();
            assert_eq!(ours.encode().unwrap(), their_bytes, "{region} message {i}");
            ours_prior = our_signature;
            theirs_prior = their_signature;
            checked += 1;
        }
    }
    assert_eq!(checked, 80);
}
