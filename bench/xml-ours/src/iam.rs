//! IAM ListRoles with a 1,000-role answer (`bench/xml_bodies.py list-roles`), N times, with
//! the generated client: time per call, CPU, peak heap. `bench-iam-ours <port> <calls>`.

#[allow(missing_docs)]
mod iam {
    include!(concat!(env!("OUT_DIR"), "/iam.rs"));
}

use bench_common::{AKID, SECRET};

#[global_allocator]
static HEAP: bench_common::Counting = bench_common::Counting;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (url, calls) = bench_common::parse_args();
    let client = iam::client::Client::new(
        iam::Config::builder()
            .region("us-east-1")
            .credentials(awsgen_runtime::Credentials::new(
                AKID, SECRET, None, None, "static",
            ))
            .endpoint_url(url)
            .build(),
    );
    bench_common::run_heap(calls, || async {
        let out = client
            .list_roles(Default::default())
            .await
            .expect("ListRoles");
        assert_eq!(out.roles().len(), bench_common::ROLES);
        out
    })
    .await;
}
