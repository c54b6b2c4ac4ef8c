//! `conversion-mismatch`: a figure and its stated equivalent that disagree.

use rust_decimal::prelude::*;
use rust_decimal::Decimal;

use super::arith::{self, Iv};
use super::{Check, Cx, Edit, Finding, Fix, Severity};
use crate::figures::Dimension;

pub(crate) const CHECK: Check = Check {
    code: "conversion-mismatch",
    summary: "A figure and its stated equivalent disagree",
    severity: Severity::Warning,
    explanation: "\
Catches a figure whose conversion, given beside it in parentheses, says something else:

- measures that do not convert: `5 miles (12 km)` (5 miles is 8 km);
- money off by orders of magnitude: `$1.8 billion (£9.4 million)`;
- one currency pair converted at rates that differ by more than 10% within one document: \
`$168m (£89m)` and later `$500m (£378.8m)` (0.53 and 0.76 pounds to the dollar);
- a conversion more than 10% from the exchange rate configured in `[rates]`.

Each figure stands for the interval its digits allow (`$1bn` is anything from 0.5 to 1.5 \
billion), so conversions at plausible, rounded rates never fire.

**Why it matters.** Conversions are added by editors, not sources, and are rarely checked; \
a wrong one puts two different figures for the same thing into print.

**Fires:**

    The coast guard patrols 5 miles (12 km) offshore.
    The deal is worth $168m (£89m); the second one $500m (£378.8m).

**Does not fire:**

    The coast guard patrols 5 miles (8 km) offshore.
    The deal is worth $168m (£89m); the second one $500m (£265m).

**Fix.** Replace the converted figure with the value the first figure converts to.

**Configure.** `[rates]` (`USD = { KZT = 450.0 }`) makes money conversions checkable against \
a rate; `[checks] conversion-mismatch = \"off\"` (or any severity) in `.briefing-ls.toml`; \
silence one place with `<!-- briefing-ls: ignore conversion-mismatch -->`.",
    run,
};

/// Figures given as conversions of each other: `A (B)`, `A (about B)`, `A (B; C)` (both B
/// and C convert A), `A, or B,`. Same dimension, different units; not counts or percentages.
pub fn pairs(cx: &Cx) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let n = cx.figures.len();
    for a in 0..n {
        let fa = &cx.figures[a];
        if matches!(
            fa.dimension,
            Dimension::Count | Dimension::Percent | Dimension::Other
        ) {
            continue;
        }
        let sentence = cx.sentence_figures(a);
        let mut b = a + 1;
        let mut inside = false;
        while b < sentence.end {
            let fb = &cx.figures[b];
            let gap = cx.words_between(cx.figures[b - 1].span.end(), fb.span.start());
            let opens = matches!(
                gap.as_ref(),
                "(" | "( about"
                    | "( approximately"
                    | "( around"
                    | "( some"
                    | "( roughly"
                    | "( approx."
                    | "( or"
                    | ", or"
                    | "or"
            ) || gap.starts_with('(') && gap.len() <= 3;
            let continues = inside && matches!(gap.as_ref(), ";" | "," | "/" | "; about" | ", or");
            if !(b == a + 1 && opens || continues) {
                break;
            }
            inside = true;
            if fb.dimension == fa.dimension
                && fb.unit.is_some()
                && fa.unit.is_some()
                && fb.unit != fa.unit
            {
                out.push((a, b));
            }
            b += 1;
        }
    }
    out
}

/// Approximate value of one unit of each currency in US dollars. Only used to catch
/// conversions off by orders of magnitude (a factor of eight or more), so years of
/// exchange-rate drift do not matter.
const ROUGH_USD: &[(&str, f64)] = &[
    ("USD", 1.0),
    ("EUR", 1.1),
    ("GBP", 1.3),
    ("CHF", 1.1),
    ("JPY", 0.0068),
    ("CNY", 0.14),
    ("KZT", 0.0021),
    ("RUB", 0.011),
    ("INR", 0.012),
    ("CAD", 0.73),
    ("AUD", 0.66),
    ("NZD", 0.6),
    ("HKD", 0.128),
    ("SGD", 0.74),
    ("SEK", 0.095),
    ("NOK", 0.094),
    ("DKK", 0.147),
    ("PLN", 0.25),
    ("CZK", 0.043),
    ("HUF", 0.0027),
    ("LKR", 0.0033),
    ("UAH", 0.024),
    ("TRY", 0.03),
    ("BRL", 0.18),
    ("MXN", 0.055),
    ("ZAR", 0.055),
    ("KRW", 0.00073),
    ("ILS", 0.27),
    ("AED", 0.27),
    ("SAR", 0.27),
    ("PKR", 0.0036),
    ("BDT", 0.0083),
    ("NGN", 0.00065),
    ("EGP", 0.02),
    ("IDR", 0.000062),
    ("THB", 0.028),
    ("PHP", 0.017),
    ("VND", 0.000039),
    ("MYR", 0.22),
    ("UZS", 0.00008),
    ("KGS", 0.0115),
    ("BYN", 0.3),
    ("GEL", 0.37),
    ("AZN", 0.59),
    ("AMD", 0.0026),
    ("TWD", 0.031),
    ("KES", 0.0077),
    ("GHS", 0.065),
    ("ETB", 0.008),
];

fn rough_usd(code: &str) -> Option<f64> {
    ROUGH_USD.iter().find(|(c, _)| *c == code).map(|(_, v)| *v)
}

/// The rates of the document's own conversions: for each ordered pair of units, how many
/// of the second one of the first buys, sorted.
pub(crate) type OwnRates = std::collections::HashMap<(String, String), Vec<f64>>;

/// A conversion pair's units and values, if it can give a rate (both units, both scaled or
/// neither, positive values). The rate from the first unit to the second is `vb / va`, and
/// back `va / vb` (divided, not inverted, so that every reading gives the same bits).
fn pair_rate<'a>(cx: &Cx<'a>, (a, b): (usize, usize)) -> Option<(&'a str, &'a str, f64, f64)> {
    let figures: &'a [crate::figures::Figure] = cx.figures;
    let (fa, fb) = (&figures[a], &figures[b]);
    let (ua, ub) = (fa.unit?, fb.unit?);
    if fa.written.scale_span.is_some() != fb.written.scale_span.is_some() {
        return None;
    }
    let (va, vb) = (fa.value.get()?.to_f64()?, fb.value.get()?.to_f64()?);
    if va <= 0.0 || vb <= 0.0 {
        return None;
    }
    Some((ua, ub, va, vb))
}

/// [`OwnRates`] of a document.
pub(crate) fn own_rates(cx: &Cx) -> OwnRates {
    let mut rates = OwnRates::new();
    for &p in cx.conversion_pairs() {
        let Some((ua, ub, va, vb)) = pair_rate(cx, p) else {
            continue;
        };
        rates
            .entry((ua.to_string(), ub.to_string()))
            .or_default()
            .push(vb / va);
        if ua != ub {
            rates
                .entry((ub.to_string(), ua.to_string()))
                .or_default()
                .push(va / vb);
        }
    }
    for v in rates.values_mut() {
        v.sort_by(f64::total_cmp);
    }
    rates
}

/// How many `to` one `from` buys: the configured rate, else the document's own rate for
/// that pair (the median of its other conversions, leaving out `skip`, one of the document's
/// conversion pairs), else a rough one.
pub fn expected_rate(cx: &Cx, from: &str, to: &str, skip: Option<(usize, usize)>) -> Option<f64> {
    if let Some(r) = cx.config.rate(from, to) {
        return Some(r);
    }
    let own: &[f64] = cx
        .own_rates()
        .get(&(from.to_string(), to.to_string()))
        .map_or(&[], Vec::as_slice);
    // The rate `skip` itself gives for this pair, if it is among them: left out once.
    let skipped = skip
        .and_then(|p| pair_rate(cx, p))
        .and_then(|(ua, ub, va, vb)| {
            if ua == from && ub == to {
                Some(vb / va)
            } else if ua == to && ub == from {
                Some(va / vb)
            } else {
                None
            }
        });
    let at = skipped.and_then(|r| own.binary_search_by(|x| x.total_cmp(&r)).ok());
    let n = own.len() - usize::from(at.is_some());
    if n > 0 {
        let m = n / 2;
        return Some(match at {
            Some(p) if m >= p => own[m + 1],
            _ => own[m],
        });
    }
    Some(rough_usd(from)? / rough_usd(to)?)
}

/// The interval of a figure's value in its dimension's base unit.
fn normalized_iv(cx: &Cx, i: usize) -> Option<Iv> {
    let f = &cx.figures[i];
    let iv = arith::interval(cx, i)?;
    let v = f.value.get()?;
    let n = f.normalized_value.get()?;
    if v.is_zero() {
        return None;
    }
    Some(iv.scale(n / v))
}

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = run_local(cx);
    out.extend(run_document(cx));
    out
}

/// Each conversion against itself (a measure converted, money against the configured or a
/// rough rate): what reads one pair of figures of one sentence. Incremental analysis runs it
/// per chunk and keeps its findings.
pub(crate) fn run_local(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for &(a, b) in cx.conversion_pairs() {
        let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
        if fa.dimension == Dimension::Currency {
            money_pair(cx, a, b, &mut out);
            continue;
        }
        if fa.normalized_unit().is_none()
            || fa.normalized_unit() != fb.normalized_unit()
            || fa.dimension == Dimension::Temperature
        {
            continue;
        }
        let (Some(ia), Some(ib)) = (normalized_iv(cx, a), normalized_iv(cx, b)) else {
            continue;
        };
        if ia.meets(&ib) {
            continue;
        }
        let (Some(na), Some(nb), Some(vb)) = (
            fa.normalized_value.get(),
            fb.normalized_value.get(),
            fb.value.get(),
        ) else {
            continue;
        };
        if nb.is_zero() {
            continue;
        }
        let expected = na * vb / nb;
        // As many significant digits as the converted figure was written with (2 to 4).
        let sig = arith::digits_text(cx, a)
            .map(|d| {
                d.chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    .trim_start_matches('0')
                    .len()
            })
            .unwrap_or(3);
        let shown = arith::format_sig(expected, sig.clamp(2, 4) as u32);
        let unit = fb
            .written
            .unit_span
            .get()
            .map(|r| cx.slice(r).to_string())
            .unwrap_or_default();
        let mut f = cx.finding(
            &CHECK,
            fb.span.range(),
            format!(
                "`{}` is {shown} {unit}, not `{}`",
                cx.fig_text(a),
                cx.fig_text(b)
            ),
        );
        f.related.push(cx.related(a, "converted from"));
        f.fixes.push(Fix {
            title: format!("Replace with {shown}").into(),
            edits: vec![Edit {
                start: fb.number.start(),
                end: fb.number.end(),
                text: shown.into(),
            }]
            .into(),
        });
        out.push(f);
    }
    out
}

/// The document's conversions against each other (one rate per pair of currencies).
pub(crate) fn run_document(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    consistency(cx, cx.conversion_pairs(), &mut out);
    out
}

/// Money against the configured rate or, without one, against orders of magnitude.
fn money_pair(cx: &Cx, a: usize, b: usize, out: &mut Vec<Finding>) {
    let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
    let (Some(ua), Some(ub)) = (fa.unit, fb.unit) else {
        return;
    };
    let (Some(ia), Some(ib)) = (arith::interval(cx, a), arith::interval(cx, b)) else {
        return;
    };
    let Some(implied) = ib.div_pos(&ia) else {
        return;
    };
    let configured = cx.config.rate(ua, ub);
    let (rate, tolerance) = match configured {
        Some(r) => (r, 1.1),
        None => {
            // A side without a scale is `malformed-number`'s finding (`$6.3 (£3.35m)`).
            if fa.written.scale_span.is_some() != fb.written.scale_span.is_some() {
                return;
            }
            match (rough_usd(ua), rough_usd(ub)) {
                (Some(x), Some(y)) => (x / y, 8.0),
                _ => return,
            }
        }
    };
    let Some(r) = Decimal::from_f64(rate) else {
        return;
    };
    let Some(tol) = Decimal::from_f64(tolerance) else {
        return;
    };
    let allowed = Iv::new(r / tol, r * tol);
    if implied.meets(&allowed) {
        return;
    }
    let Some(va) = fa.value.get() else { return };
    let expected = va * r;
    let scale = arith::scale_of(cx, b).unwrap_or(Decimal::ONE);
    let shown = arith::format_auto(expected / scale, 2);
    let why = if configured.is_some() {
        // Say the rate the way people do: `450 KZT to the USD`, not `0.0022 USD to the KZT`.
        if r < Decimal::ONE && !r.is_zero() {
            format!(
                "at the configured rate of {} {ua} to the {ub}",
                arith::format_auto(Decimal::ONE / r, 4)
            )
        } else {
            format!(
                "at the configured rate of {} {ub} to the {ua}",
                arith::format_auto(r, 4)
            )
        }
    } else {
        "they differ by orders of magnitude".to_string()
    };
    let mut f = cx.finding(
        &CHECK,
        fb.span.range(),
        format!(
            "`{}` is about {} {ub}, not `{}` ({why})",
            cx.fig_text(a),
            humanize(expected),
            cx.fig_text(b)
        ),
    );
    f.related.push(cx.related(a, "converted from"));
    if configured.is_some() {
        f.fixes.push(Fix {
            title: format!("Replace with {shown}").into(),
            edits: vec![Edit {
                start: fb.number.start() + number_offset(cx, b),
                end: fb.number.start()
                    + number_offset(cx, b)
                    + arith::digits_text(cx, b).map(str::len).unwrap_or(0),
                text: shown.into(),
            }]
            .into(),
        });
    }
    out.push(f);
}

/// A large amount in words people read: `1.38 billion`, `377.78 million`, `4,500`.
fn humanize(v: Decimal) -> String {
    for (s, w) in [
        (1_000_000_000_000i64, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
    ] {
        let s = Decimal::from(s);
        if v.abs() >= s {
            return format!("{} {w}", arith::format_auto(v / s, 2));
        }
    }
    arith::format_auto(v, 2)
}

/// Byte offset of the digits inside a figure's number text.
fn number_offset(cx: &Cx, i: usize) -> usize {
    let t = cx.number_text(i);
    arith::digits_text(cx, i)
        .and_then(|d| t.find(d))
        .unwrap_or(0)
}

/// One currency pair converted at rates that differ by more than 10% in one document.
fn consistency(cx: &Cx, all: &[(usize, usize)], out: &mut Vec<Finding>) {
    use std::collections::BTreeMap;
    type Rated = (usize, usize, Iv, Decimal);
    let mut groups: BTreeMap<(&str, &str), Vec<Rated>> = BTreeMap::new();
    for &(a, b) in all {
        let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
        if fa.dimension != Dimension::Currency
            || fa.written.scale_span.is_some() != fb.written.scale_span.is_some()
        {
            continue;
        }
        let (Some(ua), Some(ub)) = (fa.unit, fb.unit) else {
            continue;
        };
        if cx.config.rate(ua, ub).is_some() {
            continue;
        }
        let (Some(ia), Some(ib)) = (arith::interval(cx, a), arith::interval(cx, b)) else {
            continue;
        };
        // Orient every pair of a group the way its first conversion is written.
        let flipped = groups.contains_key(&(ub, ua));
        let (Some(va), Some(vb)) = (fa.value.get(), fb.value.get()) else {
            continue;
        };
        if va.is_zero() || vb.is_zero() {
            continue;
        }
        let (key, rate, point) = if !flipped {
            ((ua, ub), ib.div_pos(&ia), vb / va)
        } else {
            ((ub, ua), ia.div_pos(&ib), va / vb)
        };
        let Some(rate) = rate else { continue };
        if rate.lo.is_none() || rate.hi.is_none() {
            continue;
        }
        groups.entry(key).or_default().push((a, b, rate, point));
    }
    let tol = Decimal::new(11, 1);
    for ((x, y), items) in groups {
        if items.len() < 2 {
            continue;
        }
        // The consensus: the median of the rates' middles.
        let mut mids: Vec<Decimal> = items.iter().map(|(_, _, _, p)| *p).collect();
        mids.sort();
        let consensus = mids[mids.len() / 2];
        let agree = |r: &Iv| {
            let wide = Iv {
                lo: r.lo.map(|v| v / tol),
                hi: r.hi.map(|v| v * tol),
            };
            wide.meets(&Iv::point(consensus))
        };
        let outliers: Vec<&Rated> = items.iter().filter(|(_, _, r, _)| !agree(r)).collect();
        // With two conversions that disagree there is no majority: report the later one.
        let report: Vec<&Rated> = if items.len() == 2 && !outliers.is_empty() {
            vec![&items[1]]
        } else {
            outliers
        };
        for &(a, b, _, point) in report {
            let others: Vec<&Rated> = items.iter().filter(|(oa, _, _, _)| *oa != a).collect();
            let Some(other) = others
                .iter()
                .find(|(_, _, o, _)| agree(o))
                .or(others.first())
            else {
                continue;
            };
            let mid = point;
            let other_mid = other.3;
            let mut f = cx.finding(
                &CHECK,
                cx.figures[b].span.range(),
                format!(
                    "`{}` (`{}`) converts at {} {y} to the {x}, but `{}` (`{}`) at {}: more than 10% apart",
                    cx.fig_text(a),
                    cx.fig_text(b),
                    arith::format_auto(mid, 2),
                    cx.fig_text(other.0),
                    cx.fig_text(other.1),
                    arith::format_auto(other_mid, 2),
                ),
            );
            f.related.push(cx.related(a, "converted from"));
            f.related.push(cx.related(other.0, "another conversion"));
            f.related.push(cx.related(other.1, "another conversion"));
            // The fix converts at the rate of a conversion that agrees with the rest.
            let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
            if let (Some(va), Some(scale), Some(d)) = (
                fa.value.get(),
                arith::scale_of(cx, b),
                arith::digits_text(cx, b),
            ) {
                let rate = other.3;
                let expected = if fa.unit == Some(x) {
                    va * rate
                } else if rate.is_zero() {
                    Decimal::ZERO
                } else {
                    va / rate
                };
                if !expected.is_zero() {
                    let shown =
                        arith::format_auto(expected / scale, u32::from(fb.written.decimals).max(1));
                    let start = fb.number.start() + number_offset(cx, b);
                    f.fixes.push(Fix {
                        title: format!("Convert at the document's rate: {shown}").into(),
                        edits: vec![Edit {
                            start,
                            end: start + d.len(),
                            text: shown.into(),
                        }]
                        .into(),
                    });
                }
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;
    use super::CHECK;

    #[test]
    fn flags_measures_that_do_not_convert() {
        check(
            &CHECK,
            "The guard patrols 5 miles (12 km) offshore.",
            "1:28 `5 miles` is 8 km, not `12 km`",
        );
    }

    #[test]
    fn flags_money_off_by_a_magnitude() {
        check(
            &CHECK,
            "The order is worth $1.8 billion (£9.4 million).",
            "1:34 `$1.8 billion` is about 1.38 billion GBP, not `£9.4 million` (they differ by orders of magnitude)",
        );
    }

    #[test]
    fn flags_inconsistent_rates() {
        check(
            &CHECK,
            "The first deal is worth $168m (£89m). The second is worth $500m (£378.8m).",
            "1:66 `$500m` (`£378.8m`) converts at 0.76 GBP to the USD, but `$168m` (`£89m`) at 0.53: more than 10% apart",
        );
    }

    #[test]
    fn silent_on_plausible_rounded_rates() {
        check(
            &CHECK,
            "It pledged £960m ($1.8bn), then £0.53bn ($1bn ) and £4bn ($7.4bn).",
            "",
        );
        check(
            &CHECK,
            "It set aside 5bn rupees ($50m; £27m) after a $1.3bn (£691m) bill.",
            "",
        );
        check(&CHECK, "The guard patrols 5 miles (8 km) offshore.", "");
    }
}

#[cfg(test)]
mod rate_tests {
    use super::super::Cx;
    use super::expected_rate;
    use crate::prose::Language;
    use crate::Config;
    use rust_decimal::prelude::ToPrimitive;

    /// The median of the other pairs' rates, read pair by pair: what `expected_rate`
    /// computes from its sorted table.
    fn naive(cx: &Cx, from: &str, to: &str, skip: Option<(usize, usize)>) -> Option<f64> {
        let mut own: Vec<f64> = cx
            .conversion_pairs()
            .iter()
            .filter(|p| Some(**p) != skip)
            .filter_map(|&(a, b)| {
                let (fa, fb) = (&cx.figures[a], &cx.figures[b]);
                let forward = match (fa.unit?, fb.unit?) {
                    (x, y) if x == from && y == to => true,
                    (x, y) if x == to && y == from => false,
                    _ => return None,
                };
                if fa.written.scale_span.is_some() != fb.written.scale_span.is_some() {
                    return None;
                }
                let (va, vb) = (fa.value.get()?.to_f64()?, fb.value.get()?.to_f64()?);
                if va <= 0.0 || vb <= 0.0 {
                    return None;
                }
                Some(if forward { vb / va } else { va / vb })
            })
            .collect();
        if own.is_empty() {
            return Some(super::rough_usd(from)? / super::rough_usd(to)?);
        }
        own.sort_by(f64::total_cmp);
        Some(own[own.len() / 2])
    }

    #[test]
    fn the_rate_table_gives_the_median_of_the_other_pairs() {
        // Distinct rates (so that leaving out each one moves the median differently), a
        // repeated one, a pair written the other way round, one with a scale on one side
        // only, and another currency.
        let text = "It cost $10m (£8m). Then $20m (£15m) and $5m (£4.1m). Later £3m ($4.5m), \
                    $6 (£4.7m), $2m (£1.7m) and €9m ($10m). Also $7m (£5.4m), $9m (£7.3m) \
                    and $9m (£7.3m).";
        let config = Config::default();
        let figures = crate::figures::extract(text, &config);
        let cx = Cx::new(text, &figures, &config, Language::Markdown);
        let pairs = cx.conversion_pairs().to_vec();
        assert!(pairs.len() >= 8, "{pairs:?}");
        let units = ["USD", "GBP", "EUR", "JPY"];
        for skip in pairs.iter().copied().map(Some).chain([None]) {
            for from in units {
                for to in units {
                    let got = expected_rate(&cx, from, to, skip);
                    let want = naive(&cx, from, to, skip);
                    assert_eq!(
                        got.map(f64::to_bits),
                        want.map(f64::to_bits),
                        "{from}->{to} skipping {skip:?}"
                    );
                }
            }
        }
    }
}
