//! The imported spec as YAML text, in the style of the hand-written specs: flow mappings
//! (`{ type: string, required: true, description: … }`) for items that fit on a line, block
//! style otherwise, long descriptions folded with `>-`.

use super::model::{Body, DefKind, Definition, Operation, Parameter, Property, Response, Spec};
use super::yaml::{block_text, scalar, Context};

/// Lines up to this width are written as flow mappings.
const FLOW_WIDTH: usize = 120;
/// Folded descriptions wrap at this width.
const TEXT_WIDTH: usize = 100;

/// The spec as YAML.
pub fn spec(s: &Spec) -> String {
    let mut out = String::new();
    for line in &s.header {
        wrapped_comment(&mut out, 0, line);
    }
    out.push_str(&format!("module: {}\n", scalar(&s.module, Context::Block)));
    block_text(&mut out, 0, "description", &s.description, TEXT_WIDTH);
    if !s.imports.is_empty() {
        let list: Vec<String> = s.imports.iter().map(|i| scalar(i, Context::Flow)).collect();
        out.push_str(&format!("imports: [{}]\n", list.join(", ")));
    }
    out.push_str(&format!("source: {}\n", scalar(&s.source, Context::Block)));
    if !s.deliberate.is_empty() {
        out.push_str("deliberate:\n");
        for (reason, at) in &s.deliberate {
            let list: Vec<String> = at.iter().map(|a| scalar(a, Context::Flow)).collect();
            out.push_str(&format!("  - at: [{}]\n", list.join(", ")));
            block_text(&mut out, 4, "reason", reason, TEXT_WIDTH);
        }
    }
    if !s.clients.is_empty() {
        out.push_str("\nclients:\n");
        for c in &s.clients {
            comments(&mut out, 2, &c.comments);
            out.push_str(&format!("  {}:\n", key(&c.name)));
            block_text(&mut out, 4, "description", &c.description, TEXT_WIDTH);
            if let Some(v) = &c.api_version {
                out.push_str(&format!("    api-version: {}\n", version(v)));
            }
            if !c.auth.is_empty() {
                out.push_str(&format!("    auth: [{}]\n", c.auth.join(", ")));
            }
            if let Some(p) = &c.parent {
                out.push_str(&format!("    parent: {}\n", scalar(p, Context::Block)));
            }
            if !c.scope.is_empty() {
                out.push_str("    scope:\n");
                for p in &c.scope {
                    parameter(&mut out, 6, p);
                }
            }
        }
    }
    if !s.operations.is_empty() {
        out.push_str("\noperations:\n");
        for (i, op) in s.operations.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            operation(&mut out, op);
        }
    }
    if !s.definitions.is_empty() || !s.reused.is_empty() {
        out.push_str("\ndefinitions:\n");
        if !s.reused.is_empty() {
            let mut by_file: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
            for (name, file) in &s.reused {
                by_file.entry(file.as_str()).or_default().push(name.as_str());
            }
            for (file, names) in by_file {
                let text = format!("Defined in {file}, not repeated here: {}.", names.join(", "));
                wrapped_comment(&mut out, 2, &text);
            }
            if !s.definitions.is_empty() {
                out.push('\n');
            }
        }
        for (i, d) in s.definitions.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            definition(&mut out, d);
        }
    }
    out
}

/// An api-version, quoted when YAML 1.1 readers would take it for a date.
fn version(v: &str) -> String {
    let date = v.len() == 10
        && v.chars()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    if date {
        format!("\"{v}\"")
    } else {
        scalar(v, Context::Block)
    }
}

fn key(k: &str) -> String {
    scalar(k, Context::Block)
}

fn comment(out: &mut String, indent: usize, text: &str) {
    for line in text.split('\n') {
        out.push_str(&" ".repeat(indent));
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line.trim_end());
        }
        out.push('\n');
    }
}

fn comments(out: &mut String, indent: usize, lines: &[String]) {
    for line in lines {
        wrapped_comment(out, indent, line);
    }
}

/// A comment, wrapped at the text width (its continuation lines indented by two).
fn wrapped_comment(out: &mut String, indent: usize, text: &str) {
    let text = text.replace('\n', " ");
    let mut line = String::new();
    let mut first = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let lead = if first { 0 } else { 2 };
        if !line.is_empty() && indent + 2 + lead + line.len() + 1 + word.len() > TEXT_WIDTH {
            comment(out, indent, &format!("{}{line}", " ".repeat(lead)));
            line.clear();
            first = false;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let lead = if first { 0 } else { 2 };
        comment(out, indent, &format!("{}{line}", " ".repeat(lead)));
    }
}

/// `name: { k: v, … }` when it fits on a line; `None` otherwise. `name` is written as given.
fn flow(indent: usize, name: &str, fields: &[(&str, String)]) -> Option<String> {
    // `map<string, T>` needs quotes inside `{ }`; the hand-written specs write it in block style.
    if fields.iter().any(|(k, v)| *k == "type" && v.starts_with('"')) {
        return None;
    }
    let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let line = format!("{}{name}: {{ {} }}\n", " ".repeat(indent), inner.join(", "));
    (line.chars().count() <= FLOW_WIDTH + 1).then_some(line)
}

fn parameter(out: &mut String, indent: usize, p: &Parameter) {
    comments(out, indent, &p.comments);
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(l) = &p.location {
        fields.push(("in", l.clone()));
    }
    fields.push(("type", scalar(&p.ty, Context::Flow)));
    if p.required {
        fields.push(("required", "true".to_owned()));
    }
    fields.push(("description", scalar(&p.description, Context::Flow)));
    if let Some(line) = flow(indent, &key(&p.name), &fields) {
        out.push_str(&line);
        return;
    }
    let pad = " ".repeat(indent + 2);
    out.push_str(&format!("{}{}:\n", " ".repeat(indent), key(&p.name)));
    if let Some(l) = &p.location {
        out.push_str(&format!("{pad}in: {l}\n"));
    }
    out.push_str(&format!("{pad}type: {}\n", scalar(&p.ty, Context::Block)));
    if p.required {
        out.push_str(&format!("{pad}required: true\n"));
    }
    block_text(out, indent + 2, "description", &p.description, TEXT_WIDTH);
}

fn operation(out: &mut String, op: &Operation) {
    comments(out, 2, &op.comments);
    out.push_str(&format!("  {}:\n", key(&op.name)));
    if let Some(c) = &op.client {
        out.push_str(&format!("    client: {}\n", scalar(c, Context::Block)));
    }
    block_text(out, 4, "description", &op.description, TEXT_WIDTH);
    out.push_str(&format!("    method: {}\n", op.method));
    out.push_str(&format!("    path: {}\n", scalar(&op.path, Context::Block)));
    if !op.parameters.is_empty() {
        out.push_str("    parameters:\n");
        for p in &op.parameters {
            parameter(out, 6, p);
        }
    }
    if let Some(r) = &op.repeatability {
        out.push_str(&format!("    repeatability: {r}\n"));
    }
    if let Some(b) = &op.body {
        body(out, b);
    }
    if let Some((items, next)) = &op.paging {
        out.push_str(&format!(
            "    paging: {{ items: {}, next-link: {} }}\n",
            scalar(items, Context::Flow),
            scalar(next, Context::Flow)
        ));
    }
    if op.long_running {
        out.push_str("    long-running: {}\n");
    }
    out.push_str("    responses:\n");
    for r in &op.responses {
        response(out, r);
    }
    out.push_str(&format!("    error: {}\n", scalar(&op.error, Context::Block)));
    if !op.examples.is_empty() {
        out.push_str("    examples:\n");
        for e in &op.examples {
            comments(out, 6, &e.comments);
            out.push_str(&format!("      {}:\n", key(&e.title)));
            out.push_str(&format!("        file: {}\n", scalar(&e.file, Context::Block)));
        }
    }
}

fn body(out: &mut String, b: &Body) {
    comments(out, 4, &b.comments);
    let mut fields = vec![
        ("type", scalar(&b.ty, Context::Flow)),
        ("description", scalar(&b.description, Context::Flow)),
    ];
    if let Some(c) = &b.content_type {
        fields.push(("content-type", scalar(c, Context::Flow)));
    }
    if let Some(p) = &b.parameter {
        fields.push(("parameter", scalar(p, Context::Flow)));
    }
    if b.content_type.is_none() && b.parameter.is_none() {
        if let Some(line) = flow(4, "body", &fields) {
            out.push_str(&line);
            return;
        }
    }
    out.push_str("    body:\n");
    out.push_str(&format!("      type: {}\n", scalar(&b.ty, Context::Block)));
    block_text(out, 6, "description", &b.description, TEXT_WIDTH);
    if let Some(c) = &b.content_type {
        out.push_str(&format!("      content-type: {}\n", scalar(c, Context::Block)));
    }
    if let Some(p) = &b.parameter {
        out.push_str(&format!("      parameter: {}\n", scalar(p, Context::Block)));
    }
}

fn response(out: &mut String, r: &Response) {
    comments(out, 6, &r.comments);
    let status = r.status.to_string();
    if r.headers.is_empty() {
        let mut fields = vec![("description", scalar(&r.description, Context::Flow))];
        if let Some(b) = &r.body {
            fields.push(("body", scalar(b, Context::Flow)));
        }
        if let Some(line) = flow(6, &status, &fields).filter(|l| l.len() <= 101) {
            out.push_str(&line);
            return;
        }
    }
    out.push_str(&format!("      {status}:\n"));
    block_text(out, 8, "description", &r.description, TEXT_WIDTH);
    if let Some(b) = &r.body {
        out.push_str(&format!("        body: {}\n", scalar(b, Context::Block)));
    }
    if !r.headers.is_empty() {
        out.push_str("        headers:\n");
        for h in &r.headers {
            let p = Parameter {
                comments: h.comments.clone(),
                name: h.name.clone(),
                location: None,
                ty: h.ty.clone(),
                required: false,
                description: h.description.clone(),
            };
            parameter(out, 10, &p);
        }
    }
}

fn definition(out: &mut String, d: &Definition) {
    comments(out, 2, &d.comments);
    out.push_str(&format!("  {}:\n", key(&d.name)));
    block_text(out, 4, "description", &d.description, TEXT_WIDTH);
    match &d.kind {
        DefKind::Enum { values, closed } => {
            if *closed {
                out.push_str("    closed: true\n");
            }
            out.push_str("    enum:\n");
            for (v, text) in values {
                block_text(out, 6, &key(v), text, TEXT_WIDTH);
            }
        }
        DefKind::Object { extends, properties, union } => {
            if let Some(e) = extends {
                out.push_str(&format!("    extends: {}\n", scalar(e, Context::Block)));
            }
            if properties.is_empty() {
                out.push_str("    properties: {}\n");
            } else {
                out.push_str("    properties:\n");
                for p in properties {
                    property(out, p);
                }
            }
            if let Some(u) = union {
                out.push_str("    union:\n");
                out.push_str(&format!(
                    "      discriminator: {}\n",
                    scalar(&u.discriminator, Context::Block)
                ));
                out.push_str("      variants:\n");
                for v in &u.variants {
                    let fields = [
                        ("property", scalar(&v.property, Context::Flow)),
                        ("type", scalar(&v.ty, Context::Flow)),
                        ("description", scalar(&v.description, Context::Flow)),
                    ];
                    match flow(8, &key(&v.value), &fields) {
                        Some(line) => out.push_str(&line),
                        None => {
                            out.push_str(&format!("        {}:\n", key(&v.value)));
                            out.push_str(&format!(
                                "          property: {}\n",
                                scalar(&v.property, Context::Block)
                            ));
                            out.push_str(&format!(
                                "          type: {}\n",
                                scalar(&v.ty, Context::Block)
                            ));
                            block_text(out, 10, "description", &v.description, TEXT_WIDTH);
                        }
                    }
                }
            }
        }
    }
}

fn property(out: &mut String, p: &Property) {
    comments(out, 6, &p.comments);
    let mut fields = vec![("type", scalar(&p.ty, Context::Flow))];
    if p.required {
        fields.push(("required", "true".to_owned()));
    }
    fields.push(("description", scalar(&p.description, Context::Flow)));
    if let Some(line) = flow(6, &key(&p.name), &fields) {
        out.push_str(&line);
        return;
    }
    out.push_str(&format!("      {}:\n", key(&p.name)));
    out.push_str(&format!("        type: {}\n", scalar(&p.ty, Context::Block)));
    if p.required {
        out.push_str("        required: true\n");
    }
    block_text(out, 8, "description", &p.description, TEXT_WIDTH);
}
