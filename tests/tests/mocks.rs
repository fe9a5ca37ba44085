//! The `test-util` mocks: typed answers, input matching, sequences, call counts, and what
//! a call no rule answers gives.

use awsgen_dms::operation::delete_connection::{
    DeleteConnection, DeleteConnectionError, DeleteConnectionInput, DeleteConnectionInputRequired,
    DeleteConnectionOutput,
};
use awsgen_dms::test_util::{mock, mock_config};
use awsgen_dms::types::error::ResourceNotFoundFault;
use awsgen_dms::types::Connection;
use awsgen_dms::{Client, ProvideErrorMetadata, RequestError};

fn input(endpoint: &str) -> DeleteConnectionInput {
    DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: endpoint.into(),
        replication_instance_arn: "arn:ri".into(),
    })
}

#[tokio::test]
async fn a_rule_answers_with_a_typed_output() {
    let rule = mock::<DeleteConnection>().then_output(
        DeleteConnectionOutput::default()
            .with_connection(Connection::default().with_status("deleting")),
    );
    let client = Client::new(mock_config(&[&rule]));
    let out = client.delete_connection(input("arn:e")).await.unwrap();
    assert_eq!(out.connection.unwrap().status.as_deref(), Some("deleting"));
    assert_eq!(rule.calls(), 1);
}

#[tokio::test]
async fn a_rule_answers_with_a_typed_fault() {
    let rule = mock::<DeleteConnection>()
        .then_fault(ResourceNotFoundFault::default().with_message("gone"));
    let client = Client::new(mock_config(&[&rule]));
    let err = client.delete_connection(input("arn:e")).await.unwrap_err();
    match &err {
        DeleteConnectionError::ResourceNotFoundFault(f) => {
            assert_eq!(f.message.as_deref(), Some("gone"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.meta().and_then(|m| m.status()), Some(400));
}

#[tokio::test]
async fn rules_match_on_the_input_and_answer_in_sequence() {
    let missing = mock::<DeleteConnection>()
        .match_input(|i| i.endpoint_arn == "arn:missing")
        .then_fault(ResourceNotFoundFault::default());
    let flaky = mock::<DeleteConnection>()
        .then_output(DeleteConnectionOutput::default())
        .then_fault(ResourceNotFoundFault::default().with_message("now gone"));
    let client = Client::new(mock_config(&[&missing, &flaky]));
    assert!(client
        .delete_connection(input("arn:missing"))
        .await
        .unwrap_err()
        .is_resource_not_found_fault());
    assert!(client.delete_connection(input("arn:e")).await.is_ok());
    for _ in 0..2 {
        // The last answer repeats.
        let err = client.delete_connection(input("arn:e")).await.unwrap_err();
        assert_eq!(err.message(), Some("now gone"));
    }
    assert_eq!((missing.calls(), flaky.calls()), (1, 3));
}

#[tokio::test]
async fn a_call_no_rule_answers_says_which_operation() {
    let rule = mock::<DeleteConnection>()
        .match_input(|i| i.endpoint_arn == "arn:other")
        .then_output(DeleteConnectionOutput::default());
    let client = Client::new(mock_config(&[&rule]));
    let err = client.delete_connection(input("arn:e")).await.unwrap_err();
    assert!(
        matches!(
            err,
            DeleteConnectionError::Request(RequestError::Transport(_))
        ),
        "{err:?}"
    );
    // A transport error's top line says what failed (issue #25).
    assert_eq!(
        err.to_string(),
        "no mock rule answers DeleteConnection with this input"
    );
    assert_eq!(rule.calls(), 0);
}

/// Issue #25: a rule can answer with a body that streams, in the pieces it is given. An
/// output read whole gets them joined; read through the streaming path, they arrive one
/// by one, as a transport hands over what arrives.
#[tokio::test]
async fn a_rule_answers_with_a_stream() {
    let pieces = [
        &br#"{"Connection":"#[..],
        br#"{"Status":"#,
        br#""deleting"}}"#,
    ];
    let rule = mock::<DeleteConnection>().then_stream(pieces);
    let client = Client::new(mock_config(&[&rule]));
    let out = client.delete_connection(input("arn:e")).await.unwrap();
    assert_eq!(out.connection.unwrap().status.as_deref(), Some("deleting"));

    let handle =
        awsgen_runtime::client::Handle::new(&awsgen_dms::service::INFO, mock_config(&[&rule]));
    let request = awsgen_dms::service::PROTOCOL
        .request("AmazonDMSv20160101.DeleteConnection", &input("arn:e"));
    let resp = handle
        .invoke_streaming(
            &awsgen_dms::operation::delete_connection::INFO,
            request,
            None,
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body.len(), Some(36));
    let mut body = resp.body;
    let mut got = Vec::new();
    while let Some(piece) = body.next().await {
        got.push(piece.unwrap());
    }
    assert_eq!(got, pieces);
    assert_eq!(rule.calls(), 2);
}
