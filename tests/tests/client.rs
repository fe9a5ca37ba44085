//! The DMS client end to end against a real HTTP server on 127.0.0.1 (started by each
//! test) standing in for AWS: the exact request, the signature, every fault form, broken
//! responses, retries, timeouts, connection failures.

mod common;

use common::{config, json, signature_over, Recorded, Reply, Server, AKID, SECRET};

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionError, DeleteConnectionInput, DeleteConnectionInputRequired,
};
use awsgen_dms::operation::describe_endpoints::DescribeEndpointsInput;
use awsgen_dms::types::DmsSslModeValue;
use awsgen_dms::{
    Client, Config, Credentials, ProvideErrorMetadata, RequestError, RequestId, RetryConfig,
    TimeoutConfig,
};
use awsgen_runtime::http::TransportError;
use awsgen_runtime::TimeoutKind;
use std::time::Duration;

const ENDPOINT_ARN: &str = "arn:aws:dms:us-east-1:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const INSTANCE_ARN: &str = "arn:aws:dms:us-east-1:123456789012:rep:ZYXWVUTSRQPONMLKJIHGFEDCBA";

fn client(server: &Server) -> Client {
    Client::new(config(&server.url()).build())
}

fn input() -> DeleteConnectionInput {
    DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: ENDPOINT_ARN.into(),
        replication_instance_arn: INSTANCE_ARN.into(),
    })
}

const CONNECTION: &str = r#"{"Connection":{"ReplicationInstanceArn":"arn:aws:dms:us-east-1:123456789012:rep:ZYXWVUTSRQPONMLKJIHGFEDCBA","EndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ","Status":"deleting","EndpointIdentifier":"src","ReplicationInstanceIdentifier":"ri"}}"#;

/// The signature `aws-sigv4` (the official SDK's implementation) computes for what the
/// server received: the headers we claim to sign, the body, the fixed time.
fn independent_signature(req: &Recorded, session_token: Option<&str>) -> String {
    signature_over(
        req,
        "dms",
        &["content-type", "host", "x-amz-target"],
        session_token,
    )
}

#[tokio::test]
async fn delete_connection_sends_exactly_what_botocore_sends() {
    let server = Server::start(vec![json(200, "req-ok", CONNECTION)]).await;
    let out = client(&server).delete_connection(input()).await.unwrap();
    assert_eq!(out.request_id(), Some("req-ok"));
    let conn = out.connection.unwrap();
    assert_eq!(conn.status.as_deref(), Some("deleting"));
    assert_eq!(conn.endpoint_arn.as_deref(), Some(ENDPOINT_ARN));

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(
        r.header("x-amz-target"),
        Some("AmazonDMSv20160101.DeleteConnection")
    );
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(r.header("x-amz-date"), Some("20150830T123600Z"));
    assert_eq!(
        r.header("host"),
        Some(server.addr.to_string().as_str()),
        "host with port"
    );
    assert_eq!(r.header("x-amz-security-token"), None);
    let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"EndpointArn": ENDPOINT_ARN, "ReplicationInstanceArn": INSTANCE_ARN})
    );

    let auth = r.header("authorization").unwrap();
    let expected_sig = independent_signature(r, None);
    assert_eq!(
        auth,
        format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={expected_sig}")
    );
}

#[tokio::test]
async fn session_tokens_are_sent_and_signed() {
    let server = Server::start(vec![json(200, "r", "{}")]).await;
    let c = Client::new(
        config(&server.url())
            .credentials(Credentials::new(
                AKID,
                SECRET,
                Some("SESSION-TOKEN-123".into()),
                None,
                "test",
            ))
            .build(),
    );
    c.delete_connection(input()).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-amz-security-token"), Some("SESSION-TOKEN-123"));
    let auth = r.header("authorization").unwrap();
    assert!(
        auth.contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
        ),
        "{auth}"
    );
    assert!(
        auth.ends_with(&format!(
            "Signature={}",
            independent_signature(r, Some("SESSION-TOKEN-123"))
        )),
        "{auth}"
    );
}

#[tokio::test]
async fn every_fault_from_every_code_form() {
    let faults = [
        "AccessDeniedFault",
        "ResourceNotFoundFault",
        "InvalidResourceStateFault",
    ];
    for fault in faults {
        let forms: Vec<Reply> = vec![
            json(
                400,
                "rid",
                &format!(r#"{{"__type":"{fault}","message":"it failed"}}"#),
            ),
            json(
                400,
                "rid",
                &format!(r#"{{"__type":"com.amazonaws.dms#{fault}","message":"it failed"}}"#),
            ),
            json(
                400,
                "rid",
                &format!(
                    r#"{{"__type":"{fault}:http://internal.amazon.com/coral/com.amazonaws.dms/","Message":"it failed"}}"#
                ),
            ),
            Reply::Http(
                400,
                vec![
                    (
                        "x-amzn-errortype",
                        format!("{fault}:http://internal.amazon.com/"),
                    ),
                    ("x-amzn-requestid", "rid".into()),
                ],
                br#"{"message":"it failed"}"#.to_vec(),
            ),
            json(
                400,
                "rid",
                &format!(r#"{{"code":"{fault}","message":"it failed"}}"#),
            ),
        ];
        for (i, form) in forms.into_iter().enumerate() {
            let server = Server::start(vec![form]).await;
            let err = client(&server)
                .delete_connection(input())
                .await
                .unwrap_err();
            let ok = match (&err, fault) {
                (DeleteConnectionError::AccessDeniedFault(f), "AccessDeniedFault") => {
                    f.message.as_deref() == Some("it failed") || i == 2
                }
                (DeleteConnectionError::ResourceNotFoundFault(f), "ResourceNotFoundFault") => {
                    f.message.as_deref() == Some("it failed") || i == 2
                }
                (
                    DeleteConnectionError::InvalidResourceStateFault(f),
                    "InvalidResourceStateFault",
                ) => f.message.as_deref() == Some("it failed") || i == 2,
                _ => false,
            };
            assert!(ok, "{fault} form {i}: {err:?}");
            assert_eq!(err.code(), Some(fault), "form {i}");
            assert_eq!(err.message(), Some("it failed"), "form {i}");
            assert_eq!(err.request_id(), Some("rid"), "form {i}");
            assert_eq!(
                err.to_string(),
                format!(
                    "{fault} when calling DeleteConnection: it failed (HTTP 400, request id rid)"
                )
            );
            assert_eq!(
                server.requests().len(),
                1,
                "a modelled fault is not retried"
            );
        }
    }
}

#[tokio::test]
async fn unmodelled_codes_keep_everything() {
    let server = Server::start(vec![json(
        400,
        "rid-9",
        r#"{"__type":"ValidationException","message":"1 validation error"}"#,
    )])
    .await;
    let err = client(&server)
        .delete_connection(input())
        .await
        .unwrap_err();
    let DeleteConnectionError::Unhandled(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (
            u.code(),
            u.message(),
            u.meta().status(),
            u.meta().request_id()
        ),
        (
            "ValidationException",
            Some("1 validation error"),
            Some(400),
            Some("rid-9")
        )
    );
    assert_eq!(
        err.to_string(),
        "ValidationException when calling DeleteConnection: 1 validation error (HTTP 400, request id rid-9)"
    );
}

#[tokio::test]
async fn html_error_pages_are_unhandled_with_status_and_body() {
    let page = b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec();
    let server = Server::start(vec![Reply::Http(
        502,
        vec![("content-type", "text/html".into())],
        page,
    )])
    .await;
    let c = Client::new(config(&server.url()).retry(RetryConfig::disabled()).build());
    let err = c.delete_connection(input()).await.unwrap_err();
    let DeleteConnectionError::Unhandled(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.meta().status(), Some(502));
    assert!(u.body().contains("502 Bad Gateway"));
    // As boto3 shows it: the status as the code, the start of the page as the message.
    assert_eq!(u.meta().code(), "502");
    assert_eq!(
        err.to_string(),
        "502 when calling DeleteConnection: <html><body><h1>502 Bad Gateway</h1></body></html> (HTTP 502)"
    );
}

/// Issue #30: a 100 KB HTML page (a load balancer's) comes back whole from `message()`,
/// as boto3's message is the whole body; `Display` shows one bounded, printable line.
#[tokio::test]
async fn a_large_html_error_page_is_whole_in_message_and_bounded_in_display() {
    let mut page =
        String::from("<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n");
    while page.len() < 100 * 1024 - 20 {
        page.push_str("<p>upstream said no</p>\n");
    }
    page.push_str("</body></html>\n");
    let server = Server::start(vec![Reply::Http(
        500,
        vec![("content-type", "text/html".into())],
        page.clone().into_bytes(),
    )])
    .await;
    let c = Client::new(config(&server.url()).retry(RetryConfig::disabled()).build());
    let err = c.delete_connection(input()).await.unwrap_err();
    assert_eq!(err.meta().and_then(|m| m.message()), Some(page.as_str()));
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "500 when calling DeleteConnection: <html> <head><title>500 Internal Server Error</title></head> <body> <p>"
        ),
        "{shown}"
    );
    assert!(
        shown.ends_with(&format!(
            "… (message() has all {} bytes) (HTTP 500)",
            page.len()
        )),
        "{shown}"
    );
    assert!(
        shown.len() < 1200 && !shown.contains('\n'),
        "{}",
        shown.len()
    );
}

/// Issue #10: `http://user:pass@host` endpoints showed the password in `Debug` of
/// `Config` and `Client`.
#[test]
fn endpoint_user_info_is_never_shown() {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://user:hunter2@127.0.0.1:9/")
        .build();
    let client = Client::new(config.clone());
    for shown in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("http://***@127.0.0.1:9/"), "{shown}");
    }
}

#[tokio::test]
async fn broken_success_bodies_are_request_errors_not_panics() {
    for body in [
        r#"{"Connection":{"Status":"del"#,
        "<html>not json</html>",
        r#"{"Connection": 42}"#,
    ] {
        let server = Server::start(vec![json(200, "rid-b", body)]).await;
        let err = client(&server)
            .delete_connection(input())
            .await
            .unwrap_err();
        match &err {
            DeleteConnectionError::Request(RequestError::Response {
                status,
                request_id,
                body: kept,
                ..
            }) => {
                assert_eq!(*status, 200);
                assert_eq!(request_id.as_deref(), Some("rid-b"));
                assert_eq!(kept, body);
            }
            other => panic!("{body}: {other:?}"),
        }
        assert_eq!(err.request_id(), Some("rid-b"));
        assert!(
            err.to_string()
                .starts_with("unreadable response (HTTP 200, request id rid-b): "),
            "{err}"
        );
    }
}

#[tokio::test]
async fn empty_bodies_unknown_members_and_unknown_enum_values() {
    let server = Server::start(vec![json(200, "r1", "")]).await;
    let out = client(&server).delete_connection(input()).await.unwrap();
    assert!(out.connection.is_none());
    assert_eq!(out.request_id(), Some("r1"));

    let body = r#"{"Endpoints":[{"EndpointIdentifier":"e","SslMode":"verify-quantum","BrandNewMember":{"x":1}}],"Marker":null,"NewTopLevel":[1,2]}"#;
    let server = Server::start(vec![json(200, "r2", body)]).await;
    let out = client(&server)
        .describe_endpoints(DescribeEndpointsInput::new())
        .await
        .unwrap();
    let ep = &out.endpoints.as_ref().unwrap()[0];
    assert_eq!(
        ep.ssl_mode,
        Some(DmsSslModeValue::Unknown("verify-quantum".into()))
    );
    assert_eq!(
        server.requests()[0].header("x-amz-target"),
        Some("AmazonDMSv20160101.DescribeEndpoints")
    );
    assert_eq!(server.requests()[0].body, b"{}");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let big = format!(r#"{{"Connection":{{"Status":"{}"}}}}"#, "x".repeat(100_000));
    let server = Server::start(vec![json(200, "r", &big)]).await;
    let c = Client::new(config(&server.url()).max_response_body(10_000).build());
    let err = c.delete_connection(input()).await.unwrap_err();
    assert!(
        matches!(
            err,
            DeleteConnectionError::Request(RequestError::Transport(TransportError::BodyTooLarge {
                limit: 10_000
            }))
        ),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = Server::start(vec![
        json(
            503,
            "r1",
            r#"{"__type":"ServiceUnavailable","message":"busy"}"#,
        ),
        json(200, "r2", CONNECTION),
    ])
    .await;
    let out = client(&server).delete_connection(input()).await.unwrap();
    assert_eq!(out.request_id(), Some("r2"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn retries_throttling_then_succeeds() {
    for code in [
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
    ] {
        let server = Server::start(vec![
            json(
                400,
                "r1",
                &format!(r#"{{"__type":"{code}","message":"slow down"}}"#),
            ),
            json(200, "r2", "{}"),
        ])
        .await;
        client(&server).delete_connection(input()).await.unwrap();
        assert_eq!(server.requests().len(), 2, "{code}");
    }
}

#[tokio::test]
async fn adaptive_mode_turns_the_rate_limiter_on_at_the_first_throttling_error() {
    use awsgen_dms::RetryConfig;
    use awsgen_runtime::retry::RetryMode;
    let retry = RetryConfig::default()
        .with_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .with_mode(RetryMode::Adaptive);
    let adaptive =
        |server: &Server| Client::new(config(&server.url()).retry(retry.clone()).build());
    // A server error that is not throttling leaves it off.
    let server = Server::start(vec![
        json(500, "r1", r#"{"__type":"InternalFailure","message":"x"}"#),
        json(200, "r2", "{}"),
    ])
    .await;
    let c = adaptive(&server);
    c.delete_connection(input()).await.unwrap();
    assert!(!c.handle().send_rate().unwrap().enabled);
    // A throttling error turns it on, and the rate it allows is cut below what was measured.
    let server = Server::start(vec![
        json(
            400,
            "r1",
            r#"{"__type":"ThrottlingException","message":"slow down"}"#,
        ),
        json(200, "r2", "{}"),
    ])
    .await;
    let c = adaptive(&server);
    c.delete_connection(input()).await.unwrap();
    let rate = c.handle().send_rate().unwrap();
    assert!(rate.enabled, "{rate:?}");
    assert_eq!(server.requests().len(), 2);
    // Other modes have no limiter.
    assert!(client(&server).handle().send_rate().is_none());
}

#[tokio::test]
async fn gives_up_after_three_attempts_with_the_last_error() {
    let server = Server::start(vec![
        json(
            500,
            "r1",
            r#"{"__type":"InternalFailure","message":"first"}"#,
        ),
        json(
            500,
            "r2",
            r#"{"__type":"InternalFailure","message":"second"}"#,
        ),
        json(
            500,
            "r3",
            r#"{"__type":"InternalFailure","message":"third"}"#,
        ),
        json(200, "r4", "{}"),
    ])
    .await;
    let err = client(&server)
        .delete_connection(input())
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(err.message(), Some("third"));
    assert_eq!(err.request_id(), Some("r3"));
    assert!(err.is_unhandled());
}

#[tokio::test]
async fn attempts_are_configurable() {
    let server = Server::start(vec![json(503, "r", "{}")]).await;
    let c = Client::new(
        config(&server.url())
            .retry(
                RetryConfig::default()
                    .with_max_attempts(5)
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(2)),
            )
            .build(),
    );
    c.delete_connection(input()).await.unwrap_err();
    assert_eq!(server.requests().len(), 5);
    let server = Server::start(vec![json(503, "r", "{}")]).await;
    let c = Client::new(config(&server.url()).retry(RetryConfig::disabled()).build());
    c.delete_connection(input()).await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn modelled_faults_are_not_retried_even_with_a_5xx_status() {
    let server = Server::start(vec![
        json(
            500,
            "r",
            r#"{"__type":"InvalidResourceStateFault","message":"busy"}"#,
        ),
        json(200, "r2", "{}"),
    ])
    .await;
    let err = client(&server)
        .delete_connection(input())
        .await
        .unwrap_err();
    assert!(err.is_invalid_resource_state_fault());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_server_that_does_not_answer_hits_the_attempt_timeout() {
    let server = Server::start(vec![Reply::Hang]).await;
    let timeouts = TimeoutConfig {
        connect: Some(Duration::from_secs(1)),
        attempt: Some(Duration::from_millis(150)),
        operation: None,
        ..TimeoutConfig::default()
    };
    let c = Client::new(config(&server.url()).timeouts(timeouts).build());
    let start = std::time::Instant::now();
    let err = c.delete_connection(input()).await.unwrap_err();
    assert!(
        matches!(err, DeleteConnectionError::Request(RequestError::Timeout { kind: TimeoutKind::Attempt, after }) if after == Duration::from_millis(150)),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3, "timeouts are retried");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(err.to_string(), "attempt timed out after 150ms");
}

#[tokio::test]
async fn the_operation_timeout_bounds_everything() {
    let server = Server::start(vec![Reply::Hang]).await;
    let timeouts = TimeoutConfig {
        connect: None,
        attempt: None,
        operation: Some(Duration::from_millis(200)),
        ..TimeoutConfig::default()
    };
    let c = Client::new(config(&server.url()).timeouts(timeouts).build());
    let err = c.delete_connection(input()).await.unwrap_err();
    assert!(
        matches!(
            err,
            DeleteConnectionError::Request(RequestError::Timeout {
                kind: TimeoutKind::Operation,
                ..
            })
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_reported_as_such() {
    // A port that was just free: bind, note it, close.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let c = Client::new(config(&format!("http://{addr}")).build());
    let err = c.delete_connection(input()).await.unwrap_err();
    match &err {
        DeleteConnectionError::Request(RequestError::Transport(TransportError::Connect(_))) => {}
        other => panic!("{other:?}"),
    }
    // The top line says where it went and what failed (issue #25).
    assert_eq!(
        err.to_string(),
        format!("connecting to {addr}: connection refused")
    );
    assert_eq!(err.operation(), "DeleteConnection");
    // The cause is the source chain: every layer's text once, the io::Error reachable.
    let mut texts = vec![err.to_string()];
    let mut io = None;
    let mut cur = std::error::Error::source(&err);
    while let Some(e) = cur {
        texts.push(e.to_string());
        if let Some(e) = e.downcast_ref::<std::io::Error>() {
            io = Some(e.kind());
        }
        cur = e.source();
    }
    assert_eq!(io, Some(std::io::ErrorKind::ConnectionRefused), "{texts:?}");
    for (i, t) in texts.iter().enumerate() {
        for later in &texts[i + 1..] {
            assert!(
                !t.contains(later.as_str()),
                "{t:?} repeats {later:?}: {texts:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_fault_names_its_operation_and_its_chain_does_not_repeat() {
    let server = Server::start(vec![json(
        400,
        "req-9",
        r#"{"__type":"ResourceNotFoundFault","message":"gone"}"#,
    )])
    .await;
    let err = client(&server)
        .delete_connection(input())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "ResourceNotFoundFault when calling DeleteConnection: gone (HTTP 400, request id req-9)"
    );
    assert_eq!(
        err.meta().and_then(|m| m.operation()),
        Some("DeleteConnection")
    );
    // Transparent all the way down: nothing below repeats the text.
    assert!(std::error::Error::source(&err).is_none());
    let service_wide: awsgen_dms::Error = err.into();
    assert!(std::error::Error::source(&service_wide).is_none());
    assert!(service_wide
        .to_string()
        .contains("when calling DeleteConnection"));
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let server = Server::start(vec![json(200, "r", "{}")]).await;
    let env = awsgen_runtime::credentials::Env::from_pairs([
        ("HOME", "/nonexistent"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", &server.url()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let c = Client::new(Config::from_env_vars(&env).unwrap());
    let err = c.delete_connection(input()).await.unwrap_err();
    assert!(
        matches!(
            err,
            DeleteConnectionError::Request(RequestError::Credentials(_))
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("AWS_ACCESS_KEY_ID is not set"),
        "{err}"
    );
    assert!(server.requests().is_empty());
}

/// The default chain end to end: a client from the environment gets its credentials
/// from a local fake IMDS, or a local fake container endpoint, and signs with them.
#[tokio::test]
async fn the_default_chain_reaches_imds_and_the_container_endpoint() {
    let creds = r#"{"Code":"Success","AccessKeyId":"AKIDFROMHOST","SecretAccessKey":"s","Token":"host-token","Expiration":"2099-01-01T00:00:00Z"}"#;
    let imds = Server::start(vec![
        json(200, "t", "session-token"),
        json(200, "r", "the-role"),
        json(200, "c", creds),
    ])
    .await;
    let container = Server::start(vec![json(200, "c", creds)]).await;
    for (var, value, fake) in [
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url(), &imds),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", container.url()),
            &container,
        ),
    ] {
        let server = Server::start(vec![json(200, "r", "{}")]).await;
        let env = awsgen_runtime::credentials::Env::from_pairs([
            ("HOME", "/nonexistent".to_string()),
            ("AWS_REGION", "us-east-1".to_string()),
            ("AWS_ENDPOINT_URL", server.url()),
            (var, value),
        ]);
        let c = Client::new(Config::from_env_vars(&env).unwrap());
        c.delete_connection(input()).await.unwrap();
        c.delete_connection(input()).await.unwrap();
        let sent = server.requests();
        assert!(sent[0]
            .header("authorization")
            .unwrap()
            .contains("Credential=AKIDFROMHOST/"));
        assert_eq!(sent[1].header("x-amz-security-token"), Some("host-token"));
        // Cached: the host was asked once (IMDS: token, role, credentials).
        let asked = fake.requests();
        assert_eq!(
            asked.len(),
            if var.contains("METADATA") { 3 } else { 1 },
            "{var}"
        );
    }
    let imds_requests = imds.requests();
    assert_eq!(
        (
            imds_requests[0].method.as_str(),
            imds_requests[0].path.as_str()
        ),
        ("PUT", "/latest/api/token")
    );
    assert_eq!(
        imds_requests[2].path,
        "/latest/meta-data/iam/security-credentials/the-role"
    );
}

#[tokio::test]
async fn invalid_endpoint_configuration_is_an_error_not_a_wrong_url() {
    let c = Client::new(config("https://example.com").use_fips(true).build());
    let err = c.delete_connection(input()).await.unwrap_err();
    match &err {
        DeleteConnectionError::Request(RequestError::Endpoint(e)) => assert_eq!(e.to_string(), "endpoint resolution failed: Invalid Configuration: FIPS and custom endpoint are not supported"),
        other => panic!("{other:?}"),
    }
    let no_region = Client::new(
        Config::builder()
            .credentials(Credentials::new(AKID, SECRET, None, None, "t"))
            .build(),
    );
    let err = no_region.delete_connection(input()).await.unwrap_err();
    // Reported as what it is, with the fix, not as an endpoint rule error.
    assert!(
        matches!(err, DeleteConnectionError::Request(RequestError::NoRegion)),
        "{err:?}"
    );
    assert!(err.to_string().contains("set AWS_REGION"), "{err}");
}

#[tokio::test]
async fn endpoint_url_from_the_service_specific_variable() {
    let server = Server::start(vec![json(200, "r", "{}")]).await;
    let env = awsgen_runtime::credentials::Env::from_pairs([
        ("HOME", "/nonexistent"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", AKID),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
        ("AWS_ENDPOINT_URL_DMS", &server.url()),
    ]);
    Client::new(Config::from_env_vars(&env).unwrap())
        .delete_connection(input())
        .await
        .unwrap();
    assert_eq!(
        server.requests().len(),
        1,
        "AWS_ENDPOINT_URL_DMS wins over AWS_ENDPOINT_URL"
    );
}

#[tokio::test]
async fn errors_never_show_secrets() {
    let server = Server::start(vec![json(
        403,
        "r",
        r#"{"__type":"AccessDeniedFault","message":"no"}"#,
    )])
    .await;
    let c = Client::new(
        config(&server.url())
            .credentials(Credentials::new(
                AKID,
                SECRET,
                Some("TOKEN-SECRET".into()),
                None,
                "t",
            ))
            .build(),
    );
    let err = c.delete_connection(input()).await.unwrap_err();
    for text in [format!("{err}"), format!("{err:?}"), format!("{c:?}")] {
        assert!(
            !text.contains("EXAMPLEKEY") && !text.contains("TOKEN-SECRET"),
            "{text}"
        );
    }
}

/// Issue #11: members marked `idempotencyToken` are filled with a fresh UUID v4 when the
/// caller leaves them unset (as botocore does), so a retried create runs once; a source
/// set in the config replaces the UUIDs, and a token the caller sets is sent as it is.
#[tokio::test]
async fn idempotency_tokens_are_filled_on_the_wire() {
    use awsgen_tests::fixture::client::Client as FixtureClient;
    use awsgen_tests::fixture::operation::put_node::{PutNodeInput, PutNodeInputRequired};
    use awsgen_tests::fixture::types::Node;
    let input = || {
        PutNodeInput::new(PutNodeInputRequired {
            node: Node::new("root"),
            r#type: "t".into(),
        })
    };
    let sent_token = |r: &Recorded| {
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        body["ClientToken"].as_str().map(str::to_string)
    };
    let server = Server::start(vec![
        json(200, "r1", "{}"),
        json(200, "r2", "{}"),
        json(200, "r3", "{}"),
        json(200, "r4", "{}"),
    ])
    .await;
    let random = FixtureClient::new(config(&server.url()).build());
    random.put_node(input()).await.unwrap();
    random.put_node(input()).await.unwrap();
    let fixed = FixtureClient::new(
        config(&server.url())
            .idempotency_token_source(|| "fixed-token".to_string())
            .build(),
    );
    fixed.put_node(input()).await.unwrap();
    fixed.put_node(input().client_token("mine")).await.unwrap();
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|r| sent_token(r).expect("a ClientToken"))
        .collect();
    for uuid in &tokens[..2] {
        let parts: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{uuid}"
        );
        assert!(parts[2].starts_with('4'), "{uuid}");
    }
    assert_ne!(tokens[0], tokens[1], "a fresh token per call");
    assert_eq!(tokens[2..], ["fixed-token", "mine"]);
}

/// Issue #11: a query-compatible service (the fixture model is marked
/// `awsQueryCompatible`) gets `x-amzn-query-mode: true` on every request, and an error's
/// `x-amzn-query-error` gives the legacy code and the fault type, while the modelled fault
/// is still found by its shape name.
#[tokio::test]
async fn query_compatible_services_send_the_mode_and_read_the_legacy_code() {
    use awsgen_dms::ProvideErrorMetadata;
    use awsgen_tests::fixture::client::Client as FixtureClient;
    use awsgen_tests::fixture::operation::put_node::{
        PutNodeError, PutNodeInput, PutNodeInputRequired,
    };
    use awsgen_tests::fixture::types::Node;
    let fault = Reply::Http(
        400,
        vec![
            ("content-type", "application/x-amz-json-1.1".into()),
            ("x-amzn-requestid", "rq".into()),
            ("x-amzn-query-error", "Legacy.NodeInvalid;Sender".into()),
        ],
        br#"{"__type":"NodeFault","Message":"bad node"}"#.to_vec(),
    );
    let server = Server::start(vec![fault]).await;
    let fixture = FixtureClient::new(config(&server.url()).retry(RetryConfig::disabled()).build());
    let err = fixture
        .put_node(PutNodeInput::new(PutNodeInputRequired {
            node: Node::new("n"),
            r#type: "t".into(),
        }))
        .await
        .unwrap_err();
    let PutNodeError::NodeFault(f) = &err else {
        panic!("not found by shape name: {err:?}")
    };
    assert_eq!(f.meta().code(), "Legacy.NodeInvalid");
    assert_eq!(f.meta().shape_code(), "NodeFault");
    assert_eq!(f.meta().error_type(), Some("Sender"));
    assert_eq!(err.code(), Some("Legacy.NodeInvalid"));
    let req = &server.requests()[0];
    assert_eq!(req.header("x-amzn-query-mode"), Some("true"));
    // DMS is not query-compatible: its requests do not carry the header.
    let dms_server = Server::start(vec![json(200, "r", CONNECTION)]).await;
    client(&dms_server)
        .delete_connection(input())
        .await
        .unwrap();
    assert_eq!(dms_server.requests()[0].header("x-amzn-query-mode"), None);
}

/// Request compression (`requestcompression` on the fixture's `PutNode`), as botocore
/// does it: a body of at least the minimum size is gzipped, then signed, so
/// `Content-Encoding: gzip` is among the signed headers and the signature (checked with
/// `aws-sigv4`) covers the compressed bytes, which unzip to the body sent uncompressed.
/// A smaller body, or any body with compression turned off, is sent as it is.
#[tokio::test]
async fn compressed_requests_are_gzipped_then_signed() {
    use awsgen_tests::fixture::client::Client as FixtureClient;
    use awsgen_tests::fixture::operation::put_node::{PutNodeInput, PutNodeInputRequired};
    use awsgen_tests::fixture::types::Node;
    use std::io::Read;
    let input = |name: &str| {
        PutNodeInput::new(PutNodeInputRequired {
            node: Node::new(name),
            r#type: "t".into(),
        })
    };
    let big = "n".repeat(4000);
    let server = Server::start(vec![json(200, "r", "{}")]).await;
    let fixture = |min: Option<usize>| {
        FixtureClient::new(
            config(&server.url())
                .idempotency_token_source(|| "token".to_string())
                .request_compression(min)
                .build(),
        )
    };
    fixture(Some(1000)).put_node(input(&big)).await.unwrap();
    fixture(Some(1000)).put_node(input("small")).await.unwrap();
    fixture(None).put_node(input(&big)).await.unwrap();
    let reqs = server.requests();
    let (zipped, small, plain) = (&reqs[0], &reqs[1], &reqs[2]);

    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped.body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(
        unzipped, plain.body,
        "the compressed body unzips to the plain one"
    );
    assert!(zipped.body.len() < plain.body.len() / 10);
    let authorization = zipped.header("authorization").unwrap();
    let signed: Vec<&str> = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap()
        .split(';')
        .collect();
    assert!(signed.contains(&"content-encoding"), "{authorization}");
    let expected = signature_over(zipped, "fixture", &signed, None);
    assert!(
        authorization.ends_with(&format!("Signature={expected}")),
        "{authorization} vs {expected}"
    );
    for unzipped in [small, plain] {
        assert_eq!(unzipped.header("content-encoding"), None);
        serde_json::from_slice::<serde_json::Value>(&unzipped.body).unwrap();
    }
}

/// The `Host` header is the one the signature covers, set by us on the request (so a
/// custom `HttpClient` sees it too), exactly once, with the port only when it is not the
/// scheme's default; hyper-util no longer builds its own from the URI on every call.
#[tokio::test]
async fn the_signed_host_is_sent_once_and_reaches_custom_transports() {
    use awsgen_runtime::http::{HttpClient, TransportError};
    use std::sync::{Arc, Mutex};
    #[derive(Debug, Default, Clone)]
    struct Recorder(Arc<Mutex<Vec<http::HeaderMap>>>);
    impl HttpClient for Recorder {
        fn send(
            &self,
            request: http::Request<awsgen_runtime::ByteStream>,
        ) -> awsgen_runtime::BoxFuture<
            '_,
            Result<http::Response<awsgen_runtime::ByteStream>, TransportError>,
        > {
            self.0.lock().unwrap().push(request.headers().clone());
            Box::pin(async {
                Ok(http::Response::builder()
                    .status(200)
                    .header("content-type", "application/x-amz-json-1.1")
                    .body(awsgen_runtime::ByteStream::from(CONNECTION.as_bytes()))
                    .unwrap())
            })
        }
    }
    for (url, host) in [
        ("https://dms.example.com", "dms.example.com"),
        ("https://dms.example.com:443/", "dms.example.com"),
        ("https://dms.example.com:8443", "dms.example.com:8443"),
        ("http://127.0.0.1:80", "127.0.0.1"),
    ] {
        let recorder = Recorder::default();
        Client::new(config(url).http_client(recorder.clone()).build())
            .delete_connection(input())
            .await
            .unwrap();
        let sent = recorder.0.lock().unwrap();
        let hosts: Vec<_> = sent[0].get_all(http::header::HOST).iter().collect();
        assert_eq!(hosts, [host], "{url}");
        let authorization = sent[0]["authorization"].to_str().unwrap();
        assert!(
            authorization.contains("SignedHeaders=content-type;host;"),
            "{authorization}"
        );
    }
    // Through the real transport, the server sees exactly one `Host`, the one signed.
    let server = Server::start(vec![json(200, "r", CONNECTION)]).await;
    client(&server).delete_connection(input()).await.unwrap();
    let req = &server.requests()[0];
    let hosts: Vec<_> = req.headers.iter().filter(|(k, _)| k == "host").collect();
    assert_eq!(hosts.len(), 1, "{hosts:?}");
    assert_eq!(hosts[0].1, server.addr.to_string());
    assert_eq!(independent_signature(req, None), {
        let a = req.header("authorization").unwrap();
        a[a.find("Signature=").unwrap() + 10..].to_string()
    });
}

/// A service and an operation of the request path's own, for bodies no generated
/// operation sends yet (streaming payloads).
mod raw {
    use awsgen_runtime::client::{OperationInfo, ServiceInfo};
    use awsgen_runtime::protocol::AwsJson;

    static PROTOCOL: AwsJson = AwsJson::v1_1();
    pub static SERVICE: ServiceInfo = ServiceInfo {
        service_id: "Upload Service",
        endpoint_prefix: "upload",
        signing_name: "upload",
        endpoint_rule_set: None,
        protocol: &PROTOCOL,
        signer: awsgen_runtime::client::Signer::SigV4,
        s3_express: None,
    };
    pub static PUT: OperationInfo = OperationInfo {
        name: "Put",
        errors: &[],
        gzip_request: false,
        endpoint_params: &[],
        auth: awsgen_runtime::client::Auth::SigV4,
        error_in_200: false,
    };

    pub fn request(body: awsgen_runtime::ByteStream) -> awsgen_runtime::protocol::Request {
        awsgen_runtime::protocol::Request {
            method: http::Method::POST,
            path: String::new(),
            headers: vec![(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/octet-stream"),
            )],
            body,
            mock_input: None,
            endpoint_params: Vec::new(),
            checksum: None,
            streaming_input: true,
            payload_given: true,
            events: None,
            validate_response: &[],
        }
    }
}

/// Issue #25: a one-shot body (a stream) is sent once. When the attempt fails in a way
/// that would be retried, the error says the body cannot be sent again, with the
/// attempt's error below it, instead of a second attempt with an empty body.
#[tokio::test]
async fn a_one_shot_body_is_not_retried_silently() {
    use awsgen_runtime::client::{Failure, Handle};
    let server = Server::start(vec![json(500, "r-500", r#"{"__type":"InternalFailure"}"#)]).await;
    let handle = Handle::new(&raw::SERVICE, config(&server.url()).build());
    let chunks = futures_chunks(&[b"one-", b"shot"]);
    let body = awsgen_runtime::ByteStream::from_stream(chunks, Some(8));
    let result = handle.invoke(&raw::PUT, Ok(raw::request(body)), None).await;
    let Err(Failure::Request(RequestError::Transport(err @ TransportError::NotReplayable(_)))) =
        &result
    else {
        panic!("{result:?}")
    };
    assert!(err.to_string().contains("cannot be sent again"), "{err}");
    let cause = std::error::Error::source(err).unwrap().to_string();
    assert!(
        cause.contains("InternalFailure") && cause.contains("HTTP 500"),
        "{cause}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"one-shot");
    assert_eq!(
        requests[0].header("expect"),
        None,
        "small uploads go at once"
    );
    // Signed `UNSIGNED-PAYLOAD`, as botocore signs a body it cannot read twice.
    let auth = requests[0].header("authorization").unwrap();
    let sig = &auth[auth.find("Signature=").unwrap() + 10..];
    let headers = ["content-type", "host", "x-amz-date"];
    assert_eq!(
        common::signature_with(&requests[0], "upload", &headers, None, true),
        sig
    );
}

/// A file body is read again for each attempt, whole, and signed over its content.
#[tokio::test]
async fn a_file_body_is_sent_whole_by_every_attempt() {
    use awsgen_runtime::client::Handle;
    let server = Server::start(vec![
        json(500, "a", r#"{"__type":"InternalFailure"}"#),
        json(503, "b", r#"{"__type":"ServiceUnavailable"}"#),
        json(200, "c", "{}"),
    ])
    .await;
    let path = std::env::temp_dir().join(format!("awsgen-replay-{}", std::process::id()));
    // Over 1 MiB: sent with `Expect: 100-continue` (unsigned), as botocore sends uploads.
    let content: Vec<u8> = (0..1_200_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&path, &content).unwrap();
    let body = awsgen_runtime::ByteStream::from_path(&path).await.unwrap();
    let handle = Handle::new(&raw::SERVICE, config(&server.url()).build());
    let resp = handle.invoke(&raw::PUT, Ok(raw::request(body)), None).await;
    std::fs::remove_file(&path).unwrap();
    assert_eq!(resp.unwrap().status, 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(r.body, content);
        assert_eq!(r.header("content-length"), Some("1200000"));
        assert_eq!(r.header("expect"), Some("100-continue"));
        // Signed over the file's bytes, as aws-sigv4 computes it from what arrived.
        let auth = r.header("authorization").unwrap();
        let sig = &auth[auth.find("Signature=").unwrap() + 10..];
        assert_eq!(
            signature_over(r, "upload", &["content-type", "host", "x-amz-date"], None),
            sig
        );
    }
}

/// A stream of the given chunks.
fn futures_chunks(
    chunks: &[&'static [u8]],
) -> impl futures_core::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + Sync + 'static
{
    struct Chunks(std::collections::VecDeque<bytes::Bytes>);
    impl futures_core::Stream for Chunks {
        type Item = Result<bytes::Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.pop_front().map(Ok))
        }
    }
    Chunks(
        chunks
            .iter()
            .map(|c| bytes::Bytes::from_static(c))
            .collect(),
    )
}

/// Issue #28: a one-shot upload whose checksum trails it, over plain http, where nothing
/// else protects the data: signed `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`, as
/// smithy-rs signs it. The server checks it as S3 does, with `aws-sigv4`'s own chunk and
/// trailer signers: the request's signature (over that payload hash), each 64 KiB chunk's
/// chained from it, the empty chunk's, the trailer's; the data and its CRC32.
#[tokio::test]
async fn a_trailing_checksum_over_http_is_sent_in_signed_chunks() {
    use aws_sigv4::sign::v4::{sign_chunk, sign_trailer};
    use awsgen_runtime::client::Handle;
    let server = Server::start(vec![json(200, "r", "{}")]).await;
    let handle = Handle::new(&raw::SERVICE, config(&server.url()).build());
    let content: &'static [u8] = Vec::leak(
        (0..150_000u32)
            .map(|i| (i % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    let pieces: Vec<&'static [u8]> = content.chunks(10_007).collect();
    let body = awsgen_runtime::ByteStream::from_stream(futures_chunks(&pieces), Some(150_000));
    let mut request = raw::request(body);
    request.checksum = Some(awsgen_runtime::checksum::RequestChecksum {
        required: true,
        algorithm_header: None,
        algorithm: None,
        validation_header: None,
        response_algorithms: &[],
    });
    handle.invoke(&raw::PUT, Ok(request), None).await.unwrap();
    let req = &server.requests()[0];
    let hash = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    assert_eq!(req.header("x-amz-content-sha256"), Some(hash));
    assert_eq!(req.header("content-encoding"), Some("aws-chunked"));
    assert_eq!(req.header("x-amz-trailer"), Some("x-amz-checksum-crc32"));
    assert_eq!(req.header("x-amz-decoded-content-length"), Some("150000"));
    let auth = req.header("authorization").unwrap();
    let seed = &auth[auth.find("Signature=").unwrap() + 10..];
    let signed = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    let headers: Vec<&str> = signed.split(';').collect();
    assert_eq!(
        common::signature_for(req, "upload", &headers, None, Some(hash)),
        seed
    );

    let identity =
        aws_credential_types::Credentials::new(common::AKID, common::SECRET, None, None, "test")
            .into();
    let time = std::time::UNIX_EPOCH + Duration::from_secs(common::fixed_time().secs() as u64);
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("upload")
        .time(time)
        .settings(())
        .build()
        .unwrap();
    let mut prior = seed.to_string();
    let mut rest = &req.body[..];
    let mut data = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let line = std::str::from_utf8(&rest[..line_end]).unwrap();
        let (size, signature) = line.split_once(";chunk-signature=").unwrap();
        let size = usize::from_str_radix(size, 16).unwrap();
        let chunk = bytes::Bytes::copy_from_slice(&rest[line_end + 2..line_end + 2 + size]);
        let expected = sign_chunk(&chunk, &prior, &params).unwrap().into_parts().1;
        assert_eq!(signature, expected, "chunk {}", sizes.len());
        prior = expected;
        sizes.push(size);
        data.extend_from_slice(&chunk);
        if size == 0 {
            rest = &rest[line_end + 2..];
            break;
        }
        rest = &rest[line_end + 2 + size + 2..];
    }
    assert_eq!(sizes, [65_536, 65_536, 18_928, 0]);
    assert_eq!(data, content);
    let crc32 = awsgen_runtime::checksum::Algorithm::Crc32.of(content);
    let mut trailer = aws_smithy_runtime_api::http::Headers::new();
    trailer.insert("x-amz-checksum-crc32", crc32.clone());
    let trailer_signature = sign_trailer(&trailer, &prior, &params)
        .unwrap()
        .into_parts()
        .1;
    let expected_end = format!(
        "x-amz-checksum-crc32:{crc32}\r\nx-amz-trailer-signature:{trailer_signature}\r\n\r\n"
    );
    assert_eq!(std::str::from_utf8(rest).unwrap(), expected_end);
}
