//! The bodies of the fuzz targets, shared by `fuzz/fuzz_targets/*.rs` (libFuzzer, through
//! `cargo fuzz` where a nightly toolchain exists) and `tests/tests/fuzz.rs` (a seeded
//! driver on the stable toolchain over the committed corpus in `fuzz/corpus/`). Each
//! takes any bytes and must return without panicking, whatever they are.

use crate::dms_delete_connection::operation::delete_connection::{
    DeleteConnectionError, DeleteConnectionOutput,
};
use crate::ec2::operation::describe_instances::DescribeInstancesError;
use crate::fixture::operation::put_node::{PutNodeError, PutNodeOutput};
use crate::iam::operation::get_user::GetUserError;
use crate::route53::operation::get_hosted_zone::GetHostedZoneError;
use awsgen_runtime::protocol::{AwsJson, Protocol, Response};

/// The model loader: the bytes as a `service-2.json`, through the whole generator
/// (parse, validate, resolve, emit, format). `Ok` and typed errors are both fine.
pub fn model_loader(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = awsgen_codegen::check_model_text(std::path::Path::new("fuzz.json"), text, None);
    }
}

/// The response parser: the bytes as the body of a success response (two outputs: DMS's
/// DeleteConnection and the fixture's recursive PutNode), of an error response (its
/// metadata), and of a fault (sorted into each operation's error enum).
pub fn response_parser(data: &[u8]) {
    let response = || Response {
        status: 200,
        request_id: Some("fuzz".into()),
        headers: Default::default(),
        body: data.to_vec().into(),
    };
    let _ = AwsJson::parse_output::<DeleteConnectionOutput>(response());
    let _ = AwsJson::parse_output::<PutNodeOutput>(response());
    let meta = AwsJson::v1_1().error_metadata(400, &Default::default(), data);
    let _ = meta.to_string();
    let e = DeleteConnectionError::from_response(meta.clone(), data);
    let _ = (e.to_string(), format!("{e:?}"));
    let e = PutNodeError::from_response(meta, data);
    let _ = (e.to_string(), format!("{e:?}"));
}

/// IAM's ListUsers answer (query) read from `data`: whether it reads.
pub fn query_output(data: &[u8]) -> bool {
    crate::iam::operation::list_users::__parse(Response {
        status: 200,
        request_id: None,
        headers: Default::default(),
        body: data.to_vec().into(),
    })
    .is_ok()
}

/// Route 53's ListResourceRecordSets answer (rest-xml) read from `data`: whether it reads.
pub fn rest_xml_output(data: &[u8]) -> bool {
    crate::route53::operation::list_resource_record_sets::__parse(Response {
        status: 200,
        request_id: None,
        headers: Default::default(),
        body: data.to_vec().into(),
    })
    .is_ok()
}

/// The XML layer and the query, ec2 and rest-xml protocols: the bytes as an XML document,
/// as the body of IAM's ListUsers, EC2's DescribeInstances and Route 53's
/// ListResourceRecordSets answers, and of their error responses (metadata, and the faults
/// sorted into each operation's error enum).
pub fn xml_parser(data: &[u8]) {
    if let Ok(doc) = awsgen_runtime::xml::Document::parse(data) {
        let root = doc.root();
        let _ = (root.name(), root.text(), root.children().count());
        let _ = root.descendants().map(|n| n.text().len()).sum::<usize>();
    }
    let response = || Response {
        status: 200,
        request_id: None,
        headers: Default::default(),
        body: data.to_vec().into(),
    };
    let _ = crate::iam::operation::list_users::__parse(response());
    let _ = crate::ec2::operation::describe_instances::__parse(response());
    let _ = rest_xml_output(data);
    let meta = crate::route53::service::PROTOCOL.error_metadata(400, &Default::default(), data);
    let e = GetHostedZoneError::from_response(meta, data);
    let _ = (e.to_string(), format!("{e:?}"));
    let meta = crate::iam::service::PROTOCOL.error_metadata(400, &Default::default(), data);
    let e = GetUserError::from_response(meta, data);
    let _ = (e.to_string(), format!("{e:?}"));
    let meta = crate::ec2::service::PROTOCOL.error_metadata(400, &Default::default(), data);
    let e = DescribeInstancesError::from_response(meta, data);
    let _ = (e.to_string(), format!("{e:?}"));
}
