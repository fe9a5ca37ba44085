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
//! Input event streams (rest-json: Bedrock's `InvokeModelWithBidirectionalStream` and the
//! other bidirectional operations): the enum of the events a caller sends, each written
//! as an output's event is read; the input's field becomes the `EventSender`.
//!
//! Left refusing to send, as before: input streams of other protocols (botocore 1.44.8
//! models none), cbor's output event streams, events with `eventheader` members, and
//! inputs or outputs shared between operations.

use crate::checked::{self, Kind};
use crate::ir::{
    self, EventInput, EventOutput, EventPayload, EventVariant, Io, Module, RustType, TypeKind,
};
use crate::naming::{self, Ident};

/// Fills `event_output` and `event_input` (and the fields' types) of every operation
/// whose event streams this client speaks: an operation streaming both ways gets both or
/// neither.
pub(super) fn resolve(model: &checked::Model<'_>, s: &mut ir::Service) {
    let initial_response = match s.protocol.kind {
        ir::ProtocolKind::RestJson | ir::ProtocolKind::RestXml => false,
        ir::ProtocolKind::AwsJson10 | ir::ProtocolKind::AwsJson11 => true,
        _ => return,
    };
    for i in 0..s.operations.len() {
        let op = &s.operations[i];
        let input = match stream_field(model, s, &op.input) {
            None => None,
            // Input streams: rest-json's only (every one botocore 1.44.8 models).
            Some(_) if s.protocol.kind != ir::ProtocolKind::RestJson => continue,
            Some(_) => match input_stream(model, s, op) {
                Some(found) => Some(found),
                None => continue,
            },
        };
        let output = match stream_field(model, s, &op.output) {
            None => None,
            Some(_) => match output_stream(model, s, op, initial_response) {
                Some(found) if input.as_ref().is_none_or(|i| i.name != found.name) => Some(found),
                _ => continue,
            },
        };
        let op = &mut s.operations[i];
        if let (Some(found), Io::Owned(def)) = (&input, &mut op.input) {
            let ty = RustType::EventSender {
                event: found.name.clone(),
            };
            // As the model says: an optional stream may be left out (no events).
            set_stream_field(def, &found.field, ty, false);
        }
        if let (Some(found), Io::Owned(def)) = (&output, &mut op.output) {
            let ty = RustType::EventStream {
                event: found.name.clone(),
                error: op.error_name.clone(),
            };
            set_stream_field(def, &found.field, ty, true);
            op.streaming_output = true;
        }
        op.event_output = output;
        op.event_input = input;
    }
}

/// The stream's field of an input or output becomes `ty` (always present when
/// `required`); the structure has a `Default` when its other members are optional.
fn set_stream_field(def: &mut ir::TypeDef, field: &Ident, ty: RustType, required: bool) {
    let TypeKind::Struct(st) = &mut def.kind else {
        return;
    };
    for f in st.fields.iter_mut().filter(|f| &f.name == field) {
        f.ty = ty.clone();
        f.required |= required;
    }
    st.derive_default = !st.fields.iter().any(|f| f.required && !f.ty.is_stream());
}

/// The event stream of `op`'s input, when this client sends it.
fn input_stream(
    model: &checked::Model<'_>,
    s: &ir::Service,
    op: &ir::Operation,
) -> Option<EventInput> {
    let field = stream_field(model, s, &op.input)?;
    let Io::Owned(def) = &op.input else {
        return None;
    };
    let (events, exceptions) = variants(model, s, field)?;
    if !exceptions.is_empty() {
        return None;
    }
    let name = naming::operation_type_name(&op.name, "InputEvent");
    if taken(op, &name) || def.name == name {
        return None;
    }
    Some(EventInput {
        name,
        field: field.name.clone(),
        events,
    })
}

/// Whether `name` is one of the operation's own types.
fn taken(op: &ir::Operation, name: &Ident) -> bool {
    [
        &op.input_name,
        &op.output_name,
        &op.error_name,
        &op.type_name,
    ]
    .contains(&name)
}

/// The event stream of `op`'s output, when this client reads it.
fn output_stream(
    model: &checked::Model<'_>,
    s: &ir::Service,
    op: &ir::Operation,
    initial_response: bool,
) -> Option<EventOutput> {
    let field = stream_field(model, s, &op.output)?;
    let Io::Owned(def) = &op.output else {
        return None;
    };
    let (events, exceptions) = variants(model, s, field)?;
    let name = naming::operation_type_name(&op.name, "Event");
    if taken(op, &name) || def.name == name {
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

/// A stream's events and modelled exceptions (`EventOutput::exceptions`), from the
/// union its `field` holds; `None` when one of them is not spoken here.
#[allow(clippy::type_complexity)]
fn variants(
    model: &checked::Model<'_>,
    s: &ir::Service,
    field: &ir::Field,
) -> Option<(Vec<EventVariant>, Vec<(String, String, Vec<String>)>)> {
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
    Some((events, exceptions))
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
