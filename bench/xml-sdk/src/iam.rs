//! IAM ListRoles with a 1,000-role answer (`bench/xml_bodies.py list-roles`), N times, with
//! the official SDK: time per call, CPU, peak heap. `bench-iam-sdk <port> <calls>`.

mod config;

#[global_allocator]
static HEAP: bench_common::Counting = bench_common::Counting;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls) = bench_common::parse_args();
    let client = aws_sdk_iam::Client::new(&config::shared(url).await);
    bench_common::run_heap(calls, || async {
        let out = client.list_roles().send().await.expect("ListRoles");
        assert_eq!(out.roles.len(), bench_common::ROLES);
        out
    })
    .await;
}
