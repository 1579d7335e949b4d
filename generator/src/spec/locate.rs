//! Positions of YAML nodes by dotted path, so that errors found after parsing (an unknown type,
//! a clash of names) can still point at the line and column that caused them.
//!
//! Loading a file only scans it for what must always be reported (syntax errors, nesting beyond
//! the limit, keys written twice). The position of every node is indexed the first time a
//! diagnostic asks for one: a valid spec never pays for the index, which on large specs costs
//! more memory than the parsed spec itself.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::Position;

/// How deeply YAML collections may nest; real specs use fewer than 15 levels.
const MAX_NESTING: usize = 64;

/// Where the nodes of one file start, keyed by dotted path
/// (`operations.createRoom.responses.201.body`; sequence items use their index).
#[derive(Debug)]
pub struct Locations<'a> {
    text: &'a str,
    index: OnceCell<Index>,
    duplicates: Vec<(String, Position)>,
}

/// Start positions of every mapping key and value.
#[derive(Debug, Default)]
struct Index {
    keys: HashMap<String, Position>,
    values: HashMap<String, Position>,
}

impl<'a> Locations<'a> {
    /// Scans a YAML document. A syntax error comes back with its position and message.
    pub fn index(text: &'a str) -> Result<Self, (Position, String)> {
        let scan = scan(text, false)?;
        Ok(Locations { text, index: OnceCell::new(), duplicates: scan.duplicates })
    }

    /// Keys written twice in the same mapping, by path, at their second occurrence. Serde keeps
    /// the last value silently, so these are reported separately.
    pub fn duplicate_keys(&self) -> &[(String, Position)] {
        &self.duplicates
    }

    /// Where the value at `path` starts; falls back to its key, then to the nearest parent.
    pub fn value(&self, path: &str) -> Position {
        self.lookup(path, true)
    }

    /// Where the key of `path` is written; falls back to its value, then to the nearest parent.
    pub fn key(&self, path: &str) -> Position {
        self.lookup(path, false)
    }

    fn positions(&self) -> &Index {
        // The text scanned without error when `self` was made, so it scans again the same way.
        self.index.get_or_init(|| scan(self.text, true).map(|s| s.index).unwrap_or_default())
    }

    fn lookup(&self, path: &str, prefer_value: bool) -> Position {
        let index = self.positions();
        let (first, second) =
            if prefer_value { (&index.values, &index.keys) } else { (&index.keys, &index.values) };
        if let Some(p) = first.get(path).or_else(|| second.get(path)) {
            return *p;
        }
        // A missing item is best shown at the key of the nearest parent that exists.
        let mut path = path;
        loop {
            if let Some(p) = index.keys.get(path).or_else(|| index.values.get(path)) {
                return *p;
            }
            match path.rfind('.') {
                Some(dot) => path = &path[..dot],
                None => return Position { line: 1, column: 1 },
            }
        }
    }
}

/// Walks the events of `text`; `record` also indexes the position of every node.
fn scan(text: &str, record: bool) -> Result<Builder, (Position, String)> {
    // Events are pulled one at a time rather than through `Parser::load`, which recurses once
    // per nesting level and so could be made to overflow the stack by a hostile file.
    let mut builder = Builder { record, ..Builder::default() };
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, marker) =
            parser.next_token().map_err(|e| (position(e.marker()), e.info().to_owned()))?;
        if matches!(event, Event::StreamEnd) {
            return Ok(builder);
        }
        builder.on_event(event, marker);
        if builder.stack.len() > MAX_NESTING {
            let message = format!("collections nest deeper than {MAX_NESTING} levels");
            return Err((position(&marker), message));
        }
    }
}

fn position(marker: &Marker) -> Position {
    Position { line: marker.line(), column: marker.col() + 1 }
}

enum Frame {
    Mapping { path: String, pending_key: Option<String>, seen: HashSet<String> },
    Sequence { path: String, next: usize },
}

#[derive(Default)]
struct Builder {
    record: bool,
    index: Index,
    duplicates: Vec<(String, Position)>,
    stack: Vec<Frame>,
}

impl Builder {
    /// The path of the node that starts now, or `None` when it is a mapping key.
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, next }) => {
                let p = join(path, &next.to_string());
                *next += 1;
                Some(p)
            }
            Some(Frame::Mapping { path, pending_key, .. }) => {
                pending_key.take().map(|key| join(path, &key))
            }
        }
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, marker: Marker) {
        let at = position(&marker);
        match event {
            Event::Scalar(text, ..) => match self.next_value_path() {
                Some(path) => {
                    if self.record {
                        self.index.values.insert(path, at);
                    }
                }
                None => {
                    if let Some(Frame::Mapping { path, pending_key, seen }) = self.stack.last_mut()
                    {
                        let key_path = join(path, &text);
                        if !seen.insert(text.clone()) {
                            self.duplicates.push((key_path.clone(), at));
                        }
                        if self.record {
                            // A key written twice points at its last occurrence, whose value
                            // is the one serde keeps.
                            self.index.keys.insert(key_path, at);
                        }
                        *pending_key = Some(text);
                    }
                }
            },
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                // Only scalars get a value position: the parser marks a block collection where
                // it noticed it, not where it starts, so collections are found by their key.
                // A collection used as a mapping key has no useful path; it is indexed as "?".
                let path = self.next_value_path().unwrap_or_else(|| "?".to_owned());
                self.stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Mapping { path, pending_key: None, seen: HashSet::new() }
                } else {
                    Frame::Sequence { path, next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                self.next_value_path();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_values_by_path() {
        let text = "module: rooms\ndefinitions:\n  Room:\n    properties:\n      id: { type: string }\nlist:\n  - a\n  - b\n";
        let l = Locations::index(text).unwrap();
        assert_eq!(l.value("module"), Position { line: 1, column: 9 });
        assert_eq!(l.key("definitions.Room"), Position { line: 3, column: 3 });
        assert_eq!(
            l.value("definitions.Room.properties.id.type"),
            Position { line: 5, column: 19 }
        );
        assert_eq!(l.value("list.1"), Position { line: 8, column: 5 });
        assert_eq!(l.value("definitions.Room.missing"), Position { line: 3, column: 3 });
        assert_eq!(l.value("definitions.Room.properties"), Position { line: 4, column: 5 });
    }

    #[test]
    fn a_key_written_twice_is_reported_once_at_its_second_occurrence() {
        let text = "a:\n  x: 1\n  y: 2\na:\n  x: 3\n  y: 4\nb: [1, 2]\n";
        let l = Locations::index(text).unwrap();
        assert_eq!(l.duplicate_keys(), &[("a".to_owned(), Position { line: 4, column: 1 })]);
        assert_eq!(l.value("a.x"), Position { line: 5, column: 6 });
    }

    #[test]
    fn syntax_errors_and_deep_nesting_are_found_without_indexing() {
        assert!(Locations::index("a: [1, 2\n").is_err());
        let deep = format!("{}1{}", "[".repeat(MAX_NESTING + 1), "]".repeat(MAX_NESTING + 1));
        let (_, message) = Locations::index(&deep).unwrap_err();
        assert!(message.contains("deeper than 64"), "{message}");
    }
}
