//! Outputs are `#[non_exhaustive]`: a member added to the model is not a breaking change,
//! so they cannot be built by struct literal outside the crate.
use awsgen_ui::operation::delete_connection::DeleteConnectionOutput;

fn main() {
    let _ = DeleteConnectionOutput { connection: None };
}
