//! Every DMS paginator and waiter, end to end against a scripted local server. The
//! scenarios are built from the model's own `paginators-1.json` and `waiters-2.json`, and
//! a check fails when a paginator or waiter of the model is missing from the lists below.

mod common;

use awsgen_dms::{paginator, waiter, Client};
use awsgen_runtime::paginator::{Paginate, PaginateItems, Paginator};
use awsgen_runtime::waiter::{Wait, Waiter, WaiterError};
use awsgen_runtime::RequestError;
use common::{config, json, Reply, Server};
use serde_json::{json, Map, Value};
use std::time::Duration;

fn model_file(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../models/dms/2016-01-01")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An input for `operation` with every required member set (to `"x"` for strings).
fn input_json(service: &Value, operation: &str) -> Value {
    let shape = service["operations"][operation]["input"]["shape"]
        .as_str()
        .unwrap();
    let mut out = Map::new();
    for r in service["shapes"][shape]["required"]
        .as_array()
        .into_iter()
        .flatten()
    {
        out.insert(r.as_str().unwrap().to_string(), json!("x"));
    }
    Value::Object(out)
}

/// A value of the element shape of list `member` of `operation`'s output.
fn item(service: &Value, operation: &str, member: &str, i: usize) -> Value {
    let out = service["operations"][operation]["output"]["shape"]
        .as_str()
        .unwrap();
    let list = service["shapes"][out]["members"][member]["shape"]
        .as_str()
        .unwrap();
    let el = service["shapes"][list]["member"]["shape"].as_str().unwrap();
    match service["shapes"][el]["type"].as_str().unwrap() {
        "string" => json!(format!("item-{i}")),
        _ => json!({}),
    }
}

fn page(
    service: &Value,
    op: &str,
    key: &str,
    items: std::ops::Range<usize>,
    token: Option<&str>,
) -> Reply {
    let mut body = Map::new();
    body.insert(
        key.into(),
        Value::Array(items.map(|i| item(service, op, key, i)).collect()),
    );
    if let Some(t) = token {
        body.insert("Marker".into(), json!(t));
    }
    json(200, "rid", &Value::Object(body).to_string())
}

fn client(server: &Server) -> Client {
    Client::new(config(&server.url()).build())
}

/// Walks a paginator over three pages, then checks page size, `max_items` and a repeated
/// token, all against what the model says of it.
async fn check_paginator<P>(name: &str)
where
    P: PaginateItems,
    P::Error: std::fmt::Debug + std::error::Error,
    P::Input: awsgen_runtime::serde::de::DeserializeOwned,
{
    let service = model_file("service-2.json");
    let pagination = &model_file("paginators-1.json")["pagination"][name];
    assert_eq!(pagination["input_token"], "Marker", "{name}");
    assert_eq!(pagination["output_token"], "Marker", "{name}");
    assert_eq!(P::LIMIT_KEY, pagination["limit_key"].as_str(), "{name}");
    let key = pagination["result_key"].as_str().unwrap();
    let input: P::Input = serde_json::from_value(input_json(&service, name)).unwrap();
    let target = format!("AmazonDMSv20160101.{name}");

    // Three pages; the page size on every request, the marker of each page on the next.
    let server = Server::start(vec![
        page(&service, name, key, 0..2, Some("m1")),
        page(&service, name, key, 2..4, Some("m2")),
        page(&service, name, key, 4..5, None),
    ])
    .await;
    let items = Paginator::<P>::new(client(&server).handle().clone(), input.clone())
        .page_size(2)
        .items()
        .collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 5, "{name}");
    let requests = server.requests();
    let bodies: Vec<Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 3, "{name}");
    for (i, body) in bodies.iter().enumerate() {
        assert_eq!(requests[i].header("x-amz-target"), Some(target.as_str()));
        assert_eq!(body["MaxRecords"], 2, "{name} request {i}");
        let marker = [Value::Null, json!("m1"), json!("m2")][i].clone();
        assert_eq!(
            body.get("Marker").cloned().unwrap_or(Value::Null),
            marker,
            "{name} request {i}"
        );
    }

    // `max_items` cuts the second page and sends no third request.
    let server = Server::start(vec![
        page(&service, name, key, 0..2, Some("m1")),
        page(&service, name, key, 2..4, Some("m2")),
    ])
    .await;
    let mut pages = Paginator::<P>::new(client(&server).handle().clone(), input.clone())
        .max_items(3)
        .pages();
    let mut counts = Vec::new();
    while let Some(p) = pages.next().await {
        counts.push(P::count(&p.unwrap()));
    }
    assert_eq!(counts, [2, 1], "{name}");
    assert_eq!(server.requests().len(), 2, "{name}");

    // A repeated token is an error, not an endless walk.
    let server = Server::start(vec![
        page(&service, name, key, 0..1, Some("m1")),
        page(&service, name, key, 1..2, Some("m2")),
        page(&service, name, key, 2..3, Some("m2")),
    ])
    .await;
    let mut pages = Paginator::<P>::new(client(&server).handle().clone(), input).pages();
    let mut outcome = Vec::new();
    while let Some(page) = pages.next().await {
        outcome.push(page.map(|p| P::count(&p)).map_err(|e| e.to_string()));
    }
    // As botocore: the page with the repeated token is yielded, then the error.
    let repeated = Err("pagination stopped: the same next token was received twice".to_string());
    assert_eq!(outcome, [Ok(1), Ok(1), Ok(1), repeated], "{name}");
    assert_eq!(server.requests().len(), 3, "{name}");
}

macro_rules! paginators {
    ($($name:ident => $method:ident),* $(,)?) => {
        #[tokio::test]
        async fn every_paginator_walks_pages_like_botocore() {
            let listed = [$(stringify!($name)),*];
            let model = model_file("paginators-1.json");
            let mut in_model: Vec<&str> = model["pagination"].as_object().unwrap().keys().map(String::as_str).collect();
            in_model.sort();
            let mut tested = listed.to_vec();
            tested.sort();
            assert_eq!(tested, in_model, "every paginator of the model is tested");
            $(
                // The client method exists and returns this paginator.
                let _: fn(&Client, <paginator::$name as Paginate>::Input) -> Paginator<paginator::$name> = Client::$method;
                check_paginator::<paginator::$name>(stringify!($name)).await;
            )*
        }
    };
}

paginators! {
    DescribeCertificates => describe_certificates_paginator,
    DescribeConnections => describe_connections_paginator,
    DescribeDataMigrations => describe_data_migrations_paginator,
    DescribeEndpointTypes => describe_endpoint_types_paginator,
    DescribeEndpoints => describe_endpoints_paginator,
    DescribeEventSubscriptions => describe_event_subscriptions_paginator,
    DescribeEvents => describe_events_paginator,
    DescribeMetadataModelChildren => describe_metadata_model_children_paginator,
    DescribeMetadataModelCreations => describe_metadata_model_creations_paginator,
    DescribeOrderableReplicationInstances => describe_orderable_replication_instances_paginator,
    DescribeReplicationInstances => describe_replication_instances_paginator,
    DescribeReplicationSubnetGroups => describe_replication_subnet_groups_paginator,
    DescribeReplicationTaskAssessmentResults => describe_replication_task_assessment_results_paginator,
    DescribeReplicationTasks => describe_replication_tasks_paginator,
    DescribeSchemas => describe_schemas_paginator,
    DescribeTableStatistics => describe_table_statistics_paginator,
}

/// A response that makes `acceptor` match: `{"A": [{"B": expected}]}` for `A[].B`, or the
/// fault it names.
fn matching(acceptor: &Value) -> Reply {
    match acceptor["matcher"].as_str().unwrap() {
        "error" => json(
            400,
            "rid",
            &json!({"__type": acceptor["expected"], "message": "gone"}).to_string(),
        ),
        _ => {
            let argument = acceptor["argument"].as_str().unwrap();
            let (list, member) = argument.split_once("[].").unwrap();
            let body = json!({ list: [{ member: acceptor["expected"] }] });
            json(200, "rid", &body.to_string())
        }
    }
}

/// A success response no acceptor matches.
fn unmatched(acceptors: &[Value]) -> Reply {
    let argument = acceptors
        .iter()
        .find_map(|a| a["argument"].as_str())
        .unwrap();
    let (list, member) = argument.split_once("[].").unwrap();
    json(
        200,
        "rid",
        &json!({ list: [{ member: "not-a-state-any-acceptor-knows" }] }).to_string(),
    )
}

/// Success, failure, retry-then-success and timeout, each from the waiter's acceptors.
async fn check_waiter<W>(name: &str)
where
    W: Wait,
    W::Input: awsgen_runtime::serde::de::DeserializeOwned,
    W::Error: std::fmt::Debug,
    W::Output: std::fmt::Debug,
{
    let service = model_file("service-2.json");
    let config = &model_file("waiters-2.json")["waiters"][name];
    let operation = config["operation"].as_str().unwrap();
    assert_eq!(
        (W::DELAY, u64::from(W::MAX_ATTEMPTS)),
        (
            config["delay"].as_u64().unwrap(),
            config["maxAttempts"].as_u64().unwrap()
        ),
        "{name}"
    );
    let acceptors = config["acceptors"].as_array().unwrap();
    let input: W::Input = serde_json::from_value(input_json(&service, operation)).unwrap();
    let waiter = |server: &Server| {
        Waiter::<W>::new(client(server).handle().clone(), input.clone())
            .delay(Duration::ZERO)
            .max_attempts(3)
    };
    let success = acceptors.iter().find(|a| a["state"] == "success").unwrap();
    let failure = acceptors.iter().find(|a| a["state"] == "failure").unwrap();

    // Not yet, then success: two requests.
    let server = Server::start(vec![unmatched(acceptors), matching(success)]).await;
    let done = waiter(&server)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!(done.is_err(), success["matcher"] == "error", "{name}");
    assert_eq!(server.requests().len(), 2, "{name}");
    let target = format!("AmazonDMSv20160101.{operation}");
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("x-amz-target") == Some(target.as_str())));

    // Failure at once, saying which acceptor matched.
    let server = Server::start(vec![matching(failure)]).await;
    match waiter(&server).await {
        Err(WaiterError::Failure { reason, .. }) => {
            assert!(
                reason.contains(failure["expected"].as_str().unwrap()),
                "{name}: {reason}"
            )
        }
        other => panic!("{name}: {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "{name}");

    // An empty list matches neither `pathAll` nor `pathAny` (botocore: not a non-empty list).
    let argument = acceptors
        .iter()
        .find_map(|a| a["argument"].as_str())
        .unwrap();
    let list = argument.split_once("[].").unwrap().0;
    let server = Server::start(vec![json(200, "rid", &json!({ list: [] }).to_string())]).await;
    match waiter(&server).await {
        Err(WaiterError::Timeout { attempts: 3, .. }) => {}
        other => panic!("{name}: an empty list must not match: {other:?}"),
    }

    // Nothing matches: give up after the attempts, with the last response.
    let server = Server::start(vec![unmatched(acceptors)]).await;
    match waiter(&server).await {
        Err(WaiterError::Timeout {
            attempts: 3,
            last: Ok(_),
            ..
        }) => {}
        other => panic!("{name}: {other:?}"),
    }
    assert_eq!(server.requests().len(), 3, "{name}");
}

macro_rules! waiters {
    ($($name:ident => $method:ident),* $(,)?) => {
        #[tokio::test]
        async fn every_waiter_reaches_success_failure_and_timeout() {
            let listed = [$(stringify!($name)),*];
            let model = model_file("waiters-2.json");
            let mut in_model: Vec<&str> = model["waiters"].as_object().unwrap().keys().map(String::as_str).collect();
            in_model.sort();
            let mut tested = listed.to_vec();
            tested.sort();
            assert_eq!(tested, in_model, "every waiter of the model is tested");
            $(
                let _: fn(&Client, <waiter::$name as Wait>::Input) -> Waiter<waiter::$name> = Client::$method;
                check_waiter::<waiter::$name>(stringify!($name)).await;
            )*
        }
    };
}

waiters! {
    EndpointDeleted => wait_until_endpoint_deleted,
    ExtensionPackAssociated => wait_until_extension_pack_associated,
    MetadataModelAssessed => wait_until_metadata_model_assessed,
    MetadataModelConversionCancelled => wait_until_metadata_model_conversion_cancelled,
    MetadataModelConverted => wait_until_metadata_model_converted,
    MetadataModelCreated => wait_until_metadata_model_created,
    MetadataModelCreationCancelled => wait_until_metadata_model_creation_cancelled,
    MetadataModelExportedAsScript => wait_until_metadata_model_exported_as_script,
    MetadataModelExportedToTarget => wait_until_metadata_model_exported_to_target,
    MetadataModelImported => wait_until_metadata_model_imported,
    ReplicationInstanceAvailable => wait_until_replication_instance_available,
    ReplicationInstanceDeleted => wait_until_replication_instance_deleted,
    ReplicationTaskDeleted => wait_until_replication_task_deleted,
    ReplicationTaskReady => wait_until_replication_task_ready,
    ReplicationTaskRunning => wait_until_replication_task_running,
    ReplicationTaskStopped => wait_until_replication_task_stopped,
    TestConnectionSucceeds => wait_until_test_connection_succeeds,
}

#[tokio::test]
async fn a_max_wait_bounds_the_whole_wait() {
    let server = Server::start(vec![unmatched(&[
        json!({"argument": "ReplicationTasks[].Status"}),
    ])])
    .await;
    let started = std::time::Instant::now();
    let result = client(&server)
        .wait_until_replication_task_ready(
            awsgen_dms::operation::describe_replication_tasks::DescribeReplicationTasksInput::new(),
        )
        .delay(Duration::from_millis(20))
        .max_wait(Duration::from_millis(150))
        .await;
    assert!(
        matches!(result, Err(WaiterError::Timeout { .. })),
        "{result:?}"
    );
    let n = server.requests().len();
    assert!(
        (5..=9).contains(&n),
        "about 150 ms / 20 ms attempts, got {n}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn an_unexpected_fault_ends_the_wait_at_once() {
    let server = Server::start(vec![json(
        400,
        "rid",
        r#"{"__type":"AccessDeniedFault","message":"no"}"#,
    )])
    .await;
    let result = client(&server)
        .wait_until_replication_task_ready(
            awsgen_dms::operation::describe_replication_tasks::DescribeReplicationTasksInput::new(),
        )
        .delay(Duration::ZERO)
        .await;
    match result {
        Err(e @ WaiterError::Operation { .. }) => {
            assert!(
                e.to_string()
                    .contains("AccessDeniedFault when calling DescribeReplicationTasks: no"),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn paginators_stop_on_errors_and_report_them() {
    let server = Server::start(vec![json(
        400,
        "rid",
        r#"{"__type":"ResourceNotFoundFault","message":"no"}"#,
    )])
    .await;
    let mut pages = client(&server)
        .describe_endpoints_paginator(
            awsgen_dms::operation::describe_endpoints::DescribeEndpointsInput::new(),
        )
        .pages();
    assert!(pages
        .next()
        .await
        .unwrap()
        .unwrap_err()
        .is_resource_not_found_fault());
    assert!(pages.next().await.is_none());
    let _: fn(RequestError) -> awsgen_dms::operation::describe_endpoints::DescribeEndpointsError =
        From::from;
}
