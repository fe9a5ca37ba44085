//! The DeleteConnection API used as a user would.
#![deny(warnings)]

use awsgen_dms::operation::delete_connection::{DeleteConnectionError, DeleteConnectionInput, DeleteConnectionOutput};
use awsgen_dms::types::{Connection, DmsSslModeValue};

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
    // Required members by constructor...
    let a = DeleteConnectionInput::new("arn:endpoint", String::from("arn:instance"));
    // ...or by struct literal, where both must be given.
    let b = DeleteConnectionInput {
        endpoint_arn: "arn:endpoint".to_string(),
        replication_instance_arn: "arn:instance".to_string(),
    };
    assert_eq!(a, b);
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
    let _ = describe(&err);
    let _service_wide: awsgen_dms::Error = err.into();
}
