//! How values travel in the JSON protocols, where serde's defaults are not the protocol.
//!
//! [`DateTime`] and [`Blob`] serialize as the protocol's defaults (epoch seconds, base64)
//! on their own. Members whose model asks for something else (an `iso8601` timestamp, a
//! float that may be `NaN`) use an [`Adapter`], composed for containers:
//! `OptionOf<ListOf<Iso8601>>` for an optional list of ISO 8601 timestamps. Generated
//! `Serialize`/`Deserialize` impls name them through [`Members`], [`next_with`], [`Ser`]
//! and [`De`]; [`serialize`] and [`deserialize`] serve hand-written structs'
//! `serialize_with` / `deserialize_with` attributes (generated code no longer uses serde
//! attributes).

use crate::{Blob, DateTime};
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// A wire representation of a Rust value.
pub trait Adapter {
    /// The Rust type carried.
    type Value;
    /// Writes `value` in this representation.
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value in this representation.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self::Value, D::Error>;
    /// `null` is a value of this representation (documents), not an absent element:
    /// lists and maps keep it.
    const NULL_IS_VALUE: bool = false;
}

/// For `#[serde(serialize_with = "serialize::<A, _>")]` in hand-written structs.
pub fn serialize<A: Adapter, S: Serializer>(
    value: &A::Value,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    A::serialize(value, serializer)
}

/// For `#[serde(deserialize_with = "deserialize::<A, _>")]` in hand-written structs.
pub fn deserialize<'de, A: Adapter, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<A::Value, D::Error> {
    A::deserialize(deserializer)
}

/// Serializes a borrowed value through adapter `A`.
pub struct Ser<'a, A: Adapter>(pub &'a A::Value);

impl<A: Adapter> Serialize for Ser<'_, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        A::serialize(self.0, serializer)
    }
}

/// Deserializes a value through adapter `A`.
pub struct De<A: Adapter>(pub A::Value);

impl<'de, A: Adapter> Deserialize<'de> for De<A> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        A::deserialize(deserializer).map(De)
    }
}

// ---- timestamps -------------------------------------------------------------------------

fn write_epoch<S: Serializer>(t: &DateTime, s: S) -> Result<S::Ok, S::Error> {
    if t.subsec_nanos() == 0 {
        s.serialize_i64(t.secs())
    } else {
        // Millisecond precision, as the services accept and the SDKs send.
        let millis = (t.subsec_nanos() / 1_000_000) as f64 / 1000.0;
        s.serialize_f64(t.secs() as f64 + millis)
    }
}

/// Reads a timestamp from a number (epoch seconds) or a string in any AWS format.
struct AnyTimestamp;

impl Visitor<'_> for AnyTimestamp {
    type Value = DateTime;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a timestamp (epoch seconds, ISO 8601 or HTTP date)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        i64::try_from(v)
            .map(DateTime::from_secs)
            .map_err(|_| E::custom(format!("timestamp {v} is out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        DateTime::from_secs_f64(v)
            .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        DateTime::parse_any(v).map_err(E::custom)
    }
}

impl Serialize for DateTime {
    /// Epoch seconds, the JSON protocols' default.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_epoch(self, serializer)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    /// Accepts epoch seconds and, leniently, ISO 8601 and HTTP-date strings.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyTimestamp)
    }
}

/// Epoch seconds (the default, named for completeness in composed adapters).
pub struct EpochSeconds;
/// ISO 8601 / RFC 3339 strings.
pub struct Iso8601;
/// HTTP-date strings (botocore's `rfc822`).
pub struct HttpDate;

impl Adapter for EpochSeconds {
    type Value = DateTime;
    fn serialize<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        write_epoch(v, s)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(AnyTimestamp)
    }
}

impl Adapter for Iso8601 {
    type Value = DateTime;
    fn serialize<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_iso8601())
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(AnyTimestamp)
    }
}

impl Adapter for HttpDate {
    type Value = DateTime;
    fn serialize<S: Serializer>(v: &DateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_http_date())
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
        d.deserialize_any(AnyTimestamp)
    }
}

// ---- floats -----------------------------------------------------------------------------

/// A double that may be `NaN` or infinite: those travel as the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"` (JSON has no literals for them).
pub struct Float64;
/// A float, like [`Float64`].
pub struct Float32;

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

fn write_float<S: Serializer>(v: f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_nan() {
        s.serialize_str("NaN")
    } else if v == f64::INFINITY {
        s.serialize_str("Infinity")
    } else if v == f64::NEG_INFINITY {
        s.serialize_str("-Infinity")
    } else {
        s.serialize_f64(v)
    }
}

impl Adapter for Float64 {
    type Value = f64;
    fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        write_float(*v, s)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}

impl Adapter for Float32 {
    type Value = f32;
    fn serialize<S: Serializer>(v: &f32, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f32(*v)
        } else {
            write_float(f64::from(*v), s)
        }
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f32, D::Error> {
        d.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
}

// ---- containers -------------------------------------------------------------------------

/// `Option<A::Value>`: an optional member, or the element of a `sparse` list or map
/// (whose `null` elements are kept as `None`, as botocore keeps them).
pub struct OptionOf<A>(PhantomData<A>);
/// `Vec<A::Value>`.
pub struct ListOf<A>(PhantomData<A>);
/// `BTreeMap<K, A::Value>`.
pub struct MapOf<K, A>(PhantomData<(K, A)>);

impl<A: Adapter> Adapter for OptionOf<A> {
    type Value = Option<A::Value>;
    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => s.serialize_some(&Ser::<A>(inner)),
            None => s.serialize_none(),
        }
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error> {
        Ok(Option::<De<A>>::deserialize(d)?.map(|x| x.0))
    }
    /// As the element of a `sparse` list or map, `null` is the value `None`, kept.
    const NULL_IS_VALUE: bool = true;
}

/// A document (untyped JSON) element of a list or map: `null` is a value and is kept, as
/// botocore keeps it.
pub struct DocumentValue;

impl Adapter for DocumentValue {
    type Value = crate::Document;
    fn serialize<S: Serializer>(v: &crate::Document, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<crate::Document, D::Error> {
        crate::Document::deserialize(d)
    }
    const NULL_IS_VALUE: bool = true;
}

/// A value in its serde form: the element adapter of lists and maps whose elements
/// need no other wire form (`ListOf<Plain<String>>`).
pub struct Plain<T>(PhantomData<T>);

impl<T: Serialize + for<'de> Deserialize<'de>> Adapter for Plain<T> {
    type Value = T;
    fn serialize<S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        T::deserialize(d)
    }
}

/// Reads a list: `null` elements are skipped (botocore keeps them, the official SDK skips
/// them in dense lists; a response must not be lost over one), and every element is
/// charged to the parse's memory [`budget`](with_budget).
impl<A: Adapter> Adapter for ListOf<A> {
    type Value = Vec<A::Value>;
    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for item in v {
            seq.serialize_element(&Ser::<A>(item))?;
        }
        seq.end()
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error> {
        struct ListVisitor<A>(PhantomData<A>);
        impl<'de, A: Adapter> Visitor<'de> for ListVisitor<A> {
            type Value = Vec<A::Value>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                let mut out = Vec::new();
                loop {
                    let item = if A::NULL_IS_VALUE {
                        seq.next_element::<De<A>>()?.map(Some)
                    } else {
                        seq.next_element::<Option<De<A>>>()?
                    };
                    let Some(item) = item else { break };
                    // A vector's capacity is at most twice its length.
                    charge::<S::Error>(2 * std::mem::size_of::<A::Value>())?;
                    if let Some(De(item)) = item {
                        out.push(item);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_seq(ListVisitor::<A>(PhantomData))
    }
}

/// Reads a map like [`ListOf`] reads a list: `null` values are skipped, entries charged.
impl<K, A> Adapter for MapOf<K, A>
where
    K: Ord + Serialize + for<'de> Deserialize<'de>,
    A: Adapter,
{
    type Value = BTreeMap<K, A::Value>;
    fn serialize<S: Serializer>(v: &Self::Value, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(v.len()))?;
        for (k, item) in v {
            map.serialize_entry(k, &Ser::<A>(item))?;
        }
        map.end()
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Self::Value, D::Error> {
        struct MapVisitor<K, A>(PhantomData<(K, A)>);
        impl<'de, K: Ord + Deserialize<'de>, A: Adapter> Visitor<'de> for MapVisitor<K, A> {
            type Value = BTreeMap<K, A::Value>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<M: de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let entry = std::mem::size_of::<K>() + std::mem::size_of::<A::Value>();
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<K>()? {
                    // A B-tree's first node has room for 11 entries; later ones are at
                    // least half full, and internal nodes add a little.
                    charge::<M::Error>(if out.is_empty() {
                        12 * entry + 64
                    } else {
                        3 * entry
                    })?;
                    let value = if A::NULL_IS_VALUE {
                        Some(map.next_value::<De<A>>()?)
                    } else {
                        map.next_value::<Option<De<A>>>()?
                    };
                    if let Some(De(value)) = value {
                        out.insert(key, value);
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(MapVisitor::<K, A>(PhantomData))
    }
}

// ---- the memory budget of a parse ----------------------------------------------------------

std::thread_local! {
    static BUDGET: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// Runs `parse` with a memory budget of `bytes` for what lists and maps hold: a response
/// of many tiny elements (`[{},{},...]`) costs far more in Rust than on the wire (one
/// DMS `Endpoint` is hundreds of bytes), so a parse that would exceed the budget fails
/// with an error instead of taking gigabytes.
pub fn with_budget<T>(bytes: usize, parse: impl FnOnce() -> T) -> T {
    let previous = BUDGET.with(|b| b.replace(Some(bytes)));
    let out = parse();
    BUDGET.with(|b| b.set(previous));
    out
}

/// Takes `bytes` from the current parse's budget (none outside [`with_budget`]).
pub fn charge<E: de::Error>(bytes: usize) -> Result<(), E> {
    BUDGET.with(|b| match b.get() {
        None => Ok(()),
        Some(left) if left >= bytes => {
            b.set(Some(left - bytes));
            Ok(())
        }
        Some(_) => Err(E::custom(
            "the response holds more elements than its size allows: parsing it would take more than 8 times its length in memory",
        )),
    })
}

// ---- structure members -----------------------------------------------------------------

/// A member name read from a JSON object: borrowed from the body when it holds no escape,
/// so that reading a structure allocates nothing per member. Generated `Deserialize`
/// impls match on [`Key::as_str`].
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The member name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A REST input's body: its members bound to the URI, query string or headers left out.
/// Generated code implements it for structures that have such members (their
/// `Serialize` writes every member, for the caller's own use of serde).
pub trait SerializeBody {
    /// Writes the members that travel in the body.
    fn serialize_body<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// The body members of a REST input, as a value to serialize.
pub struct Body<'a, T>(pub &'a T);

impl<T: SerializeBody> Serialize for Body<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_body(serializer)
    }
}

/// How generated `Serialize` impls write a structure's members: one plain call per
/// member (`m.optional("Name", &self.name);` leaves an unset member out; the `_with`
/// forms go through an [`Adapter`]), the first error kept and returned by
/// [`end`](Self::end), nothing written after it. (A `?` per member cost the compiler
/// more than the member's write. The per-member methods, like [`next`], are
/// `#[inline(never)]`: inlined, the compiler optimizes their bodies again inside every
/// structure's impl, for a call's worth of speed.)
pub struct Members<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Members<M> {
    /// Starts writing into `map`.
    #[inline]
    pub fn new(map: M) -> Self {
        Members { map, error: None }
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    /// Writes `key: value`.
    #[inline(never)]
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.entry(key, value);
    }

    /// Writes `key: value` when the optional member is set.
    #[inline(never)]
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(key, value);
        }
    }

    /// Writes `key: value` through adapter `A`.
    #[inline(never)]
    pub fn required_with<A: Adapter>(&mut self, key: &'static str, value: &A::Value) {
        self.entry(key, &Ser::<A>(value));
    }

    /// Writes `key: value` through adapter `A` when the optional member is set.
    #[inline(never)]
    pub fn optional_with<A: Adapter>(&mut self, key: &'static str, value: &Option<A::Value>) {
        if let Some(value) = value {
            self.entry(key, &Ser::<A>(value));
        }
    }

    /// Ends the map, or returns the first error a member's write met.
    #[inline]
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// A structure that generated code reads from a map, member by member: its
/// `Deserialize` is [`read_struct`], one visitor for every structure (a visitor type and
/// its `expecting` per structure cost the compiler more than the members they read).
pub trait ReadMembers<'de>: Sized {
    /// What the value must be, for serde's invalid-type errors (`a structure (a JSON
    /// object)`).
    const EXPECTING: &'static str;

    /// Reads the members from `map`.
    fn read_members<A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads a [`ReadMembers`] structure from a map.
#[inline]
pub fn read_struct<'de, T: ReadMembers<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct Members<T>(PhantomData<T>);
    impl<'de, T: ReadMembers<'de>> de::Visitor<'de> for Members<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        #[inline]
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::read_members(map)
        }
    }
    deserializer.deserialize_map(Members(PhantomData))
}

/// The position of `key` in `names` (a structure's member names on the wire, in model
/// order), or `names.len()` for a member the model does not know. Generated
/// `read_members` matches on the position: an integer `match` is one branch to the
/// compiler, a `match` on strings a comparison per member.
pub fn member_index(key: &str, names: &[&str]) -> usize {
    names.iter().position(|n| *n == key).unwrap_or(names.len())
}

/// Reads a member's value into `slot` (generated code: one `?` per member read rather
/// than one per member of the structure).
#[inline(never)]
pub fn next<'de, A: de::MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads an optional member's value into `slot` through adapter `W` (`null` leaves it
/// unset).
#[inline(never)]
pub fn next_with<'de, W: Adapter, A: de::MapAccess<'de>>(
    map: &mut A,
    slot: &mut Option<W::Value>,
) -> Result<(), A::Error> {
    *slot = map.next_value::<De<OptionOf<W>>>()?.0;
    Ok(())
}

/// Reads a document member into `slot`: `null` is a document like any other (botocore
/// keeps it), so the member is set.
#[inline(never)]
pub fn next_some<'de, A: de::MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required member's value, or serde's missing-field error naming its wire name.
pub fn required<T, E: de::Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// Skips the value of a member this model does not know.
pub fn skip_value<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(|_| ())
}

/// Skips every member (a structure with none in the model).
pub fn skip_members<'de, A: de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    while map.next_key::<de::IgnoredAny>()?.is_some() {
        map.next_value::<de::IgnoredAny>()?;
    }
    Ok(())
}

// ---- blobs ------------------------------------------------------------------------------

impl Serialize for Blob {
    /// Base64 (standard alphabet, padded), as the JSON protocols send blobs.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlobVisitor;
        impl Visitor<'_> for BlobVisitor {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
                Blob::from_base64(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(BlobVisitor)
    }
}

// ---- streaming payloads -------------------------------------------------------------------

impl Serialize for crate::ByteStream {
    /// A body in memory as base64, like a blob (so an input or output with a streaming
    /// payload keeps a serde form: mocks, logs, harnesses). A file or a one-shot stream
    /// has no such form without reading it: an error that says so.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.bytes() {
            Some(b) => serializer.serialize_str(&Blob::new(b.to_vec()).to_base64()),
            None if self.is_empty() => serializer.serialize_str(""),
            None => Err(serde::ser::Error::custom(
                "a streaming body that is not in memory cannot be serialized; collect it first",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for crate::ByteStream {
    /// Base64, as a blob: a body in memory.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Blob::deserialize(deserializer).map(|b| crate::ByteStream::from(b.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ser<A: Adapter>(v: &A::Value) -> String {
        serde_json::to_string(&Ser::<A>(v)).unwrap()
    }
    fn de<A: Adapter>(s: &str) -> Result<A::Value, serde_json::Error> {
        serde_json::from_str::<De<A>>(s).map(|x| x.0)
    }

    #[test]
    fn timestamps() {
        let t = DateTime::from_secs(1_398_796_238);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1398796238");
        assert_eq!(ser::<Iso8601>(&t), "\"2014-04-29T18:30:38Z\"");
        assert_eq!(ser::<HttpDate>(&t), "\"Tue, 29 Apr 2014 18:30:38 GMT\"");
        let frac = DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000);
        assert_eq!(serde_json::to_string(&frac).unwrap(), "1398796238.123");
        for input in [
            "1398796238",
            "1398796238.0",
            "\"2014-04-29T18:30:38Z\"",
            "\"Tue, 29 Apr 2014 18:30:38 GMT\"",
        ] {
            assert_eq!(
                serde_json::from_str::<DateTime>(input).unwrap(),
                t,
                "{input}"
            );
            assert_eq!(de::<Iso8601>(input).unwrap(), t, "{input}");
        }
        assert!(serde_json::from_str::<DateTime>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<DateTime>("true").is_err());
        assert!(serde_json::from_str::<DateTime>("1e300").is_err());
    }

    #[test]
    fn floats() {
        assert_eq!(ser::<Float64>(&1.5), "1.5");
        assert_eq!(ser::<Float64>(&f64::NAN), "\"NaN\"");
        assert_eq!(ser::<Float64>(&f64::INFINITY), "\"Infinity\"");
        assert_eq!(ser::<Float64>(&f64::NEG_INFINITY), "\"-Infinity\"");
        assert!(de::<Float64>("\"NaN\"").unwrap().is_nan());
        assert_eq!(de::<Float64>("\"-Infinity\"").unwrap(), f64::NEG_INFINITY);
        assert_eq!(de::<Float64>("3").unwrap(), 3.0);
        assert!(de::<Float64>("\"nan\"").is_err());
        assert_eq!(ser::<Float32>(&f32::NAN), "\"NaN\"");
    }

    #[test]
    fn containers_compose() {
        let v = Some(vec![DateTime::from_secs(0), DateTime::from_secs(86_400)]);
        let s = ser::<OptionOf<ListOf<Iso8601>>>(&v);
        assert_eq!(s, r#"["1970-01-01T00:00:00Z","1970-01-02T00:00:00Z"]"#);
        assert_eq!(de::<OptionOf<ListOf<Iso8601>>>(&s).unwrap(), v);
        assert_eq!(de::<OptionOf<ListOf<Iso8601>>>("null").unwrap(), None);
        let mut m = BTreeMap::new();
        m.insert("a".to_string(), f64::INFINITY);
        let s = ser::<MapOf<String, Float64>>(&m);
        assert_eq!(s, r#"{"a":"Infinity"}"#);
        assert_eq!(de::<MapOf<String, Float64>>(&s).unwrap(), m);
    }

    /// Dense lists and maps skip `null`; documents keep it (it is a document value, and
    /// botocore keeps it). Found by `scripts/differential.py --all` (identitystore).
    #[test]
    fn null_elements_are_skipped_except_documents() {
        assert_eq!(
            de::<ListOf<Plain<String>>>(r#"["a",null,"b"]"#).unwrap(),
            ["a", "b"]
        );
        let docs = de::<ListOf<DocumentValue>>(r#"[1,null,{}]"#).unwrap();
        assert_eq!(
            docs,
            [
                serde_json::json!(1),
                serde_json::Value::Null,
                serde_json::json!({})
            ]
        );
        let map = de::<MapOf<String, DocumentValue>>(r#"{"a":null,"b":2}"#).unwrap();
        assert_eq!(map.get("a"), Some(&serde_json::Value::Null));
        let dense = de::<MapOf<String, Plain<String>>>(r#"{"a":null,"b":"x"}"#).unwrap();
        assert_eq!(dense.keys().collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn blobs_are_base64() {
        let b = Blob::new(b"foo".to_vec());
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"Zm9v\"");
        assert_eq!(serde_json::from_str::<Blob>("\"Zm9v\"").unwrap(), b);
        assert_eq!(
            serde_json::from_str::<Blob>("\"Zm8\"").unwrap().as_ref(),
            b"fo"
        );
        assert!(serde_json::from_str::<Blob>("\"!!\"").is_err());
        assert!(serde_json::from_str::<Blob>("12").is_err());
    }
}
