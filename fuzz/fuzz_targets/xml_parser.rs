//! Any bytes as XML: the XML layer, query and ec2 answers, their errors and faults.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| awsgen_tests::fuzz::xml_parser(data));
