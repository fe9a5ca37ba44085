//! Operation errors are `#[non_exhaustive]`: a fault added to the model is not a breaking
//! change, so a match must have a wildcard arm.
use awsgen_ui::operation::delete_connection::DeleteConnectionError;

fn code(err: DeleteConnectionError) -> &'static str {
    match err {
        DeleteConnectionError::AccessDeniedFault(_) => "a",
        DeleteConnectionError::ResourceNotFoundFault(_) => "r",
        DeleteConnectionError::InvalidResourceStateFault(_) => "i",
        DeleteConnectionError::Unhandled(_) => "u",
    }
}

fn main() {
    let _ = code;
}
