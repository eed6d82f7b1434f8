//! [`Table`]: records in creation order with an index by id.

use std::collections::{BTreeMap, HashMap};

/// Records kept in creation order, found by id in constant time.
#[derive(Debug)]
pub struct Table<T> {
    rows: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
    next: u64,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
            index: HashMap::new(),
            next: 0,
        }
    }
}

impl<T> Table<T> {
    /// Adds a record under `id` (replacing any record with that id).
    pub fn insert(&mut self, id: String, row: T) {
        if let Some(sequence) = self.index.get(&id) {
            self.rows.insert(*sequence, row);
            return;
        }
        let sequence = self.next;
        self.next += 1;
        self.index.insert(id, sequence);
        self.rows.insert(sequence, row);
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).and_then(|sequence| self.rows.get(sequence))
    }

    /// The record with this id, to change it.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.index.get(id).and_then(|sequence| self.rows.get_mut(sequence))
    }

    /// Removes and returns the record with this id.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        self.index.remove(id).and_then(|sequence| self.rows.remove(&sequence))
    }

    /// Every record, oldest first. The iterator knows its length, and
    /// skipping records only steps over them.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &T> {
        self.rows.values()
    }

    /// Every record, oldest first, to change them.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.rows.values_mut()
    }

    /// Removes every record for which `keep` is false.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let gone: Vec<u64> = self
            .rows
            .iter()
            .filter(|(_, row)| !keep(row))
            .map(|(sequence, _)| *sequence)
            .collect();
        for sequence in &gone {
            self.rows.remove(sequence);
        }
        self.index.retain(|_, sequence| !gone.contains(sequence));
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_index() {
        let mut table = Table::default();
        table.insert("b".to_owned(), 1);
        table.insert("a".to_owned(), 2);
        table.insert("b".to_owned(), 3);
        assert_eq!(table.values().copied().collect::<Vec<_>>(), vec![3, 2]);
        assert_eq!(table.remove("b"), Some(3));
        assert_eq!(table.get("b"), None);
        table.insert("c".to_owned(), 4);
        table.retain(|row| *row != 2);
        assert_eq!(table.get("a"), None);
        assert_eq!(table.get("c"), Some(&4));
        assert_eq!(table.len(), 1);
    }
}
