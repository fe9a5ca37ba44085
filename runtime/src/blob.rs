//! Binary data (`blob` shapes).

use std::fmt;

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
        encode(&self.0)
    }
    /// Decodes standard base64, padded or not (canonical padding, or less of it), with
    /// the unused bits of the last symbol zero.
    pub fn from_base64(s: &str) -> Result<Self, Base64Error> {
        decode(s.as_bytes()).map(Blob).map_err(Base64Error)
    }
}

// Base64 by hand rather than with the `base64` crate: a few dozen lines against a crate
// in every build. The crate remains the reference in this module's tests.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The value of a base64 symbol.
fn symbol(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

fn decode(text: &[u8]) -> Result<Vec<u8>, String> {
    // Padding: at the end only, no more than the last group needs.
    let symbols = text.iter().rposition(|&c| c != b'=').map_or(0, |i| i + 1);
    let padding = text.len() - symbols;
    let last_group = symbols % 4;
    if last_group == 1 {
        return Err(format!("{symbols} symbols, a length no base64 has"));
    }
    if padding > 0 && (last_group == 0 || last_group + padding > 4) {
        return Err("padding where none belongs".into());
    }
    let mut out = Vec::with_capacity(symbols / 4 * 3 + 2);
    for (g, group) in text[..symbols].chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &c) in group.iter().enumerate() {
            let v = symbol(c).ok_or_else(|| {
                format!(
                    "a byte that is not base64 ({c:#04x}) at offset {}",
                    g * 4 + i
                )
            })?;
            n |= v << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = group.len() - 1;
        if bytes[keep..].iter().any(|&b| b != 0) {
            return Err("a last symbol with bits beyond the data".into());
        }
        out.extend_from_slice(&bytes[..keep]);
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    use base64::engine::DecodePaddingMode;
    use base64::Engine;

    /// The `base64` crate as this module used it before: the reference.
    const REFERENCE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );

    /// A small deterministic generator (the test must not depend on a seed source).
    fn next(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state >> 33
    }

    #[test]
    fn encodes_as_the_reference_does() {
        let mut state = 7;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| next(&mut state) as u8).collect();
            assert_eq!(encode(&bytes), REFERENCE.encode(&bytes), "{bytes:?}");
            assert_eq!(
                Blob::from_base64(&encode(&bytes)).unwrap().as_slice(),
                &bytes[..]
            );
        }
        assert_eq!(Blob::new(*b"foobar").to_base64(), "Zm9vYmFy");
        assert_eq!(Blob::new(*b"fo").to_base64(), "Zm8=");
    }

    /// Every string over base64's symbols, `=`, and a few strangers, up to six long, and
    /// mangled encodings: accepted or refused exactly as the reference does, with the
    /// same bytes.
    #[test]
    fn decodes_as_the_reference_does() {
        let symbols = b"AQgw+/=\x20-_\x80";
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        let mut level = vec![Vec::new()];
        for _ in 0..5 {
            level = level
                .iter()
                .flat_map(|p: &Vec<u8>| symbols.iter().map(move |&c| [&p[..], &[c]].concat()))
                .collect();
            inputs.extend(level.iter().cloned());
        }
        let mut state = 11;
        for _ in 0..5_000 {
            let len = next(&mut state) as usize % 40;
            let bytes: Vec<u8> = (0..len).map(|_| next(&mut state) as u8).collect();
            let mut text = REFERENCE.encode(&bytes).into_bytes();
            let cut = (next(&mut state) % 3) as usize;
            text.truncate(text.len().saturating_sub(cut));
            if !text.is_empty() && next(&mut state) % 2 == 0 {
                let at = next(&mut state) as usize % text.len();
                text[at] = symbols[next(&mut state) as usize % symbols.len()];
            }
            inputs.push(text);
        }
        for input in inputs {
            let ours = decode(&input);
            let reference = REFERENCE.decode(&input);
            assert_eq!(
                ours.as_ref().ok(),
                reference.as_ref().ok(),
                "{:?}: ours {ours:?}, reference {reference:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let err = |s: &str| Blob::from_base64(s).unwrap_err().to_string();
        assert_eq!(
            err("QQ!A"),
            "invalid base64 in blob: a byte that is not base64 (0x21) at offset 2"
        );
        assert_eq!(
            err("QUJDR"),
            "invalid base64 in blob: 5 symbols, a length no base64 has"
        );
        assert_eq!(
            err("QUJD="),
            "invalid base64 in blob: padding where none belongs"
        );
        assert_eq!(
            err("QR=="),
            "invalid base64 in blob: a last symbol with bits beyond the data"
        );
    }
}
