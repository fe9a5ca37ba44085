//! EC2 DescribeInstances with an answer of about 1 MB (`bench/xml_bodies.py
//! describe-instances`), N times, with the generated client: time per call, CPU, peak
//! heap. `bench-ec2-ours <port> <calls>`.

#[allow(missing_docs)]
mod ec2 {
    include!(concat!(env!("OUT_DIR"), "/ec2.rs"));
}

use bench_common::{AKID, SECRET};

#[global_allocator]
static HEAP: bench_common::Counting = bench_common::Counting;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls) = bench_common::parse_args();
    let client = ec2::client::Client::new(
        ec2::Config::builder()
            .region("us-east-1")
            .credentials(awsgen_runtime::Credentials::new(
                AKID, SECRET, None, None, "static",
            ))
            .endpoint_url(url)
            .build(),
    );
    bench_common::run_heap(calls, || async {
        let out = client
            .describe_instances(Default::default())
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
