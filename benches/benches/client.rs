//! The per-call work of the client without the network: serializing a DeleteConnection
//! request, parsing its response and a large DescribeReplicationInstances-style one, and
//! signing a request (with and without the cached signing key).

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionInput, DeleteConnectionInputRequired, DeleteConnectionOutput,
};
use awsgen_dms::operation::describe_replication_instances::DescribeReplicationInstancesOutput;
use awsgen_runtime::sigv4::{self, SignableRequest, SigningKey, SigningParams};
use awsgen_runtime::DateTime;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const DELETE_CONNECTION_RESPONSE: &str = r#"{"Connection":{"ReplicationInstanceArn":"arn:aws:dms:us-east-1:123456789012:rep:ZYXWVUTSRQPONMLKJIHGFEDCBA","EndpointArn":"arn:aws:dms:us-east-1:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ","Status":"deleting","LastFailureMessage":"","EndpointIdentifier":"source-endpoint","ReplicationInstanceIdentifier":"replication-instance-1"}}"#;

/// A DescribeReplicationInstances response with `n` fully populated instances.
fn large_response(n: usize) -> String {
    let instances: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "ReplicationInstanceIdentifier": format!("replication-instance-{i}"),
                "ReplicationInstanceClass": "dms.r5.large",
                "ReplicationInstanceStatus": "available",
                "AllocatedStorage": 100,
                "InstanceCreateTime": 1_700_000_000 + i,
                "VpcSecurityGroups": [{"VpcSecurityGroupId": format!("sg-{i:08x}"), "Status": "active"}],
                "AvailabilityZone": "us-east-1a",
                "ReplicationSubnetGroup": {
                    "ReplicationSubnetGroupIdentifier": "default",
                    "ReplicationSubnetGroupDescription": "default group",
                    "VpcId": "vpc-12345678",
                    "SubnetGroupStatus": "Complete",
                    "Subnets": [
                        {"SubnetIdentifier": "subnet-1", "SubnetAvailabilityZone": {"Name": "us-east-1a"}, "SubnetStatus": "Active"},
                        {"SubnetIdentifier": "subnet-2", "SubnetAvailabilityZone": {"Name": "us-east-1b"}, "SubnetStatus": "Active"}
                    ],
                    "SupportedNetworkTypes": ["IPV4"]
                },
                "PreferredMaintenanceWindow": "sun:06:00-sun:14:00",
                "PendingModifiedValues": {},
                "MultiAZ": false,
                "EngineVersion": "3.5.3",
                "AutoMinorVersionUpgrade": true,
                "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abcd",
                "ReplicationInstanceArn": format!("arn:aws:dms:us-east-1:123456789012:rep:INSTANCE{i}"),
                "ReplicationInstancePublicIpAddresses": ["203.0.113.10"],
                "ReplicationInstancePrivateIpAddresses": ["10.0.0.10"],
                "PubliclyAccessible": false,
                "FreeUntil": 1_800_000_000,
                "NetworkType": "IPV4"
            })
        })
        .collect();
    serde_json::json!({"ReplicationInstances": instances, "Marker": "next"}).to_string()
}

fn delete_connection_input() -> DeleteConnectionInput {
    DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "arn:aws:dms:us-east-1:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .into(),
        replication_instance_arn:
            "arn:aws:dms:us-east-1:123456789012:rep:ZYXWVUTSRQPONMLKJIHGFEDCBA".into(),
    })
}

fn client(c: &mut Criterion) {
    let input = delete_connection_input();
    c.bench_function("serialize_delete_connection_request", |b| {
        b.iter(|| serde_json::to_vec(black_box(&input)).expect("json"))
    });
    c.bench_function("parse_delete_connection_response", |b| {
        b.iter(|| {
            serde_json::from_str::<DeleteConnectionOutput>(black_box(DELETE_CONNECTION_RESPONSE))
                .expect("json")
        })
    });
    let large = large_response(200);
    let mut g = c.benchmark_group("parse_describe_replication_instances");
    g.throughput(Throughput::Bytes(large.len() as u64));
    g.bench_function("200_instances", |b| {
        b.iter(|| {
            serde_json::from_str::<DescribeReplicationInstancesOutput>(black_box(&large))
                .expect("json")
        })
    });
    g.finish();

    let body = serde_json::to_vec(&input).expect("json");
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        ("host", "dms.us-east-1.amazonaws.com"),
        ("x-amz-date", "20150830T123600Z"),
        ("x-amz-target", "AmazonDMSv20160101.DeleteConnection"),
    ];
    let req = SignableRequest {
        path_signing: awsgen_runtime::sigv4::PathSigning::Normalized,
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: &body,
    };
    let params = SigningParams {
        access_key_id: "AKIDEXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "dms",
        time: DateTime::from_ymd_hms(2015, 8, 30, 12, 36, 0).expect("date"),
    };
    c.bench_function("sign_request_deriving_key", |b| {
        b.iter(|| sigv4::sign(black_box(&req), black_box(&params)))
    });
    let key = SigningKey::derive(
        params.secret_access_key,
        "20150830",
        params.region,
        params.service,
    );
    c.bench_function("sign_request_cached_key", |b| {
        b.iter(|| sigv4::sign_with_key(black_box(&req), black_box(&params), &key, None))
    });
}

/// A transport that answers at once with the DeleteConnection response: what is left is
/// the client's own work per call (serialize, sign, build the request, retry and timeout
/// bookkeeping, parse the output), without the network.
#[derive(Debug)]
struct InstantTransport;

impl awsgen_runtime::http::HttpClient for InstantTransport {
    fn send(
        &self,
        _request: http::Request<awsgen_runtime::ByteStream>,
    ) -> awsgen_runtime::BoxFuture<
        '_,
        Result<http::Response<awsgen_runtime::ByteStream>, awsgen_runtime::http::TransportError>,
    > {
        Box::pin(async {
            http::Response::builder()
                .header("x-amzn-requestid", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")
                .body(awsgen_runtime::ByteStream::from(
                    DELETE_CONNECTION_RESPONSE.as_bytes(),
                ))
                .map_err(|e| awsgen_runtime::http::TransportError::Io(Box::new(e)))
        })
    }
}

fn whole_call(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = awsgen_dms::Client::new(
        awsgen_dms::Config::builder()
            .region("us-east-1")
            .credentials(awsgen_dms::Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                None,
                None,
                "static",
            ))
            .endpoint_url("http://127.0.0.1:1")
            .http_client(InstantTransport)
            .build(),
    );
    c.bench_function("delete_connection_call_without_network", |b| {
        b.iter(|| {
            runtime
                .block_on(client.delete_connection(delete_connection_input()))
                .expect("call")
        })
    });
}

criterion_group!(benches, client, whole_call);
criterion_main!(benches);
