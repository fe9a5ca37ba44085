//! Every shape kind serializes to, and parses from, the JSON the awsJson1.1 protocol
//! expects. Expectations are written by hand from the protocol, not produced by the code.

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionInput, DeleteConnectionInputRequired, DeleteConnectionOutput,
};
use awsgen_dms::operation::describe_endpoints::DescribeEndpointsOutput;
use awsgen_dms::types::{
    Certificate, DataMigration, DataProviderSettings, DmsSslModeValue, Filter, FilterRequired,
    MySqlSettings,
};
use awsgen_runtime::serde_json::{self, json, Value};
use awsgen_runtime::{Blob, DateTime};
use awsgen_tests::fixture::types::{Choice, Edge, Node, OddEnum};

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

// serde is reached through the runtime's re-export, as generated code does.
use awsgen_runtime::serde;

#[test]
fn input_with_required_members_only() {
    let input = DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "arn:endpoint".into(),
        replication_instance_arn: "arn:instance".into(),
    });
    assert_eq!(
        serde_json::to_string(&input).unwrap(),
        r#"{"EndpointArn":"arn:endpoint","ReplicationInstanceArn":"arn:instance"}"#
    );
    let back: DeleteConnectionInput = serde_json::from_str(
        r#"{"ReplicationInstanceArn":"arn:instance","EndpointArn":"arn:endpoint"}"#,
    )
    .unwrap();
    assert_eq!(back, input);
    // A required member missing from JSON is an error, not an empty string.
    assert!(serde_json::from_str::<DeleteConnectionInput>(r#"{"EndpointArn":"a"}"#).is_err());
}

#[test]
fn optional_members_are_skipped_when_none() {
    let input = awsgen_dms::operation::describe_connections::DescribeConnectionsInput::new()
        .max_records(20);
    assert_eq!(
        serde_json::to_string(&input).unwrap(),
        r#"{"MaxRecords":20}"#
    );
    let empty = awsgen_dms::operation::describe_connections::DescribeConnectionsInput::new();
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    // Lists of structures with required members.
    let with_filter = awsgen_dms::operation::describe_connections::DescribeConnectionsInput::new()
        .filters(vec![Filter::new(FilterRequired {
            name: "endpoint-arn".into(),
            values: vec!["a".to_string(), "b".to_string()],
        })]);
    assert_eq!(
        to_value(&with_filter),
        json!({"Filters": [{"Name": "endpoint-arn", "Values": ["a", "b"]}]})
    );
}

#[test]
fn output_parses_with_unknown_members_and_nulls() {
    let body = r#"{
        "Connection": {
            "ReplicationInstanceArn": "arn:instance",
            "EndpointArn": "arn:endpoint",
            "Status": "deleting",
            "LastFailureMessage": null,
            "SomethingNewFromTheService": {"nested": [1, 2, 3]}
        },
        "AnotherNewTopLevelMember": true
    }"#;
    let out: DeleteConnectionOutput = serde_json::from_str(body).unwrap();
    let conn = out.connection.as_ref().unwrap();
    assert_eq!(conn.endpoint_arn.as_deref(), Some("arn:endpoint"));
    assert_eq!(conn.status.as_deref(), Some("deleting"));
    assert_eq!(conn.last_failure_message, None);
    let empty: DeleteConnectionOutput = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, DeleteConnectionOutput::default());
}

/// A structure is read from a JSON object only (issue #10: `[]` used to parse as an empty
/// structure); member names with JSON escapes still match; when a member repeats, the
/// last value wins, as in botocore's `json.loads`.
#[test]
fn structures_are_objects_only() {
    for body in [
        "[]",
        r#"{"Connection":[]}"#,
        r#"{"Connection":"x"}"#,
        "1",
        "null",
    ] {
        let err = serde_json::from_str::<DeleteConnectionOutput>(body)
            .expect_err(body)
            .to_string();
        assert!(err.contains("structure (a JSON object)"), "{body}: {err}");
    }
    let escaped = r#"{"Connection":{"Endpoint\u0041rn":"arn:escaped","Status":"a","Status":"b"}}"#;
    let out: DeleteConnectionOutput = serde_json::from_str(escaped).unwrap();
    let conn = out.connection.unwrap();
    assert_eq!(conn.endpoint_arn.as_deref(), Some("arn:escaped"));
    assert_eq!(conn.status.as_deref(), Some("b"));
    // A required member of an input sent as null is missing, and named.
    let err = serde_json::from_str::<DeleteConnectionInput>(
        r#"{"EndpointArn":null,"ReplicationInstanceArn":"arn:instance"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing field `EndpointArn`"), "{err}");
}

/// Issue #11: a `null` inside a list or map failed the whole response; now it is skipped,
/// as the official SDK does for dense lists, and the rest is kept.
#[test]
fn nulls_inside_lists_and_maps_are_skipped() {
    let out: awsgen_dms::operation::describe_schemas::DescribeSchemasOutput =
        serde_json::from_str(r#"{"Schemas":["a",null,"b"]}"#).unwrap();
    assert_eq!(out.schemas(), ["a", "b"]);
    let node: Node = serde_json::from_str(
        r#"{"Name":"n","Children":[null,{"Name":"c"}],"ByName":{"x":null,"y":{"Name":"y"}}}"#,
    )
    .unwrap();
    assert_eq!(node.children().len(), 1);
    let by_name = node.by_name.unwrap();
    assert_eq!(by_name.keys().collect::<Vec<_>>(), ["y"]);
}

/// A list or map the model marks `sparse` keeps its `null` elements as `None`, both ways,
/// as botocore keeps them (dense ones skip them, above).
#[test]
fn sparse_lists_and_maps_keep_nulls() {
    use awsgen_tests::fixture::operation::put_node::{
        PutNodeInput, PutNodeInputRequired, PutNodeOutput,
    };
    let out: PutNodeOutput = serde_json::from_str(
        r#"{"Maybe":["a",null,"b"],"Gaps":{"x":null,"y":"1970-01-02T00:00:00Z"}}"#,
    )
    .unwrap();
    assert_eq!(
        out.maybe.as_deref(),
        Some(&[Some("a".to_string()), None, Some("b".to_string())][..])
    );
    let gaps = out.gaps.clone().unwrap();
    assert_eq!(gaps["x"], None);
    assert_eq!(gaps["y"], Some(DateTime::from_secs(86_400)));
    // Written back, the nulls are still there (and the timestamp in its model format).
    assert_eq!(
        to_value(&out)["Gaps"],
        json!({"x": null, "y": "1970-01-02T00:00:00Z"})
    );
    let input = PutNodeInput::new(PutNodeInputRequired {
        node: Node::default(),
        r#type: "t".into(),
    })
    .holes(vec![None, Some("h".to_string())]);
    assert_eq!(to_value(&input)["Holes"], json!([null, "h"]));
}

#[test]
fn enums_round_trip_known_and_unknown_values() {
    let body = json!({"Endpoints": [
        {"EndpointIdentifier": "a", "SslMode": "verify-ca"},
        {"EndpointIdentifier": "b", "SslMode": "verify-quantum"}
    ]});
    let out: DescribeEndpointsOutput = serde_json::from_value(body.clone()).unwrap();
    let eps = out.endpoints.as_ref().unwrap();
    assert_eq!(eps[0].ssl_mode, Some(DmsSslModeValue::VerifyCa));
    assert_eq!(
        eps[1].ssl_mode,
        Some(DmsSslModeValue::Unknown("verify-quantum".into()))
    );
    assert_eq!(eps[1].ssl_mode.as_ref().unwrap().as_str(), "verify-quantum");
    assert_eq!(
        to_value(&out),
        body,
        "unknown enum values must round-trip unchanged"
    );
    assert_eq!(
        "verify-full".parse::<DmsSslModeValue>().unwrap(),
        DmsSslModeValue::VerifyFull
    );
    assert_eq!(DmsSslModeValue::from("none"), DmsSslModeValue::None);
    assert_eq!(
        DmsSslModeValue::values(),
        &["none", "require", "verify-ca", "verify-full"]
    );
    assert_eq!(DmsSslModeValue::Require.to_string(), "require");
}

#[test]
fn timestamps_in_both_model_formats() {
    // `TStamp` (no timestampFormat): epoch seconds, fractional allowed.
    let cert: Certificate = serde_json::from_str(
        r#"{"CertificateCreationDate": 1700000000.5, "ValidToDate": 1700000000}"#,
    )
    .unwrap();
    assert_eq!(
        cert.certificate_creation_date,
        Some(DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000))
    );
    assert_eq!(
        to_value(&cert),
        json!({"CertificateCreationDate": 1700000000.5, "ValidToDate": 1700000000})
    );
    // `Iso8601DateTime` (timestampFormat iso8601): ISO 8601 strings, written back as such.
    let dm: DataMigration = serde_json::from_str(r#"{"DataMigrationCreateTime": "2024-02-29T12:30:00Z", "DataMigrationStartTime": "2024-02-29T14:30:00+02:00"}"#).unwrap();
    assert_eq!(
        dm.data_migration_create_time,
        Some(DateTime::from_ymd_hms(2024, 2, 29, 12, 30, 0).unwrap())
    );
    assert_eq!(dm.data_migration_start_time, dm.data_migration_create_time);
    assert_eq!(
        to_value(&dm),
        json!({"DataMigrationCreateTime": "2024-02-29T12:30:00Z", "DataMigrationStartTime": "2024-02-29T12:30:00Z"})
    );
    // Services do not always send the modelled format: epoch seconds in an ISO member parse too.
    let lenient: DataMigration =
        serde_json::from_str(r#"{"DataMigrationCreateTime": 1709209800}"#).unwrap();
    assert_eq!(
        lenient.data_migration_create_time,
        dm.data_migration_create_time
    );
    assert!(
        serde_json::from_str::<DataMigration>(r#"{"DataMigrationCreateTime": "not a date"}"#)
            .is_err()
    );
}

#[test]
fn blobs_are_base64() {
    let cert =
        Certificate::default().with_certificate_wallet(Blob::new(b"wallet\x00\xff".to_vec()));
    assert_eq!(
        to_value(&cert),
        json!({"CertificateWallet": "d2FsbGV0AP8="})
    );
    let back: Certificate =
        serde_json::from_value(json!({"CertificateWallet": "d2FsbGV0AP8="})).unwrap();
    assert_eq!(
        back.certificate_wallet.unwrap().as_slice(),
        b"wallet\x00\xff"
    );
    assert!(serde_json::from_value::<Certificate>(json!({"CertificateWallet": "***"})).is_err());
}

#[test]
fn unions_have_one_member_and_tolerate_unknown_ones() {
    let s = DataProviderSettings::MySqlSettings(
        awsgen_dms::types::MySqlDataProviderSettings::default().with_port(3306),
    );
    assert_eq!(to_value(&s), json!({"MySqlSettings": {"Port": 3306}}));
    let back: DataProviderSettings =
        serde_json::from_value(json!({"MySqlSettings": {"Port": 3306}, "__type": "x"})).unwrap();
    assert_eq!(back, s);
    // Members set to null do not count.
    let back: DataProviderSettings =
        serde_json::from_value(json!({"RedshiftSettings": null, "MySqlSettings": {"Port": 3306}}))
            .unwrap();
    assert_eq!(back, s);
    let unknown: DataProviderSettings =
        serde_json::from_value(json!({"QuantumDbSettings": {"Qubits": 9}})).unwrap();
    assert_eq!(
        unknown,
        DataProviderSettings::Unknown("QuantumDbSettings".into())
    );
    assert!(
        serde_json::to_value(&unknown).is_err(),
        "an unknown member cannot be sent back"
    );
    assert!(serde_json::from_value::<DataProviderSettings>(json!({})).is_err());
    assert!(serde_json::from_value::<DataProviderSettings>(
        json!({"MySqlSettings": {}, "OracleSettings": {}})
    )
    .is_err());
}

#[test]
fn sensitive_members_are_redacted_in_debug() {
    let s = MySqlSettings::default()
        .with_password("hunter2")
        .with_server_name("db.example.com");
    let debug = format!("{s:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    assert!(
        debug.contains("db.example.com"),
        "non-sensitive members still show: {debug}"
    );
    // The secret is still sent on the wire.
    assert_eq!(to_value(&s)["Password"], "hunter2");
    // A sensitive list (`PublicIpAddressList`).
    let dm = DataMigration::default().with_public_ip_addresses(vec!["203.0.113.7".to_string()]);
    assert!(!format!("{dm:?}").contains("203.0.113.7"));
}

#[test]
fn recursive_structures_nest() {
    let leaf = Node::default().with_name("leaf");
    let root = Node::default()
        .with_name("root")
        .with_parent(Node::default().with_name("up"))
        .with_children(vec![leaf.clone()])
        .with_by_name(
            [("leaf".to_string(), leaf.clone())]
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
        .with_edge(
            Edge::default()
                .with_to(leaf.clone())
                .with_weight(f64::INFINITY),
        );
    let v = to_value(&root);
    assert_eq!(
        v,
        json!({
            "Name": "root",
            "Parent": {"Name": "up"},
            "Children": [{"Name": "leaf"}],
            "ByName": {"leaf": {"Name": "leaf"}},
            "Edge": {"To": {"Name": "leaf"}, "Weight": "Infinity"}
        })
    );
    assert_eq!(serde_json::from_value::<Node>(v).unwrap(), root);
}

#[test]
fn fixture_input_covers_every_kind() {
    use awsgen_tests::fixture::operation::put_node::{
        PutNodeInput, PutNodeInputRequired, PutNodeOutput,
    };
    let input = PutNodeInput::new(PutNodeInputRequired {
        node: Node::default().with_name("n"),
        r#type: "kind".into(),
    })
    .self_("me")
    .mode(OddEnum::V10)
    .payload(Blob::new(b"foo".to_vec()))
    .extra(json!({"free": ["form", 1]}))
    .score(f64::NAN)
    .ratio(0.5f32)
    .when(vec![DateTime::from_secs(0)])
    .at(DateTime::from_secs(1_398_796_238))
    .password("s3cret")
    .choice(Choice::At(DateTime::from_secs(86_400)));
    let v = to_value(&input);
    assert_eq!(
        v,
        json!({
            "Node": {"Name": "n"},
            "type": "kind",
            "Self": "me",
            "Mode": "1.0",
            "Payload": "Zm9v",
            "Extra": {"free": ["form", 1]},
            "Score": "NaN",
            "Ratio": 0.5,
            "When": ["1970-01-01T00:00:00Z"],
            "At": "Tue, 29 Apr 2014 18:30:38 GMT",
            "Password": "s3cret",
            "Choice": {"At": "1970-01-02T00:00:00Z"}
        })
    );
    let back: PutNodeInput = serde_json::from_value(v).unwrap();
    assert!(back.score.unwrap().is_nan());
    assert!(!format!("{back:?}").contains("s3cret"));

    let out: PutNodeOutput = serde_json::from_value(json!({
        "Created": 1.5,
        "Updated": "2014-04-29T18:30:38.250Z",
        "Scores": {"verify-ca": 1.0, "brand-new": "-Infinity"},
        "Choice": {"unknown": "a member named unknown"}
    }))
    .unwrap();
    assert_eq!(
        out.created,
        Some(DateTime::from_secs_and_nanos(1, 500_000_000))
    );
    assert_eq!(
        out.updated,
        Some(DateTime::from_secs_and_nanos(1_398_796_238, 250_000_000))
    );
    let scores = out.scores.as_ref().unwrap();
    assert_eq!(scores[&OddEnum::VerifyCa], 1.0);
    assert_eq!(
        scores[&OddEnum::Unknown("brand-new".into())],
        f64::NEG_INFINITY
    );
    assert_eq!(
        out.choice,
        Some(Choice::UnknownValue("a member named unknown".into()))
    );
    assert_eq!(OddEnum::from("*"), OddEnum::Star);
    assert_eq!(OddEnum::from("self"), OddEnum::Self_);
    assert_eq!(OddEnum::from("unknown"), OddEnum::UnknownValue);
}

/// Issue #10: `Endpoint` held its twenty engine settings inline (4,992 bytes), so every
/// `{}` in a DescribeEndpoints list cost 5 KB. Large nested structures are boxed now.
#[test]
fn large_nested_structures_are_boxed() {
    let size = std::mem::size_of::<awsgen_dms::types::Endpoint>();
    assert!(size <= 2048, "Endpoint is {size} bytes");
    let e = awsgen_dms::types::Endpoint::default()
        .with_s3_settings(awsgen_dms::types::S3Settings::default().with_bucket_name("b"));
    assert_eq!(
        e.s3_settings
            .as_deref()
            .and_then(|s| s.bucket_name.as_deref()),
        Some("b")
    );
}

/// A `null` document is a value, not an unset member: botocore keeps it, and a union
/// whose document member was `null` failed to parse ("no member set"). Found by
/// `scripts/differential.py --all` (identitystore, opensearchmemory).
#[test]
fn null_documents_are_values() {
    use awsgen_tests::fixture::operation::put_node::PutNodeInput;
    let body = r#"{"Node":{"Name":"n"},"type":"t","Extra":null}"#;
    let input: PutNodeInput = serde_json::from_str(body).unwrap();
    assert_eq!(input.extra, Some(Value::Null));
    let back = serde_json::to_value(&input).unwrap();
    assert_eq!(back["Extra"], Value::Null);
    assert!(back.as_object().unwrap().contains_key("Extra"));
}
