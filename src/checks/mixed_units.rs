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
        if EXEMPT.contains(&f.dimension) || f.unit.is_none() || conversions[i] || f.per().is_some()
        {
            continue;
        }
        by_dim.entry(f.dimension).or_default().push(i);
    }
    let unit_of = |i: usize| cx.figures[i].unit.unwrap_or_default();
    // Last time's messages, when incremental analysis keeps them.
    let mut texts = cx
        .texts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
        .unwrap_or_default();
    // Last time's findings, by the identities of their figures, when incremental analysis
    // gives identities (see [`Memo`]).
    let ids = cx.fig_ids.get().filter(|ids| ids.len() == cx.figures.len());
    let mut memo = ids.and_then(|_| {
        cx.mixed_memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .or_else(|| Some(Memo::default()))
    });
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
        // `3 t` of drugs are rightly written in different units. A unit competes when one
        // of its figures is near one in another unit: found by comparing pairs in most
        // documents; past a budget (thousands of figures in two units far apart made this
        // take seconds), by counting those near it among all less those in its own unit.
        let value = |i: usize| cx.figures[i].normalized_value.get();
        let mut all: Option<Sizes> = None;
        let competing: Vec<&str> = counts
            .iter()
            .filter(|c| {
                let mut pairs = figs.iter().filter(|&&i| unit_of(i) == c.0).flat_map(|&i| {
                    figs.iter()
                        .filter(move |&&j| unit_of(j) != c.0)
                        .map(move |&j| (i, j))
                });
                if pairs
                    .by_ref()
                    .take(PAIRS)
                    .any(|(i, j)| near(value(i), value(j)))
                {
                    return true;
                }
                if pairs.next().is_none() {
                    return false;
                }
                let all = all.get_or_insert_with(|| Sizes::of(cx, figs.iter().copied()));
                let own = Sizes::of(cx, figs.iter().copied().filter(|&i| unit_of(i) == c.0));
                figs.iter()
                    .any(|&i| unit_of(i) == c.0 && all.near(value(i)) > own.near(value(i)))
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
        // Figures near one in the dominant unit: the first few compared, then counted.
        let in_dominant: Vec<usize> = figs
            .iter()
            .copied()
            .filter(|&j| cx.figures[j].unit == Some(dominant.0))
            .collect();
        let mut dominant_sizes: Option<Sizes> = None;
        for &i in &figs {
            let f = &cx.figures[i];
            if f.unit == Some(dominant.0) {
                continue;
            }
            let v = f.normalized_value.get();
            let near_dominant = in_dominant
                .iter()
                .take(PAIRS_EACH)
                .any(|&j| near(v, value(j)))
                || in_dominant.len() > PAIRS_EACH
                    && dominant_sizes
                        .get_or_insert_with(|| Sizes::of(cx, in_dominant.iter().copied()))
                        .near(v)
                        > 0;
            if !near_dominant {
                continue;
            }
            let (at, at_d) = (f.span.start(), cx.figures[d].span.start());
            let key = ids.map(|ids| (ids[i], ids[d]));
            if let (Some(m), Some(key)) = (&mut memo, key) {
                if let Some((used, kept)) = m.made.get_mut(&key) {
                    *used = m.analysis;
                    out.push(placed(kept, (0, at), (0, at_d)));
                    continue;
                }
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
            let mut finding = cx.finding(&CHECK, f.span.range(), message);
            finding.related.push(Related {
                span: cx.figures[d].span.range(),
                message: texts.get(
                    &[CHECK.code.as_bytes(), b"related", text_d.as_bytes()],
                    || format!("{DOMINANT}: {text_d}"),
                ),
            });
            if let Some(fix) = convert(cx, i, d, dominant_text, &mut texts) {
                finding.fixes.push(fix);
            }
            if let (Some(m), Some(key)) = (&mut memo, key) {
                let kept = placed(&finding, (at, 0), (at_d, 0));
                m.made.insert(key, (m.analysis, kept));
            }
            out.push(finding);
        }
    }
    *cx.texts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(texts);
    if let Some(mut m) = memo {
        m.turn();
        *cx.mixed_memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(m);
    }
    out
}

/// What the document pass wrote in the last analysis of a document, kept by incremental
/// analysis: each finding by the identities ([`Cx::fig_ids`]) of its figure and of the
/// dominant unit's figure it names. Those two pin down all a finding says (the two figures'
/// texts, units and values, the dominant unit's spelling, the fix's conversion), so a
/// finding of the same two figures is last time's, moved to where they are now: its own
/// places are kept relative to its figure, its related place relative to the dominant one.
/// Those not written again in an analysis are forgotten.
#[derive(Default)]
pub(crate) struct Memo {
    made: std::collections::HashMap<(u64, u64), (u64, Finding), crate::figures::KeyBuild>,
    analysis: u64,
}

impl Memo {
    /// Bytes held (for `profile_memory`).
    pub(crate) fn heap(&self) -> usize {
        self.made.capacity() * (1 + std::mem::size_of::<((u64, u64), (u64, Finding))>())
    }
    /// Forget the findings this analysis did not write; the next one starts.
    fn turn(&mut self) {
        let now = self.analysis;
        self.made.retain(|_, (used, _)| *used == now);
        self.analysis += 1;
    }
}

/// A copy of `f` whose own places (its range, its fixes' edits) move from `own.0` to
/// `own.1` and its related places from `rel.0` to `rel.1` (sharing its lists: only their
/// offsets change).
fn placed(f: &Finding, own: (usize, usize), rel: (usize, usize)) -> Finding {
    let mut f = super::incremental::shift_own(f, own.0, own.1);
    f.related.shift(rel.0, rel.1);
    f
}

/// Pairs of figures `mixed-units` compares for a unit before it counts instead (see
/// [`Sizes`]), and figures each compares with the dominant unit's.
const PAIRS: usize = 256;
const PAIRS_EACH: usize = 16;

/// Whether two values are of a similar size (within a factor of a thousand), or one of
/// them is not a single value (a range): what [`Sizes::near`] counts.
fn near(a: Option<Decimal>, b: Option<Decimal>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (a.abs(), b.abs());
            let k = Decimal::ONE_THOUSAND;
            let within = |x: Decimal, y: Decimal| y.checked_mul(k).is_none_or(|yk| x <= yk);
            within(a, b) && within(b, a)
        }
        _ => true,
    }
}

/// The sizes of some figures (their normalised values, absolute, ascending) and how many
/// have no single value, so that how many of them are near a value is two binary
/// searches: a document may hold thousands of figures of one dimension in two units a
/// thousand times apart, and comparing each with each took seconds.
struct Sizes {
    sorted: Vec<Decimal>,
    unvalued: usize,
}

impl Sizes {
    fn of(cx: &Cx, figs: impl Iterator<Item = usize>) -> Sizes {
        let mut sorted = Vec::new();
        let mut unvalued = 0;
        for i in figs {
            match cx.figures[i].normalized_value.get() {
                Some(v) => sorted.push(v.abs()),
                None => unvalued += 1,
            }
        }
        sorted.sort_unstable();
        Sizes { sorted, unvalued }
    }

    /// How many are [`near`] `v`: every one when `v` is `None`, else those without a value
    /// and those within a factor of a thousand. Products are checked: a value near the
    /// decimal limit overflows when multiplied (found by fuzzing), and a product too large
    /// to represent is larger than the other value.
    fn near(&self, v: Option<Decimal>) -> usize {
        let Some(a) = v.map(|v| v.abs()) else {
            return self.sorted.len() + self.unvalued;
        };
        let k = Decimal::ONE_THOUSAND;
        // The first that `a` is not more than a thousand times, the last not more than a
        // thousand times `a` (both conditions grow or shrink along the ascending list).
        let lo = self
            .sorted
            .partition_point(|y| y.checked_mul(k).is_some_and(|yk| a > yk));
        let hi = match a.checked_mul(k) {
            Some(ak) => self.sorted.partition_point(|y| *y <= ak),
            None => self.sorted.len(),
        };
        hi.saturating_sub(lo) + self.unvalued
    }
}

/// What a finding's related place says of the figure in the dominant unit.
const DOMINANT: &str = "the dominant unit";

/// `14 tons` → `14,000 kg`: the figure in the unit of figure `d` (its text and title made
/// once, see [`Texts`]).
fn convert(cx: &Cx, i: usize, d: usize, unit_text: &str, texts: &mut Texts) -> Option<Fix> {
    let (f, g) = (&cx.figures[i], &cx.figures[d]);
    let n = f.normalized_value.get()?;
    // Checked: a zero or near-overflow value divides by zero or overflows (found by fuzzing).
    let per_unit = g.normalized_value.get()?.checked_div(g.value.get()?)?;
    if per_unit.is_zero() {
        return None;
    }
    let v = n.checked_div(per_unit)?;
    let us = f.written.unit_span.get()?;
    let start = f.number.start().min(us.start);
    let end = f.number.end().max(us.end);
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
    let gap = cx.slice(g.number.end().min(g_unit)..g_unit);
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
        edits: vec![Edit { start, end, text }].into(),
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
        let between = cx.words_between(fa.span.end(), fb.span.start());
        if between.contains('(')
            || between.split_whitespace().count() > 8
            || !COMPARE.iter().any(|w| between.contains(w))
        {
            continue;
        }
        let mut f = cx.finding(
            &CHECK,
            fb.span.range(),
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
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// Values of every size, signs, ranges (`None`) and values near the decimal limit.
    fn value() -> impl Strategy<Value = Option<Decimal>> {
        prop_oneof![
            Just(None),
            (any::<i64>(), 0u32..12).prop_map(|(m, s)| Some(Decimal::new(m, s))),
            (-3000i64..3000, 0u32..4).prop_map(|(m, s)| Some(Decimal::new(m, s))),
            Just(Some(Decimal::MAX)),
            Just(Some(Decimal::MIN)),
            Just(Some(Decimal::ZERO)),
        ]
    }

    proptest! {
        /// The binary searches count what comparing each with each counts.
        #[test]
        fn sizes_count_the_near_ones(vs in prop::collection::vec(value(), 0..40), v in value()) {
            let mut sorted: Vec<Decimal> = vs.iter().flatten().map(|d| d.abs()).collect();
            sorted.sort_unstable();
            let sizes = super::Sizes { sorted, unvalued: vs.iter().filter(|d| d.is_none()).count() };
            let want = vs.iter().filter(|&&w| super::near(v, w)).count();
            prop_assert_eq!(sizes.near(v), want);
        }
    }

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
