//! `new` takes every required member, by name: leaving one out does not compile, and
//! neither do positional arguments, which could be swapped unseen.
use awsgen_ui::operation::delete_connection::{DeleteConnectionInput, DeleteConnectionInputRequired};

fn main() {
    let _ = DeleteConnectionInput::new(DeleteConnectionInputRequired {
        endpoint_arn: "arn:endpoint".into(),
    });
    let _ = DeleteConnectionInput::new("arn:endpoint", "arn:instance");
}
