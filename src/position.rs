//! Byte offsets ↔ line/column: the only place that counts columns.
//!
//! The core speaks UTF-8 byte offsets. Editors speak lines and columns in UTF-16 code units
//! (LSP default), UTF-8 bytes (negotiated) or characters (the CLI's 1-based columns). Line
//! breaks are `\n`, `\r\n` and a lone `\r` (what LSP clients count, and what ropey's
//! `cr_lines` counts). Every conversion clamps: an offset past the end maps to the end, a
//! position past a line's end maps to the line's end, and an offset inside a character or
//! between `\r` and `\n` moves back to the boundary. Nothing here panics.
//!
//! Two stores are supported: a `&str` with a [`LineIndex`] (the CLI, whole files) and a
//! [`ropey::Rope`] (the language server's open documents, edited incrementally), through
//! [`rope_line_col`] and [`rope_offset`]. Both agree on every input (a property test says so).

use ropey::Rope;

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Chars,
}

/// A 0-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of a text, for repeated conversions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Whether each line is ASCII: its columns are then byte offsets in every encoding,
    /// and nothing is counted (a publication converts thousands of positions).
    ascii: Vec<bool>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let b = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            // `\r\n` is one break, after its `\n`.
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(i + 1);
        }
        let ascii = (0..starts.len())
            .map(|l| b[starts[l]..starts.get(l + 1).copied().unwrap_or(b.len())].is_ascii())
            .collect();
        LineIndex {
            starts,
            ascii,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line` without its line break (clamped to the last line).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let line = line.min(self.starts.len() - 1);
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        while end > start && matches!(b.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }

    /// Byte offset → line/column in `enc`.
    pub fn to_line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut line = usize::MAX;
        self.to_line_col_near(text, offset, enc, &mut line)
    }

    /// [`LineIndex::to_line_col`] for offsets that mostly come in order (the spans of sorted
    /// findings): the line found last time (`line`, updated) and the one after it are tried
    /// before searching them all.
    pub fn to_line_col_near(
        &self,
        text: &str,
        offset: usize,
        enc: Encoding,
        line: &mut usize,
    ) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let holds = |l: usize| {
            self.starts.get(l).is_some_and(|&s| s <= offset)
                && self.starts.get(l + 1).is_none_or(|&next| offset < next)
        };
        if !holds(*line) {
            *line = if holds(line.wrapping_add(1)) {
                line.wrapping_add(1)
            } else {
                match self.starts.binary_search(&offset) {
                    Ok(l) => l,
                    Err(l) => l - 1,
                }
            };
        }
        let line = *line;
        let range = self.line_range(text, line);
        let offset = offset.min(range.end);
        let col = if self.ascii.get(line).copied().unwrap_or(false) {
            offset - range.start
        } else {
            count(&text[range.start..offset], enc)
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Line/column in `enc` → byte offset (clamped to the text and to the line's end).
    pub fn to_offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let s = &text[range.clone()];
        let want = pos.col as usize;
        let mut units = 0;
        for (i, ch) in s.char_indices() {
            if units >= want {
                return range.start + i;
            }
            units += match enc {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
                Encoding::Chars => 1,
            };
            if units > want {
                // Inside a character (half a surrogate pair, a byte inside UTF-8): clamp back.
                return range.start + i;
            }
        }
        range.end
    }
}

/// Byte offset → line/column in `enc`, on a rope. O(log n) whatever the line length.
pub fn rope_line_col(rope: &Rope, offset: usize, enc: Encoding) -> LineCol {
    // `byte_to_char` rounds an offset inside a character down to its start.
    let ch = rope.byte_to_char(offset.min(rope.len_bytes()));
    let line = rope.char_to_line(ch);
    let start = rope.line_to_char(line);
    // An offset inside the line break (between `\r` and `\n`) is the line's end.
    let ch = ch.min(start + content_chars(rope, line));
    let col = match enc {
        Encoding::Utf8 => rope.char_to_byte(ch) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(ch) - rope.char_to_utf16_cu(start),
        Encoding::Chars => ch - start,
    };
    LineCol {
        line: line as u32,
        col: col as u32,
    }
}

/// Line/column in `enc` → byte offset, on a rope (clamped to the text and to the line's
/// end; a column inside a character moves back to its start). O(log n).
pub fn rope_offset(rope: &Rope, pos: LineCol, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let col = pos.col as usize;
    let start = rope.line_to_char(line);
    let end = start + content_chars(rope, line);
    let ch = match enc {
        Encoding::Utf8 => {
            let b = rope
                .line_to_byte(line)
                .saturating_add(col)
                .min(rope.char_to_byte(end));
            rope.byte_to_char(b)
        }
        Encoding::Utf16 => {
            let u = rope
                .char_to_utf16_cu(start)
                .saturating_add(col)
                .min(rope.char_to_utf16_cu(end));
            rope.utf16_cu_to_char(u)
        }
        Encoding::Chars => start.saturating_add(col).min(end),
    };
    rope.char_to_byte(ch)
}

/// Characters of line `line` without its line break (`\n`, `\r\n` or `\r`).
fn content_chars(rope: &Rope, line: usize) -> usize {
    let s = rope.line(line);
    let n = s.len_chars();
    match (
        n.checked_sub(2).map(|i| s.char(i)),
        n.checked_sub(1).map(|i| s.char(i)),
    ) {
        (Some('\r'), Some('\n')) => n - 2,
        (_, Some('\n' | '\r')) => n - 1,
        _ => n,
    }
}

fn count(s: &str, enc: Encoding) -> usize {
    // Without decoding (the server converts every diagnostic's range after every edit, on
    // lines that may be paragraphs long): `chars().count()` counts on bytes, and a character
    // outside the Basic Multilingual Plane, two UTF-16 units, starts with a byte from `0xF0`.
    match enc {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.chars().count() + s.bytes().filter(|&b| b >= 0xF0).count(),
        Encoding::Chars => s.chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_on_bytes_equal_counts_on_characters() {
        for s in [
            "",
            "abc",
            "a😀b",
            "漢字 e\u{301}x",
            "£1.2bn – 5 %",
            "\u{10FFFF}\u{FFFF}\u{80}",
        ] {
            assert_eq!(count(s, Encoding::Chars), s.chars().count(), "{s:?}");
            assert_eq!(
                count(s, Encoding::Utf16),
                s.chars().map(char::len_utf16).sum::<usize>(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn round_trips_with_emoji_cjk_combining_and_crlf() {
        let text = "a😀b\r\n漢字 e\u{301}x\rlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        let x = text.find('x').unwrap();
        assert_eq!(
            idx.to_line_col(text, x, Encoding::Utf16),
            LineCol { line: 1, col: 5 }
        );
        assert_eq!(
            idx.to_line_col(text, x, Encoding::Utf8),
            LineCol { line: 1, col: 10 }
        );
        assert_eq!(
            idx.to_line_col(text, x, Encoding::Chars),
            LineCol { line: 1, col: 5 }
        );
        let b = text.find('b').unwrap();
        assert_eq!(
            idx.to_line_col(text, b, Encoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for (off, _) in text.char_indices() {
                if matches!(text.as_bytes()[off], b'\r' | b'\n') {
                    continue;
                }
                let lc = idx.to_line_col(text, off, enc);
                assert_eq!(idx.to_offset(text, lc, enc), off, "{enc:?} {off}");
            }
        }
    }

    #[test]
    fn clamps_out_of_range() {
        let text = "ab\n😀";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.to_offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf16),
            text.len()
        );
        assert_eq!(
            idx.to_offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            2
        );
        // Half a surrogate pair clamps to the start of the emoji.
        assert_eq!(
            idx.to_offset(text, LineCol { line: 1, col: 1 }, Encoding::Utf16),
            3
        );
        assert_eq!(
            idx.to_line_col(text, 999, Encoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
        assert_eq!(
            idx.to_line_col(text, 4, Encoding::Utf8),
            LineCol { line: 1, col: 0 }
        );
    }

    #[test]
    fn rope_agrees_on_the_fixed_example() {
        let text = "a😀b\r\n漢字 e\u{301}x\rlast\n";
        let rope = Rope::from_str(text);
        let idx = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for off in 0..=text.len() + 2 {
                assert_eq!(
                    rope_line_col(&rope, off, enc),
                    idx.to_line_col(text, off, enc),
                    "{enc:?} {off}"
                );
            }
            for line in 0..6 {
                for col in 0..14 {
                    let p = LineCol { line, col };
                    assert_eq!(
                        rope_offset(&rope, p, enc),
                        idx.to_offset(text, p, enc),
                        "{enc:?} {p:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn rope_and_line_index_agree(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["a", "é", "e\u{301}", "😀", "漢", " ", "\n", "\r", "\r\n", "\u{200d}"]),
                0..40,
            ),
            offsets in proptest::collection::vec(0usize..200, 8),
            positions in proptest::collection::vec((0u32..12, 0u32..30), 8),
        ) {
            let text: String = parts.concat();
            let rope = Rope::from_str(&text);
            let idx = LineIndex::new(&text);
            proptest::prop_assert_eq!(rope.len_lines(), idx.line_count());
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
                for &off in &offsets {
                    proptest::prop_assert_eq!(rope_line_col(&rope, off, enc), idx.to_line_col(&text, off, enc));
                    // From every line as a hint, right or wrong.
                    for hint in (0..idx.line_count() + 2).chain([usize::MAX]) {
                        let mut line = hint;
                        proptest::prop_assert_eq!(
                            idx.to_line_col_near(&text, off, enc, &mut line),
                            idx.to_line_col(&text, off, enc)
                        );
                        proptest::prop_assert_eq!(line, idx.to_line_col(&text, off, enc).line as usize);
                    }
                }
                for &(line, col) in &positions {
                    let p = LineCol { line, col };
                    proptest::prop_assert_eq!(rope_offset(&rope, p, enc), idx.to_offset(&text, p, enc));
                }
            }
        }
    }
}
