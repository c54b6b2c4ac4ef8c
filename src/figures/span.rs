//! A figure's byte ranges, kept in 32 bits.

use std::ops::Range;

/// A byte range in 8 bytes instead of 16: a figure keeps two (the whole figure and its
/// number), and a document's figures are held as long as it is open (and copied after each
/// edit). Read it with [`Span::start`], [`Span::end`] or [`Span::range`].
///
/// Offsets must fit in 32 bits: the analysis reads no text of 4 GiB or more (see
/// [`MAX_TEXT`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    start: u32,
    end: u32,
}

/// The largest text the analysis reads, in bytes: offsets are kept in 32 bits. The command
/// line refuses a larger file, and the language server analyses no larger document.
pub const MAX_TEXT: usize = u32::MAX as usize;

impl Span {
    /// The range; offsets past [`MAX_TEXT`] (which no analysed text has) are clamped.
    pub fn new(r: Range<usize>) -> Span {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Span {
            start: clamp(r.start),
            end: clamp(r.end),
        }
    }

    #[inline]
    pub fn start(self) -> usize {
        self.start as usize
    }

    #[inline]
    pub fn end(self) -> usize {
        self.end as usize
    }

    #[inline]
    pub fn range(self) -> Range<usize> {
        self.start()..self.end()
    }

    pub fn len(self) -> usize {
        self.end().saturating_sub(self.start())
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r)
    }
}

impl From<Span> for Range<usize> {
    fn from(s: Span) -> Range<usize> {
        s.range()
    }
}

impl PartialEq<Range<usize>> for Span {
    fn eq(&self, other: &Range<usize>) -> bool {
        self.range() == *other
    }
}

impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.range().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::{Range, Span, MAX_TEXT};

    #[test]
    fn a_span_reads_back_its_range() {
        for r in [0..0, 3..9, 7..7, MAX_TEXT - 1..MAX_TEXT, 0..MAX_TEXT] {
            let s = Span::from(r.clone());
            assert_eq!(s.range(), r);
            assert_eq!((s.start(), s.end()), (r.start, r.end));
            assert_eq!(s.len(), r.len());
            assert_eq!(s.is_empty(), r.is_empty());
            assert_eq!(s, r);
            assert_eq!(Range::from(s), r);
            assert_eq!(format!("{s:?}"), format!("{r:?}"));
        }
        assert_eq!(Span::default(), 0..0);
    }

    #[test]
    fn offsets_past_the_largest_text_are_clamped() {
        assert_eq!(Span::new(5..MAX_TEXT + 9), 5..MAX_TEXT);
        assert_eq!(Span::new(MAX_TEXT + 1..MAX_TEXT + 2), MAX_TEXT..MAX_TEXT);
    }
}
