//! Numbers: numerals with their separators, and the words of spelled-out numbers.
//!
//! [`parse_numeral`] reads digits at a byte offset: thousands separators (`,` or `.` per the
//! decimal mark, spaces and no-break spaces in groups of three, Indian `12,34,567`), a
//! decimal part, an exponent, and the malformed shapes the `malformed-number` check reports
//! (`43,.590`, `9,,100`, `110,00`). Values are exact (`rust_decimal`). The word tables
//! ([`cardinal`], [`scale`], [`denominator`]) serve the extractor's word-number parser.

use rust_decimal::Decimal;

use super::sieve::Sieve;

/// What is wrong with a numeral's separators (a byte in a figure, which keeps it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Malformed {
    /// `43,.590`
    MarkInGrouping,
    /// `9,,100`
    DoubledSeparator,
    /// `110,00`
    SeparatorAsMark,
    /// `4,4315`, or `12,3` inside a grouping
    WrongGroup,
    /// `4. 8%`
    SpaceAfterMark,
}

impl Malformed {
    pub fn as_str(self) -> &'static str {
        match self {
            Malformed::MarkInGrouping => "a decimal mark inside the thousands grouping",
            Malformed::DoubledSeparator => "a doubled thousands separator",
            Malformed::SeparatorAsMark => "a thousands separator used as a decimal mark",
            Malformed::WrongGroup => "a digit group of the wrong length",
            Malformed::SpaceAfterMark => "a space after the decimal point",
        }
    }
}

/// A numeral as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Numeral {
    /// Byte offset just past the numeral.
    pub end: usize,
    pub value: Decimal,
    /// Digits after the decimal mark.
    pub decimals: u32,
    /// Thousands separator used, if any.
    pub separator: Option<Separator>,
    /// Four or more integer digits and no separator.
    pub bare_thousands: bool,
    /// What is wrong with the separators, if anything.
    pub malformed: Option<Malformed>,
    /// Integer digits, as written (without separators).
    pub int_digits: usize,
    /// A power of ten was written (`1e10`, `1.3x10^6`).
    pub exponent: bool,
}

/// The longest numeral we read; longer digit runs are not quantities a person wrote.
const MAX_DIGITS: usize = 28;

fn space_len(b: &[u8], j: usize) -> Option<(usize, Separator)> {
    match b.get(j..)? {
        [b' ', ..] => Some((1, Separator::Space)),
        [0xC2, 0xA0, ..] => Some((2, Separator::NoBreakSpace)),
        [0xE2, 0x80, 0xAF, ..] => Some((3, Separator::NarrowNoBreakSpace)),
        [0xE2, 0x80, 0x89, ..] => Some((3, Separator::ThinSpace)),
        _ => None,
    }
}

/// A thousands separator: one of the few a numeral is read with, in a byte (a figure keeps
/// one, see [`crate::figures::Written`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Separator {
    Comma,
    Dot,
    Space,
    NoBreakSpace,
    NarrowNoBreakSpace,
    ThinSpace,
}

impl Separator {
    /// The separator as written.
    pub fn char(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Dot => '.',
            Separator::Space => ' ',
            Separator::NoBreakSpace => '\u{a0}',
            Separator::NarrowNoBreakSpace => '\u{202f}',
            Separator::ThinSpace => '\u{2009}',
        }
    }

    /// The comma or the dot, whichever `sep` is (the other mark is the decimal one).
    fn mark(sep: u8) -> Separator {
        if sep == b'.' {
            Separator::Dot
        } else {
            Separator::Comma
        }
    }
}

/// Whether `b[j..]` continues an Indian grouping to its end: `dd,` groups then `ddd`.
fn indian_tail(b: &[u8], mut j: usize) -> bool {
    loop {
        let n = digits_at(b, j);
        if n == 3 {
            return !matches!(b.get(j + 3), Some(b','))
                || !b.get(j + 4).is_some_and(u8::is_ascii_digit);
        }
        if n == 2 && b.get(j + 2) == Some(&b',') {
            j += 3;
            continue;
        }
        return false;
    }
}

fn digits_at(b: &[u8], j: usize) -> usize {
    b.get(j..)
        .map(|s| s.iter().take_while(|c| c.is_ascii_digit()).count())
        .unwrap_or(0)
}

/// Read a numeral starting at `i` (a digit, or a `.` before a digit). `decimal` is the
/// decimal mark (`b'.'` or `b','`).
pub fn parse_numeral(text: &str, i: usize, decimal: u8) -> Option<Numeral> {
    let b = text.as_bytes();
    let sep = if decimal == b'.' { b',' } else { b'.' };
    let mut int = Digits::default();
    let mut frac = Digits::default();
    let mut j = i;
    let first = digits_at(b, j);
    if first == 0 && !(b.get(j) == Some(&decimal) && digits_at(b, j + 1) > 0) {
        return None;
    }
    int.push_str(&text[j..j + first]);
    j += first;
    let mut separator = None;
    let mut malformed = None;
    if (1..=3).contains(&first) {
        loop {
            if b.get(j) == Some(&sep) && separator.is_none_or(|s| s == Separator::mark(sep)) {
                let n = digits_at(b, j + 1);
                if n == 3 {
                    int.push_str(&text[j + 1..j + 4]);
                    j += 4;
                    separator = Some(Separator::mark(sep));
                    continue;
                }
                // Indian grouping: 12,34,567
                if n == 2 && sep == b',' && b.get(j + 3) == Some(&b',') && indian_tail(b, j + 4) {
                    int.push_str(&text[j + 1..j + 3]);
                    j += 3;
                    separator = Some(Separator::Comma);
                    continue;
                }
            }
            if let Some((len, ch)) = space_len(b, j) {
                if separator.is_none_or(|s| s == ch)
                    && digits_at(b, j + len) == 3
                    && b.get(j + len + 3) != Some(&sep)
                {
                    int.push_str(&text[j + len..j + len + 3]);
                    j += len + 3;
                    separator = Some(ch);
                    continue;
                }
            }
            break;
        }
    }
    // Malformed separators.
    if b.get(j) == Some(&sep) {
        let n = digits_at(b, j + 1);
        if b.get(j + 1) == Some(&decimal) && digits_at(b, j + 2) == 3 {
            // `43,.590`: a stray decimal mark inside the grouping.
            int.push_str(&text[j + 2..j + 5]);
            j += 5;
            malformed = Some(Malformed::MarkInGrouping);
        } else if b.get(j + 1) == Some(&sep) && digits_at(b, j + 2) == 3 {
            // `9,,100`
            int.push_str(&text[j + 2..j + 5]);
            j += 5;
            malformed = Some(Malformed::DoubledSeparator);
        } else if (n == 1 || n == 2)
            && separator.is_none()
            && !b.get(j + 1 + n).is_some_and(|c| c.is_ascii_alphanumeric())
            && !(b.get(j + 1 + n) == Some(&sep) && b.get(j + 2 + n).is_some_and(u8::is_ascii_digit))
        {
            // `110,00`, `1,3`: a decimal comma in a text whose decimal mark is a point.
            frac.push_str(&text[j + 1..j + 1 + n]);
            j += 1 + n;
            malformed = Some(Malformed::SeparatorAsMark);
        } else if n == 1 || n == 2 || n > 3 {
            // `4,4315` or `12,3` inside a grouping: the group has the wrong length.
            if separator.is_some() && n != 3 {
                malformed = Some(Malformed::WrongGroup);
            }
        }
    }
    let mut decimals = 0;
    if frac.is_empty() && b.get(j) == Some(&decimal) {
        let n = digits_at(b, j + 1);
        if n > 0 {
            frac.push_str(&text[j + 1..j + 1 + n]);
            j += 1 + n;
        }
    }
    if !frac.is_empty() {
        decimals = frac.len as u32;
    }
    if int.len + frac.len > MAX_DIGITS {
        return None;
    }
    let mantissa = int
        .v
        .checked_mul(10u128.checked_pow(frac.len as u32)?)?
        .checked_add(frac.v)?;
    let mut value =
        Decimal::try_from_i128_with_scale(i128::try_from(mantissa).ok()?, frac.len as u32).ok()?;
    // Exponent: 1e10, 12.32e+14, -12e-1, 1.3x10^6.
    let mut exponent = false;
    if b.get(j) == Some(&b'e') {
        let mut k = j + 1;
        let neg = match b.get(k) {
            Some(b'+') => {
                k += 1;
                false
            }
            Some(b'-') => {
                k += 1;
                true
            }
            _ => false,
        };
        let n = digits_at(b, k);
        if n > 0 && n <= 2 && !b.get(k + n).is_some_and(|c| c.is_ascii_alphanumeric()) {
            if let Ok(e) = text[k..k + n].parse::<u32>() {
                if let Some(v) = pow10(value, e, neg) {
                    value = v;
                    j = k + n;
                    exponent = true;
                }
            }
        }
    } else if b.get(j..j + 4) == Some(b"x10^") || b.get(j..j + 5) == Some("×10^".as_bytes()) {
        let k0 = if b[j] == b'x' { j + 4 } else { j + 5 };
        let (neg, k) = match b.get(k0) {
            Some(b'-') => (true, k0 + 1),
            Some(b'+') => (false, k0 + 1),
            _ => (false, k0),
        };
        let n = digits_at(b, k);
        if n > 0 && n <= 2 {
            if let Ok(e) = text[k..k + n].parse::<u32>() {
                if let Some(v) = pow10(value, e, neg) {
                    value = v;
                    j = k + n;
                    exponent = true;
                }
            }
        }
    }
    Some(Numeral {
        end: j,
        value,
        decimals,
        separator,
        bare_thousands: separator.is_none() && int.len >= 4,
        malformed,
        int_digits: int.len,
        exponent,
    })
}

/// Digits read so far: their value and how many there were.
#[derive(Default)]
struct Digits {
    v: u128,
    len: usize,
}

impl Digits {
    fn push_str(&mut self, s: &str) {
        for b in s.bytes() {
            self.len += 1;
            // Saturate instead of overflowing; lengths over MAX_DIGITS are refused anyway.
            self.v = self
                .v
                .saturating_mul(10)
                .saturating_add(u128::from(b - b'0'));
        }
    }
    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

fn pow10(v: Decimal, e: u32, neg: bool) -> Option<Decimal> {
    let mut p = Decimal::ONE;
    for _ in 0..e {
        p = p.checked_mul(Decimal::TEN)?;
    }
    if neg {
        v.checked_div(p)
    } else {
        v.checked_mul(p)
    }
}

/// The words besides the [`CARDINALS`] that may start a number in words: `a`/`an`, `half`,
/// `quarter`, `dozen`, `hundred`, `thousand` (what the scanner's `word_number_start`
/// takes; a test holds the two to each other).
pub const NUMBER_START_WORDS: &[&str] =
    &["a", "an", "half", "quarter", "dozen", "hundred", "thousand"];

/// Whether a lower-case word may start a number in words: `false` for a word that is
/// neither one of the [`CARDINALS`] nor one of the [`NUMBER_START_WORDS`] (most words of
/// prose, turned away at once; the scanner asks it of every word).
pub fn may_start_number(w: &[u8]) -> bool {
    static SIEVE: Sieve = Sieve::of_all(&[CARDINALS, NUMBER_START_WORDS]);
    SIEVE.may_hold(w)
}

/// Every word [`cardinal`] knows (a test holds the two to each other).
pub const CARDINALS: &[&str] = &[
    "zero",
    "nought",
    "naught",
    "nil",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fourty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];

/// Cardinal number words: `zero`..`nineteen`, the tens.
pub fn cardinal(w: &str) -> Option<u32> {
    Some(match w {
        "zero" | "nought" | "naught" | "nil" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Whether a cardinal word is a tens word (`twenty`..`ninety`), which can take a unit
/// (`twenty-five`).
pub fn is_tens(v: u32) -> bool {
    v >= 20 && v % 10 == 0
}

/// Scale words and abbreviations written after a number (lower case), with their value.
/// `m`, `k`, `b` and `mm` are context-dependent and handled by the extractor.
pub fn scale(w: &str) -> Option<Decimal> {
    Some(match w {
        "hundred" | "hundreds" => Decimal::from(100),
        "thousand" | "thousands" | "thou" => Decimal::from(1_000),
        "lakh" | "lakhs" | "lac" => Decimal::from(100_000),
        "million" | "millions" | "mln" | "mn" | "mio" | "mil" | "mill" => Decimal::from(1_000_000),
        "crore" | "crores" => Decimal::from(10_000_000),
        "billion" | "billions" | "bln" | "bn" | "bil" => Decimal::from(1_000_000_000u64),
        "trillion" | "trillions" | "tn" | "trn" | "tln" | "tril" => {
            Decimal::from(1_000_000_000_000u64)
        }
        _ => return None,
    })
}

/// Whether a scale word is a plural used loosely (`millions of people`): vague, not a figure
/// by itself.
pub fn is_vague_scale(w: &str) -> bool {
    matches!(
        w,
        "hundreds" | "thousands" | "millions" | "billions" | "trillions" | "dozens" | "scores"
    )
}

/// Fraction denominators: `half` 2, `third` 3, `quarter`/`fourth` 4, ... with plural forms.
pub fn denominator(w: &str) -> Option<u64> {
    Some(match w {
        "half" | "halves" => 2,
        "third" | "thirds" => 3,
        "quarter" | "quarters" | "fourth" | "fourths" => 4,
        "fifth" | "fifths" => 5,
        "sixth" | "sixths" => 6,
        "seventh" | "sevenths" => 7,
        "eighth" | "eighths" => 8,
        "ninth" | "ninths" => 9,
        "tenth" | "tenths" => 10,
        "hundredth" | "hundredths" => 100,
        "thousandth" | "thousandths" => 1000,
        "millionth" | "millionths" => 1_000_000,
        "billionth" | "billionths" => 1_000_000_000,
        "trillionth" | "trillionths" => 1_000_000_000_000,
        _ => return None,
    })
}

/// The digits a word contributes after `point` (`two hundred point zero three`).
pub fn point_digits(w: &str) -> Option<String> {
    cardinal(w).map(|v| v.to_string())
}

/// `digits` (ASCII) written into `out` in groups of three from the right, `sep` between them
/// (`1234567` → `1,234,567`): how every figure the product writes for people is grouped.
pub fn push_grouped(out: &mut String, digits: &str, sep: char) {
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
}

/// Half a unit in the last written place: the precision of a numeral (`1.4` → 0.05). Past
/// 27 decimals (the decimal type's limit is 28), half a unit of the 27th place (found by
/// fuzzing: 29 decimals panicked).
pub fn half_unit(decimals: usize) -> Decimal {
    Decimal::new(5, decimals.min(27) as u32 + 1)
}

#[cfg(test)]
mod tests {

    #[test]
    fn digits_grouped_in_threes_from_the_right() {
        for (digits, sep, want) in [
            ("1234567", ',', "1,234,567"),
            ("123456", '.', "123.456"),
            ("12", ',', "12"),
            ("", ',', ""),
        ] {
            let mut out = String::from("-");
            super::push_grouped(&mut out, digits, sep);
            assert_eq!(out, format!("-{want}"));
        }
    }
    use super::*;

    #[test]
    fn number_words_pass_the_sieve() {
        // Every word `cardinal` reads (its arms, all of them), then the other words that
        // start a number in words.
        let arms = crate::figures::sieve::match_arms(include_str!("number.rs"), "cardinal");
        assert_eq!(arms, CARDINALS);
        for w in CARDINALS.iter().chain(NUMBER_START_WORDS) {
            assert!(may_start_number(w.as_bytes()), "{w}");
        }
        for w in CARDINALS {
            assert!(cardinal(w).is_some(), "{w}");
        }
        // The words of prose mostly are turned away at once.
        for w in [
            "by", "in", "were", "police", "customs", "which", "the", "and", "of", "to", "that",
            "said", "for", "on", "seized", "ones", "twos",
        ] {
            assert!(!may_start_number(w.as_bytes()), "{w}");
        }
    }

    fn num(s: &str) -> (String, usize, Option<&'static str>) {
        let n = parse_numeral(s, 0, b'.').unwrap();
        (
            n.value.normalize().to_string(),
            n.end,
            n.malformed.map(Malformed::as_str),
        )
    }

    #[test]
    fn separators() {
        assert_eq!(num("4,431 x"), ("4431".into(), 5, None));
        assert_eq!(num("4 431"), ("4431".into(), 5, None));
        assert_eq!(num("4\u{a0}431"), ("4431".into(), 6, None));
        assert_eq!(
            num("1\u{202f}234\u{202f}567.89"),
            ("1234567.89".into(), 16, None)
        );
        assert_eq!(num("1,234.56"), ("1234.56".into(), 8, None));
        assert_eq!(num("12,34,567.89"), ("1234567.89".into(), 12, None));
        assert_eq!(num("2004 150"), ("2004".into(), 4, None));
        assert_eq!(num(".08"), ("0.08".into(), 3, None));
        let n = parse_numeral("1.234,56", 0, b',').unwrap();
        assert_eq!(n.value.normalize().to_string(), "1234.56");
        assert_eq!(n.separator, Some(super::Separator::Dot));
    }

    #[test]
    fn exact_and_exponents() {
        assert_eq!(num("1e10"), ("10000000000".into(), 4, None));
        assert_eq!(num("12e-1").0, "1.2");
        assert_eq!(num("1.3x10^6"), ("1300000".into(), 8, None));
        assert_eq!(num("6.23x10^-4").0, "0.000623");
    }

    #[test]
    fn malformed_shapes() {
        assert_eq!(
            num("43,.590 dlrs"),
            (
                "43590".into(),
                7,
                Some("a decimal mark inside the thousands grouping")
            )
        );
        assert_eq!(num("9,,100").2, Some("a doubled thousands separator"));
        assert_eq!(num("110,00").0, "110");
        assert!(num("110,00").2.is_some());
        assert_eq!(num("1,3.").0, "1.3");
    }

    #[test]
    fn never_too_long() {
        assert!(parse_numeral(&"9".repeat(100), 0, b'.').is_none());
    }
}
