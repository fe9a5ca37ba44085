//! The Rust side of `scripts/oracle_s3express.py`: S3 Express One Zone calls on a
//! directory bucket, as botocore makes them in the same script, against the script's
//! fake zonal endpoint: two GetObjects and a PutObject (one `CreateSession` for all
//! three), then a presigned GetObject URL, signed at the time given.
//!
//! `s3express_oracle <endpoint URL> <unix time> <bucket>`: prints the presigned URL, or
//! the first error.

use awsgen_runtime::{ByteStream, Config, Credentials, DateTime};

/// S3 with CreateSession, GetObject and PutObject, as the tests' build script generates it.
mod s3 {
    include!(concat!(env!("OUT_DIR"), "/s3.rs"));
}
use s3::operation::get_object::{GetObject, GetObjectInput, GetObjectInputRequired};
use s3::operation::put_object::{PutObjectInput, PutObjectInputRequired};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, now, bucket] = &args[..] else {
        eprintln!("usage: s3express_oracle <endpoint URL> <unix time> <bucket>");
        std::process::exit(2);
    };
    let now: i64 = now.parse().expect("a unix time");
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "oracle",
        ))
        .endpoint_url(url)
        .time_source(move || DateTime::from_secs(now))
        .build();
    let client = s3::Client::new(config);
    let get = |key: &str| {
        GetObjectInput::new(GetObjectInputRequired {
            bucket: bucket.clone(),
            key: key.into(),
        })
    };
    let result = async {
        for key in ["a", "b"] {
            client
                .get_object(get(key))
                .await
                .map_err(|e| e.to_string())?;
        }
        let put = PutObjectInput::new(PutObjectInputRequired {
            bucket: bucket.clone(),
            key: "c".into(),
        })
        .body(ByteStream::from(b"payload".to_vec()));
        client.put_object(put).await.map_err(|e| e.to_string())?;
        client
            .presign::<GetObject>(get("k"), std::time::Duration::from_secs(300))
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    match result {
        Ok(url) => println!("{}", url.uri()),
        Err(e) => println!("error: {e}"),
    }
}
