//! Where the cursor is inside a tag's attributes, for completion.
//!
//! Completion runs while a tag is being typed, so the tag is usually incomplete
//! (`[5 tons]{.fig un`): this reads backwards from the cursor to the nearest `]{` (or
//! `<data`) in the same paragraph, then forwards to the cursor, and never needs the
//! closing `}` or `>`.

use super::scan::{find_ci, parse_block};
use crate::prose::{self, Language};

/// Where `offset` sits inside a tag's attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttrContext {
    /// Typing an attribute name.
    Name,
    /// Typing the value of the named attribute (canonical name: `unit`, `cat`, ...).
    Value(String),
}

/// How far back from the cursor an attribute block may start.
const REACH: usize = 1024;

/// Whether `offset` is inside the attributes of a span tag (`{...}` after `[text]`, whose
/// block names `.fig` or is still empty) or of an HTML `<data class="fig" ...>` start tag,
/// and what is being typed there. `None` elsewhere, including inside `#id` and `.class`
/// words, and inside code.
pub fn attr_context(text: &str, offset: usize) -> Option<AttrContext> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let b = text.as_bytes();
    let floor = offset.saturating_sub(REACH);
    // The nearest `]{` or `<data` before the cursor, not past a blank line.
    let mut i = offset;
    let open = loop {
        if i <= floor {
            return None;
        }
        i -= 1;
        match b[i] {
            b'\n'
                if text[i + 1..offset]
                    .trim_start_matches([' ', '\t', '\r'])
                    .starts_with('\n') =>
            {
                return None
            }
            b'{' if i > 0 && b[i - 1] == b']' => break Open::Span(i),
            b'<' if find_ci(&b[i..], b"<data", 0) == Some(0) => break Open::Html(i),
            _ => {}
        }
    };
    let at = match open {
        Open::Span(i) | Open::Html(i) => i,
    };
    let mask = prose::mask(text, Language::Markdown);
    let in_prose = match open {
        Open::Span(i) => mask.as_bytes()[i] == b'{',
        // Inline HTML is not prose, so look at what is around it instead: code is blanked
        // whole, while an HTML start tag sits in a paragraph with prose around it.
        Open::Html(i) => !in_code(text, i),
    };
    if !in_prose {
        return None;
    }
    match open {
        Open::Span(_) => span_context(text, at, offset),
        Open::Html(_) => html_context(text, at, offset),
    }
}

enum Open {
    Span(usize),
    Html(usize),
}

/// Whether byte `i` is inside a code span or fenced code (by pulldown-cmark's events).
fn in_code(text: &str, i: usize) -> bool {
    use pulldown_cmark::{Event, Parser, Tag};
    for (ev, r) in Parser::new(text).into_offset_iter() {
        if r.start > i {
            break;
        }
        if matches!(ev, Event::Code(_) | Event::Start(Tag::CodeBlock(_))) && r.contains(&i) {
            return true;
        }
    }
    false
}

fn span_context(text: &str, open: usize, offset: usize) -> Option<AttrContext> {
    let b = text.as_bytes();
    let block = &text[open + 1..offset];
    // A finished block that closes before the cursor: the cursor is past it.
    if let Ok(parsed) = parse_block(text, open) {
        if parsed.end <= offset {
            return None;
        }
        if !parsed.fig && !block.trim().is_empty() {
            return None;
        }
    } else if !raw_names_fig(text, open) && !block.trim().is_empty() {
        return None;
    }
    // Walk the block up to the cursor.
    let mut i = open + 1;
    loop {
        while i < offset && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i >= offset {
            return Some(AttrContext::Name);
        }
        match b[i] {
            b'}' => return None,
            b'#' | b'.' => {
                let mut j = i + 1;
                while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\r' | b'\n' | b'}') {
                    j += 1;
                }
                if offset <= j {
                    return None;
                }
                i = j;
            }
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b'=' | b'}') {
                    i += 1;
                }
                if offset <= i || b.get(i) != Some(&b'=') {
                    // Still typing the name (or a word that is not `key=`).
                    return if offset <= i {
                        Some(AttrContext::Name)
                    } else {
                        None
                    };
                }
                let key = text[start..i].to_string();
                i += 1;
                let end = value_end(b, i);
                if offset <= end {
                    return Some(AttrContext::Value(key));
                }
                i = end;
            }
        }
    }
}

/// Where a value starting at `i` ends (past its closing quote, or at whitespace / `}`).
fn value_end(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let mut j = i + 1;
            while j < b.len() {
                if b[j] == b'\\' {
                    j += 2;
                    continue;
                }
                if b[j] == q {
                    return j + 1;
                }
                j += 1;
            }
            b.len()
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\r' | b'\n' | b'}') {
                j += 1;
            }
            j
        }
    }
}

fn raw_names_fig(text: &str, open: usize) -> bool {
    let line = text[open..].split('\n').next().unwrap_or("");
    line.split(|c: char| c.is_whitespace() || c == '{' || c == '}')
        .any(|w| w == ".fig")
}

fn html_context(text: &str, open: usize, offset: usize) -> Option<AttrContext> {
    let b = text.as_bytes();
    let head = &text[open..offset];
    if head.contains('>') {
        // Either past the start tag, or a `>` inside a quoted value: keep it simple and only
        // complete in start tags without one.
        return None;
    }
    let line = text[open..].split('\n').next().unwrap_or("");
    let tag_text = line.split('>').next().unwrap_or("").to_ascii_lowercase();
    if !(tag_text.contains("class") && tag_text.contains("fig")) && head.len() > "<data ".len() {
        return None;
    }
    let mut i = open + 5;
    loop {
        while i < offset && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i >= offset {
            return (i > open + 5).then_some(AttrContext::Name);
        }
        let start = i;
        while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b'=' | b'>') {
            i += 1;
        }
        if offset <= i {
            return Some(AttrContext::Name);
        }
        if b[i] != b'=' {
            continue;
        }
        let name = text[start..i].to_ascii_lowercase();
        i += 1;
        let quoted = matches!(b.get(i), Some(b'"' | b'\''));
        let (end, closed) = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => b[i + 1..]
                .iter()
                .position(|&c| c == q)
                .map_or((b.len(), false), |p| (i + 1 + p + 1, true)),
            _ => (value_end(b, i), true),
        };
        if !closed || offset < end || (offset == end && !quoted) {
            let key = match name.as_str() {
                "value" | "id" | "class" => name.clone(),
                n => n.strip_prefix("data-").unwrap_or(n).to_string(),
            };
            return (key != "class").then_some(AttrContext::Value(key));
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context at the `|` of `marked`.
    fn at(marked: &str) -> Option<AttrContext> {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        attr_context(&text, offset)
    }

    fn value(k: &str) -> Option<AttrContext> {
        Some(AttrContext::Value(k.to_string()))
    }

    #[test]
    fn names_and_values_in_span_tags() {
        assert_eq!(at("[5 tons]{.fig |"), Some(AttrContext::Name));
        assert_eq!(at("[5 tons]{.fig un|"), Some(AttrContext::Name));
        assert_eq!(at("[5 tons]{.fig value=5 |}"), Some(AttrContext::Name));
        assert_eq!(at("[5 tons]{.fig unit=|"), value("unit"));
        assert_eq!(at("[5 tons]{.fig unit=k|g}"), value("unit"));
        assert_eq!(at("[5 tons]{.fig unit=kg|}"), value("unit"));
        assert_eq!(at("[5 tons]{.fig cat=\"sei|"), value("cat"));
        assert_eq!(at("[5 tons]{.fig noun=\"a b\" cat=|}"), value("cat"));
        assert_eq!(at("[5 tons]{|}"), Some(AttrContext::Name));
        assert_eq!(at("[5 tons]{|"), Some(AttrContext::Name));
    }

    #[test]
    fn nothing_outside_tags_or_in_ids_and_classes() {
        assert_eq!(at("[5 tons]{.fig unit=t} |"), None);
        assert_eq!(at("[5 tons]{.fig unit=t}|"), None);
        assert_eq!(at("[5 tons]{#wea| .fig}"), None);
        assert_eq!(at("[5 tons]{.fi|"), None);
        assert_eq!(at("[5 tons]{.note x=|}"), None);
        assert_eq!(at("`[5 tons]{.fig unit=|}`"), None);
        assert_eq!(at("[5 tons]{.fig\n\nunit=|"), None);
        assert_eq!(at("plain |text"), None);
        assert_eq!(at("|"), None);
    }

    #[test]
    fn names_and_values_in_html_tags() {
        assert_eq!(at("<data class=\"fig\" |"), Some(AttrContext::Name));
        assert_eq!(at("<data class=\"fig\" data-un|"), Some(AttrContext::Name));
        assert_eq!(
            at("<data class=\"fig\" data-unit=\"|\">5</data>"),
            value("unit")
        );
        assert_eq!(at("<data class=\"fig\" data-cat=\"se|"), value("cat"));
        assert_eq!(at("<data class=\"fig\" value=\"5\">5 |tons</data>"), None);
        assert_eq!(at("`<data class=\"fig\" data-unit=\"|\">`"), None);
    }

    #[test]
    fn any_offset_is_safe() {
        let t = "é[5 tons]{.fig unit=\"😀|\" cat=x}\n<data class=\"fig\" value=\"1\">1</data>";
        for i in 0..=t.len() + 2 {
            let _ = attr_context(t, i);
        }
    }
}
