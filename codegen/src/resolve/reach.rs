//! Pass 1: the selected operations, what they reach, and which input/output shapes an
//! operation owns (used by it alone, so emitted in its module as `<Op>Input`/`<Op>Output`).

use crate::checked;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub(super) struct Reach {
    /// The selected operations, sorted by name.
    pub ops: Vec<String>,
    /// Shapes reachable from an output or an error (their structures are all-`Option`).
    pub output: BTreeSet<String>,
    /// Every shape reachable from a selected operation.
    pub all: BTreeSet<String>,
    /// Shapes a selected operation lists as an error.
    pub errors: BTreeSet<String>,
    /// Shapes that are a selected operation's output (they carry a request id).
    pub outputs: BTreeSet<String>,
    /// Input/output shapes owned by one operation: shape -> (operation, `Input`/`Output`).
    pub owned: BTreeMap<String, (String, &'static str)>,
}

pub(super) fn analyse(model: &checked::Model<'_>, allow: Option<&[String]>) -> Reach {
    let mut r = Reach {
        ops: selected(model, allow),
        ..Reach::default()
    };
    let mut input = BTreeSet::new();
    for name in &r.ops {
        let Some(op) = model.raw.operations.get(name) else {
            continue;
        };
        if let Some(i) = &op.input {
            walk(model, &i.shape, &mut input);
        }
        if let Some(o) = &op.output {
            r.outputs.insert(o.shape.clone());
            walk(model, &o.shape, &mut r.output);
        }
        for e in &op.errors {
            r.errors.insert(e.shape.clone());
            walk(model, &e.shape, &mut r.output);
        }
    }
    // Generating the whole model, every exception shape is a fault of the service, listed
    // by an operation or not: botocore looks a code up among all of them (issue #11).
    if allow.is_none() {
        for (name, shape) in model.raw.shapes.iter() {
            let structure = matches!(
                model.shape(name).map(|s| &s.kind),
                Some(checked::Kind::Structure { .. })
            );
            if shape.exception && structure {
                r.errors.insert(name.clone());
                walk(model, name, &mut r.output);
            }
        }
    }
    r.all = input.union(&r.output).cloned().collect();
    r.owned = owned(model, &r);
    r
}

fn selected(model: &checked::Model<'_>, allow: Option<&[String]>) -> Vec<String> {
    let names: BTreeSet<String> = match allow {
        Some(a) => a.iter().cloned().collect(),
        None => model
            .raw
            .operations
            .iter()
            .map(|(k, _)| k.clone())
            .collect(),
    };
    names.into_iter().collect()
}

/// Adds every shape reachable from `root` to `acc` (an explicit work list: no recursion
/// that a deep model could overflow).
fn walk(model: &checked::Model<'_>, root: &str, acc: &mut BTreeSet<String>) {
    let mut stack = vec![root.to_string()];
    while let Some(name) = stack.pop() {
        if acc.contains(&name) {
            continue;
        }
        for m in model.children(&name) {
            if !acc.contains(&m.shape) {
                stack.push(m.shape.clone());
            }
        }
        acc.insert(name);
    }
}

/// An operation owns its input or output structure when nothing else in the whole model
/// refers to it (and it is not also a fault).
fn owned(model: &checked::Model<'_>, r: &Reach) -> BTreeMap<String, (String, &'static str)> {
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for name in model.shapes.keys() {
        for m in model.children(name) {
            *uses.entry(m.shape.as_str()).or_default() += 1;
        }
    }
    for (_, op) in model.raw.operations.iter() {
        let refs = op
            .input
            .iter()
            .chain(op.output.iter())
            .chain(op.errors.iter());
        for r in refs {
            *uses.entry(r.shape.as_str()).or_default() += 1;
        }
    }
    let mut owned = BTreeMap::new();
    for name in &r.ops {
        let Some(op) = model.raw.operations.get(name) else {
            continue;
        };
        for (io, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
            let Some(s) = io else { continue };
            if model.is_structure(&s.shape)
                && uses.get(s.shape.as_str()) == Some(&1)
                && !r.errors.contains(&s.shape)
            {
                owned.insert(s.shape.clone(), (name.clone(), suffix));
            }
        }
    }
    owned
}
