//! Any bytes as a botocore model, through the whole generator.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| awsgen_tests::fuzz::model_loader(data));
