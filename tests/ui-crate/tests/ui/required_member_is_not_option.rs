//! Required input members are plain values, not `Option`.
use awsgen_ui::operation::delete_connection::{DeleteConnectionInput, DeleteConnectionInputRequired};

fn main() {
    let input = DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "a".into(),
        replication_instance_arn: "b".into(),
    });
    let _: Option<String> = input.endpoint_arn;
}
