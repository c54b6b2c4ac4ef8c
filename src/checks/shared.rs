//! A finding's lists (its related places, its fixes, a fix's edits), shared between the
//! copies of the finding and moved without being copied.
//!
//! Incremental analysis copies every cached finding into each new analysis and moves it to
//! where its chunk now lies. With plain lists that was an allocation per list and per fix,
//! and a pass over their positions, for every finding after every edit (and as many frees
//! when the previous analysis went). A [`Shared`] list is one reference-counted allocation:
//! a copy is a count, and a move adds to one offset that reading applies.

use std::ops::Range;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// Something with byte positions in a document that can be moved.
pub trait Movable: Clone {
    /// A copy with every byte position moved by `by`, wrapping: moving by `a` then by
    /// `b.wrapping_sub(a)` is moving by `b` (a related place may lie before the chunk its
    /// finding is kept relative to).
    fn moved(&self, by: usize) -> Self;
}

/// A list of `T` with byte positions, shared between copies (see the module documentation).
/// It reads as a list of `T` with the positions moved: [`Shared::iter`] gives copies, with
/// their messages shared, never their positions' storage.
pub struct Shared<T> {
    /// One allocation (the count and the items); none when empty.
    items: Option<Arc<[T]>>,
    /// Added (wrapping) to every position on reading.
    by: usize,
}

impl<T> Shared<T> {
    /// An empty list (no allocation).
    pub const fn new() -> Shared<T> {
        Shared { items: None, by: 0 }
    }

    pub fn len(&self) -> usize {
        self.items.as_ref().map_or(0, |v| v.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items as stored, with the offset still to add to their positions.
    fn raw(&self) -> &[T] {
        self.items.as_deref().unwrap_or(&[])
    }
}

impl<T: Movable> Shared<T> {
    /// The items, positions moved, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = T> + DoubleEndedIterator + Clone + '_ {
        let by = self.by;
        self.raw().iter().map(move |x| x.moved(by))
    }

    /// The items as stored, each with the offset to add (wrapping) to its positions: for
    /// readers that only look and need no copy (a publication reads thousands).
    pub fn stored(&self) -> impl ExactSizeIterator<Item = (&T, usize)> + '_ {
        let by = self.by;
        self.raw().iter().map(move |x| (x, by))
    }

    /// The item at `i`, positions moved.
    pub fn get(&self, i: usize) -> Option<T> {
        self.raw().get(i).map(|x| x.moved(self.by))
    }

    /// The first item, positions moved.
    pub fn first(&self) -> Option<T> {
        self.get(0)
    }

    pub fn to_vec(&self) -> Vec<T> {
        self.iter().collect()
    }

    /// Add an item at the end (the list is copied: lists hold a few items and are built
    /// once, then copied many times).
    pub fn push(&mut self, x: T) {
        // One allocation: the items' count is known, so the list is collected in place.
        let items: Arc<[T]> = self.iter().chain(std::iter::once(x)).collect();
        *self = Shared {
            items: Some(items),
            by: 0,
        };
    }

    /// The items to change in place: this list's own (copied first if another finding
    /// shares it), positions moved.
    pub fn make_mut(&mut self) -> &mut [T] {
        let own = self.by == 0
            && self
                .items
                .as_mut()
                .is_some_and(|a| Arc::get_mut(a).is_some());
        if !own {
            *self = self.to_vec().into();
        }
        match &mut self.items {
            Some(a) => Arc::get_mut(a).unwrap_or(&mut []),
            None => &mut [],
        }
    }

    /// Move every position from offset `from` to offset `to` (wrapping; see
    /// [`Movable::moved`]).
    pub(crate) fn shift(&mut self, from: usize, to: usize) {
        self.by = self.by.wrapping_sub(from).wrapping_add(to);
    }

    /// A copy moved by `by`.
    fn moved_by(&self, by: usize) -> Shared<T> {
        Shared {
            items: self.items.clone(),
            by: self.by.wrapping_add(by),
        }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Shared<T> {
        Shared {
            items: self.items.clone(),
            by: self.by,
        }
    }
}

impl<T> Default for Shared<T> {
    fn default() -> Shared<T> {
        Shared::new()
    }
}

impl<T> From<Vec<T>> for Shared<T> {
    fn from(v: Vec<T>) -> Shared<T> {
        Shared {
            items: (!v.is_empty()).then(|| Arc::from(v)),
            by: 0,
        }
    }
}

impl<T> FromIterator<T> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Shared<T> {
        iter.into_iter().collect::<Vec<T>>().into()
    }
}

impl<T: Movable + PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Shared<T>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Movable + Eq> Eq for Shared<T> {}

impl<T: Movable + std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Movable + Serialize> Serialize for Shared<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'a, T: Movable + 'a> IntoIterator for &'a Shared<T> {
    type Item = T;
    type IntoIter = Box<dyn Iterator<Item = T> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

fn moved_range(r: &Range<usize>, by: usize) -> Range<usize> {
    r.start.wrapping_add(by)..r.end.wrapping_add(by)
}

impl Movable for super::Edit {
    fn moved(&self, by: usize) -> super::Edit {
        super::Edit {
            start: self.start.wrapping_add(by),
            end: self.end.wrapping_add(by),
            text: self.text.clone(),
        }
    }
}

impl Movable for super::Fix {
    fn moved(&self, by: usize) -> super::Fix {
        super::Fix {
            title: self.title.clone(),
            edits: self.edits.moved_by(by),
        }
    }
}

impl Movable for super::Related {
    fn moved(&self, by: usize) -> super::Related {
        super::Related {
            span: moved_range(&self.span, by),
            message: self.message.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Edit, Fix, Related};
    use super::*;

    fn rel(a: usize, b: usize, m: &str) -> Related {
        Related {
            span: a..b,
            message: m.into(),
        }
    }

    fn fix(edits: &[(usize, usize, &str)]) -> Fix {
        Fix {
            title: "t".into(),
            edits: edits
                .iter()
                .map(|&(start, end, t)| Edit {
                    start,
                    end,
                    text: t.into(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_moved_list_reads_moved_and_its_copy_shares_the_storage() {
        let mut a: Shared<Related> = vec![rel(3, 5, "x"), rel(8, 9, "y")].into();
        let b = a.clone();
        a.shift(0, 100);
        assert_eq!(a.to_vec(), vec![rel(103, 105, "x"), rel(108, 109, "y")]);
        assert_eq!(b.to_vec(), vec![rel(3, 5, "x"), rel(8, 9, "y")]);
        assert!(Arc::ptr_eq(
            a.items.as_ref().unwrap(),
            b.items.as_ref().unwrap()
        ));
        assert_eq!(a.get(1), Some(rel(108, 109, "y")));
        assert_eq!(a.get(2), None);
        assert_ne!(a, b);
        // Moved back: equal again, by value.
        a.shift(100, 0);
        assert_eq!(a, b);
    }

    #[test]
    fn a_place_before_the_offset_wraps_back_into_place() {
        // Kept relative to a chunk at 50, a place at 10 (before the chunk) wraps, and comes
        // back when the finding is put at a chunk now at 60.
        let mut a: Shared<Related> = vec![rel(10, 12, "before")].into();
        a.shift(50, 0);
        a.shift(0, 60);
        assert_eq!(a.to_vec(), vec![rel(20, 22, "before")]);
    }

    #[test]
    fn changing_a_shared_moved_list_leaves_the_other_copy_alone() {
        let mut a: Shared<Related> = vec![rel(1, 2, "x")].into();
        let b = a.clone();
        a.shift(0, 10);
        a.push(rel(20, 21, "new"));
        a.make_mut()[0].span = 30..31;
        assert_eq!(a.to_vec(), vec![rel(30, 31, "x"), rel(20, 21, "new")]);
        assert_eq!(b.to_vec(), vec![rel(1, 2, "x")]);
        // Changed in place when shared by no other copy.
        let mut c = b.clone();
        c.shift(0, 3);
        drop(b);
        c.make_mut()[0].message = "y".into();
        assert_eq!(c.to_vec(), vec![rel(4, 5, "y")]);
    }

    #[test]
    fn a_fix_moves_its_edits() {
        let mut fixes: Shared<Fix> = vec![fix(&[(4, 6, "a"), (9, 9, "b")])].into();
        fixes.shift(0, 1000);
        let f = fixes.get(0).unwrap();
        assert_eq!(f, fix(&[(1004, 1006, "a"), (1009, 1009, "b")]));
        assert_eq!(
            serde_json::to_value(&f.edits).unwrap(),
            serde_json::json!([
                {"start": 1004, "end": 1006, "text": "a"},
                {"start": 1009, "end": 1009, "text": "b"}
            ])
        );
        assert_eq!(
            format!("{:?}", fixes),
            format!("{:?}", vec![fix(&[(1004, 1006, "a"), (1009, 1009, "b")])])
        );
    }

    #[test]
    fn an_empty_list_holds_nothing() {
        let mut a: Shared<Related> = Vec::new().into();
        assert!(a.items.is_none());
        a.shift(0, 5);
        assert!(a.is_empty());
        assert_eq!(a, Shared::new());
        a.push(rel(1, 2, "x"));
        // Pushed after a move: at the place given, not moved again.
        assert_eq!(a.to_vec(), vec![rel(1, 2, "x")]);
    }
}
