//! Pass 2: where every emitted type lives and what it is called, and which references
//! are boxed. All names come from `naming`; a clash is a typed error, never a rename.

use super::claim;
use super::reach::Reach;
use crate::checked::{self, Kind};
use crate::error::{Location, Result};
use crate::ir::{Module, TypeRef};
use crate::naming::{self, Scope};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub(super) struct Locations {
    /// Every emitted named shape (structures, unions, string enums): its final place.
    by_shape: BTreeMap<String, TypeRef>,
    /// Direct (not through a list or map) references between structures and unions.
    direct_edges: BTreeMap<String, BTreeSet<String>>,
}

impl Locations {
    pub fn get(&self, shape: &str) -> Option<&TypeRef> {
        self.by_shape.get(shape)
    }

    /// Whether a direct reference `from -> to` closes a cycle (then it is boxed).
    pub fn closes_cycle(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![to];
        while let Some(n) = stack.pop() {
            if n == from {
                return true;
            }
            if !seen.insert(n) {
                continue;
            }
            if let Some(next) = self.direct_edges.get(n) {
                stack.extend(next.iter().map(String::as_str));
            }
        }
        false
    }
}

pub(super) fn assign(model: &checked::Model<'_>, reach: &Reach) -> Result<Locations> {
    let mut locations = Locations::default();
    let mut types = Scope::default();
    let mut errors = Scope::with_reserved(&[("Unhandled", "the unhandled-error variant")]);
    let mut modules = Scope::default();
    for op in &reach.ops {
        claim(&mut modules, &naming::module_name(op), op, || {
            Location::shape(model.file, op)
        })?;
    }
    for shape_name in &reach.all {
        let Some(shape) = model.shape(shape_name) else {
            continue;
        };
        let named = matches!(
            shape.kind,
            Kind::Structure { .. } | Kind::Union { .. } | Kind::Enum { .. }
        );
        if !named {
            continue;
        }
        let at = || Location::shape(model.file, shape_name);
        let place = if let Some((op, suffix)) = reach.owned.get(shape_name) {
            TypeRef {
                module: Module::Operation(naming::module_name(op)),
                name: naming::operation_type_name(op, suffix),
            }
        } else if reach.errors.contains(shape_name) || shape.raw.exception {
            let name = naming::type_name(shape_name);
            claim(&mut errors, &name, shape_name, at)?;
            TypeRef {
                module: Module::Errors,
                name,
            }
        } else {
            let name = naming::type_name(shape_name);
            claim(&mut types, &name, shape_name, at)?;
            if needs_required_struct(shape) {
                let required = naming::required_struct_name(&name);
                claim(
                    &mut types,
                    &required,
                    &format!("the required members of `{shape_name}`"),
                    at,
                )?;
            }
            TypeRef {
                module: Module::Types,
                name,
            }
        };
        locations.by_shape.insert(shape_name.clone(), place);
        if matches!(shape.kind, Kind::Structure { .. } | Kind::Union { .. }) {
            let targets = model
                .children(shape_name)
                .into_iter()
                .filter(|m| {
                    matches!(
                        model.shape(&m.shape).map(|s| &s.kind),
                        Some(Kind::Structure { .. } | Kind::Union { .. })
                    )
                })
                .map(|m| m.shape.clone())
                .collect();
            locations.direct_edges.insert(shape_name.clone(), targets);
        }
    }
    Ok(locations)
}

/// Whether a structure is built with `new(<Name>Required { .. })`: one with two or
/// more members the model requires.
pub(super) fn needs_required_struct(shape: &checked::Shape<'_>) -> bool {
    matches!(&shape.kind, Kind::Structure { required, .. } if required.len() >= 2)
}
