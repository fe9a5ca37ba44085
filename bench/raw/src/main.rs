//! A floor without hyper: the bare-hyper floor's exact request written by hand on one
//! keep-alive TCP connection, and the response read by its `Content-Length` (no chunked
//! bodies, no pool, no timeouts: a measure, not a client). `bench-raw <port> <calls>`.
//!
//! What it answers: how much of the bare-hyper floor's CPU per call and latency is
//! hyper's own, that is, what a transport of our own could save (issue #13).

use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls, _) = bench_common::args();
    let addr = url.trim_start_matches("http://").to_string();
    let body = format!(
        r#"{{"EndpointArn":"{}","ReplicationInstanceArn":"{}"}}"#,
        bench_common::ENDPOINT_ARN,
        bench_common::INSTANCE_ARN
    );
    let request = format!(
        "POST / HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/x-amz-json-1.1\r\n\
         x-amz-target: AmazonDMSv20160101.DeleteConnection\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    // Taken by each call and put back at its end (calls run one after another).
    let connection = std::cell::Cell::new(Some((stream, Vec::with_capacity(16 * 1024))));
    bench_common::run(calls, || {
        let (connection, request) = (&connection, request.as_bytes());
        async move {
            let (mut stream, mut response) = connection.take().expect("one call at a time");
            stream.write_all(request).await.expect("write");
            response.clear();
            let mut chunk = [0u8; 8192];
            let (head, length) = loop {
                let n = stream.read(&mut chunk).await.expect("read");
                assert!(n > 0, "the server closed the connection");
                response.extend_from_slice(&chunk[..n]);
                if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = std::str::from_utf8(&response[..end]).expect("head");
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>())
                        })
                        .expect("a content-length")
                        .expect("a number");
                    break (end + 4, length);
                }
            };
            while response.len() < head + length {
                let n = stream.read(&mut chunk).await.expect("read");
                assert!(n > 0, "the server closed the connection");
                response.extend_from_slice(&chunk[..n]);
            }
            assert!(length > 0);
            connection.set(Some((stream, response)));
        }
    })
    .await;
}
