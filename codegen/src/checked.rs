//! The model after validation: every reference resolves, every shape has what its kind
//! needs, and the kind is an enum instead of a string. `validate` builds it from the raw
//! mirror; `resolve` reads only this, so it never re-checks what `validate` checked.

use crate::ir::{ProtocolKind, RustType, TimestampFormat};
use crate::model::{self, Member};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A validated model, borrowing the raw one.
#[derive(Debug)]
pub struct Model<'a> {
    /// The model file (for error locations).
    pub file: &'a Path,
    pub raw: &'a model::Model,
    pub protocol: ProtocolKind,
    pub shapes: BTreeMap<&'a str, Shape<'a>>,
}

#[derive(Debug)]
pub struct Shape<'a> {
    /// The raw shape, for documentation and flags (`sensitive`, `exception`, ...).
    pub raw: &'a model::Shape,
    pub kind: Kind<'a>,
}

/// What a shape is, with exactly the parts that kind needs.
#[derive(Debug)]
pub enum Kind<'a> {
    /// A structure: members in model order and the names of the required ones.
    Structure {
        members: &'a [(String, Member)],
        required: BTreeSet<&'a str>,
    },
    /// A structure marked `union`: exactly one member is set.
    Union { members: &'a [(String, Member)] },
    /// A structure marked `document`: untyped JSON.
    Document,
    List {
        member: &'a Member,
        /// `sparse`: `null` elements are kept (as `None`).
        sparse: bool,
    },
    /// A map; its key is a string shape.
    Map {
        key: &'a Member,
        value: &'a Member,
        /// `sparse`: `null` values are kept (as `None`).
        sparse: bool,
    },
    /// A string shape with `enum` values.
    Enum { values: &'a [String] },
    /// A timestamp, with the shape's own wire format if it names one.
    Timestamp(Option<TimestampFormat>),
    /// Any other scalar: its Rust type.
    Scalar(RustType),
}

impl<'a> Model<'a> {
    /// The shape a validated reference names. References were checked by `validate`, so
    /// `None` is never returned for one; callers still handle it without panicking.
    pub fn shape(&self, name: &str) -> Option<&Shape<'a>> {
        self.shapes.get(name)
    }

    /// Whether `name` is a structure (not a union or document).
    pub fn is_structure(&self, name: &str) -> bool {
        matches!(
            self.shape(name).map(|s| &s.kind),
            Some(Kind::Structure { .. })
        )
    }

    /// Shapes `name` refers to directly: members, list elements, map keys and values.
    pub fn children(&self, name: &str) -> Vec<&'a Member> {
        match self.shape(name).map(|s| &s.kind) {
            Some(Kind::Structure { members, .. }) | Some(Kind::Union { members }) => {
                members.iter().map(|(_, m)| m).collect()
            }
            Some(Kind::List { member, .. }) => vec![member],
            Some(Kind::Map { key, value, .. }) => vec![key, value],
            _ => Vec::new(),
        }
    }
}
