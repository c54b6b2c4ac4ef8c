//! `malformed-number`: digits that form no number, a misspelt scale word, or a money
//! figure that lost its scale.

use rust_decimal::Decimal;

use super::{arith, conversion_mismatch, Check, Cx, Edit, Finding, Fix, Severity};
use crate::figures::Dimension;

pub(crate) const CHECK: Check = Check {
    code: "malformed-number",
    summary: "A number whose digits, separators or scale word are broken",
    severity: Severity::Error,
    explanation: "\
Catches numbers that no reader can take at face value:

- separators that form no number: `$110,00`, `43,.590`, `9,,100`, `a 4. 8% increase`;
- a misspelt scale word: `$160 billon`, `3 milion tonnes`;
- a money figure missing its scale where its conversion shows one: `$6.3 (£3.35m)` (the \
pound figure says millions; the dollar figure says six dollars thirty).

**Why it matters.** These are typing slips, but each changes the figure by a factor of ten \
to a billion, and a reader or a script will take the digits as written.

**Fires:**

    New prices are 43,.590 dlrs for the coupe.
    The film took $6.3 (£3.35m) over the weekend.

**Does not fire:**

    New prices are 43,590 dlrs for the coupe.
    The film took $6.3m (£3.35m) over the weekend.
    Version 1.2.3 was released on 12.12.14.      (not a figure)

**Fix.** The corrected number, when only one reading fits: `9,,100` → `9,100`; `4. 8%` → \
`4.8%`; `billon` → `billion`; `$6.3` → `$6.3m`; for `43,.590` the reading closest to the \
figures around it.

**Configure.** `decimal = \",\"` reads `1.234,56` as a number; `[checks] malformed-number = \
\"off\"` (or any severity) in `.briefing-ls.toml`; silence one place with \
`<!-- briefing-ls: ignore malformed-number -->`.",
    run,
};

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = run_local(cx);
    out.extend(run_document(cx));
    out
}

/// What one paragraph shows on its own: broken separators and misspelt scales.
pub(crate) fn run_local(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    separators(cx, &mut out);
    scale_words(cx, &mut out);
    out
}

/// What needs the whole document: a lost scale, judged by the document's other conversions.
pub(crate) fn run_document(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    lost_scale(cx, &mut out);
    out
}

/// The first digit of `b` at or after `i` (`b.len()` when none): sixteen bytes at a time
/// (a test without early exit, which the compiler vectorises), as digits are far apart.
fn next_digit(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 16) {
        if chunk.iter().fold(false, |any, c| any | c.is_ascii_digit()) {
            break;
        }
        i += 16;
    }
    while i < b.len() && !b[i].is_ascii_digit() {
        i += 1;
    }
    i.min(b.len())
}

fn is_sep(c: u8) -> bool {
    c == b',' || c == b'.'
}

/// Whether a money or unit marker sits right before `start` or a unit or scale right after
/// `end`, which makes a token with odd separators a figure rather than a list (`1,2`).
fn looks_like_figure(cx: &Cx, start: usize, end: usize) -> bool {
    let before = cx.mask()[..start].trim_end_matches(' ');
    if before.ends_with(['$', '£', '€', '¥', '₸', '₽', '₹']) {
        return true;
    }
    // Figures are in document order: look only at the few that start before `end`.
    let k = cx.figures.partition_point(|f| f.span.start() < end);
    cx.figures[..k]
        .iter()
        .rev()
        .take(8)
        .any(|f| f.span.start() < end && start < f.span.end() && !f.bare)
}

fn separators(cx: &Cx, out: &mut Vec<Finding>) {
    let m = cx.mask().as_bytes();
    let dec = if cx.config.decimal == ',' { b',' } else { b'.' };
    let group = if dec == b'.' { b',' } else { b'.' };
    let mut i = next_digit(m, 0);
    while i < m.len() {
        if !m[i].is_ascii_digit()
            || i > 0
                && (m[i - 1].is_ascii_alphanumeric()
                    || is_sep(m[i - 1]) && i > 1 && m[i - 2].is_ascii_digit())
        {
            i = next_digit(m, i + 1);
            continue;
        }
        let start = i;
        let mut j = i;
        while j < m.len()
            && (m[j].is_ascii_digit()
                || is_sep(m[j])
                    && j + 1 < m.len()
                    && (m[j + 1].is_ascii_digit() || is_sep(m[j + 1])))
        {
            j += 1;
        }
        let end = j;
        i = j.max(i + 1);
        if end < m.len() && m[end].is_ascii_alphabetic() {
            // A scale suffix (`$4,5bn`) still makes a figure; any other letter makes a word.
            // Lower-cased on the stack: a longer word is none of these.
            let letters = m[end..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let mut buf = [0u8; 4];
            let word = super::ascii_lower_in(&cx.mask()[end..end + letters], &mut buf);
            if !matches!(word, "bn" | "m" | "mn" | "k" | "tn" | "b" | "mln" | "bln") {
                continue;
            }
        }
        let tok = &cx.mask()[start..end];
        let b = tok.as_bytes();
        // `a 4. 8% increase`: a decimal mark followed by a space inside a figure.
        if end < m.len()
            && m[end] == dec
            && end + 2 < m.len()
            && m[end + 1] == b' '
            && m[end + 2].is_ascii_digit()
            && tok.len() <= 3
        {
            let mut k = end + 2;
            while k < m.len() && m[k].is_ascii_digit() {
                k += 1;
            }
            let rest = cx.mask()[k..].trim_start_matches(' ').to_ascii_lowercase();
            let before = cx.mask()[..start].trim_end();
            // Never across a blank line: a paragraph's start is not mid-sentence.
            let blank_line = cx.mask()[before.len()..start].matches('\n').count() > 1;
            let mid_sentence = !blank_line
                && before.ends_with(|c: char| c.is_alphabetic())
                && !before.ends_with(|c: char| c.is_uppercase());
            if mid_sentence
                && (rest.starts_with('%') || rest.starts_with("pct") || rest.starts_with("per"))
            {
                let fixed = format!("{}{}", tok, &cx.mask()[end..end + 1]);
                let fixed = format!("{fixed}{}", &cx.mask()[end + 2..k]);
                let mut f = cx.finding(
                    &CHECK,
                    start..k,
                    format!(
                        "`{}` has a space after its decimal mark: write `{fixed}`",
                        &cx.text[start..k]
                    ),
                );
                f.fixes.push(Fix {
                    title: format!("Write `{fixed}`").into(),
                    edits: vec![Edit {
                        start,
                        end: k,
                        text: fixed.into(),
                    }]
                    .into(),
                });
                out.push(f);
                i = k;
            }
            continue;
        }
        if !b.iter().any(|c| is_sep(*c)) {
            continue;
        }
        let doubled = b.windows(2).any(|w| is_sep(w[0]) && is_sep(w[1]));
        if doubled {
            let candidates = repairs(tok, dec, group);
            let mut f = cx.finding(
                &CHECK,
                start..end,
                format!("`{tok}` has two separators in a row and forms no number"),
            );
            if let Some(best) = pick(cx, start, &candidates, dec) {
                f.message =
                    format!("`{tok}` has two separators in a row and forms no number: `{best}`?")
                        .into();
                f.fixes.push(Fix {
                    title: format!("Write `{best}`").into(),
                    edits: vec![Edit {
                        start,
                        end,
                        text: best.into(),
                    }]
                    .into(),
                });
            }
            out.push(f);
            continue;
        }
        if !valid(tok, dec, group)
            && b.iter().filter(|c| **c == dec).count() <= 1
            && looks_like_figure(cx, start, end)
        {
            out.push(cx.finding(
                &CHECK,
                start..end,
                join!(
                    "`",
                    tok,
                    "` is not a number: its digit groups do not match its separators"
                ),
            ));
        }
    }
}

/// Whether a numeral is well formed: groups of three after each grouping mark, at most
/// one decimal mark, after the groups.
fn valid(tok: &str, dec: u8, group: u8) -> bool {
    let (int, frac) = match tok.as_bytes().iter().position(|c| *c == dec) {
        Some(k) => (&tok[..k], Some(&tok[k + 1..])),
        None => (tok, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let mut groups = int.split(group as char);
    let first = groups.next().unwrap_or("");
    let mut rest = groups.peekable();
    if rest.peek().is_none() {
        return !first.is_empty();
    }
    (1..=3).contains(&first.len()) && rest.all(|g| g.len() == 3)
}

/// Readings of a numeral with a doubled separator: drop one of the two.
fn repairs(tok: &str, dec: u8, group: u8) -> Vec<String> {
    let b = tok.as_bytes();
    let mut out: Vec<String> = Vec::new();
    for k in 0..b.len().saturating_sub(1) {
        if is_sep(b[k]) && is_sep(b[k + 1]) {
            for drop in [k, k + 1] {
                let mut s = tok.to_string();
                s.remove(drop);
                if valid(&s, dec, group) && !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

fn parse(s: &str, dec: u8) -> Option<Decimal> {
    let t: String = s
        .chars()
        .filter(|c| c.is_ascii_digit() || *c as u32 == dec as u32)
        .map(|c| if c as u32 == dec as u32 { '.' } else { c })
        .collect();
    t.parse().ok()
}

/// The one reading that fits: the only candidate, or the one closest (by ratio) to the
/// nearest figures of the same sentence.
fn pick(cx: &Cx, at: usize, candidates: &[String], dec: u8) -> Option<String> {
    match candidates {
        [] => None,
        [one] => Some(one.clone()),
        _ => {
            let s = cx.doc.sentence_at(at)?;
            let neighbours: Vec<Decimal> = cx
                .doc
                .sentence_figures(s)
                .filter(|&j| !(cx.figures[j].span.start() <= at && at < cx.figures[j].span.end()))
                .filter_map(|j| {
                    let f = &cx.figures[j];
                    let scale = arith::scale_of(cx, j).unwrap_or(Decimal::ONE);
                    f.value.get().map(|v| v / scale)
                })
                .filter(|v| *v > Decimal::ZERO)
                .collect();
            if neighbours.is_empty() {
                return None;
            }
            let dist = |c: &String| -> Option<f64> {
                let v = parse(c, dec)?;
                use rust_decimal::prelude::ToPrimitive;
                let v = v.to_f64()?;
                neighbours
                    .iter()
                    .filter_map(|n| n.to_f64())
                    .map(|n| (v / n).ln().abs())
                    .reduce(f64::min)
            };
            let mut scored: Vec<(f64, &String)> = candidates
                .iter()
                .filter_map(|c| Some((dist(c)?, c)))
                .collect();
            scored.sort_by(|a, b| a.0.total_cmp(&b.0));
            // Only when one reading is clearly closer (a factor of ten or more apart).
            match scored.as_slice() {
                [a, b, ..] if b.0 - a.0 > std::f64::consts::LN_10 * 0.9 => Some(a.1.clone()),
                _ => None,
            }
        }
    }
}

const SCALES: [&str; 4] = ["million", "billion", "trillion", "thousand"];

/// Damerau–Levenshtein distance is exactly one.
fn one_edit(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 4 {
        // More than one character apart in length (a character is at most four bytes).
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return one_edit_in(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    one_edit_in(&a, &b)
}

fn one_edit_in<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a == b {
        return false;
    }
    if a.len() == b.len() {
        // One substitution, or two neighbours swapped.
        let mut diffs = (0..a.len()).filter(|&k| a[k] != b[k]);
        let (Some(d0), d1, None) = (diffs.next(), diffs.next(), diffs.next()) else {
            return false;
        };
        return match d1 {
            None => true,
            Some(d1) => d1 == d0 + 1 && a[d0] == b[d1] && a[d1] == b[d0],
        };
    }
    let (s, l) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if l.len() - s.len() != 1 {
        return false;
    }
    let k = (0..s.len()).find(|&k| s[k] != l[k]).unwrap_or(s.len());
    s[k..] == l[k + 1..]
}

/// The byte values of an ASCII word as a set of bits (a byte's bit: its value modulo 64).
fn byte_set(w: &str) -> u64 {
    w.bytes().fold(0, |set, b| set | 1 << (b & 63))
}

/// Whether ASCII words with the [`byte_set`]s `a` and `b` may be one edit apart: what
/// [`one_edit`] needs, told in a few instructions. A substitution, insertion, deletion or
/// swap adds at most one byte value to a word and takes at most one away.
fn may_be_one_edit(a: u64, b: u64) -> bool {
    (a & !b).count_ones() <= 1 && (b & !a).count_ones() <= 1
}

fn scale_words(cx: &Cx, out: &mut Vec<Finding>) {
    let m = cx.mask();
    let b = m.as_bytes();
    let mut i = next_digit(b, 0);
    while i < b.len() {
        let mut j = i;
        while j < b.len()
            && (b[j].is_ascii_digit()
                || is_sep(b[j]) && j + 1 < b.len() && b[j + 1].is_ascii_digit())
        {
            j += 1;
        }
        i = next_digit(b, j);
        let ws = m[j..].len() - m[j..].trim_start_matches(' ').len();
        let w_start = j + ws;
        let w_end = m[w_start..]
            .find(|c: char| !c.is_ascii_alphabetic())
            .map(|k| w_start + k)
            .unwrap_or(m.len());
        let word = &m[w_start..w_end];
        // A scale word or one edit from one, plural or not: 6 to 10 letters (the scales
        // have 7 or 8). Most words after a number are outside that or plain words.
        if !(6..=10).contains(&word.len()) {
            continue;
        }
        let mut buf = [0u8; 10];
        let lower = super::ascii_lower_in(word, &mut buf);
        if SCALES
            .iter()
            .any(|s| lower == *s || lower.strip_suffix('s') == Some(*s))
        {
            continue;
        }
        let singular = lower.strip_suffix('s').unwrap_or(lower);
        // Most words are far from every scale: their bytes tell at once.
        let (in_lower, in_singular) = (byte_set(lower), byte_set(singular));
        if let Some(s) = SCALES.iter().find(|s| {
            let in_s = byte_set(s);
            (may_be_one_edit(in_lower, in_s) && one_edit(lower, s))
                || (may_be_one_edit(in_singular, in_s) && one_edit(singular, s))
        }) {
            let fixed = if lower.ends_with('s') && !s.ends_with('s') && !one_edit(lower, s) {
                format!("{s}s")
            } else {
                s.to_string()
            };
            let fixed = if word.chars().next().is_some_and(char::is_uppercase) {
                super::words::capitalise(&fixed)
            } else {
                fixed
            };
            let mut f = cx.finding(
                &CHECK,
                w_start..w_end,
                format!("`{word}` is not a scale word: `{fixed}`?"),
            );
            f.fixes.push(Fix {
                title: format!("Write `{fixed}`").into(),
                edits: vec![Edit {
                    start: w_start,
                    end: w_end,
                    text: fixed.into(),
                }]
                .into(),
            });
            out.push(f);
        }
    }
}

/// `$6.3 (£3.35m)`: a money figure and its conversion in parentheses whose rate is off by
/// a power of a thousand that one side's missing scale explains.
fn lost_scale(cx: &Cx, out: &mut Vec<Finding>) {
    for (a, b) in cx.conversion_pairs().to_vec() {
        let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
        if fa.dimension != Dimension::Currency || fb.dimension != Dimension::Currency {
            continue;
        }
        let (Some(va), Some(vb)) = (fa.value.get(), fb.value.get()) else {
            continue;
        };
        let (ua, ub) = (fa.unit.unwrap_or_default(), fb.unit.unwrap_or_default());
        let Some(expected) = conversion_mismatch::expected_rate(cx, ua, ub, Some((a, b))) else {
            continue;
        };
        if va.is_zero() || vb.is_zero() {
            continue;
        }
        use rust_decimal::prelude::ToPrimitive;
        let implied = (vb / va).to_f64().unwrap_or(0.0);
        if implied <= 0.0 {
            continue;
        }
        let off = (implied / expected).log10();
        // Which side lacks a scale the other has.
        let (lacking, having, k) = match (
            fa.written.scale_span.is_some(),
            fb.written.scale_span.is_some(),
        ) {
            (false, true) => (a, b, off),
            (true, false) => (b, a, -off),
            _ => continue,
        };
        let power = (k / 3.0).round() * 3.0;
        if power < 3.0 || (k - power).abs() > 0.5 {
            continue;
        }
        let h = &cx.figures[having];
        let Some(ss) = h.written.scale_span.get() else {
            continue;
        };
        let scale_text = cx.slice(ss.clone());
        let attached = ss.start
            == h.number.start() + arith::digits_text(cx, having).map(str::len).unwrap_or(0)
            && !cx.slice(h.number.range()).contains(' ');
        let insert = if attached {
            scale_text.to_string()
        } else {
            format!(" {scale_text}")
        };
        let l = &cx.figures[lacking];
        let shown = format!("{}{insert}", cx.number_text(lacking));
        let mut f = cx.finding(
            &CHECK,
            l.span.range(),
            format!(
                "`{}` has no scale, but its conversion `{}` is in {}: `{shown}`?",
                cx.fig_text(lacking),
                cx.fig_text(having),
                match power as i32 {
                    3 => "thousands",
                    6 => "millions",
                    9 => "billions",
                    _ => "a larger scale",
                }
            ),
        );
        f.related.push(cx.related(having, "its conversion"));
        f.fixes.push(Fix {
            title: format!("Write `{shown}`").into(),
            edits: vec![Edit {
                start: l.number.end(),
                end: l.number.end(),
                text: insert.into(),
            }]
            .into(),
        });
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    /// The decoding implementation `one_edit` replaced, as the reference.
    fn one_edit_chars(a: &str, b: &str) -> bool {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        if a == b {
            return false;
        }
        if a.len() == b.len() {
            let diffs: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
            return diffs.len() == 1
                || diffs.len() == 2
                    && diffs[1] == diffs[0] + 1
                    && a[diffs[0]] == b[diffs[1]]
                    && a[diffs[1]] == b[diffs[0]];
        }
        let (s, l) = if a.len() < b.len() {
            (&a, &b)
        } else {
            (&b, &a)
        };
        if l.len() - s.len() != 1 {
            return false;
        }
        let k = (0..s.len()).find(|&k| s[k] != l[k]).unwrap_or(s.len());
        s[k..] == l[k + 1..]
    }

    #[test]
    fn one_edit_as_decoded_on_every_edit_of_a_scale() {
        let alphabet = ['m', 'i', 'l', 'o', 'n', 'b', 'é', '😀'];
        for s in ["million", "billion", "trillion", "thousand", "bn"] {
            let c: Vec<char> = s.chars().collect();
            let mut variants = Vec::new();
            for k in 0..=c.len() {
                for &x in &alphabet {
                    let mut v = c.clone();
                    v.insert(k, x);
                    variants.push(v);
                    if k < c.len() {
                        let mut v = c.clone();
                        v[k] = x;
                        variants.push(v);
                    }
                }
                if k < c.len() {
                    let mut v = c.clone();
                    v.remove(k);
                    variants.push(v.clone());
                    v.insert(k, '😀');
                    variants.push(v);
                }
                if k + 1 < c.len() {
                    let mut v = c.clone();
                    v.swap(k, k + 1);
                    variants.push(v);
                }
            }
            for v in variants {
                let v: String = v.into_iter().collect();
                for t in ["million", "billion", "trillion", "thousand", "bn", s] {
                    assert_eq!(super::one_edit(&v, t), one_edit_chars(&v, t), "{v:?} {t:?}");
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn one_edit_as_decoded(
            a in proptest::collection::vec(proptest::sample::select(vec!['m', 'i', 'l', 'o', 'n', 'é', '😀', 's']), 0..9),
            b in proptest::collection::vec(proptest::sample::select(vec!['m', 'i', 'l', 'o', 'n', 'é', '😀', 's']), 0..9),
        ) {
            let (a, b): (String, String) = (a.into_iter().collect(), b.into_iter().collect());
            proptest::prop_assert_eq!(super::one_edit(&a, &b), one_edit_chars(&a, &b));
            for s in ["million", "billion", "trillion", "thousand"] {
                proptest::prop_assert_eq!(super::one_edit(&a, s), one_edit_chars(&a, s));
            }
        }

        /// No word one edit from another is turned away by their bytes: near the scales
        /// (their letters, edits of them) and anywhere.
        #[test]
        fn byte_sets_keep_every_word_one_edit_away(
            a in "[milonbtrhusadxe]{0,10}|[a-z]{0,10}",
            s in proptest::sample::select(vec!["million", "billion", "trillion", "thousand", "millions"]),
            edit in 0usize..4,
            at in 0usize..12,
            c in proptest::char::range('a', 'z'),
        ) {
            // Also a word made one edit from the scale: substitution, insertion, deletion, swap.
            let mut e: Vec<u8> = s.bytes().collect();
            let k = at.min(e.len() - 1);
            match edit {
                0 => e[k] = c as u8,
                1 => e.insert(k, c as u8),
                2 => { e.remove(k); }
                _ => if k + 1 < e.len() { e.swap(k, k + 1) },
            }
            let e = String::from_utf8(e).unwrap();
            for w in [a.as_str(), e.as_str()] {
                if super::one_edit(w, s) {
                    proptest::prop_assert!(super::may_be_one_edit(super::byte_set(w), super::byte_set(s)), "{} {}", w, s);
                }
            }
        }

        /// The chunked search finds the digit a byte-by-byte one finds, from any place.
        #[test]
        fn next_digit_as_byte_by_byte(s in "[a-z ,.]{0,40}[0-9]?[a-z .]{0,30}[0-9]?", from in 0usize..80) {
            let b = s.as_bytes();
            let naive = (from..b.len()).find(|&k| b[k].is_ascii_digit()).unwrap_or(b.len()).max(from.min(b.len()));
            proptest::prop_assert_eq!(super::next_digit(b, from), naive);
        }
    }

    use super::super::testing::{check, fixed};
    use super::CHECK;

    #[test]
    fn flags_broken_separators() {
        check(
            &CHECK,
            "Prices are 42,525 dlrs, 43,.590 dlrs and 44,100 dlrs.",
            "1:25 `43,.590` has two separators in a row and forms no number: `43,590`?",
        );
        assert_eq!(
            fixed(&CHECK, "They seized 9,,100 rounds."),
            "They seized 9,100 rounds."
        );
        check(
            &CHECK,
            "It cost $110,00 in May.",
            "1:10 `110,00` is not a number: its digit groups do not match its separators",
        );
    }

    #[test]
    fn flags_a_space_after_the_decimal_mark() {
        let t = "Growth reached 5% with a 4. 8% increase in industry.";
        check(
            &CHECK,
            t,
            "1:26 `4. 8` has a space after its decimal mark: write `4.8`",
        );
        assert_eq!(
            fixed(&CHECK, t),
            "Growth reached 5% with a 4.8% increase in industry."
        );
    }

    #[test]
    fn flags_a_misspelt_scale() {
        assert_eq!(
            fixed(&CHECK, "Costs reached $160 billon last year."),
            "Costs reached $160 billion last year."
        );
    }

    #[test]
    fn flags_a_lost_scale_beside_its_conversion() {
        let t = "It took $22m (£11.7m) on Friday and $6.3 (£3.35m) on Sunday.";
        check(
            &CHECK,
            t,
            "1:37 `$6.3` has no scale, but its conversion `£3.35m` is in millions: `6.3m`?",
        );
        assert_eq!(
            fixed(&CHECK, t),
            "It took $22m (£11.7m) on Friday and $6.3m (£3.35m) on Sunday."
        );
    }

    #[test]
    fn silent_on_good_numbers_dates_and_versions() {
        check(
            &CHECK,
            "Prices are 43,590 dlrs and 1,234.56 euros; version 1.2.3 of 12.12.14.",
            "",
        );
        check(&CHECK, "The list is 1. Income; 2. Housing; 3. Regions.", "");
        check(&CHECK, "Billions were spent; 5 millions; 3 thousands.", "");
    }
}
