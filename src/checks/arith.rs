//! Exact interval arithmetic for the arithmetic checks.
//!
//! A figure written `1.4 mln` stands for any value in [1.35, 1.45) million; `about`,
//! `nearly` and `almost` widen that; `over 5` is open above. Each arithmetic check turns
//! the figures it relates into [`Iv`]s, computes with them, and fires only when the stated
//! figure's interval and the computed one do not meet: no values inside the intervals
//! agree. `rust_decimal` keeps the computation exact (28 digits) so a boundary case is
//! decided by the numbers, not by binary floating point.
//!
//! Precision is read from the text as well as from the engine: a round number such as
//! `500` or `5,110` may be rounded to its last non-zero digit, so it stands for
//! [450, 550] and [5,105, 5,115]; a number with decimals stands for half a unit of its
//! last decimal either way.

use rust_decimal::prelude::*;
use rust_decimal::Decimal;

use super::Cx;
use crate::figures::{Dimension, Figure, Qualifier};

/// A closed interval; `None` on a side means unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iv {
    pub lo: Option<Decimal>,
    pub hi: Option<Decimal>,
}

impl Iv {
    pub fn new(lo: Decimal, hi: Decimal) -> Iv {
        Iv {
            lo: Some(lo.min(hi)),
            hi: Some(lo.max(hi)),
        }
    }
    pub fn point(v: Decimal) -> Iv {
        Iv::new(v, v)
    }
    /// Whether some value lies in both intervals.
    pub fn meets(&self, o: &Iv) -> bool {
        let below = matches!((self.hi, o.lo), (Some(h), Some(l)) if h < l);
        let above = matches!((self.lo, o.hi), (Some(l), Some(h)) if l > h);
        !(below || above)
    }
    pub fn add(&self, o: &Iv) -> Iv {
        Iv {
            lo: opt2(self.lo, o.lo, |a, b| a.checked_add(b)),
            hi: opt2(self.hi, o.hi, |a, b| a.checked_add(b)),
        }
    }
    pub fn neg(&self) -> Iv {
        Iv {
            lo: self.hi.map(|v| -v),
            hi: self.lo.map(|v| -v),
        }
    }
    pub fn sub(&self, o: &Iv) -> Iv {
        self.add(&o.neg())
    }
    /// `self / o` for intervals of strictly positive numbers (what prices, counts and
    /// amounts are); `None` when either may be zero or negative.
    pub fn div_pos(&self, o: &Iv) -> Option<Iv> {
        let (a_lo, b_lo) = (self.lo?, o.lo?);
        if a_lo <= Decimal::ZERO || b_lo <= Decimal::ZERO {
            return None;
        }
        let lo = match o.hi {
            Some(bh) => a_lo.checked_div(bh),
            None => Some(Decimal::ZERO),
        };
        let hi = match self.hi {
            Some(ah) => ah.checked_div(b_lo),
            None => None,
        };
        Some(Iv { lo, hi })
    }
    /// Multiply by a constant.
    pub fn scale(&self, k: Decimal) -> Iv {
        let a = self.lo.and_then(|v| v.checked_mul(k));
        let b = self.hi.and_then(|v| v.checked_mul(k));
        if k >= Decimal::ZERO {
            Iv { lo: a, hi: b }
        } else {
            Iv { lo: b, hi: a }
        }
    }
    /// Add a constant.
    pub fn shift(&self, k: Decimal) -> Iv {
        Iv {
            lo: self.lo.and_then(|v| v.checked_add(k)),
            hi: self.hi.and_then(|v| v.checked_add(k)),
        }
    }
    /// The middle of a bounded interval.
    pub fn mid(&self) -> Option<Decimal> {
        Some((self.lo? + self.hi?) / Decimal::TWO)
    }
}

fn opt2(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: impl Fn(Decimal, Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    f(a?, b?)
}

/// How far an approximation stretches: `about 500` is within 10% either way.
fn tenth(v: Decimal) -> Decimal {
    v.abs() * Decimal::new(1, 1)
}

/// The digits of a figure's number as written, without scale words (`110.14` of
/// `110.14 billion`, `4,431`, `1.2` of `1.2bn`); `None` when spelled out.
pub fn digits_text<'a>(cx: &Cx<'a>, i: usize) -> Option<&'a str> {
    digits_of(cx.number_text(i))
}

/// [`digits_text`] of a numeral's text, read byte by byte (most numerals are ASCII; the
/// no-break spaces that group digits are the only other characters read as part of one).
fn digits_of(t: &str) -> Option<&str> {
    // From the first digit or point (a byte of a character outside ASCII is neither).
    let start = t
        .bytes()
        .position(|c| c.is_ascii_digit() || c == b'.')
        .unwrap_or(t.len());
    let t = &t[start..];
    let b = t.as_bytes();
    let mut end = 0;
    while end < b.len() {
        let c = b[end];
        if c.is_ascii_digit() || matches!(c, b'.' | b',' | b' ') {
            end += 1;
        } else if t[end..].starts_with('\u{a0}') || t[end..].starts_with('\u{202f}') {
            end += if c == 0xC2 { 2 } else { 3 };
        } else {
            break;
        }
    }
    let d = t[..end].trim_end_matches([' ', ',', '.', '\u{a0}', '\u{202f}']);
    (!d.is_empty() && d.starts_with(|c: char| c.is_ascii_digit())).then_some(d)
}

/// What the written digits of a numeral say, reading `decimal` as the decimal mark and
/// every other separator as grouping: how many integer digits, how many of them end it as
/// zeros, how many decimal digits, and the digits as a decimal (`4,500.25` → 4, 2, 2,
/// 4500.25). Counted in one pass without copying the digits (this runs for most figures,
/// several times each).
#[derive(Debug, PartialEq)]
struct Digits {
    int: usize,
    int_zeros: usize,
    frac: usize,
    written: Decimal,
}

fn read_digits(d: &str, decimal: char) -> Option<Digits> {
    // (The mark is ASCII, `.` or `,`, as configuration allows: found byte-wise.)
    let at = match u8::try_from(decimal) {
        Ok(c) if c.is_ascii() => d.bytes().rposition(|b| b == c),
        _ => d.rfind(decimal),
    };
    let (int, frac) = match at {
        // `1,234` with decimal ',' would be a decimal; trust the configuration.
        Some(k) => (&d[..k], &d[k + decimal.len_utf8()..]),
        None => (d, ""),
    };
    // The digits, with the integer part's trailing zeros; the mantissa as long as 19
    // digits fit a u64 (an empty part reads as `0`, as `Decimal::from_str` would have it).
    let (mut n_int, mut int_zeros, mut n_frac, mut m) = (0usize, 0usize, 0usize, 0u64);
    for b in int.bytes().filter(u8::is_ascii_digit) {
        n_int += 1;
        int_zeros = if b == b'0' { int_zeros + 1 } else { 0 };
        m = m.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
    }
    for b in frac.bytes().filter(u8::is_ascii_digit) {
        n_frac += 1;
        m = m.wrapping_mul(10).wrapping_add(u64::from(b - b'0'));
    }
    // `0` for an empty part: one more digit, a zero (the mantissa times ten for the
    // fraction's).
    let (len_int, len_frac) = (n_int.max(1), n_frac.max(1));
    let written = if len_int + len_frac <= 19 {
        let m = if n_frac == 0 { m * 10 } else { m };
        // At most 19 digits: the scale is within `Decimal`'s 28.
        Decimal::from_i128_with_scale(i128::from(m), len_frac as u32)
    } else {
        let digits = |p: &str| p.chars().filter(char::is_ascii_digit).collect::<String>();
        let (i, f) = (digits(int), digits(frac));
        let i = if i.is_empty() { "0".to_string() } else { i };
        let f = if f.is_empty() { "0".to_string() } else { f };
        Decimal::from_str(&format!("{i}.{f}")).ok()?
    };
    Some(Digits {
        int: n_int,
        int_zeros,
        frac: n_frac,
        written,
    })
}

/// The scale factor of a figure: value / written digits (`1.2bn` → 1e9). `None` when the
/// digits cannot be read.
pub fn scale_of(cx: &Cx, i: usize) -> Option<Decimal> {
    written_scale(cx, i).map(|(_, s)| s)
}

/// The written digits of a figure (see [`read_digits`]), with its [`scale_of`].
fn written_scale(cx: &Cx, i: usize) -> Option<(Digits, Decimal)> {
    let f = &cx.figures[i];
    let v = f.value.get().or(f.low())?;
    let d = digits_text(cx, i)?;
    let digits = read_digits(d, cx.config.decimal)?;
    let written = digits.written;
    if written.is_zero() {
        return None;
    }
    let s = match power_of_ten_ratio(v, written) {
        Some(s) => s,
        None => v.checked_div(written)?.normalize(),
    };
    // Scales are powers of ten (or cents: 0.01); anything else means we misread.
    is_power_of_ten(s).then_some((digits, s))
}

/// `v / w` when it is exactly a power of ten that a `Decimal` holds, normalised, found
/// without dividing (the same digits, once trailing zeros are taken off, make such a
/// ratio); `None` otherwise, when only the division can say.
fn power_of_ten_ratio(v: Decimal, w: Decimal) -> Option<Decimal> {
    // `d` as `m × 10^e`, `m` without trailing zeros.
    let digits = |d: Decimal| {
        let (m, zeros) = strip_zeros(d.mantissa());
        (m, zeros - i64::from(d.scale()))
    };
    let ((mv, ev), (mw, ew)) = (digits(v), digits(w));
    if mv != mw || mv <= 0 {
        return None;
    }
    let k = ev - ew;
    if k >= 0 {
        let p = 10i128.checked_pow(u32::try_from(k).ok()?)?;
        Decimal::try_from_i128_with_scale(p, 0).ok()
    } else {
        Decimal::try_from_i128_with_scale(1, u32::try_from(-k).ok()?).ok()
    }
}

/// Whether `d` is ten to some whole power (`1000`, `1`, `0.01`): its digits, without the
/// zeros they end with, are `1`.
/// `m` without its trailing decimal zeros, and how many there were; on 64 bits when it fits
/// (128-bit division is a library call).
fn strip_zeros(m: i128) -> (i128, i64) {
    if m == 0 {
        return (0, 0);
    }
    let mut n = 0;
    if let Ok(mut u) = u64::try_from(m) {
        while u % 10 == 0 {
            u /= 10;
            n += 1;
        }
        return (i128::from(u), n);
    }
    let mut m = m;
    while m % 10 == 0 {
        m /= 10;
        n += 1;
    }
    (m, n)
}

fn is_power_of_ten(d: Decimal) -> bool {
    if d <= Decimal::ZERO {
        return false;
    }
    strip_zeros(d.mantissa()).0 == 1
}

/// Half a unit of the last written digit (`6.2` → 0.05, `500` → 0.5), scaled.
pub fn strict_precision(cx: &Cx, i: usize) -> Decimal {
    let f = &cx.figures[i];
    let Some((digits, s)) = written_scale(cx, i) else {
        return f.precision;
    };
    let unit = crate::figures::number::half_unit(digits.frac);
    unit * s
}

/// The widest fair reading of the written precision. A round integer may be rounded to
/// its last non-zero digit (`500` → 50, `5,110` → 5); a count or an amount of money
/// written in full (`4,598`, `£8,170`) is exact; anything with decimals, a scale word
/// (`$22m`), a percentage or a measure stands for half a unit of its last digit.
pub fn precision(cx: &Cx, i: usize) -> Decimal {
    let f = &cx.figures[i];
    let Some((digits, s)) = written_scale(cx, i) else {
        return f.precision;
    };
    let half = Decimal::new(5, 1);
    let p = if digits.frac == 0 {
        let z = digits.int_zeros;
        let counted =
            s == Decimal::ONE && matches!(f.dimension, Dimension::Count | Dimension::Currency);
        if z == digits.int {
            half
        } else if z > 0 {
            half * Decimal::from(10u64.pow(z.min(18) as u32))
        } else if counted {
            Decimal::ZERO
        } else {
            half
        }
    } else {
        crate::figures::number::half_unit(digits.frac)
    };
    p * s
}

/// The qualifier's words, lower-case (`nearly`, `more than`), if any.
pub fn qualifier_words(cx: &Cx, i: usize) -> String {
    let f = &cx.figures[i];
    match f.written.qualifier_span.get() {
        Some(r) => cx.slice(r).to_lowercase(),
        None => {
            // The engine may fold the qualifier into the span without a separate range.
            let t = cx.slice(f.span.start()..f.number.start()).to_lowercase();
            t.trim().to_string()
        }
    }
}

/// Whether an approximate figure approaches from below (`nearly 500`, `almost 6.2 mln`).
pub fn from_below(cx: &Cx, i: usize) -> bool {
    let q = qualifier_words(cx, i);
    [
        "nearly",
        "almost",
        "close to",
        "just under",
        "not quite",
        "approaching",
        "just shy of",
    ]
    .iter()
    .any(|w| q.contains(w))
}

/// The interval a figure stands for, for arithmetic: written precision, widened by its
/// qualifier (`about`: 10% either way; `nearly`: up to 10% below, nothing above).
pub fn interval(cx: &Cx, i: usize) -> Option<Iv> {
    interval_with(cx, i, true)
}

/// The interval a figure stands for when two statements of one quantity are compared
/// (`conflicting-figures`): `nearly 6.2 mln` is just under 6.2 million, not 5.6.
pub fn interval_tight(cx: &Cx, i: usize) -> Option<Iv> {
    interval_with(cx, i, false)
}

fn interval_with(cx: &Cx, i: usize, loose: bool) -> Option<Iv> {
    let f = &cx.figures[i];
    let p = precision(cx, i);
    let (lo, hi, v) = match (f.value.get(), f.low(), f.high()) {
        // Checked: a value at the decimal limit has no interval (never panic).
        (Some(v), _, _) => (v.checked_sub(p)?, v.checked_add(p)?, v),
        (None, Some(l), Some(h)) => (l.checked_sub(p)?, h.checked_add(p)?, h),
        _ => return None,
    };
    Some(match f.qualifier {
        Qualifier::Exact | Qualifier::Range => Iv::new(lo, hi),
        Qualifier::Approx => {
            let w = if loose {
                tenth(v).max(p)
            } else {
                (tenth(v) / Decimal::TWO).max(p)
            };
            if from_below(cx, i) {
                let below = if loose { w } else { p };
                Iv::new(v - below, v + strict_precision(cx, i))
            } else {
                Iv::new(v - w, v + w)
            }
        }
        Qualifier::Over | Qualifier::AtLeast => Iv {
            lo: Some(lo),
            hi: None,
        },
        Qualifier::Under | Qualifier::AtMost => Iv {
            lo: None,
            hi: Some(hi),
        },
    })
}

/// The figure's value for display and sums: the value, or a range's middle.
pub fn value(f: &Figure) -> Option<Decimal> {
    f.value
        .get()
        .or_else(|| Some((f.low()? + f.high()?) / Decimal::TWO))
}

/// Round to `dp` decimals, away from zero at half.
pub fn round(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// A decimal with thousands separators and exactly `dp` decimals (`12345.6` → `12,345.60`).
pub fn format(d: Decimal, dp: u32) -> String {
    let r = round(d, dp);
    let neg = r.is_sign_negative() && !r.is_zero();
    // The digits of the mantissa, cut at the scale (which rounding left at `dp` or less),
    // the fraction padded to `dp`: what formatting the decimal with `dp` decimals gives,
    // without the formatting machinery (every finding that proposes a value writes one).
    let digits = r.mantissa().unsigned_abs().to_string();
    let scale = (r.scale() as usize).min(dp as usize);
    let (int, frac) = match digits.len().checked_sub(scale) {
        Some(0) | None => ("0", digits.as_str()),
        Some(k) => digits.split_at(k),
    };
    let mut out = String::with_capacity(int.len() * 4 / 3 + dp as usize + 3);
    if neg {
        out.push('-');
    }
    crate::figures::number::push_grouped(&mut out, int, ',');
    if dp > 0 {
        out.push('.');
        // Zeros between the point and a short mantissa's digits (`0.05`), then after.
        out.extend(std::iter::repeat_n('0', scale - frac.len()));
        out.push_str(frac);
        out.extend(std::iter::repeat_n('0', dp as usize - scale));
    }
    out
}

/// A decimal with thousands separators and as many decimals as it has (at most `max`).
pub fn format_auto(d: Decimal, max: u32) -> String {
    let r = round(d, max).normalize();
    format(r, r.scale())
}

/// A value with `sig` significant digits, large ones with a scale word:
/// `47696188.5` → `47.7 million`, `74.08` → `74.1`, `8.047` → `8.05`.
pub fn format_sig(d: Decimal, sig: u32) -> String {
    for (s, w) in [
        (1_000_000_000_000i64, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
    ] {
        let s = Decimal::from(s);
        if d.abs() >= s {
            return format!("{} {w}", format_sig(d / s, sig));
        }
    }
    let int_digits = d.abs().trunc().to_string().trim_start_matches('0').len() as u32;
    let dp = sig.saturating_sub(int_digits);
    format_auto(d, dp)
}

/// Format a computed value so that it does not print as the stated one it contradicts:
/// start at the stated figure's decimals (at least `min`) and add digits until they differ.
pub fn format_against(computed: Decimal, stated: Decimal, min: u32) -> String {
    let mut dp = stated.normalize().scale().max(min);
    while dp < 6 && round(computed, dp) == round(stated, dp) {
        dp += 1;
    }
    let s = format(computed, dp);
    // `-20.0` says no more than `-20`.
    match s.strip_suffix(".0") {
        Some(int) if dp == 1 => int.to_string(),
        _ => s,
    }
}

/// `+2.9` / `-96.5`: a signed figure for change messages.
pub fn signed(s: String) -> String {
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The definition [`is_power_of_ten`] replaced: divide and multiply by ten.
    fn is_power_of_ten_ref(d: Decimal) -> bool {
        let mut x = d;
        if x <= Decimal::ZERO {
            return false;
        }
        while x > Decimal::ONE && (x % Decimal::TEN).is_zero() {
            x /= Decimal::TEN;
        }
        while x < Decimal::ONE {
            x *= Decimal::TEN;
        }
        x == Decimal::ONE
    }

    /// The definition [`format`] replaced: the decimal formatted with `dp` decimals, its
    /// integer digits grouped.
    fn format_ref(d: Decimal, dp: u32) -> String {
        let r = round(d, dp);
        let neg = r.is_sign_negative() && !r.is_zero();
        let s = format!("{:.*}", dp as usize, r.abs());
        let (int, frac) = s
            .split_once('.')
            .map(|(a, b)| (a, Some(b)))
            .unwrap_or((&s, None));
        let mut out = String::new();
        for (k, ch) in int.chars().enumerate() {
            if k > 0 && (int.len() - k) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        if let Some(f) = frac {
            out.push('.');
            out.push_str(f);
        }
        if neg {
            format!("-{out}")
        } else {
            out
        }
    }

    /// The definition [`digits_of`] replaced, character by character.
    fn digits_of_ref(t: &str) -> Option<&str> {
        let t = t.trim_start_matches(|c: char| !c.is_ascii_digit() && c != '.');
        let end = t
            .char_indices()
            .find(|&(_, c)| {
                !(c.is_ascii_digit()
                    || c == '.'
                    || c == ','
                    || c == ' '
                    || c == '\u{a0}'
                    || c == '\u{202f}')
            })
            .map(|(k, _)| k)
            .unwrap_or(t.len());
        let d = t[..end].trim_end_matches([' ', ',', '.', '\u{a0}', '\u{202f}']);
        (!d.is_empty() && d.starts_with(|c: char| c.is_ascii_digit())).then_some(d)
    }

    proptest! {
        #[test]
        fn digits_as_read_char_by_char(t in "[0-9., $a-z\u{a0}\u{202f}\u{2009}é£-]{0,16}") {
            prop_assert_eq!(super::digits_of(&t), digits_of_ref(&t));
        }

        #[test]
        fn formats_as_the_formatter_did(
            m in prop_oneof![-2000i64..2000, any::<i64>()],
            scale in 0u32..29,
            dp in 0u32..32,
        ) {
            let d = Decimal::new(m, scale.min(28));
            // The formatter it replaced panicked past 32 characters (the library's buffer):
            // compared where it gave an answer.
            let want = std::panic::catch_unwind(|| format_ref(d, dp));
            prop_assume!(want.is_ok());
            prop_assert_eq!(format(d, dp), want.unwrap_or_default(), "{} to {}", d, dp);
        }

        /// The digits counted in one pass are those the definition it replaced copied out
        /// (integer and decimal digits as strings, then read with `Decimal::from_str`).
        #[test]
        fn written_digits_are_read_as_from_str_reads_them(
            d in "[0-9]{0,22}|[0-9., \u{a0}\u{202f}]{0,34}",
            comma in any::<bool>(),
        ) {
            let decimal = if comma { ',' } else { '.' };
            let (int, frac) = match d.rfind(decimal) {
                Some(k) => (&d[..k], &d[k + 1..]),
                None => (d.as_str(), ""),
            };
            let int: String = int.chars().filter(char::is_ascii_digit).collect();
            let frac: String = frac.chars().filter(char::is_ascii_digit).collect();
            let text = format!(
                "{}.{}",
                if int.is_empty() { "0" } else { &int },
                if frac.is_empty() { "0" } else { &frac }
            );
            let want = Decimal::from_str(&text).ok().map(|w| Digits {
                int: int.len(),
                int_zeros: int.len() - int.trim_end_matches('0').len(),
                frac: frac.len(),
                written: w,
            });
            let got = read_digits(&d, decimal);
            // The same value and the same digits (scale), as the division reads them.
            prop_assert_eq!(
                got.as_ref().map(|g| (g.written.scale(), g.written.mantissa())),
                want.as_ref().map(|w| (w.written.scale(), w.written.mantissa()))
            );
            prop_assert_eq!(got, want);
        }

        /// The ratio found without dividing is the division's, in the same digits.
        #[test]
        fn power_of_ten_ratios_are_the_divisions(
            m in prop_oneof![1i64..100_000, any::<i64>()],
            wz in 0u32..6,
            ws in 0u32..12,
            k in -14i32..14,
            other in any::<bool>(),
        ) {
            let w = Decimal::from_i128_with_scale(i128::from(m) * 10i128.pow(wz), ws);
            // `v` is `w` times 10^k (or, with `other`, a value off by one).
            let v = if k >= 0 {
                w.checked_mul(Decimal::from(10i64.pow(k as u32)))
            } else {
                w.checked_div(Decimal::from(10i64.pow((-k) as u32)))
            };
            let v = if other { v.and_then(|v| v.checked_add(Decimal::ONE)) } else { v };
            let Some(v) = v else { return Ok(()) };
            let fast = power_of_ten_ratio(v, w);
            let slow = v.checked_div(w).map(|q| q.normalize());
            if let Some(f) = fast {
                prop_assert_eq!(Some((f, f.scale(), f.mantissa())), slow.map(|q| (q, q.scale(), q.mantissa())));
            } else if !w.is_zero() && m > 0 && !other {
                prop_assert!(false, "{} / {} is a power of ten", v, w);
            }
        }

        #[test]
        fn powers_of_ten_are_told_as_before(
            m in prop_oneof![Just(1i64), Just(10), Just(100), Just(1000), -5i64..5000, any::<i64>()],
            zeros in 0u32..6,
            scale in 0u32..20,
        ) {
            let m = i128::from(m) * 10i128.pow(zeros);
            let d = Decimal::from_i128_with_scale(m, scale);
            prop_assert_eq!(is_power_of_ten(d), is_power_of_ten_ref(d), "{}", d);
        }
    }

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn intervals_meet_and_divide() {
        let a = Iv::new(d("1.35"), d("1.45"));
        let b = Iv::new(d("1.55"), d("1.65"));
        assert!(!a.meets(&b));
        assert!(a.meets(&Iv {
            lo: None,
            hi: Some(d("1.36"))
        }));
        let r = a.div_pos(&b).unwrap();
        assert!(r.lo.unwrap() < d("0.9") && r.hi.unwrap() > d("0.9"));
        assert_eq!(a.sub(&b), Iv::new(d("-0.30"), d("-0.10")));
    }

    #[test]
    fn formats() {
        assert_eq!(format(d("12345.678"), 2), "12,345.68");
        assert_eq!(format(d("-0.5"), 0), "-1");
        assert_eq!(format_auto(d("512.000"), 3), "512");
        assert_eq!(format_against(d("2.925"), d("3.8"), 1), "2.9");
        assert_eq!(format_against(d("96.53"), d("96"), 1), "96.5");
        assert_eq!(format_against(d("97.47"), d("96"), 0), "97");
        assert_eq!(signed("2.9".into()), "+2.9");
    }
}
