//! `part-exceeds-whole`: a part larger than its whole.

use super::arith::{self, Iv};
use super::relate::{self, comparable};
use super::{Check, Cx, Finding, Severity};

pub(crate) const CHECK: Check = Check {
    code: "part-exceeds-whole",
    summary: "A part is larger than the whole it belongs to",
    severity: Severity::Error,
    explanation: "\
Catches a part stated larger than its whole, in one unit: `X, of which Y`, `X, including Y \
and Z`, `Y out of X`, with the parts adding up to more than X.

**Why it matters.** It cannot be true, so one of the figures is wrong: usually a lost or \
wrong scale word (`707 million, of which 1.2 billion`) or digits typed in the wrong order.

Figures stand for the interval their digits allow, and qualifiers count: `over 500, of \
which 520` is fine (the whole may be more than 520), `about 500, of which 520` is fine \
(about 500 may be 550).

**Fires:**

    The effect exceeded 707 million tenge, of which 1.2 billion tenge was returned.
    Police detained 54 out of 45 suspects.

**Does not fire:**

    The effect exceeded 707 billion tenge, of which 1.2 billion tenge was returned.
    Over 4,000 rounds were seized, including 4,100 cartridges.

**Configure.** `[checks] part-exceeds-whole = \"off\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore part-exceeds-whole -->`.",
    run,
};

const PART_CUES: &[&str] = &[
    "of which",
    "of whom",
    "including",
    "among them",
    "among which",
    "of these",
    "of them",
    "which included",
    "incl.",
];

/// Whether a gap holds any of [`PART_CUES`], searched for at once.
static ANY_CUE: std::sync::LazyLock<crate::prose::AnyOf> =
    std::sync::LazyLock::new(|| crate::prose::AnyOf::new(PART_CUES));

/// Where `needle` first occurs in `hay`: for the few words of a gap, cheaper than building
/// a substring searcher for each cue.
fn find_short(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = *n.first()?;
    memchr::memchr_iter(first, h).find(|&k| h[k..].starts_with(n))
}

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for w in 0..cx.figures.len() {
        let sentence = cx.sentence_figures(w);
        let Some(first) = (w + 1..sentence.end).next() else {
            continue;
        };
        let gap = cx.words_between(cx.figures[w].span.end(), cx.figures[first].span.start());
        // `Of the 1,200 people arrested, 1,500 were charged`: the whole opens the sentence.
        if gap.contains(',')
            && matches!(
                cx.words_before(w).as_ref(),
                "of the" | "of all" | "of" | "among the" | "out of the" | "out of"
            )
            && relate::tokens(&gap)
                .iter()
                .filter(|t| t.chars().any(char::is_alphanumeric))
                .count()
                <= 8
            && comparable(cx, w, first).is_some()
            && cx.figures[first].dimension == cx.figures[w].dimension
        {
            check(cx, w, &[first], &mut out);
            continue;
        }
        // `Y out of X`: the part comes first.
        if gap == "out of" || gap == "out of a total of" || gap == "out of the" {
            check(cx, first, &[w], &mut out);
            continue;
        }
        // The cue ends the gap: `1,250 people were evacuated, of whom 1,400 ...`.
        let flat: std::borrow::Cow<str> = if gap.contains(',') {
            gap.replace(',', " ").into()
        } else {
            gap.as_ref().into()
        };
        // (Most gaps hold no cue: one search for them all says so.)
        let cue = ANY_CUE.in_(flat.as_bytes())
            && PART_CUES.iter().any(|c| {
                find_short(&flat, c).is_some_and(|k| {
                    relate::tokens(&flat[k + c.len()..])
                        .iter()
                        .filter(|t| t.chars().any(char::is_alphanumeric))
                        .count()
                        <= 2
                })
            });
        if !cue
            || relate::tokens(&gap)
                .iter()
                .filter(|t| t.chars().any(char::is_alphanumeric))
                .count()
                > 6
        {
            continue;
        }
        let mut parts = vec![first];
        let mut k = first + 1;
        while k < sentence.end {
            let g = cx.words_between(cx.figures[k - 1].span.end(), cx.figures[k].span.start());
            if !relate::list_joint(&g, 4) {
                break;
            }
            parts.push(k);
            k += 1;
        }
        // Only the parts that measure what the whole measures.
        parts.retain(|&p| {
            comparable(cx, w, p).is_some() && cx.figures[p].dimension == cx.figures[w].dimension
        });
        if !parts.is_empty() {
            check(cx, w, &parts, &mut out);
        }
    }
    out
}

fn check(cx: &Cx, whole: usize, parts: &[usize], out: &mut Vec<Finding>) {
    let Some(mut sum) = parts
        .first()
        .and_then(|&p| comparable(cx, whole, p))
        .map(|(_, ip)| ip)
    else {
        return;
    };
    let mut w_iv: Option<Iv> = comparable(cx, whole, parts[0]).map(|(iw, _)| iw);
    for &p in &parts[1..] {
        let Some((iw, ip)) = comparable(cx, whole, p) else {
            return;
        };
        sum = sum.add(&ip);
        w_iv = Some(iw);
    }
    let Some(w_iv) = w_iv else { return };
    // `exceeded 707 million, of which 1.2 billion`: nobody writes `over X` for half as much again.
    let w_iv = match (w_iv.hi, arith::value(&cx.figures[whole])) {
        (None, Some(v)) => Iv {
            lo: w_iv.lo,
            hi: Some(v * rust_decimal::Decimal::new(15, 1)),
        },
        _ => w_iv,
    };
    let (Some(lo), Some(hi)) = (sum.lo, w_iv.hi) else {
        return;
    };
    if lo <= hi {
        return;
    }
    let mut all = parts.to_vec();
    all.push(whole);
    let share = relate::same_scale(cx, &all);
    let message = if parts.len() == 1 {
        format!(
            "The part `{}` is larger than its whole `{}`",
            cx.fig_core(parts[0]),
            cx.fig_core(whole)
        )
    } else {
        let terms: Vec<String> = parts.iter().map(|&p| relate::shown(cx, p, share)).collect();
        let total: rust_decimal::Decimal = parts
            .iter()
            .filter_map(|&p| arith::value(&cx.figures[p]))
            .sum();
        let scale = if share {
            arith::scale_of(cx, whole).unwrap_or(rust_decimal::Decimal::ONE)
        } else {
            rust_decimal::Decimal::ONE
        };
        format!(
            "The parts add up to more than the whole: {} = {}, more than `{}`",
            terms.join(" + "),
            arith::format_auto(total / scale, 3),
            cx.fig_core(whole)
        )
    };
    let mut f = cx.finding(&CHECK, cx.figures[parts[0]].span.range(), message);
    f.related.push(cx.related(whole, "the whole"));
    for &p in &parts[1..] {
        f.related.push(cx.related(p, "another part"));
    }
    out.push(f);
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::CHECK;

    #[test]
    fn find_short_finds_what_find_finds() {
        for hay in [
            "",
            "of",
            "a of which b",
            "ofof which",
            "which",
            "incl. incl",
            "é of whom",
        ] {
            for cue in super::PART_CUES {
                assert_eq!(
                    super::find_short(hay, cue),
                    hay.find(cue),
                    "{hay:?} {cue:?}"
                );
            }
        }
    }

    #[test]
    fn flags_a_part_larger_than_the_whole() {
        check(
            &CHECK,
            "The effect exceeded 707 million tenge, of which 1.2 billion tenge was returned.",
            "1:49 The part `1.2 billion tenge` is larger than its whole `707 million tenge`",
        );
        check(
            &CHECK,
            "Police detained 54 out of 45 suspects.",
            "1:17 The part `54` is larger than its whole `45 suspects`",
        );
    }

    #[test]
    fn silent_when_it_fits_or_rounds() {
        check(
            &CHECK,
            "The effect exceeded 707 billion tenge, of which 1.2 billion tenge was returned.",
            "",
        );
        check(
            &CHECK,
            "Over 4,000 rounds were seized, including 4,100 cartridges.",
            "",
        );
        check(
            &CHECK,
            "It received £63,081, of which just £8,170 was cash.",
            "",
        );
    }
}
