//! Required input members are plain values, not `Option`.
use awsgen_dms::operation::delete_connection::DeleteConnectionInput;

fn main() {
    let input = DeleteConnectionInput::new("a", "b");
    let _: Option<String> = input.endpoint_arn;
}
