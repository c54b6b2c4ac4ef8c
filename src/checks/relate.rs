//! Relating figures: which figures measure the same kind of thing, and the words that tie
//! them (`of which`, `from`, `to`, `above`). Shared by the arithmetic checks.

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
    if fa.per != fb.per && !(is_bare(cx, a) || is_bare(cx, b)) {
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
    let (na, nb) = (fa.normalized_value?, fb.normalized_value?);
    if fa.normalized_unit.is_none()
        || fa.normalized_unit != fb.normalized_unit
        || fa.dimension == Dimension::Currency
    {
        return None;
    }
    let (va, vb) = (fa.value?, fb.value?);
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

/// The last `n` words of a string.
pub fn last_words(s: &str, n: usize) -> String {
    let w: Vec<&str> = s.split_whitespace().collect();
    w[w.len().saturating_sub(n)..].join(" ")
}

/// The first `n` words of a string.
pub fn first_words(s: &str, n: usize) -> String {
    s.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// Words of a gap between two figures with punctuation split off (`, of which` →
/// `[",", "of", "which"]`).
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in s.split_whitespace() {
        let mut cur = String::new();
        let chars: Vec<char> = w.chars().collect();
        for (k, &ch) in chars.iter().enumerate() {
            // A period inside a word or number stays (`U.S.`, `4.0bn`); one that ends a
            // word is punctuation (`reduction.`).
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

/// Whether the gap between two list members is a list joint: `,`, `and`, `;`, `, and`,
/// plus at most `max_words` other words (`18 international and nine regional`).
pub fn list_joint(gap: &str, max_words: usize) -> bool {
    let t = tokens(gap);
    let joint = t
        .iter()
        .any(|w| matches!(w.as_str(), "," | "and" | ";" | "plus" | "&"));
    let words = t
        .iter()
        .filter(|w| w.chars().any(char::is_alphanumeric) && !matches!(w.as_str(), "and" | "plus"))
        .count();
    joint
        && words <= max_words
        && !t.iter().any(|w| {
            matches!(
                w.as_str(),
                "." | "(" | ")" | "to" | "than" | "of" | "vs" | "versus" | "against"
            )
        })
}
