//! `aws-chunked` bodies (S3's uploads whose checksum trails the data, issue #28): the
//! body framed in chunks, then the checksum computed as the chunks passed, as a trailing
//! header.
//!
//! Over https the chunks go unsigned (`STREAMING-UNSIGNED-PAYLOAD-TRAILER`, as botocore
//! sends them: `<hex length>\r\n<data>\r\n`, then `0\r\n<trailer>:<checksum>\r\n\r\n`).
//! Over plain http, where nothing else protects the data, each chunk is signed
//! (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`, as smithy-rs signs them; S3's
//! sigv4-streaming documentation): `<hex length>;chunk-signature=<signature>\r\n<data>\r\n`
//! in chunks of 64 KiB (the last shorter), each signature chained from the prior one (the
//! request's, first), then the empty chunk signed the same way, the trailer, and
//! `x-amz-trailer-signature`, the trailer's signature chained from the empty chunk's.

use crate::checksum::{Algorithm, Hasher};
use crate::sigv4::{self, SigningKey};
use crate::ByteStream;
use bytes::{Bytes, BytesMut};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The data each signed chunk holds (all but the last).
const SIGNED_CHUNK: usize = 64 * 1024;

/// An unsigned `aws-chunked` body: `body`'s chunks as they come, then the trailer. Its
/// length is not known ahead (chunks are framed as they come): it is sent with
/// `Transfer-Encoding: chunked`, as botocore sends it.
pub(crate) fn unsigned(body: ByteStream, algorithm: Algorithm) -> ByteStream {
    let stream = Unsigned {
        state: Some((body, algorithm.hasher())),
        trailer: algorithm.header(),
    };
    ByteStream::from_stream(stream, None)
}

struct Unsigned {
    state: Option<(ByteStream, Hasher)>,
    trailer: &'static str,
}

impl futures_core::Stream for Unsigned {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let trailer = self.trailer;
        let Some((body, hasher)) = self.state.as_mut() else {
            return Poll::Ready(None);
        };
        loop {
            match Pin::new(&mut *body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => {
                    self.state = None;
                    return Poll::Ready(Some(Err(e.into())));
                }
                Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                Poll::Ready(Some(Ok(chunk))) => {
                    hasher.update(&chunk);
                    let mut framed = Vec::with_capacity(chunk.len() + 16);
                    framed.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    framed.extend_from_slice(&chunk);
                    framed.extend_from_slice(b"\r\n");
                    return Poll::Ready(Some(Ok(Bytes::from(framed))));
                }
                Poll::Ready(None) => {
                    let Some((_, hasher)) = self.state.take() else {
                        return Poll::Ready(None);
                    };
                    let end = format!("0\r\n{trailer}:{}\r\n\r\n", hasher.finish_base64());
                    return Poll::Ready(Some(Ok(Bytes::from(end))));
                }
            }
        }
    }
}

/// How the chunks of a request's body are signed: the request's key, time and scope, and
/// the last signature (the request's, first).
pub(crate) struct ChunkSigner {
    pub(crate) key: Arc<SigningKey>,
    /// The request's `x-amz-date`.
    pub(crate) amz_date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) prior: String,
}

impl ChunkSigner {
    /// The next signature (hex), over the SHA-256 of each of `hashed`.
    fn sign(&mut self, algorithm: &str, hashed: &[&[u8]]) -> String {
        let sts = sigv4::chained_string_to_sign(
            algorithm,
            &self.amz_date,
            (&self.region, &self.service),
            &self.prior,
            hashed,
        );
        let (_, hex) = sigv4::chained_signature(&self.key, &sts);
        self.prior = hex.as_str().to_string();
        self.prior.clone()
    }

    /// `<hex length>;chunk-signature=<signature>\r\n<data>\r\n` (no data: the empty chunk
    /// that ends the data, without its final `\r\n`, which the trailer follows).
    fn chunk(&mut self, data: &[u8]) -> Vec<u8> {
        let signature = self.sign(sigv4::PAYLOAD_ALGORITHM, &[b"", data]);
        let mut out = Vec::with_capacity(data.len() + 90);
        out.extend_from_slice(
            format!("{:x};chunk-signature={signature}\r\n", data.len()).as_bytes(),
        );
        if !data.is_empty() {
            out.extend_from_slice(data);
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// The trailing header and its signature, then the blank line that ends the body.
    fn trailer(&mut self, name: &str, value: &str) -> Vec<u8> {
        let line = format!("{name}:{value}");
        let signature = self.sign(sigv4::TRAILER_ALGORITHM, &[format!("{line}\n").as_bytes()]);
        format!("{line}\r\nx-amz-trailer-signature:{signature}\r\n\r\n").into_bytes()
    }
}

impl std::fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("region", &self.region)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// A signed `aws-chunked` body: `body` in chunks of 64 KiB, each signed by `signer`, then
/// the signed empty chunk and the signed trailer.
pub(crate) fn signed(body: ByteStream, algorithm: Algorithm, signer: ChunkSigner) -> ByteStream {
    let stream = Signed {
        body: Some(body),
        hasher: Some(algorithm.hasher()),
        algorithm,
        buffered: BytesMut::new(),
        signer,
    };
    ByteStream::from_stream(stream, None)
}

struct Signed {
    /// `None` once the body has ended.
    body: Option<ByteStream>,
    /// `None` once the trailer is written.
    hasher: Option<Hasher>,
    algorithm: Algorithm,
    /// Data read but not yet sent: less than a chunk, unless the body has ended.
    buffered: BytesMut,
    signer: ChunkSigner,
}

impl futures_core::Stream for Signed {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.buffered.len() >= SIGNED_CHUNK {
                let data = this.buffered.split_to(SIGNED_CHUNK);
                return Poll::Ready(Some(Ok(Bytes::from(this.signer.chunk(&data)))));
            }
            let Some(body) = this.body.as_mut() else {
                return Poll::Ready(this.last().map(Ok));
            };
            match Pin::new(body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => {
                    (this.body, this.hasher) = (None, None);
                    return Poll::Ready(Some(Err(e.into())));
                }
                Poll::Ready(Some(Ok(data))) => {
                    if let Some(h) = this.hasher.as_mut() {
                        h.update(&data);
                    }
                    this.buffered.extend_from_slice(&data);
                }
                Poll::Ready(None) => this.body = None,
            }
        }
    }
}

impl Signed {
    /// After the body: the rest of the data as a last chunk, then the empty chunk and the
    /// trailer; then nothing.
    fn last(&mut self) -> Option<Bytes> {
        if !self.buffered.is_empty() {
            let data = std::mem::take(&mut self.buffered);
            return Some(Bytes::from(self.signer.chunk(&data)));
        }
        let checksum = self.hasher.take()?.finish_base64();
        let mut end = self.signer.chunk(&[]);
        end.extend_from_slice(&self.signer.trailer(self.algorithm.header(), &checksum));
        Some(Bytes::from(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(
        chunks: Vec<Bytes>,
    ) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + Sync + 'static
    {
        struct It(std::vec::IntoIter<Bytes>);
        impl futures_core::Stream for It {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<Self::Item>> {
                Poll::Ready(self.0.next().map(Ok))
            }
        }
        It(chunks.into_iter())
    }

    #[tokio::test]
    async fn unsigned_chunks_frame_and_trail() {
        let body = ByteStream::from_stream(
            pieces(vec![
                Bytes::from_static(b"Hello "),
                Bytes::new(),
                Bytes::from_static(b"world"),
            ]),
            Some(11),
        );
        let out = unsigned(body, Algorithm::Crc32)
            .collect(1 << 20)
            .await
            .unwrap();
        assert_eq!(
            &out[..],
            b"6\r\nHello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:i9aeUg==\r\n\r\n"
        );
    }

    /// S3's documented example of a chunked upload with a trailing checksum
    /// (sigv4-streaming-trailers: 65 KiB of `a`, CRC32C, the seed signature of its request,
    /// 20130524T000000Z, us-east-1), the body given in uneven pieces: 64 KiB and 1 KiB
    /// chunks, the empty chunk and the trailer, each with the documented signature.
    #[tokio::test]
    async fn signed_chunks_are_s3s_documented_example() {
        let data = vec![b'a'; 65 * 1024];
        let body = ByteStream::from_stream(
            pieces(data.chunks(7_000).map(Bytes::copy_from_slice).collect()),
            Some(data.len() as u64),
        );
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let signer = ChunkSigner {
            key: Arc::new(SigningKey::derive(secret, "20130524", "us-east-1", "s3")),
            amz_date: "20130524T000000Z".into(),
            region: "us-east-1".into(),
            service: "s3".into(),
            prior: "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e".into(),
        };
        let out = signed(body, Algorithm::Crc32c, signer)
            .collect(1 << 20)
            .await
            .unwrap();
        let mut want = Vec::new();
        want.extend_from_slice(b"10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n");
        want.extend_from_slice(&data[..64 * 1024]);
        want.extend_from_slice(b"\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n");
        want.extend_from_slice(&data[64 * 1024..]);
        want.extend_from_slice(b"\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n");
        want.extend_from_slice(b"x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n");
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&want)
        );
    }
}
