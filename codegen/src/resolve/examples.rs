//! Pass 6: the model's examples (`examples-1.json`) as typed values of the operations'
//! input types, for the emitters to write as Rust. An example whose input does not fit
//! the model (a member it lacks, a value of the wrong type) is left out: examples are
//! documentation, and a stale one must not stop a build.

use super::docs;
use crate::ir::{self, Example, ExampleValue, Io, RustType, TypeDef, TypeKind, TypeRef};
use crate::model::{Companion, ExamplesFile};
use serde_json::Value;

pub(super) fn attach(service: &mut ir::Service, file: Option<&Companion<ExamplesFile>>) {
    let Some(file) = file else {
        return;
    };
    let examples: Vec<Vec<Example>> = {
        let index = Index::new(service);
        service
            .operations
            .iter()
            .map(|op| {
                let raw = file
                    .content
                    .examples
                    .get(&op.name)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let input = match &op.input {
                    Io::Owned(def) | Io::Empty(def) => Some(def),
                    Io::Alias(r) => index.get(r),
                };
                raw.iter()
                    .filter_map(|e| {
                        let json = e.input.clone().unwrap_or(Value::Object(Default::default()));
                        Some(Example {
                            title: e.title.clone(),
                            docs: docs(&e.description),
                            input: index.structure(input?, &json)?,
                        })
                    })
                    .collect()
            })
            .collect()
    };
    for (op, examples) in service.operations.iter_mut().zip(examples) {
        op.examples = examples;
    }
}

/// Every type definition, found by where it lives.
struct Index<'a> {
    defs: Vec<&'a TypeDef>,
}

impl<'a> Index<'a> {
    fn new(s: &'a ir::Service) -> Self {
        let mut defs: Vec<&TypeDef> = s.types.iter().chain(&s.errors).collect();
        for op in &s.operations {
            for io in [&op.input, &op.output] {
                if let Io::Owned(d) | Io::Empty(d) = io {
                    defs.push(d);
                }
            }
        }
        Index { defs }
    }

    fn get(&self, r: &TypeRef) -> Option<&'a TypeDef> {
        self.defs
            .iter()
            .copied()
            .find(|d| d.module == r.module && d.name == r.name)
    }

    fn value(&self, ty: &RustType, json: &Value) -> Option<ExampleValue> {
        Some(match (ty, json) {
            (RustType::String, Value::String(s)) => ExampleValue::String(s.clone()),
            (RustType::Bool, Value::Bool(b)) => ExampleValue::Bool(*b),
            (RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64, Value::Number(n)) => {
                ExampleValue::Integer(n.as_i64()?)
            }
            (RustType::F32 | RustType::F64, Value::Number(n)) => ExampleValue::Float(n.as_f64()?),
            (RustType::Timestamp(_), Value::String(s)) => ExampleValue::Timestamp(s.clone()),
            (RustType::Blob, Value::String(s)) => ExampleValue::Blob(s.clone()),
            (RustType::Document, v) => ExampleValue::Document(v.clone()),
            (RustType::List(inner), Value::Array(items)) => ExampleValue::List(
                items
                    .iter()
                    .map(|v| self.value(inner, v))
                    .collect::<Option<_>>()?,
            ),
            (RustType::Map(_, v), Value::Object(entries)) => ExampleValue::Map(
                entries
                    .iter()
                    .map(|(k, x)| Some((k.clone(), self.value(v, x)?)))
                    .collect::<Option<_>>()?,
            ),
            (RustType::Named { target, .. }, json) => {
                let def = self.get(target)?;
                match (&def.kind, json) {
                    (TypeKind::Enum { .. }, Value::String(s)) => ExampleValue::Enum {
                        ty: target.clone(),
                        value: s.clone(),
                    },
                    (TypeKind::Union { variants }, Value::Object(m)) if m.len() == 1 => {
                        let (wire, v) = m.iter().next()?;
                        let variant = variants.iter().find(|x| x.wire == *wire)?;
                        ExampleValue::Union {
                            ty: target.clone(),
                            variant: variant.name.clone(),
                            value: Box::new(self.value(&variant.ty, v)?),
                        }
                    }
                    (TypeKind::Struct(_), _) => self.structure(def, json)?,
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    /// A structure from a JSON object: required members to `new`, the others by setter.
    fn structure(&self, def: &TypeDef, json: &Value) -> Option<ExampleValue> {
        let (TypeKind::Struct(s), Value::Object(members)) = (&def.kind, json) else {
            return None;
        };
        let mut required = Vec::new();
        for f in s.fields.iter().filter(|f| f.constructor_arg) {
            required.push((f.name.clone(), self.value(&f.ty, members.get(&f.wire)?)?));
        }
        let mut setters = Vec::new();
        for (wire, v) in members {
            let f = s.fields.iter().find(|f| f.wire == *wire)?;
            if !f.constructor_arg && !v.is_null() {
                setters.push((f.setter.clone(), self.value(&f.ty, v)?));
            }
        }
        Some(ExampleValue::Struct {
            ty: TypeRef {
                module: def.module.clone(),
                name: def.name.clone(),
            },
            constructor: s.constructor.clone(),
            required,
            setters,
        })
    }
}
