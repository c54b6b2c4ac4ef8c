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
pub(crate) mod sieve;
mod span;
pub use span::{Span, MAX_TEXT};
pub mod units;

pub use crate::prose::chunks;
pub(crate) use extract::chunk_key;
pub use extract::{
    extract, extract_cached, extract_edited, extract_keyed, extract_lang, ChunkCache, Keyed,
    Unchanged,
};
pub(crate) use key::{hash_figure, Fx, FxBuild, KeyBuild};

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
    pub separator: Option<number::Separator>,
    /// The number has four or more integer digits and no separator (`4431`).
    pub bare_thousands: bool,
    /// Digits after the decimal mark as written (`50.30` → 2).
    /// A numeral has at most 28 digits, so a byte holds this.
    pub decimals: u8,
    /// A unit symbol written straight after the number (`800kg`).
    pub unit_attached: bool,
    /// A space between the number and a `%` sign (`5 %`).
    pub spaced_percent: bool,
    /// Byte range of the unit, currency or noun text, when there is one.
    pub unit_span: OptSpan,
    /// Byte range of the scale word or suffix (`billion`, `bn`, `m`), when there is one.
    pub scale_span: OptSpan,
    /// Byte range of the qualifier words (`more than`), when there is one.
    pub qualifier_span: OptSpan,
    /// What is wrong with the numeral's separators (`43,.590`, `9,,100`, `110,00`, `4. 8%`).
    pub malformed: Option<number::Malformed>,
}

/// An optional byte range in 8 bytes instead of 24: a figure keeps four of them, and a
/// document's figures are held as long as it is open (and copied after each edit).
///
/// Offsets must fit in 32 bits; a range past 4 GiB (a text no editor sends) is kept as
/// none, which loses a style hint, never a figure.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptSpan {
    start: u32,
    end: u32,
}

impl OptSpan {
    /// No range (`start` is never `u32::MAX` for a range: its end would be past 4 GiB).
    pub const NONE: OptSpan = OptSpan {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub fn new(r: Option<Range<usize>>) -> OptSpan {
        match r.map(|r| (u32::try_from(r.start), u32::try_from(r.end))) {
            Some((Ok(start), Ok(end))) if start != u32::MAX && end != u32::MAX => {
                OptSpan { start, end }
            }
            _ => OptSpan::NONE,
        }
    }

    pub fn get(self) -> Option<Range<usize>> {
        (self.start != u32::MAX).then_some(self.start as usize..self.end as usize)
    }

    pub fn is_some(self) -> bool {
        self.start != u32::MAX
    }

    pub fn is_none(self) -> bool {
        !self.is_some()
    }

    /// Change the range, if there is one, with `f`.
    pub fn update(&mut self, f: impl FnOnce(&mut Range<usize>)) {
        if let Some(mut r) = self.get() {
            f(&mut r);
            *self = OptSpan::new(Some(r));
        }
    }
}

impl Default for OptSpan {
    fn default() -> OptSpan {
        OptSpan::NONE
    }
}

impl From<Option<Range<usize>>> for OptSpan {
    fn from(r: Option<Range<usize>>) -> OptSpan {
        OptSpan::new(r)
    }
}

impl From<Range<usize>> for OptSpan {
    fn from(r: Range<usize>) -> OptSpan {
        OptSpan::new(Some(r))
    }
}

impl PartialEq<Option<Range<usize>>> for OptSpan {
    fn eq(&self, other: &Option<Range<usize>>) -> bool {
        self.get() == *other
    }
}

impl std::fmt::Debug for OptSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// An optional decimal in 16 bytes instead of 20: a figure keeps two (its value and its
/// value in the base unit), and a document's figures are held as long as it is open.
///
/// A decimal's first byte (the low bits of its flags) is always zero, so a first byte of
/// `0xff` stands for none. Compares as the decimal it holds (`1.0` equals `1.00`).
#[derive(Clone, Copy)]
pub struct OptDecimal([u8; 16]);

impl OptDecimal {
    pub const NONE: OptDecimal = OptDecimal([0xff; 16]);

    pub fn new(v: Option<Decimal>) -> OptDecimal {
        match v {
            Some(d) => OptDecimal(d.serialize()),
            None => OptDecimal::NONE,
        }
    }

    #[inline]
    pub fn get(self) -> Option<Decimal> {
        (self.0[0] == 0).then(|| Decimal::deserialize(self.0))
    }

    pub fn is_some(self) -> bool {
        self.0[0] == 0
    }

    pub fn is_none(self) -> bool {
        !self.is_some()
    }
}

impl Default for OptDecimal {
    fn default() -> OptDecimal {
        OptDecimal::NONE
    }
}

impl From<Option<Decimal>> for OptDecimal {
    fn from(v: Option<Decimal>) -> OptDecimal {
        OptDecimal::new(v)
    }
}

impl From<Decimal> for OptDecimal {
    fn from(v: Decimal) -> OptDecimal {
        OptDecimal::new(Some(v))
    }
}

impl PartialEq for OptDecimal {
    fn eq(&self, other: &OptDecimal) -> bool {
        self.get() == other.get()
    }
}

impl PartialEq<Option<Decimal>> for OptDecimal {
    fn eq(&self, other: &Option<Decimal>) -> bool {
        self.get() == *other
    }
}

impl std::fmt::Debug for OptDecimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// Give back a list's spare room when it is large: for lists kept as long as a document is
/// open (a list grown by pushing may be half empty).
pub(crate) fn trim_spare<T>(v: &mut Vec<T>) {
    if v.capacity() > v.len() + v.len() / 8 + 16 {
        v.shrink_to_fit();
    }
}

/// A short string (nouns, rates' denominators) kept inline up to 24 bytes: cloning a figure then
/// allocates nothing, and the analysis clones every figure of a document after each edit.
pub type Text = compact_str::CompactString;

/// A figure: where it is, what it says, and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The whole figure: qualifier, number, scale, unit or noun (`over 4,431 pieces`).
    pub span: Span,
    /// The number with its scale (`4,431`, `707 billion`, `1.2bn`, `seven thousand`).
    pub number: Span,
    /// The value in the stated unit with the scale applied; `None` for ranges.
    pub value: OptDecimal,
    /// A range's ends, a rate's denominator (`t`, `day`, `share`) and a misspelt scale
    /// word's range, which few figures have (see [`Rare`]).
    pub rare: Rare,
    pub qualifier: Qualifier,
    /// Canonical unit (SPEC §2 table); `None` for counts and bare numbers. Every unit the
    /// engine writes is one of its own static names, so a figure keeps a pointer (16 bytes)
    /// rather than a string (24).
    pub unit: Option<&'static str>,
    /// Counted noun, lower case (`weapons`).
    pub noun: Option<Text>,
    pub dimension: Dimension,
    /// The value in the dimension's base unit (`14 t` → 14000; the unit is
    /// [`Figure::normalized_unit`]).
    pub normalized_value: OptDecimal,
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

/// What few figures have, kept behind one pointer: a range's ends (`10–15%`, either may be
/// missing), the denominator of a rate (`per`), the range of a misspelt scale word. A
/// document's figures are held as long as it is open: inline, these took 40 of a figure's
/// bytes; the pointer takes 8 (a figure then took 192 bytes instead of 216; see
/// `a_figure_fits_152_bytes` for what it takes now). Read them with [`Figure::low`],
/// [`Figure::high`], [`Figure::per`] and [`Figure::misspelt_scale`].
#[derive(Debug, Clone, Default)]
pub struct Rare(Option<Box<RareParts>>);

#[derive(Debug, Clone, Default, PartialEq)]
struct RareParts {
    low: Option<Decimal>,
    high: Option<Decimal>,
    per: Option<Box<str>>,
    misspelt_scale: OptSpan,
}

impl Rare {
    /// A range's ends, a rate's denominator and a misspelt scale word's range; no
    /// allocation when there is none of them.
    pub fn new(
        low: Option<Decimal>,
        high: Option<Decimal>,
        per: Option<Box<str>>,
        misspelt_scale: OptSpan,
    ) -> Rare {
        let parts = RareParts {
            low,
            high,
            per,
            misspelt_scale,
        };
        if parts == RareParts::default() {
            Rare(None)
        } else {
            Rare(Some(Box::new(parts)))
        }
    }
    /// The ends of a range.
    pub fn bounds(low: Option<Decimal>, high: Option<Decimal>) -> Rare {
        Rare::new(low, high, None, OptSpan::NONE)
    }
    pub fn low(&self) -> Option<Decimal> {
        self.0.as_ref().and_then(|b| b.low)
    }
    pub fn high(&self) -> Option<Decimal> {
        self.0.as_ref().and_then(|b| b.high)
    }
    pub fn per(&self) -> Option<&str> {
        self.0.as_ref().and_then(|b| b.per.as_deref())
    }
    pub fn misspelt_scale(&self) -> OptSpan {
        self.0.as_ref().map_or(OptSpan::NONE, |b| b.misspelt_scale)
    }
    /// The same with the denominator `per`.
    pub fn set_per(&mut self, per: Option<Box<str>>) {
        let parts = self.0.take().map(|b| *b).unwrap_or_default();
        *self = Rare::new(parts.low, parts.high, per, parts.misspelt_scale);
    }
    /// Change the misspelt scale word's range, if there is one, with `f`.
    pub fn update_misspelt_scale(&mut self, f: impl FnOnce(&mut Range<usize>)) {
        if let Some(b) = &mut self.0 {
            b.misspelt_scale.update(f);
        }
    }
}

impl PartialEq for Rare {
    fn eq(&self, other: &Rare) -> bool {
        self.low() == other.low()
            && self.high() == other.high()
            && self.per() == other.per()
            && self.misspelt_scale() == other.misspelt_scale()
    }
}

impl Figure {
    /// The unit of [`Figure::normalized_value`]: the base unit of the unit's dimension
    /// (`kg` for `t`), the unit itself for currencies, percentages, temperatures and other
    /// units, none for counts. Derived from the unit rather than kept: a document's figures
    /// are held as long as it is open, and the string took 24 of a figure's bytes.
    pub fn normalized_unit(&self) -> Option<&str> {
        let unit = self.unit;
        match self.dimension {
            Dimension::Count => None,
            Dimension::Currency
            | Dimension::Percent
            | Dimension::Temperature
            | Dimension::Other => unit,
            _ => unit
                .and_then(units::by_code)
                .and_then(|u| units::base_unit(u.dim))
                .or(unit),
        }
    }

    /// The low end of a range (`10` of `10–15%`).
    pub fn low(&self) -> Option<Decimal> {
        self.rare.low()
    }
    /// The high end of a range (`15` of `10–15%`).
    pub fn high(&self) -> Option<Decimal> {
        self.rare.high()
    }
    /// Denominator of a rate or price (`t`, `day`, `share`).
    pub fn per(&self) -> Option<&str> {
        self.rare.per()
    }
    /// A misspelt scale word read as the scale it resembles (`billon` → billion): its range.
    pub fn misspelt_scale(&self) -> Option<Range<usize>> {
        self.rare.misspelt_scale().get()
    }

    /// The interval of values the figure stands for, widened by its precision and qualifier:
    /// `(low, high)`, either side open-ended when `None`.
    pub fn interval(&self) -> (Option<Decimal>, Option<Decimal>) {
        let p = self.precision;
        // Saturating: a figure near the largest decimal must not overflow (fuzzing found it).
        let (lo, hi) = match (self.value.get(), self.low(), self.high()) {
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

#[cfg(test)]
mod tests {
    use super::{Figure, OptDecimal, OptSpan};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    /// A document's figures are held as long as it is open: 9,265 of them in 1 MB of
    /// generated briefings, so each 8 bytes of a figure is 0.07 bytes per byte of document
    /// (SPEC §8 allows 10 for the whole server).
    #[test]
    fn a_figure_fits_152_bytes() {
        assert!(std::mem::size_of::<Figure>() <= 152);
    }

    #[test]
    fn opt_decimal_keeps_every_decimal_and_none() {
        let cases = [
            "0",
            "-0",
            "1",
            "-1",
            "1.0",
            "0.0000000000000000000000000001",
            "-4431.25",
            "707000000000",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
        ];
        for c in cases {
            let d = Decimal::from_str(c).unwrap();
            let o = OptDecimal::from(d);
            assert!(o.is_some() && !o.is_none(), "{c}");
            let back = o.get().unwrap();
            assert_eq!(back, d, "{c}");
            // The same digits and scale, not only the same number.
            assert_eq!(back.to_string(), d.to_string(), "{c}");
            assert_eq!(format!("{o:?}"), format!("{:?}", Some(d)));
        }
        assert_eq!(OptDecimal::default().get(), None);
        assert!(OptDecimal::NONE.is_none());
        assert_eq!(OptDecimal::from(None), None);
        assert_eq!(format!("{:?}", OptDecimal::NONE), "None");
    }

    #[test]
    fn opt_decimal_compares_as_the_number() {
        let a = OptDecimal::from(Decimal::from_str("1.0").unwrap());
        let b = OptDecimal::from(Decimal::from_str("1.00").unwrap());
        assert_eq!(a, b);
        assert_ne!(a, OptDecimal::from(Decimal::ONE_HUNDRED));
        assert_ne!(a, OptDecimal::NONE);
        assert_eq!(OptDecimal::NONE, OptDecimal::NONE);
    }

    proptest::proptest! {
        #[test]
        fn opt_decimal_round_trips(lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            let got = OptDecimal::from(d).get();
            proptest::prop_assert_eq!(got.map(|g| g.serialize()), Some(d.serialize()));
        }
    }

    #[test]
    fn the_normalized_unit_is_the_base_unit_of_measures_and_the_unit_of_the_rest() {
        let text = "Police seized 14 tons, 800 kg more, $5m and 148 weapons; prices rose 5%.";
        let figs = super::extract(text, &crate::Config::default());
        let got: Vec<(&str, Option<&str>)> = figs
            .iter()
            .map(|f| (&text[f.span.range()], f.normalized_unit()))
            .collect();
        assert_eq!(
            got,
            [
                ("14 tons", Some("kg")),
                ("800 kg", Some("kg")),
                ("$5m", Some("USD")),
                ("148 weapons", None),
                ("5%", Some("%")),
            ]
        );
    }

    #[test]
    fn opt_span_keeps_ranges_and_none() {
        for r in [Some(0..0), Some(3..9), Some(7..7), None] {
            let s = OptSpan::from(r.clone());
            assert_eq!(s.get(), r);
            assert_eq!(s, r);
            assert_eq!(s.is_some(), r.is_some());
            assert_eq!(format!("{s:?}"), format!("{r:?}"));
        }
        assert_eq!(OptSpan::default(), None);
        let big = u32::MAX as usize - 1;
        assert_eq!(OptSpan::from(big - 1..big).get(), Some(big - 1..big));
    }

    #[test]
    fn opt_span_past_4_gib_is_none() {
        let max = u32::MAX as usize;
        assert_eq!(OptSpan::from(0..max), None);
        assert_eq!(OptSpan::from(max..max), None);
        assert_eq!(OptSpan::from(0..max + 10), None);
        assert_eq!(OptSpan::from(max + 1..max + 2), None);
    }

    #[test]
    fn opt_span_update_moves_a_range_and_leaves_none_alone() {
        let mut s = OptSpan::from(4..6);
        s.update(|r| *r = r.start + 10..r.end + 10);
        assert_eq!(s, Some(14..16));
        let mut n = OptSpan::NONE;
        n.update(|r| *r = 1..2);
        assert_eq!(n, None);
        // Moved past 4 GiB: none rather than a wrong range.
        s.update(|r| *r = r.start + u32::MAX as usize..r.end + u32::MAX as usize);
        assert_eq!(s, None);
    }
}
