//! botocore's changes to the model it loads, made where botocore makes them (its
//! `handlers.py` and client set-up), so that a generated client sends what botocore
//! sends. Each is keyed on the model's endpoint prefix, as botocore keys them on the
//! service name.

use crate::checked;
use crate::ir;
use crate::model::Member;
use crate::naming;
use std::borrow::Cow;

/// S3 (`s3`).
fn is_s3(model: &checked::Model<'_>) -> bool {
    model.raw.metadata.endpoint_prefix.as_deref() == Some("s3")
}

/// S3 Control (`s3-control`).
fn is_s3_control(model: &checked::Model<'_>) -> bool {
    model.raw.metadata.endpoint_prefix.as_deref() == Some("s3-control")
}

/// The signer botocore chooses: `s3v4` for S3 and S3 Control whatever the model says
/// (`ClientEndpointBridge._resolve_signature_version`), SigV4 for every other service.
pub(super) fn signer(model: &checked::Model<'_>) -> ir::Signer {
    if is_s3(model) || is_s3_control(model) {
        ir::Signer::S3SigV4
    } else {
        ir::Signer::SigV4
    }
}

/// S3's presigned POST (botocore adds `generate_presigned_post` to S3 clients): it posts
/// to the URL of `CreateBucket`, when the client has that operation.
pub(super) fn presigned_post(
    model: &checked::Model<'_>,
    operations: &[ir::Operation],
) -> Option<naming::Ident> {
    let op = operations.iter().find(|op| op.name == "CreateBucket")?;
    is_s3(model).then(|| op.module.clone())
}

/// S3 Express One Zone (botocore's `S3ExpressIdentityResolver`): directory buckets' zonal
/// endpoints take requests signed with a session that `CreateSession` opens, when this
/// client has it and its shapes are the ones the runtime reads (the bucket its input's
/// one required member; the output's `Credentials` with the four members of a session).
pub(super) fn express_session(
    model: &checked::Model<'_>,
    operations: &[ir::Operation],
    types: &[ir::TypeDef],
) -> Option<ir::ExpressSession> {
    if !is_s3(model) {
        return None;
    }
    let op = operations.iter().find(|op| op.name == "CreateSession")?;
    let fields = |io: &ir::Io| -> Option<Vec<ir::Field>> {
        let def = match io {
            ir::Io::Owned(def) => def,
            ir::Io::Alias(r) => types.iter().find(|t| t.name == r.name)?,
            ir::Io::Empty(_) => return None,
        };
        match &def.kind {
            ir::TypeKind::Struct(s) => Some(s.fields.clone()),
            _ => None,
        }
    };
    let input = fields(&op.input)?;
    let required: Vec<&ir::Field> = input.iter().filter(|f| f.constructor_arg).collect();
    if !matches!(required[..], [f] if f.wire == "Bucket" && f.ty == ir::RustType::String) {
        return None;
    }
    let output = fields(&op.output)?;
    let credentials = output.iter().find(|f| f.wire == "Credentials")?;
    let ir::RustType::Named { target, .. } = &credentials.ty else {
        return None;
    };
    let session = types
        .iter()
        .find(|t| t.name == target.name && t.module == target.module)?;
    let ir::TypeKind::Struct(session) = &session.kind else {
        return None;
    };
    let member = |wire: &str, ty: ir::RustType| {
        session
            .fields
            .iter()
            .find(|f| f.wire == wire && f.ty == ty && !f.required)
            .map(|f| f.name.clone())
    };
    let timestamp = session.fields.iter().find(|f| {
        f.wire == "Expiration" && matches!(f.ty, ir::RustType::Timestamp(_)) && !f.required
    })?;
    Some(ir::ExpressSession {
        module: op.module.clone(),
        input: op.input_name.clone(),
        credentials: credentials.name.clone(),
        fields: [
            member("AccessKeyId", ir::RustType::String)?,
            member("SecretAccessKey", ir::RustType::String)?,
            member("SessionToken", ir::RustType::String)?,
            timestamp.name.clone(),
        ],
    })
}

/// The request URI as botocore sends it: S3's leading `/{Bucket}` removed
/// (`remove_bucket_from_url_paths_from_model`), because S3's endpoint rules put the
/// bucket in the endpoint (its host, or its path when path-style).
pub(super) fn request_uri<'a>(model: &checked::Model<'_>, template: &'a str) -> Cow<'a, str> {
    match template.strip_prefix("/{Bucket}") {
        Some(rest) if is_s3(model) => {
            // `/{Bucket}?acl` becomes `?acl`, `/{Bucket}` the empty path: the endpoint's
            // path (`/` or `/bucket`) comes first either way.
            Cow::Owned(rest.to_string())
        }
        _ => Cow::Borrowed(template),
    }
}

/// The host prefix as botocore sends it: S3 Control's `{AccountId}.` removed where the
/// operation's `RequiresAccountId` static parameter is true
/// (`remove_accid_host_prefix_from_model`): its endpoint rules add the account id.
pub(super) fn host_prefix<'a>(
    model: &checked::Model<'_>,
    op: &crate::model::Operation,
    template: &'a str,
) -> Option<&'a str> {
    let requires_account = op
        .static_context_params
        .get("RequiresAccountId")
        .is_some_and(|p| p.value == serde_json::Value::Bool(true));
    if is_s3_control(model) && template == "{AccountId}." && requires_account {
        None
    } else {
        Some(template)
    }
}

/// The operation's rule-set parameters as botocore binds them: S3's `GetBucketLocation`
/// always path-style (`customize_endpoint_resolver_builtins`: the bucket's region is what
/// the caller does not know yet, and a virtual host would need it).
pub(super) fn endpoint_params(
    model: &checked::Model<'_>,
    op_name: &str,
    mut params: Vec<(String, ir::EndpointParam)>,
) -> Vec<(String, ir::EndpointParam)> {
    if is_s3(model) && op_name == "GetBucketLocation" {
        params.retain(|(n, _)| n != "ForcePathStyle");
        params.push(("ForcePathStyle".to_string(), ir::EndpointParam::Bool(true)));
    }
    params
}

/// What `send` does as botocore's handlers do for the operation (S3's SSE-C keys, copy
/// sources, listings' encoding).
pub(super) fn operation(
    model: &checked::Model<'_>,
    op_name: &str,
    members: &[(String, Member)],
) -> Vec<ir::Customization> {
    if !is_s3(model) {
        return Vec::new();
    }
    let has = |n: &str| members.iter().any(|(m, _)| m == n);
    let mut out = Vec::new();
    for (key, md5) in sse_customer_keys(op_name) {
        if has(key) && has(md5) {
            out.push(ir::Customization::SseCustomerKey {
                key: naming::field_name(key),
                md5: naming::field_name(md5),
            });
        }
    }
    if let Some(code) = head_not_found(model, op_name) {
        out.push(ir::Customization::HeadNotFound { code });
    }
    if op_name == "GetBucketLocation" {
        out.push(ir::Customization::RootText {
            field: naming::field_name("LocationConstraint"),
        });
    }
    if matches!(op_name, "CopyObject" | "UploadPartCopy") && has("CopySource") {
        out.push(ir::Customization::CopySource {
            field: naming::field_name("CopySource"),
        });
    }
    // botocore's `decode_list_object`, `decode_list_object_v2` and
    // `decode_list_object_versions`.
    type Listing = (
        &'static [&'static str],
        &'static [(&'static str, &'static str)],
    );
    let listing: Option<Listing> = match op_name {
        "ListObjects" => Some((
            &["Delimiter", "Marker", "NextMarker"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        )),
        "ListObjectsV2" => Some((
            &["Delimiter", "Prefix", "StartAfter"],
            &[("Contents", "Key"), ("CommonPrefixes", "Prefix")],
        )),
        "ListObjectVersions" => Some((
            &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
            &[
                ("Versions", "Key"),
                ("DeleteMarkers", "Key"),
                ("CommonPrefixes", "Prefix"),
            ],
        )),
        _ => None,
    };
    if let (Some((top, nested)), true) = (listing, has("EncodingType")) {
        out.push(ir::Customization::ListEncoding {
            field: naming::field_name("EncodingType"),
            top: top.iter().map(|t| naming::field_name(t)).collect(),
            nested: nested
                .iter()
                .map(|(l, m)| (naming::field_name(l), naming::field_name(m)))
                .collect(),
        });
    }
    out
}

/// The SSE-C members (key, MD5) botocore's `sse_md5` and `copy_source_sse_md5` fill in
/// for each S3 operation it registers them on.
fn sse_customer_keys(op_name: &str) -> &'static [(&'static str, &'static str)] {
    const KEY: (&str, &str) = ("SSECustomerKey", "SSECustomerKeyMD5");
    const COPY: (&str, &str) = ("CopySourceSSECustomerKey", "CopySourceSSECustomerKeyMD5");
    match op_name {
        "CopyObject" | "UploadPartCopy" => &[KEY, COPY],
        "HeadObject"
        | "GetObject"
        | "PutObject"
        | "CreateMultipartUpload"
        | "UploadPart"
        | "CompleteMultipartUpload"
        | "SelectObjectContent" => &[KEY],
        _ => &[],
    }
}

/// Whether a 200 answer of the operation may hold an error (S3's `_handle_200_error`):
/// every S3 operation with an output that is not an event stream nor a blob or string
/// payload (those cannot be told from an error document).
pub(super) fn error_in_200(model: &checked::Model<'_>, op: &crate::model::Operation) -> bool {
    if !is_s3(model) {
        return false;
    }
    let Some(output) = op.output.as_ref().and_then(|o| model.shape(&o.shape)) else {
        return false;
    };
    let crate::checked::Kind::Structure { members, .. } = &output.kind else {
        return false;
    };
    let payload = output
        .raw
        .payload
        .as_deref()
        .or(op.output.as_ref().and_then(|o| o.payload.as_deref()));
    let raw_payload = payload
        .and_then(|p| members.iter().find(|(n, _)| n == p))
        .and_then(|(_, m)| model.shape(&m.shape))
        .is_some_and(|s| {
            matches!(
                s.kind,
                crate::checked::Kind::Scalar(
                    crate::ir::RustType::Blob | crate::ir::RustType::String
                ) | crate::checked::Kind::Enum { .. }
            )
        });
    let events = members
        .iter()
        .any(|(_, m)| model.shape(&m.shape).is_some_and(|s| s.raw.eventstream));
    !raw_payload && !events
}

/// The fault a bodiless 404 answer of S3's `HeadObject` or `HeadBucket` is: the one of its
/// listed faults the model gives status 404 (`NoSuchKey`, `NoSuchBucket`).
fn head_not_found(model: &checked::Model<'_>, op_name: &str) -> Option<String> {
    if !matches!(op_name, "HeadObject" | "HeadBucket") {
        return None;
    }
    let op = model.raw.operations.get(op_name)?;
    op.errors.iter().find_map(|e| {
        let shape = model.shape(&e.shape)?;
        let status = shape.raw.error.as_ref().and_then(|t| t.http_status_code);
        (status == Some(404)).then(|| {
            shape
                .raw
                .error
                .as_ref()
                .and_then(|t| t.code.clone())
                .unwrap_or_else(|| e.shape.clone())
        })
    })
}
