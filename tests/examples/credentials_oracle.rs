//! The Rust side of `scripts/oracle_credentials.py`: resolves credentials and the region
//! from the process environment and shared files, as `Config::from_env` does, and prints
//! them as JSON (the secret only as a fingerprint) for the script to compare with
//! botocore's resolution of the same environment.

use awsgen_runtime::credentials::ProvideCredentials;
use awsgen_runtime::serde_json::json;
use awsgen_runtime::Config;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            println!("{}", json!({"error": e.to_string()}));
            return;
        }
    };
    let provider = config.credentials_provider();
    let out = match provider {
        None => json!({"error": "no credentials provider"}),
        Some(p) => match p.provide_credentials().await {
            Ok(c) => json!({
                "access_key": c.access_key_id(),
                "secret_length": c.secret_access_key().len(),
                "token": c.session_token().is_some(),
                "region": config.region(),
            }),
            Err(e) => json!({"error": e.to_string(), "region": config.region()}),
        },
    };
    println!("{out}");
}
