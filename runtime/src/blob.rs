//! Binary data (`blob` shapes).

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use std::fmt;

/// Writes padded base64 and reads it with or without padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Bytes of a `blob` member; base64 on the wire of the JSON protocols.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Blob(Vec<u8>);

/// A string that is not valid base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error(String);

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64 in blob: {}", self.0)
    }
}

impl std::error::Error for Base64Error {}

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }
    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }
    /// Takes the bytes out.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
    /// Padded standard base64.
    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.0)
    }
    /// Decodes standard base64, padded or not.
    pub fn from_base64(s: &str) -> Result<Self, Base64Error> {
        BASE64
            .decode(s.as_bytes())
            .map(Blob)
            .map_err(|e| Base64Error(e.to_string()))
    }
}

impl fmt::Debug for Blob {
    /// Shows the length, not the bytes: blobs can be large or secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blob({} bytes)", self.0.len())
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(v: Vec<u8>) -> Self {
        Blob(v)
    }
}

impl From<&[u8]> for Blob {
    fn from(v: &[u8]) -> Self {
        Blob(v.to_vec())
    }
}

impl From<Blob> for Vec<u8> {
    fn from(b: Blob) -> Self {
        b.0
    }
}
