//! Numbers in words, for the fixes that spell a number out (`10` → `Ten`) and the
//! style checks that read the written form of a figure.

const ONES: [&str; 20] = [
    "zero",
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
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// An integer in words, American news style (no `and`, hyphens from 21 to 99):
/// `395` → `three hundred ninety-five`. `None` above 999,999,999,999.
pub fn to_words(n: u64) -> Option<String> {
    if n >= 1_000_000_000_000 {
        return None;
    }
    if n < 1000 {
        return Some(below_thousand(n));
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (size, name) in [
        (1_000_000_000u64, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ] {
        if rest >= size {
            parts.push(format!("{} {name}", below_thousand(rest / size)));
            rest %= size;
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    Some(parts.join(" "))
}

fn below_thousand(n: u64) -> String {
    let h = n / 100;
    let r = n % 100;
    let tail = if r < 20 {
        ONES[r as usize].to_string()
    } else if r % 10 == 0 {
        TENS[(r / 10) as usize].to_string()
    } else {
        format!("{}-{}", TENS[(r / 10) as usize], ONES[(r % 10) as usize])
    };
    match (h, r) {
        (0, _) => tail,
        (h, 0) => format!("{} hundred", ONES[h as usize]),
        (h, _) => format!("{} hundred {tail}", ONES[h as usize]),
    }
}

/// The text with its first letter upper-cased (`ten` → `Ten`).
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Number words that may appear in a spelled-out figure.
pub fn is_number_word(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    ONES.contains(&w.as_str())
        || TENS[2..].contains(&w.as_str())
        || matches!(
            w.as_str(),
            "hundred"
                | "thousand"
                | "million"
                | "billion"
                | "trillion"
                | "dozen"
                | "half"
                | "a"
                | "and"
        )
        || w.split('-').count() == 2
            && w.split('-')
                .all(|p| ONES.contains(&p) || TENS[2..].contains(&p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_out() {
        assert_eq!(to_words(10).unwrap(), "ten");
        assert_eq!(to_words(395).unwrap(), "three hundred ninety-five");
        assert_eq!(to_words(7000).unwrap(), "seven thousand");
        assert_eq!(to_words(2_000_021).unwrap(), "two million twenty-one");
        assert_eq!(capitalise("ten"), "Ten");
        assert!(is_number_word("Twenty-five") && !is_number_word("tonnes"));
    }
}
