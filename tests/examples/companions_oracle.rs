//! The Rust side of `scripts/oracle_companions.py`: runs one DMS paginator or waiter
//! scenario (JSON on stdin) against the given endpoint and prints what happened as JSON,
//! for the script to compare with botocore's run against the same scripted server.
//!
//! ```text
//! {"kind": "paginator", "name": "DescribeEndpoints", "endpoint": "http://127.0.0.1:PORT",
//!  "params": {...}, "page_size": 2, "max_items": 3}
//! -> {"pages": [2, 2, 1], "error": null}
//! {"kind": "waiter", "name": "ReplicationTaskReady", "endpoint": "...", "params": {...},
//!  "max_attempts": 3}
//! -> {"outcome": "failure", "reason": "..."}
//! ```

use awsgen_dms::{paginator, waiter, Client, Config, Credentials};
use awsgen_runtime::paginator::{Paginate, Paginator};
use awsgen_runtime::serde_json::{self, json, Value};
use awsgen_runtime::waiter::{Wait, Waiter, WaiterError};
use std::time::Duration;

fn client(endpoint: &str) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "SECRET", None, None, "oracle"))
            .endpoint_url(endpoint)
            .retry(awsgen_runtime::RetryConfig::disabled())
            .build(),
    )
}

async fn paginate<P: Paginate>(s: &Value) -> Value
where
    P::Input: awsgen_runtime::serde::de::DeserializeOwned,
    P::Error: std::fmt::Display,
{
    let input: P::Input =
        serde_json::from_value(s["params"].clone()).expect("params fit the input");
    let mut p = Paginator::<P>::new(
        client(s["endpoint"].as_str().unwrap()).handle().clone(),
        input,
    );
    if let Some(n) = s["page_size"].as_i64() {
        p = p.page_size(n as i32);
    }
    if let Some(n) = s["max_items"].as_u64() {
        p = p.max_items(n as usize);
    }
    let mut pages = p.pages();
    let mut counts = Vec::new();
    let mut error = Value::Null;
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => counts.push(P::count(&page)),
            Err(e) => error = json!(e.to_string()),
        }
    }
    json!({"pages": counts, "error": error})
}

async fn wait<W: Wait>(s: &Value) -> Value
where
    W::Input: awsgen_runtime::serde::de::DeserializeOwned,
    W::Error: std::fmt::Display,
{
    let input: W::Input =
        serde_json::from_value(s["params"].clone()).expect("params fit the input");
    let mut w = Waiter::<W>::new(
        client(s["endpoint"].as_str().unwrap()).handle().clone(),
        input,
    )
    .delay(Duration::ZERO);
    if let Some(n) = s["max_attempts"].as_u64() {
        w = w.max_attempts(n as u32);
    }
    match w.await {
        Ok(_) => json!({"outcome": "success"}),
        Err(e @ WaiterError::Failure { .. }) => json!({"outcome": "failure", "reason": reason(&e)}),
        Err(e @ WaiterError::Timeout { .. }) => json!({"outcome": "timeout", "reason": reason(&e)}),
        Err(e) => json!({"outcome": "error", "reason": reason(&e)}),
    }
}

fn reason(e: &impl std::fmt::Display) -> String {
    e.to_string()
}

macro_rules! dispatch {
    ($s:expr, paginators: [$($p:ident),*], waiters: [$($w:ident),*]) => {
        match ($s["kind"].as_str().unwrap_or(""), $s["name"].as_str().unwrap_or("")) {
            $(("paginator", stringify!($p)) => paginate::<paginator::$p>(&$s).await,)*
            $(("waiter", stringify!($w)) => wait::<waiter::$w>(&$s).await,)*
            (kind, name) => panic!("no {kind} {name}"),
        }
    };
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let scenario: Value = serde_json::from_reader(std::io::stdin()).expect("a scenario on stdin");
    let out = dispatch!(scenario,
        paginators: [DescribeCertificates, DescribeConnections, DescribeDataMigrations, DescribeEndpointTypes,
            DescribeEndpoints, DescribeEventSubscriptions, DescribeEvents, DescribeMetadataModelChildren,
            DescribeMetadataModelCreations, DescribeOrderableReplicationInstances, DescribeReplicationInstances,
            DescribeReplicationSubnetGroups, DescribeReplicationTaskAssessmentResults, DescribeReplicationTasks,
            DescribeSchemas, DescribeTableStatistics],
        waiters: [EndpointDeleted, ExtensionPackAssociated, MetadataModelAssessed, MetadataModelConversionCancelled,
            MetadataModelConverted, MetadataModelCreated, MetadataModelCreationCancelled,
            MetadataModelExportedAsScript, MetadataModelExportedToTarget, MetadataModelImported,
            ReplicationInstanceAvailable, ReplicationInstanceDeleted, ReplicationTaskDeleted, ReplicationTaskReady,
            ReplicationTaskRunning, ReplicationTaskStopped, TestConnectionSucceeds]);
    println!("{out}");
}
