//! `change-mismatch`: a stated change that its own figures contradict.

use rust_decimal::prelude::*;
use rust_decimal::Decimal;

use super::arith;
use super::relate::{self, comparable};
use super::{Check, Cx, Edit, Finding, Fix, Severity};
use crate::figures::sieve::Sieve;
use crate::figures::{Dimension, Qualifier};

pub(crate) const CHECK: Check = Check {
    code: "change-mismatch",
    summary: "A stated change disagrees with the figures it cites",
    severity: Severity::Warning,
    explanation: "\
Catches a change (a percentage, percentage points or an amount) that the figures it relates \
contradict:

- `rose 3.8 pct to 110.14 billion dlrs from 107.01 billion` (110.14 / 107.01 is +2.9%);
- `rose 2.1 billion dlrs to 736.7 billion from 734.2 billion` (the difference is 2.5 billion);
- `24.4% above the previous record of $496.5bn`, where the figure compared (the nearest \
earlier figure of that unit, up to two sentences back) is $671.7bn (+35.3%);
- `nearly 500 fewer than the daily average (5,110)` when the figure compared is 4,598 \
(512 fewer; `nearly 500` means a little under 500);
- `a 96% decrease from July 2023 (132,642)` when the figure compared is 4,598 (-96.5%).

Each figure stands for the interval its digits allow (`1.4 mln` is 1.35 to 1.45 million), \
widened by `about`, `nearly`, `almost`; the check fires only when no values inside the \
intervals agree, so rounding never fires.

**Why it matters.** Changes are what headlines are made of, and a wrong one is usually a \
wrong base figure or a typing slip in one of the two values.

**Fires:**

    Spending will rise 3.8 pct to 110.14 billion dlrs from 107.01 billion.

**Does not fire:**

    Output fell 9.1 pct to 1.4 mln tonnes from 1.6 mln.      (1.4 / 1.6 may be -9.1%)
    Revenues rose 4.7% to $51.2bn from $48.8bn.

**Fix.** Replace the stated change with the computed one (when it is exact).

**Configure.** `[checks] change-mismatch = \"off\"` (or any severity) in `.briefing-ls.toml`; \
silence one place with `<!-- briefing-ls: ignore change-mismatch -->`.",
    run,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dir {
    Up,
    Down,
    Either,
}

/// The words [`dir_of`] knows, for its sieve.
const DIR_WORDS: &[&str] = &[
    "rose",
    "rise",
    "rises",
    "risen",
    "rising",
    "up",
    "increase",
    "increased",
    "increases",
    "increasing",
    "gain",
    "gained",
    "gains",
    "grew",
    "grow",
    "grows",
    "growth",
    "climbed",
    "climb",
    "jumped",
    "jump",
    "surged",
    "surge",
    "higher",
    "more",
    "above",
    "advanced",
    "widened",
    "added",
    "raised",
    "raise",
    "hike",
    "hiked",
    "fell",
    "fall",
    "falls",
    "fallen",
    "falling",
    "down",
    "decrease",
    "decreased",
    "decreases",
    "decline",
    "declined",
    "declines",
    "drop",
    "dropped",
    "drops",
    "lower",
    "less",
    "fewer",
    "below",
    "cut",
    "cuts",
    "shrank",
    "shrink",
    "narrowed",
    "slid",
    "slumped",
    "plunged",
    "lost",
    "reduced",
    "reduction",
    "eased",
    "dipped",
    "decreasing",
    "revised",
    "changed",
    "moved",
    "went",
    "was",
    "were",
    "is",
    "are",
];

/// The direction a word gives a change (`rose`, `fell`), or none said (`was`): a `match`,
/// which the compiler turns into a switch on length and bytes.
fn dir_of(word: &str) -> Option<Dir> {
    // Asked of the last words before every figure, most of which are none: turned away at
    // once.
    static SIEVE: Sieve = Sieve::new(DIR_WORDS);
    if !SIEVE.may_hold(word.as_bytes()) {
        return None;
    }
    match word {
        "rose" | "rise" | "rises" | "risen" | "rising" | "up" | "increase" | "increased"
        | "increases" | "increasing" | "gain" | "gained" | "gains" | "grew" | "grow" | "grows"
        | "growth" | "climbed" | "climb" | "jumped" | "jump" | "surged" | "surge" | "higher"
        | "more" | "above" | "advanced" | "widened" | "added" | "raised" | "raise" | "hike"
        | "hiked" => Some(Dir::Up),
        "fell" | "fall" | "falls" | "fallen" | "falling" | "down" | "decrease" | "decreased"
        | "decreases" | "decline" | "declined" | "declines" | "drop" | "dropped" | "drops"
        | "lower" | "less" | "fewer" | "below" | "cut" | "cuts" | "shrank" | "shrink"
        | "narrowed" | "slid" | "slumped" | "plunged" | "lost" | "reduced" | "reduction"
        | "eased" | "dipped" | "decreasing" => Some(Dir::Down),
        "revised" | "changed" | "moved" | "went" | "was" | "were" | "is" | "are" => {
            Some(Dir::Either)
        }
        _ => None,
    }
}

/// What a change figure is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Percent,
    Points,
    Amount,
}

fn kind(cx: &Cx, c: usize) -> Kind {
    let f = &cx.figures[c];
    match (f.dimension, f.unit) {
        (Dimension::Percent, Some("pp" | "bp")) => Kind::Points,
        (Dimension::Percent, Some("%")) => Kind::Percent,
        _ => Kind::Amount,
    }
}

/// A change statement: change `c`, base `a` (from), new value `b` (to).
struct Statement {
    c: usize,
    a: usize,
    b: usize,
    dir: Dir,
    /// `b` was not named by the sentence but taken from an earlier one.
    inferred: bool,
}

fn run(cx: &Cx) -> Vec<Finding> {
    let n = cx.figures.len();
    let mut statements = Vec::new();
    let mut roles = vec![false; n];
    let mut pending: Vec<(usize, usize, Dir)> = Vec::new(); // c, a, dir: b to be found
    for c in 0..n {
        let fc = &cx.figures[c];
        if !cx.focus.contains(&c) || fc.qualifier == Qualifier::Range || fc.value.is_none() {
            continue;
        }
        let sentence = cx.sentence_figures(c);
        let before = cx.words_before_within(c, 60);
        let after = cx.words_after_within(c, 40);
        // The tokens of the last five words before the figure, the last first: the
        // direction is the one nearest the figure.
        let mut before_toks = relate::last_tokens_rev(&before, 5);
        // `rose 3.8 pct to B from A` / `rose 2.1 billion dlrs to B ... from A`.
        // A figure that is itself the `to` or `from` of a change is not the change.
        // The last token of the last word, which is the last of the last five's.
        let own = before_toks.next().unwrap_or_default();
        let before_dir = dir_of(&own).or_else(|| before_toks.find_map(|w| dir_of(&w)));
        let after_first = relate::first_token(&after);
        let after_dir = after_first.and_then(dir_of).filter(|d| *d != Dir::Either);
        let is_end = matches!(own.as_ref(), "to" | "from" | "at");
        if let Some(dir) = before_dir.or(after_dir).filter(|_| !is_end) {
            let mut to = None;
            let mut from = None;
            // The two figures right after the change: `to B from A` or `from A to B`.
            for j in c + 1..sentence.end.min(c + 3) {
                let prev_end = cx.figures[j - 1].span.end();
                let gap = cx.words_between(prev_end, cx.figures[j].span.start());
                let toks = relate::tokens(&gap);
                if toks
                    .iter()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
                    > 6
                    || toks.iter().any(|&w| w == ";" || w == "(")
                {
                    break;
                }
                let last = toks.last().cloned().unwrap_or_default();
                let last2 = relate::last_words(&gap, 4);
                if (last == "to"
                    || last2.ends_with("to a")
                    || last2.contains(" to a ")
                    || last2.starts_with("to a "))
                    && to.is_none()
                {
                    to = Some(j);
                } else if (last == "from" || last2.ends_with("from a")) && from.is_none() {
                    from = Some(j);
                }
            }
            // `totalled 8.1 mln tonnes, down 3.5 pct from 8.4 mln`: the new value comes
            // just before the change.
            if to.is_none()
                && from.is_some()
                && c > sentence.start
                && matches!(own.as_ref(), "up" | "down")
            {
                let gap = cx.words_between(cx.figures[c - 1].span.end(), fc.span.start());
                let words = relate::tokens(&gap)
                    .iter()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count();
                if gap.contains(',') && words <= 6 && !roles[c - 1] {
                    to = Some(c - 1);
                }
            }
            if let (Some(b), Some(a)) = (to, from) {
                if comparable(cx, a, b).is_some()
                    && (kind(cx, c) != Kind::Amount || comparable(cx, c, b).is_some())
                {
                    statements.push(Statement {
                        c,
                        a,
                        b,
                        dir,
                        inferred: false,
                    });
                    roles[c] = true;
                    roles[a] = true;
                    roles[b] = true;
                    continue;
                }
            }
        }
        // `grew to 86 aircraft from 74, an increase of 12 planes, or 21%`: the change
        // follows its `to` and `from`; `or 21%` restates the change before it.
        // (The statement first: most figures follow none, and the words cost more.)
        let restates = c > sentence.start
            && statements.last().is_some_and(|s: &Statement| s.c == c - 1)
            && matches!(
                cx.words_between(cx.figures[c - 1].span.end(), fc.span.start())
                    .as_ref(),
                ", or" | "or" | "(" | ", or some" | ", or about"
            );
        if restates {
            let prev = statements.last().map(|s| (s.a, s.b, s.dir));
            if let Some((a, b, dir)) = prev {
                statements.push(Statement {
                    c,
                    a,
                    b,
                    dir,
                    inferred: false,
                });
                roles[c] = true;
                continue;
            }
        }
        // `fell to $3.2bn from $4.0bn, a 20% reduction`: the change named after the figure.
        let named_after = after_dir.filter(|_| {
            after_first.is_some_and(|w| {
                matches!(
                    w,
                    "reduction"
                        | "increase"
                        | "rise"
                        | "drop"
                        | "decrease"
                        | "decline"
                        | "fall"
                        | "cut"
                        | "gain"
                        | "jump"
                )
            })
        });
        if let Some(dir) = before_dir.or(named_after).filter(|_| !is_end) {
            let mut to = None;
            let mut from = None;
            for j in (sentence.start.max(c.saturating_sub(3))..c).rev() {
                let prev_end = if j > sentence.start {
                    cx.figures[j - 1].span.end()
                } else {
                    cx.doc.sentences[cx.doc.fig_sentence[c]].range.start
                };
                let gap = cx.words_between(
                    prev_end.max(cx.figures[j].span.start().saturating_sub(80)),
                    cx.figures[j].span.start(),
                );
                match relate::tokens(&gap).last().copied() {
                    Some("to") if to.is_none() => to = Some(j),
                    Some("from") if from.is_none() => from = Some(j),
                    _ => {}
                }
            }
            if let (Some(b), Some(a)) = (to, from) {
                if !roles[a]
                    && !roles[b]
                    && comparable(cx, a, b).is_some()
                    && (kind(cx, c) != Kind::Amount || comparable(cx, c, b).is_some())
                {
                    statements.push(Statement {
                        c,
                        a,
                        b,
                        dir,
                        inferred: false,
                    });
                    roles[c] = true;
                    roles[a] = true;
                    roles[b] = true;
                    continue;
                }
            }
        }
        // `24.4% above A`, `500 fewer than A`, `96% decrease from ... (A)`: B is what the
        // sentence talks about, stated earlier.
        let Some(dir) = after_dir else { continue };
        let cue = after_first.unwrap_or_default();
        let comparative = matches!(
            cue,
            "above" | "below" | "higher" | "lower" | "more" | "fewer" | "less"
        );
        let noun_of_change = matches!(
            cue,
            "decrease"
                | "drop"
                | "increase"
                | "rise"
                | "decline"
                | "fall"
                | "jump"
                | "cut"
                | "reduction"
                | "growth"
                | "gain"
        );
        if !comparative && !noun_of_change {
            continue;
        }
        let Some(a) = (c + 1 < sentence.end).then_some(c + 1) else {
            continue;
        };
        let gap = cx.words_between(fc.span.end(), cx.figures[a].span.start());
        let gap_words = relate::tokens(&gap)
            .iter()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        let linked = if comparative {
            gap.contains("than") || matches!(cue, "above" | "below")
        } else {
            // `a 96% decrease from July 2023 (132,642)`: the base follows `from` closely.
            gap.split(" from ").nth(1).is_some_and(|rest| {
                relate::tokens(rest)
                    .iter()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
                    <= 5
            })
        };
        let and = relate::tokens(&gap).contains(&"and");
        if !linked || and || gap_words > 16 || gap.contains(';') {
            continue;
        }
        if kind(cx, c) == Kind::Amount && comparable(cx, c, a).is_none()
            || kind(cx, c) != Kind::Amount && cx.figures[a].dimension == Dimension::Percent
        {
            continue;
        }
        roles[c] = true;
        roles[a] = true;
        pending.push((c, a, dir));
    }
    let conversions: Vec<usize> = cx
        .conversion_pairs()
        .to_vec()
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    for (c, a, dir) in pending {
        if let Some(b) = antecedent(cx, c, a, &roles, &conversions) {
            statements.push(Statement {
                c,
                a,
                b,
                dir,
                inferred: true,
            });
        }
    }
    statements.sort_by_key(|s| s.c);
    statements.iter().filter_map(|s| judge(cx, s)).collect()
}

/// The figure a comparison talks about: the nearest earlier figure (same sentence, then up
/// to two sentences back) that measures what the base measures and plays no other role;
/// among those, the one closest in size to the base.
fn antecedent(cx: &Cx, c: usize, a: usize, roles: &[bool], conversions: &[usize]) -> Option<usize> {
    let s = cx.doc.fig_sentence[c];
    let first_sentence = s.saturating_sub(2);
    let va = cx.figures[a].value.get()?.to_f64()?;
    let mut best: Option<(usize, f64)> = None;
    for j in (0..c).rev() {
        if cx.doc.fig_sentence[j] < first_sentence {
            break;
        }
        if roles[j] || conversions.contains(&j) || j == a {
            continue;
        }
        let fj = &cx.figures[j];
        if fj.dimension == Dimension::Percent
            || fj.qualifier == Qualifier::Range
            || relate::is_bare(cx, j)
                && relate::is_bare(cx, a)
                && fj.dimension != cx.figures[a].dimension
        {
            continue;
        }
        if comparable(cx, j, a).is_none() || fj.dimension != cx.figures[a].dimension {
            continue;
        }
        let vj = fj.value.get()?.to_f64()?;
        if vj <= 0.0 || va <= 0.0 {
            continue;
        }
        let d = (vj / va).ln().abs();
        // Far apart in size is another quantity, not the one compared.
        if d > (1000f64).ln() {
            continue;
        }
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((j, d));
        }
    }
    best.map(|(j, _)| j)
}

fn judge(cx: &Cx, s: &Statement) -> Option<Finding> {
    let (ia, ib) = comparable(cx, s.a, s.b)?;
    // Basis points are hundredths of a percentage point.
    let per_point = if cx.figures[s.c].unit == Some("bp") {
        Decimal::new(1, 2)
    } else {
        Decimal::ONE
    };
    let ic = arith::interval(cx, s.c)?.scale(per_point);
    let hundred = Decimal::ONE_HUNDRED;
    let k = kind(cx, s.c);
    // The computed change, as an interval, oriented by the stated direction.
    let (computed, mid) = match k {
        Kind::Percent => {
            let ratio = ib.div_pos(&ia)?;
            let up = ratio.shift(-Decimal::ONE).scale(hundred);
            let mid = (arith::value(&cx.figures[s.b])? / arith::value(&cx.figures[s.a])?
                - Decimal::ONE)
                * hundred;
            (up, mid)
        }
        Kind::Points | Kind::Amount => {
            let diff = ib.sub(&ia);
            let mut mid = arith::value(&cx.figures[s.b])? - arith::value(&cx.figures[s.a])?;
            if k == Kind::Amount {
                comparable(cx, s.c, s.b)?;
            }
            if k == Kind::Points && cx.figures[s.a].unit != Some("%") {
                return None;
            }
            mid = mid.round_dp(12);
            (diff, mid)
        }
    };
    let stated = match s.dir {
        Dir::Up => ic,
        Dir::Down => ic.neg(),
        Dir::Either => {
            // Either sign: the stated size against the computed size.
            if ic.meets(&computed) || ic.neg().meets(&computed) {
                return None;
            }
            ic
        }
    };
    if stated.meets(&computed) {
        return None;
    }
    // A figure taken from an earlier sentence may be another quantity altogether: report
    // only a change of the stated sign within a factor of two of the stated size, which is
    // a wrong figure rather than a wrong guess of what was compared.
    if s.inferred {
        let stated_mid = arith::value(&cx.figures[s.c])? * per_point;
        let signed_mid = match (k, s.dir) {
            (_, Dir::Down) => -mid,
            _ => mid,
        };
        let two = Decimal::TWO;
        if signed_mid <= Decimal::ZERO
            || signed_mid > stated_mid * two
            || signed_mid * two < stated_mid
        {
            return None;
        }
    }
    // A change figure in the base's unit (an amount) is compared in that unit.
    let c_val = arith::value(&cx.figures[s.c])? * per_point;
    let signed_stated = if s.dir == Dir::Down { -c_val } else { c_val };
    let share = relate::same_scale(cx, &[s.a, s.b]);
    let (sa, sb) = (relate::shown(cx, s.a, share), relate::shown(cx, s.b, share));
    let c_text = cx.fig_text(s.c);
    let message = match k {
        Kind::Percent => format!(
            "{sb} / {sa} = {}%, not {}%",
            arith::signed(arith::format_against(mid, signed_stated, 1)),
            arith::signed(arith::format_auto(signed_stated, 4))
        ),
        Kind::Points if per_point != Decimal::ONE => format!(
            "{sb} - {sa} = {} basis points, not {c_text}",
            arith::signed(arith::format_against(
                mid / per_point,
                signed_stated / per_point,
                0
            ))
        ),
        Kind::Points => format!(
            "{sb} - {sa} = {} points, not {c_text}",
            arith::signed(arith::format_against(mid, signed_stated, 1))
        ),
        Kind::Amount => {
            let scale = if share && relate::same_scale(cx, &[s.a, s.c]) {
                arith::scale_of(cx, s.a).unwrap_or(Decimal::ONE)
            } else {
                Decimal::ONE
            };
            let diff = if s.dir == Dir::Down { -mid } else { mid };
            let shown = arith::format_auto(diff / scale, 3);
            if s.dir == Dir::Down {
                format!("{sa} - {sb} = {shown}, not {c_text}")
            } else {
                format!("{sb} - {sa} = {shown}, not {c_text}")
            }
        }
    };
    let mut f = cx.finding(&CHECK, cx.figures[s.c].span.range(), message);
    f.related.push(cx.related(s.b, "to"));
    f.related.push(cx.related(s.a, "from"));
    if cx.figures[s.c].qualifier == Qualifier::Exact && k == Kind::Percent {
        let fixed = arith::format_against(if s.dir == Dir::Down { -mid } else { mid }, c_val, 1);
        if let (Some(d), false) = (arith::digits_text(cx, s.c), fixed.starts_with('-')) {
            if let Some(off) = cx.number_text(s.c).find(d) {
                let start = cx.figures[s.c].number.start() + off;
                f.fixes.push(Fix {
                    title: format!("Replace with {fixed}").into(),
                    edits: vec![Edit {
                        start,
                        end: start + d.len(),
                        text: fixed.into(),
                    }]
                    .into(),
                });
            }
        }
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, fixed};
    use super::CHECK;

    /// The sieve's list is the match's: a word added to one is added to the other.
    #[test]
    fn direction_words_are_the_ones_the_function_knows() {
        let arms = crate::figures::sieve::match_arms(include_str!("change_mismatch.rs"), "dir_of");
        assert_eq!(arms, super::DIR_WORDS);
        for w in super::DIR_WORDS {
            assert!(super::dir_of(w).is_some(), "{w}");
        }
        for w in ["rosé", "upper", "fel", "the", "revenue", ""] {
            assert!(super::dir_of(w).is_none(), "{w}");
        }
    }

    #[test]
    fn flags_a_wrong_rise() {
        let t = "Spending will rise 3.8 pct to 110.14 billion dlrs from 107.01 billion.";
        check(&CHECK, t, "1:20 110.14 / 107.01 = +2.9%, not +3.8%");
        assert_eq!(
            fixed(&CHECK, t),
            "Spending will rise 2.9 pct to 110.14 billion dlrs from 107.01 billion."
        );
    }

    #[test]
    fn accepts_rounding() {
        check(
            &CHECK,
            "Output fell 9.1 pct to 1.4 mln tonnes from 1.6 mln.",
            "",
        );
        check(
            &CHECK,
            "Revenues rose 4.7% to $51.2bn from $48.8bn a year earlier.",
            "",
        );
        check(
            &CHECK,
            "M-1 rose 2.1 billion dlrs to 736.7 billion dlrs from 734.6 billion.",
            "",
        );
    }

    #[test]
    fn flags_a_comparison_with_an_earlier_figure() {
        let t = "The deficit hit $671.7bn in 2004.\n\nIt was 24.4% above the previous record of $496.5bn.";
        check(&CHECK, t, "3:8 671.7 / 496.5 = +35.3%, not +24.4%");
        let t = "Just 4,598 migrants were held in July.\n\nThat is nearly 500 fewer than the daily average (5,110), a 96% decrease from 2023 (132,642).";
        check(
            &CHECK,
            t,
            "3:9 5,110 - 4,598 = 512, not nearly 500\n3:60 4,598 / 132,642 = -96.5%, not -96%",
        );
    }
}
