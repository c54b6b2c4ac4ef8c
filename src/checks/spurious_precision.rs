//! `spurious-precision`: an approximation qualifier on an exact-looking figure.

use super::{arith, Check, Cx, Finding, Severity};
use crate::figures::Qualifier;

pub(crate) const CHECK: Check = Check {
    code: "spurious-precision",
    summary: "An approximate figure is written with exact-looking digits",
    severity: Severity::Info,
    explanation: "\
Catches a figure that says it is approximate (`about`, `around`, `approximately`, `roughly`, \
`some`, `nearly`, `almost`, `~`) while its digits say it was counted exactly: `about 4,431 \
pieces`, `roughly 148 people`.

**Why it matters.** Readers take every digit as meaningful. `About 4,431` either hides an \
exact count behind a hedge or claims a precision the source does not have; fact-checkers \
cannot tell which. Round the figure (`about 4,400`) or drop the qualifier.

**Fires:**

    Police seized about 4,431 rounds of ammunition.

**Does not fire:**

    Police seized about 4,400 rounds of ammunition.
    Police seized over 4,431 rounds of ammunition.    (a bound, not an approximation)
    Inflation was about 2.5%.                          (a rate with one decimal)

A figure is exact-looking when it has four or more significant digits, or three down to \
the units (`about 148`; `about 12,400` is rounded already).

**Configure.** `[checks] spurious-precision = \"off\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore spurious-precision -->`.",
    run,
};

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, f) in cx.figures.iter().enumerate() {
        if f.qualifier != Qualifier::Approx || f.written.words {
            continue;
        }
        let Some(d) = arith::digits_text(cx, i) else {
            continue;
        };
        let decimal = d.contains(cx.config.decimal);
        let digits: String = d.chars().filter(char::is_ascii_digit).collect();
        let significant = if decimal {
            digits.trim_start_matches('0').len()
        } else {
            digits.trim_start_matches('0').trim_end_matches('0').len()
        };
        // `about 148`: three digits down to the units; `about 12,400` is rounded already.
        let units = !decimal && !digits.ends_with('0');
        if significant >= 4 || significant == 3 && units {
            let q = arith::qualifier_words(cx, i);
            let q = if q.is_empty() {
                "an approximation".to_string()
            } else {
                format!("`{q}`")
            };
            out.push(cx.finding(
                &CHECK,
                f.span.range(),
                format!("{q} is paired with the exact-looking `{}`: round the figure or drop the qualifier", cx.number_text(i)),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::CHECK;

    #[test]
    fn flags_about_an_exact_count() {
        check(
            &CHECK,
            "Police seized about 4,431 rounds of ammunition.",
            "1:15 `about` is paired with the exact-looking `4,431`: round the figure or drop the qualifier",
        );
    }

    #[test]
    fn silent_on_round_figures_bounds_and_rates() {
        check(
            &CHECK,
            "Police seized about 4,400 rounds and over 4,431 cartridges.",
            "",
        );
        check(
            &CHECK,
            "Inflation was about 2.5% and some 150,000 people left.",
            "",
        );
    }
}
