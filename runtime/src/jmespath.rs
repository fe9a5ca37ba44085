//! Evaluating the JMESPath expressions of waiters over the JSON form of an output, with
//! the semantics of `jmespath.py` (what botocore uses): projections drop nulls, `&&` and
//! `||` return operands, `0` is true, ordering compares numbers only.
//!
//! The generator parses and checks each expression against the model, then emits it as a
//! `static` tree of [`Expr`]; nothing is parsed at run time.

use serde_json::Value;

/// A parsed expression (built by generated code as a `static`).
#[derive(Debug, Clone, Copy)]
pub enum Expr {
    /// `@`.
    Identity,
    /// `name`.
    Field(&'static str),
    /// `left.right`.
    Sub(&'static Expr, &'static Expr),
    /// `left[n]`.
    Index(&'static Expr, i64),
    /// `left[]`.
    Flatten(&'static Expr),
    /// `left[*].right` and `left[].right`.
    Projection(&'static Expr, &'static Expr),
    /// `left.*.right`: over an object's values.
    ObjectProjection(&'static Expr, &'static Expr),
    /// `left[?cond].right`: (left, cond, right).
    Filter(&'static Expr, &'static Expr, &'static Expr),
    /// A literal, as JSON text.
    Literal(&'static str),
    /// `!x`.
    Not(&'static Expr),
    /// `a && b`.
    And(&'static Expr, &'static Expr),
    /// `a || b`.
    Or(&'static Expr, &'static Expr),
    /// `a <op> b`.
    Compare(Comparator, &'static Expr, &'static Expr),
    /// `a | b`.
    Pipe(&'static Expr, &'static Expr),
    /// `length(x)`.
    Length(&'static Expr),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// JMESPath's false values: null, `false`, and empty strings, lists and objects.
pub fn is_false(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

impl Expr {
    /// Evaluates the expression on `data`. Type errors (`length` of a number) give null.
    pub fn search(&self, data: &Value) -> Value {
        match *self {
            Expr::Identity => data.clone(),
            Expr::Field(name) => data.get(name).cloned().unwrap_or(Value::Null),
            Expr::Sub(l, r) | Expr::Pipe(l, r) => match l.search(data) {
                Value::Null if matches!(self, Expr::Sub(..)) => Value::Null,
                left => r.search(&left),
            },
            Expr::Index(l, i) => match l.search(data) {
                Value::Array(a) => {
                    let at = if i < 0 { a.len() as i64 + i } else { i };
                    usize::try_from(at)
                        .ok()
                        .and_then(|at| a.get(at).cloned())
                        .unwrap_or(Value::Null)
                }
                _ => Value::Null,
            },
            Expr::Flatten(l) => match l.search(data) {
                Value::Array(a) => {
                    let mut out = Vec::with_capacity(a.len());
                    for v in a {
                        match v {
                            Value::Array(inner) => out.extend(inner),
                            other => out.push(other),
                        }
                    }
                    Value::Array(out)
                }
                _ => Value::Null,
            },
            Expr::Projection(l, r) => project(l.search(data), |v| Some(r.search(v))),
            Expr::ObjectProjection(l, r) => match l.search(data) {
                Value::Object(o) => {
                    project(Value::Array(o.into_iter().map(|(_, v)| v).collect()), |v| {
                        Some(r.search(v))
                    })
                }
                _ => Value::Null,
            },
            Expr::Filter(l, cond, r) => project(l.search(data), |v| {
                (!is_false(&cond.search(v))).then(|| r.search(v))
            }),
            Expr::Literal(json) => serde_json::from_slice(json.as_bytes()).unwrap_or(Value::Null),
            Expr::Not(x) => Value::Bool(is_false(&x.search(data))),
            Expr::And(l, r) => {
                let left = l.search(data);
                if is_false(&left) {
                    left
                } else {
                    r.search(data)
                }
            }
            Expr::Or(l, r) => {
                let left = l.search(data);
                if is_false(&left) {
                    r.search(data)
                } else {
                    left
                }
            }
            Expr::Compare(c, l, r) => compare(c, &l.search(data), &r.search(data)),
            Expr::Length(x) => match x.search(data) {
                Value::String(s) => Value::from(s.chars().count()),
                Value::Array(a) => Value::from(a.len()),
                Value::Object(o) => Value::from(o.len()),
                _ => Value::Null,
            },
        }
    }
}

/// A projection over a list: `f` on each element, `None` and null results dropped.
fn project(base: Value, f: impl Fn(&Value) -> Option<Value>) -> Value {
    match base {
        Value::Array(a) => Value::Array(a.iter().filter_map(f).filter(|v| !v.is_null()).collect()),
        _ => Value::Null,
    }
}

fn compare(c: Comparator, l: &Value, r: &Value) -> Value {
    match c {
        Comparator::Eq => Value::Bool(equal(l, r)),
        Comparator::Ne => Value::Bool(!equal(l, r)),
        _ => match (l.as_f64(), r.as_f64()) {
            (Some(a), Some(b)) => Value::Bool(match c {
                Comparator::Lt => a < b,
                Comparator::Le => a <= b,
                Comparator::Gt => a > b,
                _ => a >= b,
            }),
            _ => Value::Null,
        },
    }
}

/// Equality as JSON values, numbers compared by value (`1 == 1.0`).
pub fn equal(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => l == r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static STATUS: Expr = Expr::Projection(
        &Expr::Flatten(&Expr::Field("Connections")),
        &Expr::Field("Status"),
    );

    #[test]
    fn object_projections_take_an_objects_values() {
        // VerificationAttributes.*.VerificationStatus
        static E: Expr = Expr::ObjectProjection(
            &Expr::Field("VerificationAttributes"),
            &Expr::Field("VerificationStatus"),
        );
        let data = json!({"VerificationAttributes": {
            "a@x": {"VerificationStatus": "Success"},
            "b@x": {},
            "c@x": {"VerificationStatus": "Pending"}
        }});
        assert_eq!(E.search(&data), json!(["Success", "Pending"]));
        assert_eq!(
            E.search(&json!({"VerificationAttributes": [1]})),
            Value::Null
        );
    }

    #[test]
    fn projections_drop_nulls() {
        let data = json!({"Connections": [{"Status": "a"}, {}, {"Status": "b"}]});
        assert_eq!(STATUS.search(&data), json!(["a", "b"]));
        assert_eq!(STATUS.search(&json!({})), Value::Null);
    }

    #[test]
    fn filters_lengths_and_logic_follow_jmespath_py() {
        // length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`
        static DEPLOYMENTS: Expr = Expr::Length(&Expr::Field("deployments"));
        static ONE: Expr = Expr::Literal("1");
        static STEADY: Expr = Expr::And(
            &Expr::Compare(Comparator::Eq, &DEPLOYMENTS, &ONE),
            &Expr::Compare(
                Comparator::Eq,
                &Expr::Field("runningCount"),
                &Expr::Field("desiredCount"),
            ),
        );
        static UNSTABLE: Expr = Expr::Filter(
            &Expr::Field("services"),
            &Expr::Not(&STEADY),
            &Expr::Identity,
        );
        static STABLE: Expr = Expr::Compare(
            Comparator::Eq,
            &Expr::Length(&UNSTABLE),
            &Expr::Literal("0"),
        );
        let steady =
            json!({"services": [{"deployments": [1], "runningCount": 2, "desiredCount": 2}]});
        assert_eq!(STABLE.search(&steady), json!(true));
        let rolling =
            json!({"services": [{"deployments": [1, 2], "runningCount": 2, "desiredCount": 2}]});
        assert_eq!(STABLE.search(&rolling), json!(false));
        // `0` is true in JMESPath; ordering of non-numbers is null.
        assert!(!is_false(&json!(0)));
        assert_eq!(
            compare(Comparator::Gt, &json!("b"), &json!("a")),
            Value::Null
        );
        assert_eq!(compare(Comparator::Gt, &json!(2), &json!(1.5)), json!(true));
        static NEGATIVE: Expr = Expr::Index(&Expr::Field("a"), -1);
        assert_eq!(NEGATIVE.search(&json!({"a": [1, 2, 3]})), json!(3));
        assert_eq!(NEGATIVE.search(&json!({"a": []})), Value::Null);
    }
}
