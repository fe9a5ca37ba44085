//! ListFunctions with the official SDK, the counterpart of `bench-lambda-ours`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_lambda::Client::new(&config);
    let out = client.list_functions().send().await?;
    println!("{}", out.functions().len());
    Ok(())
}
