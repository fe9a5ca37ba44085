//! JMESPath, as far as botocore's waiters use it: a parser (a Pratt parser with
//! JMESPath's binding powers, after `jmespath.py`). `resolve::jmespath_check` checks a
//! parsed expression against the shapes of the output it runs on, so that a path naming a
//! member the output does not have fails the build instead of never matching at run time.
//!
//! Supported: identifiers (plain and quoted), `@`, sub-expressions, `[n]` indexes, `[]`
//! flatten and `[*]` projections, `[?cond]` filters, `||`, `&&`, `!`, comparisons,
//! parentheses, `|` pipes, raw strings, JSON literals and the `length` function. Anything
//! else is a parse error the generator reports, never dropped.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `@`: the current value.
    Identity,
    /// `name`: a member of an object.
    Field(String),
    /// `left.right`.
    Sub(Box<Expr>, Box<Expr>),
    /// `left[n]` (negative counts from the end).
    Index(Box<Expr>, i64),
    /// `left[]`: a list of lists flattened one level.
    Flatten(Box<Expr>),
    /// `left[*].right`, `left[].right`: `right` on each element, nulls dropped.
    Projection(Box<Expr>, Box<Expr>),
    /// `left.*.right`: `right` on each value of an object (SES's
    /// `VerificationAttributes.*.VerificationStatus`), nulls dropped.
    ObjectProjection(Box<Expr>, Box<Expr>),
    /// `left[?cond].right`.
    Filter(Box<Expr>, Box<Expr>, Box<Expr>),
    /// A JSON literal or a raw string.
    Literal(serde_json::Value),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Compare(Comparator, Box<Expr>, Box<Expr>),
    /// `left | right`.
    Pipe(Box<Expr>, Box<Expr>),
    /// `length(arg)`, the one function botocore's models use.
    Length(Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Quoted(String),
    Number(i64),
    Literal(serde_json::Value),
    Dot,
    Star,
    At,
    Flatten,
    Filter,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Pipe,
    Or,
    And,
    Not,
    Cmp(Comparator),
    Eof,
}

impl Token {
    /// Binding powers, as in `jmespath.py`.
    fn power(&self) -> u8 {
        match self {
            Token::Pipe => 1,
            Token::Or => 2,
            Token::And => 3,
            Token::Cmp(_) => 5,
            Token::Flatten => 9,
            Token::Star => 20,
            Token::Filter => 21,
            Token::Dot => 40,
            Token::Not => 45,
            Token::LBracket => 55,
            Token::LParen => 60,
            _ => 0,
        }
    }
}

/// The longest expression accepted, in tokens (which also bounds the tree's depth).
const MAX_TOKENS: usize = 512;
/// The deepest nesting of sub-expressions the parser follows.
const MAX_DEPTH: usize = 64;

/// Parses an expression; the error says what is wrong and where.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = lex(text)?;
    // The parser and every pass over the tree recurse: bound both (issue #10). Waiter
    // expressions in botocore's models are a few dozen tokens.
    if tokens.len() > MAX_TOKENS {
        return Err(format!(
            "the expression has {} tokens, more than {MAX_TOKENS}",
            tokens.len()
        ));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let e = p.expression(0)?;
    match p.peek() {
        Token::Eof => Ok(e),
        t => Err(format!("unexpected {t:?} after a complete expression")),
    }
}

fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let two = chars.get(i + 1).copied();
        let (token, len) = match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            '.' => (Token::Dot, 1),
            '*' => (Token::Star, 1),
            '@' => (Token::At, 1),
            ']' => (Token::RBracket, 1),
            '(' => (Token::LParen, 1),
            ')' => (Token::RParen, 1),
            ',' => (Token::Comma, 1),
            '[' => match two {
                Some(']') => (Token::Flatten, 2),
                Some('?') => (Token::Filter, 2),
                _ => (Token::LBracket, 1),
            },
            '|' if two == Some('|') => (Token::Or, 2),
            '|' => (Token::Pipe, 1),
            '&' if two == Some('&') => (Token::And, 2),
            '!' if two == Some('=') => (Token::Cmp(Comparator::Ne), 2),
            '!' => (Token::Not, 1),
            '=' if two == Some('=') => (Token::Cmp(Comparator::Eq), 2),
            '<' if two == Some('=') => (Token::Cmp(Comparator::Le), 2),
            '<' => (Token::Cmp(Comparator::Lt), 1),
            '>' if two == Some('=') => (Token::Cmp(Comparator::Ge), 2),
            '>' => (Token::Cmp(Comparator::Gt), 1),
            '`' => delimited(&chars, i, '`', |s| {
                serde_json::from_str(&s.replace("\\`", "`"))
                    .map(Token::Literal)
                    .map_err(|e| format!("bad JSON literal `{s}`: {e}"))
            })?,
            '\'' => delimited(&chars, i, '\'', |s| {
                Ok(Token::Literal(serde_json::Value::String(
                    s.replace("\\'", "'"),
                )))
            })?,
            '"' => delimited(&chars, i, '"', |s| {
                serde_json::from_str::<String>(&format!("\"{s}\""))
                    .map(Token::Quoted)
                    .map_err(|e| format!("bad quoted identifier \"{s}\": {e}"))
            })?,
            c if c == '-' || c.is_ascii_digit() => {
                let end = (i + 1..chars.len())
                    .find(|&j| !chars[j].is_ascii_digit())
                    .unwrap_or(chars.len());
                let s: String = chars[i..end].iter().collect();
                let n = s.parse().map_err(|_| format!("bad number `{s}`"))?;
                (Token::Number(n), end - i)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let end = (i..chars.len())
                    .find(|&j| !(chars[j].is_ascii_alphanumeric() || chars[j] == '_'))
                    .unwrap_or(chars.len());
                (Token::Ident(chars[i..end].iter().collect()), end - i)
            }
            other => return Err(format!("unexpected character `{other}` at {i}")),
        };
        out.push(token);
        i += len;
    }
    out.push(Token::Eof);
    Ok(out)
}

/// A token between `quote` characters starting at `start` (a backslash escapes one).
fn delimited(
    chars: &[char],
    start: usize,
    quote: char,
    make: impl Fn(String) -> Result<Token, String>,
) -> Result<(Token, usize), String> {
    let mut j = start + 1;
    while j < chars.len() && chars[j] != quote {
        j += if chars[j] == '\\' { 2 } else { 1 };
    }
    if j >= chars.len() {
        return Err(format!("unclosed {quote} at {start}"));
    }
    let inner: String = chars[start + 1..j].iter().collect();
    Ok((make(inner)?, j + 1 - start))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// How many `expression` calls are open.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        self.tokens.get(self.pos).unwrap_or(&Token::Eof)
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn expect(&mut self, t: Token) -> Result<(), String> {
        match self.next() {
            found if found == t => Ok(()),
            found => Err(format!("expected {t:?}, found {found:?}")),
        }
    }

    fn expression(&mut self, power: u8) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("the expression nests more than {MAX_DEPTH} deep"));
        }
        let mut left = self.nud()?;
        while power < self.peek().power() {
            left = self.led(left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self) -> Result<Expr, String> {
        match self.next() {
            Token::Ident(name) | Token::Quoted(name) => Ok(Expr::Field(name)),
            Token::Literal(v) => Ok(Expr::Literal(v)),
            Token::At => Ok(Expr::Identity),
            Token::Not => Ok(Expr::Not(Box::new(self.expression(45)?))),
            Token::LParen => {
                let e = self.expression(0)?;
                self.expect(Token::RParen)?;
                Ok(e)
            }
            Token::Flatten => {
                let rhs = self.projection_rhs(9)?;
                Ok(Expr::Projection(flatten(Expr::Identity), Box::new(rhs)))
            }
            Token::Filter => self.filter(Expr::Identity),
            Token::LBracket => self.bracket(Expr::Identity),
            t => Err(format!("unexpected {t:?} at the start of an expression")),
        }
    }

    fn led(&mut self, left: Expr) -> Result<Expr, String> {
        match self.next() {
            Token::Dot => self.after_dot(left),
            Token::LBracket => self.bracket(left),
            Token::Flatten => {
                let rhs = self.projection_rhs(9)?;
                Ok(Expr::Projection(flatten(left), Box::new(rhs)))
            }
            Token::Filter => self.filter(left),
            Token::Or => Ok(Expr::Or(Box::new(left), Box::new(self.expression(2)?))),
            Token::And => Ok(Expr::And(Box::new(left), Box::new(self.expression(3)?))),
            Token::Pipe => Ok(Expr::Pipe(Box::new(left), Box::new(self.expression(1)?))),
            Token::Cmp(c) => Ok(Expr::Compare(
                c,
                Box::new(left),
                Box::new(self.expression(5)?),
            )),
            Token::LParen => self.call(left),
            t => Err(format!("unexpected {t:?}")),
        }
    }

    /// After `[`: an index or a `[*]` projection.
    fn bracket(&mut self, left: Expr) -> Result<Expr, String> {
        match self.next() {
            Token::Number(n) => {
                self.expect(Token::RBracket)?;
                Ok(Expr::Index(Box::new(left), n))
            }
            Token::Star => {
                self.expect(Token::RBracket)?;
                let rhs = self.projection_rhs(20)?;
                Ok(Expr::Projection(Box::new(left), Box::new(rhs)))
            }
            t => Err(format!(
                "unsupported bracket expression starting with {t:?} (slices and multi-selects are not supported)"
            )),
        }
    }

    fn filter(&mut self, left: Expr) -> Result<Expr, String> {
        let cond = self.expression(0)?;
        self.expect(Token::RBracket)?;
        let rhs = self.projection_rhs(21)?;
        Ok(Expr::Filter(Box::new(left), Box::new(cond), Box::new(rhs)))
    }

    fn call(&mut self, left: Expr) -> Result<Expr, String> {
        let Expr::Field(name) = left else {
            return Err("only a function name can be called".into());
        };
        let arg = self.expression(0)?;
        if *self.peek() == Token::Comma {
            return Err(format!("`{name}` takes one argument"));
        }
        self.expect(Token::RParen)?;
        match name.as_str() {
            "length" => Ok(Expr::Length(Box::new(arg))),
            other => Err(format!("the function `{other}` is not supported")),
        }
    }

    /// What a projection applies to each element: nothing (identity) when the next token
    /// binds more loosely than projections.
    fn projection_rhs(&mut self, power: u8) -> Result<Expr, String> {
        let t = self.peek().clone();
        if t.power() < 10 {
            return Ok(Expr::Identity);
        }
        match t {
            Token::LBracket | Token::Filter | Token::Flatten | Token::Star => {
                self.expression(power)
            }
            Token::Dot => {
                self.next();
                self.dot_rhs(power)
            }
            other => Err(format!("unexpected {other:?} after a projection")),
        }
    }

    fn dot_rhs(&mut self, power: u8) -> Result<Expr, String> {
        match self.peek() {
            Token::Ident(_) | Token::Quoted(_) => self.expression(power),
            t => Err(format!("unexpected {t:?} after `.`")),
        }
    }

    /// After `left.`: `*` projects over an object's values; anything else is a
    /// sub-expression.
    fn after_dot(&mut self, left: Expr) -> Result<Expr, String> {
        if *self.peek() == Token::Star {
            self.next();
            let rhs = self.projection_rhs(20)?;
            return Ok(Expr::ObjectProjection(Box::new(left), Box::new(rhs)));
        }
        let rhs = self.dot_rhs(40)?;
        Ok(Expr::Sub(Box::new(left), Box::new(rhs)))
    }
}

fn flatten(e: Expr) -> Box<Expr> {
    Box::new(Expr::Flatten(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: &str) -> Box<Expr> {
        Box::new(Expr::Field(n.into()))
    }

    #[test]
    fn projections_capture_what_follows() {
        assert_eq!(
            parse("Connections[].Status").unwrap(),
            Expr::Projection(flatten(Expr::Field("Connections".into())), field("Status"))
        );
        assert_eq!(
            parse("Cluster.Status.State").unwrap(),
            Expr::Sub(
                Box::new(Expr::Sub(field("Cluster"), field("Status"))),
                field("State")
            )
        );
        assert_eq!(
            parse("Shards[-1].ShardId").unwrap(),
            Expr::Sub(Box::new(Expr::Index(field("Shards"), -1)), field("ShardId"))
        );
    }

    /// SES's `IdentityExists` waiter (a query model): `.*` projects over a map's values.
    #[test]
    fn object_projections_parse() {
        assert_eq!(
            parse("VerificationAttributes.*.VerificationStatus").unwrap(),
            Expr::ObjectProjection(field("VerificationAttributes"), field("VerificationStatus"))
        );
        assert_eq!(
            parse("a.*").unwrap(),
            Expr::ObjectProjection(field("a"), Box::new(Expr::Identity))
        );
    }

    #[test]
    fn every_form_botocore_uses_parses() {
        for e in [
            "length(MetricAlarms[]) > `0`",
            "length(KinesisDataStreamDestinations) > `0`  && length(KinesisDataStreamDestinations[?DestinationStatus == 'DISABLED' || DestinationStatus == 'ENABLE_FAILED']) ==  length(KinesisDataStreamDestinations)",
            "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`",
            "UpdateActivities.SelfManagedInstances[].Status",
            "a[*].b | [0]",
            "\"quoted name\".x",
        ] {
            parse(e).unwrap_or_else(|err| panic!("{e}: {err}"));
        }
    }

    #[test]
    fn what_is_not_supported_is_an_error() {
        for e in [
            "a[1:2]", "a.{b: c}", "sort(a)", "a[", "`{`", "a ==", "&b", "*.b", "a.*.*x",
        ] {
            assert!(parse(e).is_err(), "{e}");
        }
    }

    /// Issue #10: model input must not drive unbounded recursion. Deep parentheses, long
    /// `!` runs and long dotted chains are refused, not overflowed.
    #[test]
    fn nesting_and_length_are_bounded() {
        let deep = "(".repeat(100_000) + "a" + &")".repeat(100_000);
        assert!(parse(&deep).unwrap_err().contains("tokens"));
        let nested = "(".repeat(100) + "a" + &")".repeat(100);
        assert!(parse(&nested).unwrap_err().contains("nests more than 64"));
        let nots = "!".repeat(200) + "a";
        assert!(parse(&nots).is_err());
        let chain = vec!["a"; 10_000].join(".");
        assert!(parse(&chain).is_err());
        let ok = "(".repeat(20) + "a.b[0].c" + &")".repeat(20);
        assert!(parse(&ok).is_ok());
    }
}
