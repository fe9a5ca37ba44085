//! S3, generated from the botocore model by this crate's build script.
#![allow(missing_docs)]
include!(concat!(env!("OUT_DIR"), "/s3.rs"));
