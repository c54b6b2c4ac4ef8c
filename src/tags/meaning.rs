//! What a tag says: its attributes read as a quantity, validated, and compared with the
//! figure its text states.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Syntax, Tag};
use crate::figures::{Figure, Qualifier};

/// A tag's attributes, read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meaning {
    pub value: Option<Decimal>,
    pub low: Option<Decimal>,
    pub high: Option<Decimal>,
    /// `qual`, `exact` when absent (`range` when absent and `low`/`high` are given).
    pub qualifier: Qualifier,
    pub unit: Option<String>,
    pub noun: Option<String>,
    pub per: Option<String>,
    pub id: Option<String>,
    pub cat: Option<String>,
}

/// Every `qual` a tag may carry (SPEC §6 `qualifier`).
pub const QUALIFIERS: &[&str] = &[
    "exact", "approx", "over", "at_least", "under", "at_most", "range",
];

/// The attributes a tag may carry, in the order tags are written.
pub const ATTRIBUTES: &[&str] = &[
    "value", "low", "high", "unit", "qual", "noun", "per", "id", "cat",
];

pub(crate) fn parse_qualifier(s: &str) -> Option<Qualifier> {
    Some(match s {
        "exact" => Qualifier::Exact,
        "approx" => Qualifier::Approx,
        "over" => Qualifier::Over,
        "at_least" => Qualifier::AtLeast,
        "under" => Qualifier::Under,
        "at_most" => Qualifier::AtMost,
        "range" => Qualifier::Range,
        _ => return None,
    })
}

/// A decimal as tags write it: normalized, no exponent, no trailing zeros (`1.50` → `1.5`).
pub fn format_decimal(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// Read a tag number: plain digits with an optional sign and decimal point.
fn parse_number(attr: &str, s: &str) -> Result<Decimal, String> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let plain = !digits.is_empty()
        && digits.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && digits.bytes().filter(|&c| c == b'.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    if plain {
        if let Ok(d) = Decimal::from_str(s) {
            return Ok(d);
        }
        return Err(format!(
            "tag `{attr}` {s} is too large or too precise to read"
        ));
    }
    let stripped: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if stripped != s && parse_number(attr, &stripped).is_ok() {
        return Err(format!(
            "tag `{attr}` `{s}` has separators: write `{attr}={stripped}`"
        ));
    }
    Err(format!(
        "tag `{attr}` `{s}` is not a number: write it in plain digits, e.g. `{attr}=4431`"
    ))
}

impl Tag {
    /// The value of attribute `key` (canonical name: `value`, `unit`, `id`, ...), if given.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Read the attributes; `Err` says what makes the tag malformed.
    pub fn meaning(&self) -> Result<Meaning, String> {
        for (i, (k, _)) in self.attrs.iter().enumerate() {
            if ATTRIBUTES.contains(&k.as_str()) && self.attrs[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(format!("tag attribute `{k}` is given twice: keep one"));
            }
        }
        let text_attr = |key: &str| -> Result<Option<String>, String> {
            match self.attr(key) {
                Some(v) if v.trim().is_empty() => Err(format!(
                    "tag attribute `{key}` is empty: give it a value or remove it"
                )),
                Some(v) => Ok(Some(v.to_string())),
                None => Ok(None),
            }
        };
        let mut value = None;
        let mut low = match self.attr("low") {
            Some(s) => Some(parse_number("low", s)?),
            None => None,
        };
        let mut high = match self.attr("high") {
            Some(s) => Some(parse_number("high", s)?),
            None => None,
        };
        if let Some(v) = self.attr("value") {
            // HTML requires `value` on `<data>`; a range writes it as `low..high`.
            match v.split_once("..").filter(|_| self.syntax == Syntax::Html) {
                Some((l, h)) => {
                    let (l, h) = (parse_number("value", l)?, parse_number("value", h)?);
                    if low.is_some_and(|x| x != l) || high.is_some_and(|x| x != h) {
                        return Err(format!(
                            "tag `value` {v} disagrees with `data-low`/`data-high`: make them say the same range"
                        ));
                    }
                    low = Some(l);
                    high = Some(h);
                }
                None => {
                    if low.is_some() || high.is_some() {
                        return Err(
                            "tag has both `value` and `low`/`high`: keep `value` for one number, \
                                    or `low` and `high` for a range"
                                .to_string(),
                        );
                    }
                    value = Some(parse_number("value", v)?);
                }
            }
        }
        match (value, low, high) {
            (None, None, None) => {
                return Err("tag has no `value` (or `low` and `high`): add the number it states, e.g. `value=148`"
                    .to_string())
            }
            (None, Some(_), None) => return Err("tag has `low` but no `high`: add the top of the range".to_string()),
            (None, None, Some(_)) => return Err("tag has `high` but no `low`: add the bottom of the range".to_string()),
            (None, Some(l), Some(h)) if l > h => {
                return Err(format!(
                    "tag `low` {} is greater than `high` {}: swap them",
                    format_decimal(l),
                    format_decimal(h)
                ))
            }
            _ => {}
        }
        let qualifier = match self.attr("qual") {
            Some(q) => parse_qualifier(q).ok_or_else(|| {
                format!(
                    "tag `qual` `{q}` is unknown: use one of {}",
                    QUALIFIERS.join(", ")
                )
            })?,
            None if low.is_some() => Qualifier::Range,
            None => Qualifier::Exact,
        };
        if qualifier == Qualifier::Range && value.is_some() {
            return Err(
                "tag has `qual=range` but one `value`: give `low` and `high` instead".to_string(),
            );
        }
        Ok(Meaning {
            value,
            low,
            high,
            qualifier,
            unit: text_attr("unit")?,
            noun: text_attr("noun")?,
            per: text_attr("per")?,
            id: text_attr("id")?,
            cat: text_attr("cat")?,
        })
    }
}

/// One attribute of a tag that disagrees with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub attr: &'static str,
    /// What the tag says (`None`: the tag omits it).
    pub tag: Option<String>,
    /// What the text says (`None`: the text states none).
    pub text: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.tag, &self.text) {
            (Some(t), Some(x)) => write!(f, "`{}` is {t} but the text says {x}", self.attr),
            (None, Some(x)) => write!(f, "`{}` is missing but the text says {x}", self.attr),
            (Some(t), None) => write!(f, "`{}` is {t} but the text states none", self.attr),
            (None, None) => write!(f, "`{}` differs", self.attr),
        }
    }
}

impl Meaning {
    /// The figure `figure` as a tag would say it (so comparisons see the same defaults).
    pub fn of_figure(figure: &Figure) -> Meaning {
        Meaning {
            value: figure.value.get(),
            low: if figure.value.is_some() {
                None
            } else {
                figure.low()
            },
            high: if figure.value.is_some() {
                None
            } else {
                figure.high()
            },
            qualifier: figure.qualifier,
            unit: figure.unit.map(str::to_string),
            noun: figure.noun.as_deref().map(str::to_string),
            per: figure.per().map(str::to_string),
            id: None,
            cat: None,
        }
    }

    /// Where this tag disagrees with the figure its text states. A tag may say more than its
    /// text (a unit or noun the author knows, `exceeded [707 billion]{.fig ... unit=KZT}`),
    /// never something else: a number, qualifier, unit or rate that differs, or a unit or
    /// rate the text states and the tag leaves out. A unit the figure engine inferred from
    /// context ([`Figure::unit_inferred`]) is not stated by the text, so it is not compared.
    pub fn mismatches(&self, figure: &Figure) -> Vec<Mismatch> {
        let fig = Meaning::of_figure(figure);
        let mut out = Vec::new();
        let num = |d: Option<Decimal>| d.map(format_decimal);
        for (attr, t, x) in [
            ("value", self.value, fig.value),
            ("low", self.low, fig.low),
            ("high", self.high, fig.high),
        ] {
            if t != x {
                out.push(Mismatch {
                    attr,
                    tag: num(t),
                    text: num(x),
                });
            }
        }
        if self.qualifier != fig.qualifier {
            out.push(Mismatch {
                attr: "qual",
                tag: Some(self.qualifier.as_str().to_string()),
                text: Some(fig.qualifier.as_str().to_string()),
            });
        }
        // A unit the engine took from context (`exceeded 707 billion` near dollar figures) is
        // a guess the author's tag may overrule; only a unit the text states must agree.
        let stated = !figure.unit_inferred;
        if stated && fig.unit.is_some() && self.unit != fig.unit {
            out.push(Mismatch {
                attr: "unit",
                tag: self.unit.clone(),
                text: fig.unit.clone(),
            });
        }
        if let (Some(t), Some(x)) = (&self.noun, &fig.noun) {
            if !t.eq_ignore_ascii_case(x) {
                out.push(Mismatch {
                    attr: "noun",
                    tag: Some(t.clone()),
                    text: Some(x.clone()),
                });
            }
        }
        if stated && fig.per.is_some() && self.per != fig.per {
            out.push(Mismatch {
                attr: "per",
                tag: self.per.clone(),
                text: fig.per.clone(),
            });
        }
        out
    }

    /// The quantity in a few words, for messages: `148 weapons`, `10..15 %`, `over 800 kg`.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if !matches!(self.qualifier, Qualifier::Exact | Qualifier::Range) {
            s.push_str(self.qualifier.words());
            s.push(' ');
        }
        match (self.value, self.low, self.high) {
            (Some(v), _, _) => s.push_str(&format_decimal(v)),
            (None, Some(l), Some(h)) => {
                s.push_str(&format_decimal(l));
                s.push_str("..");
                s.push_str(&format_decimal(h));
            }
            _ => {}
        }
        for x in [&self.unit, &self.noun].into_iter().flatten() {
            s.push(' ');
            s.push_str(x);
        }
        if let Some(p) = &self.per {
            s.push_str(" per ");
            s.push_str(p);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(attrs: &[(&str, &str)]) -> Tag {
        tag_in(Syntax::Span, attrs)
    }

    fn tag_in(syntax: Syntax, attrs: &[(&str, &str)]) -> Tag {
        Tag {
            span: 0..0,
            inner: 0..0,
            syntax,
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            classes: Vec::new(),
            attrs_span: 0..0,
        }
    }

    fn err(attrs: &[(&str, &str)]) -> String {
        tag(attrs).meaning().unwrap_err()
    }

    #[test]
    fn reads_values_ranges_and_qualifiers() {
        let m = tag(&[("value", "4431"), ("qual", "over"), ("noun", "pieces")])
            .meaning()
            .unwrap();
        assert_eq!(
            (m.value, m.qualifier, m.noun.as_deref()),
            (Some(Decimal::from(4431)), Qualifier::Over, Some("pieces"))
        );
        let m = tag(&[("low", "10"), ("high", "15"), ("unit", "%")])
            .meaning()
            .unwrap();
        assert_eq!(
            (m.low, m.high, m.qualifier),
            (
                Some(Decimal::from(10)),
                Some(Decimal::from(15)),
                Qualifier::Range
            )
        );
        let m = tag_in(Syntax::Html, &[("value", "10..15")])
            .meaning()
            .unwrap();
        assert_eq!(
            (m.value, m.low, m.high),
            (None, Some(Decimal::from(10)), Some(Decimal::from(15)))
        );
        assert!(tag_in(
            Syntax::Html,
            &[("value", "10..15"), ("low", "11"), ("high", "15")]
        )
        .meaning()
        .is_err());
        assert_eq!(
            tag(&[("value", "-1.50")]).meaning().unwrap().value,
            Some(Decimal::new(-15, 1))
        );
    }

    #[test]
    fn says_what_is_malformed() {
        assert!(err(&[("value", "abc")]).contains("`abc` is not a number"));
        assert!(err(&[("value", "4,431")]).contains("write `value=4431`"));
        assert!(
            err(&[("value", "5"), ("low", "4"), ("high", "6")]).contains("both `value` and `low`")
        );
        assert!(err(&[("low", "4")]).contains("no `high`"));
        assert!(err(&[("high", "4")]).contains("no `low`"));
        assert!(err(&[("low", "6"), ("high", "4")]).contains("greater than"));
        assert!(err(&[("unit", "t")]).contains("no `value`"));
        assert!(err(&[("value", "5"), ("qual", "about")]).contains("`about` is unknown"));
        assert!(err(&[("value", "5"), ("value", "6")]).contains("given twice"));
        assert!(err(&[("value", "5"), ("unit", "")]).contains("`unit` is empty"));
        assert!(err(&[("value", "5"), ("qual", "range")]).contains("qual=range"));
        assert!(err(&[("value", "1e9")]).contains("not a number"));
        assert!(err(&[("value", "99999999999999999999999999999999")]).contains("too large"));
    }

    #[test]
    fn formats_decimals_plainly() {
        assert_eq!(format_decimal(Decimal::new(15000, 4)), "1.5");
        assert_eq!(
            format_decimal(Decimal::new(707_000_000_000, 0)),
            "707000000000"
        );
        assert_eq!(format_decimal(Decimal::new(-0, 3)), "0");
        assert_eq!(format_decimal(Decimal::new(18, 2)), "0.18");
    }
}
