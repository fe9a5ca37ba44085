//! Any bytes as a response body: outputs, error metadata, faults.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| awsgen_tests::fuzz::response_parser(data));
