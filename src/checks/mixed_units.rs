//! `mixed-units`: one dimension written in different units in one document.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{arith, Check, Cx, Edit, Finding, Fix, Related, Severity, Texts};
use crate::figures::Dimension;

pub(crate) const CHECK: Check = Check {
    code: "mixed-units",
    summary: "One quantity written in different units in one document",
    severity: Severity::Info,
    explanation: "\
Catches a document that measures one kind of thing in different units (`over 800kg of drugs` \
... `14 tons of reagents`; `21,000 pounds` ... `25,697 kilograms`), and two currencies \
compared directly (`a loss of $470m, compared with a profit of £13m`).

**Why it matters.** Readers compare figures by their digits. Mixed units make the smaller \
figure look larger (or the other way round) and force a conversion on every reader.

It reports the figures written in a unit other than the document's dominant one (the unit \
most figures of that dimension use; the first one on a tie). Time spans are exempt (`18 \
months` beside `15 years` is normal), and so are data sizes and quantities a thousand \
times apart (`5 mg` doses beside `3 t` of drugs); money only counts when two currencies are compared \
in one sentence: conversions in parentheses and different countries' money are normal.

**Fires:**

    Police seized over 800 kg of drugs and 14 tons of reagents.

**Does not fire:**

    Police seized over 800 kg of drugs and 14,000 kg of reagents.
    It took $22m (£11.7m) at the box office.

**Fix.** Rewrite the figure in the dominant unit, converted (`14 tons` → `14,000 kg`).

**Configure.** `[checks] mixed-units = \"warning\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore mixed-units -->`.",
    run,
};

const EXEMPT: &[Dimension] = &[
    Dimension::Count,
    Dimension::Percent,
    Dimension::Currency,
    Dimension::Time,
    Dimension::Data,
    Dimension::Other,
];

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = run_document(cx);
    out.extend(run_local(cx));
    out
}

/// What reads one sentence: two currencies compared directly. Incremental analysis runs it
/// per chunk and keeps its findings.
pub(crate) fn run_local(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    money(cx, &mut out);
    out
}

/// What reads the whole document: the unit it mostly writes each dimension in.
pub(crate) fn run_document(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    // Figures given as a conversion of another (a mask: a document has thousands).
    let mut conversions = vec![false; cx.figures.len()];
    for &(_, b) in cx.conversion_pairs() {
        if let Some(c) = conversions.get_mut(b) {
            *c = true;
        }
    }
    let mut by_dim: BTreeMap<Dimension, Vec<usize>> = BTreeMap::new();
    for (i, f) in cx.figures.iter().enumerate() {
        if EXEMPT.contains(&f.dimension) || f.unit.is_none() || conversions[i] || f.per.is_some() {
            continue;
        }
        by_dim.entry(f.dimension).or_default().push(i);
    }
    let unit_of = |i: usize| cx.figures[i].unit.as_deref().unwrap_or_default();
    // Last time's messages, when incremental analysis keeps them.
    let mut texts = cx
        .texts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
        .unwrap_or_default();
    for (_, figs) in by_dim {
        let mut counts: Vec<(&str, usize, usize)> = Vec::new(); // unit, count, first
        for &i in &figs {
            let u = unit_of(i);
            match counts.iter_mut().find(|c| c.0 == u) {
                Some(c) => c.1 += 1,
                None => counts.push((u, 1, i)),
            }
        }
        if counts.len() < 2 {
            continue;
        }
        // Only units used for quantities of a similar size compete: `5 mg` doses beside
        // `3 t` of drugs are rightly written in different units.
        let competing: Vec<&str> = counts
            .iter()
            .filter(|c| {
                figs.iter().any(|&i| {
                    unit_of(i) == c.0 && figs.iter().any(|&j| unit_of(j) != c.0 && near(cx, i, j))
                })
            })
            .map(|c| c.0)
            .collect();
        if competing.len() < 2 {
            continue;
        }
        let dominant = counts
            .iter()
            .filter(|c| competing.contains(&c.0))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
            .copied()
            .unwrap_or_default();
        let d = dominant.2;
        let dominant_text = cx.figures[d]
            .written
            .unit_span
            .get()
            .map_or(dominant.0, |r| cx.slice(r));
        for &i in &figs {
            let f = &cx.figures[i];
            if f.unit.as_deref() == Some(dominant.0) {
                continue;
            }
            if !figs
                .iter()
                .any(|&j| cx.figures[j].unit.as_deref() == Some(dominant.0) && near(cx, i, j))
            {
                continue;
            }
            let unit_text = f.written.unit_span.get().map_or("", |r| cx.slice(r));
            let (text_i, text_d, dim) = (cx.fig_text(i), cx.fig_text(d), f.dimension.as_str());
            let message = texts.get(
                &[
                    CHECK.code.as_bytes(),
                    text_i.as_bytes(),
                    unit_text.as_bytes(),
                    dim.as_bytes(),
                    dominant_text.as_bytes(),
                    text_d.as_bytes(),
                ],
                || {
                    format!(
                        "`{text_i}` is in {unit_text}, while this document mostly writes {dim} in {dominant_text} (`{text_d}`): use one unit"
                    )
                },
            );
            let mut finding = cx.finding(&CHECK, f.span.clone(), message);
            finding.related.push(Related {
                span: cx.figures[d].span.clone(),
                message: texts.get(
                    &[CHECK.code.as_bytes(), b"related", text_d.as_bytes()],
                    || format!("{DOMINANT}: {text_d}"),
                ),
            });
            if let Some(fix) = convert(cx, i, d, dominant_text, &mut texts) {
                finding.fixes.push(fix);
            }
            out.push(finding);
        }
    }
    *cx.texts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(texts);
    out
}

/// Whether two figures are of a similar size (within a factor of a thousand), or one of
/// them has no single value to compare (a range).
fn near(cx: &Cx, i: usize, j: usize) -> bool {
    match (
        cx.figures[i].normalized_value,
        cx.figures[j].normalized_value,
    ) {
        (Some(a), Some(b)) => {
            let (a, b) = (a.abs(), b.abs());
            let k = rust_decimal::Decimal::ONE_THOUSAND;
            // Checked: a value near the decimal limit overflows (found by fuzzing); a
            // product too large to represent is larger than the other value.
            let within = |x: rust_decimal::Decimal, y: rust_decimal::Decimal| {
                y.checked_mul(k).is_none_or(|yk| x <= yk)
            };
            within(a, b) && within(b, a)
        }
        _ => true,
    }
}

/// What a finding's related place says of the figure in the dominant unit.
const DOMINANT: &str = "the dominant unit";

/// `14 tons` → `14,000 kg`: the figure in the unit of figure `d` (its text and title made
/// once, see [`Texts`]).
fn convert(cx: &Cx, i: usize, d: usize, unit_text: &str, texts: &mut Texts) -> Option<Fix> {
    let (f, g) = (&cx.figures[i], &cx.figures[d]);
    let n = f.normalized_value?;
    // Checked: a zero or near-overflow value divides by zero or overflows (found by fuzzing).
    let per_unit = g.normalized_value?.checked_div(g.value?)?;
    if per_unit.is_zero() {
        return None;
    }
    let v = n.checked_div(per_unit)?;
    let us = f.written.unit_span.get()?;
    let start = f.number.start.min(us.start);
    let end = f.number.end.max(us.end);
    // Whole units from 100 up, a decimal below, two below 10: a conversion, not a claim
    // of new precision.
    let dp = if v.abs() >= Decimal::ONE_HUNDRED {
        0
    } else if v.abs() >= Decimal::TEN {
        1
    } else {
        2
    };
    let g_unit = g.written.unit_span.get()?.start;
    let gap = cx.slice(g.number.end.min(g_unit)..g_unit);
    let space = if gap.is_empty() { "" } else { " " };
    let parts: [&[u8]; 5] = [
        CHECK.code.as_bytes(),
        &v.serialize(),
        &[dp as u8],
        space.as_bytes(),
        unit_text.as_bytes(),
    ];
    let text = texts.get(&parts, || {
        format!("{}{space}{unit_text}", arith::format_auto(v, dp))
    });
    Some(Fix {
        title: texts.get(&[CHECK.code.as_bytes(), b"title", text.as_bytes()], || {
            format!("Rewrite as {text}")
        }),
        edits: vec![Edit { start, end, text }],
    })
}

/// Two currencies compared directly in one sentence (`$470m, compared with £13m`).
fn money(cx: &Cx, out: &mut Vec<Finding>) {
    const COMPARE: &[&str] = &[
        "compared with",
        "compared to",
        "versus",
        "vs",
        "against",
        "up from",
        "down from",
        "from",
        "than",
    ];
    // Figures given as a conversion of another.
    let mut converted = vec![false; cx.figures.len()];
    for &(_, y) in cx.conversion_pairs() {
        if let Some(c) = converted.get_mut(y) {
            *c = true;
        }
    }
    for a in 0..cx.figures.len() {
        let fa = &cx.figures[a];
        if fa.dimension != Dimension::Currency {
            continue;
        }
        let sentence = cx.sentence_figures(a);
        let Some(b) =
            (a + 1..sentence.end).find(|&b| cx.figures[b].dimension == Dimension::Currency)
        else {
            continue;
        };
        let fb = &cx.figures[b];
        if fa.unit == fb.unit
            || fa.unit.is_none()
            || fb.unit.is_none()
            || converted[b]
            || converted[a]
        {
            continue;
        }
        let between = cx.words_between(fa.span.end, fb.span.start);
        if between.contains('(')
            || between.split_whitespace().count() > 8
            || !COMPARE.iter().any(|w| between.contains(w))
        {
            continue;
        }
        let mut f = cx.finding(
            &CHECK,
            fb.span.clone(),
            format!(
                "`{}` is compared with `{}` in another currency: compare in one currency",
                cx.fig_text(b),
                cx.fig_text(a)
            ),
        );
        f.related.push(cx.related(a, "compared with"));
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, fixed};
    use super::CHECK;

    #[test]
    fn flags_the_minority_unit() {
        let t = "Police seized over 800kg of drugs and 14 tons of reagents.";
        check(&CHECK, t, "1:39 `14 tons` is in tons, while this document mostly writes mass in kg (`over 800kg`): use one unit");
        assert_eq!(
            fixed(&CHECK, t),
            "Police seized over 800kg of drugs and 14000kg of reagents.".replace("14000", "14,000")
        );
    }

    #[test]
    fn flags_two_currencies_compared() {
        check(
            &CHECK,
            "It made a loss of $470m, compared with a profit of £13m a year earlier.",
            "1:52 `£13m` is compared with `$470m` in another currency: compare in one currency",
        );
    }

    #[test]
    fn silent_on_conversions_and_one_unit() {
        check(
            &CHECK,
            "It took $22m (£11.7m) at the box office and 5 km (3.1 miles) of queues.",
            "",
        );
        check(
            &CHECK,
            "Police seized 800 kg of drugs and 14,000 kg of reagents over 18 months and 2 years.",
            "",
        );
    }
}
