//! Issue #25: streaming bodies. 1 GiB down from a local server into a file and 1 GiB up
//! from a (sparse) file, through the default transport, with the process's peak resident
//! memory under 32 MiB: neither side holds a body. One test in its own binary, so that
//! the peak is this test's alone.

mod common;

use awsgen_runtime::http::{HttpClient, HyperClient, ProxyConfig};
use awsgen_runtime::ByteStream;
use bytes::Bytes;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

const GIB: u64 = 1 << 30;
const CHUNK: usize = 256 * 1024;
static PATTERN: [u8; CHUNK] = {
    let mut p = [0u8; CHUNK];
    let mut i = 0;
    while i < CHUNK {
        p[i] = (i % 251) as u8;
        i += 1;
    }
    p
};

/// `left` bytes of `PATTERN`, repeated, without allocating a body.
struct Generated {
    left: u64,
}

impl http_body::Body for Generated {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(CHUNK as u64) as usize;
        self.left -= n as u64;
        Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from_static(
            &PATTERN[..n],
        )))))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

/// A server: `GET /download` answers 1 GiB; `PUT /upload` reads the body piece by piece
/// and answers how many bytes it read and how many were zero.
async fn server() -> std::net::SocketAddr {
    use http_body_util::BodyExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    |req: hyper::Request<hyper::body::Incoming>| async move {
                        let body: http_body_util::Either<Generated, http_body_util::Full<Bytes>> =
                            if req.method() == http::Method::GET {
                                http_body_util::Either::Left(Generated { left: GIB })
                            } else {
                                let mut body = req.into_body();
                                let (mut n, mut zeros) = (0u64, 0u64);
                                while let Some(frame) = body.frame().await {
                                    if let Ok(data) = frame?.into_data() {
                                        n += data.len() as u64;
                                        zeros += data.iter().filter(|b| **b == 0).count() as u64;
                                    }
                                }
                                http_body_util::Either::Right(http_body_util::Full::new(
                                    Bytes::from(format!("{n} {zeros}")),
                                ))
                            };
                        Ok::<_, hyper::Error>(hyper::Response::new(body))
                    },
                );
                let io = hyper_util::rt::TokioIo::new(tcp);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, svc)
                    .await;
            });
        }
    });
    addr
}

#[test]
fn a_gibibyte_each_way_in_bounded_memory() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let addr = server().await;
        let client = HyperClient::builder()
            .proxy(ProxyConfig::disabled())
            .build()
            .unwrap();
        let dir = std::env::temp_dir().join(format!("awsgen-streaming-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();

        // Down: straight into a file.
        let get = http::Request::get(format!("http://{addr}/download"))
            .body(ByteStream::new())
            .unwrap();
        let resp = client.send(get).await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.body().len(), Some(GIB));
        let file = dir.join("download");
        let written = resp.into_body().write_to_file(&file).await.unwrap();
        assert_eq!(written, GIB);
        assert_eq!(std::fs::metadata(&file).unwrap().len(), GIB);
        // Spot checks of the content: the pattern, where it should be.
        {
            use std::io::{Read, Seek, SeekFrom};
            let mut f = std::fs::File::open(&file).unwrap();
            for at in [0, 12_345, GIB / 2 + 7, GIB - 16] {
                let mut got = [0u8; 16];
                f.seek(SeekFrom::Start(at)).unwrap();
                f.read_exact(&mut got).unwrap();
                let want: Vec<u8> = (at..at + 16)
                    .map(|i| PATTERN[(i % CHUNK as u64) as usize])
                    .collect();
                assert_eq!(got.as_slice(), want.as_slice(), "at {at}");
            }
        }
        std::fs::remove_file(&file).unwrap();

        // Up: from a sparse file of zeros, read as it is sent.
        let upload = dir.join("upload");
        std::fs::File::create(&upload)
            .unwrap()
            .set_len(GIB)
            .unwrap();
        let body = ByteStream::from_path(&upload).await.unwrap();
        assert_eq!(body.len(), Some(GIB));
        let put = http::Request::put(format!("http://{addr}/upload"))
            .header("content-length", GIB)
            .body(body)
            .unwrap();
        let resp = client.send(put).await.unwrap();
        assert_eq!(resp.status(), 200);
        let answer = resp.into_body().collect(64).await.unwrap();
        assert_eq!(answer, format!("{GIB} {GIB}"));
        std::fs::remove_dir_all(&dir).unwrap();
    });
    let peak = common::peak_rss();
    assert!(peak < 32 << 20, "peak RSS {} MiB", peak >> 20);
    eprintln!(
        "streaming 1 GiB each way: peak RSS {:.1} MiB",
        peak as f64 / 1048576.0
    );
}
