//! Hover: what a figure means, or what a tag says.
//!
//! For a figure: the text as written and its dimension; the value in words with thousands
//! separators (`more than 4,431 pieces`) and in scientific form when big; the normalised
//! value with conversions to other units of its dimension; the precision it was written
//! with; currency conversions when `[rates]` are configured; and its tag, if tagged. For a
//! tag: its attributes. Markdown, a handful of lines.

use std::fmt::Write;

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::convert;
use super::Inner;
use crate::figures::{units, Dimension, Figure, Qualifier};
use crate::tags::{self, Syntax, Tag};
use crate::Config;

impl Inner {
    pub(crate) async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some(snap) = self.snapshot(&at.text_document.uri) else {
            return Ok(None);
        };
        let offset = convert::offset(&snap.rope, at.position, snap.encoding);
        let a = self.analysed(&snap).await;
        // Test builds only: a panic in the middle of a handler, after an `.await`.
        super::faults::panic_point("hover", &snap.uri);
        super::guarded("hover", || {
            let figure = figure_at(&a.analysis.figures, offset);
            let tag = a
                .tags
                .iter()
                .find(|t| t.span.start <= offset && offset < t.span.end);
            let (markdown, span) = match (figure, tag) {
                (Some(f), tag) => (
                    figure_markdown(
                        &a.slice(f.span.range()),
                        f,
                        tag.filter(|t| contains(t, f))
                            .map(|t| (t, tag_status(t, &a.analysis.figures))),
                        &snap.config,
                    ),
                    f.span.range(),
                ),
                (None, Some(t)) => (
                    tag_markdown(
                        &a.slice(t.inner.clone()),
                        t,
                        &tag_status(t, &a.analysis.figures),
                    ),
                    t.span.clone(),
                ),
                (None, None) => return None,
            };
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: markdown,
                }),
                range: Some(convert::range(&snap.rope, &span, snap.encoding)),
            })
        })
    }
}

/// The figure under `offset`: one whose span contains it, else one that ends right there
/// (the cursor just after a figure).
pub(crate) fn figure_at(figures: &[Figure], offset: usize) -> Option<&Figure> {
    figures
        .iter()
        .find(|f| f.span.start() <= offset && offset < f.span.end())
        .or_else(|| {
            figures
                .iter()
                .find(|f| f.span.end() == offset && f.span.start() < offset)
        })
}

fn contains(t: &Tag, f: &Figure) -> bool {
    t.inner.start <= f.span.start() && f.span.end() <= t.inner.end
}

/// Whether a tag's attributes still say what its text does: `matches its text`, or what
/// no longer matches (as `stale-tag` reports it).
pub(crate) fn tag_status(t: &Tag, figures: &[Figure]) -> String {
    let meaning = match t.meaning() {
        Ok(m) => m,
        Err(e) => return format!("does not read: {e}"),
    };
    let Some(f) = tags::figure_for(t, figures) else {
        return "no longer matches its text: the text states no figure".to_string();
    };
    let mismatches: Vec<String> = meaning
        .mismatches(f)
        .iter()
        .map(ToString::to_string)
        .collect();
    if mismatches.is_empty() {
        "matches its text".to_string()
    } else {
        format!("no longer matches its text: {}", mismatches.join(", "))
    }
}

/// The hover of a figure written as `written` (its text); `tag` is its tag with the tag's
/// [`tag_status`].
pub(crate) fn figure_markdown(
    written: &str,
    f: &Figure,
    tag: Option<(&Tag, String)>,
    config: &Config,
) -> String {
    let written = one_line(written);
    let mut md = format!("`{written}` — {}\n\n", f.dimension.as_str());
    let _ = writeln!(md, "- **value:** {}", value_phrase(f));
    if let Some(line) = normalised_line(f) {
        let _ = writeln!(md, "- **normalised:** {line}");
    }
    if let Some(line) = precision_line(f) {
        let _ = writeln!(md, "- **precision:** {line}");
    }
    if let Some(line) = rates_line(f, config) {
        let _ = writeln!(md, "- **exchange:** {line}");
    }
    if let Some((t, status)) = tag {
        let _ = writeln!(md, "- **tag:** {} — {status}", attrs_inline(t));
    }
    md
}

/// The hover of a tag around `inner` (the text it tags): its attributes, and whether they
/// still match its text (`status`, from [`tag_status`]).
pub(crate) fn tag_markdown(inner: &str, t: &Tag, status: &str) -> String {
    let syntax = match t.syntax {
        Syntax::Span => "span",
        Syntax::Html => "html",
    };
    let inner = one_line(inner);
    let mut md = format!("**tag** ({syntax}) on `{inner}`\n\n");
    for (k, v) in &t.attrs {
        let _ = writeln!(md, "- `{k}` = {v}");
    }
    let _ = writeln!(md, "- **status:** {status}");
    md
}

/// `more than 4,431 pieces`, `14 t`, `between 10 and 15%`, `1,500 USD per t`.
pub(crate) fn value_phrase(f: &Figure) -> String {
    let suffix = unit_suffix(f);
    let sci = f
        .value
        .get()
        .and_then(scientific)
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    match (f.qualifier, f.value.get(), f.low(), f.high()) {
        (Qualifier::Range, _, Some(l), Some(h)) | (_, None, Some(l), Some(h)) => {
            format!("between {} and {}{suffix}", thousands(l), thousands(h))
        }
        (Qualifier::Exact, Some(v), _, _) => format!("{}{suffix}{sci}", thousands(v)),
        (q, Some(v), _, _) => format!("{} {}{suffix}{sci}", q.words(), thousands(v)),
        _ => format!("(no value){suffix}"),
    }
}

/// What follows a number: ` t`, `%`, ` pieces`, ` USD per t`.
fn unit_suffix(f: &Figure) -> String {
    let mut s = match (f.unit, f.noun.as_deref()) {
        (Some("%"), _) => "%".to_string(),
        (Some(u), _) => format!(" {u}"),
        (None, Some(n)) => format!(" {n}"),
        (None, None) => String::new(),
    };
    if let Some(p) = f.per() {
        let _ = write!(s, " per {p}");
    }
    s
}

/// `14,000 kg = 14 t ≈ 15.4 short tons`, when normalising says something new.
fn normalised_line(f: &Figure) -> Option<String> {
    let (v, u) = (f.normalized_value.get()?, f.normalized_unit());
    let conversions = u.map(|u| units::conversions(v, u)).unwrap_or_default();
    let same = f.value == Some(v) && f.unit == u;
    if same && conversions.is_empty() {
        return None;
    }
    let mut line = thousands(v);
    if let Some(u) = u {
        let _ = write!(line, " {u}");
    }
    if let Some(p) = f.per() {
        let _ = write!(line, " per {p}");
    }
    for c in conversions {
        let c = c.trim();
        if c.starts_with('≈') || c.starts_with('=') {
            let _ = write!(line, " {c}");
        } else {
            let _ = write!(line, " = {c}");
        }
    }
    Some(line)
}

/// `±50,000 (stands for 1,350,000 to 1,450,000)`: the interval the written digits allow.
fn precision_line(f: &Figure) -> Option<String> {
    let p = f.precision;
    if p <= Decimal::ZERO {
        return None;
    }
    let (lo, hi) = match (f.value.get(), f.low(), f.high()) {
        // Saturating: `5 billion billion …` is as large as a decimal gets (found by the
        // pathological-documents test).
        (Some(v), _, _) => (v.saturating_sub(p), v.saturating_add(p)),
        (None, Some(l), Some(h)) => (l.saturating_sub(p), h.saturating_add(p)),
        _ => return None,
    };
    Some(format!(
        "±{} (stands for {} to {})",
        thousands(p),
        thousands(lo),
        thousands(hi)
    ))
}

/// `≈ 1,571,111,111 USD (1 USD = 450 KZT)` for each configured rate touching the figure's
/// currency.
fn rates_line(f: &Figure, config: &Config) -> Option<String> {
    if f.dimension != Dimension::Currency {
        return None;
    }
    let from = f.unit?;
    let mut targets: Vec<&str> = Vec::new();
    for (a, tos) in &config.rates {
        for b in tos.keys() {
            for (x, y) in [(a.as_str(), b.as_str()), (b.as_str(), a.as_str())] {
                if x == from && y != from && !targets.contains(&y) {
                    targets.push(y);
                }
            }
        }
    }
    let mut parts = Vec::new();
    for to in targets {
        let Some(rate) = config.rate(from, to) else {
            continue;
        };
        let amount = |d: Decimal| d.to_f64().map(|x| approx(x * rate)).unwrap_or_default();
        let converted = match (f.value.get(), f.low(), f.high()) {
            (Some(v), _, _) => amount(v),
            (None, Some(l), Some(h)) => format!("{} to {}", amount(l), amount(h)),
            _ => continue,
        };
        let basis = if rate >= 1.0 {
            format!("1 {from} = {} {to}", approx(rate))
        } else {
            format!("1 {to} = {} {from}", approx(1.0 / rate))
        };
        parts.push(format!("≈ {converted} {to} ({basis})"));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A tag's attributes as inline code: `value=707000000000` `unit=KZT`.
fn attrs_inline(t: &Tag) -> String {
    let parts: Vec<String> = t
        .attrs
        .iter()
        .map(|(k, v)| {
            if v.contains(' ') {
                format!("`{k}=\"{v}\"`")
            } else {
                format!("`{k}={v}`")
            }
        })
        .collect();
    parts.join(" ")
}

/// Text on one line, for inline code.
fn one_line(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "'")
}

/// A decimal with thousands separators: `4431` → `4,431`, `-1234.5` → `-1,234.5`.
pub(crate) fn thousands(d: Decimal) -> String {
    let s = d.normalize().to_string();
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::from(sign);
    crate::figures::number::push_grouped(&mut out, int, ',');
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A big number in scientific form: `707000000000` → `7.07 × 10¹¹` (from a million up).
pub(crate) fn scientific(d: Decimal) -> Option<String> {
    let x = d.to_f64()?;
    if !x.is_finite() || x.abs() < 1e6 {
        return None;
    }
    let mut exp = x.abs().log10().floor() as i32;
    let mut mantissa = x / 10f64.powi(exp);
    if mantissa.abs() >= 9.9995 {
        mantissa /= 10.0;
        exp += 1;
    }
    let m = format!("{mantissa:.3}");
    let m = m.trim_end_matches('0').trim_end_matches('.');
    let sup: String = exp
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            c => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹']
                [c.to_digit(10).unwrap_or(0) as usize],
        })
        .collect();
    Some(format!("{m} × 10{sup}"))
}

/// A computed amount, rounded for reading: whole units from 1,000 up, else three
/// significant digits.
fn approx(x: f64) -> String {
    let Some(d) = Decimal::from_f64(x) else {
        return format!("{x:e}");
    };
    let d = if x.abs() >= 1000.0 {
        d.round_dp(0)
    } else {
        d.round_sf(3).unwrap_or(d)
    };
    thousands(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one figure the engine finds in `text`.
    fn figure(text: &str) -> Figure {
        let mut figs = crate::figures::extract(text, &Config::default());
        assert_eq!(figs.len(), 1, "{text}: {figs:?}");
        figs.remove(0)
    }

    #[test]
    fn figures_as_large_as_a_decimal_gets_still_hover() {
        for text in [
            format!("5 {}tons", "billion ".repeat(40)),
            format!("{} billion dollars", "9".repeat(28)),
            format!("about {} trillion", "7".repeat(28)),
        ] {
            for f in crate::figures::extract(&text, &Config::default()) {
                let md = figure_markdown(&text[f.span.range()], &f, None, &Config::default());
                assert!(!md.is_empty());
            }
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(Decimal::from(4431)), "4,431");
        assert_eq!(thousands(Decimal::new(-12345, 1)), "-1,234.5");
        assert_eq!(
            thousands(Decimal::from(707_000_000_000i64)),
            "707,000,000,000"
        );
        assert_eq!(thousands(Decimal::new(18, 2)), "0.18");
        assert_eq!(
            scientific(Decimal::from(707_000_000_000i64)).as_deref(),
            Some("7.07 × 10¹¹")
        );
        assert_eq!(
            scientific(Decimal::from(9_999_900)).as_deref(),
            Some("1 × 10⁷")
        );
        assert_eq!(scientific(Decimal::from(999_999)), None);
        assert_eq!(approx(1_571_111_111.3), "1,571,111,111");
        assert_eq!(approx(0.0022222), "0.00222");
    }

    #[test]
    fn qualifier_in_words() {
        assert_eq!(
            value_phrase(&figure("They seized over 4,431 pieces.")),
            "more than 4,431 pieces"
        );
        assert_eq!(
            value_phrase(&figure("It rose 10-15% last year.")),
            "between 10 and 15%"
        );
    }

    #[test]
    fn mass_hover_shows_normalised_value_and_conversions() {
        let text = "Police seized 14 tons of drugs.";
        let f = figure(text);
        let md = figure_markdown(&text[f.span.range()], &f, None, &Config::default());
        assert!(md.starts_with("`14 tons` — mass"), "{md}");
        assert!(md.contains("- **value:** 14 t\n"), "{md}");
        assert!(md.contains("- **normalised:** 14,000 kg = 14 t ≈"), "{md}");
    }

    #[test]
    fn currency_hover_shows_configured_rates() {
        let text = "The effect exceeded 707 billion tenge.";
        let f = figure(text);
        let mut config = Config::default();
        config
            .apply_json(&serde_json::json!({"rates": {"USD": {"KZT": 450.0}}}))
            .unwrap();
        let md = figure_markdown(&text[f.span.range()], &f, None, &config);
        assert!(
            md.starts_with("`exceeded 707 billion tenge` — currency"),
            "{md}"
        );
        assert!(
            md.contains("more than 707,000,000,000 KZT (7.07 × 10¹¹)"),
            "{md}"
        );
        assert!(md.contains("≈ 1,571,111,111 USD (1 USD = 450 KZT)"), "{md}");
        assert!(
            md.contains("±500,000,000 (stands for 706,500,000,000 to 707,500,000,000)"),
            "{md}"
        );
    }
}
