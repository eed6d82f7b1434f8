//! [`Table`]: records in creation order, found by id and by their unique keys.
//!
//! A record kind names its uniqueness rules through [`UniqueKeys`] (a
//! customer's `reference` and `cell_phone_number`, an appointment's customer
//! and `start_at`, ...). The table keeps one map from every key in use to the
//! record holding it, and updates it on every insert, replacement and removal,
//! so that checking a rule or finding a record by a unique value does not scan
//! the table. [`Table::get_mut`] must only change fields that are not part of
//! a key: the map would not see the change (no caller changes one that way;
//! updates that may change a key replace the record with [`Table::insert`]).
//!
//! The table also knows the position of every record in the order, so a page
//! of a list starts at its first record in logarithmic time instead of
//! stepping over every record before it.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// The values of a record that no other record of its table may share.
pub trait UniqueKeys {
    /// One unique value, tagged with its rule (two rules may hold the same text).
    type Key: Clone + Eq + Hash + std::fmt::Debug;

    /// Every key of this record, in the order its conflicts are reported when
    /// one other record holds several of them.
    fn unique_keys(&self) -> Vec<Self::Key>;
}

/// The key type of record kinds with no uniqueness rule besides their id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoUniqueKey {}

/// One stored record and the id it was inserted under.
#[derive(Debug)]
struct Row<T> {
    id: String,
    record: T,
}

/// Records kept in creation order, found by id or by unique key in constant
/// time.
#[derive(Debug)]
pub struct Table<T: UniqueKeys> {
    /// By creation sequence: iterating gives the oldest first.
    rows: BTreeMap<u64, Row<T>>,
    /// Id to creation sequence.
    sequence_by_id: HashMap<String, u64>,
    /// Every unique key in use to the creation sequence of its record.
    sequence_by_unique_key: HashMap<T::Key, u64>,
    /// The sequences of the records, ascending: the record at position `p` in
    /// the order has the sequence `sequences_in_order[p]`. Removing a record
    /// shifts the rest of this vector (8 bytes each, not the records).
    sequences_in_order: Vec<u64>,
    next_sequence: u64,
}

impl<T: UniqueKeys> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
            sequence_by_id: HashMap::new(),
            sequence_by_unique_key: HashMap::new(),
            sequences_in_order: Vec::new(),
            next_sequence: 0,
        }
    }
}

impl<T: UniqueKeys> Table<T> {
    /// The first key of `record` that a record other than the one stored
    /// under `id` already holds; `Ok` when there is none.
    ///
    /// When several are taken, the answer is the key held by the oldest other
    /// record and, for that record, the first in [`UniqueKeys::unique_keys`]
    /// order: what comparing `record` with every other record, oldest first,
    /// and each of its keys in order, would find first.
    pub fn check_unique(&self, id: &str, record: &T) -> Result<(), T::Key> {
        let own_sequence = self.sequence_by_id.get(id).copied();
        let mut first_taken: Option<(u64, T::Key)> = None;
        for key in record.unique_keys() {
            let Some(&holder) = self.sequence_by_unique_key.get(&key) else {
                continue;
            };
            if Some(holder) == own_sequence {
                continue;
            }
            if first_taken.as_ref().is_none_or(|(oldest, _)| holder < *oldest) {
                first_taken = Some((holder, key));
            }
        }
        match first_taken {
            Some((_, key)) => Err(key),
            None => Ok(()),
        }
    }

    /// Adds a record under `id`, or replaces the record with that id (which
    /// keeps its place in the order). Refused, with nothing changed, when
    /// another record holds one of its keys (see [`Table::check_unique`]).
    pub fn insert(&mut self, id: String, record: T) -> Result<(), T::Key> {
        self.check_unique(&id, &record)?;
        let sequence = match self.sequence_by_id.get(&id) {
            Some(&sequence) => {
                if let Some(replaced) = self.rows.remove(&sequence) {
                    self.release_keys(sequence, &replaced.record);
                }
                sequence
            }
            None => {
                let sequence = self.next_sequence;
                self.next_sequence += 1;
                self.sequence_by_id.insert(id.clone(), sequence);
                self.sequences_in_order.push(sequence);
                sequence
            }
        };
        for key in record.unique_keys() {
            self.sequence_by_unique_key.insert(key, sequence);
        }
        self.rows.insert(sequence, Row { id, record });
        Ok(())
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Option<&T> {
        let sequence = self.sequence_by_id.get(id)?;
        self.rows.get(sequence).map(|row| &row.record)
    }

    /// The record with this id, to change fields that are not unique keys
    /// (the index would not see a changed key: replace the record with
    /// [`Table::insert`] instead).
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let sequence = self.sequence_by_id.get(id)?;
        self.rows.get_mut(sequence).map(|row| &mut row.record)
    }

    /// The record holding this unique key.
    pub fn find_by_unique_key(&self, key: &T::Key) -> Option<&T> {
        let sequence = self.sequence_by_unique_key.get(key)?;
        self.rows.get(sequence).map(|row| &row.record)
    }

    /// Removes and returns the record with this id, freeing its keys.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let sequence = self.sequence_by_id.remove(id)?;
        if let Ok(position) = self.sequences_in_order.binary_search(&sequence) {
            self.sequences_in_order.remove(position);
        }
        let removed = self.rows.remove(&sequence)?;
        self.release_keys(sequence, &removed.record);
        Some(removed.record)
    }

    /// Every record, oldest first.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.rows.values().map(|row| &row.record)
    }

    /// The records from position `first` (0 for the oldest) on, oldest first;
    /// none when `first` is past the end. Finding the first one does not step
    /// over the records before it.
    pub fn values_from(&self, first: usize) -> impl Iterator<Item = &T> {
        let first_sequence = self
            .sequences_in_order
            .get(first)
            .copied()
            .unwrap_or(self.next_sequence);
        self.rows.range(first_sequence..).map(|(_, row)| &row.record)
    }

    /// Removes every record for which `keep` is false, freeing their ids and
    /// keys.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let gone: Vec<u64> = self
            .rows
            .iter()
            .filter(|(_, row)| !keep(&row.record))
            .map(|(sequence, _)| *sequence)
            .collect();
        if gone.is_empty() {
            return;
        }
        for sequence in gone {
            if let Some(removed) = self.rows.remove(&sequence) {
                self.sequence_by_id.remove(&removed.id);
                self.release_keys(sequence, &removed.record);
            }
        }
        self.sequences_in_order = self.rows.keys().copied().collect();
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Forgets the keys of the record at `sequence` (only those it still
    /// holds).
    fn release_keys(&mut self, sequence: u64, record: &T) {
        for key in record.unique_keys() {
            if self.sequence_by_unique_key.get(&key) == Some(&sequence) {
                self.sequence_by_unique_key.remove(&key);
            }
        }
    }

    /// Panics unless the maps say exactly what the records say (tests).
    #[cfg(test)]
    pub fn assert_indexes_match_records(&self) {
        let mut expected_ids = HashMap::new();
        let mut expected_keys = HashMap::new();
        for (&sequence, row) in &self.rows {
            expected_ids.insert(row.id.clone(), sequence);
            for key in row.record.unique_keys() {
                let previous = expected_keys.insert(key.clone(), sequence);
                assert!(previous.is_none(), "{key:?} is held by two records");
            }
        }
        assert_eq!(self.sequence_by_id, expected_ids, "ids");
        assert_eq!(self.sequence_by_unique_key, expected_keys, "unique keys");
        let in_order: Vec<u64> = self.rows.keys().copied().collect();
        assert_eq!(self.sequences_in_order, in_order, "positions");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record with up to two unique labels, `first` reported before `second`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Labelled {
        value: u32,
        first: Option<&'static str>,
        second: Option<&'static str>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Hash)]
    enum Label {
        First(&'static str),
        Second(&'static str),
    }

    impl UniqueKeys for Labelled {
        type Key = Label;

        fn unique_keys(&self) -> Vec<Label> {
            self.first
                .map(Label::First)
                .into_iter()
                .chain(self.second.map(Label::Second))
                .collect()
        }
    }

    impl UniqueKeys for u32 {
        type Key = NoUniqueKey;

        fn unique_keys(&self) -> Vec<NoUniqueKey> {
            Vec::new()
        }
    }

    fn labelled(value: u32, first: Option<&'static str>, second: Option<&'static str>) -> Labelled {
        Labelled { value, first, second }
    }

    #[test]
    fn keeps_order_and_index() {
        let mut table = Table::default();
        table.insert("b".to_owned(), 1_u32).unwrap();
        table.insert("a".to_owned(), 2).unwrap();
        table.insert("b".to_owned(), 3).unwrap();
        assert_eq!(table.values().copied().collect::<Vec<_>>(), vec![3, 2]);
        assert_eq!(table.remove("b"), Some(3));
        assert_eq!(table.get("b"), None);
        table.insert("c".to_owned(), 4).unwrap();
        table.retain(|row| *row != 2);
        assert_eq!(table.get("a"), None);
        assert_eq!(table.get("c"), Some(&4));
        assert_eq!(table.len(), 1);
        table.assert_indexes_match_records();
    }

    #[test]
    fn unique_keys_are_claimed_checked_and_freed() {
        let mut table = Table::default();
        table.insert("x".to_owned(), labelled(1, Some("a"), Some("b"))).unwrap();
        assert_eq!(
            table.insert("y".to_owned(), labelled(2, None, Some("b"))),
            Err(Label::Second("b"))
        );
        assert_eq!(table.len(), 1, "a refused insert changes nothing");
        // Two rules may hold the same text.
        table.insert("y".to_owned(), labelled(2, Some("b"), None)).unwrap();
        assert_eq!(table.find_by_unique_key(&Label::First("b")).map(|r| r.value), Some(2));
        // A record keeps its own keys when it is replaced.
        table
            .insert("x".to_owned(), labelled(10, Some("a"), Some("b")))
            .unwrap();
        // Replacing a record frees the keys it no longer has.
        table.insert("x".to_owned(), labelled(11, Some("c"), None)).unwrap();
        assert_eq!(table.find_by_unique_key(&Label::First("a")), None);
        table.insert("z".to_owned(), labelled(3, Some("a"), Some("b"))).unwrap();
        // Removing a record frees its keys; so does `retain`.
        assert_eq!(table.remove("x").map(|r| r.value), Some(11));
        table.insert("w".to_owned(), labelled(4, Some("c"), None)).unwrap();
        table.retain(|record| record.value != 4);
        assert_eq!(table.find_by_unique_key(&Label::First("c")), None);
        table.insert("v".to_owned(), labelled(5, Some("c"), None)).unwrap();
        table.assert_indexes_match_records();
        assert_eq!(
            table.values().map(|record| record.value).collect::<Vec<_>>(),
            vec![2, 3, 5]
        );
    }

    #[test]
    fn the_oldest_holder_is_reported_first_then_key_order() {
        let mut table = Table::default();
        table.insert("old".to_owned(), labelled(1, None, Some("s"))).unwrap();
        table.insert("new".to_owned(), labelled(2, Some("f"), None)).unwrap();
        // `First("f")` comes first in key order, but the oldest record holds `Second("s")`.
        assert_eq!(
            table.check_unique("mine", &labelled(3, Some("f"), Some("s"))),
            Err(Label::Second("s"))
        );
        table
            .insert("both".to_owned(), labelled(4, Some("g"), Some("t")))
            .unwrap();
        assert_eq!(
            table.check_unique("mine", &labelled(3, Some("g"), Some("t"))),
            Err(Label::First("g"))
        );
        assert_eq!(table.check_unique("both", &labelled(4, Some("g"), Some("t"))), Ok(()));
    }

    #[test]
    fn values_from_a_position_skip_removed_records() {
        let mut table = Table::default();
        for value in 0..100_u32 {
            table.insert(format!("id{value}"), value).unwrap();
        }
        table.remove("id3");
        table.remove("id50");
        table.retain(|value| value % 10 != 7);
        let remaining: Vec<u32> = (0..100)
            .filter(|value| ![3, 50].contains(value) && value % 10 != 7)
            .collect();
        for first in [0, 1, 2, 40, 44, remaining.len() - 1, remaining.len(), 1_000] {
            let expected: Vec<u32> = remaining.iter().copied().skip(first).collect();
            assert_eq!(
                table.values_from(first).copied().collect::<Vec<_>>(),
                expected,
                "{first}"
            );
        }
        table.insert("id3".to_owned(), 1_003).unwrap();
        assert_eq!(
            table.values_from(table.len() - 1).copied().collect::<Vec<_>>(),
            vec![1_003]
        );
        table.assert_indexes_match_records();
    }
}
