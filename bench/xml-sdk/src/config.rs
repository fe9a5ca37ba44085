//! The shared configuration both programs use: static test credentials, `us-east-1`,
//! the local server.

use aws_config::SdkConfig;
use aws_sdk_iam::config::{Credentials, Region};
use bench_common::{AKID, SECRET};

pub async fn shared(url: String) -> SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(AKID, SECRET, None, None, "static"))
        .endpoint_url(url)
        .load()
        .await
}
