//! EC2 DescribeInstances with an answer of about 1 MB (`bench/xml_bodies.py
//! describe-instances`), N times, with the official SDK: time per call, CPU, peak heap.
//! `bench-ec2-sdk <port> <calls>`.

mod config;

#[global_allocator]
static HEAP: bench_common::Counting = bench_common::Counting;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls) = bench_common::parse_args();
    let client = aws_sdk_ec2::Client::new(&config::shared(url).await);
    bench_common::run_heap(calls, || async {
        let out = client
            .describe_instances()
            .send()
            .await
            .expect("DescribeInstances");
        let instances: usize = out
            .reservations
            .iter()
            .flatten()
            .map(|r| r.instances.as_ref().map_or(0, |i| i.len()))
            .sum();
        assert_eq!(instances, bench_common::INSTANCES);
        out
    })
    .await;
}
