//! The XML layer: a document read with quick-xml's pull parser into a tree of elements
//! (local name, attributes, direct text, children), where the XML protocols read an
//! error's code, message and request id; answers and faults are read without a tree, by
//! `protocol::xml_de`, which shares this module's checks (`text`, `reader`, `reference`,
//! `attributes`, `is_name`).
//!
//! What hostile input cannot do: declare a `<!DOCTYPE` (refused, so there is no entity
//! to expand), use an entity other than the five predefined ones and character
//! references (refused), recurse (the tree is built with an explicit stack and walked
//! without recursion, so depth cannot overflow the stack), or take more memory than its
//! budget (each element's size in memory and its text are charged; 8 times the body, a
//! body under 64 KiB counting as 64 KiB, as the JSON parses). What is not well-formed
//! (tags that do not nest, text or a second element after the root, an invalid name)
//! is refused with a printable snippet of where.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::fmt;

/// A parsed document: its elements in document order, the root first.
#[derive(Debug)]
pub struct Document {
    elements: Vec<Element>,
    /// The local names, each once (answers repeat a few names many times).
    names: Vec<Box<str>>,
    /// What the parse charged to its budget.
    memory: usize,
}

/// No element (`u32` links keep an element at 56 bytes; a body has fewer elements than
/// bytes, and the budget keeps it far below 4 GiB).
const NONE: u32 = u32::MAX;

#[derive(Debug)]
struct Element {
    /// The local name (a prefix dropped), as an index into `Document::names`.
    name: u32,
    /// Attributes by qualified name (`xmlns:a`, `xsi:type`), values normalized.
    attributes: Box<[(Box<str>, Box<str>)]>,
    /// The character data and CDATA directly inside, entities decoded, line ends
    /// normalized.
    text: Box<str>,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    /// One past the last element of its subtree.
    end: u32,
}

fn link(i: u32) -> Option<usize> {
    (i != NONE).then_some(i as usize)
}

/// Why a body is not a document this layer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    reason: String,
    /// Where (a byte offset into the body).
    at: usize,
    /// The body around `at`, printable.
    snippet: String,
}

impl XmlError {
    pub(crate) fn new(text: &str, at: usize, reason: impl Into<String>) -> Self {
        let at = at.min(text.len());
        let mut start = at.saturating_sub(24);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let snippet: String = text[start..].chars().take(48).collect();
        XmlError {
            reason: reason.into(),
            at,
            snippet: snippet.escape_debug().to_string(),
        }
    }

    /// What is wrong, without the snippet.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not well-formed XML: {} (at byte {}: \"{}\")",
            self.reason, self.at, self.snippet
        )
    }
}

impl std::error::Error for XmlError {}

/// One element of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'a> {
    doc: &'a Document,
    index: usize,
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node").field("name", &self.name()).finish()
    }
}

/// The memory a body of `len` bytes may take as a tree.
fn budget(len: usize) -> usize {
    8 * len.max(64 << 10)
}

/// `body` as text: UTF-8, a byte-order mark dropped.
pub(crate) fn text(body: &[u8]) -> Result<&str, XmlError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        XmlError::new(
            &String::from_utf8_lossy(body),
            e.valid_up_to(),
            "the body is not UTF-8",
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// A pull parser over `text` configured as every reader of this layer needs it: end
/// names checked, text untrimmed.
pub(crate) fn reader(text: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = false;
    config.trim_text(false);
    reader
}

impl Document {
    /// Reads `body` (UTF-8, an optional byte-order mark first).
    pub fn parse(body: &[u8]) -> Result<Document, XmlError> {
        Builder::new(text(body)?).run()
    }

    /// The root element.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            index: 0,
        }
    }

    /// The memory the document was charged (its arena, names, attributes and text): what
    /// reading it into a type may not take again, so that the two stay within one budget.
    pub fn memory(&self) -> usize {
        self.memory
    }

    /// Every element, in document order (the root first).
    pub fn descendants(&self) -> impl Iterator<Item = Node<'_>> {
        (0..self.elements.len()).map(|index| Node { doc: self, index })
    }
}

impl<'a> Node<'a> {
    fn element(&self) -> &'a Element {
        &self.doc.elements[self.index]
    }

    /// The document the element is in.
    pub fn document(&self) -> &'a Document {
        self.doc
    }

    /// The local name (`Credentials` for `<sts:Credentials>`).
    pub fn name(&self) -> &'a str {
        self.doc
            .names
            .get(self.element().name as usize)
            .map_or("", |n| n)
    }

    /// The text directly inside (not the children's).
    pub fn text(&self) -> &'a str {
        &self.element().text
    }

    /// An attribute's value by its qualified name.
    pub fn attribute(&self, name: &str) -> Option<&'a str> {
        self.element()
            .attributes
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| &**v)
    }

    /// The attributes, by qualified name, in document order (namespace declarations
    /// among them).
    pub fn attributes(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.element().attributes.iter().map(|(n, v)| (&**n, &**v))
    }

    /// The child elements, in order.
    pub fn children(&self) -> impl Iterator<Item = Node<'a>> {
        let doc = self.doc;
        std::iter::successors(link(self.element().first_child), move |&i| {
            link(doc.elements[i].next_sibling)
        })
        .map(move |index| Node { doc, index })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<Node<'a>> {
        self.children().find(|c| c.name() == name)
    }

    /// This element and every element inside it, in document order.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'a>> {
        // Elements are stored in document order, so a subtree is a range.
        let doc = self.doc;
        (self.index..self.element().end as usize).map(move |index| Node { doc, index })
    }
}

/// The state of one parse.
struct Builder<'t> {
    text: &'t str,
    reader: Reader<&'t [u8]>,
    elements: Vec<Element>,
    names: Vec<Box<str>>,
    name_index: std::collections::HashMap<Box<str>, u32>,
    /// The open elements, innermost last, each with its text so far.
    open: Vec<(usize, String)>,
    root_closed: bool,
    left: usize,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            reader: reader(text),
            elements: Vec::new(),
            names: Vec::new(),
            name_index: std::collections::HashMap::new(),
            open: Vec::new(),
            root_closed: false,
            left: budget(text.len()),
        }
    }

    /// Reserves the arena for at most as many elements as the body has `<` before a name:
    /// charged at once (a body of many tiny elements is refused before the arena is
    /// made), and never grown (growing would hold the old and the new arena at once).
    fn reserve(&mut self) -> Result<(), XmlError> {
        let bytes = self.text.as_bytes();
        let most = bytes
            .windows(2)
            .filter(|w| w[0] == b'<' && !matches!(w[1], b'/' | b'!' | b'?'))
            .count();
        if !u32::try_from(most).is_ok_and(|n| n < NONE) {
            return Err(self.error("more elements than a document holds"));
        }
        self.charge(most.saturating_mul(std::mem::size_of::<Element>()))?;
        self.elements = Vec::with_capacity(most);
        Ok(())
    }

    fn error(&self, reason: impl Into<String>) -> XmlError {
        let at = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
        XmlError::new(self.text, at, reason)
    }

    fn charge(&mut self, bytes: usize) -> Result<(), XmlError> {
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => Err(self.error(
                "the document holds more than its size allows: reading it would take more than 8 times its length in memory",
            )),
        }
    }

    fn run(mut self) -> Result<Document, XmlError> {
        self.reserve()?;
        loop {
            let event = self
                .reader
                .read_event()
                .map_err(|e| self.error(e.to_string()))?;
            match event {
                Event::Start(e) => {
                    let i = self.open_element(&e)?;
                    self.open.push((i, String::new()));
                }
                Event::Empty(e) => {
                    self.open_element(&e)?;
                    if self.open.is_empty() {
                        self.root_closed = true;
                    }
                }
                Event::End(_) => {
                    // quick-xml has checked that the name matches the open element.
                    if let Some((i, text)) = self.open.pop() {
                        let end = self.elements.len() as u32;
                        let e = &mut self.elements[i];
                        e.end = end;
                        e.text = text.into_boxed_str();
                    }
                    if self.open.is_empty() {
                        self.root_closed = true;
                    }
                }
                Event::Text(t) => {
                    let content = t.xml10_content();
                    self.push_text(&content)?;
                }
                Event::CData(c) => {
                    let content = c.xml10_content();
                    if self.open.is_empty() {
                        return Err(self.error("CDATA outside the root element"));
                    }
                    self.push_text(&content)?;
                }
                Event::GeneralRef(r) => {
                    let decoded = self.reference(&r)?;
                    self.push_text(&decoded)?;
                }
                Event::DocType(_) => {
                    return Err(self.error("a DOCTYPE (refused: no entity is ever expanded)"))
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        if !self.open.is_empty() {
            return Err(self.error("the document ends inside an element"));
        }
        if self.elements.is_empty() {
            return Err(self.error("no root element"));
        }
        Ok(Document {
            elements: self.elements,
            names: self.names,
            memory: budget(self.text.len()) - self.left,
        })
    }

    /// A character reference or one of the five predefined entities, decoded; any other
    /// entity is refused (nothing is ever expanded).
    fn reference(&self, r: &quick_xml::events::BytesRef<'_>) -> Result<String, XmlError> {
        let decoded = reference(r).map_err(|reason| self.error(reason))?;
        if self.open.is_empty() {
            return Err(self.error("a reference outside the root element"));
        }
        Ok(decoded)
    }

    /// Adds an element under the innermost open one (or as the root).
    fn open_element(&mut self, e: &BytesStart<'_>) -> Result<usize, XmlError> {
        if self.root_closed || (self.open.is_empty() && !self.elements.is_empty()) {
            return Err(self.error("a second element after the root"));
        }
        let qualified = e.name().into_inner();
        if !is_name(qualified) {
            return Err(self.error(format!("an invalid name `{}`", qualified.escape_debug())));
        }
        let local = qualified.rsplit(':').next().unwrap_or(qualified);
        let mut attributes = Vec::new();
        for a in self::attributes(e) {
            let (key, value) = a.map_err(|reason| self.error(reason))?;
            attributes.push((Box::<str>::from(key), value.into_owned().into_boxed_str()));
        }
        // The element itself was charged with the arena (`reserve`).
        let cost = attributes
            .iter()
            .map(|(k, v)| k.len() + v.len() + std::mem::size_of::<(Box<str>, Box<str>)>())
            .sum::<usize>();
        self.charge(cost)?;
        let name = match self.name_index.get(local) {
            Some(&n) => n,
            None => {
                self.charge(2 * local.len() + 64)?;
                let n = self.names.len() as u32;
                self.names.push(local.into());
                self.name_index.insert(local.into(), n);
                n
            }
        };
        let index = self.elements.len();
        if index == self.elements.capacity() {
            // `reserve` counted every `<` before a name: not reached.
            return Err(self.error("more elements than the body has tags"));
        }
        self.elements.push(Element {
            name,
            attributes: attributes.into_boxed_slice(),
            text: Box::from(""),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            end: index as u32 + 1,
        });
        if let Some(&(parent, _)) = self.open.last() {
            let i = index as u32;
            match link(self.elements[parent].last_child) {
                Some(last) => self.elements[last].next_sibling = i,
                None => self.elements[parent].first_child = i,
            }
            self.elements[parent].last_child = i;
        }
        Ok(index)
    }

    fn push_text(&mut self, content: &str) -> Result<(), XmlError> {
        // Charged twice: the text grows in a buffer, then is boxed at the element's end.
        let cost = 2 * content.len();
        match self.open.last_mut() {
            Some((_, text)) => {
                text.push_str(content);
                self.charge(cost)
            }
            // Outside the root only whitespace may stand.
            None if content.trim_matches(is_xml_space).is_empty() => Ok(()),
            None => Err(self.error("text outside the root element")),
        }
    }
}

/// A character reference or one of the five predefined entities, decoded; any other
/// entity is refused (nothing is ever expanded).
pub(crate) fn reference(r: &quick_xml::events::BytesRef<'_>) -> Result<String, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) if c != '\0' => Ok(c.to_string()),
            _ => Err("an invalid character reference".into()),
        };
    }
    let name = r.clone().into_inner();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => Ok(s.to_string()),
        None => Err(format!(
            "the entity `&{};` (only the five predefined ones are read)",
            name.escape_debug()
        )),
    }
}

/// A start tag's attributes, checked as the tree's are (names, no `<` in a value),
/// values normalized; the last of repeated attributes wins (no duplicate check: its
/// cost grows with the square of a tag's attributes, RUSTSEC-2026-0194).
pub(crate) fn attributes<'e>(
    e: &'e BytesStart<'_>,
) -> impl Iterator<Item = Result<(&'e str, std::borrow::Cow<'e, str>), String>> + 'e {
    let mut all = e.attributes();
    all.with_checks(false);
    all.map(|a| {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.into_inner();
        if !is_name(key) {
            return Err(format!(
                "an invalid attribute name `{}`",
                key.escape_debug()
            ));
        }
        if a.value.contains('<') {
            return Err("a `<` in an attribute value".into());
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        Ok((key, value))
    })
}

pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// What an ASCII byte may be in a name: 2 for a first character (a letter, `_`, `:`),
/// 1 for a later one only (a digit, `.`, `-`), 0 for neither.
const NAME_BYTE: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphabetic() || b == b'_' || b == b':' {
            2
        } else if b.is_ascii_digit() || b == b'.' || b == b'-' {
            1
        } else {
            0
        };
        c += 1;
    }
    t
};

/// An XML name, as far as these documents need: a letter, `_` or `:` first, then
/// letters, digits, `.`, `-`, `_`, `:` (non-ASCII letters allowed).
pub(crate) fn is_name(name: &str) -> bool {
    name_local(name).is_some()
}

/// Where the local part of `name` begins (after the last `:`), when `name` is an XML
/// name ([`is_name`]). Every start tag is checked, so ASCII names take one pass over a
/// table that finds the prefix too.
pub(crate) fn name_local(name: &str) -> Option<usize> {
    let b = name.as_bytes();
    let class = |c: u8| NAME_BYTE.get(usize::from(c)).copied().unwrap_or(0);
    if class(*b.first()?) == 2 {
        let mut local = 0;
        let mut ascii_name = true;
        for (i, &c) in b.iter().enumerate().skip(1) {
            if class(c) == 0 {
                ascii_name = false;
                break;
            }
            if c == b':' {
                local = i + 1;
            }
        }
        if ascii_name {
            return Some(if b.first() == Some(&b':') && local == 0 {
                1
            } else {
                local
            });
        }
    }
    if b.is_ascii() {
        return None;
    }
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    valid.then(|| name.rfind(':').map_or(0, |i| i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document, XmlError> {
        Document::parse(text.as_bytes())
    }

    fn find<'a>(doc: &'a Document, name: &str) -> Option<Node<'a>> {
        doc.descendants().find(|n| n.name() == name)
    }

    #[test]
    fn reads_elements_text_attributes_and_children() {
        let doc = parse(
            "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\
             <a:R xmlns:a=\"urn:x\" k='v &amp; w'><a:C>x &lt;&#65;&#x42;&quot;&apos;&gt; <![CDATA[<raw>]]></a:C>\
             <D/><C>second\r\nline</C></a:R>\n",
        )
        .unwrap();
        let root = doc.root();
        assert_eq!(root.name(), "R");
        assert_eq!(root.attribute("k"), Some("v & w"));
        assert_eq!(root.attribute("xmlns:a"), Some("urn:x"));
        let names: Vec<_> = root.children().map(|n| n.name()).collect();
        assert_eq!(names, ["C", "D", "C"]);
        assert_eq!(find(&doc, "C").unwrap().text(), "x <AB\"'> <raw>");
        assert_eq!(find(&doc, "D").unwrap().text(), "");
        assert_eq!(root.children().nth(2).unwrap().text(), "second\nline");
        assert_eq!(root.child("D").map(|d| d.name()), Some("D"));
    }

    #[test]
    fn names_are_checked_byte_by_byte_and_beyond_ascii() {
        for good in [
            "a",
            "_a",
            ":a",
            "Role",
            "a.b-c_d:e9",
            "x:Key",
            "été",
            "é1",
            "a中",
        ] {
            assert!(is_name(good), "{good}");
        }
        for bad in [
            "", "1a", ".a", "-a", "a b", "a/b", "a>", "a\u{0}", "a€", "€", "1é",
        ] {
            assert!(!is_name(bad), "{bad:?}");
        }
        // The local part is what follows the last colon, as `rsplit` finds it.
        for name in [
            "a", ":", ":a", "a:", "x:Key", "a:b:c", "é:été", "ns:a.b-c", "a:中",
        ] {
            let at = name_local(name).unwrap();
            assert_eq!(&name[at..], name.rsplit(':').next().unwrap(), "{name}");
        }
    }

    #[test]
    fn descendants_of_a_node_are_its_subtree() {
        let doc = parse("<r><a><b/><c><d/></c></a><e><f/></e></r>").unwrap();
        let a = doc.root().child("a").unwrap();
        let names: Vec<_> = a.descendants().map(|n| n.name()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        let e = doc.root().child("e").unwrap();
        let names: Vec<_> = e.descendants().map(|n| n.name()).collect();
        assert_eq!(names, ["e", "f"]);
        assert_eq!(doc.root().descendants().count(), 7);
    }

    #[test]
    fn refuses_what_is_not_well_formed() {
        for bad in [
            "",
            "   ",
            "not xml",
            "<a>",
            "<a></b>",
            "<a><b></a></b>",
            "<a/><b/>",
            "<a></a>text",
            "<a>&unknown;</a>",
            "<a>&amp</a>",
            "<a>&#0;</a>",
            "<a x=1></a>",
            "<a x=\"<\"></a>",
            "<a x></a>",
            "<1a></1a>",
            "<a><!-- open </a>",
            "<a><![CDATA[ open </a>",
            "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
            "<html><body>502 Bad Gateway</body>",
            "<a",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
        let err = parse("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>").unwrap_err();
        assert!(err.to_string().contains("DOCTYPE"), "{err}");
        assert!(Document::parse(b"<a>\xff</a>").is_err());
    }

    /// Every cut and every splice of markup characters into a real answer reads or is
    /// refused; none panics.
    #[test]
    fn mangled_answers_never_panic() {
        let answer = "<?xml version=\"1.0\"?><R xmlns=\"u\"><C a='1'><K>é&amp;&#x41;</K><!--c--><![CDATA[d]]><E/></C></R>";
        let chars: Vec<char> = answer.chars().collect();
        for cut in 0..=chars.len() {
            let _ = parse(&chars[..cut].iter().collect::<String>());
            for insert in [
                '<', '>', '/', '&', ';', '"', '\'', '=', '!', '?', '-', ']', 'é',
            ] {
                let mut s = chars.clone();
                s.insert(cut, insert);
                let _ = parse(&s.iter().collect::<String>());
                if cut < chars.len() {
                    s.remove(cut + 1);
                    let _ = parse(&s.iter().collect::<String>());
                }
            }
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // (Spaces inside the tags: a tree of bare `<a>` would exceed the budget.)
        let depth = 100_000;
        let text = format!(
            "{}{}",
            "<a                 >".repeat(depth),
            "</a>".repeat(depth)
        );
        let doc = parse(&text).unwrap();
        assert_eq!(doc.descendants().count(), depth);
        assert_eq!(doc.root().descendants().count(), depth);
    }

    /// Many empty elements cost far more as a tree than as text: past the budget the
    /// parse stops with an error instead of taking the memory.
    #[test]
    fn the_budget_bounds_a_tree_of_tiny_elements() {
        let text = format!("<r>{}</r>", "<a/>".repeat(1 << 20));
        let err = parse(&text).unwrap_err();
        assert!(err.reason().contains("8 times"), "{err}");
        // A small answer is read whole.
        let text = format!("<r>{}</r>", "<a/>".repeat(500));
        assert_eq!(parse(&text).unwrap().root().children().count(), 500);
    }

    #[test]
    fn errors_show_a_printable_snippet() {
        let err = parse("<a>\u{7}<b></a>").unwrap_err().to_string();
        assert!(err.contains("\\u{7}"), "{err}");
        assert!(!err.contains('\u{7}'), "{err}");
    }
}
