#!/usr/bin/env python3
"""What a well-kept library would cost in place of a piece we wrote ourselves.

    python3 scripts/library_costs.py [--keep DIR]

For each candidate (regex-lite, time, jiff, aws-sigv4, aws-smithy-types' `ByteStream`,
aws-smithy-http's URI label and query encoding, quick-xml, aws-smithy-query,
aws-smithy-xml, ciborium, aws-smithy-eventstream, aws-smithy-checksums, aws-runtime;
`--only NAME` for one, beside the empty program) it makes a scratch crate with a
one-call program using the library, builds it in release mode from clean, and prints the
build time, the stripped binary size and the number of crates, next to an empty
program's. ARCHITECTURE.md records the figures and the decision for each piece.
"""

import argparse
import os
import shutil
import subprocess
import tempfile
import time

CANDIDATES = {
    "empty": ("", 'fn main() { println!("{}", std::env::args().count()); }'),
    "regex-lite": (
        'regex-lite = "0.1"',
        'fn main() { let a: Vec<String> = std::env::args().collect();'
        ' let r = regex_lite::Regex::new(&a[1]).unwrap(); println!("{}", r.is_match(&a[2])); }',
    ),
    "time": (
        'time = { version = "0.3", default-features = false, features = ["std", "formatting", "parsing", "macros"] }',
        'fn main() { let a: Vec<String> = std::env::args().collect();'
        ' let t = time::OffsetDateTime::parse(&a[1], &time::format_description::well_known::Rfc3339).unwrap();'
        ' println!("{}", t.format(&time::format_description::well_known::Rfc2822).unwrap()); }',
    ),
    "jiff": (
        'jiff = { version = "0.2", default-features = false, features = ["std"] }',
        'fn main() { let a: Vec<String> = std::env::args().collect();'
        ' let t: jiff::Timestamp = a[1].parse().unwrap();'
        ' println!("{}", jiff::fmt::rfc2822::to_string(&t.to_zoned(jiff::tz::TimeZone::UTC)).unwrap()); }',
    ),
    "aws-sigv4": (
        'aws-sigv4 = { version = "1.6", default-features = false, features = ["sign-http", "http1"] }\n'
        'aws-credential-types = "1"\naws-smithy-runtime-api = { version = "1", features = ["client"] }',
        'use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};\n'
        'fn main() {\n'
        '  let creds = aws_credential_types::Credentials::new("AKID", "SECRET", None, None, "x");\n'
        '  let identity = creds.into();\n'
        '  let params = aws_sigv4::sign::v4::SigningParams::builder().identity(&identity).region("us-east-1")\n'
        '    .name("dms").time(std::time::SystemTime::now()).settings(SigningSettings::default()).build().unwrap().into();\n'
        '  let req = SignableRequest::new("POST", "https://dms.us-east-1.amazonaws.com/", std::iter::empty(), SignableBody::Bytes(b"{}")).unwrap();\n'
        '  let (out, _) = sign(req, &params).unwrap().into_parts();\n'
        '  println!("{}", out.headers().count());\n'
        '}',
    ),
    # In place of `byte_stream.rs`: a file read lazily as a body, then collected.
    "aws-smithy-types": (
        'aws-smithy-types = { version = "1", features = ["rt-tokio", "http-body-1-x"] }\n'
        'tokio = { version = "1", features = ["rt", "macros", "fs"] }',
        '#[tokio::main(flavor = "current_thread")]\n'
        'async fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let body = aws_smithy_types::byte_stream::ByteStream::from_path(&a[1]).await.unwrap();\n'
        '  println!("{}", body.collect().await.unwrap().into_bytes().len());\n'
        '}',
    ),
    # In place of the encoding half of `protocol/rest.rs`: a label, a greedy label and a
    # query parameter as the official SDK encodes them.
    "aws-smithy-http": (
        'aws-smithy-http = "0.62"',
        'use aws_smithy_http::label::{fmt_string, EncodingStrategy};\n'
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  println!("{} {} {}", fmt_string(&a[1], EncodingStrategy::Default),\n'
        '    fmt_string(&a[1], EncodingStrategy::Greedy), aws_smithy_http::query::fmt_string(&a[1]));\n'
        '}',
    ),
    # In place of the form writer of `protocol/query.rs`: the official SDK's query writer.
    "aws-smithy-query": (
        'aws-smithy-query = "0.64"',
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let mut out = String::new();\n'
        '  let mut w = aws_smithy_query::QueryWriter::new(&mut out, "Op", "2010-05-08");\n'
        '  w.prefix("Name").string(&a[1]);\n'
        '  w.finish();\n'
        '  println!("{out}");\n'
        '}',
    ),
    # In place of `protocol/xml_table.rs`'s writer and reader: smithy-rs's XML layer (an
    # element written with an attribute and a namespace, then read back).
    "aws-smithy-xml": (
        'aws-smithy-xml = "0.60"',
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let mut out = String::new();\n'
        '  {\n'
        '    let mut w = aws_smithy_xml::encode::XmlWriter::new(&mut out);\n'
        '    let mut root = w.start_el("Root").write_ns("https://ns/", None);\n'
        '    root.write_attribute("id", &a[1]);\n'
        '    let mut inner = root.finish();\n'
        '    inner.start_el("Name").finish().data(&a[1]);\n'
        '    inner.finish();\n'
        '  }\n'
        '  let mut doc = aws_smithy_xml::decode::Document::new(&out);\n'
        '  let mut root = doc.root_element().unwrap();\n'
        '  while let Some(mut t) = root.next_tag() { println!("{:?}", aws_smithy_xml::decode::try_data(&mut t)); }\n'
        '}',
    ),
    # In place of `checksum.rs`: smithy-rs's flexible checksums (an algorithm by name,
    # the checksum of the argument as its header value).
    "aws-smithy-checksums": (
        'aws-smithy-checksums = "0.63"',
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let alg: aws_smithy_checksums::ChecksumAlgorithm = a[1].parse().unwrap();\n'
        '  let mut c = alg.into_impl();\n'
        '  c.update(a[2].as_bytes());\n'
        '  println!("{:?}", c.headers());\n'
        '}',
    ),
    # In place of `eventstream.rs`: smithy-rs's event stream framing (a message written,
    # then read back).
    "aws-smithy-eventstream": (
        'aws-smithy-eventstream = "0.60"\naws-smithy-types = "1"\nbytes = "1"',
        'use aws_smithy_types::event_stream::{Header, HeaderValue, Message};\n'
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let m = Message::new(a[1].clone().into_bytes())\n'
        '    .add_header(Header::new(":event-type", HeaderValue::String(a[1].clone().into())));\n'
        '  let mut out = Vec::new();\n'
        '  aws_smithy_eventstream::frame::write_message_to(&m, &mut out).unwrap();\n'
        '  let mut buf = bytes::Bytes::from(out);\n'
        '  let back = aws_smithy_eventstream::frame::read_message_from(&mut buf).unwrap();\n'
        '  println!("{}", back.payload().len());\n'
        '}',
    ),
    # In place of `aws_chunked.rs`: smithy-rs's `aws-chunked` body (a body framed with a
    # trailing CRC32, its frames collected).
    "aws-runtime": (
        'aws-runtime = { version = "1", features = ["http-1x"] }\n'
        'aws-smithy-types = { version = "1", features = ["http-body-1-x"] }\n'
        'http-body-util = "0.1"\ntokio = { version = "1", features = ["rt"] }',
        'use aws_runtime::content_encoding::{AwsChunkedBody, AwsChunkedBodyOptions};\n'
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let data = a[1].clone().into_bytes();\n'
        '  let opts = AwsChunkedBodyOptions::new(data.len() as u64, vec![]);\n'
        '  let body = AwsChunkedBody::new(aws_smithy_types::body::SdkBody::from(data), opts);\n'
        '  let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();\n'
        '  let out = rt.block_on(http_body_util::BodyExt::collect(body)).unwrap().to_bytes();\n'
        '  println!("{}", out.len());\n'
        '}',
    ),
    # In place of the table walk of `protocol/rpc_v2_cbor.rs`: ciborium's serde layer (a
    # body read into its `Value`), over the `ciborium-ll` the runtime uses.
    "ciborium": (
        'ciborium = "0.2"',
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let v: ciborium::Value = ciborium::de::from_reader(a[1].as_bytes()).unwrap_or(ciborium::Value::Null);\n'
        '  let mut out = Vec::new();\n'
        '  ciborium::ser::into_writer(&v, &mut out).unwrap();\n'
        '  println!("{}", out.len());\n'
        '}',
    ),
    # The XML layer's parser (`xml.rs`, which replaced our own STS reader): the events of
    # a document read with no feature.
    "quick-xml": (
        'quick-xml = { version = "0.42", default-features = false }',
        'fn main() {\n'
        '  let a: Vec<String> = std::env::args().collect();\n'
        '  let mut r = quick_xml::Reader::from_str(&a[1]);\n'
        '  let mut n = 0;\n'
        '  while !matches!(r.read_event(), Ok(quick_xml::events::Event::Eof) | Err(_)) { n += 1; }\n'
        '  println!("{n}");\n'
        '}',
    ),
}


def measure(root, name, dep, body):
    d = os.path.join(root, name)
    os.makedirs(os.path.join(d, "src"), exist_ok=True)
    with open(os.path.join(d, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "m-{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{dep}\n')
    with open(os.path.join(d, "src", "main.rs"), "w") as f:
        f.write(body)
    subprocess.run(["cargo", "fetch", "-q"], cwd=d, check=True)
    t = time.time()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=d, check=True)
    wall = time.time() - t
    binary = os.path.join(d, "target", "release", f"m-{name}")
    stripped = binary + ".stripped"
    subprocess.run(["strip", "-o", stripped, binary], check=True)
    tree = subprocess.run(
        ["cargo", "tree", "-e", "normal", "--prefix", "none"], cwd=d, check=True, capture_output=True, text=True
    ).stdout
    crates = len(set(line.split(" (")[0] for line in tree.splitlines() if line.strip()))
    return wall, os.path.getsize(stripped), crates


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", help="build in this directory and keep it")
    ap.add_argument("--only", help="measure this candidate (and the empty program) only")
    opts = ap.parse_args()
    root = opts.keep or tempfile.mkdtemp(prefix="awsgen-libcosts-")
    try:
        print("| crate | clean release build | stripped binary | crates |")
        print("|---|---|---|---|")
        for name, (dep, body) in CANDIDATES.items():
            if opts.only and name not in ("empty", opts.only):
                continue
            wall, size, crates = measure(root, name, dep, body)
            print(f"| {name} | {wall:.2f} s | {size / 1000:.0f} KB | {crates} |", flush=True)
    finally:
        if not opts.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
