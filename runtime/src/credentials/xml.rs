//! The little XML the credential sources read: STS's `AssumeRole*Response` and its
//! `ErrorResponse`. A reader of well-formed documents into a flat list of elements (local
//! name, parent, direct text), enough to find an element by name and read its children.
//!
//! It checks what a parser must (one root, tags that nest and match, quoted attributes,
//! the five predefined entities and character references, comments, CDATA, processing
//! instructions) and refuses a `<!DOCTYPE`: STS never sends one, and refusing it leaves
//! no entity expansion to attack. No recursion, so depth cannot overflow the stack.
//! Written for these answers instead of taking an XML crate: a credential source reads a
//! few fields, and every build of every client paid for a general parser.

/// One element: its local name (the prefix dropped), its parent's index, and the text
/// directly inside it (character data and CDATA, entities decoded).
#[derive(Debug)]
struct Element {
    name: String,
    parent: Option<usize>,
    text: String,
}

/// A parsed document: its elements in document order (the root first).
#[derive(Debug)]
pub(crate) struct Document {
    elements: Vec<Element>,
}

/// Why a text is not a document this reader accepts.
#[derive(Debug, PartialEq)]
pub(crate) struct NotXml(pub(crate) &'static str);

/// A handle to one element of a [`Document`].
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    doc: &'a Document,
    index: usize,
}

impl Document {
    /// Reads `text`, or says why it is not well-formed XML.
    pub(crate) fn parse(text: &str) -> Result<Document, NotXml> {
        let mut elements: Vec<Element> = Vec::new();
        // The open elements, innermost last, with their qualified names.
        let mut open: Vec<(usize, &str)> = Vec::new();
        let mut rest = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut root_closed = false;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                text_between(&mut elements, &open, rest)?;
                break;
            };
            text_between(&mut elements, &open, &rest[..lt])?;
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                let end = after.find("-->").ok_or(NotXml("an unclosed comment"))?;
                rest = &after[end + 3..];
            } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
                let end = after
                    .find("]]>")
                    .ok_or(NotXml("an unclosed CDATA section"))?;
                let &(index, _) = open.last().ok_or(NotXml("CDATA outside the root"))?;
                elements[index].text.push_str(&after[..end]);
                rest = &after[end + 3..];
            } else if rest.starts_with("<!") {
                return Err(NotXml("a DOCTYPE or declaration"));
            } else if let Some(after) = rest.strip_prefix("<?") {
                let end = after
                    .find("?>")
                    .ok_or(NotXml("an unclosed processing instruction"))?;
                rest = &after[end + 2..];
            } else if let Some(after) = rest.strip_prefix("</") {
                let end = after.find('>').ok_or(NotXml("an unclosed end tag"))?;
                let name = after[..end].trim_end();
                match open.pop() {
                    Some((_, opened)) if opened == name => {}
                    _ => return Err(NotXml("an end tag that does not match")),
                }
                root_closed = open.is_empty();
                rest = &after[end + 1..];
            } else {
                if root_closed {
                    return Err(NotXml("more than one root element"));
                }
                let (name, self_closing, after) = start_tag(&rest[1..])?;
                let local = name.rsplit(':').next().unwrap_or(name);
                elements.push(Element {
                    name: local.to_string(),
                    parent: open.last().map(|&(i, _)| i),
                    text: String::new(),
                });
                if self_closing {
                    root_closed = open.is_empty();
                } else {
                    open.push((elements.len() - 1, name));
                }
                rest = after;
            }
        }
        if !open.is_empty() {
            return Err(NotXml("an element that is never closed"));
        }
        if elements.is_empty() {
            return Err(NotXml("no root element"));
        }
        Ok(Document { elements })
    }

    /// The root and every element under it, in document order.
    pub(crate) fn descendants(&self) -> impl Iterator<Item = Node<'_>> {
        (0..self.elements.len()).map(move |index| Node { doc: self, index })
    }
}

impl<'a> Node<'a> {
    /// The element's name without its namespace prefix.
    pub(crate) fn name(&self) -> &'a str {
        &self.doc.elements[self.index].name
    }

    /// The text directly inside the element.
    pub(crate) fn text(&self) -> &'a str {
        &self.doc.elements[self.index].text
    }

    /// The elements directly inside this one, in document order.
    pub(crate) fn children(&self) -> impl Iterator<Item = Node<'a>> {
        let (doc, index) = (self.doc, self.index);
        // Children come after their parent in document order.
        (index + 1..doc.elements.len())
            .filter(move |&i| doc.elements[i].parent == Some(index))
            .map(move |i| Node { doc, index: i })
    }
}

/// Character data between two markups: whitespace anywhere, text only inside the root.
fn text_between(elements: &mut [Element], open: &[(usize, &str)], raw: &str) -> Result<(), NotXml> {
    if raw.is_empty() {
        return Ok(());
    }
    match open.last() {
        Some(&(index, _)) => unescape_into(raw, &mut elements[index].text),
        None if raw.trim().is_empty() => Ok(()),
        None => Err(NotXml("text outside the root element")),
    }
}

/// A start tag after its `<`: the qualified name, whether it closes itself, and what
/// follows its `>`. Attributes are checked for form and skipped.
fn start_tag(tag: &str) -> Result<(&str, bool, &str), NotXml> {
    let name_end = tag
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .ok_or(NotXml("an unclosed start tag"))?;
    let name = &tag[..name_end];
    if !is_name(name) {
        return Err(NotXml("a tag without a valid name"));
    }
    let mut rest = &tag[name_end..];
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>") {
            return Ok((name, true, after));
        }
        if let Some(after) = rest.strip_prefix('>') {
            return Ok((name, false, after));
        }
        // An attribute: name, `=`, a quoted value without `<`.
        let eq = rest
            .find('=')
            .ok_or(NotXml("an attribute without a value"))?;
        if !is_name(rest[..eq].trim_end()) {
            return Err(NotXml("an attribute without a valid name"));
        }
        let value = rest[eq + 1..].trim_start();
        let quote = value
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or(NotXml("an attribute value without quotes"))?;
        let close = value[1..]
            .find(quote)
            .ok_or(NotXml("an unclosed attribute value"))?;
        let text = &value[1..1 + close];
        if text.contains('<') {
            return Err(NotXml("a `<` in an attribute value"));
        }
        unescape_into(text, &mut String::new())?;
        let after = &value[2 + close..];
        if !(after.is_empty()
            || after.starts_with(|c: char| c.is_whitespace())
            || after.starts_with('>')
            || after.starts_with("/>"))
        {
            return Err(NotXml("attributes without space between them"));
        }
        rest = after;
    }
}

/// XML names as far as these documents need them: a letter, `_` or `:` first, then
/// letters, digits, `-`, `.`, `_`, `:` (non-ASCII letters allowed).
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'))
}

/// Appends `raw` to `out` with its entity and character references decoded.
fn unescape_into(raw: &str, out: &mut String) -> Result<(), NotXml> {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after
            .find(';')
            .filter(|&i| i <= 10)
            .ok_or(NotXml("an unterminated entity reference"))?;
        let entity = &after[..semi];
        let decoded = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .filter(|&c| c != '\0')
                    .ok_or(NotXml("an unknown entity reference"))?
            }
        };
        out.push(decoded);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(doc: &'a Document, name: &str) -> Option<Node<'a>> {
        doc.descendants().find(|n| n.name() == name)
    }

    #[test]
    fn reads_elements_text_and_children() {
        let doc = Document::parse(
            "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\
             <a:R xmlns:a=\"urn:x\" k='v &amp; w'><a:C>x &lt;&#65;&#x42;&quot;&apos;&gt; <![CDATA[<raw>]]></a:C>\
             <D/><C>second</C></a:R>\n",
        )
        .unwrap();
        let root = find(&doc, "R").unwrap();
        let names: Vec<_> = root.children().map(|n| n.name()).collect();
        assert_eq!(names, ["C", "D", "C"]);
        assert_eq!(find(&doc, "C").unwrap().text(), "x <AB\"'> <raw>");
        assert_eq!(find(&doc, "D").unwrap().text(), "");
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
            "<a x=\"1\"y=\"2\"></a>",
            "<a x=\"<\"></a>",
            "<a x></a>",
            "<1a></1a>",
            "<a><!-- open </a>",
            "<a><![CDATA[ open </a>",
            "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>",
            "<html><body>502 Bad Gateway</body>",
            "<a",
        ] {
            assert!(Document::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    /// Every cut and every splice of markup characters into a real answer reads or is
    /// refused; none panics.
    #[test]
    fn mangled_answers_never_panic() {
        let answer = "<?xml version=\"1.0\"?><R xmlns=\"u\"><C a='1'><K>é&amp;&#x41;</K><!--c--><![CDATA[d]]><E/></C></R>";
        let chars: Vec<char> = answer.chars().collect();
        for cut in 0..=chars.len() {
            let _ = Document::parse(&chars[..cut].iter().collect::<String>());
            for insert in [
                '<', '>', '/', '&', ';', '"', '\'', '=', '!', '?', '-', ']', 'é',
            ] {
                let mut s = chars.clone();
                s.insert(cut, insert);
                let _ = Document::parse(&s.iter().collect::<String>());
                if cut < chars.len() {
                    s.remove(cut + 1);
                    let _ = Document::parse(&s.iter().collect::<String>());
                }
            }
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let text = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert_eq!(Document::parse(&text).unwrap().descendants().count(), depth);
    }
}
