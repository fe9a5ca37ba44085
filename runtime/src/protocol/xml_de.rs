//! Reading an XML answer into its generated type in one pass: a serde `Deserializer`
//! over quick-xml's pull parser that walks the model's shape table ([`Table`]) as
//! botocore's `BaseXMLResponseParser` walks ElementTree, handing the generated
//! `Deserialize` impls each member as its serde form would (strings, numbers, booleans,
//! lists, maps) as the elements go by, without a tree of the document or a serde form
//! in memory first (a tree took more heap than the body, and twice the time).
//!
//! A structure yields the members its element has, in document order: an attribute, the
//! repeated elements of a flattened list or map (gathered wherever they stand among
//! their siblings, as S3 interleaves `Version` and `DeleteMarker`), else the first child
//! of the member's name (later ones are skipped); a wrapped list every child, whatever
//! its name; a map its entries' key and value; a union with no known member its first
//! child, by name (the type's `Unknown`). Elements the model does not name are skipped
//! without recursion. Depth follows the document only as far as the model's shapes
//! nest, and at most 100 levels.
//!
//! What hostile input cannot do is what the tree refuses too ([`crate::xml`]): a
//! DOCTYPE, an entity other than the predefined ones, an invalid name, tags that do not
//! nest, a second root, text outside it; the typed answer is bounded by the parse budget
//! (8 times the body, at least 64 KiB's), as for JSON.

use super::xml_table::{Member, Scalar, Shape, Table};
use crate::xml::{self, XmlError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// How deep an answer may nest the model's recursive shapes.
const MAX_DEPTH: usize = 100;

/// Why an XML answer does not read as its type. Boxed: every `Result` of the reader
/// and of the generated `Deserialize` impls carries it, and a small error keeps those
/// results, and the events returned with them, cheap to move.
#[derive(Debug)]
pub(crate) struct DeError(Box<DeErrorKind>);

#[derive(Debug)]
enum DeErrorKind {
    /// The body is not well-formed XML this layer reads.
    Xml(XmlError),
    /// A value does not read as its member's type.
    Type(String),
}

impl DeError {
    fn xml(e: XmlError) -> Self {
        DeError(Box::new(DeErrorKind::Xml(e)))
    }

    fn type_(m: String) -> Self {
        DeError(Box::new(DeErrorKind::Type(m)))
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            DeErrorKind::Xml(e) => e.fmt(f),
            DeErrorKind::Type(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::type_(msg.to_string())
    }
}

/// Where in a document the value read is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'p> {
    /// The root element, whatever its name.
    Root,
    /// The root's first child of this name (an output's `resultWrapper`); nothing when
    /// the root has none.
    Child(&'p str),
    /// The root's first child of this name, else the root.
    ChildOrRoot(&'p str),
    /// A fault's element, as botocore's `_get_error_root` finds it: `<Errors><Error>`
    /// inside ec2's root, `<Error>` inside `<ErrorResponse>`, else the root (S3's
    /// `<Error>`).
    Fault {
        /// The ec2 protocol.
        ec2: bool,
    },
}

/// What [`from_body`] read.
pub(crate) struct Read<T> {
    /// The value, when the document has its element.
    pub value: Option<T>,
    /// The text of the element at the request id's path, when asked for and found.
    pub request_id: Option<String>,
}

/// The element of `body` at `target` read as shape `shape` into `T`, under the parse
/// budget of `body`; with a non-empty `request_id` path (element names below the root:
/// `["ResponseMetadata", "RequestId"]`, `["requestId"]`), also that element's text. The
/// whole document is read: what follows the value must be well-formed too.
pub(crate) fn from_body<T: de::DeserializeOwned>(
    table: Table,
    body: &[u8],
    target: Target<'_>,
    shape: u32,
    request_id: &[&str],
) -> Result<Read<T>, DeError> {
    let text = xml::text(body).map_err(DeError::xml)?;
    let budget = super::aws_json::parse_budget(body);
    crate::wire::with_budget(budget, || {
        let mut st = State::new(text, 0, request_id);
        let root = st.root()?;
        let path: &[&str] = match target {
            Target::Root => &[],
            Target::Child(name) | Target::ChildOrRoot(name) => &[name][..],
            Target::Fault { ec2: true } => &["Errors", "Error"],
            Target::Fault { ec2: false } if local(&root) == "ErrorResponse" => &["Error"],
            Target::Fault { ec2: false } => &[],
        };
        let mut value = st.at_path(table, root, path, shape)?;
        if value.is_none() && !matches!(target, Target::Child(_)) {
            // Not there: the root itself, read again from the start.
            let mut again = State::new(text, 0, request_id);
            let root = again.root()?;
            value = again.at_path(table, root, &[], shape)?;
            again.request_id = again.request_id.or(st.request_id.take());
            st = again;
        }
        st.epilogue()?;
        Ok(Read {
            value,
            request_id: st.request_id,
        })
    })
}

/// Whether a start tag has anything after its name.
fn has_attributes(e: &BytesStart<'_>) -> bool {
    !e.attributes_raw().trim_ascii_start().is_empty()
}

/// A tag's local name (its prefix dropped).
fn local<'e>(e: &'e BytesStart<'_>) -> &'e str {
    let q = e.name().into_inner();
    // Names are short: a loop from the end beats `rsplit`'s vectorised search.
    match q.bytes().rposition(|c| c == b':') {
        Some(i) => q.get(i + 1..).unwrap_or(q),
        None => q,
    }
}

/// A pull parser over the body (or over the body from an element on, to read an element
/// met out of order), with one event of lookahead.
struct State<'a, 'p> {
    text: &'a str,
    /// Where the reader's input starts in `text`.
    offset: usize,
    reader: Reader<&'a [u8]>,
    /// An event read and put back, with where it starts and its `local`.
    peeked: Option<(Event<'a>, usize, usize)>,
    /// Where the event last returned starts.
    at: usize,
    /// Where the local part of the last start tag's name begins (after its prefix).
    local: usize,
    /// Start tags (by where they start) already read out of order: the repeated
    /// elements of a flattened list or map met after its first run.
    read_early: Vec<usize>,
    /// The request id's path below the root, and what was found there.
    rid_path: &'p [&'p str],
    request_id: Option<String>,
    /// The value read is the root element (so its unknown children may be the request
    /// id's).
    value_is_root: bool,
}

impl<'a, 'p> State<'a, 'p> {
    fn new(text: &'a str, offset: usize, rid_path: &'p [&'p str]) -> Self {
        let mut reader = xml::reader(&text[offset..]);
        reader.config_mut().expand_empty_elements = true;
        State {
            text,
            offset,
            reader,
            peeked: None,
            at: offset,
            local: 0,
            read_early: Vec::new(),
            rid_path,
            request_id: None,
            value_is_root: false,
        }
    }

    fn position(&self) -> usize {
        self.offset + usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    fn error(&self, reason: impl Into<String>) -> DeError {
        DeError::xml(XmlError::new(self.text, self.position(), reason))
    }

    /// The next event that matters (text, CDATA, references, tags, the end), with
    /// declarations, comments and processing instructions passed over; a DOCTYPE and an
    /// invalid name or attribute are refused.
    #[inline(always)]
    fn next(&mut self) -> Result<Event<'a>, DeError> {
        if let Some((e, at, local)) = self.peeked.take() {
            self.at = at;
            self.local = local;
            return Ok(e);
        }
        loop {
            let at = self.position();
            let event = self
                .reader
                .read_event()
                .map_err(|e| self.error(e.to_string()))?;
            match event {
                Event::DocType(_) => {
                    return Err(self.error("a DOCTYPE (refused: no entity is ever expanded)"))
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
                Event::Start(ref s) => {
                    let name = s.name().into_inner();
                    let Some(local) = xml::name_local(name) else {
                        return Err(
                            self.error(format!("an invalid name `{}`", name.escape_debug()))
                        );
                    };
                    self.local = local;
                    if has_attributes(s) {
                        for a in xml::attributes(s) {
                            a.map_err(|reason| self.error(reason))?;
                        }
                    }
                }
                Event::GeneralRef(ref r) => {
                    xml::reference(r).map_err(|reason| self.error(reason))?;
                }
                _ => {}
            }
            self.at = at;
            return Ok(event);
        }
    }

    /// The local name of `start`, the start tag [`next`](Self::next) returned last (its
    /// prefix found when the name was checked).
    fn local_of<'e>(&self, start: &'e BytesStart<'_>) -> &'e str {
        let q = start.name().into_inner();
        q.get(self.local..).unwrap_or(q)
    }

    fn unread(&mut self, e: Event<'a>) {
        self.peeked = Some((e, self.at, self.local));
    }

    /// The next child's start tag of the open element, or `None` once its end tag is
    /// read; text between children is passed over, and so are children read early.
    fn next_child(&mut self) -> Result<Option<BytesStart<'a>>, DeError> {
        loop {
            match self.next()? {
                Event::Start(s) => {
                    if !self.read_early.is_empty() && self.read_early.contains(&self.at) {
                        self.skip()?;
                        continue;
                    }
                    return Ok(Some(s));
                }
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => {}
            }
        }
    }

    /// Passes over the rest of an element whose start tag was read (without recursion).
    fn skip(&mut self) -> Result<(), DeError> {
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => {}
            }
        }
    }

    /// The character data and CDATA directly inside an element whose start tag was read,
    /// references decoded, line ends normalized; its end tag read.
    fn text(&mut self) -> Result<Cow<'a, str>, DeError> {
        let mut out: Option<Cow<'a, str>> = None;
        loop {
            let piece = match self.next()? {
                Event::Text(t) => t.xml10_content(),
                Event::CData(c) => c.xml10_content(),
                Event::GeneralRef(r) => {
                    Cow::Owned(xml::reference(&r).map_err(|reason| self.error(reason))?)
                }
                Event::Start(_) => {
                    self.skip()?;
                    continue;
                }
                Event::End(_) => return Ok(out.unwrap_or(Cow::Borrowed(""))),
                Event::Eof => return Err(self.error("the document ends inside an element")),
                _ => continue,
            };
            out = Some(match out {
                None => piece,
                Some(mut o) => {
                    o.to_mut().push_str(&piece);
                    o
                }
            });
        }
    }

    /// The root's start tag, after what may precede it.
    fn root(&mut self) -> Result<BytesStart<'a>, DeError> {
        loop {
            match self.next()? {
                Event::Start(s) => return Ok(s),
                Event::Text(t) if t.trim_matches(xml::is_xml_space).is_empty() => {}
                Event::Eof => return Err(self.error("no root element")),
                _ => return Err(self.error("text outside the root element")),
            }
        }
    }

    /// After the root's end tag: nothing but white space to the end.
    fn epilogue(&mut self) -> Result<(), DeError> {
        loop {
            match self.next()? {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.trim_matches(xml::is_xml_space).is_empty() => {}
                Event::Start(_) => return Err(self.error("a second element after the root")),
                _ => return Err(self.error("text outside the root element")),
            }
        }
    }

    /// Passes over a child of the root whose start tag was read, keeping the request
    /// id's text if this is its element.
    fn skip_root_child(&mut self, child: &BytesStart<'a>) -> Result<(), DeError> {
        let path = self.rid_path;
        if self.request_id.is_some() || path.first() != Some(&local(child)) {
            return self.skip();
        }
        let mut found = None;
        if path.len() == 1 {
            found = Some(self.text()?);
        } else {
            while let Some(c) = self.next_child()? {
                if found.is_none() && Some(&local(&c)) == path.get(1) {
                    found = Some(self.text()?);
                } else {
                    self.skip()?;
                }
            }
        }
        self.request_id = found
            .map(|t| t.trim_matches(xml::is_xml_space).to_string())
            .filter(|t| !t.is_empty());
        Ok(())
    }

    /// Inside the root (its start tag read): the element at `path` below it read as
    /// `shape`, then the rest of the document up to the root's end tag; `None` when the
    /// path is not there.
    fn at_path<T: de::DeserializeOwned>(
        &mut self,
        table: Table,
        root: BytesStart<'a>,
        path: &[&str],
        shape: u32,
    ) -> Result<Option<T>, DeError> {
        let mut element = root;
        // Open elements besides the root.
        let mut open = 0usize;
        for (i, name) in path.iter().enumerate() {
            let mut found = None;
            while let Some(child) = self.next_child()? {
                if local(&child) == *name {
                    found = Some(child);
                    break;
                }
                if i == 0 {
                    self.skip_root_child(&child)?;
                } else {
                    self.skip()?;
                }
            }
            match found {
                Some(child) => {
                    element = child;
                    open = i + 1;
                }
                None => {
                    // The element at depth `i` has ended.
                    for _ in 1..i {
                        self.skip()?;
                    }
                    if i > 0 {
                        self.finish_root()?;
                    }
                    return Ok(None);
                }
            }
        }
        self.value_is_root = path.is_empty();
        let value = T::deserialize(De {
            st: self,
            table,
            what: What::Element(element, shape),
            depth: 0,
        })?;
        if open > 0 {
            for _ in 1..open {
                self.skip()?;
            }
            self.finish_root()?;
        }
        Ok(Some(value))
    }

    /// The root's remaining children, through its end tag.
    fn finish_root(&mut self) -> Result<(), DeError> {
        while let Some(child) = self.next_child()? {
            self.skip_root_child(&child)?;
        }
        Ok(())
    }

    /// A second reader from where this one stands (a lookahead event not included).
    fn probe(&self) -> State<'a, 'static> {
        State {
            text: self.text,
            offset: self.offset,
            reader: self.reader.clone(),
            peeked: None,
            at: self.at,
            local: self.local,
            read_early: self.read_early.clone(),
            rid_path: &[],
            request_id: None,
            value_is_root: false,
        }
    }

    /// Where the rest of a flattened list's or map's elements named `name` stand among
    /// the siblings still to come, after a run of them ended at the event just put back.
    fn later(&self, name: &str) -> Result<Vec<usize>, DeError> {
        let mut probe = self.probe();
        match &self.peeked {
            Some((Event::Start(_), _, _)) => probe.skip()?,
            _ => return Ok(Vec::new()),
        }
        let mut out = Vec::new();
        while let Some(s) = probe.next_child()? {
            if local(&s) == name {
                out.push(probe.at);
            }
            probe.skip()?;
        }
        Ok(out)
    }

    /// Where the first children named `key` and `value` of the open element stand (the
    /// element itself is not consumed).
    fn entry_parts(
        &self,
        key: &str,
        value: &str,
    ) -> Result<(Option<usize>, Option<usize>), DeError> {
        let mut probe = self.probe();
        let (mut k, mut v) = (None, None);
        while let Some(s) = probe.next_child()? {
            let name = local(&s);
            if k.is_none() && name == key {
                k = Some(probe.at);
            } else if v.is_none() && name == value {
                v = Some(probe.at);
            }
            probe.skip()?;
        }
        Ok((k, v))
    }

    /// A reader from the start tag at `at` on, and that tag.
    fn from(&self, at: usize) -> Result<(State<'a, 'p>, BytesStart<'a>), DeError> {
        let mut sub = State::new(self.text, at, &[]);
        match sub.next()? {
            Event::Start(s) => Ok((sub, s)),
            _ => Err(self.error("an element read out of order is not where it was")),
        }
    }
}

/// What a deserializer reads.
enum What<'a> {
    /// An element whose start tag was read, as a shape of the table.
    Element(BytesStart<'a>, u32),
    /// A flattened list's elements named `name`, the first's start tag read, as its
    /// member shape.
    Items(BytesStart<'a>, &'static str, u32),
    /// A flattened map's entries named `name`, the first's start tag read, as the map.
    Entries(BytesStart<'a>, &'static str, u32),
    /// Text as it is (an attribute, an unknown union member).
    Text(Cow<'a, str>),
}

struct De<'s, 'a, 'p> {
    st: &'s mut State<'a, 'p>,
    table: Table,
    what: What<'a>,
    depth: usize,
}

fn shape_of(table: Table, index: u32) -> Result<&'static Shape, DeError> {
    table
        .0
        .get(index as usize)
        .ok_or_else(|| DeError::type_(format!("no shape {index} in the model's table")))
}

fn deeper(depth: usize) -> Result<usize, DeError> {
    if depth >= MAX_DEPTH {
        return Err(DeError::type_(format!(
            "the answer nests deeper than {MAX_DEPTH} elements"
        )));
    }
    Ok(depth + 1)
}

impl<'de> de::Deserializer<'de> for De<'_, '_, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let De {
            st,
            table,
            what,
            depth,
        } = self;
        match what {
            What::Text(t) => visitor.visit_str(&t),
            What::Items(first, name, item) => visitor.visit_seq(Flat {
                st,
                table,
                depth,
                run: Run::new(first, name),
                shape: item,
            }),
            What::Entries(first, name, map) => {
                let (key, value) = map_parts(table, map)?;
                visitor.visit_map(Entries {
                    st,
                    table,
                    depth,
                    source: EntrySource::Flat(Run::new(first, name)),
                    key,
                    value,
                    pending: None,
                })
            }
            What::Element(start, index) => match shape_of(table, index)? {
                shape @ (Shape::Struct(members) | Shape::Union(members)) => {
                    visitor.visit_map(Members {
                        st,
                        table,
                        depth,
                        start,
                        members,
                        next_attribute: 0,
                        hint: 0,
                        seen: Seen::new(members.len()),
                        value: None,
                        union: matches!(shape, Shape::Union(_)),
                        found: false,
                    })
                }
                Shape::List { member, .. } => visitor.visit_seq(Wrapped {
                    st,
                    table,
                    depth,
                    shape: *member,
                }),
                Shape::Map { .. } => {
                    let (key, value) = map_parts(table, index)?;
                    visitor.visit_map(Entries {
                        st,
                        table,
                        depth,
                        source: EntrySource::Wrapped,
                        key,
                        value,
                        pending: None,
                    })
                }
                Shape::Scalar(s) => {
                    let text = st.text()?;
                    scalar(*s, &text, visitor)
                }
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // An element that is there is a value; absent members are never yielded.
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A map shape's key and value: shapes and element names.
type Part = (u32, &'static str);

fn map_parts(table: Table, map: u32) -> Result<(Part, Part), DeError> {
    match shape_of(table, map)? {
        Shape::Map {
            key,
            value,
            key_name,
            value_name,
            ..
        } => Ok(((*key, key_name), (*value, value_name))),
        _ => Err(DeError::type_(format!("shape {map} is not a map"))),
    }
}

/// A scalar's text as its serde form: strings, blobs (base64) and text timestamps as
/// strings; `true` (anything else is false, as botocore reads it); integers; floats,
/// with `NaN`, `Infinity`, `-Infinity` as text; epoch timestamps as numbers.
fn scalar<'de, V: Visitor<'de>>(s: Scalar, text: &str, visitor: V) -> Result<V::Value, DeError> {
    let bad = |what: &str| {
        let shown: String = text.chars().take(64).collect();
        DeError::type_(format!("`{}` is not {what}", shown.escape_debug()))
    };
    match s {
        Scalar::String | Scalar::Blob | Scalar::TimestampText => visitor.visit_str(text),
        Scalar::Bool => visitor.visit_bool(text.trim() == "true"),
        Scalar::Integer => {
            let t = text.trim();
            match t.parse::<u64>() {
                Ok(u) => visitor.visit_u64(u),
                Err(_) => visitor.visit_i64(t.parse::<i64>().map_err(|_| bad("an integer"))?),
            }
        }
        Scalar::Float | Scalar::Float32 => match text.trim() {
            t @ ("NaN" | "Infinity" | "-Infinity") => visitor.visit_str(t),
            t => {
                let f = t.parse::<f64>().map_err(|_| bad("a number"))?;
                if !f.is_finite() {
                    return Err(bad("a finite number"));
                }
                visitor.visit_f64(f)
            }
        },
        Scalar::TimestampEpoch => {
            let f = text.trim().parse::<f64>().map_err(|_| bad("a timestamp"))?;
            if !f.is_finite() {
                return Err(bad("a timestamp"));
            }
            visitor.visit_f64(f)
        }
    }
}

/// Which members of a structure were yielded (a bit each; no allocation up to 256).
struct Seen {
    inline: [u64; 4],
    more: Vec<u64>,
}

impl Seen {
    fn new(members: usize) -> Self {
        Seen {
            inline: [0; 4],
            more: if members > 256 {
                vec![0; (members - 256).div_ceil(64)]
            } else {
                Vec::new()
            },
        }
    }

    /// Marks member `i`; whether it was already marked.
    fn mark(&mut self, i: usize) -> bool {
        let word = match self.inline.get_mut(i / 64) {
            Some(w) => w,
            None => match self.more.get_mut(i / 64 - 4) {
                Some(w) => w,
                None => return false,
            },
        };
        let bit = 1u64 << (i % 64);
        let was = *word & bit != 0;
        *word |= bit;
        was
    }
}

/// A structure's members that its element has: attributes first, then children in
/// document order.
struct Members<'s, 'a, 'p> {
    st: &'s mut State<'a, 'p>,
    table: Table,
    depth: usize,
    start: BytesStart<'a>,
    members: &'static [Member],
    next_attribute: usize,
    /// Where the next member search starts.
    hint: usize,
    seen: Seen,
    value: Option<What<'a>>,
    union: bool,
    found: bool,
}

impl<'a> Members<'_, 'a, '_> {
    /// The member a child element named `name` is (its index and what to read). The
    /// search starts after the member last found: services write members in the
    /// model's order.
    fn member(&mut self, name: &str) -> Result<Option<(usize, Option<&'static str>)>, DeError> {
        let n = self.members.len();
        let start = self.hint.min(n);
        // From the hint to the end, then from the first member to the hint (no division
        // per member tried: a body need not follow the model's order).
        for i in (start..n).chain(0..start) {
            let Some(m) = self.members.get(i) else {
                continue;
            };
            if m.attribute {
                continue;
            }
            if !m.flattened {
                if m.xml == name {
                    self.hint = i + 1;
                    return Ok(Some((i, None)));
                }
                continue;
            }
            let flat = match shape_of(self.table, m.shape)? {
                Shape::List { member_name, .. } if m.flattened => {
                    // Repeated elements in place, named after the list's member when
                    // the model names it.
                    Some(if *member_name == "member" {
                        m.xml
                    } else {
                        member_name
                    })
                }
                Shape::Map { .. } if m.flattened => Some(m.xml),
                _ => None,
            };
            if flat.unwrap_or(m.xml) == name {
                self.hint = i + 1;
                return Ok(Some((i, flat)));
            }
        }
        Ok(None)
    }

    /// Whether a member of the structure is among the siblings after the child just
    /// read (whose subtree is still to come).
    fn known_later(&mut self) -> Result<bool, DeError> {
        let mut probe = self.st.probe();
        probe.skip()?;
        while let Some(s) = probe.next_child()? {
            if self.member(local(&s))?.is_some() {
                return Ok(true);
            }
            probe.skip()?;
        }
        Ok(false)
    }

    fn attribute(&mut self) -> Result<Option<&'static Member>, DeError> {
        if self.next_attribute == 0 && !has_attributes(&self.start) {
            self.next_attribute = self.members.len();
        }
        while let Some(m) = self.members.get(self.next_attribute) {
            self.next_attribute += 1;
            if !m.attribute {
                continue;
            }
            let mut found = None;
            for a in xml::attributes(&self.start) {
                let (key, value) = a.map_err(|reason| self.st.error(reason))?;
                if key == m.xml {
                    found = Some(value.into_owned());
                }
            }
            if let Some(v) = found {
                self.value = Some(What::Text(Cow::Owned(v)));
                return Ok(Some(m));
            }
        }
        Ok(None)
    }
}

impl<'de, 'a> MapAccess<'de> for Members<'_, 'a, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        if let Some(m) = self.attribute()? {
            self.found = true;
            let key = member_key(m);
            return seed.deserialize(key).map(Some);
        }
        while let Some(child) = self.st.next_child()? {
            let name = self.st.local_of(&child);
            match self.member(name)? {
                Some((i, flat)) if !self.seen.mark(i) => {
                    let m = &self.members[i];
                    self.value = Some(match (flat, shape_of(self.table, m.shape)?) {
                        (Some(name), Shape::List { member, .. }) => {
                            What::Items(child, name, *member)
                        }
                        (Some(name), _) => What::Entries(child, name, m.shape),
                        (None, _) => What::Element(child, m.shape),
                    });
                    self.found = true;
                    let key = member_key(m);
                    return seed.deserialize(key).map(Some);
                }
                Some(_) => self.st.skip()?,
                None if self.union && !self.found && !self.known_later()? => {
                    // A union with none of its members: its first child, by name.
                    self.found = true;
                    let name = name.to_string();
                    self.value = Some(What::Text(self.st.text()?));
                    let key: de::value::StringDeserializer<DeError> = name.into_deserializer();
                    return seed.deserialize(key).map(Some);
                }
                None if self.depth == 0 && self.st.value_is_root => {
                    self.st.skip_root_child(&child)?
                }
                None => self.st.skip()?,
            }
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let what = self
            .value
            .take()
            .ok_or_else(|| DeError::type_("a value without a key".into()))?;
        seed.deserialize(De {
            st: self.st,
            table: self.table,
            what,
            depth: deeper(self.depth)?,
        })
    }
}

/// A member's name as the generated `Deserialize` reads it: borrowed, so that the key
/// costs no allocation (`wire::Key` keeps a borrowed name as it is).
fn member_key<'de>(m: &'static Member) -> de::value::BorrowedStrDeserializer<'de, DeError> {
    de::value::BorrowedStrDeserializer::new(m.serde)
}

/// A wrapped list's items: every child of its element.
struct Wrapped<'s, 'a, 'p> {
    st: &'s mut State<'a, 'p>,
    table: Table,
    depth: usize,
    shape: u32,
}

impl<'de> SeqAccess<'de> for Wrapped<'_, '_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(child) = self.st.next_child()? else {
            return Ok(None);
        };
        seed.deserialize(De {
            st: self.st,
            table: self.table,
            what: What::Element(child, self.shape),
            depth: deeper(self.depth)?,
        })
        .map(Some)
    }
}

/// The repeated elements of a flattened list or map: a run in place, then any met later
/// among the siblings (read from where they stand, and passed over when met).
struct Run<'a> {
    first: Option<BytesStart<'a>>,
    name: &'static str,
    later: Option<std::vec::IntoIter<usize>>,
}

/// The next element of a run.
enum Next<'a> {
    /// Read in place: its start tag.
    Here(BytesStart<'a>),
    /// Read from where it stands.
    At(usize),
}

impl<'a> Run<'a> {
    fn new(first: BytesStart<'a>, name: &'static str) -> Self {
        Run {
            first: Some(first),
            name,
            later: None,
        }
    }

    fn next(&mut self, st: &mut State<'a, '_>) -> Result<Option<Next<'a>>, DeError> {
        if let Some(first) = self.first.take() {
            return Ok(Some(Next::Here(first)));
        }
        if self.later.is_none() {
            loop {
                match st.next()? {
                    Event::Start(s) if local(&s) == self.name => return Ok(Some(Next::Here(s))),
                    e @ (Event::Start(_) | Event::End(_) | Event::Eof) => {
                        st.unread(e);
                        break;
                    }
                    _ => {}
                }
            }
            let later = st.later(self.name)?;
            st.read_early.extend_from_slice(&later);
            self.later = Some(later.into_iter());
        }
        Ok(self.later.as_mut().and_then(Iterator::next).map(Next::At))
    }
}

/// A flattened list's items.
struct Flat<'s, 'a, 'p> {
    st: &'s mut State<'a, 'p>,
    table: Table,
    depth: usize,
    run: Run<'a>,
    shape: u32,
}

impl<'de> SeqAccess<'de> for Flat<'_, '_, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let depth = deeper(self.depth)?;
        match self.run.next(self.st)? {
            None => Ok(None),
            Some(Next::Here(start)) => seed
                .deserialize(De {
                    st: self.st,
                    table: self.table,
                    what: What::Element(start, self.shape),
                    depth,
                })
                .map(Some),
            Some(Next::At(at)) => {
                let (mut sub, start) = self.st.from(at)?;
                seed.deserialize(De {
                    st: &mut sub,
                    table: self.table,
                    what: What::Element(start, self.shape),
                    depth,
                })
                .map(Some)
            }
        }
    }
}

/// Where a map's entries come from.
enum EntrySource<'a> {
    /// The children of the map's element (`entry`, whatever their names).
    Wrapped,
    /// A flattened map's repeated elements.
    Flat(Run<'a>),
}

/// A map's entries, each with a key and a value element (in either order); an entry
/// without both is skipped.
struct Entries<'s, 'a, 'p> {
    st: &'s mut State<'a, 'p>,
    table: Table,
    depth: usize,
    source: EntrySource<'a>,
    key: Part,
    value: Part,
    /// Where the value of the entry whose key was read stands.
    pending: Option<usize>,
}

impl<'a> Entries<'_, 'a, '_> {
    /// The next entry's key and value, each where it stands.
    fn next_entry(&mut self) -> Result<Option<(usize, usize)>, DeError> {
        loop {
            let found = match &mut self.source {
                EntrySource::Wrapped => match self.st.next_child()? {
                    None => return Ok(None),
                    Some(_) => {
                        let parts = self.st.entry_parts(self.key.1, self.value.1)?;
                        self.st.skip()?;
                        parts
                    }
                },
                EntrySource::Flat(run) => match run.next(self.st)? {
                    None => return Ok(None),
                    Some(Next::Here(_)) => {
                        let parts = self.st.entry_parts(self.key.1, self.value.1)?;
                        self.st.skip()?;
                        parts
                    }
                    Some(Next::At(at)) => {
                        let (sub, _) = self.st.from(at)?;
                        sub.entry_parts(self.key.1, self.value.1)?
                    }
                },
            };
            if let (Some(k), Some(v)) = found {
                return Ok(Some((k, v)));
            }
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'_, '_, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((k, v)) = self.next_entry()? else {
            return Ok(None);
        };
        self.pending = Some(v);
        let (mut sub, start) = self.st.from(k)?;
        seed.deserialize(De {
            st: &mut sub,
            table: self.table,
            what: What::Element(start, self.key.0),
            depth: deeper(self.depth)?,
        })
        .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, DeError> {
        let at = self
            .pending
            .take()
            .ok_or_else(|| DeError::type_("a value without a key".into()))?;
        let (mut sub, start) = self.st.from(at)?;
        seed.deserialize(De {
            st: &mut sub,
            table: self.table,
            what: What::Element(start, self.value.0),
            depth: deeper(self.depth)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const fn member(serde: &'static str, xml: &'static str, shape: u32) -> Member {
        Member {
            serde,
            xml,
            query: xml,
            shape,
            flattened: false,
            attribute: false,
            ns: None,
        }
    }

    const fn flat(m: Member) -> Member {
        Member {
            flattened: true,
            ..m
        }
    }

    static OUT: [Member; 6] = [
        Member {
            attribute: true,
            ..member("Id", "id", 3)
        },
        flat(member("Versions", "Version", 1)),
        flat(member("DeleteMarkers", "DeleteMarker", 1)),
        member("Name", "Name", 3),
        member("Tags", "Tags", 4),
        member("Choice", "Choice", 5),
    ];
    static ITEM: [Member; 1] = [member("Key", "Key", 3)];
    static CHOICE: [Member; 1] = [member("A", "A", 3)];
    static SHAPES: [Shape; 6] = [
        Shape::Struct(&OUT),
        Shape::List {
            member: 2,
            member_name: "member",
            flattened: true,
            member_ns: None,
        },
        Shape::Struct(&ITEM),
        Shape::Scalar(Scalar::String),
        Shape::Map {
            key: 3,
            value: 3,
            key_name: "key",
            value_name: "value",
            flattened: false,
            key_ns: None,
            value_ns: None,
        },
        Shape::Union(&CHOICE),
    ];

    fn read(body: &str, target: Target<'_>, rid: &[&str]) -> Result<Read<Value>, DeError> {
        from_body(Table(&SHAPES), body.as_bytes(), target, 0, rid)
    }

    #[test]
    fn flattened_elements_are_gathered_wherever_they_stand() {
        // As S3's ListObjectVersions interleaves `Version` and `DeleteMarker`; botocore
        // groups repeated elements by name. A repeated plain member keeps its first.
        let body = r#"<R id="x"><Version><Key>a</Key></Version><DeleteMarker><Key>b</Key></DeleteMarker>
            <Name>n1</Name><Version><Key>c</Key></Version><Name>n2</Name>
            <Tags><entry><value>1</value><key>k</key></entry><entry><key>lonely</key></entry></Tags>
            <DeleteMarker><Key>d</Key></DeleteMarker>
            <ResponseMetadata><RequestId> rid-1 </RequestId></ResponseMetadata></R>"#;
        let read = read(body, Target::Root, &["ResponseMetadata", "RequestId"]).unwrap();
        assert_eq!(
            read.value.unwrap(),
            json!({
                "Id": "x",
                "Versions": [{"Key": "a"}, {"Key": "c"}],
                "DeleteMarkers": [{"Key": "b"}, {"Key": "d"}],
                "Name": "n1",
                "Tags": {"k": "1"},
            })
        );
        assert_eq!(read.request_id.as_deref(), Some("rid-1"));
    }

    #[test]
    fn a_union_with_no_known_member_is_its_first_child_by_name() {
        let read = read(
            "<R><Choice><Later>t</Later><A>a</A></Choice></R>",
            Target::Root,
            &[],
        )
        .unwrap();
        assert_eq!(read.value.unwrap(), json!({"Choice": {"A": "a"}}));
        let read = read_body("<R><Choice><New>t</New><Newer>u</Newer></Choice></R>");
        assert_eq!(read.value.unwrap(), json!({"Choice": {"New": "t"}}));
    }

    fn read_body(body: &str) -> Read<Value> {
        read(body, Target::Root, &[]).unwrap()
    }

    #[test]
    fn the_wrapper_and_the_request_id_in_either_order() {
        for body in [
            "<Resp><requestId>r</requestId><Other><Name>no</Name></Other><Result><Name>x</Name></Result></Resp>",
            "<Resp><Result><Name>x</Name></Result><requestId>r</requestId></Resp>",
        ] {
            let read = read(body, Target::Child("Result"), &["requestId"]).unwrap();
            assert_eq!(read.value.unwrap(), json!({"Name": "x"}), "{body}");
            assert_eq!(read.request_id.as_deref(), Some("r"), "{body}");
        }
        let none = read("<Resp><Name>x</Name></Resp>", Target::Child("Result"), &[]).unwrap();
        assert!(none.value.is_none());
        let root = read(
            "<Resp><Name>x</Name></Resp>",
            Target::ChildOrRoot("Result"),
            &[],
        );
        assert_eq!(root.unwrap().value.unwrap(), json!({"Name": "x"}));
    }

    #[test]
    fn faults_are_found_as_botocore_finds_them() {
        let ec2 = "<Response><Errors><Error><Name>e</Name></Error></Errors><RequestID>r</RequestID></Response>";
        let query =
            "<ErrorResponse><Error><Name>q</Name></Error><RequestId>r</RequestId></ErrorResponse>";
        let s3 = "<Error><Name>s</Name></Error>";
        for (body, ec2, name) in [(ec2, true, "e"), (query, false, "q"), (s3, false, "s")] {
            let read = read(body, Target::Fault { ec2 }, &[]).unwrap();
            assert_eq!(read.value.unwrap(), json!({"Name": name}), "{body}");
        }
        // No `<Errors>`: the root itself.
        let bare = read(
            "<Response><Name>r</Name></Response>",
            Target::Fault { ec2: true },
            &[],
        );
        assert_eq!(bare.unwrap().value.unwrap(), json!({"Name": "r"}));
    }

    #[test]
    fn what_follows_the_value_must_be_well_formed() {
        for (body, says) in [
            ("<R><Name>x</Name>", "ends inside an element"),
            ("<R><Name>x</Name></R><R/>", "second element"),
            ("<R><Name>x</Name></R>tail", "text outside"),
            ("<R><Bad/><Name>&ext;</Name></R>", "entity"),
            ("<!DOCTYPE R><R/>", "DOCTYPE"),
            ("<R><Name>x</Other></R>", "not well-formed"),
            ("", "no root element"),
        ] {
            let err = read(body, Target::Root, &[]).err().unwrap().to_string();
            assert!(err.contains(says), "{body}: {err}");
        }
    }
}
