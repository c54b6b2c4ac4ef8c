//! Relating figures: which figures measure the same kind of thing, and the words that tie
//! them (`of which`, `from`, `to`, `above`). Shared by the arithmetic checks.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::arith::{self, Iv};
use super::Cx;
use crate::figures::Dimension;

/// A figure with nothing that says what it measures: it takes the unit of the figure it
/// is compared with (`110.14 billion dlrs from 107.01 billion`).
pub fn is_bare(cx: &Cx, i: usize) -> bool {
    let f = &cx.figures[i];
    f.dimension == Dimension::Count && f.unit.is_none() && f.noun.is_none()
}

/// The intervals of two figures in one unit, when they measure the same kind of thing:
/// the same unit (or one of them bare), or two units of one dimension (compared in the
/// base unit). `None` when they cannot be compared.
pub fn comparable(cx: &Cx, a: usize, b: usize) -> Option<(Iv, Iv)> {
    let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
    let (ia, ib) = (arith::interval(cx, a)?, arith::interval(cx, b)?);
    if fa.per() != fb.per() && !(is_bare(cx, a) || is_bare(cx, b)) {
        return None;
    }
    if is_bare(cx, a) || is_bare(cx, b) {
        // Percentages do not take a bare figure's place, nor the other way round.
        if fa.dimension == Dimension::Percent || fb.dimension == Dimension::Percent {
            return None;
        }
        return Some((ia, ib));
    }
    if fa.dimension != fb.dimension {
        return None;
    }
    if fa.unit == fb.unit {
        return Some((ia, ib));
    }
    let (na, nb) = (fa.normalized_value.get()?, fb.normalized_value.get()?);
    if fa.normalized_unit().is_none()
        || fa.normalized_unit() != fb.normalized_unit()
        || fa.dimension == Dimension::Currency
    {
        return None;
    }
    let (va, vb) = (fa.value.get()?, fb.value.get()?);
    if va.is_zero() || vb.is_zero() {
        return None;
    }
    Some((ia.scale(na / va), ib.scale(nb / vb)))
}

/// Whether two figures share a unit for display (`18 + 8 = 26`): same scale word.
pub fn shown(cx: &Cx, i: usize, share_scale: bool) -> String {
    if share_scale {
        if let Some(d) = arith::digits_text(cx, i) {
            return d.to_string();
        }
    }
    cx.number_text(i).to_string()
}

/// Whether all the figures are written with the same scale (`110.14 billion`, `107.01
/// billion`), so that their digits can be shown alone.
pub fn same_scale(cx: &Cx, figs: &[usize]) -> bool {
    let scales: Vec<Option<Decimal>> = figs.iter().map(|&i| arith::scale_of(cx, i)).collect();
    scales.iter().all(|s| s.is_some() && *s == scales[0])
}

/// The last `n` words of a string, joined by single spaces. Borrowed when those words are
/// already collapsed (as [`Cx::words_between`] gives them), which is every caller's case.
pub fn last_words(s: &str, n: usize) -> Cow<'_, str> {
    if n == 0 {
        return Cow::Borrowed("");
    }
    // After the `n`-th space from the end, or the whole string. When that tail is
    // collapsed, it is the last `n` words (a space stands before it): only it is read.
    let start = s
        .bytes()
        .enumerate()
        .rev()
        .filter(|&(_, b)| b == b' ')
        .nth(n - 1)
        .map_or(0, |(k, _)| k + 1);
    let tail = &s[start..];
    // (An empty tail after a last space is no word: the general way below.)
    if collapsed(tail) && (!tail.is_empty() || s.is_empty()) {
        return Cow::Borrowed(tail);
    }
    let w: Vec<&str> = s.split_whitespace().collect();
    Cow::Owned(w[w.len().saturating_sub(n)..].join(" "))
}

/// The first `n` words of a string, joined by single spaces (borrowed when they are
/// collapsed, see [`last_words`]).
pub fn first_words(s: &str, n: usize) -> Cow<'_, str> {
    if n == 0 {
        return Cow::Borrowed("");
    }
    let end = s
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b' ')
        .nth(n - 1)
        .map_or(s.len(), |(k, _)| k);
    let head = &s[..end];
    if collapsed(head) && (!head.is_empty() || s.is_empty()) {
        return Cow::Borrowed(head);
    }
    Cow::Owned(s.split_whitespace().take(n).collect::<Vec<_>>().join(" "))
}

/// The tokens ([`tokens`]) of the last `n` words of `s` ([`last_words`]), the last first.
/// When those words are ASCII and collapsed (what [`Cx::words_between`] borrows, nearly
/// always) they are read backwards in place, without a list: the checks that look for a
/// word just before a figure (`rose 3.8 pct`) mostly find none and read them all.
pub fn last_tokens_rev(s: &str, n: usize) -> TokensRev<'_> {
    let b = s.as_bytes();
    // Where the last `n` words start, read from the end: ASCII, one space between words,
    // no other white space, none at the end (nor at their start, see `last_words`).
    let mut k = b.len();
    let mut spaces = 0;
    let clean = loop {
        if n == 0 {
            break Some(b.len());
        }
        let Some(&c) = k.checked_sub(1).and_then(|j| b.get(j)) else {
            break Some(0);
        };
        if c == b' ' {
            // A space at the end, two in a row, or the words' start on one.
            if b.get(k) == Some(&b' ') || k == b.len() {
                break None;
            }
            spaces += 1;
            if spaces == n {
                break Some(k);
            }
        } else if c >= 0x80 || CLASSES[usize::from(c)] == Class::Space {
            break None;
        }
        k -= 1;
    };
    match clean {
        Some(start) => TokensRev::Ascii {
            s,
            start,
            k: b.len(),
        },
        None => {
            let words = last_words(s, n);
            let mut t: Vec<String> = tokens(&words).into_iter().map(String::from).collect();
            t.reverse();
            TokensRev::Listed(t.into_iter())
        }
    }
}

/// See [`last_tokens_rev`].
pub enum TokensRev<'a> {
    /// Clean ASCII words `s[start..]`, read back from `k`.
    Ascii { s: &'a str, start: usize, k: usize },
    /// Any other words, split the general way.
    Listed(std::vec::IntoIter<String>),
}

impl<'a> Iterator for TokensRev<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        match self {
            TokensRev::Listed(t) => t.next().map(Cow::Owned),
            TokensRev::Ascii { s, start, k } => {
                let b = s.as_bytes();
                while *k > *start && b[*k - 1] == b' ' {
                    *k -= 1;
                }
                if *k == *start {
                    return None;
                }
                let end = *k;
                // In a word: a letter, digit, apostrophe or hyphen, or a period between
                // one of those and a letter or digit (`U.S`, `4.0bn`; see `tokens`).
                let in_word = |j: usize| {
                    let c = b[j];
                    CLASSES[usize::from(c)] == Class::Word
                        || c == b'.'
                            && j > 0
                            && CLASSES[usize::from(b[j - 1])] == Class::Word
                            && b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
                };
                if in_word(end - 1) {
                    while *k > *start && in_word(*k - 1) {
                        *k -= 1;
                    }
                } else {
                    *k -= 1;
                }
                Some(Cow::Borrowed(&s[*k..end]))
            }
        }
    }
}

/// The first token of `s` ([`tokens`]`(s).first()`), read in place when it is ASCII.
pub fn first_token(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let mut k = 0;
    while b
        .get(k)
        .is_some_and(|&c| CLASSES[usize::from(c)] == Class::Space)
    {
        k += 1;
    }
    let start = k;
    let general = || tokens(s).first().copied();
    match CLASSES[usize::from(*b.get(k)?)] {
        Class::Punct => return Some(&s[k..=k]),
        Class::Word => {}
        Class::Space | Class::Other => return general(),
    }
    k += 1;
    while let Some(&c) = b.get(k) {
        match CLASSES[usize::from(c)] {
            Class::Word => k += 1,
            // A period inside a word or number stays; the byte after it decides, and one
            // outside ASCII may be a letter.
            Class::Punct if c == b'.' => match b.get(k + 1) {
                Some(&d) if d >= 0x80 => return general(),
                Some(d) if d.is_ascii_alphanumeric() => k += 1,
                _ => break,
            },
            Class::Other => return general(),
            _ => break,
        }
    }
    Some(&s[start..k])
}

/// Whether `s` is words separated by single ASCII spaces, with no other white space
/// (`char::is_whitespace`) and none at either end: its words joined by spaces are `s`
/// itself.
fn collapsed(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    if !s.is_ascii() {
        return !s.contains("  ") && !s.chars().any(|c| c != ' ' && c.is_whitespace());
    }
    let mut prev_space = false;
    for &c in b {
        let space = c == b' ';
        // Tab, line feed, vertical tab, form feed and return are the other ASCII white
        // space (`u8::is_ascii_whitespace` leaves out the vertical tab).
        if space && prev_space || !space && (c.is_ascii_whitespace() || c == 0x0b) {
            return false;
        }
        prev_space = space;
    }
    true
}

/// Words of a gap between two figures with punctuation split off (`, of which` →
/// `[",", "of", "which"]`), borrowed from the gap.
pub fn tokens(s: &str) -> Vec<&str> {
    if let Some(t) = tokens_ascii(s) {
        return t;
    }
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        // The current word: `w[cur..k]` when `cur` is set.
        let mut cur: Option<usize> = None;
        let mut chars = w.char_indices().peekable();
        while let Some((k, ch)) = chars.next() {
            // A period inside a word or number stays (`U.S.`, `4.0bn`); one that ends a
            // word is punctuation (`reduction.`).
            let inner_dot = ch == '.'
                && cur.is_some()
                && chars.peek().is_some_and(|&(_, c)| c.is_alphanumeric());
            if ch.is_alphanumeric() || ch == '\'' || ch == '’' || ch == '-' || inner_dot {
                cur.get_or_insert(k);
            } else {
                if let Some(c) = cur.take() {
                    out.push(&w[c..k]);
                }
                out.push(&w[k..k + ch.len_utf8()]);
            }
        }
        if let Some(c) = cur {
            out.push(&w[c..]);
        }
    }
    out
}

/// How [`tokens_ascii`] reads a byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `char::is_whitespace` on ASCII (which, unlike `u8::is_ascii_whitespace`, takes the
    /// vertical tab).
    Space,
    /// A letter, digit, apostrophe or hyphen: part of a word.
    Word,
    /// Any other ASCII byte: a token of its own (a period inside a word aside).
    Punct,
    /// Not ASCII: the text is read char by char.
    Other,
}

const CLASSES: [Class; 256] = {
    let mut t = [Class::Other; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
            Class::Space
        } else if b.is_ascii_alphanumeric() || b == b'\'' || b == b'-' {
            Class::Word
        } else {
            Class::Punct
        };
        c += 1;
    }
    t
};

/// [`tokens`] of an ASCII gap (the common case), a word at a time; `None` at the first
/// byte that is not ASCII.
fn tokens_ascii(s: &str) -> Option<Vec<&str>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 4 + 1);
    let mut k = 0;
    while let Some(&c) = b.get(k) {
        match CLASSES[usize::from(c)] {
            Class::Space => k += 1,
            Class::Word => {
                let start = k;
                k += 1;
                // A period inside a word or number stays (`U.S.`, `4.0bn`).
                while let Some(&c) = b.get(k) {
                    match CLASSES[usize::from(c)] {
                        Class::Word => k += 1,
                        Class::Punct
                            if c == b'.' && b.get(k + 1).is_some_and(u8::is_ascii_alphanumeric) =>
                        {
                            k += 1
                        }
                        Class::Other => return None,
                        _ => break,
                    }
                }
                out.push(&s[start..k]);
            }
            Class::Punct => {
                out.push(&s[k..=k]);
                k += 1;
            }
            Class::Other => return None,
        }
    }
    Some(out)
}

/// Whether the gap between two list members is a list joint: `,`, `and`, `;`, `, and`,
/// plus at most `max_words` other words (`18 international and nine regional`).
pub fn list_joint(gap: &str, max_words: usize) -> bool {
    let t = tokens(gap);
    let joint = t
        .iter()
        .any(|w| matches!(*w, "," | "and" | ";" | "plus" | "&"));
    let words = t
        .iter()
        .filter(|w| w.chars().any(char::is_alphanumeric) && !matches!(**w, "and" | "plus"))
        .count();
    joint
        && words <= max_words
        && !t.iter().any(|w| {
            matches!(
                *w,
                "." | "(" | ")" | "to" | "than" | "of" | "vs" | "versus" | "against"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The allocating definitions these functions replaced, as the reference.
    fn tokens_ref(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        for w in s.split_whitespace() {
            let mut cur = String::new();
            let chars: Vec<char> = w.chars().collect();
            for (k, &ch) in chars.iter().enumerate() {
                let inner_dot = ch == '.'
                    && !cur.is_empty()
                    && chars.get(k + 1).is_some_and(|c| c.is_alphanumeric());
                if ch.is_alphanumeric() || ch == '\'' || ch == '’' || ch == '-' || inner_dot {
                    cur.push(ch);
                } else {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                    out.push(ch.to_string());
                }
            }
            if !cur.is_empty() {
                out.push(cur);
            }
        }
        out
    }

    #[test]
    fn tokens_split_punctuation_and_keep_inner_dots() {
        assert_eq!(
            tokens(", of which U.S. 4.0bn (reduction.)"),
            [
                ",",
                "of",
                "which",
                "U.S",
                ".",
                "4.0bn",
                "(",
                "reduction",
                ".",
                ")"
            ]
        );
        assert_eq!(tokens("don’t –  x"), ["don’t", "–", "x"]);
    }

    #[test]
    fn first_and_last_words() {
        assert_eq!(last_words("rose by a third to", 2), "third to");
        assert_eq!(last_words("to", 5), "to");
        assert_eq!(first_words("fell sharply to 5", 2), "fell sharply");
        assert_eq!(first_words("", 2), "");
        // Not collapsed: the words are joined anew.
        assert_eq!(last_words(" a  b\tc ", 2), "b c");
        assert_eq!(first_words("a\u{a0}b  c", 2), "a b");
    }

    #[test]
    fn tokens_read_from_either_end() {
        let rev = |s, n| last_tokens_rev(s, n).collect::<Vec<_>>();
        assert_eq!(rev("prices rose 3.8 pct, or", 3), ["or", ",", "pct", "3.8"]);
        assert_eq!(rev("the U.S. total", 2), ["total", ".", "U.S"]);
        assert_eq!(rev("a  b\tc", 2), ["c", "b"]);
        assert_eq!(rev("", 5), Vec::<&str>::new());
        assert_eq!(first_token("(up 5"), Some("("));
        assert_eq!(first_token("4.0bn up"), Some("4.0bn"));
        assert_eq!(first_token("don’t"), Some("don’t"));
        assert_eq!(first_token(" \t "), None);
    }

    proptest! {
        /// The readers in place give what splitting the words into a list gives.
        #[test]
        fn tokens_in_place_are_the_listed_ones(
            s in "[a-zA-Z0-9 .,;()'\\-\t\n\x0B\x01$%]{0,40}|[a-z0-9 .'\\-é’\u{a0}]{0,20}|([a-zA-Z.]{1,5} ){0,7}[a-zA-Z0-9.,]{0,5}",
            n in 0usize..7,
        ) {
            let words = last_words(&s, n);
            let mut want = tokens(&words);
            want.reverse();
            let got: Vec<Cow<str>> = last_tokens_rev(&s, n).collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(first_token(&s), tokens(&s).first().copied());
        }

        #[test]
        fn ascii_gaps_are_split_as_any_other(s in "[a-zA-Z0-9 .,;()'\\-\t\n\r\x0B\x0C\x01$%]{0,40}|[a-z0-9 .'\\-é’]{0,20}") {
            prop_assert_eq!(tokens(&s), tokens_ref(&s));
        }

        #[test]
        fn borrowed_forms_equal_the_allocating_ones(
            s in "[a-z .,;()’'\\-\u{a0}\t\x0B]{0,40}",
            n in 0usize..6,
        ) {
            prop_assert_eq!(tokens(&s), tokens_ref(&s));
            let w: Vec<&str> = s.split_whitespace().collect();
            prop_assert_eq!(last_words(&s, n), w[w.len().saturating_sub(n)..].join(" "));
            prop_assert_eq!(
                first_words(&s, n),
                s.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
            );
        }
    }
}
