//! `percent-sum`: shares of one whole that add up to more than 100%.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::arith::{self, Iv};
use super::{Check, Cx, Finding, Severity};
use crate::figures::{Dimension, Qualifier};

pub(crate) const CHECK: Check = Check {
    code: "percent-sum",
    summary: "Shares of one whole add up to more than 100%",
    severity: Severity::Warning,
    explanation: "\
Catches percentages that are shares of one whole and add up to more than 100% (`60% of the \
budget goes to wages and 55% of the budget to housing`), or, in a sentence that claims a \
full breakdown (`broken down`, `split`, `divided`, `breakdown`), shares that do not add up \
to 100%.

Shares are percentages followed by `of` and the same whole within one sentence, or all the \
percentages of a sentence that opens with `Of the 450 respondents, ...`. Shares that may \
overlap (opinions and uses: `55% of voters back A and 60% of voters back B`) are not summed. Written \
precision counts: `33%, 33% and 33%` of one whole is a full breakdown.

**Why it matters.** More than 100% of one whole cannot be true; usually one share is \
mistyped or belongs to another whole.

**Fires:**

    Wages took 60% of the budget and housing 55% of the budget.
    The vote split 48% for, 45% against and 12% abstaining.

**Does not fire:**

    Trade was 16.4% of GDP and mining 14.5% of GDP.
    Prices rose 45% and wages 60%.           (changes, not shares)

**Configure.** `[checks] percent-sum = \"off\"` (or any severity) in `.briefing-ls.toml`; \
silence one place with `<!-- briefing-ls: ignore percent-sum -->`.",
    run,
};

const STOP: &[&str] = &[
    "the", "all", "its", "their", "his", "her", "our", "total", "a", "an", "this", "that", "those",
    "these",
];
/// Words of shares that may overlap: opinions, uses, `also`, `both`, `at least`.
const OVERLAP: &[&str] = &[
    "said",
    "say",
    "says",
    "support",
    "supported",
    "back",
    "backed",
    "favour",
    "favor",
    "believe",
    "think",
    "agree",
    "agreed",
    "use",
    "used",
    "also",
    "both",
    "least",
    "own",
    "owned",
    "have",
    "had",
    "approve",
    "approved",
    "oppose",
    "opposed",
];
const BREAKDOWN: &[&str] = &["broken down", "breakdown", "split", "divided"];
const CHANGE: &[&str] = &[
    "rose",
    "rise",
    "up",
    "down",
    "fell",
    "fall",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "grew",
    "growth",
    "by",
    "to",
    "from",
    "than",
    "gained",
    "dropped",
    "declined",
];

fn is_share(cx: &Cx, i: usize) -> bool {
    let f = &cx.figures[i];
    f.dimension == Dimension::Percent
        && f.unit == Some("%")
        && f.per().is_none()
        && f.qualifier != Qualifier::Range
}

/// The whole a share is `of`: the first content word after `of` (`of the budget` →
/// `budget`, `of GDP` → `gdp`).
fn whole_of(cx: &Cx, i: usize) -> Option<String> {
    let after = cx.words_after(i);
    let rest = after.strip_prefix("of ")?;
    let word = rest
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .take_while(|w| !w.is_empty())
        .find(|w| !STOP.contains(w))?;
    Some(word.to_string())
}

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (s_idx, s) in cx.doc.sentences.iter().enumerate() {
        let figs: Vec<usize> = cx
            .doc
            .sentence_figures(s_idx)
            .filter(|&i| is_share(cx, i))
            .collect();
        if figs.len() < 2 {
            continue;
        }
        // Shares `of` one whole.
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for &i in &figs {
            if let Some(w) = whole_of(cx, i) {
                groups.entry(w).or_default().push(i);
            }
        }
        // Opinions and uses overlap (`55% of voters back A and 60% of voters back B`): only
        // shares that split a whole are summed.
        let sentence_words = cx.words_between(s.range.start, s.range.end.min(s.range.start + 600));
        let overlapping = sentence_words
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| OVERLAP.contains(&w));
        for (whole, members) in groups {
            if members.len() >= 2 && !overlapping {
                judge(cx, &members, &whole, false, &mut out);
            }
        }
        // `Of the 450 respondents, 62% said yes, 45% no`: every share is of one group.
        let opening = cx.words_between(s.range.start, (s.range.start + 40).min(s.range.end));
        if opening.starts_with("of the ")
            || opening.starts_with("of all ")
            || opening.starts_with("among ")
        {
            let shares: Vec<usize> = figs
                .iter()
                .copied()
                .filter(|&i| {
                    !CHANGE.contains(&cx.words_before(i).split_whitespace().last().unwrap_or(""))
                })
                .collect();
            if shares.len() >= 2 {
                judge(cx, &shares, "the group", false, &mut out);
                continue;
            }
        }
        // A full breakdown.
        let words = cx.words_between(s.range.start, s.range.end);
        if BREAKDOWN.iter().any(|b| words.contains(b))
            && !words.contains("the rest")
            && !words.contains("remaining")
            && !words.contains("other")
        {
            let shares: Vec<usize> = figs
                .iter()
                .copied()
                .filter(|&i| {
                    let before = cx.words_before(i);
                    let last = before.split_whitespace().last().unwrap_or("");
                    !CHANGE.contains(&last)
                })
                .collect();
            if shares.len() >= 2 {
                judge(cx, &shares, "", true, &mut out);
            }
        }
    }
    out
}

fn judge(cx: &Cx, shares: &[usize], whole: &str, full: bool, out: &mut Vec<Finding>) {
    let mut sum: Option<Iv> = None;
    for &i in shares {
        let Some(iv) = arith::interval(cx, i) else {
            return;
        };
        sum = Some(match sum {
            Some(s) => s.add(&iv),
            None => iv,
        });
    }
    let Some(sum) = sum else { return };
    let hundred = Iv::point(Decimal::ONE_HUNDRED);
    let over = sum.lo.is_some_and(|l| l > Decimal::ONE_HUNDRED);
    if !(over || full && !sum.meets(&hundred)) {
        return;
    }
    let total: Decimal = shares
        .iter()
        .filter_map(|&i| cx.figures[i].value.get())
        .sum();
    let terms: Vec<String> = shares
        .iter()
        .map(|&i| cx.number_text(i).to_string())
        .collect();
    let of = if whole.is_empty() {
        String::new()
    } else {
        format!(" of {whole}")
    };
    let message = if over && !full {
        format!(
            "Shares{of} add up to more than 100%: {} = {}%",
            terms.join(" + "),
            arith::format_auto(total, 3)
        )
    } else {
        format!(
            "A full breakdown should add up to 100%: {} = {}%",
            terms.join(" + "),
            arith::format_auto(total, 3)
        )
    };
    let last = *shares.last().unwrap_or(&shares[0]);
    let mut f = cx.finding(&CHECK, cx.figures[last].span.range(), message);
    for &i in &shares[..shares.len() - 1] {
        f.related.push(cx.related(i, "share"));
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::CHECK;

    #[test]
    fn flags_shares_over_a_hundred() {
        check(
            &CHECK,
            "Wages took 60% of the budget and housing 55% of the budget.",
            "1:42 Shares of budget add up to more than 100%: 60 + 55 = 115%",
        );
        check(
            &CHECK,
            "The vote split 48% for, 45% against and 12% abstaining.",
            "1:41 A full breakdown should add up to 100%: 48 + 45 + 12 = 105%",
        );
    }

    #[test]
    fn silent_on_partial_shares_changes_and_rounding() {
        check(
            &CHECK,
            "Trade was 16.4% of GDP and mining 14.5% of GDP.",
            "",
        );
        check(&CHECK, "Prices rose 45% and wages 60%.", "");
        check(
            &CHECK,
            "The vote split 33% for, 33% against and 33% abstaining.",
            "",
        );
    }
}
