//! Fault enums: each modelled code maps to its variant with its members parsed; anything
//! else is `Unhandled` and keeps code, message, status, request id and the body.

use awsgen_dms::operation::delete_connection::DeleteConnectionError;
use awsgen_dms::types::error::{AccessDeniedFault, ResourceNotFoundFault};
use awsgen_dms::{ProvideErrorMetadata, RequestId};
use awsgen_runtime::ErrorMetadata;
use std::error::Error as _;

fn meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::new(code)
        .with_message("Endpoint arn:x not found")
        .with_status(400)
        .with_request_id("req-123")
}

#[test]
fn each_modelled_fault_maps_to_its_variant() {
    for (code, check) in [
        (
            "AccessDeniedFault",
            DeleteConnectionError::is_access_denied_fault as fn(&DeleteConnectionError) -> bool,
        ),
        (
            "ResourceNotFoundFault",
            DeleteConnectionError::is_resource_not_found_fault,
        ),
        (
            "InvalidResourceStateFault",
            DeleteConnectionError::is_invalid_resource_state_fault,
        ),
    ] {
        let err = DeleteConnectionError::from_response(
            meta(code),
            br#"{"message":"Endpoint arn:x not found"}"#,
        );
        assert!(check(&err), "{code} -> {err:?}");
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.message(), Some("Endpoint arn:x not found"));
        assert_eq!(err.request_id(), Some("req-123"));
        assert_eq!(err.meta().and_then(|m| m.status()), Some(400));
        assert_eq!(
            err.to_string(),
            format!("{code}: Endpoint arn:x not found (HTTP 400, request id req-123)")
        );
        // The enum is transparent: it displays the fault, so it does not also return the
        // fault from `source()` (a chain printer would show the same text twice).
        assert!(err.source().is_none());
    }
}

#[test]
fn modelled_members_are_parsed() {
    let err = DeleteConnectionError::from_response(
        meta("ResourceNotFoundFault"),
        br#"{"__type":"ResourceNotFoundFault","message":"gone","extra":1}"#,
    );
    match err {
        DeleteConnectionError::ResourceNotFoundFault(f) => {
            assert_eq!(f.message.as_deref(), Some("gone"));
            assert_eq!(f.meta().request_id(), Some("req-123"));
        }
        other => panic!("wrong variant: {other:?}"),
    }
}

/// Issue #11: a fault the service defines but the operation does not list lost its
/// modelled members in `Unhandled`. botocore looks the code up among all the service's
/// faults; so does the service's `Error`, from any operation's error.
#[test]
fn faults_outside_the_operations_list_are_found_service_wide() {
    let err = DeleteConnectionError::from_response(
        meta("AccessDeniedFault"),
        br#"{"__type":"AccessDeniedFault","message":"no"}"#,
    );
    // DeleteConnection lists AccessDeniedFault; InsufficientResourceCapacityFault it does not.
    assert!(err.is_access_denied_fault());
    let err = DeleteConnectionError::from_response(
        meta("InsufficientResourceCapacityFault"),
        br#"{"message":"full"}"#,
    );
    match awsgen_dms::Error::from(err) {
        awsgen_dms::Error::InsufficientResourceCapacityFault(f) => {
            assert_eq!(f.message.as_deref(), Some("full"));
            assert_eq!(f.meta().request_id(), Some("req-123"));
        }
        other => panic!("not sorted service-wide: {other:?}"),
    }
    // A code no fault of the service has stays unhandled, with everything it had.
    let err = DeleteConnectionError::from_response(meta("BrandNewFault"), b"{}");
    assert!(
        matches!(awsgen_dms::Error::from(err), awsgen_dms::Error::Unhandled(u) if u.meta().code() == "BrandNewFault")
    );
    // A fault that no operation lists at all is still a type of the service (fixture).
    use awsgen_tests::fixture::error::Error as FixtureError;
    use awsgen_tests::fixture::operation::put_node::PutNodeError;
    let err = PutNodeError::from_response(
        ErrorMetadata::new("OrphanFault").with_status(400),
        br#"{"message":"m","Detail":"d"}"#,
    );
    match FixtureError::from(err) {
        FixtureError::OrphanFault(f) => assert_eq!(f.detail.as_deref(), Some("d")),
        other => panic!("{other:?}"),
    }
}

/// A fault body over `UNHANDLED_BODY_LIMIT` (4 KiB) lost its members when an
/// operation's `Unhandled` error was sorted again service-wide: only the start of the body
/// was kept, and the cut JSON no longer parsed. The whole body is kept now; `body()` still
/// shows only the start.
#[test]
fn long_fault_bodies_keep_their_members_when_sorted_service_wide() {
    use awsgen_runtime::error::UNHANDLED_BODY_LIMIT;
    use awsgen_tests::fixture::error::Error as FixtureError;
    use awsgen_tests::fixture::operation::put_node::PutNodeError;
    let long = "x".repeat(UNHANDLED_BODY_LIMIT + 1000);
    let body = format!(r#"{{"message":"{long}","Detail":"d"}}"#);
    let err = PutNodeError::from_response(
        ErrorMetadata::new("OrphanFault").with_status(400),
        body.as_bytes(),
    );
    let PutNodeError::Unhandled(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.body().len(), UNHANDLED_BODY_LIMIT);
    assert_eq!(u.raw_body(), body.as_bytes());
    assert!(format!("{u:?}").len() < UNHANDLED_BODY_LIMIT + 200);
    match FixtureError::from(err) {
        FixtureError::OrphanFault(f) => {
            assert_eq!(f.detail.as_deref(), Some("d"));
            assert_eq!(f.message.as_deref(), Some(long.as_str()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unparsable_body_of_a_modelled_code_keeps_the_metadata() {
    let err = DeleteConnectionError::from_response(meta("AccessDeniedFault"), b"<html>oops</html>");
    assert!(err.is_access_denied_fault());
    assert_eq!(err.message(), Some("Endpoint arn:x not found"));
}

#[test]
fn unknown_codes_are_unhandled_and_keep_everything() {
    let err = DeleteConnectionError::from_response(meta("BrandNewFault"), br#"{"message":"new"}"#);
    assert!(err.is_unhandled());
    assert_eq!(err.code(), Some("BrandNewFault"));
    assert_eq!(err.request_id(), Some("req-123"));
    assert_eq!(
        err.to_string(),
        "BrandNewFault: Endpoint arn:x not found (HTTP 400, request id req-123)"
    );
    let DeleteConnectionError::Unhandled(u) = &err else {
        panic!()
    };
    assert_eq!(u.body(), r#"{"message":"new"}"#);
    // A fault the service models, but not for this operation, is unhandled here too (the
    // operation's enum has the faults its model lists); the service's `Error` sorts it.
    let err =
        DeleteConnectionError::from_response(meta("InsufficientResourceCapacityFault"), b"{}");
    assert!(err.is_unhandled());
    // An HTML page from a proxy.
    let html = DeleteConnectionError::from_response(
        ErrorMetadata::new("").with_status(502),
        b"<html><body>Bad Gateway</body></html>",
    );
    assert!(html.is_unhandled());
    assert_eq!(html.to_string(), "unknown error (HTTP 502)");
}

#[test]
fn operation_errors_convert_into_the_service_error() {
    fn call() -> Result<(), awsgen_dms::Error> {
        Err(DeleteConnectionError::from_response(
            meta("ResourceNotFoundFault"),
            b"{}",
        ))?;
        Ok(())
    }
    let err = call().unwrap_err();
    assert!(matches!(err, awsgen_dms::Error::ResourceNotFoundFault(_)));
    assert_eq!(err.code(), Some("ResourceNotFoundFault"));
    assert_eq!(
        err.to_string(),
        "ResourceNotFoundFault: Endpoint arn:x not found (HTTP 400, request id req-123)"
    );
    let unhandled: awsgen_dms::Error =
        DeleteConnectionError::from_response(meta("Nope"), b"").into();
    assert!(matches!(unhandled, awsgen_dms::Error::Unhandled(_)));
}

#[test]
fn faults_can_be_built_for_tests_and_mocks() {
    let f = AccessDeniedFault::default().with_message("denied");
    assert_eq!(f.meta().code(), "AccessDeniedFault");
    assert_eq!(f.to_string(), "AccessDeniedFault");
    let f = ResourceNotFoundFault::default().with_meta(meta("ResourceNotFoundFault"));
    assert_eq!(
        f.to_string(),
        "ResourceNotFoundFault: Endpoint arn:x not found (HTTP 400, request id req-123)"
    );
    assert_eq!(ResourceNotFoundFault::CODE, "ResourceNotFoundFault");
}

/// An operation whose input is an event stream (not built yet) refuses without sending;
/// the fixture's `Tail`, whose output is one, is read (`tests/eventstream.rs` reads such
/// streams through generated clients).
#[tokio::test]
async fn event_stream_operations_refuse_without_sending() {
    use awsgen_tests::fixture::operation::publish::{PublishError, PublishInput};
    // Port 9 on loopback refuses connections: if the client tried to send, the error
    // would be a transport error, not `Build`.
    let config = awsgen_runtime::Config::builder()
        .region("us-east-1")
        .credentials(awsgen_runtime::Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))
        .endpoint_url("http://127.0.0.1:9")
        .build();
    let err = awsgen_tests::fixture::client::Client::new(config)
        .publish(PublishInput::new())
        .await
        .unwrap_err();
    match &err {
        PublishError::Request(awsgen_runtime::RequestError::Build { message }) => {
            assert_eq!(message, "Publish uses an event stream, which this client does not support yet; nothing was sent")
        }
        other => panic!("{other:?}"),
    }
}
