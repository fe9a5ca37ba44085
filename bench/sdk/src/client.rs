//! The client both programs use: static test credentials, `us-east-1`, the local server.

use aws_sdk_databasemigration::config::{Credentials, Region};
use bench_common::{AKID, SECRET};

pub async fn client(url: String) -> aws_sdk_databasemigration::Client {
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(AKID, SECRET, None, None, "static"))
        .endpoint_url(url)
        .load()
        .await;
    aws_sdk_databasemigration::Client::new(&shared)
}
