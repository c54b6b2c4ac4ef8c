//! Results kept per chunk from one analysis to the next, found again in document order.
//!
//! The caches of extraction and checks key each chunk's results by a hash of everything
//! they depend on. Kept in a hash table, every analysis of a large document looks up every
//! chunk's key at a random place in a table that the rest of the analysis has pushed out
//! of the processor's caches: on 10 MB, a miss to memory per chunk and table, a fifth of
//! an edit's time. But an edit changes the chunks in one place: the keys come again in
//! the same order, those after the edit moved by the number of chunks it added or
//! removed. [`Recall`] keeps the last analysis's results as a list in document order and
//! looks for each key where it should be: at a cursor that follows the last list, a few
//! places further (chunks deleted), or where the unchanged end of the document puts it
//! (many deleted). Only when many keys are found none of those ways (text moved, edits
//! in many places) does it index the last list by key. What a key gives does not depend
//! on how it was found: a result is a function of its key.
//!
//! A round: [`Recall::start`], then [`Recall::get`] for each key in document order, then
//! [`Recall::end`]. Results of the last round not asked for in this one are dropped.

use std::collections::HashMap;

use crate::figures::KeyBuild;

/// How many places past the cursor a key is looked for (chunks an edit deleted).
const AHEAD: usize = 8;
/// How many keys a round may find nowhere near before the last list is indexed.
const INDEX_AFTER: usize = 16;

/// Per-key results of the last round, in the order they were asked for.
pub struct Recall<V> {
    /// The last round's results; those found again this round are taken out (`None`).
    last: Vec<(u64, Option<V>)>,
    /// This round's, as they are asked for.
    next: Vec<(u64, Option<V>)>,
    /// Where in `last` the next key is expected.
    cursor: usize,
    /// How many keys this round will ask for (its caller's guess), for placing the last
    /// list's unchanged end.
    expected: usize,
    /// Keys this round found nowhere near, and the index of `last` made after enough.
    misses: usize,
    index: Option<HashMap<u64, usize, KeyBuild>>,
    /// Results made this round, by key: a chunk written twice is read once.
    fresh: HashMap<u64, usize, KeyBuild>,
}

impl<V> Default for Recall<V> {
    fn default() -> Recall<V> {
        Recall {
            last: Vec::new(),
            next: Vec::new(),
            cursor: 0,
            expected: 0,
            misses: 0,
            index: None,
            fresh: HashMap::default(),
        }
    }
}

impl<V: Clone> Recall<V> {
    /// Start a round that will ask for about `expected` keys. A round left unfinished is
    /// forgotten (the last finished one stays).
    pub fn start(&mut self, expected: usize) {
        if !self.next.is_empty() {
            // What the unfinished round took out of the last list is lost with it: only a
            // cost.
            self.next.clear();
        }
        self.next.reserve(expected);
        self.cursor = 0;
        self.expected = expected;
        self.misses = 0;
        self.index = None;
        self.fresh.clear();
    }

    /// The result for `key`: the last round's, or one made this round, or `make()`'s.
    pub fn get(&mut self, key: u64, make: impl FnOnce() -> V) -> V {
        let found = self.find(key).or_else(|| {
            self.fresh
                .get(&key)
                .and_then(|&i| self.next.get(i))
                .and_then(|(_, v)| v.clone())
        });
        let v = match found {
            Some(v) => v,
            None => {
                self.fresh.insert(key, self.next.len());
                make()
            }
        };
        // Every result is kept at once: a key asked for again takes a copy.
        self.next.push((key, Some(v.clone())));
        v
    }

    /// [`Recall::get`], keeping no copy of any result: the caller gives every result of the
    /// round back, in order, to [`Recall::end_with`], and a key asked for again in the
    /// round takes its copy from the caller's: `earlier(i)` is the result of the round's
    /// `i`-th key (from 0). (A result kept by reference count is then not counted up and
    /// down again for every key. Nor is one just made: on a large document that count was
    /// a locked instruction per chunk waiting for the writes of its results to reach
    /// memory.)
    pub fn take(
        &mut self,
        key: u64,
        make: impl FnOnce() -> V,
        earlier: impl FnOnce(usize) -> V,
    ) -> V {
        let v = match self.find(key) {
            Some(v) => v,
            None => match self.fresh.get(&key) {
                Some(&i) => earlier(i),
                None => {
                    self.fresh.insert(key, self.next.len());
                    make()
                }
            },
        };
        self.next.push((key, None));
        v
    }

    /// End a round of [`Recall::take`] with its results, in the order they were asked for.
    pub fn end_with(&mut self, results: impl IntoIterator<Item = V>) {
        for ((_, slot), v) in self.next.iter_mut().zip(results) {
            *slot = Some(v);
        }
        self.end();
    }

    /// Take `key`'s result out of the last list, looking where it should be.
    fn find(&mut self, key: u64) -> Option<V> {
        let m = self.last.len();
        // At the cursor, or a few places on.
        let near = self.cursor..(self.cursor + 1 + AHEAD).min(m);
        let mut at = self.last[near.clone()]
            .iter()
            .position(|(k, v)| *k == key && v.is_some())
            .map(|p| p + near.start);
        // Where the unchanged end puts it: as far from the last list's end as this key
        // will be from this round's.
        if at.is_none() {
            let from_end = self.expected.checked_sub(self.next.len());
            at = from_end
                .and_then(|e| m.checked_sub(e))
                .filter(|&g| g >= self.cursor && g < m)
                .filter(|&g| self.last[g].0 == key && self.last[g].1.is_some());
        }
        if at.is_none() {
            self.misses += 1;
            if self.index.is_none() && self.misses > INDEX_AFTER {
                let mut index = HashMap::with_capacity_and_hasher(m, KeyBuild::default());
                for (i, (k, v)) in self.last.iter().enumerate() {
                    if v.is_some() {
                        index.entry(*k).or_insert(i);
                    }
                }
                self.index = Some(index);
            }
            at = self
                .index
                .as_ref()
                .and_then(|ix| ix.get(&key).copied())
                .filter(|&i| self.last[i].1.is_some());
        }
        let i = at?;
        self.cursor = i + 1;
        self.last[i].1.take()
    }

    /// End the round: its results are the ones the next round finds.
    pub fn end(&mut self) {
        // The last round's list is freed, not kept for the next (an open document's
        // memory counts; the next round allocates its own).
        self.last = std::mem::take(&mut self.next);
        self.index = None;
        self.fresh = HashMap::default();
    }

    /// Forget every result.
    pub fn clear(&mut self) {
        *self = Recall::default();
    }

    /// How many results the last finished round kept.
    pub fn len(&self) -> usize {
        self.last.len()
    }

    pub fn is_empty(&self) -> bool {
        self.last.is_empty()
    }

    /// The results the last finished round kept, and the bytes of its list.
    pub fn kept(&self) -> (impl Iterator<Item = &V>, usize) {
        (
            self.last.iter().filter_map(|(_, v)| v.as_ref()),
            self.last.capacity() * std::mem::size_of::<(u64, Option<V>)>(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A round over `keys`: what each gave, and the keys that had to be made.
    fn round(r: &mut Recall<u64>, keys: &[u64]) -> (Vec<u64>, Vec<u64>) {
        let mut made = Vec::new();
        r.start(keys.len());
        let got = keys
            .iter()
            .map(|&k| {
                r.get(k, || {
                    made.push(k);
                    k * 10
                })
            })
            .collect();
        r.end();
        (got, made)
    }

    #[test]
    fn a_key_gives_its_result_however_it_is_found() {
        let mut r = Recall::default();
        let first: Vec<u64> = (0..100).collect();
        let (got, made) = round(&mut r, &first);
        assert_eq!(got, first.iter().map(|k| k * 10).collect::<Vec<_>>());
        assert_eq!(made, first);
        // One chunk changed, one inserted, three deleted, then twenty deleted further on,
        // and a key written twice.
        let mut second: Vec<u64> = (0..100).collect();
        second[10] = 1000;
        second.insert(20, 1001);
        second.drain(40..43);
        second.drain(60..80);
        second.insert(50, 5);
        let (got, made) = round(&mut r, &second);
        assert_eq!(got, second.iter().map(|k| k * 10).collect::<Vec<_>>());
        // Only the new keys were made (5 is found again at its first place, then made
        // once more for its second: the last round had one, taken).
        assert_eq!(made, vec![1000, 1001, 5]);
        assert_eq!(r.len(), second.len());
    }

    #[test]
    fn edits_in_many_places_index_the_last_round() {
        let mut r = Recall::default();
        let first: Vec<u64> = (0..200).collect();
        round(&mut r, &first);
        // Reversed: nothing where the cursor expects it.
        let second: Vec<u64> = (0..200).rev().collect();
        let (got, made) = round(&mut r, &second);
        assert_eq!(got, second.iter().map(|k| k * 10).collect::<Vec<_>>());
        // The first keys asked for before the index was made, then none.
        assert!(made.len() <= INDEX_AFTER + 1, "{}", made.len());
        // A round left unfinished is forgotten; the last finished one stays (but what it
        // took, here 199, is lost).
        r.start(3);
        r.get(199, || 0);
        let (got, made) = round(&mut r, &[199, 198, 197]);
        assert_eq!(got, vec![1990, 1980, 1970]);
        assert_eq!(made, vec![199]);
    }

    #[test]
    fn results_taken_are_found_again_once_given_back() {
        let mut r: Recall<u64> = Recall::default();
        for round in 0..3 {
            let mut made = 0;
            r.start(4);
            let mut got: Vec<u64> = Vec::new();
            for k in [1, 2, 2, 3] {
                let v = r.take(
                    k,
                    || {
                        made += 1;
                        k * 10
                    },
                    |i| got[i],
                );
                got.push(v);
            }
            assert_eq!(got, vec![10, 20, 20, 30]);
            // Made once each in the first round (2 twice in the document: once), then
            // none.
            assert_eq!(made, if round == 0 { 3 } else { 0 }, "round {round}");
            r.end_with(got);
        }
        // Not given back: found nowhere the next round.
        r.start(1);
        r.take(1, || 10, |_| 0);
        r.end();
        let (_, made) = round(&mut r, &[1]);
        assert_eq!(made, vec![1]);
    }

    #[test]
    fn a_key_written_twice_is_made_once() {
        let mut r = Recall::default();
        let (got, made) = round(&mut r, &[4, 4, 4, 9]);
        assert_eq!(got, vec![40, 40, 40, 90]);
        assert_eq!(made, vec![4, 9]);
        r.clear();
        assert!(r.is_empty());
    }
}
