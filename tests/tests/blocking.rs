//! `awsgen_dms::blocking::Client`: the same calls, paginators and waiters, without async
//! in the caller (answered by `test-util` mocks).

use awsgen_dms::blocking::Client;
use awsgen_dms::operation::describe_endpoints::{
    DescribeEndpoints, DescribeEndpointsInput, DescribeEndpointsOutput,
};
use awsgen_dms::operation::describe_replication_tasks::{
    DescribeReplicationTasks, DescribeReplicationTasksInput, DescribeReplicationTasksOutput,
};
use awsgen_dms::test_util::{mock, mock_config};
use awsgen_dms::types::error::ResourceNotFoundFault;
use awsgen_dms::types::{Endpoint, ReplicationTask};
use std::time::Duration;

fn endpoints(ids: &[&str], marker: Option<&str>) -> DescribeEndpointsOutput {
    let out = DescribeEndpointsOutput::default().with_endpoints(
        ids.iter()
            .map(|id| Endpoint::default().with_endpoint_identifier(*id))
            .collect::<Vec<_>>(),
    );
    match marker {
        Some(m) => out.with_marker(m),
        None => out,
    }
}

#[test]
fn calls_block_until_done() {
    let rule = mock::<DescribeEndpoints>()
        .then_fault(ResourceNotFoundFault::default().with_message("none"));
    let client = Client::new(mock_config(&[&rule])).unwrap();
    let err = client
        .describe_endpoints(DescribeEndpointsInput::new())
        .unwrap_err();
    assert!(err.is_resource_not_found_fault());
    assert_eq!(rule.calls(), 1);
}

#[test]
fn paginators_are_iterators() {
    let first = mock::<DescribeEndpoints>()
        .match_input(|i| i.marker.is_none())
        .then_output(endpoints(&["a", "b"], Some("m1")));
    let second = mock::<DescribeEndpoints>()
        .match_input(|i| i.marker.as_deref() == Some("m1"))
        .then_output(endpoints(&["c"], None));
    let client = Client::new(mock_config(&[&first, &second])).unwrap();
    let ids: Vec<String> = client
        .describe_endpoints_paginator(DescribeEndpointsInput::new())
        .items()
        .map(|e| e.unwrap().endpoint_identifier.unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        client
            .describe_endpoints_paginator(DescribeEndpointsInput::new())
            .pages()
            .count(),
        2
    );
}

#[test]
fn waiters_block_until_an_acceptor_decides() {
    let task = |status: &str| {
        DescribeReplicationTasksOutput::default()
            .with_replication_tasks(vec![ReplicationTask::default().with_status(status)])
    };
    let rule = mock::<DescribeReplicationTasks>()
        .then_output(task("creating"))
        .then_output(task("ready"));
    let client = Client::new(mock_config(&[&rule])).unwrap();
    let done = client
        .wait_until_replication_task_ready(DescribeReplicationTasksInput::new())
        .delay(Duration::ZERO)
        .wait()
        .unwrap();
    assert!(done.is_ok());
    assert_eq!(rule.calls(), 2);
}
