//! `number-style`: numbers written against the document's own habit or the style guide.

use rust_decimal::prelude::*;
use rust_decimal::Decimal;

use super::doc::UnitKind;
use super::{arith, words, Check, Cx, Edit, Finding, Fix, Severity};
use crate::config::Style;
use crate::figures::Dimension;

pub(crate) const CHECK: Check = Check {
    code: "number-style",
    summary: "A number written against the document's habit or the style guide",
    severity: Severity::Info,
    explanation: "\
Catches numbers written differently from the rest of the document or from the configured \
style guide:

- the document's own habit: `4431` beside `4,431` (separators), `800kg` beside `14 tons` \
(unit spacing), `5 %` beside `5%`, `seven thousand` among numerals;
- `style = \"ap\"` (the default, Associated Press): one to nine in words and 10 and up in \
numerals for counts (`nine regional channels`, `13 more`), numerals with `million` and \
`billion` (`5 million`, not `five million`), and always numerals for money, percentages and \
measures (`3 pct`, `2 percent`, `4 billion dlrs`, `4 cts`, not `three pct`);
- `style = \"chicago\"` (Chicago Manual of Style): whole numbers to one hundred in words, \
numerals above, numerals for percentages and money;
- `style = \"none\"`: only the document's own habit.

A number that starts a sentence may be spelled out whatever its size (`Ninety-four percent \
of infants ...`); `numeral-starts-sentence` asks for exactly that.

**Why it matters.** Consistent numbers are read faster and compared correctly; a spelled-out \
percentage or amount in a column of numerals is easy to skip, and a missing separator makes \
`44310` look like `4,431`.

**Fires (AP):**

    Up to seven thousand violators were detained.
    Compensation increased three pct in 1986.
    Over 800kg of drugs and 14 tons of reagents were seized.

**Does not fire (AP):**

    Up to 7,000 violators were detained; six groups were eliminated.
    Compensation increased 3 pct in 1986.

**Fix.** Rewrite in the expected style: `seven thousand` → `7,000`, `five million` → \
`5 million`, `three` → `3`, `5 %` → `5%`, `800kg` → `800 kg`, `4431` → `4,431`, `5 \
clinics` → `five clinics`.

**Configure.** `style = \"ap\" | \"chicago\" | \"none\"`; `[checks] number-style = \"off\"` \
(or any severity) in `.briefing-ls.toml`; silence one place with \
`<!-- briefing-ls: ignore number-style -->`.",
    run,
};

/// Dimensions that AP and Chicago always write in numerals.
fn numeral_dimension(d: Dimension) -> bool {
    !matches!(d, Dimension::Count | Dimension::Time | Dimension::Other)
}

fn at_sentence_start(cx: &Cx, i: usize) -> bool {
    let s = &cx.doc.sentences[cx.doc.fig_sentence[i]];
    let f = &cx.figures[i];
    // A capitalised number word starts a sentence or a clause (`mortality:** Ninety-four`).
    cx.number_text(i).starts_with(|c: char| c.is_uppercase())
        || f.number.start <= s.range.start
        || f.span.start <= s.range.start && f.written.qualifier_span.is_none()
}

fn in_table(cx: &Cx, i: usize) -> bool {
    matches!(
        cx.doc.sentences[cx.doc.fig_sentence[i]].kind,
        UnitKind::Cell | UnitKind::Line
    )
}

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    separators(cx, &mut out);
    unit_spacing(cx, &mut out);
    percent_spacing(cx, &mut out);
    words_and_numerals(cx, &mut out);
    out
}

/// Integer digits of a numeral (`4,431.5` → 4).
fn int_digits(cx: &Cx, i: usize) -> usize {
    let Some(d) = arith::digits_text(cx, i) else {
        return 0;
    };
    let int = d.split(cx.config.decimal).next().unwrap_or("");
    int.chars().filter(char::is_ascii_digit).count()
}

fn separators(cx: &Cx, out: &mut Vec<Finding>) {
    let mut with: Vec<(usize, char)> = Vec::new();
    let mut bare: Vec<usize> = Vec::new();
    for (i, f) in cx.figures.iter().enumerate() {
        if f.written.words
            || f.written.malformed.is_some()
            || int_digits(cx, i) < 4
            || cx.looks_like_identifier(i)
        {
            continue;
        }
        match f.written.separator {
            Some(c) => with.push((i, c)),
            None if f.written.bare_thousands => bare.push(i),
            None => {}
        }
    }
    // The habit: the separator most figures use.
    let mut seps: Vec<(char, usize, usize)> = Vec::new();
    for &(i, c) in &with {
        match seps.iter_mut().find(|s| s.0 == c) {
            Some(s) => s.1 += 1,
            None => seps.push((c, 1, i)),
        }
    }
    let habit = seps
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .copied();
    for &(i, c) in &with {
        if let Some((h, _, example)) = habit {
            if c != h {
                let shown = regroup(cx, i, h);
                let mut f = cx.finding(
                    &CHECK,
                    cx.figures[i].number.clone(),
                    format!(
                        "`{}` groups digits with `{}`, unlike `{}` elsewhere in this document",
                        cx.number_text(i),
                        name(c),
                        cx.number_text(example)
                    ),
                );
                f.related.push(cx.related(example, "the document's habit"));
                push_fix(cx, &mut f, i, shown);
                out.push(f);
            }
        }
    }
    for &i in &bare {
        let strict = cx.config.style != Style::None && int_digits(cx, i) >= 5;
        let (sep, why) = match habit {
            Some((h, _, example)) => (
                h,
                format!(
                    "unlike `{}` elsewhere in this document",
                    cx.number_text(example)
                ),
            ),
            None if strict => (
                ',',
                "and the style guide groups digits from 10,000 up".to_string(),
            ),
            None => continue,
        };
        let shown = regroup(cx, i, sep);
        let mut f = cx.finding(
            &CHECK,
            cx.figures[i].number.clone(),
            format!(
                "`{}` has no thousands separator, {why}: `{shown}`",
                cx.number_text(i)
            ),
        );
        if let Some((_, _, example)) = habit {
            f.related.push(cx.related(example, "the document's habit"));
        }
        push_fix(cx, &mut f, i, shown);
        out.push(f);
    }
}

fn name(c: char) -> &'static str {
    match c {
        ',' => ",",
        '.' => ".",
        ' ' => "spaces",
        '\u{a0}' | '\u{202f}' => "no-break spaces",
        '\'' => "'",
        _ => "another separator",
    }
}

/// The number text with its integer digits grouped by `sep`.
fn regroup(cx: &Cx, i: usize, sep: char) -> String {
    let t = cx.number_text(i);
    let Some(d) = arith::digits_text(cx, i) else {
        return t.to_string();
    };
    let (int, frac) = match d.find(cx.config.decimal) {
        Some(k) => (&d[..k], &d[k..]),
        None => (d, ""),
    };
    let digits: Vec<char> = int.chars().filter(char::is_ascii_digit).collect();
    let mut g = String::new();
    for (k, ch) in digits.iter().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            g.push(sep);
        }
        g.push(*ch);
    }
    t.replacen(d, &format!("{g}{frac}"), 1)
}

fn push_fix(cx: &Cx, f: &mut Finding, i: usize, shown: String) {
    let n = cx.figures[i].number.clone();
    if shown != cx.number_text(i) {
        f.fixes.push(Fix {
            title: format!("Write `{shown}`"),
            edits: vec![Edit {
                start: n.start,
                end: n.end,
                text: shown,
            }],
        });
    }
}

fn is_measure(f: &crate::figures::Figure) -> bool {
    !matches!(
        f.dimension,
        Dimension::Count | Dimension::Currency | Dimension::Percent | Dimension::Other
    )
}

fn unit_spacing(cx: &Cx, out: &mut Vec<Finding>) {
    let spaced: Vec<usize> = (0..cx.figures.len())
        .filter(|&i| {
            let f = &cx.figures[i];
            is_measure(f)
                && !f.written.unit_attached
                && f.written
                    .unit_span
                    .as_ref()
                    .is_some_and(|u| u.start > f.number.end)
        })
        .collect();
    for (i, f) in cx.figures.iter().enumerate() {
        if !is_measure(f) || !f.written.unit_attached {
            continue;
        }
        let Some(us) = f.written.unit_span.clone() else {
            continue;
        };
        if us.start != f.number.end {
            continue;
        }
        let example = spaced.first().copied();
        if example.is_none() && cx.config.style == Style::None {
            continue;
        }
        let why = match example {
            Some(e) => format!("as in `{}`", cx.fig_text(e)),
            None => "as the style guide does".to_string(),
        };
        let mut finding = cx.finding(
            &CHECK,
            f.span.clone(),
            format!(
                "`{}`: put a space between the number and its unit, {why}",
                cx.fig_text(i)
            ),
        );
        if let Some(e) = example {
            finding.related.push(cx.related(e, "spaced"));
        }
        finding.fixes.push(Fix {
            title: "Insert a space before the unit".into(),
            edits: vec![Edit {
                start: us.start,
                end: us.start,
                text: " ".into(),
            }],
        });
        out.push(finding);
    }
}

fn percent_spacing(cx: &Cx, out: &mut Vec<Finding>) {
    let tight = cx.figures.iter().position(|f| {
        f.dimension == Dimension::Percent
            && !f.written.spaced_percent
            && f.written
                .unit_span
                .as_ref()
                .is_some_and(|u| cx.slice(u.clone()) == "%")
    });
    for (i, f) in cx.figures.iter().enumerate() {
        if !f.written.spaced_percent {
            continue;
        }
        let Some(us) = f.written.unit_span.clone() else {
            continue;
        };
        if tight.is_none() && cx.config.style == Style::None {
            continue;
        }
        let why = match tight {
            Some(e) => format!("as in `{}` elsewhere in this document", cx.fig_text(e)),
            None => "as the style guide does".to_string(),
        };
        let mut finding = cx.finding(
            &CHECK,
            f.span.clone(),
            format!(
                "`{}`: write `%` straight after the number, {why}",
                cx.fig_text(i)
            ),
        );
        if let Some(e) = tight {
            finding.related.push(cx.related(e, "unspaced"));
        }
        if f.number.end < us.start {
            finding.fixes.push(Fix {
                title: "Remove the space before `%`".into(),
                edits: vec![Edit {
                    start: f.number.end,
                    end: us.start,
                    text: String::new(),
                }],
            });
        }
        out.push(finding);
    }
}

const SCALE_WORDS: [(&str, i64); 3] = [
    ("trillion", 1_000_000_000_000),
    ("billion", 1_000_000_000),
    ("million", 1_000_000),
];

/// The figure's number in numerals: `seven thousand` → `7,000`, `five million` → `5 million`.
fn numerals(cx: &Cx, i: usize) -> Option<String> {
    let f = &cx.figures[i];
    let v = f.value?;
    let text = cx.number_text(i).to_lowercase();
    for (w, s) in SCALE_WORDS {
        if text.ends_with(w) {
            let m = v / Decimal::from(s);
            return Some(format!("{} {w}", arith::format_auto(m, 3)));
        }
    }
    // `four cts` is 0.04 dollars; the numeral is the cents.
    let unit = f
        .written
        .unit_span
        .clone()
        .map(|r| cx.slice(r).to_lowercase())
        .unwrap_or_default();
    let v = if matches!(
        unit.as_str(),
        "ct" | "cts" | "cent" | "cents" | "pence" | "penny" | "p"
    ) {
        v * Decimal::ONE_HUNDRED
    } else {
        v
    };
    let shown = if v.fract().is_zero() {
        arith::format(v, 0)
    } else {
        return None;
    };
    Some(shown)
}

fn words_and_numerals(cx: &Cx, out: &mut Vec<Finding>) {
    let style = cx.config.style;
    // The habit: how many figures of 10 and more are written in numerals.
    let numerals_10 = cx
        .figures
        .iter()
        .filter(|f| !f.written.words && f.value.or(f.high).is_some_and(|v| v >= Decimal::TEN))
        .count();
    for (i, f) in cx.figures.iter().enumerate() {
        if in_table(cx, i) {
            continue;
        }
        let v = f.value.or(f.low).unwrap_or_default();
        let big = f.value.or(f.high).unwrap_or_default();
        if f.written.words {
            if at_sentence_start(cx, i) {
                continue;
            }
            let text = cx.number_text(i).to_lowercase();
            let has_scale = SCALE_WORDS.iter().any(|(w, _)| text.contains(w));
            let reason = match style {
                Style::Ap if numeral_dimension(f.dimension) => Some(format!(
                    "AP style uses numerals for {}",
                    plural(f.dimension)
                )),
                Style::Ap if has_scale => {
                    Some("AP style uses numerals with million and billion".to_string())
                }
                Style::Ap if big >= Decimal::TEN => {
                    Some("AP style uses numerals for 10 and above".to_string())
                }
                Style::Chicago
                    if f.dimension == Dimension::Percent || f.dimension == Dimension::Currency =>
                {
                    Some(format!(
                        "Chicago style uses numerals for {}",
                        plural(f.dimension)
                    ))
                }
                Style::Chicago if big > Decimal::ONE_HUNDRED && !round(big) => Some(
                    "Chicago style spells out only whole numbers to one hundred and round numbers"
                        .to_string(),
                ),
                _ if big >= Decimal::TEN && numerals_10 >= 2 => {
                    Some("this document writes such numbers in numerals".to_string())
                }
                _ => None,
            };
            let Some(reason) = reason else { continue };
            let shown = numerals(cx, i);
            let mut finding = match &shown {
                Some(s) => cx.finding(
                    &CHECK,
                    f.number.clone(),
                    format!("`{}` is spelled out; {reason}: `{s}`", cx.number_text(i)),
                ),
                None => cx.finding(
                    &CHECK,
                    f.number.clone(),
                    format!("`{}` is spelled out; {reason}", cx.number_text(i)),
                ),
            };
            if let Some(s) = shown {
                push_fix(cx, &mut finding, i, s);
            }
            out.push(finding);
            continue;
        }
        // Numerals that the guide spells out.
        if f.dimension != Dimension::Count
            || f.noun.is_none()
            || f.value.is_none()
            || at_sentence_start(cx, i)
        {
            continue;
        }
        let Some(d) = arith::digits_text(cx, i) else {
            continue;
        };
        if d.contains(cx.config.decimal) || f.written.scale_span.is_some() || !v.fract().is_zero() {
            continue;
        }
        let limit = match style {
            Style::Ap => Decimal::from(9),
            Style::Chicago => Decimal::ONE_HUNDRED,
            Style::None => continue,
        };
        if v < Decimal::ONE || v > limit {
            continue;
        }
        // A series that mixes small and large numbers stays in numerals (`2 to 549 days`,
        // `5 of 12 regions`).
        let series = cx.sentence_figures(i).any(|j| {
            j != i && !cx.figures[j].written.words && cx.figures[j].value.is_some_and(|w| w > limit)
        });
        if series {
            continue;
        }
        let Some(n) = v.to_u64() else { continue };
        let Some(w) = words::to_words(n) else {
            continue;
        };
        let guide = if style == Style::Ap {
            "AP style spells out one to nine"
        } else {
            "Chicago style spells out whole numbers to one hundred"
        };
        let mut finding = cx.finding(
            &CHECK,
            f.number.clone(),
            format!("`{}`: {guide}: `{w}`", cx.number_text(i)),
        );
        push_fix(cx, &mut finding, i, w);
        out.push(finding);
    }
}

fn round(v: Decimal) -> bool {
    let mut x = v.trunc();
    if x.is_zero() || x != v {
        return false;
    }
    while (x % Decimal::TEN).is_zero() {
        x /= Decimal::TEN;
    }
    x < Decimal::TEN
}

fn plural(d: Dimension) -> &'static str {
    match d {
        Dimension::Currency => "money",
        Dimension::Percent => "percentages",
        _ => "measures",
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, check_with, fixed};
    use super::CHECK;
    use crate::config::{Config, Style};

    #[test]
    fn ap_numerals_for_ten_and_up_money_and_percent() {
        check(
            &CHECK,
            "Up to seven thousand violators were detained.",
            "1:7 `seven thousand` is spelled out; AP style uses numerals for 10 and above: `7,000`",
        );
        assert_eq!(
            fixed(&CHECK, "Compensation increased three pct in 1986."),
            "Compensation increased 3 pct in 1986."
        );
        assert_eq!(
            fixed(&CHECK, "Then five million lives could be saved."),
            "Then 5 million lives could be saved."
        );
    }

    #[test]
    fn habits_separators_spacing_and_percent() {
        check(&CHECK, "They seized 4,431 rounds and 5120 shells.", "1:30 `5120` has no thousands separator, unlike `4,431` elsewhere in this document: `5,120`");
        assert_eq!(
            fixed(&CHECK, "Over 800kg of drugs and 14 tons of reagents."),
            "Over 800 kg of drugs and 14 tons of reagents."
        );
        assert_eq!(
            fixed(&CHECK, "Growth reached 5 % after 4.8% in May."),
            "Growth reached 5% after 4.8% in May."
        );
    }

    #[test]
    fn ap_spells_out_small_counts() {
        assert_eq!(
            fixed(&CHECK, "Officers closed 5 clinics in May."),
            "Officers closed five clinics in May."
        );
        check(
            &CHECK,
            "Six groups were eliminated and 13 more people detained; 2 to 549 days.",
            "",
        );
    }

    #[test]
    fn style_none_keeps_only_habits() {
        let c = Config {
            style: Style::None,
            ..Config::default()
        };
        check_with(
            &CHECK,
            "Compensation increased three pct and closed 5 clinics.",
            &c,
            "",
        );
    }

    #[test]
    fn sentence_starts_are_spelled_out() {
        check(
            &CHECK,
            "Ninety-four percent of infants were vaccinated.",
            "",
        );
    }
}
