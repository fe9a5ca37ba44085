//! Output event streams (issue #29): for a rest-json or rest-xml operation whose output's payload is
//! a structure marked `eventstream` (Bedrock's `ConverseStream`, Lambda's
//! `InvokeWithResponseStream`), or an awsJson operation whose output has such a member
//! (Kinesis's `SubscribeToShard`, CloudWatch Logs' `StartLiveTail`: the stream begins
//! with an `initial-response` event holding the output's other members), the enum of its
//! events and how each message reads, as
//! botocore's `BaseEventStreamParser` reads it: a member marked `eventpayload` is the
//! message's payload (bytes, text or JSON), else the payload is the event's JSON; a member
//! whose shape is an exception is a modelled exception, sorted into the operation's
//! error by the fault's code. The output's field becomes the `EventReceiver`.
//!
//! rest-xml's (S3's `SelectObjectContent`) read as rest-json's, the XML of an event (or of
//! its `eventpayload` structure) through the shape table (`xml.rs` adds their entries).
//!
//! Left refusing to send, as before: input event streams (bidirectional operations),
//! cbor's output event streams, events with `eventheader` members, and outputs shared
//! between operations.

use crate::checked::{self, Kind};
use crate::ir::{self, EventOutput, EventPayload, EventVariant, Io, Module, RustType, TypeKind};
use crate::naming::{self, Ident};

/// Fills `event_output` (and the output field's type) of every operation whose output
/// event stream this client reads.
pub(super) fn resolve(model: &checked::Model<'_>, s: &mut ir::Service) {
    let initial_response = match s.protocol.kind {
        ir::ProtocolKind::RestJson | ir::ProtocolKind::RestXml => false,
        ir::ProtocolKind::AwsJson10 | ir::ProtocolKind::AwsJson11 => true,
        _ => return,
    };
    for i in 0..s.operations.len() {
        let Some(found) = output_stream(model, s, &s.operations[i], initial_response) else {
            continue;
        };
        let op = &mut s.operations[i];
        let Io::Owned(def) = &mut op.output else {
            continue;
        };
        let TypeKind::Struct(st) = &mut def.kind else {
            continue;
        };
        for f in st.fields.iter_mut().filter(|f| f.name == found.field) {
            f.ty = RustType::EventStream {
                event: found.name.clone(),
                error: op.error_name.clone(),
            };
            f.required = true;
        }
        st.derive_default = !st
            .fields
            .iter()
            .any(|f| f.required && !matches!(f.ty, RustType::EventStream { .. }));
        op.event_output = Some(found);
        op.streaming_output = true;
    }
}

/// The event stream of `op`'s output, when this client reads it.
fn output_stream(
    model: &checked::Model<'_>,
    s: &ir::Service,
    op: &ir::Operation,
    initial_response: bool,
) -> Option<EventOutput> {
    if stream_field(model, s, &op.input).is_some() {
        return None;
    }
    let field = stream_field(model, s, &op.output)?;
    let Io::Owned(def) = &op.output else {
        return None;
    };
    let RustType::Named { target, .. } = &field.ty else {
        return None;
    };
    let union = s
        .types
        .iter()
        .find(|t| t.module == target.module && t.name == target.name)?;
    let TypeKind::Struct(members) = &union.kind else {
        return None;
    };
    let mut events = Vec::new();
    let mut exceptions = Vec::new();
    for m in &members.fields {
        let RustType::Named { target, .. } = &m.ty else {
            return None;
        };
        if target.module == Module::Errors {
            let fault = s.errors.iter().find(|t| t.name == target.name)?;
            let TypeKind::Struct(f) = &fault.kind else {
                return None;
            };
            // botocore reads the message from the exception's members only.
            let keys = ["Message", "message"]
                .into_iter()
                .filter(|k| f.fields.iter().any(|x| x.wire == *k))
                .map(str::to_string)
                .collect();
            exceptions.push((m.wire.clone(), fault.shape.clone(), keys));
            continue;
        }
        let event = s
            .types
            .iter()
            .find(|t| t.module == target.module && t.name == target.name)?;
        events.push(EventVariant {
            wire: m.wire.clone(),
            variant: naming::union_variant_name(&m.wire),
            docs: m.docs.clone(),
            target: target.clone(),
            shape: event.shape.clone(),
            payload: event_payload(model, event)?,
        });
    }
    let name = naming::operation_type_name(&op.name, "Event");
    let taken = [
        &op.input_name,
        &op.output_name,
        &op.error_name,
        &op.type_name,
    ];
    if taken.contains(&&name) || def.name == name {
        return None;
    }
    Some(EventOutput {
        name,
        field: field.name.clone(),
        events,
        exceptions,
        initial_response,
    })
}

/// The member holding an input's or output's event stream: the payload (rest-json,
/// rest-xml), or the member whose shape is marked `eventstream` (awsJson).
fn stream_field<'a>(
    model: &checked::Model<'_>,
    s: &'a ir::Service,
    io: &'a Io,
) -> Option<&'a ir::Field> {
    let st = s.io_struct(io)?;
    match &st.payload {
        Some(p) if p.kind == ir::PayloadKind::EventStream => {
            st.fields.iter().find(|f| f.name == p.field)
        }
        Some(_) => None,
        None => st.fields.iter().find(|f| {
            let RustType::Named { target, .. } = &f.ty else {
                return false;
            };
            s.types
                .iter()
                .find(|t| t.module == target.module && t.name == target.name)
                .and_then(|t| model.shape(&t.shape))
                .is_some_and(|shape| shape.raw.eventstream)
        }),
    }
}

/// How an event's payload reads; `None` for what this client does not read yet
/// (`eventheader` members).
fn event_payload(model: &checked::Model<'_>, event: &ir::TypeDef) -> Option<EventPayload> {
    let Some(Kind::Structure { members, .. }) = model.shape(&event.shape).map(|s| &s.kind) else {
        return None;
    };
    if members.iter().any(|(_, m)| m.eventheader) {
        return None;
    }
    let Some((name, m)) = members.iter().find(|(_, m)| m.eventpayload) else {
        return Some(EventPayload::Whole);
    };
    let TypeKind::Struct(st) = &event.kind else {
        return None;
    };
    let field = st.fields.iter().find(|f| &f.wire == name)?;
    let id: Ident = field.name.clone();
    Some(match model.shape(&m.shape).map(|s| &s.kind) {
        Some(Kind::Scalar(RustType::Blob)) => EventPayload::Blob(id),
        Some(Kind::Scalar(RustType::String)) => EventPayload::Text(id),
        Some(Kind::Structure { .. }) => EventPayload::Structure {
            member: field.wire.clone(),
            shape: m.shape.clone(),
        },
        _ => return None,
    })
}
