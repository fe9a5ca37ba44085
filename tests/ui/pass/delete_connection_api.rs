//! The DeleteConnection API used as a user would.
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
        DeleteConnectionError::AccessDeniedFault(_) | DeleteConnectionError::InvalidResourceStateFault(_) => err.to_string(),
        DeleteConnectionError::Unhandled(u) => format!("unhandled {}", u.code()),
        _ => err.to_string(),
    }
}

fn main() {
    // Two or more required members are given by name, so two ARNs cannot be swapped
    // without it showing; one required member is a plain argument.
    let a = DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "arn:endpoint".into(),
        replication_instance_arn: String::from("arn:instance"),
    });
    let _one = DescribeTableStatisticsInput::new("arn:task").max_records(10);
    let a = a.endpoint_arn("arn:other");
    let _: &String = &a.endpoint_arn; // not an Option

    // Outputs are built with Default and setters (they are non-exhaustive).
    let out = DeleteConnectionOutput::default().connection(Connection::default().status("deleting"));
    assert_eq!(out.connection.and_then(|c| c.status).as_deref(), Some("deleting"));

    let mode: DmsSslModeValue = "verify-ca".parse().unwrap();
    match mode {
        DmsSslModeValue::VerifyCa => {}
        DmsSslModeValue::Unknown(other) => panic!("{other}"),
        _ => {}
    }

    let err = DeleteConnectionError::from_response(awsgen_runtime::ErrorMetadata::new("X"), b"");
    assert_eq!(err.code(), Some("X"));
    let _ = describe(&err);
    let _service_wide: awsgen_dms::Error = err.into();
}
