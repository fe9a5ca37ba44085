//! The Rust side of `scripts/oracle_proxy.py`: one DMS `DeleteConnection` call with the
//! configuration `Config::from_env` reads (the endpoint, the CA bundle, the proxy
//! variables), printed as JSON for the script to compare with boto3's call through the
//! same proxy. The configuration's `Debug` and the error's whole chain go to stderr,
//! where the script looks for the proxy password.

use awsgen_dms::operation::delete_connection::{
    DeleteConnectionInput, DeleteConnectionInputRequired,
};
use awsgen_dms::{Client, Config};
use awsgen_runtime::serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            println!("{}", json!({"error": e.to_string()}));
            return;
        }
    };
    eprintln!("{config:?}");
    let input = DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "arn:aws:dms:us-east-1:123456789012:endpoint:E".into(),
        replication_instance_arn: "arn:aws:dms:us-east-1:123456789012:rep:R".into(),
    });
    let out = match Client::new(config).delete_connection(input).await {
        Ok(o) => json!({"status": o.connection.and_then(|c| c.status)}),
        Err(e) => {
            let mut chain = e.to_string();
            let mut cur = std::error::Error::source(&e);
            while let Some(s) = cur {
                chain.push_str(&format!(": {s}"));
                cur = s.source();
            }
            eprintln!("{chain}");
            json!({"error": e.to_string()})
        }
    };
    println!("{out}");
}
