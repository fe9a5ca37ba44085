//! Flexible checksums, as botocore's `httpchecksum.py` computes and checks them: the
//! request's checksum (an algorithm the input names, or CRC32 where the operation requires
//! one or supports one and the configuration says `when_supported`), sent as a header
//! over a body in memory or a file, or as the trailer of an `aws-chunked` body; and the
//! response's, checked against the body when the operation asked for one.

use crate::ByteStream;
use bytes::Bytes;
use std::fmt;

/// A checksum algorithm of S3's flexible checksums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Algorithm {
    /// CRC32 (ISO-HDLC), the default.
    Crc32,
    /// CRC32C (Castagnoli).
    Crc32c,
    /// CRC64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl Algorithm {
    /// The algorithm by its name in the model's enum (`CRC32`, `crc32c`, ...; any case).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "crc32" => Algorithm::Crc32,
            "crc32c" => Algorithm::Crc32c,
            "crc64nvme" => Algorithm::Crc64Nvme,
            "sha1" => Algorithm::Sha1,
            "sha256" => Algorithm::Sha256,
            _ => return None,
        })
    }

    /// The name as the `x-amz-sdk-checksum-algorithm` header carries it (`CRC32`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }

    /// The header (or trailer) holding the checksum: `x-amz-checksum-crc32`.
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// A hasher for it.
    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            Algorithm::Crc32 => State::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => State::Crc32c(CRC32C.digest()),
            Algorithm::Crc64Nvme => State::Crc64(CRC64_NVME.digest()),
            Algorithm::Sha1 => State::Digest(Box::new(ring::digest::Context::new(
                &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            ))),
            Algorithm::Sha256 => {
                State::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA256)))
            }
        })
    }

    /// The checksum of `data`, in base64 as sent.
    pub fn of(self, data: &[u8]) -> String {
        let mut h = self.hasher();
        h.update(data);
        h.finish_base64()
    }
}

static CRC32C: crc::Crc<u32, crc::Table<16>> =
    crc::Crc::<u32, crc::Table<16>>::new(&crc::CRC_32_ISCSI);
static CRC64_NVME: crc::Crc<u64, crc::Table<16>> =
    crc::Crc::<u64, crc::Table<16>>::new(&crc::CRC_64_NVME);

/// A running checksum.
pub struct Hasher(State);

enum State {
    Crc32(crc32fast::Hasher),
    Crc32c(crc::Digest<'static, u32, crc::Table<16>>),
    Crc64(crc::Digest<'static, u64, crc::Table<16>>),
    // Boxed: ring's context is several times the size of the CRCs' state.
    Digest(Box<ring::digest::Context>),
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hasher")
    }
}

impl Hasher {
    /// Adds `data`.
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Crc32(h) => h.update(data),
            State::Crc32c(h) => h.update(data),
            State::Crc64(h) => h.update(data),
            State::Digest(h) => h.update(data),
        }
    }

    /// The checksum in base64 (of its big-endian bytes for the CRCs), as S3 sends it.
    pub fn finish_base64(self) -> String {
        let bytes = match self.0 {
            State::Crc32(h) => h.finalize().to_be_bytes().to_vec(),
            State::Crc32c(h) => h.finalize().to_be_bytes().to_vec(),
            State::Crc64(h) => h.finalize().to_be_bytes().to_vec(),
            State::Digest(h) => h.finish().as_ref().to_vec(),
        };
        crate::Blob::new(bytes).to_base64()
    }
}

/// When request checksums are computed (`request_checksum_calculation`,
/// `AWS_REQUEST_CHECKSUM_CALCULATION`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Calculation {
    /// For every operation that supports one (the default).
    #[default]
    WhenSupported,
    /// Only where the operation requires one, or the caller names an algorithm.
    WhenRequired,
}

/// When response checksums are checked (`response_checksum_validation`,
/// `AWS_RESPONSE_CHECKSUM_VALIDATION`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Validation {
    /// For every operation that supports it (the default): its validation-mode member is
    /// set to `ENABLED` unless the caller set it.
    #[default]
    WhenSupported,
    /// Only when the caller enables it on the input.
    WhenRequired,
}

/// What an operation's model says of checksums (`httpChecksum`, `httpChecksumRequired`),
/// with the input's values, carried by the [`Request`](crate::protocol::Request).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestChecksum {
    /// A checksum must be sent.
    pub required: bool,
    /// The operation has a `requestAlgorithmMember`: its header, when it is bound to one
    /// (`x-amz-sdk-checksum-algorithm`), else `""`.
    pub algorithm_header: Option<&'static str>,
    /// The algorithm the input names, as given.
    pub algorithm: Option<String>,
    /// The header of the operation's `requestValidationModeMember` (`x-amz-checksum-mode`).
    pub validation_header: Option<&'static str>,
    /// The algorithms the response may carry (`responseAlgorithms`), in botocore's order
    /// of preference: CRC64NVME, CRC32C, CRC32, SHA1, SHA256, then the rest.
    pub response_algorithms: &'static [&'static str],
}

/// The checksum to check an answer's body against (botocore's `handle_checksum_body`):
/// the first of the operation's response algorithms, in order of preference, that this
/// client computes and whose header the answer carries, unless its value is a multipart
/// one (`...-N`, not the body's own checksum).
pub(crate) fn response_checksum(
    algorithms: &[&str],
    headers: &http::HeaderMap,
) -> Option<(Algorithm, String)> {
    algorithms.iter().find_map(|name| {
        let algorithm = Algorithm::from_name(name)?;
        let value = headers.get(algorithm.header())?.to_str().ok()?;
        (!value.contains('-')).then(|| (algorithm, value.to_string()))
    })
}

/// Checks a whole body against its expected checksum.
pub(crate) fn check(
    algorithm: Algorithm,
    expected: &str,
    body: &[u8],
) -> Result<(), ChecksumError> {
    let computed = algorithm.of(body);
    if computed == expected {
        Ok(())
    } else {
        Err(ChecksumError::Mismatch {
            header: algorithm.header(),
            expected: expected.to_string(),
            computed,
        })
    }
}

/// A streaming body that hashes its chunks as they pass and ends with a
/// [`ChecksumError`] (as the stream's error) when the whole does not match `expected`.
pub(crate) fn validating(body: ByteStream, algorithm: Algorithm, expected: String) -> ByteStream {
    let len = body.len();
    ByteStream::from_stream(
        Validating {
            body,
            hasher: Some(algorithm.hasher()),
            algorithm,
            expected,
        },
        len,
    )
}

struct Validating {
    body: ByteStream,
    hasher: Option<Hasher>,
    algorithm: Algorithm,
    expected: String,
}

impl futures_core::Stream for Validating {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = &mut *self;
        match std::pin::Pin::new(&mut this.body).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some(h) = this.hasher.as_mut() {
                    h.update(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => {
                let Some(hasher) = this.hasher.take() else {
                    return Poll::Ready(None);
                };
                let computed = hasher.finish_base64();
                if computed == this.expected {
                    Poll::Ready(None)
                } else {
                    let e = ChecksumError::Mismatch {
                        header: this.algorithm.header(),
                        expected: std::mem::take(&mut this.expected),
                        computed,
                    };
                    Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        e,
                    ))))
                }
            }
        }
    }
}

pub use crate::error::ChecksumError;

/// Where a request's checksum goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    /// A header computed over the whole body before sending.
    Header,
    /// The trailer of an `aws-chunked` body, computed while it is sent.
    Trailer,
}

/// The algorithm to send, and whether the algorithm header must be set to it (a default
/// chosen here), as botocore's `resolve_request_checksum_algorithm` decides; `None` when
/// no checksum is sent (or the caller set an `x-amz-checksum-*` header already).
pub(crate) fn choose(
    plan: &RequestChecksum,
    headers: &[(http::HeaderName, http::HeaderValue)],
    calculation: Calculation,
    presigned: bool,
) -> Result<Option<(Algorithm, bool)>, ChecksumError> {
    let user_set = headers.iter().any(|(n, _)| {
        n.as_str().starts_with("x-amz-checksum-") && n.as_str() != "x-amz-checksum-mode"
    });
    if user_set {
        return Ok(None);
    }
    if let (Some(_), Some(name)) = (plan.algorithm_header, &plan.algorithm) {
        return Algorithm::from_name(name)
            .map(|a| Some((a, false)))
            .ok_or_else(|| ChecksumError::Unsupported(name.clone()));
    }
    let supported = plan.algorithm_header.is_some() && calculation == Calculation::WhenSupported;
    if (plan.required || supported) && !presigned {
        Ok(Some((Algorithm::Crc32, plan.algorithm_header.is_some())))
    } else {
        Ok(None)
    }
}

/// Applies an operation's checksum plan to its request's headers as botocore's
/// `apply_request_checksum` does: the algorithm header when a default was chosen, the
/// checksum as a header over a body that can be read twice, or, for an operation's
/// streaming payload over https (and any one-shot stream), as the trailer of an
/// `aws-chunked` body (`Content-Encoding: aws-chunked`, `X-Amz-Trailer`,
/// `X-Amz-Decoded-Content-Length`, `Transfer-Encoding: chunked`), whose algorithm is
/// returned for each attempt to frame its body (`aws_chunked.rs`); and the
/// validation-mode header (`ENABLED`) when responses are to be checked.
///
/// `signs_payload(header_checksum)` says whether the request's payload will be hashed for
/// its signature: when a checksum header is computed over a body that is not in memory,
/// the SigV4 payload hash is computed in the same read ([`Applied::payload_sha256`]).
pub(crate) async fn apply(
    plan: Option<RequestChecksum>,
    headers: &mut Vec<(http::HeaderName, http::HeaderValue)>,
    streaming_input: bool,
    body: &ByteStream,
    https: bool,
    settings: (Calculation, Validation),
    signs_payload: impl FnOnce(bool) -> bool,
) -> Result<Applied, crate::RequestError> {
    let mut applied = Applied::default();
    let Some(plan) = plan else {
        return Ok(applied);
    };
    let (calculation, validation) = settings;
    let bad = |e: String| crate::RequestError::Build { message: e };
    let chosen = choose(&plan, headers, calculation, false).map_err(|e| bad(e.to_string()))?;
    if let Some((algorithm, set_header)) = chosen {
        if let (true, Some(h)) = (set_header, plan.algorithm_header.filter(|h| !h.is_empty())) {
            push(headers, h, algorithm.name())?;
        }
        let placement = if (streaming_input && https) || body.try_clone().is_none() {
            Placement::Trailer
        } else {
            Placement::Header
        };
        match placement {
            Placement::Header => {
                let with_sha256 = body.bytes().is_none() && signs_payload(true);
                let (value, sha256) = checksum_of(body, algorithm, with_sha256).await?;
                applied.payload_sha256 = sha256;
                push(headers, algorithm.header(), &value)?;
            }
            Placement::Trailer => trailer_headers(headers, algorithm, body.len())?,
        }
        applied.placed = Some((algorithm, placement));
    }
    if let Some(h) = plan.validation_header {
        let set = headers.iter().find(|(n, _)| n.as_str() == h);
        let enabled = match set {
            Some((_, v)) => v.as_bytes() == b"ENABLED",
            None if validation == Validation::WhenSupported => {
                push(headers, h, "ENABLED")?;
                true
            }
            None => false,
        };
        if enabled {
            applied.validate = plan.response_algorithms;
        }
    }
    Ok(applied)
}

/// What [`apply`] did: where the checksum went, and the algorithms to check the answer
/// against (empty: none).
#[derive(Default)]
pub(crate) struct Applied {
    pub(crate) placed: Option<(Algorithm, Placement)>,
    pub(crate) validate: &'static [&'static str],
    /// The SigV4 payload hash of a body not in memory, read once with its checksum.
    pub(crate) payload_sha256: Option<crate::sigv4::HexDigest>,
}

/// The headers of an `aws-chunked` body with a trailing checksum, as botocore's
/// `_apply_request_trailer_checksum` sets them.
fn trailer_headers(
    headers: &mut Vec<(http::HeaderName, http::HeaderValue)>,
    algorithm: Algorithm,
    decoded_length: Option<u64>,
) -> Result<(), crate::RequestError> {
    let encoding = headers
        .iter()
        .position(|(n, _)| *n == http::header::CONTENT_ENCODING);
    match encoding {
        Some(i) => {
            let joined = format!(
                "{},aws-chunked",
                String::from_utf8_lossy(headers[i].1.as_bytes())
            );
            headers[i].1 =
                http::HeaderValue::from_str(&joined).map_err(|e| crate::RequestError::Build {
                    message: format!("Content-Encoding: {e}"),
                })?;
        }
        None => push(headers, "content-encoding", "aws-chunked")?,
    }
    push(headers, "x-amz-trailer", algorithm.header())?;
    if let Some(n) = decoded_length {
        push(headers, "x-amz-decoded-content-length", &n.to_string())?;
    }
    push(headers, "transfer-encoding", "chunked")?;
    headers.retain(|(n, _)| *n != http::header::CONTENT_LENGTH);
    Ok(())
}

fn push(
    headers: &mut Vec<(http::HeaderName, http::HeaderValue)>,
    name: &str,
    value: &str,
) -> Result<(), crate::RequestError> {
    let bad = |e: String| crate::RequestError::Build { message: e };
    let name =
        http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| bad(format!("{name}: {e}")))?;
    let value = http::HeaderValue::from_str(value).map_err(|e| bad(format!("{name}: {e}")))?;
    headers.push((name, value));
    Ok(())
}

/// The checksum of a body that can be read twice: in memory, or a file read from a copy
/// (with its SHA-256 in the same read when `with_sha256`).
async fn checksum_of(
    body: &ByteStream,
    algorithm: Algorithm,
    with_sha256: bool,
) -> Result<(String, Option<crate::sigv4::HexDigest>), crate::RequestError> {
    if let Some(b) = body.bytes() {
        return Ok((algorithm.of(b), None));
    }
    let hashers = (
        algorithm.hasher(),
        with_sha256.then(crate::sigv4::Sha256::new),
    );
    let read = body.read_copy(hashers, |(checksum, sha256), chunk| {
        checksum.update(chunk);
        if let Some(sha256) = sha256 {
            sha256.update(chunk);
        }
    });
    let (checksum, sha256) = match read.await {
        Ok(Some(hashers)) => hashers,
        // A one-shot stream's checksum is a trailer, never a header.
        Ok(None) => (algorithm.hasher(), None),
        Err(e) => {
            return Err(crate::RequestError::Transport(
                crate::http::TransportError::RequestBody(Box::new(e)),
            ))
        }
    };
    Ok((
        checksum.finish_base64(),
        sha256.map(crate::sigv4::Sha256::finish_hex),
    ))
}

/// What the wire harness of the REST differentials sends of checksums: the CRC32 of a
/// body in memory where the operation requires a checksum and no header member set one,
/// as botocore's handler adds it after its bare serializer.
#[doc(hidden)]
pub fn apply_required_in_memory(
    plan: Option<RequestChecksum>,
    headers: &mut Vec<(http::HeaderName, http::HeaderValue)>,
    body: Option<&Bytes>,
) -> Result<(), crate::RequestError> {
    let Some(plan) = plan else {
        return Ok(());
    };
    let required = RequestChecksum {
        required: plan.required,
        ..Default::default()
    };
    let chosen = choose(&required, headers, Calculation::WhenRequired, false).map_err(|e| {
        crate::RequestError::Build {
            message: e.to_string(),
        }
    })?;
    if let (Some((algorithm, _)), Some(bytes)) = (chosen, body) {
        push(headers, algorithm.header(), &algorithm.of(bytes))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checksums of `"Hello world"` as botocore (and S3's documentation) give them.
    #[test]
    fn known_values() {
        let data = b"Hello world";
        assert_eq!(Algorithm::Crc32.of(data), "i9aeUg==");
        assert_eq!(Algorithm::Crc32c.of(data), "crUfeA==");
        assert_eq!(Algorithm::Crc64Nvme.of(data), "OOJZ0D8xKts=");
        assert_eq!(Algorithm::Sha1.of(data), "e1AsOh9IyGCa4hLN+2Od7jlnP14=");
        assert_eq!(
            Algorithm::Sha256.of(data),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw="
        );
        assert_eq!(Algorithm::Crc32.of(b""), "AAAAAA==");
    }

    #[test]
    fn names() {
        for a in [
            Algorithm::Crc32,
            Algorithm::Crc32c,
            Algorithm::Crc64Nvme,
            Algorithm::Sha1,
            Algorithm::Sha256,
        ] {
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
            assert_eq!(Algorithm::from_name(&a.name().to_lowercase()), Some(a));
            assert!(a.header().ends_with(&a.name().to_lowercase()));
        }
        assert_eq!(Algorithm::from_name("XXHASH64"), None);
    }

    fn plan(required: bool, member: bool, algorithm: Option<&str>) -> RequestChecksum {
        RequestChecksum {
            required,
            algorithm_header: member.then_some("x-amz-sdk-checksum-algorithm"),
            algorithm: algorithm.map(str::to_string),
            ..Default::default()
        }
    }

    /// botocore's `resolve_request_checksum_algorithm`, case by case.
    #[test]
    fn choosing_as_botocore_does() {
        use Calculation::*;
        let none = &[];
        // Supported and `when_supported`: CRC32, and the algorithm header set to it.
        assert_eq!(
            choose(&plan(false, true, None), none, WhenSupported, false),
            Ok(Some((Algorithm::Crc32, true)))
        );
        // `when_required`: nothing unless required.
        assert_eq!(
            choose(&plan(false, true, None), none, WhenRequired, false),
            Ok(None)
        );
        assert_eq!(
            choose(&plan(true, false, None), none, WhenRequired, false),
            Ok(Some((Algorithm::Crc32, false)))
        );
        // The caller's algorithm, whatever the setting.
        assert_eq!(
            choose(
                &plan(false, true, Some("sha256")),
                none,
                WhenRequired,
                false
            ),
            Ok(Some((Algorithm::Sha256, false)))
        );
        assert_eq!(
            choose(
                &plan(false, true, Some("XXHASH3")),
                none,
                WhenSupported,
                false
            ),
            Err(ChecksumError::Unsupported("XXHASH3".into()))
        );
        // A checksum header the caller set: none computed.
        let set = [(
            http::HeaderName::from_static("x-amz-checksum-sha1"),
            http::HeaderValue::from_static("x"),
        )];
        assert_eq!(
            choose(&plan(true, true, None), &set, WhenSupported, false),
            Ok(None)
        );
        // No default checksum on presigned requests.
        assert_eq!(
            choose(&plan(true, true, None), none, WhenSupported, true),
            Ok(None)
        );
    }

    /// A file's checksum header and its SigV4 payload hash come from one read, equal to
    /// those of the same bytes in memory; the hash only when the payload is signed.
    #[tokio::test]
    async fn a_files_checksum_and_payload_hash_are_read_together() {
        let path = std::env::temp_dir().join(format!("awsgen-sum-{}", std::process::id()));
        let content: Vec<u8> = (0..3_000_000u32).map(|i| (i % 241) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let settings = (Calculation::WhenSupported, Validation::WhenSupported);
        for signed in [true, false] {
            let file = ByteStream::from_path(&path).await.unwrap();
            let mut headers = Vec::new();
            let plan = Some(plan(true, false, None));
            let applied = apply(plan, &mut headers, true, &file, false, settings, |h| {
                assert!(h, "a header checksum");
                signed
            })
            .await
            .unwrap();
            let value = headers.iter().find(|(n, _)| n == "x-amz-checksum-crc32");
            assert_eq!(value.unwrap().1, Algorithm::Crc32.of(&content).as_str());
            assert_eq!(
                applied.payload_sha256.map(|d| d.as_str().to_string()),
                signed.then(|| crate::sigv4::sha256_hex_inline(&content)
                    .as_str()
                    .to_string())
            );
        }
        std::fs::remove_file(&path).unwrap();
    }
}
