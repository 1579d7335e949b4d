//! Comments where a hand-written spec of the same OpenAPI file says something else: its names,
//! clients, types, required-ness, descriptions, deliberate differences and the comments that
//! explain them, each at the point of the import it concerns, with the hand-written file and
//! line (`# specs/rooms.yaml:183: …`).

use std::collections::{BTreeMap, BTreeSet};

use api_codegen::spec::{self, LoadedSpec};

use super::model::{DefKind, Spec};
use crate::openapi::path_key;

/// Adds the comments to `import`.
pub fn annotate(import: &mut Spec, prev: &LoadedSpec) {
    let cx = Cx { prev };
    let mut pairs: BTreeMap<String, String> = BTreeMap::new();
    let p = &prev.spec;
    let single_client = (p.clients.len() == 1).then(|| p.clients.keys().next().cloned()).flatten();
    let import_single = (import.clients.len() == 1).then(|| import.clients[0].name.clone());
    let mut matched_ops = BTreeSet::new();
    for op in &mut import.operations {
        let found = p.operations.iter().find(|(_, o)| {
            method(o.method) == op.method && path_key(&o.path) == path_key(&op.path)
        });
        let Some((pname, pop)) = found else {
            op.comments
                .push(format!("{}: no operation {} {} there", prev.file, op.method, op.path));
            continue;
        };
        matched_ops.insert(pname.clone());
        let path = format!("operations.{pname}");
        let mut diffs = Vec::new();
        if *pname != op.name {
            diffs.push(format!("named `{pname}`"));
        }
        let pclient = pop.client.clone().or(single_client.clone());
        let iclient = op.client.clone().or(import_single.clone());
        if pclient != iclient {
            if let Some(c) = pclient {
                diffs.push(format!("on `{c}`"));
            }
        }
        if pop.description.trim() != op.description.trim() {
            diffs.push("worded differently".to_owned());
        }
        let prep = format!("{:?}", pop.repeatability).to_ascii_lowercase();
        let irep = op.repeatability.clone().unwrap_or_else(|| "none".to_owned()).replace('-', "");
        if prep != irep {
            diffs.push(format!("repeatability {}", kebab(&prep)));
        }
        for (status, r) in &pop.responses {
            if !r.headers.is_empty() {
                let here: Vec<&str> = op
                    .responses
                    .iter()
                    .filter(|ir| ir.status == *status)
                    .flat_map(|ir| ir.headers.iter().map(|h| h.name.as_str()))
                    .collect();
                let extra: Vec<&str> =
                    r.headers.keys().map(String::as_str).filter(|h| !here.contains(h)).collect();
                if !extra.is_empty() {
                    diffs.push(format!(
                        "its {status} response declares the header {}",
                        extra.join(", ")
                    ));
                }
            }
        }
        if pop.examples.len() != op.examples.len() {
            diffs.push(format!("{} examples", pop.examples.len()));
        }
        if let (Some(pb), Some(ib)) = (&pop.body, &op.body) {
            let (pt, pct, pparam) = body_parts(pb);
            if pct.as_deref() != ib.content_type.as_deref() {
                diffs.push(format!(
                    "its body is sent as {}",
                    pct.unwrap_or_else(|| "application/json".to_owned())
                ));
            }
            let iparam =
                ib.parameter.clone().unwrap_or_else(|| api_codegen::names::lower_camel(&ib.ty));
            let pparam = pparam.unwrap_or_else(|| api_codegen::names::lower_camel(&pt));
            if pparam != iparam {
                diffs.push(format!("its body's example parameter is `{pparam}`"));
            }
            pair_types(&mut pairs, &ib.ty, &pt);
        }
        for r in &op.responses {
            if let (Some(ib), Some(pr)) = (&r.body, pop.responses.get(&r.status)) {
                if let Some(pb) = &pr.body {
                    pair_types(&mut pairs, ib, pb);
                }
            }
        }
        pair_types(&mut pairs, &op.error, &pop.error);
        cx.note(&mut op.comments, &path, &diffs);
        for param in &mut op.parameters {
            let ppath = format!("{path}.parameters.{}", param.name);
            match pop.parameters.get(&param.name) {
                Some(pp) => {
                    let mut d = Vec::new();
                    if pp.ty != param.ty {
                        d.push(format!("type {}", pp.ty));
                    }
                    if pp.required != param.required && format!("{:?}", pp.location) != "Path" {
                        d.push(if pp.required { "required" } else { "optional" }.to_owned());
                    }
                    if pp.description.trim() != param.description.trim() {
                        d.push("worded differently".to_owned());
                    }
                    cx.note(&mut param.comments, &ppath, &d);
                }
                None => {
                    cx.note(&mut param.comments, &path, &["this parameter is not there".to_owned()])
                }
            }
        }
    }
    let missing: Vec<&String> = p.operations.keys().filter(|k| !matched_ops.contains(*k)).collect();
    if !missing.is_empty() {
        import.header.push(format!(
            "{} also has the operations {}, which are not in this import.",
            prev.file,
            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    // Definitions: the same name, or the same place (a body, a response, a property's type).
    for d in &import.definitions {
        if p.definitions.contains_key(&d.name) {
            pairs.entry(d.name.clone()).or_insert_with(|| d.name.clone());
        }
    }
    for _ in 0..8 {
        let before = pairs.len();
        for d in &import.definitions {
            let Some(pn) = pairs.get(&d.name).cloned() else { continue };
            let Some(pd) = p.definitions.get(&pn) else { continue };
            if let DefKind::Object { properties, .. } = &d.kind {
                for ip in properties {
                    if let Some((_, pp)) = find_property(pd, &ip.name) {
                        pair_types(&mut pairs, &ip.ty, &pp);
                    }
                }
            }
        }
        if pairs.len() == before {
            break;
        }
    }
    let mut matched_defs = BTreeSet::new();
    for d in &mut import.definitions {
        let Some(pd_name) = pairs.get(&d.name).cloned() else {
            if !p.definitions.contains_key(&d.name) {
                d.comments.push(format!("{}: not defined there", prev.file));
            }
            continue;
        };
        let Some(pd) = p.definitions.get(&pd_name) else { continue };
        matched_defs.insert(pd_name.clone());
        let path = format!("definitions.{pd_name}");
        let mut diffs = Vec::new();
        if pd_name != d.name {
            diffs.push(format!("named `{pd_name}`"));
        }
        if pd.description.trim() != d.description.trim() {
            diffs.push("worded differently".to_owned());
        }
        match &mut d.kind {
            DefKind::Enum { values, closed } => {
                match &pd.values {
                    Some(pv) => {
                        let worded = values
                            .iter()
                            .filter(|(v, t)| pv.get(v).is_some_and(|pt| pt.trim() != t.trim()))
                            .count();
                        if worded > 0 {
                            diffs.push(format!("{worded} of its values are described differently"));
                        }
                        let extra: Vec<&String> =
                            pv.keys().filter(|k| !values.iter().any(|(v, _)| v == *k)).collect();
                        if !extra.is_empty() {
                            diffs.push(format!("it also has the values {}", join(&extra)));
                        }
                        let gone: Vec<&String> = values
                            .iter()
                            .map(|(v, _)| v)
                            .filter(|v| !pv.contains_key(*v))
                            .collect();
                        if !gone.is_empty() {
                            diffs.push(format!("it has no values {}", join(&gone)));
                        }
                    }
                    None => diffs.push("an object".to_owned()),
                }
                if pd.closed != *closed {
                    diffs.push(if pd.closed { "closed" } else { "extensible" }.to_owned());
                }
            }
            DefKind::Object { extends, properties, union } => {
                if pd.values.is_some() {
                    diffs.push("an enum".to_owned());
                }
                if pd.extends != *extends {
                    diffs.push(match &pd.extends {
                        Some(e) => format!("extends `{e}`"),
                        None => "extends nothing".to_owned(),
                    });
                }
                match (&pd.union, union.as_ref()) {
                    (Some(u), None) => diffs.push(format!("a union on `{}`", u.discriminator)),
                    (None, Some(_)) => diffs.push("not a union".to_owned()),
                    _ => {}
                }
                let mut seen = BTreeSet::new();
                for ip in properties.iter_mut() {
                    let Some((pname, pty)) = find_property(pd, &ip.name) else {
                        if pd.union.as_ref().is_some_and(|u| u.discriminator == ip.name) {
                            continue;
                        }
                        cx.note(
                            &mut ip.comments,
                            &path,
                            &["this property is not there".to_owned()],
                        );
                        continue;
                    };
                    seen.insert(pname.clone());
                    let ppath = format!("{path}.properties.{pname}");
                    let mut d2 = Vec::new();
                    if pname != ip.name {
                        d2.push(format!("named `{pname}`"));
                    }
                    if let Some(pp) = pd.properties.as_ref().and_then(|m| m.get(&pname)) {
                        if !pp.aliases.is_empty() {
                            d2.push(format!("with the aliases {}", pp.aliases.join(", ")));
                        }
                        if pp.required != ip.required {
                            d2.push(if pp.required { "required" } else { "optional" }.to_owned());
                        }
                        if pp.description.trim() != ip.description.trim() {
                            d2.push("worded differently".to_owned());
                        }
                    }
                    if pty != ip.ty && pair_name(&pairs, &ip.ty) != pty {
                        d2.push(format!("type {pty}"));
                    }
                    cx.note(&mut ip.comments, &ppath, &d2);
                }
                let extra: Vec<String> = pd
                    .properties
                    .iter()
                    .flat_map(|m| m.keys())
                    .filter(|k| !seen.contains(*k))
                    .cloned()
                    .collect();
                if !extra.is_empty() {
                    diffs.push(format!("it also has the properties {}", extra.join(", ")));
                }
            }
        }
        cx.note(&mut d.comments, &path, &diffs);
    }
    let others: Vec<&String> = p
        .definitions
        .keys()
        .filter(|k| !matched_defs.contains(*k) && !pairs.values().any(|v| v == *k))
        .collect();
    if !others.is_empty() {
        import.header.push(format!(
            "{} also defines {}, which this import does not.",
            prev.file,
            others.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
}

struct Cx<'a, 'b> {
    prev: &'a LoadedSpec<'b>,
}

impl Cx<'_, '_> {
    /// A comment naming the hand-written file and line and what differs there, with the
    /// deliberate-difference reasons that cover the item.
    fn note(&self, comments: &mut Vec<String>, path: &str, diffs: &[String]) {
        let reasons: Vec<&str> = self
            .prev
            .spec
            .deliberate
            .iter()
            .filter(|d| d.at.iter().any(|a| a == path || a.starts_with(&format!("{path}."))))
            .map(|d| d.reason.as_str())
            .collect();
        if diffs.is_empty() && reasons.is_empty() {
            return;
        }
        let line = self.prev.locations.key(path).line;
        let mut text = format!("{}:{line}: ", self.prev.file);
        if diffs.is_empty() {
            text.push_str("the same");
        } else {
            text.push_str(&diffs.join("; "));
        }
        comments.push(text);
        for r in reasons {
            comments.push(format!("  marked deliberate there: {}", r.trim()));
        }
    }
}

fn method(m: spec::HttpMethod) -> String {
    format!("{m:?}").to_ascii_uppercase()
}

fn kebab(s: &str) -> String {
    match s {
        "requestidonly" => "request-id-only".to_owned(),
        other => other.to_owned(),
    }
}

fn join(items: &[&String]) -> String {
    items.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

fn body_parts(b: &spec::Body) -> (String, Option<String>, Option<String>) {
    match b {
        spec::Body::Type(t) => (t.clone(), None, None),
        spec::Body::Described(d) => (d.ty.clone(), d.content_type.clone(), d.parameter.clone()),
    }
}

/// The definition name inside a type (`list<nullable<Room>>` → `Room`).
fn inner_name(ty: &str) -> &str {
    let mut t = ty.trim();
    loop {
        if let Some(rest) = t.strip_prefix("list<").or_else(|| t.strip_prefix("nullable<")) {
            t = rest.strip_suffix('>').unwrap_or(rest).trim();
        } else if let Some(rest) = t.strip_prefix("map<") {
            let rest = rest.strip_suffix('>').unwrap_or(rest);
            t = rest.split_once(',').map_or(rest, |(_, v)| v).trim();
        } else {
            return t;
        }
    }
}

fn pair_types(pairs: &mut BTreeMap<String, String>, import_ty: &str, prev_ty: &str) {
    let (a, b) = (inner_name(import_ty), inner_name(prev_ty));
    if a.chars().next().is_some_and(char::is_uppercase)
        && b.chars().next().is_some_and(char::is_uppercase)
    {
        pairs.entry(a.to_owned()).or_insert_with(|| b.to_owned());
    }
}

/// `ty` with its definition name replaced by the paired hand-written one.
fn pair_name(pairs: &BTreeMap<String, String>, ty: &str) -> String {
    let inner = inner_name(ty);
    match pairs.get(inner) {
        Some(p) if p != inner => ty.replacen(inner, p, 1),
        _ => ty.to_owned(),
    }
}

/// The hand-written property for a JSON name: by name, by alias, or a union's payload.
fn find_property(d: &spec::Definition, name: &str) -> Option<(String, String)> {
    if let Some(props) = &d.properties {
        if let Some(p) = props.get(name) {
            return Some((name.to_owned(), p.ty.clone()));
        }
        for (k, p) in props {
            if p.aliases.iter().any(|a| a == name) {
                return Some((k.clone(), p.ty.clone()));
            }
        }
    }
    let u = d.union.as_ref()?;
    u.variants.values().find(|v| v.property == name).map(|v| (v.property.clone(), v.ty.clone()))
}
