//! botocore documentation (a small HTML dialect) to rustdoc Markdown.
//!
//! The output has no raw tags and no entities: paragraphs become blank-line separated
//! blocks, `<ul>`/`<ol>` become Markdown lists (nested ones indented), `<code>` becomes a
//! code span, `<pre>`/`<programlisting>` a fenced `text` block (never a doctest),
//! absolute `<a href>` links become Markdown links and relative ones plain text (they
//! point into the AWS console docs and would be broken intra-doc links). Text is escaped
//! so that rustdoc sees no HTML, no link brackets and no bare URLs.

/// Converts botocore HTML documentation to Markdown. Returns `None` when nothing is left
/// (`<p/>`, whitespace), so that undocumented shapes get no doc attribute at all.
pub fn html_to_markdown(html: &str) -> Option<String> {
    let nodes = parse(html);
    let mut r = Renderer::default();
    r.blocks(&nodes);
    r.flush();
    let text = r.out.join("\n\n");
    let text = text.trim().to_string();
    if text.is_empty() {
        None
    } else {
        Some(text)
    }
}

#[derive(Debug)]
enum Node {
    Text(String),
    Elem {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    },
}

/// An element still open while parsing: its name, attributes and children so far.
type Open = (String, Vec<(String, String)>, Vec<Node>);

const VOID: &[&str] = &["br", "hr", "img", "wbr", "input", "meta"];

/// Elements nested deeper than this are not opened (their text joins the enclosing
/// element), so that rendering and dropping the tree, which recurse, stay shallow
/// whatever the model says (issue #10: 50,000 nested lists overflowed the stack).
const MAX_DEPTH: usize = 32;

/// A lenient tree builder: unknown tags are kept, stray end tags ignored, unclosed
/// tags closed at the end or by an end tag of an enclosing element.
fn parse(html: &str) -> Vec<Node> {
    // Stack of open elements; the bottom is a synthetic root.
    let mut stack: Vec<Open> = vec![(String::new(), Vec::new(), Vec::new())];
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if let Some((tag, end)) = parse_tag(&html[i..]) {
                if text_start < i {
                    push_text(&mut stack, &html[text_start..i]);
                }
                i += end;
                text_start = i;
                match tag {
                    Tag::Open {
                        name,
                        attrs,
                        self_closing,
                    } => {
                        if stack.len() > MAX_DEPTH {
                            // Too deep: the tag is dropped, its content kept as text.
                        } else if self_closing || VOID.contains(&name.as_str()) {
                            push_node(
                                &mut stack,
                                Node::Elem {
                                    name,
                                    attrs,
                                    children: vec![],
                                },
                            );
                        } else {
                            stack.push((name, attrs, Vec::new()));
                        }
                    }
                    Tag::Close { name } => {
                        if let Some(pos) = stack.iter().rposition(|(n, _, _)| *n == name) {
                            if pos > 0 {
                                while stack.len() > pos {
                                    close_top(&mut stack);
                                }
                            }
                        }
                    }
                    Tag::Comment => {}
                }
                continue;
            }
        }
        i += 1;
    }
    if text_start < bytes.len() {
        push_text(&mut stack, &html[text_start..]);
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack
        .pop()
        .map(|(_, _, children)| children)
        .unwrap_or_default()
}

fn push_text(stack: &mut [Open], raw: &str) {
    push_node(stack, Node::Text(decode_entities(raw)));
}

fn push_node(stack: &mut [Open], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.2.push(node);
    }
}

fn close_top(stack: &mut Vec<Open>) {
    if let Some((name, attrs, children)) = stack.pop() {
        push_node(
            stack,
            Node::Elem {
                name,
                attrs,
                children,
            },
        );
    }
}

enum Tag {
    Open {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    Close {
        name: String,
    },
    Comment,
}

/// Parses one tag at the start of `s`; `None` if `<` does not start a tag (then it is text).
fn parse_tag(s: &str) -> Option<(Tag, usize)> {
    if let Some(rest) = s.strip_prefix("<!--") {
        let end = rest.find("-->")?;
        return Some((Tag::Comment, 4 + end + 3));
    }
    let end = s.find('>')?;
    let inner = &s[1..end];
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        if !valid_name(&name) {
            return None;
        }
        return Some((Tag::Close { name }, end + 1));
    }
    let (inner, self_closing) = match inner.strip_suffix('/') {
        Some(x) => (x, true),
        None => (inner, false),
    };
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !valid_name(&name) {
        return None;
    }
    let attrs = parse_attrs(&inner[name_end..]);
    Some((
        Tag::Open {
            name,
            attrs,
            self_closing,
        },
        end + 1,
    ))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
}

fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after_eq) = rest.strip_prefix('=') {
            let after_eq = after_eq.trim_start();
            let quote = after_eq.chars().next();
            match quote {
                Some(q @ ('"' | '\'')) => {
                    let body = &after_eq[1..];
                    let close = body.find(q).unwrap_or(body.len());
                    value = decode_entities(&body[..close]);
                    rest = body.get(close + 1..).unwrap_or("");
                }
                _ => {
                    let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                    value = decode_entities(&after_eq[..end]);
                    rest = &after_eq[end..];
                }
            }
        }
        if !key.is_empty() {
            out.push((key, value));
        }
        rest = rest.trim_start();
    }
    out
}

/// Decodes the named entities botocore uses and all numeric ones.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let semi = after.find(';').filter(|&n| n > 0 && n <= 10);
        let decoded = semi.and_then(|n| {
            let ent = &after[..n];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "rdquo" => Some('”'),
                "ldquo" => Some('“'),
                "reg" => Some('®'),
                "trade" => Some('™'),
                "copy" => Some('©'),
                _ => {
                    let num = ent.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, n))
        });
        match decoded {
            Some((c, n)) => {
                out.push(c);
                rest = &after[n + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Collects Markdown blocks. `cur` is the paragraph being built from inline content.
#[derive(Default)]
struct Renderer {
    out: Vec<String>,
    cur: String,
}

const BLOCK: &[&str] = &[
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "pre",
    "programlisting",
    "note",
    "important",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "hr",
    "table",
    "fullname",
    "examples",
    "example",
    "section",
    "blockquote",
];

fn is_block(node: &Node) -> bool {
    matches!(node, Node::Elem { name, .. } if BLOCK.contains(&name.as_str()))
}

impl Renderer {
    fn flush(&mut self) {
        let para = collapse_ws(&self.cur);
        let para = para.trim();
        if !para.is_empty() {
            // A paragraph that starts like a heading or a list item must not become one.
            let para = match para.chars().next() {
                Some('#' | '-' | '+' | '=') => format!("\\{para}"),
                _ => para.to_string(),
            };
            self.out.push(para);
        }
        self.cur.clear();
    }

    fn blocks(&mut self, nodes: &[Node]) {
        for node in nodes {
            if is_block(node) {
                self.block(node);
            } else {
                inline(node, &mut self.cur);
            }
        }
    }

    /// A Markdown list; nested blocks are indented under their item.
    fn list(&mut self, ordered: bool, children: &[Node]) {
        let mut items = Vec::new();
        for child in children {
            let item_nodes: &[Node] = match child {
                Node::Elem { name, children, .. } if name == "li" => children,
                // Stray content between items is rendered as an item of its own.
                Node::Text(t) if t.trim().is_empty() => continue,
                other => std::slice::from_ref(other),
            };
            let mut sub = Renderer::default();
            sub.blocks(item_nodes);
            sub.flush();
            if sub.out.is_empty() {
                continue;
            }
            let marker = if ordered {
                format!("{}. ", items.len() + 1)
            } else {
                "- ".to_string()
            };
            items.push(list_item(&marker, &sub.out.join("\n\n")));
        }
        if !items.is_empty() {
            self.out.push(items.join("\n"));
        }
    }

    fn block(&mut self, node: &Node) {
        let Node::Elem { name, children, .. } = node else {
            return;
        };
        self.flush();
        match name.as_str() {
            "ul" | "ol" => self.list(name == "ol", children),
            "pre" | "programlisting" => {
                let mut text = String::new();
                raw_text(children, &mut text);
                let text = text.trim_matches('\n').trim_end();
                if !text.trim().is_empty() {
                    let fence = if text.contains("```") { "~~~~" } else { "```" };
                    self.out.push(format!("{fence}text\n{text}\n{fence}"));
                }
            }
            "note" | "important" => {
                let label = if name == "note" {
                    "**Note:**"
                } else {
                    "**Important:**"
                };
                let mut sub = Renderer::default();
                sub.blocks(children);
                sub.flush();
                if let Some(first) = sub.out.first_mut() {
                    *first = format!("{label} {first}");
                }
                self.out.extend(sub.out);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt" => {
                let mut text = String::new();
                for c in children {
                    inline(c, &mut text);
                }
                let text = collapse_ws(&text);
                let text = text.trim();
                if !text.is_empty() {
                    self.out.push(format!("**{text}**"));
                }
            }
            "br" | "hr" => {}
            _ => {
                self.blocks(children);
                self.flush();
            }
        }
    }
}

/// `marker` before the first line of `body`, the others indented to match.
fn list_item(marker: &str, body: &str) -> String {
    let pad = " ".repeat(marker.len());
    let mut item = String::new();
    for (i, line) in body.lines().enumerate() {
        if i == 0 {
            item.push_str(marker);
            item.push_str(line);
        } else {
            item.push('\n');
            if !line.is_empty() {
                item.push_str(&pad);
                item.push_str(line);
            }
        }
    }
    item
}

/// Renders inline content (text, code, links, emphasis) into `out`. Block elements met
/// here (invalid nesting such as `<a><p>`) are rendered as their inline text.
fn inline(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => escape_text(t, out),
        Node::Elem {
            name,
            attrs,
            children,
        } => match name.as_str() {
            "code" | "tt" | "samp" | "kbd" => code_span(children, out),
            "a" => link(attrs, children, out),
            "i" | "em" => emphasis("*", children, out),
            "b" | "strong" => emphasis("**", children, out),
            "br" => out.push(' '),
            _ => {
                for c in children {
                    inline(c, out);
                }
                if is_block(node) {
                    out.push(' ');
                }
            }
        },
    }
}

fn code_span(children: &[Node], out: &mut String) {
    let mut text = String::new();
    raw_text(children, &mut text);
    let text = collapse_ws(&text);
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let ticks = if text.contains('`') { "``" } else { "`" };
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    out.push_str(&format!("{ticks}{pad}{text}{pad}{ticks}"));
}

/// An absolute link as a Markdown link; a relative one (into the AWS console docs,
/// which would be a broken intra-doc link) as its text.
fn link(attrs: &[(String, String)], children: &[Node], out: &mut String) {
    let href = attrs
        .iter()
        .find(|(k, _)| k == "href")
        .map(|(_, v)| v.trim());
    let mut text = String::new();
    for c in children {
        inline(c, &mut text);
    }
    let text = collapse_ws(&text).trim().to_string();
    match href {
        Some(h) if is_absolute_url(h) => {
            let url = h
                .replace(' ', "%20")
                .replace('(', "%28")
                .replace(')', "%29");
            if text.is_empty() {
                out.push_str(&format!("<{url}>"));
            } else {
                out.push_str(&format!("[{text}]({url})"));
            }
        }
        _ => out.push_str(&text),
    }
}

fn emphasis(mark: &str, children: &[Node], out: &mut String) {
    let mut text = String::new();
    for c in children {
        inline(c, &mut text);
    }
    let collapsed = collapse_ws(&text);
    let trimmed = collapsed.trim();
    if trimmed.is_empty() {
        out.push_str(&collapsed);
        return;
    }
    // Keep the spaces outside the markers, or the emphasis does not open.
    if collapsed.starts_with(' ') {
        out.push(' ');
    }
    out.push_str(&format!("{mark}{trimmed}{mark}"));
    if collapsed.ends_with(' ') {
        out.push(' ');
    }
}

fn raw_text(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Elem { name, children, .. } => {
                if name == "br" {
                    out.push('\n');
                }
                raw_text(children, out);
            }
        }
    }
}

fn is_absolute_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

/// Escapes text so rustdoc renders it literally: Markdown punctuation gets a backslash,
/// and bare URLs become autolinks (rustdoc warns about bare URLs).
fn escape_text(t: &str, out: &mut String) {
    let mut rest = t;
    while !rest.is_empty() {
        let next_url = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min();
        let (plain, url) = match next_url {
            Some(pos) => {
                let tail = &rest[pos..];
                let end = tail
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | ')' | ','))
                    .unwrap_or(tail.len());
                let mut url = &tail[..end];
                while url.ends_with(['.', ';', ':']) {
                    url = &url[..url.len() - 1];
                }
                (&rest[..pos], Some(url))
            }
            None => (rest, None),
        };
        for c in plain.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => {
                    out.push('\\');
                    out.push(c);
                }
                '\u{a0}' => out.push(' '),
                _ => out.push(c),
            }
        }
        match url {
            Some(u) if u.len() > "https://".len() => {
                out.push('<');
                out.push_str(u);
                out.push('>');
                rest = &rest[plain.len() + u.len()..];
            }
            Some(u) => {
                out.push_str(u);
                rest = &rest[plain.len() + u.len()..];
            }
            None => rest = "",
        }
    }
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[test]
    fn empty_docs_are_none() {
        assert_eq!(md("<p/>"), None);
        assert_eq!(md(""), None);
        assert_eq!(md("<p> </p>"), None);
    }

    #[test]
    fn paragraphs_are_separated_once() {
        assert_eq!(
            md("<p>One.</p> <p>Two.</p>").as_deref(),
            Some("One.\n\nTwo.")
        );
        assert_eq!(md("<p><p>Nested.</p></p>").as_deref(), Some("Nested."));
        assert_eq!(md("Plain text").as_deref(), Some("Plain text"));
    }

    #[test]
    fn code_and_entities() {
        assert_eq!(
            md("<p>Use <code>\"successful\"</code> &amp; <code>a &lt; b</code>.</p>").as_deref(),
            Some("Use `\"successful\"` & `a < b`.")
        );
        assert_eq!(
            md("<p>x &#233; &#x41; &nbsp;y</p>").as_deref(),
            Some("x é A y")
        );
    }

    #[test]
    fn lists_nest() {
        let html = "<p>Values:</p> <ul> <li> <p> <code>a</code> </p> </li> <li><p>b</p><ul><li>c</li></ul></li> </ul>";
        assert_eq!(md(html).as_deref(), Some("Values:\n\n- `a`\n- b\n\n  - c"));
        assert_eq!(
            md("<ol><li>x</li><li>y</li></ol>").as_deref(),
            Some("1. x\n2. y")
        );
    }

    #[test]
    fn links() {
        assert_eq!(
            md(r#"<p>See <a href="https://docs.aws.amazon.com/dms/x.html">the guide</a>.</p>"#)
                .as_deref(),
            Some("See [the guide](https://docs.aws.amazon.com/dms/x.html).")
        );
        assert_eq!(
            md(r#"<a href="DescribeEndpoints">DescribeEndpoints</a>"#).as_deref(),
            Some("DescribeEndpoints")
        );
        assert_eq!(
            md("<p>Go to https://example.com/a.</p>").as_deref(),
            Some("Go to <https://example.com/a>.")
        );
    }

    #[test]
    fn markdown_and_html_in_text_is_escaped() {
        assert_eq!(
            md("<p>a [b] *c* d_e &lt;tag&gt;</p>").as_deref(),
            Some(r"a \[b\] \*c\* d\_e \<tag\>")
        );
        assert_eq!(md("<p>- not a list</p>").as_deref(), Some(r"\- not a list"));
    }

    #[test]
    fn notes_emphasis_and_code_blocks() {
        assert_eq!(
            md("<note> <p>Careful <i>now</i>.</p> </note>").as_deref(),
            Some("**Note:** Careful *now*.")
        );
        assert_eq!(
            md("<p>x</p><pre><code>a\n  b</code></pre>").as_deref(),
            Some("x\n\n```text\na\n  b\n```")
        );
        assert_eq!(
            md("<p><b>bold</b> and <b> </b>x</p>").as_deref(),
            Some("**bold** and x")
        );
    }

    #[test]
    fn broken_html_does_not_panic() {
        for html in [
            "<p",
            "<p>unclosed",
            "</p>stray",
            "a < b > c",
            "<a href=>x</a>",
            "&#xZZ; &",
            "<<>>",
            "<!-- x",
        ] {
            let _ = md(html);
        }
        assert_eq!(md("a < b").as_deref(), Some(r"a \< b"));
    }

    /// Issue #10: 50,000 nested lists overflowed the stack; nesting past the limit is
    /// flattened, and every item's text is kept.
    #[test]
    fn deep_nesting_is_bounded() {
        let html = "<ul>".to_string() + &"<li>x<ul>".repeat(50_000);
        let text = md(&html).unwrap();
        assert_eq!(text.matches('x').count(), 50_000);
        let html = "<p>".repeat(100_000) + "deep";
        assert_eq!(md(&html).as_deref(), Some("deep"));
    }
}
