//! Deletes the connection between a DMS endpoint and a replication instance.
//!
//! ```text
//! cargo run -p awsgen-dms --example delete_connection -- <endpoint-arn> <replication-instance-arn>
//! ```
//!
//! Region, credentials and endpoint come from the usual environment (`AWS_REGION`,
//! `AWS_PROFILE` or `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL` to
//! talk to a local stand-in). Set `RUST_LOG`-style tracing yourself to see spans.

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionError, DeleteConnectionInput, DeleteConnectionInputRequired,
};
use awsgen_dms::{Client, RequestId};
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint_arn, instance_arn] = args.as_slice() else {
        eprintln!("usage: delete_connection <endpoint-arn> <replication-instance-arn>");
        return ExitCode::from(2);
    };
    let client = match Client::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                eprintln!("  caused by: {c}");
                cause = c.source();
            }
            return ExitCode::from(2);
        }
    };
    match client
        .delete_connection(DeleteConnectionInput::new(DeleteConnectionInputRequired {
            endpoint_arn: endpoint_arn.clone(),
            replication_instance_arn: instance_arn.clone(),
        }))
        .await
    {
        Ok(out) => {
            let c = out.connection.clone().unwrap_or_default();
            println!(
                "connection {} <-> {}: {} (request id {})",
                c.endpoint_identifier.as_deref().unwrap_or("?"),
                c.replication_instance_identifier.as_deref().unwrap_or("?"),
                c.status.as_deref().unwrap_or("?"),
                out.request_id().unwrap_or("-"),
            );
            ExitCode::SUCCESS
        }
        Err(DeleteConnectionError::ResourceNotFoundFault(f)) => {
            eprintln!("no such connection: {f}");
            ExitCode::FAILURE
        }
        Err(e) => {
            // The top line says what failed and where (`connecting to
            // dms.us-east-1.amazonaws.com:443: connection refused`); the causes below it
            // follow, each said once.
            eprintln!("DeleteConnection failed: {e}");
            let mut cause = std::error::Error::source(&e);
            while let Some(c) = cause {
                eprintln!("  caused by: {c}");
                cause = c.source();
            }
            ExitCode::FAILURE
        }
    }
}
