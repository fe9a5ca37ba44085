//! AWS Database Migration Service (DMS), generated from the botocore model
//! `dms-2016-01-01` by `awsgen-codegen`.
//!
//! # A short tour
//!
//! - [`operation`]: one module per operation, named after it in snake case
//!   (`operation::delete_connection`). Each holds the operation's input
//!   (`DeleteConnectionInput`, whose required members are not `Option` and are given to
//!   `new`: by name in a `...Required` struct when there are two or more, so that two
//!   ARNs cannot be swapped unseen), its output (`DeleteConnectionOutput`, every member
//!   `Option` since services omit members) and its error enum (`DeleteConnectionError`,
//!   one variant per fault the model names plus `Unhandled` for anything else).
//! - [`types`]: the structures, string enums and unions the operations share. String
//!   enums have an `Unknown(String)` variant, so a value newer than this model still
//!   parses and round-trips. [`types::error`] holds the modelled faults.
//! - [`Error`]: any fault of the service; every operation's error converts into it with `?`.
//!   [`ProvideErrorMetadata`] gives every error enum `code()` and `message()`.
//! - [`service`]: what the model says about the service (API version, signing name).
//! - [`paginator`] and [`waiter`]: the model's paginators and waiters, started from
//!   [`Client`] (`describe_endpoints_paginator`, `wait_until_replication_task_ready`).
//! - Features: `test-util` (typed mocks, `test_util`) and `blocking` (a blocking client,
//!   `blocking::Client`).
//!
//! # Quick start
//!
//! ```no_run
//! use awsgen_dms::operation::describe_replication_tasks::DescribeReplicationTasksInput;
//! use awsgen_dms::Client;
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // Region, credentials and endpoint overrides from the usual AWS_* variables and files.
//! let client = Client::from_env()?;
//! // Every replication task, across pages.
//! let mut tasks = client
//!     .describe_replication_tasks_paginator(DescribeReplicationTasksInput::new())
//!     .items();
//! while let Some(task) = tasks.next().await {
//!     let task = task?;
//!     println!("{:?}: {:?}", task.replication_task_identifier, task.status);
//! }
//! // Wait (at most ten minutes) until every task is ready.
//! client
//!     .wait_until_replication_task_ready(DescribeReplicationTasksInput::new())
//!     .max_wait(std::time::Duration::from_secs(600))
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! Every type serializes to and from the awsJson1.1 wire format with serde (member
//! names as in the model, timestamps as epoch seconds or ISO 8601 as the model says,
//! blobs as base64). Members the model marks sensitive print as
//! `*** Sensitive Data Redacted ***` in `Debug`.
//!
//! ```
//! use awsgen_dms::operation::delete_connection::{
//!     DeleteConnectionError, DeleteConnectionInput, DeleteConnectionInputRequired,
//! };
//! use awsgen_dms::ProvideErrorMetadata;
//!
//! let input = DeleteConnectionInput::new(DeleteConnectionInputRequired {
//!     endpoint_arn: "arn:aws:dms:us-east-1:123456789012:endpoint:ABC".into(),
//!     replication_instance_arn: "arn:aws:dms:us-east-1:123456789012:rep:XYZ".into(),
//! });
//! let body = awsgen_runtime::serde_json::to_string(&input).unwrap();
//! assert_eq!(
//!     body,
//!     r#"{"EndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:ABC","ReplicationInstanceArn":"arn:aws:dms:us-east-1:123456789012:rep:XYZ"}"#
//! );
//!
//! let meta = awsgen_runtime::ErrorMetadata::new("ResourceNotFoundFault")
//!     .with_message("Endpoint not found")
//!     .with_status(400);
//! let err = DeleteConnectionError::from_response(meta, br#"{"message":"Endpoint not found"}"#);
//! assert!(err.is_resource_not_found_fault());
//! assert_eq!(err.code(), Some("ResourceNotFoundFault"));
//! assert_eq!(err.to_string(), "ResourceNotFoundFault: Endpoint not found (HTTP 400)");
//! ```
//!
//! # Typed mocks (feature `test-util`)
//!
//! `test_util`: a rule per operation answering with typed outputs or faults, and a
//! configuration that answers from them.
//!
//! ```
//! # #[cfg(not(feature = "test-util"))] fn main() {}
//! # #[cfg(feature = "test-util")]
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use awsgen_dms::operation::describe_connections::{DescribeConnections, DescribeConnectionsInput, DescribeConnectionsOutput};
//! use awsgen_dms::test_util::{mock, mock_config};
//! use awsgen_dms::types::Connection;
//!
//! let rule = mock::<DescribeConnections>()
//!     .then_output(DescribeConnectionsOutput::default().with_connections(vec![Connection::default().with_status("testing")]));
//! let client = awsgen_dms::Client::new(mock_config(&[&rule]));
//! let out = client.describe_connections(DescribeConnectionsInput::new()).await.unwrap();
//! assert_eq!(out.connections()[0].status.as_deref(), Some("testing"));
//! assert_eq!(rule.calls(), 1);
//! # }
//! ```

#![deny(warnings)]
#![cfg_attr(docsrs, feature(doc_cfg))]

include!(concat!(env!("OUT_DIR"), "/dms.rs"));

// `Client`, `Error`, `Config` and the rest of the runtime's types a caller needs, and
// `test_util` (feature `test-util`), come with the generated file: a crate that includes
// a model from its own build script gets the same root.
