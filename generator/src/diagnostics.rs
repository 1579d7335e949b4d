//! Spec errors that a person can act on: every error carries the file, line and column it came
//! from and the YAML path of the item, and all of them are collected before anything is written.

use std::fmt;

/// A position in a spec file; line and column are 1-based, as editors show them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One error in a spec.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The spec file as given to the generator (for example `specs/rooms.yaml`).
    pub file: String,
    /// Where in the file.
    pub position: Position,
    /// The dotted YAML path of the item (`operations.createRoom.body`); empty for whole-file errors.
    pub path: String,
    /// Lower-case message without a trailing period.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.position.line, self.position.column)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// Every error found in one run, sorted by file and position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one error.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when no error was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors, sorted by file, position and message.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort();
        self.0.dedup();
        self.0
    }

    /// Returns `Err` with the sorted errors when there are any.
    pub fn finish(self) -> Result<(), Vec<Diagnostic>> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.into_sorted())
        }
    }
}

/// Suggests the candidate closest to `name`, for "did you mean" hints on misspelt references.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.len() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name_and_nothing_when_far() {
        let names = ["ChatThreadProperties", "ChatParticipant", "RoomModel"];
        assert_eq!(suggest("ChatThreadProperty", names), Some("ChatThreadProperties"));
        assert_eq!(suggest("Unrelated", names), None);
    }
}
