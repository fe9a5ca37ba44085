//! ListFunctions against the endpoint given as the first argument (or AWS).
use bench_lambda_ours::operation::list_functions::ListFunctionsInput;
use bench_lambda_ours::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let out = client.list_functions(ListFunctionsInput::new()).await?;
    println!("{}", out.functions.map_or(0, |f| f.len()));
    Ok(())
}
