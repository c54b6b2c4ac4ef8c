//! Figures: the quantity model and its extraction.
//!
//! A figure is a quantity stated in prose: a number (digits or words) with its scale, an
//! optional qualifier (`over`, `about`, ...), and a unit, currency or counted noun. This
//! module finds them in the prose ranges of a document (see [`crate::prose`]) and
//! normalises them with exact decimal arithmetic (`rust_decimal`).
//!
//! - `number`: numerals, number words, scale words, fractions ([`number`]).
//! - `units`: the one table of canonical units, currencies and their spellings ([`units`]).
//! - `extract`: the scanner that assembles numbers, qualifiers, units and nouns ([`extract()`]).

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Serialize;

mod extract;
mod key;
pub mod number;
pub mod units;

pub use crate::prose::chunks;
pub(crate) use extract::chunk_key;
pub use extract::{extract, extract_cached, extract_keyed, extract_lang, ChunkCache, Keyed};
pub(crate) use key::{hash_figure, Fx};

/// What a figure measures (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    Count,
    Currency,
    Percent,
    Mass,
    Length,
    Area,
    Volume,
    Time,
    Speed,
    Energy,
    Power,
    Data,
    Temperature,
    Other,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Count => "count",
            Dimension::Currency => "currency",
            Dimension::Percent => "percent",
            Dimension::Mass => "mass",
            Dimension::Length => "length",
            Dimension::Area => "area",
            Dimension::Volume => "volume",
            Dimension::Time => "time",
            Dimension::Speed => "speed",
            Dimension::Energy => "energy",
            Dimension::Power => "power",
            Dimension::Data => "data",
            Dimension::Temperature => "temperature",
            Dimension::Other => "other",
        }
    }
}

/// How a figure's value is bounded (SPEC §6 `qualifier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    Approx,
    Over,
    AtLeast,
    Under,
    AtMost,
    Range,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::Over => "over",
            Qualifier::AtLeast => "at_least",
            Qualifier::Under => "under",
            Qualifier::AtMost => "at_most",
            Qualifier::Range => "range",
        }
    }
    /// The qualifier in words, for hovers: `more than`, `about`, ...
    pub fn words(self) -> &'static str {
        match self {
            Qualifier::Exact => "exactly",
            Qualifier::Approx => "about",
            Qualifier::Over => "more than",
            Qualifier::AtLeast => "at least",
            Qualifier::Under => "less than",
            Qualifier::AtMost => "at most",
            Qualifier::Range => "between",
        }
    }
}

/// How the number itself was written, for style checks and precision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Spelled out (`seven thousand`, `twenty-five`), wholly or in part.
    pub words: bool,
    /// Thousands separator used (`,` `.` ` ` or a no-break space), if any.
    pub separator: Option<char>,
    /// The number has four or more integer digits and no separator (`4431`).
    pub bare_thousands: bool,
    /// Digits after the decimal mark as written (`50.30` → 2).
    pub decimals: u32,
    /// A unit symbol written straight after the number (`800kg`).
    pub unit_attached: bool,
    /// A space between the number and a `%` sign (`5 %`).
    pub spaced_percent: bool,
    /// Byte range of the unit, currency or noun text, when there is one.
    pub unit_span: Option<Range<usize>>,
    /// Byte range of the scale word or suffix (`billion`, `bn`, `m`), when there is one.
    pub scale_span: Option<Range<usize>>,
    /// Byte range of the qualifier words (`more than`), when there is one.
    pub qualifier_span: Option<Range<usize>>,
    /// What is wrong with the numeral's separators (`43,.590`, `9,,100`, `110,00`, `4. 8%`).
    pub malformed: Option<&'static str>,
    /// A misspelt scale word read as the scale it resembles (`billon` → billion): its range.
    pub misspelt_scale: Option<Range<usize>>,
}

/// Give back a list's spare room when it is large: for lists kept as long as a document is
/// open (a list grown by pushing may be half empty).
pub(crate) fn trim_spare<T>(v: &mut Vec<T>) {
    if v.capacity() > v.len() + v.len() / 8 + 16 {
        v.shrink_to_fit();
    }
}

/// A short string (unit codes, nouns) kept inline up to 24 bytes: cloning a figure then
/// allocates nothing, and the analysis clones every figure of a document after each edit.
pub type Text = compact_str::CompactString;

/// A figure: where it is, what it says, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The whole figure: qualifier, number, scale, unit or noun (`over 4,431 pieces`).
    pub span: Range<usize>,
    /// The number with its scale (`4,431`, `707 billion`, `1.2bn`, `seven thousand`).
    pub number: Range<usize>,
    /// The value in the stated unit with the scale applied; `None` for ranges.
    pub value: Option<Decimal>,
    pub low: Option<Decimal>,
    pub high: Option<Decimal>,
    pub qualifier: Qualifier,
    /// Canonical unit (SPEC §2 table); `None` for counts and bare numbers.
    pub unit: Option<Text>,
    /// Denominator of a rate or price (`t`, `day`, `share`).
    pub per: Option<Text>,
    /// Counted noun, lower case (`weapons`).
    pub noun: Option<Text>,
    pub dimension: Dimension,
    /// Value and unit in the dimension's base unit (`14 t` → 14000 `kg`).
    pub normalized_value: Option<Decimal>,
    pub normalized_unit: Option<Text>,
    /// Half the width of the interval the written number stands for, in value units:
    /// `1.4 mln` → 50000 (it stands for [1.35, 1.45) million).
    pub precision: Decimal,
    /// A number with no unit, currency or counted noun (a candidate for `unitless-figure`).
    pub bare: bool,
    /// The noun is shared with a coordinated figure or elided (`13 more`).
    pub elided: bool,
    /// The unit was not written with the figure but taken from context (`Revs 72.2 mln vs
    /// 73.5 mln` in a dollar report; `11.50` under a `(% p.a.)` column header).
    pub unit_inferred: bool,
    pub written: Written,
}

impl Figure {
    /// The interval of values the figure stands for, widened by its precision and qualifier:
    /// `(low, high)`, either side open-ended when `None`.
    pub fn interval(&self) -> (Option<Decimal>, Option<Decimal>) {
        let p = self.precision;
        // Saturating: a figure near the largest decimal must not overflow (fuzzing found it).
        let (lo, hi) = match (self.value, self.low, self.high) {
            (Some(v), _, _) => (v.saturating_sub(p), v.saturating_add(p)),
            (None, Some(l), Some(h)) => (l.saturating_sub(p), h.saturating_add(p)),
            _ => return (None, None),
        };
        match self.qualifier {
            Qualifier::Exact | Qualifier::Range => (Some(lo), Some(hi)),
            // `about 500`: 10% either way, at least the written precision.
            Qualifier::Approx => {
                let w = (lo.abs().max(hi.abs()) * Decimal::new(1, 1)).max(p);
                (Some(lo.saturating_sub(w)), Some(hi.saturating_add(w)))
            }
            Qualifier::Over | Qualifier::AtLeast => (Some(lo), None),
            Qualifier::Under | Qualifier::AtMost => (None, Some(hi)),
        }
    }
}
