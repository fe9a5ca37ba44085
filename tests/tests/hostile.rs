//! Issue #10: hostile servers. A raw TCP server on 127.0.0.1 answers each request with
//! scripted bytes (not necessarily HTTP a well-behaved server would send): truncated
//! bodies, invalid UTF-8, deep nesting, oversized and endless bodies, resets mid-body,
//! broken chunking, wrong types, out-of-range numbers, duplicate keys, HTML. Every case
//! must end quickly in a clear error (or, for duplicate keys, the value botocore keeps),
//! never a panic or a hang, and keep what the server said.

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionError, DeleteConnectionInput, DeleteConnectionInputRequired,
};
use awsgen_dms::{Client, Config, Credentials, RequestError, RetryConfig, TimeoutConfig};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// What the server does after reading a request.
enum Act {
    /// Writes these bytes, then closes.
    Send(Vec<u8>),
    /// Writes the head, then the body one byte at a time forever (until the client goes).
    Drip(Vec<u8>),
    /// Writes these bytes, then resets the connection (RST, not FIN).
    Reset(Vec<u8>),
}

/// Serves one connection with `act`, on a thread; returns the endpoint URL.
fn serve(act: Act) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let Ok((mut s, _)) = listener.accept() else {
            return;
        };
        read_request(&mut s);
        match act {
            Act::Send(bytes) => {
                let _ = s.write_all(&bytes);
                let _ = s.shutdown(Shutdown::Write);
                // Let the client read everything before the socket goes.
                let _ = s.read(&mut [0u8; 1]);
            }
            Act::Drip(head) => {
                let _ = s.write_all(&head);
                while s.write_all(b" ").is_ok() {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
            Act::Reset(bytes) => {
                let _ = s.write_all(&bytes);
                let _ = s.flush();
                std::thread::sleep(Duration::from_millis(50));
                let _ = socket_reset(s);
            }
        }
    });
    url
}

/// Closes with a reset: `SO_LINGER` on with a zero timeout, then close.
fn socket_reset(s: TcpStream) -> std::io::Result<()> {
    let socket = tokio::net::TcpSocket::from_std_stream(s);
    socket.set_zero_linger()?;
    drop(socket);
    Ok(())
}

/// Reads one request: the head, then `content-length` bytes.
fn read_request(s: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = s.read(&mut chunk) else { return };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let Ok(n) = s.read(&mut chunk) else { return };
                if n == 0 {
                    return;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return;
        }
    }
}

fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for h in headers {
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn ok_json(body: &[u8]) -> Vec<u8> {
    http(
        "200 OK",
        &[
            "content-type: application/x-amz-json-1.1",
            "x-amzn-requestid: hostile-1",
            &format!("content-length: {}", body.len()),
        ],
        body,
    )
}

fn client(url: &str) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .endpoint_url(url)
            .retry(RetryConfig::disabled())
            .timeouts(TimeoutConfig {
                connect: Some(Duration::from_secs(2)),
                read: Some(Duration::from_secs(2)),
                attempt: Some(Duration::from_secs(2)),
                operation: Some(Duration::from_secs(3)),
            })
            .max_response_body(1 << 20)
            .build(),
    )
}

fn input() -> DeleteConnectionInput {
    DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "arn:e".into(),
        replication_instance_arn: "arn:r".into(),
    })
}

/// Sends DeleteConnection to a server doing `act`; the result and how long it took.
async fn call(act: Act) -> (Result<String, DeleteConnectionError>, Duration) {
    let url = serve(act);
    let start = Instant::now();
    let result = client(&url).delete_connection(input()).await;
    let took = start.elapsed();
    (
        result.map(|o| o.connection.and_then(|c| c.status).unwrap_or_default()),
        took,
    )
}

/// A request error of the kind `want` names, with text that says what happened.
fn expect(
    name: &str,
    result: Result<String, DeleteConnectionError>,
    took: Duration,
    want: &str,
) -> String {
    assert!(took < Duration::from_secs(5), "{name}: took {took:?}");
    let err = match result {
        Ok(v) => panic!("{name}: succeeded with {v:?}"),
        Err(e) => e,
    };
    let kind = match &err {
        DeleteConnectionError::Request(RequestError::Response {
            status, request_id, ..
        }) => {
            assert_eq!(
                (*status, request_id.as_deref()),
                (200, Some("hostile-1")),
                "{name}"
            );
            "response"
        }
        DeleteConnectionError::Request(RequestError::Transport(_)) => "transport",
        DeleteConnectionError::Request(RequestError::Timeout { .. }) => "timeout",
        DeleteConnectionError::Unhandled(_) => "unhandled",
        _ => "other",
    };
    let text = err.to_string();
    assert_eq!(kind, want, "{name}: {text}");
    assert!(
        !text.is_empty() && text.len() < 8192,
        "{name}: {} bytes of error text",
        text.len()
    );
    format!("{name}: {kind}")
}

#[tokio::test]
async fn hostile_servers_give_clear_errors() {
    let mut seen = Vec::new();

    let (r, t) = call(Act::Send(http(
        "200 OK",
        &["content-length: 1000"],
        br#"{"Connection":{"Sta"#,
    )))
    .await;
    seen.push(expect("truncated body", r, t, "transport"));

    let (r, t) = call(Act::Send(ok_json(
        b"{\"Connection\":{\"Status\":\"\xff\xfe\"}}",
    )))
    .await;
    seen.push(expect("invalid UTF-8", r, t, "response"));

    let deep = "[".repeat(100_000);
    let (r, t) = call(Act::Send(ok_json(
        format!(r#"{{"Connection":{deep}"#).as_bytes(),
    )))
    .await;
    seen.push(expect("deep nesting", r, t, "response"));

    let huge = vec![b' '; 2 << 20];
    let (r, t) = call(Act::Send(ok_json(&huge))).await;
    seen.push(expect("body over the limit", r, t, "transport"));

    let (r, t) = call(Act::Drip(http(
        "200 OK",
        &["transfer-encoding: chunked"],
        b"100000\r\n",
    )))
    .await;
    seen.push(expect("endless slow body", r, t, "timeout"));

    let (r, t) = call(Act::Reset(http(
        "200 OK",
        &["content-length: 100"],
        br#"{"Conn"#,
    )))
    .await;
    seen.push(expect("reset mid-body", r, t, "transport"));

    let (r, t) = call(Act::Send(http(
        "200 OK",
        &["transfer-encoding: chunked"],
        b"zz\r\n{}\r\n0\r\n\r\n",
    )))
    .await;
    seen.push(expect("bad chunking", r, t, "transport"));

    let (r, t) = call(Act::Send(ok_json(br#"{"Connection":{"Status":5}}"#))).await;
    seen.push(expect("wrong type", r, t, "response"));

    let (r, t) = call(Act::Send(ok_json(br#"{"Connection":[]}"#))).await;
    seen.push(expect("array for a structure", r, t, "response"));

    // Integers out of range are errors, not wrapped or saturated values.
    for body in [
        &br#"{"ReplicationInstances":[{"AllocatedStorage":99999999999}]}"#[..],
        br#"{"ReplicationInstances":[{"AllocatedStorage":1e400}]}"#,
        br#"{"ReplicationInstances":[{"AllocatedStorage":-1.5}]}"#,
    ] {
        let url = serve(Act::Send(ok_json(body)));
        let out = client(&url)
            .describe_replication_instances(
                awsgen_dms::operation::describe_replication_instances::DescribeReplicationInstancesInput::new(),
            )
            .await;
        assert!(
            matches!(
                out,
                Err(awsgen_dms::operation::describe_replication_instances::DescribeReplicationInstancesError::Request(
                    RequestError::Response { .. }
                ))
            ),
            "out-of-range number: {out:?}"
        );
    }
    seen.push("out-of-range numbers: response".into());

    // Duplicate keys: the last one wins, as in botocore's json.loads.
    let (r, _) = call(Act::Send(ok_json(
        br#"{"Connection":{"Status":"a","Status":"b"}}"#,
    )))
    .await;
    assert_eq!(r.unwrap(), "b");
    seen.push("duplicate keys: last wins".into());

    let (r, t) = call(Act::Send(http(
        "200 OK",
        &[
            "content-type: text/html",
            "x-amzn-requestid: hostile-1",
            "content-length: 28",
        ],
        b"<html><h1>Welcome</h1></html",
    )))
    .await;
    seen.push(expect("HTML with 200", r, t, "response"));

    let page = b"<html><body><h1>503 Service Unavailable</h1></body></html>";
    let (r, t) = call(Act::Send(http(
        "503 Service Unavailable",
        &[
            "content-type: text/html",
            &format!("content-length: {}", page.len()),
        ],
        page,
    )))
    .await;
    let text = r.as_ref().err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        text.starts_with("503 when calling DeleteConnection: <html>"),
        "{text}"
    );
    seen.push(expect("HTML with 503", r, t, "unhandled"));

    let (r, t) = call(Act::Send(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec())).await;
    seen.push(expect("not HTTP at all", r, t, "transport"));

    println!(
        "hostile server: {} cases, each a clear error or botocore's value",
        seen.len()
    );
    for s in &seen {
        println!("  {s}");
    }
}

/// Issue #27: hostile XML answers to a rest-xml client (Route 53's
/// ListResourceRecordSets, generated by this crate's build script) from the raw server:
/// a DOCTYPE with entities, deep nesting, a huge text, invalid UTF-8, text after the root.
/// Each ends in a clear error (status and request id kept) or the members it can read;
/// then every prefix of a valid answer and of an error answer, read in process.
#[tokio::test]
async fn hostile_xml_answers_give_clear_errors() {
    use awsgen_tests::route53;
    use route53::operation::list_resource_record_sets::{
        ListResourceRecordSetsError, ListResourceRecordSetsInput,
    };
    let xml = |status: &str, body: &[u8]| {
        http(
            status,
            &[
                "content-type: text/xml",
                "x-amzn-requestid: hostile-xml",
                &format!("content-length: {}", body.len()),
            ],
            body,
        )
    };
    let call = |reply: Vec<u8>| async move {
        let url = serve(Act::Send(reply));
        let config = awsgen_runtime::Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None, None, "test"))
            .endpoint_url(&url)
            .retry(RetryConfig::disabled())
            .max_response_body(1 << 20)
            .build();
        let start = Instant::now();
        let r = route53::client::Client::new(config)
            .list_resource_record_sets(ListResourceRecordSetsInput::new("Z1"))
            .await;
        assert!(start.elapsed() < Duration::from_secs(5));
        r
    };
    let refused = |name: &str, r: Result<_, ListResourceRecordSetsError>, says: &str| {
        let err = r.err().unwrap_or_else(|| panic!("{name}: succeeded"));
        let ListResourceRecordSetsError::Request(RequestError::Response {
            status, request_id, ..
        }) = &err
        else {
            panic!("{name}: {err:?}");
        };
        assert_eq!(
            (*status, request_id.as_deref()),
            (200, Some("hostile-xml")),
            "{name}"
        );
        let text = err.to_string();
        assert!(text.contains(says) && text.len() < 8192, "{name}: {text}");
    };

    let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<ListResourceRecordSetsResponse><NextRecordName>&lol2;</NextRecordName></ListResourceRecordSetsResponse>"#;
    refused("DOCTYPE", call(xml("200 OK", laughs)).await, "DOCTYPE");

    let entity = b"<ListResourceRecordSetsResponse><NextRecordName>&ext;</NextRecordName></ListResourceRecordSetsResponse>";
    refused(
        "unknown entity",
        call(xml("200 OK", entity)).await,
        "entity",
    );

    let deep = format!("<ListResourceRecordSetsResponse>{}", "<a>".repeat(100_000));
    // Three bytes an element, 100,000 deep: passed over in one pass without recursion
    // (no tree is built), and refused where the body ends inside them.
    refused(
        "deep nesting of tiny elements",
        call(xml("200 OK", deep.as_bytes())).await,
        "ends inside an element",
    );
    let deep = format!(
        "<ListResourceRecordSetsResponse>{}",
        "<unknown-element-name>".repeat(20_000)
    );
    refused(
        "deep nesting, unclosed",
        call(xml("200 OK", deep.as_bytes())).await,
        "ends inside an element",
    );

    let closed = format!(
        "<ListResourceRecordSetsResponse>{}{}<MaxItems>1</MaxItems></ListResourceRecordSetsResponse>",
        "<unknown-element-name>".repeat(20_000),
        "</unknown-element-name>".repeat(20_000)
    );
    let out = call(xml("200 OK", closed.as_bytes())).await.unwrap();
    assert_eq!(
        out.max_items.as_deref(),
        Some("1"),
        "deep unknown elements are skipped"
    );

    let huge = format!(
        "<ListResourceRecordSetsResponse><NextRecordName>{}</NextRecordName></ListResourceRecordSetsResponse>",
        "x".repeat(900_000)
    );
    let out = call(xml("200 OK", huge.as_bytes())).await.unwrap();
    assert_eq!(out.next_record_name.map(|n| n.len()), Some(900_000));

    let utf8 = b"<ListResourceRecordSetsResponse><NextRecordName>\xff\xfe</NextRecordName></ListResourceRecordSetsResponse>";
    refused("invalid UTF-8", call(xml("200 OK", utf8)).await, "UTF-8");

    let trailing = b"<ListResourceRecordSetsResponse/><second/>";
    refused(
        "a second root",
        call(xml("200 OK", trailing)).await,
        "second element",
    );

    let wrong = b"<ListResourceRecordSetsResponse><MaxItems>1</MaxItems><IsTruncated>maybe</IsTruncated><ResourceRecordSets><ResourceRecordSet><TTL>ten</TTL></ResourceRecordSet></ResourceRecordSets></ListResourceRecordSetsResponse>";
    refused(
        "a word for a number",
        call(xml("200 OK", wrong)).await,
        "`ten` is not an integer",
    );

    // Every prefix of a valid answer and of an error answer: never a panic.
    let valid = br#"<?xml version="1.0"?><ListResourceRecordSetsResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ResourceRecordSets><ResourceRecordSet><Name>a.example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet></ResourceRecordSets><IsTruncated>true</IsTruncated><NextRecordName>b&amp;c</NextRecordName><NextRecordType>TXT</NextRecordType><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>"#;
    let fault = br#"<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No &lt;zone&gt;</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"#;
    let mut read = 0;
    for body in [&valid[..], &fault[..]] {
        for end in 0..=body.len() {
            read += usize::from(awsgen_tests::fuzz::rest_xml_output(&body[..end]));
            awsgen_tests::fuzz::xml_parser(&body[..end]);
        }
    }
    // Whole answers read; the valid one's prefixes do not (the fault reads as an empty
    // output: its root is not the answer's, and botocore would read it so too).
    assert!(awsgen_tests::fuzz::rest_xml_output(valid));
    assert!(read >= 2, "{read}");
    println!(
        "hostile XML: 11 answers and {} prefixes, each a clear error or what it holds",
        valid.len() + fault.len() + 2
    );
}
