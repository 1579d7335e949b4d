//! How far an import is from a hand-written spec: the lines a person would edit.
//!
//! Both specs are read as YAML and written one scalar per line (`operations.createRoom.method:
//! POST`, maps in key order, a folded description as one line, comments and layout gone), so
//! only what a spec says is compared, not how it is laid out. The hand-written spec's lines that
//! the import does not have are the lines someone wrote or changed by hand.

use std::collections::BTreeMap;

/// The result of [`hand_edits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandEdits {
    /// Lines of the hand-written spec that are not in the import: added or changed by hand.
    pub edited: usize,
    /// Of those, the lines under `examples` (inline request and response bodies).
    pub in_examples: usize,
    /// Lines of the import that the hand-written spec does not keep.
    pub dropped: usize,
    /// All lines of the hand-written spec.
    pub total: usize,
}

/// Compares an import with the hand-written spec of the same API.
pub fn hand_edits(import: &str, hand: &str) -> Result<HandEdits, String> {
    let mut import_value: serde_yaml::Value =
        serde_yaml::from_str(import).map_err(|e| format!("not YAML: {e}"))?;
    let hand_value: serde_yaml::Value =
        serde_yaml::from_str(hand).map_err(|e| format!("not YAML: {e}"))?;
    // An operation renamed by hand is one edit, not one per line of it.
    let renamed = rename_operations(&mut import_value, &hand_value);
    let ours = lines_of(&import_value);
    let theirs = lines_of(&hand_value);
    let mut pool: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &ours {
        *pool.entry(l.as_str()).or_default() += 1;
    }
    let mut edited = 0;
    let mut in_examples = 0;
    for l in &theirs {
        match pool.get_mut(l.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                edited += 1;
                if l.contains(".examples.") {
                    in_examples += 1;
                }
            }
        }
    }
    edited += renamed;
    Ok(HandEdits { edited, in_examples, dropped: pool.values().sum(), total: theirs.len() })
}

/// Gives the import's operations the hand-written names of the operations with the same method
/// and path; returns how many it renamed.
fn rename_operations(import: &mut serde_yaml::Value, hand: &serde_yaml::Value) -> usize {
    let key = |op: &serde_yaml::Value| {
        let method = op.get("method").and_then(|m| m.as_str()).unwrap_or("").to_owned();
        let path = op.get("path").and_then(|p| p.as_str()).unwrap_or("");
        (method, crate::openapi::path_key(path))
    };
    let Some(hand_ops) = hand.get("operations").and_then(|o| o.as_mapping()) else { return 0 };
    let Some(ops) = import.get_mut("operations").and_then(|o| o.as_mapping_mut()) else {
        return 0;
    };
    let mut renamed = 0;
    let mut out = serde_yaml::Mapping::new();
    for (name, op) in std::mem::take(ops) {
        let hand_name = hand_ops.iter().find(|(_, h)| key(h) == key(&op)).map(|(n, _)| n.clone());
        match hand_name {
            Some(h) if h != name => {
                renamed += 1;
                out.insert(h, op);
            }
            _ => {
                out.insert(name, op);
            }
        }
    }
    *ops = out;
    renamed
}

/// A spec as `path: value` lines.
fn lines_of(value: &serde_yaml::Value) -> Vec<String> {
    let mut out = Vec::new();
    flatten("", value, &mut out);
    out.sort();
    out
}

fn flatten(path: &str, v: &serde_yaml::Value, out: &mut Vec<String>) {
    use serde_yaml::Value as Y;
    let join = |k: &str| if path.is_empty() { k.to_owned() } else { format!("{path}.{k}") };
    match v {
        Y::Mapping(m) => {
            if m.is_empty() {
                out.push(format!("{path}: {{}}"));
            }
            for (k, v) in m {
                flatten(&join(&scalar(k)), v, out);
            }
        }
        Y::Sequence(s) => {
            if s.is_empty() {
                out.push(format!("{path}: []"));
            }
            for (i, v) in s.iter().enumerate() {
                flatten(&join(&i.to_string()), v, out);
            }
        }
        Y::Tagged(t) => flatten(path, &t.value, out),
        other => out.push(format!("{path}: {}", scalar(other))),
    }
}

fn scalar(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        serde_yaml::Value::Null => "null".to_owned(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_comments_do_not_count_only_what_the_spec_says() {
        let import = "a: { x: 1, d: Some text. }\nb: [p, q]\n";
        let hand = "# a comment\nb:\n  - p\n  - q\na:\n  d: >-\n    Some\n    text.\n  x: 2\n";
        let edits = hand_edits(import, hand).unwrap();
        assert_eq!(edits, HandEdits { edited: 1, in_examples: 0, dropped: 1, total: 4 });
    }
}
