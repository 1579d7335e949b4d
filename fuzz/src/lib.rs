//! Shared by the fuzz targets: the real specs, and the structured mutations that
//! `spec_mutate` applies to one of them.

use arbitrary::Arbitrary;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The real specs, as `(name, text)`, read when the fuzz targets are built.
pub const SPECS: [(&str, &str); 5] = [
    ("specs/common.yaml", include_str!("../../specs/common.yaml")),
    ("specs/rooms.yaml", include_str!("../../specs/rooms.yaml")),
    ("specs/chat.yaml", include_str!("../../specs/chat.yaml")),
    ("specs/callautomation.yaml", include_str!("../../specs/callautomation.yaml")),
    ("specs/events.yaml", include_str!("../../specs/events.yaml")),
];

/// Words of the spec format that a mutation may drop in: keys, type expressions, scalars and
/// oddities (keywords, non-ASCII, YAML specials).
pub const VOCABULARY: &[&str] = &[
    // keys
    "module",
    "description",
    "imports",
    "clients",
    "operations",
    "definitions",
    "events",
    "api-version",
    "auth",
    "parent",
    "scope",
    "client",
    "method",
    "path",
    "parameters",
    "repeatability",
    "body",
    "paging",
    "items",
    "next-link",
    "responses",
    "headers",
    "error",
    "examples",
    "file",
    "request",
    "response",
    "status",
    "in",
    "type",
    "required",
    "properties",
    "union",
    "discriminator",
    "variants",
    "property",
    "extends",
    "aliases",
    "enum",
    "closed",
    "types",
    "content-type",
    "parameter",
    // types
    "string",
    "boolean",
    "int32",
    "int64",
    "float64",
    "date-time",
    "date-time-rfc1123",
    "uuid",
    "url",
    "number-or-string",
    "json",
    "list<string>",
    "map<string, string>",
    "nullable<string>",
    "list<",
    "map<int32, string>",
    "nullable<nullable<string>>",
    "list<list<RoomModel>>",
    "map<string, nullable<CommunicationIdentifierModel>>",
    "list<>",
    "map<string>",
    "<>",
    // values
    "GET",
    "PUT",
    "POST",
    "PATCH",
    "DELETE",
    "HEAD",
    "standard",
    "none",
    "request-id-only",
    "query",
    "header",
    "true",
    "false",
    "access-key",
    "user-token",
    "entra-id",
    "[common]",
    "[common, common]",
    "[rooms]",
    "/rooms/{roomId}",
    "/{a}/{a}",
    "{",
    "}",
    "{}",
    "[]",
    "/",
    "application/merge-patch+json",
    "text/plain",
    "200",
    "201",
    "204",
    "299",
    "404",
    "0",
    "-1",
    "99999999999999999999",
    "1e400",
    "0x10",
    "2023-10-30-preview",
    // oddities
    "~",
    "null",
    "\"\"",
    "''",
    "self",
    "Self",
    "r#type",
    "crate",
    "super",
    "fn",
    "1abc",
    "_",
    "__",
    "a-b",
    "é",
    "日本",
    "\u{202e}",
    "\\",
    "\\u0000",
    "&anchor",
    "*anchor",
    "<<",
    "!!str",
    "!!binary",
    "? ",
    "- ",
    "|",
    ">",
    "#",
    "---",
    "...",
    "%YAML 1.2",
    "\t",
];

/// The identifier-like words of the real specs (definition, property and operation names…).
pub fn spec_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = BTreeSet::new();
        for (_, text) in SPECS {
            for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                if word.len() > 1 {
                    words.insert(word.to_owned());
                }
            }
        }
        words.into_iter().collect()
    })
}

/// One edit of a spec's text. Positions are taken modulo the current number of lines.
#[derive(Arbitrary, Debug, Clone)]
pub enum Edit {
    /// Removes `count % 8 + 1` lines.
    DeleteLines { at: u16, count: u8 },
    /// Copies a line elsewhere.
    DuplicateLine { from: u16, to: u16 },
    /// Swaps two lines.
    SwapLines { a: u16, b: u16 },
    /// Inserts a line copied from another real spec.
    CopyFromSpec { spec: u8, from: u16, to: u16 },
    /// Replaces one word of a line by a vocabulary word or a real spec's word.
    ReplaceWord { at: u16, word: u16, with: u16 },
    /// Replaces everything after the first `:` of a line.
    ReplaceValue { at: u16, with: u16 },
    /// Changes a line's indentation by `delta` spaces.
    Indent { at: u16, delta: i8 },
    /// Inserts arbitrary text as a line.
    InsertLine { at: u16, text: String },
    /// Inserts arbitrary text inside a line.
    InsertText { at: u16, column: u8, text: String },
    /// Cuts the whole text at a byte (on a character boundary).
    Truncate { at: u32 },
    /// Flips the case of a word's first letter (`Role` ↔ `role`): names that differ only in
    /// case may collide once turned into Rust names.
    FlipCase { at: u16, word: u16 },
}

/// What `spec_mutate` reads from the fuzzer's bytes.
#[derive(Arbitrary, Debug, Clone)]
pub struct SpecMutation {
    /// Which real spec to mutate.
    pub spec: u8,
    /// The edits, applied in order.
    pub edits: Vec<Edit>,
}

fn word(index: u16) -> String {
    let words = spec_words();
    let index = usize::from(index);
    if index % 3 == 0 || words.is_empty() {
        VOCABULARY[index / 3 % VOCABULARY.len()].to_owned()
    } else {
        words[index % words.len()].clone()
    }
}

fn pick(len: usize, at: u16) -> usize {
    if len == 0 {
        0
    } else {
        usize::from(at) % len
    }
}

/// Applies `edits` to `text`.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for edit in edits {
        let len = lines.len();
        match edit {
            Edit::DeleteLines { at, count } => {
                if len > 0 {
                    let start = pick(len, *at);
                    let end = (start + usize::from(*count % 8) + 1).min(len);
                    lines.drain(start..end);
                }
            }
            Edit::DuplicateLine { from, to } => {
                if len > 0 {
                    let line = lines[pick(len, *from)].clone();
                    lines.insert(pick(len + 1, *to), line);
                }
            }
            Edit::SwapLines { a, b } => {
                if len > 0 {
                    lines.swap(pick(len, *a), pick(len, *b));
                }
            }
            Edit::CopyFromSpec { spec, from, to } => {
                let source: Vec<&str> = SPECS[usize::from(*spec) % SPECS.len()].1.lines().collect();
                if !source.is_empty() {
                    let line = source[pick(source.len(), *from)].to_owned();
                    lines.insert(pick(len + 1, *to), line);
                }
            }
            Edit::ReplaceWord { at, word: which, with } => {
                if len > 0 {
                    let line = &mut lines[pick(len, *at)];
                    let spans: Vec<(usize, usize)> = word_spans(line);
                    if !spans.is_empty() {
                        let (start, end) = spans[pick(spans.len(), *which)];
                        line.replace_range(start..end, &word(*with));
                    }
                }
            }
            Edit::ReplaceValue { at, with } => {
                if len > 0 {
                    let line = &mut lines[pick(len, *at)];
                    if let Some(colon) = line.find(':') {
                        line.truncate(colon + 1);
                        line.push(' ');
                        line.push_str(&word(*with));
                    }
                }
            }
            Edit::Indent { at, delta } => {
                if len > 0 {
                    let line = &mut lines[pick(len, *at)];
                    if *delta >= 0 {
                        line.insert_str(0, &" ".repeat(usize::from(delta.unsigned_abs() % 16)));
                    } else {
                        let strip = usize::from(delta.unsigned_abs() % 16);
                        let spaces = line.len() - line.trim_start_matches(' ').len();
                        line.drain(..strip.min(spaces));
                    }
                }
            }
            Edit::InsertLine { at, text } => lines.insert(pick(len + 1, *at), text.clone()),
            Edit::InsertText { at, column, text } => {
                if len > 0 {
                    let line = &mut lines[pick(len, *at)];
                    let mut column = usize::from(*column).min(line.len());
                    while !line.is_char_boundary(column) {
                        column -= 1;
                    }
                    line.insert_str(column, text);
                }
            }
            Edit::FlipCase { at, word: which } => {
                if len > 0 {
                    let line = &mut lines[pick(len, *at)];
                    let spans = word_spans(line);
                    if !spans.is_empty() {
                        let (start, _) = spans[pick(spans.len(), *which)];
                        let first = line[start..].chars().next().unwrap_or('x');
                        let flipped: String = if first.is_uppercase() {
                            first.to_lowercase().collect()
                        } else {
                            first.to_uppercase().collect()
                        };
                        line.replace_range(start..start + first.len_utf8(), &flipped);
                    }
                }
            }
            Edit::Truncate { at } => {
                let mut joined = lines.join("\n");
                if !joined.is_empty() {
                    let mut cut = usize::try_from(*at).unwrap_or(usize::MAX) % joined.len();
                    while !joined.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    joined.truncate(cut);
                }
                lines = joined.lines().map(str::to_owned).collect();
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Byte ranges of the runs of identifier-like characters in `line`.
fn word_spans(line: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        let part = c.is_ascii_alphanumeric() || c == '_' || c == '-';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, line.len()));
    }
    spans
}

/// The sources handed to the generator: every real spec, with the chosen one mutated.
pub fn mutated_sources(mutation: &SpecMutation) -> Vec<api_codegen::SpecSource> {
    let target = usize::from(mutation.spec) % SPECS.len();
    SPECS
        .iter()
        .enumerate()
        .map(|(i, (name, text))| api_codegen::SpecSource {
            name: (*name).to_owned(),
            text: if i == target { apply(text, &mutation.edits) } else { (*text).to_owned() },
        })
        .collect()
}
