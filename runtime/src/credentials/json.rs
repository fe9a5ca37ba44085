//! Reading the small JSON documents credential sources receive (process output, the
//! container and IMDS documents, the SSO portal's and SSO-OIDC's answers) from a parsed
//! [`serde_json::Value`], member by member, with the rules a derived `Option` field has:
//! absent or `null` is `None`, any other type than the expected one makes the whole
//! document unreadable. Done by hand instead of with serde derives: each derive
//! monomorphized serde_json's deserializer again, about a second of every build.

use serde_json::{Map, Value};

/// A JSON document's members.
pub(crate) type Object = Map<String, Value>;

/// The document in `body`, when it is a JSON object.
pub(crate) fn object(body: &[u8]) -> Option<Object> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(members)) => Some(members),
        _ => None,
    }
}

/// A member that must be a string when present.
pub(crate) fn string(doc: &Object, key: &str) -> Result<Option<String>, WrongType> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(WrongType),
    }
}

/// A member that must be an integer (`i64`) when present.
pub(crate) fn integer(doc: &Object, key: &str) -> Result<Option<i64>, WrongType> {
    match doc.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or(WrongType),
    }
}

/// A member of another type than the document's reader expects.
#[derive(Debug, PartialEq)]
pub(crate) struct WrongType;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_read_as_derived_option_fields_did() {
        let doc = object(br#"{"s":"x","n":7,"null":null,"f":1.5,"neg":-2}"#).unwrap();
        assert_eq!(string(&doc, "s"), Ok(Some("x".into())));
        assert_eq!(string(&doc, "absent"), Ok(None));
        assert_eq!(string(&doc, "null"), Ok(None));
        assert_eq!(string(&doc, "n"), Err(WrongType));
        assert_eq!(integer(&doc, "n"), Ok(Some(7)));
        assert_eq!(integer(&doc, "neg"), Ok(Some(-2)));
        assert_eq!(integer(&doc, "f"), Err(WrongType));
        assert_eq!(integer(&doc, "s"), Err(WrongType));
        assert!(object(b"[1]").is_none());
        assert!(object(b"{\"a\":").is_none());
        assert!(object(b"<html>").is_none());
    }
}
