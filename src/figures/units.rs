//! Units: the one table of canonical units, currencies and their spellings.

use rust_decimal::Decimal;

/// Other common units of the same dimension for a normalised value, for hovers:
/// `(14000, "kg")` → `["14 t", "≈ 15.4 short tons", "≈ 30,865 lb"]`. (Filled in with the
/// figure engine.)
pub fn conversions(_normalized: Decimal, _base_unit: &str) -> Vec<String> {
    Vec::new()
}
