//! A struct literal must name every required member; there is no `Default` to fill them.
use awsgen_dms::operation::delete_connection::DeleteConnectionInput;

fn main() {
    let _ = DeleteConnectionInput { endpoint_arn: "arn:endpoint".to_string() };
    let _ = DeleteConnectionInput::default();
}
