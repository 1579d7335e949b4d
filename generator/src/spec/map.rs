//! [`Map`]: the spec's mappings, read-only after parsing.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

/// A YAML mapping as a vector sorted by key: iterates in key order and finds keys by binary
/// search, like a `BTreeMap`, at a fraction of its memory for the small maps specs are made of
/// (a `BTreeMap` node holds room for eleven entries however few it has). A key written twice
/// keeps its last value, as serde does for a `BTreeMap`; the duplicate is reported separately.
///
/// It also remembers the order the keys were written in, for what follows the spec's order
/// (struct fields): see [`Map::iter_in_written_order`].
#[derive(Clone, PartialEq, Eq)]
pub struct Map<K, V> {
    entries: Vec<(K, V)>,
    /// Indices into `entries`, in the order the keys were written.
    written: Box<[u32]>,
}

/// An iterator over the entries of a [`Map`], in key order.
pub type Iter<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&(K, V)) -> (&K, &V)>;

impl<K: Ord, V> Map<K, V> {
    /// The value for `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.get_key_value(key).map(|(_, v)| v)
    }

    /// The stored key and the value for `key`.
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        let i = self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key)).ok()?;
        let (k, v) = &self.entries[i];
        Some((k, v))
    }

    /// Whether `key` is present.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get_key_value(key).is_some()
    }
}

impl<K, V> Map<K, V> {
    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The entries in the order their keys were written (a key written twice counts where it
    /// was last written).
    pub fn iter_in_written_order(&self) -> impl Iterator<Item = (&K, &V)> {
        self.written.iter().map(|&i| {
            let (k, v) = &self.entries[i as usize];
            (k, v)
        })
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Map<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut entries: Vec<(K, V, u32)> =
            entries.into_iter().enumerate().map(|(i, (k, v))| (k, v, i as u32)).collect();
        // Stable, so that of equal keys the last written stays last; `dedup_by` keeps the first
        // of a run, so swap it to the end of each run first by reversing.
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        let mut written: Vec<(u32, u32)> =
            entries.iter().enumerate().map(|(sorted, e)| (e.2, sorted as u32)).collect();
        written.sort_unstable();
        let entries: Vec<(K, V)> = entries.into_iter().map(|(k, v, _)| (k, v)).collect();
        Map { entries, written: written.into_iter().map(|(_, sorted)| sorted).collect() }
    }
}

/// `map[key]` for a key known to be present; panics otherwise, as indexing a `BTreeMap` does.
impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> std::ops::Index<&Q> for Map<K, V> {
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("key present in map")
    }
}

impl<K, V> Default for Map<K, V> {
    fn default() -> Self {
        Map { entries: Vec::new(), written: Box::default() }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Map<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a, K, V> IntoIterator for &'a Map<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for Map<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = Map<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
                while let Some(entry) = access.next_entry()? {
                    entries.push(entry);
                }
                Ok(entries.into_iter().collect())
            }
        }

        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iterates_in_key_order_and_finds_keys() {
        let map: Map<String, u32> = serde_yaml::from_str("b: 1\na: 2\nc: 3\n").unwrap();
        let entries: Vec<(&str, u32)> = map.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(entries, [("a", 2), ("b", 1), ("c", 3)]);
        assert_eq!(map.get("c"), Some(&3));
        assert_eq!(map.get("z"), None);
        assert_eq!((map.len(), map.is_empty()), (3, false));
    }

    #[test]
    fn remembers_the_written_order() {
        let map: Map<String, u32> = serde_yaml::from_str("b: 1\na: 2\nc: 3\n").unwrap();
        let written: Vec<&str> = map.iter_in_written_order().map(|(k, _)| k.as_str()).collect();
        assert_eq!(written, ["b", "a", "c"]);
        let map: Map<&str, u32> = [("b", 1), ("a", 2), ("b", 3)].into_iter().collect();
        let written: Vec<(&str, u32)> =
            map.iter_in_written_order().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(written, [("a", 2), ("b", 3)]);
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let map: Map<&str, u32> =
            [("b", 1), ("a", 2), ("a", 3), ("b", 4), ("a", 5)].into_iter().collect();
        assert_eq!(map.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), [("a", 5), ("b", 4)]);
    }

    #[test]
    fn deserializes_non_string_keys() {
        let map: Map<u16, String> = serde_yaml::from_str("404: b\n201: a\n").unwrap();
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), [201, 404]);
        assert_eq!(map.get(&404).map(String::as_str), Some("b"));
    }
}
