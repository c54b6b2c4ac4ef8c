//! Numbers: numerals, number words, scale words, fractions.
