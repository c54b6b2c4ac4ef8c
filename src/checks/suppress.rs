//! Inline suppression comments (SPEC §3).
//!
//! `<!-- briefing-ls: ignore unitless-figure -->` silences that check; `ignore` alone
//! silences every check; several codes may be listed, separated by spaces or commas. A
//! comment standing alone on its line covers the next line; a comment after text covers its
//! own line. A finding is covered when the line it starts on is.

use std::collections::HashMap;

/// Which checks are silenced on which lines.
#[derive(Debug, Default)]
pub struct Suppressions {
    /// 0-based line → codes (empty: every code).
    lines: HashMap<usize, Vec<String>>,
    /// Byte offsets of line starts, filled only when there is something to suppress.
    starts: Vec<usize>,
}

const MARK: &str = "briefing-ls:";

/// Whether a piece of the document holds the suppression marker. A marker is one word, so
/// it lies inside one chunk (a run of non-blank lines): a document none of whose chunks
/// holds one has no suppressions.
/// (`memmem`: vectorised, skipping on the marker's rarest bytes.)
pub(crate) fn may_hold(part: &str) -> bool {
    finder!(MARK.as_bytes()).find(part.as_bytes()).is_some()
}

impl Suppressions {
    pub fn new(text: &str) -> Suppressions {
        let mut s = Suppressions::default();
        if !may_hold(text) {
            return s;
        }
        let mut from = 0;
        while let Some(i) = text[from..].find("<!--") {
            let start = from + i;
            let Some(j) = text[start + 4..].find("-->") else {
                break;
            };
            let end = start + 4 + j + 3;
            let body = text[start + 4..end - 3].trim();
            from = end;
            let Some(rest) = body.strip_prefix(MARK) else {
                continue;
            };
            let mut words = rest
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty());
            if words.next() != Some("ignore") {
                continue;
            }
            let codes: Vec<String> = words.map(str::to_string).collect();
            let line = text[..start].matches('\n').count();
            let line_start = text[..start].rfind('\n').map(|k| k + 1).unwrap_or(0);
            let line_end = text[end..]
                .find('\n')
                .map(|k| end + k)
                .unwrap_or(text.len());
            let alone =
                text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty();
            let target = if alone { line + 1 } else { line };
            let entry = s.lines.entry(target).or_default();
            if codes.is_empty() {
                entry.clear();
                entry.push(String::new());
            } else if !entry.iter().any(String::is_empty) {
                entry.extend(codes);
            }
        }
        if !s.lines.is_empty() {
            s.starts = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(k, _)| k + 1))
                .collect();
        }
        s
    }

    /// Whether a finding of `code` starting at byte `at` is silenced.
    pub fn covers(&self, text: &str, at: usize, code: &str) -> bool {
        if self.lines.is_empty() {
            return false;
        }
        let at = at.min(text.len());
        let line = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        self.lines
            .get(&line)
            .is_some_and(|codes| codes.iter().any(|c| c.is_empty() || c == code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_before_and_end_of_line() {
        let t = "<!-- briefing-ls: ignore unitless-figure -->\nIt was 707 billion.\nAnd 5 more. <!-- briefing-ls: ignore -->\nLast 6.";
        let s = Suppressions::new(t);
        let a = t.find("707").unwrap();
        assert!(s.covers(t, a, "unitless-figure"));
        assert!(!s.covers(t, a, "number-style"));
        let b = t.find("5 more").unwrap();
        assert!(s.covers(t, b, "number-style"));
        assert!(!s.covers(t, t.find("6.").unwrap(), "number-style"));
    }

    #[test]
    fn several_codes_and_other_comments() {
        let t = "<!-- a note -->\n<!-- briefing-ls: ignore mixed-units, number-style -->\n800kg and 14 tons";
        let s = Suppressions::new(t);
        let at = t.find("800").unwrap();
        assert!(s.covers(t, at, "mixed-units") && s.covers(t, at, "number-style"));
        assert!(!s.covers(t, at, "ambiguous-unit"));
        assert!(!Suppressions::new("<!-- briefing-ls: ignore").covers("x", 0, "a"));
    }
}
