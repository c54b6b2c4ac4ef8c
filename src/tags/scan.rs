//! Finding tags in a document: both syntaxes, in prose only, keeping what does not parse.
//!
//! A tag is recognised only where the document is prose (see [`crate::prose::mask`]): never
//! inside code spans, fenced code, HTML comments, HTML blocks, link destinations or front
//! matter. That is the same notion of prose the figure extractor uses, so a tag the engine
//! can read the figure of is exactly a tag this module finds.
//!
//! - `span`: an unescaped prose `[` matched (brackets balanced, within one paragraph) by an
//!   unescaped prose `]` that is followed at once by `{`, whose attribute block holds the
//!   class `.fig`. Matching uses one stack, so the scan is linear and nested brackets
//!   (`[[5 tons]{.fig ...}](url)`, a tag inside link text) work.
//! - `html`: a `<data>` start tag that pulldown-cmark reads as inline HTML, or that stands in
//!   prose text (an indented block: code to Markdown, prose here), but not in code, a
//!   comment or an HTML block, with `fig` among its classes, closed by `</data>` in the same
//!   paragraph.
//!
//! Anything that is plainly meant as a tag but does not parse (an attribute block never
//! closed, a quoted value never closed, a `<data class="fig">` never closed, a `{.fig ...}`
//! block attached to no bracketed text) is kept as a [`Broken`] with a message for
//! `malformed-tag`.

use std::ops::Range;

use pulldown_cmark::{Event, Parser};

use super::{Syntax, Tag};
use crate::prose::{self, Language};

/// Attribute blocks and start tags longer than this are not read further: it keeps the scan
/// linear on hostile input (thousands of `]{"`), and no real tag comes near it.
const LIMIT: usize = 1024;

/// Something written as a tag that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Broken {
    /// Where to report it: from the tag's start to where reading stopped.
    pub span: Range<usize>,
    /// What is wrong, for the user.
    pub message: String,
    /// The byte ranges that are markup, not prose (the extractor must not read them).
    pub markup: Vec<Range<usize>>,
}

/// A list of one range (`vec![a..b]` reads like the range's elements).
fn one(r: Range<usize>) -> Vec<Range<usize>> {
    std::iter::once(r).collect()
}

/// Everything the scan found, each list sorted by start.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scan {
    pub tags: Vec<Tag>,
    pub broken: Vec<Broken>,
}

/// Whether `text` could hold a tag at all: the common case (no tags) costs one pass of
/// `memchr`-speed searches and no Markdown parse.
pub(crate) fn might_have_tags(text: &str) -> bool {
    holds!(text, ".fig") || find_ci(text.as_bytes(), b"<data", 0).is_some()
}

/// Scan a Markdown document for tags.
pub(crate) fn scan(text: &str) -> Scan {
    scan_lang(text, Language::Markdown)
}

/// Scan a document read as `lang` for tags.
pub(crate) fn scan_lang(text: &str, lang: Language) -> Scan {
    scan_part(text, lang, true)
}

/// Scan a part of a document (a chunk) that starts at the document's start or later (where
/// front matter cannot begin).
pub(crate) fn scan_part(text: &str, lang: Language, at_start: bool) -> Scan {
    let mut out = Scan::default();
    if !might_have_tags(text) {
        return out;
    }
    let mask = prose::mask_part(text, lang, at_start);
    let mask = mask.as_bytes();
    scan_spans(text, mask, &mut out);
    if find_ci(text.as_bytes(), b"<data", 0).is_some() {
        let starts = match lang {
            Language::Markdown => inline_html_starts(text, at_start),
            // Plain text has no HTML; a `<data>` element written in it is still the author's
            // tag, so every `<` counts as markup there.
            Language::Plain => Vec::new(),
        };
        scan_html(text, mask, &starts, lang == Language::Plain, &mut out);
    }
    out.tags
        .sort_by_key(|t| (t.span.start, std::cmp::Reverse(t.span.end)));
    out.broken.sort_by_key(|b| b.span.start);
    out
}

// ---------------------------------------------------------------------------------------
// span syntax

fn escaped(b: &[u8], i: usize) -> bool {
    let mut n = 0;
    while n < i && b[i - 1 - n] == b'\\' {
        n += 1;
    }
    n % 2 == 1
}

fn scan_spans(text: &str, mask: &[u8], out: &mut Scan) {
    let b = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    // Attribute blocks that belong to a tag (found or broken), so the orphan pass skips them.
    let mut claimed: Vec<Range<usize>> = Vec::new();
    let mut line_blank = true;
    let mut i = 0;
    while i < b.len() {
        match mask[i] {
            b'\n' => {
                if line_blank {
                    stack.clear();
                }
                line_blank = true;
            }
            b' ' | b'\t' | b'\r' => {}
            b'[' if !escaped(b, i) => {
                stack.push(i);
                line_blank = false;
            }
            b']' if !escaped(b, i) => {
                line_blank = false;
                if let Some(open) = stack.pop() {
                    if mask.get(i + 1) == Some(&b'{') {
                        if let Some(next) = span_tag(text, open, i, out, &mut claimed) {
                            i = next;
                            continue;
                        }
                    }
                }
            }
            _ => line_blank = false,
        }
        i += 1;
    }
    orphan_blocks(text, mask, &claimed, out);
}

/// Read the tag whose brackets are `open` and `close` (with `{` right after `close`).
/// Returns where scanning goes on when the block was ours.
fn span_tag(
    text: &str,
    open: usize,
    close: usize,
    out: &mut Scan,
    claimed: &mut Vec<Range<usize>>,
) -> Option<usize> {
    match parse_block(text, close + 1) {
        Ok(block) if block.fig => {
            claimed.push(close + 1..block.end);
            let mut attrs = Vec::new();
            if let Some(id) = block.id {
                attrs.push(("id".to_string(), id));
            }
            attrs.extend(block.kvs);
            out.tags.push(Tag {
                span: open..block.end,
                inner: open + 1..close,
                syntax: Syntax::Span,
                attrs,
                classes: block.classes,
                attrs_span: close + 1..block.end,
            });
            Some(block.end)
        }
        Ok(_) => None,
        Err(e) if e.fig => {
            claimed.push(close + 1..e.end);
            out.broken.push(Broken {
                span: open..e.end,
                message: e.message,
                markup: vec![open..open + 1, close..e.end],
            });
            Some(e.end.max(close + 1))
        }
        Err(_) => None,
    }
}

/// `{.fig value=...}` blocks that follow no bracketed text: `5 tons{.fig value=5}`,
/// `[5 tons] {.fig value=5}`. Only blocks that carry a number are reported, so other uses
/// of a `.fig` class (a heading's attributes, a fenced div) are left alone.
fn orphan_blocks(text: &str, mask: &[u8], claimed: &[Range<usize>], out: &mut Scan) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(off) = text[from..].find('{') {
        let i = from + off;
        from = i + 1;
        // `claimed` is sorted and disjoint: blocks are claimed left to right.
        let k = claimed.partition_point(|r| r.end <= i);
        if mask[i] != b'{' || escaped(b, i) || claimed.get(k).is_some_and(|r| r.start <= i) {
            continue;
        }
        let (end, message) = match parse_block(text, i) {
            Ok(block) if block.fig && block.kvs.iter().any(|(k, _)| matches!(k.as_str(), "value" | "low" | "high")) => (
                block.end,
                "this `{.fig ...}` block is attached to no text: write the figure in brackets right \
                 before it, `[148 weapons]{.fig ...}`"
                    .to_string(),
            ),
            Err(e) if e.fig && {
                let raw = &text[i..e.end];
                raw.contains("value=") || raw.contains("low=") || raw.contains("high=")
            } =>
            {
                (e.end, e.message)
            }
            _ => continue,
        };
        out.broken.push(Broken {
            span: i..end,
            message,
            markup: one(i..end),
        });
        from = end.max(i + 1);
    }
}

/// A parsed `{...}` attribute block.
#[derive(Debug, Default)]
pub(crate) struct Block {
    /// Just past the closing `}`.
    pub end: usize,
    /// Whether the class `.fig` is among its classes.
    pub fig: bool,
    pub id: Option<String>,
    /// Classes other than `fig`.
    pub classes: Vec<String>,
    pub kvs: Vec<(String, String)>,
}

#[derive(Debug)]
pub(crate) struct BlockError {
    /// Where reading stopped (the report runs to here).
    pub end: usize,
    /// Whether the block names the class `.fig`, i.e. is meant as our tag.
    pub fig: bool,
    pub message: String,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether a line break at `i` (a `\n`) is followed by a blank line: a paragraph ends there.
fn paragraph_ends(b: &[u8], i: usize) -> bool {
    let mut j = i + 1;
    while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r') {
        j += 1;
    }
    j >= b.len() || b[j] == b'\n'
}

/// The end of the line `from` is on (before a `\r\n`), at most [`LIMIT`] bytes on, on a
/// character boundary: where a report about a broken tag ends.
fn line_end(b: &[u8], from: usize) -> usize {
    let cap = (from + LIMIT).min(b.len());
    let mut j = from;
    while j < cap && b[j] != b'\n' {
        j += 1;
    }
    // Do not stop inside a character, nor on the `\r` of a CRLF line break.
    while j < b.len() && (b[j] & 0xC0) == 0x80 {
        j += 1;
    }
    if j > from && b[j - 1] == b'\r' {
        j -= 1;
    }
    j
}

/// Whether the raw text of a block (up to `}` or the end of its line) names the class `.fig`.
fn names_fig(b: &[u8], open: usize) -> bool {
    let end = line_end(b, open).min(open + LIMIT);
    let s = &b[open..end];
    let mut k = 0;
    while k + 4 <= s.len() {
        if &s[k..k + 4] == b".fig"
            && (k == 0 || s[k - 1] == b'{' || is_space(s[k - 1]))
            && s.get(k + 4).is_none_or(|&c| is_space(c) || c == b'}')
        {
            return true;
        }
        k += 1;
    }
    false
}

fn key_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b':' | b'.')
}

/// Parse the Pandoc/Djot attribute block that opens at `open` (a `{`):
/// `#id`, `.class`, `key=value`, `key="quoted \" value"`, `key='single'`, whitespace and
/// single line breaks between them.
pub(crate) fn parse_block(text: &str, open: usize) -> Result<Block, BlockError> {
    let b = text.as_bytes();
    let fail = |end: usize, message: String| BlockError {
        end,
        fig: names_fig(b, open),
        message,
    };
    let never_closed = || {
        fail(
            line_end(b, open),
            "this tag's attribute block is never closed: add `}` after its last attribute"
                .to_string(),
        )
    };
    let mut block = Block::default();
    let mut i = open + 1;
    loop {
        while i < b.len() && is_space(b[i]) {
            if b[i] == b'\n' && paragraph_ends(b, i) {
                return Err(never_closed());
            }
            i += 1;
        }
        if i >= b.len() || i - open > LIMIT {
            return Err(never_closed());
        }
        match b[i] {
            b'}' => {
                block.end = i + 1;
                return Ok(block);
            }
            b'#' | b'.' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && !is_space(b[j]) && b[j] != b'}' {
                    j += 1;
                }
                let word = &text[start..j];
                if word.is_empty() {
                    let what = if b[i] == b'#' {
                        "`#` with no id after it"
                    } else {
                        "`.` with no class after it"
                    };
                    return Err(fail(j, format!("this tag's attribute block has {what}")));
                }
                if b[i] == b'#' {
                    if block.id.is_some() {
                        return Err(fail(j, "this tag has two ids: keep one `#id`".to_string()));
                    }
                    block.id = Some(word.to_string());
                } else if word == "fig" {
                    block.fig = true;
                } else {
                    block.classes.push(word.to_string());
                }
                i = j;
            }
            b'%' => {
                // A Djot comment: `{% note % .fig value=5}`.
                match text[i + 1..].find('%') {
                    Some(k) if k < LIMIT => i = i + 1 + k + 1,
                    _ => return Err(never_closed()),
                }
            }
            _ => {
                let start = i;
                let mut j = i;
                while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'=' | b'}' | b'"' | b'\'')
                {
                    j += 1;
                }
                let key = &text[start..j];
                if key.is_empty() {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    return Err(fail(
                        i + c.len_utf8(),
                        format!("unexpected `{c}` in this tag's attributes"),
                    ));
                }
                if b.get(j) != Some(&b'=') {
                    return Err(fail(
                        j,
                        format!("`{key}` in this tag is not an attribute: write `key=value`, `.class` or `#id`"),
                    ));
                }
                if !key.bytes().all(key_char) {
                    return Err(fail(j, format!("`{key}` is not a valid attribute name")));
                }
                let (value, end) = parse_value(text, j + 1).map_err(|(end, m)| fail(end, m))?;
                if value.is_empty() && !matches!(b.get(j + 1), Some(b'"' | b'\'')) {
                    return Err(fail(end, format!("`{key}=` in this tag has no value")));
                }
                if key == "id" {
                    if block.id.is_some() {
                        return Err(fail(end, "this tag has two ids: keep one".to_string()));
                    }
                    block.id = Some(value);
                } else if key == "class" {
                    for c in value.split_ascii_whitespace() {
                        if c == "fig" {
                            block.fig = true;
                        } else {
                            block.classes.push(c.to_string());
                        }
                    }
                } else {
                    block.kvs.push((key.to_string(), value));
                }
                i = end;
            }
        }
    }
}

/// Read an attribute value at `i`: quoted (`"..."` or `'...'`, with `\"` and `\\` escapes) or
/// bare (up to whitespace or `}`). Returns the value and where it ends.
fn parse_value(text: &str, i: usize) -> Result<(String, usize), (usize, String)> {
    let b = text.as_bytes();
    match b.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let mut v = String::new();
            let mut j = i + 1;
            let mut run = j;
            while j < b.len() && j - i <= LIMIT {
                match b[j] {
                    c if c == q => {
                        v.push_str(&text[run..j]);
                        return Ok((v, j + 1));
                    }
                    b'\\' if matches!(b.get(j + 1), Some(&c) if c == q || c == b'\\') => {
                        v.push_str(&text[run..j]);
                        run = j + 1;
                        j += 2;
                    }
                    b'\n' if paragraph_ends(b, j) => break,
                    _ => j += 1,
                }
            }
            let q = q as char;
            Err((
                line_end(b, i),
                format!("a quoted value in this tag is never closed: add the closing {q}"),
            ))
        }
        _ => {
            let mut j = i;
            while j < b.len() && !is_space(b[j]) && b[j] != b'}' {
                j += 1;
            }
            Ok((text[i..j].to_string(), j))
        }
    }
}

// ---------------------------------------------------------------------------------------
// html syntax

/// ASCII case-insensitive search for `needle` (lower case) in `hay` from `from`.
pub(crate) fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = from;
    while i + needle.len() <= hay.len() {
        // SIMD search for the first byte in either case, then compare the rest.
        let next = memchr::memchr2(
            first.to_ascii_lowercase(),
            first.to_ascii_uppercase(),
            &hay[i..],
        )?;
        i += next;
        if i + needle.len() > hay.len() {
            return None;
        }
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Byte offsets where pulldown-cmark starts an inline HTML tag, sorted.
fn inline_html_starts(text: &str, at_start: bool) -> Vec<usize> {
    let fm = if at_start {
        prose::front_matter(text)
    } else {
        0
    };
    let mut out: Vec<usize> = Parser::new_ext(&text[fm..], prose::markdown_options())
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::InlineHtml(_)))
        .map(|(_, r)| r.start + fm)
        .collect();
    out.sort_unstable();
    out
}

/// A parsed `<data ...>` start tag.
#[derive(Debug, Default)]
pub(crate) struct StartTag {
    /// Just past `>`.
    pub end: usize,
    /// Attributes with lower-case names and decoded values, in written order.
    pub attrs: Vec<(String, String)>,
    pub self_closing: bool,
}

/// Whether `<data` at `i` is the start of a `data` element's start tag (`<data>`, `<data `).
fn is_data_open(b: &[u8], i: usize) -> bool {
    b.len() >= i + 5
        && b[i..i + 5].eq_ignore_ascii_case(b"<data")
        && b.get(i + 5)
            .is_none_or(|&c| is_space(c) || c == b'>' || c == b'/')
}

/// Whether `</data` + optional space + `>` is at `i`; returns its end.
fn data_close_at(b: &[u8], i: usize) -> Option<usize> {
    if b.len() < i + 6 || !b[i..i + 6].eq_ignore_ascii_case(b"</data") {
        return None;
    }
    let mut j = i + 6;
    while j < b.len() && is_space(b[j]) {
        j += 1;
    }
    (b.get(j) == Some(&b'>')).then_some(j + 1)
}

/// Parse an HTML start tag `<data ...>` at `i`.
pub(crate) fn parse_start_tag(text: &str, i: usize) -> Result<StartTag, (usize, String)> {
    let b = text.as_bytes();
    let never = || {
        (
            line_end(b, i),
            "this `<data>` tag is never closed with `>`".to_string(),
        )
    };
    let mut tag = StartTag::default();
    let mut j = i + 5;
    loop {
        while j < b.len() && is_space(b[j]) {
            if b[j] == b'\n' && paragraph_ends(b, j) {
                return Err(never());
            }
            j += 1;
        }
        if j >= b.len() || j - i > LIMIT {
            return Err(never());
        }
        match b[j] {
            b'>' => {
                tag.end = j + 1;
                return Ok(tag);
            }
            b'/' if b.get(j + 1) == Some(&b'>') => {
                tag.end = j + 2;
                tag.self_closing = true;
                return Ok(tag);
            }
            b'<' => return Err(never()),
            _ => {
                let start = j;
                while j < b.len()
                    && !is_space(b[j])
                    && !matches!(b[j], b'>' | b'/' | b'=' | b'"' | b'\'' | b'<')
                {
                    j += 1;
                }
                if j == start {
                    let c = text[j..].chars().next().unwrap_or(' ');
                    return Err((
                        j + c.len_utf8(),
                        format!("unexpected `{c}` in this `<data>` tag"),
                    ));
                }
                let name = text[start..j].to_ascii_lowercase();
                let mut k = j;
                while k < b.len() && matches!(b[k], b' ' | b'\t') {
                    k += 1;
                }
                if b.get(k) != Some(&b'=') {
                    tag.attrs.push((name, String::new()));
                    continue;
                }
                k += 1;
                while k < b.len() && matches!(b[k], b' ' | b'\t') {
                    k += 1;
                }
                let (raw, end) = match b.get(k) {
                    Some(&q @ (b'"' | b'\'')) => match text[k + 1..].find(q as char) {
                        Some(e) if e <= LIMIT && !text[k + 1..k + 1 + e].contains("\n\n") => {
                            (&text[k + 1..k + 1 + e], k + 1 + e + 1)
                        }
                        _ => {
                            return Err((
                                line_end(b, k),
                                format!("the value of `{name}` in this `<data>` tag is never closed with {}", q as char),
                            ))
                        }
                    },
                    _ => {
                        let mut e = k;
                        while e < b.len() && !is_space(b[e]) && b[e] != b'>' {
                            e += 1;
                        }
                        (&text[k..e], e)
                    }
                };
                tag.attrs.push((name, decode_entities(raw)));
                j = end;
            }
        }
    }
}

/// Decode the HTML character references a tag value may hold (`&quot;` `&amp;` `&lt;` `&gt;`
/// `&apos;` `&nbsp;` and numeric ones). Unknown references stay as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(a) = rest.find('&') {
        out.push_str(&rest[..a]);
        let tail = &rest[a..];
        let decoded = tail.find(';').filter(|&e| e <= 10).and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "quot" => Some('"'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let n = if let Some(h) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(h, 16).ok()
                    } else if let Some(d) = name.strip_prefix('#') {
                        d.parse().ok()
                    } else {
                        None
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The canonical attribute name of an HTML attribute of a tag, or `None` for one kept under
/// its own name. The mapping is documented in the module overview of [`super`].
fn html_to_canonical(name: &str) -> Option<&'static str> {
    Some(match name {
        "value" => "value",
        "id" => "id",
        "data-low" => "low",
        "data-high" => "high",
        "data-unit" => "unit",
        "data-qual" => "qual",
        "data-noun" => "noun",
        "data-per" => "per",
        "data-cat" => "cat",
        _ => return None,
    })
}

fn scan_html(text: &str, mask: &[u8], inline_starts: &[usize], plain: bool, out: &mut Scan) {
    let b = text.as_bytes();
    // Inline HTML to Markdown, or prose text: an indented block is code to Markdown but
    // prose to this tool (see `prose`), and a tag there is still the author's tag. Not in
    // code spans, fences, comments or HTML blocks (blanked in the mask), nor escaped (`\<`).
    let is_html_at = |i: usize| {
        plain || inline_starts.binary_search(&i).is_ok() || (mask[i] == b'<' && !escaped(b, i))
    };
    let mut from = 0;
    while let Some(i) = find_ci(b, b"<data", from) {
        from = i + 1;
        if !is_data_open(b, i) || !is_html_at(i) {
            continue;
        }
        let start = match parse_start_tag(text, i) {
            Ok(s) => s,
            Err((end, message)) => {
                if names_fig_html(b, i) {
                    out.broken.push(Broken {
                        span: i..end,
                        message,
                        markup: one(i..end),
                    });
                }
                continue;
            }
        };
        let classes: Vec<&str> = start
            .attrs
            .iter()
            .filter(|(n, _)| n == "class")
            .flat_map(|(_, v)| v.split_ascii_whitespace())
            .collect();
        if !classes.contains(&"fig") {
            continue;
        }
        if start.self_closing {
            out.broken.push(Broken {
                span: i..start.end,
                message: "this `<data class=\"fig\" .../>` wraps no text: write `<data ...>148 weapons</data>`"
                    .to_string(),
                markup: one(i..start.end),
            });
            continue;
        }
        let Some((close, end)) = find_data_close(b, start.end, &is_html_at) else {
            out.broken.push(Broken {
                span: i..line_end(b, i).max(start.end),
                message:
                    "this `<data class=\"fig\">` is never closed: add `</data>` after the figure"
                        .to_string(),
                markup: one(i..start.end),
            });
            from = start.end;
            continue;
        };
        let mut attrs = Vec::new();
        let mut misnamed = None;
        for (name, value) in &start.attrs {
            if name == "class" {
                continue;
            }
            match html_to_canonical(name) {
                Some(c) => attrs.push((c.to_string(), value.clone())),
                None => {
                    if matches!(
                        name.as_str(),
                        "low" | "high" | "unit" | "qual" | "noun" | "per" | "cat"
                    ) {
                        misnamed.get_or_insert_with(|| name.clone());
                    }
                    attrs.push((name.clone(), value.clone()));
                }
            }
        }
        if let Some(name) = misnamed {
            out.broken.push(Broken {
                span: i..end,
                message: format!("`{name}` is not an attribute of `<data>`: write `data-{name}`"),
                markup: vec![i..start.end, close..end],
            });
            continue;
        }
        out.tags.push(Tag {
            span: i..end,
            inner: start.end..close,
            syntax: Syntax::Html,
            attrs,
            classes: classes
                .into_iter()
                .filter(|c| *c != "fig")
                .map(str::to_string)
                .collect(),
            attrs_span: i..start.end,
        });
    }
}

/// The `</data>` closing the element whose content starts at `from`: nested `data` elements
/// are skipped; the paragraph must not end first. Returns its start and end.
fn find_data_close(
    b: &[u8],
    from: usize,
    is_html_at: &dyn Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut j = from;
    while j < b.len() && j - from <= 4 * LIMIT {
        match b[j] {
            b'\n' if paragraph_ends(b, j) => return None,
            b'<' if is_html_at(j) => {
                if let Some(end) = data_close_at(b, j) {
                    if depth == 0 {
                        return Some((j, end));
                    }
                    depth -= 1;
                } else if is_data_open(b, j) {
                    depth += 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// Whether the start tag at `i` names the class `fig` (looked for in its raw text up to `>`
/// or the end of the line).
fn names_fig_html(b: &[u8], i: usize) -> bool {
    let end = line_end(b, i).min(i + LIMIT);
    let gt = b[i..end]
        .iter()
        .position(|&c| c == b'>')
        .map(|p| i + p)
        .unwrap_or(end);
    let raw = String::from_utf8_lossy(&b[i..gt]).to_ascii_lowercase();
    raw.contains("class") && raw.contains("fig")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<(String, Vec<(String, String)>)> {
        scan(text)
            .tags
            .into_iter()
            .map(|t| (text[t.inner].to_string(), t.attrs))
            .collect()
    }

    fn broken(text: &str) -> Vec<String> {
        scan(text)
            .broken
            .into_iter()
            .map(|b| format!("{}: {}", &text[b.span], b.message))
            .collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn finds_the_spec_span_examples() {
        let t = "It exceeded [707 billion tenge]{.fig value=707000000000 unit=KZT}, and \
                 [over 4,431 pieces]{.fig value=4431 qual=over noun=pieces} with [10–15%]{.fig low=10 high=15 unit=%} \
                 and [148 weapons]{#weapons-seized .fig value=148 noun=weapons cat=seizures}.";
        assert_eq!(
            tags(t),
            vec![
                (
                    "707 billion tenge".into(),
                    kv(&[("value", "707000000000"), ("unit", "KZT")])
                ),
                (
                    "over 4,431 pieces".into(),
                    kv(&[("value", "4431"), ("qual", "over"), ("noun", "pieces")])
                ),
                (
                    "10–15%".into(),
                    kv(&[("low", "10"), ("high", "15"), ("unit", "%")])
                ),
                (
                    "148 weapons".into(),
                    kv(&[
                        ("id", "weapons-seized"),
                        ("value", "148"),
                        ("noun", "weapons"),
                        ("cat", "seizures")
                    ])
                ),
            ]
        );
    }

    #[test]
    fn finds_the_spec_html_example() {
        let t = "<data class=\"fig\" value=\"707000000000\" data-unit=\"KZT\">707 billion tenge</data> was lost.";
        let s = scan(t);
        assert_eq!(s.tags.len(), 1);
        let tag = &s.tags[0];
        assert_eq!(tag.syntax, Syntax::Html);
        assert_eq!(&t[tag.inner.clone()], "707 billion tenge");
        assert_eq!(tag.attrs, kv(&[("value", "707000000000"), ("unit", "KZT")]));
        assert_eq!(tag.span, 0..t.find(" was").unwrap());
    }

    #[test]
    fn quoted_values_escapes_and_entities() {
        assert_eq!(
            tags(
                r#"[18 channels]{.fig value=18 noun="drug \"trafficking\" channels" note='a \\ b'}"#
            )[0]
            .1,
            kv(&[
                ("value", "18"),
                ("noun", "drug \"trafficking\" channels"),
                ("note", "a \\ b")
            ])
        );
        assert_eq!(
            tags("<DATA Class='fig big' VALUE=\"18\" data-noun=\"R&amp;D &quot;units&quot; &#233;\">18 units</data>")[0]
                .1,
            kv(&[("value", "18"), ("noun", "R&D \"units\" é")])
        );
    }

    #[test]
    fn spans_without_fig_and_tags_in_code_are_not_tags() {
        assert!(tags("[5 tons]{.note value=5} and [6 tons]{#x}").is_empty());
        assert!(tags(
            "`[5 tons]{.fig value=5 unit=t}` and `<data class=\"fig\" value=\"1\">1</data>`"
        )
        .is_empty());
        assert!(tags(
            "```\n[5 tons]{.fig value=5 unit=t}\n<data class=\"fig\" value=\"1\">1</data>\n```\n"
        )
        .is_empty());
        assert!(tags("<!-- [5 tons]{.fig value=5 unit=t} -->").is_empty());
        assert!(tags(r"\[5 tons]{.fig value=5 unit=t}").is_empty());
        assert!(broken("`[5 tons]{.fig value=\"5`").is_empty());
    }

    #[test]
    fn nested_brackets_links_and_line_breaks() {
        let t = "See [[5 tons]{.fig value=5 unit=t}](https://x.y/z) and [a [b] 6\ntons]{.fig value=6 unit=t}.";
        let found: Vec<String> = tags(t).into_iter().map(|(i, _)| i).collect();
        assert_eq!(found, vec!["5 tons", "a [b] 6\ntons"]);
        // A paragraph break ends a bracket.
        assert!(tags("[5\n\ntons]{.fig value=5}").is_empty());
    }

    #[test]
    fn crlf_and_tables() {
        let t = "| a | b |\r\n|---|---|\r\n| [5 tons]{.fig value=5 unit=t} | <data class=\"fig\" value=\"6\">6</data> |\r\n";
        let found: Vec<String> = tags(t).into_iter().map(|(i, _)| i).collect();
        assert_eq!(found, vec!["5 tons", "6"]);
    }

    #[test]
    fn broken_span_tags_are_reported() {
        assert_eq!(
            broken("Seized [5 tons]{.fig value=\"5 unit=t}\n\nNext."),
            vec!["[5 tons]{.fig value=\"5 unit=t}: a quoted value in this tag is never closed: add the closing \""]
        );
        assert_eq!(
            broken("Seized [5 tons]{.fig value=5 unit=t\n\nNext."),
            vec!["[5 tons]{.fig value=5 unit=t: this tag's attribute block is never closed: add `}` after its last attribute"]
        );
        assert_eq!(
            broken("[5 tons]{.fig 5}"),
            vec!["[5 tons]{.fig 5: `5` in this tag is not an attribute: write `key=value`, `.class` or `#id`"]
        );
        assert!(broken("[5 tons] {.fig value=5 unit=t}")[0].contains("attached to no text"));
        assert!(broken("5 tons{.fig value=5 unit=t}")[0].contains("attached to no text"));
        // A `.fig` class elsewhere (a heading's attributes) is not a broken tag.
        assert!(broken("# Results {.fig}\n\n::: {.fig}\ntext\n:::\n").is_empty());
    }

    #[test]
    fn broken_html_tags_are_reported() {
        let b = broken("Lost <data class=\"fig\" value=\"5\">5 tons.\n\nNext.");
        assert_eq!(b.len(), 1);
        assert!(b[0].contains("never closed: add `</data>`"), "{b:?}");
        let b = broken("Lost <data class=\"fig\" value=\"5>5 tons</data>.");
        assert_eq!(b.len(), 1, "{b:?}");
        let b = broken("Lost <data class=\"fig\" unit=\"t\" value=\"5\">5 tons</data>.");
        assert!(b[0].contains("write `data-unit`"), "{b:?}");
        let b = broken("Lost <data class=\"fig\" value=\"5\"/> tons");
        assert!(b[0].contains("wraps no text"), "{b:?}");
        assert!(broken("<data value=\"5\">5</data> and <data class=\"x\" value=\"1\">").is_empty());
    }

    #[test]
    fn hostile_input_does_not_panic_or_hang() {
        let t = "]{\"".repeat(20_000) + &"[".repeat(20_000) + &"<data class=\"fig\"".repeat(2000);
        let _ = scan(&t);
        for s in [
            "[",
            "]{",
            "[]{",
            "[x]{.fig",
            "[x]{.fig v=\"",
            "<data",
            "<data class=fig",
            "{.fig value=",
            "é]{.fig é",
        ] {
            let _ = scan(s);
        }
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(
            decode_entities("a &amp; b &#x41;&#66; &bogus; &"),
            "a & b AB &bogus; &"
        );
    }
}
