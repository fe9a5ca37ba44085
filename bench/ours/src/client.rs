//! The client both programs use: static test credentials, `us-east-1`, the local server.

use awsgen_dms::{Client, Config, Credentials};
use bench_common::{AKID, SECRET};

pub fn client(url: String) -> Client {
    Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(AKID, SECRET, None, None, "static"))
            .endpoint_url(url)
            .build(),
    )
}
