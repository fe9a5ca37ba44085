//! Inputs are non-exhaustive (a model update adding an optional member breaks no
//! caller), so they are built with `new`, never a struct literal; and there is no
//! `Default` to leave required members out.
use awsgen_ui::operation::delete_connection::DeleteConnectionInput;

fn main() {
    let _ = DeleteConnectionInput {
        endpoint_arn: "arn:endpoint".to_string(),
        replication_instance_arn: "arn:instance".to_string(),
    };
    let _ = DeleteConnectionInput::default();
}
