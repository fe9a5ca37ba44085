//! The seam between the generator and a wire protocol. Everything that depends on how
//! requests and responses look on the wire is asked of a [`Protocol`]; the emitters
//! around it are protocol-neutral. A new protocol is a new module here implementing the
//! trait (and its runtime counterpart in `awsgen_runtime::protocol`), plus a
//! [`ProtocolKind`] variant that `validate` picks from the model's metadata.

mod aws_json;
mod cbor;
mod query;
mod rest;
mod xml_table;

use crate::emit::Emitter;
use crate::ir::{Operation, ProtocolKind, Service, Struct, TypeDef};
use proc_macro2::TokenStream;

/// What the emitters ask of a protocol.
pub(crate) trait Protocol: Sync {
    /// Items of the generated `service` module that describe the protocol. They must
    /// define `PROTOCOL`, a static implementing `awsgen_runtime::protocol::Protocol`.
    fn service_items(&self, service: &Service, rt: &TokenStream) -> TokenStream;

    /// An expression, inside `operation::<op>::send` where `input` is the operation's
    /// input, of type `Result<awsgen_runtime::protocol::Request, RequestError>`.
    fn request(&self, service: &Service, op: &Operation, rt: &TokenStream) -> TokenStream;

    /// The function that parses an operation's output from a success response
    /// (`fn(Response) -> Result<O, RequestError>`); `at` is the path to the operation's
    /// module (empty inside it), where `operation_items` put their parser.
    fn parse_output(&self, rt: &TokenStream, at: &TokenStream) -> TokenStream;

    /// The function that parses a fault's modelled members from an error body
    /// (`fn(&[u8]) -> T`; a body that does not parse gives `T::default()`).
    fn parse_fault(&self, rt: &TokenStream) -> TokenStream;

    /// Items the protocol adds to an operation's module (the REST protocols: the
    /// operation's request builder and output parser, which `request` and
    /// `parse_output` name).
    fn operation_items(&self, _e: &Emitter<'_>, _s: &Service, _op: &Operation) -> TokenStream {
        TokenStream::new()
    }

    /// Items the protocol adds to a fault's type (the REST protocols: `__with_http`, which
    /// sets the members bound to the error response's headers and status).
    fn fault_items(&self, _e: &Emitter<'_>, _t: &TypeDef, _s: &Struct) -> TokenStream {
        TokenStream::new()
    }

    /// Outputs and errors carry S3's `x-amz-id-2` (`RequestId::extended_request_id`):
    /// rest-xml.
    fn extended_request_id(&self) -> bool {
        false
    }

    /// What follows a parsed fault before its metadata is attached (`.__with_http(&meta)`
    /// for the REST protocols), where `meta` is the error's metadata.
    fn fault_bind(&self) -> TokenStream {
        TokenStream::new()
    }
}

/// The protocol for a kind.
pub(crate) fn for_kind(kind: ProtocolKind) -> &'static dyn Protocol {
    match kind {
        ProtocolKind::AwsJson10 => &aws_json::AWS_JSON_1_0,
        ProtocolKind::AwsJson11 => &aws_json::AWS_JSON_1_1,
        ProtocolKind::RestJson => &rest::REST_JSON,
        ProtocolKind::RestXml => &rest::REST_XML,
        ProtocolKind::RpcV2Cbor => &cbor::RPC_V2_CBOR,
        ProtocolKind::Query => &query::QUERY,
        ProtocolKind::Ec2 => &query::EC2,
    }
}
