//! The DeleteConnection API used as a user would, compiled with `#![deny(warnings)]`
//! (this was trybuild's one pass case; as a plain test it compiles with the others,
//! and trybuild only type-checks its compile-fail cases).
#![deny(warnings)]

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionError, DeleteConnectionInput, DeleteConnectionInputRequired,
    DeleteConnectionOutput,
};
use awsgen_dms::operation::describe_table_statistics::DescribeTableStatisticsInput;
use awsgen_dms::types::{Connection, DmsSslModeValue};
use awsgen_dms::ProvideErrorMetadata;

fn describe(err: &DeleteConnectionError) -> String {
    // The error enum is non-exhaustive: a wildcard arm is required, and enough.
    match err {
        DeleteConnectionError::ResourceNotFoundFault(f) => format!("missing: {:?}", f.message),
        DeleteConnectionError::AccessDeniedFault(_)
        | DeleteConnectionError::InvalidResourceStateFault(_) => err.to_string(),
        DeleteConnectionError::Unhandled(u) => format!("unhandled {}", u.code()),
        _ => err.to_string(),
    }
}

#[test]
fn delete_connection_api() {
    // Two or more required members are given by name, so two ARNs cannot be swapped
    // without it showing; one required member is a plain argument.
    let a = DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "arn:endpoint".into(),
        replication_instance_arn: String::from("arn:instance"),
    });
    let _one = DescribeTableStatisticsInput::new("arn:task").max_records(10);
    let a = a.endpoint_arn("arn:other");
    let _: &String = &a.endpoint_arn; // not an Option

    // Outputs are built with Default and `with_` setters (they are non-exhaustive); list
    // members read as slices.
    let out = DeleteConnectionOutput::default()
        .with_connection(Connection::default().with_status("deleting"));
    assert_eq!(
        out.connection.and_then(|c| c.status).as_deref(),
        Some("deleting")
    );
    let endpoints = awsgen_dms::operation::describe_endpoints::DescribeEndpointsOutput::default();
    assert!(endpoints.endpoints().is_empty());
    // Structures the service also returns still have constructors for what the model requires.
    // (`DynamoDbSettings` is returned by DescribeEndpoints, so its members are `Option`.)
    let dynamo = awsgen_dms::types::DynamoDbSettings::new("arn:role");
    assert_eq!(dynamo.service_access_role_arn.as_deref(), Some("arn:role"));

    // Futures own what they need, so they can be spawned.
    fn spawnable<F: std::future::Future + Send + 'static>(_: F) {}
    let client = awsgen_dms::Client::new(awsgen_dms::Config::builder().build());
    // Proxies and timeouts from the client crate alone (issue #25).
    let proxied = awsgen_dms::Config::builder()
        .proxy(
            awsgen_dms::ProxyConfig::builder()
                .https("http://user:pass@proxy.internal:3128")
                .no_proxy(".internal,169.254.169.254")
                .build(),
        )
        .timeouts(awsgen_dms::TimeoutConfig {
            read: Some(std::time::Duration::from_secs(120)),
            ..Default::default()
        })
        .build();
    assert!(proxied.proxy().is_some_and(|p| p.is_enabled()));
    assert!(!format!("{proxied:?}").contains("pass"));
    spawnable(client.delete_connection(DeleteConnectionInput::new(
        DeleteConnectionInputRequired {
            endpoint_arn: "a".into(),
            replication_instance_arn: "b".into(),
        },
    )));

    let mode: DmsSslModeValue = "verify-ca".parse().unwrap();
    match mode {
        DmsSslModeValue::VerifyCa => {}
        DmsSslModeValue::Unknown(other) => panic!("{other}"),
        _ => {}
    }

    // Typed mocks (feature `test-util`) and the blocking client (feature `blocking`): no
    // network, no JSON, no async in the caller.
    let rule =
        awsgen_dms::test_util::mock::<awsgen_dms::operation::delete_connection::DeleteConnection>()
            .then_output(DeleteConnectionOutput::default());
    let blocking =
        awsgen_dms::blocking::Client::new(awsgen_dms::test_util::mock_config(&[&rule])).unwrap();
    let done: Result<DeleteConnectionOutput, DeleteConnectionError> =
        blocking.delete_connection(DeleteConnectionInput::new(DeleteConnectionInputRequired {
            endpoint_arn: "a".into(),
            replication_instance_arn: "b".into(),
        }));
    assert!(done.is_ok() && rule.calls() == 1);

    let err = DeleteConnectionError::from_response(awsgen_runtime::ErrorMetadata::new("X"), b"");
    assert_eq!(err.code(), Some("X"));
    let _ = describe(&err);
    let _service_wide: awsgen_dms::Error = err.into();
}
