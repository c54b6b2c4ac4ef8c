//! `unitless-figure`: a quantity with no unit, currency or counted noun.

use super::doc::UnitKind;
use super::{Check, Cx, Edit, Finding, Fix, Severity};
use crate::figures::Dimension;

pub(crate) const CHECK: Check = Check {
    code: "unitless-figure",
    summary: "A figure with no unit, currency or counted noun",
    severity: Severity::Warning,
    explanation: "\
Catches a quantity the reader cannot place: a number with no unit, no currency and no \
counted noun, such as `The effect exceeded 707 billion, of which 1.2 billion tenge was \
returned.` (707 billion what?).

**Why it matters.** A bare figure in a briefing is usually a unit lost in editing. A \
reader guesses (tenge? dollars?), and exports and dashboards cannot use it at all.

It stays silent when the unit is clear from the sentence: a figure that follows one with a \
unit (`7.6 billion crowns compared with 10.1 billion`), a figure in parentheses that \
restates the words before it (`the daily average (5,110)`), an elided count (`13 more were \
detained`, `18 international and nine regional channels`), and on years, dates, ordinals, \
references and table cells, which are not figures or carry their unit in a header.

**Fires:**

    The effect exceeded 707 billion, of which 1.2 billion tenge was returned.

**Does not fire:**

    The effect exceeded 707 billion tenge, of which 1.2 billion was returned.
    25 persons were convicted and 13 more were detained.

**Fix.** Insert the unit the context suggests: the currency, unit or noun of the nearest \
figure that has one (`707 billion` → `707 billion tenge`).

**Configure.** `[checks] unitless-figure = \"off\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore unitless-figure -->`.",
    run,
};

/// Subjects that say what a bare number counts (`headcount was 52,000`).
const COUNT_SUBJECTS: &[&str] = &[
    "number of",
    "headcount",
    "population",
    "workforce",
    "staff",
    "employees",
    "membership",
    "attendance",
    "turnout",
    "cases",
    "deaths",
    "death toll",
    "arrests",
    "visitors",
    "casualties",
    "victims",
    "toll",
    "members",
    "voters",
    "residents",
    "inhabitants",
    "participants",
    "respondents",
    "passengers",
    "patients",
    "students",
    "users",
    // Quantities without a unit: index levels, ratios, scores and ratings.
    "index",
    "ratio",
    "score",
    "rating",
    "rated",
    "multiplier",
    "coefficient",
];

/// Words that join two figures of one quantity (`1,048,000 vs 1,870,000`).
const JOINERS: &[&str] = &[
    "vs",
    "vs.",
    "versus",
    "against",
    "to",
    "and",
    "or",
    "from",
    "compared with",
    "compared to",
    "out of",
    "than",
];

fn has_unit(cx: &Cx, i: usize) -> bool {
    let f = &cx.figures[i];
    f.unit.is_some() || f.noun.is_some() || f.elided || !f.bare
}

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut flagged = vec![false; cx.figures.len()];
    for (i, f) in cx.figures.iter().enumerate() {
        if has_unit(cx, i) || f.dimension != Dimension::Count || cx.looks_like_identifier(i) {
            continue;
        }
        let s_idx = cx.doc.fig_sentence[i];
        let s = &cx.doc.sentences[s_idx];
        if matches!(s.kind, UnitKind::Cell | UnitKind::Line)
            || cx.slice(s.range.clone()).split_whitespace().count() < 3
        {
            continue;
        }
        // `one of them`, `the two`: small spelled-out numbers are pronouns more often than figures.
        if f.written.words
            && f.value
                .get()
                .is_some_and(|v| v < rust_decimal::Decimal::ONE_HUNDRED)
        {
            continue;
        }
        // A parenthesis restating the noun phrase before it: `the daily average (5,110)`.
        let before = cx.slice(s.range.start..f.span.start()).trim_end();
        let after = cx.slice(f.span.end()..s.range.end).trim_start();
        if before.ends_with('(') && after.starts_with(')') {
            continue;
        }
        // `30 of the aircraft`, `500 fewer than ...`: the noun or the unit follows.
        let after_words = cx.words_after(i);
        if after_words.starts_with("of ")
            || after_words.starts_with("out of ")
            || [
                "fewer than",
                "more than",
                "less than",
                "higher than",
                "lower than",
            ]
            .iter()
            .any(|w| after_words.starts_with(w))
        {
            continue;
        }
        // An appositive between dashes restating the words before it: `... in 2023—216,294 total—`.
        if before.ends_with(['—', '–'])
            && after
                .split_whitespace()
                .next()
                .is_some_and(|w| w.contains(['—', '–']))
        {
            continue;
        }
        // Understood from a later figure it is joined to: `from 10,000 to nearly 15,000 officers`.
        if let Some(j) = (i + 1..cx.doc.sentence_figures(s_idx).end).next() {
            let gap = cx.words_between(f.span.end(), cx.figures[j].span.start());
            let toks = super::relate::tokens(&gap);
            if has_unit(cx, j)
                && toks
                    .iter()
                    .any(|w| matches!(*w, "to" | "and" | "or" | "vs" | "versus" | "against"))
                && !toks.iter().any(|&w| w == "which" || w == "whom")
                && toks.len() <= 8
            {
                continue;
            }
        }
        // `Accidents fell to 1,870 from 2,200`: the two ends of a change are counts of the
        // sentence's subject.
        let ends = |j: usize| {
            let w = cx.words_before_within(j, 12);
            let last = w.split_whitespace().last().unwrap_or("");
            matches!(last, "to" | "from")
        };
        let sentence_figs = cx.doc.sentence_figures(s_idx);
        if ends(i)
            && [i.wrapping_sub(1), i + 1]
                .iter()
                .any(|&j| sentence_figs.contains(&j) && ends(j))
        {
            continue;
        }
        // `Headcount was roughly 52,000`, `the death toll rose to 112`: the subject is a count.
        let before = cx.words_before_within(i, 120);
        let lead = super::relate::last_words(&before, 8);
        if COUNT_SUBJECTS.iter().any(|w| {
            lead.split(|c: char| !c.is_alphanumeric() && c != ' ')
                .any(|part| part.contains(w))
        }) {
            continue;
        }
        // Understood from an earlier figure of the sentence that has a unit.
        let sentence = cx.doc.sentence_figures(s_idx);
        if (sentence.start..i)
            .any(|j| has_unit(cx, j) && cx.figures[j].dimension != Dimension::Percent)
        {
            continue;
        }
        // The second of two bare figures joined by `vs`, `to`, ...: one finding is enough.
        if i > sentence.start && !has_unit(cx, i - 1) {
            let between = cx.words_between(cx.figures[i - 1].span.end(), f.span.start());
            if JOINERS
                .iter()
                .any(|w| between.trim_matches(|c: char| !c.is_alphanumeric() && c != '.') == *w)
            {
                continue;
            }
        }
        // `roughly 52,000 ..., compared with about 50,000`: the same quantity as an earlier
        // bare figure that was understood.
        let compared = (sentence_figs.start..i).any(|j| {
            !has_unit(cx, j) && !flagged[j] && !cx.looks_like_identifier(j) && {
                let between = cx.words_between(cx.figures[j].span.end(), f.span.start());
                [
                    "compared with",
                    "compared to",
                    "against",
                    "versus",
                    " vs",
                    "than",
                    "from",
                    "up from",
                    "down from",
                ]
                .iter()
                .any(|w| between.contains(w))
            }
        });
        if compared {
            continue;
        }
        let number = cx.number_text(i);
        let mut finding = cx.finding(
            &CHECK,
            f.span.range(),
            format!("`{number}` has no unit, currency or counted noun: say what it counts"),
        );
        if let Some((fix, unit)) = suggest(cx, i) {
            finding.message = format!(
                "`{number}` has no unit, currency or counted noun: say what it counts (`{unit}`?)"
            )
            .into();
            finding.fixes.push(fix);
        }
        flagged[i] = true;
        out.push(finding);
    }
    out
}

/// The figures on each side of a bare figure that [`suggest`] takes its unit from.
const NEAREST: usize = 64;

/// The unit the context implies: that of the nearest figure in the same block with one,
/// inserted where that figure writes it (`$` before, `tenge` after).
fn suggest(cx: &Cx, i: usize) -> Option<(Fix, String)> {
    let f = &cx.figures[i];
    let block = cx.doc.sentences[cx.doc.fig_sentence[i]].block;
    let mut best: Option<(usize, usize)> = None;
    // Only the figures of the same block, and at most [`NEAREST`] on each side: walk out
    // from `i` both ways. (A list of 20,000 items is one block: comparing each bare figure
    // with all the others took seconds.)
    let same_block = |j: usize| cx.doc.sentences[cx.doc.fig_sentence[j]].block == block;
    let first = (0..i)
        .rev()
        .take(NEAREST)
        .take_while(|&j| same_block(j))
        .last()
        .unwrap_or(i);
    let last = (i + 1..cx.figures.len())
        .take(NEAREST)
        .take_while(|&j| same_block(j))
        .last()
        .unwrap_or(i);
    for j in first..=last {
        let g = &cx.figures[j];
        if j == i || g.bare || g.dimension == Dimension::Percent {
            continue;
        }
        let Some(us) = cx.unit_range(j) else {
            continue;
        };
        if g.unit.is_none() && g.noun.is_none() || us.end <= us.start {
            continue;
        }
        let dist = if g.span.start() > f.span.start() {
            g.span.start() - f.span.end()
        } else {
            f.span.start().saturating_sub(g.span.end())
        };
        // Money is what a bare figure with a scale word most often lost.
        let money_bonus = usize::from(g.dimension != Dimension::Currency) * 200;
        let score = dist + money_bonus;
        if best.is_none_or(|(_, d)| score < d) {
            best = Some((j, score));
        }
    }
    let (j, _) = best?;
    let g = &cx.figures[j];
    let us = cx.unit_range(j)?;
    let unit = cx.slice(us.clone()).trim().to_string();
    // A compound (`25-year-old`) is no unit to copy.
    if unit.is_empty() || unit.contains(['\n', '-']) {
        return None;
    }
    let (edit, shown) = if us.end <= g.number.start() {
        let gap = cx.slice(us.end..g.number.start());
        let text = format!("{unit}{}", if gap.is_empty() { "" } else { " " });
        (
            Edit {
                start: f.number.start(),
                end: f.number.start(),
                text: text.clone().into(),
            },
            format!("{text}{}", cx.number_text(i)),
        )
    } else {
        let gap = cx.slice(g.number.end()..us.start);
        let text = format!("{}{unit}", if gap.is_empty() { "" } else { " " });
        (
            Edit {
                start: f.number.end(),
                end: f.number.end(),
                text: text.clone().into(),
            },
            format!("{}{text}", cx.number_text(i)),
        )
    };
    Some((
        Fix {
            title: format!("Add `{unit}`").into(),
            edits: vec![edit].into(),
        },
        shown,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, fixed};
    use super::CHECK;

    #[test]
    fn flags_a_lost_currency_and_proposes_it() {
        let t = "The effect exceeded 707 billion, of which 1.2 billion tenge was returned.";
        check(
            &CHECK,
            t,
            "1:12 `707 billion` has no unit, currency or counted noun: say what it counts (`707 billion tenge`?)",
        );
        assert_eq!(
            fixed(&CHECK, t),
            "The effect exceeded 707 billion tenge, of which 1.2 billion tenge was returned."
        );
    }

    #[test]
    fn silent_when_the_sentence_says_it() {
        check(
            &CHECK,
            "A surplus of 7.6 billion crowns compared with a deficit of 10.1 billion.",
            "",
        );
        check(
            &CHECK,
            "25 persons were convicted and 13 more have been detained.",
            "",
        );
        check(
            &CHECK,
            "Crossings were below the daily average (5,110) in July.",
            "",
        );
        check(
            &CHECK,
            "In 2024 the second phase of Article 5 began on 30 April.",
            "",
        );
    }
}
