//! The graph of struct-typed fields across modules, and the fields that must be boxed because a
//! struct can reach itself through them.

use std::collections::{HashMap, HashSet};

use super::*;

/// The graph of struct-typed fields of every module, with structs numbered in the order they
/// are first seen (as a struct or as a field's type).
#[derive(Default)]
pub(super) struct StructGraph {
    ids: HashMap<(String, String), usize>,
    /// Per node: (field index, node of the field's type).
    fields: Vec<Vec<(usize, usize)>>,
    /// Whether a struct of that name was added (a name two structs share, an error reported
    /// elsewhere, keeps the first).
    defined: Vec<bool>,
}

impl StructGraph {
    pub(super) fn id(&mut self, module: &str, name: &str) -> usize {
        if let Some(&id) = self.ids.get(&(module.to_owned(), name.to_owned())) {
            return id;
        }
        let id = self.fields.len();
        self.ids.insert((module.to_owned(), name.to_owned()), id);
        self.fields.push(Vec::new());
        self.defined.push(false);
        id
    }

    /// Adds the struct `name` of `module` with its fields.
    pub(super) fn add(&mut self, module: &str, name: &str, fields: &[Field]) {
        let from = self.id(module, name);
        if std::mem::replace(&mut self.defined[from], true) {
            return;
        }
        for (index, f) in fields.iter().enumerate() {
            if let Type::Named(n) = &f.ty {
                if !n.is_enum {
                    let to = self.id(&n.module, &n.name);
                    self.fields[from].push((index, to));
                }
            }
        }
    }

    /// The fields to box, as (module, struct, field index); see [`Self::recursive_fields`].
    pub(super) fn recursive(&self) -> HashSet<(String, String, usize)> {
        let mut names = vec![None; self.fields.len()];
        for ((module, name), &id) in &self.ids {
            names[id] = Some((module, name));
        }
        self.recursive_fields()
            .into_iter()
            .filter_map(|(node, index)| {
                let (module, name) = names[node]?;
                Some((module.clone(), name.clone(), index))
            })
            .collect()
    }

    /// The fields to box: those whose struct type can reach back to the struct that holds
    /// them, i.e. both lie in one strongly connected component (not through `Vec` or maps,
    /// which already allocate). Components are found once, in time linear in the specs.
    pub(super) fn recursive_fields(&self) -> HashSet<(usize, usize)> {
        let edges: Vec<Vec<usize>> =
            self.fields.iter().map(|fs| fs.iter().map(|&(_, to)| to).collect()).collect();
        let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
        for (from, tos) in edges.iter().enumerate() {
            for &to in tos {
                reverse[to].push(from);
            }
        }
        let component = strongly_connected_components(&edges, &reverse);
        let mut boxed = HashSet::new();
        for (from, fields) in self.fields.iter().enumerate() {
            for &(index, to) in fields {
                if component[to] == component[from] {
                    boxed.insert((from, index));
                }
            }
        }
        boxed
    }
}

/// The component number of every node (Kosaraju's algorithm, without recursion).
fn strongly_connected_components(edges: &[Vec<usize>], reverse: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&to) = edges[*node].get(*next) {
                *next += 1;
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &root in order.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = count;
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = count;
                    stack.push(from);
                }
            }
        }
        count += 1;
    }
    component
}

impl Lowering<'_> {
    /// The struct-typed fields to box, read off every object definition before any module is
    /// lowered, so that each field is built boxed or not once and for all.
    pub(super) fn recursive_fields(&mut self) -> HashSet<(String, String, usize)> {
        let mut graph = StructGraph::default();
        let specs = self.specs;
        for spec in specs {
            let Ok(module) = names::module_name(&spec.spec.module) else { continue };
            for (def_name, def) in &spec.spec.definitions {
                let owned = self.symbols.get(def_name).is_some_and(|s| s.file == spec.file);
                if def.properties.is_none() || !owned {
                    continue;
                }
                let Ok(name) = names::type_name(def_name) else { continue };
                let fields = self.fields(spec, def_name, false);
                graph.add(&module, &name, &fields);
            }
        }
        graph.recursive()
    }
}
