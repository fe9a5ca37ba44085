//! `new` takes every required member: leaving one out does not compile.
use awsgen_dms::operation::delete_connection::DeleteConnectionInput;

fn main() {
    let _ = DeleteConnectionInput::new("arn:endpoint");
}
