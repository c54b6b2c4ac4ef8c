//! A quick test that a word is not in a fixed list, made at compile time from the list.
//!
//! The scanner asks of nearly every word of a text whether it is a number word, a currency
//! word or one of a few dozen word lists. Most words are none of these: a match over string
//! literals or a hash lookup costs ~30–80 instructions to say so. A [`Sieve`] says it for
//! most words with one bit: one per (first byte, second byte, length) of the listed words,
//! each folded (5, 5 and 4 bits). A word whose bit is clear is not in the list; a word
//! whose bit is set may be, and is looked up as before.

/// The bits of a list's (first byte, second byte, length) triples (see the module).
pub(crate) struct Sieve {
    bits: [u64; Sieve::WORDS],
}

impl Sieve {
    /// 2^14 bits: 5 of the first byte, 5 of the second, 4 of the length.
    const WORDS: usize = 1 << (14 - 6);

    /// The sieve of `list`.
    pub(crate) const fn new(list: &[&str]) -> Sieve {
        let mut bits = [0u64; Sieve::WORDS];
        let mut i = 0;
        while i < list.len() {
            let at = Sieve::index(list[i].as_bytes());
            bits[at >> 6] |= 1 << (at & 63);
            i += 1;
        }
        Sieve { bits }
    }

    /// The sieve of the words of several lists.
    pub(crate) const fn of_all(lists: &[&[&str]]) -> Sieve {
        let mut bits = [0u64; Sieve::WORDS];
        let mut l = 0;
        while l < lists.len() {
            let list = lists[l];
            let mut i = 0;
            while i < list.len() {
                let at = Sieve::index(list[i].as_bytes());
                bits[at >> 6] |= 1 << (at & 63);
                i += 1;
            }
            l += 1;
        }
        Sieve { bits }
    }

    /// Whether `w` may be one of the listed words: `false` only for a word that is not.
    #[inline]
    pub(crate) fn may_hold(&self, w: &[u8]) -> bool {
        let at = Sieve::index(w);
        self.bits[at >> 6] & (1 << (at & 63)) != 0
    }

    #[inline]
    const fn index(w: &[u8]) -> usize {
        let first = if w.is_empty() { 0 } else { w[0] };
        let second = if w.len() > 1 { w[1] } else { 0 };
        ((first as usize & 31) << 9) | ((second as usize & 31) << 4) | (w.len() & 15)
    }
}

/// The string literals of the patterns of the first `match` of function `name` in `src`
/// (up to its `_ =>` arm; literals inside the arms' expressions are not counted): for the
/// tests that hold a word list to the function it sieves for, so that a word added to one
/// is added to the other.
#[cfg(test)]
pub(crate) fn match_arms(src: &str, name: &str) -> Vec<String> {
    let at = src
        .find(&format!("fn {name}("))
        .unwrap_or_else(|| panic!("no fn {name}"));
    let body = &src[at..];
    let body = &body[body.find("match ").expect("a match")..];
    let body = &body[body.find('{').expect("a match block") + 1..];
    let mut words = Vec::new();
    let (mut depth, mut pattern, mut chars) = (0i32, true, body.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut lit = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => lit.extend(chars.next()),
                        '"' => break,
                        c => lit.push(c),
                    }
                }
                if pattern && depth == 0 {
                    words.push(lit);
                }
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => depth -= 1,
            '=' if depth == 0 && chars.peek() == Some(&'>') => pattern = false,
            ',' if depth == 0 => pattern = true,
            '_' if depth == 0 && pattern => break,
            '\n' if depth == 0 => {
                // A block arm ends without a comma: the next pattern starts a line.
                let rest: String = chars.clone().collect::<String>();
                if matches!(rest.trim_start().chars().next(), Some('"' | '|')) {
                    pattern = true;
                }
            }
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &[&str] = &[
        "one",
        "two",
        "three",
        "a",
        "",
        "元",
        "dlrs.",
        "deutschmarks",
    ];

    #[test]
    fn every_listed_word_passes() {
        static S: Sieve = Sieve::new(LIST);
        for w in LIST {
            assert!(S.may_hold(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn most_other_words_do_not() {
        static S: Sieve = Sieve::new(LIST);
        for w in [
            "the", "of", "and", "on", "ones", "twos", "an", "dlrs", "tree", "x",
        ] {
            assert!(!S.may_hold(w.as_bytes()), "{w}");
        }
        // A word that shares the first two bytes and the length passes: the sieve only
        // says which words are surely not listed.
        assert!(S.may_hold(b"thrum"));
    }

    #[test]
    fn several_lists_sieve_as_one() {
        static S: Sieve = Sieve::of_all(&[&["one"], &["two", "three"]]);
        for w in ["one", "two", "three"] {
            assert!(S.may_hold(w.as_bytes()));
        }
        assert!(!S.may_hold(b"four"));
    }

    #[test]
    fn match_arms_are_read_from_the_source() {
        let src = r#"fn f(w: &str) -> Option<u8> {
    Some(match w {
        "a" | "b" => 1,
        "c"
        | "d" => g("not", |x| {
            matches!(x, "nested" | "too")
        }),
        "e" => {
            h("block")
        }
        "f\"" => 2,
        _ => return None,
    })
}"#;
        assert_eq!(match_arms(src, "f"), ["a", "b", "c", "d", "e", "f\""]);
    }

    proptest::proptest! {
        /// No listed word is ever turned away, whatever the words.
        #[test]
        fn no_listed_word_is_refused(words in proptest::collection::vec(".{0,20}", 0..40)) {
            let list: Vec<&'static str> =
                words.into_iter().map(|w| &*Box::leak(w.into_boxed_str())).collect();
            let list: &'static [&'static str] = Box::leak(list.into_boxed_slice());
            let s = Sieve::new(list);
            for w in list {
                proptest::prop_assert!(s.may_hold(w.as_bytes()));
            }
        }
    }
}
