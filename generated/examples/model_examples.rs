//! The model's examples (`examples-1.json`), as the client's documentation shows them:
//! the build script writes each as an `async fn`, and this target compiles them all, so
//! that the documentation's code is checked against the generated types.
//!
//! Running it lists them; it sends nothing.

#[allow(dead_code, clippy::all)]
mod examples {
    include!(concat!(env!("OUT_DIR"), "/dms_examples.rs"));
}

fn main() {
    println!("{} examples of the DMS model compile", examples::COUNT);
}
