//! `total-mismatch`: a stated total that its listed components do not add up to.

use rust_decimal::Decimal;

use super::arith::{self, Iv};
use super::doc::UnitKind;
use super::relate::{self, comparable};
use super::{Check, Cx, Edit, Finding, Fix, Severity};
use crate::figures::Qualifier;

pub(crate) const CHECK: Check = Check {
    code: "total-mismatch",
    summary: "A stated total disagrees with the components listed for it",
    severity: Severity::Error,
    explanation: "\
Catches a total followed (or preceded) by the full list of its components when they do not \
add up: `a total of 27 channels: 18 international and 8 regional` (18 + 8 = 26).

A list counts as complete when a colon, dash, `namely`, `comprising`, `consisting of`, \
`made up of` or `split into` introduces it, or when the total follows it with `a total of`, \
`in all`, `in total` or `altogether`; a total whose list items follow on their own lines \
(a sentence ending in a colon, then one figure per item) counts too, and so does a Markdown \
table's `Total` row against the column above it. `including` and `of \
which` introduce some parts only (see `part-exceeds-whole`).

**Why it matters.** One of the figures is wrong, and readers who add them up notice.

**Fires:**

    A total of 27 channels were closed: 18 international and 8 regional.

**Does not fire:**

    A total of 27 channels were closed: 18 international and nine regional.
    A total of over 800 kg of drugs and 14 tons of reagents were seized.   (not a breakdown)

**Fix.** Replace the total with the computed sum (when every figure is exact).

**Configure.** `[checks] total-mismatch = \"off\"` (or any severity) in `.briefing-ls.toml`; \
silence one place with `<!-- briefing-ls: ignore total-mismatch -->`.",
    run,
};

const LIST_CUES: &[&str] = &[
    ":",
    "-",
    "–",
    "—",
    "namely",
    "comprising",
    "consisting of",
    "made up of",
    "split into",
    "broken down into",
    "divided into",
    "split between",
    "of them",
];
const TOTAL_AFTER: &[&str] = &[
    "a total of",
    "total of",
    "in total",
    "in all",
    "altogether",
    "totalling",
    "totaling",
    "for a total of",
    "combined",
];

/// Each of [`TOTAL_AFTER`] holds one of these pairs of bytes: words without them are
/// passed over with one look at each byte rather than nine searches.
const TOTAL_HINTS: [[u8; 2]; 2] = [*b"al", *b"mb"];

/// Whether `s` holds one of [`TOTAL_HINTS`] (and so may hold one of [`TOTAL_AFTER`]).
fn hinted(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| TOTAL_HINTS.contains(&[w[0], w[1]]))
}

/// A cue that is a mark (`:`, a dash): the gap's last token, where the others are looked
/// for anywhere in the gap.
fn is_mark(cue: &str) -> bool {
    cue.len() == 1 || cue == "–" || cue == "—"
}

/// The cues of [`LIST_CUES`] that are words, searched for at once (most gaps hold none).
static CUE_WORDS: std::sync::LazyLock<crate::prose::AnyOf> = std::sync::LazyLock::new(|| {
    let words: Vec<&'static str> = LIST_CUES.iter().copied().filter(|c| !is_mark(c)).collect();
    crate::prose::AnyOf::new(&words)
});

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    table_totals(cx, &mut out);
    let n = cx.figures.len();
    for t in cx.focus.start..n.min(cx.focus.end) {
        let sentence = cx.sentence_figures(t);
        // Total first, then the list.
        let gap = match t + 1 < sentence.end {
            true => cx.words_between(cx.figures[t].span.end(), cx.figures[t + 1].span.start()),
            false => "".into(),
        };
        // What `cue` below needs, before the tokens: a mark that ends the gap (its last
        // token is a suffix of it) or a cue word in it. Most gaps have neither.
        let may_cue = t + 1 < sentence.end
            && (LIST_CUES.iter().any(|c| is_mark(c) && gap.ends_with(c))
                || CUE_WORDS.in_(gap.as_bytes()));
        if may_cue {
            let toks = relate::tokens(&gap);
            let words = toks
                .iter()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            // The cheap tests first: most gaps fail them.
            let cue = || {
                toks.last().is_some_and(|&w| w == ":")
                    || (LIST_CUES
                        .iter()
                        .any(|c| is_mark(c) && toks.last().is_some_and(|w| w == c))
                        || CUE_WORDS.in_(gap.as_bytes()))
                        && (holds!(gap.as_ref(), "total")
                            || holds!(relate::last_words(&cx.words_before(t), 4).as_ref(), "total"))
            };
            if words <= 8
                && !toks.contains(&",")
                && !holds!(gap.as_ref(), "including")
                && !holds!(gap.as_ref(), "of which")
                && cue()
            {
                let comps = list_from(cx, t + 1, sentence.end, t);
                if comps.len() >= 2 {
                    check(cx, t, &comps, &mut out);
                    continue;
                }
            }
        }
        // The list, then the total.
        if t > sentence.start {
            let before = cx.words_between(cx.figures[t - 1].span.end(), cx.figures[t].span.start());
            // (The last four words hold a hint only where the gap does: most do not.)
            let last4 = match hinted(&before) {
                true => relate::last_words(&before, 4),
                false => "".into(),
            };
            if hinted(&last4)
                && TOTAL_AFTER.iter().any(|c| last4.contains(c))
                && relate::tokens(&before)
                    .iter()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
                    <= 6
            {
                let mut comps = vec![t - 1];
                let mut k = t - 1;
                while k > sentence.start {
                    let g =
                        cx.words_between(cx.figures[k - 1].span.end(), cx.figures[k].span.start());
                    if !relate::list_joint(&g, 4) {
                        break;
                    }
                    comps.push(k - 1);
                    k -= 1;
                }
                comps.reverse();
                comps.retain(|&c| comparable(cx, t, c).is_some());
                if comps.len() >= 2 {
                    check(cx, t, &comps, &mut out);
                    continue;
                }
            }
        }
        // A sentence ending in a colon, then list items that start with a figure.
        let s_idx = cx.doc.fig_sentence[t];
        let s = &cx.doc.sentences[s_idx];
        let sentence_text = cx.slice(s.range.clone()).trim_end();
        if sentence_text.ends_with(':')
            && sentence.end == t + 1
            && relate::last_words(&cx.words_before(t), 4).contains("total")
        {
            let mut comps = Vec::new();
            for (k, next) in cx.doc.sentences.iter().enumerate().skip(s_idx + 1) {
                if next.kind != UnitKind::ListItem {
                    break;
                }
                if cx.doc.sentences[k - 1].unit == next.unit {
                    continue;
                }
                match cx.doc.sentence_figures(k).next() {
                    Some(c)
                        if cx.figures[c].span.start() == next.range.start
                            && comparable(cx, t, c).is_some() =>
                    {
                        comps.push(c)
                    }
                    _ => break,
                }
            }
            if comps.len() >= 2 {
                check(cx, t, &comps, &mut out);
            }
        }
    }
    out
}

/// The cells of a Markdown table row: byte ranges between the pipes.
fn cells(text: &str, start: usize, line: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let lead = line.len() - line.trim_start().len();
    let body = line.trim_end();
    let mut cell_start = start + lead + 1;
    for (k, ch) in body.char_indices().skip(lead + 1) {
        if ch == '|' {
            out.push(cell_start..start + k);
            cell_start = start + k + 1;
        }
    }
    if cell_start < start + body.len() && !text[cell_start..start + body.len()].trim().is_empty() {
        out.push(cell_start..start + body.len());
    }
    out
}

/// The one figure of a table cell, if the cell holds exactly one.
fn cell_figure(cx: &Cx, cell: &std::ops::Range<usize>) -> Option<usize> {
    let k = cx.figures.partition_point(|f| f.span.start() < cell.start);
    let inside: Vec<usize> = (k..cx.figures.len())
        .take_while(|&i| cx.figures[i].span.end() <= cell.end)
        .collect();
    match inside.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A Markdown table whose `Total` row disagrees with the column above it.
fn table_totals(cx: &Cx, out: &mut Vec<Finding>) {
    // `memchr`'s vectorised search: this runs on every chunk.
    if memchr::memchr(b'|', cx.text.as_bytes()).is_none() {
        return;
    }
    // Rows of the current table: (cells), reset at every line that is not a table row.
    let mut rows: Vec<Vec<std::ops::Range<usize>>> = Vec::new();
    let mut pos = 0;
    for line in cx.text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let l = line.trim_end_matches(['\n', '\r']);
        let t = l.trim();
        if !t.starts_with('|') {
            rows.clear();
            continue;
        }
        if t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+')) {
            // The header separator: the rows so far were the header.
            rows.clear();
            continue;
        }
        let row = cells(cx.text, start, l);
        let label = row
            .first()
            .map(|c| cx.text[c.clone()].trim().trim_matches('*').to_lowercase())
            .unwrap_or_default();
        if (label.starts_with("total") || label == "all" || label == "overall") && rows.len() >= 2 {
            for (col, cell) in row.iter().enumerate().skip(1) {
                let Some(t) = cell_figure(cx, cell) else {
                    continue;
                };
                if cx.figures[t].dimension == crate::figures::Dimension::Percent {
                    continue;
                }
                let comps: Option<Vec<usize>> = rows
                    .iter()
                    .filter_map(|r| r.get(col))
                    .filter(|c| !matches!(cx.text[(*c).clone()].trim(), "" | "-" | "–" | "—"))
                    .map(|c| cell_figure(cx, c))
                    .collect();
                if let Some(comps) = comps {
                    if comps.len() >= 2 && comps.iter().all(|&c| comparable(cx, t, c).is_some()) {
                        check(cx, t, &comps, out);
                    }
                }
            }
        }
        rows.push(row);
    }
}

/// The figures of a list starting at `first`: joined by `,` / `and` with a few words each.
fn list_from(cx: &Cx, first: usize, end: usize, total: usize) -> Vec<usize> {
    let mut comps = vec![first];
    let mut k = first + 1;
    while k < end {
        let g = cx.words_between(cx.figures[k - 1].span.end(), cx.figures[k].span.start());
        if !relate::list_joint(&g, 5) {
            break;
        }
        comps.push(k);
        k += 1;
    }
    comps.retain(|&c| {
        comparable(cx, total, c).is_some() && cx.figures[c].dimension == cx.figures[total].dimension
    });
    comps
}

fn check(cx: &Cx, total: usize, comps: &[usize], out: &mut Vec<Finding>) {
    let mut sum: Option<Iv> = None;
    let mut t_iv = None;
    for &c in comps {
        let Some((it, ic)) = comparable(cx, total, c) else {
            return;
        };
        sum = Some(match sum {
            Some(s) => s.add(&ic),
            None => ic,
        });
        t_iv = Some(it);
    }
    let (Some(sum), Some(t_iv)) = (sum, t_iv) else {
        return;
    };
    if sum.meets(&t_iv) {
        return;
    }
    let values: Option<Vec<Decimal>> = comps
        .iter()
        .map(|&c| arith::value(&cx.figures[c]))
        .collect();
    let Some(values) = values else { return };
    let computed: Decimal = values.iter().sum();
    let mut all = comps.to_vec();
    all.push(total);
    let share = relate::same_scale(cx, &all);
    let scale = if share {
        arith::scale_of(cx, total).unwrap_or(Decimal::ONE)
    } else {
        Decimal::ONE
    };
    let terms: Vec<String> = comps.iter().map(|&c| relate::shown(cx, c, share)).collect();
    let total_digits = relate::shown(cx, total, share);
    let shown = arith::format_auto(computed / scale, 3);
    let mut f = cx.finding(
        &CHECK,
        cx.figures[total].span.range(),
        format!(
            "{} = {shown}, not {total_digits}: the total disagrees with its components",
            terms.join(" + ")
        ),
    );
    for &c in comps {
        f.related.push(cx.related(c, "component"));
    }
    let exact = all
        .iter()
        .all(|&i| cx.figures[i].qualifier == Qualifier::Exact);
    if exact {
        if let Some(d) = arith::digits_text(cx, total) {
            let n = &cx.figures[total].number;
            if let Some(off) = cx.number_text(total).find(d) {
                let start = n.start() + off;
                f.fixes.push(Fix {
                    title: format!("Replace the total with {shown}").into(),
                    edits: vec![Edit {
                        start,
                        end: start + d.len(),
                        text: shown.into(),
                    }]
                    .into(),
                });
            }
        }
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, fixed};
    use super::CHECK;

    #[test]
    fn every_total_cue_holds_a_hint() {
        for c in super::TOTAL_AFTER {
            assert!(super::hinted(c), "{c}");
        }
        for s in ["the rest", "ala", "a lot", "m b", ""] {
            assert_eq!(super::hinted(s), s == "ala", "{s}");
        }
    }

    #[test]
    fn flags_a_total_its_list_contradicts() {
        let t = "A total of 27 channels were closed: 18 international and 8 regional.";
        check(
            &CHECK,
            t,
            "1:12 18 + 8 = 26, not 27: the total disagrees with its components",
        );
        assert_eq!(
            fixed(&CHECK, t),
            "A total of 26 channels were closed: 18 international and 8 regional."
        );
        check(
            &CHECK,
            "Officers closed 18 international and 8 regional channels, a total of 27.",
            "1:70 18 + 8 = 26, not 27: the total disagrees with its components",
        );
    }

    #[test]
    fn flags_a_total_over_list_items() {
        let t = "The channels closed, a total of 27:\n\n- 18 international\n- 8 regional\n";
        check(
            &CHECK,
            t,
            "1:33 18 + 8 = 26, not 27: the total disagrees with its components",
        );
    }

    #[test]
    fn silent_on_sums_that_agree_and_lists_that_are_not_breakdowns() {
        check(
            &CHECK,
            "A total of 27 channels were closed: 18 international and nine regional.",
            "",
        );
        check(&CHECK, "A total of over 800kg of drugs and psychotropic substances, 14 tons of reagents and straw were seized.", "");
        check(
            &CHECK,
            "There were 24 donations totalling £161,840 from one company.",
            "",
        );
    }
}
