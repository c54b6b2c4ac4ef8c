//! `ambiguous-unit`: a unit with several meanings.

use super::{Check, Cx, Edit, Finding, Fix, Severity};
use crate::config::Tons;

pub(crate) const CHECK: Check = Check {
    code: "ambiguous-unit",
    summary: "A unit that has several meanings",
    severity: Severity::Info,
    explanation: "\
Catches units that readers in different countries read differently:

- `tons`: a metric tonne (1,000 kg), a US short ton (907 kg) or a British long ton (1,016 kg);
- a bare `$` in a document that also names other dollars (`C$`, `HK$`, `Australian dollars`);
- `miles` in a sentence about the sea or the air, where nautical miles (1,852 m) are usual;
- `gallons`: a US gallon (3.785 L) or an imperial gallon (4.546 L).

**Why it matters.** The difference is 10% for tons, 15% for miles, 20% for gallons, and a \
factor for dollars; a desk converting the figure will pick one meaning silently.

**Fires:**

    Police seized 14 tons of chemical reagents.
    The ship was 12 miles off the coast.

**Does not fire:**

    Police seized 14 tonnes of chemical reagents.
    The border is 2,000 miles long.

**Fix.** Replace with the unambiguous form: `tonnes` (or `short tons`/`long tons` when the \
`tons` setting says so), `US$`, `nautical miles`/`statute miles`, `US gallons`.

**Configure.** `tons = \"metric\" | \"short\" | \"long\"` says what bare `tons` means (for \
conversions and for the fix); `[checks] ambiguous-unit = \"off\"` (or any severity) in \
`.briefing-ls.toml`; silence one place with `<!-- briefing-ls: ignore ambiguous-unit -->`.",
    run,
};

const SEA_AIR: &[&str] = &[
    "sea",
    "seas",
    "maritime",
    "naval",
    "navy",
    "ship",
    "ships",
    "vessel",
    "vessels",
    "boat",
    "boats",
    "coast",
    "coastal",
    "offshore",
    "port",
    "harbour",
    "harbor",
    "flight",
    "flights",
    "aircraft",
    "airspace",
    "plane",
    "planes",
    "airline",
    "aviation",
    "territorial",
    "waters",
    "nautical",
];

const OTHER_DOLLARS: &[&str] = &[
    "CAD", "AUD", "HKD", "NZD", "SGD", "TWD", "JMD", "BSD", "BBD", "BZD", "FJD", "LRD", "NAD",
    "TTD", "ZWL", "XCD",
];

fn run(cx: &Cx) -> Vec<Finding> {
    let mut out = run_local(cx);
    out.extend(run_document(cx));
    out
}

/// Tons, miles and gallons: each figure read in its sentence. Incremental analysis runs it
/// per chunk and keeps its findings.
pub(crate) fn run_local(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, f) in cx.figures.iter().enumerate() {
        // Only these units can be ambiguous; the rest costs nothing more.
        if !matches!(f.unit, Some("t" | "ton_us" | "ton_uk" | "mi" | "gal")) {
            continue;
        }
        let Some(us) = cx.unit_range(i) else {
            continue;
        };
        let unit_text = cx.slice(us.clone());
        let lower = unit_text.to_lowercase();
        let before = cx.words_between(us.start.saturating_sub(12), us.start);
        match f.unit {
            Some("t" | "ton_us" | "ton_uk") if matches!(lower.as_str(), "ton" | "tons") => {
                if [
                    "metric", "short", "long", "us", "u.s.", "imperial", "british",
                ]
                .iter()
                .any(|w| before.ends_with(w))
                {
                    continue;
                }
                let (name, fix) = match cx.config.tons {
                    Tons::Metric => ("metric tonnes", "tonnes"),
                    Tons::Short => ("short tons", "short tons"),
                    Tons::Long => ("long tons", "long tons"),
                };
                let fix = if lower == "ton" {
                    fix.trim_end_matches('s')
                } else {
                    fix
                };
                let mut finding = cx.finding(
                    &CHECK,
                    us.clone(),
                    join!(
                        "`",
                        unit_text,
                        "` may be metric, short (US) or long (UK) tons; read as ",
                        name,
                        " here: write `",
                        fix,
                        "`"
                    ),
                );
                finding.fixes.push(Fix {
                    title: join!("Replace with `", fix, "`").into(),
                    edits: vec![Edit {
                        start: us.start,
                        end: us.end,
                        text: fix.into(),
                    }]
                    .into(),
                });
                out.push(finding);
            }
            Some("mi") if lower.starts_with("mile") => {
                let s = &cx.doc.sentences[cx.doc.fig_sentence[i]];
                let words = cx.words_between(s.range.start, s.range.end);
                if !words
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| SEA_AIR.contains(&w))
                {
                    continue;
                }
                let plural = if lower.ends_with('s') { "s" } else { "" };
                let mut finding = cx.finding(
                    &CHECK,
                    us.clone(),
                    format!("`{unit_text}` at sea or in the air is often nautical (1,852 m), not statute (1,609 m): say which"),
                );
                for kind in ["nautical", "statute"] {
                    finding.fixes.push(Fix {
                        title: format!("Replace with `{kind} mile{plural}`").into(),
                        edits: vec![Edit {
                            start: us.start,
                            end: us.end,
                            text: format!("{kind} mile{plural}").into(),
                        }]
                        .into(),
                    });
                }
                out.push(finding);
            }
            Some("gal") if lower.starts_with("gallon") => {
                if ["us", "u.s.", "imperial", "uk", "british"]
                    .iter()
                    .any(|w| before.ends_with(w))
                {
                    continue;
                }
                let mut finding = cx.finding(
                    &CHECK,
                    us.clone(),
                    format!("`{unit_text}` may be US (3.785 L) or imperial (4.546 L): write `US {unit_text}` or `imperial {unit_text}`"),
                );
                finding.fixes.push(Fix {
                    title: format!("Replace with `US {unit_text}`").into(),
                    edits: vec![Edit {
                        start: us.start,
                        end: us.start,
                        text: "US ".into(),
                    }]
                    .into(),
                });
                out.push(finding);
            }
            _ => {}
        }
    }
    out
}

/// Whether prose names a dollar other than the US one (`C$`, `Hong Kong dollar`). No name
/// spans a blank line, so a document names one when one of its chunks does (incremental
/// analysis keeps the answer per chunk, see `Cx::names_other_dollars`).
pub(crate) fn names_other_dollars(mask: &str) -> bool {
    // One searcher for all the names, built once: this runs on every chunk analysed.
    static NAMES: std::sync::LazyLock<crate::prose::AnyOf> = std::sync::LazyLock::new(|| {
        crate::prose::AnyOf::new(&[
            "C$",
            "A$",
            "HK$",
            "NZ$",
            "S$",
            "Canadian dollar",
            "Australian dollar",
            "Hong Kong dollar",
            "H.K. Dlrs",
            "Singapore dollar",
        ])
    });
    NAMES.in_(mask.as_bytes())
}

/// Whether a text's figures write a bare `$`, and whether one is in another dollar: what
/// decides that no bare `$` is ambiguous. Incremental analysis keeps it per chunk and
/// joins the chunks' (`Cx::dollars`), so that the document pass reads every figure only
/// when the document may have a finding (it names another dollar and writes a bare `$`).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct DollarFacts {
    pub(crate) any_bare: bool,
    pub(crate) other_figure: bool,
}

impl DollarFacts {
    /// The facts of a text made of parts with these facts.
    pub(crate) fn join(self, other: DollarFacts) -> DollarFacts {
        DollarFacts {
            any_bare: self.any_bare || other.any_bare,
            other_figure: self.other_figure || other.other_figure,
        }
    }
}

/// What a text's figures say of dollars: which are a bare `$`, and whether one is in
/// another dollar.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Dollars {
    /// Indices of the figures whose currency is written as a bare `$`.
    pub(crate) bare: Vec<usize>,
    /// Whether a figure is in a dollar other than the US one.
    pub(crate) other_figure: bool,
}

/// One pass over the figures: the bare `$` signs, and whether another dollar is named by
/// a figure.
pub(crate) fn dollars(cx: &Cx) -> Dollars {
    let mut d = Dollars::default();
    for (i, f) in cx.figures.iter().enumerate() {
        let Some(u) = f.unit else { continue };
        // Codes are three letters; the list is read until one is found.
        if !d.other_figure && u.len() == 3 {
            d.other_figure = OTHER_DOLLARS.contains(&u);
        }
        if f.dimension == crate::figures::Dimension::Currency
            && cx.unit_range(i).is_some_and(|us| cx.slice(us) == "$")
        {
            d.bare.push(i);
        }
    }
    d
}

impl Dollars {
    pub(crate) fn facts(&self) -> DollarFacts {
        DollarFacts {
            any_bare: !self.bare.is_empty(),
            other_figure: self.other_figure,
        }
    }
}

/// A bare `$` where the document names other dollars: the whole document.
pub(crate) fn run_document(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    // Nothing to find unless a figure writes a bare `$` and another dollar is named:
    // known from the chunks, when incremental analysis joined their facts.
    if let Some(d) = cx.dollars.get() {
        let named = cx.names_other_dollars.get().copied();
        if !d.any_bare || (!d.other_figure && named == Some(false)) {
            return out;
        }
    }
    let Dollars {
        bare: bare_dollars,
        other_figure,
    } = dollars(cx);
    // A bare `$` is ambiguous only where other dollars are named.
    let other_dollar = !bare_dollars.is_empty()
        && (other_figure
            || cx
                .names_other_dollars
                .get()
                .copied()
                .unwrap_or_else(|| names_other_dollars(cx.mask())));
    if let Some(&i) = bare_dollars.first().filter(|_| other_dollar) {
        let f = &cx.figures[i];
        let Some(us) = cx.unit_range(i) else {
            return out;
        };
        let more = match bare_dollars.len() {
            1 => String::new(),
            2 => " (and 1 more bare `$`)".into(),
            n => format!(" (and {} more bare `$`)", n - 1),
        };
        // The engine may already read `$` as the document's own dollar (`C$` in an
        // Ottawa story); the fix writes whichever dollar it was read as.
        let prefix = match f.unit {
            Some("CAD") => "C$",
            Some("AUD") => "A$",
            Some("HKD") => "HK$",
            Some("NZD") => "NZ$",
            Some("SGD") => "S$",
            _ => "US$",
        };
        let mut finding = cx.finding(
            &CHECK,
            us.clone(),
            format!(
                "A bare `$` in a document that also names other dollars: write `{prefix}`{more}"
            ),
        );
        finding.fixes.push(Fix {
            title: format!("Replace with `{prefix}`").into(),
            edits: vec![Edit {
                start: us.start,
                end: us.end,
                text: prefix.into(),
            }]
            .into(),
        });
        out.push(finding);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, fixed};
    use super::CHECK;

    #[test]
    fn flags_bare_tons() {
        check(
            &CHECK,
            "Police seized 14 tons of chemical reagents.",
            "1:18 `tons` may be metric, short (US) or long (UK) tons; read as metric tonnes here: write `tonnes`",
        );
        assert_eq!(
            fixed(&CHECK, "Police seized 14 tons of reagents."),
            "Police seized 14 tonnes of reagents."
        );
    }

    #[test]
    fn flags_miles_at_sea() {
        check(
            &CHECK,
            "The vessel was stopped 12 miles off the coast.",
            "1:27 `miles` at sea or in the air is often nautical (1,852 m), not statute (1,609 m): say which",
        );
    }

    #[test]
    fn silent_on_tonnes_metric_tons_and_land_miles() {
        check(
            &CHECK,
            "Police seized 14 tonnes of reagents and 3 metric tons of straw.",
            "",
        );
        check(&CHECK, "The border is 2,000 miles long.", "");
    }
}
