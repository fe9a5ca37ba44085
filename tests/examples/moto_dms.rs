//! The Rust side of `scripts/moto_dms.py`: reads one DMS call per line on stdin
//! (`{"op": "CreateEndpoint", "params": {...}}`, the parameters as boto3 takes them) and
//! calls it against `AWS_ENDPOINT_URL` (moto), printing one line per call:
//!
//! ```text
//! {"ok": <the output as the service's JSON>, "request_id": "..."}
//! {"error": {"code": "...", "message": "...", "status": 400, "request_id": "...",
//!            "type": "ResourceNotFoundFault", "display": "..."}}
//! ```
//!
//! `type` is the variant of the service-wide `awsgen_dms::Error` the error sorts into
//! (`Unhandled` for a code the model does not name), as boto3 raises the class of
//! `client.exceptions` the code names (`ClientError` otherwise).

use awsgen_dms::{Client, ProvideErrorMetadata, RequestId};
use awsgen_runtime::serde_json::{self, json, Value};
use std::io::BufRead;

fn report<O, E>(result: Result<O, E>) -> Value
where
    O: awsgen_runtime::serde::Serialize + RequestId,
    E: ProvideErrorMetadata + std::fmt::Display + Into<awsgen_dms::Error>,
{
    match result {
        Ok(out) => json!({
            "ok": serde_json::to_value(&out).expect("outputs serialize"),
            "request_id": out.request_id(),
        }),
        Err(e) => {
            let display = e.to_string();
            let meta = e.meta().cloned();
            let service: awsgen_dms::Error = e.into();
            let debug = format!("{service:?}");
            let variant = debug.split(['(', ' ', '{']).next().unwrap_or_default();
            json!({"error": {
                "code": meta.as_ref().map(|m| m.code().to_owned()),
                "message": meta.as_ref().and_then(|m| m.message().map(str::to_owned)),
                "status": meta.as_ref().and_then(|m| m.status()),
                "request_id": meta.as_ref().and_then(|m| m.request_id().map(str::to_owned)),
                "type": variant,
                "display": display,
            }})
        }
    }
}

/// One arm per operation the walk uses: the parameters read as the operation's input,
/// the call, the report.
macro_rules! dispatch {
    ($client:expr, $op:expr, $params:expr, { $($name:literal => $method:ident,)* }) => {
        match $op {
            $($name => match serde_json::from_value($params) {
                Ok(input) => report($client.$method(input).await),
                Err(e) => json!({"bad_params": e.to_string()}),
            },)*
            other => json!({"bad_params": format!("no operation {other} in the example")}),
        }
    };
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = Client::from_env().expect("the script sets region, keys and endpoint");
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let step: Value = serde_json::from_str(&line).expect("a JSON step");
        let op = step["op"].as_str().unwrap_or_default().to_owned();
        let params = step["params"].clone();
        let result = dispatch!(client, op.as_str(), params, {
            "CreateReplicationInstance" => create_replication_instance,
            "DescribeReplicationInstances" => describe_replication_instances,
            "DeleteReplicationInstance" => delete_replication_instance,
            "ModifyReplicationInstance" => modify_replication_instance,
            "CreateEndpoint" => create_endpoint,
            "DescribeEndpoints" => describe_endpoints,
            "DeleteEndpoint" => delete_endpoint,
            "TestConnection" => test_connection,
            "DescribeConnections" => describe_connections,
            "CreateReplicationTask" => create_replication_task,
            "StartReplicationTask" => start_replication_task,
            "StopReplicationTask" => stop_replication_task,
            "DescribeReplicationTasks" => describe_replication_tasks,
            "DeleteReplicationTask" => delete_replication_task,
            "CreateReplicationSubnetGroup" => create_replication_subnet_group,
            "DescribeReplicationSubnetGroups" => describe_replication_subnet_groups,
            "DeleteReplicationSubnetGroup" => delete_replication_subnet_group,
            "ListTagsForResource" => list_tags_for_resource,
            "DescribeCertificates" => describe_certificates,
            "DescribeAccountAttributes" => describe_account_attributes,
            "DescribeEventSubscriptions" => describe_event_subscriptions,
        });
        println!("{result}");
    }
}
