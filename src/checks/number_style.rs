//! `number-style`: numbers written against the document's own habit or the style guide.

use rust_decimal::prelude::*;
use rust_decimal::Decimal;

use std::ops::Range;

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
        || f.number.start() <= s.range.start
        || f.span.start() <= s.range.start && f.written.qualifier_span.is_none()
}

fn in_table(cx: &Cx, i: usize) -> bool {
    matches!(
        cx.doc.sentences[cx.doc.fig_sentence[i]].kind,
        UnitKind::Cell | UnitKind::Line
    )
}

fn run(cx: &Cx) -> Vec<Finding> {
    let verdict = Verdict::of([(0, &habits(cx))]);
    emit(cx, &verdict, 0..cx.figures.len())
}

/// What a stretch of figures (a chunk, or the whole document) says about the document's
/// habits, figure indices relative to its first figure. Incremental analysis keeps it per
/// chunk and folds the chunks' into the document's [`Verdict`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Habits {
    /// Each thousands separator: how many figures use it, and the first that does.
    seps: Box<[(char, u32, u32)]>,
    /// The first measure written with a space before its unit (`800 kg`).
    spaced: Option<u32>,
    /// The first percentage written with `%` straight after the number (`5%`).
    tight: Option<u32>,
    /// How many figures of 10 and more are written in numerals.
    numerals_10: u32,
}

/// The habits of the figures of `cx`.
pub(crate) fn habits(cx: &Cx) -> Habits {
    let mut h = Habits::default();
    let mut seps: Vec<(char, u32, u32)> = Vec::new();
    for (i, f) in cx.figures.iter().enumerate() {
        if let Some(c) = grouped_with(cx, i) {
            match seps.iter_mut().find(|s| s.0 == c) {
                Some(s) => s.1 = s.1.saturating_add(1),
                None => seps.push((c, 1, super::small_index(i))),
            }
        }
        if h.spaced.is_none() && spaced(f) {
            h.spaced = Some(super::small_index(i));
        }
        if h.tight.is_none() && tight_percent(cx, i) {
            h.tight = Some(super::small_index(i));
        }
        if !f.written.words
            && f.value
                .get()
                .or(f.high())
                .is_some_and(|v| v >= Decimal::TEN)
        {
            h.numerals_10 = h.numerals_10.saturating_add(1);
        }
    }
    h.seps = seps.into_boxed_slice();
    h
}

/// The document's habits, folded from those of its stretches: what the findings of any
/// figure depend on beyond the figure's own sentence. Figure indices are the document's.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Verdict {
    /// The separator most figures use, and its first figure.
    habit: Option<(char, usize)>,
    spaced: Option<usize>,
    tight: Option<usize>,
    /// Whether two figures or more of 10 and more are written in numerals.
    numerals: bool,
}

impl Verdict {
    /// Fold the habits of consecutive stretches, each with the index of its first figure.
    pub(crate) fn of<'h>(parts: impl IntoIterator<Item = (usize, &'h Habits)>) -> Verdict {
        let mut seps: Vec<(char, usize, usize)> = Vec::new();
        let mut v = Verdict::default();
        let mut numerals_10 = 0;
        for (at, h) in parts {
            for &(c, n, first) in &h.seps {
                let (n, first) = (n as usize, first as usize);
                match seps.iter_mut().find(|s| s.0 == c) {
                    Some(s) => s.1 += n,
                    None => seps.push((c, n, at + first)),
                }
            }
            v.spaced = v.spaced.or(h.spaced.map(|i| at + i as usize));
            v.tight = v.tight.or(h.tight.map(|i| at + i as usize));
            numerals_10 += h.numerals_10 as usize;
        }
        v.habit = seps
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
            .map(|s| (s.0, s.2));
        v.numerals = numerals_10 >= 2;
        v
    }

    /// A hash of what the findings read of the verdict: the habits, the text of each example
    /// figure and which examples are one figure. Not the examples' places: findings of a
    /// chunk computed under a verdict with the same key are the same but for their related
    /// places, which are the examples' (see [`Verdict::examples`]), so an edit before an
    /// example does not make every chunk's findings computed again.
    pub(crate) fn key(&self, cx: &Cx) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = crate::figures::Fx(0x6e75_6d62_6573);
        let mut example = |i: Option<usize>| match i {
            Some(i) => {
                h.write_u8(1);
                cx.fig_text(i).hash(&mut h);
                cx.number_text(i).hash(&mut h);
            }
            None => h.write_u8(0),
        };
        let [a, b, c] = self.example_figures();
        example(a);
        example(b);
        example(c);
        let same = |x: Option<usize>, y: Option<usize>| u8::from(x.is_some() && x == y);
        h.write_u8(same(a, b) | same(a, c) << 1 | same(b, c) << 2);
        self.habit.map(|x| x.0).hash(&mut h);
        h.write_u8(u8::from(self.numerals));
        h.finish()
    }

    /// The example figures: of the separator habit, of a spaced unit, of a tight `%`.
    fn example_figures(&self) -> [Option<usize>; 3] {
        [self.habit.map(|x| x.1), self.spaced, self.tight]
    }

    /// Where the example figures are: the only places findings relate to.
    pub(crate) fn examples(&self, cx: &Cx) -> [Option<Range<usize>>; 3] {
        self.example_figures()
            .map(|i| i.and_then(|i| cx.figures.get(i)).map(|f| f.span.range()))
    }
}

/// The findings of the figures `figs` of `cx` under the document's verdict, figure by
/// figure.
pub(crate) fn emit(cx: &Cx, v: &Verdict, figs: Range<usize>) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in figs {
        separators(cx, v, i, &mut out);
        unit_spacing(cx, v, i, &mut out);
        percent_spacing(cx, v, i, &mut out);
        words_and_numerals(cx, v, i, &mut out);
    }
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

/// Whether a figure's numeral is long enough to group (four integer digits or more) and
/// could be grouped: not words, not malformed, not an identifier.
fn groupable(cx: &Cx, i: usize) -> bool {
    let f = &cx.figures[i];
    !(f.written.words
        || f.written.malformed.is_some()
        || int_digits(cx, i) < 4
        || cx.looks_like_identifier(i))
}

/// The separator a groupable numeral groups its digits with.
fn grouped_with(cx: &Cx, i: usize) -> Option<char> {
    cx.figures[i]
        .written
        .separator
        .filter(|_| groupable(cx, i))
        .map(|s| s.char())
}

fn separators(cx: &Cx, v: &Verdict, i: usize, out: &mut Vec<Finding>) {
    let f = &cx.figures[i];
    if let Some(c) = grouped_with(cx, i) {
        if let Some((h, example)) = v.habit {
            if c != h {
                let shown = regroup(cx, i, h);
                let mut f = cx.finding(
                    &CHECK,
                    f.number.range(),
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
        return;
    }
    if f.written.separator.is_some() || !f.written.bare_thousands || !groupable(cx, i) {
        return;
    }
    let strict = cx.config.style != Style::None && int_digits(cx, i) >= 5;
    let (sep, why) = match v.habit {
        Some((h, example)) => (
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
        None => return,
    };
    let shown = regroup(cx, i, sep);
    let mut f = cx.finding(
        &CHECK,
        f.number.range(),
        format!(
            "`{}` has no thousands separator, {why}: `{shown}`",
            cx.number_text(i)
        ),
    );
    if let Some((_, example)) = v.habit {
        f.related.push(cx.related(example, "the document's habit"));
    }
    push_fix(cx, &mut f, i, shown);
    out.push(f);
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
    let digits: String = int.chars().filter(char::is_ascii_digit).collect();
    let mut g = String::new();
    crate::figures::number::push_grouped(&mut g, &digits, sep);
    t.replacen(d, &format!("{g}{frac}"), 1)
}

fn push_fix(cx: &Cx, f: &mut Finding, i: usize, shown: String) {
    let n = cx.figures[i].number;
    if shown != cx.number_text(i) {
        f.fixes.push(Fix {
            title: join!("Write `", shown, "`").into(),
            edits: vec![Edit {
                start: n.start(),
                end: n.end(),
                text: shown.into(),
            }]
            .into(),
        });
    }
}

fn is_measure(f: &crate::figures::Figure) -> bool {
    !matches!(
        f.dimension,
        Dimension::Count | Dimension::Currency | Dimension::Percent | Dimension::Other
    )
}

/// A measure written with a space between number and unit (`800 kg`).
fn spaced(f: &crate::figures::Figure) -> bool {
    is_measure(f)
        && !f.written.unit_attached
        && f.written
            .unit_span
            .get()
            .is_some_and(|u| u.start > f.number.end())
}

fn unit_spacing(cx: &Cx, v: &Verdict, i: usize, out: &mut Vec<Finding>) {
    let f = &cx.figures[i];
    if !is_measure(f) || !f.written.unit_attached {
        return;
    }
    let Some(us) = f.written.unit_span.get() else {
        return;
    };
    if us.start != f.number.end() {
        return;
    }
    let example = v.spaced;
    if example.is_none() && cx.config.style == Style::None {
        return;
    }
    let why = match example {
        Some(e) => join!("as in `", cx.fig_text(e), "`"),
        None => "as the style guide does".to_string(),
    };
    let mut finding = cx.finding(
        &CHECK,
        f.span.range(),
        join!(
            "`",
            cx.fig_text(i),
            "`: put a space between the number and its unit, ",
            why
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
        }]
        .into(),
    });
    out.push(finding);
}

/// A percentage written with `%` straight after the number (`5%`).
fn tight_percent(cx: &Cx, i: usize) -> bool {
    let f = &cx.figures[i];
    f.dimension == Dimension::Percent
        && !f.written.spaced_percent
        && f.written
            .unit_span
            .get()
            .is_some_and(|u| cx.slice(u) == "%")
}

fn percent_spacing(cx: &Cx, v: &Verdict, i: usize, out: &mut Vec<Finding>) {
    let f = &cx.figures[i];
    if !f.written.spaced_percent {
        return;
    }
    let Some(us) = f.written.unit_span.get() else {
        return;
    };
    let tight = v.tight;
    if tight.is_none() && cx.config.style == Style::None {
        return;
    }
    let why = match tight {
        Some(e) => format!("as in `{}` elsewhere in this document", cx.fig_text(e)),
        None => "as the style guide does".to_string(),
    };
    let mut finding = cx.finding(
        &CHECK,
        f.span.range(),
        format!(
            "`{}`: write `%` straight after the number, {why}",
            cx.fig_text(i)
        ),
    );
    if let Some(e) = tight {
        finding.related.push(cx.related(e, "unspaced"));
    }
    if f.number.end() < us.start {
        finding.fixes.push(Fix {
            title: "Remove the space before `%`".into(),
            edits: vec![Edit {
                start: f.number.end(),
                end: us.start,
                text: String::new().into(),
            }]
            .into(),
        });
    }
    out.push(finding);
}

const SCALE_WORDS: [(&str, i64); 3] = [
    ("trillion", 1_000_000_000_000),
    ("billion", 1_000_000_000),
    ("million", 1_000_000),
];

/// The figure's number in numerals: `seven thousand` → `7,000`, `five million` → `5 million`.
fn numerals(cx: &Cx, i: usize) -> Option<String> {
    let f = &cx.figures[i];
    let v = f.value.get()?;
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
        .get()
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

fn words_and_numerals(cx: &Cx, v: &Verdict, i: usize, out: &mut Vec<Finding>) {
    let style = cx.config.style;
    let in_numerals = v.numerals;
    let f = &cx.figures[i];
    {
        if in_table(cx, i) {
            return;
        }
        let v = f.value.get().or(f.low()).unwrap_or_default();
        let big = f.value.get().or(f.high()).unwrap_or_default();
        if f.written.words {
            if at_sentence_start(cx, i) {
                return;
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
                _ if big >= Decimal::TEN && in_numerals => {
                    Some("this document writes such numbers in numerals".to_string())
                }
                _ => None,
            };
            let Some(reason) = reason else { return };
            let shown = numerals(cx, i);
            let mut finding = match &shown {
                Some(s) => cx.finding(
                    &CHECK,
                    f.number.range(),
                    join!(
                        "`",
                        cx.number_text(i),
                        "` is spelled out; ",
                        reason,
                        ": `",
                        s,
                        "`"
                    ),
                ),
                None => cx.finding(
                    &CHECK,
                    f.number.range(),
                    join!("`", cx.number_text(i), "` is spelled out; ", reason),
                ),
            };
            if let Some(s) = shown {
                push_fix(cx, &mut finding, i, s);
            }
            out.push(finding);
            return;
        }
        // Numerals that the guide spells out.
        if f.dimension != Dimension::Count
            || f.noun.is_none()
            || f.value.is_none()
            || at_sentence_start(cx, i)
        {
            return;
        }
        let Some(d) = arith::digits_text(cx, i) else {
            return;
        };
        if d.contains(cx.config.decimal) || f.written.scale_span.is_some() || !v.fract().is_zero() {
            return;
        }
        let limit = match style {
            Style::Ap => Decimal::from(9),
            Style::Chicago => Decimal::ONE_HUNDRED,
            Style::None => return,
        };
        if v < Decimal::ONE || v > limit {
            return;
        }
        // A series that mixes small and large numbers stays in numerals (`2 to 549 days`,
        // `5 of 12 regions`).
        let series = cx.sentence_figures(i).any(|j| {
            j != i
                && !cx.figures[j].written.words
                && cx.figures[j].value.get().is_some_and(|w| w > limit)
        });
        if series {
            return;
        }
        let Some(n) = v.to_u64() else { return };
        let Some(w) = words::to_words(n) else {
            return;
        };
        let guide = if style == Style::Ap {
            "AP style spells out one to nine"
        } else {
            "Chicago style spells out whole numbers to one hundred"
        };
        let mut finding = cx.finding(
            &CHECK,
            f.number.range(),
            join!("`", cx.number_text(i), "`: ", guide, ": `", w, "`"),
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
