//! Units: the one table of canonical units, currencies and their spellings.
//!
//! Every measure unit of SPEC §2 appears once in [`UNITS`] with its dimension, its factor to
//! the dimension's base unit (exact decimal strings), and its spellings: names (matched
//! case-insensitively, singular and plural, up to three words) and symbols (matched
//! case-sensitively, because `MW` is not `mW` and `m` is not `M`). Currencies are ISO 4217
//! codes; their names, symbols and aliases are in [`currency_word`] and [`currency_symbol`].

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use rust_decimal::Decimal;

use super::sieve::Sieve;
use super::Dimension;
use crate::config::Tons;

/// A canonical measure unit.
#[derive(Debug, Clone, Copy)]
pub struct Unit {
    pub code: &'static str,
    pub dim: Dimension,
    /// How many base units one of this unit is (exact decimal text).
    pub factor: &'static str,
    /// Names, lower case, singular and plural (multi-word allowed).
    pub names: &'static [&'static str],
    /// Symbols, case-sensitive.
    pub symbols: &'static [&'static str],
}

use Dimension::*;

macro_rules! u {
    ($code:expr, $dim:expr, $f:expr, [$($n:expr),*], [$($s:expr),*]) => {
        Unit { code: $code, dim: $dim, factor: $f, names: &[$($n),*], symbols: &[$($s),*] }
    };
}

/// Every measure unit (not currencies, not percentages).
pub static UNITS: &[Unit] = &[
    // mass → kg
    u!(
        "mg",
        Mass,
        "0.000001",
        ["milligram", "milligrams", "milligramme", "milligrammes"],
        ["mg"]
    ),
    u!(
        "g",
        Mass,
        "0.001",
        ["gram", "grams", "gramme", "grammes"],
        ["g", "gr"]
    ),
    u!(
        "kg",
        Mass,
        "1",
        [
            "kilogram",
            "kilograms",
            "kilogramme",
            "kilogrammes",
            "kilo",
            "kilos"
        ],
        ["kg", "kgs", "Kg", "KG"]
    ),
    u!(
        "t",
        Mass,
        "1000",
        [
            "tonne",
            "tonnes",
            "ton",
            "tons",
            "metric ton",
            "metric tons",
            "metric tonne",
            "metric tonnes"
        ],
        ["t"]
    ),
    u!("ton_us", Mass, "907.18474", ["short ton", "short tons"], []),
    u!(
        "ton_uk",
        Mass,
        "1016.0469088",
        ["long ton", "long tons"],
        []
    ),
    u!(
        "lb",
        Mass,
        "0.45359237",
        ["pound", "pounds"],
        ["lb", "lbs", "Lb", "Lbs"]
    ),
    u!("oz", Mass, "0.028349523125", ["ounce", "ounces"], ["oz"]),
    u!(
        "troy_oz",
        Mass,
        "0.0311034768",
        ["troy ounce", "troy ounces"],
        ["ozt", "oz t"]
    ),
    // length → m
    u!(
        "mm",
        Length,
        "0.001",
        ["millimetre", "millimetres", "millimeter", "millimeters"],
        ["mm"]
    ),
    u!(
        "cm",
        Length,
        "0.01",
        ["centimetre", "centimetres", "centimeter", "centimeters"],
        ["cm"]
    ),
    u!(
        "m",
        Length,
        "1",
        ["metre", "metres", "meter", "meters"],
        ["m"]
    ),
    u!(
        "km",
        Length,
        "1000",
        ["kilometre", "kilometres", "kilometer", "kilometers"],
        ["km", "kms", "Km"]
    ),
    u!("in", Length, "0.0254", ["inch", "inches"], ["in", "\""]),
    u!("ft", Length, "0.3048", ["foot", "feet"], ["ft"]),
    u!("yd", Length, "0.9144", ["yard", "yards"], ["yd", "yds"]),
    u!(
        "mi",
        Length,
        "1609.344",
        ["mile", "miles", "statute mile", "statute miles"],
        ["mi"]
    ),
    u!(
        "nmi",
        Length,
        "1852",
        ["nautical mile", "nautical miles"],
        ["nmi", "NM"]
    ),
    // area → m2
    u!(
        "m2",
        Area,
        "1",
        [
            "square metre",
            "square metres",
            "square meter",
            "square meters",
            "sq m",
            "sq metres",
            "sq meters"
        ],
        ["m2", "m²", "sqm"]
    ),
    u!(
        "km2",
        Area,
        "1000000",
        [
            "square kilometre",
            "square kilometres",
            "square kilometer",
            "square kilometers",
            "sq km"
        ],
        ["km2", "km²", "sqkm"]
    ),
    u!("ha", Area, "10000", ["hectare", "hectares"], ["ha"]),
    u!("acre", Area, "4046.8564224", ["acre", "acres"], []),
    u!(
        "ft2",
        Area,
        "0.09290304",
        ["square foot", "square feet", "sq ft", "sq feet"],
        ["ft2", "ft²", "sqft"]
    ),
    u!(
        "mi2",
        Area,
        "2589988.110336",
        ["square mile", "square miles", "sq mi", "sq miles"],
        ["mi2", "mi²"]
    ),
    // volume → L
    u!(
        "ml",
        Volume,
        "0.001",
        ["millilitre", "millilitres", "milliliter", "milliliters"],
        ["ml", "mL"]
    ),
    u!(
        "L",
        Volume,
        "1",
        ["litre", "litres", "liter", "liters"],
        ["l", "L", "ltr"]
    ),
    u!(
        "m3",
        Volume,
        "1000",
        [
            "cubic metre",
            "cubic metres",
            "cubic meter",
            "cubic meters",
            "cu m"
        ],
        ["m3", "m³"]
    ),
    u!(
        "ft3",
        Volume,
        "28.316846592",
        ["cubic foot", "cubic feet", "cu ft"],
        ["ft3", "ft³", "cf"]
    ),
    u!(
        "gal",
        Volume,
        "3.785411784",
        ["gallon", "gallons"],
        ["gal", "gals"]
    ),
    u!(
        "bbl",
        Volume,
        "158.987294928",
        ["barrel", "barrels", "oil barrel", "oil barrels"],
        ["bbl", "bbls"]
    ),
    // time → s
    u!("s", Time, "1", ["second", "seconds", "sec", "secs"], ["s"]),
    u!("min", Time, "60", ["minute", "minutes", "mins"], ["min"]),
    u!("h", Time, "3600", ["hour", "hours", "hr", "hrs"], ["h"]),
    u!("day", Time, "86400", ["day", "days"], []),
    u!("week", Time, "604800", ["week", "weeks", "wk", "wks"], []),
    u!("month", Time, "2629746", ["month", "months"], []),
    u!(
        "year",
        Time,
        "31556952",
        ["year", "years", "yr", "yrs", "year-old", "years-old"],
        ["yo", "y.o."]
    ),
    // speed → m/s
    u!(
        "km/h",
        Speed,
        "0.27777777777777777777777778",
        [
            "kilometre per hour",
            "kilometres per hour",
            "kilometer per hour",
            "kilometers per hour",
            "kilometres an hour",
            "kilometers an hour"
        ],
        ["km/h", "kph", "kmh", "km/hr", "kmph"]
    ),
    u!(
        "mph",
        Speed,
        "0.44704",
        ["mile per hour", "miles per hour", "miles an hour"],
        ["mph"]
    ),
    u!(
        "m/s",
        Speed,
        "1",
        [
            "metre per second",
            "metres per second",
            "meter per second",
            "meters per second"
        ],
        ["m/s"]
    ),
    u!(
        "kn",
        Speed,
        "0.51444444444444444444444444",
        ["knot", "knots"],
        ["kn", "kt", "kts"]
    ),
    // energy → J
    u!("J", Energy, "1", ["joule", "joules"], ["J"]),
    u!(
        "kWh",
        Energy,
        "3600000",
        [
            "kilowatt hour",
            "kilowatt hours",
            "kilowatt-hour",
            "kilowatt-hours"
        ],
        ["kWh", "kwh"]
    ),
    u!(
        "MWh",
        Energy,
        "3600000000",
        [
            "megawatt hour",
            "megawatt hours",
            "megawatt-hour",
            "megawatt-hours"
        ],
        ["MWh"]
    ),
    u!(
        "GWh",
        Energy,
        "3600000000000",
        [
            "gigawatt hour",
            "gigawatt hours",
            "gigawatt-hour",
            "gigawatt-hours"
        ],
        ["GWh"]
    ),
    u!(
        "TWh",
        Energy,
        "3600000000000000",
        [
            "terawatt hour",
            "terawatt hours",
            "terawatt-hour",
            "terawatt-hours"
        ],
        ["TWh"]
    ),
    u!(
        "Btu",
        Energy,
        "1055.05585262",
        ["british thermal unit", "british thermal units"],
        ["Btu", "BTU", "btu"]
    ),
    // power → W
    u!("W", Power, "1", ["watt", "watts"], ["W"]),
    u!("kW", Power, "1000", ["kilowatt", "kilowatts"], ["kW", "kw"]),
    u!("MW", Power, "1000000", ["megawatt", "megawatts"], ["MW"]),
    u!("GW", Power, "1000000000", ["gigawatt", "gigawatts"], ["GW"]),
    // data → B
    u!("B", Data, "1", ["byte", "bytes"], ["B"]),
    u!("KB", Data, "1000", ["kilobyte", "kilobytes"], ["KB", "kB"]),
    u!("MB", Data, "1000000", ["megabyte", "megabytes"], ["MB"]),
    u!("GB", Data, "1000000000", ["gigabyte", "gigabytes"], ["GB"]),
    u!(
        "TB",
        Data,
        "1000000000000",
        ["terabyte", "terabytes"],
        ["TB"]
    ),
    u!(
        "PB",
        Data,
        "1000000000000000",
        ["petabyte", "petabytes"],
        ["PB"]
    ),
    u!("bit", Data, "0.125", ["bit", "bits"], ["bit"]),
    // temperature (no common base: values stay)
    u!(
        "degC",
        Temperature,
        "1",
        [
            "degree celsius",
            "degrees celsius",
            "deg celsius",
            "degree centigrade",
            "degrees centigrade",
            "celsius",
            "centigrade",
            "degrees c"
        ],
        ["°C", "ºC", "℃"]
    ),
    u!(
        "degF",
        Temperature,
        "1",
        [
            "degree fahrenheit",
            "degrees fahrenheit",
            "deg fahrenheit",
            "fahrenheit",
            "degrees f"
        ],
        ["°F", "ºF", "℉"]
    ),
    u!("K", Temperature, "1", ["kelvin", "kelvins"], []),
    // angles and other units that are clearly units but have no dimension of SPEC §2
    u!("deg", Other, "1", ["degree", "degrees"], ["deg"]),
    u!("rad", Other, "1", ["radian", "radians"], ["rad"]),
    u!(
        "turn",
        Other,
        "1",
        ["turn", "turns", "revolution", "revolutions"],
        []
    ),
    u!(
        "µg",
        Other,
        "1",
        ["microgram", "micrograms", "microgramme", "microgrammes"],
        ["µg", "μg", "mcg", "ug"]
    ),
    u!("tbsp", Other, "1", ["tablespoon", "tablespoons"], ["tbsp"]),
    u!("tsp", Other, "1", ["teaspoon", "teaspoons"], ["tsp"]),
    u!("cup", Other, "1", ["cup", "cups"], []),
    u!("hp", Other, "1", ["horsepower"], ["hp"]),
];

/// The base unit of a dimension (what `normalized` converts to), if it has one.
pub fn base_unit(dim: Dimension) -> Option<&'static str> {
    Some(match dim {
        Mass => "kg",
        Length => "m",
        Area => "m2",
        Volume => "L",
        Time => "s",
        Speed => "m/s",
        Energy => "J",
        Power => "W",
        Data => "B",
        _ => return None,
    })
}

/// FNV-1a: a tiny, fast hasher for short word keys (the tables are built from our own
/// constants, so hash flooding is not a concern).
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// A set of words built once from a constant list.
pub struct WordSet {
    list: &'static [&'static str],
    /// Turns away most words not in the list before the set is asked.
    sieve: Sieve,
    set: OnceLock<std::collections::HashSet<&'static str, FnvBuild>>,
}

impl WordSet {
    pub const fn new(list: &'static [&'static str]) -> WordSet {
        WordSet {
            list,
            sieve: Sieve::new(list),
            set: OnceLock::new(),
        }
    }
    pub fn contains(&self, w: &str) -> bool {
        self.sieve.may_hold(w.as_bytes())
            && self
                .set
                .get_or_init(|| self.list.iter().copied().collect())
                .contains(w)
    }
}

struct Tables {
    names: HashMap<&'static str, usize, FnvBuild>,
    symbols: HashMap<&'static str, usize, FnvBuild>,
    codes: HashMap<&'static str, usize, FnvBuild>,
    /// First words of multi-word names (`square`, `metric`, `kilowatt`).
    first_words: std::collections::HashSet<&'static str, FnvBuild>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut names = HashMap::default();
        let mut symbols = HashMap::default();
        let mut codes = HashMap::default();
        let mut first_words = std::collections::HashSet::default();
        for (i, u) in UNITS.iter().enumerate() {
            codes.insert(u.code, i);
            for n in u.names {
                names.insert(*n, i);
                if let Some((first, _)) = n.split_once(' ') {
                    first_words.insert(first);
                }
            }
            for s in u.symbols {
                symbols.insert(*s, i);
            }
        }
        Tables {
            names,
            symbols,
            codes,
            first_words,
        }
    })
}

/// A unit by its canonical code (`kg`, `t`, `km/h`).
pub fn by_code(code: &str) -> Option<&'static Unit> {
    tables().codes.get(code).map(|&i| &UNITS[i])
}

/// A unit by its name, lower case, possibly several words (`square kilometres`).
pub fn by_name(lower: &str) -> Option<&'static Unit> {
    tables().names.get(lower).map(|&i| &UNITS[i])
}

/// Whether a word starts a multi-word unit name (`square` of `square kilometres`).
pub fn starts_multiword(lower: &str) -> bool {
    tables().first_words.contains(lower)
}

/// A unit by its symbol, case-sensitive (`kg`, `MW`).
pub fn by_symbol(s: &str) -> Option<&'static Unit> {
    tables().symbols.get(s).map(|&i| &UNITS[i])
}

/// `ton`/`tons` per the `tons` setting.
pub fn tons(setting: Tons) -> &'static Unit {
    let code = match setting {
        Tons::Metric => "t",
        Tons::Short => "ton_us",
        Tons::Long => "ton_uk",
    };
    by_code(code).unwrap_or(&UNITS[3])
}

/// The factor of a unit as a decimal.
pub fn factor(u: &Unit) -> Decimal {
    Decimal::from_str(u.factor).unwrap_or(Decimal::ONE)
}

/// `value unit` → (value in base unit, base unit). Temperature, percent, currency and
/// counts have no base and return `None`.
pub fn normalize(value: Decimal, code: &str) -> Option<(Decimal, &'static str)> {
    let u = by_code(code)?;
    let base = base_unit(u.dim)?;
    let v = value.checked_mul(factor(u))?;
    Some((round_sig(v), base))
}

/// Round to 20 significant digits to strip the noise of long factors.
fn round_sig(v: Decimal) -> Decimal {
    // 15 significant digits: exact for every factor of the table times a written number,
    // and no binary noise when the value is printed as a JSON number. A value of 15 digits
    // or fewer is what rounding gives (most: rounding costs a division per digit).
    if v.mantissa().unsigned_abs() < 1_000_000_000_000_000 {
        return v.normalize();
    }
    v.round_sf(15).unwrap_or(v).normalize()
}

/// Other common units of the same dimension for a normalised value, for hovers:
/// `(14000, "kg")` → `["14 t", "≈ 15.43 short tons", "≈ 30,865 lb"]`.
pub fn conversions(normalized: Decimal, base: &str) -> Vec<String> {
    let targets: &[(&str, &str)] = match base {
        "kg" => &[
            ("t", "t"),
            ("ton_us", "short tons"),
            ("ton_uk", "long tons"),
            ("lb", "lb"),
        ],
        "m" => &[("km", "km"), ("mi", "mi"), ("ft", "ft"), ("nmi", "nmi")],
        "m2" => &[
            ("km2", "km²"),
            ("ha", "ha"),
            ("acre", "acres"),
            ("mi2", "sq mi"),
        ],
        "L" => &[("m3", "m³"), ("gal", "US gal"), ("bbl", "bbl")],
        "s" => &[
            ("min", "min"),
            ("h", "h"),
            ("day", "days"),
            ("year", "years"),
        ],
        "m/s" => &[("km/h", "km/h"), ("mph", "mph"), ("kn", "kn")],
        "J" => &[("kWh", "kWh"), ("MWh", "MWh"), ("Btu", "Btu")],
        "W" => &[("kW", "kW"), ("MW", "MW")],
        "B" => &[("KB", "KB"), ("MB", "MB"), ("GB", "GB"), ("TB", "TB")],
        _ => &[],
    };
    let mut out = Vec::new();
    for (code, label) in targets {
        let Some(u) = by_code(code) else { continue };
        let f = factor(u);
        if f.is_zero() {
            continue;
        }
        let Some(v) = normalized.checked_div(f) else {
            continue;
        };
        let exact = v.round_dp(4) == v;
        let shown = display(v);
        out.push(if exact {
            format!("{shown} {label}")
        } else {
            format!("≈ {shown} {label}")
        });
    }
    out
}

/// A decimal for people: thousands separators, at most four significant decimals.
pub fn display(v: Decimal) -> String {
    let r = if v.abs() >= Decimal::from(100) {
        v.round_dp(0)
    } else {
        v.round_sf(4).unwrap_or(v)
    };
    let s = r.normalize().to_string();
    let (sign, s) = s
        .strip_prefix('-')
        .map(|r| ("-", r))
        .unwrap_or(("", s.as_str()));
    let (int, frac) = s
        .split_once('.')
        .map(|(a, b)| (a, Some(b)))
        .unwrap_or((s, None));
    let mut out = String::from(sign);
    super::number::push_grouped(&mut out, int, ',');
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

// ------------------------------------------------------------------------------ currency

/// Which currency family a name belongs to, when the country decides the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Money {
    /// A definite ISO code.
    Code(&'static str),
    /// Dollars of unknown country (USD unless the text says otherwise).
    Dollar,
    /// Hundredths of the document's dollar (`cts`, `cents`).
    Cent,
    /// Hundredths of a pound (`pence`, `p`).
    Pence,
    Rupee,
    Crown,
    Peso,
    Franc,
    Dinar,
    /// `pounds`: money or mass depending on context.
    Pound,
}

impl Money {
    /// A family whose code the document's countries may decide (`rupees` in a story about
    /// Sri Lanka).
    pub fn country_decides(self) -> bool {
        matches!(
            self,
            Money::Rupee | Money::Crown | Money::Peso | Money::Franc | Money::Dinar
        )
    }
}

/// Every word [`currency_word`] knows (a test holds the two to each other).
const CURRENCY_WORDS: &[&str] = &[
    "dollar",
    "dollars",
    "dlr",
    "dlrs",
    "dlrs.",
    "buck",
    "bucks",
    "cent",
    "cents",
    "cts",
    "ct",
    "pence",
    "penny",
    "pennies",
    "pound",
    "pounds",
    "sterling",
    "stg",
    "quid",
    "euro",
    "euros",
    "yen",
    "yuan",
    "renminbi",
    "rmb",
    "元",
    "kuai",
    "tenge",
    "tenges",
    "ruble",
    "rubles",
    "rouble",
    "roubles",
    "rupee",
    "rupees",
    "crown",
    "crowns",
    "krona",
    "kronor",
    "krone",
    "kroner",
    "kronur",
    "peso",
    "pesos",
    "franc",
    "francs",
    "dinar",
    "dinars",
    "won",
    "rand",
    "baht",
    "ringgit",
    "rupiah",
    "lira",
    "liras",
    "lire",
    "shekel",
    "shekels",
    "sheqel",
    "sheqels",
    "dirham",
    "dirhams",
    "riyal",
    "riyals",
    "rial",
    "rials",
    "naira",
    "shilling",
    "shillings",
    "hryvnia",
    "hryvnias",
    "hryvnas",
    "zloty",
    "zlotys",
    "zlotych",
    "forint",
    "forints",
    "koruna",
    "korunas",
    "koruny",
    "lev",
    "leva",
    "leu",
    "lei",
    "real",
    "reais",
    "reals",
    "mark",
    "marks",
    "deutschmark",
    "deutschmarks",
    "d-mark",
    "d-marks",
    "guilder",
    "guilders",
    "markka",
    "markkaa",
    "peseta",
    "pesetas",
    "escudo",
    "escudos",
    "drachma",
    "drachmas",
    "drachmae",
    "schilling",
    "schillings",
    "taka",
    "cedi",
    "cedis",
    "birr",
    "kwacha",
    "manat",
    "manats",
    "som",
    "soms",
    "sum",
    "soum",
    "soums",
    "lari",
    "dram",
    "drams",
    "somoni",
    "tugrik",
    "tugriks",
    "togrog",
    "dong",
    "kip",
    "kyat",
    "kyats",
    "afghani",
    "afghanis",
    "bitcoin",
    "bitcoins",
];

/// A currency word (lower case, singular or plural), e.g. `tenge`, `dlrs`, `euros`.
pub fn currency_word(w: &str) -> Option<Money> {
    use Money::*;
    // Asked of most words of a text, and most are none: turned away at once.
    static SIEVE: Sieve = Sieve::new(CURRENCY_WORDS);
    if !SIEVE.may_hold(w.as_bytes()) {
        return None;
    }
    Some(match w {
        "dollar" | "dollars" | "dlr" | "dlrs" | "dlrs." | "buck" | "bucks" => Dollar,
        "cent" | "cents" | "cts" | "ct" => Cent,
        "pence" | "penny" | "pennies" => Pence,
        "pound" | "pounds" => Pound,
        "sterling" | "stg" | "quid" => Code("GBP"),
        "euro" | "euros" => Code("EUR"),
        "yen" => Code("JPY"),
        "yuan" | "renminbi" | "rmb" | "元" | "kuai" => Code("CNY"),
        "tenge" | "tenges" => Code("KZT"),
        "ruble" | "rubles" | "rouble" | "roubles" => Code("RUB"),
        "rupee" | "rupees" => Rupee,
        "crown" | "crowns" | "krona" | "kronor" | "krone" | "kroner" | "kronur" => Crown,
        "peso" | "pesos" => Peso,
        "franc" | "francs" => Franc,
        "dinar" | "dinars" => Dinar,
        "won" => Code("KRW"),
        "rand" => Code("ZAR"),
        "baht" => Code("THB"),
        "ringgit" => Code("MYR"),
        "rupiah" => Code("IDR"),
        "lira" | "liras" | "lire" => Code("TRY"),
        "shekel" | "shekels" | "sheqel" | "sheqels" => Code("ILS"),
        "dirham" | "dirhams" => Code("AED"),
        "riyal" | "riyals" | "rial" | "rials" => Code("SAR"),
        "naira" => Code("NGN"),
        "shilling" | "shillings" => Code("KES"),
        "hryvnia" | "hryvnias" | "hryvnas" => Code("UAH"),
        "zloty" | "zlotys" | "zlotych" => Code("PLN"),
        "forint" | "forints" => Code("HUF"),
        "koruna" | "korunas" | "koruny" => Code("CZK"),
        "lev" | "leva" => Code("BGN"),
        "leu" | "lei" => Code("RON"),
        "real" | "reais" | "reals" => Code("BRL"),
        "mark" | "marks" | "deutschmark" | "deutschmarks" | "d-mark" | "d-marks" => Code("DEM"),
        "guilder" | "guilders" => Code("NLG"),
        "markka" | "markkaa" => Code("FIM"),
        "peseta" | "pesetas" => Code("ESP"),
        "escudo" | "escudos" => Code("PTE"),
        "drachma" | "drachmas" | "drachmae" => Code("GRD"),
        "schilling" | "schillings" => Code("ATS"),
        "taka" => Code("BDT"),
        "cedi" | "cedis" => Code("GHS"),
        "birr" => Code("ETB"),
        "kwacha" => Code("ZMW"),
        "manat" | "manats" => Code("AZN"),
        "som" | "soms" => Code("KGS"),
        "sum" | "soum" | "soums" => Code("UZS"),
        "lari" => Code("GEL"),
        "dram" | "drams" => Code("AMD"),
        "somoni" => Code("TJS"),
        "tugrik" | "tugriks" | "togrog" => Code("MNT"),
        "dong" => Code("VND"),
        "kip" => Code("LAK"),
        "kyat" | "kyats" => Code("MMK"),
        "afghani" | "afghanis" => Code("AFN"),
        "bitcoin" | "bitcoins" => Code("BTC"),
        _ => return None,
    })
}

/// A currency symbol (one character), e.g. `$`, `£`, `₸`.
pub fn currency_symbol(c: char) -> Option<Money> {
    use Money::*;
    Some(match c {
        '$' => Dollar,
        '€' => Code("EUR"),
        '£' => Code("GBP"),
        '₸' => Code("KZT"),
        '₽' => Code("RUB"),
        '¥' => Code("JPY"),
        '₹' => Code("INR"),
        '₩' => Code("KRW"),
        '₺' => Code("TRY"),
        '₴' => Code("UAH"),
        '₪' => Code("ILS"),
        '₦' => Code("NGN"),
        '₱' => Code("PHP"),
        '฿' => Code("THB"),
        '₿' => Code("BTC"),
        '₡' => Code("CRC"),
        '₾' => Code("GEL"),
        '₭' => Code("LAK"),
        '₫' => Code("VND"),
        '₼' => Code("AZN"),
        '¢' => Cent,
        _ => return None,
    })
}

/// Letters written before `$` (`US$`, `HK$`, `C$`), lower case, to a code.
pub fn dollar_prefix(p: &str) -> Option<&'static str> {
    Some(match p {
        "us" | "u.s" | "u.s." | "usd" => "USD",
        "hk" | "hkd" => "HKD",
        "c" | "ca" | "can" | "cad" => "CAD",
        "a" | "au" | "aud" => "AUD",
        "nz" | "nzd" => "NZD",
        "s" | "sgd" => "SGD",
        "r" | "brl" => "BRL",
        "mex" | "mxn" | "mx" => "MXN",
        "nt" | "twd" => "TWD",
        "z" => "ZWL",
        _ => return None,
    })
}

/// Country or nationality words that decide a family's code (`Canadian dollars`,
/// `Swiss francs`, `Sri Lankan rupees`), lower case.
pub fn country_code(family: Money, country: &str) -> Option<&'static str> {
    use Money::*;
    Some(match (family, country) {
        (Dollar | Cent, "us" | "u.s." | "u.s" | "american" | "united states" | "america") => "USD",
        (Dollar | Cent, "canadian" | "canada") => "CAD",
        (Dollar | Cent, "australian" | "australia") => "AUD",
        (Dollar | Cent, "hong kong" | "h.k." | "hk" | "h.k") => "HKD",
        (Dollar | Cent, "new zealand" | "nz") => "NZD",
        (Dollar | Cent, "singapore" | "singaporean") => "SGD",
        (Dollar | Cent, "taiwan" | "taiwanese" | "taiwan new") => "TWD",
        (Dollar | Cent, "zimbabwe" | "zimbabwean") => "ZWL",
        (Dollar | Cent, "jamaican" | "jamaica") => "JMD",
        (Rupee, "indian" | "india") => "INR",
        (Rupee, "sri lankan" | "sri lanka" | "lankan") => "LKR",
        (Rupee, "pakistani" | "pakistan") => "PKR",
        (Rupee, "nepalese" | "nepali" | "nepal") => "NPR",
        (Rupee, "mauritian") => "MUR",
        (Crown, "swedish" | "sweden") => "SEK",
        (Crown, "danish" | "denmark") => "DKK",
        (Crown, "norwegian" | "norway") => "NOK",
        (Crown, "czech") => "CZK",
        (Crown, "icelandic" | "iceland") => "ISK",
        (Peso, "mexican" | "mexico") => "MXN",
        (Peso, "philippine" | "philippines" | "filipino") => "PHP",
        (Peso, "argentine" | "argentinian" | "argentina") => "ARS",
        (Peso, "chilean" | "chile") => "CLP",
        (Peso, "colombian" | "colombia") => "COP",
        (Peso, "cuban" | "cuba") => "CUP",
        (Peso, "uruguayan" | "uruguay") => "UYU",
        (Franc, "swiss" | "switzerland") => "CHF",
        (Franc, "french" | "france") => "FRF",
        (Franc, "belgian" | "belgium") => "BEF",
        (Franc, "cfa") => "XOF",
        (Dinar, "kuwaiti" | "kuwait") => "KWD",
        (Dinar, "iraqi" | "iraq") => "IQD",
        (Dinar, "jordanian" | "jordan") => "JOD",
        (Dinar, "bahraini" | "bahrain") => "BHD",
        (Dinar, "serbian" | "serbia") => "RSD",
        (Dinar, "algerian" | "algeria") => "DZD",
        (Dinar, "libyan" | "libya") => "LYD",
        (Dinar, "tunisian" | "tunisia") => "TND",
        (Pound | Pence, "british" | "uk" | "u.k." | "sterling") => "GBP",
        (Pound, "egyptian" | "egypt") => "EGP",
        (Pound, "lebanese" | "lebanon") => "LBP",
        (Pound, "syrian" | "syria") => "SYP",
        (Pound, "sudanese" | "sudan") => "SDG",
        (Code("CNY"), "chinese" | "china") => "CNY",
        (Code("JPY"), "japanese" | "japan") => "JPY",
        (Code("TRY"), "turkish" | "turkey") => "TRY",
        (Code("BRL"), "brazilian" | "brazil") => "BRL",
        (Code("ZAR"), "south african") => "ZAR",
        (Code("RUB"), "russian" | "russia") => "RUB",
        (Code("KZT"), "kazakh" | "kazakhstani" | "kazakhstan") => "KZT",
        (Code("NLG"), "dutch" | "netherlands") => "NLG",
        (Code("FIM"), "finnish" | "finland") => "FIM",
        (Code("DEM"), "german" | "deutsche" | "west german") => "DEM",
        (Code(c), _) => c,
        _ => return None,
    })
}

/// The code a family takes when the document names no country.
pub fn default_code(family: Money) -> &'static str {
    match family {
        Money::Code(c) => c,
        Money::Dollar | Money::Cent => "USD",
        Money::Pence | Money::Pound => "GBP",
        Money::Rupee => "INR",
        Money::Crown => "SEK",
        Money::Peso => "MXN",
        Money::Franc => "CHF",
        Money::Dinar => "KWD",
    }
}

/// A three-letter word that is an ISO 4217 currency code (or a well-known alias like
/// `RMB`), upper case as written. Lower-case codes are accepted only for major currencies.
pub fn iso_code(w: &str) -> Option<&'static str> {
    let alias = match w {
        "RMB" | "rmb" => Some("CNY"),
        "STG" | "Stg" => Some("GBP"),
        "NIS" => Some("ILS"),
        "BTC" | "btc" | "XBT" => Some("BTC"),
        "usd" | "Usd" => Some("USD"),
        "eur" | "Eur" => Some("EUR"),
        "gbp" | "Gbp" => Some("GBP"),
        "jpy" => Some("JPY"),
        "cny" => Some("CNY"),
        "kzt" => Some("KZT"),
        "rub" => Some("RUB"),
        "inr" => Some("INR"),
        "cad" => Some("CAD"),
        "aud" => Some("AUD"),
        "chf" => Some("CHF"),
        "hkd" => Some("HKD"),
        _ => None,
    };
    if alias.is_some() {
        return alias;
    }
    if w.len() != 3 || !w.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    // The codes briefings write most, at once: the library's look-up is a match over all
    // 180 codes (~770 instructions a word), and a briefing names its currency again and again.
    if let Some(code) = common_iso_code(w) {
        return Some(code);
    }
    let c = iso_currency::Currency::from_code(w)?;
    // Codes that are also common upper-case words or abbreviations are only currencies
    // when the caller sees them right beside a number; the caller enforces adjacency.
    Some(leak_code(c.code()))
}

/// The most written ISO 4217 codes, which [`iso_code`] answers without the library's
/// look-up (a test holds them to it).
fn common_iso_code(w: &str) -> Option<&'static str> {
    Some(match w {
        "USD" => "USD",
        "EUR" => "EUR",
        "GBP" => "GBP",
        "JPY" => "JPY",
        "CNY" => "CNY",
        "KZT" => "KZT",
        "RUB" => "RUB",
        "INR" => "INR",
        "CAD" => "CAD",
        "AUD" => "AUD",
        "CHF" => "CHF",
        "HKD" => "HKD",
        "SEK" => "SEK",
        "NOK" => "NOK",
        "UAH" => "UAH",
        "TRY" => "TRY",
        "BRL" => "BRL",
        "ZAR" => "ZAR",
        _ => return None,
    })
}

/// `iso_currency` gives `&str` tied to a `'static` table already; keep the lifetime.
fn leak_code(code: &'static str) -> &'static str {
    code
}

/// Million-prefixed codes used in finance (`MUSD`, `MEUR`, `MGBP`, `MAUD`).
pub fn million_code(w: &str) -> Option<&'static str> {
    let rest = w.strip_prefix('M').or_else(|| w.strip_prefix('m'))?;
    if rest.len() != 3 {
        return None;
    }
    let up = rest.to_ascii_uppercase();
    match up.as_str() {
        "USD" => Some("USD"),
        "EUR" => Some("EUR"),
        "GBP" => Some("GBP"),
        "AUD" => Some("AUD"),
        "CAD" => Some("CAD"),
        "CHF" => Some("CHF"),
        "SEK" => Some("SEK"),
        "NOK" => Some("NOK"),
        "DKK" => Some("DKK"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Values of 15 digits or fewer skip the rounding and come out as it gives them,
        /// in the same digits.
        #[test]
        fn short_values_round_as_rounding_gives(
            m in proptest::prop_oneof![-10_000_000_000_000_000i64..10_000_000_000_000_000, proptest::arbitrary::any::<i64>()],
            scale in 0u32..28,
        ) {
            let v = Decimal::new(m, scale);
            let want = v.round_sf(15).unwrap_or(v).normalize();
            let got = round_sig(v);
            proptest::prop_assert_eq!((got, got.scale(), got.mantissa()), (want, want.scale(), want.mantissa()));
        }
    }

    /// The codes answered at once are the library's own, and only they are: every
    /// three capital letters.
    #[test]
    fn common_iso_codes_are_the_librarys() {
        let mut common = 0;
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                for c in b'A'..=b'Z' {
                    let bytes = [a, b, c];
                    let w = std::str::from_utf8(&bytes).expect("ASCII");
                    if let Some(code) = common_iso_code(w) {
                        common += 1;
                        let lib = iso_currency::Currency::from_code(w).map(|c| c.code());
                        assert_eq!(Some(code), lib, "{w}");
                    }
                }
            }
        }
        assert_eq!(common, 18);
    }

    #[test]
    fn currency_words_are_the_ones_the_function_knows() {
        let arms = crate::figures::sieve::match_arms(include_str!("units.rs"), "currency_word");
        assert_eq!(arms, CURRENCY_WORDS);
        for w in CURRENCY_WORDS {
            assert!(currency_word(w).is_some(), "{w}");
        }
    }

    #[test]
    fn table_codes_are_unique_and_spellings_unambiguous() {
        let mut codes = std::collections::HashSet::new();
        for u in UNITS {
            assert!(codes.insert(u.code), "duplicate {}", u.code);
            assert!(Decimal::from_str(u.factor).is_ok(), "{}", u.code);
        }
        let mut names = std::collections::HashSet::new();
        for u in UNITS {
            for n in u.names {
                assert!(names.insert(*n), "name {n} twice");
                assert_eq!(*n, n.to_lowercase());
            }
        }
    }

    #[test]
    fn normalises_exactly() {
        assert_eq!(
            normalize(Decimal::from(14), "t"),
            Some((Decimal::from(14000), "kg"))
        );
        assert_eq!(
            normalize(Decimal::from(5), "km"),
            Some((Decimal::from(5000), "m"))
        );
        assert_eq!(
            normalize(Decimal::from(3), "ha"),
            Some((Decimal::from(30000), "m2"))
        );
        assert_eq!(
            normalize(Decimal::from(2), "day"),
            Some((Decimal::from(172800), "s"))
        );
        assert_eq!(normalize(Decimal::from(5), "degC"), None);
    }

    #[test]
    fn conversions_read_well() {
        let c = conversions(Decimal::from(14000), "kg");
        assert_eq!(c[0], "14 t");
        assert!(c[1].starts_with("≈ 15.43 short tons"), "{c:?}");
        assert_eq!(display(Decimal::from(1234567)), "1,234,567");
    }

    #[test]
    fn currencies() {
        assert_eq!(iso_code("KZT"), Some("KZT"));
        assert_eq!(iso_code("THE"), None);
        assert_eq!(iso_code("RMB"), Some("CNY"));
        assert_eq!(currency_word("dlrs"), Some(Money::Dollar));
        assert_eq!(country_code(Money::Dollar, "canadian"), Some("CAD"));
        assert_eq!(million_code("MUSD"), Some("USD"));
    }
}
