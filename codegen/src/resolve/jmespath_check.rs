//! A JMESPath expression checked against the shapes of the output it runs on: every field
//! must be a member where the model says what the value is.

use crate::checked::{self, Kind};
use crate::jmespath::Expr;

/// What an expression can be, as far as the model tells.
#[derive(Debug, Clone)]
enum Type<'a> {
    /// A structure shape (by name).
    Structure(&'a str),
    List(Box<Type<'a>>),
    /// A map, a scalar, a literal, a computed value: nothing more is checked.
    Other,
}

/// Checks `expr` against the structure `root`: every field must be a member where the
/// model says what the value is. Returns what is wrong, naming the member.
pub(super) fn check(model: &checked::Model<'_>, root: &str, expr: &Expr) -> Result<(), String> {
    check_at(model, Type::Structure(root), expr).map(|_| ())
}

fn type_of<'a>(model: &checked::Model<'a>, shape: &'a str) -> Type<'a> {
    match model.shape(shape).map(|s| &s.kind) {
        Some(Kind::Structure { .. }) => Type::Structure(shape),
        Some(Kind::List { member, .. }) => Type::List(Box::new(type_of(model, &member.shape))),
        _ => Type::Other,
    }
}

fn check_at<'a>(model: &checked::Model<'a>, at: Type<'a>, e: &Expr) -> Result<Type<'a>, String> {
    match e {
        Expr::Identity => Ok(at),
        Expr::Field(name) => match at {
            Type::Structure(shape) => {
                let members = match model.shape(shape).map(|s| &s.kind) {
                    Some(Kind::Structure { members, .. }) => *members,
                    _ => &[][..],
                };
                match members.iter().find(|(m, _)| m == name) {
                    Some((_, member)) => Ok(type_of(model, &member.shape)),
                    None => Err(format!("`{shape}` has no member `{name}`")),
                }
            }
            Type::List(_) => Err(format!(
                "`{name}` is read from a list, which has no members (a projection `[]` is missing)"
            )),
            Type::Other => Ok(Type::Other),
        },
        Expr::Sub(l, r) | Expr::Pipe(l, r) => {
            let left = check_at(model, at, l)?;
            check_at(model, left, r)
        }
        Expr::Index(l, _) => match check_at(model, at, l)? {
            Type::List(el) => Ok(*el),
            Type::Other => Ok(Type::Other),
            Type::Structure(s) => Err(format!("`{s}` is a structure, not a list: it has no index")),
        },
        Expr::Flatten(l) => match check_at(model, at, l)? {
            Type::List(el) => match *el {
                Type::List(inner) => Ok(Type::List(inner)),
                other => Ok(Type::List(Box::new(other))),
            },
            Type::Other => Ok(Type::Other),
            Type::Structure(s) => Err(format!(
                "`{s}` is a structure, not a list: it cannot be flattened"
            )),
        },
        Expr::Projection(l, r) => project(model, at, l, r, None),
        // An object's values (a map's, most often): their type is not followed.
        Expr::ObjectProjection(l, r) => match check_at(model, at, l)? {
            Type::List(_) => Err("a list has no values to project with `.*`".into()),
            _ => Ok(Type::List(Box::new(check_at(model, Type::Other, r)?))),
        },
        Expr::Filter(l, cond, r) => project(model, at, l, r, Some(cond)),
        Expr::Literal(_) => Ok(Type::Other),
        Expr::Not(x) | Expr::Length(x) => check_at(model, at, x).map(|_| Type::Other),
        Expr::And(l, r) | Expr::Or(l, r) | Expr::Compare(_, l, r) => {
            check_at(model, at.clone(), l)?;
            check_at(model, at, r)?;
            Ok(Type::Other)
        }
    }
}

fn project<'a>(
    model: &checked::Model<'a>,
    at: Type<'a>,
    left: &Expr,
    right: &Expr,
    cond: Option<&Expr>,
) -> Result<Type<'a>, String> {
    let element = match check_at(model, at, left)? {
        Type::List(el) => *el,
        Type::Other => Type::Other,
        Type::Structure(s) => {
            return Err(format!(
                "`{s}` is a structure, not a list: it cannot be projected"
            ))
        }
    };
    if let Some(cond) = cond {
        check_at(model, element.clone(), cond)?;
    }
    Ok(Type::List(Box::new(check_at(model, element, right)?)))
}
