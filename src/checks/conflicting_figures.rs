//! `conflicting-figures`: the same thing given two different values in one document.

use super::arith;
use super::{Check, Cx, Finding, Severity};
use crate::figures::{Dimension, Qualifier};

pub(crate) const CHECK: Check = Check {
    code: "conflicting-figures",
    summary: "One quantity is given two different values in one document",
    severity: Severity::Warning,
    explanation: "\
Catches one quantity stated twice with values that cannot both be true:

- two structured tags with the same `id` and different values;
- the same subject, unit and period described twice (`coffee sales reached almost 6.2 mln \
bags` ... `coffee sales were estimated at 6.13 mln bags`).

Each figure stands for the interval its digits and qualifier allow: a headline that rounds \
the body (`£1bn` for `£960m`) agrees with it, and `nearly 6.2 mln` means just under 6.2 \
million. Figures for different periods (`in 2003` vs `in 2004`) or in a change (`from`, \
`to`, `up`, `down`) are different quantities.

**Why it matters.** Two values for one fact mean at least one is wrong, and readers quote \
whichever they saw first.

**Fires:**

    Coffee sales reached almost 6.2 mln bags this season. ... Coffee sales were estimated at \
6.13 mln bags this season.

**Does not fire:**

    UK pledges £1bn to vaccines. ... The chancellor offered £960m over 15 years.

**Configure.** `[checks] conflicting-figures = \"off\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore conflicting-figures -->`.",
    run,
};

/// Words that say nothing about what a figure is.
fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "by"
            | "with"
            | "and"
            | "or"
            | "was"
            | "were"
            | "is"
            | "are"
            | "be"
            | "been"
            | "has"
            | "have"
            | "had"
            | "that"
            | "this"
            | "its"
            | "their"
            | "it"
            | "they"
            | "which"
            | "who"
            | "than"
            | "about"
            | "some"
            | "around"
            | "nearly"
            | "almost"
            | "over"
            | "more"
            | "less"
            | "under"
            | "up"
            | "down"
            | "from"
            | "reached"
            | "estimated"
            | "totalled"
            | "totaled"
            | "stood"
            | "said"
            | "says"
            | "just"
            | "only"
            | "also"
            | "still"
            | "now"
            | "will"
            | "would"
            | "could"
            | "as"
            | "per"
            | "cent"
            | "percent"
            | "pct"
            | "year"
            | "last"
            | "new"
            | "figures"
            | "show"
            | "total"
    )
}
const CHANGE: &[&str] = &[
    "from", "to", "up", "down", "rose", "fell", "than", "compared", "previous", "earlier", "ago",
    "increase", "decrease", "versus", "vs", "against", "after", "before",
];

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    // Tags with one `id` that disagree: the tags module reads them.
    out.extend(crate::tags::tag_id_conflicts(cx));
    by_subject(cx, &mut out);
    out
}

/// Content words before a figure in its sentence: what the figure is about.
fn subject(cx: &Cx, i: usize) -> Vec<String> {
    let before = cx.words_before_within(i, 160);
    let words: Vec<String> = before
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.len() > 2 && !is_stop(w) && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    words[words.len().saturating_sub(4)..].to_vec()
}

/// Years, months and quarters named in a figure's sentence: the period it is about.
fn period(cx: &Cx, i: usize) -> Vec<String> {
    let s = &cx.doc.sentences[cx.doc.fig_sentence[i]];
    cx.words_between(s.range.start, s.range.end)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.len() == 4 && w.starts_with(['1', '2']) && w.chars().all(|c| c.is_ascii_digit())
                || matches!(
                    *w,
                    "january"
                        | "february"
                        | "march"
                        | "april"
                        | "may"
                        | "june"
                        | "july"
                        | "august"
                        | "september"
                        | "october"
                        | "november"
                        | "december"
                        | "quarter"
                        | "week"
                        | "month"
                        | "annual"
                        | "monthly"
                        | "daily"
                        | "weekly"
                )
        })
        .map(str::to_string)
        .collect()
}

fn in_change(cx: &Cx, i: usize) -> bool {
    let s = &cx.doc.sentences[cx.doc.fig_sentence[i]];
    let words = cx.words_between(s.range.start, s.range.end);
    words
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| CHANGE.contains(&w))
}

/// What one figure says for this check, read in its own sentence: its subject words and,
/// for a figure that may restate another, the period of its sentence and whether the
/// sentence describes a change. Computed per chunk and cached by incremental analysis.
#[derive(Debug, Clone, Default)]
pub(crate) struct FigFacts {
    subject: std::sync::Arc<[String]>,
    period: std::sync::Arc<[String]>,
    change: bool,
}

/// Whether a figure could be one quantity stated twice.
fn eligible(f: &crate::figures::Figure) -> bool {
    f.dimension != Dimension::Percent
        && f.qualifier != Qualifier::Range
        && (f.unit.is_some() || f.noun.is_some())
}

/// The [`FigFacts`] of every figure.
pub(crate) fn fig_facts(cx: &Cx) -> Vec<FigFacts> {
    use std::collections::HashMap;
    // What each sentence says about period and change, computed once per sentence.
    let mut sentence_facts: HashMap<usize, (std::sync::Arc<[String]>, bool)> = HashMap::new();
    (0..cx.figures.len())
        .map(|i| {
            if !eligible(&cx.figures[i]) {
                return FigFacts::default();
            }
            let subject: std::sync::Arc<[String]> = subject(cx, i).into();
            if subject.len() < 2 {
                return FigFacts {
                    subject,
                    ..FigFacts::default()
                };
            }
            let (period, change) = sentence_facts
                .entry(cx.doc.fig_sentence[i])
                .or_insert_with(|| (period(cx, i).into(), in_change(cx, i)))
                .clone();
            FigFacts {
                subject,
                period,
                change,
            }
        })
        .collect()
}

fn by_subject(cx: &Cx, out: &mut Vec<Finding>) {
    use std::collections::HashMap;
    use std::hash::BuildHasher;
    let n = cx.figures.len();
    let facts = cx.conflict_facts();
    let subjects = |i: usize| -> &[String] { &facts[i].subject };
    // Candidates share the unit, noun and rate and two subject words: index them by that
    // (hashed).
    let mut buckets: HashMap<u64, Vec<usize>, crate::figures::units::FnvBuild> = HashMap::default();
    let keys = |i: usize| -> Vec<u64> {
        let f = &cx.figures[i];
        let w = subjects(i);
        let mut out = Vec::new();
        for x in 0..w.len() {
            for y in x + 1..w.len() {
                let (a, b) = if w[x] <= w[y] {
                    (&w[x], &w[y])
                } else {
                    (&w[y], &w[x])
                };
                let key = (&f.unit, &f.noun, &f.per, a, b);
                out.push(crate::figures::units::FnvBuild::default().hash_one(key));
            }
        }
        out
    };
    // Each figure's interval, computed once: a figure meets many candidates.
    let ivs: Vec<std::cell::OnceCell<Option<arith::Iv>>> = vec![std::cell::OnceCell::new(); n];
    let tight = |i: usize| *ivs[i].get_or_init(|| arith::interval_tight(cx, i));
    for j in 0..n {
        let fj = &cx.figures[j];
        if fj.dimension == Dimension::Percent
            || fj.qualifier == Qualifier::Range
            || fj.unit.is_none() && fj.noun.is_none()
            || subjects(j).len() < 2
        {
            continue;
        }
        let (period_j, change_j) = (&facts[j].period, facts[j].change);
        if change_j {
            continue;
        }
        let my_keys = keys(j);
        let mut candidates: Vec<usize> = my_keys
            .iter()
            .filter_map(|k| buckets.get(k))
            .flat_map(|v| v.iter().rev().take(32).copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for &i in &candidates {
            let fi = &cx.figures[i];
            if cx.doc.fig_sentence[i] == cx.doc.fig_sentence[j] || fi.dimension != fj.dimension {
                continue;
            }
            let shared = subjects(i)
                .iter()
                .filter(|w| subjects(j).contains(w))
                .count();
            if shared < 2 || shared * 2 < subjects(i).len().max(subjects(j).len()) {
                continue;
            }
            if &facts[i].period != period_j {
                continue;
            }
            let (Some(a), Some(b)) = (tight(i), tight(j)) else {
                continue;
            };
            if a.meets(&b) {
                continue;
            }
            let (Some(va), Some(vb)) = (fi.value, fj.value) else {
                continue;
            };
            // Values far apart are different quantities that share words, not one quantity.
            // Checked: a quotient too large to represent is far apart too.
            let far = |x: rust_decimal::Decimal, y: rust_decimal::Decimal| {
                x.checked_div(y)
                    .is_none_or(|q| q > rust_decimal::Decimal::TWO)
            };
            if va.is_zero() || vb.is_zero() || far(va, vb) || far(vb, va) {
                continue;
            }
            let mut f = cx.finding(
                &CHECK,
                fj.span.clone(),
                format!(
                    "`{}` here, but `{}` earlier for what reads as the same quantity ({})",
                    cx.fig_text(j),
                    cx.fig_text(i),
                    subjects(j).join(" ")
                ),
            );
            f.related.push(cx.related(i, "stated earlier"));
            out.push(f);
            break;
        }
        for k in my_keys {
            buckets.entry(k).or_default().push(j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::CHECK;

    #[test]
    fn flags_one_quantity_with_two_values() {
        check(
            &CHECK,
            "Coffee export sales reached almost 6.2 mln bags this season.\n\nBrokers said coffee export sales were estimated at 6.13 mln bags this season.",
            "3:52 `6.13 mln bags` here, but `almost 6.2 mln bags` earlier for what reads as the same quantity (brokers coffee export sales)",
        );
    }

    #[test]
    fn silent_on_headline_rounding_and_other_periods() {
        check(&CHECK, "UK pledges £1bn to vaccine effort.\n\nThe chancellor offered £960m over 15 years to vaccine effort.", "");
        check(&CHECK, "Crop production reached 14.27 million tonnes in 2004.\n\nIn 2003, crop production reached 11.49 million tonnes.", "");
    }
}
